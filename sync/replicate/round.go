package replicate

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/changestream"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
)

// RoundResult says what one catch-up round did.
type RoundResult struct {
	Peer     peer.ID
	Expected int // changes the peer announced it would send
	Sent     int // changes we sent
	changestream.Stats
	Theirs ledger.VersionVector // the peer's version vector after the round

	gained  ledger.VersionVector // per feed, the highest seq received this round (for passOn)
	compact bool                 // the round spoke ProtocolIDCompact
	told    ledger.VersionVector // what our done frame told the peer (whole)
	retry   bool                 // a compact hello may be why it failed: run again, whole
	n       uint64               // the round's number with Peer (peerState.started)
}

// errBaseUnknown: the peer's hello is based on a version vector we do not
// hold (we restarted, or a round ended on one side only).
var errBaseUnknown = errors.New("the peer's hello builds on a version vector this node does not hold; the next round sends it whole")

// errProtocol marks a protocol violation by the peer.
var errProtocol = errors.New("protocol violation")

// deadlineRW pushes the stream's read or write deadline forward on every
// underlying read or write (64 KiB at a time behind the bufio layers), so a
// round ends when the peer stalls for IdleTimeout, however long it is.
type deadlineRW struct {
	s    network.Stream
	idle time.Duration
}

func (d deadlineRW) Read(b []byte) (int, error) {
	d.s.SetReadDeadline(time.Now().Add(d.idle))
	return d.s.Read(b)
}

func (d deadlineRW) Write(b []byte) (int, error) {
	d.s.SetWriteDeadline(time.Now().Add(d.idle))
	return d.s.Write(b)
}

