package app

import (
	"fmt"
	"maps"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/store"
)

// TestImportAndBundleProgressForwarded: a file import's and a bundle's
// progress, published on the store's bus, reach the UI through the one
// forwarder as EventImportProgress {done, total} and EventBundleProgress
// {total, received, applied}, the payloads the UI has always received; flush
// sends the latest of each before it returns, without waiting for the
// coalescing period, and never sends one twice.
func TestImportAndBundleProgressForwarded(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ev := &events{names: map[string]int{}}
	f := startForwarder(t.Context(), st, ev.emit, ev.emitData)
	defer f.stop()
	for i := 0; i <= 4; i++ {
		st.PublishImportProgress(store.ImportProgress{Done: i * 25, Total: 100})
		st.PublishBundleProgress(store.BundleProgress{Total: 8, Received: 2 * i, Applied: i})
	}
	f.flush()
	imp, bun := ev.sent(EventImportProgress), ev.sent(EventBundleProgress)
	if len(imp) == 0 || len(bun) == 0 {
		t.Fatalf("after flush: %d import, %d bundle progress events; want the latest of each sent", len(imp), len(bun))
	}
	for _, tc := range []struct {
		name string
		got  any
		want map[string]any
	}{
		{EventImportProgress, imp[len(imp)-1], map[string]any{"done": 100, "total": 100}},
		{EventBundleProgress, bun[len(bun)-1], map[string]any{"total": 8, "received": 8, "applied": 4}},
	} {
		if m, ok := tc.got.(map[string]any); !ok || !maps.Equal(m, tc.want) {
			t.Errorf("last %s = %v; want %v", tc.name, tc.got, tc.want)
		}
	}
	f.flush() // nothing new: nothing sent again
	if n, m := len(ev.sent(EventImportProgress)), len(ev.sent(EventBundleProgress)); n != len(imp) || m != len(bun) {
		t.Errorf("a second flush sent %d import, %d bundle events more; want none", n-len(imp), m-len(bun))
	}
	f.stop()
	f.flush() // a stopped forwarder: returns at once
}

// TestFlushKeepsRecordEventsComing: a record change published just before
// a flush (a bound method's result, e.g. the end of a bundle import that
// built the demand list) still reaches the UI by name within the coalescing
// period, whichever of the two the forwarder takes first: when flush drains
// the change into the pending names, they must be sent too. Each round
// holds the forwarder in a progress report while a demand is recorded and
// a flush is asked for, then lets it go: it then picks either at random.
// Each wait has a deadline.
func TestFlushKeepsRecordEventsComing(t *testing.T) {
	a := newApp(t, t.TempDir())
	if _, err := a.Network.Create("Flood 2026", "甲"); err != nil {
		t.Fatalf("Create = %v", err)
	}
	st, err := a.store()
	if err != nil {
		t.Fatalf("store = %v", err)
	}
	ev := &events{names: map[string]int{}}
	var held atomic.Pointer[chan struct{}]
	var inside atomic.Bool
	a.start(t.Context(), ev.emit, func(name string, data any) {
		if g := held.Load(); g != nil && name == EventImportProgress {
			inside.Store(true)
			<-*g
		}
		ev.emitData(name, data)
	})
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(2 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 10 s", what)
			}
		}
	}
	for i := range 12 {
		gate := make(chan struct{})
		held.Store(&gate)
		inside.Store(false)
		st.PublishImportProgress(store.ImportProgress{Done: i, Total: 100})
		waitFor(fmt.Sprintf("round %d: the forwarder held in a progress report", i), inside.Load)
		before := ev.count(EventDemandsChanged)
		if _, err := a.Demands.Record(DemandInput{Title: fmt.Sprintf("村%d缺饮用水", i), Category: "food_water", Items: []ItemInput{item("瓶装水", "10", "箱")}}); err != nil {
			close(gate)
			t.Fatalf("Record = %v", err)
		}
		flushed := make(chan struct{})
		go func() { defer close(flushed); a.flushEvents() }()
		time.Sleep(20 * time.Millisecond) // lets the flush ask; the test passes either way when the forwarder is right
		held.Store(nil)
		close(gate)
		<-flushed
		waitFor(fmt.Sprintf("round %d: %s after a demand recorded just before a flush", i, EventDemandsChanged),
			func() bool { return ev.count(EventDemandsChanged) > before })
	}
}
