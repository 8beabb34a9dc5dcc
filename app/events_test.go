package app

import (
	"maps"
	"testing"

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
