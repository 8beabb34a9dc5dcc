package store

import (
	"cmp"
	"slices"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// The demand entries the inbox makes from the demand rows.
//
// Each demand that waits for a review, a publication or a claim
// (relief.Waiting) or for its owner's follow-up (relief.OwnerPending) had a
// main inbox entry ("d/<id>") stored in the inbox view, and each published
// or in-progress demand a re-check entry ("r/<id>",
// relief.RecheckPending): at 300,000 demands 80–92 MB of the idle heap
// (232-byte entries, their keys, their slots in two or three B-trees). Every
// field of those entries is on the demand's row (id, code, status, owner,
// what it waits for and since when, since when its re-check and its
// follow-up wait), and the demand table keeps the rows of each step in the
// step's order (its wait lists, which the demand list sorts by reply-by
// with, and its lists of re-checks and follow-ups: demandTable.later). So
// those entries are no longer stored: the inbox's readers take the rows of
// a step from the table and make the entries of the part they show
// (rowEntry), due by the deadlines of the moment. A demand's main entry that
// waits on a transfer request (relief.ReplyTransfer) is still stored, as are
// the notices, the tasks' entries and the rest.
//
// The inbox's watchers and page cache see a change of those steps as they
// saw a change of the stored entries: every write of demand entries
// (putDemands, setDemands) publishes the inbox view again, after the rows
// are in the table.

// rowStep reports whether the inbox makes the entries of step what from the
// demand rows rather than storing them.
func rowStep(what string) bool {
	switch what {
	case relief.ReplyReview, relief.ReplyPublish, relief.ReplyClaim, relief.ReplyRecheck, relief.ReplyFollowUp:
		return true
	}
	return false
}

// rowSince returns since when the entry of step what (a rowStep) of r's
// demand waits, in Unix milliseconds.
func rowSince(r *demandRow, what string) int64 {
	switch what {
	case relief.ReplyRecheck:
		return r.recheck
	case relief.ReplyFollowUp:
		return r.followUp
	}
	return r.waitSince
}

// rowEntry returns the inbox entry of step what (a rowStep) of r's demand,
// as putEntry stored it, due by dl.
func rowEntry(r *demandRow, what string, dl relief.Deadlines) *inboxEntry {
	e := &inboxEntry{Kind: relief.KindDemand, ID: r.id, Code: r.code, What: what, Status: r.status}
	switch what {
	case relief.ReplyRecheck:
		e.Key, e.Since = recheckKey(r.id), r.recheckSince()
	case relief.ReplyFollowUp:
		e.Key, e.Since, e.Recheck = entryKey(relief.KindDemand, r.id), time.UnixMilli(r.followUp).UTC(), r.recheckSince()
		e.To, _ = ledger.ParseDeviceID(r.owner) // the row's owner is a DeviceID's String
	default:
		e.Key, e.Since, e.Recheck = entryKey(relief.KindDemand, r.id), r.since(), r.recheckSince()
	}
	e.derive(dl)
	return e
}

// allStepRows returns the rows of every step in whats (rowSteps), all of
// each in the step's order, read under one hold of x.mu: one
// state of the table, so that a demand moving from one step to another
// while they are read shows in exactly one of them (inboxList).
func (x *demandIndex) allStepRows(whats []string) map[string][]*demandRow {
	out := make(map[string][]*demandRow, len(whats))
	x.mu.RLock()
	x.stepsRead.Store(true)
	for _, what := range whats {
		out[what] = x.t.stepRowsLocked(what, 0, nil, nil)
	}
	x.mu.RUnlock()
	for what, rows := range out {
		out[what] = sortStep(what, rows, 0)
	}
	return out
}

// stepReq is one step read by readSteps: stepRowsLocked's arguments.
type stepReq struct {
	what        string
	limit       int
	until, skip func(*demandRow) bool
}

// readSteps returns, for each of reqs, the entries of the rows
// stepRowsLocked and sortStep give, due by dl, every step read under one hold of x.mu: one state of the
// table, so that a demand moving from one step to another while they are
// read shows in one of them (InboxOf).
func (x *demandIndex) readSteps(reqs []stepReq, dl relief.Deadlines) [][]*inboxEntry {
	rows := make([][]*demandRow, len(reqs))
	x.mu.RLock()
	x.stepsRead.Store(true)
	for i, q := range reqs {
		rows[i] = x.t.stepRowsLocked(q.what, q.limit, q.until, q.skip)
	}
	x.mu.RUnlock()
	out := make([][]*inboxEntry, len(reqs))
	for i, q := range reqs {
		rs := sortStep(q.what, rows[i], q.limit)
		out[i] = make([]*inboxEntry, len(rs))
		for j, r := range rs {
			out[i][j] = rowEntry(r, q.what, dl)
		}
	}
	return out
}

// stepRowsLocked returns the rows of the demands whose entry of step what
// (a rowStep) the inbox makes from them, with the index's lock held, not yet
// in the step's order nor cut to limit (sortStep does both after the lock is
// released): all when limit ≤ 0, else the first limit and the rows tied
// with the last. until, when not nil, ends the list at the first row for
// which it reports true (a condition that holds from some row on, as "not
// overdue at now" does); skip, when not nil, leaves out the rows for which
// it reports true (they do not count in the limit). The rows are never
// changed once in the table (setLater replaces them): they are read after
// the lock is released.
func (t *demandTable) stepRowsLocked(what string, limit int, until, skip func(*demandRow) bool) []*demandRow {
	var list []uint32
	switch what {
	case relief.ReplyRecheck:
		list = t.later[listRecheck]
	case relief.ReplyFollowUp:
		list = t.later[listFollowUp]
	default:
		list = t.waits[waitKindOf(what)]
	}
	var out []*demandRow
	for _, s := range list {
		r := t.slots[s]
		if until != nil && until(r) {
			break
		}
		if skip != nil && skip(r) {
			continue
		}
		// past the limit, only rows waiting since the same time as the
		// last may still come before it (ties are ordered by id below)
		if limit > 0 && len(out) >= limit && rowSince(r, what) != rowSince(out[len(out)-1], what) {
			break
		}
		out = append(out, r)
	}
	return out
}

// sortStep orders out, the rows stepRowsLocked read for step what, in the
// step's order, and cuts it to limit (when > 0).
func sortStep(what string, out []*demandRow, limit int) []*demandRow {
	if waitKindOf(what) != waitNone { // the wait lists order ties newest first
		slices.SortStableFunc(out, func(a, b *demandRow) int {
			return cmp.Or(cmp.Compare(a.waitSince, b.waitSince), cmp.Compare(a.id, b.id))
		})
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// notOverdue returns the condition "the entry of step what of the row is
// not overdue at now", due by dl, for readSteps.
func notOverdue(what string, dl relief.Deadlines, now time.Time) func(*demandRow) bool {
	return func(r *demandRow) bool {
		return !now.After(dl.Due(what, time.UnixMilli(rowSince(r, what)).UTC()))
	}
}

// ownedBy returns the condition "the row's owner is member", for readSteps.
func ownedBy(member ledger.DeviceID) func(*demandRow) bool {
	m := member.String()
	return func(r *demandRow) bool { return r.owner == m }
}

// setDemandEntries makes entries (every demand's main entry, demandEntry's)
// the inbox entries of every demand (views.setDemands), after setting from
// them what the rows of those demands need for the entries the inbox makes
// from them (setLater). Called with s.mu held, or by settleOpen while every
// writer waits for it.
func (s *Store) setDemandEntries(entries []*inboxEntry) error {
	s.idx.setLater(entries)
	return s.views.setDemands(entries)
}

// setLater sets each row's re-check and follow-up times and whether a
// transfer request is open from its demand's main entry in entries, and
// lists the rows again (demandTable.later). The rows of a views snapshot
// hold only their resident fields (packReader.key): the times come from
// the snapshot's entries instead (a row folded from its record has them
// already, and the entry agrees). Once the inbox's steps have been read
// (x.stepsRead) a row whose fields change is replaced by a copy (under
// x.mu), never written: readers hold rows after the lock is released
// (readSteps, allStepRows). Before (the open's settle, which every inbox
// query waits for) the rows are written in place: at 300,000 demands an
// open from a views snapshot sets the times of ≈ 96,000 rows, whose copies
// cost 23.5 MiB of idle heap (the rows' slab stays whole). Called with
// every writer waiting.
func (x *demandIndex) setLater(entries []*inboxEntry) {
	x.mu.Lock()
	defer x.mu.Unlock()
	t := x.t
	changed := false
	for _, e := range entries {
		r, _ := t.row(e.ID)
		if r == nil || e.Key != entryKey(relief.KindDemand, e.ID) {
			continue
		}
		recheck, followUp, transfer := r.recheck, r.followUp, e.What == relief.ReplyTransfer
		if !e.Recheck.IsZero() {
			recheck = e.Recheck.UnixMilli()
		}
		switch {
		case e.What == relief.ReplyFollowUp:
			followUp = e.Since.UnixMilli()
		case r.followsUp(): // no follow-up entry: none is pending
			followUp = 0
		}
		if recheck != r.recheck || followUp != r.followUp || transfer != r.transfer {
			if x.stepsRead.Load() {
				// a new row in the old one's place, never a write into the
				// old: an inbox list may hold it, unlocked
				nr := *r
				r = &nr
				t.slots[r.slot] = r // byID keeps the slot
			}
			r.recheck, r.followUp, r.transfer = recheck, followUp, transfer
			changed = true
		}
	}
	if !changed {
		return
	}
	for l := range rowLists {
		t.later[l] = t.later[l][:0]
	}
	for _, s := range t.order {
		for l := range rowLists {
			if in, _ := t.slots[s].inList(l); in {
				t.later[l] = append(t.later[l], s)
			}
		}
	}
	for l := range rowLists {
		slices.SortFunc(t.later[l], t.cmpLater(l))
	}
}
