package app

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/internal/memlimit"
	"github.com/reliefmesh/reliefmesh/store"
)

// cpuNow returns the CPU time (user and system) this process has used, in
// seconds (getrusage: independent of the machine's load, unlike wall time).
func cpuNow(b *testing.B) float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// BenchmarkOpenFirstScreen measures the desktop's open to its first screen
// on the fixture named by RELIEFMESH_BENCH_FIXTURE (skipped when unset):
// app.New (the store's open), then the demand list's first page
// (first-list), then the inbox's first page (first-inbox: it waits for the
// views the open builds after it returned, open_settle.go), each as the
// wall and CPU seconds since New began, and the memory after the open and,
// with RELIEFMESH_BENCH_IDLE=DURATION (e.g. 120s), after that idle time:
// RSS split into anonymous and file-backed pages, and the Go heap. The
// fixture is copied first, unless RELIEFMESH_BENCH_INPLACE is set: a views
// snapshot is keyed by the program's build, so prepare one with the same
// test binary (go test -c) by a first in-place run, whose Shutdown writes
// it, then measure with a second. RELIEFMESH_BENCH_MEMLIMIT=1 applies the
// desktop's memory setting (internal/memlimit) first, as main does;
// RELIEFMESH_BENCH_CPUPROFILE=PATH profiles from New to the inbox's answer
// (to the first demand page with RELIEFMESH_BENCH_PROFILE_LIST=1);
// RELIEFMESH_BENCH_HEAPPROFILE=PATH writes a heap profile at the idle
// reading (after a GC: inuse_space is the live heap by allocation site);
// RELIEFMESH_BENCH_AFTERCHECK=1 waits for the records' check the open may
// start (store.Store.CheckDone) before the idle time, so that the idle
// reading is not the check's, and a first run lets it finish (it is then
// not due at the next open, whose snapshot holds its note).
// One iteration per process (-benchtime 1x).
//
//	RELIEFMESH_BENCH_FIXTURE=DIR go test -c -o app.test ./app/
//	RELIEFMESH_BENCH_FIXTURE=DIR RELIEFMESH_BENCH_INPLACE=1 ./app.test -test.run '^$' -test.bench OpenFirstScreen -test.benchtime 1x
func BenchmarkOpenFirstScreen(b *testing.B) {
	src := screensFixtureDir(b)
	dir := src
	if os.Getenv("RELIEFMESH_BENCH_INPLACE") == "" {
		dir = copyFixture(b, src)
	}
	if os.Getenv("RELIEFMESH_BENCH_MEMLIMIT") != "" {
		set := memlimit.Apply(memlimit.Desktop)
		b.Logf("memory setting: limit %d MiB, GOGC %d", set.Limit>>20, set.GCPercent)
	}
	var openWall, openCPU, listWall, listCPU, inboxWall, inboxCPU float64
	var rss, anon, file, heap, hwm, idleRSS, idleAnon, idleFile, idleHeap float64
	for b.Loop() {
		runtime.GC()
		if p := os.Getenv("RELIEFMESH_BENCH_CPUPROFILE"); p != "" {
			f, err := os.Create(p)
			if err != nil {
				b.Fatal(err)
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				b.Fatal(err)
			}
		}
		c0, t0 := cpuNow(b), time.Now()
		a := New(dir, store.Options{})
		if info := a.Network.Info(); info.StartupError != "" {
			b.Fatalf("open %s: %s", dir, info.StartupError)
		}
		openWall, openCPU = time.Since(t0).Seconds(), cpuNow(b)-c0
		if st, err := a.store(); err == nil {
			var changes uint64
			for _, seq := range st.VersionVector() {
				changes += seq
			}
			b.Logf("%s: %d signed changes held", dir, changes)
		}
		page, err := a.Demands.List(DemandQuery{Limit: 50})
		if err != nil || len(page.Items) == 0 {
			b.Fatalf("first demand page: %v (%d items)", err, len(page.Items))
		}
		listWall, listCPU = time.Since(t0).Seconds(), cpuNow(b)-c0
		if os.Getenv("RELIEFMESH_BENCH_CPUPROFILE") != "" && os.Getenv("RELIEFMESH_BENCH_PROFILE_LIST") != "" {
			pprof.StopCPUProfile()
		}
		_, err = a.Inbox.Page(InboxQuery{})
		var e *Error
		if errors.As(err, &e) && e.Code == CodeBuilding { // said at once; the UI reads again when they are built
			<-a.ViewsBuilt()
			_, err = a.Inbox.Page(InboxQuery{})
		}
		if err != nil {
			b.Fatalf("first inbox page: %v", err)
		}
		inboxWall, inboxCPU = time.Since(t0).Seconds(), cpuNow(b)-c0
		if os.Getenv("RELIEFMESH_BENCH_CPUPROFILE") != "" && os.Getenv("RELIEFMESH_BENCH_PROFILE_LIST") == "" {
			pprof.StopCPUProfile()
		}
		if os.Getenv("RELIEFMESH_BENCH_MEMLIMIT") != "" {
			<-a.ViewsBuilt()
			set, live := memlimit.ApplyLive(memlimit.Desktop)
			b.Logf("memory limit from the live heap (%d MiB): %d MiB, GOGC %d", live>>20, set.Limit>>20, set.GCPercent)
		}
		rss, hwm, heap, anon, file = memParts(b)
		if os.Getenv("RELIEFMESH_BENCH_AFTERCHECK") != "" {
			st, err := a.store()
			if err != nil {
				b.Fatal(err)
			}
			<-st.CheckDone()
			b.Logf("records' check done %.1f s after New began", time.Since(t0).Seconds())
		}
		if d, err := time.ParseDuration(os.Getenv("RELIEFMESH_BENCH_IDLE")); err == nil {
			time.Sleep(d)
			idleRSS, _, idleHeap, idleAnon, idleFile = memParts(b)
			logHeapSpans(b)
			if p := os.Getenv("RELIEFMESH_BENCH_HEAPPROFILE"); p != "" {
				writeHeapProfile(b, p)
			}
		}
		a.Shutdown(b.Context())
	}
	b.Logf("open %.2f s wall / %.2f s CPU; first demand page at %.2f / %.2f; first inbox page at %.2f / %.2f",
		openWall, openCPU, listWall, listCPU, inboxWall, inboxCPU)
	b.ReportMetric(openWall, "open-s")
	b.ReportMetric(openCPU, "open-cpu-s")
	b.ReportMetric(listWall, "first-list-s")
	b.ReportMetric(listCPU, "first-list-cpu-s")
	b.ReportMetric(inboxWall, "first-inbox-s")
	b.ReportMetric(inboxCPU, "first-inbox-cpu-s")
	b.ReportMetric(rss, "rss-MiB")
	b.ReportMetric(anon, "rss-anon-MiB")
	b.ReportMetric(file, "rss-file-MiB")
	b.ReportMetric(heap, "heap-MiB")
	b.ReportMetric(hwm, "peak-rss-MiB")
	b.ReportMetric(idleRSS, "idle-rss-MiB")
	b.ReportMetric(idleAnon, "idle-anon-MiB")
	b.ReportMetric(idleFile, "idle-file-MiB")
	b.ReportMetric(idleHeap, "idle-heap-MiB")
	b.ReportMetric(0, "ns/op")
}