// round runs the catch-up protocol on s, from either side. over, if not
// nil, is called once the exchange on s has ended (closed or reset), before
// the round is written down (finish): a serving side gives back its slot
// there, so a disk slow to record a round that is over does not refuse the
// peer's next one.
func (r *Replicator) round(ctx context.Context, s network.Stream, over func()) (res RoundResult, err error) {
	p := s.Conn().RemotePeer()
	res.Peer, res.n = p, r.begin(p)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { s.Reset() })
	defer stop()
	ended := func() {
		if over != nil {
			over()
			over = nil
		}
	}
	var written func()
	defer func() {
		if err != nil {
			s.Reset()
		}
		ended()
		r.finish(p, res, err)
		if written != nil {
			written()
		}
	}()

	rw := deadlineRW{s: s, idle: r.cfg.IdleTimeout}
	w := changestream.NewWriter(rw)
	rd := changestream.NewReader(rw)
	mine := r.st.VersionVector()
	want := r.wanted()
	res.compact = s.Protocol() == ProtocolIDCompact
	out := hello{Network: r.network, VV: mine, Limit: uint64(r.cfg.MaxChangesPerRound), Want: want}
	if res.compact {
		if base := r.sentBase(p); base != nil {
			if delta, ok := raised(mine, base); ok {
				out.VV, out.Base = delta, vvDigest(base)
				res.retry = true // until the round succeeds
			}
		}
	}
	n, err := writeMsg(w, out)
	r.count(func(s *Stats) { s.HelloBytes += uint64(n) })
	if err != nil {
		return res, fmt.Errorf("send hello: %w", err)
	}
	var theirs hello
	if err := readMsg(rd, &theirs); err != nil {
		r.protocolReject(err)
		return res, fmt.Errorf("read hello: %w", err)
	}
	if theirs.Network != r.network {
		r.reject(ledger.ReasonWrongNetwork)
		return res, fmt.Errorf("%w: peer is in network %q", errProtocol, theirs.Network)
	}
	if len(theirs.Base) > 0 {
		res.retry = true
		base := r.theirBase(p, theirs.Base)
		if !res.compact || base == nil {
			r.count(func(s *Stats) { s.BaseUnknown++ })
			return res, errBaseUnknown
		}
		whole := base.Clone()
		whole.Merge(theirs.VV)
		theirs.VV = whole
	}
	res.Theirs = theirs.VV
	r.sawVV(p, res.n, theirs.VV)
	r.ack(p, res.n, theirs.VV)

	res.Expected = min(changestream.Count(mine, theirs.VV), r.cfg.MaxChangesPerRound) + wantedFrom(want, theirs.VV)
	type sendResult struct {
		n   int
		err error
	}
	sent := make(chan sendResult, 1)
	go func() {
		k, err := r.sendWanted(ctx, w, theirs.Want, mine, int(min(theirs.Limit, 1<<40)))
		if err != nil {
			sent <- sendResult{k, err}
			return
		}
		n, err := changestream.Send(ctx, w, r.st, theirs.VV, mine, int(min(theirs.Limit, 1<<40)))
		sent <- sendResult{k + n, err}
	}()

	ranges := mine.Missing(theirs.VV)
	next := make(map[ledger.DeviceID]uint64, len(ranges))
	for d, rg := range ranges {
		next[d] = rg.From
	}
	check := func(c *ledger.Change) error {
		if c.Seq <= mine.Get(c.Device) {
			for _, rg := range want[c.Device] {
				if c.Seq >= rg.From && c.Seq <= rg.To {
					return nil // one we lost; store.Refill ties it in or refuses it
				}
			}
			return fmt.Errorf("%w: change %s/%d is neither announced nor asked for", errProtocol, c.Device.Short(), c.Seq)
		}
		rg, ok := ranges[c.Device]
		if !ok || c.Seq != next[c.Device] || c.Seq > rg.To {
			return fmt.Errorf("%w: change %s/%d is not the next one announced", errProtocol, c.Device.Short(), c.Seq)
		}
		next[c.Device]++
		return nil
	}
	emit := func(st changestream.Stats, done bool, err error) {
		pr := Progress{Peer: p, Expected: res.Expected, Received: st.Received, Applied: st.Applied, Done: done, Err: err}
		pr.Device, _ = p2p.DeviceOf(p)
		r.mu.Lock()
		r.state(p).progress = &pr
		r.mu.Unlock()
		if r.cfg.OnProgress != nil {
			r.cfg.OnProgress(pr)
		}
	}
	emit(changestream.Stats{}, false, nil)
	sink := &refillSink{st: r.st, mine: mine}
	expected := 0
	if len(want) == 0 { // a round that refills lost changes waits for the views (store.Refill): no bulk
		expected = res.Expected
	}
	stats, applyErr := changestream.Apply(ctx, rd, sink, changestream.ApplyOptions{
		Batch: r.cfg.Batch, Limit: res.Expected, Check: check, Expected: expected,
		Progress: func(st changestream.Stats) { emit(st, false, nil) },
	})
	res.Stats = stats
	for d, rg := range ranges {
		if next[d] > rg.From {
			res.gained.Set(d, next[d]-1)
		}
	}
	if sink.refilled > 0 {
		r.count(func(s *Stats) { s.Refilled += uint64(sink.refilled) })
		r.log.Info("changes the store had lost were put back from a peer", "peer", p, "changes", sink.refilled)
		r.findHoles()
	}
	if applyErr != nil {
		s.Reset() // stops our sender too
		<-sent
		r.protocolReject(applyErr)
		emit(stats, true, applyErr)
		return res, fmt.Errorf("receive: %w", applyErr)
	}
	sr := <-sent
	res.Sent = sr.n
	if sr.err != nil {
		emit(stats, true, sr.err)
		return res, fmt.Errorf("send: %w", sr.err)
	}
	told := r.st.VersionVector()
	fout := done{VV: told}
	if res.compact {
		if delta, ok := raised(told, mine); ok {
			fout.VV = delta
		}
	}
	n, err = writeMsg(w, fout)
	r.count(func(s *Stats) { s.HelloBytes += uint64(n) })
	if err != nil {
		emit(stats, true, err)
		return res, fmt.Errorf("send done: %w", err)
	}
	var fin done
	if err := readMsg(rd, &fin); err != nil {
		r.protocolReject(err)
		emit(stats, true, err)
		return res, fmt.Errorf("read done: %w", err)
	}
	if res.compact {
		whole := theirs.VV.Clone()
		whole.Merge(fin.VV)
		fin.VV = whole
		r.keepBase(p, fin.VV)
	}
	res.Theirs, res.told, res.retry = fin.VV, told, false
	s.Close()
	ended()
	if r.hold != nil {
		written = r.hold(ctx, p)
	}
	r.ack(p, res.n, fin.VV)
	emit(stats, true, nil)
	return res, nil
}

// protocolReject counts a frame that was not a change (or not an expected one).
func (r *Replicator) protocolReject(err error) {
	switch reason := ledger.ReasonOf(err); {
	case reason != "":
		r.reject(reason)
	case errors.Is(err, changestream.ErrFrameTooLarge):
		r.reject(ledger.ReasonTooLarge)
	case errors.Is(err, errProtocol):
		r.reject(ledger.ReasonBrokenLink)
	}
}

