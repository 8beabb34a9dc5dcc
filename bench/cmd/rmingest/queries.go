package main

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/reliefmesh/reliefmesh/bench"
	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return c.w.Write(p)
}

// measured is one query's cost: wall, CPU, peak RssAnon and RssFile.
type measured struct {
	name      string
	wall, cpu time.Duration
	peak      bench.Memory
	note      string
}

// measure runs f and returns what it cost this process.
func measure(name string, f func() (string, error)) measured {
	runtime.GC()
	debug.FreeOSMemory()
	stop := bench.MemPeak(20 * time.Millisecond)
	c0, t0 := bench.CPUTime(), time.Now()
	note, err := f()
	m := measured{name: name, wall: time.Since(t0), cpu: bench.CPUTime() - c0, peak: stop(), note: note}
	if err != nil {
		log.Fatalf("%s: %v", name, err)
	}
	fmt.Printf("| %s | %.2f s | %.2f s | %s | %s | %s |\n", m.name, m.wall.Seconds(), m.cpu.Seconds(), mib(m.peak.Anon), mib(m.peak.File), m.note)
	return m
}

// runQueries opens the store in dir lean, as `reliefmesh-hub serve` does,
// and measures its reopen, status, members and exports: streamed (what a
// lean hub now answers) and, with views, through the views (UseViews and
// WriteBulletin, what it answered before). Badger's and the store's log
// lines go to stderr with their times, to see what the open waits on.
func runQueries(dir string, formats []string, views bool, rosterFeed string, rosterNode int) {
	fmt.Println("| query | wall | CPU | peak RssAnon | peak RssFile | answer |")
	fmt.Println("|---|---|---|---|---|---|")
	lg := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var st *store.Store
	var results []measured
	results = append(results, measure("reopen (store.Open, lean)", func() (string, error) {
		var err error
		st, err = store.Open(dir, store.Options{Lean: true, Logger: lg, ValueLogGCInterval: -1})
		return "", err
	}))
	defer st.Close()
	dk := desk.New(st)
	results = append(results, measure("status (DemandCounts)", func() (string, error) {
		c := st.DemandCounts()
		return fmt.Sprintf("%v", c), nil
	}))
	results = append(results, measure("members", func() (string, error) {
		return fmt.Sprintf("%d members", len(dk.Members())), nil
	}))
	if rosterFeed != "" {
		results = append(results, rosterChanges(st, rosterFeed, rosterNode)...)
	}
	for _, f := range formats {
		if f == "" || f == "none" {
			continue
		}
		req := desk.BulletinRequest{Format: f, IncludeUnpublished: true}
		results = append(results, measure("export "+f+" --include-unpublished, streamed", func() (string, error) {
			sb, err := dk.OpenBulletinStream(req)
			if err != nil {
				return "", err
			}
			defer sb.Close()
			cw := &countWriter{w: io.Discard}
			bw := bufio.NewWriterSize(cw, 64<<10)
			if err := sb.Stream(bw); err != nil {
				return "", err
			}
			bw.Flush()
			return fmt.Sprintf("%d demands, %d bytes", sb.Demands, cw.n), nil
		}))
	}
	if views {
		for _, f := range formats {
			if f == "" || f == "none" {
				continue
			}
			req := desk.BulletinRequest{Format: f, IncludeUnpublished: true}
			results = append(results, measure("export "+f+" --include-unpublished, from the views (before)", func() (string, error) {
				release, err := st.UseViews()
				if err != nil {
					return "", err
				}
				defer release()
				cw := &countWriter{w: io.Discard}
				b, err := dk.WriteBulletin(cw, req)
				return fmt.Sprintf("%d demands, %d bytes", len(b.Demands), cw.n), err
			}))
		}
	}
	_ = results
}

// rosterChanges measures three roster changes signed by the feed's
// coordinator node (each -rosternode can be used once on a store: its feed
// starts at seq 1), each followed by a status: the endorsement of a new
// member twice (the first after an ingest by an older binary counts every
// demand and rebuilds the actor index; the second re-derives no demand),
// then the promotion of the feed's author, who wrote every demand.
func rosterChanges(st *store.Store, feedPath string, node int) []measured {
	feed, err := bench.LoadFeed(feedPath)
	if err != nil {
		log.Fatalf("-roster %s: %v", feedPath, err)
	}
	if node < 0 || node >= len(feed.Nodes) {
		log.Fatalf("-rosternode %d: want 0–%d", node, len(feed.Nodes)-1)
	}
	a, err := ledger.NewAuthor(feed.Nodes[node], feed.Network, ledger.Head{}, ledger.NewHLC(time.Now, 0))
	if err != nil {
		log.Fatal(err)
	}
	apply := func(op ledger.Op) (string, error) {
		before := st.LeanRefolded()
		c, err := a.Next([]ledger.Op{op})
		if err != nil {
			return "", err
		}
		if _, err := st.ApplyRemote([]*ledger.Change{c}); err != nil {
			return "", err
		}
		counts := st.DemandCounts()
		return fmt.Sprintf("%d demands re-derived through the index; counts %v", st.LeanRefolded()-before, counts), nil
	}
	endorse := func() (string, error) {
		id, _, err := ledger.GenerateKey(nil)
		if err != nil {
			return "", err
		}
		op, err := relief.Endorse(id, relief.RoleVolunteer, "new member")
		if err != nil {
			return "", err
		}
		return apply(op)
	}
	var out []measured
	out = append(out, measure("roster change 1: a member endorsed, then status", endorse))
	out = append(out, measure("roster change 2: another member endorsed, then status", endorse))
	out = append(out, measure("roster change 3: the author of every demand promoted, then status", func() (string, error) {
		op, err := relief.Promote(feed.Author, relief.RoleReviewer)
		if err != nil {
			return "", err
		}
		return apply(op)
	}))
	return out
}
