package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/reliefmesh/reliefmesh/store"
)

// Config says what Run measures and how much. Quick, Full and Smoke are the
// presets; every field must be set (Run does not fill in defaults).
type Config struct {
	Mode string // the preset's name, reported

	VerifyTime  time.Duration // how long the ed25519 measurement runs on all cores
	BadgerN     int           // values written to measure Badger
	StreamBytes int64         // bytes sent to measure one libp2p stream

	IngestN    []int // ingest runs (each also reopened: open time, idle RSS)
	SideN      []int // side-by-side sizes: our catch-up to an empty laptop and each engine
	PartitionN int   // changes made on each side of the partition (on a base of SideN[0])
	// OrderN, if not 0, adds a catch-up of OrderN changes whose endorser's
	// feed sorts after the field device's (catch-up sends feeds in device id
	// order; see BENCHMARKS.md): what a newcomer meets for about half of the
	// feeds it lacks.
	OrderN      int
	SyncTimeout time.Duration // the most a catch-up may take

	LiveChanges  int
	LiveInterval time.Duration
	LiveWait     time.Duration // how long changes may take to be visible everywhere

	Engines       []string      // subset of Engines; empty runs none
	CreateTimeout time.Duration // an engine making the N records on A
	EngineTimeout time.Duration // an engine's sync

	// SkipReopen leaves out the reopen of each ingested store (open time,
	// idle memory), for quicker ingest-only runs.
	SkipReopen bool
	// KeepStore, if not "", is where the ingested store is moved to (a
	// directory that must not exist) instead of being removed, for
	// measurements of the queries of a store of that size (rmingest -keep).
	KeepStore string

	JSDir   string // bench/, holding js/ and node_modules/
	WorkDir string // where feeds and stores go ("" = os.TempDir())
	Log     func(format string, args ...any)
	// StoreOptions are the options of the stores an ingest opens (a hub's
	// lean store: store.Options.Lean); the zero value is the app's.
	StoreOptions store.Options
	// IngestBatch is how many changes an ingest hands to ApplyRemote at a
	// time (changestream.ApplyOptions.Batch); 0 means its default.
	IngestBatch int
	// NoCatchUp makes an ingest announce no count, so that the store keeps
	// its views change by change (the path before store.Store.BeginCatchUp).
	NoCatchUp bool
	// IdleHook, if set, is called with the reopened store right after an
	// ingest's idle sample (IdleMem), before the store is closed: where a
	// heap profile or the runtime's memory statistics of the idle point
	// are taken (rmingest -idle-heapprofile).
	IdleHook func(st *store.Store)
	// IdleWait is how long after the reopen an ingest takes its idle
	// sample (IdleMem); 0 means 1 s.
	IdleWait time.Duration
	// SettleWait, if not 0, makes an ingest take a second idle sample
	// (Ingest.SettledMem) once Badger holds no table builder (BadgerBuilders
	// is 0: the compactions it starts after the reopen are done and their
	// pooled builders released), waiting at most SettleWait after the first.
	SettleWait time.Duration
}

// Quick finishes in under 2 minutes on a 2-core machine.
func Quick() Config {
	return Config{
		Mode: "quick", VerifyTime: time.Second, BadgerN: 100_000, StreamBytes: 128 << 20,
		IngestN: []int{50_000}, SideN: []int{10_000}, PartitionN: 5_000, OrderN: 10_000, SyncTimeout: 2 * time.Minute,
		LiveChanges: 50, LiveInterval: 50 * time.Millisecond, LiveWait: 10 * time.Second,
		Engines: Engines, CreateTimeout: 60 * time.Second, EngineTimeout: 60 * time.Second,
	}
}

// Full is the run BENCHMARKS.md reports (about 15 minutes here).
func Full() Config {
	return Config{
		Mode: "full", VerifyTime: 3 * time.Second, BadgerN: 500_000, StreamBytes: 512 << 20,
		IngestN: []int{100_000, 1_000_000}, SideN: []int{10_000, 100_000}, PartitionN: 10_000, OrderN: 100_000, SyncTimeout: 10 * time.Minute,
		LiveChanges: 300, LiveInterval: 50 * time.Millisecond, LiveWait: 40 * time.Second,
		Engines: Engines, CreateTimeout: 10 * time.Minute, EngineTimeout: 300 * time.Second,
	}
}

