package replicate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
)

// Config configures a Replicator. The zero value is usable: catch-up every
// 30 s, batches of 256, up to 1,048,576 changes per round, 60 s idle timeout,
// gossip queues of 16,384 messages.
type Config struct {
	// Interval between periodic catch-up rounds with each connected peer;
	// 0 means 30 s. Tests use a few milliseconds.
	Interval time.Duration
	// Batch is how many received changes are applied at once; 0 means the
	// store's preference (store.Store.PreferredBatch; none today), else
	// changestream.DefaultBatch (256).
	Batch int
	// MaxChangesPerRound is the most changes this node accepts from a peer
	// in one round (and announces in its hello); the rest comes in the next
	// round. 0 means 1<<20.
	MaxChangesPerRound int
	// IdleTimeout ends a round when the peer sends nothing for this long;
	// 0 means 60 s.
	IdleTimeout time.Duration
	// GossipQueue is the size of gossipsub's per-peer outbound queue and of
	// its validation queue, in messages; 0 means 16384. gossipsub's default
	// of 32 drops most of a burst.
	GossipQueue int
	// GossipD is the gossip mesh degree: to how many peers each change is
	// pushed at once (gossipsub's D; the mesh is kept between D−D/6 and 2D
	// peers). 0 means gossipsub's default of 6, kept between 5 and 12: a hub
	// with more peers than that pushes to a few and leaves the others to
	// gossip's lazy announcements and to catch-up. A hub sets it to the
	// number of members it serves (node.HubConfig).
	GossipD int
	// IDontWantAbove: on receiving a change of at least this many bytes,
	// gossip tells its other mesh peers at once that it holds it
	// (gossipsub's IDONTWANT), so that they do not send it a copy when they
	// forward it. 0 means every change (a change is a few hundred bytes,
	// under gossipsub's default of 1 KiB, which therefore never
	// announced one: each hub of a full mesh of hubs received every change
	// from every other hub); negative means gossipsub's default.
	IDontWantAbove int
	// MaxRoundsPerPeer is how many catch-up rounds one peer may have started
	// with us at a time; a stream beyond it is reset before anything is read
	// from it and counted in Stats.StreamsRefused. An honest peer runs one
	// round at a time (Trigger queues the next). 0 means
	// DefaultMaxRoundsPerPeer.
	MaxRoundsPerPeer int
	// MaxInboundRounds is how many catch-up rounds all peers together may
	// have started with us at a time; beyond it streams are reset and counted
	// like those above MaxRoundsPerPeer. 0 means DefaultMaxInboundRounds.
	MaxInboundRounds int
	// QuietEvery is how many intervals a peer known to hold everything this
	// store holds goes without a periodic round. The peer's own periodic
	// round brings what it has and we lack, so a round in our direction
	// would send nothing; one still runs every QuietEvery intervals, in case
	// the peer lost changes it had acknowledged (a store restored from a
	// backup). 0 means DefaultQuietEvery; 1 runs every periodic round.
	QuietEvery int
	// OnProgress, if set, receives catch-up progress (one call per applied
	// batch and one at the end of each round, per peer). It is called from
	// the round's goroutine and must not block: copy and hand over.
	OnProgress func(Progress)
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// Clock returns the time used for LastExchange; nil means time.Now.
	Clock func() time.Time
}

