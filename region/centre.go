package region

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"strconv"
	"sync"
)

//go:embed data/centres.csv
var centresCSV []byte

// Centre is the approximate centre of a division, for placing on a map a
// record that has no exact position.
type Centre struct {
	Lat, Lon float64 // degrees
	// Of is the level whose centre this is: the division's own level, or
	// the level of its city or province when the map data has no centre of
	// its own (a development zone: LevelCity).
	Of int
}

var (
	centresOnce sync.Once
	centres     map[string]Centre
	centresErr  error
)

func loadCentres() (map[string]Centre, error) {
	centresOnce.Do(func() {
		rows, err := csv.NewReader(bytes.NewReader(centresCSV)).ReadAll()
		if err != nil {
			centresErr = fmt.Errorf("region: read embedded centres: %w", err)
			return
		}
		levels := map[string]int{"province": LevelProvince, "city": LevelCity, "county": LevelCounty}
		m := make(map[string]Centre, len(rows))
		for i, r := range rows[1:] {
			lon, e1 := strconv.ParseFloat(r[1], 64)
			lat, e2 := strconv.ParseFloat(r[2], 64)
			of, ok := levels[r[3]]
			if e1 != nil || e2 != nil || !ok {
				centresErr = fmt.Errorf("region: embedded centres, row %d (%q): not lon, lat and a level", i+2, r)
				return
			}
			m[r[0]] = Centre{Lat: lat, Lon: lon, Of: of}
		}
		centres = m
	})
	return centres, centresErr
}

// CentreOf returns the centre of division code (2, 4 or 6 digits, as in a
// relief.Place's Code), or of the nearest division above it that has one
// (Of says which level); ok is false when code is no division of the table.
func CentreOf(code string) (Centre, bool) {
	m, err := loadCentres()
	if err != nil {
		return Centre{}, false
	}
	if _, ok := Lookup(code); !ok {
		return Centre{}, false
	}
	for c := code; len(c) >= 2; c = c[:len(c)-2] {
		if len(c)%2 != 0 {
			return Centre{}, false
		}
		if at, ok := m[c]; ok {
			if len(c) < len(code) {
				at.Of = min(at.Of, len(c)/2)
			}
			return at, true
		}
	}
	return Centre{}, false
}
