package app

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/reliefmesh/reliefmesh/store"
)

// envBenchFixture names the data directory BenchmarkScreens opens: one built
// by bench/cmd/rmfixture (it holds fixture.json), or "build" to have the
// benchmark run rmfixture, which builds the fixture once under the temp dir
// and reuses it afterwards.
const envBenchFixture = "RELIEFMESH_BENCH_FIXTURE"

// screensFixture is the part of bench/fixture's Manifest the benchmark reads
// (the app module cannot import the bench module, which requires it).
type screensFixture struct {
	Version int `json:"version"`
	Spec    struct {
		Demands    int `json:"demands"`
		Volunteers int `json:"volunteers"`
		Offers     int `json:"offers"`
		Tasks      int `json:"tasks"`
	} `json:"spec"`
	Members []struct {
		Device  string `json:"device"`
		Role    string `json:"role"`
		KeyFile string `json:"key_file"`
	} `json:"members"`
	BusiestDemand  string `json:"busiest_demand"`
	TasksOfBusiest int    `json:"tasks_of_busiest"`
	SampleDemand   string `json:"sample_demand"`
}

// screensFixtureDir returns the fixture directory named by envBenchFixture,
// running bench/cmd/rmfixture when it says "build", and skips b when it is
// unset.
func screensFixtureDir(b *testing.B) string {
	src := os.Getenv(envBenchFixture)
	switch src {
	case "":
		b.Skipf("set %s to a directory built by bench/cmd/rmfixture, or to \"build\"", envBenchFixture)
	case "build":
		cmd := exec.Command("go", "run", "./cmd/rmfixture")
		cmd.Dir = filepath.Join("..", "bench")
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("go run ./cmd/rmfixture in ../bench: %v", err)
		}
		lines := strings.Fields(strings.TrimSpace(string(out)))
		if len(lines) == 0 {
			b.Fatal("rmfixture printed no directory")
		}
		src = lines[len(lines)-1]
	}
	return src
}

// copyFixture copies the fixture src into a fresh directory, so that opening
// it (Badger's own housekeeping) and the benchmark's key swap never change
// the cached fixture.
func copyFixture(b *testing.B, src string) string {
	dst := filepath.Join(b.TempDir(), "data")
	if out, err := exec.Command("cp", "-a", src, dst).CombinedOutput(); err != nil {
		b.Fatalf("copy fixture %s: %v: %s", src, err, out)
	}
	return dst
}

// memNow returns this process's resident set (VmRSS) and peak (VmHWM) from
// /proc/self/status, in MiB, and the Go heap in use after a GC, in MiB.
func memNow(b *testing.B) (rss, hwm, heap float64) {
	rss, hwm, heap, _, _ = memParts(b)
	return rss, hwm, heap
}