func (c *Config) fill() {
	if c.Interval <= 0 {
		c.Interval = 30 * time.Second
	}
	if c.MaxChangesPerRound <= 0 {
		c.MaxChangesPerRound = 1 << 20
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 60 * time.Second
	}
	if c.GossipQueue <= 0 {
		c.GossipQueue = 16384
	}
	if c.MaxRoundsPerPeer <= 0 {
		c.MaxRoundsPerPeer = DefaultMaxRoundsPerPeer
	}
	if c.MaxInboundRounds <= 0 {
		c.MaxInboundRounds = DefaultMaxInboundRounds
	}
	if c.QuietEvery <= 0 {
		c.QuietEvery = DefaultQuietEvery
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
}

// DefaultMaxRoundsPerPeer is Config.MaxRoundsPerPeer's default: one round
// the peer started plus one that crosses it while it ends.
const DefaultMaxRoundsPerPeer = 2

// DefaultMaxInboundRounds is Config.MaxInboundRounds's default. Each round
// holds at most about 1 MiB before its changes arrive (two 64 KiB buffers, a
// hello of at most MaxHelloSize and its decoded vector), so 64 rounds cost a
// hub at most some 64 MiB.
const DefaultMaxInboundRounds = 64

// DefaultQuietEvery is Config.QuietEvery's default: a peer that holds
// everything gets a periodic round every 10 intervals (5 minutes at the
// default 30 s) instead of every interval. Found by node/peersim: at 100
// nodes every node ran a round with every peer every interval, each
// carrying two whole version vectors each way, though nothing was written.
const DefaultQuietEvery = 10

// Progress reports a catch-up round with one peer, for a progress bar:
// Applied of Expected changes received so far this round.
type Progress struct {
	Peer     peer.ID
	Device   ledger.DeviceID // the peer's device (member) id
	Expected int             // changes the peer is sending this round (from the two hellos)
	Received int             // changes received so far (new, duplicate or refused)
	Applied  int             // changes stored so far
	Done     bool            // the round ended (see Err)
	Err      error           // why the round failed, if Done and it did
}

// Stats are counters since the Replicator was created.
type Stats struct {
	Rounds         uint64 // catch-up rounds completed
	RoundsFailed   uint64 // rounds that ended with an error (peer gone, protocol violation, …)
	Sent           uint64 // changes sent by catch-up
	Received       uint64 // changes received by catch-up
	Applied        uint64 // changes stored by catch-up
	GossipAccepted uint64 // gossip messages applied and forwarded
	GossipIgnored  uint64 // gossip duplicates, gaps, held changes
	GossipRejected uint64 // gossip messages refused (malformed, forged, not a member, …)
	Published      uint64 // changes of our own feed published on gossip
	// StreamsRefused counts catch-up streams reset unread because their peer
	// already ran Config.MaxRoundsPerPeer rounds with us, or all peers
	// together Config.MaxInboundRounds.
	StreamsRefused uint64
	// StreamsServed counts catch-up streams peers opened that this node
	// took (a slot was free): with StreamsRefused, every stream that reached
	// it. A stream its peer resets before libp2p hands it over reaches
	// neither.
	StreamsServed uint64
	// Refilled counts changes this store had lost below its feeds' heads
	// (a damaged disk) and got back from peers.
	Refilled uint64
	// QuietSkipped counts periodic rounds not started because the peer was
	// known to hold everything this store holds (see Config.QuietEvery).
	QuietSkipped uint64
	// BaseUnknown counts compact hellos (ProtocolIDCompact) refused because
	// they built on a version vector this node did not hold; each costs
	// one failed round, and the next round is sent whole.
	BaseUnknown uint64
	// HelloBytes counts the bytes of the hello and done frames this node
	// sent (their CBOR, without framing): the cost of a round that has
	// nothing to send.
	HelloBytes uint64
	// GossipDropped counts changes gossipsub did not send because a peer's
	// outbound queue (Config.GossipQueue) was full; GossipUnvalidated
	// changes it received and dropped unvalidated because its validation
	// queue was full. Both reach their peers by catch-up instead.
	GossipDropped, GossipUnvalidated uint64
	// PassedOn counts rounds triggered to pass on what a round brought
	// (passOn); GapTriggered rounds triggered by a gossiped change whose
	// feed had a gap here or whose author was not known yet.
	PassedOn, GapTriggered uint64
	// Rejected counts, by reason, what never reached the store because it was
	// not a change at all: frames or messages too large (too_large) or not
	// decodable (malformed), changes of another network on gossip
	// (wrong_network) and catch-up changes outside the announced ranges
	// (broken_link). Refusals by the store are in store.Store.Rejected,
	// which counts these too (store.Store.CountRefused), so that status
	// shows every refusal.
	Rejected map[ledger.Reason]uint64
}

// Replicator runs catch-up and gossip for one store on one host.
type Replicator struct {
	host    *p2p.Host
	st      *store.Store
	cfg     Config
	self    ledger.DeviceID
	network string
	log     *slog.Logger

	// running is set by Run; ctx is Run's context, for stream handlers and
	// triggered rounds, which Run waits for (rounds) before returning.
	running atomic.Bool
	ready   chan struct{}
	rounds  sync.WaitGroup
	runCtx  context.Context

	topic *pubsub.Topic

	// legacy: speak only ProtocolID (whole version vectors), as peers
	// before 1.1.0 do; set by tests of mixed networks.
	legacy bool
	// hold, set by tests before Run, is called when a round's exchange has
	// ended, before the round is written down; what it returns, if not nil,
	// is called once it is (HoldRounds).
	hold func(ctx context.Context, p peer.ID) func()

	mu      sync.Mutex
	peers   map[peer.ID]*peerState
	stats   Stats
	inbound int // rounds peers started that are running, all peers together
	// holes are the changes the store lost below its feeds' heads
	// (store.Store.Holes), asked for in every hello until refilled.
	holes map[ledger.DeviceID][]ledger.Range
}

type peerState struct {
	device       ledger.DeviceID
	busy         bool // a round we started is running
	again        bool // run one more round after it
	theirs       ledger.VersionVector
	known        bool // theirs is from an exchange
	lastExchange time.Time
	inStepAt     time.Time // when a periodic round was skipped: the peer held everything we held
	lastErr      string
	progress     *Progress
	inbound      int // rounds the peer started that are running
	// sentBase is what our done frame told the peer in the last compact
	// round we completed (nil: send whole); bases are the last few
	// vectors the peer's done frames told us, newest last: a compact hello
	// builds on one of them. Several, because rounds in both directions
	// cross and each side may finish them in another order.
	sentBase ledger.VersionVector
	bases    []ledger.VersionVector

	// Rounds with the peer, asked for or served, are numbered as they
	// start (started: the newest's number), because two may run at once
	// and be written down in either order. theirsBy and ackBy are the
	// newest rounds whose peer version vector (theirs, stored) and
	// acknowledgement (ackSeq, stored) were taken, outcomeBy the newest
	// round written down (lastErr, sentBase); connAt is started when the
	// last connection to the peer opened (see take).
	started, theirsBy, ackBy, outcomeBy, connAt uint64
	ackSeq                                      uint64
	// write keeps the peer's version vector and acknowledgement reaching
	// the store in the order they were taken.
	write sync.Mutex
}

// taking says how a round takes what it learnt of its peer.
type taking int

const (
	skip    taking = iota // an older round of an older connection: keep what is held
	replace               // the newest round, or the first of a new connection
	raise                 // a round of the current connection: keep the pointwise maximum
)

// take says how round n takes what it learnt of its peer (version vector
// or acknowledgement) when the newest round that already did is by and the
// current connection opened after round connAt started. While a peer
// stays connected its store only grows, so what any of its rounds saw is
// held (the pointwise maximum): an older round's done frame may even be
// the later one. A peer that reconnected may have restarted from an
// older copy of its store: the first round of the new connection replaces
// what was known, and rounds of older connections no longer count.
func take(n, by, connAt uint64) taking {
	switch {
	case n > connAt && by > connAt:
		return raise
	case n >= by:
		return replace
	default:
		return skip
	}
}

// begin numbers a round with p as it starts (peerState.started).
func (r *Replicator) begin(p peer.ID) uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	ps := r.state(p)
	ps.started++
	return ps.started
}

