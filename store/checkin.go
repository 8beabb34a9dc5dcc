package store

import (
	"time"

	"github.com/reliefmesh/reliefmesh/relief"
)

// checkoutKey returns the primary key of the check-out entry of task id.
func checkoutKey(id string) string { return "c/" + id }

// checkoutEntry derives the check-out entry of the folded task t
// (relief.CheckoutPending): What relief.ReplyCheckout, waiting on the
// volunteer (To), due at the planned return (Own); What "" (a deletion) when
// the task waits for no check-out. Once overdue it also reaches the
// coordinators (lateStepsOf) and the owner of the task's demand (InboxOf).
func checkoutEntry(t relief.Task) *inboxEntry {
	e := &inboxEntry{Key: checkoutKey(t.ID), Kind: relief.KindTask, ID: t.ID}
	if p, ok := relief.CheckoutPending(t, time.Time{}); ok {
		e.Code, e.What, e.Status, e.Since, e.To = t.Code, relief.ReplyCheckout, t.Status, p.Since.UTC(), p.To
		e.setMore(func(m *entryMore) { m.Own, m.Demand = p.Due.UTC(), t.Demand })
	}
	return e
}

// ownedCheckouts returns the overdue check-out entries at now of tasks
// whose demand member owns (and that do not wait on member already), in
// comparePending order: the entries of late (a prefix of the check-out
// step's entries) whose demand member owns.
func (s *Store) ownedCheckouts(late []*inboxEntry, member string) []*inboxEntry {
	if len(late) == 0 {
		return nil
	}
	ids := make([]string, len(late))
	for i, e := range late {
		ids[i] = e.demand()
	}
	owner := make(map[string]string, len(ids))
	for _, d := range s.DemandsByID(ids) {
		if !d.Owner.IsZero() {
			owner[d.ID] = d.Owner.String()
		}
	}
	var out []*inboxEntry
	for _, e := range late {
		if owner[e.demand()] == member {
			out = append(out, e)
		}
	}
	return out
}
