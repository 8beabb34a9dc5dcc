package importer

import (
	"encoding/json"
	"testing"

	"github.com/reliefmesh/reliefmesh/internal/fixture"
)

// rawFile returns the path of a real input file carried by the repository
// ("wuhan2020/NAME" or "hxl/NAME"; see testdata/README.md); tests fail (not
// skip) without it.
func rawFile(t testing.TB, rel string) string {
	t.Helper()
	return fixture.Path(t, rel)
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
