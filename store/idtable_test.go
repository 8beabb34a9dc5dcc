package store

import (
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// TestIDTableModel: an idTable answers as a Go map of id to number through
// sets (new ids and new numbers of ids held), deletes (held or not) and the
// growths they cause, with its real hash and with hashes that collide on
// few values (long probe runs across the end of the cells, whose deletes
// move cells back); len is the map's.
func TestIDTableModel(t *testing.T) {
	for _, collide := range []bool{false, true} {
		t.Run(fmt.Sprintf("collide=%v", collide), func(t *testing.T) {
			if collide {
				h := idHash
				idHash = func(id string) uint32 { return h(id)%5 + 13 } // homes 13…17 of 16 cells wrap around
				t.Cleanup(func() { idHash = h })
			}
			rapid.Check(t, func(rt *rapid.T) {
				var tab idTable
				model := map[string]uint32{}
				names := map[uint32]string{} // number → id, as the caller keeps them
				idOf := testIDs{rt, names}
				next := uint32(0)
				for step := range rapid.IntRange(0, 300).Draw(rt, "steps") {
					id := fmt.Sprintf("id%d", rapid.IntRange(0, 80).Draw(rt, "id"))
					if rapid.IntRange(0, 2).Draw(rt, "delete?") == 0 {
						_, held := model[id]
						if got := tab.del(id, idOf); got != held {
							rt.Fatalf("step %d: del(%s) = %v; want %v", step, id, got, held)
						}
						if held {
							delete(names, model[id])
							delete(model, id)
						}
					} else {
						old, held := model[id]
						next++
						names[next] = id
						tab.set(id, next, idOf) // the caller still names the old number
						if held {
							delete(names, old)
						}
						model[id] = next
					}
					if tab.len() != len(model) {
						rt.Fatalf("step %d: len %d; want %d", step, tab.len(), len(model))
					}
					for n := range 81 {
						id := fmt.Sprintf("id%d", n)
						got, ok := tab.get(id, idOf)
						want, wok := model[id]
						if ok != wok || got != want {
							rt.Fatalf("step %d: get(%s) = %d, %v; want %d, %v", step, id, got, ok, want, wok)
						}
					}
				}
			})
		})
	}
}

// testIDs is the idSource of TestIDTableModel: a number it does not hold
// fails the test (the table asked the id of a number not in it).
type testIDs struct {
	rt    *rapid.T
	names map[uint32]string
}

func (s testIDs) idOf(n uint32) string {
	id, ok := s.names[n]
	if !ok {
		s.rt.Fatalf("idOf(%d): no such number", n)
	}
	return id
}

// TestDemandAwardsModel: the points table's awards by demand answer as the
// map of id to awards they replace, through awards set, replaced and
// removed (whose numbers are used again), and yield every demand with
// awards once (entities' demand part).
func TestDemandAwardsModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var d demandAwards
		model := map[string][]packedAward{}
		for step := range rapid.IntRange(0, 200).Draw(rt, "steps") {
			id := fmt.Sprintf("d%02d", rapid.IntRange(0, 40).Draw(rt, "id"))
			var as []packedAward
			for k := range rapid.IntRange(0, 3).Draw(rt, "awards") {
				as = append(as, packedAward{member: uint32(step), rule: uint8(k)})
			}
			d.set(id, as)
			if len(as) == 0 {
				delete(model, id)
			} else {
				model[id] = as
			}
			for n := range 41 {
				id := fmt.Sprintf("d%02d", n)
				if got := d.get(id); !slices.Equal(got, model[id]) {
					rt.Fatalf("step %d: get(%s) = %v; want %v", step, id, got, model[id])
				}
			}
			seen := map[string]bool{}
			for n, as := range d.awards {
				if as == nil {
					continue
				}
				id := d.ids[n]
				if seen[id] || !slices.Equal(as, model[id]) {
					rt.Fatalf("step %d: number %d holds %s (seen %v) %v; want once, %v", step, n, id, seen[id], as, model[id])
				}
				seen[id] = true
			}
			if len(seen) != len(model) {
				rt.Fatalf("step %d: %d demands with awards; want %d", step, len(seen), len(model))
			}
		}
	})
}
