package peersim

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/node"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
	"github.com/reliefmesh/reliefmesh/sync/replicate"
)

// Config sizes a simulation. Nodes = Sites × (LaptopsPerSite + 1).
type Config struct {
	// Sites is the number of sites, each one hub and its laptops; at least 2
	// (the partition cuts site 1 from the others).
	Sites int
	// LaptopsPerSite is the number of laptops at each site; at least 1.
	LaptopsPerSite int
	// Dir holds one data directory per node (real Badger stores on disk, so
	// that a node can leave and come back with its data).
	Dir string
	// Writes is how many demands each running laptop records in each
	// writing phase; 0 means 2.
	Writes int
	// Churn is how many laptops leave in the churn phase (spread over the
	// sites): the even-numbered ones come back with their data, the others
	// lost theirs and come back as new devices that join again. 0 means one
	// laptop in ten, at least 2.
	Churn int
	// Interval is every node's catch-up interval (node.Config.Interval);
	// 0 means 5 s. Redial is the redial interval; 0 means 500 ms.
	Interval, Redial time.Duration
	// Idle is how long the idle phase lasts (nothing is written: the cost of
	// keeping N nodes in step); 0 skips it.
	Idle time.Duration
	// HubGossipD overrides the hubs' gossip mesh degree
	// (node.Config.GossipD); 0 keeps node.HubConfig's, negative means
	// gossipsub's default (for comparison).
	HubGossipD int
	// IDontWantAbove is every node's node.Config.IDontWantAbove (0: every
	// change is announced; negative: gossipsub's default).
	IDontWantAbove int
	// Warmup is how long the start phase waits once every link is connected
	// and every store holds the roster, before the first write: gossipsub
	// grafts its mesh at its heartbeats (every second), and for 10 s after a
	// connection opens the replicator nudges the peer with extra catch-up
	// rounds after each publish. 0 means 2 s; 11 s measures the steady
	// state.
	Warmup time.Duration
	// Timeout bounds each wait for convergence; 0 means 5 minutes.
	Timeout time.Duration
	// Logger receives every node's logs (with a "node" attribute); nil
	// discards them.
	Logger *slog.Logger
	// Logf receives progress lines; nil discards them.
	Logf func(format string, args ...any)
}

func (c *Config) fill() error {
	if c.Sites < 2 || c.LaptopsPerSite < 1 {
		return fmt.Errorf("peersim: %d sites of %d laptops: want at least 2 sites of 1 laptop", c.Sites, c.LaptopsPerSite)
	}
	if c.Dir == "" {
		return errors.New("peersim: no directory for the stores")
	}
	if c.Writes <= 0 {
		c.Writes = 2
	}
	laptops := c.Sites * c.LaptopsPerSite
	if c.Churn <= 0 {
		c.Churn = max(2, laptops/10)
	}
	c.Churn = min(c.Churn, laptops)
	if c.Interval <= 0 {
		c.Interval = 5 * time.Second
	}
	if c.Redial <= 0 {
		c.Redial = 500 * time.Millisecond
	}
	if c.Timeout <= 0 {
		c.Timeout = 5 * time.Minute
	}
	if c.Warmup <= 0 {
		c.Warmup = 2 * time.Second
	}
	if c.Logf == nil {
		c.Logf = func(string, ...any) {}
	}
	return nil
}

