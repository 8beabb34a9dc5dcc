package store

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reliefmesh/reliefmesh/relief"
)

// DemandSort is an order of the demand list.
type DemandSort string

// The orders of the demand list. Ties keep the newest-first order.
const (
	// SortNewest lists the newest demand first (by creation stamp, then id).
	SortNewest DemandSort = ""
	// SortUrgency lists critical demands first, then high, normal and low.
	SortUrgency DemandSort = "urgency"
	// SortReplyBy lists the earliest reply-by first (relief.ReplyBy under
	// the network's deadlines); demands that wait for nobody come last.
	SortReplyBy DemandSort = "replyBy"
)

// plan is a DemandQuery made ready for a table: the numbers of the values the
// filters want, the overdue cut-offs and the windows of the deadlines.
type plan struct {
	want    rowKey
	overdue bool
	// cutoff[w] is the latest wait start (Unix ns, exclusive) of a row
	// waiting for w that is overdue at the query's now.
	cutoff [waitKinds]int64
	// window[w] is the reply-by window of w in nanoseconds.
	window [waitKinds]int64
	sort   DemandSort
}

// match reports whether the row in slot s passes the filters of p (all but
// text and code).
func (t *demandTable) match(p *plan, s uint32) bool {
	k := &t.keys[s]
	w := &p.want
	return (w.status == 0 || k.status == w.status) && (w.category == 0 || k.category == w.category) &&
		(w.district == 0 || k.district == w.district) && (w.owner == 0 || k.owner == w.owner) &&
		(w.urgency == 0 || k.urgency == w.urgency) &&
		(!p.overdue || (k.wait != waitNone && k.since < p.cutoff[k.wait]))
}

// due returns the reply-by (Unix ns) of the row in slot s, which waits.
func (t *demandTable) due(p *plan, s uint32) int64 {
	k := &t.keys[s]
	return k.since + p.window[k.wait]
}

// cmpOrder orders slots as p.sort lists them.
func (t *demandTable) cmpOrder(p *plan, a, b uint32) int {
	switch p.sort {
	case SortUrgency:
		if c := cmp.Compare(t.keys[a].rank, t.keys[b].rank); c != 0 {
			return c
		}
	case SortReplyBy:
		wa, wb := t.keys[a].wait != waitNone, t.keys[b].wait != waitNone
		switch {
		case wa && wb:
			if c := cmp.Compare(t.due(p, a), t.due(p, b)); c != 0 {
				return c
			}
		case wa != wb:
			if wa {
				return -1
			}
			return 1
		}
	}
	return t.cmpSlots(b, a)
}

