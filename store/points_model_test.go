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

// TestPointsAsAModel checks the points table, whose demands' awards are kept
// apart from the tasks' since this session, against a model (every entity's
// awards in one map by kind and id): random sets of a demand's or a task's
// awards, some to none, give the same awards per entity, the same
// histories and the same totals.
func TestPointsAsAModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		p := newPointsTable()
		model := map[entityRef][]relief.Earned{}
		members := []ledger.DeviceID{{1}, {2}, {3}}
		rules := []relief.PointRule{relief.RuleReview, relief.RulePublish, relief.RuleTaskDone}
		for range rapid.IntRange(1, 60).Draw(rt, "sets") {
			ref := entityRef{rapid.SampledFrom([]string{relief.KindDemand, relief.KindTask}).Draw(rt, "kind"),
				fmt.Sprintf("e%d", rapid.IntRange(0, 9).Draw(rt, "id"))}
			var now []relief.Earned
			for k := range rapid.IntRange(0, 3).Draw(rt, "awards") {
				rule := rapid.SampledFrom(rules).Draw(rt, "rule")
				now = append(now, relief.Earned{Member: rapid.SampledFrom(members).Draw(rt, "member"),
					Award: relief.Award{Rule: rule, Kind: ref.kind, Entity: ref.id, At: ledger.Stamp{Wall: int64(1000 + k)}, Points: rule.Points()}})
			}
			p.set(ref.kind, ref.id, now)
			if len(now) == 0 {
				delete(model, ref)
			} else {
				model[ref] = now
			}
		}
		got := map[entityRef][]relief.Award{}
		for ref, as := range p.entities() {
			if len(as) == 0 {
				rt.Errorf("%v: listed with no awards", ref)
			}
			for _, a := range as {
				got[ref] = append(got[ref], p.award(ref, a))
			}
			if !slices.Equal(p.awardsOf(ref), as) {
				rt.Errorf("%v: awardsOf differs from the listing", ref)
			}
		}
		want := map[entityRef][]relief.Award{}
		totals := map[ledger.DeviceID]int{}
		for ref, es := range model {
			for _, e := range es {
				want[ref] = append(want[ref], e.Award)
				totals[e.Member] += e.Award.Points
			}
		}
		if !maps.EqualFunc(got, want, func(a, b []relief.Award) bool { return slices.Equal(a, b) }) {
			rt.Fatalf("awards = %v; want %v", got, want)
		}
		for m, id := range p.keys {
			if p.points[m] != totals[id] {
				rt.Errorf("member %v: %d points; want %d", id, p.points[m], totals[id])
			}
		}
		var hist, wantHist int
		for _, h := range p.histories() {
			hist += len(h)
		}
		for _, es := range model {
			wantHist += len(es)
		}
		if hist != wantHist {
			rt.Errorf("histories hold %d awards; want %d", hist, wantHist)
		}
	})
}
