package importer

import (
	"encoding/json"
	"testing"

	"github.com/reliefmesh/reliefmesh/internal/fixture"
	"github.com/reliefmesh/reliefmesh/store"
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

func newStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(t.TempDir(), store.Options{ValueLogGCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.CreateNetwork("test incident", "tester"); err != nil {
		t.Fatal(err)
	}
	return st
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
