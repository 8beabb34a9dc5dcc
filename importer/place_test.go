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
