package store

// Streaming queries: what a lean store (Options.Lean, the hub's) answers
// without building its views. A DemandStream reads the demand records of one
// Badger snapshot (a read transaction: Store.mu is held only while it is
// taken, so ingest goes on), folds them one batch at a time with the roster
// of that moment, and hands them out in the demand list's order (newest
// first, ties by ascending id) a chunk at a time. What it keeps for the
// whole store is one sort key per matching demand (its creation stamp and
// id, ≈ 50 bytes), never the demands.

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sync"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// DemandStream is the demands of one snapshot of the store that match a set
// of statuses, in the demand list's order, read from Badger a chunk at a
// time (Each). Its counts are of the same snapshot. Close it when done: it
// holds a Badger read transaction (which keeps the snapshot's versions from
// being compacted away while it is open).
type DemandStream struct {
	txn    *badger.Txn
	roster *relief.Roster
	keys   []streamKey
	// Counts are the demands of the snapshot by status, every demand
	// (matching or not); what DemandCounts would say of that snapshot.
	Counts map[relief.Status]int
	// Latest is the latest UpdatedAt of the matching demands (zero when
	// none matches).
	Latest ledger.Stamp

	once sync.Once
}

// streamKey is what a DemandStream keeps of one matching demand: its place
// in the demand list's order.
type streamKey struct {
	created ledger.Stamp
	id      string
}

// streamFold is what the first pass keeps of a folded demand record.
type streamFold struct {
	id        string
	status    relief.Status
	uncreated bool
	created   ledger.Stamp
	updated   ledger.Stamp
}

// OpenDemandStream takes a snapshot of the store and finds its demands
// whose status is one of statuses (every demand when statuses is nil),
// folded with the roster of the same moment; a demand whose creation is not
// held (relief.Demand.Uncreated) is counted but not listed, as Demands does. It reads every demand record
// once (decoded and folded on every core, one batch of 256 at a time) and
// keeps only their sort keys. Store.mu is held only while the snapshot is
// taken. Errors: a closed store; reading or decoding a record (naming it).
func (s *Store) OpenDemandStream(statuses []relief.Status) (*DemandStream, error) {
	s.mu.Lock()
	if s.db == nil {
		s.mu.Unlock()
		return nil, errClosed
	}
	ds := &DemandStream{txn: s.db.NewTransaction(false), roster: s.roster, Counts: map[relief.Status]int{}}
	s.mu.Unlock()
	roster := ds.roster
	err := scanRecordsIn(ds.txn, relief.KindDemand, func(rec *relief.Record) any {
		d := relief.FoldDemand(rec, roster)
		return streamFold{id: d.ID, status: d.Status, uncreated: d.Uncreated, created: d.CreatedAt, updated: d.UpdatedAt}
	}, func(v any) {
		f := v.(streamFold)
		ds.Counts[f.status]++
		// a demand whose creation is not held is counted but not listed,
		// as in the demand list (demandTable.query)
		if f.uncreated || (statuses != nil && !slices.Contains(statuses, f.status)) {
			return
		}
		ds.keys = append(ds.keys, streamKey{created: f.created, id: f.id})
		if f.updated.Compare(ds.Latest) > 0 {
			ds.Latest = f.updated
		}
	})
	if err != nil {
		ds.Close()
		return nil, fmt.Errorf("stream the demands: %w", err)
	}
	// the demand list's order: newest first, of two created at the same
	// stamp the one with the smaller id first (cmpAge backwards)
	slices.SortFunc(ds.keys, func(a, b streamKey) int {
		if c := b.created.Compare(a.created); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	return ds, nil
}

// Len is how many demands the stream holds.
func (ds *DemandStream) Len() int { return len(ds.keys) }

// Each calls fn with the stream's demands, list views as Store.Demands
// gives them (no History), in the demand list's order, chunk of them at a
// time (the last chunk may be shorter); the slice is reused after fn
// returns. It reads each record from the stream's snapshot and folds it
// again (on every core). It stops at fn's first error and returns it.
// Errors: a record gone or damaged (naming it); fn's.
func (ds *DemandStream) Each(chunk int, fn func([]relief.Demand) error) error {
	chunk = max(chunk, 1)
	raw := make([][]byte, chunk)
	out := make([]relief.Demand, chunk)
	errs := make([]error, chunk)
	for lo := 0; lo < len(ds.keys); lo += chunk {
		keys := ds.keys[lo:min(lo+chunk, len(ds.keys))]
		for i, k := range keys {
			it, err := ds.txn.Get(recordKey(relief.KindDemand, k.id))
			if err == nil {
				raw[i], err = it.ValueCopy(raw[i][:0])
			}
			if err != nil {
				return fmt.Errorf("read demand %s: %w", k.id, err)
			}
		}
		clear(errs[:len(keys)])
		eachParallel(len(keys), func(i int) {
			rec, err := relief.DecodeRecord(raw[i])
			if err != nil {
				errs[i] = fmt.Errorf("demand record %s: %w", keys[i].id, err)
				return
			}
			out[i] = listView(relief.FoldDemand(rec, ds.roster))
		})
		if err := errors.Join(errs[:len(keys)]...); err != nil {
			return err
		}
		if err := fn(out[:len(keys)]); err != nil {
			return err
		}
	}
	return nil
}

// Close ends the stream's read transaction. It may be called more than once.
func (ds *DemandStream) Close() {
	ds.once.Do(func() { ds.txn.Discard() })
}

// scanRecordsIn is scanRecords reading txn's snapshot.
func scanRecordsIn(txn *badger.Txn, kind string, fold func(*relief.Record) any, take func(any)) error {
	return scanWith(func(f func(*badger.Txn) error) error { return f(txn) }, kind, fold, take)
}
