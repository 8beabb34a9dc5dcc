package replicate_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/sync/replicate"
)

// TestGossipKeepsFeedOrder: changes of one feed gossiped in quick succession
// are applied in their order at each hop, so that a node two hops away gets
// every one of them by gossip. The many-peer simulation (node/peersim) found
// that gossipsub validated each message on a goroutine of its own: seq 2 was
// often applied before seq 1, refused as a gap and not forwarded, and the
// nodes beyond waited for the periodic catch-up (30 s by default) — with two
// demands per laptop only half the changes travelled by gossip.
//
// A — B — C in a line, catch-up only every 10 minutes: C gets A's changes
// only through B's forwarding.
func TestGossipKeepsFeedOrder(t *testing.T) {
	st := newStores(t, 3)
	cfg := replicate.Config{Interval: 10 * time.Minute}
	a := startNode(t, "A", st[0], cfg)
	b := startNode(t, "B", st[1], cfg)
	c := startNode(t, "C", st[2], cfg)
	connect(t, a, b)
	connect(t, b, c)
	waitFor(t, 20*time.Second, "start in sync", sameVV(a, b, c))
	// The gossip mesh forms at gossipsub's heartbeats: a warm-up change
	// that reaches C shows that it is up (one published earlier reaches B by
	// the catch-up a new connection gets, and goes no further).
	for warm := 0; c.r.Stats().GossipAccepted == 0; warm++ {
		if warm == 60 {
			t.Fatal("no warm-up change reached C by gossip in 30 s")
		}
		if _, err := a.st.RecordDemand(demand(fmt.Sprintf("warm-up %d", warm))); err != nil {
			t.Fatal(err)
		}
		time.Sleep(500 * time.Millisecond)
	}
	waitFor(t, 20*time.Second, "the warm-up changes everywhere", sameVV(a, b, c))
	gapsB, gapsC, caughtB := b.st.Waited(), c.st.Waited(), b.r.Stats().Applied

	const n = 40
	for i := range n {
		if _, err := a.st.RecordDemand(demand(fmt.Sprintf("in a row %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	// by gossip: the periodic round (10 minutes) is far beyond this deadline
	waitFor(t, time.Minute, fmt.Sprintf("%d changes made in a row at C, by gossip through B", n), sameVV(a, b, c))
	// A change validated before an earlier one of its feed is a gap
	// (store.Store.Waited), ignored and not forwarded. B hears A directly:
	// it must see none. C may see one for each change B took by catch-up
	// first (the replicator nudges young connections): B then ignored the
	// gossiped copy as a duplicate and did not forward it.
	if g := b.st.Waited() - gapsB; g != 0 {
		t.Errorf("B applied %d gossiped changes before earlier ones of their feed (gaps: not forwarded); want 0", g)
	}
	caught := b.r.Stats().Applied - caughtB
	if g := c.st.Waited() - gapsC; g > caught {
		t.Errorf("C saw %d gaps while B took only %d changes by catch-up; want at most that many", g, caught)
	}
}
