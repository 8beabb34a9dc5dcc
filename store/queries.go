package store

import (
	"errors"
	"fmt"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// ErrNotFound is returned when no entity has the id asked for.
var ErrNotFound = errors.New("not found")

// DemandQuery selects demands; empty fields match everything. Text matches, as a
// case-insensitive substring, the title, code, district, requester organisation,
// address and item names (Chinese text included: "协和" finds "协和医院"; no word
// splitting is needed for a substring). Offset and Limit select a page of the
// matches in the order Sort asks (newest first by default); Limit 0 means all
// of them from Offset on.
type DemandQuery struct {
	Status   relief.Status
	Category string
	// Categories, when not nil, keeps the demands of any of these categories
	// (compared as relief.RouteDemand does: trimmed, any case), besides
	// Category: a working group's board. An empty, non-nil slice keeps none.
	Categories []string
	District   string
	Owner      string // member id
	Text       string
	// Urgency keeps the demands of that urgency (exactly: low, normal, high, critical).
	Urgency relief.Urgency
	// Code keeps the demands with that short code ("D-7KQ2MX", any case, as
	// relief.Code gives it). Codes are short hashes: several demands may
	// share one, and all of them match.
	Code string
	// Overdue keeps the demands whose reply-by (relief.ReplyBy under the
	// network's deadlines) is before Now; demands that wait for nobody are
	// never overdue.
	Overdue bool
	// Now is the time Overdue compares with; zero means the store's clock.
	Now time.Time
	// Sort is the order of the matches: SortNewest (""), SortUrgency or
	// SortReplyBy; an unknown order lists newest first.
	Sort   DemandSort
	Offset int
	Limit  int
	// Region keeps the demands in a region at any level of the hierarchy
	// (relief.Place.Within with the demand's District): a division code
	// prefix ("42", "4208", "420881") or names ("湖北省", "荆门市",
	// "湖北省/荆门市").
	Region string
	// AlsoIDs, with Text, are demands that match Text besides those whose
	// fields hold it: the desk's search of the contacts it opens, which no
	// store index holds (desk.Desk.DemandsFound). The other filters, the
	// order and the page apply to them as to the others; ids not listed are
	// skipped. Without Text it is ignored.
	AlsoIDs []string
}

// Demands returns the demands matching q (the page q.Offset, q.Limit asks for),
// in q.Sort's order (newest first by default, ties by id). They are list views:
// everything but History, which Demand returns. It answers from memory: filters
// scan compact arrays of the rows in an order kept up to date (age, and reply-by
// per kind of wait), a text of two or more characters and a code are looked up
// in an index first, and nothing is sorted unless few rows are candidates.
func (s *Store) Demands(q DemandQuery) ([]relief.Demand, error) {
	page, _, err := s.DemandsPage(q)
	return page, err
}

// DemandsPage is Demands with the number of demands that match q in all (the
// total a paged list shows), whatever q.Offset and q.Limit.
func (s *Store) DemandsPage(q DemandQuery) (page []relief.Demand, total int, err error) {
	now := q.Now
	if now.IsZero() {
		now = s.now()
	}
	s.idx.mu.RLock()
	rows, total := s.idx.t.query(q, s.idx.dl, now)
	s.idx.mu.RUnlock()
	if len(rows) == 0 {
		return nil, total, nil
	}
	// The rows are never modified: their views decode outside the lock.
	page = make([]relief.Demand, len(rows))
	for i, r := range rows {
		r.viewInto(&page[i])
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

// DemandKeys returns the key of every demand matching q, in the order Demands
// gives them; q.Offset and q.Limit are ignored. It answers from the in-memory
// rows: reply-by times come from what each row keeps of its history.
func (s *Store) DemandKeys(q DemandQuery) []DemandKey {
	q.Offset, q.Limit = 0, 0
	now := q.Now
	if now.IsZero() {
		now = s.now()
	}
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	dl := s.idx.dl
	rows, _ := s.idx.t.query(q, dl, now)
	out := make([]DemandKey, len(rows))
	for i, r := range rows {
		out[i] = DemandKey{ID: r.id, Urgency: r.urgency}
		if r.wait != waitNone {
			out[i].ReplyBy = dl.Due(r.waitName(), r.since())
		}
	}
	return out
}

// DemandsByID returns the list views of the demands with the given ids, in
// that order; ids not in the list (removed meanwhile) are skipped.
func (s *Store) DemandsByID(ids []string) []relief.Demand {
	s.idx.mu.RLock()
	rows := make([]*demandRow, 0, len(ids))
	for _, id := range ids {
		if r, ok := s.idx.t.row(id); ok {
			rows = append(rows, r)
		}
	}
	s.idx.mu.RUnlock()
	out := make([]relief.Demand, len(rows))
	for i, r := range rows {
		r.viewInto(&out[i])
	}
	return out
}

// DemandTitle returns the title of demand id as the demand list holds it
// (what DemandsByID gives as Title) without decoding the rest of its list
// view, and whether the list holds it: the inbox's pages name ~100 demands
// per call. The string is never modified.
func (s *Store) DemandTitle(id string) (string, bool) {
	s.idx.mu.RLock()
	r, ok := s.idx.t.row(id)
	s.idx.mu.RUnlock()
	if !ok {
		return "", false
	}
	t, err := r.pv.title()
	if err != nil {
		// as decodeView: written by packView or checked when read
		panic(fmt.Sprintf("store: list view of demand %s does not decode: %v", r.id, err))
	}
	return t, true
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
	d, allowed := relief.FoldDemandAllowed(rec, s.rosterNow.Load())
	s.openDemand(rec, allowed, &d)
	return d, nil
}

// DemandCounts returns the number of demands in each status (statuses with none
// are absent). On a lean store without its views (Options.Lean) they are the
// counts it maintains; when a roster change or a cut made them stale, this
// counts again by a scan of the demand records (lean.go).
func (s *Store) DemandCounts() map[relief.Status]int {
	if c, _, ok := s.leanDemandCounts(); ok { // a lean store without its views
		return c
	}
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	out := make(map[relief.Status]int, len(s.idx.t.counts))
	for k, n := range s.idx.t.counts {
		out[k] = n
	}
	return out
}

// Standings returns the leaderboard without the members' histories (Points
// and Rank only), most points first: O(members), from the maintained totals.
func (s *Store) Standings() []relief.Standing {
	s.awaitViews() // the tasks' points may still be building (open_settle.go); an error there is logged
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	return s.idx.t.points.standings()
}

// PointsOf returns the standing of one member with their history (oldest
// first) and whether they earned any points. Rank is 0: it is Standings'.
func (s *Store) PointsOf(member ledger.DeviceID) (relief.Standing, bool) {
	s.awaitViews() // the tasks' points may still be building (open_settle.go); an error there is logged
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	return s.idx.t.points.of(member)
}

// leaderboard is Leaderboard: the maintained points of every member.
func (s *Store) leaderboard() relief.Leaderboard {
	s.awaitViews() // the tasks' points may still be building (open_settle.go); an error there is logged
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	return s.idx.t.points.leaderboard()
}
