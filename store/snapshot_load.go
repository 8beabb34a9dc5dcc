package store

import (
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"sync"
	"time"

	"github.com/reliefmesh/reliefmesh/relief"
)

// snapState is what the store knows of its views snapshot (snapshot.go).
// Guarded by Store.mu.
type snapState struct {
	off bool // in memory: no snapshot is read or written
	// loaded says that load took the demand list from the snapshot.
	loaded bool
	// onDisk is the key of the snapshot the file holds, when known (read or
	// written by this store); have says it is known.
	onDisk [32]byte
	have   bool
	// atLoad is the store's key when load built the demand list; entries
	// are the demands' inbox entries of that state, by demand id, kept by a
	// ListOnly store (which has no inbox view to read them from at close).
	atLoad     [32]byte
	atLoadOK   bool
	entries    map[string]*inboxEntry
	lastReason string // why the last load did not use the snapshot ("" when it did)
	// grams are the bigram postings the snapshot load took held, by row
	// position, until buildDemandTable takes them.
	grams *gramIndex
	// mapped is the mapping of the snapshot file the demand rows were
	// loaded from, when their list views and strings point into it
	// (snapLoaded.mapped): set by load, never unmapped, its pages released
	// after the open (trimAfterOpen). Read without s.mu after load.
	mapped []byte
}

// buildDemandTable builds the demand table of rows at load: with the
// postings of the views snapshot the rows came from (s.snap.grams, which it
// takes), else as buildTable does. Called with s.mu held.
func (s *Store) buildDemandTable(rows []*demandRow) *demandTable {
	grams := s.snap.grams
	s.snap.grams = nil
	if grams == nil {
		return buildTable(rows)
	}
	return fillTable(rows, grams)
}

// inAgeOrder checks that rows are in the demand list's age order, oldest
// first, as a snapshot holds them (its postings name rows by position).
// Errors: two rows out of order (a damaged or foreign snapshot).
func inAgeOrder(rows []*demandRow) error {
	for i := 1; i < len(rows); i++ {
		if cmpAge(rows[i-1], rows[i]) >= 0 {
			return fmt.Errorf("decode rows: demands %s and %s out of order (damaged)", rows[i-1].id, rows[i].id)
		}
	}
	return nil
}

// loadDemands builds the demand list (and the demands' inbox entries) at
// load: from the views snapshot when one holds for the store's current
// state, else by folding every demand record (refoldDemands), saying why in
// the log. Called by load with s.mu held.
func (s *Store) loadDemands() error {
	key, ok := s.snapshotKey()
	if s.snap.off || !ok {
		return s.refoldDemands()
	}
	s.snap.atLoad, s.snap.atLoadOK = key, true
	t0 := time.Now()
	snap, err := s.readSnapshot(key, !s.listOnly)
	var rows []*demandRow
	var entries []*inboxEntry
	if err == nil {
		rows = rowsFromSnapshot(snap.rows, snap.views)
		snap.rows, snap.views = nil, nil
		err = inAgeOrder(rows)
	}
	if err == nil && snap.entries != nil {
		if s.deferOpen(len(rows)) {
			// only the inbox view reads them, built after the first screen
			s.settle.entryChunks, s.settle.entryRows = snap.entries, len(rows)
		} else {
			entries, err = decodeSnapEntries(snap.entries, len(rows))
		}
		snap.entries = nil
	}
	if err == nil {
		s.snap.onDisk, s.snap.have, s.snap.loaded, s.snap.lastReason = key, true, true, ""
		s.snap.grams, s.snap.mapped = snap.grams, snap.mapped
		s.log.Info("views snapshot loaded", "demands", len(rows), "took", time.Since(t0))
		// a ListOnly store keeps no entries here: it read none, and the
		// file already holds this state
		return s.installDemands(rows, entries)
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		s.snap.lastReason = "none"
		s.log.Info("no views snapshot: folding every demand record")
	case errors.Is(err, errSnapshotStale):
		s.snap.lastReason = "stale"
		s.log.Info("views snapshot is of another state of the store: folding every demand record")
	default:
		if snap.mapped != nil { // the rows made from it are dropped
			rows, entries = nil, nil
			if uerr := unmapSnapshot(snap.mapped); uerr != nil {
				s.log.Warn("views snapshot not unmapped", "file", SnapshotFile, "err", uerr)
			}
		}
		s.snap.lastReason = "refused: " + err.Error()
		s.log.Warn("views snapshot refused: folding every demand record", "file", SnapshotFile, "err", err)
		s.removeSnapshot()
	}
	s.waitFolds()
	rows, entries, err = s.foldDemandRecords()
	if err != nil {
		return err
	}
	s.keepEntries(entries)
	return s.installDemands(rows, entries)
}

