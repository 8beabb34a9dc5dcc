package store

import "github.com/reliefmesh/reliefmesh/relief"

// EachDemand calls fn with the list view of every demand matching q (q.Offset
// and q.Limit are ignored), newest first, as Demands orders them, without
// copying them: the map reads a few fields of every demand this way instead
// of copying 100,000 demands. fn runs under the demand list's read lock: it
// must not keep d or anything d points to beyond the call, modify it, nor
// call the store (a writer waiting for the lock would block it).
func (s *Store) EachDemand(q DemandQuery, fn func(d *relief.Demand)) {
	q.Offset, q.Limit = 0, 0
	now := q.Now
	if now.IsZero() {
		now = s.now()
	}
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	rows, _ := s.idx.t.query(q, s.idx.dl, now)
	var d relief.Demand // decoded into, row after row
	for _, r := range rows {
		r.scratchInto(&d)
		fn(&d)
	}
}
