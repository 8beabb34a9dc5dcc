package replicate_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/store"
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
	var errs []error
	d := other.st.Device()
	if vv, ok := n.st.PeerVersionVector(d); !ok || !vv.Equal(want) {
		errs = append(errs, fmt.Errorf("%s's stored version vector of %s = %v (%v); want %v", n.name, other.name, vv, ok, want))
	}
	if ack, ok := n.st.PeerAck(d); !ok || ack.Seq != want.Get(n.st.Device()) {
		errs = append(errs, fmt.Errorf("%s's acknowledgement from %s = %+v (%v); want seq %d", n.name, other.name, ack, ok, want.Get(n.st.Device())))
	}
	found := false
	for _, ps := range n.r.Status() {
		if ps.Peer != other.h.ID() {
			continue
		}
		found = true
		if !ps.Known || !ps.Theirs.Equal(want) || !ps.Synced || ps.TheyLack != 0 || ps.WeLack != 0 {
			errs = append(errs, fmt.Errorf("%s's status of %s: known %v, theirs %v, synced %v, they lack %d, we lack %d; want %v, synced",
				n.name, other.name, ps.Known, ps.Theirs, ps.Synced, ps.TheyLack, ps.WeLack, want))
		}
	}
	if !found {
		errs = append(errs, fmt.Errorf("%s has no status of %s", n.name, other.name))
	}
	if base := replicate.SentBase(n.r, other.h.ID()); !base.Equal(want) {
		errs = append(errs, fmt.Errorf("%s's compact hellos to %s build on %v; want %v (its last done frame)", n.name, other.name, base, want))
	}
	return errors.Join(errs...)
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
	letGo := sync.OnceFunc(func() { close(release) })
	t.Cleanup(letGo) // before the nodes stop (cleanups run last first): a held round would keep Run from returning
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

	letGo()
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

// TestPeerRestoredFromAnOlderCopyIsToldBehind: what is known of a peer only
// rises while it stays connected (TestOlderRoundFinishingLastKeepsNewerPeerState),
// but a peer that comes back restored from an older copy of its store holds
// less than it did: the first round of the new connection replaces what was
// known, so the status says how far behind it is. B accepts one change per
// round here, so one round leaves it two of A's changes behind.
func TestPeerRestoredFromAnOlderCopyIsToldBehind(t *testing.T) {
	st := newStores(t, 2)
	cfg := replicate.Config{Interval: 10 * time.Minute}
	a := startNode(t, "A", st[0], cfg)
	b := startNode(t, "B", st[1], cfg)
	connect(t, a, b)
	waitFor(t, 30*time.Second, "A and B in sync", sameVV(a, b))
	b.shutdown()
	dir := st[1].Dir()
	if err := st[1].Close(); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "b-backup")
	if out, err := exec.Command("cp", "-a", dir, backup).CombinedOutput(); err != nil {
		t.Fatalf("copy B's store: %v: %s", err, out)
	}
	old := a.st.VersionVector().Get(a.st.Device())

	// B comes back, takes three more of A's changes, and goes away.
	reopen := func() *store.Store {
		t.Helper()
		s, err := store.Open(dir, store.Options{})
		if err != nil {
			t.Fatalf("reopen B's store: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	b = startNode(t, "B", reopen(), cfg)
	connect(t, a, b)
	for i := range 3 {
		if _, err := a.st.RecordDemand(demand(fmt.Sprintf("after the copy %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 30*time.Second, "A and B in sync again", sameVV(a, b))
	waitFor(t, 30*time.Second, "A knows B holds its three new changes", func() error {
		return peerStateIs(a, b, a.st.VersionVector())
	})
	b.shutdown()
	if err := b.st.Close(); err != nil {
		t.Fatal(err)
	}

	// B is restored from the copy and comes back taking one change a round.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("cp", "-a", backup, dir).CombinedOutput(); err != nil {
		t.Fatalf("restore B's store: %v: %s", err, out)
	}
	b = startNode(t, "B", reopen(), replicate.Config{Interval: 10 * time.Minute, MaxChangesPerRound: 1})
	if got := b.st.VersionVector().Get(a.st.Device()); got != old {
		t.Fatalf("restored B holds A's feed up to %d; want %d (the copy's)", got, old)
	}
	connect(t, a, b)
	want := old + 1
	waitFor(t, 30*time.Second, "A told that B holds one more change than its copy, not the three it had", func() error {
		vv, ok := a.st.PeerVersionVector(b.st.Device())
		if !ok || vv.Get(a.st.Device()) != want {
			return fmt.Errorf("A's stored version vector of B has A's feed up to %d (%v); want %d", vv.Get(a.st.Device()), ok, want)
		}
		if ack, ok := a.st.PeerAck(b.st.Device()); !ok || ack.Seq != want {
			return fmt.Errorf("A's acknowledgement from B = %+v (%v); want seq %d", ack, ok, want)
		}
		for _, ps := range a.r.Status() {
			if ps.Peer == b.h.ID() && (ps.Theirs.Get(a.st.Device()) != want || ps.TheyLack != 2 || ps.Synced) {
				return fmt.Errorf("A's status of B: A's feed up to %d, they lack %d, synced %v; want up to %d, lacking 2",
					ps.Theirs.Get(a.st.Device()), ps.TheyLack, ps.Synced, want)
			}
		}
		return nil
	})
}
