// Command gen writes testdata/map/area.pmtiles: a small vector tile package
// (PMTiles v3, Mapbox Vector Tiles, gzip) of a few made-up features in the
// Protomaps basemap layers (earth, water, landuse, roads, places) around
// Wuhan's 江汉区 and 江岸区, zoom 8 to 14, for the map's tests. The features
// are drawn by hand for the test (rough shapes, not survey data). Run from
// this directory: go run . ../area.pmtiles
package main

import (
	"bytes"
	"fmt"
	"os"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/protomaps/go-pmtiles/pmtiles"
)

var bound = orb.Bound{Min: orb.Point{114.20, 30.54}, Max: orb.Point{114.36, 30.66}}

const minZoom, maxZoom = 8, 14

func feature(g orb.Geometry, props map[string]any) *geojson.Feature {
	f := geojson.NewFeature(g)
	f.Properties = props
	return f
}

func line(pts ...float64) orb.LineString {
	var l orb.LineString
	for i := 0; i+1 < len(pts); i += 2 {
		l = append(l, orb.Point{pts[i], pts[i+1]})
	}
	return l
}

func poly(pts ...float64) orb.Polygon {
	r := orb.Ring(line(pts...))
	r = append(r, r[0])
	return orb.Polygon{r}
}

// layers returns the features anew (encoding projects them in place).
func layers() map[string]*geojson.FeatureCollection {
	fc := func(fs ...*geojson.Feature) *geojson.FeatureCollection {
		c := geojson.NewFeatureCollection()
		c.Features = fs
		return c
	}
	b := bound
	return map[string]*geojson.FeatureCollection{
		"earth": fc(feature(poly(b.Min[0]-0.2, b.Min[1]-0.2, b.Max[0]+0.2, b.Min[1]-0.2, b.Max[0]+0.2, b.Max[1]+0.2, b.Min[0]-0.2, b.Max[1]+0.2), map[string]any{"kind": "earth"})),
		"water": fc(
			feature(poly(114.20, 30.500, 114.235, 30.500, 114.300, 30.570, 114.380, 30.660, 114.380, 30.700, 114.350, 30.700, 114.280, 30.590), map[string]any{"kind": "water", "name": "长江"}),
			feature(poly(114.180, 30.570, 114.270, 30.555, 114.275, 30.562, 114.180, 30.580), map[string]any{"kind": "water", "name": "汉江"}),
		),
		"landuse": fc(
			feature(poly(114.288, 30.600, 114.300, 30.600, 114.300, 30.612, 114.288, 30.612), map[string]any{"kind": "park", "name": "解放公园"}),
			feature(poly(114.260, 30.580, 114.272, 30.580, 114.272, 30.590, 114.260, 30.590), map[string]any{"kind": "park", "name": "中山公园"}),
			feature(poly(114.240, 30.610, 114.262, 30.610, 114.262, 30.628, 114.240, 30.628), map[string]any{"kind": "hospital", "name": "医院"}),
		),
		"roads": fc(
			feature(line(114.200, 30.575, 114.260, 30.590, 114.300, 30.612, 114.350, 30.650), map[string]any{"kind": "major_road", "name": "解放大道", "min_zoom": 8}),
			feature(line(114.220, 30.565, 114.270, 30.580, 114.310, 30.600, 114.340, 30.620), map[string]any{"kind": "major_road", "name": "中山大道", "min_zoom": 9}),
			feature(line(114.210, 30.600, 114.260, 30.615, 114.300, 30.635, 114.330, 30.660), map[string]any{"kind": "highway", "name": "二环线", "min_zoom": 8}),
			feature(line(114.250, 30.560, 114.255, 30.600, 114.262, 30.640), map[string]any{"kind": "minor_road", "name": "青年路", "min_zoom": 12}),
			feature(line(114.280, 30.570, 114.283, 30.610, 114.290, 30.650), map[string]any{"kind": "minor_road", "name": "新华路", "min_zoom": 12}),
			feature(line(114.300, 30.580, 114.305, 30.620, 114.312, 30.655), map[string]any{"kind": "minor_road", "name": "黄浦大街", "min_zoom": 12}),
		),
		"places": fc(
			feature(orb.Point{114.270, 30.601}, map[string]any{"kind": "neighbourhood", "name": "江汉区", "min_zoom": 8}),
			feature(orb.Point{114.309, 30.620}, map[string]any{"kind": "neighbourhood", "name": "江岸区", "min_zoom": 8}),
			feature(orb.Point{114.240, 30.575}, map[string]any{"kind": "neighbourhood", "name": "硚口区", "min_zoom": 8}),
		),
	}
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run . OUT.pmtiles")
		os.Exit(2)
	}
	type tile struct {
		id   uint64
		data []byte
	}
	var tiles []tile
	for z := maptile.Zoom(minZoom); z <= maxZoom; z++ {
		lo, hi := maptile.At(orb.Point{bound.Min[0], bound.Max[1]}, z), maptile.At(orb.Point{bound.Max[0], bound.Min[1]}, z)
		for x := lo.X; x <= hi.X; x++ {
			for y := lo.Y; y <= hi.Y; y++ {
				ls := mvt.NewLayers(layers())
				ls.ProjectToTile(maptile.New(x, y, z))
				ls.Clip(mvt.MapboxGLDefaultExtentBound)
				ls.RemoveEmpty(1, 1)
				data, err := mvt.MarshalGzipped(ls)
				if err != nil {
					panic(err)
				}
				tiles = append(tiles, tile{pmtiles.ZxyToID(uint8(z), x, y), data})
			}
		}
	}
	sort.Slice(tiles, func(i, j int) bool { return tiles[i].id < tiles[j].id })
	var data bytes.Buffer
	entries := make([]pmtiles.EntryV3, 0, len(tiles))
	for _, t := range tiles {
		entries = append(entries, pmtiles.EntryV3{TileID: t.id, Offset: uint64(data.Len()), Length: uint32(len(t.data)), RunLength: 1})
		data.Write(t.data)
	}
	root := pmtiles.SerializeEntries(entries, pmtiles.Gzip)
	var vl []map[string]any
	for name := range layers() {
		vl = append(vl, map[string]any{"id": name, "fields": map[string]string{"kind": "String", "name": "String"}})
	}
	sort.Slice(vl, func(i, j int) bool { return vl[i]["id"].(string) < vl[j]["id"].(string) })
	meta, err := pmtiles.SerializeMetadata(map[string]any{
		"name": "ReliefMesh test area (江汉区, 江岸区)", "attribution": "ReliefMesh test data", "vector_layers": vl,
	}, pmtiles.Gzip)
	if err != nil {
		panic(err)
	}
	h := pmtiles.HeaderV3{
		SpecVersion: 3, RootOffset: pmtiles.HeaderV3LenBytes, RootLength: uint64(len(root)),
		Clustered: true, InternalCompression: pmtiles.Gzip, TileCompression: pmtiles.Gzip, TileType: pmtiles.Mvt,
		MinZoom: minZoom, MaxZoom: maxZoom,
		MinLonE7: int32(bound.Min[0] * 1e7), MinLatE7: int32(bound.Min[1] * 1e7), MaxLonE7: int32(bound.Max[0] * 1e7), MaxLatE7: int32(bound.Max[1] * 1e7),
		CenterZoom: 12, CenterLonE7: int32(bound.Center()[0] * 1e7), CenterLatE7: int32(bound.Center()[1] * 1e7),
		AddressedTilesCount: uint64(len(tiles)), TileEntriesCount: uint64(len(tiles)), TileContentsCount: uint64(len(tiles)),
	}
	h.MetadataOffset = h.RootOffset + h.RootLength
	h.MetadataLength = uint64(len(meta))
	h.LeafDirectoryOffset = h.MetadataOffset + h.MetadataLength
	h.TileDataOffset = h.LeafDirectoryOffset
	h.TileDataLength = uint64(data.Len())
	var out bytes.Buffer
	out.Write(pmtiles.SerializeHeader(h))
	out.Write(root)
	out.Write(meta)
	out.Write(data.Bytes())
	if err := os.WriteFile(os.Args[1], out.Bytes(), 0o644); err != nil {
		panic(err)
	}
	fmt.Printf("%s: %d tiles, %d bytes\n", os.Args[1], len(tiles), out.Len())
}
