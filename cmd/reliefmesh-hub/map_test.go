package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHubMap: --map takes a PMTiles file and refuses anything else by name;
// without it the hub serves DATA/maps/area.pmtiles when present.
func TestHubMap(t *testing.T) {
	good := filepath.Join("..", "..", "testdata", "map", "area.pmtiles")
	bad := filepath.Join(t.TempDir(), "notes.pmtiles")
	if err := os.WriteFile(bad, []byte("not a map at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty, withMap := t.TempDir(), t.TempDir()
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	inData := filepath.Join(withMap, "maps", "area.pmtiles")
	os.MkdirAll(filepath.Dir(inData), 0o700)
	if err := os.WriteFile(inData, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.pmtiles") // a copy cut short on the way
	if err := os.WriteFile(cut, b[:len(b)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	withBad := t.TempDir() // a damaged file where the default map goes
	os.MkdirAll(filepath.Join(withBad, "maps"), 0o700)
	if err := os.WriteFile(filepath.Join(withBad, "maps", "area.pmtiles"), []byte("junk"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, data, flag, want, err string
	}{
		{"cut short", empty, cut, "", "cut short"},
		// not a flag anybody gave: the hub serves without a map and says why
		{"damaged default", withBad, "", "", "maps/area.pmtiles is not a street map"},
		{"flag", empty, good, good, ""},
		{"not a map", empty, bad, "", "notes.pmtiles is not a street map"},
		{"missing", empty, filepath.Join(empty, "gone.pmtiles"), "", "gone.pmtiles"},
		{"none", empty, "", "", ""},
		{"data dir", withMap, "", inData, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := hubMap(c.data, c.flag, speaker{})
			if got != c.want || (err == nil) != (c.err == "") || (err != nil && !strings.Contains(err.Error(), c.err)) {
				t.Fatalf("hubMap(%q, %q) = %q, %v; want %q, error with %q", c.data, c.flag, got, err, c.want, c.err)
			}
			var skip *skippedMapError
			if fatal := err != nil && !errors.As(err, &skip); fatal != (c.err != "" && c.flag != "") {
				t.Errorf("hubMap(%q, %q) = %v: stops the hub %v; want only for a --map given", c.data, c.flag, err, fatal)
			}
		})
	}
}
