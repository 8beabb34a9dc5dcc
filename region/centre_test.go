package region

import (
	"math"
	"testing"
)

// TestEveryDivisionHasACentre: every province, city and county of the
// table has a centre inside China's extent, of its own level for all but a
// few counties, and near the centre of its city.
func TestEveryDivisionHasACentre(t *testing.T) {
	tb, err := load()
	if err != nil {
		t.Fatal(err)
	}
	own := map[int]int{}
	for code, d := range tb.byCode {
		c, ok := CentreOf(code)
		if !ok {
			t.Errorf("CentreOf(%s %s): none", code, d.Name)
			continue
		}
		if c.Lon < 73 || c.Lon > 136 || c.Lat < 3 || c.Lat > 54 {
			t.Errorf("CentreOf(%s %s) = %+v; outside China", code, d.Name, c)
		}
		if c.Of > d.Level {
			t.Errorf("CentreOf(%s %s) is of level %d, below its own %d", code, d.Name, c.Of, d.Level)
		}
		if c.Of == d.Level {
			own[d.Level]++
		}
		if d.Level == LevelCounty && c.Of == LevelCounty {
			if up, ok := CentreOf(code[:4]); ok && math.Hypot(up.Lat-c.Lat, up.Lon-c.Lon) > 8 {
				t.Errorf("CentreOf(%s %s) = %+v is %.1f° from its city's %+v", code, d.Name, c, math.Hypot(up.Lat-c.Lat, up.Lon-c.Lon), up)
			}
		}
	}
	// the counties without a centre of their own are the few the map data
	// does not draw (development zones, renamed districts): under 6 %
	if own[LevelProvince] != 31 || own[LevelCity] < 340 || own[LevelCounty] < 2978*94/100 {
		t.Errorf("divisions with a centre of their own level = %v; want 31 provinces, ≥ 340 cities, ≥ 94 %% of 2978 counties", own)
	}
}

// TestCentreOfKnownPlaces: 钟祥市 lies in 荆门市 north-west of 武汉, the
// districts of 武汉 are apart from each other, and a development zone takes
// its city's centre.
func TestCentreOfKnownPlaces(t *testing.T) {
	near := func(code string, lat, lon, within float64) {
		t.Helper()
		c, ok := CentreOf(code)
		if !ok || c.Of != len(code)/2 || math.Hypot(c.Lat-lat, c.Lon-lon) > within {
			t.Errorf("CentreOf(%s) = %+v, %v; want level %d within %.2f° of %.2f,%.2f", code, c, ok, len(code)/2, within, lat, lon)
		}
	}
	near("420881", 31.17, 112.59, 0.3) // 钟祥市
	near("420102", 30.60, 114.31, 0.1) // 江岸区
	near("420103", 30.60, 114.27, 0.1) // 江汉区
	near("110118", 40.38, 116.84, 0.4) // 密云区: 密云县 in the map data
	near("4201", 30.59, 114.30, 0.5)   // 武汉市
	near("42", 30.9, 112.3, 1.5)       // 湖北省
	zone, ok := CentreOf("130171")     // 石家庄高新技术产业开发区
	city, _ := CentreOf("1301")
	if !ok || zone.Of != LevelCity || zone.Lat != city.Lat || zone.Lon != city.Lon {
		t.Errorf("CentreOf(130171) = %+v, %v; want 石家庄市's centre %+v, of its level", zone, ok, city)
	}
	for _, bad := range []string{"", "4", "99", "429999", "42010x"} {
		if c, ok := CentreOf(bad); ok {
			t.Errorf("CentreOf(%q) = %+v; want none", bad, c)
		}
	}
}
