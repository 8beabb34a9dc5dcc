package relief

import "testing"

// The fold reads the title twice: once without the owner (is the demand
// created?), once with the owner at each write's position. An owner's title
// edit stands only in the second reading; the fold must show it, not the
// title the first reading decoded (FoldDemandAllowed skips the second decode
// only when both readings stand on the very same write).
func TestOwnersTitleEditIsShown(t *testing.T) {
	w := seeded(t)
	w.do(coord, 5, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "口罩", FieldDistrict: "武昌"})))
	w.do(rev, 6, tr(t, "d", ActionApprove, Args{}))
	w.do(rev, 7, tr(t, "d", ActionPublish, Args{}))
	w.do(vol, 8, tr(t, "d", ActionClaim, Args{}))
	w.do(vol, 9, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "N95 口罩"})))
	d := w.demand("d")
	if d.Owner != vol {
		t.Fatalf("owner %s; want the volunteer who claimed it", d.Owner.Short())
	}
	if d.Title != "N95 口罩" || d.Uncreated {
		t.Fatalf("title %q (uncreated %v); want the owner's edit %q", d.Title, d.Uncreated, "N95 口罩")
	}
	for _, c := range d.Conflicts {
		if c.Field == FieldTitle {
			t.Fatalf("the owner's title edit was refused: %+v", c)
		}
	}
	// a later edit by a volunteer who neither created nor owns it is refused:
	// the title shown is the owner's, which the first reading never saw
	w.do(vol2, 10, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "别人的标题"})))
	if d = w.demand("d"); d.Title != "N95 口罩" {
		t.Fatalf("title %q after a refused edit; want the owner's %q", d.Title, "N95 口罩")
	}
}
