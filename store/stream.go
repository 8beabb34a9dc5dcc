package store

// Streaming queries: what a lean store (Options.Lean, the hub's) answers
// without building its views. A DemandStream reads the demand records of one
// Badger snapshot (a read transaction: Store.mu is held only while it is
// taken, so ingest goes on), folds them one batch at a time with the roster
// of that moment, and hands them out in the demand list's order (newest
// first, ties by ascending id) a chunk at a time. What it keeps for the
// whole store is one sort key per matching demand (its creation stamp and
// id, ≈ 16 bytes and the id's, pointer-free), never the demands.

import (
	"bytes"
	"errors"
	"fmt"
	"math"
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
	ids    []byte // the matching demands' ids, end to end (streamKey.off)
	// Counts are the demands of the snapshot by status, every demand
	// (matching or not); what DemandCounts would say of that snapshot.
	Counts map[relief.Status]int
	// Latest is the latest UpdatedAt of the matching demands (zero when
	// none matches).
	Latest ledger.Stamp

	once sync.Once
}

// streamKey is what a DemandStream keeps of one matching demand: its place
// in the demand list's order, and where its id is in DemandStream.ids
// (pointer-free, so that a million of them cost 16 bytes each plus the ids,
// and nothing for the garbage collector to scan).
type streamKey struct {
	wall    int64  // created: ledger.Stamp.Wall
	logical uint32 // created: ledger.Stamp.Logical
	off     uint32 // the id is ids[off:next key's off], or to the end
}

// created is the key's creation stamp.
func (k streamKey) created() ledger.Stamp { return ledger.Stamp{Wall: k.wall, Logical: k.logical} }

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
		ds.keys = append(ds.keys, streamKey{wall: f.created.Wall, logical: f.created.Logical, off: uint32(len(ds.ids))})
		ds.ids = append(ds.ids, f.id...)
		if f.updated.Compare(ds.Latest) > 0 {
			ds.Latest = f.updated
		}
	})
	if err != nil {
		ds.Close()
		return nil, fmt.Errorf("stream the demands: %w", err)
	}
	if len(ds.ids) > math.MaxUint32 {
		ds.Close()
		return nil, fmt.Errorf("stream the demands: %d bytes of ids, more than a stream holds", len(ds.ids))
	}
	// each key's id ends where the next one's starts: keep the end in a
	// parallel array while sorting, by sorting indexes
	ends := make([]uint32, len(ds.keys))
	for i := range ds.keys {
		if i+1 < len(ds.keys) {
			ends[i] = ds.keys[i+1].off
		} else {
			ends[i] = uint32(len(ds.ids))
		}
	}
	order := make([]uint32, len(ds.keys))
	for i := range order {
		order[i] = uint32(i)
	}
	id := func(i uint32) []byte { return ds.ids[ds.keys[i].off:ends[i]] }
	// the demand list's order: newest first, of two created at the same
	// stamp the one with the smaller id first (cmpAge backwards)
	slices.SortFunc(order, func(a, b uint32) int {
		if c := ds.keys[b].created().Compare(ds.keys[a].created()); c != 0 {
			return c
		}
		return bytes.Compare(id(a), id(b))
	})
	sorted, ids := make([]streamKey, len(ds.keys)), make([]byte, 0, len(ds.ids))
	for i, o := range order {
		k := ds.keys[o]
		sorted[i] = streamKey{wall: k.wall, logical: k.logical, off: uint32(len(ids))}
		ids = append(ids, id(o)...)
	}
	ds.keys, ds.ids = sorted, ids
	return ds, nil
}

// id returns the id of the i-th demand of the stream.
func (ds *DemandStream) id(i int) string {
	end := len(ds.ids)
	if i+1 < len(ds.keys) {
		end = int(ds.keys[i+1].off)
	}
	return string(ds.ids[ds.keys[i].off:end])
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
	ids := make([]string, chunk)
	for lo := 0; lo < len(ds.keys); lo += chunk {
		keys := ds.keys[lo:min(lo+chunk, len(ds.keys))]
		for i := range keys {
			ids[i] = ds.id(lo + i)
			it, err := ds.txn.Get(recordKey(relief.KindDemand, ids[i]))
			if err == nil {
				raw[i], err = it.ValueCopy(raw[i][:0])
			}
			if err != nil {
				return fmt.Errorf("read demand %s: %w", ids[i], err)
			}
		}
		clear(errs[:len(keys)])
		eachParallel(len(keys), func(i int) {
			rec, err := relief.DecodeRecord(raw[i])
			if err != nil {
				errs[i] = fmt.Errorf("demand record %s: %w", ids[i], err)
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
