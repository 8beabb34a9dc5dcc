package replicate_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/replicate"
)

// TestLateJoiner: a node endorsed after 10,000 changes receives all of them
// by catch-up alone. It also logs the catch-up rate.
func TestLateJoiner(t *testing.T) {
	n := 10000
	if testing.Short() || raceEnabled {
		n = 2000
	}
	st := newStores(t, 1)
	a := st[0]
	for i := range n {
		if _, err := a.RecordDemand(demand(fmt.Sprintf("before the newcomer %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	newcomer, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { newcomer.Close() })
	net, _ := a.Network()
	newcomer.JoinNetwork(net.ID)
	if err := a.Endorse(newcomer.Device(), relief.RoleVolunteer, "late"); err != nil {
		t.Fatal(err)
	}
	na := startNode(t, "A", a, replicate.Config{})
	nn := startNode(t, "newcomer", newcomer, replicate.Config{Interval: time.Hour})
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// The newcomer dials (it is not a member of its own empty roster yet).
	if err := nn.h.ConnectInfo(ctx, peer.AddrInfo{ID: na.h.ID(), Addrs: na.h.Libp2p().Addrs()}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 2*time.Minute, "newcomer has everything", sameVV(na, nn))
	el := time.Since(start)
	total := total(newcomer.VersionVector())
	if _, ok := newcomer.Me(); !ok {
		t.Errorf("newcomer does not see its own endorsement")
	}
	t.Logf("late joiner: %d changes in %v (%.0f changes/s)", total, el.Round(time.Millisecond), float64(total)/el.Seconds())
}
