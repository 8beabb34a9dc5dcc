package importer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// rawDir is the real input shipped with the repository's shared data; tests
// fail (not skip) without it.
const rawDir = "../../shared/data/raw"

func rawFile(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(rawDir, rel)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("real test data missing: %v", err)
	}
	return p
}

func readRaw(t testing.TB, rel string) ([]Record, []Problem) {
	t.Helper()
	recs, probs, err := ReadFile(rawFile(t, rel), DefaultOptions())
	if err != nil {
		t.Fatalf("ReadFile(%s) = %v", rel, err)
	}
	return recs, probs
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
