package store

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// Covenants returns the versions of the network's covenant as every peer
// folds them (relief.FoldCovenants with the current roster), oldest first;
// the last is the current one. The fold is kept until a covenant record is
// committed or cut, or the roster changes (covenantCache): the inbox asks on
// every page. The slice is the caller's; the versions' own slices are shared
// and must not be modified. Errors: a read of Badger or a record that does
// not decode.
func (s *Store) Covenants() ([]relief.CovenantVersion, error) {
	vs, err := s.covenantVersions()
	return slices.Clone(vs), err
}

// CovenantPending returns the covenant's inbox entries for member me
// (relief.CovenantPending over Covenants and the current roster), kept as
// Covenants keeps its fold: the inbox's pages read it on every call without
// reading Badger. The slice is shared: callers must not modify it. Errors:
// as Covenants.
func (s *Store) CovenantPending(me ledger.DeviceID) ([]relief.Pending, error) {
	c := &s.covenants
	gen, roster := c.gen.Load(), s.rosterNow.Load()
	c.mu.Lock()
	if c.pendingGen == gen && c.pendingRoster == roster && c.pendingMe == me && c.pendingOK {
		out := c.pending
		c.mu.Unlock()
		return out, nil
	}
	c.mu.Unlock()
	vs, err := s.covenantVersions()
	if err != nil {
		return nil, err
	}
	out := relief.CovenantPending(me, roster, vs)
	c.mu.Lock()
	c.pending, c.pendingGen, c.pendingRoster, c.pendingMe, c.pendingOK = out, gen, roster, me, true
	c.mu.Unlock()
	return out, nil
}

// covenantCache keeps the covenant's fold for one roster and one gen. gen
// counts the covenant records committed (indexRecords) and cut (cutRecords):
// it moves after Badger holds the record, so a fold read at an older gen
// is never kept under a newer one.
type covenantCache struct {
	gen atomic.Uint64
	mu  sync.Mutex
	// the fold at vsGen with vsRoster (vsOK once made)
	vs       []relief.CovenantVersion
	vsGen    uint64
	vsRoster *relief.Roster
	vsOK     bool
	// the entries of pendingMe at pendingGen with pendingRoster
	pending       []relief.Pending
	pendingGen    uint64
	pendingRoster *relief.Roster
	pendingMe     ledger.DeviceID
	pendingOK     bool
}

// covenantVersions is Covenants' fold, shared (see covenantCache).
func (s *Store) covenantVersions() ([]relief.CovenantVersion, error) {
	c := &s.covenants
	gen, roster := c.gen.Load(), s.rosterNow.Load()
	c.mu.Lock()
	if c.vsOK && c.vsGen == gen && c.vsRoster == roster {
		vs := c.vs
		c.mu.Unlock()
		return vs, nil
	}
	c.mu.Unlock()
	recs, err := foldAll(s, relief.KindCovenant, func(rec *relief.Record) *relief.Record { return rec })
	if err != nil {
		return nil, err
	}
	vs := relief.FoldCovenants(recs, roster)
	c.mu.Lock()
	c.vs, c.vsGen, c.vsRoster, c.vsOK = vs, gen, roster, true
	c.mu.Unlock()
	return vs, nil
}

// Partners returns the partner organisations (relief.FoldPartnerChecked:
// the writes their authors were allowed to make), in id order; those undone
// by a revocation cut, and those no allowed write named (recorded by an
// observer), are left out. Errors: as Covenants.
func (s *Store) Partners() ([]relief.Partner, error) {
	roster := s.currentRoster()
	ps, err := foldAll(s, relief.KindPartner, func(rec *relief.Record) *relief.Partner {
		if rec.First == nil {
			return nil
		}
		p := relief.FoldPartnerChecked(rec, roster)
		if p.Name == "" {
			return nil
		}
		return &p
	})
	if err != nil {
		return nil, err
	}
	out := make([]relief.Partner, 0, len(ps))
	for _, p := range ps {
		if p != nil {
			out = append(out, *p)
		}
	}
	return out, nil
}

// Roster returns the current roster (the members, their roles and
// endorsements), as the folds of this store use it. It is shared: callers
// must not modify it.
func (s *Store) Roster() *relief.Roster { return s.currentRoster() }
