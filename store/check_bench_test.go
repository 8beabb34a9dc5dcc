package store

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// BenchmarkCheckFixture measures the open-time check of the records against
// the feeds (checkRecords) on a copy of the fixture named by
// RELIEFMESH_BENCH_FIXTURE (skipped when unset): the store is opened without
// it (SkipCheck), then the check runs alone. It reports the check's wall and
// CPU time, its passes, the records and changes it read, and the Go heap it
// added at its peak (sampled every 10 ms).
//
//	RELIEFMESH_BENCH_FIXTURE=DIR go test ./store/ -run '^$' -bench CheckFixture -benchtime 1x -timeout 30m
func BenchmarkCheckFixture(b *testing.B) {
	src := os.Getenv(openBenchFixture)
	if src == "" {
		b.Skipf("set %s to a directory built by bench/cmd/rmfixture", openBenchFixture)
	}
	dir := filepath.Join(b.TempDir(), "data")
	if out, err := exec.Command("cp", "-a", src, dir).CombinedOutput(); err != nil {
		b.Fatalf("copy fixture %s: %v: %s", src, err, out)
	}
	s, err := Open(dir, Options{SkipCheck: true})
	if err != nil {
		b.Fatalf("open %s: %v", dir, err)
	}
	defer s.Close()
	var wall, cpu, peak float64
	var rep CheckReport
	for b.Loop() {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapAlloc
		stop := make(chan struct{})
		done := make(chan uint64)
		go func() {
			var top uint64
			t := time.NewTicker(10 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					done <- top
					return
				case <-t.C:
					var m runtime.MemStats
					runtime.ReadMemStats(&m)
					top = max(top, m.HeapAlloc)
				}
			}
		}()
		c0, t0 := cpuSeconds(b), time.Now()
		rep, err = s.checkRecords(nil, nil)
		wall, cpu = time.Since(t0).Seconds(), cpuSeconds(b)-c0
		close(stop)
		if top := <-done; top > base {
			peak = float64(top-base) / (1 << 20)
		}
		if err != nil {
			b.Fatal(err)
		}
		if rep.Damaged() {
			b.Fatalf("the fixture is damaged: %+v", rep)
		}
	}
	b.ReportMetric(wall, "check-s")
	b.ReportMetric(cpu, "check-cpu-s")
	b.ReportMetric(float64(rep.Passes), "passes")
	b.ReportMetric(float64(rep.Records), "records")
	b.ReportMetric(float64(rep.Changes), "changes")
	b.ReportMetric(peak, "heap-added-MiB")
}
