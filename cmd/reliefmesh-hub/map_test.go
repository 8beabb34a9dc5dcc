package main

import (
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
	for _, c := range []struct {
		name, data, flag, want, err string
	}{
		{"flag", empty, good, good, ""},
		{"not a map", empty, bad, "", "notes.pmtiles is not a street map"},
		{"missing", empty, filepath.Join(empty, "gone.pmtiles"), "", "gone.pmtiles"},
		{"none", empty, "", "", ""},
		{"data dir", withMap, "", inData, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := hubMap(c.data, c.flag)
			if got != c.want || (err == nil) != (c.err == "") || (err != nil && !strings.Contains(err.Error(), c.err)) {
				t.Fatalf("hubMap(%q, %q) = %q, %v; want %q, error with %q", c.data, c.flag, got, err, c.want, c.err)
			}
		})
	}
}
