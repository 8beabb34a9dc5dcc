package store

import (
	"fmt"
	"sync/atomic"

	badger "github.com/dgraph-io/badger/v4"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// An open in two steps (issue 18 item 2: a desktop answers its first screen
// in under 2 s). Open builds, before it returns, what the first screen
// needs: the demand list (from the views snapshot or by folding), the
// members, the deadlines, the undone and fork notices.
// On a large store (settleMin demands or more) it leaves the rest to a
// goroutine it starts as it returns (settleOpen):
//
//   - the tasks: their fold, their points (standings, leaderboard) and rows;
//   - the demands' inbox entries (what waits for whom, since when);
//   - the duplicate-key view (the similar-demand warning, SimilarDemands)
//     and the duplicate flags (DuplicateOf, DuplicateFlags, their inbox
//     entries): at 100,000 demands more than half of the first step's CPU;
//   - the volunteer and offer views (and their refused-write notices).
//
// Until that goroutine has ended, the queries of those views wait for it
// (so no caller is ever told an empty or partial inbox, task list or
// standings as if it were the truth) and the writers (ApplyLocal,
// ApplyRemote, Refill, cuts, snapshots, Close) wait for it before they take
// the store's lock (so no write is made against half-built views).
// ViewsBuilding says whether it still runs: the app answers the screens of
// those views with "building…" meanwhile instead of blocking them. The
// goroutine does not hold mu, so Network, Me, Status and the demand list
// stay answerable while it runs; the records' check the open starts
// (check.go) begins after it.

// settleMin is the number of demands from which Open builds the views
// listed above after it returns rather than before: below it they cost
// less than a few tens of milliseconds. Tests set it to 0 to run the
// two-step open on small stores.
var settleMin = 10000

// settleHook, when set (tests), is called by settleOpen before it builds
// anything: a test holds the views unbuilt there.
var settleHook func(*Store)

// settleState is what load left for settleOpen. Written by load (before
// Open returns) and by settleOpen; done is closed when settleOpen has ended
// (at once when load left nothing), and err is read only after it.
type settleState struct {
	// atLoad is set while load runs: installDemands may then leave its
	// tasks and inbox entries to settleOpen.
	atLoad bool
	// deferred says that load left work: entries and kinds below.
	deferred bool
	entries  []*inboxEntry // the demands' inbox entries to put
	// entryChunks are, on an open from the views snapshot, those entries
	// still CBOR (snapLoaded.entries): decoded here rather than before the
	// first screen, which does not show them; entryRows is the number of
	// rows the snapshot held.
	entryChunks [][]byte
	entryRows   int
	kinds       []string // the views rebuilt from Badger (volunteers, offers)
	trim        bool     // return the garbage and mapped pages at the end (trimAfterOpen)
	began       time.Time
	done        chan struct{}
	err         error

	// cur is the done channel writers and the views' readers wait on:
	// the open's (done) or, while a large catch-up applies without view
	// upkeep, the catch-up's (catchup.go). nil: nothing being built.
	cur atomic.Pointer[chan struct{}]
	// failed is the error the last build met (the open's or a
	// catch-up's), set before its channel is closed; nil almost always.
	failed atomic.Pointer[error]
	// bulk is the state of a large catch-up (catchup.go).
	bulk bulkState
}

// settled is a closed channel, the done of a store with nothing left.
var settled = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// ViewsBuilding reports whether the open is still building the inbox
// entries, the tasks (and their points) and the volunteer and offer views
// after it returned. Their queries wait meanwhile; a screen that must not
// wait says "building…" and reads again when ViewsBuilt is closed.
func (s *Store) ViewsBuilding() bool {
	select {
	case <-s.settleDone():
		return false
	default:
		return true
	}
}

// ViewsBuilt returns a channel closed once the open has built every view
// (at once when it built them before returning).
func (s *Store) ViewsBuilt() <-chan struct{} { return s.settleDone() }

func (s *Store) settleDone() chan struct{} {
	if c := s.settle.cur.Load(); c != nil {
		return *c
	}
	return settled
}

// awaitViews waits until the open has built every view and returns the
// error that building them met (nil almost always), wrapped to say so.
func (s *Store) awaitViews() error {
	<-s.settleDone()
	if err := s.settle.failed.Load(); err != nil {
		return fmt.Errorf("views not built: %w", *err)
	}
	return nil
}

// waitSettled makes a writer wait until the open has built every view.
// Called before taking mu.
func (s *Store) waitSettled() { <-s.settleDone() }

// deferOpen says whether installDemands, called by load with rows demands,
// leaves the tasks and inbox entries to settleOpen.
func (s *Store) deferOpen(rows int) bool {
	return s.settle.atLoad && !s.listOnly && !s.skipList && rows >= settleMin
}

// startSettle starts settleOpen when load left work for it (Open, last).
func (s *Store) startSettle() {
	if !s.settle.deferred {
		return
	}
	s.settle.done = make(chan struct{})
	s.settle.cur.Store(&s.settle.done)
	s.settle.began = time.Now()
	go s.settleOpen(settleHook) // read here: a test restores it as Open returns
}

// settleOpen builds what load left (see the top of this file) without mu:
// every writer waits for it (waitSettled), so the roster, the deadlines and
// the records it reads do not move under it; readers of these views wait
// (awaitViews). Errors are logged and kept for the queries (awaitViews).
func (s *Store) settleOpen(hook func(*Store)) {
	st := &s.settle
	defer close(st.done)
	if hook != nil {
		hook(s)
	}
	st.err = s.settleViews()
	st.entries = nil
	if st.err != nil {
		err := st.err
		st.failed.Store(&err)
		s.log.Error("building the views after the open", "err", st.err)
	} else {
		s.log.Info("views built after the open", "took", time.Since(st.began))
	}
	if st.err == nil && st.trim {
		t0 := time.Now()
		s.views.compact()
		s.log.Info("views compacted after the open", "took", time.Since(t0))
	}
	s.events.publish(Event{Kind: EventViewsBuilt}) // screens that said "building…" read again
	if st.trim {
		s.trimAfterOpen()
	}
}

// settleViews builds, in order, what load left: the tasks, the demands'
// inbox entries, the duplicate-key view and its flags' entries (after the
// entries, as load's flushDuplicates comes after them), then the volunteer
// and offer views.
// The duplicate-key view is built even when a step before it failed: its
// readers do not return errors, and would otherwise be told "no flag".
func (s *Store) settleViews() error {
	st := &s.settle
	err := s.settleTasks()
	if err == nil && st.entryChunks != nil {
		err = s.settleEntries()
	}
	if err == nil {
		err = s.setDemandEntries(st.entries)
	}
	if s.idx.simLater {
		if s.idx.buildSimilar() {
			s.views.touchInbox()
		}
	}
	if err == nil {
		err = s.rebuildKinds(st.kinds...)
	}
	return err
}

// settleEntries decodes the demands' inbox entries load left in the
// snapshot's bytes (entryChunks). Should they not decode (the file passed
// its checksum, so only a bug makes them fail), they are made again by
// folding every demand record, with a warning, rather than leaving the
// inbox unbuilt.
func (s *Store) settleEntries() error {
	st := &s.settle
	entries, err := decodeSnapEntries(st.entryChunks, st.entryRows)
	st.entryChunks = nil
	if err == nil {
		st.entries = entries
		return nil
	}
	s.log.Warn("views snapshot: inbox entries refused, folding every demand record for them", "err", err)
	_, entries, err = s.foldDemandRecords()
	if err != nil {
		return fmt.Errorf("inbox entries: %w", err)
	}
	st.entries = entries
	return nil
}

// settleTasks folds every task record on every core and puts its awards in
// the points and its row in the task view, as installDemands does when it
// does not defer them.
func (s *Store) settleTasks() error {
	roster, dl := s.roster, s.idx.dl
	tasks, err := s.foldTasks(roster, dl)
	if err != nil {
		return fmt.Errorf("index tasks: %w", err)
	}
	ids := make([]string, len(tasks))
	awards := make([][]relief.Earned, len(tasks))
	actors := make([][]ledger.DeviceID, len(tasks))
	for i, ft := range tasks {
		ids[i], awards[i], actors[i] = ft.rec.ID, ft.awards, ft.actors
	}
	s.idx.setTasks(ids, awards, actors)
	return s.putTaskViews(tasks, roster)
}

// HoldViewsBuildForTest makes every Open that follows, until restore is
// called, build its tasks, inbox entries and volunteer and offer views
// after it returns whatever the store's size, and wait before building them
// until release is called (once per such open). It exists for the tests of
// the screens' "building" answer in other packages; nothing else may call
// it, and no test calling it may run in parallel with another that opens a
// store.
func HoldViewsBuildForTest() (release, restore func()) {
	oldMin, oldHook := settleMin, settleHook
	settleMin = 0
	gate := make(chan struct{})
	settleHook = func(*Store) { <-gate }
	return func() { gate <- struct{}{} }, func() { settleMin, settleHook = oldMin, oldHook }
}

// countOfferRecords counts the offer records held, reading keys only (a
// few milliseconds for tens of thousands): OfferCount's answer while the
// offer view is built after the open, so that Status (the app's first
// call) does not wait for it. An offer whose every change a revocation cut
// undid is still a record and counted, which the view does not: such an
// offer is rare, and the count is right again once the view is built.
// 0 when Badger cannot be read (logged).
func (s *Store) countOfferRecords() int {
	n := 0
	err := s.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		p := recordPrefix(relief.KindOffer)
		opts.Prefix = p
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Seek(p); it.ValidForPrefix(p); it.Next() {
			n++
		}
		return nil
	})
	if err != nil {
		s.log.Warn("count the offer records", "err", err)
	}
	return n
}