// query returns the page of rows matching q, in the order q.Sort asks, and
// how many match in all. dl are the network's deadlines and now the time
// q.Overdue compares with.
func (t *demandTable) query(q DemandQuery, dl relief.Deadlines, now time.Time) (page []*demandRow, total int) {
	text := strings.ToLower(strings.TrimSpace(q.Text))
	if strings.IndexByte(text, 0) >= 0 {
		return nil, 0 // no field contains a 0
	}
	p := &plan{overdue: q.Overdue, sort: q.Sort}
	for _, f := range []struct {
		v  string
		id *uint32
	}{{string(q.Status), &p.want.status}, {q.Category, &p.want.category}, {q.District, &p.want.district},
		{q.Owner, &p.want.owner}, {string(q.Urgency), &p.want.urgency}} {
		if f.v == "" {
			continue
		}
		id, ok := t.ids[f.v]
		if !ok {
			return nil, 0 // no row has that value
		}
		*f.id = id
	}
	for w := waitNone + 1; w < waitKinds; w++ {
		win := dl.Due(waitNames[w], now).Sub(now)
		p.window[w] = int64(win)
		p.cutoff[w] = now.UnixNano() - int64(win)
	}

	// The candidates: the rows with the code, and those holding the text's bigrams.
	var cands []uint32
	restricted := false
	if code := strings.ToUpper(strings.TrimSpace(q.Code)); code != "" {
		if cands, restricted = t.withCode(code), true; len(cands) == 0 {
			return nil, 0
		}
	}
	// A demand whose creation is not held (undone by a revocation, or not
	// arrived) is not listed: it has no title and nothing waits on it. Every
	// store derives it alike (relief.Demand.Uncreated); it still answers by
	// id, for the undone entry through which a coordinator adopts it.
	codeCands, codeRestricted := slices.Clone(cands), restricted // before the text narrows them in place (withAlso)
	has := func(s uint32) bool { return !t.slots[s].uncreated }
	filtered := false // has checks more than the creation
	// Words separated by spaces (a full-width one too) must each be found,
	// anywhere and in any order: "防护服 江岸" finds 江岸区's demands for
	// protective suits.
	for _, term := range strings.Fields(text) {
		inText := has
		filtered = true
		switch n := utf8.RuneCountInString(term); {
		case n == 1 || t.gramsLater: // gramsLater: the postings are not made yet (buildTableLater)
			has = func(s uint32) bool { return contains(t.texts[s], term) && inText(s) }
		case n >= 2:
			c := t.candidates(term)
			if restricted {
				cands = intersect(cands, c)
			} else {
				cands, restricted = c, true
			}
			if n > 2 {
				has = func(s uint32) bool { return contains(t.texts[s], term) && inText(s) }
			}
		}
	}
	if len(q.AlsoIDs) > 0 && text != "" {
		has, cands = t.withAlso(q.AlsoIDs, has, cands, restricted, codeCands, codeRestricted)
	}
	if q.Categories != nil {
		want := map[uint32]bool{} // the categories' value ids in this table
		for _, c := range q.Categories {
			if id, ok := t.ids[strings.ToLower(strings.TrimSpace(c))]; ok {
				want[id] = true
			}
		}
		if len(want) == 0 {
			return nil, 0
		}
		inCats := has
		has = func(s uint32) bool { return want[t.keys[s].category] && inCats(s) }
	}
	if reg := strings.TrimSpace(q.Region); reg != "" {
		inText := has
		has = func(s uint32) bool {
			r := t.slots[s]
			return r.placeOf().Within(reg, r.district) && inText(s)
		}
	}
	if restricted && len(cands) == 0 {
		return nil, 0
	}
	if q.Categories != nil || strings.TrimSpace(q.Region) != "" {
		filtered = true
	}

	offset, limit := max(q.Offset, 0), q.Limit
	if limit <= 0 {
		limit = len(t.order)
	}
	if p.overdue && p.want == (rowKey{}) && !restricted && !filtered && p.sort != SortReplyBy {
		return t.overduePage(p, offset, limit)
	}
	take := func(s uint32) {
		if total >= offset && total < offset+limit {
			page = append(page, t.slots[s])
		}
		total++
	}
	if restricted && len(cands)*16 < len(t.order) {
		// Few candidates: check them, then sort the matches.
		found := cands[:0]
		for _, s := range cands {
			if t.match(p, s) && has(s) {
				found = append(found, s)
			}
		}
		slices.SortFunc(found, func(a, b uint32) int { return t.cmpOrder(p, a, b) })
		for _, s := range found {
			take(s)
		}
		return page, total
	}
	keep := func(s uint32) bool { return t.match(p, s) && has(s) }
	if restricted {
		in := make([]uint64, (len(t.slots)+63)/64)
		for _, s := range cands {
			in[s/64] |= 1 << (s % 64)
		}
		keep = func(s uint32) bool { return in[s/64]&(1<<(s%64)) != 0 && t.match(p, s) && has(s) }
	}
	t.each(p, keep, take)
	return page, total
}

