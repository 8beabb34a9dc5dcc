package desk

import (
	"bytes"
	"testing"

	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
)

// TestImportBundlePublishesProgress: a bundle import publishes its progress
// on the store's bus (store.EventBundleProgress), the last report having
// received and applied every change of the bundle, and still calls the
// callback it is given with the same numbers.
func TestImportBundlePublishesProgress(t *testing.T) {
	from := New(newStore(t))
	recordBulletinDemands(t, from, 30, 5)
	var buf bytes.Buffer
	h, err := from.ExportBundle(&buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	net, _ := from.Store().Network()
	to := New(peopleStore(t))
	if err := to.Store().JoinNetwork(net.ID); err != nil {
		t.Fatal(err)
	}
	events, unsubscribe := to.Store().Subscribe()
	defer unsubscribe()
	var calls int
	res, err := to.ImportBundle(&buf, func(bundle.Progress) { calls++ })
	if err != nil {
		t.Fatalf("ImportBundle = %v", err)
	}
	var last *store.BundleProgress
	n := 0
	for len(events) > 0 {
		if ev := <-events; ev.Kind == store.EventBundleProgress {
			last, n = ev.Bundle, n+1
		}
	}
	want := store.BundleProgress{Total: int(h.Count), Received: int(h.Count), Applied: res.Applied}
	if last == nil || *last != want || res.Applied == 0 {
		t.Fatalf("last bundle progress on the bus = %v (applied %d); want %+v", last, res.Applied, want)
	}
	if calls != n {
		t.Errorf("progress callback called %d times, %d events published; want the same", calls, n)
	}
}
