package replicate

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	pb "github.com/libp2p/go-libp2p-pubsub/pb"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/store"
)

// maxGossipMessage is gossipsub's message size limit: one change plus the
// protobuf envelope.
const maxGossipMessage = ledger.MaxChangeSize + 4<<10

// MessageID returns the gossip message id of a message carrying data: the
// change id (SHA-256 of its canonical encoding), as raw bytes.
func MessageID(data []byte) string {
	h := sha256.Sum256(data)
	return string(h[:])
}

func (r *Replicator) newPubSub(ctx context.Context) (*pubsub.PubSub, error) {
	p := pubsub.DefaultGossipSubParams()
	if d := r.cfg.GossipD; d > 0 {
		p.D, p.Dlo, p.Dhi = d, max(1, d-d/6), 2*d
		p.Dscore = min(p.Dscore, p.Dlo)
		p.Dout = min(p.Dout, max(0, (d-1)/2), p.Dlo-1)
	}
	if t := r.cfg.IDontWantAbove; t >= 0 {
		p.IDontWantMessageThreshold = max(1, t)
	}
	mesh := []pubsub.Option{pubsub.WithGossipSubParams(p)}
	ps, err := pubsub.NewGossipSub(ctx, r.host.Libp2p(), append(mesh,
		// Changes are signed by their authors; a pubsub signature would only
		// add a second signature check per message.
		pubsub.WithMessageSignaturePolicy(pubsub.StrictNoSign),
		pubsub.WithNoAuthor(),
		pubsub.WithMessageIdFn(func(m *pb.Message) string { return MessageID(m.Data) }),
		pubsub.WithMaxMessageSize(maxGossipMessage),
		pubsub.WithPeerOutboundQueueSize(r.cfg.GossipQueue),
		pubsub.WithValidateQueueSize(r.cfg.GossipQueue),
		pubsub.WithValidateThrottle(r.cfg.GossipQueue),
		// One worker, running the topic validator inline: messages are
		// validated (applied) in the order they arrived. The store applies
		// one call at a time anyway, so more workers only reordered them.
		pubsub.WithValidateWorkers(1),
		pubsub.WithRawTracer(tracer{r}),
	)...)
	if err != nil {
		return nil, fmt.Errorf("replicate: gossipsub: %w", err)
	}
	return ps, nil
}

// validate is the topic validator: it applies the change before gossipsub
// delivers or forwards it.
func (r *Replicator) validate(_ context.Context, from peer.ID, m *pubsub.Message) pubsub.ValidationResult {
	if from == r.host.ID() {
		return pubsub.ValidationAccept // our own change, stored before it was published
	}
	if len(m.Data) > ledger.MaxChangeSize {
		r.gossipReject(ledger.ReasonTooLarge)
		return pubsub.ValidationReject
	}
	c, err := ledger.Decode(m.Data)
	if err != nil {
		r.gossipReject(ledger.ReasonOf(err))
		return pubsub.ValidationReject
	}
	if c.Network != r.network {
		r.gossipReject(ledger.ReasonWrongNetwork)
		return pubsub.ValidationReject
	}
	res, err := r.st.ApplyRemote([]*ledger.Change{c})
	if err != nil {
		r.log.Warn("apply gossiped change", "err", err)
		r.count(func(s *Stats) { s.GossipIgnored++ })
		return pubsub.ValidationIgnore
	}
	if res.Applied > 0 || res.Duplicates > 0 {
		r.heard(from, c) // a peer forwards only what its store took
	}
	return r.verdict(from, res)
}

