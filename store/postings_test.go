package store

import (
	"maps"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// TestGramIndexAfterEdits: a bigram index loaded from packed postings (in
// place or copied) and then changed by rows replaced, added and removed
// (demandTable.addGrams, dropGrams) answers every bigram as the postings of
// the texts it ends with, built afresh (rapid).
func TestGramIndexAfterEdits(t *testing.T) {
	alphabet := []rune("救援物资帐篷水药品ab\x00")
	rapid.Check(t, func(rt *rapid.T) {
		text := rapid.StringOfN(rapid.SampledFrom(alphabet), 0, 10, -1)
		texts := rapid.SliceOfN(text, 0, 30).Draw(rt, "texts")
		x, _, err := indexPostings(packPostings(texts), len(texts), rapid.Bool().Draw(rt, "in place"))
		if err != nil {
			rt.Fatalf("indexPostings = %v", err)
		}
		tab := &demandTable{grams: x}
		live := map[uint32]string{}
		for i, s := range texts {
			live[uint32(i)] = s
		}
		next := uint32(len(texts))
		for range rapid.IntRange(0, 20).Draw(rt, "edits") {
			switch op := rapid.IntRange(0, 2).Draw(rt, "op"); {
			case op == 0 && len(live) > 0: // a row's text changes
				slot := rapid.SampledFrom(slices.Sorted(maps.Keys(live))).Draw(rt, "slot")
				tab.dropGrams(&demandRow{slot: slot, text: live[slot]})
				live[slot] = text.Draw(rt, "new text")
				tab.addGrams(&demandRow{slot: slot, text: live[slot]})
			case op == 1 && len(live) > 0: // a row goes
				slot := rapid.SampledFrom(slices.Sorted(maps.Keys(live))).Draw(rt, "gone")
				tab.dropGrams(&demandRow{slot: slot, text: live[slot]})
				delete(live, slot)
			default: // a row comes
				live[next] = text.Draw(rt, "added")
				tab.addGrams(&demandRow{slot: next, text: live[next]})
				next++
			}
		}
		want := map[uint64][]uint32{}
		for _, slot := range slices.Sorted(maps.Keys(live)) {
			for _, g := range gramsOf(nil, live[slot]) {
				want[g] = append(want[g], slot)
			}
		}
		for _, a := range alphabet {
			for _, b := range alphabet {
				g := gram(a, b)
				got, ok := x.get(g)
				if ok != (len(want[g]) > 0) || !slices.Equal(got, want[g]) {
					rt.Fatalf("bigram %q: %v, %v; want %v", string([]rune{a, b}), got, ok, want[g])
				}
			}
		}
	})
}
