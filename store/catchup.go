package store

import (
	"fmt"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// A large catch-up without view upkeep (issue 18 item 1: 100,000 records to
// an empty laptop). Change by change, a laptop's apply path spends most of
// its CPU keeping the views up to date: a demand's row put in the list (its
// order, text postings, duplicate keys), its inbox entry, its task points.
// When a catch-up brings many more changes than the store holds, that
// upkeep is work thrown away: each row is replaced many times over by the
// rows that follow it in the list's order, and the views are read by no one
// meanwhile. BeginCatchUp turns it off for the catch-up:
//
//   - the demands of each run are still folded into their rows and inbox
//     entries while Badger commits the run (startFold, on its own
//     goroutine: the second core), but the rows are kept aside, not put;
//   - members, the network record and the deadlines are taken at once
//     (admission and the folds depend on them), and a roster change is noted
//     with the generation of the folds it makes stale;
//   - tasks, volunteers and offers are noted (their ids, their records);
//   - at the end, the list is made of the kept rows in one build (buildTable
//     on an empty store, one put otherwise), the inbox entries are written in
//     one transaction, and only what the noted roster and deadline changes
//     made stale is folded again from Badger (refoldRecords). A cut, a
//     records' check or anything else that rebuilds records while the bulk
//     runs makes the end rebuild everything from Badger (refoldDemands and the
//     views), as the open does by a fold.
//   - on a store that held nothing (an empty laptop: the case issue 18
//     measures), the end returns as soon as the demand list is built — every
//     change durable, the list's pages, orders, counts and search answering
//     (time (a)) — and builds the rest on a goroutine of its own (time (b)):
//     the bigram postings of the rows' texts (until they are in, a search
//     scans every row's text: buildTableLater; the folds no longer make the
//     rows' bigrams), the inbox entries (loadDemands: the inbox's indexes built once, on
//     every core) beside the duplicate-key view and its flags (simLater, as
//     the open's second step; their readers wait), then the tasks and points,
//     the volunteers and offers, the deadlines and the events. The duplicate
//     keys are therefore no longer made by the folds beside the apply.
//
// Meanwhile the views are "being built", exactly as during the open's second
// step (open_settle.go; the same channel): ViewsBuilding is true, the
// queries of the inbox, tasks, points, volunteers and offers wait (and the
// app answers their screens "building…"), other writers (ApplyLocal, Refill,
// cuts, snapshots, Close) wait before they take the lock, and EventViewsBuilt
// tells the screens to read again at the end (b). ApplyRemote does not wait
// while the bulk is on: the catch-up's own batches (and any other peer's
// meanwhile) apply in bulk; once the end has built the list it waits for
// the rest as every writer does (lockRemote).
// The demand list keeps the state it had when the catch-up began (whole, not
// half-built) until the end; the catch-up's progress reaches the UI through
// the replicator's events as before. On an empty store, EventDemandsBuilt
// tells the list screen to read again at (a), before the other views.
// From BeginCatchUp until the views are built, the process collects at GC
// percent catchUpGCPercent (raiseGC), the hub's, not the desktop's 100.
//
// Nothing of this is on disk: the records are committed run by run as
// always, so a crash in the middle leaves a store whose open folds what it
// holds (the views snapshot, written at Close and by the snapshot loop,
// which waits for the end, no longer matches the store's state).

// catchUpMin is the fewest changes a catch-up must announce for
// BeginCatchUp to apply it without view upkeep; below it the upkeep costs
// less than the one build at the end. Tests set it lower.
var catchUpMin = 5000

// catchUpLaterHook, when set (tests), is called by the goroutine that
// builds a large catch-up's other views after its demand list
// (endCatchUp), before it builds anything: a test holds them unbuilt there.
var catchUpLaterHook func()

// HoldCatchUpViewsForTest makes every catch-up that follows, until restore
// is called, apply in bulk however few changes it announces (at least one),
// and holds the views that a bulk catch-up into an empty store builds after
// its demand list until release is called (it lets every held build go,
// and those after it; calling it again does nothing, and it never blocks).
// For tests of other packages (the app's screens between EventDemandsBuilt
// and EventViewsBuilt); a held build keeps Close waiting, so call release
// before it.
func HoldCatchUpViewsForTest() (release, restore func()) {
	oldMin, oldHook := catchUpMin, catchUpLaterHook
	catchUpMin = 1
	gate := make(chan struct{})
	catchUpLaterHook = func() { <-gate }
	return sync.OnceFunc(func() { close(gate) }), func() { catchUpMin, catchUpLaterHook = oldMin, oldHook }
}

// catchUpGCPercent is the GC percent (runtime/debug.SetGCPercent) while a
// large catch-up applies and builds its views: the hub's (internal/memlimit),
// not the desktop's 100. The catch-up allocates ≈ 18 KB per change while its
// live heap grows to the rows of every demand it brings; at 100 the collector
// runs 15–17 times over that growing heap (100,000 changes), at 300 about 5,
// for ≈ 10–15 % less CPU per change and ≈ 330 MiB more at the peak (≈ 1 GiB
// at 100,000 demands). The memory limit the app sets stays the backstop: near
// it the collector runs whatever the percent. The percent the process had is
// put back when the last catch-up's views are built.
const catchUpGCPercent = 300

// gcBoost counts the large catch-ups under way in the process (every store):
// the first raises the GC percent to catchUpGCPercent, the last puts back the
// one it found (old).
var gcBoost struct {
	sync.Mutex
	n   int
	old int
}

// raiseGC raises the process's GC percent to catchUpGCPercent for a large
// catch-up, unless a person set it (GOGC in the environment, which
// internal/memlimit leaves too), it is higher already or collection is off
// (negative); every call is matched by one of lowerGC.
func raiseGC() {
	gcBoost.Lock()
	defer gcBoost.Unlock()
	if gcBoost.n == 0 {
		gcBoost.old = debug.SetGCPercent(catchUpGCPercent)
		if os.Getenv("GOGC") != "" || gcBoost.old < 0 || gcBoost.old >= catchUpGCPercent {
			debug.SetGCPercent(gcBoost.old) // as it was
		}
	}
	gcBoost.n++
}

// lowerGC ends what one raiseGC began: the last puts the GC percent back.
func lowerGC() {
	gcBoost.Lock()
	defer gcBoost.Unlock()
	if gcBoost.n--; gcBoost.n == 0 {
		debug.SetGCPercent(gcBoost.old)
	}
}

// bulkState is the state of a large catch-up (see the top of this file).
// on is read without the lock by ApplyRemote; the rest is under s.mu.
type bulkState struct {
	on    atomic.Bool
	users int           // catch-ups sharing it: the last to end builds
	done  chan struct{} // closed when the views are built again
	began time.Time

	had   bool             // the list or the points held anything when it began
	dl    relief.Deadlines // the deadlines when it began
	gen   uint64           // roster changes so far; a fold made at gen g used the roster after change g
	moved map[ledger.DeviceID]uint64
	folds []*foldTask // the runs' folds, in order, committed
	tasks map[string]bool
	recs  map[string]*relief.Record // the volunteers and offers touched, by record key
	dirty bool                      // something rebuilt records meanwhile: rebuild everything
	n     int                       // changes applied
}

// BeginCatchUp tells the store that a catch-up announcing expected changes
// begins. When expected is at least catchUpMin and at least the demands the
// list holds (an empty or far-behind store), and the store keeps views (not
// lean, not a list-only reader), the changes applied until end is called go
// in without view upkeep and end builds the views once (see the top of this
// file); otherwise nothing changes and end does nothing. Two catch-ups may
// share one: the last to end builds. end must be called exactly once,
// however the catch-up ended (a later call does nothing); it returns the
// error building the views met (also logged, and told to the views'
// queries). On a store that held nothing it returns once the demand list
// is built, and the other views are built after it (ViewsBuilding until
// ViewsBuilt is closed; an error there is logged and told to their queries
// only). Safe for concurrent use.
func (s *Store) BeginCatchUp(expected int) (end func() error) {
	s.waitSettled() // the open's own build first
	s.mu.Lock()
	defer s.mu.Unlock()
	b := &s.settle.bulk
	if s.db == nil || s.lean.on || s.skipList || s.listOnly {
		return func() error { return nil }
	}
	if b.on.Load() {
		b.users++
		return s.endCatchUp()
	}
	s.idx.mu.RLock()
	held := len(s.idx.t.rows)
	had := held > 0 || len(s.idx.t.points.taskActors) > 0
	s.idx.mu.RUnlock()
	if expected < catchUpMin || expected < held {
		return func() error { return nil }
	}
	s.flushIndex()              // nothing pending: the bulk starts from a settled list
	done := make(chan struct{}) // its own variable: cur keeps pointing at it once b is reset
	*b = bulkState{users: 1, done: done, began: time.Now(), had: had, dl: s.idx.dl,
		moved: map[ledger.DeviceID]uint64{}, tasks: map[string]bool{}, recs: map[string]*relief.Record{}}
	b.on.Store(true)
	raiseGC() // lowered by bulkBuilt, once the views are built
	s.settle.failed.Store(nil)
	s.settle.cur.Store(&done)
	s.log.Info("a large catch-up: the views are built once at its end", "expected", expected, "demands held", held)
	return s.endCatchUp()
}

// endCatchUp returns the end function of one user of the bulk. The last
// user's call builds the demand list and returns (time (a): every change
// durable, the demand list answerable); the other views are built after it
// on a goroutine of their own (finishBulk's later), and ViewsBuilding stays
// true, their queries and the writers waiting, until that goroutine ends
// (time (b)).
func (s *Store) endCatchUp() func() error {
	var once sync.Once
	var err error
	return func() error {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			b := &s.settle.bulk
			if b.users--; b.users > 0 {
				return
			}
			n, began, done := b.n, b.began, b.done
			later, ferr := s.finishBulk()
			*b = bulkState{} // on was turned off by finishBulk
			if ferr != nil || later == nil {
				err = ferr
				s.bulkBuilt(ferr, n, began, done)
				return
			}
			s.log.Info("demand list built after a large catch-up; the other views follow", "changes", n, "took", time.Since(began))
			s.events.publish(Event{Kind: EventDemandsBuilt}) // the list screen reads again now, not at (b)
			hook := catchUpLaterHook
			go func() {
				if hook != nil {
					hook()
				}
				s.bulkBuilt(later(), n, began, done)
			}()
		})
		return err
	}
}

