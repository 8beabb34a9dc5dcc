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
	"github.com/reliefmesh/reliefmesh/ledger"
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

// TestRoundTrip: a bulletin imported into an empty store gives back the
// same demands: title (its own column, no longer the organisation's), organisation, district, category, items with their
// units and quantities, status (published and in progress read back as
// reviewed, so published), and, at the restricted level, the contacts;
// urgency and received aside (the importer does not read them). In English
// and in Chinese (the default: headers, statuses, categories in Chinese),
// as CSV and as XLSX.
func TestRoundTrip(t *testing.T) {
	ds := bulletin.LevelDemands()
	ds[1].Items = []relief.Item{{Name: "防护服", Unit: "套", Needed: bulletin.Num(200)}, {Name: "84消毒液", Unit: "瓶", Needed: bulletin.Num(1.5)}}
	ds[1].District = "汉阳区"
	ds[1].Category = "medical_supplies"
	ds[1].Status = relief.StatusInProgress
	ds[1].Contacts = []relief.Contact{{Name: "李医生", Phone: "13900000000"}}
	ds = append(ds, relief.Demand{ID: "id3", Code: "D-AAAA3", Title: "社区需要方便面", RequesterOrg: "某社区", District: "武昌区", Category: "food_water",
		Status: relief.StatusPublished, Items: []relief.Item{{Name: "方便面", Unit: "箱", Needed: bulletin.Num(100)}},
		Contacts: []relief.Contact{{Name: "张主任", Phone: "13700000000"}}})
	// a second demand of the same organisation: two demands, not one of four items
	ds = append(ds, relief.Demand{ID: "id4", Code: "D-AAAA4", Title: "武汉市第一医院急需防护服", RequesterOrg: "武汉市第一医院", District: "江汉区",
		Category: "protective_equipment", Status: relief.StatusPublished, Items: []relief.Item{{Name: "防护服", Unit: "套", Needed: bulletin.Num(300)}},
		Address: "湖北省武汉市江汉区TEAM路0"})
	coordinator := relief.Member{Key: ledger.DeviceID{1}, Role: relief.RoleCoordinator}
	for _, tc := range []struct {
		format, lang string
		level        relief.Level
	}{
		{"csv", "en", relief.LevelPublic},
		{"csv", "zh-CN", relief.LevelPublic},
		{"xlsx", "zh-CN", relief.LevelPublic},
		{"csv", "zh-CN", relief.LevelRestricted},
		{"xlsx", "zh-CN", relief.LevelRestricted},
		{"xlsx", "en", relief.LevelRestricted},
	} {
		t.Run(tc.format+"/"+tc.lang+"/"+tc.level.String(), func(t *testing.T) {
			var buf bytes.Buffer
			if err := bulletin.WriteWith(&buf, ds, bulletin.Options{Format: tc.format, Lang: tc.lang, Level: tc.level, Viewer: coordinator}); err != nil {
				t.Fatal(err)
			}
			back := importBack(t, buf.Bytes(), tc.format)
			got, want := roundTripped(back, tc.level), roundTripped(ds, tc.level)
			if !slices.Equal(got, want) {
				t.Errorf("round trip:\n got %q\nwant %q", got, want)
			}
		})
	}
}

// importBack imports a bulletin file into a fresh store through the
// importer and the desk, and returns the demands it holds then. Problems of
// reading are errors, but for the columns the importer has no field for
// (urgency, received) and, at the restricted level, the address kept as
// written.
func importBack(t *testing.T, data []byte, format string) []relief.Demand {
	t.Helper()
	st, err := store.Open(t.TempDir(), store.Options{ValueLogGCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.CreateNetwork("round trip", "tester"); err != nil {
		t.Fatal(err)
	}
	opts := importer.DefaultOptions()
	opts.OneMeansNeeded = false
	path := filepath.Join(t.TempDir(), "bulletin."+format)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	recs, probs, err := importer.ReadFile(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probs {
		if p.Code == importer.ProblemUnmappedColumn && slices.Contains([]string{"urgency", "紧急程度", "received", "已收到数量", "source_fields", "原表其他信息", "duplicate_of", "疑似重复于"}, p.Args["column"]) {
			continue
		}
		t.Errorf("read back: %v", p)
	}
	if _, err := desk.New(st).Import(context.Background(), recs, nil); err != nil {
		t.Fatal(err)
	}
	rows, err := st.Demands(store.DemandQuery{})
	if err != nil {
		t.Fatal(err)
	}
	// the list's rows hold no sealed values (contacts): Demand opens them
	back := make([]relief.Demand, len(rows))
	for i, r := range rows {
		if back[i], err = st.Demand(r.ID); err != nil {
			t.Fatal(err)
		}
	}
	return back
}

// roundTripped are the fields of demands a bulletin at level carries back
// through the importer, one line per demand, sorted. An import is never
// published by itself: a published or in-progress demand comes back
// collected, tagged source_reviewed for a reviewer, so that is what an
// original's status is compared as. Phones are compared without the
// country code the importer adds.
func roundTripped(ds []relief.Demand, level relief.Level) []string {
	var out []string
	for _, d := range ds {
		var items []string
		for _, it := range d.Items {
			n := "?"
			if it.Needed != nil {
				n = fmt.Sprint(*it.Needed)
			}
			items = append(items, it.Name+" "+n+" "+it.Unit)
		}
		status := string(d.Status)
		switch {
		case d.Status == relief.StatusPublished || d.Status == relief.StatusInProgress:
			status = "collected source_reviewed"
		case slices.Contains(d.Tags, "source_reviewed"):
			status += " source_reviewed"
		}
		line := fmt.Sprintf("%s | %s | %s | %s | %s | %v", d.Title, d.RequesterOrg, d.District, d.Category, status, items)
		if level >= relief.LevelRestricted {
			var cs []string
			for _, c := range d.Contacts {
				cs = append(cs, c.Name+" "+strings.TrimPrefix(c.Phone, "+86"))
			}
			line += fmt.Sprintf(" | %v", cs)
			if d.Address != "" && !strings.HasSuffix(d.Address, "区") {
				line += " | " + d.Address // an import without an address takes the district as one
			}
		}
		out = append(out, line)
	}
	slices.Sort(out)
	return out
}
