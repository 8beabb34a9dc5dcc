package desk

import (
	"bytes"
	"strings"
	"testing"
)

// TestReviewerByBundleOnlyOpensContacts: a reviewer endorsed after the
// demands were recorded, whose site meets the coordinator's only by USB
// stick, can read the requesters' contacts after a round trip of bundles:
// its export publishes its key, the coordinator's import grants, the next
// bundle brings the grants (a tester found the contacts empty until both
// devices had run `serve`).
func TestReviewerByBundleOnlyOpensContacts(t *testing.T) {
	coord, _ := sealNetwork(t, nil)
	d := recordOne(t, coord.dk, "协和医院 N95")
	if len(d.Contacts) == 0 {
		t.Fatalf("recordOne made no contacts: %+v", d)
	}
	phone := d.Contacts[0].Phone
	rev := openSealPeer(t, t.TempDir())
	if err := coord.dk.Endorse(rev.id(), "reviewer", "审核员丙"); err != nil {
		t.Fatal(err)
	}
	n, _ := coord.dk.Store().Network()
	if err := rev.dk.Store().JoinNetwork(n.ID); err != nil {
		t.Fatal(err)
	}
	carry := func(from, to *sealPeer) {
		t.Helper()
		var buf bytes.Buffer
		if _, err := from.dk.ExportBundle(&buf, to.dk.VersionVector()); err != nil {
			t.Fatalf("ExportBundle = %v", err)
		}
		if _, err := to.dk.ImportBundle(&buf, nil); err != nil {
			t.Fatalf("ImportBundle = %v", err)
		}
	}
	carry(coord, rev) // the network, the endorsement, the sealed demand
	carry(rev, coord) // the reviewer's key
	carry(coord, rev) // the grant
	got, err := rev.dk.Store().Demand(d.ID)
	if err != nil {
		t.Fatal(err)
	}
	var phones []string
	for _, c := range got.Contacts {
		phones = append(phones, c.Phone)
	}
	if !strings.Contains(strings.Join(phones, " "), phone) || len(got.Sealed) != 0 {
		t.Errorf("reviewer's device: contacts %v, sealed %v; want %s opened", phones, got.Sealed, phone)
	}
}
