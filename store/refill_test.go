package store

import (
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestHolesAndRefill: changes deleted from the middle and the top of a feed
// (head and version vector untouched) are found by Holes and put back by
// Refill from an intact copy; an altered copy of a lost change is refused.
func TestHolesAndRefill(t *testing.T) {
	clk := newClock()
	s := openStore(t, t.TempDir(), clk)
	n, _ := s.CreateNetwork("net", "coordinator")
	p := newPeer(t, n.ID, clk.now)
	s.Endorse(p.id, relief.RoleVolunteer, "p")
	var feed []*ledger.Change
	for range 20 {
		feed = append(feed, p.demand(t, "d"))
	}
	if res, err := s.ApplyRemote(feed); err != nil || res.Applied != 20 {
		t.Fatalf("ApplyRemote = %+v, %v", res, err)
	}
	if h, err := s.Holes(); err != nil || len(h) != 0 {
		t.Fatalf("Holes() of an intact store = %v, %v; want none", h, err)
	}
	vv := s.VersionVector()
	if err := s.DropChangesForTest(p.id, 5, 9); err != nil {
		t.Fatal(err)
	}
	if err := s.DropChangesForTest(p.id, 20, 20); err != nil {
		t.Fatal(err)
	}
	if !s.VersionVector().Equal(vv) {
		t.Fatalf("the version vector changed with the damage")
	}
	h, err := s.Holes()
	if err != nil {
		t.Fatal(err)
	}
	want := []ledger.Range{{From: 5, To: 9}, {From: 20, To: 20}}
	if got := h[p.id]; len(h) != 1 || len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("Holes() = %v; want %v for the damaged feed only", h, want)
	}

	altered := *feed[6]
	altered.Stamp.Logical++
	res, err := s.Refill([]*ledger.Change{&altered})
	if err != nil || res.Rejected[ledger.ReasonBrokenLink] != 1 || res.Applied != 0 {
		t.Errorf("Refill(altered) = %+v, %v; want refused as broken_link", res, err)
	}
	res, err = s.Refill(feed)
	if err != nil || res.Applied != 6 || res.Duplicates != 14 {
		t.Fatalf("Refill(whole feed) = %+v, %v; want 6 put back, 14 duplicates", res, err)
	}
	if h, err := s.Holes(); err != nil || len(h) != 0 {
		t.Errorf("Holes() after Refill = %v, %v; want none", h, err)
	}
	var got int
	s.ChangesSince(ledger.VersionVector{}, func(c *ledger.Change) error {
		if c.Device == p.id {
			if c.ID() != feed[c.Seq-1].ID() {
				t.Errorf("change %d differs from the original", c.Seq)
			}
			got++
		}
		return nil
	})
	if got != 20 {
		t.Errorf("the feed holds %d changes after Refill; want 20", got)
	}
}
