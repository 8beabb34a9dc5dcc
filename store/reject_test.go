package store

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// peer authors changes for a device other than the store's.
type peer struct {
	id     ledger.DeviceID
	author *ledger.Author
	clock  *ledger.HLC
}

func newPeer(t *testing.T, network string, now func() time.Time) *peer {
	t.Helper()
	id, key, err := ledger.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	clk := ledger.NewHLC(now, ledger.DefaultMaxDrift)
	a, err := ledger.NewAuthor(key, network, ledger.Head{}, clk)
	if err != nil {
		t.Fatal(err)
	}
	return &peer{id: id, author: a, clock: clk}
}

// newFounder returns a peer that may found a network of its own: its author
// writes in network relief.NetworkID(its id, nil), which relief.Genesis of
// its id (no nonce) founds.
func newFounder(t *testing.T, now func() time.Time) *peer {
	t.Helper()
	id, key, err := ledger.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	clk := ledger.NewHLC(now, ledger.DefaultMaxDrift)
	a, err := ledger.NewAuthor(key, relief.NetworkID(id, nil), ledger.Head{}, clk)
	if err != nil {
		t.Fatal(err)
	}
	return &peer{id: id, author: a, clock: clk}
}

func (p *peer) demand(t *testing.T, title string) *ledger.Change {
	t.Helper()
	op, err := relief.SetFields(relief.KindDemand, NewID(), map[string]any{relief.FieldTitle: title, relief.FieldCategory: "other"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.author.Next([]ledger.Op{op})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type snapshot struct {
	hash ledger.Hash
	vv   ledger.VersionVector
}

func snap(t *testing.T, s *Store) snapshot {
	h, err := s.StateHash()
	if err != nil {
		t.Fatal(err)
	}
	return snapshot{h, s.VersionVector()}
}

func TestRejectionsLeaveStoreUnchanged(t *testing.T) {
	clk := newClock()
	s := openStore(t, t.TempDir(), clk)
	n, _ := s.CreateNetwork("net", "coordinator")
	s.RecordDemand(sampleDemand("existing"))

	member := newPeer(t, n.ID, clk.now)
	if err := s.Endorse(member.id, relief.RoleVolunteer, "member"); err != nil {
		t.Fatal(err)
	}
	gapper := newPeer(t, n.ID, clk.now)
	if err := s.Endorse(gapper.id, relief.RoleVolunteer, "gapper"); err != nil {
		t.Fatal(err)
	}
	if res, _ := s.ApplyRemote([]*ledger.Change{member.demand(t, "ok")}); res.Applied != 1 {
		t.Fatalf("a member's first change: %+v; want applied", res)
	}

	cases := []struct {
		name   string
		make   func(t *testing.T) []*ledger.Change
		reason ledger.Reason
	}{
		{"forged signature", func(t *testing.T) []*ledger.Change {
			c := member.demand(t, "genuine")
			member.author.Discard(c)
			c.Ops[0].ID = "forged-id"
			return []*ledger.Change{c}
		}, ledger.ReasonBadSignature},
		{"wrong network", func(t *testing.T) []*ledger.Change {
			return []*ledger.Change{newPeer(t, "other-network", clk.now).demand(t, "x")}
		}, ledger.ReasonWrongNetwork},
		{"non-member", func(t *testing.T) []*ledger.Change {
			return []*ledger.Change{newPeer(t, n.ID, clk.now).demand(t, "x")}
		}, ledger.ReasonNotMember},
		{"gap", func(t *testing.T) []*ledger.Change {
			gapper.demand(t, "seq 1, never delivered")
			return []*ledger.Change{gapper.demand(t, "seq 2")}
		}, ledger.ReasonGap},
		{"malformed op", func(t *testing.T) []*ledger.Change {
			c, err := member.author.Next([]ledger.Op{{Kind: "spaceship", ID: "x", Type: relief.OpSet}})
			if err != nil {
				t.Fatal(err)
			}
			member.author.Discard(c)
			return []*ledger.Change{c}
		}, ledger.ReasonMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := snap(t, s)
			// a gap is not a refusal: it is counted by Waited
			count := func() uint64 {
				if tc.reason == ledger.ReasonGap {
					return s.Waited()
				}
				return s.Rejected()[tc.reason]
			}
			rejectedBefore := count()
			res, err := s.ApplyRemote(tc.make(t))
			if err != nil {
				t.Fatalf("ApplyRemote = %v", err)
			}
			if res.Applied != 0 || res.Rejected[tc.reason] != 1 {
				t.Errorf("ApplyRemote = %+v; want 1 rejected for %s", res, tc.reason)
			}
			if got := count(); got != rejectedBefore+1 {
				t.Errorf("count of %s = %d; want %d", tc.reason, got, rejectedBefore+1)
			}
			after := snap(t, s)
			if after.hash != before.hash || !after.vv.Equal(before.vv) {
				t.Errorf("store changed: %v → %v", before, after)
			}
		})
	}
}

func TestRevocationCutsFeed(t *testing.T) {
	clk := newClock()
	s := openStore(t, t.TempDir(), clk)
	n, _ := s.CreateNetwork("net", "coordinator")
	p := newPeer(t, n.ID, clk.now)
	s.Endorse(p.id, relief.RoleVolunteer, "p")
	first := p.demand(t, "before revocation")
	if res, _ := s.ApplyRemote([]*ledger.Change{first}); res.Applied != 1 {
		t.Fatalf("first change: %+v", res)
	}
	op, err := relief.Revoke(p.id, 1, "lost laptop")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyLocal([]ledger.Op{op}); err != nil {
		t.Fatal(err)
	}
	before := snap(t, s)
	res, _ := s.ApplyRemote([]*ledger.Change{p.demand(t, "after revocation")})
	if res.Applied != 0 || res.Rejected[ledger.ReasonRevoked] != 1 {
		t.Errorf("change past revocation: %+v; want rejected (revoked)", res)
	}
	if after := snap(t, s); after.hash != before.hash {
		t.Errorf("store changed")
	}
}

func TestForkKeptAsEvidence(t *testing.T) {
	clk := newClock()
	s := openStore(t, t.TempDir(), clk)
	n, _ := s.CreateNetwork("net", "coordinator")
	p := newPeer(t, n.ID, clk.now)
	s.Endorse(p.id, relief.RoleVolunteer, "p")
	one := p.demand(t, "one")
	p.author.Discard(one)
	other := p.demand(t, "other") // same seq 1, different change
	next := p.demand(t, "after the fork")
	if res, _ := s.ApplyRemote([]*ledger.Change{one}); res.Applied != 1 {
		t.Fatalf("first side: %+v", res)
	}
	before := snap(t, s)
	res, _ := s.ApplyRemote([]*ledger.Change{other, next})
	if res.Applied != 0 || res.Rejected[ledger.ReasonFork] != 2 {
		t.Errorf("other side of the fork: %+v; want both rejected (fork)", res)
	}
	if at, ok := s.Forks()[p.id]; !ok || at != 1 {
		t.Errorf("Forks() = %v; want %s flagged at seq 1", s.Forks(), p.id.Short())
	}
	if after := snap(t, s); after.hash != before.hash || !after.vv.Equal(before.vv) {
		t.Errorf("store state changed by the fork")
	}
}

func TestStampTooFarAheadIsHeld(t *testing.T) {
	clk := newClock()
	s := openStore(t, t.TempDir(), clk)
	n, _ := s.CreateNetwork("net", "coordinator")
	peerClock := &fakeClock{t: clk.t.Add(10 * time.Minute)} // runs 10 min fast
	p := newPeer(t, n.ID, peerClock.now)
	s.Endorse(p.id, relief.RoleVolunteer, "p")
	before := snap(t, s)
	res, _ := s.ApplyRemote([]*ledger.Change{p.demand(t, "from the future")})
	if res.Held != 1 || res.Applied != 0 {
		t.Fatalf("ApplyRemote = %+v; want 1 held", res)
	}
	if after := snap(t, s); after.hash != before.hash {
		t.Errorf("a held change was applied")
	}
	clk.advance(6 * time.Minute)
	if res, _ := s.RetryHeld(); res.Applied != 1 {
		t.Errorf("RetryHeld once due = %+v; want 1 applied", res)
	}
}

// TestStrangersFutureStampsAreRefused: a stranger's far-future changes are
// refused as not a member — not held, and not counted against this device's
// clock — and a member's held changes delivered again are held once.
func TestStrangersFutureStampsAreRefused(t *testing.T) {
	clk := newClock()
	s := openStore(t, t.TempDir(), clk)
	n, _ := s.CreateNetwork("net", "coordinator")
	future := &fakeClock{t: clk.t.Add(24 * time.Hour)}
	stranger := newPeer(t, n.ID, future.now)
	cs := []*ledger.Change{stranger.demand(t, "from 2099"), stranger.demand(t, "again")}
	res, _ := s.ApplyRemote(cs)
	if res.Held != 0 || res.Rejected[ledger.ReasonNotMember] != 2 {
		t.Errorf("a stranger's future changes = %+v; want 2 refused as not_member, none held", res)
	}
	if s.Held() != 0 || s.ClockBehind() != 0 {
		t.Errorf("after a stranger's future stamps: held %d, clock behind %v; want 0 and 0", s.Held(), s.ClockBehind())
	}

	member := newPeer(t, n.ID, future.now)
	s.Endorse(member.id, relief.RoleVolunteer, "m")
	ms := []*ledger.Change{member.demand(t, "a"), member.demand(t, "b")}
	for range 3 {
		s.ApplyRemote(ms)
	}
	if s.Held() != 2 {
		t.Errorf("a member's 2 future changes delivered 3 times: %d held; want 2", s.Held())
	}
}

// TestAlteredCopyIsNoFork: a copy of a stored change altered by someone else
// (a tampered bundle) has the same device and seq but no valid signature; it
// is rejected as forged and does not flag the honest device as forked.
func TestAlteredCopyIsNoFork(t *testing.T) {
	clk := newClock()
	s := openStore(t, t.TempDir(), clk)
	n, _ := s.CreateNetwork("net", "coordinator")
	p := newPeer(t, n.ID, clk.now)
	s.Endorse(p.id, relief.RoleVolunteer, "p")
	c := p.demand(t, "genuine")
	if res, _ := s.ApplyRemote([]*ledger.Change{c}); res.Applied != 1 {
		t.Fatalf("genuine change: %+v", res)
	}
	altered := *c
	altered.Ops = append([]ledger.Op(nil), c.Ops...)
	altered.Ops[0].ID = "altered"
	before := snap(t, s)
	res, _ := s.ApplyRemote([]*ledger.Change{&altered})
	if res.Rejected[ledger.ReasonBadSignature] != 1 || res.Rejected[ledger.ReasonFork] != 0 {
		t.Errorf("ApplyRemote(altered copy) = %+v; want rejected as a bad signature, not a fork", res)
	}
	if f := s.Forks(); len(f) != 0 {
		t.Errorf("Forks() = %v; an altered copy flagged an honest device", f)
	}
	if res, _ := s.ApplyRemote([]*ledger.Change{p.demand(t, "next")}); res.Applied != 1 {
		t.Errorf("the honest device's next change: %+v; want applied", res)
	}
	if after := snap(t, s); after.hash == before.hash {
		t.Errorf("state did not move on after the honest next change")
	}
}

// TestRoleGatesLocalWrites: an observer's device writes nothing, and only a
// coordinator changes the network's settings (ReasonRole); nothing is stored.
func TestRoleGatesLocalWrites(t *testing.T) {
	clk := newClock()
	a := openStore(t, t.TempDir(), clk)
	n, _ := a.CreateNetwork("net", "coordinator")
	for _, role := range []relief.Role{relief.RoleObserver, relief.RoleVolunteer} {
		t.Run(string(role), func(t *testing.T) {
			b := openStore(t, t.TempDir(), clk)
			b.JoinNetwork(n.ID)
			a.Endorse(b.Device(), role, string(role))
			if res, _ := b.ApplyRemote(all(t, a)); len(res.Rejected) != 0 {
				t.Fatalf("catch-up: %+v", res)
			}
			rename, _ := relief.SetFields(relief.KindNetwork, n.ID, map[string]any{relief.FieldName: "hijacked"})
			before := snap(t, b)
			_, err := b.ApplyLocal([]ledger.Op{rename})
			if ledger.ReasonOf(err) != ledger.ReasonRole {
				t.Errorf("%s renames the network: %v; want %s", role, err, ledger.ReasonRole)
			}
			_, err = b.RecordDemand(sampleDemand("x"))
			if wantRefused := role == relief.RoleObserver; (ledger.ReasonOf(err) == ledger.ReasonRole) != wantRefused {
				t.Errorf("%s records a demand: %v; refused want %v", role, err, wantRefused)
			}
			if role == relief.RoleObserver {
				if after := snap(t, b); after.hash != before.hash || !after.vv.Equal(before.vv) {
					t.Errorf("store changed")
				}
			}
		})
	}
}

// TestAlteredChangeKeepsIntactPrefix: one altered change in a run (a flipped
// bit in a bundle) costs that change and what follows it, not the verified
// changes before it.
func TestAlteredChangeKeepsIntactPrefix(t *testing.T) {
	clk := newClock()
	s := openStore(t, t.TempDir(), clk)
	n, _ := s.CreateNetwork("net", "coordinator")
	p := newPeer(t, n.ID, clk.now)
	s.Endorse(p.id, relief.RoleVolunteer, "p")
	var run []*ledger.Change
	for i := 0; i < 10; i++ {
		run = append(run, p.demand(t, "d"))
	}
	altered := *run[6]
	altered.Ops = append([]ledger.Op(nil), run[6].Ops...)
	altered.Ops[0].ID = "altered"
	run[6] = &altered
	res, err := s.ApplyRemote(run)
	if err != nil {
		t.Fatal(err)
	}
	if res.Applied != 6 || res.Rejected[ledger.ReasonBadSignature] != 1 || res.Rejected[ledger.ReasonBrokenLink] != 3 {
		t.Errorf("ApplyRemote(run with change 7 of 10 altered) = %+v; want 6 applied, 1 bad signature, 3 broken links", res)
	}
	if got := s.VersionVector().Get(p.id); got != 6 {
		t.Errorf("feed at %d; want 6", got)
	}
	if len(s.Forks()) != 0 {
		t.Errorf("Forks() = %v; want none", s.Forks())
	}
}

// TestRefusalCountsSurviveRestart: what was refused is still counted after
// the store is closed and opened again (the hub's status reads them).
func TestRefusalCountsSurviveRestart(t *testing.T) {
	clk := newClock()
	dir := t.TempDir()
	s := openStore(t, dir, clk)
	n, _ := s.CreateNetwork("net", "coordinator")
	stranger := newPeer(t, n.ID, clk.now)
	s.ApplyRemote([]*ledger.Change{stranger.demand(t, "x"), stranger.demand(t, "y")})
	if got := s.Rejected()[ledger.ReasonNotMember]; got != 2 {
		t.Fatalf("Rejected before restart = %v; want 2 not_member", s.Rejected())
	}
	s.Close()
	s2 := openStore(t, dir, clk)
	if got := s2.Rejected()[ledger.ReasonNotMember]; got != 2 {
		t.Errorf("Rejected after restart = %v; want 2 not_member", s2.Rejected())
	}
}

// TestForkRefusalsCountedOnce: the same bundle imported again (the same
// changes of a forked device refused again) counted its refused changes
// again, so status showed more refusals on each import. Each refused change
// is counted once, also across a reopen; a later import says how many it
// refused again (Result.RefusedAgain) without counting them.
func TestForkRefusalsCountedOnce(t *testing.T) {
	clk := newClock()
	s := openStore(t, t.TempDir(), clk)
	n, _ := s.CreateNetwork("net", "coordinator")
	p := newPeer(t, n.ID, clk.now)
	s.Endorse(p.id, relief.RoleVolunteer, "p")
	one := p.demand(t, "one")
	p.author.Discard(one)
	other := p.demand(t, "other") // same seq 1, different change
	next := p.demand(t, "after the fork")
	if res, _ := s.ApplyRemote([]*ledger.Change{one}); res.Applied != 1 {
		t.Fatalf("first side: %+v", res)
	}
	bundle := []*ledger.Change{other, next}
	if res, _ := s.ApplyRemote(bundle); res.Rejected[ledger.ReasonFork] != 2 || res.RefusedAgain != 0 {
		t.Fatalf("first import: %+v; want 2 refused (fork)", res)
	}
	if got := s.Rejected()[ledger.ReasonFork]; got != 2 {
		t.Fatalf("Rejected()[fork] = %d after the first import; want 2", got)
	}
	for i := range 2 {
		res, _ := s.ApplyRemote(bundle)
		if res.Rejected[ledger.ReasonFork] != 0 || res.RefusedAgain != 2 {
			t.Errorf("import %d again: %+v; want none counted, 2 refused again", i+2, res)
		}
	}
	if got := s.Rejected()[ledger.ReasonFork]; got != 2 {
		t.Errorf("Rejected()[fork] = %d after importing the same changes again; want 2", got)
	}
	// the branch first applied, undone by the fork's cut, is a change not
	// refused before: counted once
	if res, _ := s.ApplyRemote([]*ledger.Change{one, other}); res.Rejected[ledger.ReasonFork] != 1 || res.RefusedAgain != 1 {
		t.Errorf("import of both branches: %+v; want 1 refused (fork), 1 refused again", res)
	}
	dir := s.Dir()
	s.Close()
	s = openStore(t, dir, clk)
	if res, _ := s.ApplyRemote(append(bundle, one)); res.Rejected[ledger.ReasonFork] != 0 || res.RefusedAgain != 3 {
		t.Errorf("import after reopening: %+v; want none counted, 3 refused again", res)
	}
	if got := s.Rejected()[ledger.ReasonFork]; got != 3 {
		t.Errorf("Rejected()[fork] = %d after reopening; want 3", got)
	}
}
