package store

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestDemandTableLookupsModel: the demand table's lookups by id (row,
// rowCount) and by code (withCode) agree with a plain map of the rows put
// and not removed, after a bulk build, rows added, rows replaced (some with
// another creation stamp, which moves them in the order) and rows removed
// (ids held or not, the same id twice), whose slots are then used again.
// Codes collide on purpose (five codes for sixty ids).
func TestDemandTableLookupsModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		model := map[string]*demandRow{}
		mk := func(label string) *demandRow {
			n := rapid.IntRange(0, 60).Draw(rt, label+" id")
			d := relief.Demand{ID: fmt.Sprintf("d%03d", n), Title: "口罩", Status: relief.StatusCollected,
				Code: fmt.Sprintf("C%d", n%5), // a demand's code is its id's (relief.Code): never another

				CreatedAt: ledger.Stamp{Wall: int64(rapid.IntRange(1, 40).Draw(rt, label+" created"))}}
			return newDemandRow(d)
		}
		var bulk []*demandRow
		for range rapid.IntRange(0, 30).Draw(rt, "bulk") {
			r := mk("bulk")
			if model[r.id] != nil {
				continue // distinct ids
			}
			model[r.id] = r
			bulk = append(bulk, r)
		}
		tab := buildTable(bulk)
		check := func(when string) {
			if got := tab.rowCount(); got != len(model) {
				rt.Fatalf("%s: %d rows; want %d", when, got, len(model))
			}
			for n := range 61 {
				id := fmt.Sprintf("d%03d", n)
				r, ok := tab.row(id)
				want := model[id]
				if ok != (want != nil) || r != want {
					rt.Fatalf("%s: row(%s) = %p, %v; want %p", when, id, r, ok, want)
				}
			}
			for c := range 5 {
				code := fmt.Sprintf("C%d", c)
				var want []uint32
				for _, r := range model {
					if r.code == code {
						want = append(want, r.slot)
					}
				}
				slices.Sort(want)
				if got := tab.withCode(code); !slices.Equal(got, want) {
					rt.Fatalf("%s: withCode(%s) = %v; want %v", when, code, got, want)
				}
			}
		}
		check("after the build")
		for step := range rapid.IntRange(0, 40).Draw(rt, "steps") {
			if rapid.IntRange(0, 2).Draw(rt, "remove?") == 0 {
				var ids []string
				for range rapid.IntRange(1, 4).Draw(rt, "removed") {
					ids = append(ids, fmt.Sprintf("d%03d", rapid.IntRange(0, 60).Draw(rt, "removed id")))
				}
				tab.remove(ids)
				for _, id := range ids {
					delete(model, id)
				}
				check(fmt.Sprintf("step %d: remove %v", step, ids))
				continue
			}
			put := map[string]*demandRow{}
			for range rapid.IntRange(1, 5).Draw(rt, "put") {
				r := mk("put")
				put[r.id] = r
			}
			rows := slices.Collect(maps.Values(put))
			tab.put(rows)
			maps.Copy(model, put)
			check(fmt.Sprintf("step %d: put %d rows", step, len(rows)))
		}
	})
}

// TestSimilarViewNumbersModel: the duplicate-key view numbers every id it
// meets once, in the order it meets them, and keeps the numbers (numOf, ids)
// through puts, a demand no longer an original, and resets (the open's
// build, a roster change's, a cut's that drops demands); item reports a
// likeness only for the ids whose last entry was an original.
func TestSimilarViewNumbersModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var v similarView
		num := map[string]uint32{}
		orig := map[string]bool{}
		entry := func(label string) similarEntry {
			n := rapid.IntRange(0, 50).Draw(rt, label+" id")
			e := similarEntry{id: fmt.Sprintf("d%03d", n), original: rapid.Bool().Draw(rt, label+" original")}
			if e.original {
				e.item.created = ledger.Stamp{Wall: int64(rapid.IntRange(1, 30).Draw(rt, label+" created"))}
				e.item.open, e.item.flaggable = true, true
				e.item.like = relief.Likeness{Phones: []string{fmt.Sprintf("1380000000%d", rapid.IntRange(0, 3).Draw(rt, label+" phone"))}}
			}
			return e
		}
		meet := func(es []similarEntry) {
			for _, e := range es {
				if _, ok := num[e.id]; !ok {
					num[e.id] = uint32(len(num))
				}
			}
		}
		for step := range rapid.IntRange(1, 30).Draw(rt, "steps") {
			var es []similarEntry
			seen := map[string]bool{}
			for range rapid.IntRange(0, 8).Draw(rt, "entries") {
				e := entry("entry")
				if seen[e.id] {
					continue // distinct ids, as similarOf gives them
				}
				seen[e.id] = true
				es = append(es, e)
			}
			if rapid.IntRange(0, 3).Draw(rt, "reset?") == 0 {
				meet(es)
				v.reset(es)
				clear(orig)
			} else {
				meet(es)
				v.put(es)
			}
			for _, e := range es {
				orig[e.id] = e.original
			}
			v.settle()
			for n := range 51 {
				id := fmt.Sprintf("d%03d", n)
				got, ok := v.numOf(id)
				want, wok := num[id]
				if ok != wok || got != want {
					rt.Fatalf("step %d: numOf(%s) = %d, %v; want %d, %v", step, id, got, ok, want, wok)
				}
				if ok && v.ids[got] != id {
					rt.Fatalf("step %d: ids[%d] = %s; want %s", step, got, v.ids[got], id)
				}
				if _, has := v.item(id); has != orig[id] {
					rt.Fatalf("step %d: item(%s) held %v; want %v", step, id, has, orig[id])
				}
			}
		}
	})
}
