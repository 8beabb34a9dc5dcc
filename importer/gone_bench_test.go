package importer

import (
	"fmt"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// BenchmarkGoneRows: what a preview and a planner add to list the rows no
// longer in the file, against 100,000 demands present (half imported from
// the file's layout), for a file of 1,000 rows.
func BenchmarkGoneRows(b *testing.B) {
	present := make([]relief.Demand, 100_000)
	for i := range present {
		src := ""
		if i%2 == 0 {
			src = fmt.Sprintf("import:abcdefabcdef:org%d@addr", i)
		}
		present[i] = relief.Demand{ID: fmt.Sprint(i), Code: "D-X", Title: "t", Source: src, Status: relief.StatusPublished}
	}
	recs := make([]Record, 1000)
	for i := range recs {
		recs[i] = Record{Kind: relief.KindDemand, Source: fmt.Sprintf("import:abcdefabcdef:org%d@addr", 2*i)}
	}
	b.ReportAllocs()
	for b.Loop() {
		GoneRows(recs, present)
	}
}