// Phase is what one phase of the simulation measured. Bytes, Deliveries,
// Rounds and CPU are totals over all nodes, from the phase's start to the
// moment every node held every change.
type Phase struct {
	Name string
	// Nodes is the number of nodes running at the end of the phase.
	Nodes int
	// Changes is the number of changes written during the phase (new
	// entries of the union of every node's version vector).
	Changes int
	// Converge is the time from the phase's first write (or the heal, or
	// the nodes' return) until every running node held every change.
	Converge time.Duration
	// Bytes are the bytes on the wire over every link.
	Bytes int64
	// LaptopBytes are the bytes on the wire over the laptops' links (each
	// laptop's one link to its hub, both directions), and Laptops the
	// number of laptops running at the end of the phase: what one laptop
	// pays is LaptopBytes / Laptops.
	LaptopBytes int64
	Laptops     int
	// HelloBytes are the bytes of catch-up hello and done frames sent
	// (replicate.Stats.HelloBytes), all nodes.
	HelloBytes uint64
	// Deliveries are the changes nodes received by catch-up or gossip, new
	// and duplicate (replicate.Stats: Received + gossip accepted, ignored
	// and rejected); 1 per change per receiving node is the least possible.
	Deliveries uint64
	// ByGossip and ByCatchUp split the new changes stored (each change once
	// per node that lacked it) by the way they came: gossip accepted,
	// catch-up applied.
	ByGossip, ByCatchUp uint64
	// Rounds are the catch-up rounds run (completed and failed).
	Rounds uint64
	// Span is the phase's whole length: from its start (before its writes,
	// its nodes leaving or its cut) until convergence.
	Span time.Duration
	// CPU is the process's CPU time (user + system).
	CPU time.Duration
	// PeakRSS is the process's peak resident set during the phase, in bytes
	// (0 where /proc is missing).
	PeakRSS int64
}

// Report is the outcome of Run.
type Report struct {
	Nodes, Sites, LaptopsPerSite int
	Phases                       []Phase
	// Changes is the number of changes every node holds at the end.
	Changes int
	// Demands is the number of demands every node holds at the end.
	Demands int
	// Digest is the digest every store has at the end (change ids by feed
	// and seq, every demand's fold).
	Digest string
	// PeakRSS is the process's peak resident set over the whole run, bytes.
	PeakRSS int64
	// PeakHeap is the largest Go heap (objects in use) sampled, bytes.
	PeakHeap uint64
}

// Sim is a running simulation: the nodes, their stores and the links.
type Sim struct {
	cfg     Config
	members []*member
	links   []*link
	network string
	cpu0    time.Duration

	mu   sync.Mutex
	gone replicate.Stats // counters of nodes that stopped
	seq  int             // for directories of replacement devices
}

type member struct {
	name string
	dir  string
	hub  bool
	site int
	st   *store.Store
	n    *node.Node
	up   bool

	amu  sync.Mutex
	addr string // host:port the running node listens on; "" while down
}

func (m *member) target() string {
	m.amu.Lock()
	defer m.amu.Unlock()
	return m.addr
}

func (m *member) setTarget(a string) {
	m.amu.Lock()
	m.addr = a
	m.amu.Unlock()
}

// link is one node dialling another through a proxy.
type link struct {
	from, to *member
	p        *proxy
}

