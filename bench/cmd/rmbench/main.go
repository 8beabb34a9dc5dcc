// Command rmbench measures ReliefMesh against this machine's limits and
// against Automerge, Yjs and PouchDB on the same workload, in one run, and
// prints the results as Markdown (also written to results/).
//
//	go run ./cmd/rmbench            # quick: under 2 minutes on 2 cores
//	go run ./cmd/rmbench -full      # the sizes BENCHMARKS.md reports
//
// Run it from bench/ after `npm ci` (make bench does both).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/reliefmesh/reliefmesh/bench"
)

func main() {
	full := flag.Bool("full", false, "full sizes (ingest 100k and 1M, side by side 10k and 100k); about 15 minutes")
	out := flag.String("out", "results/latest", "write the results to `prefix`.md and prefix.json")
	engines := flag.String("engines", strings.Join(bench.Engines, ","), "comma-separated engines to compare with (empty: none)")
	jsDir := flag.String("js", ".", "`dir`ectory holding js/ and node_modules/ (bench/)")
	work := flag.String("work", "", "`dir`ectory for feeds and stores (default: the system's temp dir)")
	timeout := flag.Duration("engine-timeout", 0, "time limit of one engine's sync (default: 60s quick, 300s full)")
	ingestN := flag.String("ingest", "", "comma-separated ingest sizes, overriding the mode's")
	sideN := flag.String("side", "", "comma-separated side-by-side (catch-up) sizes, overriding the mode's")
	rounds := flag.Int("rounds", 0, "run only the side-by-side comparison, this many rounds at each -side size (ours then each engine per round), and print the median and spread")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to `file`")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("rmbench: ")

	cfg := bench.Quick()
	if *full {
		cfg = bench.Full()
	}
	cfg.Engines = nil
	for e := range strings.SplitSeq(*engines, ",") {
		if e = strings.TrimSpace(e); e != "" {
			cfg.Engines = append(cfg.Engines, e)
		}
	}
	if *ingestN != "" {
		cfg.IngestN = sizes(*ingestN)
	}
	if *sideN != "" {
		cfg.SideN = sizes(*sideN)
	}
	if *timeout > 0 {
		cfg.EngineTimeout = *timeout
	}
	cfg.JSDir, cfg.WorkDir = *jsDir, *work
	start := time.Now()
	cfg.Log = func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "[%6.1fs] %s\n", time.Since(start).Seconds(), fmt.Sprintf(format, args...))
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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *rounds > 0 {
		rs, err := bench.RunSideBySide(ctx, cfg, *rounds)
		if err != nil {
			pprof.StopCPUProfile()
			log.Fatal(err)
		}
		fmt.Print(bench.SideSummary(rs))
		return
	}
	res, err := bench.Run(ctx, cfg)
	if err != nil {
		pprof.StopCPUProfile()
		log.Fatal(err)
	}
	fmt.Print(res.Markdown())
	if *out != "" {
		if err := res.WriteFiles(*out); err != nil {
			log.Fatal(err)
		}
		fmt.Fprintf(os.Stderr, "written to %s.md and %s.json\n", *out, *out)
	}
}

// sizes parses "100000,1e6"-style lists of counts.
func sizes(s string) []int {
	var ns []int
	for f := range strings.SplitSeq(s, ",") {
		var x float64
		if _, err := fmt.Sscan(strings.TrimSpace(f), &x); err != nil || x < 0 {
			log.Fatalf("bad size %q", f)
		}
		ns = append(ns, int(x))
	}
	return ns
}