// keepEntries keeps, in a ListOnly store, the demands' inbox entries of the
// state load built, for the snapshot written at close (a full store reads
// them from its inbox view). Entries are copied: installDemands writes them.
func (s *Store) keepEntries(entries []*inboxEntry) {
	if !s.listOnly {
		return
	}
	s.snap.entries = make(map[string]*inboxEntry, len(entries))
	for _, e := range entries {
		c := *e
		if e.notices != nil {
			ns := make([]*inboxEntry, len(*e.notices))
			for i, n := range *e.notices {
				nc := *n
				ns[i] = &nc
			}
			c.notices = &ns
		}
		s.snap.entries[e.ID] = &c
	}
}

// rowsFromSnapshot makes the rows of a snapshot's demands, as newRecordRow
// makes them from records, on every core; views are the rows' packed list
// views (unpackChunkViews). The rows' texts and strings stay in the
// snapshot's arenas (fillTable copies none). Their inbox entries are
// decoded apart (decodeSnapEntries).
//
// srs and views are in chunks of snapshotChunk rows but the last
// (readSnapshot checks it).
func rowsFromSnapshot(srs [][]snapRow, views [][]packedView) []*demandRow {
	n := 0
	for _, c := range srs {
		n += len(c)
	}
	rows := make([]*demandRow, n)
	// The rows live in one block rather than one allocation each amid the
	// open's garbage, which would leave the heap's spans part full (its
	// fragmentation is most of the idle RSS). A row replaced later leaves
	// its place in the block unused until every row of the block is.
	block := make([]demandRow, n)
	workers := max(1, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*n/workers, (w+1)*n/workers
		wg.Go(func() {
			places := map[relief.Place]*relief.Place{} // rows of one place share it
			for i := lo; i < hi; i++ {
				c, j := i/snapshotChunk, i%snapshotChunk
				sr := &srs[c][j]
				r := &block[i]
				*r = demandRow{text: sr.Text, actors: sr.Actors, fresh: &rowFresh{awards: sr.Awards}, pv: views[c][j]}
				r.setWait(sr.Wait, sr.WaitSince)
				r.setView(&sr.View, places)
				rows[i] = r
				*sr = snapRow{}
			}
		})
	}
	wg.Wait()
	return rows
}

// saveSnapshotAtClose writes the views snapshot of the store's state, unless
// the file already holds it, the store has no demand list (SkipDemandList),
// is in memory, holds few demands, or is not settled (folds or refolds
// pending). A ListOnly store writes it only for the state it loaded (it
// kept those entries). A failure is logged: the next open folds the records.
// Called by Close with s.mu held, before Badger closes.
func (s *Store) saveSnapshotAtClose() {
	if !s.snapshotSettled() {
		return
	}
	key, ok := s.snapshotKey()
	if !ok || (s.snap.have && s.snap.onDisk == key) {
		return
	}
	if s.listOnly && (!s.snap.atLoadOK || s.snap.atLoad != key || s.snap.entries == nil) {
		return
	}
	t0 := time.Now()
	rows := s.snapshotRows()
	if len(rows) < snapshotMin {
		if s.snap.have {
			s.removeSnapshot() // it holds for an older state: useless
		}
		return
	}
	if err := s.writeSnapshot(key, rows); err != nil {
		s.log.Warn("views snapshot not written: the next open folds every demand record", "err", err)
		return
	}
	s.snap.onDisk, s.snap.have = key, true
	s.log.Info("views snapshot written", "demands", len(rows), "took", time.Since(t0))
}

// snapshotRows returns the snapshot rows of every demand of the list, with
// its awards and its inbox entries (from the inbox view, or the entries a
// ListOnly store kept). Called with s.mu held.
func (s *Store) snapshotRows() []snapRow {
	return s.captureSnapshot()()
}

// captureSnapshot takes what the snapshot of the current state holds: the
// rows of the demand list (never modified once in a table) with their
// awards, and a read transaction of the inbox view (a consistent snapshot
// of it). It returns the function that makes the snapshot rows from them,
// which may run after s.mu is released. Called with s.mu held.
func (s *Store) captureSnapshot() func() []snapRow {
	s.idx.mu.RLock()
	t := s.idx.t
	out := make([]snapRow, 0, t.rowCount())
	rows := make([]*demandRow, 0, t.rowCount())
	for _, slot := range t.order {
		r := t.slots[slot]
		if r == nil {
			continue
		}
		sr := snapRow{View: r.view(), Text: r.text, Wait: r.waitName(), WaitSince: r.since(), Actors: r.actors}
		ref := entityRef{relief.KindDemand, r.id}
		for _, a := range t.points.awardsOf(ref) {
			sr.Awards = append(sr.Awards, relief.Earned{Member: t.points.keys[a.member], Award: t.points.award(ref, a)})
		}
		out = append(out, sr)
		rows = append(rows, r)
	}
	s.idx.mu.RUnlock()
	txn := s.views.inbox.snap()
	listOnly, kept, stored := s.listOnly, s.snap.entries, s.views.storeSteps
	return func() []snapRow {
		for i, r := range rows {
			se := &snapEntry{}
			if listOnly {
				if e := kept[r.id]; e != nil {
					se.Entry = e.toSnap()
					if e.notices != nil {
						for _, n := range *e.notices {
							se.Notices = append(se.Notices, n.toSnap())
						}
					}
				}
			} else {
				e := demandEntryOf(txn, r, stored)
				se.Entry = e.toSnap()
				for _, n := range demandNoticesOf(txn, r.id) {
					se.Notices = append(se.Notices, n.toSnap())
				}
			}
			out[i].Entry = se
		}
		return out
	}
}

