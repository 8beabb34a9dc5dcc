package store

import (
	"fmt"
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestDemandsAlsoIDs: DemandQuery.AlsoIDs (the desk's hits in the contacts it
// opens) match besides the text, in every plan of the query: few candidates
// (sorted), many (the order walked), a single-character text (no
// candidates), the urgency order and a code; the other filters apply to
// them; the total counts each demand once; without text they are ignored.
func TestDemandsAlsoIDs(t *testing.T) {
	clk := newClock()
	s := openStore(t, t.TempDir(), clk)
	s.CreateNetwork("n", "me")
	var ids []string
	for i := range 40 {
		d := sampleDemand(fmt.Sprintf("第%d医院 口罩", i))
		if i%2 == 1 {
			d.Category = "food_water"
		}
		d.Urgency = []relief.Urgency{relief.UrgencyLow, relief.UrgencyCritical}[i%4/2]
		clk.advance(1e9)
		rec, err := s.RecordDemand(d)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, rec.ID)
	}
	newest := func(in ...string) []string { // in the default order: newest first
		out := slices.Clone(in)
		slices.SortFunc(out, func(a, b string) int { return slices.Index(ids, b) - slices.Index(ids, a) })
		return out
	}
	idsOf := func(ds []relief.Demand) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.ID)
		}
		return out
	}
	also := []string{ids[3], ids[4], ids[30], "no-such-demand"}
	for _, tc := range []struct {
		name string
		q    DemandQuery
		want []string
	}{
		{"few candidates, sorted", DemandQuery{Text: "帐篷", AlsoIDs: also[:1]}, []string{ids[3]}},
		{"few candidates and a text hit", DemandQuery{Text: "第39医院", AlsoIDs: also[:1]}, []string{ids[39], ids[3]}},
		{"more candidates", DemandQuery{Text: "第12医院", AlsoIDs: also}, newest(ids[12], ids[3], ids[4], ids[30])},
		{"a hit of both counted once", DemandQuery{Text: "第3医院", AlsoIDs: also}, newest(ids[3], ids[4], ids[30])},
		{"many candidates", DemandQuery{Text: "口罩", AlsoIDs: also}, newest(ids...)},
		{"one character", DemandQuery{Text: "罩", AlsoIDs: also[:1]}, newest(ids...)},
		{"nothing of the text", DemandQuery{Text: "帐篷", AlsoIDs: also}, newest(ids[3], ids[4], ids[30])},
		{"other filters apply", DemandQuery{Text: "帐篷", Category: "food_water", AlsoIDs: also}, []string{ids[3]}},
		{"urgency order", DemandQuery{Text: "帐篷", Sort: SortUrgency, AlsoIDs: also}, []string{ids[30], ids[3], ids[4]}},
		{"with a code", DemandQuery{Text: "帐篷", Code: relief.Code(relief.KindDemand, ids[4]), AlsoIDs: also}, []string{ids[4]}},
		{"without text, ignored", DemandQuery{Category: "food_water", AlsoIDs: also, Limit: 1}, newest(ids[39])},
	} {
		page, total, err := s.DemandsPage(tc.q)
		if got := idsOf(page); err != nil || !slices.Equal(got, tc.want) || (tc.q.Limit == 0 && total != len(tc.want)) {
			t.Errorf("%s: %v (total %d), %v; want %v", tc.name, got, total, err, tc.want)
		}
	}
	// Pages: the total stays, the hits are paged in their order.
	var paged []string
	for off := 0; off < 4; off += 2 {
		page, total, err := s.DemandsPage(DemandQuery{Text: "第12医院", AlsoIDs: also, Offset: off, Limit: 2})
		if err != nil || total != 4 {
			t.Fatalf("page at %d: total %d, %v; want 4", off, total, err)
		}
		paged = append(paged, idsOf(page)...)
	}
	if want := newest(ids[12], ids[3], ids[4], ids[30]); !slices.Equal(paged, want) {
		t.Errorf("pages = %v; want %v", paged, want)
	}
}
