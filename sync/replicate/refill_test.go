package replicate_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/sync/replicate"
)

// held counts the changes st holds in each feed.
func held(t *testing.T, n *node) map[ledger.DeviceID]int {
	t.Helper()
	out := map[ledger.DeviceID]int{}
	if err := n.st.ChangesSince(nil, func(c *ledger.Change) error { out[c.Device]++; return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCatchUpRefillsLostChanges: a store that lost a middle range of a feed
// from its disk (its version vector still claims the range, so it agrees with
// its peer's) gets the range back in catch-up.
func TestCatchUpRefillsLostChanges(t *testing.T) {
	st := newStores(t, 2)
	a := st[0]
	for i := range 30 {
		if _, err := a.RecordDemand(demand(fmt.Sprintf("需求 %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	copyAll(t, a, st[1])
	if err := st[1].DropChangesForTest(a.Device(), 5, 15); err != nil {
		t.Fatal(err)
	}
	if !st[1].VersionVector().Equal(a.VersionVector()) {
		t.Fatalf("the vectors differ after the damage; the test needs them equal")
	}
	na := startNode(t, "a", a, replicate.Config{})
	nb := startNode(t, "b", st[1], replicate.Config{})
	connect(t, nb, na)
	want := held(t, na)
	waitFor(t, 20*time.Second, "b holds every change again", func() error {
		got := held(t, nb)
		for d, n := range want {
			if got[d] != n {
				return fmt.Errorf("b holds %d changes of %s; a holds %d", got[d], d.Short(), n)
			}
		}
		// The round counts what it refilled once it ends, after the store
		// already holds the changes: wait for the count too.
		if r := nb.r.Stats().Refilled; r < 11 {
			return fmt.Errorf("b's Stats().Refilled = %d so far", r)
		}
		return nil
	})
	if h, err := nb.st.Holes(); err != nil || len(h) != 0 {
		t.Errorf("b's Holes() after catch-up = %v, %v; want none", h, err)
	}
	if got := nb.r.Stats().Refilled; got != 11 {
		t.Errorf("b's Stats().Refilled = %d; want 11", got)
	}
	if !nb.st.VersionVector().Equal(na.st.VersionVector()) {
		t.Errorf("the vectors differ after catch-up")
	}
}