// bulkBuilt ends a large catch-up's build: it keeps err for the views'
// queries (logged), closes done (writers and readers go on) and tells the
// screens that said "building…" to read again.
func (s *Store) bulkBuilt(err error, n int, began time.Time, done chan struct{}) {
	lowerGC() // raised by BeginCatchUp
	if err != nil {
		e := err
		s.settle.failed.Store(&e)
		s.log.Error("building the views after a large catch-up", "err", err)
	} else {
		s.log.Info("views built after a large catch-up", "changes", n, "took", time.Since(began))
	}
	close(done)
	s.events.publish(Event{Kind: EventViewsBuilt}) // screens that said "building…" read again
}

// lockRemote takes s.mu for ApplyRemote: at once while a large catch-up
// applies without view upkeep (its batches and any other peer's go in in
// bulk), otherwise once the views being built are built (waitSettled), as
// every writer. A call that saw the bulk on but took the lock after its end
// had built the demand list (its other views still being built without
// s.mu: endCatchUp) lets go and waits for them.
func (s *Store) lockRemote() {
	for {
		if !s.bulkOn() {
			s.waitSettled() // writes wait for the views the open or a catch-up builds
		}
		s.mu.Lock()
		if s.bulkOn() || !s.ViewsBuilding() {
			return
		}
		s.mu.Unlock()
	}
}