// withAlso widens the text's test has and its candidates cands (restricted:
// cands hold every row the text may match) to the rows of ids
// (DemandQuery.AlsoIDs) that are created and, with a code, have it
// (codeCands when codeRestricted).
func (t *demandTable) withAlso(ids []string, has func(uint32) bool, cands []uint32, restricted bool,
	codeCands []uint32, codeRestricted bool) (func(uint32) bool, []uint32) {
	also := make(map[uint32]bool, len(ids))
	for _, id := range ids {
		r, ok := t.row(id)
		if !ok || r.uncreated || (codeRestricted && !slices.Contains(codeCands, r.slot)) {
			continue
		}
		also[r.slot] = true
	}
	if len(also) == 0 {
		return has, cands
	}
	if restricted {
		union := slices.Clone(cands)
		for s := range also {
			union = append(union, s)
		}
		slices.Sort(union)
		cands = slices.Compact(union)
	}
	return func(s uint32) bool { return also[s] || has(s) }, cands
}

// overdueEnds returns, per kind of wait, the length of the prefix of its wait
// list that is overdue under p (binary search: a list is in order of its
// rows' wait start).
func (t *demandTable) overdueEnds(p *plan) (end [waitKinds]int) {
	for w := waitNone + 1; w < waitKinds; w++ {
		end[w], _ = slices.BinarySearchFunc(t.waits[w], p.cutoff[w], func(s uint32, c int64) int {
			if t.keys[s].since < c {
				return -1
			}
			return 1
		})
	}
	return end
}

// overduePage answers a query whose only filter is "overdue", in the age
// (or urgency) order: the total is the sum of the wait lists' overdue
// prefixes (a row that waits is created, see relief.Waiting), and the walk
// of the order stops once the page is full, instead of checking every row
// to count them (5.8 ms of CPU at 100,000 demands).
func (t *demandTable) overduePage(p *plan, offset, limit int) (page []*demandRow, total int) {
	for _, n := range t.overdueEnds(p) { // waitNone's is 0
		total += n
	}
	if offset >= total {
		return nil, total
	}
	n, stop := 0, offset+min(limit, total-offset)
	visit := func(s uint32) bool {
		k := &t.keys[s]
		if k.wait == waitNone || k.since >= p.cutoff[k.wait] {
			return true
		}
		if n >= offset {
			page = append(page, t.slots[s])
		}
		n++
		return n < stop
	}
	if p.sort == SortUrgency {
		for rank := range uint8(4) {
			for i := len(t.order) - 1; i >= 0; i-- {
				if s := t.order[i]; t.keys[s].rank == rank && !visit(s) {
					return page, total
				}
			}
		}
		return page, total
	}
	for i := len(t.order) - 1; i >= 0; i-- {
		if !visit(t.order[i]) {
			break
		}
	}
	return page, total
}

// each calls take with every slot keep accepts, in the order p.sort asks. It
// walks the indexes kept in that order: the age order (newest first, once per
// urgency for SortUrgency) or the wait lists merged (SortReplyBy).
func (t *demandTable) each(p *plan, keep func(uint32) bool, take func(uint32)) {
	switch p.sort {
	case SortUrgency:
		for rank := range uint8(4) {
			for i := len(t.order) - 1; i >= 0; i-- {
				if s := t.order[i]; t.keys[s].rank == rank && keep(s) {
					take(s)
				}
			}
		}
	case SortReplyBy:
		var at, end [waitKinds]int
		if p.overdue { // only a prefix of each list is overdue
			end = t.overdueEnds(p)
		} else {
			for w := waitNone + 1; w < waitKinds; w++ {
				end[w] = len(t.waits[w])
			}
		}
		for {
			best := waitNone
			for w := waitNone + 1; w < waitKinds; w++ {
				if at[w] < end[w] && (best == waitNone || t.cmpOrder(p, t.waits[w][at[w]], t.waits[best][at[best]]) < 0) {
					best = w
				}
			}
			if best == waitNone {
				break
			}
			s := t.waits[best][at[best]]
			at[best]++
			if keep(s) {
				take(s)
			}
		}
		if p.overdue {
			return // rows waiting for nobody are never overdue
		}
		for i := len(t.order) - 1; i >= 0; i-- {
			if s := t.order[i]; t.keys[s].wait == waitNone && keep(s) {
				take(s)
			}
		}
	default:
		for i := len(t.order) - 1; i >= 0; i-- {
			if s := t.order[i]; keep(s) {
				take(s)
			}
		}
	}
}
