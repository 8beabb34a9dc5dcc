package relief

import (
	"testing"
	"time"
)

// TestStepsOnAnUncreatedDemand: a demand record holding steps but not the
// change that created it (a revocation undid the creation, or it has not
// arrived yet) is not a demand to act on. A tester saw a reviewer's approve
// survive the revocation of the demand's creator: a blank demand was then
// published and printed in the public bulletin. The steps are conflicts
// (not_created) that reach their authors and the coordinators; nothing waits
// on the blank record; once the creation is there (arrived late, or adopted)
// the same steps apply.
func TestStepsOnAnUncreatedDemand(t *testing.T) {
	w := seeded(t)
	w.do(rev, 10, tr(t, "d", ActionApprove, Args{}))
	w.do(coord, 20, tr(t, "d", ActionPublish, Args{}))
	d := w.demand("d")
	if d.Status != StatusCollected || !d.Uncreated || len(d.Conflicts) != 2 {
		t.Fatalf("FoldDemand(steps without creation) = status %s, uncreated %v, conflicts %v; want collected, true, two", d.Status, d.Uncreated, d.Conflicts)
	}
	for _, c := range d.Conflicts {
		if c.Reason != ReasonNotCreated {
			t.Errorf("conflict %s: reason %s; want %s", c.Action, c.Reason, ReasonNotCreated)
		}
	}
	now := t0.Add(time.Hour)
	for _, p := range Inbox(rev, w.roster(), []Demand{d}, nil, Deadlines{}, now) {
		if p.What != ReplyConflict {
			t.Errorf("Inbox(reviewer) holds %s of the uncreated demand; want only its conflicts", p.What)
		}
	}
	if _, _, ok := Waiting(d); ok {
		t.Errorf("Waiting(uncreated demand) = true; want nothing to wait for")
	}
	// The creation arrives (dated before the steps): the steps apply.
	w.do(vol, 5, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "N95", FieldItems: []Item{{Name: "masks"}}})))
	d = w.demand("d")
	if d.Status != StatusPublished || d.Uncreated || len(d.Conflicts) != 0 {
		t.Errorf("FoldDemand(with its creation) = status %s, uncreated %v, conflicts %v; want published, false, none", d.Status, d.Uncreated, d.Conflicts)
	}
}
