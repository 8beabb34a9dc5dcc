package replicate_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
	"github.com/reliefmesh/reliefmesh/sync/replicate"
)

func loopback() p2p.Config { return p2p.Config{Listen: []string{"/ip4/127.0.0.1/tcp/0"}} }

// TestQuietPeersSkipPeriodicRounds: two nodes that hold the same changes do
// not run a catch-up round every interval. Found by node/peersim: every
// node ran a round with every peer every interval, each round carrying both
// whole version vectors both ways, though nothing was written (at 100 nodes,
// 221 ms of CPU per second for doing nothing).
func TestQuietPeersSkipPeriodicRounds(t *testing.T) {
	st := newStores(t, 2)
	cfg := replicate.Config{Interval: 100 * time.Millisecond}
	a := startNode(t, "A", st[0], cfg)
	b := startNode(t, "B", st[1], cfg)
	connect(t, a, b)
	if _, err := a.st.RecordDemand(demand("before the quiet")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, "A and B in sync", sameVV(a, b))
	time.Sleep(500 * time.Millisecond) // rounds under way end
	rounds := func() uint64 { return a.r.Stats().Rounds + b.r.Stats().Rounds }
	r0, t0 := rounds(), time.Now()
	time.Sleep(2 * time.Second) // 20 intervals, or more under load
	got, elapsed := rounds()-r0, time.Since(t0)
	// A round counts on both sides (the one that starts it and the one that
	// answers). Each side starts one round in DefaultQuietEvery (10)
	// intervals: in the window, at most one per whole 10 intervals elapsed
	// and one more (the window's edges cut a period), so 4 × (2+1) = 12 for
	// 2 s. The bound is the window's as measured, not the 2 s asked for: at a
	// load of 33 a third period's rounds came in (10 rounds against the old
	// bound of 8, 2 runs in 40). Rounds every interval (QuietEvery 1) counted
	// 36 and 38 in 2 s at that load.
	quietPeriod := time.Duration(replicate.DefaultQuietEvery) * cfg.Interval
	want := 4 * (uint64(elapsed/quietPeriod) + 1)
	if got > want {
		t.Errorf("%d rounds in %v (%d intervals) between two nodes in sync, want at most %d", got, elapsed.Round(time.Millisecond), elapsed/cfg.Interval, want)
	}
	if a.r.Stats().QuietSkipped == 0 || b.r.Stats().QuietSkipped == 0 {
		t.Errorf("QuietSkipped = %d, %d; want both > 0", a.r.Stats().QuietSkipped, b.r.Stats().QuietSkipped)
	}
	// A skipped round still tells the person the peer was found in step:
	// "last exchange" alone aged by up to QuietEvery intervals (5 minutes
	// in the app) though the two were in step all along.
	// Waited for, not read once: a status read between a round's end and
	// the next interval's skip finds the round later than the skip
	// (TestInStepToldAfterARound), about one read in ten here.
	waitFor(t, 30*time.Second, "A's status of B in step after the last exchange", inStepAfterExchange(a, b))
	// Still in step when one of them writes.
	if _, err := b.st.RecordDemand(demand("after the quiet")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, "B's new change at A", sameVV(a, b))
}

