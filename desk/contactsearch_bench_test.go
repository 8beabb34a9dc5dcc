package desk

import (
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/store"
)

// BenchmarkContactSearch measures the demand list's search of contacts
// (contactsearch.go) for a coordinator: the first search (which builds the
// index: every demand record read, the sealed contacts opened), a search
// after it (a scan of the index in memory), and the heap the index keeps,
// in bytes per demand indexed. It searches RELIEFMESH_BENCH_STORE, a data
// dir opened in place (a copy of /tmp/s10-fixture-100k: plain contacts, as
// rmfixture writes them), else contactBenchDemands demands recorded
// through the desk (sealed contacts, as the app records them; not timed).
//
//	RELIEFMESH_BENCH_STORE=/tmp/me-fx go test ./desk/ -run '^$' -bench ContactSearch -benchtime 20x
func BenchmarkContactSearch(b *testing.B) {
	var dk *Desk
	if dir := os.Getenv("RELIEFMESH_BENCH_STORE"); dir != "" {
		st, err := store.Open(dir, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		dk = New(st)
	} else {
		dk = benchDesk(b, contactBenchDemands)
	}
	if !dk.mayReadContacts() {
		b.Fatal("this store's member may not read contacts: search a coordinator's store")
	}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	h0, c0 := heap(), cpuTime()
	contactsBuilt(b, dk) // the build runs in the background: its CPU is this process's
	first := cpuTime() - c0
	h1 := heap()
	tab := dk.contacts.tab
	n := len(tab.ids)
	own := cap(tab.ids)*16 + cap(tab.at)*4 + cap(tab.end)*4 + cap(tab.text)
	for _, id := range tab.ids {
		own += len(id)
	}
	b.Logf("the table's own arrays: %d bytes (%.0f per demand): %d of text", own, float64(own)/float64(max(n, 1)), len(tab.text))
	tab = nil
	// the index alone: the heap with it less the heap without it (the first
	// search also fills Badger's caches)
	dk.contacts.mu.Lock()
	dk.contacts.tab = nil // nothing else holds it: built again below
	dk.contacts.mu.Unlock()
	h2 := heap()
	index := int64(h1) - int64(h2)
	contactsBuilt(b, dk)
	b.Logf("first search: %.0f CPU ms for %d demands with contacts; heap +%d bytes, of which the index %d (%.0f per demand)",
		float64(first)/float64(time.Millisecond), n, int64(h1)-int64(h0), index, float64(index)/float64(max(n, 1)))
	b.ReportMetric(float64(index)/float64(max(n, 1)), "index-B/demand")
	// a demand recorded, then a search: the index reads that one again
	if _, err := dk.RecordDemand(benchDemand(12_345_678)); err != nil {
		b.Fatal(err)
	}
	c0 = cpuTime()
	if _, total, err := dk.DemandsFound(DemandQuery{Text: "13800001234"}); err != nil || total == 0 {
		b.Fatal(total, err)
	}
	b.Logf("the search after a change: %.1f CPU ms", float64(cpuTime()-c0)/float64(time.Millisecond))
	for _, q := range []string{"138 0000 1234", "王医生"} {
		b.Run(q, func(b *testing.B) {
			c0 := cpuTime()
			total, calls := 0, 0
			for b.Loop() {
				calls++
				_, t, err := dk.DemandsFound(DemandQuery{Text: q})
				if err != nil {
					b.Fatal(err)
				}
				total = t
			}
			b.ReportMetric(float64(cpuTime()-c0)/float64(time.Millisecond)/float64(calls), "cpu-ms/op")
			b.ReportMetric(float64(total), "results")
		})
	}
}

// contactBenchDemands is how many demands BenchmarkContactSearch records
// without RELIEFMESH_BENCH_STORE.
const contactBenchDemands = 10_000