// Smoke is the tiny run of the smoke test.
func Smoke() Config {
	return Config{
		Mode: "smoke", VerifyTime: 200 * time.Millisecond, BadgerN: 5_000, StreamBytes: 8 << 20,
		IngestN: []int{200}, SideN: []int{200}, PartitionN: 100, SyncTimeout: time.Minute,
		LiveChanges: 10, LiveInterval: 50 * time.Millisecond, LiveWait: 10 * time.Second,
		Engines: Engines, CreateTimeout: 60 * time.Second, EngineTimeout: 60 * time.Second,
	}
}

// Results is everything one Run measured.
type Results struct {
	Mode       string    `json:"mode"`
	Started    time.Time `json:"started"`
	Seconds    float64   `json:"seconds"`
	Machine    Machine   `json:"machine"`
	Limits     Limits    `json:"limits"`
	Ingest     []Ingest  `json:"ingest"`
	CatchUp    []Sync    `json:"catch_up"` // one per SideN
	Partition  Sync      `json:"partition"`
	Order      *Sync     `json:"catch_up_endorser_last,omitempty"`
	Live       Live      `json:"live"`
	SideBySide []Engine  `json:"side_by_side"`
}

// Run measures everything cfg asks for, in one process, and returns the
// results. It fails early if the JS engines cannot run.
func Run(ctx context.Context, cfg Config) (*Results, error) {
	logf := cfg.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	if len(cfg.Engines) > 0 {
		if err := CheckJS(cfg.JSDir); err != nil {
			return nil, err
		}
	}
	work, err := os.MkdirTemp(cfg.WorkDir, "rmbench-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	cfg.WorkDir = work
	res := &Results{Mode: cfg.Mode, Started: time.Now(), Machine: machine()}

	logf("limits: ed25519, badger, libp2p stream")
	if res.Limits, err = measureLimits(ctx, cfg); err != nil {
		return res, err
	}

	feeds := map[int]*Feed{}
	feed := func(n int) (*Feed, error) {
		if f, ok := feeds[n]; ok {
			return f, nil
		}
		start := time.Now()
		f, err := WriteFeed(filepath.Join(work, fmt.Sprintf("feed-%d.bin", n)), n, false)
		if err != nil {
			return nil, err
		}
		logf("feed of %d changes written in %.1f s (%.0f B/change)", n, time.Since(start).Seconds(), float64(f.Bytes)/float64(max(n, 1)))
		feeds[n] = f
		return f, nil
	}
	drop := func(n int) {
		if f, ok := feeds[n]; ok {
			os.Remove(f.Path)
			delete(feeds, n)
		}
	}

	for _, n := range cfg.IngestN {
		f, err := feed(n)
		if err != nil {
			return res, err
		}
		logf("ingest %d", n)
		in, err := measureIngest(cfg, f)
		if err != nil {
			return res, fmt.Errorf("ingest %d: %w", n, err)
		}
		res.Ingest = append(res.Ingest, in)
		logf("  %.0f changes/s, peak RSS %s", in.PerSec, mib(in.PeakRSS))
		if !slices.Contains(cfg.SideN, n) {
			drop(n)
		}
	}
	for _, n := range cfg.SideN {
		f, err := feed(n)
		if err != nil {
			return res, err
		}
		logf("catch-up %d", n)
		s, err := measureCatchUp(ctx, cfg, f)
		if err != nil {
			return res, fmt.Errorf("catch-up %d: %w", n, err)
		}
		res.CatchUp = append(res.CatchUp, s)
		logf("  %.2f s, %.0f changes/s", s.Seconds, s.PerSec)
	}
	if cfg.OrderN > 0 {
		f, err := WriteFeed(filepath.Join(work, "feed-order.bin"), cfg.OrderN, true)
		if err != nil {
			return res, err
		}
		logf("catch-up %d, endorser's feed sent last", cfg.OrderN)
		s, err := measureCatchUp(ctx, cfg, f)
		os.Remove(f.Path)
		if err != nil {
			return res, fmt.Errorf("catch-up %d (endorser last): %w", cfg.OrderN, err)
		}
		res.Order = &s
		logf("  %.2f s, %.0f changes/s", s.Seconds, s.PerSec)
	}
	if len(cfg.SideN) > 0 && cfg.PartitionN > 0 {
		base, err := feed(cfg.SideN[0])
		if err != nil {
			return res, err
		}
		logf("partition %d + %d", cfg.PartitionN, cfg.PartitionN)
		if res.Partition, err = measurePartition(ctx, cfg, base, cfg.PartitionN); err != nil {
			return res, fmt.Errorf("partition: %w", err)
		}
		logf("  %.2f s", res.Partition.Seconds)
	}
	for n := range feeds {
		drop(n)
	}
	if cfg.LiveChanges > 0 {
		roster, err := feed(0)
		if err != nil {
			return res, err
		}
		logf("live latency, %d nodes, %d changes", Members, cfg.LiveChanges)
		if res.Live, err = measureLive(ctx, cfg, roster); err != nil {
			return res, fmt.Errorf("live: %w", err)
		}
		logf("  p50 %.1f ms, p99 %.1f ms", res.Live.P50ms, res.Live.P99ms)
	}
	for _, n := range cfg.SideN {
		for _, e := range cfg.Engines {
			logf("%s %d", e, n)
			r, err := runEngine(ctx, cfg, e, n)
			if err != nil {
				return res, fmt.Errorf("%s %d: %w", e, n, err)
			}
			res.SideBySide = append(res.SideBySide, r)
			logf("  %.2f s %s", r.Seconds, r.Note)
		}
	}
	res.Seconds = time.Since(res.Started).Seconds()
	return res, nil
}

// WriteFiles writes the results as prefix.md (Markdown) and prefix.json.
func (r *Results) WriteFiles(prefix string) error {
	if err := os.MkdirAll(filepath.Dir(prefix), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(prefix+".json", append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.WriteFile(prefix+".md", []byte(r.Markdown()), 0o644)
}

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

func rate(x float64) string {
	switch {
	case x >= 1e6:
		return fmt.Sprintf("%.2fM", x/1e6)
	case x >= 1e4:
		return fmt.Sprintf("%.1fk", x/1e3)
	default:
		return fmt.Sprintf("%.0f", x)
	}
}

func size(b int64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
	default:
		return fmt.Sprintf("%.1f KiB", float64(b)/(1<<10))
	}
}

func ms(x float64) string {
	if x < 0 {
		return "missing"
	}
	return fmt.Sprintf("%.1f ms", x)
}

// Markdown renders the results as the tables results/latest.md holds.
func (r *Results) Markdown() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	m := r.Machine
	p("# rmbench results (%s mode)", r.Mode)
	p("")
	p("%s · %d cores · %s RAM · Linux %s · %s · Node %s · load at start %s · run took %.0f s",
		m.CPU, m.Cores, size(m.RAM), m.Kernel, m.Go, m.Node, m.Load, r.Seconds)
	p("")
	l := r.Limits
	bpc := 0.0
	for _, in := range r.Ingest {
		bpc = in.BytesPerChange
	}
	if bpc == 0 {
		bpc = 700
	}
	streamCh := l.StreamMBps * 1e6 / bpc
	p("## Limits of this machine")
	p("")
	p("| limit | measured |")
	p("|---|---|")
	p("| ed25519 verify, all %d cores | %s/s (one core: %s/s) |", m.Cores, rate(l.VerifyPerSec), rate(l.VerifyPerSecOneCore))
	p("| Badger WriteBatch, %d B values, store's options | %s writes/s |", l.BadgerValue, rate(l.BadgerPerSec))
	p("| libp2p stream, loopback TCP (noise + yamux) | %.0f MB/s = %s changes/s at %.0f B/change |", l.StreamMBps, rate(streamCh), bpc)
	p("")
	p("## Ingest: signed changes from a stream into an empty store")
	p("")
	// CPU µs per change (getrusage) is the figure that barely moves with the
	// machine's load; changes/s moves with it. No ratio to ed25519: a run is
	// verified by its last signature, so ed25519 is a fraction of a percent.
	p("| changes | time | changes/s | CPU µs/change | allocs/change | GCs | peak RSS (base) | peak RssAnon / RssFile | on disk | reopen (CPU) | idle RssAnon / RssFile |")
	p("|---|---|---|---|---|---|---|---|---|---|---|")
	for _, in := range r.Ingest {
		p("| %d | %.2f s | %s | %.1f | %.0f | %d | %s (%s) | %s / %s | %s | %.2f s (%.2f s) | %s / %s |", in.N, in.Seconds, rate(in.PerSec),
			in.Cost.CPUMicrosPerChange, in.Cost.AllocsPerChange, in.Cost.GCs, mib(in.PeakRSS), mib(in.BaseRSS),
			mib(in.PeakMem.Anon), mib(in.PeakMem.File), size(in.Disk), in.OpenSeconds, in.OpenCPUSeconds, mib(in.IdleMem.Anon), mib(in.IdleMem.File))
	}
	p("")
	p("## Catch-up over loopback libp2p")
	p("")
	p("| run | converged | time | changes/s | ÷ bound (min of Badger, stream) | bytes on the wire | per change | peak RSS (both nodes) |")
	p("|---|---|---|---|---|---|---|---|")
	bound := min(l.BadgerPerSec, streamCh)
	syncs := append(slices.Clone(r.CatchUp), r.Partition)
	if r.Order != nil {
		syncs = append(syncs, *r.Order)
	}
	for _, s := range syncs {
		if s.Name == "" {
			continue
		}
		conv := "yes"
		if !s.Converged {
			conv = "**no**"
		}
		if s.Note != "" {
			conv += ": " + strings.TrimSuffix(strings.TrimSpace(s.Note), ";")
		}
		name := s.Name
		if s.LocalPerSec > 0 {
			name += fmt.Sprintf(" (local writes %s/s)", rate(s.LocalPerSec))
		}
		p("| %s | %s | %.2f s | %s | %.2f | %s | %.0f B | %s |", name, conv, s.Seconds, rate(s.PerSec), s.PerSec/bound,
			size(s.WireBytes), float64(s.WireBytes)/float64(max(s.N, 1)), mib(s.PeakRSS))
	}
	p("")
	lv := r.Live
	p("## Live latency: change made → visible on every other node")
	p("")
	p("| nodes | changes | p50 | p99 | max | not visible within %.0f s |", lv.Waitms/1000)
	p("|---|---|---|---|---|---|")
	p("| %d | %d | %s | %s | %s | %d |", lv.Nodes, lv.Changes, ms(lv.P50ms), ms(lv.P99ms), ms(lv.Maxms), lv.Missing)
	p("")
	p("## Side by side: N demand records made on A, synced to an empty B")
	p("")
	p("Time counts the sync only (records already made on A). Ours: catch-up over loopback libp2p between two stores, every run's hash links and last signature verified; bytes on the wire. Theirs: in one Node process, no signatures; bytes are the protocol's messages (PouchDB: the JSON an HTTP replication would carry). Peak RSS holds both peers. Ratio ours/theirs < 1 means we are faster or smaller.")
	p("")
	p("| engine | N | converged | time | ours/theirs time | bytes | ours/theirs bytes | peak RSS | ours/theirs RSS | record |")
	p("|---|---|---|---|---|---|---|---|---|---|")
	for i, n := range sideNs(r) {
		var ours *Sync
		if i < len(r.CatchUp) {
			ours = &r.CatchUp[i]
		}
		if ours != nil {
			conv := "yes"
			if !ours.Converged {
				conv = "**no**"
			}
			p("| **ReliefMesh** | %d | %s | %.2f s | 1 | %s | 1 | %s | 1 | %.0f B CBOR change |", n, conv, ours.Seconds, size(ours.WireBytes), mib(ours.PeakRSS), bpc)
		}
		for _, e := range r.SideBySide {
			if e.N != n {
				continue
			}
			conv, tr := "yes", "—"
			if ours != nil && e.Seconds > 0 {
				tr = fmt.Sprintf("%.2f", ours.Seconds/e.Seconds)
			}
			if !e.Converged {
				conv = "**no**: " + e.Note
				if ours != nil && e.Seconds > 0 {
					tr = "< " + tr
				}
			}
			br, rr := "—", "—"
			if ours != nil && e.Bytes > 0 {
				br = fmt.Sprintf("%.2f", float64(ours.WireBytes)/float64(e.Bytes))
			}
			if ours != nil && e.PeakRSS > 0 {
				rr = fmt.Sprintf("%.2f", float64(ours.PeakRSS)/float64(e.PeakRSS))
			}
			bs := "—"
			if e.Bytes > 0 {
				bs = size(e.Bytes)
			}
			p("| %s | %d | %s | %.2f s | %s | %s | %s | %s | %s | %d B JSON (made in %.1f s) |", e.Engine, n, conv, e.Seconds, tr, bs, br, mib(e.PeakRSS), rr, e.RecordBytes, e.CreateSeconds)
		}
	}
	p("")
	p("## Targets")
	p("")
	p("| target | result | met |")
	p("|---|---|---|")
	for _, t := range r.Targets() {
		met := "yes"
		if !t.Met {
			met = "**no**"
		}
		p("| %s | %s | %s |", t.Name, t.Result, met)
	}
	return b.String()
}

func sideNs(r *Results) []int {
	var ns []int
	for _, s := range r.CatchUp {
		ns = append(ns, s.Records)
	}
	for _, e := range r.SideBySide {
		if !slices.Contains(ns, e.N) {
			ns = append(ns, e.N)
		}
	}
	return ns
}

// Target is one of issue 7's targets checked against the results.
type Target struct {
	Name   string `json:"name"`
	Result string `json:"result"`
	Met    bool   `json:"met"`
}

// Targets checks the results against the targets of issue 7 that this run
// measures (filter and search latency are measured by store's benchmarks).
func (r *Results) Targets() []Target {
	var ts []Target
	for _, in := range r.Ingest {
		ts = append(ts, Target{fmt.Sprintf("ingest %d ≥ 25k changes/s", in.N), rate(in.PerSec) + "/s", in.PerSec >= 25_000})
		if in.N >= 1_000_000 {
			ts = append(ts, Target{fmt.Sprintf("ingest %d: peak RSS < 500 MB", in.N), mib(in.PeakRSS), in.PeakRSS < 500e6})
		}
		ts = append(ts, Target{fmt.Sprintf("open %d changes < 2 s", in.N), fmt.Sprintf("%.2f s", in.OpenSeconds), in.OpenSeconds < 2})
		ts = append(ts, Target{fmt.Sprintf("idle RSS after open (%d) < 400 MB", in.N), mib(in.IdleRSS), in.IdleRSS < 400e6})
	}
	syncs := append(slices.Clone(r.CatchUp), r.Partition)
	if r.Order != nil {
		syncs = append(syncs, *r.Order)
	}
	for _, s := range syncs {
		if s.Name != "" {
			ts = append(ts, Target{s.Name + " ≥ 25k changes/s", rate(s.PerSec) + "/s", s.Converged && s.PerSec >= 25_000})
		}
	}
	if r.Live.Changes > 0 {
		ts = append(ts, Target{fmt.Sprintf("live p99 < 500 ms at %d peers", r.Live.Nodes), ms(r.Live.P99ms), r.Live.Missing == 0 && r.Live.P99ms >= 0 && r.Live.P99ms < 500})
	}
	for i, n := range sideNs(r) {
		if i >= len(r.CatchUp) {
			break
		}
		ours := r.CatchUp[i]
		for _, e := range r.SideBySide {
			if e.N == n {
				ok := ours.Converged && (!e.Converged || ours.Seconds < e.Seconds)
				res := fmt.Sprintf("%.2f s vs %.2f s", ours.Seconds, e.Seconds)
				if !e.Converged {
					res = fmt.Sprintf("%.2f s vs %s", ours.Seconds, e.Note)
				}
				ts = append(ts, Target{fmt.Sprintf("faster than %s at %d", e.Engine, n), res, ok})
			}
		}
	}
	return ts
}
