package desk

import (
	"slices"
	"strings"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// Pages: the screens that would otherwise receive tens of thousands of rows
// (inbox, leaderboard, volunteers, offers) ask for one window of a filtered
// list, with the total and the counts their filter chips show. Each page has
// the rows the whole-list query (Inbox, Leaderboard, Volunteers, Offers)
// would give, cut by window (the one place that clamps offset and limit),
// but is answered from the store's views (store/views_pages.go): the rows
// of a view say which records and how many, and only the page's records are
// read. pages_test.go checks them against the whole lists.

// DefaultPageLimit is the number of rows a page holds when the query asks for
// none (limit 0 or less).
const DefaultPageLimit = 100

// MaxPageLimit is the most rows a page holds; a larger limit is clamped to it.
const MaxPageLimit = 500

// window returns the bounds [lo, hi) of the page at offset with limit in a
// list of total rows: limit ≤ 0 becomes DefaultPageLimit, above MaxPageLimit
// becomes MaxPageLimit; offset < 0 becomes 0; an offset past the end gives an
// empty page (lo = hi = total). It also returns the limit as clamped.
func window(total, offset, limit int) (lo, hi, clamped int) {
	switch {
	case limit <= 0:
		limit = DefaultPageLimit
	case limit > MaxPageLimit:
		limit = MaxPageLimit
	}
	lo = min(max(offset, 0), total)
	hi = lo + min(limit, total-lo)
	return lo, hi, limit
}

// Window is where a page sits in its filtered list: Offset is the index of
// its first row (clamped to [0, Total]), Limit the page size as clamped (1 to
// MaxPageLimit), Total the number of rows the filter matches.
type Window struct {
	Offset int
	Limit  int
	Total  int
}

// pageOf cuts the page at offset with limit from rows, with its Window. The
// page shares rows' backing array; it is never nil.
func pageOf[T any](rows []T, offset, limit int) ([]T, Window) {
	lo, hi, limit := window(len(rows), offset, limit)
	page := rows[lo:hi:hi]
	if page == nil {
		page = []T{}
	}
	return page, Window{Offset: lo, Limit: limit, Total: len(rows)}
}

// InboxQuery asks for one page of this member's inbox.
type InboxQuery struct {
	// What keeps the entries waiting for this answer only (one of
	// InboxWhats); "" keeps all.
	What string
	// OverdueOnly keeps the entries past their reply-by only.
	OverdueOnly bool
	// Offset and Limit: see Window (Limit 0 is DefaultPageLimit).
	Offset, Limit int
}

// InboxPage is one page of the inbox, in the order of Inbox (overdue and due
// soon first, oldest first).
type InboxPage struct {
	Entries []Pending // never nil
	Window            // Total counts the entries the filter keeps
	// All is the number of entries in the whole inbox, unfiltered.
	All int
	// Counts holds, per What, the entries of the whole inbox waiting for it
	// (every What of relief's list is present, 0 when none); Overdue the
	// entries of the whole inbox past their reply-by. They ignore the query's
	// filters, so the filter chips keep their numbers while one is chosen.
	Counts  map[string]int
	Overdue int
}

// InboxWhats lists the answers an inbox entry may wait for, in the order the
// filter chips show them.
// An open demand a member owns waits for their follow-up (ReplyFollowUp) or
// their answer to a transfer request (ReplyTransfer); nothing is ReplyOwned
// any more.
var InboxWhats = []string{relief.ReplyReview, relief.ReplyPublish, relief.ReplyClaim, relief.ReplyAnswer, relief.ReplyComplete,
	relief.ReplyFollowUp, relief.ReplyTransfer, relief.ReplyRecheck, relief.ReplyConflict, relief.ReplyDelivery,
	relief.ReplyWithdrawn, relief.ReplyDuplicate, relief.ReplyUndone, relief.ReplyCheckout, relief.ReplyCovenant, relief.ReplyCovenantMissing,
	relief.ReplyFork}

// InboxPage returns the page of this member's inbox that q asks for, with its
// total and the counts of the filter chips. Errors: CodeInvalid naming "what"
// for an answer not in InboxWhats; CodeStorage. Cost: see
// store.Store.InboxWindowOf (O(page) while the inbox view is unchanged).
func (d *Desk) InboxPage(q InboxQuery) (InboxPage, error) {
	if q.What != "" && !slices.Contains(InboxWhats, q.What) {
		return InboxPage{}, FieldError(CodeInvalid, "what", "%q is not one of %v", q.What, InboxWhats)
	}
	_, _, limit := window(0, 0, q.Limit)
	w, err := d.st.InboxWindowOf(store.InboxWindowQuery{Member: d.st.Device(), Now: d.st.Now(),
		What: q.What, OverdueOnly: q.OverdueOnly, Offset: q.Offset, Limit: limit})
	if err != nil {
		return InboxPage{}, AsError(err)
	}
	out := InboxPage{All: w.All, Overdue: w.Overdue, Counts: make(map[string]int, len(InboxWhats))}
	for _, what := range InboxWhats {
		out.Counts[what] = w.Counts[what]
	}
	entries, err := d.pendingWithDemands(w.Entries)
	if err != nil {
		return InboxPage{}, err
	}
	d.emergencyContacts(entries)
	// The covenant's entries have no deadline: they come after the store's,
	// on the last page.
	cov, err := d.covenantPending()
	if err != nil {
		return InboxPage{}, err
	}
	total := w.Total
	for _, p := range cov {
		out.All++
		out.Counts[p.What]++
		if (q.What == "" || q.What == p.What) && !q.OverdueOnly {
			if i := total - q.Offset; i >= 0 && i < limit && len(entries) < limit {
				entries = append(entries, p)
			}
			total++
		}
	}
	out.Entries = entries
	lo, _, _ := window(total, q.Offset, limit)
	out.Window = Window{Offset: lo, Limit: limit, Total: total}
	return out, nil
}

// pendingWithDemands adds to each entry of ps its demand and that demand's
// title (for Inbox and InboxPage): a task's demand from the task view (no
// record read), titles from the demand list, else read from the store (a
// store opened without its list, or a change not listed yet). Never nil.
func (d *Desk) pendingWithDemands(ps []relief.Pending) ([]Pending, error) {
	var taskIDs []string
	for _, p := range ps {
		if p.Kind == relief.KindTask {
			taskIDs = append(taskIDs, p.ID)
		}
	}
	taskDemand := map[string]string{}
	if len(taskIDs) > 0 {
		var err error
		if taskDemand, err = d.st.TaskDemands(taskIDs); err != nil {
			return nil, AsError(err)
		}
	}
	out := make([]Pending, 0, len(ps))
	for _, p := range ps {
		v := Pending{Pending: p, DemandID: p.ID}
		switch p.Kind {
		case relief.KindTask:
			v.DemandID = taskDemand[p.ID]
		case relief.KindMember, relief.KindVolunteer, relief.KindOffer: // undone changes of a revoked member, a forked device, a refused write of a volunteer or offer: no demand
			out = append(out, Pending{Pending: p})
			continue
		}
		out = append(out, v)
	}
	// Titles from the list's packed views (only the title is read: a page
	// names ~100 demands), else from the store; a transfer's reason from
	// its demand's list view.
	for i := range out {
		id := out[i].DemandID
		if id == "" {
			continue
		}
		t, ok := d.st.DemandTitle(id)
		if !ok {
			if dm, err := d.st.Demand(id); err == nil {
				t = dm.Title
			}
		}
		out[i].Title = t
		if out[i].What == relief.ReplyTransfer {
			if dms := d.st.DemandsByID([]string{id}); len(dms) == 1 && dms[0].Transfer != nil {
				out[i].Reason = dms[0].Transfer.Reason
			}
		}
	}
	d.recheckContacts(out)
	d.recordTitles(out)
	return out, nil
}

// recheckContacts fills the contacts of the re-check entries of ps, projected
// for this member: the call-back list shows whom to call to those cleared.
func (d *Desk) recheckContacts(ps []Pending) {
	me, _ := d.st.Me()
	for i := range ps {
		if ps[i].What != relief.ReplyRecheck {
			continue
		}
		dm, err := d.st.Demand(ps[i].DemandID)
		if err != nil {
			continue // the entry still shows; its drawer says what is wrong
		}
		p, _ := relief.Project(dm, me)
		ps[i].Contacts = p.Contacts
	}
}

// StandingsPage is one page of the leaderboard: members with points, most
// first (ties by member key, as relief.Points ranks them). Each Standing's
// History is nil: History pages through one member's awards.
type StandingsPage struct {
	Standings []relief.Standing // never nil; History nil in each
	Window                      // Total is the number of members with points
}

// Standings returns the page of the leaderboard at offset with limit (see
// Window), without the awards, from the store's maintained totals. It
// returns no error today; the error is kept for the bound service.
func (d *Desk) Standings(offset, limit int) (StandingsPage, error) {
	rows, w := pageOf(d.st.Standings(), offset, limit)
	out := StandingsPage{Standings: make([]relief.Standing, len(rows)), Window: w}
	for i, s := range rows {
		s.History = nil
		out.Standings[i] = s
	}
	return out, nil
}

// HistoryPage is one page of a member's points history, newest first (the
// reverse of relief.Standing.History's order, so ties keep a fixed order).
type HistoryPage struct {
	Member ledger.DeviceID
	Awards []relief.Award // never nil
	Window                // Total is the number of the member's awards
	Points int            // the member's points, 0 without any
	Rank   int            // the member's rank, 0 without points
}

// History returns the page of member's awards at offset with limit (see
// Window), newest first; a member without points (or unknown) has an empty
// history. Errors: CodeInvalid naming "member" when it is not a member id;
// CodeStorage. Cost: see store.Store.PointsPage.
func (d *Desk) History(member string, offset, limit int) (HistoryPage, error) {
	id, err := ledger.ParseDeviceID(member)
	if err != nil {
		return HistoryPage{}, FieldError(CodeInvalid, "member", "%q is not a member id: %v", member, err)
	}
	_, _, clamped := window(0, 0, limit)
	s, total, err := d.st.PointsPage(id, offset, clamped)
	if err != nil {
		return HistoryPage{}, AsError(err)
	}
	lo, _, _ := window(total, offset, clamped)
	out := HistoryPage{Member: id, Points: s.Points, Rank: s.Rank, Awards: s.History,
		Window: Window{Offset: lo, Limit: clamped, Total: total}}
	if out.Awards == nil {
		out.Awards = []relief.Award{}
	}
	return out, nil
}

// VolunteerQuery asks for one page of the volunteer registry.
type VolunteerQuery struct {
	// Text keeps the volunteers whose name, code, skills, training, region or
	// organisation contain it (case-insensitive, as this member may see them);
	// "" keeps all.
	Text string
	// Skill keeps those with exactly this skill; "" keeps all.
	Skill string
	// Region keeps those of exactly this region; "" keeps all.
	Region string
	// AvailableNow keeps those inside one of their windows now (local time).
	AvailableNow bool
	// Offset and Limit: see Window.
	Offset, Limit int
}

// VolunteersPage is one page of the volunteer registry, in the order of
// Volunteers.
type VolunteersPage struct {
	Volunteers []Volunteer // never nil
	Window                 // Total counts the volunteers the query keeps
	// All is the number of volunteers in the registry.
	All int
	// Skills and Regions are every skill and region of the registry, sorted,
	// for the filter menus (never nil).
	Skills  []string
	Regions []string
	// Revs names, for each of Volunteers, what it was made from: the same
	// Rev (never 0) is the same volunteer as this member saw it, less
	// AvailableNow, Today and Load; 0 says nothing. For the bound service's
	// own cache.
	Revs []uint64
}

// VolunteersPage returns the page of volunteers q asks for, from the
// volunteer view's rows (store.Store.VolunteerRowsFor); a viewer who may not
// see team fields gets it cut from Volunteers. Errors: CodeStorage.
func (d *Desk) VolunteersPage(q VolunteerQuery) (VolunteersPage, error) {
	// me from the roster the kept records are keyed by (one read: a roster
	// changing between two reads would key an old projection to the new one)
	roster := d.st.Roster()
	me, _ := roster.Member(d.st.Device())
	if relief.Clearance(relief.Volunteer{}, me) < relief.LevelTeam {
		// A viewer who sees no team field searches blanked profiles: the
		// view's rows (the whole profiles) would not answer as the list.
		return d.volunteersPageFromList(q)
	}
	now := d.st.Now().In(relief.IncidentZone)
	rq := store.VolunteerRowsQuery{Skill: strings.TrimSpace(q.Skill), Region: strings.TrimSpace(q.Region),
		Text: strings.ToLower(strings.TrimSpace(q.Text))}
	if q.AvailableNow {
		rq.At = now
	}
	_, _, limit := window(0, 0, q.Limit)
	rq.Offset, rq.Limit = q.Offset, limit
	rows, err := d.st.VolunteerRowsFor(rq)
	if err != nil {
		return VolunteersPage{}, AsError(err)
	}
	out := VolunteersPage{All: rows.All, Skills: rows.Skills, Regions: rows.Regions}
	// The rows decide: only the page's records are read, and only those
	// not kept since their row changed (pagecache.go).
	lo, _, _ := window(rows.Total, q.Offset, limit)
	out.Window = Window{Offset: lo, Limit: limit, Total: rows.Total}
	cached := make([]*cachedVolunteer, len(rows.IDs))
	var missing []string
	for i, id := range rows.IDs {
		if c, ok := d.vols.get(id, rows.Revs[i], roster); ok {
			cached[i] = c
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		read, err := d.st.VolunteersByID(missing)
		if err != nil {
			return VolunteersPage{}, AsError(err)
		}
		j := 0
		for i := range cached {
			if cached[i] == nil {
				cached[i] = newCachedVolunteer(read[j], me)
				d.vols.put(rows.IDs[i], rows.Revs[i], roster, cached[i])
				j++
			}
		}
	}
	keys := make([]ledger.DeviceID, 0, len(cached))
	for _, c := range cached {
		if !c.v.Key.IsZero() {
			keys = append(keys, c.v.Key)
		}
	}
	load, err := d.st.AcceptedTasksOf(keys)
	if err != nil {
		return VolunteersPage{}, AsError(err)
	}
	out.Volunteers = make([]Volunteer, len(cached))
	out.Revs = make([]uint64, len(cached))
	for i, c := range cached {
		out.Volunteers[i] = c.at(now, load)
		out.Revs[i] = c.token
	}
	return out, nil
}

// volunteersPageFromList is VolunteersPage cut from the whole list
// (Volunteers), for a viewer whose projection blanks the fields the view
// filters on.
func (d *Desk) volunteersPageFromList(q VolunteerQuery) (VolunteersPage, error) {
	all, err := d.Volunteers()
	if err != nil {
		return VolunteersPage{}, err
	}
	text := strings.ToLower(strings.TrimSpace(q.Text))
	skill, region := strings.TrimSpace(q.Skill), strings.TrimSpace(q.Region)
	skills, regions := map[string]bool{}, map[string]bool{}
	kept := all[:0:0]
	for _, v := range all {
		for _, s := range v.Skills {
			skills[s] = true
		}
		if v.Region != "" {
			regions[v.Region] = true
		}
		switch {
		case skill != "" && !slices.Contains(v.Skills, skill),
			region != "" && v.Region != region,
			q.AvailableNow && !v.AvailableNow,
			text != "" && !strings.Contains(volunteerText(v), text):
			continue
		}
		kept = append(kept, v)
	}
	out := VolunteersPage{All: len(all), Skills: sortedKeys(skills), Regions: sortedKeys(regions)}
	out.Volunteers, out.Window = pageOf(kept, q.Offset, q.Limit)
	return out, nil
}

// volunteerText is what VolunteerQuery.Text searches in v, lower case.
func volunteerText(v Volunteer) string {
	parts := append([]string{v.Name, v.Code, v.Region, v.Organisation}, v.Skills...)
	parts = append(parts, v.Training...)
	return strings.ToLower(strings.Join(parts, "\x00"))
}

// sortedKeys returns the keys of m, sorted; never nil.
func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// OfferQuery asks for one page of the offers.
type OfferQuery struct {
	// Text keeps the offers whose supplier, region, code or item names
	// contain it (as Offers); "" keeps all.
	Text string
	// Kind keeps the offers of this kind (relief.OfferKinds, as
	// relief.OfferKindOf guesses it); "" keeps all.
	Kind relief.OfferKind
	// Offset and Limit: see Window.
	Offset, Limit int
}

// OffersPage is one page of the offers, newest first (the order of Offers).
type OffersPage struct {
	Offers []VisibleOffer // never nil
	Window                // Total counts the offers the query keeps
	// Counts holds, per kind of relief.OfferKinds (each present), the offers
	// matching the query's Text, whatever its Kind: the numbers of the kind
	// chips. Matching is their sum.
	Counts   map[relief.OfferKind]int
	Matching int
	// All counts every offer, whatever the query: a searched list says
	// "Matching of All".
	All int
	// Revs names, for each of Offers, what it was made from, as
	// VolunteersPage.Revs (Expired is set per call).
	Revs []uint64
}

// OffersPage returns the page of offers q asks for, with the counts per kind.
// Errors: CodeInvalid naming "kind" for a kind not in relief.OfferKinds;
// CodeStorage. Cost: see store.Store.OffersWindow.
func (d *Desk) OffersPage(q OfferQuery) (OffersPage, error) {
	if q.Kind != "" && !slices.Contains(relief.OfferKinds, q.Kind) {
		return OffersPage{}, FieldError(CodeInvalid, "kind", "%q is not one of %v", q.Kind, relief.OfferKinds)
	}
	_, _, limit := window(0, 0, q.Limit)
	w, err := d.st.OfferRowsWindow(q.Text, q.Kind, max(q.Offset, 0), limit)
	if err != nil {
		return OffersPage{}, AsError(err)
	}
	out := OffersPage{Counts: w.Counts, All: w.All}
	for _, n := range w.Counts {
		out.Matching += n
	}
	roster := d.st.Roster() // me from it: see VolunteersPage
	me, _ := roster.Member(d.st.Device())
	now := d.st.Now()
	cached := make([]*cachedOffer, len(w.IDs))
	var missing []string
	for i, id := range w.IDs {
		if c, ok := d.offers.get(id, w.Revs[i], roster); ok {
			cached[i] = c
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		read, err := d.st.OffersByID(missing)
		if err != nil {
			return OffersPage{}, AsError(err)
		}
		j := 0
		for i := range cached {
			if cached[i] == nil {
				cached[i] = &cachedOffer{o: visibleOffer(read[j], me, now), token: pageTokens.Add(1)}
				d.offers.put(w.IDs[i], w.Revs[i], roster, cached[i])
				j++
			}
		}
	}
	out.Offers = make([]VisibleOffer, len(cached))
	out.Revs = make([]uint64, len(cached))
	for i, c := range cached {
		out.Offers[i] = c.at(now)
		out.Revs[i] = c.token
	}
	lo, _, _ := window(w.Total, q.Offset, limit)
	out.Window = Window{Offset: lo, Limit: limit, Total: w.Total}
	return out, nil
}