// memParts is memNow with the RSS split into anonymous memory (the Go heap,
// stacks, runtime) and file-backed pages (Badger's memory-mapped tables and
// value log, which the kernel may drop), in MiB (0 when /proc lacks them).
func memParts(b *testing.B) (rss, hwm, heap, anon, file float64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	heap = float64(ms.HeapAlloc) / (1 << 20)
	f, err := os.Open("/proc/self/status")
	if err != nil {
		b.Logf("no /proc/self/status: %v", err)
		return 0, 0, heap, 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || (name != "VmRSS" && name != "VmHWM" && name != "RssAnon" && name != "RssFile") {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
		if err != nil {
			b.Fatalf("parse %s in /proc/self/status: %v", name, err)
		}
		switch name {
		case "VmRSS":
			rss = kb / 1024
		case "VmHWM":
			hwm = kb / 1024
		case "RssAnon":
			anon = kb / 1024
		case "RssFile":
			file = kb / 1024
		}
	}
	return rss, hwm, heap, anon, file
}

// screen is one call a screen of the UI makes, through the bound service.
type screen struct {
	name string
	call func() (any, error)
	// nonEmpty says the fixture guarantees a non-empty answer; an empty one
	// then fails the benchmark (a broken fixture or service, not a fast one).
	nonEmpty bool
}

// measureScreen runs s under b: each iteration is the call plus its JSON
// marshal, as Wails sends it; it reports p50, p99 and max milliseconds, the
// CPU the calling thread spent per call (p50 and mean, microseconds: the
// figure that holds on a loaded machine), the process's allocations per call
// (objects and bytes; background work running meanwhile counts too) and the
// size of the JSON in bytes, and the collections that ended meanwhile (gcs).
// The goroutine is locked to its thread so that
// the thread's CPU clock is the call's.
func measureScreen(b *testing.B, s screen) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var ds, cpus []time.Duration
	size := 0
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	n := 0
	for b.Loop() {
		c0, t0 := threadCPU(), time.Now()
		v, err := s.call()
		if err != nil {
			b.Fatalf("%s: %v", s.name, err)
		}
		j, err := json.Marshal(v)
		if err != nil {
			b.Fatalf("%s: marshal: %v", s.name, err)
		}
		ds = append(ds, time.Since(t0))
		cpus = append(cpus, threadCPU()-c0)
		n++
		size = len(j)
		if s.nonEmpty && (bytes.Equal(j, []byte("[]")) || bytes.Equal(j, []byte("null"))) {
			b.Fatalf("%s: empty answer %s on the fixture", s.name, j)
		}
	}
	runtime.ReadMemStats(&m1)
	var cpuSum time.Duration
	for _, c := range cpus {
		cpuSum += c
	}
	slices.Sort(ds)
	slices.Sort(cpus)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	us := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
	b.ReportMetric(ms(ds[len(ds)/2]), "p50-ms")
	b.ReportMetric(ms(ds[min(len(ds)-1, len(ds)*99/100)]), "p99-ms")
	b.ReportMetric(ms(ds[len(ds)-1]), "max-ms")
	b.ReportMetric(us(cpus[len(cpus)/2]), "cpu-p50-us")
	b.ReportMetric(us(cpuSum)/float64(n), "cpu-mean-us")
	b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/float64(n), "allocs/call")
	b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/float64(n), "B/call")
	b.ReportMetric(float64(size), "json-bytes")
	b.ReportMetric(float64(m1.NumGC-m0.NumGC), "gcs") // collections ended during the calls (the process's)
}

// threadCPU returns the CPU time the calling OS thread has used (Linux
// CLOCK_THREAD_CPUTIME_ID, to the nanosecond, where RUSAGE_THREAD counts in
// ticks); 0 where it cannot be read.
func threadCPU() time.Duration {
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 3 /* CLOCK_THREAD_CPUTIME_ID */, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}

// reportMem reports the process's memory as a sub-benchmark's metrics.
func reportMem(b *testing.B, name string) {
	b.Run(name, func(b *testing.B) {
		var rss, hwm, heap, anon, file float64
		for b.Loop() {
			rss, hwm, heap, anon, file = memParts(b)
		}
		b.ReportMetric(anon, "rss-anon-MiB")
		b.ReportMetric(file, "rss-file-MiB")
		b.ReportMetric(rss, "rss-MiB")
		b.ReportMetric(hwm, "peak-rss-MiB")
		b.ReportMetric(heap, "heap-MiB")
		b.ReportMetric(0, "ns/op")
	})
}

