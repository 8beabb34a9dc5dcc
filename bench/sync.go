package bench

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dgraph-io/ristretto/v2/z"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
	"github.com/reliefmesh/reliefmesh/sync/replicate"
)

// Ingest is one ingest run: a feed of N changes applied from a file into an
// empty store, then the store reopened.
type Ingest struct {
	N              int     `json:"n"`
	Seconds        float64 `json:"seconds"`
	PerSec         float64 `json:"changes_per_s"`
	BytesPerChange float64 `json:"bytes_per_change"`
	PeakRSS        int64   `json:"peak_rss_bytes"` // process peak while applying, from a reset
	BaseRSS        int64   `json:"base_rss_bytes"` // process RSS at the reset
	Disk           int64   `json:"disk_bytes"`     // store directory after Close
	OpenSeconds    float64 `json:"open_seconds"`   // store.Open of the result (indexes rebuilt)
	IdleRSS        int64   `json:"idle_rss_bytes"` // process RSS 1 s after that Open, GC'd
	Applied        int     `json:"applied"`
	// Cost is the CPU, allocations and GC of the ingest (reading and
	// decoding the feed file included), per change.
	Cost Cost `json:"cost"`
	// PeakMem is the highest RssAnon and RssFile sampled while ingesting
	// (every 50 ms); IdleMem is both 1 s after the reopen, GC'd.
	PeakMem Memory `json:"peak_mem"`
	IdleMem Memory `json:"idle_mem"`
	// OpenCPUSeconds is the CPU time (user + system) of the reopen.
	OpenCPUSeconds float64 `json:"open_cpu_seconds"`
	// CloseSeconds and CloseCPUSeconds are the wall and CPU time (user +
	// system) of closing the store after the ingest: Badger's flush of its
	// memtables and compaction of level 0 (work the ingest left to it).
	CloseSeconds    float64 `json:"close_seconds"`
	CloseCPUSeconds float64 `json:"close_cpu_seconds"`
	// Seconds and Cost end when the ingest returns: every change durable
	// and the demand list answerable. A large catch-up into an empty store
	// builds its other views (inbox, duplicates, tasks and points,
	// volunteers, offers) after that (store.Store.BeginCatchUp):
	// ViewsSeconds and ViewsCost end when they are built (ViewsBuilt), from
	// the same start; equal to Seconds and Cost when nothing was left.
	ViewsSeconds float64 `json:"views_seconds"`
	ViewsCost    Cost    `json:"views_cost"`
	// SettledMem is RssAnon and RssFile (GC'd) once Badger holds no table
	// builder after the reopen (Config.SettleWait; zero without it):
	// Badger's compactors start within a second of the open and compact
	// the levels the ingest's close left over their targets, and its pool
	// keeps up to 8 builders of ≈ 2 × a table each (Go heap) until a
	// 2-second tick without a compaction, one per tick. SettledSeconds is
	// when it was taken, from the end of the reopen; SettledBuilders the
	// builders still held then (not 0: SettleWait ran out).
	SettledMem      Memory  `json:"settled_mem"`
	SettledSeconds  float64 `json:"settled_seconds"`
	SettledBuilders int     `json:"settled_builders"`
}

// BadgerBuilders returns how many table builders Badger holds in this
// process, in its pool or building: ristretto's live z.Allocators tagged
// "Builder" or "TableBuilder" (what Badger's table.NewTableBuilder tags
// them; Badger's Stream, the only other user, tags its own apart).
func BadgerBuilders() int {
	n := 0
	for part := range strings.SplitSeq(z.Allocators(), " . ") {
		var tag string
		var num int
		if _, err := fmt.Sscanf(strings.TrimSpace(part), "Tag: %s Num: %d", &tag, &num); err == nil && (tag == "Builder" || tag == "TableBuilder") {
			n += num
		}
	}
	return n
}

