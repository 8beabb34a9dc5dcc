package store

import (
	"fmt"
	"runtime"
	"slices"
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

// PositionOpenBudget is how many sealed positions the map's draw opens
// itself at most (OpenedPositionsWithin): about 30 ms of CPU at some 120 µs a
// point. The others are opened in the background and the map is told
// (EventPositionsOpened) when they are.
const PositionOpenBudget = 256

// openChunk is how many positions a background opener opens between two
// looks at the store's stop and at the forgets.
const openChunk = 64

// beforeOpenChunk, when set (by tests), is called by a background opener
// before it opens each chunk.
var beforeOpenChunk func()

// openedPosition is what positionCache keeps of one demand: its exact
// position, or ok false when this device cannot open it.
type openedPosition struct {
	pos relief.Position
	ok  bool
}

// positionCache keeps the sealed positions this device opened (or could
// not), by demand id, and the queue of those its background openers still
// have to open. Its zero value is empty and ready; it is safe for
// concurrent use.
type positionCache struct {
	mu sync.RWMutex
	// gen counts the forgets and resets. An open begins at a generation
	// (begin) and keeps what it opened for a demand only if no forget of
	// that demand (dropped) nor reset (resetAt) came after it: it may have
	// read a record older than the row.
	gen uint64
	// dropped is the generation of each demand's last forget, kept while
	// opens are in flight (inflight); nil when none is.
	dropped  map[string]uint64
	resetAt  uint64
	inflight int
	m        map[string]openedPosition

	// The background openers' state, under mu.
	queue   []string            // demands to open, in the order asked
	queued  map[string]struct{} // the demands in queue or being opened
	running int                 // background openers running
	stopped bool                // the store is closing: no opener starts, the running ones stop after their chunk
	wg      sync.WaitGroup      // the running openers
}

// forget drops the entries of the demands of rows and ids (rows replaced
// or gone), and makes the opens in flight not keep them.
func (p *positionCache) forget(rows []*demandRow, ids []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.gen++
	drop := func(id string) {
		delete(p.m, id)
		if p.inflight > 0 {
			if p.dropped == nil {
				p.dropped = map[string]uint64{}
			}
			p.dropped[id] = p.gen
		}
	}
	if len(p.m) == 0 && p.inflight == 0 {
		return
	}
	for _, r := range rows {
		if r != nil {
			drop(r.id)
		}
	}
	for _, id := range ids {
		drop(id)
	}
}

// reset drops every entry (the rows were all replaced); the opens in flight
// keep nothing.
func (p *positionCache) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.gen++
	p.resetAt = p.gen
	p.m = nil
}

// lookup sets out[i] to the kept position of ids[i] (left nil when this
// device could not open it), and returns the indexes of the ids without an
// entry; opening, when not nil, is set true for those a background opener
// has queued (they are not in miss).
func (p *positionCache) lookup(ids []string, out []*relief.Position, at []relief.Position, opening []bool) (miss []int) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	for i, id := range ids {
		e, ok := p.m[id]
		switch {
		case !ok:
			if opening != nil {
				if _, q := p.queued[id]; q {
					opening[i] = true
					continue
				}
			}
			miss = append(miss, i)
		case e.ok:
			at[i] = e.pos
			out[i] = &at[i]
		}
	}
	return miss
}

// begin starts an open: its generation, for fill (which ends it).
func (p *positionCache) begin() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inflight++
	return p.gen
}

// fill ends the open begun at gen (begin), keeping the entries it opened
// (ids[i] → opened[i]) but those forgotten since it began (all of them after
// a reset). ids may be nil: the open failed.
func (p *positionCache) fill(gen uint64, ids []string, opened []openedPosition) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inflight--
	defer func() {
		if p.inflight == 0 {
			p.dropped = nil
		}
	}()
	if p.resetAt > gen || len(ids) == 0 {
		return
	}
	if p.m == nil || len(p.m)+len(ids) > MaxOpenedPositions {
		p.m = make(map[string]openedPosition, min(len(ids), MaxOpenedPositions))
	}
	for i, id := range ids[:min(len(ids), MaxOpenedPositions)] {
		if g, ok := p.dropped[id]; ok && g > gen {
			continue // its row changed after the open began
		}
		p.m[id] = opened[i]
	}
}

// enqueue queues ids for the background openers (those not queued yet) and
// returns how many openers to start (at most workers running in all); 0
// once stopOpening was called.
func (p *positionCache) enqueue(ids []string, workers int) (start int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return 0
	}
	if p.queued == nil {
		p.queued = map[string]struct{}{}
	}
	for _, id := range ids {
		if _, ok := p.queued[id]; !ok {
			p.queued[id] = struct{}{}
			p.queue = append(p.queue, id)
		}
	}
	start = max(0, min(workers, (len(p.queue)+openChunk-1)/openChunk)-p.running)
	p.running += start
	p.wg.Add(start)
	return start
}

