package desk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/internal/fixture"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// rawFile returns the path of a real input file carried by the repository
// ("wuhan2020/NAME" or "hxl/NAME"; see testdata/README.md); tests fail (not
// skip) without it.
func rawFile(t testing.TB, rel string) string {
	t.Helper()
	return fixture.Path(t, rel)
}

func readRaw(t testing.TB, rel string) ([]importer.Record, []importer.Problem) {
	t.Helper()
	recs, probs, err := importer.ReadFile(rawFile(t, rel), importer.DefaultOptions())
	if err != nil {
		t.Fatalf("ReadFile(%s) = %v", rel, err)
	}
	return recs, probs
}

func newStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(t.TempDir(), store.Options{ValueLogGCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.CreateNetwork("test incident", "tester"); err != nil {
		t.Fatal(err)
	}
	return st
}

// importApply imports recs into st through its desk, as the importer's
// Apply did before the import moved to the desk.
func importApply(ctx context.Context, st *store.Store, recs []importer.Record, progress func(done, total int)) (importer.Report, error) {
	return New(st).Import(ctx, recs, progress)
}

func countItems(ds []relief.Demand) int {
	n := 0
	for _, d := range ds {
		n += len(d.Items)
	}
	return n
}

func TestApplyRealRoundTrip(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	recs, _ := readRaw(t, "wuhan2020/hospital_needs_wuhan.json")
	var calls [][2]int
	rep, err := importApply(ctx, st, recs, func(done, total int) { calls = append(calls, [2]int{done, total}) })
	if err != nil {
		t.Fatal(err)
	}
	ds, _ := st.Demands(store.DemandQuery{})
	// The file itself holds probable duplicates (武汉汉口医院 / 武汉市汉口医院,
	// 武昌医院 / 武汉市武昌医院 …): they are stored too, but flagged.
	// 299 supply lines, and 8 supplies with quantities two remarks name
	// (importer.TagCheckQuantities).
	if rep.Created+rep.Flagged != 45 || rep.Flagged == 0 || len(ds) != 45 || countItems(ds) != 307 {
		t.Fatalf("Apply(hospital_needs) = created %d, flagged %d, %d demands with %d items; want 45 stored (some flagged), 45 demands with 307 items",
			rep.Created, rep.Flagged, len(ds), countItems(ds))
	}
	t.Logf("hospital_needs: created %d, flagged %d within the file", rep.Created, rep.Flagged)
	for _, d := range rep.Duplicates {
		t.Logf("  row %d %s ~ %s: %v, adds %d contacts %d items", d.Row, d.Org, d.OriginalOrg, d.Reasons, len(d.Adds.Contacts), len(d.Adds.Items))
	}
	if last := calls[len(calls)-1]; last != [2]int{45, 45} {
		t.Errorf("last progress = %v; want [45 45]", last)
	}
	vv := st.VersionVector()
	rep2, err := importApply(ctx, st, recs, nil)
	if err != nil {
		t.Fatal(err)
	}
	ds2, _ := st.Demands(store.DemandQuery{})
	if rep2.Created != 0 || rep2.Flagged != 0 || rep2.Skipped != 45 || len(ds2) != 45 {
		t.Fatalf("second Apply = %+v, %d demands; want 0 created, 45 skipped", rep2, len(ds2))
	}
	if got := st.VersionVector(); got[st.Device()] != vv[st.Device()] {
		t.Errorf("second Apply wrote changes: seq %d → %d", vv[st.Device()], got[st.Device()])
	}

	// The typed JSON holds the same hospitals (and 7 more): they are flagged,
	// not created again.
	typed, _ := readRaw(t, "wuhan2020/hospital_needs_wuhan_typed.json")
	rep3, err := importApply(ctx, st, typed, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("typed: created %d, flagged %d, skipped %d", rep3.Created, rep3.Flagged, rep3.Skipped)
	if rep3.Flagged < 45 || rep3.Created > 7 {
		t.Fatalf("Apply(typed) = created %d flagged %d; want ≥45 flagged, ≤7 created", rep3.Created, rep3.Flagged)
	}
	for _, dup := range rep3.Duplicates {
		d, err := st.Demand(dup.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(d.Tags, importer.TagPossibleDuplicate) || !strings.Contains(d.ReviewNotes, dup.OriginalCode) {
			t.Fatalf("flagged demand %s: tags %v, note %q; want tag %s and a note naming %s", d.Code, d.Tags, d.ReviewNotes, importer.TagPossibleDuplicate, dup.OriginalCode)
		}
		if _, err := st.Demand(dup.Original); err != nil {
			t.Fatalf("duplicate %s links to %s: %v", dup.ID, dup.Original, err)
		}
	}
	csv, _ := readRaw(t, "wuhan2020/DemandOfWuhan.csv")
	rep4, err := importApply(ctx, st, csv, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("DemandOfWuhan.csv: created %d, flagged %d, skipped %d", rep4.Created, rep4.Flagged, rep4.Skipped)
	if rep4.Flagged == 0 {
		t.Fatalf("Apply(DemandOfWuhan.csv) flagged nothing; want the hospitals already present flagged")
	}
	// Re-importing everything again creates nothing.
	for _, rs := range [][]importer.Record{recs, typed, csv} {
		r, err := importApply(ctx, st, rs, nil)
		if err != nil || r.Created != 0 || r.Flagged != 0 {
			t.Fatalf("re-Apply = %+v, %v; want nothing new", r, err)
		}
	}
}

func TestApplyOffers(t *testing.T) {
	st := newStore(t)
	// factories.json row 20 repeats row 13 (its own remark says so: "未录入：与line 13信息重复").
	repeated := map[string]int{"factories.json": 1}
	for _, f := range []string{"medic_hotels_wuhan.json", "logistics.json", "factories.json", "online_clinics.json"} {
		recs, _ := readRaw(t, "wuhan2020/"+f)
		rep, err := importApply(context.Background(), st, recs, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != len(recs)-repeated[f] || rep.Skipped != repeated[f] || rep.Rejected != 0 {
			t.Errorf("Apply(%s) = created %d skipped %d rejected %d; want %d offers created, %d skipped", f, rep.Created, rep.Skipped, rep.Rejected, len(recs)-repeated[f], repeated[f])
		}
		present := 0
		for _, p := range rep.Problems {
			if (p.Code == importer.ProblemOfferPresent || p.Code == importer.ProblemOfferRepeatsRow || p.Code == importer.ProblemOfferRepeatsFileRow) && p.Args["code"] != "" && !p.Rejected {
				present++
			}
		}
		if present != repeated[f] {
			t.Errorf("Apply(%s) problems %v; want %d saying the offer is already present", f, rep.Problems, repeated[f])
		}
		for _, r := range recs {
			if r.Kind != relief.KindOffer {
				t.Fatalf("%s row %d: kind %s; want offer", f, r.Row, r.Kind)
			}
		}
		rep2, err := importApply(context.Background(), st, recs, nil)
		if err != nil || rep2.Created != 0 || rep2.Skipped != len(recs) {
			t.Errorf("re-Apply(%s) = %+v, %v; want all skipped", f, rep2, err)
		}
	}
	ds, _ := st.Demands(store.DemandQuery{})
	if len(ds) != 0 {
		t.Errorf("offer files created %d demands", len(ds))
	}
}

func TestApplyCancelled(t *testing.T) {
	st := newStore(t)
	recs, _ := readRaw(t, "wuhan2020/hospital_needs_wuhan.json")
	ctx, cancel := context.WithCancel(context.Background())
	_, err := importApply(ctx, st, recs, func(done, total int) { cancel() })
	if err == nil {
		t.Fatal("Apply after cancel = nil error")
	}
	rep, err := importApply(context.Background(), st, recs, nil)
	ds, _ := st.Demands(store.DemandQuery{})
	if err != nil || rep.Skipped == 0 || rep.Created+rep.Flagged+rep.Skipped != 45 || len(ds) != 45 {
		t.Fatalf("resumed Apply = %+v, %v, %d demands; want the rest stored, 45 in all", rep, err, len(ds))
	}
}

// TestOffersAreNotDuplicated: the same hotels from another file (another
// layout, another name) are skipped as already present, not created twice;
// branches of one chain sharing a booking number are not taken for each
// other.
func TestOffersAreNotDuplicated(t *testing.T) {
	st := newStore(t)
	hotels, _ := readRaw(t, "wuhan2020/medic_hotels_wuhan.json")
	if rep := applyRecs(t, st, hotels); rep.Created != len(hotels) {
		t.Fatalf("Apply(hotels) created %d; want %d", rep.Created, len(hotels))
	}
	csv := "酒店名称,区,联系电话,可提供房间\n" +
		"天鹅恋主题酒店(积玉桥地铁站D出口),武昌区,13498629162,20\n" + // the same hotel
		"天鹅恋主题酒店,武昌区,13498629162,20\n" + // the same hotel without its branch, same phone
		"天鹅恋主题酒店(汉阳店),汉阳区,13498629162,10\n" + // another branch, the chain's number
		"新开的酒店,江夏区,13700000009,5\n"
	recs, _, err := importer.ReadFile(writeFile(t, "hotels-week2.csv", []byte(csv)), importer.Options{Kind: relief.KindOffer, OneMeansNeeded: true, Region: "CN"})
	if err != nil || len(recs) != 4 {
		t.Fatalf("ReadFile = %d records, %v; want 4", len(recs), err)
	}
	rep := applyRecs(t, st, recs)
	if rep.Created != 2 || rep.Skipped != 2 {
		t.Errorf("Apply(hotels-week2.csv) = created %d skipped %d, problems %v; want 2 created (汉阳店, 新开的酒店), 2 skipped", rep.Created, rep.Skipped, rep.Problems)
	}
	for _, p := range rep.Problems {
		if p.Code == importer.ProblemOfferPresent && p.Row != 2 && p.Row != 3 {
			t.Errorf("row %d reported already present: %v", p.Row, p)
		}
	}
	again := applyRecs(t, st, recs)
	if again.Created != 0 || again.Skipped != 4 {
		t.Errorf("Apply(hotels-week2.csv) again = %+v; want 4 skipped", again)
	}
}

// TestBigSheetFlagsOnlyRepeats: a sheet of many distinct places on a few
// roads (as a city-wide export is) flags only the rows that do repeat one.
func TestBigSheetFlagsOnlyRepeats(t *testing.T) {
	var b strings.Builder
	b.WriteString("单位名称,区,地址,需求物资,联系电话\n")
	roads := []string{"解放大道", "中山大道", "香港路", "武珞路", "珞喻路"}
	const n = 2000
	for i := range n {
		fmt.Fprintf(&b, "社区卫生服务站%d,江汉区,武汉市江汉区%s%d号,口罩,1380%07d\n", i, roads[i%len(roads)], i/len(roads)+1, i)
	}
	// three rows repeating earlier ones: same address, same phone, same name
	b.WriteString("江汉区发热门诊,江汉区,湖北省武汉市江汉区解放大道1号,防护服,13900000001\n")
	b.WriteString("另一个单位,江汉区,武汉市江汉区武珞路400号,防护服,13800000007\n")
	b.WriteString("社区卫生服务站12（急需）,江汉区,,护目镜,13900000002\n")
	recs, _, err := importer.ReadFile(writeFile(t, "city.csv", []byte(b.String())), importer.DefaultOptions())
	if err != nil || len(recs) != n+3 {
		t.Fatalf("ReadFile = %d records, %v; want %d", len(recs), err, n+3)
	}
	rep := applyRecs(t, newStore(t), recs)
	if rep.Created != n || rep.Flagged != 3 {
		t.Errorf("Apply = created %d flagged %d; want %d created, the 3 repeats flagged", rep.Created, rep.Flagged, n)
	}
	for _, d := range rep.Duplicates {
		t.Logf("row %d %s ~ %s: %v", d.Row, d.Org, d.OriginalOrg, d.Reasons)
	}
}

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

func readPath(t *testing.T, path string) []importer.Record {
	t.Helper()
	recs, _, err := importer.ReadFile(path, importer.DefaultOptions())
	if err != nil {
		t.Fatalf("ReadFile(%s) = %v", path, err)
	}
	if len(recs) != 3 {
		t.Fatalf("ReadFile(%s) = %d records; want 3", path, len(recs))
	}
	return recs
}

func applyRecs(t *testing.T, st *store.Store, recs []importer.Record) importer.Report {
	t.Helper()
	rep, err := importApply(context.Background(), st, recs, nil)
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
		var u *importer.Update
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
		held := slices.ContainsFunc(again.Updates, func(u importer.Update) bool {
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
			// the list's rows hold no sealed values: Demand opens them
			full, err := st.Demand(d.ID)
			if err != nil {
				t.Fatal(err)
			}
			return full
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
	opts := importer.Options{Kind: relief.KindOffer, OneMeansNeeded: true, Region: "CN"}
	read := func(name, data string) []importer.Record {
		recs, _, err := importer.ReadFile(writeFile(t, name, []byte(data)), opts)
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
	// whether the file changed them too cannot be told, so they are kept;
	// its rooms (a column no field holds, kept as a source field) changed
	// and are written.
	rep := applyRecs(t, st, read("hotels-v2.csv", v2))
	if rep.Updated != 2 || rep.Held != 0 || len(rep.Updates) != 2 {
		t.Fatalf("Apply(v2) = %+v; want the first hotel's notes and the second's rooms updated", rep)
	}
	for _, u := range rep.Updates {
		switch u.ID {
		case first.IDs[0]:
			if u.Held || !slices.Equal(u.Fields, []string{relief.FieldNotes}) {
				t.Errorf("update of the first hotel = %+v; want notes written", u)
			}
		case other:
			if u.Held || !slices.Equal(u.Fields, []string{relief.FieldContacts, relief.FieldSourceFields}) || !slices.Equal(u.Edited, []string{relief.FieldContacts}) {
				t.Errorf("update of the second hotel = %+v; want its rooms written, its contacts kept", u)
			}
		}
	}
	if o, _ := st.Offer(other); len(o.SourceFields) != 1 || o.SourceFields[0] != (relief.SourceField{Column: "可提供房间", Value: "8"}) {
		t.Errorf("second hotel's source fields = %+v; want 可提供房间 8", o.SourceFields)
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

// TestAdvance: a step the member may take is applied and the demand
// returned; a step the pipeline does not allow from the demand's status is
// refused with CodeNotAllowed and writes nothing; an unknown demand is
// CodeNotFound.
func TestAdvance(t *testing.T) {
	st := newStore(t)
	dk := New(st)
	rep, err := dk.Import(context.Background(), []importer.Record{{Kind: relief.KindDemand, File: "a.csv", Row: 2, Source: "s:1",
		Org: "武汉市第一医院", Category: "medical", Items: []relief.Item{{Name: "N95口罩"}}}}, nil)
	if err != nil || len(rep.IDs) != 1 {
		t.Fatalf("Import = %+v, %v; want one demand", rep, err)
	}
	id := rep.IDs[0]
	d, err := dk.Advance(id, relief.ActionApprove, relief.Args{Note: "call-back"})
	if err != nil || d.Status != relief.StatusApproved {
		t.Fatalf("Advance(approve) = %s, %v; want approved", d.Status, err)
	}
	seq := st.VersionVector()[st.Device()]
	var de *Error
	if _, err := dk.Advance(id, relief.ActionApprove, relief.Args{Note: "again"}); !errors.As(err, &de) || de.Code != CodeNotAllowed {
		t.Errorf("Advance(approve an approved demand) = %v; want CodeNotAllowed", err)
	}
	if got := st.VersionVector()[st.Device()]; got != seq {
		t.Errorf("a refused Advance wrote: seq %d → %d", seq, got)
	}
	if _, err := dk.Advance("nosuchdemand", relief.ActionApprove, relief.Args{Note: "x"}); !errors.As(err, &de) || de.Code != CodeNotFound {
		t.Errorf("Advance(unknown demand) = %v; want CodeNotFound", err)
	}
}

// TestRememberMapping: a mapping kept for a table's shape is found again by
// its signature, and only by it.
func TestRememberMapping(t *testing.T) {
	dk := New(newStore(t))
	m := importer.Mapping{Signature: "sig-1", Kind: relief.KindOffer, Columns: []importer.Column{{Index: 0, Header: "酒店名称", Field: importer.FieldOrg}}}
	if _, ok := dk.RememberedMapping("sig-1"); ok {
		t.Fatal("RememberedMapping before any was kept = found")
	}
	if err := dk.RememberMapping(m); err != nil {
		t.Fatal(err)
	}
	got, ok := dk.RememberedMapping("sig-1")
	if !ok || got.Kind != relief.KindOffer || len(got.Columns) != 1 || got.Columns[0].Field != importer.FieldOrg {
		t.Errorf("RememberedMapping(sig-1) = %+v, %v; want %+v", got, ok, m)
	}
	if _, ok := dk.RememberedMapping("sig-2"); ok {
		t.Error("RememberedMapping(sig-2) = found; want only sig-1 kept")
	}
}

// TestPreviewImport: a file's first sheet is previewed with the suggested
// mapping, then with the one remembered for its shape; a mapping made for
// another shape is not used.
func TestPreviewImport(t *testing.T) {
	dk := New(newStore(t))
	tables, err := importer.ReadTables("week1.csv", []byte(weekCSV))
	if err != nil || len(tables) != 1 {
		t.Fatalf("ReadTables = %d tables, %v; want 1", len(tables), err)
	}
	p := dk.PreviewImport(tables, nil)
	if p.Remembered || p.Table != tables[0] || len(p.Records) != 3 || p.Mapping.Signature == "" {
		t.Fatalf("PreviewImport = remembered %v, %d records, signature %q; want the suggested mapping, 3 records", p.Remembered, len(p.Records), p.Mapping.Signature)
	}
	m := p.Mapping
	m.Kind = relief.KindOffer
	if err := dk.RememberMapping(m); err != nil {
		t.Fatal(err)
	}
	again := dk.PreviewImport(tables, nil)
	if !again.Remembered || again.Mapping.Kind != relief.KindOffer || again.Records[0].Kind != relief.KindOffer {
		t.Errorf("PreviewImport after RememberMapping = remembered %v, kind %q, records of kind %q; want the remembered offer mapping",
			again.Remembered, again.Mapping.Kind, again.Records[0].Kind)
	}
	other := importer.Mapping{Signature: "another shape", Kind: relief.KindOffer}
	if got := dk.PreviewImport(tables, &other); got.Remembered || got.Mapping.Signature != m.Signature || got.Mapping.Kind == relief.KindOffer {
		t.Errorf("PreviewImport(mapping of another shape) = %+v; want the suggested mapping", got.Mapping)
	}
}

// TestPreviewWorkbookSheets: the preview of a workbook of one sheet per
// hospital says what the import will do with every sheet, not only the one
// it shows: the sheets whose name becomes the requester of their rows (both
// hospitals) and the sheets left out, each with its sheet.
func TestPreviewWorkbookSheets(t *testing.T) {
	dk := New(newStore(t))
	tables, err := ReadTables(fixture.Path(t, "messy/hospitals.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	p := dk.PreviewImport(tables, nil)
	var sheets []string
	for _, pr := range p.Problems {
		if pr.Code == importer.ProblemSheetAsOrg {
			sheets = append(sheets, pr.Sheet)
		}
	}
	if want := []string{"华中科技大学同济医学院附属协和医院", "武汉市第七医院"}; !slices.Equal(sheets, want) {
		t.Errorf("preview tells the sheet names taken as requesters of %v; want %v", sheets, want)
	}
	// The import writes every sheet: the preview's counts (and the app's
	// "Import N records" button) said only the sheet shown.
	recs, _, err := importer.ReadFile(fixture.Path(t, "messy/hospitals.xlsx"), importer.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) == len(p.Records) {
		t.Fatalf("the fixture's other sheets hold no records (%d in all, %d in the sheet shown): the test does not test", len(recs), len(p.Records))
	}
	if p.Whole.Records != len(recs) || p.Whole.Demands+p.Whole.Offers != len(recs) || p.Whole.Sheets < 2 {
		t.Errorf("preview's whole counts = %+v; want the %d records the import reads from every sheet", p.Whole, len(recs))
	}
}
