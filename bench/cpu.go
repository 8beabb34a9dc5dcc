package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"sync"
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user + system) this process has used so far,
// from getrusage. Divided by the work done between two readings it gives a
// cost that barely depends on what else runs on the machine, unlike a
// wall-clock rate.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Memory is the process's resident memory split as /proc/self/status does:
// anonymous pages (the Go heap, Badger's memtables and caches) and
// file-backed pages (mapped tables and value logs, which the kernel may drop
// and read again), in bytes.
type Memory struct {
	Anon int64 `json:"rss_anon_bytes"`
	File int64 `json:"rss_file_bytes"`
}

// memNow reads RssAnon and RssFile of this process.
func memNow() Memory {
	return Memory{Anon: statusKB("RssAnon"), File: statusKB("RssFile")}
}

// memPeak samples memNow every interval until stop is called, which returns
// the highest RssAnon and RssFile seen (each its own maximum, not
// necessarily at the same moment).
func memPeak(interval time.Duration) (stop func() Memory) {
	var (
		mu   sync.Mutex
		peak = memNow()
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	sample := func() {
		m := memNow()
		mu.Lock()
		peak.Anon = max(peak.Anon, m.Anon)
		peak.File = max(peak.File, m.File)
		mu.Unlock()
	}
	wg.Go(func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				sample()
			}
		}
	})
	return func() Memory {
		close(done)
		wg.Wait()
		sample()
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

// Cost is what a piece of work cost this process: CPU time per change (the
// load-independent figure), Go allocations per change and garbage
// collections, beside the wall-clock rate.
type Cost struct {
	CPUMicrosPerChange  float64 `json:"cpu_us_per_change"`
	AllocsPerChange     float64 `json:"allocs_per_change"`
	AllocBytesPerChange float64 `json:"alloc_bytes_per_change"`
	GCs                 uint32  `json:"gcs"`
	GCPauseMillis       float64 `json:"gc_pause_ms"`
	// BusyPs is how many of the Go scheduler's processors (GOMAXPROCS) were
	// busy on average over the work: GOMAXPROCS minus the share runtime/metrics
	// counts idle (/cpu/classes/idle over /cpu/classes/total). It says how
	// many cores the work keeps busy by its own design; unlike CPU time over
	// wall time it does not fall when other processes take the cores (a
	// processor whose thread waits for a core still counts as busy).
	BusyPs float64 `json:"busy_ps"`
}

// costMeter measures a Cost from its start until done.
type costMeter struct {
	cpu        time.Duration
	ms         runtime.MemStats
	idle, over float64 // /cpu/classes idle and total seconds at the start
}

// procSeconds returns the Go scheduler's idle and total processor seconds
// (runtime/metrics /cpu/classes/idle and /cpu/classes/total).
func procSeconds() (idle, total float64) {
	s := []metrics.Sample{{Name: "/cpu/classes/idle:cpu-seconds"}, {Name: "/cpu/classes/total:cpu-seconds"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64 || s[1].Value.Kind() != metrics.KindFloat64 {
		return 0, 0
	}
	return s[0].Value.Float64(), s[1].Value.Float64()
}

func startCost() *costMeter {
	m := &costMeter{}
	runtime.ReadMemStats(&m.ms)
	m.idle, m.over = procSeconds()
	m.cpu = cpuTime()
	return m
}

// done returns the cost of the work since startCost, n changes of it.
func (m *costMeter) done(n int) Cost {
	cpu := cpuTime() - m.cpu
	idle, total := procSeconds()
	busy := 0.0
	if total > m.over {
		busy = float64(runtime.GOMAXPROCS(0)) * (1 - (idle-m.idle)/(total-m.over))
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	n = max(n, 1)
	return Cost{
		CPUMicrosPerChange:  float64(cpu.Microseconds()) / float64(n),
		AllocsPerChange:     float64(ms.Mallocs-m.ms.Mallocs) / float64(n),
		AllocBytesPerChange: float64(ms.TotalAlloc-m.ms.TotalAlloc) / float64(n),
		GCs:                 ms.NumGC - m.ms.NumGC,
		GCPauseMillis:       float64(ms.PauseTotalNs-m.ms.PauseTotalNs) / 1e6,
		BusyPs:              busy,
	}
}

// SaveFeed writes feed's description beside its file (path + ".json"), so
// that LoadFeed can reuse the file in a later run instead of signing it anew.
func SaveFeed(feed *Feed) error {
	b, err := json.Marshal(feed)
	if err != nil {
		return fmt.Errorf("describe feed %s: %w", feed.Path, err)
	}
	if err := os.WriteFile(feed.Path+".json", b, 0o644); err != nil {
		return fmt.Errorf("describe feed %s: %w", feed.Path, err)
	}
	return nil
}

// LoadFeed reads the description SaveFeed wrote of the feed file at path.
func LoadFeed(path string) (*Feed, error) {
	b, err := os.ReadFile(path + ".json")
	if err != nil {
		return nil, fmt.Errorf("read feed description: %w", err)
	}
	var f Feed
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("read feed description %s.json: %w", path, err)
	}
	if _, err := os.Stat(f.Path); err != nil {
		return nil, fmt.Errorf("feed file: %w", err)
	}
	return &f, nil
}
