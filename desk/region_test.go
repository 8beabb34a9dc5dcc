package desk

import (
	"slices"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/region"
)

// TestRegionFilterAndMap: a demand whose sheet named only 钟祥 is found by
// the list's region filter at every level, and the map gets its city and
// province to place it by (it had only the district, or nothing).
func TestRegionFilterAndMap(t *testing.T) {
	st := newStore(t)
	dk := New(st)
	rec := applyRecs(t, st, readPath(t, writeFile(t, "p.csv", []byte("城市,医院名称,所需物资\n钟祥,钟祥市人民医院,口罩 100个\n武汉,武汉市第一医院,口罩 100个\n荆门,荆门市第二人民医院,口罩 100个\n"))))
	if rec.Created != 3 {
		t.Fatalf("import: %+v", rec)
	}
	for q, want := range map[string]int{"湖北省": 3, "荆门市": 2, "湖北/荆门": 2, "钟祥市": 1, "4208": 2, "420881": 1, "湖南省": 0} {
		_, total, err := dk.Demands(DemandQuery{Region: q})
		if err != nil || total != want {
			t.Errorf("Demands(Region %q) = %d, %v; want %d", q, total, err, want)
		}
	}
	pts, err := dk.MapPoints()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range pts {
		if p.Title == "钟祥市人民医院" {
			found = true
			if !strings.Contains(p.Place, "荆门市") || !strings.Contains(p.Place, "湖北省") {
				t.Errorf("map place of 钟祥市人民医院 = %q; want its city and province", p.Place)
			}
			want, _ := region.CentreOf("420881")
			if p.Approx == nil || p.ApproxOf != region.LevelCounty || p.Approx.Lat != want.Lat || p.Approx.Lon != want.Lon {
				t.Errorf("map approx of 钟祥市人民医院 = %+v of level %d; want 钟祥市's centre %+v, of a county", p.Approx, p.ApproxOf, want)
			}
		}
		if p.Title == "武汉市第一医院" && (p.Approx == nil || p.ApproxOf != region.LevelCity) {
			t.Errorf("map approx of 武汉市第一医院 = %+v of level %d; want 武汉市's centre", p.Approx, p.ApproxOf)
		}
	}
	if !found {
		t.Error("钟祥市人民医院 is not on the map")
	}
}

// TestMapApproxNameOfMunicipality: a district of a municipality that the
// centres' data has no centre of (天津市滨海新区, drawn after the map data) is
// put at its city's centre, and named by the municipality, not by the
// pseudo-city "市辖区" that groups its districts in the division table.
func TestMapApproxNameOfMunicipality(t *testing.T) {
	st := newStore(t)
	dk := New(st)
	rec := applyRecs(t, st, readPath(t, writeFile(t, "p.csv", []byte("城市,区县,医院名称,所需物资\n天津市,滨海新区,滨海新区人民医院,口罩 100个\n天津市,和平区,和平区医院,口罩 100个\n武汉市,江汉区,武汉市第一医院,口罩 100个\n"))))
	if rec.Created != 3 {
		t.Fatalf("import: %+v", rec)
	}
	pts, err := dk.MapPoints()
	if err != nil || len(pts) != 3 {
		t.Fatalf("MapPoints = %+v, %v; want the demands", pts, err)
	}
	want, _ := region.CentreOf("1201")
	i := slices.IndexFunc(pts, func(p MapPoint) bool { return p.Title == "滨海新区人民医院" })
	if i < 0 {
		t.Fatalf("MapPoints = %+v; want 滨海新区人民医院", pts)
	}
	if p := pts[i]; p.Approx == nil || p.ApproxOf != region.LevelCity || p.ApproxName != "天津市" || p.Approx.Lat != want.Lat {
		t.Errorf("MapPoints[0] = %+v (approx %+v); want 天津市's centre %+v, of a city, named 天津市", p, p.Approx, want)
	}
}
