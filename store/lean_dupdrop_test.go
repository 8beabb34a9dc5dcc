package store

import (
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// TestLeanDropReleasesDuplicateFlags: a lean store's dropped views must not keep the flagged demands' rows
// (or their inbox entries) alive through the duplicate step.
func TestLeanDropReleasesDuplicateFlags(t *testing.T) {
	tr := newTrio(t, t.TempDir)
	defer tr.close()
	rev, vol := tr.stores[1], tr.stores[2]
	if _, err := rev.RecordDemand(hospital("武汉协和医院")); err != nil {
		t.Fatal(err)
	}
	tr.clk.advance(time.Minute)
	if _, err := vol.RecordDemand(hospital("湖北省武汉市武汉协和医院（急需）")); err != nil {
		t.Fatal(err)
	}
	tr.exchange(t)
	net, _ := tr.stores[0].Network()
	lean, err := Open(t.TempDir(), Options{Clock: tr.clk.now, Lean: true})
	if err != nil {
		t.Fatal(err)
	}
	defer lean.Close()
	if err := lean.JoinNetwork(net.ID); err != nil {
		t.Fatal(err)
	}
	for _, from := range tr.stores {
		var out []*ledger.Change
		from.ChangesSince(lean.VersionVector(), func(c *ledger.Change) error { out = append(out, c); return nil })
		if _, err := lean.ApplyRemote(out); err != nil {
			t.Fatal(err)
		}
	}
	release, err := lean.UseViews()
	if err != nil {
		t.Fatal(err)
	}
	if got := duplicateEntries(t, lean, rev.Device()); len(got) != 1 {
		t.Fatalf("with views: %v; want 1 entry", got)
	}
	release()
	if lean.ViewsResident() {
		t.Fatal("still resident")
	}
	lean.idx.mu.RLock()
	n := 0
	if lean.idx.dups.tree != nil {
		n = lean.idx.dups.tree.Len()
	}
	rows := lean.idx.t.rowCount()
	lean.idx.mu.RUnlock()
	t.Logf("after release: demand rows %d, dupList items %d", rows, n)
	if n != 0 {
		t.Errorf("views dropped, but the duplicate step still holds %d rows of the dropped list", n)
	}
	if got := duplicateEntries(t, lean, rev.Device()); len(got) != 0 {
		t.Errorf("views dropped: InboxOf still lists duplicate entries %v (the stored ones were deleted before this merge)", got)
	}
}
