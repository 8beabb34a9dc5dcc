package desk

import (
	"context"
	"os"
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/internal/fixture"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestSealedHotlineIsNoDuplicate: the hospitals of messy/hotline.csv,
// imported in two files (the first two rows, then the last two), their
// contacts sealed. The second import compares its rows with the sealed
// contacts the coordinator opens: the command centre's hotline in every
// remark flags no row, the remark naming 甲医院's own contact flags 丙医院.
func TestSealedHotlineIsNoDuplicate(t *testing.T) {
	coord, _ := sealNetwork(t, nil)
	data, err := os.ReadFile(fixture.Path(t, "messy/hotline.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, _, err := importer.ReadData("hotline.csv", data, importer.DefaultOptions())
	if err != nil || len(recs) != 4 {
		t.Fatalf("ReadData = %d records, %v; want 4", len(recs), err)
	}
	first, err := coord.dk.Import(context.Background(), recs[:2], nil)
	if err != nil || first.Created != 2 || first.Flagged != 0 {
		t.Fatalf("first Import = %+v, %v; want 2 created, none flagged", first, err)
	}
	for _, id := range first.IDs {
		rec, err := coord.dk.Store().Record(relief.KindDemand, id)
		if _, sealed := rec.Fields[relief.SealedField(relief.FieldContacts)]; err != nil || !sealed {
			t.Fatalf("demand %s: contacts not sealed (%v)", id, err)
		}
	}
	second, err := coord.dk.Import(context.Background(), recs[2:], nil)
	if err != nil {
		t.Fatal(err)
	}
	var orgs []string
	for _, d := range second.Duplicates {
		orgs = append(orgs, d.Org)
		if !slices.Equal(d.Reasons, []string{relief.ReasonPhone + "+8613837320101"}) || d.OriginalOrg != "甲医院" {
			t.Errorf("%s flagged as a duplicate of %s for %q; want of 甲医院 for its own number only", d.Org, d.OriginalOrg, d.Reasons)
		}
	}
	if !slices.Equal(orgs, []string{"丙医院"}) {
		t.Errorf("second import flagged %v; want 丙医院 alone (丁医院 shares only the hotline)", orgs)
	}
}
