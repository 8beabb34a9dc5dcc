package replicate_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/reliefmesh/reliefmesh/sync/p2p"
	"github.com/reliefmesh/reliefmesh/sync/replicate"
)

// TestCatchUpResumesAfterInterruption: a catch-up of a few thousand changes
// is cut half way by closing the connection; the next connection's round
// sends only what is still missing and completes.
func TestCatchUpResumesAfterInterruption(t *testing.T) {
	n := 3000
	if testing.Short() || raceEnabled {
		n = 1500
	}
	st := newStores(t, 2)
	for i := range n {
		if _, err := st[0].RecordDemand(demand(fmt.Sprintf("before the cut %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	want := total(st[0].VersionVector())

	var bHost atomic.Pointer[p2p.Host]
	var aPeer atomic.Value // peer.ID
	var cut atomic.Bool
	var mu sync.Mutex
	var rounds []replicate.Progress // final progress of each round on B
	cfg := replicate.Config{
		Interval: time.Hour, // rounds only when a connection opens
		Batch:    64,
		OnProgress: func(p replicate.Progress) {
			if !p.Done && p.Expected > 0 && p.Applied >= p.Expected/2 && cut.CompareAndSwap(false, true) {
				// Half way: the link drops (the test's only blocking call here).
				bHost.Load().Libp2p().Network().ClosePeer(aPeer.Load().(peer.ID))
			}
			if p.Done {
				mu.Lock()
				rounds = append(rounds, p)
				mu.Unlock()
			}
		},
	}
	a := startNode(t, "A", st[0], replicate.Config{Interval: time.Hour})
	b := startNode(t, "B", st[1], cfg)
	bHost.Store(b.h)
	aPeer.Store(a.h.ID())

	connect(t, b, a)
	waitFor(t, time.Minute, "the first round ends (cut)", func() error {
		mu.Lock()
		defer mu.Unlock()
		if len(rounds) == 0 {
			return fmt.Errorf("B applied %d of %d so far", total(b.st.VersionVector()), want)
		}
		return nil
	})
	mu.Lock()
	first := rounds[0]
	mu.Unlock()
	held := total(b.st.VersionVector())
	if first.Err == nil || held == 0 || held >= want {
		t.Fatalf("after the cut B holds %d of %d (round: %+v); want a failed round and part of the changes", held, want, first)
	}
	t.Logf("cut after %d of %d changes: %v", held, want, first.Err)

	// Reconnect: the next round starts from B's vector, so it resumes.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := b.h.ConnectInfo(ctx, peer.AddrInfo{ID: a.h.ID(), Addrs: a.h.Libp2p().Addrs()}); err != nil {
		t.Fatalf("reconnect: %v", err)
	}
	waitFor(t, time.Minute, "B has everything after the next connection", sameVV(a, b))
	waitFor(t, 30*time.Second, "the resumed round ends", func() error {
		mu.Lock()
		defer mu.Unlock()
		for _, p := range rounds[1:] {
			if p.Err == nil && p.Applied > 0 {
				return nil
			}
		}
		return fmt.Errorf("rounds %+v", rounds)
	})
	mu.Lock()
	defer mu.Unlock()
	for _, p := range rounds[1:] {
		if p.Err == nil && p.Applied > 0 {
			if uint64(p.Expected) > want-held {
				t.Errorf("the resumed round expected %d changes; only %d were missing (it started over)", p.Expected, want-held)
			}
			break
		}
	}
	if got := total(b.st.VersionVector()); got != want {
		t.Errorf("B holds %d changes; want %d", got, want)
	}
}
