package replicate_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/sync/replicate"
)

// TestCatchUpPassedOn: changes a node receives by catch-up reach its other
// peers without waiting for the periodic round. Gossip carries only what a
// device publishes of its own feed, so before, a hub that caught up with a
// site after a partition healed held the site's changes while its laptops
// waited up to Config.Interval (30 s by default) for them — 40 s to converge
// in the many-peer simulation at 50 nodes (node/peersim).
//
// B — C connected, catch-up only every 10 minutes; A writes while alone,
// then connects to B: C must get A's changes through B soon.
func TestCatchUpPassedOn(t *testing.T) {
	st := newStores(t, 3)
	cfg := replicate.Config{Interval: 10 * time.Minute}
	a := startNode(t, "A", st[0], cfg)
	b := startNode(t, "B", st[1], cfg)
	c := startNode(t, "C", st[2], cfg)
	connect(t, b, c)
	waitFor(t, 20*time.Second, "B and C in sync", sameVV(b, c))
	const n = 30
	for i := range n {
		if _, err := a.st.RecordDemand(demand(fmt.Sprintf("while alone %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	connect(t, a, b)
	waitFor(t, 20*time.Second, "B caught up with A", sameVV(a, b))
	// any deadline well short of the 10-minute periodic round shows the
	// passing on; 10 s left little room for a -race run on a loaded machine
	waitFor(t, time.Minute, "A's changes at C through B, before the periodic round", sameVV(a, c))
}
