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
func runQueries(dir string, formats []string, views bool) {
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
	for _, f := range formats {
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
