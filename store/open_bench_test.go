package store

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// openBenchFixture is the environment variable naming a fixture directory
// built by bench/cmd/rmfixture (100,000 demands, 20,000 volunteers, 20,000
// offers, 50,000 tasks), as app's BenchmarkScreens takes it.
const openBenchFixture = "RELIEFMESH_BENCH_FIXTURE"

// cpuSeconds returns the CPU time (user and system) this process has used.
func cpuSeconds(tb testing.TB) float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// procMem returns VmRSS, RssAnon, RssFile and VmHWM of this process from
// /proc/self/status, in MiB (zeros where /proc lacks them).
func procMem(tb testing.TB) (rss, anon, file, hwm float64) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		tb.Logf("no /proc/self/status: %v", err)
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
		if err != nil {
			continue
		}
		switch name {
		case "VmRSS":
			rss = kb / 1024
		case "RssAnon":
			anon = kb / 1024
		case "RssFile":
			file = kb / 1024
		case "VmHWM":
			hwm = kb / 1024
		}
	}
	return
}

// writeHeapProfile writes the heap profile (in use after a GC) to path.
func writeHeapProfile(tb testing.TB, path string) {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatalf("heap profile: %v", err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		tb.Fatalf("heap profile %s: %v", path, err)
	}
}

// BenchmarkOpenFixture opens a copy of the fixture named by
// RELIEFMESH_BENCH_FIXTURE (skipped when unset) once per iteration, with the
// options the app uses (full; full-keep-mapped: without releasing Badger's
// mapped pages, as before releaseMapped), those of the hub's bulletin export
// (export: ListOnly) and of its status (status: SkipDemandList). It reports
// the open's wall and CPU time and the process's memory once the store is
// open: RSS (and its peak, which includes the copy of the fixture's
// process-wide history) split into anonymous (Go heap, Badger's caches) and file-backed
// (Badger's memory-mapped tables and value log) pages, and the Go heap in
// use (HeapAlloc; heap-inuse: the spans holding it; heap-idle-kept: free
// spans not yet returned to the OS; runtime: stacks and the runtime's own
// structures), whether the demand list came from the views snapshot
// (from-snapshot 1) and how long the close took (close-s: it writes the
// snapshot when the open folded). The -fold modes remove the snapshot
// first; the others load it when the fixture holds one for this build (a
// snapshot is keyed by the program's build: prepare it with the same test
// binary, go test -c, mode full-fold with RELIEFMESH_BENCH_INPLACE=1 on a
// fixture copy of your own, which is then opened in place, not copied); RELIEFMESH_BENCH_HEAPPROFILE=PATH writes the heap profile after each
// open to PATH.<mode>; RELIEFMESH_BENCH_IDLE=DURATION (e.g. 120s) waits that
// long after the open before the memory is read (the idle figure: the
// records' check the open starts has ended). Run one mode per process (the Go runtime keeps memory
// from one to the next), one at a time (the machine is shared), with
// -benchtime 1x; -cpuprofile gives the CPU profile of the open.
//
//	RELIEFMESH_BENCH_FIXTURE=DIR go test ./store/ -run '^$' -bench 'OpenFixture/full$' -benchtime 1x -timeout 30m
func BenchmarkOpenFixture(b *testing.B) {
	src := os.Getenv(openBenchFixture)
	if src == "" {
		b.Skipf("set %s to a directory built by bench/cmd/rmfixture", openBenchFixture)
	}
	dir := filepath.Join(b.TempDir(), "data")
	if os.Getenv("RELIEFMESH_BENCH_INPLACE") != "" {
		dir = src // opened in place: a -fold mode leaves its snapshot there
	} else if out, err := exec.Command("cp", "-a", src, dir).CombinedOutput(); err != nil {
		b.Fatalf("copy fixture %s: %v: %s", src, err, out)
	}
	for _, mode := range []struct {
		name   string
		opts   Options
		keepFM bool // keep Badger's mapped pages (no releaseMapped)
		fold   bool // remove the views snapshot first: fold every record
	}{
		{"full-keep-mapped", Options{}, true, true},
		{"full", Options{}, false, false},
		{"full-fold", Options{}, false, true},
		{"export", Options{ListOnly: true}, false, false},
		{"export-fold", Options{ListOnly: true}, false, true},
		{"status", Options{SkipDemandList: true}, false, false},
	} {
		b.Run(mode.name, func(b *testing.B) {
			releaseMappedAfterOpen = !mode.keepFM
			defer func() { releaseMappedAfterOpen = true }()
			var wall, cpu, rss, anon, file, hwm, heap, inuse, idle, rt, closeWall, loaded float64
			for b.Loop() {
				if mode.fold {
					os.Remove(filepath.Join(dir, SnapshotFile))
				}
				runtime.GC()
				c0, t0 := cpuSeconds(b), time.Now()
				s, err := Open(dir, mode.opts)
				if err != nil {
					b.Fatalf("open %s: %v", dir, err)
				}
				wall, cpu = time.Since(t0).Seconds(), cpuSeconds(b)-c0
				if d, err := time.ParseDuration(os.Getenv("RELIEFMESH_BENCH_IDLE")); err == nil {
					time.Sleep(d) // idle: the open's background work (the records' check) ends
				}
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				heap = float64(ms.HeapAlloc) / (1 << 20)
				inuse = float64(ms.HeapInuse) / (1 << 20)
				idle = float64(ms.HeapIdle-ms.HeapReleased) / (1 << 20)
				rt = float64(ms.StackSys+ms.GCSys+ms.OtherSys+ms.MSpanSys+ms.MCacheSys+ms.BuckHashSys) / (1 << 20)
				rss, anon, file, hwm = procMem(b)
				if p := os.Getenv("RELIEFMESH_BENCH_HEAPPROFILE"); p != "" {
					writeHeapProfile(b, p+"."+mode.name)
				}
				if s.snap.loaded {
					loaded = 1
				}
				t1 := time.Now()
				if err := s.Close(); err != nil {
					b.Fatalf("close %s: %v", dir, err)
				}
				closeWall = time.Since(t1).Seconds()
			}
			b.ReportMetric(loaded, "from-snapshot")
			b.ReportMetric(closeWall, "close-s")
			b.ReportMetric(wall, "open-s")
			b.ReportMetric(cpu, "open-cpu-s")
			b.ReportMetric(rss, "rss-MiB")
			b.ReportMetric(anon, "rss-anon-MiB")
			b.ReportMetric(file, "rss-file-MiB")
			b.ReportMetric(hwm, "peak-rss-MiB")
			b.ReportMetric(heap, "heap-MiB")
			b.ReportMetric(inuse, "heap-inuse-MiB")
			b.ReportMetric(idle, "heap-idle-kept-MiB")
			b.ReportMetric(rt, "runtime-MiB")
			b.ReportMetric(0, "ns/op")
		})
	}
}