// ErrNoNetwork is returned by New when the store has no network yet.
var ErrNoNetwork = errors.New("replicate: the store has no network (create or join one first)")

// New returns a Replicator for st on h. It does nothing until Run. Errors:
// ErrNoNetwork.
func New(h *p2p.Host, st *store.Store, cfg Config) (*Replicator, error) {
	cfg.fill()
	n, ok := st.Network()
	if !ok {
		return nil, ErrNoNetwork
	}
	return &Replicator{
		host: h, st: st, cfg: cfg, self: st.Device(), network: n.ID, log: cfg.Logger,
		ready: make(chan struct{}), peers: map[peer.ID]*peerState{},
		stats: Stats{Rejected: map[ledger.Reason]uint64{}},
	}, nil
}

// Ready is closed once Run has registered the protocol and joined the topic.
func (r *Replicator) Ready() <-chan struct{} { return r.ready }

// Run serves catch-up, gossips and runs rounds until ctx ends, then stops
// serving, waits for running rounds to stop and returns ctx's error (or an
// error if it could not start, e.g. called twice). Run owns every goroutine
// the Replicator starts.
func (r *Replicator) Run(ctx context.Context) error {
	if !r.running.CompareAndSwap(false, true) {
		return errors.New("replicate: Run called twice")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r.mu.Lock()
	r.runCtx = ctx
	r.mu.Unlock()

	h := r.host.Libp2p()
	ps, err := r.newPubSub(ctx)
	if err != nil {
		return err
	}
	// Inline, on gossipsub's single validation worker (newPubSub): changes
	// are applied in the order they arrived, so that seq 2 of a feed is not
	// applied before seq 1, refused as a gap and dropped instead of
	// forwarded (found by node/peersim; TestGossipKeepsFeedOrder).
	if err := ps.RegisterTopicValidator(TopicName(r.network), r.validate, pubsub.WithValidatorInline(true)); err != nil {
		return fmt.Errorf("replicate: register validator: %w", err)
	}
	topic, err := ps.Join(TopicName(r.network))
	if err != nil {
		return fmt.Errorf("replicate: join topic: %w", err)
	}
	sub, err := topic.Subscribe(pubsub.WithBufferSize(r.cfg.GossipQueue))
	if err != nil {
		return fmt.Errorf("replicate: subscribe: %w", err)
	}
	r.topic = topic
	events, unsubscribe := r.st.Subscribe()
	defer unsubscribe()

	r.findHoles()
	h.SetStreamHandler(ProtocolID, r.handleStream)
	if !r.legacy {
		h.SetStreamHandler(ProtocolIDCompact, r.handleStream)
	}
	notifee := &network.NotifyBundle{ConnectedF: r.connected}
	h.Network().Notify(notifee)

	var loops sync.WaitGroup
	loops.Add(3)
	go func() { defer loops.Done(); r.drain(ctx, sub) }()
	go func() { defer loops.Done(); r.publishLoop(ctx, events) }()
	go func() { defer loops.Done(); r.periodic(ctx) }()
	close(r.ready)
	r.log.Info("replicator running", "network", r.network, "peer", h.ID(), "interval", r.cfg.Interval)

	// Catch up with peers connected before Run.
	for _, p := range h.Network().Peers() {
		r.Trigger(p)
	}

	<-ctx.Done()
	h.RemoveStreamHandler(ProtocolID)
	h.RemoveStreamHandler(ProtocolIDCompact)
	h.Network().StopNotify(notifee)
	sub.Cancel()
	loops.Wait()
	r.rounds.Wait()
	topic.Close()
	return ctx.Err()
}

func (r *Replicator) connected(_ network.Network, c network.Conn) {
	// A new connection may be a restarted peer that forgot the vectors
	// compact hellos build on.
	r.mu.Lock()
	if ps, ok := r.peers[c.RemotePeer()]; ok {
		ps.sentBase, ps.bases = nil, nil
		ps.connAt = ps.started
	}
	r.mu.Unlock()
	if c.Stat().Direction != network.DirOutbound {
		return // the dialling side starts the first round
	}
	if len(r.host.Libp2p().Network().ConnsToPeer(c.RemotePeer())) > 1 {
		return
	}
	r.Trigger(c.RemotePeer())
}

func (r *Replicator) periodic(ctx context.Context) {
	t := time.NewTicker(r.cfg.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := r.st.RetryHeld(); err != nil {
			r.log.Warn("retry held changes", "err", err)
		}
		mine := r.st.VersionVector()
		for _, p := range r.host.Libp2p().Network().Peers() {
			if r.quiet(p, mine) {
				r.count(func(s *Stats) { s.QuietSkipped++ })
				continue
			}
			r.Trigger(p)
		}
	}
}

// quiet reports whether the periodic round with p can be skipped: p is known
// (from a round or a gossiped change it forwarded) to hold everything mine
// holds, this store lost nothing it must ask for, the last round with p did
// not fail and ran less than Config.QuietEvery intervals ago.
func (r *Replicator) quiet(p peer.ID, mine ledger.VersionVector) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	ps, ok := r.peers[p]
	if !ok || !ps.known || ps.lastErr != "" || len(r.holes) > 0 {
		return false
	}
	now := r.cfg.Clock()
	if now.Sub(ps.lastExchange) >= time.Duration(r.cfg.QuietEvery)*r.cfg.Interval {
		return false
	}
	if !ps.theirs.Dominates(mine) {
		return false
	}
	ps.inStepAt = now
	return true
}