// sawVV takes vv, p's version vector as round n learnt it, as what p holds
// (take). It reports whether it did, and then returns a copy of what is
// now known of p. The caller holds r.mu.
func (ps *peerState) sawVV(n uint64, vv ledger.VersionVector) (ledger.VersionVector, bool) {
	switch take(n, ps.theirsBy, ps.connAt) {
	case replace:
		ps.theirs = vv.Clone()
	case raise:
		ps.theirs.Merge(vv)
	default:
		return nil, false
	}
	ps.theirsBy, ps.known = max(ps.theirsBy, n), true
	return ps.theirs.Clone(), true
}

func (r *Replicator) sawVV(p peer.ID, n uint64, vv ledger.VersionVector) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state(p).sawVV(n, vv)
}

// ack records in the store what peer p has acknowledged of this device's
// own feed (store.Store.SetPeerAck) in round n: its version vector's entry
// for this device, now. An older round of the current connection only
// raises it (a lower entry is not written), one of an older connection
// does not write it (take). A peer whose member id is not known yet is
// skipped.
func (r *Replicator) ack(p peer.ID, n uint64, vv ledger.VersionVector) {
	seq, at := vv.Get(r.st.Device()), r.cfg.Clock()
	r.mu.Lock()
	ps := r.state(p)
	r.mu.Unlock()
	if ps.device.IsZero() {
		return
	}
	ps.write.Lock()
	defer ps.write.Unlock()
	r.mu.Lock()
	how := take(n, ps.ackBy, ps.connAt)
	if how == skip || how == raise && seq < ps.ackSeq {
		r.mu.Unlock()
		return
	}
	ps.ackSeq, ps.ackBy = seq, max(ps.ackBy, n)
	r.mu.Unlock()
	if err := r.st.SetPeerAck(ps.device, seq, at); err != nil {
		r.log.Warn("record acknowledgement", "peer", p, "err", err)
	}
}

// finish records the outcome of round res.n with p. Rounds with one peer
// may be written down in another order than they started: the outcome
// (the last error, the base of our next compact hello) is the newest
// round's, an older round written down later leaving it; what the peer
// holds is taken as take says (sawVV).
func (r *Replicator) finish(p peer.ID, res RoundResult, err error) {
	now := r.cfg.Clock()
	r.mu.Lock()
	ps := r.state(p)
	r.mu.Unlock()
	ps.write.Lock()
	r.mu.Lock()
	newest := res.n >= ps.outcomeBy
	ps.outcomeBy = max(ps.outcomeBy, res.n)
	var theirs ledger.VersionVector
	var took bool
	if err != nil {
		r.stats.RoundsFailed++
		if newest {
			ps.lastErr = err.Error()
			ps.sentBase = nil // our next hello goes whole
		}
	} else {
		theirs, took = ps.sawVV(res.n, res.Theirs)
		ps.lastExchange = now
		r.stats.Rounds++
		if newest {
			ps.lastErr = ""
			if res.compact {
				ps.sentBase = res.told
			}
		}
	}
	r.stats.Sent += uint64(res.Sent)
	r.stats.Received += uint64(res.Received)
	r.stats.Applied += uint64(res.Applied)
	device := ps.device
	r.mu.Unlock()
	if took && !device.IsZero() {
		if serr := r.st.SetPeerVersionVector(device, theirs); serr != nil {
			r.log.Warn("remember peer version vector", "peer", p, "err", serr)
		}
	}
	ps.write.Unlock()
	if err == nil && (res.Applied > 0 || res.Sent > 0) {
		r.log.Info("catch-up round", "peer", p, "received", res.Received, "applied", res.Applied, "sent", res.Sent)
	}
	if res.Applied > 0 {
		r.passOn(p, res.gained)
	}
}

