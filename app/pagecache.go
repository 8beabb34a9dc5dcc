package app

import (
	"sync"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/relief"
)

// viewCache keeps the views the volunteer and offer pages sent, by the
// desk's revision of the record (desk.VolunteersPage.Revs,
// desk.OffersPage.Revs): a page shown again converts only what depends on
// the call's moment, not every row's slices (≈ 5 allocations a row). The
// views' slices are shared between the answers: nothing modifies them
// (they are marshalled to the UI).
type viewCache[T any] struct {
	mu sync.Mutex
	m  map[uint64]T
}

// viewCacheMax is the most views one viewCache keeps; when full it is
// emptied.
const viewCacheMax = 2048

// get returns the view kept for rev (never for 0).
func (c *viewCache[T]) get(rev uint64) (T, bool) {
	var zero T
	if rev == 0 {
		return zero, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[rev]
	return v, ok
}

// put keeps v for rev (not for 0).
func (c *viewCache[T]) put(rev uint64, v T) {
	if rev == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= viewCacheMax {
		c.m = make(map[uint64]T, 256)
	}
	c.m[rev] = v
}

// keptVolunteer is a volunteer's view and the day's windows it was made
// with (the desk's slice: the same slice is the same windows).
type keptVolunteer struct {
	view  VolunteerView
	today []relief.Window
}

// volunteerViewOf returns volunteerView(v), from the view c keeps for rev
// when there is one: AvailableNow and Load are v's, and Today too (made
// again when v's day is another).
func volunteerViewOf(c *viewCache[keptVolunteer], rev uint64, v desk.Volunteer) VolunteerView {
	kept, ok := c.get(rev)
	if !ok {
		kept = keptVolunteer{view: volunteerView(v), today: v.Today}
		c.put(rev, kept)
		return kept.view
	}
	if !sameSlice(kept.today, v.Today) {
		kept = keptVolunteer{view: kept.view, today: v.Today}
		kept.view.Today = windowViews(v.Today)
		c.put(rev, kept)
	}
	out := kept.view
	out.AvailableNow, out.Load = v.AvailableNow, v.Load
	return out
}

// offerViewOf returns offerView(o), from the view c keeps for rev when
// there is one: Expired is o's.
func offerViewOf(c *viewCache[OfferView], rev uint64, o desk.VisibleOffer) OfferView {
	out, ok := c.get(rev)
	if !ok {
		out = offerView(o)
		c.put(rev, out)
		return out
	}
	out.Expired = o.Expired
	return out
}

// sameSlice reports whether a and b are the same slice (same elements in
// the same memory), not only equal ones.
func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// revAt returns revs[i], 0 when revs does not have it (a page cut from the
// whole list has none).
func revAt(revs []uint64, i int) uint64 {
	if i < len(revs) {
		return revs[i]
	}
	return 0
}
