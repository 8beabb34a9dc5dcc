package importer

import (
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestRecordsResolvePlace: province and city were never kept, and 47 of 89
// rows of a province-wide sheet had no district, so the filter and the map
// missed them. A row's place is resolved from its city column, its district
// column or its address; a row of another country keeps its names as written.
func TestRecordsResolvePlace(t *testing.T) {
	csv := "城市,医院名称,地址,所需物资\n" +
		"钟祥,钟祥市人民医院,,口罩 100个\n" +
		"荆门,荆门市第二人民医院,象山一路39号,口罩 100个\n" +
		",武汉市第一医院,湖北省武汉市硚口区中山大道215号,口罩 100个\n"
	tb, err := ReadCSV("p.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := Records(tb, DefaultOptions())
	want := []struct {
		place    relief.Place
		district string
	}{
		{relief.Place{Code: "420881", Province: "湖北省", City: "荆门市", County: "钟祥市"}, "钟祥市"},
		{relief.Place{Code: "4208", Province: "湖北省", City: "荆门市"}, ""},
		{relief.Place{Code: "420104", Province: "湖北省", City: "武汉市", County: "硚口区"}, "硚口区"},
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records; want %d", len(recs), len(want))
	}
	for i, w := range want {
		if recs[i].Place != w.place || recs[i].District != w.district {
			t.Errorf("%s: place %+v, district %q; want %+v, %q", recs[i].Org, recs[i].Place, recs[i].District, w.place, w.district)
		}
		f := demandFields(recs[i], nil)
		if f[relief.FieldPlace] != w.place {
			t.Errorf("%s: demand place field %v; want %+v", recs[i].Org, f[relief.FieldPlace], w.place)
		}
	}
	// a city column under a header the mapping does not know
	tb, err = ReadCSV("q.csv", strings.NewReader("所在城市,医院名称,所需物资\n钟祥,钟祥市中医院,口罩 100个\n"))
	if err != nil {
		t.Fatal(err)
	}
	recs, _ = Records(tb, DefaultOptions())
	if len(recs) != 1 || recs[0].Place.Code != "420881" {
		t.Errorf("所在城市 钟祥: %+v; want 420881", recs)
	}
	hxl := "#org,#country,#adm1,#adm2\nOMS,Colombia,Cauca,Popayán\n"
	tb, err = ReadCSV("h.csv", strings.NewReader(hxl))
	if err != nil {
		t.Fatal(err)
	}
	recs, _ = Records(tb, DefaultOptions())
	if len(recs) != 1 || recs[0].Place != (relief.Place{Country: "Colombia", Province: "Cauca", City: "Popayán"}) {
		t.Errorf("HXL place = %+v; want Colombia/Cauca/Popayán as written", recs)
	}
}

// TestPlaceFromCombinedColumns: headers seen on real sheets that name a
// place in other words — 省市 (a city or a province), 酒店辖区（县区级）
// (a county, with a bracket), 市-区 (a city and its district joined by a
// dash) — give the row its place; they were kept only as text before, so
// the region filter and the map missed those rows.
func TestPlaceFromCombinedColumns(t *testing.T) {
	for _, c := range []struct{ csv, code string }{
		{"省市,医院名称,医院地址,所需物资\n荆门市,甲医院,象山大道1号,口罩\n", "4208"},
		{"酒店名称,酒店辖区（县区级）,酒店地址,联系方式\n甲酒店,钟祥市,某路1号,13800000001\n", "420881"},
		{"省份,市-区,联系人(酒店名称或者政府部门）,具体地址,联系方式\n云南省,昆明市-官渡区,甲酒店,某路2号,0871-00000001\n", "530111"},
	} {
		tb, err := ReadCSV("c.csv", strings.NewReader(c.csv))
		if err != nil {
			t.Fatal(err)
		}
		recs, _ := Records(tb, DefaultOptions())
		if len(recs) != 1 || recs[0].Place.Code != c.code {
			t.Errorf("%q: records %+v; want one at %s", tb.Headers, recs, c.code)
		}
	}
}

// TestOffersInOtherDistrictsAreOtherOffers: a list of hotels names several
// offers by a short word ("区政府") in the districts of one city, each with
// its own phone; they are other offers, not repeats of the first (a real
// list lost seven of eight so, skipped as "same supplier").
func TestOffersInOtherDistrictsAreOtherOffers(t *testing.T) {
	csv := "省份,市-区,联系人(酒店名称或者政府部门）,具体地址,联系方式\n" +
		"黑龙江省,哈尔滨市-双城区,区政府,-,0451-00000001\n" +
		"黑龙江省,哈尔滨市-道里区,区政府,-,0451-00000002\n" +
		"黑龙江省,哈尔滨市-南岗区,区政府,-,0451-00000003\n"
	tb, err := ReadCSV("h.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	opt := DefaultOptions()
	opt.Kind = relief.KindOffer
	recs, _ := Records(tb, opt)
	if len(recs) != 3 {
		t.Fatalf("%d records; want 3", len(recs))
	}
	p, err := NewPlanner("net", memExisting{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range recs {
		w, ok := p.Plan(r)
		if !ok {
			t.Errorf("row %d (%s, %s) not planned: %v", r.Row, r.Org, r.Place.County, p.Report().Problems)
			continue
		}
		if seen[w.ID] {
			t.Errorf("row %d has the id of an earlier row", r.Row)
		}
		seen[w.ID] = true
	}
}
