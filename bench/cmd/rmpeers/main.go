// Command rmpeers is the many-peer simulation of issue 18 (item 4): for each
// size it runs package peersim — sites of laptops behind one hub each, hubs
// linked, every node a real store (Badger on disk) and a real node (libp2p on
// loopback, catch-up and gossip) in this one process — through its phases
// (start, write, idle, churn, partition) and prints one Markdown table row
// per size and phase: time until every node holds every change, bytes on the
// wire and changes delivered per change per node, catch-up rounds, CPU and
// peak memory per node, with the machine's load.
//
//	cd bench && go build -o /tmp/rmpeers ./cmd/rmpeers && nice -n 10 /tmp/rmpeers -sizes 50,100,200
//
// A size is the number of nodes; sites = size / (laptops + 1). It exits 1
// when a size does not converge or its stores differ.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/reliefmesh/reliefmesh/node/peersim"
)

func main() {
	sizes := flag.String("sizes", "50,100,200", "numbers of nodes, comma-separated")
	laptops := flag.Int("laptops", 9, "laptops per site (each site also has a hub)")
	writes := flag.Int("writes", 2, "demands each running laptop records in each writing phase")
	interval := flag.Duration("interval", 5*time.Second, "catch-up interval of every node")
	redial := flag.Duration("redial", 500*time.Millisecond, "redial interval of every node")
	idle := flag.Duration("idle", 10*time.Second, "length of the idle phase (0 skips it)")
	warmup := flag.Duration("warmup", 11*time.Second, "wait after the start before the first write (replicate nudges connections younger than 10 s)")
	idontwant := flag.Int("idontwant", 0, "announce received changes of at least this many bytes to the mesh (IDONTWANT); 0: every change, -1: gossipsub's default (1 KiB)")
	hubD := flag.Int("hub-d", 0, "hubs' gossip mesh degree (0: node.HubConfig's; -1: gossipsub's default)")
	timeout := flag.Duration("timeout", 5*time.Minute, "longest wait for convergence in a phase")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	dir := flag.String("dir", "", "parent of the stores' directories (default: a new temporary directory, removed at the end)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	parent := *dir
	if parent == "" {
		d, err := os.MkdirTemp("", "rmpeers-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(d)
		parent = d
	}
	fmt.Println("| nodes | sites × laptops | phase | changes | converged | bytes / change / node | bytes / change / laptop | deliveries / change / node | new by gossip | rounds / node / s | CPU ms / change (CPU s) | peak RSS / node | load |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	failed := false
	for _, f := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 2*(*laptops+1) {
			log.Fatalf("rmpeers: size %q: want a number of nodes of at least two sites of %d", f, *laptops+1)
		}
		cfg := peersim.Config{Sites: n / (*laptops + 1), LaptopsPerSite: *laptops, Dir: filepath.Join(parent, fmt.Sprintf("n%d", n)),
			Writes: *writes, Interval: *interval, Redial: *redial, Idle: *idle, Warmup: *warmup, HubGossipD: *hubD, IDontWantAbove: *idontwant, Timeout: *timeout,
			Logf: func(format string, args ...any) { log.Printf("%d nodes: "+format, append([]any{n}, args...)...) }}
		if err := run(ctx, cfg); err != nil {
			log.Printf("rmpeers: %d nodes: %v", n, err)
			failed = true
		}
		os.RemoveAll(cfg.Dir)
		if ctx.Err() != nil {
			break
		}
	}
	if failed {
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg peersim.Config) error {
	t := time.Now()
	s, err := peersim.New(ctx, cfg)
	if err != nil {
		return err
	}
	log.Printf("%d nodes started in %v", cfg.Sites*(cfg.LaptopsPerSite+1), time.Since(t).Round(time.Millisecond))
	rep, err := s.Run(ctx)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	for _, p := range rep.Phases {
		row(rep, p)
	}
	if err != nil {
		return err
	}
	log.Printf("%d nodes: every store identical: %d changes, %d demands, digest %.16s; peak RSS %d MiB, peak heap %d MiB; run %v",
		rep.Nodes, rep.Changes, rep.Demands, rep.Digest, rep.PeakRSS>>20, rep.PeakHeap>>20, time.Since(t).Round(time.Second))
	return nil
}

func row(rep peersim.Report, p peersim.Phase) {
	per := func(x float64) string {
		if p.Changes == 0 {
			return "–"
		}
		return fmt.Sprintf("%.0f", x/float64(p.Changes)/float64(p.Nodes))
	}
	deliv := "–"
	gossip := "–"
	if p.Changes > 0 {
		deliv = fmt.Sprintf("%.2f", float64(p.Deliveries)/float64(p.Changes)/float64(p.Nodes-1))
		if n := p.ByGossip + p.ByCatchUp; n > 0 {
			gossip = fmt.Sprintf("%.0f %%", 100*float64(p.ByGossip)/float64(n))
		}
	}
	cpu := "–"
	if p.Changes > 0 {
		cpu = fmt.Sprintf("%.1f", float64(p.CPU.Milliseconds())/float64(p.Changes))
	}
	rounds := "–"
	if p.Span > 0 {
		rounds = fmt.Sprintf("%.2f", float64(p.Rounds)/float64(p.Nodes)/p.Span.Seconds())
	}
	bytes := per(float64(p.Bytes))
	lap := "–"
	if p.Changes > 0 && p.Laptops > 0 {
		lap = fmt.Sprintf("%.0f", float64(p.LaptopBytes)/float64(p.Changes)/float64(p.Laptops))
	}
	if p.Changes == 0 {
		bytes = fmt.Sprintf("%d KiB / node", p.Bytes/int64(p.Nodes)>>10)
		if p.Laptops > 0 {
			lap = fmt.Sprintf("%d KiB / laptop", p.LaptopBytes/int64(p.Laptops)>>10)
		}
	}
	cpu += fmt.Sprintf(" (%.1f)", p.CPU.Seconds())
	fmt.Printf("| %d | %d × %d | %s | %d | %.1f s | %s | %s | %s | %s | %s | %s | %.1f MiB | %s |\n",
		rep.Nodes, rep.Sites, rep.LaptopsPerSite, p.Name, p.Changes, p.Converge.Seconds(), bytes, lap, deliv, gossip, rounds, cpu,
		float64(p.PeakRSS)/float64(p.Nodes)/(1<<20), load())
}

// load returns the 1-minute load average, or "?".
func load() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}
