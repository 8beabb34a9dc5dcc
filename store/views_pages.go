package store

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// This file answers the paged screens (desk/pages.go) from the views: one
// pass over the compact rows of the index a page reads gives its total and
// the counts of its filter chips, and only the page's records are read from
// Badger.

// VolunteerRowsQuery selects volunteer ids from the view's rows. Empty
// fields select all.
type VolunteerRowsQuery struct {
	Skill  string // a skill the profile lists, exactly as written
	Region string // the profile's region, exactly
	Day    int    // 1–7: has a window on that weekday (1 Sunday … 7 Saturday); 0: any
}

// VolunteerRows is the answer of VolunteerRowsFor: the ids of the matching
// profiles in the list's order (name, then id), the number of profiles in
// the view, and every skill and region of the view, sorted (never nil).
type VolunteerRows struct {
	IDs     []string
	All     int
	Skills  []string
	Regions []string
}

// VolunteerRowsFor reads every row of the volunteer view once, by name, and
// returns the ids that q keeps with the menus' skills and regions. It reads
// no record: 20,000 rows cost one in-memory pass.
func (s *Store) VolunteerRowsFor(q VolunteerRowsQuery) (VolunteerRows, error) {
	txn := s.views.db.Txn(false)
	it, err := txn.Get(ViewVolunteers, "name")
	if err != nil {
		return VolunteerRows{}, fmt.Errorf("volunteer view: %w", err)
	}
	day := ""
	if q.Day >= 1 && q.Day <= 7 {
		day = strconv.Itoa(q.Day - 1)
	}
	skills, regions := map[string]bool{}, map[string]bool{}
	out := VolunteerRows{}
	for o := it.Next(); o != nil; o = it.Next() {
		r := o.(*volunteerRow)
		out.All++
		for _, sk := range r.Skills {
			skills[sk] = true
		}
		if r.Region != "" {
			regions[r.Region] = true
		}
		if (q.Skill != "" && !slices.Contains(r.Skills, q.Skill)) || (q.Region != "" && r.Region != q.Region) ||
			(day != "" && !slices.Contains(r.Days, day)) {
			continue
		}
		out.IDs = append(out.IDs, r.ID)
	}
	out.Skills, out.Regions = sortedSet(skills), sortedSet(regions)
	return out, nil
}

// sortedSet returns the keys of m, sorted; never nil.
func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// VolunteersByID returns the volunteer profiles with ids, in that order, read
// from Badger in one transaction (an unknown id gives an empty profile with
// that id missing). Errors: reading Badger.
func (s *Store) VolunteersByID(ids []string) ([]relief.Volunteer, error) {
	return s.volunteersByID(ids)
}

// AcceptedTasksOf returns, for each member of keys, the number of tasks
// offered to them that are accepted and not done (the load the volunteer
// list shows), from the task view's offered index: it reads only those
// members' rows.
func (s *Store) AcceptedTasksOf(keys []ledger.DeviceID) (map[ledger.DeviceID]int, error) {
	txn := s.views.db.Txn(false)
	out := make(map[ledger.DeviceID]int, len(keys))
	for _, k := range keys {
		if k.IsZero() {
			continue
		}
		if _, done := out[k]; done {
			continue
		}
		it, err := txn.Get(ViewTasks, "offered", k.String())
		if err != nil {
			return nil, fmt.Errorf("task view: %w", err)
		}
		n := 0
		for o := it.Next(); o != nil; o = it.Next() {
			if o.(*taskRow).Status == relief.StatusAccepted {
				n++
			}
		}
		out[k] = n
	}
	return out, nil
}

// OfferWindow is the answer of OffersWindow: one page of offers, the number
// the query keeps, and per kind the offers that match the text whatever the
// kind (every kind of relief.OfferKinds present).
type OfferWindow struct {
	Offers []relief.Offer
	Total  int
	Counts map[relief.OfferKind]int
}

// OffersWindow reads the offer view's rows once, newest first (ties by
// descending id, as Offers): those whose text contains text (lower-cased
// supplier, region, code and item names; "" keeps all) are counted per
// kind, those also of kind ("" any) are counted in Total, and the records of
// the rows at [offset, offset+limit) are read from Badger. limit ≤ 0 reads
// none.
func (s *Store) OffersWindow(text string, kind relief.OfferKind, offset, limit int) (OfferWindow, error) {
	txn := s.views.db.Txn(false)
	it, err := txn.GetReverse(ViewOffers, "created")
	if err != nil {
		return OfferWindow{}, fmt.Errorf("offer view: %w", err)
	}
	text = strings.ToLower(strings.TrimSpace(text))
	out := OfferWindow{Counts: make(map[relief.OfferKind]int, len(relief.OfferKinds))}
	for _, k := range relief.OfferKinds {
		out.Counts[k] = 0
	}
	var ids []string
	for o := it.Next(); o != nil; o = it.Next() {
		r := o.(*offerRow)
		if text != "" && !strings.Contains(r.Text, text) {
			continue
		}
		out.Counts[relief.OfferKind(r.Kind)]++
		if kind != "" && r.Kind != string(kind) {
			continue
		}
		if limit > 0 && out.Total >= offset && out.Total < offset+limit {
			ids = append(ids, r.ID)
		}
		out.Total++
	}
	if out.Offers, err = s.offersByID(ids); err != nil {
		return OfferWindow{}, err
	}
	return out, nil
}