// New creates the stores and links of cfg and starts every node: hub 0
// founds the network and endorses the other hubs (coordinators) and every
// laptop (volunteers); the roster is handed to each store before its node
// starts, as enrolment does. Laptops dial their site's hub, hubs dial each
// other, every link through a counting proxy. Close stops it.
func New(ctx context.Context, cfg Config) (*Sim, error) {
	if err := cfg.fill(); err != nil {
		return nil, err
	}
	s := &Sim{cfg: cfg, cpu0: cpuTime()}
	ok := false
	defer func() {
		if !ok {
			s.Close()
		}
	}()
	for site := range cfg.Sites {
		s.members = append(s.members, &member{name: fmt.Sprintf("h%02d", site), hub: true, site: site})
	}
	for site := range cfg.Sites {
		for l := range cfg.LaptopsPerSite {
			s.members = append(s.members, &member{name: fmt.Sprintf("s%02dl%02d", site, l), site: site})
		}
	}
	for _, m := range s.members {
		m.dir = filepath.Join(cfg.Dir, m.name)
		st, err := store.Open(m.dir, store.Options{})
		if err != nil {
			return nil, fmt.Errorf("peersim: open store of %s: %w", m.name, err)
		}
		m.st = st
	}
	coord := s.members[0].st
	nw, err := coord.CreateNetwork("模拟", s.members[0].name)
	if err != nil {
		return nil, fmt.Errorf("peersim: create network: %w", err)
	}
	s.network = nw.ID
	for _, m := range s.members[1:] {
		if err := s.enrol(m); err != nil {
			return nil, err
		}
	}
	var roster []*ledger.Change
	if err := coord.ChangesSince(ledger.VersionVector{}, func(c *ledger.Change) error { roster = append(roster, c); return nil }); err != nil {
		return nil, fmt.Errorf("peersim: read roster: %w", err)
	}
	for _, m := range s.members[1:] {
		if _, err := m.st.ApplyRemote(roster); err != nil {
			return nil, fmt.Errorf("peersim: hand the roster to %s: %w", m.name, err)
		}
	}
	for _, m := range s.members {
		if m.hub {
			for _, o := range s.members {
				if o.hub && o.site > m.site {
					if err := s.link(m, o); err != nil {
						return nil, err
					}
				}
			}
		} else if err := s.link(m, s.members[m.site]); err != nil {
			return nil, err
		}
	}
	// Hubs dial the hubs after them and laptops dial hubs: start the hubs
	// first, last to first, so that no dial meets a node not yet listening
	// (libp2p would back off from it for seconds).
	for i := cfg.Sites - 1; i >= 0; i-- {
		if err := s.start(ctx, s.members[i]); err != nil {
			return nil, err
		}
	}
	for _, m := range s.members[cfg.Sites:] {
		if err := s.start(ctx, m); err != nil {
			return nil, err
		}
	}
	ok = true
	return s, nil
}

// enrol makes m's store join the network and has hub 0 endorse it.
func (s *Sim) enrol(m *member) error {
	if err := m.st.JoinNetwork(s.network); err != nil {
		return fmt.Errorf("peersim: %s joins: %w", m.name, err)
	}
	role := relief.RoleVolunteer
	if m.hub {
		role = relief.RoleCoordinator
	}
	if err := s.members[0].st.Endorse(m.st.Device(), role, m.name); err != nil {
		return fmt.Errorf("peersim: endorse %s: %w", m.name, err)
	}
	return nil
}

func (s *Sim) link(from, to *member) error {
	p, err := newProxy(to.target)
	if err != nil {
		return err
	}
	s.links = append(s.links, &link{from: from, to: to, p: p})
	return nil
}

// start starts m's node on its store: listening on 127.0.0.1 (any port,
// announcing no address, so that nodes meet only through the links) and
// dialling the far ends of its links.
func (s *Sim) start(ctx context.Context, m *member) error {
	cfg := node.LoopbackConfig()
	cfg.NoAnnounce = true
	cfg.Interval, cfg.Redial = s.cfg.Interval, s.cfg.Redial
	cfg.IDontWantAbove = s.cfg.IDontWantAbove
	if s.cfg.Logger != nil {
		cfg.Logger = s.cfg.Logger.With("node", m.name)
	}
	if m.hub {
		h := node.HubConfig()
		cfg.MaxInboundRounds, cfg.ConnsPerIP, cfg.ConnLow, cfg.ConnHigh = h.MaxInboundRounds, h.ConnsPerIP, h.ConnLow, h.ConnHigh
		cfg.GossipD = h.GossipD
		if s.cfg.HubGossipD != 0 {
			cfg.GossipD = max(0, s.cfg.HubGossipD)
		}
	}
	for _, l := range s.links {
		if l.from != m {
			continue
		}
		id, err := p2p.PeerIDOf(l.to.st.Device())
		if err != nil {
			return fmt.Errorf("peersim: peer id of %s: %w", l.to.name, err)
		}
		cfg.Peers = append(cfg.Peers, l.p.Addr()+"/p2p/"+id.String())
	}
	n, err := node.Start(ctx, m.st, cfg)
	if err != nil {
		return fmt.Errorf("peersim: start %s: %w", m.name, err)
	}
	m.n, m.up = n, true
	// The node announces no address (NoAnnounce): ask where it listens.
	for _, a := range n.Host().Libp2p().Network().ListenAddresses() {
		if t := dialAddr(a.String()); t != "" {
			m.setTarget(t)
			break
		}
	}
	return nil
}

