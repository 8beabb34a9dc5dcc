package store

import (
	"fmt"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestOneFutureMemberDoesNotMoveTheClockWarning: one member whose change is
// stamped in the year 2100 no longer makes this computer look 80 years
// behind; the warning follows only when ledger.ClockQuorum members agree, and
// then by as much as the least ahead of them.
func TestOneFutureMemberDoesNotMoveTheClockWarning(t *testing.T) {
	clk := newClock()
	s := openStore(t, t.TempDir(), clk)
	n, _ := s.CreateNetwork("net", "coordinator")
	member := func(name string, ahead time.Duration) *peer {
		c := &fakeClock{t: clk.t.Add(ahead)}
		p := newPeer(t, n.ID, c.now)
		if err := s.Endorse(p.id, relief.RoleVolunteer, name); err != nil {
			t.Fatal(err)
		}
		return p
	}
	apply := func(p *peer, title string) {
		t.Helper()
		if _, err := s.ApplyRemote([]*ledger.Change{p.demand(t, title)}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		apply(member(fmt.Sprintf("on time %d", i), 0), "on time")
	}
	far := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).Sub(clk.t)
	apply(member("year 2100", far), "from 2100")
	if s.Held() != 1 {
		t.Fatalf("Held() = %d; want the change from 2100 held", s.Held())
	}
	if got := s.ClockBehind(); got != 0 {
		t.Errorf("one member in 2100: ClockBehind() = %v; want 0", got)
	}
	apply(member("3 min fast", 3*time.Minute), "fast")
	if got := s.ClockBehind(); got != 0 {
		t.Errorf("two members ahead of six: ClockBehind() = %v; want 0", got)
	}
	apply(member("2 min fast", 2*time.Minute), "fast too")
	if got := s.ClockBehind(); got != 2*time.Minute {
		t.Errorf("three members ahead: ClockBehind() = %v; want 2m0s (the least ahead of the three)", got)
	}
}
