package store

import (
	"slices"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// catchUp applies on to what from holds and to lacks, as one catch-up.
func catchUp(t *testing.T, from, to *Store) Result {
	t.Helper()
	var out []*ledger.Change
	if err := from.ChangesSince(to.VersionVector(), func(c *ledger.Change) error { out = append(out, c); return nil }); err != nil {
		t.Fatal(err)
	}
	res, err := to.ApplyRemote(out)
	if err != nil {
		t.Fatalf("ApplyRemote(%d changes) = %v", len(out), err)
	}
	return res
}

// TestUndoneReported (scenario 6): a third store that had applied, and so
// shown, a member's changes undoes them when the coordinator's revocation
// arrives, and the result of that catch-up says which, by whom, who revoked
// them and when; the coordinator's own store, which never held them, reports
// nothing undone.
func TestUndoneReported(t *testing.T) {
	tr := newTrio(t, t.TempDir)
	defer tr.close()
	coord, third, y := tr.stores[0], tr.stores[1], tr.stores[2]
	if _, err := y.RecordDemand(sampleDemand("seen by all")); err != nil {
		t.Fatal(err)
	}
	tr.exchange(t)
	seen := coord.VersionVector().Get(y.Device())
	for i := range 3 {
		tr.clk.advance(time.Minute)
		if _, err := y.RecordDemand(sampleDemand("past the cut " + string(rune('a'+i)))); err != nil {
			t.Fatal(err)
		}
	}
	if res := catchUp(t, y, third); res.Applied != 3 || len(res.Undone) != 0 {
		t.Fatalf("third store's catch-up from y = %+v; want 3 applied, nothing undone", res)
	}
	if n := len(demandIDs(t, third)); n != 4 {
		t.Fatalf("third store shows %d demands; want 4", n)
	}
	tr.clk.advance(time.Minute)
	if _, err := coord.ApplyLocal([]ledger.Op{must2(t)(relief.Revoke(y.Device(), seen, "lost laptop"))}); err != nil {
		t.Fatal(err)
	}
	res := catchUp(t, coord, third)
	if len(res.Undone) != 1 {
		t.Fatalf("third store's catch-up with the revocation = %+v; want one member's changes undone", res)
	}
	u := res.Undone[0]
	if u.Device != y.Device() || u.Name != "volunteer" || u.After != seen || !slices.Equal(u.Seqs, []uint64{seen + 1, seen + 2, seen + 3}) {
		t.Errorf("Undone = %+v; want volunteer's seqs %d–%d after %d", u, seen+1, seen+3, seen)
	}
	if u.By != coord.Device() || u.ByName != "coordinator" || u.At.IsZero() {
		t.Errorf("Undone by %s %q at %v; want the coordinator %s", u.By.Short(), u.ByName, u.At, coord.Device().Short())
	}
	if n := len(demandIDs(t, third)); n != 1 {
		t.Errorf("third store shows %d demands after the cut; want 1", n)
	}
	if res := catchUp(t, coord, third); len(res.Undone) != 0 {
		t.Errorf("next catch-up = %+v; want nothing undone again", res)
	}

	// A coordinator's inbox on the third store lists them; the
	// coordinator's own store never held them, so lists nothing.
	undone := func(s *Store) (n int, since time.Time) {
		t.Helper()
		in, err := s.InboxOf(coord.Device(), time.Now(), 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range in {
			if p.What == relief.ReplyUndone {
				if p.ID != y.Device().String() || p.Code != "volunteer" || p.Kind != relief.KindMember {
					t.Errorf("undone entry = %+v; want the volunteer %s", p, y.Device().Short())
				}
				n, since = p.Count, p.Since
			}
		}
		return n, since
	}
	if n, since := undone(third); n != 3 || !since.Equal(u.At) {
		t.Errorf("third store: coordinator's undone entry counts %d since %v; want 3 since the revocation %v", n, since, u.At)
	}
	if n, _ := undone(coord); n != 0 {
		t.Errorf("coordinator's store: undone entry counts %d; want none", n)
	}
	if in, _ := third.InboxOf(third.Device(), time.Now(), 0); slices.ContainsFunc(in, func(p relief.Pending) bool { return p.What == relief.ReplyUndone }) {
		t.Errorf("reviewer's inbox lists undone changes; want coordinators only")
	}
	cut, err := third.CutChanges(y.Device())
	if err != nil || len(cut) != 3 || cut[0].Seq != seen+1 {
		t.Fatalf("CutChanges = %d changes, %v; want 3 from seq %d", len(cut), err, seen+1)
	}
	if err := third.SetUndoneHandled(y.Device(), seen+1); err != nil {
		t.Fatal(err)
	}
	if n, _ := undone(third); n != 2 {
		t.Errorf("after one is handled, the entry counts %d; want 2", n)
	}
	if err := third.SetUndoneHandled(y.Device(), seen+2, seen+3); err != nil {
		t.Fatal(err)
	}
	if n, _ := undone(third); n != 0 {
		t.Errorf("after all are handled, the entry counts %d; want none", n)
	}

	// The coordinator's store refuses them on arrival (past the cut), and
	// keeps them for a coordinator to adopt: made before the revocation.
	if res := catchUp(t, y, coord); res.Rejected[ledger.ReasonRevoked] != 3 {
		t.Fatalf("coordinator's catch-up from y = %+v; want 3 refused (revoked)", res)
	}
	if n, _ := undone(coord); n != 3 {
		t.Errorf("coordinator's store: undone entry counts %d after refusing y's changes; want 3", n)
	}
	if kept, err := coord.CutChanges(y.Device()); err != nil || len(kept) != 3 {
		t.Errorf("coordinator's CutChanges = %d, %v; want 3", len(kept), err)
	}
	if _, err := coord.ApplyRemote(cut); err != nil {
		t.Fatal(err)
	}
	if n, _ := undone(coord); n != 3 {
		t.Errorf("after a second delivery, the entry counts %d; want still 3", n)
	}
}
