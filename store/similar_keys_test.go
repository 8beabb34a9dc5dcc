package store

import (
	"maps"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// TestKeyListsAsAMap: keyLists answers as the map of slices it replaced
// (kept here as the model) after random inserts and deletions as the view
// makes them (a list read, changed into a new one or a copy, set back), a
// bulk build frozen, and freezes again when the changed keys outgrow the
// frozen ones (keyOverMin drawn small, down to 0). Every key's list is
// compared after each step, so a frozen list changed in place through
// another key's (they share one array) shows.
func TestKeyListsAsAMap(t *testing.T) {
	defer func(m int) { keyOverMin = m }(keyOverMin)
	rapid.Check(t, func(rt *rapid.T) {
		keyOverMin = rapid.IntRange(0, 6).Draw(rt, "keyOverMin")
		model := map[uint64][]uint32{}
		var k keyLists
		hash := rapid.Uint64Range(0, 12)
		num := rapid.Uint32Range(0, 20)
		check := func(when string) {
			for h := range uint64(13) {
				if got, want := k.get(h), model[h]; !slices.Equal(got, want) {
					rt.Fatalf("%s: key %d = %v; want %v", when, h, got, want)
				}
			}
			var keys []uint64
			for h, l := range k.all() {
				if len(l) > 0 {
					keys = append(keys, h)
				}
			}
			if want := slices.Sorted(maps.Keys(model)); !slices.Equal(keys, want) {
				rt.Fatalf("%s: keys %v; want %v", when, keys, want)
			}
		}
		if rapid.Bool().Draw(rt, "bulk") { // as reset builds it
			k.over = map[uint64][]uint32{}
			for range rapid.IntRange(0, 30).Draw(rt, "bulk size") {
				h, n := hash.Draw(rt, "hash"), num.Draw(rt, "num")
				if !slices.Contains(model[h], n) {
					k.over[h] = append(k.over[h], n)
					model[h] = append(model[h], n)
				}
			}
			k.freeze()
			check("after the bulk build")
		}
		for range rapid.IntRange(1, 60).Draw(rt, "steps") {
			h, n := hash.Draw(rt, "hash"), num.Draw(rt, "num")
			l := k.get(h)
			if i := slices.Index(l, n); i >= 0 { // drop, as similarView.drop
				if _, own := k.over[h]; !own {
					l = slices.Clone(l)
				}
				k.set(h, slices.Delete(l, i, i+1))
				m := slices.Delete(slices.Clone(model[h]), i, i+1)
				if len(m) == 0 {
					delete(model, h)
				} else {
					model[h] = m
				}
			} else { // insert at a drawn place, as similarView.put
				at := rapid.IntRange(0, len(l)).Draw(rt, "at")
				k.set(h, slices.Insert(l, at, n))
				model[h] = slices.Insert(slices.Clone(model[h]), at, n)
			}
			check("after a step")
		}
		k.freeze()
		check("after the last freeze")
		if len(k.over) != 0 || len(k.hashes) != len(model) {
			rt.Fatalf("frozen: %d changed keys, %d hashes; want 0 and %d", len(k.over), len(k.hashes), len(model))
		}
	})
}

// TestSimilarViewFrozenOften: with the duplicate-key view's lists frozen
// again after almost every change (keyOverMin 0), the similar demands and
// the duplicate flags are still those of a scan and of every pair compared.
func TestSimilarViewFrozenOften(t *testing.T) {
	defer func(m int) { keyOverMin = m }(keyOverMin)
	keyOverMin = 0
	t.Run("flags", TestFlagsSortedScanAgrees)
	t.Run("similar", TestSimilarViewMatchesScan)
	t.Run("any order", TestDuplicateFlagsAnyOrder)
}
