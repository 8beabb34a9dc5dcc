package store

import (
	"fmt"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestLeanOpenAfterAppCountsNothingAgain: a tester's first hub status after
// the app had closed a 100,000-demand store counted every record again
// (70 s, 2.2 GB): only a lean store saved the counts a lean open reads. The
// app's store (opened without Lean) saves them at Close too, so the lean
// open that follows answers the counts without a recount.
func TestLeanOpenAfterAppCountsNothingAgain(t *testing.T) {
	dir := t.TempDir()
	st, err := Open(dir, Options{}) // the app's options
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateNetwork("洪水", "甲"); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := st.RecordDemand(relief.Demand{Title: fmt.Sprintf("需求 %d", i), Category: "other"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.RecordOffer(relief.Offer{Supplier: "如家酒店", Region: "武昌区"}); err != nil {
		t.Fatal(err)
	}
	want := st.DemandCounts()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	lean, err := Open(dir, Options{Lean: true})
	if err != nil {
		t.Fatal(err)
	}
	defer lean.Close()
	told := 0
	lean.SetOnRecount(func() { told++ })
	got, offers := lean.DemandCounts(), lean.OfferCount()
	if n := lean.LeanRecounts(); n != 0 || told != 0 {
		t.Errorf("lean open after the app's close: %d recounts (hook called %d times); want none", n, told)
	}
	if got[relief.StatusCollected] != want[relief.StatusCollected] || got[relief.StatusCollected] != 5 || offers != 1 {
		t.Errorf("lean counts = %v, %d offers; want %v and 1 offer", got, offers, want)
	}
}

// TestLeanRecountCallsHook: when a lean store must count again (nothing
// saved), the hook is called first, so that a command can say it counts.
func TestLeanRecountCallsHook(t *testing.T) {
	dir := t.TempDir()
	st, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.CreateNetwork("洪水", "甲")
	st.RecordDemand(relief.Demand{Title: "需求", Category: "other"})
	st.mu.Lock()
	st.listOnly = true // as a store whose counts do not hold: nothing saved at Close
	st.mu.Unlock()
	st.Close()
	lean, err := Open(dir, Options{Lean: true})
	if err != nil {
		t.Fatal(err)
	}
	defer lean.Close()
	told := 0
	lean.SetOnRecount(func() { told++ })
	if got := lean.DemandCounts()[relief.StatusCollected]; got != 1 || told != 1 || lean.LeanRecounts() != 1 {
		t.Errorf("recount: %d collected, hook called %d times, %d recounts; want 1, 1, 1", got, told, lean.LeanRecounts())
	}
}
