package store

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/relief"
)

// BenchmarkTablePagesFixture opens the fixture named by
// RELIEFMESH_BENCH_FIXTURE (as BenchmarkOpenFixture: a copy, or in place with
// RELIEFMESH_BENCH_INPLACE=1 so that its views snapshot is used) and asks
// DemandsPage for pages of 50 rows as the list screen does (first page, a
// status, a district, a Chinese search, sorted by urgency and by reply-by,
// a deep offset), 200 times each: it reports the wall p50 and p99 of a page
// over all of them and those of the page's CPU (its thread's: the machine's
// load and the open's background work aside), and the Go heap held after
// the open (HeapAlloc after a GC). Each
// page decodes the packed list views of the rows it returns.
//
//	RELIEFMESH_BENCH_FIXTURE=DIR RELIEFMESH_BENCH_INPLACE=1 go test ./store/ -run '^$' -bench TablePagesFixture -benchtime 1x
func BenchmarkTablePagesFixture(b *testing.B) {
	src := os.Getenv(openBenchFixture)
	if src == "" {
		b.Skipf("set %s to a directory built by bench/cmd/rmfixture", openBenchFixture)
	}
	dir := filepath.Join(b.TempDir(), "data")
	if os.Getenv("RELIEFMESH_BENCH_INPLACE") != "" {
		dir = src
	} else if out, err := exec.Command("cp", "-a", src, dir).CombinedOutput(); err != nil {
		b.Fatalf("copy fixture %s: %v: %s", src, err, out)
	}
	s, err := Open(dir, Options{})
	if err != nil {
		b.Fatalf("open %s: %v", dir, err)
	}
	defer s.Close()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	first, _, err := s.DemandsPage(DemandQuery{Limit: 1})
	if err != nil || len(first) == 0 {
		b.Fatalf("first page: %v, %d rows", err, len(first))
	}
	qs := []DemandQuery{
		{Limit: 50},
		{Status: relief.StatusPublished, Limit: 50},
		{District: first[0].District, Limit: 50},
		{Text: "医院", Limit: 50},
		{Sort: SortUrgency, Limit: 50},
		{Sort: SortReplyBy, Limit: 50},
		{Offset: 5000, Limit: 50},
	}
	var walls, cpus []time.Duration
	rows := 0
	// The open's background work (the records' check) runs meanwhile: the
	// CPU of a page is its thread's (RUSAGE_THREAD), the goroutine locked
	// to it.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for b.Loop() {
		for range 200 {
			for _, q := range qs {
				c0, t0 := threadCPU(), time.Now()
				page, _, err := s.DemandsPage(q)
				walls = append(walls, time.Since(t0))
				cpus = append(cpus, threadCPU()-c0)
				if err != nil {
					b.Fatal(err)
				}
				rows += len(page)
			}
		}
	}
	if rows == 0 {
		b.Fatal("every page empty")
	}
	slices.Sort(walls)
	slices.Sort(cpus)
	ms2 := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms2(walls[len(walls)/2]), "page-p50-ms")
	b.ReportMetric(ms2(walls[len(walls)*99/100]), "page-p99-ms")
	b.ReportMetric(ms2(cpus[len(cpus)/2]), "page-cpu-p50-ms")
	b.ReportMetric(ms2(cpus[len(cpus)*99/100]), "page-cpu-p99-ms")
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MiB")
	b.ReportMetric(0, "ns/op")
}