// bulkOn says whether a large catch-up applies without view upkeep. Called
// with s.mu held.
func (s *Store) bulkOn() bool { return s.settle.bulk.on.Load() }

// bulkDirty notes that records were rebuilt while a large catch-up applied
// without view upkeep: its end rebuilds everything. It reports whether one
// runs (the caller then leaves the views alone). Called with s.mu held.
func (s *Store) bulkDirty() bool {
	if !s.bulkOn() {
		return false
	}
	s.settle.bulk.dirty = true
	return true
}

// bulkRecords notes the records of a committed run during a large
// catch-up: tasks by id, volunteers and offers by key (the latest). Called
// with s.mu held, by indexRecords.
func (s *Store) bulkRecords(recs []*relief.Record) {
	b := &s.settle.bulk
	for _, rec := range recs {
		switch rec.Kind {
		case relief.KindTask:
			b.tasks[rec.ID] = true
		case relief.KindVolunteer, relief.KindOffer:
			b.recs[string(recordKey(rec.Kind, rec.ID))] = rec
		}
	}
}

// bulkMoved notes members whose roster entries changed during a large
// catch-up: the folds made before make rows that concern them stale.
func (s *Store) bulkMoved(members []ledger.DeviceID) {
	b := &s.settle.bulk
	if len(members) == 0 {
		return
	}
	b.gen++
	for _, m := range members {
		b.moved[m] = b.gen
	}
}

