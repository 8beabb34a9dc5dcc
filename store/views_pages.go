package store

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/btree"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// This file answers the paged screens (desk/pages.go) from the views: one
// pass over the compact rows of the index a page reads gives its total and
// the counts of its filter chips, and only the page's records are read from
// Badger.

// pageCache keeps, for each view a paged screen reads, its rows in the
// index's order as one slice, with the memdb watch channel of the snapshot
// they were read from: while the channel is open no write touched that
// index, and a page is cut from the slice (or counted with one pass over
// it) without walking the radix tree again. The first query after a write
// reads the index once. The slices are never changed once made.
type pageCache struct {
	mu    sync.Mutex
	vol   *volunteerList
	offer *offerList
	inbox *inboxList
	hist  *historyCache
}

// current reports whether ch, a watch channel, is still open.
func current(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return false
	default:
		return true
	}
}

// volunteerList is the volunteer view by name (then id), with every skill
// and region, sorted.
type volunteerList struct {
	ch      <-chan struct{}
	rows    []*volunteerRow
	skills  []string
	regions []string
	// search is the last text search of these rows: the text and the
	// numbers of the rows that match (guarded by pageCache.mu).
	searchText string
	searchRows []int
}

// offerList is the offer view newest first (ties by descending id), with
// the number of offers of each kind.
type offerList struct {
	ch     <-chan struct{}
	rows   []*offerRow
	counts map[relief.OfferKind]int
	// search is the last text search of these rows (nil if none), guarded
	// by pageCache.mu: paging through one search or switching its kind
	// chips reads the matches again without searching.
	search *offerSearch
}

// offerSearch is the rows of an offerList whose text contains text, in
// the list's order, and their number per kind.
type offerSearch struct {
	text   string
	rows   []*offerRow
	counts map[relief.OfferKind]int
}

// inboxList is the inbox view's step index: per step, the entries with a
// due time by due time, then key.
type inboxList struct {
	ch    <-chan struct{}
	snap  *inboxSnap // the state the steps were read from
	steps map[string][]*inboxEntry
	// own holds, per member asked for, the entries waiting on them and
	// their transfer requests, in compareEntry order (guarded by
	// pageCache.mu): read from the to and by indexes once per state.
	own map[ledger.DeviceID][]*inboxEntry
	// The duplicate step, which the inbox view does not hold
	// (duplicates.go): dups its flagged demands in order, dupSince their
	// creations (UTC nanoseconds, the order's first key) to count the
	// overdue ones by binary search, dupHead the entries of its first
	// flags made so far (guarded by pageCache.mu), dl the deadlines.
	dups     *btree.BTreeG[dupRef]
	dupSince []int64
	dupHead  []*inboxEntry
	dl       relief.Deadlines
	// rows are, per step the inbox makes from the demand rows (rowStep,
	// inbox_rows.go), the rows of that step in its order; heads the
	// entries of their first rows made so far (guarded by pageCache.mu).
	// Both nil in a storeSteps store.
	rows  map[string][]*demandRow
	heads map[string][]*inboxEntry
	// others holds, per member asked for, the entries of the first
	// follow-up rows (rows[relief.ReplyFollowUp]) whose demand the member
	// does not own, made so far, and how many rows were read for them
	// (guarded by pageCache.mu): a coordinator's late follow-up step.
	others map[ledger.DeviceID]*othersHead
}

// othersHead is inboxList.others' part of one member.
type othersHead struct {
	read    int
	entries []*inboxEntry
}

// followUpsNotOf returns the entries of l's first k follow-up rows whose
// demand member does not own (fewer when there are fewer; shared: not to
// be changed), made the first time they are asked for.
func (s *Store) followUpsNotOf(l *inboxList, member ledger.DeviceID, k int) []*inboxEntry {
	rows := l.rows[relief.ReplyFollowUp]
	c := &s.views.pages
	c.mu.Lock()
	defer c.mu.Unlock()
	h := l.others[member]
	if h == nil {
		h = &othersHead{}
		if l.others == nil {
			l.others = map[ledger.DeviceID]*othersHead{}
		}
		l.others[member] = h
	}
	if len(h.entries) < k && h.read < len(rows) {
		owned := ownedBy(member)
		want := max(k, 2*len(h.entries))
		grown := slices.Clone(h.entries)
		for ; h.read < len(rows) && len(grown) < want; h.read++ {
			if r := rows[h.read]; !owned(r) {
				grown = append(grown, rowEntry(r, relief.ReplyFollowUp, l.dl))
			}
		}
		h.entries = grown
	}
	k = min(k, len(h.entries))
	return h.entries[:k:k]
}

