package importer

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

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
	rep, err := Apply(ctx, st, recs, func(done, total int) { calls = append(calls, [2]int{done, total}) })
	if err != nil {
		t.Fatal(err)
	}
	ds, _ := st.Demands(store.DemandQuery{})
	// The file itself holds probable duplicates (武汉汉口医院 / 武汉市汉口医院,
	// 武昌医院 / 武汉市武昌医院 …): they are stored too, but flagged.
	if rep.Created+rep.Flagged != 45 || rep.Flagged == 0 || len(ds) != 45 || countItems(ds) != 299 {
		t.Fatalf("Apply(hospital_needs) = created %d, flagged %d, %d demands with %d items; want 45 stored (some flagged), 45 demands with 299 items",
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
	rep2, err := Apply(ctx, st, recs, nil)
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
	rep3, err := Apply(ctx, st, typed, nil)
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
		if !slices.Contains(d.Tags, TagPossibleDuplicate) || !strings.Contains(d.ReviewNotes, dup.OriginalCode) {
			t.Fatalf("flagged demand %s: tags %v, note %q; want tag %s and a note naming %s", d.Code, d.Tags, d.ReviewNotes, TagPossibleDuplicate, dup.OriginalCode)
		}
		if _, err := st.Demand(dup.Original); err != nil {
			t.Fatalf("duplicate %s links to %s: %v", dup.ID, dup.Original, err)
		}
	}
	csv, _ := readRaw(t, "wuhan2020/DemandOfWuhan.csv")
	rep4, err := Apply(ctx, st, csv, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("DemandOfWuhan.csv: created %d, flagged %d, skipped %d", rep4.Created, rep4.Flagged, rep4.Skipped)
	if rep4.Flagged == 0 {
		t.Fatalf("Apply(DemandOfWuhan.csv) flagged nothing; want the hospitals already present flagged")
	}
	// Re-importing everything again creates nothing.
	for _, rs := range [][]Record{recs, typed, csv} {
		r, err := Apply(ctx, st, rs, nil)
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
		rep, err := Apply(context.Background(), st, recs, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != len(recs)-repeated[f] || rep.Skipped != repeated[f] || rep.Rejected != 0 {
			t.Errorf("Apply(%s) = created %d skipped %d rejected %d; want %d offers created, %d skipped", f, rep.Created, rep.Skipped, rep.Rejected, len(recs)-repeated[f], repeated[f])
		}
		present := 0
		for _, p := range rep.Problems {
			if p.Code == ProblemOfferPresent && p.Args["code"] != "" && !p.Rejected {
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
		rep2, err := Apply(context.Background(), st, recs, nil)
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
	_, err := Apply(ctx, st, recs, func(done, total int) { cancel() })
	if err == nil {
		t.Fatal("Apply after cancel = nil error")
	}
	rep, err := Apply(context.Background(), st, recs, nil)
	ds, _ := st.Demands(store.DemandQuery{})
	if err != nil || rep.Skipped == 0 || rep.Created+rep.Flagged+rep.Skipped != 45 || len(ds) != 45 {
		t.Fatalf("resumed Apply = %+v, %v, %d demands; want the rest stored, 45 in all", rep, err, len(ds))
	}
}

func TestCloseAddress(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"武汉市江汉区香港路100号", "武汉市江汉区香港路10号", false},
		{"武汉市江汉区香港路100号", "湖北省武汉市江汉区香港路100号", true},
		{"江汉区香港路100号", "江汉区香港路100号3栋", true},
		{"江汉区香港路100号3栋", "江汉区香港路100号5栋", false},
		{"武汉市江岸区胜利街155号", "江岸区胜利街155号（急诊楼）", true},
		{"武汉市江岸区胜利街155号", "武汉市江岸区解放大道155号", false},
		{"武汉市江岸区解放大道", "武汉市江岸区解放大道1001号", false}, // a road, no number: shared by many places
		{"武汉市江岸区解放大道", "武汉市江岸区解放大道", true},
		{"武汉市武昌区中山路100号", "武汉市洪山区珞喻路100号", false},
	}
	for _, tt := range tests {
		a, b := addrKey(tt.a), addrKey(tt.b)
		if got := closeAddress(a, b); got != tt.want {
			t.Errorf("closeAddress(%q, %q) = %v; want %v", a, b, got, tt.want)
		}
		if got := closeAddress(b, a); got != tt.want {
			t.Errorf("closeAddress(%q, %q) = %v; want %v (swapped)", b, a, got, tt.want)
		}
	}
}

// TestSimilarAddressesDoNotFlagEverything: a sheet of many places on the
// same few roads, each with its own number and organisation, flags nothing.
func TestSimilarAddressesDoNotFlagEverything(t *testing.T) {
	var existing []relief.Demand
	roads := []string{"解放大道", "中山大道", "香港路", "武珞路"}
	for i := range 400 {
		existing = append(existing, relief.Demand{ID: fmt.Sprintf("d%03d", i), RequesterOrg: fmt.Sprintf("社区卫生服务站%d", i),
			Address: fmt.Sprintf("武汉市江汉区%s%d号", roads[i%4], i+1)})
	}
	flagged := 0
	for i := range 400 {
		r := Record{Kind: relief.KindDemand, Org: fmt.Sprintf("药房%d", i), Address: fmt.Sprintf("武汉市江汉区%s%d号", roads[(i+1)%4], i+1)}
		if d, ok := Similar(existing, r); ok {
			flagged++
			if flagged < 4 {
				t.Logf("%s ~ %s: %v", r.Address, d.OriginalOrg, d.Reasons)
			}
		}
	}
	if flagged != 0 {
		t.Errorf("Similar flagged %d of 400 records at other numbers or roads; want 0", flagged)
	}
	same := Record{Kind: relief.KindDemand, Org: "另一家药房", Address: "湖北省武汉市江汉区香港路3号"}
	if d, ok := Similar(existing, same); !ok || d.Original != "d002" || !slices.Contains(d.Reasons, "close address") {
		t.Errorf("Similar(香港路3号) = %+v, %v; want d002 by close address", d, ok)
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
	recs, _, err := ReadFile(writeFile(t, "hotels-week2.csv", []byte(csv)), Options{Kind: relief.KindOffer, OneMeansNeeded: true, Region: "CN"})
	if err != nil || len(recs) != 4 {
		t.Fatalf("ReadFile = %d records, %v; want 4", len(recs), err)
	}
	rep := applyRecs(t, st, recs)
	if rep.Created != 2 || rep.Skipped != 2 {
		t.Errorf("Apply(hotels-week2.csv) = created %d skipped %d, problems %v; want 2 created (汉阳店, 新开的酒店), 2 skipped", rep.Created, rep.Skipped, rep.Problems)
	}
	for _, p := range rep.Problems {
		if p.Code == ProblemOfferPresent && p.Row != 2 && p.Row != 3 {
			t.Errorf("row %d reported already present: %v", p.Row, p)
		}
	}
	again := applyRecs(t, st, recs)
	if again.Created != 0 || again.Skipped != 4 {
		t.Errorf("Apply(hotels-week2.csv) again = %+v; want 4 skipped", again)
	}
}

// TestSameOrganisation: a generic name left once the province and city are
// dropped ("人民医院") does not make every city's hospital the same.
func TestSameOrganisation(t *testing.T) {
	existing := []relief.Demand{
		{ID: "sz", RequesterOrg: "深圳市人民医院"},
		{ID: "wh1", RequesterOrg: "武汉市第一医院"},
	}
	tests := []struct {
		org, want string // want: the original's id, "" for none
	}{
		{"四川省人民医院", ""},
		{"上海市人民医院", ""},
		{"广东省人民医院", ""}, // the provincial hospital, not the city's
		{"广东省深圳市人民医院", "sz"},
		{"人民医院（急需）", "sz"}, // no place named: ambiguous, a reviewer decides
		{"湖北省武汉市第一医院", "wh1"},
		{"武汉市第一医院（光谷院区）", "wh1"},
		{"湖北省黄石市第一医院", ""},
	}
	for _, tt := range tests {
		d, ok := Similar(existing, Record{Kind: relief.KindDemand, Org: tt.org})
		if got := d.Original; !ok && got != "" || ok != (tt.want != "") || got != tt.want {
			t.Errorf("Similar(%s) = %q, %v; want %q", tt.org, got, ok, tt.want)
		}
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
	recs, _, err := ReadFile(writeFile(t, "city.csv", []byte(b.String())), DefaultOptions())
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
