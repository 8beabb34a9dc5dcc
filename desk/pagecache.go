package desk

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// The volunteer and offer pages keep each record as this member sees it
// (folded, projected: relief.Project's reflection, a Badger read and a fold
// per row and call were most of a page's 4,000–5,000 allocations), keyed by
// the view row's revision (store.VolunteerRows.Revs: a new one whenever the
// record is written again) and the roster (which decides the fold and this
// member's clearance). Only what depends on the moment of the call
// (availability now, load, an offer's expiry) is set per call.

// pageCacheMax is the most records one page cache keeps: twenty
// pages of 100 (≈ 1 MB of projected records). When full it is emptied
// (the next pages fill it again).
const pageCacheMax = 2048

// pageTokens numbers the entries the page caches make (VolunteersPage.Revs,
// OffersPage.Revs): the bound services key their own views on it.
var pageTokens atomic.Uint64

// pageEntry is one record of a page cache.
type pageEntry[T any] struct {
	rev    uint64         // the view row's revision
	roster *relief.Roster // the roster it was folded and projected with
	val    T
}

// pageCache maps a record id to its entry.
type pageCache[T any] struct {
	mu sync.Mutex
	m  map[string]pageEntry[T]
}

// get returns the entry of id when it was made for rev and roster.
func (c *pageCache[T]) get(id string, rev uint64, roster *relief.Roster) (T, bool) {
	c.mu.Lock()
	e, ok := c.m[id]
	c.mu.Unlock()
	if !ok || e.rev != rev || e.roster != roster || rev == 0 {
		var zero T
		return zero, false
	}
	return e.val, true
}

// put keeps val as id's entry for rev and roster.
func (c *pageCache[T]) put(id string, rev uint64, roster *relief.Roster, val T) {
	if rev == 0 {
		return
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= pageCacheMax {
		c.m = make(map[string]pageEntry[T], 256)
	}
	c.m[id] = pageEntry[T]{rev: rev, roster: roster, val: val}
	c.mu.Unlock()
}

// cachedVolunteer is a volunteer as this member sees it, without what
// depends on the call's moment: the windows of each weekday are cut once.
type cachedVolunteer struct {
	v     Volunteer          // Load, AvailableNow, Today unset
	today [7][]relief.Window // the projected windows of each weekday (time.Weekday), capped
	token uint64             // from pageTokens
}

// at returns c's volunteer at now with load (volunteerFor's answer).
func (c *cachedVolunteer) at(now time.Time, load map[ledger.DeviceID]int) Volunteer {
	out := c.v
	out.Today = c.today[now.Weekday()]
	minute := now.Hour()*60 + now.Minute()
	for _, w := range out.Today {
		out.AvailableNow = out.AvailableNow || (minute >= w.From && minute < w.To)
	}
	if !out.Key.IsZero() {
		out.Load = load[out.Key]
	}
	return out
}

// newCachedVolunteer projects v for viewer (volunteerFor less the moment).
func newCachedVolunteer(v relief.Volunteer, viewer relief.Member) *cachedVolunteer {
	p, hidden := relief.Project(v, viewer)
	c := &cachedVolunteer{v: Volunteer{Volunteer: p, Hidden: withSealed(hidden, v.Sealed)}, token: pageTokens.Add(1)}
	for _, w := range p.Availability {
		if w.Day >= 0 && int(w.Day) < len(c.today) {
			c.today[w.Day] = append(c.today[w.Day], w)
		}
	}
	for d := range c.today {
		c.today[d] = slices.Clip(c.today[d]) // shared: an append must copy
	}
	return c
}

// cachedOffer is an offer as this member sees it (visibleOffer less the
// moment: Expired is set per call).
type cachedOffer struct {
	o     VisibleOffer
	token uint64 // from pageTokens
}

// at returns c's offer at now (visibleOffer's answer).
func (c *cachedOffer) at(now time.Time) VisibleOffer {
	out := c.o
	out.Expired = !out.Offer.ValidUntil.IsZero() && !out.Offer.ValidUntil.After(now)
	return out
}
