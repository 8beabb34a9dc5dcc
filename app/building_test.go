package app

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestScreensSayBuilding: while a store's open still builds the views it
// left for after it returned, the inbox, points, volunteers, offers and a
// demand's tasks answer CodeBuilding at once (the screen says "building…")
// and the demand list answers; once they are built, every one answers and
// the forwarder told the UI to read again (EventViewsBuilt).
func TestScreensSayBuilding(t *testing.T) {
	dir := t.TempDir()
	a := New(dir, store.Options{})
	if _, err := a.Network.Create("Flood 2026", "甲"); err != nil {
		t.Fatalf("Create = %v", err)
	}
	d, err := a.Demands.Record(DemandInput{Title: "村里缺饮用水", Category: "food_water", Items: []ItemInput{item("瓶装水", "10", "箱")}})
	if err != nil {
		t.Fatalf("Record = %v", err)
	}
	a.Shutdown(t.Context())

	release, restore := store.HoldViewsBuildForTest()
	b := New(dir, store.Options{})
	restore()
	released := false
	defer func() {
		if !released {
			release()
		}
		b.Shutdown(t.Context())
	}()
	names := make(chan string, 64)
	b.start(t.Context(), func(name string) { names <- name }, nil)

	if info := b.Network.Info(); info.NetworkName != "Flood 2026" { // the first call of the UI answers, without waiting
		t.Fatalf("Info while the views build = %+v", info)
	}
	if page, err := b.Demands.List(DemandQuery{}); err != nil || page.Total != 1 {
		t.Fatalf("demand list while the views build = %+v, %v; want the demand", page, err)
	}
	screens := []struct {
		name string
		call func() error
	}{
		{"inbox", func() error { _, err := b.Inbox.Page(InboxQuery{}); return err }},
		{"standings", func() error { _, err := b.Points.Standings(0, 0); return err }},
		{"volunteers", func() error { _, err := b.Volunteers.Page(VolunteerQuery{}); return err }},
		{"offers", func() error { _, err := b.Offers.Page(OfferQuery{}); return err }},
		{"tasks of a demand", func() error { _, err := b.Tasks.ForDemand(d.ID); return err }},
	}
	for _, s := range screens {
		var e *Error
		if err := s.call(); !errors.As(err, &e) || e.Code != CodeBuilding {
			t.Errorf("%s while the views build = %v; want CodeBuilding", s.name, err)
		}
	}
	release()
	released = true
	<-b.ViewsBuilt()
	for _, s := range screens {
		if err := s.call(); err != nil {
			t.Errorf("%s once the views are built = %v", s.name, err)
		}
	}
	deadline := time.After(30 * time.Second)
	for told := false; !told; { // the forwarder coalesces: wait for the inbox's event, with a deadline
		select {
		case name := <-names:
			told = name == EventDemandsChanged
		case <-deadline:
			t.Fatalf("no %s within 30 s of the views being built", EventDemandsChanged)
		}
	}
}

// TestListReadsAgainWhenCatchUpListIsBuilt: a large catch-up (here a
// bundle) into an empty laptop tells the demand list to read again as soon
// as its list answers (store.EventDemandsBuilt), not when every other view
// is built: with those held unbuilt, the forwarder sends demands:changed
// and the list answers every demand while the inbox still says "building…".
// Every wait has a deadline; the held views are let go however it ends.
func TestListReadsAgainWhenCatchUpListIsBuilt(t *testing.T) {
	a := newApp(t, t.TempDir())
	if _, err := a.Network.Create("Flood 2026", "甲"); err != nil {
		t.Fatalf("Create = %v", err)
	}
	const n = 6
	for i := range n {
		if _, err := a.Demands.Record(DemandInput{Title: fmt.Sprintf("村%d缺饮用水", i), Category: "food_water", Items: []ItemInput{item("瓶装水", "10", "箱")}}); err != nil {
			t.Fatalf("Record = %v", err)
		}
	}
	path := filepath.Join(t.TempDir(), "site-a.rmbundle")
	if _, err := a.Network.ExportBundleTo(path); err != nil {
		t.Fatalf("ExportBundleTo = %v", err)
	}

	release, restore := store.HoldCatchUpViewsForTest()
	defer restore()
	b := New(t.TempDir(), store.Options{})
	defer b.Shutdown(t.Context())
	defer release() // before the Shutdown: a held build keeps Close waiting
	var mu sync.Mutex
	var names []string
	b.start(t.Context(), func(name string) { mu.Lock(); names = append(names, name); mu.Unlock() }, nil)
	bst, err := b.store()
	if err != nil {
		t.Fatalf("store = %v", err)
	}
	ast, _ := a.store()
	if err := ast.Endorse(bst.Device(), relief.RoleVolunteer, "乙"); err != nil {
		t.Fatalf("Endorse = %v", err)
	}
	if err := bst.JoinNetwork(a.Network.Info().NetworkID); err != nil {
		t.Fatalf("JoinNetwork = %v", err)
	}
	b.flushEvents()
	mu.Lock()
	names = nil // what joining said
	mu.Unlock()

	if _, err := b.Network.ImportBundleFrom(path); err != nil {
		t.Fatalf("ImportBundleFrom = %v", err)
	}
	if !bst.ViewsBuilding() {
		t.Fatalf("ViewsBuilding = false after the catch-up's end, its other views held: the bundle did not go in as a large catch-up")
	}
	told := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return slices.Contains(names, EventDemandsChanged)
	}
	for deadline := time.Now().Add(30 * time.Second); !told(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			mu.Lock()
			t.Fatalf("no %s within 30 s of the catch-up's demand list being built (other views held unbuilt); sent: %v", EventDemandsChanged, names)
		}
	}
	if !bst.ViewsBuilding() {
		t.Fatalf("ViewsBuilding = false while the catch-up's other views are held")
	}
	if page, err := b.Demands.List(DemandQuery{}); err != nil || page.Total != n {
		t.Fatalf("demand list once told = %d demands, %v; want %d", page.Total, err, n)
	}
	var e *Error
	if _, err := b.Inbox.Page(InboxQuery{}); !errors.As(err, &e) || e.Code != CodeBuilding {
		t.Errorf("inbox while the catch-up's other views are held = %v; want CodeBuilding", err)
	}
	release()
	select {
	case <-b.ViewsBuilt():
	case <-time.After(30 * time.Second):
		t.Fatalf("the views were not built within 30 s of their release")
	}
	if _, err := b.Inbox.Page(InboxQuery{}); err != nil {
		t.Errorf("inbox once the views are built = %v", err)
	}
}
