package store

import (
	"os"
	"testing"
	"time"
)

// BenchmarkApplyRemoteAtRest is BenchmarkApplyRemote (100k changes of one
// demand each, in catch-up batches of 1000, into an empty store on disk)
// with the store plaintext and encrypted at rest, and then the Open of the
// 100k store (which reads and folds every record). It reports changes/s,
// open-s, the CPU time (user + system) of the ingest and of the open, which
// a loaded machine disturbs less than wall time, the data directory's size and the process's peak RSS (VmHWM: run
// one sub-benchmark per process to compare it, e.g. -bench 'AtRest/plain').
func BenchmarkApplyRemoteAtRest(b *testing.B) {
	for _, encrypted := range []bool{false, true} {
		b.Run(map[bool]string{false: "plain", true: "encrypted"}[encrypted], func(b *testing.B) {
			id, changes := benchRun(b)
			var key []byte
			if encrypted {
				key, _ = NewStoreKey()
			}
			var elapsed, open time.Duration
			var ingestCPU, openCPU float64
			var size int64
			for b.Loop() {
				dir := b.TempDir()
				clk := time.Date(2020, 1, 26, 8, 0, 0, 0, time.UTC)
				opts := Options{Clock: func() time.Time { return clk }, EncryptionKey: key, ValueLogGCInterval: -1}
				s, err := Open(dir, opts)
				if err != nil {
					b.Fatal(err)
				}
				if err := s.JoinNetwork(benchNetwork); err != nil {
					b.Fatal(err)
				}
				seedBenchRoster(b, s, id)
				start, c0 := time.Now(), cpuSeconds(b)
				applyAll(b, s, changes)
				elapsed += time.Since(start)
				ingestCPU += cpuSeconds(b) - c0
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
				start, c0 = time.Now(), cpuSeconds(b)
				s, err = Open(dir, opts)
				if err != nil {
					b.Fatal(err)
				}
				open += time.Since(start)
				openCPU += cpuSeconds(b) - c0
				if got := s.VersionVector().Get(id); got != benchRunLen {
					b.Fatalf("reopened at seq %d; want %d", got, benchRunLen)
				}
				s.Close()
				size = dirSize(b, dir)
			}
			_, _, _, hwm := procMem(b)
			b.ReportMetric(float64(b.N*len(changes))/elapsed.Seconds(), "changes/s")
			b.ReportMetric(open.Seconds()/float64(b.N), "open-s")
			b.ReportMetric(ingestCPU/float64(b.N), "ingest-cpu-s")
			b.ReportMetric(openCPU/float64(b.N), "open-cpu-s")
			b.ReportMetric(float64(size)/(1<<20), "dir-MiB")
			b.ReportMetric(hwm, "peak-rss-MiB")
		})
	}
}

func dirSize(tb testing.TB, dir string) int64 {
	var n int64
	entries, err := os.ReadDir(dir + "/db")
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		if fi, err := e.Info(); err == nil {
			n += fi.Size()
		}
	}
	return n
}
