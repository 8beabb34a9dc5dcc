package bulletin_test

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/bulletin"
	"github.com/reliefmesh/reliefmesh/internal/fixture"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestSourceFieldsDoNotPileUp: a demand moved from incident to incident
// (exported as a bulletin, imported into the next network, exported again)
// keeps its other cells of the original sheet (原表其他信息) once each: the
// exporting network's code and times, written both in their own columns and
// in that cell by the next export, were read twice and piled up, one more
// copy at each move.
func TestSourceFieldsDoNotPileUp(t *testing.T) {
	ds := importSheet(t, fixture.Read(t, "messy/beds.csv"), "csv")
	coordinator := relief.Member{Key: ledger.DeviceID{1}, Role: relief.RoleCoordinator}
	for _, tc := range []struct{ format, lang string }{{"xlsx", "zh-CN"}, {"csv", "en"}} {
		t.Run(tc.format+"/"+tc.lang, func(t *testing.T) {
			hop := ds
			var counts []string
			for range 3 {
				var buf bytes.Buffer
				if err := bulletin.WriteWith(&buf, hop, bulletin.Options{Format: tc.format, Lang: tc.lang, Level: relief.LevelRestricted, Viewer: coordinator}); err != nil {
					t.Fatal(err)
				}
				hop = importSheet(t, buf.Bytes(), tc.format)
				var c []string
				for _, d := range hop {
					seen := map[string]bool{}
					for _, f := range d.SourceFields {
						if seen[f.Column] {
							t.Errorf("%s: column %q twice in source fields %+v", d.Title, f.Column, d.SourceFields)
						}
						seen[f.Column] = true
					}
					c = append(c, fmt.Sprintf("%s:%d", d.Title, len(d.SourceFields)))
				}
				slices.Sort(c)
				counts = append(counts, fmt.Sprint(c))
			}
			if counts[1] != counts[0] || counts[2] != counts[0] {
				t.Errorf("source fields per demand after each move: %v; want the same", counts)
			}
		})
	}
}
