package store

import (
	"fmt"
	"slices"
	"testing"
	"unsafe"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestRowsShareActorSets: the demand table's rows with the same actors
// share one copy of them, with no room past its end, after a bulk build,
// rows added, rows whose actors change and rows removed; each row's actors
// are still the set it was made with, and the actor index (a member → the
// slots of the rows whose fold depends on them) still matches the rows.
// Rows made apart, with their own slices, fail the sharing check.
func TestRowsShareActorSets(t *testing.T) {
	pool := []ledger.DeviceID{{1}, {2}, {3}, {4}}
	rapid.Check(t, func(rt *rapid.T) {
		next := 0
		drawRow := func(label string) (*demandRow, []ledger.DeviceID) {
			var set []ledger.DeviceID // sorted and distinct, as actorsOf gives them
			for _, m := range pool {
				if rapid.Bool().Draw(rt, label) {
					set = append(set, m)
				}
			}
			next++
			r := newDemandRow(relief.Demand{ID: fmt.Sprintf("d%04d", next), Title: "口罩", Status: relief.StatusCollected,
				CreatedAt: ledger.Stamp{Wall: int64(next)}})
			r.actors = slices.Clone(set) // a slice of its own, as a fold or a snapshot's decoder makes it
			return r, set
		}
		want := map[string][]ledger.DeviceID{}
		var rows []*demandRow
		for range rapid.IntRange(0, 12).Draw(rt, "bulk") {
			r, set := drawRow("bulk actor")
			rows = append(rows, r)
			want[r.id] = set
		}
		tab := buildTable(rows)
		check := func(when string) {
			seen := map[string][]ledger.DeviceID{} // set's bytes → the first row's slice
			index := map[ledger.DeviceID][]uint32{}
			for id, set := range want {
				r, _ := tab.row(id)
				if r == nil {
					rt.Fatalf("%s: row %s missing", when, id)
				}
				if !slices.Equal(r.actors, set) {
					rt.Fatalf("%s: row %s's actors %v; want %v", when, id, r.actors, set)
				}
				if len(set) == 0 {
					continue
				}
				if cap(r.actors) != len(r.actors) {
					rt.Fatalf("%s: row %s's actors have room past their end (cap %d, len %d)", when, id, cap(r.actors), len(r.actors))
				}
				k := fmt.Sprint(set)
				if s, ok := seen[k]; ok && unsafe.SliceData(s) != unsafe.SliceData(r.actors) {
					rt.Fatalf("%s: rows with actors %v hold two copies", when, set)
				}
				seen[k] = r.actors
				for _, m := range set {
					index[m] = append(index[m], r.slot)
				}
			}
			for _, m := range pool {
				got, w := slices.Sorted(slices.Values(tab.actors[m])), slices.Sorted(slices.Values(index[m]))
				if !slices.Equal(got, w) {
					rt.Fatalf("%s: actor index of %v = %v; want %v", when, m[0], got, w)
				}
			}
		}
		check("after the bulk build")
		for range rapid.IntRange(1, 20).Draw(rt, "steps") {
			ids := make([]string, 0, len(want))
			for id := range want {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			switch a := rapid.IntRange(0, 2).Draw(rt, "action"); {
			case a == 0 || len(ids) == 0: // a new row
				r, set := drawRow("new actor")
				tab.put([]*demandRow{r})
				want[r.id] = set
			case a == 1: // a row folded again, its actors drawn anew
				id := rapid.SampledFrom(ids).Draw(rt, "refold")
				r, set := drawRow("refold actor")
				old, _ := tab.row(id)
				r.id, r.code, r.created = id, old.code, old.created
				tab.put([]*demandRow{r})
				want[id] = set
			default: // removed
				id := rapid.SampledFrom(ids).Draw(rt, "remove")
				tab.remove([]string{id})
				delete(want, id)
			}
			check("after a step")
		}
	})
}