// InboxWindowQuery asks for one window of a member's inbox.
type InboxWindowQuery struct {
	Member      ledger.DeviceID
	Now         time.Time // Overdue and Soon are flagged at this time
	What        string    // keep the entries waiting for this step only; "" all
	OverdueOnly bool      // keep the entries past their due time only
	Offset      int       // entries of the filtered inbox to skip (< 0 is 0)
	Limit       int       // most entries returned; ≤ 0 none
}

// InboxWindow is the answer of InboxWindowOf.
type InboxWindow struct {
	// Entries are the filtered inbox's entries at [Offset, Offset+Limit), in
	// the order of InboxOf.
	Entries []relief.Pending
	Total   int            // entries the filter keeps
	All     int            // entries of the whole inbox
	Counts  map[string]int // entries of the whole inbox per step (What)
	Overdue int            // entries of the whole inbox past their due time
}

// InboxWindowOf answers q from the inbox view with the same entries, in the
// same order, as InboxOf(q.Member, q.Now, 0) filtered and cut: it reads the
// step index of each step the member's role may take and the member's own
// entries once, counting every entry from its compact row, and makes a
// relief.Pending only of the first Offset+Limit entries of each list that
// the filter keeps. Its cost is one pass over the rows of the member's
// inbox (about 100 ns a row) and a merge of the page. A revoked member or a
// non-member has an empty inbox.
func (s *Store) InboxWindowOf(q InboxWindowQuery) (InboxWindow, error) {
	out := InboxWindow{Counts: map[string]int{}}
	m, ok := s.rosterNow.Load().Member(q.Member)
	if !ok || m.Revoked || !m.Role.Valid() {
		return out, nil
	}
	q.Offset = max(q.Offset, 0)
	want := 0
	if q.Limit > 0 {
		want = q.Offset + q.Limit
	}
	keep := func(e *inboxEntry) bool {
		return (q.What == "" || e.What == q.What) && (!q.OverdueOnly || (!e.Due.IsZero() && q.Now.After(e.Due)))
	}
	count := func(e *inboxEntry) {
		out.All++
		out.Counts[e.What]++
		if !e.Due.IsZero() && q.Now.After(e.Due) {
			out.Overdue++
		}
	}
	txn := s.views.db.Txn(false)
	lists := [][]relief.Pending{nil}
	for _, what := range stepsOf(m.Role) {
		it, err := txn.Get(ViewInbox, "step_prefix", str(what))
		if err != nil {
			return InboxWindow{}, fmt.Errorf("inbox view: %w", err)
		}
		var list []relief.Pending
		for o := it.Next(); o != nil; o = it.Next() {
			e := o.(*inboxEntry)
			count(e)
			if !keep(e) {
				continue
			}
			out.Total++
			if len(list) < want {
				list = append(list, pendingOf(e, q.Now))
			}
		}
		lists = append(lists, list)
	}
	// The member's own entries: all of them are kept before sorting, as
	// InboxOf does (the to index orders by due time, then key, which is not
	// comparePending's order among ties).
	it, err := txn.Get(ViewInbox, "to_prefix", str(q.Member.String()))
	if err != nil {
		return InboxWindow{}, fmt.Errorf("inbox view: %w", err)
	}
	var mine []relief.Pending
	for o := it.Next(); o != nil; o = it.Next() {
		e := o.(*inboxEntry)
		count(e)
		if keep(e) {
			out.Total++
			mine = append(mine, pendingOf(e, q.Now))
		}
	}
	slices.SortFunc(mine, comparePending)
	lists[0] = mine
	merged := mergePending(lists, min(want, out.Total))
	out.Entries = merged[min(q.Offset, len(merged)):]
	return out, nil
}

// TaskDemands returns the demand of each task of ids that the task view
// holds, from its rows (no record is read).
func (s *Store) TaskDemands(ids []string) (map[string]string, error) {
	txn := s.views.db.Txn(false)
	out := make(map[string]string, len(ids))
	for _, id := range ids {
		o, err := txn.First(ViewTasks, "id", id)
		if err != nil {
			return nil, fmt.Errorf("task view: %w", err)
		}
		if o != nil {
			out[id] = o.(*taskRow).Demand
		}
	}
	return out, nil
}
