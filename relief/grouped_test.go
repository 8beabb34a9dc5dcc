package relief

import (
	"slices"
	"testing"
)

// A refused edit of several fields is one inbox entry listing its fields,
// not one per field (found by a tester: an observer's edit of N fields gave
// N conflict lines), and one ack covers them all.
func TestRefusedEditIsOneNotice(t *testing.T) {
	w := seeded(t)
	w.do(coord, 10, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "N95 masks", FieldDescription: "200 boxes", FieldAddress: "1 Main St"})))
	w.do(obs, 20, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "forged", FieldDescription: "forged too", FieldAddress: "nowhere"})))
	d := w.demand("d")
	if len(d.Conflicts) != 3 {
		t.Fatalf("FoldDemand(observer's edit of 3 fields) conflicts = %v; want 3, one per field", d.Conflicts)
	}
	want := []string{FieldAddress, FieldDescription, FieldTitle}
	for _, who := range []struct {
		name string
		ns   []Pending
	}{{"obs", noticesOf(w, obs, d)}, {"coord2", noticesOf(w, coord2, d)}} {
		if len(who.ns) != 1 {
			t.Fatalf("Inbox(%s) = %+v; want one conflict entry for the one refused change", who.name, who.ns)
		}
		n := who.ns[0].Notice
		if !slices.Equal(n.Fields, want) || n.Conflict == nil || n.Conflict.By != obs {
			t.Errorf("Inbox(%s) notice = %+v; want obs's edit listing fields %v", who.name, n, want)
		}
	}
	ref := noticesOf(w, obs, d)[0].Ref
	w.do(coord2, 30, tr(t, "d", ActionAckConflict, Args{Ref: ref}))
	d = w.demand("d")
	if got := noticesOf(w, obs, d); len(got) != 0 {
		t.Errorf("Inbox(obs) after one ack of %q = %+v; want none", ref, got)
	}
	for _, c := range d.Conflicts {
		if c.AckedBy != coord2 {
			t.Errorf("conflict %+v after the group's ack: AckedBy = %v; want coord2", c, c.AckedBy)
		}
	}
}
