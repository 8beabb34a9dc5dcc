package store

import (
	"cmp"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// This file answers the queries of the screens from the views (views.go):
// the rows say which records and in which order, and the records a screen
// shows are read from Badger by id.

// readRecords reads the records of kind with ids from Badger, in that order,
// in one read transaction. An id without a record gives an empty record.
// A read of at most recordCacheSize/4 ids goes through the store's record
// cache: a record whose Badger version is the one decoded before is not
// decoded again (the decode, by reflection, is most of a page's cost: some
// 20 µs a volunteer). The records returned may be shared with other
// callers: they must not be changed (the folds only read them).
func (s *Store) readRecords(kind string, ids []string) ([]*relief.Record, error) {
	out := make([]*relief.Record, len(ids))
	cached := len(ids) <= recordCacheSize/4
	var fresh []cachedRecord
	err := s.db.View(func(txn *badger.Txn) error {
		for i, id := range ids {
			if !cached {
				rec, err := s.loadRecord(txn, kind, id)
				if err != nil {
					return err
				}
				out[i] = rec
				continue
			}
			it, err := txn.Get(recordKey(kind, id))
			if errors.Is(err, badger.ErrKeyNotFound) {
				out[i] = &relief.Record{Kind: kind, ID: id}
				continue
			}
			if err != nil {
				return fmt.Errorf("read record %s/%s: %w", kind, id, err)
			}
			ref := recordRef{kind: kind, id: id}
			if rec := s.recs.get(ref, it.Version()); rec != nil {
				out[i] = rec
				continue
			}
			var rec *relief.Record
			if err := it.Value(func(b []byte) error {
				var derr error
				rec, derr = relief.DecodeRecord(b)
				return derr
			}); err != nil {
				return fmt.Errorf("decode record %s/%s: %w", kind, id, err)
			}
			out[i] = rec
			fresh = append(fresh, cachedRecord{ref: ref, version: it.Version(), rec: rec})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s records: %w", kind, err)
	}
	s.recs.put(fresh)
	return out, nil
}

// recordCacheSize is the most records the record cache holds (a volunteer's
// or an offer's some 2–4 KB decoded): a few pages of each screen.
const recordCacheSize = 1024

// recordRef names a record.
type recordRef struct{ kind, id string }

// cachedRecord is a decoded record with the Badger version it was read at.
type cachedRecord struct {
	ref     recordRef
	version uint64
	rec     *relief.Record
}

// recordCache holds decoded records by name with the Badger version they
// were read at: a record written since has a newer version (Badger versions
// a key's every write), so a hit is the record as stored. When full it is
// emptied (a page refills it). The zero value is ready; safe for concurrent
// use.
type recordCache struct {
	mu sync.Mutex
	m  map[recordRef]cachedRecord
}

// get returns the record ref decoded at version, or nil.
func (c *recordCache) get(ref recordRef, version uint64) *relief.Record {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[ref]; ok && e.version == version {
		return e.rec
	}
	return nil
}

// put keeps recs, emptying the cache first when they would not fit.
func (c *recordCache) put(recs []cachedRecord) {
	if len(recs) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m)+len(recs) > recordCacheSize {
		c.m = make(map[recordRef]cachedRecord, recordCacheSize)
	}
	for _, e := range recs {
		c.m[e.ref] = e
	}
}

func (s *Store) volunteersByID(ids []string) ([]relief.Volunteer, error) {
	recs, err := s.readRecords(relief.KindVolunteer, ids)
	if err != nil {
		return nil, err
	}
	roster := s.rosterNow.Load()
	out := make([]relief.Volunteer, len(recs))
	for i, r := range recs {
		out[i] = foldVolunteer(s.Opener(), r, roster)
	}
	return out, nil
}

func (s *Store) offersByID(ids []string) ([]relief.Offer, error) {
	recs, err := s.readRecords(relief.KindOffer, ids)
	if err != nil {
		return nil, err
	}
	roster := s.rosterNow.Load()
	out := make([]relief.Offer, len(recs))
	for i, r := range recs {
		out[i] = foldOffer(s.Opener(), r, roster)
	}
	return out, nil
}

func (s *Store) tasksByID(ids []string) ([]relief.Task, error) {
	recs, err := s.readRecords(relief.KindTask, ids)
	if err != nil {
		return nil, err
	}
	roster := s.rosterNow.Load()
	out := make([]relief.Task, len(recs))
	for i, r := range recs {
		out[i] = relief.FoldTask(r, roster)
	}
	return out, nil
}

// VolunteerQuery selects volunteers. Empty fields select all.
type VolunteerQuery struct {
	Skill  string // a skill the profile lists, exactly as written
	Region string // the profile's region, exactly
	Day    int    // 1–7: available on that weekday (1 Sunday … 7 Saturday); 0: any
	Text   string // words split at spaces, each a case-insensitive substring of the name, code, region, organisation or a skill
	HasKey bool   // only profiles with a member key (to whom a task can be offered)
	Offset int    // rows to skip
	Limit  int    // most rows returned; 0 or less: all
}

// VolunteerPage is one page of a VolunteerQuery: the profiles by name (then
// id) and how many match in all.
type VolunteerPage struct {
	Volunteers []relief.Volunteer `json:"volunteers"`
	Total      int                `json:"total"`
}

// page cuts ids to offset and limit (limit ≤ 0: all).
func page[T any](ids []T, offset, limit int) []T {
	offset = min(max(offset, 0), len(ids))
	ids = ids[offset:]
	if limit > 0 && len(ids) > limit {
		ids = ids[:limit]
	}
	return ids
}

// VolunteersQuery answers q from the volunteer view: one page of profiles by
// name, read from Badger, and the number of matches. It reads the rows of
// the list by name, filtering on the rows' fields; it reads no record but
// the page's.
func (s *Store) VolunteersQuery(q VolunteerQuery) (VolunteerPage, error) {
	if err := s.awaitViews(); err != nil {
		return VolunteerPage{}, err
	}
	snap := s.views.vols.snap()
	words := strings.Fields(strings.ToLower(q.Text))
	day := ""
	if q.Day >= 1 && q.Day <= 7 {
		day = fmt.Sprint(q.Day - 1)
	}
	// In the name index the rows come in the list's order: only the page's
	// are kept, the others counted.
	var rows []*volunteerRow
	total := 0
	for r := range snap.all(volunteerName) {
		if (q.Skill != "" && !slices.Contains(r.Skills, q.Skill)) || (q.Region != "" && r.Region != q.Region) ||
			(day != "" && !slices.Contains(r.Days, day)) || (q.HasKey && !r.HasKey) ||
			!hasWords(r.base(), words) {
			continue
		}
		if inPage(total, q.Offset, q.Limit) {
			rows = append(rows, r)
		}
		total++
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	vs, err := s.volunteersByID(ids)
	if err != nil {
		return VolunteerPage{}, err
	}
	return VolunteerPage{Volunteers: vs, Total: total}, nil
}

// hasWords reports whether every one of words (lower-case, as
// strings.Fields cuts a query) is a substring of text, a row's lower-case
// searchable fields: a search for "司机 武昌" finds a driver in 武昌 as the
// demand list's does. No words: true.
func hasWords(text string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// inPage reports whether the row numbered i (from 0) is on the page of
// offset and limit (limit ≤ 0: all from offset).
func inPage(i, offset, limit int) bool {
	return i >= offset && (limit <= 0 || i < offset+limit)
}

// Volunteers returns every volunteer profile, by name (then id).
func (s *Store) Volunteers() ([]relief.Volunteer, error) {
	if err := s.awaitViews(); err != nil {
		return nil, err
	}
	p, err := s.VolunteersQuery(VolunteerQuery{})
	return p.Volunteers, err
}

// OfferQuery selects offers. Empty fields select all.
type OfferQuery struct {
	Kind   relief.OfferKind // relief.OfferKindOf of the offer
	Region string           // the offer's region, exactly
	Item   string           // an item name, case-insensitive, whole
	Text   string           // words split at spaces, each a case-insensitive substring of the supplier, region, code or an item name
	Offset int              // rows to skip
	Limit  int              // most rows returned; 0 or less: all
}

// OfferPage is one page of an OfferQuery: offers newest first (ties by
// descending id) and how many match in all.
type OfferPage struct {
	Offers []relief.Offer `json:"offers"`
	Total  int            `json:"total"`
}

// OffersQuery answers q from the offer view: one page of offers, newest
// first, read from Badger, and the number of matches. It reads the rows of
// the list by creation, filtering on the rows' fields; it reads no record
// but the page's.
func (s *Store) OffersQuery(q OfferQuery) (OfferPage, error) {
	if err := s.awaitViews(); err != nil {
		return OfferPage{}, err
	}
	snap := s.views.offers.snap()
	item := strings.ToLower(strings.TrimSpace(q.Item))
	words := strings.Fields(strings.ToLower(q.Text))
	var rows []*offerRow // the created index, newest first
	total := 0
	for r := range snap.desc(offerCreated) {
		if (q.Kind != "" && r.Kind != string(q.Kind)) || (q.Region != "" && r.Region != q.Region) ||
			(item != "" && !slices.Contains(r.Items, item)) || !hasWords(r.Text, words) {
			continue
		}
		if inPage(total, q.Offset, q.Limit) {
			rows = append(rows, r)
		}
		total++
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	os, err := s.offersByID(ids)
	if err != nil {
		return OfferPage{}, err
	}
	return OfferPage{Offers: os, Total: total}, nil
}

// Offers returns every offer, newest first (ties by descending id).
func (s *Store) Offers() ([]relief.Offer, error) {
	if err := s.awaitViews(); err != nil {
		return nil, err
	}
	p, err := s.OffersQuery(OfferQuery{})
	return p.Offers, err
}

// cmpTaskRows orders tasks newest first, ties by descending id.
func cmpTaskRows(a, b *taskRow) int {
	return cmp.Or(b.Created.Compare(a.Created), cmp.Compare(b.ID, a.ID))
}

// taskRows returns the rows seq yields, newest first.
func taskRows(seq iter.Seq[*taskRow]) ([]*taskRow, error) {
	rows := slices.Collect(seq)
	slices.SortFunc(rows, cmpTaskRows)
	return rows, nil
}

func (s *Store) tasksOfRows(rows []*taskRow) ([]relief.Task, error) {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return s.tasksByID(ids)
}

// Tasks returns every task, newest first (ties by descending id), folded
// with the current roster.
func (s *Store) Tasks() ([]relief.Task, error) {
	if err := s.awaitViews(); err != nil {
		return nil, err
	}
	rows, err := taskRows(s.views.tasks.snap().rows())
	if err != nil {
		return nil, err
	}
	return s.tasksOfRows(rows)
}

// TasksOfDemand returns the tasks of the demand demandID, newest first (ties
// by descending id), folded with the current roster: the rows of the task
// view's demand index, then those tasks from Badger.
func (s *Store) TasksOfDemand(demandID string) ([]relief.Task, error) {
	if err := s.awaitViews(); err != nil {
		return nil, err
	}
	rows, err := taskRows(tasksOfDemand(s.views.tasks.snap(), demandID))
	if err != nil {
		return nil, err
	}
	return s.tasksOfRows(rows)
}

// TasksOfferedTo returns the tasks offered to member, newest first (ties by
// descending id), whatever their status.
func (s *Store) TasksOfferedTo(member ledger.DeviceID) ([]relief.Task, error) {
	if err := s.awaitViews(); err != nil {
		return nil, err
	}
	rows, err := taskRows(tasksOfferedTo(s.views.tasks.snap(), member.String()))
	if err != nil {
		return nil, err
	}
	return s.tasksOfRows(rows)
}

// TaskCounts returns, for each member a task was offered to, how many of
// their tasks are in each status: the load a volunteer list shows, from the
// task view without reading a record.
func (s *Store) TaskCounts() (map[ledger.DeviceID]map[relief.Status]int, error) {
	if err := s.awaitViews(); err != nil {
		return nil, err
	}
	// counts need no order: the rows are read as the index gives them
	out := map[ledger.DeviceID]map[relief.Status]int{}
	// one count map per member id as written in the rows: a member id is
	// parsed once, not once per task (ParseDeviceID was most of the cost)
	byID := map[string]map[relief.Status]int{}
	for r := range s.views.tasks.snap().all(taskOffered) {
		counts, ok := byID[r.OfferedTo]
		if !ok {
			if to, err := ledger.ParseDeviceID(r.OfferedTo); err == nil {
				if counts = out[to]; counts == nil {
					counts = map[relief.Status]int{}
					out[to] = counts
				}
			}
			byID[r.OfferedTo] = counts // nil for an id that does not parse
		}
		if counts != nil {
			counts[r.Status]++
		}
	}
	return out, nil
}

// TasksByID returns the tasks with ids, in that order, folded with the
// current roster and read from Badger; an id without a record gives a task
// folded from an empty record (check existence with Record first).
func (s *Store) TasksByID(ids []string) ([]relief.Task, error) {
	if err := s.awaitViews(); err != nil {
		return nil, err
	}
	return s.tasksByID(ids)
}

// TaskDemands returns the demand id of each task of ids that the task view
// holds, keyed by task id, without reading a record. A task the view lacks
// has no key.
func (s *Store) TaskDemands(ids []string) (map[string]string, error) {
	if err := s.awaitViews(); err != nil {
		return nil, err
	}
	snap := s.views.tasks.snap()
	out := make(map[string]string, len(ids))
	for _, id := range ids {
		if r, ok := snap.get(id); ok {
			out[id] = r.Demand
		}
	}
	return out, nil
}

// membersOf returns the roster entries of the member rows an index names, in
// the roster's order (by joining).
func (s *Store) membersOf(index string, arg string) ([]relief.Member, error) {
	txn := s.views.db.Txn(false)
	it, err := txn.Get(ViewMembers, index, arg)
	if err != nil {
		return nil, fmt.Errorf("member view: %w", err)
	}
	keys := map[string]bool{}
	for o := it.Next(); o != nil; o = it.Next() {
		keys[o.(*memberRow).Key] = true
	}
	var out []relief.Member
	for _, m := range s.rosterNow.Load().Members() {
		if keys[m.Key.String()] {
			out = append(out, m)
		}
	}
	return out, nil
}

// MembersWithRole returns the members (revoked ones included) whose role is
// role, in the order they joined.
func (s *Store) MembersWithRole(role relief.Role) ([]relief.Member, error) {
	return s.membersOf("role", string(role))
}

// MembersEndorsedBy returns the members endorser vouched for, in the order
// they joined.
func (s *Store) MembersEndorsedBy(endorser ledger.DeviceID) ([]relief.Member, error) {
	return s.membersOf("endorser", endorser.String())
}

// answers maps each step a demand waits for to the action that answers it
// (relief.Waiting's answer), through which relief.Rules says which roles may
// take it.
var answers = map[string]relief.Action{
	relief.ReplyReview:  relief.ActionApprove,
	relief.ReplyPublish: relief.ActionPublish,
	relief.ReplyClaim:   relief.ActionClaim,
	// a duplicate flag is answered by a merge (or a keep-separate, which
	// the same roles may give)
	relief.ReplyDuplicate: relief.ActionMarkDuplicate,
}

// stepsOf returns the steps a member of role may take on a demand that waits
// for them (relief.Inbox: the answer is among relief.Allowed), in a fixed
// order.
func stepsOf(role relief.Role) []string {
	if role == relief.RoleObserver || !role.Valid() {
		return nil
	}
	var out []string
	for _, what := range []string{relief.ReplyReview, relief.ReplyPublish, relief.ReplyClaim, relief.ReplyDuplicate} {
		for _, r := range relief.Rules {
			if r.Action == answers[what] && slices.Contains(r.Roles, role) {
				out = append(out, what)
			}
		}
	}
	if role == relief.RoleCoordinator { // undone changes: coordinators may adopt them
		out = append(out, relief.ReplyUndone)
	}
	if role == relief.RoleCoordinator { // a forked device: coordinators tell its member
		out = append(out, relief.ReplyFork)
	}
	return out
}

// lateStepsOf returns the steps whose overdue entries only reach a member of
// role (relief.Inbox): follow-ups and missed check-outs for coordinators, re-checks for the roles
// relief.Rules lets take relief.ActionRecheck.
func lateStepsOf(role relief.Role) []string {
	var out []string
	if role == relief.RoleCoordinator {
		out = append(out, relief.ReplyFollowUp, relief.ReplyCheckout)
	}
	for _, r := range relief.Rules {
		if r.Action == relief.ActionRecheck && slices.Contains(r.Roles, role) {
			out = append(out, relief.ReplyRecheck)
		}
	}
	return out
}

// askedBy returns the entries of the transfer requests member made.
func askedBy(snap *inboxSnap, member ledger.DeviceID) ([]*inboxEntry, error) {
	return slices.Collect(byOf(snap, member)), nil
}

// pendingOf returns the inbox entry e as relief.Pending, flagged at now.
func pendingOf(e *inboxEntry, now time.Time) relief.Pending {
	p := relief.Pending{Kind: e.Kind, ID: e.ID, Code: e.Code, What: e.What, Status: e.Status,
		Since: e.Since, Due: e.Due, To: e.To, By: e.by(), Ref: e.ref(), Notice: e.notice(),
		Original: e.original(), Count: e.count(), Seq: e.seq()}
	if !p.Due.IsZero() {
		p.Overdue = now.After(p.Due)
		p.Soon = !p.Overdue && p.Due.Sub(now) <= p.Due.Sub(p.Since)/4
	}
	return p
}

// pendingsOf returns entries as relief.Pending, flagged at now (never nil).
func pendingsOf(entries []*inboxEntry, now time.Time) []relief.Pending {
	out := make([]relief.Pending, len(entries))
	for i, e := range entries {
		out[i] = pendingOf(e, now)
	}
	return out
}

// compareEntry orders inbox entries as comparePending orders them as
// relief.Pending (the fields it compares are the entries' own), without
// making a relief.Pending of each.
func compareEntry(a, b *inboxEntry) int {
	if a.Due.IsZero() != b.Due.IsZero() {
		if a.Due.IsZero() {
			return 1
		}
		return -1
	}
	return cmp.Or(a.Due.Compare(b.Due), a.Since.Compare(b.Since), cmp.Compare(a.Kind, b.Kind),
		cmp.Compare(a.ID, b.ID), cmp.Compare(a.What, b.What), cmp.Compare(a.ref(), b.ref()))
}

// mergeEntries merges lists, each in compareEntry order, into one of at
// most n entries in that order. It changes the slice headers in lists.
func mergeEntries(lists [][]*inboxEntry, n int) []*inboxEntry {
	return mergeSorted(lists, n, compareEntry)
}

// mergeSorted merges lists, each in cmp's order, into one of at most n
// elements in that order (the first list wins a tie). It changes the slice
// headers in lists.
func mergeSorted[T any](lists [][]T, n int, cmp func(a, b T) int) []T {
	out := make([]T, 0, n)
	for len(out) < n {
		best := -1
		for i, l := range lists {
			if len(l) > 0 && (best < 0 || cmp(l[0], lists[best][0]) < 0) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		out = append(out, lists[best][0])
		lists[best] = lists[best][1:]
	}
	return out
}

// comparePending orders entries as relief.Inbox and relief.Overdue do:
// by due time (entries without one last), then since, kind, id and step.
func comparePending(a, b relief.Pending) int {
	if a.Due.IsZero() != b.Due.IsZero() {
		if a.Due.IsZero() {
			return 1
		}
		return -1
	}
	return cmp.Or(a.Due.Compare(b.Due), a.Since.Compare(b.Since), cmp.Compare(a.Kind, b.Kind),
		cmp.Compare(a.ID, b.ID), cmp.Compare(a.What, b.What), cmp.Compare(a.Ref, b.Ref))
}

// InboxOf lists what waits on member at now, as relief.Inbox does (same
// entries, same order), from the inbox view: the entries waiting on the
// member and the first limit entries of each step their current role may
// take, merged. limit ≤ 0 lists all; otherwise at most limit entries, the
// most urgent. A revoked member or a non-member gets nothing.
func (s *Store) InboxOf(member ledger.DeviceID, now time.Time, limit int) ([]relief.Pending, error) {
	if err := s.awaitViews(); err != nil {
		return nil, err
	}
	m, ok := s.rosterNow.Load().Member(member)
	if !ok || m.Revoked || !m.Role.Valid() {
		return nil, nil
	}
	snap := s.views.inbox.snap()
	// The row steps this answer reads (not stored: made from the rows,
	// inbox_rows.go), read in one state of the demand table, so that a demand
	// moving steps meanwhile shows in one (TestInboxListReadWhole); taken
	// in the order the code below asks for them.
	var rowReads [][]*inboxEntry
	if !s.views.storeSteps {
		dl := s.views.deadlines()
		var reqs []stepReq
		for _, what := range stepsOf(m.Role) {
			if rowStep(what) {
				reqs = append(reqs, stepReq{what: what, limit: limit})
			}
		}
		for _, what := range lateStepsOf(m.Role) {
			if rowStep(what) {
				var skip func(*demandRow) bool
				if what == relief.ReplyFollowUp { // the member's own are among theirs
					skip = ownedBy(member)
				}
				reqs = append(reqs, stepReq{what: what, limit: limit, until: notOverdue(what, dl, now), skip: skip})
			}
		}
		owned := ownedBy(member) // the follow-ups of the demands the member owns
		reqs = append(reqs, stepReq{what: relief.ReplyFollowUp, skip: func(r *demandRow) bool { return !owned(r) }})
		rowReads = s.idx.readSteps(reqs, dl)
	}
	nextRows := func() []*inboxEntry {
		e := rowReads[0]
		rowReads = rowReads[1:]
		return e
	}
	lists := [][]relief.Pending{nil}
	total := 0
	for _, what := range stepsOf(m.Role) {
		// The step index holds the entries of one step by due time, then
		// id: the order of comparePending, as one step's entries due at the
		// same time began at the same time.
		var list []relief.Pending
		if what == relief.ReplyDuplicate { // not stored: made from the flags (duplicates.go)
			dl := s.views.deadlines()
			s.idx.dupView().Ascend(func(d dupRef) bool {
				if limit > 0 && len(list) >= limit {
					return false
				}
				list = append(list, pendingOf(d.entry(dl), now))
				return true
			})
		}
		if rowStep(what) && !s.views.storeSteps { // not stored: made from the rows (read above)
			list = pendingsOf(nextRows(), now)
		}
		for e := range stepOf(snap, what) {
			if limit > 0 && len(list) >= limit {
				break
			}
			list = append(list, pendingOf(e, now))
		}
		lists = append(lists, list)
		total += len(list)
	}
	// The steps whose overdue entries only reach this role: the overdue
	// prefix of the step index (by due time, then id: comparePending's
	// order within one step), without the member's own entries.
	for _, what := range lateStepsOf(m.Role) {
		var list []relief.Pending
		if rowStep(what) && !s.views.storeSteps { // made from the rows (read above)
			list = pendingsOf(nextRows(), now)
		}
		for e := range stepOf(snap, what) {
			if limit > 0 && len(list) >= limit {
				break
			}
			if !now.After(e.Due) {
				break
			}
			if e.To != member && e.by() != member {
				list = append(list, pendingOf(e, now))
			}
		}
		lists = append(lists, list)
		total += len(list)
	}
	// Overdue check-outs of field tasks on demands the member owns
	// (coordinators have them all among their late steps).
	if m.Role != relief.RoleCoordinator {
		var late []*inboxEntry
		for e := range stepOf(snap, relief.ReplyCheckout) {
			if !now.After(e.Due) {
				break
			}
			if e.To != member {
				late = append(late, e)
			}
		}
		list := pendingsOf(s.ownedCheckouts(late, member.String()), now)
		if limit > 0 && len(list) > limit {
			list = list[:limit]
		}
		lists = append(lists, list)
		total += len(list)
	}
	// The entries waiting on the member, by due time, those without one
	// last: past the limit, only ties of the last due time may still count;
	// entries without a due time (which sort after all others) are read only
	// when fewer than limit have one.
	var mine []relief.Pending
	due := 0
	for e := range toOf(snap, member) {
		if limit > 0 && ((e.Due.IsZero() && total+due >= limit) || (!e.Due.IsZero() && due >= limit && e.Due.After(mine[len(mine)-1].Due))) {
			break
		}
		if !e.Due.IsZero() {
			due++
		}
		mine = append(mine, pendingOf(e, now))
	}
	if !s.views.storeSteps { // the follow-ups of the demands the member owns, made from the rows (read above)
		for _, e := range nextRows() {
			mine = append(mine, pendingOf(e, now))
		}
	}
	asked, err := askedBy(snap, member)
	if err != nil {
		return nil, err
	}
	for _, e := range asked {
		mine = append(mine, pendingOf(e, now))
	}
	slices.SortFunc(mine, comparePending)
	lists[0] = mine
	total += len(mine)
	if m.Role == relief.RoleCoordinator {
		notices := pendingsOf(coordinatorNotices(snap, member, func(*inboxEntry) bool { return true }), now)
		lists = append(lists, notices)
		total += len(notices)
	}
	if limit > 0 {
		total = min(total, limit)
	}
	return mergePending(lists, total), nil
}

// mergePending merges lists, each in comparePending order, into one of at
// most n entries in that order.
func mergePending(lists [][]relief.Pending, n int) []relief.Pending {
	return mergeSorted(lists, n, comparePending)
}

// Inbox lists what waits on this device's member at now (relief.Inbox), oldest
// first; empty when the device is not a member. See InboxOf.
func (s *Store) Inbox(now time.Time) ([]relief.Pending, error) {
	if err := s.awaitViews(); err != nil {
		return nil, err
	}
	return s.InboxOf(s.device, now, 0)
}

// OverdueAt lists the demand steps and task answers whose reply-by is before
// now, as relief.Overdue does (same entries, same order), from the inbox
// view's step index (each step's entries by due time): limit ≤ 0 lists all,
// otherwise the limit most overdue.
func (s *Store) OverdueAt(now time.Time, limit int) ([]relief.Pending, error) {
	if err := s.awaitViews(); err != nil {
		return nil, err
	}
	snap := s.views.inbox.snap()
	steps := []string{relief.ReplyReview, relief.ReplyPublish, relief.ReplyClaim, relief.ReplyAnswer,
		relief.ReplyFollowUp, relief.ReplyTransfer, relief.ReplyRecheck, relief.ReplyCheckout}
	// the row steps (not stored: made from the rows, inbox_rows.go), read in
	// one state of the demand table, as InboxOf's
	var rowReads [][]*inboxEntry
	if !s.views.storeSteps {
		dl := s.views.deadlines()
		var reqs []stepReq
		for _, what := range steps {
			if rowStep(what) {
				reqs = append(reqs, stepReq{what: what, limit: limit, until: notOverdue(what, dl, now)})
			}
		}
		rowReads = s.idx.readSteps(reqs, dl)
	}
	var lists [][]relief.Pending
	total := 0
	for _, what := range steps {
		var list []relief.Pending
		if rowStep(what) && !s.views.storeSteps { // made from the rows (read above)
			list = pendingsOf(rowReads[0], now)
			rowReads = rowReads[1:]
		}
		for e := range stepOf(snap, what) {
			if !now.After(e.Due) {
				break
			}
			// Past the limit, only entries due at the same time as the
			// last may still sort before it (by since, kind, id).
			if limit > 0 && len(list) >= limit && e.Due.After(list[len(list)-1].Due) {
				break
			}
			list = append(list, pendingOf(e, now))
		}
		// The index orders by due time, then id: sort each run of entries
		// due at the same time (tasks with their own reply-by began at
		// different times).
		for i := 0; i < len(list); {
			j := i + 1
			for j < len(list) && list[j].Due.Equal(list[i].Due) {
				j++
			}
			slices.SortFunc(list[i:j], comparePending)
			i = j
		}
		lists = append(lists, list)
		total += len(list)
	}
	if limit > 0 {
		total = min(total, limit)
	}
	return mergePending(lists, total), nil
}

// Overdue lists every overdue step of the network at now (relief.Overdue).
// See OverdueAt.
func (s *Store) Overdue(now time.Time) ([]relief.Pending, error) {
	if err := s.awaitViews(); err != nil {
		return nil, err
	}
	return s.OverdueAt(now, 0)
}