// sentBase returns a copy of what our last done frame told p, nil if none.
func (r *Replicator) sentBase(p peer.ID) ledger.VersionVector {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ps, ok := r.peers[p]; ok && ps.sentBase != nil {
		return ps.sentBase.Clone()
	}
	return nil
}

// keptBases is how many of a peer's done frames are kept to build its
// compact hellos on.
const keptBases = 4

// theirBase returns a copy of the vector of p's recent done frames whose
// digest is digest, nil if none.
func (r *Replicator) theirBase(p peer.ID, digest []byte) ledger.VersionVector {
	r.mu.Lock()
	defer r.mu.Unlock()
	ps, ok := r.peers[p]
	if !ok {
		return nil
	}
	for i := len(ps.bases) - 1; i >= 0; i-- {
		if bytes.Equal(vvDigest(ps.bases[i]), digest) {
			return ps.bases[i].Clone()
		}
	}
	return nil
}

// keepBase remembers vv, told by p's done frame, for p's next hellos.
func (r *Replicator) keepBase(p peer.ID, vv ledger.VersionVector) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ps := r.state(p)
	ps.bases = append(ps.bases, vv.Clone())
	if len(ps.bases) > keptBases {
		ps.bases = slices.Delete(ps.bases, 0, len(ps.bases)-keptBases)
	}
}

