package store

import (
	"errors"
	"fmt"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/relief"
)

// ErrNotFound is returned when no entity has the id asked for.
var ErrNotFound = errors.New("not found")

// DemandQuery selects demands; empty fields match everything. Text matches, as a
// case-insensitive substring, the title, code, district, requester organisation,
// address and item names (Chinese text included: "协和" finds "协和医院"; no word
// splitting is needed for a substring). Offset and Limit select a page of the
// matches, newest first; Limit 0 means all of them from Offset on.
type DemandQuery struct {
	Status   relief.Status
	Category string
	District string
	Owner    string // member id
	Text     string
	Offset   int
	Limit    int
}

// Demands returns the demands matching q (the page q.Offset, q.Limit asks for),
// newest first, ties by id. They are list views: everything but History, which
// Demand returns. It answers from memory: filters scan the rows in age order,
// and a text of two or more characters is looked up in a bigram index first.
func (s *Store) Demands(q DemandQuery) ([]relief.Demand, error) {
	page, _, err := s.DemandsPage(q)
	return page, err
}

// DemandsPage is Demands with the number of demands that match q in all (the
// total a paged list shows), whatever q.Offset and q.Limit.
func (s *Store) DemandsPage(q DemandQuery) (page []relief.Demand, total int, err error) {
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	rows, total := s.idx.t.query(q)
	if len(rows) == 0 {
		return nil, total, nil
	}
	page = make([]relief.Demand, len(rows))
	for i, r := range rows {
		page[i] = r.view
	}
	return page, total, nil
}

// DemandKey is what the app needs to filter and order demands in ways the
// indexes do not (urgency, reply-by), without copying the demands: the id,
// the urgency and the reply-by time (zero when the demand waits for nobody).
type DemandKey struct {
	ID      string
	Urgency relief.Urgency
	ReplyBy time.Time // relief.ReplyBy under the network's Deadlines
}

// DemandKeys returns the key of every demand matching q, newest first (as
// Demands orders them); q.Offset and q.Limit are ignored. It answers from the
// in-memory rows: reply-by times come from what each row keeps of its history.
func (s *Store) DemandKeys(q DemandQuery) []DemandKey {
	q.Offset, q.Limit = 0, 0
	dl := s.Deadlines()
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	rows, _ := s.idx.t.query(q)
	out := make([]DemandKey, len(rows))
	for i, r := range rows {
		out[i] = DemandKey{ID: r.view.ID, Urgency: r.view.Urgency}
		if r.wait != "" {
			out[i].ReplyBy = dl.Due(r.wait, r.waitSince)
		}
	}
	return out
}

// DemandsByID returns the list views of the demands with the given ids, in
// that order; ids not in the list (removed meanwhile) are skipped.
func (s *Store) DemandsByID(ids []string) []relief.Demand {
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	out := make([]relief.Demand, 0, len(ids))
	for _, id := range ids {
		if r, ok := s.idx.t.rows[id]; ok {
			out = append(out, r.view)
		}
	}
	return out
}

// Demand returns one demand by id, with its history; ErrNotFound if there is
// none. It folds the demand's record as stored in Badger, so it may show a
// change that Demands lists only when the ApplyRemote applying it returns.
func (s *Store) Demand(id string) (relief.Demand, error) {
	db := s.db
	if db == nil {
		return relief.Demand{}, errClosed
	}
	var rec *relief.Record
	err := db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(recordKey(relief.KindDemand, id))
		if err != nil {
			return err
		}
		return it.Value(func(b []byte) error {
			rec, err = relief.DecodeRecord(b)
			return err
		})
	})
	switch {
	case errors.Is(err, badger.ErrKeyNotFound):
		return relief.Demand{}, fmt.Errorf("demand %s: %w", id, ErrNotFound)
	case err != nil:
		return relief.Demand{}, fmt.Errorf("demand %s: %w", id, err)
	}
	return relief.FoldDemand(rec, s.rosterNow.Load()), nil
}

// DemandCounts returns the number of demands in each status (statuses with none
// are absent).
func (s *Store) DemandCounts() map[relief.Status]int {
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	out := make(map[relief.Status]int, len(s.idx.t.counts))
	for k, n := range s.idx.t.counts {
		out[k] = n
	}
	return out
}
