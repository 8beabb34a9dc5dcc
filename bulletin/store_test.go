package bulletin_test

// These tests go through a real store and the desk's import, which imports
// bulletin: they live in the external test package to keep the import graph
// acyclic (export_test.go lends them the package's test helpers).

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/bulletin"
	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/internal/fixture"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestRealExport imports the real Wuhan demands and scans the public
// bulletin for any mobile number or contact name.
func TestRealExport(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{ValueLogGCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.CreateNetwork("wuhan", "tester"); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range []string{"hospital_needs_wuhan.json", "hospital_needs_wuhan_typed.json", "DemandOfWuhan.csv"} {
		recs, _, err := importer.ReadFile(fixture.Path(t, "wuhan2020/"+f), importer.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			for _, c := range r.Contacts {
				if len([]rune(c.Name)) >= 2 && c.Name != r.Org && !strings.Contains(r.Org, c.Name) {
					names = append(names, c.Name)
				}
			}
		}
		if _, err := desk.New(st).Import(context.Background(), recs, nil); err != nil {
			t.Fatal(err)
		}
	}
	ds, _ := st.Demands(store.DemandQuery{})
	if len(ds) < 100 {
		t.Fatalf("%d demands imported", len(ds))
	}
	for _, o := range bulletin.AllFormats() {
		format := o.Format + o.Lang
		var buf bytes.Buffer
		if err := bulletin.WriteWith(&buf, ds, o); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if o.Format == "xlsx" {
			out = bulletin.XlsxText(t, buf.Bytes())
		}
		if m := bulletin.Mobile.FindString(out); m != "" {
			t.Errorf("%s bulletin holds mobile number %s", format, m)
		}
		for _, n := range names {
			if strings.Contains(out, n) && !bulletin.OrgWord(n) {
				t.Errorf("%s bulletin holds contact name %q", format, n)
			}
		}
	}
}

// TestRoundTrip: a public CSV bulletin imported into an empty store gives
// back the same public fields: organisation, district, category, urgency
// aside (the importer does not read it), items with their units and
// quantities.
func TestRoundTrip(t *testing.T) {
	ds := bulletin.LevelDemands()
	ds[1].Items = []relief.Item{{Name: "防护服", Unit: "套", Needed: bulletin.Num(200)}, {Name: "84消毒液", Unit: "瓶", Needed: bulletin.Num(1.5)}}
	ds[1].District = "汉阳区"
	ds[1].Category = "medical_supplies"
	ds = append(ds, relief.Demand{ID: "id3", Code: "D-AAAA3", Title: "社区需要方便面", RequesterOrg: "某社区", District: "武昌区", Category: "food_water",
		Status: relief.StatusPublished, Items: []relief.Item{{Name: "方便面", Unit: "箱", Needed: bulletin.Num(100)}}})
	var buf bytes.Buffer
	if err := bulletin.Write(&buf, "csv", ds); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(t.TempDir(), store.Options{ValueLogGCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.CreateNetwork("round trip", "tester"); err != nil {
		t.Fatal(err)
	}
	opts := importer.DefaultOptions()
	opts.OneMeansNeeded = false
	path := filepath.Join(t.TempDir(), "bulletin.csv")
	os.WriteFile(path, buf.Bytes(), 0o644)
	recs, probs, err := importer.ReadFile(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probs {
		// urgency and received have no import field: reported, kept with
		// each demand as written
		if p.Code == importer.ProblemUnmappedColumn && (p.Args["column"] == "urgency" || p.Args["column"] == "received") {
			continue
		}
		t.Errorf("read back: %v", p)
	}
	if _, err := desk.New(st).Import(context.Background(), recs, nil); err != nil {
		t.Fatal(err)
	}
	back, err := st.Demands(store.DemandQuery{})
	if err != nil {
		t.Fatal(err)
	}
	public := func(ls []bulletin.Line) []string {
		var out []string
		for _, l := range ls {
			var items []string
			for _, it := range l.Items {
				n := "?"
				if it.Needed != nil {
					n = fmt.Sprint(*it.Needed)
				}
				items = append(items, it.Name+" "+n+" "+it.Unit)
			}
			out = append(out, fmt.Sprintf("%s | %s | %s | %v", l.RequesterOrg, l.District, l.Category, items))
		}
		slices.Sort(out)
		return out
	}
	got, want := public(bulletin.Lines(back)), public(bulletin.Lines(ds))
	if !slices.Equal(got, want) {
		t.Errorf("round trip public fields:\n got %q\nwant %q", got, want)
	}
}
