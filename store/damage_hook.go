package store

import (
	"fmt"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// DropChangesForTest deletes the stored changes from seq from to seq to of
// d's feed, and nothing else (head, records and version vector stay): the
// damage a lost range of a store file does. It exists for tests of damage
// and repair (Holes, Refill, catch-up); nothing else may call it. Errors:
// Badger's.
func (s *Store) DropChangesForTest(d ledger.DeviceID, from, to uint64) error {
	s.waitSettled() // writes wait for the views the open builds after it returned
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.db.Update(func(txn *badger.Txn) error {
		for seq := from; seq <= to; seq++ {
			if err := txn.Delete(feedKey(d, seq)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("drop changes %s/%d-%d: %w", d.Short(), from, to, err)
	}
	return nil
}
