package importer

import (
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestNormalizeDate: the date formats of the HXL test files and of Chinese
// sheets become "2006-01-02"; a day and month that cannot be told apart
// follow the order the column's other values show; anything else is kept as
// written.
func TestNormalizeDate(t *testing.T) {
	for _, tc := range []struct {
		in    string
		order DateOrder
		want  string
	}{
		{"2015-03-31", DateAny, "2015-03-31"},
		{"2015/3/31", DateAny, "2015-03-31"},
		{"2015.03.31", DateAny, "2015-03-31"},
		{"03-18-14", DateAny, "2014-03-18"},
		{"19/3/15", DateAny, "2015-03-19"},
		{"March 31, 2015", DateAny, "2015-03-31"},
		{"1 March 2015", DateAny, "2015-03-01"},
		{"31 Mar 2015", DateAny, "2015-03-31"},
		{"Mar 31 2015", DateAny, "2015-03-31"},
		{"31-Mar-15", DateAny, "2015-03-31"},
		{"2015年3月31日", DateAny, "2015-03-31"},
		{"2020-01-26T10:00:00+08:00", DateAny, "2020-01-26"},
		{"2020-01-26 10:30", DateAny, "2020-01-26"},
		{"03/04/15", DateAny, "03/04/15"}, // day or month: kept as written
		{"03/04/15", DateMonthFirst, "2015-03-04"},
		{"03/04/15", DateDayFirst, "2015-04-03"},
		{"2/30/15", DateAny, "2/30/15"}, // no such day
		{"soon", DateAny, "soon"},
		{"", DateAny, ""},
	} {
		if got := NormalizeDate(tc.in, tc.order); got != tc.want {
			t.Errorf("NormalizeDate(%q, %v) = %q; want %q", tc.in, tc.order, got, tc.want)
		}
	}
	if o := DateOrderOf([]string{"03/04/15", "19/3/15", ""}); o != DateDayFirst {
		t.Errorf("DateOrderOf(19/3/15 …) = %v; want day first", o)
	}
	if o := DateOrderOf([]string{"03/04/15", "03-18-14"}); o != DateMonthFirst {
		t.Errorf("DateOrderOf(03-18-14 …) = %v; want month first", o)
	}
}

// TestHXLDatesAndRegion: an HXL sheet's mixed dates are read as dates, and
// its #country and #adm1 columns are kept as the record's region.
func TestHXLDatesAndRegion(t *testing.T) {
	csv := "Org,Country,Province,Date\n#org,#country,#adm1,#date\n" +
		"ACNUR,Panamá,Los Santos,03-18-14\nOMS,Colombia,Cauca,19/3/15\nUNICEF,Colombia,Chocó,\"March 31, 2015\"\nWFP,Colombia,Cauca,03/04/15\n"
	tb, err := ReadCSV("hxl.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := Records(tb, DefaultOptions())
	want := []struct{ date, country, province string }{
		{"2014-03-18", "Panamá", "Los Santos"}, {"2015-03-19", "Colombia", "Cauca"}, {"2015-03-31", "Colombia", "Chocó"}, {"03/04/15", "Colombia", "Cauca"}} // the column has both orders: kept as written
	if len(recs) != len(want) {
		t.Fatalf("%d records; want %d", len(recs), len(want))
	}
	for i, w := range want {
		if recs[i].Date != w.date || recs[i].Country != w.country || recs[i].Province != w.province {
			t.Errorf("row %d: date %q, country %q, province %q; want %+v", i+3, recs[i].Date, recs[i].Country, recs[i].Province, w)
		}
	}
}

// TestHXLOffersOfOneSupplier: rows of one supplier with different
// activities or places were skipped as "same supplier"; they are offers of
// their own, each with its region. A row repeating another (same supplier,
// activity and place) is still reported.
func TestHXLOffersOfOneSupplier(t *testing.T) {
	recs, _ := readRaw(t, "hxl/test_scripts__input-status.csv")
	p, err := NewPlanner("net", memExisting{})
	if err != nil {
		t.Fatal(err)
	}
	planned := map[string][]string{}
	for _, r := range recs {
		if r.Kind != relief.KindOffer {
			t.Fatalf("row %d is a %s; want offers", r.Row, r.Kind)
		}
		if w, ok := p.Plan(r); ok {
			fields := offerFields(w.Record, nil)
			planned[r.Org] = append(planned[r.Org], fields[relief.FieldRegion].(string))
		}
	}
	if got := planned["OMS"]; len(got) != 2 || got[0] != "Cauca" || got[1] != "Amazonas" {
		t.Errorf("OMS offers planned in %v; want Cauca and Amazonas", got)
	}
	if got := planned["ACNUR"]; len(got) != 1 || got[0] != "Los Santos" {
		t.Errorf("ACNUR offers planned in %v; want Los Santos once", got)
	}
	rep := p.Report()
	if rep.Skipped != 4 {
		t.Errorf("skipped %d; want 4 (the second row of each supplier, activity and place)", rep.Skipped)
	}
	// same supplier, same place, another activity: an offer of its own
	two := "#org,#sector,#adm1\nOMS,Salud,Cauca\nOMS,WASH,Cauca\n"
	tb, err := ReadCSV("two.csv", strings.NewReader(two))
	if err != nil {
		t.Fatal(err)
	}
	recs, _ = Records(tb, Options{Kind: relief.KindOffer, Region: "CN"})
	p, _ = NewPlanner("net", memExisting{})
	n := 0
	for _, r := range recs {
		if _, ok := p.Plan(r); ok {
			n++
		}
	}
	if n != 2 {
		t.Errorf("OMS Salud and OMS WASH in Cauca: %d offers planned; want 2", n)
	}
}

// TestHXLJSON: HXL published as JSON — an array of rows with a hashtag row
// (the table as arrays), or an array of objects keyed by hashtags — is read
// as the same table as its CSV; both were refused as "no column names an
// organisation".
func TestHXLJSON(t *testing.T) {
	for name, data := range map[string]string{
		"arrays.json": `[["Qué?","",""],["Organización","País","Departamento"],["#org+es","#country","#adm1"],["Org A","Colombia","Cauca"],["Org B","Panamá","Los Santos"]]`,
		"objects.json": `[{"": "001", "#org+es": "Org A", "#country": "Colombia", "#adm1": "Cauca"},` +
			`{"": "002", "#org+es": "Org B", "#country": "Panamá", "#adm1": "Los Santos"}]`,
	} {
		recs, _, err := ReadData(name, []byte(data), DefaultOptions())
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var got []string
		for _, r := range recs {
			got = append(got, r.Org+"/"+r.Country+"/"+r.Province)
		}
		if want := "Org A/Colombia/Cauca Org B/Panamá/Los Santos"; strings.Join(got, " ") != want {
			t.Errorf("%s: records %q; want %s", name, got, want)
		}
	}
}