// manyFeeds returns k stores that hold the same changes of n feeds (every
// member wrote one demand), copied out of band.
func manyFeeds(t *testing.T, n, k int) []*store.Store {
	t.Helper()
	st := newStores(t, n)
	for i, s := range st {
		if _, err := s.RecordDemand(demand(fmt.Sprintf("member %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range st[:k] {
		for _, o := range st {
			if o != s {
				copyAll(t, o, s)
			}
		}
	}
	return st[:k]
}

// helloBytes runs a first round and then three from a to b and returns the hello and done
// bytes a sent per round.
func helloBytes(t *testing.T, a, b *node) uint64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// The round the connection started may still run: a round crossing it
	// can be refused once (its base not yet kept on this side) and is
	// retried whole, by design (TestForgottenBaseFallsBackToWhole). The
	// first round that succeeds is whole (nothing to build on yet).
	var err error
	for range 3 {
		if _, err = a.r.CatchUp(ctx, b.h.ID()); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("%s → %s: %v", a.name, b.name, err)
	}
	// The median of five rounds: a round B starts at the same moment can
	// still make one of A's fall back to whole, by design; under load that
	// happened once in a run and the mean of three came out at a fifth of
	// the whole (CI-like load 40, session 9).
	// A round refused that way fails here and is not counted.
	per := make([]uint64, 0, 5)
	for try := 0; len(per) < 5; try++ {
		h0 := a.r.Stats().HelloBytes
		_, err := a.r.CatchUp(ctx, b.h.ID())
		if err == nil {
			per = append(per, a.r.Stats().HelloBytes-h0)
		} else if try >= 10 {
			t.Fatalf("%s → %s: %d of %d rounds failed, the last: %v", a.name, b.name, try+1-len(per), try+1, err)
		}
	}
	slices.Sort(per)
	return per[len(per)/2]
}

// TestCompactHellosBetweenPeersInStep: once two nodes completed a round,
// a round's hello and done frames carry only what changed, not the whole
// version vector (about 45 bytes per device of the network, per frame,
// per round: at 200 devices, 36 KB per round that sends nothing). A node
// that speaks only protocol 1.0.0 still gets whole vectors.
func TestCompactHellosBetweenPeersInStep(t *testing.T) {
	st := manyFeeds(t, 24, 4)
	cfg := replicate.Config{Interval: 10 * time.Minute}
	a := startNode(t, "A", st[0], cfg)
	b := startNode(t, "B", st[1], cfg)
	c := startNode(t, "C", st[2], cfg)
	old := startNodeHook(t, "old", st[3], cfg, loopback(), replicate.SpeakOnlyWhole)
	connect(t, a, b)
	connect(t, c, old)
	waitFor(t, 20*time.Second, "in sync", sameVV(a, b, c, old))
	compact := helloBytes(t, a, b)
	whole := helloBytes(t, c, old)
	t.Logf("hello and done per round, 24 feeds: %d bytes compact, %d whole", compact, whole)
	if whole < 24*30*2 {
		t.Fatalf("whole hellos of %d bytes for 24 feeds: the test does not measure what it means to", whole)
	}
	if compact*10 > whole {
		t.Errorf("compact hellos: %d bytes per round, want under a tenth of the whole %d", compact, whole)
	}
}

// TestOldPeerConverges: a node that speaks only protocol 1.0.0 (no
// hello.Base, whole vectors) and new nodes converge in both directions,
// without failed rounds.
func TestOldPeerConverges(t *testing.T) {
	st := newStores(t, 3)
	cfg := replicate.Config{}
	a := startNode(t, "A", st[0], cfg)
	old := startNodeHook(t, "old", st[1], cfg, loopback(), replicate.SpeakOnlyWhole)
	c := startNode(t, "C", st[2], cfg)
	connect(t, a, old)
	connect(t, old, c)
	for i := range 5 {
		for _, n := range []*node{a, old, c} {
			if _, err := n.st.RecordDemand(demand(fmt.Sprintf("%s %d", n.name, i))); err != nil {
				t.Fatal(err)
			}
		}
		waitFor(t, 20*time.Second, "A, old and C in sync", sameVV(a, old, c))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, pair := range [][2]*node{{a, old}, {old, a}, {c, old}, {old, c}} {
		if _, err := pair[0].r.CatchUp(ctx, pair[1].h.ID()); err != nil {
			t.Errorf("%s → %s: %v", pair[0].name, pair[1].name, err)
		}
	}
	for _, n := range []*node{a, old, c} {
		if s := n.r.Stats(); s.BaseUnknown != 0 {
			t.Errorf("%s: %d hellos on an unknown base", n.name, s.BaseUnknown)
		}
	}
}

// TestForgottenBaseFallsBackToWhole: a peer that no longer holds the
// vector a compact hello builds on refuses the round, and the next round,
// sent whole, runs at once on its own, without waiting for the periodic
// round (10 minutes here).
func TestForgottenBaseFallsBackToWhole(t *testing.T) {
	st := newStores(t, 2)
	cfg := replicate.Config{Interval: 10 * time.Minute}
	a := startNode(t, "A", st[0], cfg)
	b := startNode(t, "B", st[1], cfg)
	connect(t, a, b)
	waitFor(t, 20*time.Second, "A and B in sync", sameVV(a, b))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := a.r.CatchUp(ctx, b.h.ID()); err != nil {
		t.Fatalf("A → B: %v", err)
	}
	// A round the connection started, or the fallback's, may be under way
	// beside the one the test starts and give B a base again after it
	// forgot them, or reset the test's stream (CI saw both, 7 runs in 30
	// under -race): forget again until B refuses a compact hello.
	var ok0 uint64
	refused := false
	for try := 0; try < 20 && !refused; try++ {
		replicate.ForgetBases(b.r)
		ok0 = a.r.Stats().Rounds
		if _, err := a.r.CatchUp(ctx, b.h.ID()); err == nil {
			continue
		}
		// B counts the refusal before it closes the stream A's error comes from
		for range 50 {
			if refused = b.r.Stats().BaseUnknown >= 1; refused {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if !refused {
		t.Fatal("A → B on a base B forgot: B refused no hello in 20 tries")
	}
	waitFor(t, 30*time.Second, "a round, sent whole, right after the refusal", func() error {
		if a.r.Stats().Rounds <= ok0 {
			return fmt.Errorf("no round completed since")
		}
		return nil
	})
	// rounds go on after the fallback (one may be under way beside these,
	// and reset their stream: tried again)
	for _, pair := range [][2]*node{{a, b}, {b, a}} {
		waitFor(t, 30*time.Second, pair[0].name+" → "+pair[1].name+" after the fallback", func() error {
			_, err := pair[0].r.CatchUp(ctx, pair[1].h.ID())
			return err
		})
	}
}

// TestCrossingRoundsKeepCompactHellos: rounds started from both sides at
// once (both nodes' periodic rounds fall together, passOn) end in either
// order on each side; a compact hello must still find the vector it builds
// on. Found by node/peersim at 100 nodes: keeping only the last done frame
// refused one hello after another while changes were written, every
// refusal a failed round and a retry racing gossip (1,958 rounds and 42 %
// of the new changes by catch-up, against 540 and 0.4 %).
func TestCrossingRoundsKeepCompactHellos(t *testing.T) {
	st := newStores(t, 2)
	cfg := replicate.Config{Interval: 10 * time.Minute}
	a := startNode(t, "A", st[0], cfg)
	b := startNode(t, "B", st[1], cfg)
	connect(t, a, b)
	waitFor(t, 20*time.Second, "A and B in sync", sameVV(a, b))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	const n = 20
	errs := make(chan error, 2*n)
	for i := range n {
		for _, x := range []*node{a, b} {
			if _, err := x.st.RecordDemand(demand(fmt.Sprintf("%s %d", x.name, i))); err != nil {
				t.Fatal(err)
			}
		}
		done := make(chan struct{}, 2)
		for _, pair := range [][2]*node{{a, b}, {b, a}} {
			go func() {
				_, err := pair[0].r.CatchUp(ctx, pair[1].h.ID())
				errs <- err
				done <- struct{}{}
			}()
		}
		<-done
		<-done
	}
	waitFor(t, 20*time.Second, "A and B in sync", sameVV(a, b))
	failed := 0
	for range 2 * n {
		if err := <-errs; err != nil {
			failed++
		}
	}
	unknown := a.r.Stats().BaseUnknown + b.r.Stats().BaseUnknown
	t.Logf("%d crossing rounds: %d failed, %d hellos on an unknown base", 2*n, failed, unknown)
	if unknown > 2 {
		t.Errorf("%d of %d crossing rounds refused a compact hello, want at most 2", unknown, 2*n)
	}
}

// TestSerialRoundsAreNotRefused: one round after another from the same peer
// is never refused as "too many rounds at once", however long the serving
// side takes to write down a round that is over. Found in CI (session 11):
// the serving side held its slot until it had recorded the round in Badger
// (the peer's version vector and acknowledgement), so under load a peer's
// third quick round found two slots still held and its stream was reset
// ("C → old: 7 of 11 rounds failed" in TestCompactHellosBetweenPeersInStep).
// A slow clock on the serving side stands in for a slow disk here.
func TestSerialRoundsAreNotRefused(t *testing.T) {
	st := newStores(t, 2)
	a := startNode(t, "A", st[0], replicate.Config{Interval: 10 * time.Minute})
	slow := func() time.Time { time.Sleep(150 * time.Millisecond); return time.Now() }
	b := startNode(t, "B", st[1], replicate.Config{Interval: 10 * time.Minute, Clock: slow})
	connect(t, a, b)
	waitFor(t, 20*time.Second, "A and B in sync", sameVV(a, b))
	time.Sleep(time.Second) // rounds the connection started end
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	refused0 := b.r.Stats().StreamsRefused
	for i := range 6 {
		if _, err := a.r.CatchUp(ctx, b.h.ID()); err != nil {
			t.Errorf("round %d of 6 from A to B: %v", i+1, err)
		}
	}
	if n := b.r.Stats().StreamsRefused - refused0; n != 0 {
		t.Errorf("B refused %d of A's rounds run one after another", n)
	}
}

// inStepAfterExchange reports whether a's status of b says b was found in
// step (a periodic round skipped) after their last exchange.
func inStepAfterExchange(a, b *node) func() error {
	return func() error {
		for _, ps := range a.r.Status() {
			if ps.Peer != b.h.ID() {
				continue
			}
			if ps.InStepAt.IsZero() || !ps.InStepAt.After(ps.LastExchange) {
				return fmt.Errorf("in step at %v, last exchange %v; want in step after the last exchange", ps.InStepAt, ps.LastExchange)
			}
			return nil
		}
		return fmt.Errorf("no status of %s", b.name)
	}
}

// TestInStepToldAfterARound: after a round (here an explicit one), the next
// quiet interval's skip is told after it, so the status comes back to "in
// step". TestQuietPeersSkipPeriodicRounds read the status once and wanted the
// skip later than the last exchange: a read between a round's end and the
// next interval fails that (read straight after an explicit round, as here,
// 5 of 5 failed at load 49); both now wait for a skip after the exchange.
func TestInStepToldAfterARound(t *testing.T) {
	st := newStores(t, 2)
	cfg := replicate.Config{Interval: 100 * time.Millisecond}
	a := startNode(t, "A", st[0], cfg)
	b := startNode(t, "B", st[1], cfg)
	connect(t, a, b)
	if _, err := a.st.RecordDemand(demand("before the quiet")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "A and B in sync", sameVV(a, b))
	waitFor(t, 30*time.Second, "a first skipped round told", inStepAfterExchange(a, b))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := a.r.CatchUp(ctx, b.h.ID()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "the next skipped round told after the explicit round", inStepAfterExchange(a, b))
}
