package store

import (
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestStampsBeforeGenesisAreRefused: a member's changes stamped before the
// network's genesis, or before 1970, are refused as before_genesis and
// counted; nothing of them is stored. A member's change after the genesis is
// applied.
func TestStampsBeforeGenesisAreRefused(t *testing.T) {
	clk := newClock()
	s := openStore(t, t.TempDir(), clk)
	n, _ := s.CreateNetwork("net", "coordinator")
	for _, tc := range []struct {
		name string
		at   time.Time
	}{
		{"a day before the genesis", clk.t.Add(-24 * time.Hour)},
		{"1969", time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC)},
	} {
		c := &fakeClock{t: tc.at}
		p := newPeer(t, n.ID, c.now)
		if err := s.Endorse(p.id, relief.RoleVolunteer, tc.name); err != nil {
			t.Fatal(err)
		}
		before := s.Rejected()[ledger.ReasonBeforeGenesis]
		res, err := s.ApplyRemote([]*ledger.Change{p.demand(t, tc.name), p.demand(t, tc.name+" again")})
		if err != nil {
			t.Fatal(err)
		}
		if res.Applied != 0 || res.Rejected[ledger.ReasonBeforeGenesis] != 2 {
			t.Errorf("%s: ApplyRemote = %+v; want both refused as before_genesis", tc.name, res)
		}
		if got := s.Rejected()[ledger.ReasonBeforeGenesis]; got != before+2 {
			t.Errorf("%s: Rejected()[before_genesis] = %d; want %d", tc.name, got, before+2)
		}
		if got := s.VersionVector().Get(p.id); got != 0 {
			t.Errorf("%s: the member's feed is at %d; want nothing stored", tc.name, got)
		}
	}
	p := newPeer(t, n.ID, func() time.Time { return clk.t.Add(time.Second) })
	s.Endorse(p.id, relief.RoleVolunteer, "on time")
	if res, _ := s.ApplyRemote([]*ledger.Change{p.demand(t, "on time")}); res.Applied != 1 {
		t.Errorf("a change after the genesis: ApplyRemote = %+v; want applied", res)
	}
}