// finishBulk builds what a large catch-up left (see the top of this file)
// and turns its bulk off. Called with s.mu held by the last user's end.
//
// On a store that held no demand and no task when the catch-up began (an
// empty laptop) it builds only the demand list before it returns: the kept
// rows in one table, and the demands a roster change made stale folded
// again. The rest is later's, which the caller runs on its own goroutine
// while ViewsBuilding stays true: the inbox entries on one core while the
// duplicate-key view is built on the other (as the open's second step
// does, simLater: its readers wait), then, under s.mu, the tasks, the
// volunteers and offers, the deadlines and the events. Every writer waits
// for later meanwhile (waitSettled; ApplyRemote in lockRemote). later is
// nil when finishBulk built everything (a store that held something, or a
// rebuild from Badger).
func (s *Store) finishBulk() (later func() error, err error) {
	b := &s.settle.bulk
	s.waitFolds() // the last runs' folds join b.folds
	b.on.Store(false)
	dl := s.idx.dl
	if b.dirty || (b.had && (s.idx.rescore || dl != b.dl)) {
		// Something rebuilt records meanwhile, or the deadlines moved under
		// rows held before: everything again, as an open by a fold.
		clear(s.idx.changed)
		s.idx.rescore = false
		s.views.stale = true
		if err := s.refoldDemands(); err != nil {
			return nil, err
		}
		if err := s.rebuildViews(relief.KindVolunteer, relief.KindOffer); err != nil {
			return nil, err
		}
		s.views.touched() // rebuilt: nothing left to refold
		s.flushIndex()
		return nil, nil
	}
	// The last fold of each demand stands if it used the final deadlines and
	// no roster entry it depends on changed after it.
	latest := map[string]int{}
	var rows []*demandRow
	var entries []*inboxEntry
	var stale []string
	staleSet := map[string]bool{}
	for _, f := range b.folds {
		for i, r := range f.rows {
			ok := f.dl == dl
			for _, a := range r.actors {
				if ok && b.moved[a] > f.gen {
					ok = false
				}
			}
			if j, seen := latest[r.id]; seen {
				rows[j], entries[j] = nil, nil
			}
			delete(latest, r.id)
			delete(staleSet, r.id)
			if !ok {
				staleSet[r.id] = true
				continue
			}
			latest[r.id] = len(rows)
			rows = append(rows, r)
			entries = append(entries, f.entries[i])
		}
	}
	kept := rows[:0]
	keptEntries := entries[:0]
	for i, r := range rows {
		if r != nil {
			kept = append(kept, r)
			keptEntries = append(keptEntries, entries[i])
		}
	}
	rows, entries = kept, keptEntries
	b.folds = nil
	tasks := make([]string, 0, len(b.tasks))
	for id := range b.tasks {
		tasks = append(tasks, id)
	}
	if b.had { // what was held before and concerns the members moved
		s.idx.mu.RLock()
		t := s.idx.t
		for m := range b.moved {
			for _, slot := range t.actors[m] {
				if id := t.slots[slot].id; !staleSet[id] {
					if _, fresh := latest[id]; !fresh {
						staleSet[id] = true
					}
				}
			}
			for id := range t.points.taskActors[m] {
				if !b.tasks[id] {
					tasks = append(tasks, id)
				}
			}
		}
		s.idx.mu.RUnlock()
	}
	for id := range staleSet {
		stale = append(stale, id)
	}
	clear(s.idx.changed)
	s.idx.rescore = false
	recs := make([]*relief.Record, 0, len(b.recs))
	for _, rec := range b.recs {
		recs = append(recs, rec)
	}
	// the views after the list: the tasks, volunteers and offers, the
	// deadlines, the duplicates' entries, the events
	rest := func() error {
		if err := s.refoldRecords(nil, tasks); err != nil {
			return fmt.Errorf("fold again the tasks of the catch-up: %w", err)
		}
		if len(recs) > 0 {
			s.viewRecords(recs, false)
		}
		if err := s.views.setDeadlines(s.deadlinesLocked()); err != nil {
			return err
		}
		s.flushIndex() // duplicates, the views of moved members, the events
		return nil
	}
	if b.had {
		// The inbox entries go in on one core while the list is put on the
		// other: the views and the list share nothing until flushDuplicates.
		putting := make(chan struct{})
		go func() {
			defer close(putting)
			s.views.putDemands(entries)
		}()
		s.idx.put(rows)
		<-putting
		if err := s.refoldRecords(stale, nil); err != nil {
			return nil, fmt.Errorf("fold again what the catch-up's roster changes touched: %w", err)
		}
		return nil, rest()
	}
	// An empty laptop: the list now, the rest later. Its texts' postings
	// are made later too (buildTableLater: a search scans the texts until
	// then), unless roster changes make rows to fold again now: those are put
	// in a table whose index is whole.
	s.idx.simLater = !s.idx.noSimilar
	var tab *demandTable
	var postings func() map[uint64][]uint32
	if len(stale) == 0 {
		tab, postings = buildTableLater(rows)
	} else {
		tab = buildTable(rows)
	}
	s.idx.swap(tab)
	if len(stale) > 0 {
		if err := s.refoldRecords(stale, nil); err != nil {
			return nil, fmt.Errorf("fold again what the catch-up's roster changes touched: %w", err)
		}
	}
	return func() error {
		// Without s.mu: every writer waits for this goroutine, so nothing
		// modifies the table before its postings are in.
		var flags bool
		var grams map[uint64][]uint32
		var wg sync.WaitGroup
		if postings != nil {
			wg.Go(func() { grams = postings() })
		}
		if s.idx.simLater {
			wg.Go(func() { flags = s.idx.buildSimilar() })
		}
		s.views.loadDemands(entries)
		wg.Wait()
		if postings != nil {
			s.idx.mu.Lock()
			if s.idx.t == tab {
				tab.setGrams(grams)
			}
			s.idx.mu.Unlock()
		}
		if flags {
			s.views.touchInbox()
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		return rest()
	}, nil
}