// rowOverdue returns the number of l's rows of step what whose entry is
// due before now.
func (l *inboxList) rowOverdue(what string, now time.Time) int {
	rows := l.rows[what]
	return sort.Search(len(rows), func(i int) bool {
		return !now.After(l.dl.Due(what, time.UnixMilli(rowSince(rows[i], what)).UTC()))
	})
}

// rowEntries returns the entries of l's first k rows of step what (shared:
// not to be changed), made the first time they are asked for.
func (s *Store) rowEntries(l *inboxList, what string, k int) []*inboxEntry {
	rows := l.rows[what]
	k = min(k, len(rows))
	c := &s.views.pages
	c.mu.Lock()
	defer c.mu.Unlock()
	head := l.heads[what]
	if len(head) < k {
		n := min(len(rows), max(k, 2*len(head)))
		grown := make([]*inboxEntry, len(head), n)
		copy(grown, head)
		for _, r := range rows[len(head):n] {
			grown = append(grown, rowEntry(r, what, l.dl))
		}
		if l.heads == nil {
			l.heads = map[string][]*inboxEntry{}
		}
		l.heads[what], head = grown, grown
	}
	return head[:k:k]
}

// dupOverdue returns the number of l's flagged demands whose entry is due
// before now.
func (l *inboxList) dupOverdue(now time.Time) int {
	return sort.Search(len(l.dupSince), func(i int) bool {
		return !now.After(l.dl.Due(relief.ReplyDuplicate, time.Unix(0, l.dupSince[i])))
	})
}

// dupEntries returns the entries of l's first k flagged demands (shared:
// not to be changed), made the first time they are asked for.
func (s *Store) dupEntries(l *inboxList, k int) []*inboxEntry {
	k = min(k, len(l.dupSince))
	c := &s.views.pages
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(l.dupHead) < k {
		head := make([]*inboxEntry, 0, max(k, 2*len(l.dupHead)))
		l.dups.Ascend(func(d dupRef) bool {
			head = append(head, d.entry(l.dl))
			return len(head) < cap(head)
		})
		l.dupHead = head
	}
	return l.dupHead[:k:k]
}

// ownEntries returns the entries of l's state waiting on member and the
// transfer requests member made, in compareEntry order (shared: not to be
// changed), read from the indexes the first time member is asked for.
func (s *Store) ownEntries(l *inboxList, member ledger.DeviceID) []*inboxEntry {
	c := &s.views.pages
	c.mu.Lock()
	defer c.mu.Unlock()
	if own, ok := l.own[member]; ok {
		return own
	}
	own := slices.Collect(toOf(l.snap, member))
	own = slices.AppendSeq(own, byOf(l.snap, member))
	if l.rows != nil { // the follow-ups of the demands member owns, made from the rows
		owned := ownedBy(member)
		for _, r := range l.rows[relief.ReplyFollowUp] {
			if owned(r) {
				own = append(own, rowEntry(r, relief.ReplyFollowUp, l.dl))
			}
		}
	}
	slices.SortFunc(own, compareEntry)
	if l.own == nil {
		l.own = map[ledger.DeviceID][]*inboxEntry{}
	}
	l.own[member] = own
	return own
}

func (s *Store) volunteerList() (*volunteerList, error) {
	c := &s.views.pages
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.vol != nil && current(c.vol.ch) {
		return c.vol, nil
	}
	snap := s.views.vols.snap()
	l := &volunteerList{ch: snap.watch()}
	skills, regions := map[string]bool{}, map[string]bool{}
	for r := range snap.all(volunteerName) {
		l.rows = append(l.rows, r)
		for _, sk := range r.Skills {
			skills[sk] = true
		}
		if r.Region != "" {
			regions[r.Region] = true
		}
	}
	l.skills, l.regions = sortedSet(skills), sortedSet(regions)
	c.vol = l
	return l, nil
}

func (s *Store) offerList() (*offerList, error) {
	c := &s.views.pages
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.offer != nil && current(c.offer.ch) {
		return c.offer, nil
	}
	snap := s.views.offers.snap()
	l := &offerList{ch: snap.watch(), counts: map[relief.OfferKind]int{}}
	for r := range snap.desc(offerCreated) {
		l.rows = append(l.rows, r)
		l.counts[relief.OfferKind(r.Kind)]++
	}
	c.offer = l
	return l, nil
}