// next takes the next chunk of the queue for a background opener (at most
// openChunk demands); none when the queue is empty or the store closing,
// and then the opener stops (last says it was the last one running).
func (p *positionCache) next() (ids []string, last bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.queue) == 0 || p.stopped {
		p.running--
		return nil, p.running == 0
	}
	n := min(openChunk, len(p.queue))
	ids = slices.Clone(p.queue[:n])
	p.queue = p.queue[n:]
	if len(p.queue) == 0 {
		p.queue = nil // let the array go
	}
	return ids, false
}

// done says that the background open of ids ended (kept or not).
func (p *positionCache) done(ids []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, id := range ids {
		delete(p.queued, id)
	}
}

// stopOpening stops the background openers and waits until they have
// returned; none starts after it.
func (p *positionCache) stopOpening() {
	p.mu.Lock()
	p.stopped = true
	p.mu.Unlock()
	p.wg.Wait()
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
	miss := s.idx.positions.lookup(ids, out, at, nil)
	return out, s.openPositions(ids, miss, out, at, runtime.GOMAXPROCS(0))
}

// OpenedPositionsWithin is OpenedPositions for a draw that must not wait for
// every position: it opens itself at most budget of the demands not opened
// before (and not being opened), and queues the others for the background
// openers (at most GOMAXPROCS−1 of them, one on a single core; stopped by
// Close), which publish EventPositionsOpened when the queue is empty. Those
// are nil in the positions and true in opening (nil when none is); a demand
// written to while it is opened is opened again at the next ask. Errors: as
// OpenedPositions (nothing is queued then).
func (s *Store) OpenedPositionsWithin(ids []string, budget int) (positions []*relief.Position, opening []bool, err error) {
	out := make([]*relief.Position, len(ids))
	at := make([]relief.Position, len(ids))
	opening = make([]bool, len(ids))
	c := &s.idx.positions
	miss := c.lookup(ids, out, at, opening)
	now, later := miss, []int(nil)
	if len(miss) > max(0, budget) {
		now, later = miss[:max(0, budget)], miss[max(0, budget):]
	}
	if err := s.openPositions(ids, now, out, at, runtime.GOMAXPROCS(0)); err != nil {
		return out, nil, err
	}
	if len(later) > 0 {
		queue := make([]string, len(later))
		for k, i := range later {
			queue[k] = ids[i]
			opening[i] = true
		}
		s.openInBackground(queue)
	}
	if !slices.Contains(opening, true) {
		opening = nil
	}
	return out, opening, nil
}

// openInBackground queues ids for the background openers and starts those
// missing.
func (s *Store) openInBackground(ids []string) {
	c := &s.idx.positions
	workers := max(1, runtime.GOMAXPROCS(0)-1)
	for range c.enqueue(ids, workers) {
		go s.backgroundOpener()
	}
}

// backgroundOpener opens the queued positions chunk by chunk, one core's
// worth, until the queue is empty or the store closes; the last one to stop
// with nothing left publishes EventPositionsOpened.
func (s *Store) backgroundOpener() {
	c := &s.idx.positions
	defer c.wg.Done()
	for {
		ids, last := c.next()
		if ids == nil {
			if last && !c.isStopped() {
				s.events.publish(Event{Kind: EventPositionsOpened})
			}
			return
		}
		if beforeOpenChunk != nil {
			beforeOpenChunk()
		}
		miss := make([]int, len(ids))
		for i := range miss {
			miss[i] = i
		}
		// an error (storage) leaves the positions unopened: the next draw asks again
		_ = s.openPositions(ids, miss, make([]*relief.Position, len(ids)), make([]relief.Position, len(ids)), 1)
		c.done(ids)
	}
}

// isStopped reports whether stopOpening was called.
func (p *positionCache) isStopped() bool {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.stopped
}

// openPositions opens the positions of ids[miss] on at most workers
// goroutines, sets out[i] (to &at[i]) for those it opens and keeps what it
// opened in the cache (but what was forgotten meanwhile). Errors: storage.
func (s *Store) openPositions(ids []string, miss []int, out []*relief.Position, at []relief.Position, workers int) error {
	if len(miss) == 0 {
		return nil
	}
	db := s.db
	if db == nil {
		return errClosed
	}
	c := &s.idx.positions
	gen := c.begin()
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
		c.fill(gen, nil, nil)
		return fmt.Errorf("open sealed positions: %w", err)
	}
	opened := make([]openedPosition, len(miss))
	roster := s.rosterNow.Load()
	opener := s.Opener()
	workers = min(max(1, workers), max(1, len(miss)/64))
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
	return nil
}
