// Command rmingest measures one thing: the ingest of a feed of N signed
// changes (one new demand each, the workload of rmbench) into an empty
// store through changestream.Apply, then the store's reopen. It reports CPU
// microseconds per change (getrusage, user + system: the figure that barely
// moves with the machine's load) beside changes/s, allocations per change,
// garbage collections, and RssAnon/RssFile at peak and idle. Repeat runs
// reuse the feed file (-feed), so that signing it is paid once.
//
//	go run ./cmd/rmingest -n 100000 -runs 3 -feed /tmp/feed-100k.bin
//	go run ./cmd/rmingest -n 1000000 -feed /tmp/feed-1m.bin -cpuprofile cpu.prof
//	go run ./cmd/rmingest -lean -n 1000000 -feed /tmp/feed-1m.bin   # as the hub's serve opens its store
//	go run ./cmd/rmingest -lean -n 1000000 -feed /tmp/feed-1m.bin -keep /tmp/store-1m
//	go run ./cmd/rmingest -role hub-lean -queries /tmp/store-1m -views   # the lean hub's queries on it
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"slices"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/ristretto/v2/z"

	"github.com/reliefmesh/reliefmesh/bench"
	"github.com/reliefmesh/reliefmesh/internal/memlimit"
	"github.com/reliefmesh/reliefmesh/store"
)