// heard records that p holds c's feed up to c.Seq: p forwarded c on gossip,
// and a store holds a feed's changes contiguously. It keeps passOn and the
// periodic rounds from running rounds that would send p nothing.
func (r *Replicator) heard(p peer.ID, c *ledger.Change) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ps, ok := r.peers[p]
	if !ok || !ps.known || ps.theirs.Get(c.Device) >= c.Seq {
		return
	}
	ps.theirs.Set(c.Device, c.Seq)
}

func (r *Replicator) state(p peer.ID) *peerState {
	ps, ok := r.peers[p]
	if !ok {
		ps = &peerState{}
		ps.device, _ = p2p.DeviceOf(p)
		r.peers[p] = ps
	}
	return ps
}

// Trigger asks for a catch-up round with p soon; it returns at once. A
// trigger while a round with p runs queues exactly one more round. It does
// nothing before Run or after Run returned.
func (r *Replicator) Trigger(p peer.ID) {
	if p == r.host.ID() {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	ctx := r.runCtx
	if ctx == nil || ctx.Err() != nil {
		return
	}
	ps := r.state(p)
	if ps.busy {
		ps.again = true
		return
	}
	ps.busy = true
	r.rounds.Add(1)
	// Triggered rounds use existing connections only: a peer that went away
	// is caught up with when it (or discovery) reconnects.
	ctx = network.WithNoDial(ctx, "catch-up on an existing connection")
	go func() {
		defer r.rounds.Done()
		for {
			if _, err := r.CatchUp(ctx, p); err != nil && ctx.Err() == nil {
				r.log.Debug("catch-up round failed", "peer", p, "err", err)
			}
			r.mu.Lock()
			if !ps.again || ctx.Err() != nil {
				ps.busy, ps.again = false, false
				r.mu.Unlock()
				return
			}
			ps.again = false
			r.mu.Unlock()
		}
	}()
}

// CatchUp runs one catch-up round with p now and returns what it received.
// It opens a stream to p (connecting with known addresses if needed).
// Errors: the peer is unreachable or does not speak the protocol, a protocol
// violation by the peer, ctx's.
func (r *Replicator) CatchUp(ctx context.Context, p peer.ID) (RoundResult, error) {
	// A connection through a hub's circuit relay is "limited": libp2p opens
	// no stream on it unless asked. The hub sized its relay for catch-ups
	// (p2p.RelayResources), so catch-up runs over it like over any other.
	protos := []protocol.ID{ProtocolIDCompact, ProtocolID}
	if r.legacy {
		protos = protos[1:]
	}
	s, err := r.host.Libp2p().NewStream(network.WithAllowLimitedConn(ctx, "reliefmesh catch-up"), p, protos...)
	if err != nil {
		r.finish(p, RoundResult{n: r.begin(p)}, fmt.Errorf("open stream: %w", err))
		return RoundResult{}, fmt.Errorf("catch-up with %s: open stream: %w", p, err)
	}
	res, err := r.round(ctx, s, nil)
	if err != nil {
		if res.retry && ctx.Err() == nil {
			r.Trigger(p) // whole hellos this time (finish dropped the bases)
		}
		return res, fmt.Errorf("catch-up with %s: %w", p, err)
	}
	return res, nil
}

func (r *Replicator) handleStream(s network.Stream) {
	r.mu.Lock()
	ctx := r.runCtx
	r.mu.Unlock()
	if ctx == nil || ctx.Err() != nil {
		s.Reset()
		return
	}
	p := s.Conn().RemotePeer()
	if !r.admit(p) {
		s.Reset()
		r.log.Warn("catch-up stream refused: too many rounds at once", "peer", p,
			"per_peer", r.cfg.MaxRoundsPerPeer, "all", r.cfg.MaxInboundRounds)
		return
	}
	r.rounds.Add(1)
	defer r.rounds.Done()
	if _, err := r.round(ctx, s, func() { r.release(p) }); err != nil && ctx.Err() == nil {
		r.log.Debug("catch-up round (served) failed", "peer", s.Conn().RemotePeer(), "err", err)
	}
}

// findHoles asks the store which changes it lost below its feeds' heads and
// remembers them for the next hellos; losing any is logged, never silent.
func (r *Replicator) findHoles() {
	holes, err := r.st.Holes()
	if err != nil {
		r.log.Error("look for changes lost from the store", "err", err)
		return
	}
	n := uint64(0)
	for _, rs := range holes {
		for _, rg := range rs {
			n += rg.Len()
		}
	}
	if n > 0 {
		r.log.Warn("the store lost changes its version vector claims; asking peers for them", "changes", n, "feeds", len(holes))
	}
	r.mu.Lock()
	r.holes = holes
	r.mu.Unlock()
}

// wanted returns a copy of the holes to ask for.
func (r *Replicator) wanted() map[ledger.DeviceID][]ledger.Range {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.holes) == 0 {
		return nil
	}
	out := make(map[ledger.DeviceID][]ledger.Range, len(r.holes))
	for d, rs := range r.holes {
		out[d] = slices.Clone(rs)
	}
	return out
}

// admit reserves a slot for a round p started, or counts the refusal and
// reports false when p or all peers together are at their limit.
func (r *Replicator) admit(p peer.ID) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	ps := r.state(p)
	if ps.inbound >= r.cfg.MaxRoundsPerPeer || r.inbound >= r.cfg.MaxInboundRounds {
		r.stats.StreamsRefused++
		return false
	}
	ps.inbound++
	r.inbound++
	r.stats.StreamsServed++
	return true
}

// release frees the slot admit reserved for p.
func (r *Replicator) release(p peer.ID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state(p).inbound--
	r.inbound--
}

// Stats returns the counters.
func (r *Replicator) Stats() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.stats
	st.Rejected = make(map[ledger.Reason]uint64, len(r.stats.Rejected))
	for k, v := range r.stats.Rejected {
		st.Rejected[k] = v
	}
	return st
}

func (r *Replicator) count(f func(*Stats)) {
	r.mu.Lock()
	f(&r.stats)
	r.mu.Unlock()
}

// reject counts what was refused before the store could be given it, here
// and in the store's refusal counts (which status shows).
func (r *Replicator) reject(reason ledger.Reason) {
	r.count(func(s *Stats) { s.Rejected[reason]++ })
	r.st.CountRefused(reason, 1)
}