func (s *Store) inboxList() (*inboxList, error) {
	c := &s.views.pages
	c.mu.Lock()
	if l := c.inbox; l != nil && current(l.ch) {
		c.mu.Unlock()
		return l, nil
	}
	c.mu.Unlock()
	// Built without pageCache.mu: the duplicate step is read under the
	// demand index's lock, which PointsPage holds while it takes
	// pageCache.mu (awardsOf).
	snap := s.views.inbox.snap()
	l := &inboxList{ch: snap.watch(), snap: snap, steps: map[string][]*inboxEntry{}}
	for e := range snap.all(inboxStep) {
		l.steps[e.What] = append(l.steps[e.What], e)
	}
	// after snap: a settle that changes the flags then touches the inbox
	// (flushDuplicates), so these are never older than ch says
	l.dl, l.dups = s.views.deadlines(), s.idx.dupView()
	l.dupSince = make([]int64, 0, l.dups.Len())
	l.dups.Ascend(func(d dupRef) bool { l.dupSince = append(l.dupSince, d.since); return true })
	if !s.views.storeSteps { // the steps made from the rows, likewise (inbox_rows.go)
		// read in one state of the table: a demand moving between two
		// steps meanwhile shows in one (TestInboxListReadWhole)
		l.rows = s.idx.allStepRows([]string{relief.ReplyReview, relief.ReplyPublish, relief.ReplyClaim, relief.ReplyRecheck, relief.ReplyFollowUp})
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inbox != nil && current(c.inbox.ch) { // built meanwhile by another reader
		return c.inbox, nil
	}
	c.inbox = l
	return l, nil
}

// VolunteerRowsQuery selects volunteer ids from the view's rows. Empty
// fields select all.
type VolunteerRowsQuery struct {
	Skill  string // a skill the profile lists, exactly as written
	Region string // the profile's region, exactly
	Day    int    // 1–7: has a window on that weekday (1 Sunday … 7 Saturday); 0: any
	// Text keeps the profiles whose name, code, region, organisation, a
	// skill or a training contains it, lower-cased (the caller lower-cases
	// it); "" keeps all.
	Text string
	// At, when not zero, keeps the profiles with a window around At (its
	// weekday and minute in At's location).
	At time.Time
	// Offset and Limit choose the ids returned: the kept rows at
	// [Offset, Offset+Limit) (Offset < 0 is 0; Limit ≤ 0: none).
	Offset, Limit int
}

// VolunteerRows is the answer of VolunteerRowsFor: the ids of the page of
// matching profiles in the list's order (name, then id), the number of
// matching profiles (Total) and of profiles in the view (All), and every
// skill and region of the view, sorted (never nil).
type VolunteerRows struct {
	IDs []string
	// Revs are the rows' revisions, as IDs: a volunteer's Rev changes when
	// its record is written again (or its row rebuilt), never otherwise,
	// and no two rows of the process share one. A page's cache keys on it.
	Revs    []uint64
	Total   int
	All     int
	Skills  []string
	Regions []string
}

// VolunteerRowsFor returns the ids of the page of the volunteer view's rows
// that q keeps, by name, and how many it keeps, with the menus' skills and regions (shared: not to be changed).
// It reads no record: one pass over the cached rows (see pageCache).
func (s *Store) VolunteerRowsFor(q VolunteerRowsQuery) (VolunteerRows, error) {
	if err := s.awaitViews(); err != nil {
		return VolunteerRows{}, err
	}
	l, err := s.volunteerList()
	if err != nil {
		return VolunteerRows{}, err
	}
	day := ""
	if q.Day >= 1 && q.Day <= 7 {
		day = strconv.Itoa(q.Day - 1)
	}
	out := VolunteerRows{All: len(l.rows), Skills: l.skills, Regions: l.regions}
	offset := max(q.Offset, 0)
	if q.Skill == "" && q.Region == "" && day == "" && q.Text == "" && q.At.IsZero() {
		out.Total = len(l.rows)
		if q.Limit > 0 {
			for _, r := range page(l.rows, offset, q.Limit) {
				out.IDs = append(out.IDs, r.ID)
				out.Revs = append(out.Revs, r.Rev)
			}
		}
		return out, nil
	}
	each := slices.Values(l.rows)
	if q.Text != "" {
		at := s.volunteerSearch(l, q.Text) // the numbers of the rows it keeps
		each = func(yield func(*volunteerRow) bool) {
			for _, i := range at {
				if !yield(l.rows[i]) {
					return
				}
			}
		}
	}
	for r := range each {
		if (q.Skill != "" && !slices.Contains(r.Skills, q.Skill)) || (q.Region != "" && r.Region != q.Region) ||
			(day != "" && !slices.Contains(r.Days, day)) ||
			(!q.At.IsZero() && !inWindow(r.Windows, q.At)) {
			continue
		}
		if q.Limit > 0 && inPage(out.Total, offset, q.Limit) {
			out.IDs = append(out.IDs, r.ID)
			out.Revs = append(out.Revs, r.Rev)
		}
		out.Total++
	}
	return out, nil
}

// volunteerSearch returns the numbers of l's rows whose text (with the
// training) contains text, searching unless text was l's last search.
func (s *Store) volunteerSearch(l *volunteerList, text string) []int {
	c := &s.views.pages
	c.mu.Lock()
	defer c.mu.Unlock()
	if l.searchRows != nil && l.searchText == text {
		return l.searchRows
	}
	at := []int{}
	for i, r := range l.rows {
		if strings.Contains(r.Text, text) {
			at = append(at, i)
		}
	}
	l.searchText, l.searchRows = text, at
	return at
}

// inWindow reports whether at (its weekday and minute in its location) is
// inside one of windows.
func inWindow(windows []relief.Window, at time.Time) bool {
	minute := at.Hour()*60 + at.Minute()
	for _, w := range windows {
		if w.Day == at.Weekday() && minute >= w.From && minute < w.To {
			return true
		}
	}
	return false
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
	if err := s.awaitViews(); err != nil {
		return nil, err
	}
	return s.volunteersByID(ids)
}

// AcceptedTasksOf returns, for each member of keys, the number of tasks
// offered to them that are accepted and not done (the load the volunteer
// list shows), from the task view's offered index: it reads only those
// members' rows.
func (s *Store) AcceptedTasksOf(keys []ledger.DeviceID) (map[ledger.DeviceID]int, error) {
	if err := s.awaitViews(); err != nil {
		return nil, err
	}
	snap := s.views.tasks.snap()
	out := make(map[ledger.DeviceID]int, len(keys))
	for _, k := range keys {
		if k.IsZero() {
			continue
		}
		if _, done := out[k]; done {
			continue
		}
		n := 0
		for r := range tasksOfferedTo(snap, k.String()) {
			if r.Status == relief.StatusAccepted {
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

// OffersWindow reads the offer view's rows (cached, see pageCache; the last
// text search kept with them, see offerSearch) newest
// first (ties by descending id, as Offers): those whose text contains text (lower-cased
// supplier, region, code and item names; "" keeps all) are counted per
// kind, those also of kind ("" any) are counted in Total, and the records of
// the rows at [offset, offset+limit) are read from Badger. limit ≤ 0 reads
// none.
func (s *Store) OffersWindow(text string, kind relief.OfferKind, offset, limit int) (OfferWindow, error) {
	rows, err := s.OfferRowsWindow(text, kind, offset, limit)
	if err != nil {
		return OfferWindow{}, err
	}
	out := OfferWindow{Total: rows.Total, Counts: rows.Counts}
	if out.Offers, err = s.offersByID(rows.IDs); err != nil {
		return OfferWindow{}, err
	}
	return out, nil
}

// OfferRows is the answer of OfferRowsWindow: OfferWindow's page as the
// ids of its offers and their rows' revisions (as VolunteerRows.Revs), no
// record read.
type OfferRows struct {
	IDs    []string
	Revs   []uint64
	Total  int
	Counts map[relief.OfferKind]int
	All    int // every offer in the view, whatever the text and kind
}

// OfferRowsWindow is OffersWindow without reading the page's records: their
// ids and revisions (OffersByID reads them). Errors: as OffersWindow.
func (s *Store) OfferRowsWindow(text string, kind relief.OfferKind, offset, limit int) (OfferRows, error) {
	if err := s.awaitViews(); err != nil {
		return OfferRows{}, err
	}
	l, err := s.offerList()
	if err != nil {
		return OfferRows{}, err
	}
	text = strings.ToLower(strings.TrimSpace(text))
	offset = max(offset, 0)
	out := OfferRows{Counts: make(map[relief.OfferKind]int, len(relief.OfferKinds)), All: len(l.rows)}
	for _, k := range relief.OfferKinds {
		out.Counts[k] = 0
	}
	add := func(r *offerRow) {
		out.IDs = append(out.IDs, r.ID)
		out.Revs = append(out.Revs, r.Rev)
	}
	if text == "" && kind == "" {
		// The whole list: counts kept with it, the page cut from it.
		for k, n := range l.counts {
			out.Counts[k] = n
		}
		out.Total = len(l.rows)
		if limit > 0 {
			for _, r := range page(l.rows, offset, limit) {
				add(r)
			}
		}
		return out, nil
	}
	rows, counts := l.rows, l.counts
	if text != "" {
		m := s.offerSearch(l, text)
		rows, counts = m.rows, m.counts
	}
	for k, n := range counts {
		out.Counts[k] = n
	}
	for _, r := range rows {
		if kind != "" && r.Kind != string(kind) {
			continue
		}
		if limit > 0 && inPage(out.Total, offset, limit) {
			add(r)
		}
		out.Total++
	}
	return out, nil
}

// OffersByID returns the offers of ids, in that order, folded with the
// current roster (sealed values this device opens filled in), read from
// Badger (through the record cache); an id without a record gives an empty
// offer. It waits for the open's views (awaitViews). Errors: storage
// errors; the error the views' build met.
func (s *Store) OffersByID(ids []string) ([]relief.Offer, error) {
	if err := s.awaitViews(); err != nil {
		return nil, err
	}
	return s.offersByID(ids)
}

// offerSearch returns the rows of l whose text contains text (lower case),
// searching them unless text was l's last search.
func (s *Store) offerSearch(l *offerList, text string) *offerSearch {
	c := &s.views.pages
	c.mu.Lock()
	defer c.mu.Unlock()
	if l.search != nil && l.search.text == text {
		return l.search
	}
	m := &offerSearch{text: text, counts: map[relief.OfferKind]int{}}
	for _, r := range l.rows {
		if strings.Contains(r.Text, text) {
			m.rows = append(m.rows, r)
			m.counts[relief.OfferKind(r.Kind)]++
		}
	}
	l.search = m
	return m
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
// same order, as InboxOf(q.Member, q.Now, 0) filtered and cut. The entries
// of each step the member's role may take come from the step index's rows
// (cached, see pageCache): their number is the slice's length, the overdue
// ones a prefix found by binary search, and only the first Offset+Limit
// become a relief.Pending. The member's own entries (to index) are read and
// counted one by one. So a query costs O(steps × log entries + own entries +
// page) while the inbox view is unchanged, and one pass over the step
// index (100,000 entries at 100,000 demands) after each write. A revoked
// member or a non-member has an empty inbox.
func (s *Store) InboxWindowOf(q InboxWindowQuery) (InboxWindow, error) {
	if err := s.awaitViews(); err != nil {
		return InboxWindow{}, err
	}
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
	l, err := s.inboxList()
	if err != nil {
		return InboxWindow{}, err
	}
	// Every list below holds pointers to the view's entries, most of them
	// sub-slices of the cached step lists; only the page's entries become
	// a relief.Pending (the lists of Pendings cost 0.6 MB per call).
	lists := make([][]*inboxEntry, 1, 2+len(stepsOf(m.Role))+len(lateStepsOf(m.Role)))
	// tally counts a step's n entries, overdue of them overdue (-1: all of
	// them), and returns how many of them the query keeps (ok false: it asks
	// for another step).
	tally := func(what string, n, overdue int) (kept int, ok bool) {
		if overdue < 0 {
			overdue = n
		}
		out.All += n
		out.Counts[what] += n
		out.Overdue += overdue
		if q.What != "" && q.What != what {
			return 0, false
		}
		if q.OverdueOnly {
			n = overdue
		}
		out.Total += n
		return n, true
	}
	for _, what := range stepsOf(m.Role) {
		// A step's entries all have a due time and come by due time: the
		// overdue ones are a prefix, found by binary search.
		if what == relief.ReplyDuplicate { // not stored: made from the flags (duplicates.go)
			if n, ok := tally(what, len(l.dupSince), l.dupOverdue(q.Now)); ok {
				lists = append(lists, s.dupEntries(l, min(want, n)))
			}
			continue
		}
		if rowStep(what) && l.rows != nil { // not stored: made from the rows (inbox_rows.go)
			if n, ok := tally(what, len(l.rows[what]), l.rowOverdue(what, q.Now)); ok {
				lists = append(lists, s.rowEntries(l, what, min(want, n)))
			}
			continue
		}
		step := l.steps[what]
		overdue := sort.Search(len(step), func(i int) bool { return !q.Now.After(step[i].Due) })
		if n, ok := tally(what, len(step), overdue); ok {
			lists = append(lists, step[:min(want, n)])
		}
	}
	// The member's own entries, in compareEntry order (cached per state:
	// the to index orders by due time, then key, which is not
	// comparePending's order among ties): counted one by one, and only the
	// first want the filter keeps are listed.
	snap := l.snap
	own := s.ownEntries(l, q.Member)
	var mine []*inboxEntry
	// the member's own overdue entries, per step, and all of them per step
	// (small counters, not maps: a coordinator has thousands of own entries)
	var ownLate, ownCounts whatCounts
	for i, e := range own {
		overdue := !e.Due.IsZero() && q.Now.After(e.Due)
		if overdue && e.To == q.Member {
			ownLate.add(e.What, 1)
		}
		out.All++
		ownCounts.add(e.What, 1)
		if overdue {
			out.Overdue++
		}
		if (q.What == "" || e.What == q.What) && (!q.OverdueOnly || overdue) {
			out.Total++
			switch {
			case len(mine) >= want:
			case len(mine) == i:
				mine = own[: i+1 : i+1] // none left out so far: a sub-slice (capped: an append copies)
			default:
				mine = append(mine, e)
			}
		}
	}
	lists[0] = mine
	// The steps whose overdue entries only reach this role (follow-ups,
	// re-checks): the overdue prefix of the step's entries (binary search),
	// less the member's own entries among them (counted above); only the
	// first want are listed.
	for _, what := range lateStepsOf(m.Role) {
		if rowStep(what) && l.rows != nil { // made from the rows (inbox_rows.go)
			n, ok := tally(what, l.rowOverdue(what, q.Now)-ownLate.of(what), -1)
			if !ok {
				continue
			}
			if what != relief.ReplyFollowUp { // a re-check waits on no member
				lists = append(lists, s.rowEntries(l, what, min(want, n)))
				continue
			}
			// the member's own follow-ups are among theirs (counted
			// above): the overdue others are the first n not theirs
			lists = append(lists, s.followUpsNotOf(l, q.Member, min(want, n)))
			continue
		}
		step := l.steps[what]
		overdue := sort.Search(len(step), func(i int) bool { return !q.Now.After(step[i].Due) })
		if _, ok := tally(what, overdue-ownLate.of(what), -1); !ok {
			continue
		}
		var list []*inboxEntry
		for i, e := range step[:overdue] {
			if len(list) >= want {
				break
			}
			if e.To == q.Member || e.by() == q.Member {
				continue
			}
			if len(list) == i {
				// None left out so far: a sub-slice, capped so that a
				// later append copies it instead of writing into step.
				list = step[: i+1 : i+1]
				continue
			}
			list = append(list, e)
		}
		lists = append(lists, list)
	}
	// Overdue check-outs of field tasks on demands the member owns
	// (coordinators have them all among their late steps), as InboxOf.
	if m.Role != relief.RoleCoordinator {
		step := l.steps[relief.ReplyCheckout]
		overdue := sort.Search(len(step), func(i int) bool { return !q.Now.After(step[i].Due) })
		var late []*inboxEntry
		for _, e := range step[:overdue] {
			if e.To != q.Member {
				late = append(late, e)
			}
		}
		list := s.ownedCheckouts(late, q.Member.String())
		out.All += len(list)
		out.Counts[relief.ReplyCheckout] += len(list)
		out.Overdue += len(list)
		if q.What == "" || q.What == relief.ReplyCheckout {
			out.Total += len(list)
			lists = append(lists, list)
		}
	}
	if m.Role == relief.RoleCoordinator {
		notices := coordinatorNotices(snap, q.Member, func(e *inboxEntry) bool {
			out.All++
			ownCounts.add(e.What, 1)
			return (q.What == "" || e.What == q.What) && !q.OverdueOnly
		})
		out.Total += len(notices)
		lists = append(lists, notices)
	}
	for _, c := range ownCounts {
		out.Counts[c.what] += c.n
	}
	merged := mergeEntries(lists, min(want, out.Total))
	out.Entries = pendingsOf(merged[min(q.Offset, len(merged)):], q.Now)
	return out, nil
}

// historyCache is the last history PointsPage gathered: member's awards,
// oldest first, at the points table's version.
type historyCache struct {
	version uint64
	member  ledger.DeviceID
	awards  []relief.Award
}

// PointsPage returns member's standing (Points and Rank, 0 without points)
// with the page of their awards at [offset, offset+limit) newest first (the
// reverse of relief.Standing.History's order) and the number of their
// awards. limit ≤ 0 returns no award. It reads the leaderboard the store
// keeps when it is up to date, and otherwise gathers this member's awards
// alone (one pass over the awards of every demand and task, kept until the
// points change), so a page costs O(limit) while the points are unchanged.
func (s *Store) PointsPage(member ledger.DeviceID, offset, limit int) (relief.Standing, int, error) {
	if err := s.awaitViews(); err != nil {
		return relief.Standing{}, 0, err
	}
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	p := s.idx.t.points
	out := relief.Standing{Member: member}
	m, ok := p.idx[member]
	if !ok || p.points[m] == 0 {
		return out, 0, nil
	}
	out.Points = p.points[m]
	for _, st := range p.standings() {
		if st.Member == member {
			out.Rank = st.Rank
			break
		}
	}
	awards := s.awardsOf(p, member, m)
	total := len(awards)
	offset = min(max(offset, 0), total)
	if limit > 0 {
		n := min(limit, total-offset)
		out.History = make([]relief.Award, n)
		for i := range n {
			out.History[i] = awards[total-1-offset-i]
		}
	}
	return out, total, nil
}

// awardsOf returns the awards of member (number m in p), oldest first, not
// to be changed. Called with s.idx.mu read-locked.
func (s *Store) awardsOf(p *pointsTable, member ledger.DeviceID, m uint32) []relief.Award {
	p.lbMu.Lock()
	if p.lb != nil && p.lbVersion == p.version {
		defer p.lbMu.Unlock()
		for _, st := range p.lb.Standings {
			if st.Member == member {
				return st.History
			}
		}
		return nil
	}
	p.lbMu.Unlock()
	c := &s.views.pages
	c.mu.Lock()
	defer c.mu.Unlock()
	if h := c.hist; h != nil && h.version == p.version && h.member == member {
		return h.awards
	}
	var awards []relief.Award
	for ref, as := range p.entities() {
		for _, a := range as {
			if a.member == m {
				awards = append(awards, p.award(ref, a))
			}
		}
	}
	slices.SortFunc(awards, compareAwards)
	c.hist = &historyCache{version: p.version, member: member, awards: awards}
	return awards
}

// whatCounts counts entries per step (What) without a map: a handful of
// steps, compared by a linear search (a map's string hash per entry was
// most of an inbox page's CPU).
type whatCounts []whatCount

type whatCount struct {
	what string
	n    int
}

// add adds n to what's count.
func (c *whatCounts) add(what string, n int) {
	for i := range *c {
		if (*c)[i].what == what {
			(*c)[i].n += n
			return
		}
	}
	*c = append(*c, whatCount{what, n})
}

// of returns what's count (0 when never added).
func (c whatCounts) of(what string) int {
	for _, w := range c {
		if w.what == what {
			return w.n
		}
	}
	return 0
}

// OfferPoint is what the map shows of an offer (desk.MapPoints), as the
// offer view holds it: no record read.
type OfferPoint struct {
	ID, Code, Supplier, Region string
	Place                      relief.Place // zero for none
	ValidUntil                 time.Time    // zero: open-ended
}

// OfferPoints returns every offer's OfferPoint in the order of Offers
// (newest first, ties by descending id), from the offer view's rows: the
// map's offers without reading and folding 20,000 records per draw.
// Errors: the error the views' build met (awaitViews).
func (s *Store) OfferPoints() ([]OfferPoint, error) {
	if err := s.awaitViews(); err != nil {
		return nil, err
	}
	l, err := s.offerList()
	if err != nil {
		return nil, err
	}
	out := make([]OfferPoint, len(l.rows))
	for i, r := range l.rows {
		out[i] = OfferPoint{ID: r.ID, Code: r.Code, Supplier: r.Supplier, Region: r.Region, ValidUntil: r.ValidUntil}
		if r.Place != nil {
			out[i].Place = *r.Place
		}
	}
	return out, nil
}
