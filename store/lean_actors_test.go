package store

import (
	"fmt"
	"testing"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// actorEntries counts the actor index entries (Badger keys) of member m.
func actorEntries(t *testing.T, s *Store, m ledger.DeviceID) int {
	t.Helper()
	n := 0
	err := s.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		prefix := append([]byte{tActor}, m[:]...)
		opts.Prefix = prefix
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// recordDemands records n demands titled "<title> <i>" of category on s and
// returns their ids in order.
func recordDemands(t *testing.T, s *Store, n int, title, category string) []string {
	t.Helper()
	var ids []string
	for i := range n {
		d, err := s.RecordDemand(relief.Demand{Title: fmt.Sprintf("%s %d", title, i), Category: category})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	return ids
}

// TestLeanActorIndexOneEntryPerMemberAndRun: a run that creates several
// demands of a member writes one actor index entry for them (it wrote one
// per demand: 40 entries for the founder's 40 demands, failed before); a
// run that acts on demands stored before writes each demand's own entry,
// once however many runs act on it: the reviewer who approved demands 3 and
// 4 in one run, 3 and 5 in the next and 6 in a third has 4 entries, and is
// promoted and those 4 demands are re-derived, with the counts of a full
// store fed the same.
func TestLeanActorIndexOneEntryPerMemberAndRun(t *testing.T) {
	tr := newTrio(t, t.TempDir)
	defer tr.close()
	founder := tr.stores[0]
	net, _ := founder.Network()
	// a quarter or less are the reviewer's: the index is read (leanIndexShare)
	ids := recordDemands(t, founder, 40, "帐篷 tents", "shelter")
	lean, err := Open(t.TempDir(), Options{Lean: true, Clock: tr.clk.now})
	if err != nil {
		t.Fatal(err)
	}
	defer lean.Close()
	full, err := Open(t.TempDir(), Options{Clock: tr.clk.now})
	if err != nil {
		t.Fatal(err)
	}
	defer full.Close()
	feed := func(from *Store) { // from's own changes, in one ApplyRemote
		t.Helper()
		for _, s := range []*Store{lean, full} {
			var out []*ledger.Change
			from.ChangesSince(s.VersionVector(), func(c *ledger.Change) error {
				if c.Device == from.Device() {
					out = append(out, c)
				}
				return nil
			})
			if _, err := s.ApplyRemote(out); err != nil {
				t.Fatalf("ApplyRemote = %v", err)
			}
		}
	}
	same := func(when string) {
		t.Helper()
		if g, w := fmt.Sprint(lean.DemandCounts()), fmt.Sprint(full.DemandCounts()); g != w {
			t.Fatalf("%s: the lean store counts %s; the full store %s", when, g, w)
		}
	}
	for _, s := range []*Store{lean, full} {
		if err := s.JoinNetwork(net.ID); err != nil {
			t.Fatal(err)
		}
	}
	feed(founder)
	same("after the founder's demands")
	if n := actorEntries(t, lean, founder.Device()); n != 1 {
		t.Errorf("the founder's 40 demands in one run: %d actor index entries; want 1", n)
	}

	rv, err := Open(t.TempDir(), Options{InMemory: true, Clock: tr.clk.now})
	if err != nil {
		t.Fatal(err)
	}
	defer rv.Close()
	if err := founder.Endorse(rv.Device(), relief.RoleReviewer, "审核员"); err != nil {
		t.Fatal(err)
	}
	if err := rv.JoinNetwork(net.ID); err != nil {
		t.Fatal(err)
	}
	var out []*ledger.Change
	founder.ChangesSince(rv.VersionVector(), func(c *ledger.Change) error { out = append(out, c); return nil })
	if _, err := rv.ApplyRemote(out); err != nil {
		t.Fatal(err)
	}
	feed(founder)
	act(t, rv, ids[3], relief.ActionApprove, relief.Args{})
	act(t, rv, ids[4], relief.ActionApprove, relief.Args{})
	feed(rv)
	act(t, rv, ids[3], relief.ActionReject, relief.Args{Note: "重复 duplicate"})
	act(t, rv, ids[5], relief.ActionApprove, relief.Args{})
	feed(rv)
	same("after the reviewer's two runs")
	if n := actorEntries(t, lean, rv.Device()); n != 3 {
		t.Errorf("the reviewer's two runs on demands 3, 4 and 3, 5: %d actor index entries; want 3 (one a demand)", n)
	}

	// one demand of a member in a run: the demand's own entry
	act(t, rv, ids[6], relief.ActionApprove, relief.Args{})
	feed(rv)
	if n := actorEntries(t, lean, rv.Device()); n != 4 {
		t.Errorf("after a run of one demand: %d actor index entries of the reviewer; want 4", n)
	}
	if err := lean.db.View(func(txn *badger.Txn) error {
		_, err := txn.Get(actorKey(rv.Device(), ids[6]))
		return err
	}); err != nil {
		t.Errorf("the one-demand entry of the reviewer's demand %s: %v", ids[6], err)
	}
	same("after the reviewer's third run")

	base := lean.LeanRefolded()
	op, err := relief.Promote(rv.Device(), relief.RoleCoordinator)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := founder.ApplyLocal([]ledger.Op{op}); err != nil {
		t.Fatal(err)
	}
	feed(founder)
	same("after the reviewer's promotion")
	if got := lean.LeanRefolded() - base; got != 4 {
		t.Errorf("the reviewer's promotion re-derived %d demands; want the 4 it acted on (3, 4, 5, 6), each once", got)
	}
}

// TestLeanActorIndexBoundedByDemands: runs that edit the same demands again
// and again add no actor index entries once each demand is indexed. The
// reviewer's reproduction: 2 demands, then 200 runs of the founder editing
// both in one change gave 201 entries of the founder for 2 demands (a new
// run entry each time, never removed; failed before), against 2 on the
// index of one entry per demand.
func TestLeanActorIndexBoundedByDemands(t *testing.T) {
	tr := newTrio(t, t.TempDir)
	defer tr.close()
	founder := tr.stores[0]
	net, _ := founder.Network()
	ids := recordDemands(t, founder, 2, "饮用水 drinking water", "water")
	lean, err := Open(t.TempDir(), Options{Lean: true, Clock: tr.clk.now})
	if err != nil {
		t.Fatal(err)
	}
	defer lean.Close()
	if err := lean.JoinNetwork(net.ID); err != nil {
		t.Fatal(err)
	}
	feed := func() {
		t.Helper()
		var out []*ledger.Change
		founder.ChangesSince(lean.VersionVector(), func(c *ledger.Change) error { out = append(out, c); return nil })
		if _, err := lean.ApplyRemote(out); err != nil {
			t.Fatalf("ApplyRemote = %v", err)
		}
	}
	feed()
	first := actorEntries(t, lean, founder.Device())
	for i := range 200 {
		var ops []ledger.Op
		for _, id := range ids {
			op, err := relief.SetFields(relief.KindDemand, id, map[string]any{"description": fmt.Sprintf("第 %d 次更新 update %d", i, i)})
			if err != nil {
				t.Fatal(err)
			}
			ops = append(ops, op)
		}
		if _, err := founder.ApplyLocal(ops); err != nil {
			t.Fatal(err)
		}
		feed()
	}
	if n := actorEntries(t, lean, founder.Device()); n > first+len(ids) {
		t.Errorf("after 200 runs editing the same %d demands: %d actor index entries of the founder (%d after their creation); want at most %d",
			len(ids), n, first, first+len(ids))
	}
}

// TestLeanActorIndexManyMembersInOneRun: a run whose new demands have more
// members than leanIndexActors keeps on the stack (it then finds them by a
// map) gives each member one entry listing exactly its demands, and a
// demand stored before its own entry per actor.
func TestLeanActorIndexManyMembersInOneRun(t *testing.T) {
	s, err := Open(t.TempDir(), Options{Lean: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const members, each = 11, 3
	var recs []*recordOps
	want := map[ledger.DeviceID][]string{}
	for d := range members * each {
		var m ledger.DeviceID
		m[0], m[31] = byte(d%members+1), 0xAA
		id := fmt.Sprintf("D%03d", d)
		want[m] = append(want[m], id)
		recs = append(recs, &recordOps{rec: &relief.Record{Kind: relief.KindDemand, ID: id}, actors: []ledger.DeviceID{m}, fresh: true})
	}
	var old ledger.DeviceID
	old[0] = 0xEE
	recs = append(recs, &recordOps{rec: &relief.Record{Kind: relief.KindDemand, ID: "OLD"}, actors: []ledger.DeviceID{old}})
	if err := s.db.Update(func(txn *badger.Txn) error { return s.leanIndexActors(txn, recs) }); err != nil {
		t.Fatal(err)
	}
	want[old] = []string{"OLD"}
	for m, ids := range want {
		if n := actorEntries(t, s, m); n != 1 {
			t.Errorf("member %x: %d actor index entries; want 1", m[0], n)
		}
		var got []string
		err := s.db.View(func(txn *badger.Txn) error {
			prefix := append([]byte{tActor}, m[:]...)
			opts := badger.DefaultIteratorOptions
			opts.Prefix = prefix
			it := txn.NewIterator(opts)
			defer it.Close()
			for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
				if err := actorDemands(it.Item().Key()[len(prefix):], it.Item(), func(id []byte) { got = append(got, string(id)) }); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(ids) {
			t.Errorf("member %x: the index lists %v; want %v", m[0], got, ids)
		}
	}
}