// stop stops m's node and closes its store, keeping its counters.
func (s *Sim) stop(m *member) error {
	m.setTarget("")
	if !m.up {
		return nil
	}
	m.up = false
	st := m.n.Replicator().Stats()
	s.mu.Lock()
	addStats(&s.gone, st)
	s.mu.Unlock()
	err := m.n.Close()
	if cerr := m.st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("peersim: stop %s: %w", m.name, err)
	}
	return nil
}

func addStats(t *replicate.Stats, s replicate.Stats) {
	t.Rounds += s.Rounds
	t.RoundsFailed += s.RoundsFailed
	t.Received += s.Received
	t.Applied += s.Applied
	t.GossipAccepted += s.GossipAccepted
	t.GossipIgnored += s.GossipIgnored
	t.GossipRejected += s.GossipRejected
	t.HelloBytes += s.HelloBytes
	t.GossipDropped += s.GossipDropped
	t.GossipUnvalidated += s.GossipUnvalidated
	t.QuietSkipped += s.QuietSkipped
	t.BaseUnknown += s.BaseUnknown
	t.PassedOn += s.PassedOn
	t.GapTriggered += s.GapTriggered
}

// Close stops every node, closes every store and link. The directories stay.
func (s *Sim) Close() error {
	var errs []error
	for _, m := range s.members {
		if m.up {
			errs = append(errs, s.stop(m))
		} else if m.st != nil && m.n == nil {
			errs = append(errs, m.st.Close())
		}
	}
	for _, l := range s.links {
		l.p.Close()
	}
	return errors.Join(errs...)
}

// totals are the cumulative counters a phase takes the difference of.
type totals struct {
	bytes      int64
	laptop     int64
	hello      uint64
	all        replicate.Stats // every counter, summed
	deliveries uint64
	gossip     uint64
	catchUp    uint64
	rounds     uint64
	cpu        time.Duration
}

func (s *Sim) totals() totals {
	s.mu.Lock()
	all := s.gone
	s.mu.Unlock()
	for _, m := range s.members {
		if m.up {
			addStats(&all, m.n.Replicator().Stats())
		}
	}
	t := totals{deliveries: all.Received + all.GossipAccepted + all.GossipIgnored + all.GossipRejected,
		gossip: all.GossipAccepted, catchUp: all.Applied, rounds: all.Rounds + all.RoundsFailed, cpu: cpuTime(),
		hello: all.HelloBytes, all: all}
	for _, l := range s.links {
		b := l.p.Bytes()
		t.bytes += b
		if !l.from.hub {
			t.laptop += b
		}
	}
	return t
}

func (s *Sim) running() []*member {
	var out []*member
	for _, m := range s.members {
		if m.up {
			out = append(out, m)
		}
	}
	return out
}

// union returns the union of the version vectors of ms.
func union(ms []*member) ledger.VersionVector {
	u := ledger.VersionVector{}
	for _, m := range ms {
		u.Merge(m.st.VersionVector())
	}
	return u
}

func size(v ledger.VersionVector) int {
	n := 0
	for _, q := range v {
		n += int(q)
	}
	return n
}

// lagging returns the members of ms whose version vector does not hold
// every change of the union of groups' vectors (each group on its own).
func lagging(groups ...[]*member) []*member {
	var out []*member
	for _, g := range groups {
		u := union(g)
		for _, m := range g {
			if !m.st.VersionVector().Dominates(u) {
				out = append(out, m)
			}
		}
	}
	return out
}

