package app

import (
	"errors"
	"testing"

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
	for name := range names { // the forwarder coalesces: wait for the inbox's event
		if name == EventDemandsChanged {
			break
		}
	}
}