// BenchmarkScreens measures issue 11's targets through the bound services, on
// the fixture named by RELIEFMESH_BENCH_FIXTURE (skipped when unset; see
// envBenchFixture): by default 100,000 demands, 20,000 volunteers, 20,000
// offers and 50,000 tasks, spread over a coordinator and 20 members. The
// fixture is copied to a temporary directory and opened with New, as the
// desktop app does (without a window or a node), as its coordinator.
//
// Each sub-benchmark is one screen's call plus its JSON marshal and reports
// p50, p99 and max milliseconds and the JSON's size in bytes: inbox (as the
// coordinator and, reopened with a volunteer's key, as a volunteer), overdue
// demands, leaderboard, volunteers, offers (all and a search), tasks of a
// demand, demand detail, the network screen's Info and Members. open/ reports
// how long New took; memory/ the process's RSS, its peak and the Go heap after
// open and after one round of every screen.
//
// The calls that fold every record take seconds each on today's code, so run
// them with few iterations and the rest with more:
//
//	RELIEFMESH_BENCH_FIXTURE=build go test ./app/ -run '^$' -bench 'Screens' -benchtime 3x -timeout 60m
//	RELIEFMESH_BENCH_FIXTURE=DIR go test ./app/ -run '^$' -bench 'Screens/(detail|tasks|network|memory)' -benchtime 200x
func BenchmarkScreens(b *testing.B) {
	src := screensFixtureDir(b)
	raw, err := os.ReadFile(filepath.Join(src, "fixture.json"))
	if err != nil {
		b.Fatalf("%s is not a fixture built by bench/cmd/rmfixture: %v", src, err)
	}
	var fx screensFixture
	if err := json.Unmarshal(raw, &fx); err != nil {
		b.Fatalf("read %s/fixture.json: %v", src, err)
	}
	var volunteerKey string
	for _, m := range fx.Members {
		if m.Role == "volunteer" {
			volunteerKey = filepath.Join(src, m.KeyFile)
			break
		}
	}
	if fx.BusiestDemand == "" || fx.SampleDemand == "" || volunteerKey == "" {
		b.Fatalf("fixture %s lacks a busiest demand, a sample demand or a volunteer: %+v", src, fx)
	}
	dir := copyFixture(b, src)

	t0 := time.Now()
	a := New(dir, store.Options{})
	opened := time.Since(t0)
	if info := a.Network.Info(); info.StartupError != "" {
		b.Fatalf("open fixture copy %s: %s", dir, info.StartupError)
	}
	b.Cleanup(func() { a.Shutdown(b.Context()) })
	b.Run("open", func(b *testing.B) {
		for b.Loop() {
		}
		b.ReportMetric(float64(opened)/float64(time.Millisecond), "open-ms")
		b.ReportMetric(0, "ns/op")
	})
	b.Logf("fixture %s (v%d: %d demands, %d volunteers, %d offers, %d tasks) opened in %v",
		src, fx.Version, fx.Spec.Demands, fx.Spec.Volunteers, fx.Spec.Offers, fx.Spec.Tasks, opened.Round(time.Millisecond))
	reportMem(b, "memory/after-open")

	screens := []screen{
		{"inbox/coordinator", func() (any, error) { return a.Inbox.List() }, true},
		{"overdue", func() (any, error) { return a.Demands.List(DemandQuery{Overdue: true, Limit: 100}) }, false},
		{"leaderboard", func() (any, error) { return a.Points.Leaderboard() }, true},
		{"volunteers", func() (any, error) { return a.Volunteers.List() }, true},
		{"offers/all", func() (any, error) { return a.Offers.List("") }, true},
		{"offers/text", func() (any, error) { return a.Offers.List("口罩") }, true},
		{"tasks/busiest-demand", func() (any, error) { return a.Tasks.ForDemand(fx.BusiestDemand) }, true},
		{"tasks/sample-demand", func() (any, error) { return a.Tasks.ForDemand(fx.SampleDemand) }, false},
		{"detail/busiest-demand", func() (any, error) { return a.Demands.Get(fx.BusiestDemand) }, true},
		{"detail/sample-demand", func() (any, error) { return a.Demands.Get(fx.SampleDemand) }, true},
		{"demands/first-page", func() (any, error) { return a.Demands.List(DemandQuery{Limit: 100}) }, true},
		{"network/info", func() (any, error) { return a.Network.Info(), nil }, true},
		{"network/members", func() (any, error) { return a.Network.Members() }, true},
	}
	for _, s := range screens {
		b.Run(s.name, func(b *testing.B) { measureScreen(b, s) })
	}
	// One call of each, whatever -bench selected, before the memory figure.
	for _, s := range screens {
		if _, err := s.call(); err != nil {
			b.Fatalf("%s: %v", s.name, err)
		}
	}
	reportMem(b, "memory/after-screens")
	if tasks, err := a.Tasks.ForDemand(fx.BusiestDemand); err != nil || len(tasks) < fx.TasksOfBusiest {
		b.Fatalf("Tasks.ForDemand(busiest) = %d tasks, %v; the fixture gave it at least %d", len(tasks), err, fx.TasksOfBusiest)
	}

	// The volunteer's inbox: the same copy reopened with a volunteer's key as
	// the device key.
	a.Shutdown(b.Context())
	key, err := os.ReadFile(volunteerKey)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, store.KeyFile), key, 0o600); err != nil {
		b.Fatal(err)
	}
	v := New(dir, store.Options{})
	b.Cleanup(func() { v.Shutdown(b.Context()) })
	if info := v.Network.Info(); info.StartupError != "" || info.Role != "volunteer" {
		b.Fatalf("reopened as a volunteer: %+v", info)
	}
	b.Run("inbox/volunteer", func(b *testing.B) {
		measureScreen(b, screen{"inbox/volunteer", func() (any, error) { return v.Inbox.List() }, true})
	})
}
