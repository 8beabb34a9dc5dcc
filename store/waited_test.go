package store

import (
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestGapIsNotARefusal: a change that arrives before an earlier one of its
// feed waits for it (catch-up fetches it again); once the gap is filled
// nothing was refused. The store counted it among the refusals for good
// (`status` showed "refused: gap 1" with equal version vectors); it is
// counted apart, in Waited, and never in Rejected or Status().Rejected.
func TestGapIsNotARefusal(t *testing.T) {
	clk := newClock()
	dir := t.TempDir()
	s := openStore(t, dir, clk)
	n, _ := s.CreateNetwork("net", "coordinator")
	p := newPeer(t, n.ID, clk.now)
	if err := s.Endorse(p.id, relief.RoleVolunteer, "p"); err != nil {
		t.Fatal(err)
	}
	first, second := p.demand(t, "seq 1"), p.demand(t, "seq 2")
	if res, err := s.ApplyRemote([]*ledger.Change{second}); err != nil || res.Rejected[ledger.ReasonGap] != 1 {
		t.Fatalf("ApplyRemote(seq 2 first) = %+v, %v; want it to wait (a gap)", res, err)
	}
	if res, err := s.ApplyRemote([]*ledger.Change{first, second}); err != nil || res.Applied != 2 {
		t.Fatalf("ApplyRemote(seq 1, 2) = %+v, %v; want both applied", res, err)
	}
	check := func(s *Store, when string) {
		t.Helper()
		if r := s.Rejected(); len(r) != 0 {
			t.Errorf("%s: Rejected() = %v; want no refusal", when, r)
		}
		if r := s.Status().Rejected; len(r) != 0 {
			t.Errorf("%s: Status().Rejected = %v; want no refusal", when, r)
		}
		if w := s.Waited(); w != 1 {
			t.Errorf("%s: Waited() = %d; want 1", when, w)
		}
	}
	check(s, "after the gap filled")
	s.Close()
	s = openStore(t, dir, clk)
	check(s, "reopened")
}
