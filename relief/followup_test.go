package relief

import (
	"testing"
	"time"
)

// ownedDemand records demand id at t0 (by coord), approves and publishes it,
// and has vol claim it at t0+1h.
func ownedDemand(t *testing.T, w *world, id string) {
	t.Helper()
	w.do(coord, at(0), must(SetFields(KindDemand, id, map[string]any{
		FieldTitle: "N95 masks", FieldItems: []Item{{Name: "masks", Unit: "box"}},
	})))
	w.do(rev, at(10*time.Minute), tr(t, id, ActionApprove, Args{}))
	w.do(rev, at(20*time.Minute), tr(t, id, ActionPublish, Args{}))
	w.do(vol, at(time.Hour), tr(t, id, ActionClaim, Args{}))
}

// TestClaimWithoutProgressIsOverdue is scenario 3 of issue 12: ten days after
// a claim with no progress the demand must be overdue, in the owner's and in
// the coordinators' inboxes (on main it was in no inbox and not overdue).
func TestClaimWithoutProgressIsOverdue(t *testing.T) {
	w := seeded(t)
	ownedDemand(t, w, "d")
	ds := []Demand{w.demand("d")}
	now := t0.Add(time.Hour + 10*24*time.Hour)
	has := func(ps []Pending) bool {
		for _, p := range ps {
			if p.ID == "d" && p.Overdue && p.To == vol {
				return true
			}
		}
		return false
	}
	if got := Inbox(vol, w.roster(), ds, nil, DefaultDeadlines(), now); !has(got) {
		t.Errorf("Inbox(owner, claim + 10 days) = %+v; want d overdue, waiting on the owner", got)
	}
	if got := Inbox(coord2, w.roster(), ds, nil, DefaultDeadlines(), now); !has(got) {
		t.Errorf("Inbox(coordinator, claim + 10 days) = %+v; want d overdue, waiting on the owner", got)
	}
	if got := Overdue(ds, nil, DefaultDeadlines(), now); !has(got) {
		t.Errorf("Overdue(claim + 10 days) = %+v; want d overdue, waiting on the owner", got)
	}
	// Another volunteer is not a coordinator: not in their inbox.
	if got := Inbox(vol2, w.roster(), ds, nil, DefaultDeadlines(), now); has(got) {
		t.Errorf("Inbox(other volunteer) = %+v; want no follow-up of d", got)
	}
}
