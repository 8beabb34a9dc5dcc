package store

import "github.com/reliefmesh/reliefmesh/relief"

// Groups returns the working groups as every peer folds them
// (relief.FoldGroups with the current roster): by function, then name.
// Errors: a read of Badger or a record that does not decode.
func (s *Store) Groups() ([]relief.Group, error) {
	recs, err := foldAll(s, relief.KindGroup, func(rec *relief.Record) *relief.Record { return rec })
	if err != nil {
		return nil, err
	}
	return relief.FoldGroups(recs, s.currentRoster()), nil
}
