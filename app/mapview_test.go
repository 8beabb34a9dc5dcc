package app

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMapPointsApproximate: a demand recorded with only its district is put
// at the centre of that district, said to be a county's centre.
func TestMapPointsApproximate(t *testing.T) {
	a := newApp(t, t.TempDir())
	a.Network.Create("Flood", "甲")
	if _, err := a.Demands.Record(DemandInput{Title: "协和医院 N95", Category: "protective_equipment", District: "江汉区",
		Items: []ItemInput{item("N95口罩", "5000", "只")}}); err != nil {
		t.Fatal(err)
	}
	ps, err := a.Map.Points()
	if err != nil || len(ps) != 1 {
		t.Fatalf("Points = %+v, %v; want the demand", ps, err)
	}
	p := ps[0]
	if p.Lat != nil || p.ApproxLat == nil || p.ApproxLon == nil || p.ApproxOf != "county" || p.ApproxName != "江汉区" ||
		*p.ApproxLat < 30.5 || *p.ApproxLat > 30.7 || *p.ApproxLon < 114.1 || *p.ApproxLon > 114.4 {
		t.Errorf("Points[0] = %+v (approx %v, %v); want 江汉区's centre near 30.6, 114.27, of a county, and no exact position", p, deref(p.ApproxLat), deref(p.ApproxLon))
	}
}

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// TestUseTilesAndServe: the test PMTiles package is installed into the data
// directory and served by byte ranges (Range header and offset/length); a
// file that is not PMTiles is refused naming it, and the one installed stays.
func TestUseTilesAndServe(t *testing.T) {
	dir := t.TempDir()
	a := newApp(t, dir)
	src := filepath.Join("..", "testdata", "map", "area.pmtiles")
	want, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if info := a.Map.Tiles(); info.Present {
		t.Fatalf("Tiles before = %+v; want none", info)
	}
	h := a.MapTiles(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "next") }))
	get := func(url string, hdr ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, url, nil)
		if len(hdr) == 2 {
			r.Header.Set(hdr[0], hdr[1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	if w := get(TilesURL); w.Code != http.StatusNotFound {
		t.Errorf("GET %s with no street map = %d; want 404", TilesURL, w.Code)
	}
	info, err := a.Map.UseTiles(src)
	if err != nil || !info.Present || info.Size != int64(len(want)) || info.URL != TilesURL {
		t.Fatalf("UseTiles = %+v, %v; want it installed, %d bytes", info, err, len(want))
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "maps", "area.pmtiles")); !bytes.Equal(got, want) {
		t.Errorf("installed copy differs from %s (%d bytes, want %d)", src, len(got), len(want))
	}
	if w := get(TilesURL, "Range", "bytes=0-126"); w.Code != http.StatusPartialContent || !bytes.Equal(w.Body.Bytes(), want[:127]) {
		t.Errorf("GET Range 0-126 = %d, %d bytes; want 206 and the header", w.Code, w.Body.Len())
	}
	if w := get(TilesURL + "?offset=127&length=50"); w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), want[127:177]) {
		t.Errorf("GET offset 127 length 50 = %d, %d bytes; want 200 and bytes 127–176", w.Code, w.Body.Len())
	}
	if w := get(TilesURL + "?offset=" + "99999999&length=5"); w.Code != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("GET past the end = %d; want 416", w.Code)
	}
	if w := get("/index.html"); w.Body.String() != "next" {
		t.Errorf("GET /index.html = %q; want it passed on", w.Body.String())
	}

	bad := filepath.Join(t.TempDir(), "streets.pmtiles")
	os.WriteFile(bad, []byte("this is no tile package"), 0o600)
	if _, err := a.Map.UseTiles(bad); err == nil || !strings.Contains(err.Error(), CodeNotTiles) || !strings.Contains(err.Error(), "streets.pmtiles") {
		t.Errorf("UseTiles(not PMTiles) = %v; want %s naming the file", err, CodeNotTiles)
	}
	if info := a.Map.Tiles(); !info.Present || info.Size != int64(len(want)) {
		t.Errorf("Tiles after a refused file = %+v; want the one installed before", info)
	}
	if info, err := a.Map.RemoveTiles(); err != nil || info.Present {
		t.Errorf("RemoveTiles = %+v, %v; want none left", info, err)
	}
}

// TestOfferViewPlaceAndNotes: an offer card has where the offer is (its
// resolved place, from the province down) and, for an online service with no
// items, its notes saying what it offers.
func TestOfferViewPlaceAndNotes(t *testing.T) {
	a := newApp(t, t.TempDir())
	if _, err := a.Network.StartPractice(); err != nil {
		t.Fatal(err)
	}
	hotels, err := a.Offers.List("布丁酒店(广埠屯店)")
	if err != nil || len(hotels) != 1 {
		t.Fatalf("List(布丁酒店(广埠屯店)) = %+v, %v; want the hotel", hotels, err)
	}
	if p := hotels[0].Place; !strings.Contains(p, "武汉市") || !strings.Contains(p, "洪山区") {
		t.Errorf("hotel's Place = %q (region %q); want 武汉市 … 洪山区", p, hotels[0].Region)
	}
	clinics, err := a.Offers.List("京东健康")
	if err != nil || len(clinics) != 1 {
		t.Fatalf("List(京东健康) = %+v, %v; want the online clinic", clinics, err)
	}
	if c := clinics[0]; len(c.Items) != 0 || !strings.Contains(c.Notes, "免费问诊") {
		t.Errorf("online clinic = items %+v, notes %q; want no items and its remark 免费问诊… as notes", c.Items, c.Notes)
	}
}
