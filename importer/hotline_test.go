package importer

import (
	"slices"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestSharedHotlineInRemarksIsNoDuplicate: a sheet (messy/hotline.csv)
// whose every remark names one command centre's hotline beside each row's
// own contact. The rows are not probable duplicates of each other for the
// hotline; the report says how many rows share a number found only in
// their text (never the number); the remark naming the first hospital's
// own contact still flags that row as its probable duplicate.
func TestSharedHotlineInRemarksIsNoDuplicate(t *testing.T) {
	recs, _ := readRaw(t, "messy/hotline.csv")
	if len(recs) != 4 {
		t.Fatalf("%d records; want 4", len(recs))
	}
	for _, r := range recs {
		if !slices.ContainsFunc(r.Contacts, func(c relief.Contact) bool { return c.Phone == "+8603733055555" || c.Phone == "+863733055555" }) {
			t.Fatalf("row %d: contacts %+v; want the hotline sealed with them", r.Row, r.Contacts)
		}
	}
	rep := planAll(t, recs)
	if len(rep.Duplicates) != 1 || rep.Duplicates[0].Row != 4 || rep.Duplicates[0].Org != "丙医院" {
		t.Fatalf("duplicates %+v; want row 4 (丙医院, its remark names 甲医院's own number) alone", rep.Duplicates)
	}
	if rs := rep.Duplicates[0].Reasons; !slices.Equal(rs, []string{relief.ReasonPhone + "+8613837320101"}) {
		t.Errorf("row 4 flagged for %q; want 甲医院's own number only", rs)
	}
	i := slices.IndexFunc(rep.Problems, func(p Problem) bool { return p.Code == ProblemTextPhoneShared })
	if i < 0 {
		t.Fatalf("no %s in %+v", ProblemTextPhoneShared, rep.Problems)
	}
	pr := rep.Problems[i]
	if pr.Args["count"] != "4" || pr.Args["numbers"] != "1" || pr.Args["rows"] != "2, 3, 4, 5" {
		t.Errorf("%s args %v; want 4 rows (2, 3, 4, 5) sharing 1 number", pr.Code, pr.Args)
	}
	if strings.Contains(pr.Msg+pr.Value, "3055555") {
		t.Errorf("the report names the number: %q", pr.Msg)
	}
}

// TestPhoneInRemarksStillMatchesWithoutContact: a row whose only phone is
// in its remark keeps it as its own: two rows of one hospital calling from
// one number are still flagged, and no hotline is told.
func TestPhoneInRemarksStillMatchesWithoutContact(t *testing.T) {
	csv := "医院名称,地址,备注\n" +
		"甲医院,某路1号,请联系 13800000041\n" +
		"乙医院,某路2号,请联系 13800000041\n"
	tb, err := ReadCSV("n.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := Records(tb, DefaultOptions())
	if len(recs) != 2 {
		t.Fatalf("%d records", len(recs))
	}
	rep := planAll(t, recs)
	if len(rep.Duplicates) != 1 {
		t.Errorf("duplicates %+v; want the second row flagged (contacts %+v, %+v)", rep.Duplicates, recs[0].Contacts, recs[1].Contacts)
	}
	if slices.ContainsFunc(rep.Problems, func(p Problem) bool { return p.Code == ProblemTextPhoneShared }) {
		t.Errorf("a hotline told for rows whose only phone is in the remark: %+v", rep.Problems)
	}
}

// planAll plans and writes recs into an empty network and returns the
// planner's report.
func planAll(t *testing.T, recs []Record) Report {
	t.Helper()
	p, err := NewPlanner("net", memExisting{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if w, ok := p.Plan(r); ok {
			p.Written(w)
		}
	}
	return p.Report()
}
