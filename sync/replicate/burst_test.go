package replicate_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/replicate"
)

// burstSize is how many changes TestBurst makes on one node.
func burstSize() int {
	switch {
	case testing.Short():
		return 2000
	case raceEnabled:
		return 5000 // the race detector slows Badger and libp2p ~10×
	}
	return 20000
}

func TestBurst(t *testing.T) {
	n := burstSize()
	st := newStores(t, 3)
	var progress atomic.Int64
	cfg := replicate.Config{OnProgress: func(p replicate.Progress) { progress.Add(1) }}
	a := startNode(t, "A", st[0], cfg)
	b := startNode(t, "B", st[1], cfg)
	c := startNode(t, "C", st[2], cfg)
	connect(t, a, b)
	connect(t, a, c)
	connect(t, b, c)
	waitFor(t, 20*time.Second, "start in sync", sameVV(a, b, c))

	start := time.Now()
	for i := range n {
		if _, err := a.st.RecordDemand(demand(fmt.Sprintf("burst %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	made := time.Since(start)
	waitFor(t, 3*time.Minute, fmt.Sprintf("all %d changes everywhere", n), sameVV(a, b, c))
	all := time.Since(start)
	for _, x := range []*node{a, b, c} {
		if got, _ := x.st.Demands(store.DemandQuery{}); len(got) != n {
			t.Errorf("%s holds %d demands; want %d", x.name, len(got), n)
		}
	}
	s := b.r.Stats()
	t.Logf("burst of %d: made in %v, everywhere after %v; B: gossip accepted %d ignored %d, catch-up applied %d in %d rounds; progress events %d",
		n, made.Round(time.Millisecond), all.Round(time.Millisecond), s.GossipAccepted, s.GossipIgnored, s.Applied, s.Rounds, progress.Load())
}
