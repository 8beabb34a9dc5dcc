package desk

import (
	"cmp"

	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// Bulletin is what a bulletin holds, for bulletin.WriteWith: the demands and
// the member it is written for.
type Bulletin struct {
	// Demands are list views (no history), newest first as the demand list
	// orders them.
	Demands []relief.Demand
	// Unpublished counts the demands left out because they are not published
	// yet (collected or approved); 0 when they are included.
	Unpublished int
	// Viewer is this device's member (the zero Member before it is one):
	// bulletin.Options.Viewer, who must be cleared for a team or restricted
	// bulletin.
	Viewer relief.Member
}

// BulletinCount is how many demands a bulletin would hold now: Demands
// (published or in progress) and Unpublished (collected or approved, so left
// out until a reviewer publishes them). Closed demands are in neither.
type BulletinCount struct {
	Demands     int
	Unpublished int
}

// bulletinStatuses are the statuses of the demands a bulletin holds, and
// unpublishedStatuses those it leaves out until they are published.
var (
	bulletinStatuses    = []relief.Status{relief.StatusPublished, relief.StatusInProgress}
	unpublishedStatuses = []relief.Status{relief.StatusCollected, relief.StatusApproved}
)

// BulletinCount returns how many demands a bulletin would hold now, and how
// many are left out as not yet published, from the store's counts per status
// (no demand is read).
func (d *Desk) BulletinCount() BulletinCount {
	counts := d.st.DemandCounts()
	var c BulletinCount
	for _, s := range bulletinStatuses {
		c.Demands += counts[s]
	}
	for _, s := range unpublishedStatuses {
		c.Unpublished += counts[s]
	}
	return c
}

// Bulletin returns the demands of a bulletin: the published and in-progress
// ones, or every demand (closed ones too) with includeUnpublished, as a
// practice network or a test wants. It reads the store's in-memory demand
// list (one query per status), never the records in Badger. Errors: storage
// errors.
func (d *Desk) Bulletin(includeUnpublished bool) (Bulletin, error) {
	me, _ := d.st.Me()
	if includeUnpublished {
		all, err := d.st.Demands(store.DemandQuery{})
		if err != nil {
			return Bulletin{}, AsError(err)
		}
		return Bulletin{Demands: all, Viewer: me}, nil
	}
	var lists [][]relief.Demand
	n := 0
	for _, s := range bulletinStatuses {
		ds, err := d.st.Demands(store.DemandQuery{Status: s})
		if err != nil {
			return Bulletin{}, AsError(err)
		}
		lists = append(lists, ds)
		n += len(ds)
	}
	b := Bulletin{Demands: mergeNewestFirst(lists[0], lists[1], n), Viewer: me}
	counts := d.st.DemandCounts()
	for _, s := range unpublishedStatuses {
		b.Unpublished += counts[s]
	}
	return b, nil
}

// mergeNewestFirst merges two lists in the demand list's order (newest
// first, ties by ascending id) into one of capacity n.
func mergeNewestFirst(a, b []relief.Demand, n int) []relief.Demand {
	out := make([]relief.Demand, 0, n)
	for len(a) > 0 && len(b) > 0 {
		if newerFirst(a[0], b[0]) <= 0 {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}

// newerFirst orders demands as the demand list does: newest first, of two
// created at the same stamp the one with the smaller id first.
func newerFirst(a, b relief.Demand) int {
	if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// BulletinLevels returns the bulletin levels this device's member may ask
// for, lowest first: always public; team for an active member; restricted
// for an active coordinator or reviewer (relief.Clearance of a demand the
// member does not own). A volunteer who owns every exported demand is also
// cleared for restricted by bulletin.WriteWith, but it is not offered.
func (d *Desk) BulletinLevels() []relief.Level {
	me, _ := d.st.Me()
	out := []relief.Level{relief.LevelPublic}
	switch relief.Clearance(relief.Demand{}, me) {
	case relief.LevelRestricted:
		out = append(out, relief.LevelTeam, relief.LevelRestricted)
	case relief.LevelTeam:
		out = append(out, relief.LevelTeam)
	}
	return out
}
