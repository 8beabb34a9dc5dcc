package store

import (
	"fmt"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// records reads every stored record of kind from Badger.
func (s *Store) records(kind string) ([]*relief.Record, error) {
	recs, err := s.recordsWithPrefix(recordPrefix(kind))
	if err != nil {
		return nil, fmt.Errorf("read %s records: %w", kind, err)
	}
	return recs, nil
}

// recordsWithPrefix decodes every record whose key starts with prefix.
func (s *Store) recordsWithPrefix(prefix []byte) ([]*relief.Record, error) {
	var out []*relief.Record
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			err := it.Item().Value(func(b []byte) error {
				rec, err := relief.DecodeRecord(b)
				if err == nil {
					out = append(out, rec)
				}
				return err
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

func (s *Store) currentRoster() *relief.Roster {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.roster
}

// FullDemands folds every demand from Badger with its whole history (the
// indexes may hold compact rows). It reads all demand records: O(demands).
func (s *Store) FullDemands() ([]relief.Demand, error) {
	recs, err := s.records(relief.KindDemand)
	if err != nil {
		return nil, err
	}
	roster := s.currentRoster()
	out := make([]relief.Demand, len(recs))
	for i, r := range recs {
		var allowed *relief.Record
		out[i], allowed = relief.FoldDemandAllowed(r, roster)
		s.openDemand(r, allowed, &out[i])
	}
	return out, nil
}

// Deadlines returns the network's reply-by windows (relief.NetworkDeadlines):
// the coordinators' settings, or the defaults.
func (s *Store) Deadlines() relief.Deadlines {
	n, ok := s.Network()
	if !ok {
		return relief.DefaultDeadlines()
	}
	var rec *relief.Record
	s.db.View(func(txn *badger.Txn) error {
		var err error
		rec, err = s.loadRecord(txn, relief.KindNetwork, n.ID)
		return err
	})
	return relief.NetworkDeadlines(rec, s.currentRoster())
}

// Leaderboard returns the points of every member (relief.Points of every
// demand and task), from the points the store maintains as records change:
// O(awards), no fold.
func (s *Store) Leaderboard() (relief.Leaderboard, error) {
	return s.leaderboard(), nil
}

// MyVolunteerID returns the id of this device's own volunteer profile: the
// record keyed by this device's member id, whether or not it exists yet.
func (s *Store) MyVolunteerID() string { return relief.ProfileID(s.device) }

// Now returns the store's clock reading (the clock given in Options).
func (s *Store) Now() time.Time { return s.now() }

// ChainOf returns the endorsement chain of d up to the network's first
// coordinator (relief.Roster.Chain).
func (s *Store) ChainOf(d ledger.DeviceID) []relief.Member {
	return s.currentRoster().Chain(d)
}

// Record returns the stored record of kind/id; a new empty record if none.
func (s *Store) Record(kind, id string) (*relief.Record, error) {
	var rec *relief.Record
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		rec, err = s.loadRecord(txn, kind, id)
		return err
	})
	return rec, err
}
