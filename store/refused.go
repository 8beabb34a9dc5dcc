package store

import (
	"errors"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// CountRefused adds n to the refusal count of reason (Rejected, Status):
// for what the sync layer refuses before it is a change the store could be
// given (a frame too large, not decodable, of another network), so that
// `status` and the app count every refusal, and keep the count across
// restarts like the store's own. It publishes EventRejected. n <= 0 does
// nothing; a count that cannot be written stays right in memory.
func (s *Store) CountRefused(reason ledger.Reason, n int) {
	if n <= 0 || reason == "" {
		return
	}
	s.mu.Lock()
	if s.db == nil {
		s.mu.Unlock()
		return
	}
	s.count(Result{Rejected: map[ledger.Reason]int{reason: n}})
	s.mu.Unlock()
	s.events.publish(Event{Kind: EventRejected})
}

// maxForkRefusalsKept bounds the ids of refused changes remembered
// (rejectOnce): past it, refusals are counted each time again, as before.
const maxForkRefusalsKept = 100_000

// rejectFork refuses run (changes of a forked feed, from the fork on) with
// ReasonFork, counting in res.Rejected only those not refused before, and
// the others in res.RefusedAgain: the same bundle imported again, or the
// same changes offered by several peers, must not make the fork look
// bigger in status and in the import report. The ids refused are kept
// under the refusal counts' prefix (tRefused, then 0x00 and the id, which
// no reason's name starts with). Called with s.mu held.
func (s *Store) rejectFork(run []*ledger.Change, res *Result) {
	s.rejectOnce(run, ledger.ReasonFork, res)
}

// rejectOnce refuses run with reason as rejectFork does a fork's: each
// change counted in res.Rejected the first time only, in res.RefusedAgain
// after (a revoked member's changes in a bundle imported again, a tester
// saw "refused: revoked" grow 244 → 488 → 732). Called with s.mu held.
func (s *Store) rejectOnce(run []*ledger.Change, reason ledger.Reason, res *Result) {
	if len(run) == 0 {
		return
	}
	fresh := len(run)
	err := s.db.Update(func(txn *badger.Txn) error {
		fresh = 0
		for _, c := range run {
			id := c.ID()
			k := append([]byte{tRefused, 0}, id[:]...)
			_, err := txn.Get(k)
			switch {
			case err == nil:
				res.RefusedAgain++
				continue
			case !errors.Is(err, badger.ErrKeyNotFound):
				return err
			}
			fresh++
			if s.forkRefusals >= maxForkRefusalsKept {
				continue
			}
			if err := txn.Set(k, nil); err != nil {
				return err
			}
			s.forkRefusals++
		}
		return nil
	})
	if err != nil {
		s.log.Warn("store: remember refused changes (they may be counted again)", "reason", reason, "err", err)
	}
	res.reject(reason, fresh)
}
