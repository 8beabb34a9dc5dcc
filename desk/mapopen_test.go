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

// sealedDemands has coord record n demands with exact positions (sealed)
// in 江汉区, the first of them in 江岸区 (alone in its district: the
// similar-demand check of an edit of it opens no other), then opens its
// store again, so that no position is opened yet (the cache is in memory
// only). It returns the reopened peer, each demand's position by id and the
// id of the first.
func sealedDemands(t *testing.T, n int) (*sealPeer, map[string]relief.Position, string) {
	t.Helper()
	coord, _ := sealNetwork(t, nil)
	want := map[string]relief.Position{}
	ins := make([]DemandInput, n)
	pos := make([]relief.Position, n)
	for i := range n {
		pos[i] = relief.Position{Lat: 30.5 + float64(i)/10000, Lon: 114.2 + float64(i)/10000}
		district := "江汉区"
		if i == 0 {
			district = "江岸区"
		}
		ins[i] = DemandInput{Title: fmt.Sprintf("口罩 %d", i), Category: "protective_equipment", District: district,
			Items: []ItemInput{item("N95口罩", "50", "只")}, ContactName: "乙老师", ContactPhone: "189 0000 0000",
			Position: &PositionInput{Lat: pos[i].Lat, Lon: pos[i].Lon}}
	}
	var first string
	for lo := 0; lo < n; lo += 200 {
		ids, err := coord.dk.RecordDemands(ins[lo:min(n, lo+200)])
		if err != nil {
			t.Fatal(err)
		}
		for k, id := range ids {
			want[id] = pos[lo+k]
		}
		if lo == 0 {
			first = ids[0]
		}
	}
	if err := coord.dk.Store().Close(); err != nil {
		t.Fatal(err)
	}
	return openSealPeer(t, coord.dir), want, first
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
	coord, want, _ := sealedDemands(t, 12)
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
	coord, want, id := sealedDemands(t, 1000)
	events, stop := coord.dk.Store().Subscribe()
	defer stop()
	if exact, opening, _ := drawSealed(t, coord, want); exact != 0 || opening != len(want) {
		t.Fatalf("first draw with no budget: %d exact, %d opening; want all %d opening", exact, opening, len(want))
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
	coord, want, _ := sealedDemands(t, 300)
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
