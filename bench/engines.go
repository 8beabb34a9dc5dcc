package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Engines are the sync engines of the side-by-side comparison, as js/engine.js
// names them.
var Engines = []string{"automerge", "yjs", "pouchdb"}

// Engine is one engine's run of the side-by-side workload.
type Engine struct {
	Engine        string  `json:"engine"`
	N             int     `json:"n"`
	CreateSeconds float64 `json:"create_seconds"` // making N records on A (not compared)
	Seconds       float64 `json:"seconds"`        // sync A → empty B until B holds all N
	Bytes         int64   `json:"bytes"`
	PeakRSS       int64   `json:"peak_rss_bytes"`
	RecordBytes   int     `json:"record_bytes"` // JSON of one record
	Converged     bool    `json:"converged"`
	Note          string  `json:"note,omitempty"`
}

// CheckJS reports why the JS engines cannot run from dir, or nil.
func CheckJS(dir string) error {
	if _, err := exec.LookPath("node"); err != nil {
		return errors.New("node is not installed: the side-by-side engines need Node 20 (apt-get install nodejs)")
	}
	for _, m := range []string{"@automerge/automerge", "yjs", "pouchdb-core", "pouchdb-adapter-memory", "pouchdb-replication"} {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", m, "package.json")); err != nil {
			return fmt.Errorf("%s has no node_modules/%s: run `npm ci` in bench/ (make bench does it)", dir, m)
		}
	}
	return nil
}

type engineLine struct {
	Phase       string  `json:"phase"`
	CreateMs    float64 `json:"create_ms"`
	SyncMs      float64 `json:"sync_ms"`
	Bytes       int64   `json:"bytes"`
	Have        int     `json:"have"`
	Converged   bool    `json:"converged"`
	RecordBytes int     `json:"record_bytes"`
	PeakRSS     int64   `json:"peak_rss"`
}

// childHWM reads a child process's peak RSS before it is killed.
func childHWM(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for l := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// runEngine runs `node js/engine.js engine n` in cfg.JSDir. Making the records
// may take cfg.CreateTimeout and the sync cfg.EngineTimeout; past either the
// process is killed and the result says so (Converged false, Note).
func runEngine(ctx context.Context, cfg Config, engine string, n int) (Engine, error) {
	r := Engine{Engine: engine, N: n}
	cmd := exec.Command("node", "js/engine.js", engine, strconv.Itoa(n))
	cmd.Dir = cfg.JSDir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return r, err
	}
	if err := cmd.Start(); err != nil {
		return r, fmt.Errorf("start node: %w", err)
	}
	lines := make(chan engineLine)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var l engineLine
			if json.Unmarshal(sc.Bytes(), &l) == nil {
				lines <- l
			}
		}
	}()
	start := time.Now()
	timer := time.NewTimer(cfg.CreateTimeout)
	defer timer.Stop()
	syncing := false
	var syncStart time.Time
	kill := func(note string) {
		r.PeakRSS = childHWM(cmd.Process.Pid)
		cmd.Process.Kill()
		for range lines {
		}
		cmd.Wait()
		r.Note = note
	}
	for {
		select {
		case <-ctx.Done():
			kill("interrupted")
			return r, ctx.Err()
		case <-timer.C:
			if syncing {
				r.Seconds = time.Since(syncStart).Seconds()
				kill(fmt.Sprintf("did not converge in %v", cfg.EngineTimeout))
			} else {
				r.CreateSeconds = time.Since(start).Seconds()
				kill(fmt.Sprintf("creating %d records on A took over %v; sync not started", n, cfg.CreateTimeout))
			}
			return r, nil
		case l, ok := <-lines:
			if !ok {
				err := cmd.Wait()
				tail := stderr.String()
				if len(tail) > 600 {
					tail = tail[len(tail)-600:]
				}
				return r, fmt.Errorf("node js/engine.js %s %d ended without a result (%v): %s", engine, n, err, tail)
			}
			switch l.Phase {
			case "sync-start":
				syncing = true
				syncStart = time.Now()
				r.CreateSeconds = l.CreateMs / 1000
				timer.Reset(cfg.EngineTimeout)
			case "result":
				r.Seconds = l.SyncMs / 1000
				r.Bytes = l.Bytes
				r.PeakRSS = l.PeakRSS
				r.RecordBytes = l.RecordBytes
				r.Converged = l.Converged
				if !l.Converged {
					r.Note = fmt.Sprintf("B holds %d of %d records", l.Have, n)
				}
				for range lines {
				}
				return r, cmd.Wait()
			}
		}
	}
}