// settle is how long a phase waits after convergence before it reads the
// counters (a round adds its counts when it ends).
const settle = 300 * time.Millisecond

// connected polls until every link whose two ends run is connected.
func (s *Sim) connected(ctx context.Context) error {
	deadline := time.Now().Add(s.cfg.Timeout)
	for {
		missing := 0
		for _, l := range s.links {
			if !l.from.up || !l.to.up {
				continue
			}
			id, err := p2p.PeerIDOf(l.to.st.Device())
			if err != nil {
				return fmt.Errorf("peersim: peer id of %s: %w", l.to.name, err)
			}
			if l.from.n.Host().Libp2p().Network().Connectedness(id) != network.Connected {
				missing++
			}
		}
		if missing == 0 {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("peersim: %d links still not connected after %v", missing, s.cfg.Timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// wait polls until every member of each group holds every change of its
// group, and returns how long it took from since; an error after Timeout,
// naming the members still behind.
func (s *Sim) wait(ctx context.Context, what string, since time.Time, groups ...[]*member) (time.Duration, error) {
	deadline := time.Now().Add(s.cfg.Timeout)
	for {
		behind := lagging(groups...)
		if len(behind) == 0 {
			return time.Since(since), nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			names := []string{}
			for _, m := range behind {
				names = append(names, m.name)
			}
			if err := ctx.Err(); err != nil {
				return 0, fmt.Errorf("peersim: %s: interrupted after %v with %d nodes lacking changes: %w", what, time.Since(since).Round(time.Millisecond), len(behind), err)
			}
			return 0, fmt.Errorf("peersim: %s: %d nodes still lack changes after %v: %v", what, len(behind), s.cfg.Timeout, names)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// write has every running laptop record cfg.Writes demands, all laptops at
// once.
func (s *Sim) write(tag string) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(s.members))
	for _, m := range s.running() {
		if m.hub {
			continue
		}
		wg.Go(func() {
			for i := range s.cfg.Writes {
				d := relief.Demand{Title: fmt.Sprintf("%s %s 需求 %d", tag, m.name, i), Category: "other"}
				if _, err := m.st.RecordDemand(d); err != nil {
					errs <- fmt.Errorf("peersim: %s records a demand: %w", m.name, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// Run runs the phases — start (the roster), write (every laptop writes),
// idle (Config.Idle without writes), churn (laptops leave, the others
// write, they come back, some without their data), partition (site 1 cut
// from the others, both sides write, healed) — then checks that every store
// is identical. Each phase waits until every running node holds every
// change (within Config.Timeout).
func (s *Sim) Run(ctx context.Context) (Report, error) {
	rep := Report{Nodes: len(s.members), Sites: s.cfg.Sites, LaptopsPerSite: s.cfg.LaptopsPerSite}
	var heap uint64
	stopSampler := sampleHeap(&heap)
	defer func() { stopSampler() }()
	phase := func(name string, body func(p *Phase) error) error {
		resetPeak()
		t0 := s.totals()
		u0 := size(union(s.running()))
		p := Phase{Name: name}
		start := time.Now()
		if err := body(&p); err != nil {
			return err
		}
		p.Span = time.Since(start)
		// Counters are added when a batch or a round ends: let those
		// under way at convergence finish.
		time.Sleep(settle)
		t1 := s.totals()
		live := s.running()
		p.Nodes = len(live)
		p.Changes = size(union(live)) - u0
		p.ByGossip, p.ByCatchUp = t1.gossip-t0.gossip, t1.catchUp-t0.catchUp
		p.Bytes, p.Deliveries, p.Rounds, p.CPU = t1.bytes-t0.bytes, t1.deliveries-t0.deliveries, t1.rounds-t0.rounds, t1.cpu-t0.cpu
		p.LaptopBytes, p.HelloBytes = t1.laptop-t0.laptop, t1.hello-t0.hello
		for _, m := range live {
			if !m.hub {
				p.Laptops++
			}
		}
		p.PeakRSS = peakRSS()
		rep.Phases = append(rep.Phases, p)
		s.cfg.Logf("%s: %d nodes, %d changes, converged in %v, %d bytes (laptops' links %d, hellos %d), %d deliveries (new: %d by gossip, %d by catch-up), %d rounds, CPU %v",
			name, p.Nodes, p.Changes, p.Converge.Round(time.Millisecond), p.Bytes, p.LaptopBytes, p.HelloBytes, p.Deliveries, p.ByGossip, p.ByCatchUp, p.Rounds, p.CPU.Round(time.Millisecond))
		a, b := t0.all, t1.all
		s.cfg.Logf("%s: rounds passed on %d, after a gossip gap %d, periodic skipped %d; gossip dropped %d, unvalidated %d; hellos on an unknown base %d",
			name, b.PassedOn-a.PassedOn, b.GapTriggered-a.GapTriggered, b.QuietSkipped-a.QuietSkipped, b.GossipDropped-a.GossipDropped,
			b.GossipUnvalidated-a.GossipUnvalidated, b.BaseUnknown-a.BaseUnknown)
		return nil
	}
	all := func() []*member { return s.running() }
	err := phase("start", func(p *Phase) error {
		t := time.Now()
		if err := s.connected(ctx); err != nil {
			return err
		}
		var err error
		p.Converge, err = s.wait(ctx, "start", t, all())
		time.Sleep(s.cfg.Warmup)
		return err
	})
	if err == nil {
		err = phase("write", func(p *Phase) error {
			t := time.Now()
			if err := s.write("W"); err != nil {
				return err
			}
			var err error
			p.Converge, err = s.wait(ctx, "write", t, all())
			return err
		})
	}
	if err == nil && s.cfg.Idle > 0 {
		err = phase("idle", func(p *Phase) error {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(s.cfg.Idle):
			}
			p.Converge = s.cfg.Idle
			return nil
		})
	}
	if err == nil {
		err = phase("churn", func(p *Phase) error { return s.churn(ctx, p) })
	}
	if err == nil {
		err = phase("partition", func(p *Phase) error { return s.partition(ctx, p) })
	}
	if err == nil {
		rep.Digest, rep.Changes, rep.Demands, err = s.same()
	}
	stopSampler()
	stopSampler = func() {}
	rep.PeakHeap, rep.PeakRSS = heap, peakRSS()
	return rep, err
}

// churn stops cfg.Churn laptops (spread over the sites), has the others
// write, waits until they converge, then brings the stopped ones back — the
// even-numbered with their store, the others as new devices (their store
// lost: a new key, endorsed by hub 0, catching up from nothing) — and
// measures the time from the return until every node holds every change.
func (s *Sim) churn(ctx context.Context, p *Phase) error {
	var leave []*member
	for i := 0; len(leave) < s.cfg.Churn; i++ {
		site, l := i%s.cfg.Sites, i/s.cfg.Sites
		leave = append(leave, s.members[s.cfg.Sites+site*s.cfg.LaptopsPerSite+l])
	}
	for _, m := range leave {
		if err := s.stop(m); err != nil {
			return err
		}
	}
	if err := s.write("C"); err != nil {
		return err
	}
	if _, err := s.wait(ctx, "churn: while laptops are away", time.Now(), s.running()); err != nil {
		return err
	}
	t := time.Now()
	for i, m := range leave {
		if i%2 == 1 {
			if err := s.replace(m); err != nil {
				return err
			}
		} else {
			st, err := store.Open(m.dir, store.Options{})
			if err != nil {
				return fmt.Errorf("peersim: reopen %s: %w", m.name, err)
			}
			m.st = st
		}
		if err := s.start(ctx, m); err != nil {
			return err
		}
	}
	var err error
	p.Converge, err = s.wait(ctx, "churn: after the return", t, s.running())
	return err
}

// replace gives m a new, empty store (a new device) endorsed by hub 0, as a
// laptop that lost its disk and joined again. Its old feed stays in the
// roster and in every store.
func (s *Sim) replace(m *member) error {
	s.seq++
	m.dir = filepath.Join(s.cfg.Dir, fmt.Sprintf("%s-new%d", m.name, s.seq))
	st, err := store.Open(m.dir, store.Options{})
	if err != nil {
		return fmt.Errorf("peersim: new store for %s: %w", m.name, err)
	}
	m.st = st
	return s.enrol(m)
}

// partition cuts site 1 from the other sites (every hub-to-hub link of its
// hub), has every laptop write, waits until each side converged on its own,
// heals the links and measures the time from the heal until every node
// holds every change.
func (s *Sim) partition(ctx context.Context, p *Phase) error {
	var cut []*link
	for _, l := range s.links {
		if l.from.hub && l.to.hub && (l.from.site == 1 || l.to.site == 1) {
			cut = append(cut, l)
			l.p.Cut()
		}
	}
	if err := s.write("P"); err != nil {
		return err
	}
	var in, out []*member
	for _, m := range s.running() {
		if m.site == 1 {
			in = append(in, m)
		} else {
			out = append(out, m)
		}
	}
	if _, err := s.wait(ctx, "partition: each side on its own", time.Now(), in, out); err != nil {
		return err
	}
	if len(lagging(s.running())) == 0 {
		return errors.New("peersim: partition: the cut site holds what the others wrote: the cut let changes through")
	}
	t := time.Now()
	for _, l := range cut {
		l.p.Heal()
	}
	var err error
	p.Converge, err = s.wait(ctx, "partition: after the heal", t, s.running())
	return err
}

// same checks that every store is identical: the same version vector, the
// same change at every feed and seq, the same fold of every demand. It
// returns the digest, the number of changes and of demands.
func (s *Sim) same() (string, int, int, error) {
	var first string
	var changes, demands int
	var firstName string
	for _, m := range s.members {
		d, c, n, err := digest(m.st)
		if err != nil {
			return "", 0, 0, fmt.Errorf("peersim: digest of %s: %w", m.name, err)
		}
		if first == "" {
			first, changes, demands, firstName = d, c, n, m.name
			continue
		}
		if d != first {
			return "", 0, 0, fmt.Errorf("peersim: stores differ: %s holds %d changes and %d demands (digest %.12s), %s %d and %d (%.12s)",
				firstName, changes, demands, first, m.name, c, n, d)
		}
	}
	return first, changes, demands, nil
}

// digest returns a SHA-256 over every change id by feed and seq and every
// demand's fold (as JSON, by demand id), with the number of changes and
// demands.
func digest(st *store.Store) (string, int, int, error) {
	h := sha256.New()
	n := 0
	err := st.ChangesSince(ledger.VersionVector{}, func(c *ledger.Change) error {
		id := c.ID()
		fmt.Fprintf(h, "%s/%d/%x\n", c.Device, c.Seq, id[:])
		n++
		return nil
	})
	if err != nil {
		return "", 0, 0, err
	}
	var ids []string
	st.EachDemand(store.DemandQuery{}, func(d *relief.Demand) { ids = append(ids, d.ID) })
	slices.Sort(ids)
	for _, id := range ids {
		d, err := st.Demand(id)
		if err != nil {
			return "", 0, 0, fmt.Errorf("demand %s: %w", id, err)
		}
		b, err := json.Marshal(d)
		if err != nil {
			return "", 0, 0, fmt.Errorf("demand %s: %w", id, err)
		}
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), n, len(ids), nil
}

// Dirs returns the data directories in use (for a caller that removes them).
func (s *Sim) Dirs() []string {
	var out []string
	for _, m := range s.members {
		out = append(out, m.dir)
	}
	return out
}
