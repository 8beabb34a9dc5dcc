package store

import "github.com/reliefmesh/reliefmesh/ledger"

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
