package relief

import (
	"slices"
	"testing"
)

// TestEditsListWhoChangedWhat: the signed history lists each edit after the
// creation, by operation, with its fields, and not a write the fold refused
// (a tester found no field edit at all in 签名记录).
func TestEditsListWhoChangedWhat(t *testing.T) {
	w := seeded(t)
	w.do(coord, 10, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "协和医院 N95", FieldCategory: "protective_equipment"})))
	w.do(vol, 11, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "not allowed"}))) // neither creator nor owner
	edit := w.do(coord, 12, must(SetFields(KindDemand, "d", map[string]any{FieldUrgency: "high", FieldTitle: "协和医院 N95 口罩"})))
	again := w.do(coord, 13, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "协和医院 N95 口罩 5000"})))

	d := w.demand("d")
	got := Edits(w.rec(KindDemand, "d"), d.Conflicts)
	if len(got) != 2 || got[0].Meta != edit || !slices.Equal(got[0].Fields, []string{FieldTitle, FieldUrgency}) ||
		got[1].Meta != again || !slices.Equal(got[1].Fields, []string{FieldTitle}) {
		t.Fatalf("Edits(allowed) = %+v; want coord's two edits (title and urgency, then title), not the creation nor vol's refused write", got)
	}
	if all := Edits(w.rec(KindDemand, "d"), nil); len(all) != 3 {
		t.Errorf("Edits without the conflicts = %+v; want three (vol's refused write too)", all)
	}
}
