package store

import (
	"github.com/reliefmesh/reliefmesh/relief"
)

// Covenants returns the versions of the network's covenant as every peer
// folds them (relief.FoldCovenants with the current roster), oldest first;
// the last is the current one. Errors: a read of Badger or a record that
// does not decode.
func (s *Store) Covenants() ([]relief.CovenantVersion, error) {
	recs, err := foldAll(s, relief.KindCovenant, func(rec *relief.Record) *relief.Record { return rec })
	if err != nil {
		return nil, err
	}
	return relief.FoldCovenants(recs, s.currentRoster()), nil
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