// logHeapSpans logs how the Go heap's spans hold the live bytes: in use
// (spans with at least one live object), live objects, free in spans, idle
// spans not yet returned to the OS, and released.
func logHeapSpans(b *testing.B) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	mib := func(v uint64) float64 { return float64(v) / (1 << 20) }
	b.Logf("heap: live %.1f MiB in %.1f MiB of spans in use (%.2f×); idle %.1f MiB, released %.1f MiB; %d objects; stacks %.1f MiB; runtime other %.1f MiB (GC %.1f, mspan %.1f)",
		mib(ms.HeapAlloc), mib(ms.HeapInuse), float64(ms.HeapInuse)/float64(ms.HeapAlloc),
		mib(ms.HeapIdle), mib(ms.HeapReleased), ms.HeapObjects, mib(ms.StackInuse),
		mib(ms.OtherSys), mib(ms.GCSys), mib(ms.MSpanInuse))
	type class struct {
		size uint32
		live uint64
	}
	var cs []class
	for _, c := range ms.BySize {
		cs = append(cs, class{c.Size, c.Mallocs - c.Frees})
	}
	slices.SortFunc(cs, func(a, b class) int { return cmp.Compare(uint64(b.size)*b.live, uint64(a.size)*a.live) })
	var top []string
	for _, c := range cs[:12] {
		top = append(top, fmt.Sprintf("%d B × %d = %.1f MiB", c.size, c.live, float64(uint64(c.size)*c.live)/(1<<20)))
	}
	b.Logf("live small objects by size class: %s", strings.Join(top, "; "))
}

// writeHeapProfile writes the heap profile (after a GC) to path.
func writeHeapProfile(b *testing.B, path string) {
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		b.Fatal(err)
	}
}
