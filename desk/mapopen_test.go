package desk

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// sealedDemands has coord record n demands with exact positions (sealed),
// then opens its store again, so that no position is opened yet (the cache
// is in memory only). It returns the reopened peer and each demand's
// position by id.
func sealedDemands(t *testing.T, n int) (*sealPeer, map[string]relief.Position) {
	t.Helper()
	coord, _ := sealNetwork(t, nil)
	want := map[string]relief.Position{}
	for i := range n {
		pos := relief.Position{Lat: 30.5 + float64(i)/1000, Lon: 114.2 + float64(i)/1000}
		d, err := coord.dk.RecordDemand(DemandInput{Title: fmt.Sprintf("口罩 %d", i), Category: "protective_equipment", District: "江汉区",
			Items: []ItemInput{item("N95口罩", "50", "只")}, ContactName: "乙老师", ContactPhone: "189 0000 0000",
			Position: &PositionInput{Lat: pos.Lat, Lon: pos.Lon}})
		if err != nil {
			t.Fatal(err)
		}
		want[d.ID] = pos
	}
	if err := coord.dk.Store().Close(); err != nil {
		t.Fatal(err)
	}
	return openSealPeer(t, coord.dir), want
}

// drawSealed draws p's map and counts its demands' points placed exactly
// (checked against want), being opened and told as sealed.
func drawSealed(t *testing.T, p *sealPeer, want map[string]relief.Position) (exact, opening, sealed int) {
	t.Helper()
	ps, err := p.dk.MapPoints()
	if err != nil {
		t.Fatal(err)
	}
	for _, pt := range ps {
		w, ok := want[pt.ID]
		if !ok {
			continue
		}
		switch {
		case pt.Position != nil:
			if *pt.Position != w || pt.PositionOpening || pt.PositionSealed {
				t.Errorf("point %s = %v opening %v sealed %v; want %v", pt.Code, *pt.Position, pt.PositionOpening, pt.PositionSealed, w)
			}
			exact++
		case pt.PositionOpening:
			if pt.PositionSealed || pt.Approx == nil {
				t.Errorf("point %s is being opened but sealed %v, approx %v; want approximate, not sealed", pt.Code, pt.PositionSealed, pt.Approx)
			}
			opening++
		case pt.PositionSealed:
			sealed++
		}
	}
	return exact, opening, sealed
}

// waitOpened waits for the store's EventPositionsOpened on events.
func waitOpened(t *testing.T, events <-chan store.Event) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.Kind == store.EventPositionsOpened {
				return
			}
		case <-deadline:
			t.Fatal("no EventPositionsOpened after the background open")
		}
	}
}

// setBudget sets the map's open budget for the test.
func setBudget(t *testing.T, n int) {
	old := mapOpenBudget
	mapOpenBudget = n
	t.Cleanup(func() { mapOpenBudget = old })
}

// TestMapFirstDrawOpensWithinBudget: a coordinator's first draw opens at
// most the budget of sealed positions, draws the others approximately as
// being opened (not as sealed), opens them in the background and says so;
// the next draw places every point exactly.
func TestMapFirstDrawOpensWithinBudget(t *testing.T) {
	setBudget(t, 3)
	coord, want := sealedDemands(t, 12)
	events, stop := coord.dk.Store().Subscribe()
	defer stop()
	exact, opening, sealed := drawSealed(t, coord, want)
	if exact > 3 || exact+opening != len(want) || sealed != 0 {
		t.Fatalf("first draw: %d exact, %d opening, %d sealed; want at most 3 exact, the rest opening", exact, opening, sealed)
	}
	waitOpened(t, events)
	if exact, opening, sealed := drawSealed(t, coord, want); exact != len(want) {
		t.Fatalf("draw after the background open: %d exact, %d opening, %d sealed; want all %d exact", exact, opening, sealed, len(want))
	}
}

// TestMapWriteDuringBackgroundOpen: a demand whose position changes while
// the background opens the map's points is drawn at its new position, and
// the other points opened meanwhile are kept (the next draw opens nothing
// again but the demand written).
func TestMapWriteDuringBackgroundOpen(t *testing.T) {
	setBudget(t, 0)
	coord, want := sealedDemands(t, 120)
	events, stop := coord.dk.Store().Subscribe()
	defer stop()
	if exact, opening, _ := drawSealed(t, coord, want); exact != 0 || opening != len(want) {
		t.Fatalf("first draw with no budget: %d exact, %d opening; want all %d opening", exact, opening, len(want))
	}
	var id string
	for id = range want {
		break
	}
	moved := relief.Position{Lat: 30.61, Lon: 114.31}
	det, err := coord.dk.Demand(id)
	if err != nil {
		t.Fatal(err)
	}
	in := DemandInput{Title: det.Demand.Title, Category: det.Demand.Category, District: det.Demand.District,
		Items: []ItemInput{item("N95口罩", "50", "只")}, ContactName: "乙老师", ContactPhone: "189 0000 0000",
		Position: &PositionInput{Lat: moved.Lat, Lon: moved.Lon}}
	if _, err := coord.dk.EditDemand(id, in); err != nil {
		t.Fatal(err)
	}
	want[id] = moved
	waitOpened(t, events)
	exact, opening, sealed := drawSealed(t, coord, want)
	if exact+opening != len(want) || opening > 1 || sealed != 0 {
		t.Fatalf("draw after the background open: %d exact, %d opening, %d sealed; want all but the written one exact", exact, opening, sealed)
	}
	for opening > 0 {
		waitOpened(t, events)
		exact, opening, _ = drawSealed(t, coord, want)
	}
	if exact != len(want) {
		t.Fatalf("%d of %d exact at the end", exact, len(want))
	}
}

// TestCloseStopsBackgroundOpen: closing the store while its positions are
// opened in the background stops the openers: Close returns after them.
func TestCloseStopsBackgroundOpen(t *testing.T) {
	setBudget(t, 0)
	coord, want := sealedDemands(t, 300)
	if _, opening, _ := drawSealed(t, coord, want); opening != len(want) {
		t.Fatalf("first draw with no budget: %d opening; want all %d", opening, len(want))
	}
	if err := coord.dk.Store().Close(); err != nil {
		t.Fatal(err)
	}
	// at once, no retry: Close returns after the openers
	buf := make([]byte, 1<<20)
	if stacks := string(buf[:runtime.Stack(buf, true)]); strings.Contains(stacks, "backgroundOpener") {
		t.Errorf("a background opener is left after Close:\n%s", stacks)
	}
	if leak := goleak.Find(goleak.IgnoreAnyFunction("testing.tRunner")); leak != nil && strings.Contains(leak.Error(), "backgroundOpener") {
		t.Errorf("a background opener is left after Close:\n%v", leak)
	}
}