// waitBuilders waits until BadgerBuilders is 0, polling every 100 ms, at
// most d; it returns the last count.
func waitBuilders(d time.Duration) int {
	deadline := time.Now().Add(d)
	for {
		n := BadgerBuilders()
		if n == 0 || time.Now().After(deadline) {
			return n
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Sync is one replication run between stores over loopback libp2p.
type Sync struct {
	Name      string  `json:"name"`
	N         int     `json:"n"`       // changes that had to move
	Records   int     `json:"records"` // demand records among them (side by side)
	Seconds   float64 `json:"seconds"`
	PerSec    float64 `json:"changes_per_s"`
	WireBytes int64   `json:"wire_bytes"` // both ways, through the counting proxy
	PeakRSS   int64   `json:"peak_rss_bytes"`
	Converged bool    `json:"converged"`
	Conns     int64   `json:"proxied_conns"`
	Note      string  `json:"note,omitempty"`
	// ListSeconds is, for a catch-up, the time until the laptop held every
	// change and its demand list listed every demand (a large catch-up
	// builds its other views after that: Seconds waits for them too).
	ListSeconds float64 `json:"list_seconds,omitempty"`
	// LocalPerSec is the rate of store.RecordDemand while partitioned.
	LocalPerSec float64 `json:"local_writes_per_s,omitempty"`
	// Cost is the CPU (both nodes: they run in this process), allocations
	// and GC of the catch-up, per change moved.
	Cost Cost `json:"cost"`
}

// Live is the live-latency run.
type Live struct {
	Nodes   int     `json:"nodes"`
	Changes int     `json:"changes"`
	P50ms   float64 `json:"p50_ms"`
	P99ms   float64 `json:"p99_ms"`
	Maxms   float64 `json:"max_ms"`
	Missing int     `json:"missing"` // not visible everywhere within the wait
	Waitms  float64 `json:"wait_ms"`
}

type node struct {
	st   *store.Store
	h    *p2p.Host
	r    *replicate.Replicator
	stop context.CancelFunc
	done chan error
}

func startNode(st *store.Store) (*node, error) {
	h, err := p2p.New(st.PrivateKey(), st, p2p.Config{Listen: []string{"/ip4/127.0.0.1/tcp/0"}})
	if err != nil {
		return nil, fmt.Errorf("p2p host: %w", err)
	}
	r, err := replicate.New(h, st, replicate.Config{})
	if err != nil {
		h.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := &node{st: st, h: h, r: r, stop: cancel, done: make(chan error, 1)}
	go func() { n.done <- r.Run(ctx) }()
	select {
	case <-r.Ready():
		return n, nil
	case err := <-n.done:
		h.Close()
		return nil, fmt.Errorf("replicator: %w", err)
	}
}

// close stops the replicator and the host, then closes the store.
func (n *node) close() {
	n.stop()
	<-n.done
	n.h.Close()
	n.st.Close()
}

// waitFor polls cond every 5 ms until it is true or d passes.
func waitFor(ctx context.Context, d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
	return true
}

func demandCount(st *store.Store) int {
	n := 0
	for _, k := range st.DemandCounts() {
		n += k
	}
	return n
}

// MeasureIngest applies feed to an empty store in a new directory under
// workDir ("" = the system's temp dir), closes it, reopens it unless
// skipReopen, and returns what it measured. The store is removed afterwards.
func MeasureIngest(workDir string, feed *Feed, skipReopen bool) (Ingest, error) {
	return measureIngest(Config{WorkDir: workDir, SkipReopen: skipReopen}, feed)
}

// MeasureIngestBatch is MeasureIngestWith with batches of batch changes
// handed to ApplyRemote (0: changestream's default).
func MeasureIngestBatch(workDir string, feed *Feed, skipReopen bool, opts store.Options, batch int) (Ingest, error) {
	return measureIngest(Config{WorkDir: workDir, SkipReopen: skipReopen, StoreOptions: opts, IngestBatch: batch}, feed)
}

// MeasureIngestWith is MeasureIngest with the store (ingest and reopen)
// opened with opts (ValueLogGCInterval is -1 whatever opts say), e.g. a
// hub's lean store (store.Options.Lean).
func MeasureIngestWith(workDir string, feed *Feed, skipReopen bool, opts store.Options) (Ingest, error) {
	return measureIngest(Config{WorkDir: workDir, SkipReopen: skipReopen, StoreOptions: opts}, feed)
}

// MeasureIngestKeep is MeasureIngestWith that keeps the store: it is moved
// to keep (a directory that must not exist yet) after the measurement.
func MeasureIngestKeep(workDir string, feed *Feed, skipReopen bool, opts store.Options, keep string) (Ingest, error) {
	return measureIngest(Config{WorkDir: workDir, SkipReopen: skipReopen, StoreOptions: opts, KeepStore: keep}, feed)
}

// MeasureIngestConfig is MeasureIngest with every setting of cfg (the
// store's options, the batch handed to ApplyRemote, a store kept).
func MeasureIngestConfig(cfg Config, feed *Feed) (Ingest, error) { return measureIngest(cfg, feed) }

func measureIngest(cfg Config, feed *Feed) (Ingest, error) {
	r := Ingest{N: feed.N, BytesPerChange: float64(feed.Bytes) / float64(max(feed.N, 1))}
	parent, err := os.MkdirTemp(cfg.WorkDir, "ingest-*")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(parent)
	if cfg.KeepStore != "" {
		defer func() {
			if err := os.Rename(filepath.Join(parent, "store"), cfg.KeepStore); err != nil {
				fmt.Fprintf(os.Stderr, "keep the ingested store: %v\n", err)
			}
		}()
	}
	r.BaseRSS = resetPeak()
	// The labels let a CPU profile of the run be split by phase
	// (go tool pprof -tagfocus phase=ingest); goroutines started inside,
	// Badger's compactors too, inherit them.
	ingestCtx := pprof.WithLabels(context.Background(), pprof.Labels("phase", "ingest"))
	pprof.SetGoroutineLabels(ingestCtx)
	defer pprof.SetGoroutineLabels(context.Background())
	st, err := openNodeWith(parent, "store", nil, feed.Network, cfg.StoreOptions)
	if err != nil {
		return r, err
	}
	stopMem := memPeak(50 * time.Millisecond)
	cost := startCost()
	start := time.Now()
	expected := feed.N
	if cfg.NoCatchUp {
		expected = 0
	}
	stats, err := ingestBatch(st, feed.Path, cfg.IngestBatch, expected)
	r.Seconds = time.Since(start).Seconds()
	r.Cost = cost.done(feed.N)
	<-st.ViewsBuilt() // the views a large catch-up builds after its demand list
	r.ViewsSeconds = time.Since(start).Seconds()
	r.ViewsCost = cost.done(feed.N)
	r.PeakMem = stopMem()
	r.PeakRSS = peakRSS()
	r.Applied = stats.Applied
	r.PerSec = float64(feed.N) / r.Seconds
	if err == nil && st.VersionVector()[feed.Author] != uint64(feed.N) {
		err = fmt.Errorf("ingest of %d: store holds %d of the feed (%+v)", feed.N, st.VersionVector()[feed.Author], stats)
	}
	closeStart, closeCPU := time.Now(), cpuTime()
	st.Close()
	r.CloseSeconds, r.CloseCPUSeconds = time.Since(closeStart).Seconds(), (cpuTime() - closeCPU).Seconds()
	pprof.SetGoroutineLabels(context.Background())
	if err != nil {
		return r, err
	}
	r.Disk = diskUsage(parent)
	if cfg.SkipReopen {
		return r, nil
	}

	resetPeak()
	start = time.Now()
	openCPU := cpuTime()
	pprof.Do(context.Background(), pprof.Labels("phase", "open"), func(context.Context) {
		opts := cfg.StoreOptions
		opts.ValueLogGCInterval = -1
		st, err = store.Open(parent+"/store", opts)
	})
	if err != nil {
		return r, err
	}
	r.OpenSeconds = time.Since(start).Seconds()
	r.OpenCPUSeconds = (cpuTime() - openCPU).Seconds()
	opened := time.Now()
	time.Sleep(cmp.Or(cfg.IdleWait, time.Second))
	r.IdleRSS = resetPeak()
	r.IdleMem = memNow()
	if cfg.IdleHook != nil {
		cfg.IdleHook(st)
	}
	if cfg.SettleWait > 0 {
		r.SettledBuilders = waitBuilders(cfg.SettleWait)
		resetPeak()
		r.SettledMem = memNow()
		r.SettledSeconds = time.Since(opened).Seconds()
	}
	if got := demandCount(st); got != feed.N {
		err = fmt.Errorf("reopened store lists %d demands; want %d", got, feed.N)
	}
	st.Close()
	return r, err
}

// MeasureCatchUp measures a catch-up of feed to an empty laptop over
// loopback libp2p (the hub ingests the feed first, not timed), stores under
// workDir, waiting at most timeout.
func MeasureCatchUp(ctx context.Context, workDir string, feed *Feed, timeout time.Duration) (Sync, error) {
	return measureCatchUp(ctx, Config{WorkDir: workDir, SyncTimeout: timeout}, feed)
}

// measureCatchUp: a hub holding the feed (ingested, not timed) and an empty
// laptop; the laptop dials the hub through the counting proxy and the clock
// runs until the laptop holds what the hub holds.
func measureCatchUp(ctx context.Context, cfg Config, feed *Feed) (Sync, error) {
	r := Sync{Name: fmt.Sprintf("catch-up %d → empty laptop", feed.N), N: feed.N + 1, Records: feed.N}
	if feed.EndorserLast {
		r.Name += ", endorser's feed sent last"
	}
	parent, err := os.MkdirTemp(cfg.WorkDir, "catchup-*")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(parent)
	resetPeak()
	hubSt, err := openNode(parent, "hub", feed.Nodes[0], feed.Network)
	if err != nil {
		return r, err
	}
	if _, err := ingest(hubSt, feed.Path); err != nil {
		hubSt.Close()
		return r, err
	}
	lapSt, err := openNode(parent, "laptop", feed.Nodes[1], feed.Network)
	if err != nil {
		hubSt.Close()
		return r, err
	}
	return r, heal(ctx, cfg, &r, hubSt, lapSt)
}

// heal starts replication on both stores, connects laptop to hub through a
// counting proxy and waits until their version vectors are equal. It closes
// both stores.
func heal(ctx context.Context, cfg Config, r *Sync, hubSt, lapSt *store.Store) error {
	hub, err := startNode(hubSt)
	if err != nil {
		hubSt.Close()
		lapSt.Close()
		return err
	}
	defer hub.close()
	lap, err := startNode(lapSt)
	if err != nil {
		lapSt.Close()
		return err
	}
	defer lap.close()
	px, err := newProxy(hub.h.Libp2p().Addrs())
	if err != nil {
		return err
	}
	defer px.Close()

	cost := startCost()
	start := time.Now()
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	err = lap.h.ConnectInfo(cctx, peer.AddrInfo{ID: hub.h.ID(), Addrs: []ma.Multiaddr{px.Addr()}})
	cancel()
	if err != nil {
		return fmt.Errorf("connect laptop to hub: %w", err)
	}
	// caught up: every change held and the views built (a large catch-up
	// builds them once at its end: store.Store.BeginCatchUp)
	var listAt time.Duration // every change held and the demand list whole
	same := func() bool {
		if !lapSt.VersionVector().Equal(hubSt.VersionVector()) {
			return false
		}
		if listAt == 0 && demandCount(lapSt) == demandCount(hubSt) {
			listAt = time.Since(start)
		}
		return !lapSt.ViewsBuilding()
	}
	r.Converged = waitFor(ctx, cfg.SyncTimeout, same)
	r.Seconds = time.Since(start).Seconds()
	r.ListSeconds = listAt.Seconds()
	r.Cost = cost.done(r.N)
	r.PeakRSS = peakRSS()
	r.PerSec = float64(r.N) / r.Seconds
	r.WireBytes = px.Bytes()
	r.Conns = px.conns.Load()
	if !r.Converged {
		r.Note = fmt.Sprintf("did not converge in %v", cfg.SyncTimeout)
	} else if a, b := demandCount(hubSt), demandCount(lapSt); a != b {
		r.Converged = false
		r.Note = fmt.Sprintf("vectors equal but hub lists %d demands, laptop %d", a, b)
	}
	if rej := lapSt.Rejected(); len(rej) > 0 {
		r.Note += fmt.Sprintf(" laptop refused %v;", rej)
	}
	if rej := hubSt.Rejected(); len(rej) > 0 {
		r.Note += fmt.Sprintf(" hub refused %v;", rej)
	}
	if st := lap.r.Stats(); st.Rounds > 1 {
		r.Note += fmt.Sprintf(" %d rounds, %d changes received for %d applied;", st.Rounds, st.Received, st.Applied)
	}
	if n := len(hub.h.Libp2p().Network().ConnsToPeer(lap.h.ID())); n > 1 {
		r.Note += fmt.Sprintf(" (%d connections: some traffic may have bypassed the proxy)", n)
	}
	return nil
}

// measurePartition: hub and laptop hold the same base feed (ingested, not
// timed), then each records n demands of its own while apart (RecordDemand,
// timed apart as the local write rate), then they reconnect.
func measurePartition(ctx context.Context, cfg Config, base *Feed, n int) (Sync, error) {
	r := Sync{Name: fmt.Sprintf("partition %d + %d on a base of %d, healed", n, n, base.N), N: 2 * n}
	parent, err := os.MkdirTemp(cfg.WorkDir, "partition-*")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(parent)
	resetPeak()
	var sts [2]*store.Store
	for i, name := range []string{"hub", "laptop"} {
		st, err := openNode(parent, name, base.Nodes[i], base.Network)
		if err == nil {
			_, err = ingest(st, base.Path)
		}
		if err != nil {
			for _, s := range sts[:i] {
				s.Close()
			}
			if st != nil {
				st.Close()
			}
			return r, err
		}
		sts[i] = st
	}
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, st := range sts {
		wg.Go(func() {
			for k := range n {
				if _, err := st.RecordDemand(Demand(base.N + i*n + k)); err != nil {
					errs[i] = fmt.Errorf("RecordDemand: %w", err)
					return
				}
			}
		})
	}
	wg.Wait()
	r.LocalPerSec = float64(2*n) / time.Since(start).Seconds()
	if err := errors.Join(errs...); err != nil {
		sts[0].Close()
		sts[1].Close()
		return r, err
	}
	return r, heal(ctx, cfg, &r, sts[0], sts[1])
}

// measureLive: Members nodes in a full mesh; each in turn records a demand,
// every cfg.LiveInterval; a change's latency is the time from just before
// RecordDemand to the last other node's store event for it.
func measureLive(ctx context.Context, cfg Config, roster *Feed) (Live, error) {
	r := Live{Nodes: Members, Changes: cfg.LiveChanges}
	parent, err := os.MkdirTemp(cfg.WorkDir, "live-*")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(parent)
	nodes := make([]*node, 0, Members)
	defer func() {
		for _, n := range nodes {
			n.close()
		}
	}()
	var mu sync.Mutex
	seen := make([]map[string]time.Time, Members)
	var subs sync.WaitGroup
	for i := range Members {
		st, err := openNode(parent, fmt.Sprintf("node%d", i), roster.Nodes[i], roster.Network)
		if err == nil {
			_, err = ingest(st, roster.Path)
		}
		if err != nil {
			if st != nil {
				st.Close()
			}
			return r, err
		}
		seen[i] = map[string]time.Time{}
		ch, _ := st.Subscribe() // ends when the store closes
		subs.Go(func() {
			for ev := range ch {
				if ev.Kind == store.EventDemand {
					t := time.Now()
					mu.Lock()
					if _, ok := seen[i][ev.ID]; !ok {
						seen[i][ev.ID] = t
					}
					mu.Unlock()
				}
			}
		})
		n, err := startNode(st)
		if err != nil {
			st.Close()
			return r, err
		}
		nodes = append(nodes, n)
	}
	for i, a := range nodes {
		for _, b := range nodes[i+1:] {
			cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			err := a.h.ConnectInfo(cctx, peer.AddrInfo{ID: b.h.ID(), Addrs: b.h.Libp2p().Addrs()})
			cancel()
			if err != nil {
				return r, fmt.Errorf("connect nodes: %w", err)
			}
		}
	}
	visible := func(id string, author int) (time.Time, bool) {
		mu.Lock()
		defer mu.Unlock()
		var last time.Time
		for j := range nodes {
			if j == author {
				continue
			}
			t, ok := seen[j][id]
			if !ok {
				return last, false
			}
			if t.After(last) {
				last = t
			}
		}
		return last, true
	}
	// Warm up until a change reaches everyone by gossip (the mesh has formed).
	for k := 0; ; k++ {
		d, err := nodes[k%Members].st.RecordDemand(Demand(k))
		if err != nil {
			return r, err
		}
		if waitFor(ctx, time.Second, func() bool { _, ok := visible(d.ID, k%Members); return ok }) {
			break
		}
		if k == 20 {
			return r, fmt.Errorf("live: gossip did not deliver a change to all nodes within 1 s, 20 times")
		}
	}
	type made struct {
		id     string
		author int
		at     time.Time
	}
	var changes []made
	tick := time.NewTicker(cfg.LiveInterval)
	for k := range cfg.LiveChanges {
		<-tick.C
		author := k % Members
		at := time.Now()
		d, err := nodes[author].st.RecordDemand(Demand(1000 + k))
		if err != nil {
			tick.Stop()
			return r, err
		}
		changes = append(changes, made{d.ID, author, at})
	}
	tick.Stop()
	waitFor(ctx, cfg.LiveWait, func() bool {
		for _, c := range changes {
			if _, ok := visible(c.id, c.author); !ok {
				return false
			}
		}
		return true
	})
	r.Waitms = float64(cfg.LiveWait.Milliseconds())
	var lat []float64
	for _, c := range changes {
		if t, ok := visible(c.id, c.author); ok {
			lat = append(lat, float64(t.Sub(c.at).Microseconds())/1000)
		} else {
			r.Missing++
		}
	}
	slices.Sort(lat)
	// Missing changes count as slower than all others (they are at least the wait).
	all := len(lat) + r.Missing
	pct := func(p float64) float64 {
		i := int(p * float64(all-1))
		if i >= len(lat) {
			return -1 // a missing change: above r.Waitms
		}
		return lat[i]
	}
	if all > 0 {
		r.P50ms, r.P99ms = pct(0.50), pct(0.99)
		if r.Missing > 0 {
			r.Maxms = -1
		} else {
			r.Maxms = lat[len(lat)-1]
		}
	}
	return r, nil
}
