package store

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/relief"
)

// benchLikeRows returns n demand rows shaped like the 2020 Wuhan sheets (an
// organisation of about a thousand, a full phone each, an address with a
// house number), as the demand list holds them.
func benchLikeRows(n int) []*demandRow {
	districts := []string{"江岸区", "江汉区", "硚口区", "汉阳区", "武昌区", "青山区", "洪山区", "东西湖区", "黄陂区", "新洲区"}
	rows := make([]*demandRow, n)
	for i := range rows {
		d := districts[i%len(districts)]
		rows[i] = newDemandRow(relief.Demand{
			ID: fmt.Sprintf("d%025d", i), Title: fmt.Sprintf("%s第%d人民医院急需医用防护物资", d, i%97+1), Status: relief.StatusCollected,
			District: d, RequesterOrg: fmt.Sprintf("%s第%d人民医院", d, i%97+1),
			Address:  fmt.Sprintf("武汉市%s解放大道%d号住院部%d楼", d, 100+i%900, i%12+1),
			Contacts: []relief.Contact{{Name: "采购科 王医生", Phone: fmt.Sprintf("+86138%08d", i)}},
		})
	}
	return rows
}

// cpuTime returns the CPU time (user and system) the process used so far:
// on a machine shared with other work it says more than the wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSimilarViewBuild measures the duplicate-key view of 100,000
// demands: the time to build it from the rows (what loading the store or a
// roster change adds to the rebuild of the demand list, on every core) and
// the heap it holds (bytes per demand: the view's extra memory).
//
//	go test ./store/ -run '^$' -bench SimilarView -benchtime 3x
func BenchmarkSimilarViewBuild(b *testing.B) {
	const n = 100_000
	rows := benchLikeRows(n)
	var v similarView
	var before, after runtime.MemStats
	var cpu time.Duration
	for b.Loop() {
		v = similarView{}
		runtime.GC()
		runtime.ReadMemStats(&before)
		c0 := cpuTime()
		v.reset(similarOf(rows, nil))
		cpu += cpuTime() - c0
		runtime.GC()
		runtime.ReadMemStats(&after)
	}
	b.ReportMetric(float64(cpu)/float64(b.N)/float64(time.Millisecond), "cpu-ms/op")
	if v.held != n {
		b.Fatalf("view holds %d likenesses; want %d", v.held, n)
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "view-B/demand")
	runtime.KeepAlive(rows)
}

// BenchmarkSimilarViewRefold measures the view's part of the rebuild of the
// demand list after a roster change: the rows are new but their fields are
// those of the view's items, whose likenesses are reused.
func BenchmarkSimilarViewRefold(b *testing.B) {
	const n = 100_000
	rows := benchLikeRows(n)
	var v similarView
	v.reset(similarOf(rows, nil))
	var cpu time.Duration
	for b.Loop() {
		c0 := cpuTime()
		v.reset(similarOf(rows, &v))
		cpu += cpuTime() - c0
	}
	b.ReportMetric(float64(cpu)/float64(b.N)/float64(time.Millisecond), "cpu-ms/op")
	if v.held != n {
		b.Fatalf("view holds %d items; want %d", v.held, n)
	}
}

// BenchmarkSimilarViewLookup measures one lookup among 100,000 demands
// (SimilarDemands' work without the lock and the copies): a demand sharing
// its organisation with about 100 others and its house number with about 110.
func BenchmarkSimilarViewLookup(b *testing.B) {
	const n = 100_000
	rows := benchLikeRows(n)
	var v similarView
	v.reset(similarOf(rows, nil))
	probe := relief.DemandLikeness(rows[n/2].view())
	found := 0
	for b.Loop() {
		found = len(v.similar(probe))
	}
	if found == 0 {
		b.Fatalf("similar(demand %d's likeness) = none; want at least itself", n/2)
	}
	b.ReportMetric(float64(found), "similar")
}

// BenchmarkSimilarViewFlags measures the duplicate flags every peer keeps
// (duplicates.go) for 100,000 demands: building the view and settling the
// flag of every demand, as loading the store does, and the heap the view
// then holds (bytes per demand).
func BenchmarkSimilarViewFlags(b *testing.B) {
	const n = 100_000
	rows := benchLikeRows(n)
	var cpu time.Duration
	flagged := 0
	var before, after runtime.MemStats
	for b.Loop() {
		var v similarView
		runtime.GC()
		runtime.ReadMemStats(&before)
		c0 := cpuTime()
		v.reset(similarOf(rows, nil))
		v.settle()
		cpu += cpuTime() - c0
		runtime.GC()
		runtime.ReadMemStats(&after)
		flagged = len(v.flags())
	}
	b.ReportMetric(float64(cpu)/float64(b.N)/float64(time.Millisecond), "cpu-ms/op")
	b.ReportMetric(float64(flagged), "flagged")
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "view-B/demand")
}
