package bundle_test

import (
	"bytes"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
)

// TestImportReportsUndone (scenario 6, by bundle): a third site that had
// shown a volunteer's changes imports the coordinator's bundle holding the
// volunteer's revocation; the import result says which of them were undone
// and who revoked the volunteer, not just "applied 1, refused 0".
func TestImportReportsUndone(t *testing.T) {
	coord, vol := site(t, 0)
	third := open(t)
	n, _ := coord.Network()
	if err := coord.Endorse(third.Device(), relief.RoleReviewer, "third"); err != nil {
		t.Fatal(err)
	}
	if err := third.JoinNetwork(n.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := bundle.Import(bytes.NewReader(export(t, coord, nil)), vol, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := bundle.Import(bytes.NewReader(export(t, coord, nil)), third, nil); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if _, err := vol.RecordDemand(relief.Demand{Title: "after the last change the coordinator saw " + string(rune('a'+i)), Category: "other"}); err != nil {
			t.Fatal(err)
		}
	}
	if res, err := bundle.Import(bytes.NewReader(export(t, vol, nil)), third, nil); err != nil || res.Applied != 2 {
		t.Fatalf("third site imports the volunteer's bundle = %+v, %v; want 2 applied", res, err)
	}
	op, err := relief.Revoke(vol.Device(), coord.VersionVector().Get(vol.Device()), "lost laptop")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := coord.ApplyLocal([]ledger.Op{op}); err != nil {
		t.Fatal(err)
	}
	res, err := bundle.Import(bytes.NewReader(export(t, coord, nil)), third, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Undone) != 1 || res.Undone[0].Device != vol.Device() || len(res.Undone[0].Seqs) != 2 || res.Undone[0].By != coord.Device() {
		t.Fatalf("Import(revocation).Undone = %+v; want the volunteer's 2 changes, revoked by the coordinator", res.Undone)
	}
}
