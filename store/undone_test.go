package store

import (
	"slices"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// send applies on to what from holds and to lacks, as one catch-up.
func send(t *testing.T, from, to *Store) Result {
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
	if res := send(t, y, third); res.Applied != 3 || len(res.Undone) != 0 {
		t.Fatalf("third store's catch-up from y = %+v; want 3 applied, nothing undone", res)
	}
	if n := len(demandIDs(t, third)); n != 4 {
		t.Fatalf("third store shows %d demands; want 4", n)
	}
	tr.clk.advance(time.Minute)
	if _, err := coord.ApplyLocal([]ledger.Op{must2(t)(relief.Revoke(y.Device(), seen, "lost laptop"))}); err != nil {
		t.Fatal(err)
	}
	res := send(t, coord, third)
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
	if res := send(t, coord, third); len(res.Undone) != 0 {
		t.Errorf("next catch-up = %+v; want nothing undone again", res)
	}
}
