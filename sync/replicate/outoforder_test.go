package replicate_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
	"github.com/reliefmesh/reliefmesh/sync/replicate"
)

// holder holds the first round that ends its exchange once armed: it closes
// held, waits for release, and closes written once that round is written
// down.
type holder struct {
	armed         atomic.Bool
	held, written chan struct{}
	release       <-chan struct{}
}

func newHolder(release <-chan struct{}) *holder {
	return &holder{held: make(chan struct{}), written: make(chan struct{}), release: release}
}

func (h *holder) hold(context.Context, peer.ID) func() {
	if !h.armed.CompareAndSwap(true, false) {
		return nil
	}
	close(h.held)
	<-h.release
	return func() { close(h.written) }
}

// within waits for ch to be closed, at most d, or fails the test with what.
func within(t *testing.T, d time.Duration, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(d):
		t.Fatalf("%s: not within %v", what, d)
	}
}

// peerStateIs reports nil when n holds want as what other holds, in the
// store (peer version vector, acknowledgement of n's own feed), in the
// status and as the base of n's next compact hello to other.
func peerStateIs(n, other *node, want ledger.VersionVector) error {
	d := other.st.Device()
	if vv, ok := n.st.PeerVersionVector(d); !ok || !vv.Equal(want) {
		return fmt.Errorf("%s's stored version vector of %s = %v (%v); want %v", n.name, other.name, vv, ok, want)
	}
	if ack, ok := n.st.PeerAck(d); !ok || ack.Seq != want.Get(n.st.Device()) {
		return fmt.Errorf("%s's acknowledgement from %s = %+v (%v); want seq %d", n.name, other.name, ack, ok, want.Get(n.st.Device()))
	}
	found := false
	for _, ps := range n.r.Status() {
		if ps.Peer != other.h.ID() {
			continue
		}
		found = true
		if !ps.Known || !ps.Theirs.Equal(want) || !ps.Synced || ps.TheyLack != 0 || ps.WeLack != 0 {
			return fmt.Errorf("%s's status of %s: known %v, theirs %v, synced %v, they lack %d, we lack %d; want %v, synced",
				n.name, other.name, ps.Known, ps.Theirs, ps.Synced, ps.TheyLack, ps.WeLack, want)
		}
	}
	if !found {
		return fmt.Errorf("%s has no status of %s", n.name, other.name)
	}
	if base := replicate.SentBase(n.r, other.h.ID()); !base.Equal(want) {
		return fmt.Errorf("%s's compact hellos to %s build on %v; want %v (its last done frame)", n.name, other.name, base, want)
	}
	return nil
}

// TestOlderRoundFinishingLastKeepsNewerPeerState: two rounds with one peer
// run at once and the older one is written down last (a slow disk; the
// serving side gives its slot back before writing a round down). What the
// newer round learnt — the peer's version vector, its acknowledgement of our
// feed, the base of our next compact hello — stays, on the asking side (A)
// and on the serving side (B). Before the fix the older round's finish wrote
// its older state over it: the status said B lacked the change A had
// recorded between the rounds, though B had acknowledged it.
func TestOlderRoundFinishingLastKeepsNewerPeerState(t *testing.T) {
	st := newStores(t, 2)
	cfg := replicate.Config{Interval: 10 * time.Minute}
	pcfg := p2p.Config{Listen: []string{"/ip4/127.0.0.1/tcp/0"}}
	release := make(chan struct{})
	ha, hb := newHolder(release), newHolder(release)
	a := startNodeHook(t, "A", st[0], cfg, pcfg, func(r *replicate.Replicator) { replicate.HoldRounds(r, ha.hold) })
	b := startNodeHook(t, "B", st[1], cfg, pcfg, func(r *replicate.Replicator) { replicate.HoldRounds(r, hb.hold) })
	if _, err := a.st.RecordDemand(demand("before the rounds")); err != nil {
		t.Fatal(err)
	}
	connect(t, a, b)
	waitFor(t, 30*time.Second, "A and B in sync", sameVV(a, b))
	waitFor(t, 30*time.Second, "the round the connection started written down on both sides", func() error {
		if ra, rb := a.r.Stats().Rounds, b.r.Stats().Rounds; ra == 0 || rb == 0 {
			return fmt.Errorf("rounds written down: A %d, B %d", ra, rb)
		}
		return nil
	})
	ha.armed.Store(true)
	hb.armed.Store(true)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	first := make(chan error, 1)
	go func() {
		_, err := a.r.CatchUp(ctx, b.h.ID())
		first <- err
	}()
	within(t, 30*time.Second, ha.held, "A's first round held after its exchange")
	within(t, 30*time.Second, hb.held, "B's first round (served) held after its exchange")

	// Both record a change while the first round waits to be written down;
	// the second round carries them and is written down first.
	if _, err := a.st.RecordDemand(demand("between the rounds, A")); err != nil {
		t.Fatal(err)
	}
	if _, err := b.st.RecordDemand(demand("between the rounds, B")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.r.CatchUp(ctx, b.h.ID()); err != nil {
		t.Fatalf("second round from A to B: %v", err)
	}
	waitFor(t, 30*time.Second, "A and B in sync after the second round", sameVV(a, b))
	want := a.st.VersionVector()
	if err := peerStateIs(a, b, want); err != nil {
		t.Fatalf("after the second round: %v", err)
	}
	waitFor(t, 30*time.Second, "B's second round (served) written down", func() error { return peerStateIs(b, a, want) })

	close(release)
	within(t, 30*time.Second, ha.written, "A's first round written down")
	within(t, 30*time.Second, hb.written, "B's first round (served) written down")
	if err := <-first; err != nil {
		t.Fatalf("first round from A to B: %v", err)
	}
	if err := peerStateIs(a, b, want); err != nil {
		t.Errorf("asking side, after the older round was written down last: %v", err)
	}
	if err := peerStateIs(b, a, want); err != nil {
		t.Errorf("serving side, after the older round was written down last: %v", err)
	}
}
