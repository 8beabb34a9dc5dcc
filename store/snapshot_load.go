package store

import (
	"errors"
	"io/fs"
	"runtime"
	"sync"
	"time"

	memdb "github.com/hashicorp/go-memdb"

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
	srs, err := s.readSnapshot(key)
	if err == nil {
		s.snap.onDisk, s.snap.have, s.snap.loaded, s.snap.lastReason = key, true, true, ""
		rows, entries := rowsFromSnapshot(srs)
		srs = nil
		s.log.Info("views snapshot loaded", "demands", len(rows), "took", time.Since(t0))
		s.keepEntries(entries)
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
		s.snap.lastReason = "refused: " + err.Error()
		s.log.Warn("views snapshot refused: folding every demand record", "file", SnapshotFile, "err", err)
		s.removeSnapshot()
	}
	s.waitFolds()
	rows, entries, err := s.foldDemandRecords()
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

// rowsFromSnapshot makes the rows and inbox entries of a snapshot's demands,
// as newRecordRow makes them from records, on every core.
func rowsFromSnapshot(srs []snapRow) ([]*demandRow, []*inboxEntry) {
	rows := make([]*demandRow, len(srs))
	entries := make([]*inboxEntry, len(srs))
	workers := max(1, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(srs)/workers, (w+1)*len(srs)/workers
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				sr := &srs[i]
				r := newDemandRow(sr.View)
				r.wait, r.waitSince = sr.Wait, sr.WaitSince
				r.actors = sr.Actors
				r.fresh.awards = sr.Awards
				rows[i] = r
				e := sr.Entry
				if len(sr.Notices) > 0 {
					ns := make([]*inboxEntry, len(sr.Notices))
					for j := range sr.Notices {
						ns[j] = &sr.Notices[j]
					}
					e.notices = &ns
				}
				entries[i] = &e
				*sr = snapRow{}
			}
		})
	}
	wg.Wait()
	return rows, entries
}

// saveSnapshotAtClose writes the views snapshot of the store's state, unless
// the file already holds it, the store has no demand list (SkipDemandList),
// is in memory, holds few demands, or is not settled (folds or refolds
// pending). A ListOnly store writes it only for the state it loaded (it
// kept those entries). A failure is logged: the next open folds the records.
// Called by Close with s.mu held, before Badger closes.
func (s *Store) saveSnapshotAtClose() {
	if s.snap.off || s.skipList || len(s.folds) > 0 || s.idx.rescore || len(s.idx.changed) > 0 || s.views.stale {
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
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	t := s.idx.t
	txn := s.views.db.Txn(false)
	out := make([]snapRow, 0, len(t.rows))
	for _, slot := range t.order {
		r := t.slots[slot]
		if r == nil {
			continue
		}
		sr := snapRow{View: r.view, Wait: r.wait, WaitSince: r.waitSince, Actors: r.actors}
		ref := entityRef{relief.KindDemand, r.view.ID}
		for _, a := range t.points.entities[ref] {
			sr.Awards = append(sr.Awards, relief.Earned{Member: t.points.keys[a.member], Award: t.points.award(ref, a)})
		}
		if s.listOnly {
			if e := s.snap.entries[r.view.ID]; e != nil {
				sr.Entry = *e
				if e.notices != nil {
					for _, n := range *e.notices {
						sr.Notices = append(sr.Notices, *n)
					}
				}
			}
		} else {
			sr.Entry = demandEntryOf(txn, r)
			sr.Notices = demandNoticesOf(txn, r.view.ID)
		}
		sr.Entry.notices = nil
		out = append(out, sr)
	}
	return out
}

// demandEntryOf returns the inbox entry of the demand of row r as
// demandEntry made it, read back from the inbox view: its main entry, or
// when it waits on nobody an entry with What "" and its re-check time. Due
// and the notices are left out (putEntry derives the one, demandNoticesOf
// reads the other).
func demandEntryOf(txn *memdb.Txn, r *demandRow) inboxEntry {
	id := r.view.ID
	e := inboxEntry{Key: entryKey(relief.KindDemand, id), Kind: relief.KindDemand, ID: id, Code: r.view.Code, Status: r.view.Status}
	if o, err := txn.First(ViewInbox, "id", e.Key); err == nil && o != nil {
		e = *o.(*inboxEntry)
	} else if o, err := txn.First(ViewInbox, "id", recheckKey(id)); err == nil && o != nil {
		e.Recheck = o.(*inboxEntry).Since
	}
	e.Due, e.notices = time.Time{}, nil
	return e
}

// demandNoticesOf returns the notice entries of demand id in the inbox view
// (noticeEntries); nil when it has none.
func demandNoticesOf(txn *memdb.Txn, id string) []inboxEntry {
	it, err := txn.Get(ViewInbox, "id_prefix", entryKey(relief.KindDemand, id)+"\x01")
	if err != nil {
		return nil
	}
	var out []inboxEntry
	for o := it.Next(); o != nil; o = it.Next() {
		n := *o.(*inboxEntry)
		n.notices = nil
		out = append(out, n)
	}
	return out
}