func main() {
	n := flag.Int("n", 100_000, "changes in the feed")
	feedPath := flag.String("feed", "", "feed `file` to reuse (written with its description beside it when missing; default: a temporary one)")
	runs := flag.Int("runs", 1, "ingest runs, each into a new empty store")
	work := flag.String("work", "", "`dir`ectory for stores (default: the system's temp dir)")
	memprofile := flag.String("memprofile", "", "write an allocation profile (every 64 KiB allocated) of the runs to `file`")
	role := flag.String("role", "hub", "memory setting of the process: hub, hub-lean (a hub serving from a lean store), desktop (internal/memlimit) or go (the runtime's defaults, or GOGC/GOMEMLIMIT)")
	noReopen := flag.Bool("no-reopen", false, "skip reopening each store (open time and idle memory)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the ingest runs to `file`")
	traceOut := flag.String("trace", "", "write an execution trace (runtime/trace: what each goroutine waited on, how many Ps were busy) of the ingest runs to `file`; read it with go tool trace")
	memtable := flag.Int("memtable", 0, "Badger memtable size in `MiB` (0: the store's)")
	memtables := flag.Int("memtables", 0, "Badger memtables (0: the store's)")
	blockCache := flag.Int("blockcache", -1, "Badger block cache in `MiB` (-1: the store's)")
	indexCache := flag.Int("indexcache", -1, "Badger index cache in `MiB` (-1: the store's)")
	compactors := flag.Int("compactors", 0, "Badger compactors (0: the store's)")
	keep := flag.String("keep", "", "move the (last) ingested store to `dir` (must not exist) instead of removing it, for -queries")
	queries := flag.String("queries", "", "instead of an ingest, open the store in `dir` (one kept with -keep) lean and measure its reopen, status, members and exports")
	queryFormats := flag.String("formats", "csv,json", "bulletin formats -queries exports, comma-separated")
	rosterFeed := flag.String("roster", "", "with -queries, measure roster changes signed by a coordinator of the feed `file` the store was ingested from")
	rosterNode := flag.Int("rosternode", 0, "with -roster, which of the feed's coordinator nodes signs (each once per store)")
	viaViews := flag.Bool("views", false, "with -queries, also export through the views (UseViews: what a lean hub did before streaming)")
	batch := flag.Int("batch", 0, "changes handed to ApplyRemote at a time (0: the store's preference, else changestream's default, 256; a lean store commits a batch of 512 or more in pieces of 256, the next prepared while Badger writes the one before)")
	pipe := flag.Bool("pipe", false, "with -lean, commit each feed's run in pieces, the next prepared while Badger writes the one before (store.Options.CommitPipeline)")
	noCatchUp := flag.Bool("no-catchup", false, "announce no count to the store: views kept change by change (no store.Store.BeginCatchUp)")
	tune := flag.String("badger", "", "more Badger options for the runs, comma-separated `key=value`: vthreshold (bytes), compression (none, snappy, zstd), l0tables, l0stall, basetable (MiB), baselevel (MiB), levelmult, conflicts (true/false), metrics (true/false), blocksize (bytes), bloomfp")
	idleProfile := flag.String("idle-heapprofile", "", "write a heap profile (in use, every 64 KiB allocated) at each reopen's idle sample to `file` (run i > 1: file.i), its goroutines to file.goroutines, and print the runtime's memory statistics there")
	idleWait := flag.Duration("idle-wait", time.Second, "how long after the reopen the idle memory is sampled")
	settle := flag.Duration("settle", 0, "after the idle sample, wait (at most this long) until Badger holds no table builder (its compactions after the reopen done), then sample RssAnon again (0: not)")
	lean := flag.Bool("lean", false, "open the store as `reliefmesh-hub serve` does (store.Options.Lean: no demand list or views resident)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("rmingest: ")

	switch *role {
	case "hub":
		log.Printf("memory: %+v (hub)", memlimit.Apply(memlimit.Hub))
	case "hub-lean":
		log.Printf("memory: %+v (hub-lean)", memlimit.Apply(memlimit.HubLean))
	case "desktop":
		log.Printf("memory: %+v (desktop)", memlimit.Apply(memlimit.Desktop))
	case "go":
	default:
		log.Fatalf("-role %q: want hub, hub-lean, desktop or go", *role)
	}
	if *queries != "" {
		runQueries(*queries, strings.Split(*queryFormats, ","), *viaViews, *rosterFeed, *rosterNode)
		return
	}
	path := *feedPath
	if path == "" {
		f, err := os.CreateTemp(*work, "feed-*.bin")
		if err != nil {
			log.Fatal(err)
		}
		f.Close()
		path = f.Name()
		defer os.Remove(path)
		defer os.Remove(path + ".json")
		os.Remove(path)
	}
	feed, err := bench.LoadFeed(path)
	if err != nil || feed.N != *n {
		log.Printf("writing a feed of %d changes to %s", *n, path)
		if feed, err = bench.WriteFeed(path, *n, false); err != nil {
			log.Fatal(err)
		}
		if err := bench.SaveFeed(feed); err != nil {
			log.Fatal(err)
		}
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	if *traceOut != "" {
		f, err := os.Create(*traceOut)
		if err != nil {
			log.Fatal(err)
		}
		if err := trace.Start(f); err != nil {
			log.Fatal(err)
		}
		defer trace.Stop()
	}
	if *idleProfile != "" && *memprofile == "" {
		runtime.MemProfileRate = 64 << 10
	}
	if *memprofile != "" {
		runtime.MemProfileRate = 64 << 10
		defer func() {
			f, err := os.Create(*memprofile)
			if err != nil {
				log.Fatal(err)
			}
			defer f.Close()
			if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
				log.Fatal(err)
			}
		}()
	}
	fmt.Println("| run | changes | time | changes/s | CPU µs/change | busy Ps | allocs/change | alloc B/change | GCs | peak RssAnon | peak RssFile | close | close CPU | reopen | reopen CPU | idle RssAnon | idle RssFile | disk | views built | CPU µs/change to views built |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	var cpu, rate []float64
	for i := range *runs {
		opts := store.Options{Lean: *lean, CommitPipeline: *pipe}
		more, err := badgerTuning(*tune)
		if err != nil {
			log.Fatal(err)
		}
		if *memtable > 0 || *memtables > 0 || *blockCache >= 0 || *indexCache >= 0 || *compactors > 0 || more != nil {
			opts.TuneBadger = func(o badger.Options) badger.Options {
				if *memtable > 0 {
					o = o.WithMemTableSize(int64(*memtable) << 20)
				}
				if *memtables > 0 {
					o = o.WithNumMemtables(*memtables)
				}
				if *blockCache >= 0 {
					o = o.WithBlockCacheSize(int64(*blockCache) << 20)
				}
				if *indexCache >= 0 {
					o = o.WithIndexCacheSize(int64(*indexCache) << 20)
				}
				if *compactors > 0 {
					o = o.WithNumCompactors(*compactors)
				}
				if more != nil {
					o = more(o)
				}
				return o
			}
		}
		keepDir := ""
		if i == *runs-1 {
			keepDir = *keep
		}
		var hook func(*store.Store)
		if *idleProfile != "" {
			file := *idleProfile
			if i > 0 {
				file = fmt.Sprintf("%s.%d", file, i+1)
			}
			hook = func(*store.Store) { idleReport(file) }
		}
		r, err := bench.MeasureIngestConfig(bench.Config{WorkDir: *work, SkipReopen: *noReopen, StoreOptions: opts,
			KeepStore: keepDir, IngestBatch: *batch, NoCatchUp: *noCatchUp, IdleHook: hook, IdleWait: *idleWait, SettleWait: *settle}, feed)
		if err != nil {
			log.Fatal(err)
		}
		cpu = append(cpu, r.Cost.CPUMicrosPerChange)
		rate = append(rate, r.PerSec)
		fmt.Printf("| %d | %d | %.2f s | %.1fk | %.1f | %.2f | %.0f | %.0f | %d | %s | %s | %.2f s | %.2f s | %.2f s | %.2f s | %s | %s | %s | %.2f s | %.1f |\n",
			i+1, r.N, r.Seconds, r.PerSec/1000, r.Cost.CPUMicrosPerChange, r.Cost.BusyPs, r.Cost.AllocsPerChange, r.Cost.AllocBytesPerChange, r.Cost.GCs,
			mib(r.PeakMem.Anon), mib(r.PeakMem.File), r.CloseSeconds, r.CloseCPUSeconds, r.OpenSeconds, r.OpenCPUSeconds, mib(r.IdleMem.Anon), mib(r.IdleMem.File), mib(r.Disk),
			r.ViewsSeconds, r.ViewsCost.CPUMicrosPerChange)
		if *settle > 0 {
			fmt.Printf("|   | settled %.1f s after the reopen (%d Badger table builders held): RssAnon %s, RssFile %s |\n",
				r.SettledSeconds, r.SettledBuilders, mib(r.SettledMem.Anon), mib(r.SettledMem.File))
		}
	}
	if *runs > 1 {
		fmt.Printf("\nmedian %.1f CPU µs/change (%.1f–%.1f), %.1fk changes/s (%.1fk–%.1fk)\n",
			median(cpu), slices.Min(cpu), slices.Max(cpu), median(rate)/1000, slices.Min(rate)/1000, slices.Max(rate)/1000)
	}
}

// idleReport prints, at a reopen's idle sample (taken just after a GC and
// debug.FreeOSMemory), the process's RssAnon beside the runtime's memory
// statistics and Badger's live allocators (ristretto's z.Allocator: table
// builders kept in Badger's pool), and writes the heap profile (in use) to
// file and the goroutines to file.goroutines.
func idleReport(file string) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	log.Printf("idle: RssAnon %s; Badger table builders %d; Go: HeapInuse %s, HeapIdle-HeapReleased %s, StackInuse %s, MSpanInuse %s, GCSys %s, OtherSys %s, Sys %s, HeapReleased %s; goroutines %d; z.Allocators: %s",
		mib(statusKB("RssAnon")), bench.BadgerBuilders(), mib(int64(m.HeapInuse)), mib(int64(m.HeapIdle-m.HeapReleased)), mib(int64(m.StackInuse)),
		mib(int64(m.MSpanInuse)), mib(int64(m.GCSys)), mib(int64(m.OtherSys)), mib(int64(m.Sys)), mib(int64(m.HeapReleased)),
		runtime.NumGoroutine(), z.Allocators())
	for name, prof := range map[string]string{file: "heap", file + ".goroutines": "goroutine"} {
		f, err := os.Create(name)
		if err != nil {
			log.Fatal(err)
		}
		debug := 0
		if prof == "goroutine" {
			debug = 1
		}
		if err := pprof.Lookup(prof).WriteTo(f, debug); err != nil {
			log.Fatal(err)
		}
		f.Close()
	}
}

// statusKB returns a field of /proc/self/status in bytes (0 if absent).
func statusKB(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
			return kb << 10
		}
	}
	return 0
}

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

// median returns the median of xs (the mean of the middle two when even).
func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
