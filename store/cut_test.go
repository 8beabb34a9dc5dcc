package store

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

func (p *peer) ops(t *testing.T, ops ...ledger.Op) *ledger.Change {
	t.Helper()
	c, err := p.author.Next(ops)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// TestRevocationOrderIndependent delivers the same changes, including a
// revocation that cuts a feed, in several orders: whether a store applied the
// changes past the cut before the revocation arrived or never accepted them,
// all end in the same state.
func TestRevocationOrderIndependent(t *testing.T) {
	clk := newClock()
	coord := openStore(t, t.TempDir(), clk)
	n, _ := coord.CreateNetwork("net", "coordinator")
	op := must[ledger.Op](t)
	p := newPeer(t, n.ID, clk.now)
	q := newPeer(t, n.ID, clk.now)
	// p is a reviewer: a reviewer may edit the coordinator's demand (relief.FieldRules)
	if err := coord.Endorse(p.id, relief.RoleReviewer, "p"); err != nil {
		t.Fatal(err)
	}
	shared := must[relief.Demand](t)(coord.RecordDemand(sampleDemand("shared demand")))
	base := all(t, coord)

	// p's feed: two demands, then (past the cut at 2) an endorsement of q, an
	// edit of the coordinator's demand, and a demand of its own.
	clk.advance(time.Second)
	pch := []*ledger.Change{
		p.demand(t, "p1"),
		p.ops(t, op(relief.SetFields(relief.KindDemand, shared.ID, map[string]any{relief.FieldUrgency: relief.UrgencyHigh}))),
		p.ops(t, op(relief.Endorse(q.id, relief.RoleVolunteer, "q"))),
		p.ops(t, op(relief.SetFields(relief.KindDemand, shared.ID, map[string]any{relief.FieldTitle: "edited past the cut"})),
			op(relief.Add(relief.KindDemand, shared.ID, relief.SetTags, "late"))),
		p.demand(t, "p5"),
	}
	clk.advance(time.Second)
	// q exists only through p's endorsement past the cut.
	qch := []*ledger.Change{
		q.demand(t, "q1"),
		q.ops(t, op(relief.SetFields(relief.KindDemand, shared.ID, map[string]any{relief.FieldDistrict: "武昌区"}))),
	}
	clk.advance(time.Second)
	if _, err := coord.ApplyLocal([]ledger.Op{op(relief.Revoke(p.id, 2, "lost laptop"))}); err != nil {
		t.Fatal(err)
	}
	rev := all(t, coord)[len(base):]

	cat := func(parts ...[]*ledger.Change) [][]*ledger.Change { return parts }
	joined := func(parts ...[]*ledger.Change) []*ledger.Change {
		var out []*ledger.Change
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	orders := []struct {
		name    string
		batches [][]*ledger.Change
	}{
		{"revocation first", cat(base, rev, pch, qch)},
		{"revocation last", cat(base, pch, qch, rev)},
		{"revocation between", cat(base, pch, rev, qch)},
		{"revocation last, then redelivery", cat(base, pch, qch, rev, pch, qch)},
		{"one batch", cat(joined(qch, rev, pch, base))},
	}
	type outcome struct {
		hash    ledger.Hash
		vv      ledger.VersionVector
		demands []relief.Demand
	}
	var want *outcome
	for _, o := range orders {
		t.Run(o.name, func(t *testing.T) {
			s := openStore(t, t.TempDir(), clk)
			if err := s.JoinNetwork(n.ID); err != nil {
				t.Fatal(err)
			}
			for _, b := range o.batches {
				if _, err := s.ApplyRemote(b); err != nil {
					t.Fatalf("ApplyRemote(%d changes) = %v; want no error", len(b), err)
				}
			}
			if got := s.VersionVector().Get(p.id); got != 2 {
				t.Errorf("p's seq = %d; want 2, the cut", got)
			}
			if got := s.VersionVector().Get(q.id); got != 0 {
				t.Errorf("q's seq = %d; want 0 (q was endorsed past p's cut)", got)
			}
			for _, m := range s.Members() {
				if m.Key == q.id {
					t.Errorf("q is a member: %+v", m)
				}
			}
			d, err := s.Demand(shared.ID)
			if err != nil || d.Title != "shared demand" || d.Urgency != relief.UrgencyHigh || d.District != "江汉区" || len(d.Tags) != 0 {
				t.Errorf("Demand(shared) = %+v, %v; want p's edit before the cut only", d, err)
			}
			checkConsistent(t, s)
			h, _ := s.StateHash()
			got := &outcome{h, s.VersionVector(), mustDemands(t, s)}
			if want == nil {
				want = got
				return
			}
			if got.hash != want.hash || !got.vv.Equal(want.vv) {
				t.Errorf("state = %s %v; want %s %v (as after %q)", got.hash, got.vv, want.hash, want.vv, orders[0].name)
			}
			if !reflect.DeepEqual(got.demands, want.demands) {
				t.Errorf("Demands() differ from those after %q", orders[0].name)
			}
			// The cut holds after reopening, and the cut changes stay out.
			dir := s.Dir()
			s.Close()
			s = openStore(t, dir, clk)
			if h2, _ := s.StateHash(); h2 != h {
				t.Errorf("StateHash after reopen = %s; want %s", h2, h)
			}
			res, err := s.ApplyRemote(joined(pch, qch))
			// refused again: counted once over the store's life (those refused
			// before in this order are RefusedAgain): p's 3 past the cut
			// (revoked) and q's 2 (not a member: endorsed past p's cut)
			if err != nil || res.Applied != 0 || res.Rejected[ledger.ReasonRevoked] > 3 ||
				res.Rejected[ledger.ReasonRevoked]+res.Rejected[ledger.ReasonNotMember]+res.RefusedAgain != 5 {
				t.Errorf("ApplyRemote(cut changes again) = %+v, %v; want p's 3 and q's 2 refused (now or before), none applied", res, err)
			}
			if again, err := s.ApplyRemote(joined(pch, qch)); err != nil || len(again.Rejected) != 0 || again.RefusedAgain != 5 {
				t.Errorf("ApplyRemote(cut changes a third time) = %+v, %v; want them refused again, not counted", again, err)
			}
		})
	}
}

// TestRevokedOwnFeed checks that a device whose own changes are cut goes on
// from the cut: its author is reset and it may not write.
func TestRevokedOwnFeed(t *testing.T) {
	clk := newClock()
	coord := openStore(t, t.TempDir(), clk)
	n, _ := coord.CreateNetwork("net", "coordinator")
	me := openStore(t, t.TempDir(), clk)
	me.JoinNetwork(n.ID)
	coord.Endorse(me.Device(), relief.RoleVolunteer, "me")
	if res, err := me.ApplyRemote(all(t, coord)); err != nil || len(res.Rejected) != 0 {
		t.Fatalf("ApplyRemote(coordinator's feed) = %+v, %v", res, err)
	}
	me.RecordDemand(sampleDemand("mine, before"))
	me.RecordDemand(sampleDemand("mine, after the cut"))
	op := must[ledger.Op](t)
	coord.ApplyLocal([]ledger.Op{op(relief.Revoke(me.Device(), 1, ""))})
	if _, err := me.ApplyRemote(all(t, coord)); err != nil {
		t.Fatal(err)
	}
	if got := me.VersionVector().Get(me.Device()); got != 1 {
		t.Errorf("own seq after the cut = %d; want 1", got)
	}
	if got := len(mustDemands(t, me)); got != 1 {
		t.Errorf("%d demands after the cut; want 1", got)
	}
	if _, err := me.RecordDemand(sampleDemand("after revocation")); err == nil {
		t.Errorf("RecordDemand after revocation = nil; want an error")
	}
	checkConsistent(t, me)
}

// TestLiftedCutRestores is the gap the three-store property found once
// members other than the founder sign member ops: a revocation whose cut
// is lifted later (its coordinator was demoted before it in the fold
// order) had undone the revoked device's own changes, which then wrote
// those seqs again, and the peers that held the originals saw it fork. Now
// the undone changes are restored from the evidence when the cut is
// lifted: no fork, nothing lost, the same state on every store.
func TestLiftedCutRestores(t *testing.T) {
	tr := newTrio(t, t.TempDir)
	defer tr.close()
	s0, s1, s2 := tr.stores[0], tr.stores[1], tr.stores[2]
	op := must[ledger.Op](t)
	if _, err := s0.ApplyLocal([]ledger.Op{op(relief.Promote(s1.Device(), relief.RoleCoordinator))}); err != nil {
		t.Fatal(err)
	}
	tr.exchange(t)
	send := func(from, to *Store) Result {
		t.Helper()
		var out []*ledger.Change
		from.ChangesSince(to.VersionVector(), func(c *ledger.Change) error { out = append(out, c); return nil })
		res, err := to.ApplyRemote(out)
		if err != nil {
			t.Fatalf("ApplyRemote = %v", err)
		}
		return res
	}
	// s2 records a demand that reaches s0 only.
	tr.clk.advance(time.Second)
	seen := s1.VersionVector().Get(s2.Device())
	x := must[relief.Demand](t)(s2.RecordDemand(sampleDemand("recorded before the revocation")))
	send(s2, s0)
	// s0 demotes s1; then s1, not knowing, revokes s2 at what it had seen.
	tr.clk.advance(time.Second)
	if _, err := s0.ApplyLocal([]ledger.Op{op(relief.Promote(s1.Device(), relief.RoleVolunteer))}); err != nil {
		t.Fatal(err)
	}
	tr.clk.advance(time.Second)
	if _, err := s1.ApplyLocal([]ledger.Op{op(relief.Revoke(s2.Device(), seen, "lost laptop"))}); err != nil {
		t.Fatal(err)
	}
	// s2 hears of the revocation first: its demand is undone …
	res := send(s1, s2)
	if len(res.Undone) != 1 || s2.VersionVector().Get(s2.Device()) != seen {
		t.Fatalf("revocation at s2: %+v, own seq %d; want its demand undone, seq %d", res, s2.VersionVector().Get(s2.Device()), seen)
	}
	if _, err := s2.Demand(x.ID); err == nil {
		t.Fatalf("Demand(x) at s2 after the cut = nil error; want not found")
	}
	// … then of the demotion that makes it void: the demand is back.
	send(s0, s2)
	if got := s2.VersionVector().Get(s2.Device()); got != seen+1 {
		t.Errorf("own seq at s2 after the cut was lifted = %d; want %d (the undone change restored)", got, seen+1)
	}
	if cs, _ := s2.CutChanges(s2.Device()); len(cs) != 0 {
		t.Errorf("s2 keeps %d undone changes after the cut was lifted; want 0", len(cs))
	}
	y, err := s2.RecordDemand(sampleDemand("recorded after the cut was lifted"))
	if err != nil {
		t.Fatalf("RecordDemand at s2 after the cut was lifted = %v", err)
	}
	for range 2 {
		for _, from := range tr.stores {
			for _, to := range tr.stores {
				if from != to {
					if res := send(from, to); res.Rejected[ledger.ReasonFork] != 0 {
						t.Errorf("%s → %s: %+v; want no fork", from.Device().Short(), to.Device().Short(), res)
					}
				}
			}
		}
	}
	tr.checkConverged(t)
	for i, s := range tr.stores {
		if f := s.ForkList(); len(f) != 0 {
			t.Errorf("store %d ForkList = %+v; want none", i, f)
		}
		for _, id := range []string{x.ID, y.ID} {
			if _, err := s.Demand(id); err != nil {
				t.Errorf("store %d Demand(%s) = %v; want it", i, id, err)
			}
		}
	}
}

// TestUncreatedDemandNotListed: a demand whose creating change a
// revocation undid while a coordinator's later edit stands showed in the
// demand list as a row without a title, alike on every store. The list
// leaves it out on every store (it waits for nobody and has nothing to
// show); the demand itself still answers by id, marked uncreated, for the
// undone entry through which a coordinator adopts or discards it.
func TestUncreatedDemandNotListed(t *testing.T) {
	clk := newClock()
	coord := openStore(t, t.TempDir(), clk)
	n, _ := coord.CreateNetwork("net", "coordinator")
	p := newPeer(t, n.ID, clk.now)
	if err := coord.Endorse(p.id, relief.RoleVolunteer, "p"); err != nil {
		t.Fatal(err)
	}
	created := p.demand(t, "made by p")
	id := created.Ops[0].ID
	if res, err := coord.ApplyRemote([]*ledger.Change{created}); err != nil || res.Applied != 1 {
		t.Fatalf("ApplyRemote(p's demand) = %+v, %v", res, err)
	}
	clk.advance(time.Second)
	op := must[ledger.Op](t)
	if _, err := coord.ApplyLocal([]ledger.Op{op(relief.SetFields(relief.KindDemand, id, map[string]any{relief.FieldDistrict: "武昌区"}))}); err != nil {
		t.Fatal(err)
	}
	clk.advance(time.Second)
	if _, err := coord.ApplyLocal([]ledger.Op{op(relief.Revoke(p.id, 0, "not a volunteer"))}); err != nil {
		t.Fatal(err)
	}
	other := openStore(t, t.TempDir(), clk)
	other.JoinNetwork(n.ID)
	if _, err := other.ApplyRemote(append(all(t, coord), created)); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*Store{"the coordinator's (cut after applying)": coord, "another (never applied it)": other} {
		d, err := s.Demand(id)
		if err != nil || !d.Uncreated {
			t.Errorf("%s: Demand = %+v, %v; want it, uncreated", name, d, err)
		}
		for _, row := range mustDemands(t, s) {
			if row.ID == id {
				t.Errorf("%s: the demand list has the uncreated demand: %+v", name, row)
			}
		}
	}
}

// TestMutualRevocationConverges: two coordinators revoke each other at the
// same time, each past the other's cut (each revocation is a change the
// other's cut undoes). A tester saw two hubs keep whichever revocation each
// received first, and stay apart for good. Every store must end alike,
// whatever it received first: the revocation first in the fold's total
// order stands, and the other, past its author's cut, is undone.
func TestMutualRevocationConverges(t *testing.T) {
	tr := newTrio(t, t.TempDir)
	defer tr.close()
	a, b, c := tr.stores[0], tr.stores[1], tr.stores[2]
	op := must[ledger.Op](t)
	if _, err := a.ApplyLocal([]ledger.Op{op(relief.Promote(b.Device(), relief.RoleCoordinator))}); err != nil {
		t.Fatal(err)
	}
	tr.exchange(t)
	send := func(from, to *Store) {
		t.Helper()
		var out []*ledger.Change
		from.ChangesSince(to.VersionVector(), func(ch *ledger.Change) error { out = append(out, ch); return nil })
		if _, err := to.ApplyRemote(out); err != nil {
			t.Fatalf("ApplyRemote = %v", err)
		}
	}
	// Apart, each records a demand, then revokes the other at what it saw.
	tr.clk.advance(time.Second)
	seenB, seenA := a.VersionVector().Get(b.Device()), b.VersionVector().Get(a.Device())
	must[relief.Demand](t)(a.RecordDemand(sampleDemand("a's, while apart")))
	must[relief.Demand](t)(b.RecordDemand(sampleDemand("b's, while apart")))
	tr.clk.advance(time.Second)
	if _, err := a.ApplyLocal([]ledger.Op{op(relief.Revoke(b.Device(), seenB, "a revokes b"))}); err != nil {
		t.Fatal(err)
	}
	tr.clk.advance(time.Second)
	if _, err := b.ApplyLocal([]ledger.Op{op(relief.Revoke(a.Device(), seenA, "b revokes a"))}); err != nil {
		t.Fatal(err)
	}
	// c hears b first, then a; a and b hear each other.
	send(b, c)
	send(a, c)
	send(b, a)
	send(a, b)
	for range 3 {
		tr.exchangeCut(t)
	}
	tr.checkConverged(t)
	for i, s := range tr.stores {
		for _, m := range s.Members() {
			switch m.Key {
			case a.Device():
				if m.Revoked {
					t.Errorf("store %d: a revoked after %d; want a's revocation of b, first in order, to stand", i, m.RevokedAfter)
				}
			case b.Device():
				if !m.Revoked || m.RevokedAfter != seenB {
					t.Errorf("store %d: b = %+v; want revoked after %d", i, m, seenB)
				}
			}
		}
	}
	_ = c
}

// TestHeldEvidencePastTheHead: heldEvidence answers whether the cut table
// keeps a change of the device past its feed head — not one at or before
// the head, nor another device's — in a store whose Badger holds many
// tables of other keys around the cut table's (a lean store in small
// memtables), so that the iterator it seeks with must find the one key
// whatever the tables it skips. The devices it seeks for (evDevices) are
// those the store wrote evidence of (noteEvidence) and, after a reopen,
// those the cut table holds, even when written behind the store's back
// (an older release's cut).
func TestHeldEvidencePastTheHead(t *testing.T) {
	from, changes, dir, clk := pipeFeed(t, 300)
	open := func() *Store {
		t.Helper()
		s, err := Open(dir, Options{Clock: clk.now, Lean: true,
			TuneBadger: func(o badger.Options) badger.Options { return o.WithMemTableSize(24 << 10) }})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open()
	defer func() { s.Close() }()
	if res, err := s.ApplyRemote(changes); err != nil || res.Applied != len(changes) {
		t.Fatalf("ApplyRemote = %+v, %v", res, err)
	}
	d := from.Device()
	other := s.Device()
	head := s.heads[d].Seq
	raw := func(dev ledger.DeviceID, seq uint64) {
		t.Helper()
		if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(cutKey(dev, seq), []byte{1}) }); err != nil {
			t.Fatal(err)
		}
	}
	put := func(dev ledger.DeviceID, seq uint64) { // as the store's writers do (cut, keepRefused)
		t.Helper()
		s.noteEvidence(cutKey(dev, seq))
		raw(dev, seq)
	}
	if s.heldEvidence(d) {
		t.Fatalf("heldEvidence(%s) with an empty cut table = true", d.Short())
	}
	put(d, head)      // at the head: the feed holds it
	put(other, 1_000) // another device's
	if s.heldEvidence(d) {
		t.Fatalf("heldEvidence(%s) with evidence at its head and another device's past = true", d.Short())
	}
	put(d, head+5)
	if !s.heldEvidence(d) {
		t.Fatalf("heldEvidence(%s) with evidence at seq %d past its head %d = false", d.Short(), head+5, head)
	}
	// A third device's evidence written behind the store's back is found
	// once the store is reopened (load reads the cut table's devices); the
	// first device's still is.
	var third ledger.DeviceID
	third[0], third[31] = 0xfe, 0x01
	raw(third, 7)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open()
	for _, dev := range []ledger.DeviceID{d, third, other} {
		if _, ok := s.evDevices[dev]; !ok {
			t.Errorf("after a reopen, %s is not among the devices with evidence %v", dev.Short(), s.evDevices)
		}
	}
	if !s.heldEvidence(d) || !s.heldEvidence(third) {
		t.Errorf("after a reopen, heldEvidence(%s) = %v, heldEvidence(%s) = %v; want both true",
			d.Short(), s.heldEvidence(d), third.Short(), s.heldEvidence(third))
	}
	if len(s.evDevices) != 3 {
		t.Errorf("after a reopen, %d devices with evidence; want 3 (%v)", len(s.evDevices), s.evDevices)
	}
}

// BenchmarkHeldEvidence: heldEvidence (asked after every committed run) in
// a lean store holding the benchmark feed in 24 KiB memtables, its keys
// spread over many tables, the cut table empty: what a hub's ingest pays
// per run.
func BenchmarkHeldEvidence(b *testing.B) {
	author, changes := benchRun(b)
	dir := b.TempDir()
	clk := time.Date(2020, 1, 26, 8, 0, 0, 0, time.UTC)
	s, err := Open(dir, Options{Clock: func() time.Time { return clk }, Lean: true,
		TuneBadger: func(o badger.Options) badger.Options { return o.WithMemTableSize(24 << 10) }})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.JoinNetwork(benchNetwork); err != nil {
		b.Fatal(err)
	}
	seedBenchRoster(b, s, author)
	applyAll(b, s, changes)
	// before: the seek without the iterator's Prefix (what heldEvidence did
	// until session 11), beside heldEvidence in the same store
	before := func(d ledger.DeviceID) bool {
		found := false
		_ = s.db.View(func(txn *badger.Txn) error {
			opts := badger.DefaultIteratorOptions
			opts.PrefetchValues = false
			it := txn.NewIterator(opts)
			defer it.Close()
			it.Seek(cutKey(d, s.heads[d].Seq+1))
			found = it.ValidForPrefix(append([]byte{tCut}, d[:]...))
			return nil
		})
		return found
	}
	for round := range 2 {
		for _, v := range []struct {
			name string
			held func(ledger.DeviceID) bool
		}{{"without-prefix", before}, {"heldEvidence", s.heldEvidence}} {
			b.Run(fmt.Sprintf("%s/%d", v.name, round), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if v.held(author) {
						b.Fatal("evidence held")
					}
				}
			})
		}
	}
}
