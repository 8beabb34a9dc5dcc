package store

import (
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// founded is a network made by a founder's store: its id and every change
// of it (the genesis first).
type founded struct {
	network Network
	founder ledger.DeviceID
	changes []*ledger.Change
}

func foundNetwork(t *testing.T, clk *fakeClock) founded {
	t.Helper()
	s := openStore(t, t.TempDir(), clk)
	n, err := s.CreateNetwork("武汉", "协调员")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordDemand(sampleDemand("real demand")); err != nil {
		t.Fatal(err)
	}
	return founded{network: n, founder: s.device, changes: all(t, s)}
}

// strangerGenesis returns a stranger's feed in network: a genesis of its
// own (with a nonce or without), dated an hour before the real one, and a
// demand after it.
func strangerGenesis(t *testing.T, network string, clk *fakeClock, nonce []byte) (*peer, []*ledger.Change) {
	t.Helper()
	early := func() time.Time { return clk.now().Add(-time.Hour) }
	p := newPeer(t, network, early)
	op, _, err := relief.Found(p.id, "stranger", nonce)
	if err != nil {
		t.Fatal(err)
	}
	g, err := p.author.Next([]ledger.Op{op})
	if err != nil {
		t.Fatal(err)
	}
	return p, []*ledger.Change{g, p.demand(t, "stranger's demand")}
}

// checkFounded fails unless s holds the real network: its founder is the
// roster's genesis and both of its changes are applied, and no stranger's
// change is stored.
func checkFounded(t *testing.T, s *Store, f founded) {
	t.Helper()
	g, ok := s.roster.Genesis()
	if !ok || g.Key != f.founder {
		t.Errorf("genesis member = %v, %v; want the founder %s", g.Key.Short(), ok, f.founder.Short())
	}
	if got, want := s.VersionVector(), (ledger.VersionVector{f.founder: uint64(len(f.changes))}); !got.Equal(want) {
		t.Errorf("version vector = %v; want only the founder's %v", got, want)
	}
	if n := s.DemandCounts()[relief.StatusCollected]; n != 1 {
		t.Errorf("demands collected = %d; want the founder's 1", n)
	}
}

// TestForeignGenesisRefused: a node that joined a network (by its id, from a
// join code) and holds nothing accepts only the genesis of that network's
// founder. A stranger's genesis, in a change carrying the right network id,
// alone or first, or in one batch with the real one in either order and
// whichever device id sorts first, is refused as foreign_genesis, counted and
// shown in Status; the real network then applies.
func TestForeignGenesisRefused(t *testing.T) {
	clk := newClock()
	f := foundNetwork(t, clk)
	if want := relief.NetworkID(f.founder, nil); f.network.ID == want {
		t.Fatalf("network id %s is the founder's id without nonce; want one bound to a random nonce", f.network.ID)
	}
	// Strangers whose ids sort before and after the founder's.
	var lower, higher [][]*ledger.Change
	for len(lower) == 0 || len(higher) == 0 {
		p, cs := strangerGenesis(t, f.network.ID, clk, []byte("any nonce"))
		if p.id.Compare(f.founder) < 0 {
			lower = append(lower, cs)
		} else {
			higher = append(higher, cs)
		}
	}
	_, noNonce := strangerGenesis(t, f.network.ID, clk, nil)
	type batch = []*ledger.Change
	cat := func(bs ...batch) batch {
		var out batch
		for _, b := range bs {
			out = append(out, b...)
		}
		return out
	}
	cases := []struct {
		name    string
		batches []batch // applied one after the other
	}{
		{"stranger alone, then the real network", []batch{lower[0], f.changes}},
		{"stranger without nonce alone, then the real network", []batch{noNonce, f.changes}},
		{"stranger sorting higher alone, then the real network", []batch{higher[0], f.changes}},
		{"one batch, stranger sorting lower first", []batch{cat(lower[0], f.changes)}},
		{"one batch, stranger sorting lower last", []batch{cat(f.changes, lower[0])}},
		{"one batch, stranger sorting higher first", []batch{cat(higher[0], f.changes)}},
		{"one batch, stranger sorting higher last", []batch{cat(f.changes, higher[0])}},
		{"one batch, two strangers around the real one", []batch{cat(higher[0], f.changes, lower[0])}},
		{"real network first, then the stranger", []batch{f.changes, lower[0]}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := openStore(t, t.TempDir(), clk)
			if err := s.JoinNetwork(f.network.ID); err != nil {
				t.Fatal(err)
			}
			var foreign, applied int
			for _, b := range tc.batches {
				res, err := s.ApplyRemote(b)
				if err != nil {
					t.Fatalf("ApplyRemote = %v", err)
				}
				foreign += res.Rejected[ledger.ReasonForeignGenesis]
				applied += res.Applied
			}
			strangers := 0
			for _, b := range tc.batches {
				for _, c := range b {
					if c.Device != f.founder {
						strangers++
					}
				}
			}
			if foreign != strangers {
				t.Errorf("refused as foreign_genesis = %d; want %d (every change of a stranger's feed)", foreign, strangers)
			}
			if applied != len(f.changes) {
				t.Errorf("applied = %d; want the real network's %d", applied, len(f.changes))
			}
			if got := s.Status().Rejected[string(ledger.ReasonForeignGenesis)]; got != uint64(strangers) {
				t.Errorf("Status().Rejected[foreign_genesis] = %d; want %d", got, strangers)
			}
			checkFounded(t, s, f)
		})
	}
}