// snapshotSettled says whether the store's views are settled, so that a
// snapshot of them holds for its key: no fold or refold pending, a demand
// list built, no large catch-up applying without view upkeep (catchup.go).
// Called with s.mu held.
func (s *Store) snapshotSettled() bool {
	return !s.snap.off && !s.skipList && s.db != nil && len(s.folds) == 0 && !s.idx.rescore && len(s.idx.changed) == 0 && !s.views.stale && !s.bulkOn()
}

// DefaultSnapshotInterval is how often an open store writes its views
// snapshot when its state changed (besides at Close), unless Options say
// otherwise: an app or hub that stops without closing (a crash, power
// lost) opens from the last one it wrote only if nothing changed since;
// otherwise it folds every record, as without a snapshot.
const DefaultSnapshotInterval = 30 * time.Minute

// SaveSnapshot writes the views snapshot of the store's current state now,
// unless the file already holds it, the store is in memory, opened
// ListOnly or without its demand list, holds fewer than a thousand demands
// or is not settled. The rows are taken under the store's lock (a few
// milliseconds per thousand demands); encoding and writing them happen
// after, while writers go on. It reports whether it wrote one. Errors:
// encoding or writing the file (the previous snapshot stays).
func (s *Store) SaveSnapshot() (bool, error) {
	s.waitSettled() // writes wait for the views the open builds after it returned
	s.mu.Lock()
	if !s.snapshotSettled() || s.listOnly {
		s.mu.Unlock()
		return false, nil
	}
	key, ok := s.snapshotKey()
	if !ok || (s.snap.have && s.snap.onDisk == key) {
		s.mu.Unlock()
		return false, nil
	}
	finish := s.captureSnapshot()
	s.mu.Unlock()
	t0 := time.Now()
	rows := finish()
	if len(rows) < snapshotMin {
		return false, nil
	}
	if err := s.writeSnapshot(key, rows); err != nil {
		return false, fmt.Errorf("write views snapshot in %s: %w", s.dir, err)
	}
	s.mu.Lock()
	s.snap.onDisk, s.snap.have = key, true
	s.mu.Unlock()
	s.log.Info("views snapshot written", "demands", len(rows), "took", time.Since(t0))
	return true, nil
}

// snapshotLoop calls SaveSnapshot every interval until Close.
func (s *Store) snapshotLoop(interval time.Duration) {
	defer close(s.snapDone)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-s.stopGC:
			return
		case <-t.C:
		}
		if _, err := s.SaveSnapshot(); err != nil {
			s.log.Warn("views snapshot not written: an open after a crash folds every demand record", "err", err)
		}
	}
}

// demandEntryOf returns the inbox entry of the demand of row r as
// demandEntry made it: its main entry (read back from the inbox view when
// it waits on the owner, else made from the row: inbox_rows.go), or when it
// waits on nobody an entry with What "" and its re-check time. Due and the
// notices are left out (putEntry derives the one, demandNoticesOf reads the
// other). stored says that the inbox view stores every entry (storeSteps).
func demandEntryOf(txn *inboxSnap, r *demandRow, stored bool) inboxEntry {
	id := r.id
	e := inboxEntry{Key: entryKey(relief.KindDemand, id), Kind: relief.KindDemand, ID: id, Code: r.code, Status: r.status}
	if o, ok := txn.get(e.Key); ok {
		e = *o
	} else if !stored && r.wait != waitNone {
		e.What, e.Since = r.waitName(), r.since()
	} else if !stored && r.followsUp() {
		f := rowEntry(r, relief.ReplyFollowUp, relief.Deadlines{})
		e.What, e.Since, e.To = f.What, f.Since, f.To
	} else if o, ok := txn.get(recheckKey(id)); ok && stored {
		e.Recheck = o.Since
	}
	if !stored {
		e.Recheck = r.recheckSince()
	}
	e.Due, e.notices = time.Time{}, nil
	return e
}

// demandNoticesOf returns the notice entries of demand id in the inbox view
// (noticeEntries); nil when it has none.
func demandNoticesOf(txn *inboxSnap, id string) []inboxEntry {
	var out []inboxEntry
	for o := range txn.prefix(entryKey(relief.KindDemand, id) + "\x01") {
		n := *o
		n.notices = nil
		out = append(out, n)
	}
	return out
}
