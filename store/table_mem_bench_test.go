package store

import (
	"runtime"
	"testing"
	"time"
)

// BenchmarkIdleDemandTable measures the live heap of the demand list's
// indexes for N demands (RELIEFMESH_BENCH_DEMANDS, default 300,000) shaped
// like the Wuhan sheets (benchLikeRows): the table built from the rows
// (fillTable, as an open does: its lookups by id and code, keys, texts'
// arena, order, postings, points) and the duplicate-key view built from
// them (similarView.reset and settle), each as live bytes per demand after
// a GC (the rows themselves are made before and not counted), and the CPU
// of one lookup by id (the table's row) over every id.
//
//	go test ./store/ -run '^$' -bench IdleDemandTable -benchtime 1x
func BenchmarkIdleDemandTable(b *testing.B) {
	n := benchDemands(b)
	rows := benchLikeRows(n)
	ids := make([]string, n)
	for i, r := range rows {
		ids[i] = r.id
	}
	var table, view int64
	var lookup time.Duration
	for b.Loop() {
		base := liveHeap()
		t := buildTable(rows)
		mid := liveHeap()
		var v similarView
		v.reset(similarOf(t.slots, nil))
		v.settle()
		view = liveHeap() - mid
		table = mid - base
		c0 := cpuTime()
		for _, id := range ids {
			if _, ok := t.row(id); !ok {
				b.Fatalf("row %s missing", id)
			}
		}
		lookup = cpuTime() - c0
		runtime.KeepAlive(t)
		runtime.KeepAlive(&v)
	}
	b.ReportMetric(float64(table)/float64(n), "table-B/demand")
	b.ReportMetric(float64(view)/float64(n), "similar-B/demand")
	b.ReportMetric(float64(lookup.Nanoseconds())/float64(n), "lookup-cpu-ns")
	b.ReportMetric(0, "ns/op")
}