// TestForeignGenesisOfMemberRefused: a member of the network whose first
// change is a genesis of its own, dated before the real one, neither takes
// over the roster nor is stored.
func TestForeignGenesisOfMemberRefused(t *testing.T) {
	clk := newClock()
	s := openStore(t, t.TempDir(), clk)
	n, err := s.CreateNetwork("武汉", "协调员")
	if err != nil {
		t.Fatal(err)
	}
	p, cs := strangerGenesis(t, n.ID, clk, nil)
	if err := s.Endorse(p.id, relief.RoleCoordinator, "member"); err != nil {
		t.Fatal(err)
	}
	res, err := s.ApplyRemote(cs)
	if err != nil {
		t.Fatal(err)
	}
	if res.Applied != 0 || res.Rejected[ledger.ReasonForeignGenesis] != len(cs) {
		t.Errorf("ApplyRemote(member's own genesis and a change after it) = %+v; want %d foreign_genesis and nothing applied", res, len(cs))
	}
	if g, _ := s.roster.Genesis(); g.Key != s.device {
		t.Errorf("genesis member = %s; want the founder %s", g.Key.Short(), s.device.Short())
	}
}

// TestLocalForeignGenesisRefused: a device that joined a network cannot
// make itself its founder by writing a genesis of its own.
func TestLocalForeignGenesisRefused(t *testing.T) {
	clk := newClock()
	f := foundNetwork(t, clk)
	s := openStore(t, t.TempDir(), clk)
	if err := s.JoinNetwork(f.network.ID); err != nil {
		t.Fatal(err)
	}
	op, err := relief.Genesis(s.device, "usurper")
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.ApplyLocal([]ledger.Op{op})
	if ledger.ReasonOf(err) != ledger.ReasonForeignGenesis {
		t.Errorf("ApplyLocal(own genesis in a joined network) = %v; want a foreign_genesis refusal", err)
	}
	if _, ok := s.roster.Genesis(); ok {
		t.Errorf("the joined device became a genesis member")
	}
	if res, err := s.ApplyRemote(f.changes); err != nil || res.Applied != len(f.changes) {
		t.Fatalf("ApplyRemote(real network) = %+v, %v; want %d applied", res, err, len(f.changes))
	}
	checkFounded(t, s, f)
}

// TestCreateNetworkBindsFounder: CreateNetwork's network id is the one its
// genesis binds (relief.GenesisNetwork) and the one its changes carry, and
// networks founded apart get different ids.
func TestCreateNetworkBindsFounder(t *testing.T) {
	clk := newClock()
	seen := map[string]bool{}
	for i := range 3 {
		f := foundNetwork(t, clk)
		g := f.changes[0]
		id, err := relief.GenesisNetwork(g.Ops[0])
		if err != nil {
			t.Fatal(err)
		}
		if id != f.network.ID || g.Network != f.network.ID {
			t.Errorf("network %d: id %s, genesis binds %s, carried %s; want all equal", i, f.network.ID, id, g.Network)
		}
		if seen[id] {
			t.Errorf("network %d: id %s repeats", i, id)
		}
		seen[id] = true
	}
}