// verdict maps what the store did with one gossiped change to a validation
// result, triggering catch-up with from when the change shows we miss some.
func (r *Replicator) verdict(from peer.ID, res store.Result) pubsub.ValidationResult {
	switch {
	case res.Applied > 0:
		r.count(func(s *Stats) { s.GossipAccepted++ })
		return pubsub.ValidationAccept
	case res.Rejected[ledger.ReasonGap] > 0, res.Rejected[ledger.ReasonNotMember] > 0:
		// A gap, or an author whose endorsement we have not received yet:
		// catch-up with the peer that has them.
		r.count(func(s *Stats) { s.GossipIgnored++; s.GapTriggered++ })
		r.Trigger(from)
		return pubsub.ValidationIgnore
	case len(res.Rejected) > 0:
		r.count(func(s *Stats) { s.GossipRejected++ })
		return pubsub.ValidationReject
	default: // duplicate or held
		// A duplicate is not forwarded, though a catch-up round that
		// overtook this copy means the peers beyond may lack it too: passOn
		// brings it to them. Forwarding duplicates was measured in
		// node/peersim (100 nodes, write phase): 1.75 deliveries per change
		// per node instead of 1.00 and 47 % more bytes, every node a round
		// had reached re-flooding its whole mesh.
		r.count(func(s *Stats) { s.GossipIgnored++ })
		return pubsub.ValidationIgnore
	}
}

func (r *Replicator) gossipReject(reason ledger.Reason) {
	if reason == "" {
		reason = ledger.ReasonMalformed
	}
	r.count(func(s *Stats) { s.GossipRejected++; s.Rejected[reason]++ })
	r.st.CountRefused(reason, 1)
}

// drain consumes delivered messages (already applied by the validator).
func (r *Replicator) drain(ctx context.Context, sub *pubsub.Subscription) {
	for {
		if _, err := sub.Next(ctx); err != nil {
			return
		}
	}
}

// publishLoop publishes the changes of our own feed beyond the last one
// published, whenever the store says something was applied (and every
// second, since a slow subscriber may lose events). Changes made before Run
// are left to catch-up.
func (r *Replicator) publishLoop(ctx context.Context, events <-chan store.Event) {
	last := r.st.VersionVector().Get(r.self)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		roster := false
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				return // store closed
			}
			roster = ev.Kind == store.EventMember
		case <-t.C:
		}
		// Coalesce what is already queued.
	drain:
		for {
			select {
			case ev, ok := <-events:
				if !ok {
					return
				}
				roster = roster || ev.Kind == store.EventMember
			default:
				break drain
			}
		}
		if roster {
			r.host.CloseNonMembers()
		}
		last = r.publishSince(ctx, last)
	}
}

// publishSince publishes our changes after seq last and returns the new last.
func (r *Replicator) publishSince(ctx context.Context, last uint64) uint64 {
	vv := r.st.VersionVector()
	if vv.Get(r.self) <= last {
		return last
	}
	since := vv.Clone()
	since.Set(r.self, last)
	err := r.st.ChangesSince(since, func(c *ledger.Change) error {
		if c.Device != r.self {
			return nil // applied meanwhile; not ours to publish
		}
		b, err := ledger.Encode(c) // a fresh buffer per message: Publish keeps it
		if err != nil {
			return err
		}
		if err := r.topic.Publish(ctx, b); err != nil {
			return err
		}
		last = c.Seq
		r.count(func(s *Stats) { s.Published++ })
		return nil
	})
	if err != nil && ctx.Err() == nil {
		r.log.Warn("publish own changes", "err", err)
	}
	r.nudgeYoungPeers()
	return last
}

// youngConn is how long after connecting gossip may still miss a peer: its
// subscription and the mesh take a few heartbeats to form.
const youngConn = 10 * time.Second

// nudgeYoungPeers makes sure a change just published reaches peers that gossip
// may not reach yet: a peer not (yet) in the topic gets a catch-up round now,
// a peer connected less than youngConn ago gets one in two seconds. Without
// this they would wait for the periodic round (30 s by default).
func (r *Replicator) nudgeYoungPeers() {
	inTopic := map[peer.ID]bool{}
	for _, p := range r.topic.ListPeers() {
		inTopic[p] = true
	}
	net := r.host.Libp2p().Network()
	for _, p := range net.Peers() {
		if !inTopic[p] {
			r.Trigger(p)
			continue
		}
		for _, c := range net.ConnsToPeer(p) {
			if time.Since(c.Stat().Opened) < youngConn {
				time.AfterFunc(2*time.Second, func() { r.Trigger(p) })
				break
			}
		}
	}
}
