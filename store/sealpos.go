package store

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/relief"
)

// Sealed exact positions (relief.Sealable) are not in the demand list's
// rows: a row says only that its demand's position is sealed
// (relief.Demand.PositionSealed). The map asks OpenedPositions for the
// points this device may open; what it opened, or failed to open, is kept in
// memory by demand (positionCache), so that the map's next draw costs a map
// lookup per point, not a Badger read, a fold and an X25519 exchange. An
// entry is dropped whenever its demand's row is replaced (a change of the
// record: a new position, a grant to this device, an erasure), so it never
// outlives what it was opened from. Opened positions are never written to
// disk (the views snapshot packs the rows, which hold none).

// MaxOpenedPositions is how many demands' opened positions a store keeps
// in memory (about 60 bytes each with the map's overhead, some 16 MiB at
// most); past it the cache starts again empty (positions are opened again
// on the next draw, without an X25519 exchange while their keys are kept,
// MaxOpenedKeys).
const MaxOpenedPositions = 1 << 18

// openedPosition is what positionCache keeps of one demand: its exact
// position, or ok false when this device cannot open it.
type openedPosition struct {
	pos relief.Position
	ok  bool
}

// positionCache keeps the sealed positions this device opened (or could
// not), by demand id. Its zero value is empty and ready; it is safe for
// concurrent use.
type positionCache struct {
	mu sync.RWMutex
	// gen counts the forgets and resets: an open that began before one
	// keeps nothing (it may have read a record older than the row).
	gen uint64
	m   map[string]openedPosition
}

// forget drops the entries of the demands of rows and ids (rows replaced
// or gone).
func (p *positionCache) forget(rows []*demandRow, ids []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.gen++
	if len(p.m) == 0 {
		return
	}
	for _, r := range rows {
		if r != nil {
			delete(p.m, r.id)
		}
	}
	for _, id := range ids {
		delete(p.m, id)
	}
}

// reset drops every entry (the rows were all replaced).
func (p *positionCache) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.gen++
	p.m = nil
}

// lookup sets out[i] to the kept position of ids[i] (left nil when this
// device could not open it), and returns the indexes of the ids without an
// entry and the generation to fill them at.
func (p *positionCache) lookup(ids []string, out []*relief.Position, at []relief.Position) (miss []int, gen uint64) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	for i, id := range ids {
		e, ok := p.m[id]
		switch {
		case !ok:
			miss = append(miss, i)
		case e.ok:
			at[i] = e.pos
			out[i] = &at[i]
		}
	}
	return miss, p.gen
}

// fill keeps the entries opened at gen, unless a forget or reset came since.
func (p *positionCache) fill(gen uint64, ids []string, opened []openedPosition) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.gen != gen {
		return
	}
	if p.m == nil || len(p.m)+len(ids) > MaxOpenedPositions {
		p.m = make(map[string]openedPosition, min(len(ids), MaxOpenedPositions))
	}
	for i, id := range ids[:min(len(ids), MaxOpenedPositions)] {
		p.m[id] = opened[i]
	}
}

// OpenedPositions returns, for each of ids (demands whose rows say
// PositionSealed; others are opened as any), its exact position as this
// device opens it (relief.Opener.OpenPosition of the writes the fold
// allows), or nil when it cannot (or the demand is gone); the positions
// share one array. A demand asked before and unchanged since costs a map
// lookup: the first ask reads its record, folds it and opens its position
// (an X25519 exchange unless its key is kept), on every core. Errors:
// storage errors (the positions found before them are returned with them).
func (s *Store) OpenedPositions(ids []string) ([]*relief.Position, error) {
	out := make([]*relief.Position, len(ids))
	at := make([]relief.Position, len(ids))
	c := &s.idx.positions
	miss, gen := c.lookup(ids, out, at)
	if len(miss) == 0 {
		return out, nil
	}
	db := s.db
	if db == nil {
		return out, errClosed
	}
	raw := make([][]byte, len(miss))
	err := db.View(func(txn *badger.Txn) error {
		for k, i := range miss {
			it, err := txn.Get(recordKey(relief.KindDemand, ids[i]))
			if err == badger.ErrKeyNotFound {
				continue
			}
			if err != nil {
				return fmt.Errorf("read demand %s: %w", ids[i], err)
			}
			if raw[k], err = it.ValueCopy(nil); err != nil {
				return fmt.Errorf("read demand %s: %w", ids[i], err)
			}
		}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("open sealed positions: %w", err)
	}
	opened := make([]openedPosition, len(miss))
	roster := s.rosterNow.Load()
	opener := s.Opener()
	workers := min(max(1, runtime.GOMAXPROCS(0)), max(1, len(miss)/64))
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(miss)/workers, (w+1)*len(miss)/workers
		wg.Go(func() {
			for k := lo; k < hi; k++ {
				if raw[k] == nil {
					continue
				}
				rec, err := relief.DecodeRecord(raw[k])
				if err != nil {
					continue // a damaged record: the store's check tells it; the point stays approximate
				}
				_, allowed := relief.FoldDemandAllowed(rec, roster)
				opened[k].pos, opened[k].ok = opener.OpenPosition(allowed)
			}
		})
	}
	wg.Wait()
	missIDs := make([]string, len(miss))
	for k, i := range miss {
		missIDs[k] = ids[i]
		if opened[k].ok {
			at[i] = opened[k].pos
			out[i] = &at[i]
		}
	}
	c.fill(gen, missIDs, opened)
	return out, nil
}