// passOn triggers a round with every connected peer but from not known to
// hold what the round brought (gained): gossip carries only what a device
// publishes of its own feed, so changes received by catch-up (a site's
// after a partition healed, a laptop's back from the field) would otherwise
// wait for each peer's periodic round. It spreads only while rounds apply
// something new, so it ends. Peers are asked about gained, not about all
// this store holds: a peer whose vector we last learnt before a burst of
// gossip lacks much of it on paper, and was triggered by every round a hub
// caught up by (node/peersim, churn at 100 nodes: 1,920 rounds passed on).
func (r *Replicator) passOn(from peer.ID, gained ledger.VersionVector) {
	mine := gained
	var behind []peer.ID
	r.mu.Lock()
	for _, p := range r.host.Libp2p().Network().Peers() {
		if p == from {
			continue
		}
		if ps, ok := r.peers[p]; ok && ps.known && ps.theirs.Dominates(mine) {
			continue
		}
		behind = append(behind, p)
	}
	r.mu.Unlock()
	r.count(func(s *Stats) { s.PassedOn += uint64(len(behind)) })
	for _, p := range behind {
		r.Trigger(p)
	}
}

// wantedFrom returns how many of the changes in want a peer holding vv can
// send: the ranges clipped at vv.
func wantedFrom(want map[ledger.DeviceID][]ledger.Range, vv ledger.VersionVector) int {
	n := uint64(0)
	for d, rs := range want {
		for _, rg := range rs {
			if to := min(rg.To, vv.Get(d)); to >= rg.From {
				n += to - rg.From + 1
			}
		}
	}
	return int(min(n, 1<<40))
}

// sendWanted writes the changes a peer lost (its hello's Want) that we hold,
// up to what we hold (mine) and at most limit of them, and returns how many
// it wrote. Errors: the store's, w's, ctx's.
func (r *Replicator) sendWanted(ctx context.Context, w *changestream.Writer, want map[ledger.DeviceID][]ledger.Range, mine ledger.VersionVector, limit int) (int, error) {
	n := 0
	errFull := errors.New("limit reached")
	for d, rs := range want {
		for _, rg := range rs {
			to := min(rg.To, mine.Get(d))
			if to < rg.From {
				continue
			}
			err := r.st.FeedRange(d, rg.From, to, func(c *ledger.Change) error {
				if n >= limit {
					return errFull
				}
				if err := ctx.Err(); err != nil {
					return err
				}
				if err := w.WriteChange(c); err != nil {
					return fmt.Errorf("send lost change %s/%d: %w", d.Short(), c.Seq, err)
				}
				n++
				return nil
			})
			if errors.Is(err, errFull) {
				return n, nil
			}
			if err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// refillSink applies a round's changes: those at or below what we held when
// the round began (mine) are changes we lost and go to store.Refill, the rest
// to store.ApplyRemote.
type refillSink struct {
	st       *store.Store
	mine     ledger.VersionVector
	refilled int
}

// BeginCatchUp passes the catch-up on to the store (store.Store.BeginCatchUp).
func (k *refillSink) BeginCatchUp(expected int) func() error { return k.st.BeginCatchUp(expected) }

// PreferredBatch passes the store's preferred batch on
// (changestream.BatchSink, store.Store.PreferredBatch).
func (k *refillSink) PreferredBatch() int { return k.st.PreferredBatch() }

// ApplyRemote splits changes between Refill and ApplyRemote and returns
// their summed Result. Errors: the store's.
func (k *refillSink) ApplyRemote(changes []*ledger.Change) (store.Result, error) {
	rs := make([]ledger.Received, len(changes))
	for i, c := range changes {
		rs[i] = ledger.Received{Change: c}
	}
	return k.ApplyReceived(rs)
}

// ApplyReceived is ApplyRemote for changes read with their bytes: the
// fresh ones go to store.ApplyReceived, which stores those bytes as they
// are (changestream.ReceivedSink). Errors: the store's.
func (k *refillSink) ApplyReceived(changes []ledger.Received) (store.Result, error) {
	var lost []*ledger.Change
	var fresh []ledger.Received
	for _, rc := range changes {
		if c := rc.Change; c.Seq <= k.mine.Get(c.Device) {
			lost = append(lost, c)
		} else {
			fresh = append(fresh, rc)
		}
	}
	var res store.Result
	add := func(r store.Result) {
		res.Applied += r.Applied
		res.Duplicates += r.Duplicates
		res.Held += r.Held
		for reason, n := range r.Rejected {
			if res.Rejected == nil {
				res.Rejected = map[ledger.Reason]int{}
			}
			res.Rejected[reason] += n
		}
	}
	if len(lost) > 0 {
		r, err := k.st.Refill(lost)
		add(r)
		k.refilled += r.Applied
		if err != nil {
			return res, err
		}
	}
	if len(fresh) > 0 {
		r, err := k.st.ApplyReceived(fresh)
		add(r)
		if err != nil {
			return res, err
		}
	}
	return res, nil
}
