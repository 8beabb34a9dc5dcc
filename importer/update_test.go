package importer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

const weekCSV = "医院名称,地址,需求物资,数量,联系人\n" +
	"武汉市汉口医院,武汉市江汉区解放大道1001号,N95口罩,5000,甲老师 13800000001\n" +
	"武汉市武昌医院,武汉市武昌区张之洞路99号,防护服,200,乙老师 13800000002\n" +
	"黄陂区人民医院,武汉市黄陂区百秀街1号,护目镜,300,丙老师 13800000003\n"

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func readPath(t *testing.T, path string) []Record {
	t.Helper()
	recs, _, err := ReadFile(path, DefaultOptions())
	if err != nil {
		t.Fatalf("ReadFile(%s) = %v", path, err)
	}
	if len(recs) != 3 {
		t.Fatalf("ReadFile(%s) = %d records; want 3", path, len(recs))
	}
	return recs
}

func applyRecs(t *testing.T, st *store.Store, recs []Record) Report {
	t.Helper()
	rep, err := Apply(context.Background(), st, recs, nil)
	if err != nil {
		t.Fatalf("Apply = %v", err)
	}
	return rep
}

// TestReimport: a row's identity does not depend on the file's name or
// encoding, and a changed row updates its demand unless the app changed it.
func TestReimport(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(weekCSV)
	if err != nil {
		t.Fatal(err)
	}
	edited := []byte("医院名称,地址,需求物资,数量,联系人\n" +
		"武汉市汉口医院,武汉市江汉区解放大道1001号,N95口罩,8000,甲老师 13800000001\n" + // quantity changed
		"武汉市武昌医院,武汉市武昌区张之洞路99号,防护服,200,乙老师 13800000002 丁主任 13900000004\n" + // contact added
		"黄陂区人民医院,武汉市黄陂区百秀街1号,护目镜,300,丙老师 13800000003\n")

	st := newStore(t)
	first := readPath(t, writeFile(t, "week1.csv", []byte(weekCSV)))
	if rep := applyRecs(t, st, first); rep.Created != 3 {
		t.Fatalf("first Apply = %+v; want 3 created", rep)
	}
	vv := st.VersionVector()[st.Device()]

	cases := []struct {
		name, file string
		data       []byte
	}{
		{"the same file again", "week1.csv", []byte(weekCSV)},
		{"a renamed copy", "第一周需求（最终版）.csv", []byte(weekCSV)},
		{"a GBK copy", "week1-gbk.csv", []byte(gbk)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := applyRecs(t, st, readPath(t, writeFile(t, c.file, c.data)))
			if rep.Created != 0 || rep.Flagged != 0 || rep.Updated != 0 || rep.Held != 0 || rep.Skipped != 3 {
				t.Errorf("Apply(%s) = %+v; want 3 skipped, nothing else", c.file, rep)
			}
			if got := st.VersionVector()[st.Device()]; got != vv {
				t.Errorf("Apply(%s) wrote: seq %d → %d", c.file, vv, got)
			}
		})
	}

	t.Run("changed values are updated", func(t *testing.T) {
		rep := applyRecs(t, st, readPath(t, writeFile(t, "week1-v2.csv", edited)))
		if rep.Updated != 2 || rep.Skipped != 1 || rep.Created+rep.Flagged+rep.Held != 0 {
			t.Fatalf("Apply(edited) = %+v; want 2 updated, 1 skipped", rep)
		}
		want := map[string][]string{"武汉市汉口医院": {relief.FieldItems}, "武汉市武昌医院": {relief.FieldContacts}}
		for _, u := range rep.Updates {
			if u.Held || !slices.Equal(u.Fields, want[u.Org]) || u.ID != rep.IDs[slices.Index(rep.IDs, u.ID)] {
				t.Errorf("update %+v; want fields %v, written", u, want[u.Org])
			}
		}
		d := demandByOrg(t, st, "武汉市汉口医院")
		if len(d.Items) != 1 || d.Items[0].Needed == nil || *d.Items[0].Needed != 8000 {
			t.Errorf("汉口医院 items = %+v; want N95口罩 8000", d.Items)
		}
		if d := demandByOrg(t, st, "武汉市武昌医院"); len(d.Contacts) != 2 {
			t.Errorf("武昌医院 contacts = %+v; want 2", d.Contacts)
		}
		again := applyRecs(t, st, readPath(t, writeFile(t, "week1-v2.csv", edited)))
		if again.Skipped != 3 || again.Updated != 0 {
			t.Errorf("Apply(edited) again = %+v; want 3 skipped", again)
		}
	})

	t.Run("a value edited in the app is not overwritten", func(t *testing.T) {
		d := demandByOrg(t, st, "黄陂区人民医院")
		n := 450.0
		op, err := relief.SetFields(relief.KindDemand, d.ID, map[string]any{relief.FieldItems: []relief.Item{{Name: "护目镜", Needed: &n}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.ApplyLocal([]ledger.Op{op}); err != nil {
			t.Fatal(err)
		}
		changed := []byte(string(edited[:len(edited)-len("护目镜,300,丙老师 13800000003\n")]) + "护目镜,600,丙老师 13800000003\n")
		rep := applyRecs(t, st, readPath(t, writeFile(t, "week1-v3.csv", changed)))
		if rep.Held != 1 || rep.Updated != 0 || len(rep.Updates) != 1 || !rep.Updates[0].Held ||
			!slices.Equal(rep.Updates[0].Edited, []string{relief.FieldItems}) || rep.Updates[0].ID != d.ID {
			t.Fatalf("Apply(changed after an edit) = %+v; want 1 held on items of %s", rep, d.Code)
		}
		if got := demandByOrg(t, st, "黄陂区人民医院"); *got.Items[0].Needed != 450 {
			t.Errorf("the app's edit was overwritten: %+v", got.Items)
		}
	})

	t.Run("an edit in the app holds only the field edited", func(t *testing.T) {
		d := demandByOrg(t, st, "武汉市汉口医院")
		op, err := relief.SetFields(relief.KindDemand, d.ID, map[string]any{relief.FieldAddress: "武汉市江汉区解放大道1001号门诊楼"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.ApplyLocal([]ledger.Op{op}); err != nil {
			t.Fatal(err)
		}
		more := []byte(strings.Replace(string(edited), "N95口罩,8000,", "N95口罩,9000,", 1))
		rep := applyRecs(t, st, readPath(t, writeFile(t, "week1-v4.csv", more)))
		var u *Update
		for i := range rep.Updates {
			if rep.Updates[i].ID == d.ID {
				u = &rep.Updates[i]
			}
		}
		if rep.Updated != 1 || u == nil || u.Held || !slices.Equal(u.Edited, []string{relief.FieldAddress}) {
			t.Fatalf("Apply(quantity changed after an address edit) = %+v; want the items written, the address kept as edited", rep)
		}
		got := demandByOrg(t, st, "武汉市汉口医院")
		if *got.Items[0].Needed != 9000 || got.Address != "武汉市江汉区解放大道1001号门诊楼" {
			t.Errorf("after the import: items %+v, address %q; want 9000 and the app's address", got.Items, got.Address)
		}
		// the same file again: only the address differs, and it was edited: held
		again := applyRecs(t, st, readPath(t, writeFile(t, "week1-v4.csv", more)))
		held := slices.ContainsFunc(again.Updates, func(u Update) bool {
			return u.ID == d.ID && u.Held && slices.Equal(u.Fields, []string{relief.FieldAddress})
		})
		if again.Updated != 0 || !held {
			t.Errorf("Apply(the same file again) = %+v; want nothing written, %s held on its address", again, d.Code)
		}
	})
}

// TestReimportLegacySource: rows imported when the file name was part of the
// row identity are still found.
func TestReimportLegacySource(t *testing.T) {
	st := newStore(t)
	path := writeFile(t, "week1.csv", []byte(weekCSV))
	old := readPath(t, path)
	for i := range old {
		if old[i].LegacySource == "" || old[i].LegacySource == old[i].Source {
			t.Fatalf("record %d: legacy source %q; want one apart from %q", i, old[i].LegacySource, old[i].Source)
		}
		old[i].Source, old[i].LegacySource = old[i].LegacySource, ""
	}
	applyRecs(t, st, old)
	if rep := applyRecs(t, st, readPath(t, path)); rep.Skipped != 3 || rep.Created+rep.Flagged+rep.Updated != 0 {
		t.Errorf("Apply after a legacy import = %+v; want 3 skipped", rep)
	}
}

func demandByOrg(t *testing.T, st *store.Store, org string) relief.Demand {
	t.Helper()
	ds, err := st.Demands(store.DemandQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.RequesterOrg == org {
			return d
		}
	}
	t.Fatalf("no demand of %s", org)
	return relief.Demand{}
}

// TestReimportOffers: a changed offer row updates the offer; where the file
// differs from a value edited in the app since, the offer is held.
func TestReimportOffers(t *testing.T) {
	const v1 = "酒店名称,区,联系电话,可提供房间,备注\n" +
		"天鹅恋主题酒店(积玉桥地铁站D出口),武昌区,13498629162,20,免费\n" +
		"新开的酒店,江夏区,13700000009,5,\n"
	const v2 = "酒店名称,区,联系电话,可提供房间,备注\n" +
		"天鹅恋主题酒店(积玉桥地铁站D出口),武昌区,13498629162,20,免费，含早餐\n" + // notes changed
		"新开的酒店,江夏区,13700000009,8,\n" // rooms changed
	opts := Options{Kind: relief.KindOffer, OneMeansNeeded: true, Region: "CN"}
	read := func(name, data string) []Record {
		recs, _, err := ReadFile(writeFile(t, name, []byte(data)), opts)
		if err != nil || len(recs) != 2 {
			t.Fatalf("ReadFile(%s) = %d records, %v; want 2", name, len(recs), err)
		}
		return recs
	}
	st := newStore(t)
	first := applyRecs(t, st, read("hotels.csv", v1))
	if first.Created != 2 {
		t.Fatalf("Apply(v1) = %+v; want 2 created", first)
	}
	if rep := applyRecs(t, st, read("hotels-copy.csv", v1)); rep.Skipped != 2 || rep.Created+rep.Updated+rep.Held != 0 {
		t.Errorf("Apply(v1 again, renamed) = %+v; want 2 skipped", rep)
	}
	// the app edits the second hotel's contacts
	other := first.IDs[1]
	op, err := relief.SetFields(relief.KindOffer, other, map[string]any{relief.FieldContacts: []relief.Contact{{Name: "前台", Phone: "+8613700000010"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ApplyLocal([]ledger.Op{op}); err != nil {
		t.Fatal(err)
	}
	// The file's contacts of the second hotel now differ from the app's:
	// whether the file changed them too cannot be told, so it is held.
	rep := applyRecs(t, st, read("hotels-v2.csv", v2))
	if rep.Updated != 1 || rep.Held != 1 || len(rep.Updates) != 2 {
		t.Fatalf("Apply(v2) = %+v; want the first hotel's notes updated, the second held", rep)
	}
	for _, u := range rep.Updates {
		switch u.ID {
		case first.IDs[0]:
			if u.Held || !slices.Equal(u.Fields, []string{relief.FieldNotes}) {
				t.Errorf("update of the first hotel = %+v; want notes written", u)
			}
		case other:
			if !u.Held || !slices.Equal(u.Edited, []string{relief.FieldContacts}) {
				t.Errorf("update of the second hotel = %+v; want held on contacts", u)
			}
		}
	}
	o, _ := st.Offer(first.IDs[0])
	if !strings.Contains(o.Notes, "含早餐") {
		t.Errorf("offer notes = %q; want the new remark", o.Notes)
	}
	// the file changes the field the app edited: still held
	v3 := strings.Replace(v2, "新开的酒店,江夏区,13700000009", "新开的酒店,江夏区,13700000011", 1)
	rep = applyRecs(t, st, read("hotels-v3.csv", v3))
	if rep.Held != 1 || rep.Updated != 0 || !slices.Equal(rep.Updates[0].Edited, []string{relief.FieldContacts}) {
		t.Errorf("Apply(v3) = %+v; want the second hotel held on its contacts", rep)
	}
	if o, _ := st.Offer(other); len(o.Contacts) != 1 || o.Contacts[0].Phone != "+8613700000010" {
		t.Errorf("the app's contacts were overwritten: %+v", o.Contacts)
	}
}
