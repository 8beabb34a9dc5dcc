package store

// A lean store (Options.Lean) is the hub's: it relays and stores, and answers
// few queries (status, members, its member's inbox, exports). It keeps no
// demand list, no duplicate-key view and no go-memdb views of volunteers,
// offers, tasks or inbox entries resident while it ingests and serves — at a
// million demands those are ≈ 8 KB per demand (BENCHMARKS.md, "Ingest at a
// million changes"). What status shows is maintained incrementally (the
// demand counts by status and the count of offers); a query that needs the
// views asks for them with UseViews, which builds them (from the views
// snapshot when it holds for the store's state, else by folding every
// record) and drops them when the last user releases them.

import (
	"encoding/json"
	"fmt"
	"maps"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// leanState is what a lean store keeps instead of its views. The fields
// below off are guarded by mu (DemandCounts reads them without Store.mu);
// writers change them with Store.mu held too.
type leanState struct {
	on    bool // Options.Lean
	pipe  bool // Options.CommitPipeline (apply_pipe.go)
	users int  // holders of the views (UseViews); guarded by Store.mu
	// off is true while the views are not resident (on, and no user): the
	// apply path then folds no demand into a list and writes no view.
	off atomic.Bool
	// builds counts the views built by UseViews, for tests.
	builds atomic.Int64
	// recounts counts the full recounts of leanDemandCounts (LeanRecounts);
	// onRecount, when set (SetOnRecount), is called before each.
	recounts  atomic.Int64
	onRecount func()

	mu     sync.Mutex
	counts map[relief.Status]int // demands by status, every stored demand record
	offers int                   // offer records with a change (the offer view's rows)
	ok     bool                  // counts and offers hold for what Badger holds
	last   int                   // the demands counted when they last held
	// roster is the roster the counts hold for (when ok): after a roster
	// change, leanRecountMembers re-derives the demands of the members
	// whose entries differ between it and the store's (lean_actors.go).
	roster   *relief.Roster
	refolded int64 // demands re-derived by leanRecountMembers

	// actorsOK says the actor index (lean_actors.go) is complete; guarded
	// by Store.mu.
	actorsOK bool
	// actorNonce (random, drawn at open) and actorSeq make the keys of the
	// actor index's run entries unique (actorRunKey).
	actorNonce [8]byte
	actorSeq   atomic.Uint64
}

// leanCountsSetting is the store setting where a lean store saves its counts
// at Close, with the version vector they hold for, so that the next open
// need not fold every demand to show them.
const leanCountsSetting = "store.lean-counts"

// savedLeanCounts is the value of leanCountsSetting (JSON).
type savedLeanCounts struct {
	VersionVector map[string]uint64 `json:"vv"`
	Counts        map[string]int    `json:"counts"`
	Offers        int               `json:"offers"`
}

// Lean reports whether the store was opened with Options.Lean.
func (s *Store) Lean() bool { return s.lean.on }

// ViewsResident reports whether the demand list and the views are in
// memory: always on a store opened without Options.Lean (or SkipDemandList),
// and on a lean one while a UseViews holds them.
func (s *Store) ViewsResident() bool {
	if s.lean.on {
		return !s.lean.off.Load()
	}
	return !s.skipList
}

// UseViews makes the demand list and the views resident until release is
// called, for a query that reads them on a lean store (Options.Lean): the
// first user builds them — from the views snapshot when it holds for the
// store's state, else by folding every record, as Open does — and they
// are kept up to date while any user holds them; when the last one
// releases them they are dropped and their memory handed back to the OS.
// On a store that is not lean it does nothing. release may be called more
// than once. Errors: reading or decoding the stored records (the views
// stay dropped).
func (s *Store) UseViews() (release func(), err error) {
	if !s.lean.on {
		return func() {}, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return nil, errClosed
	}
	if s.lean.users == 0 {
		if err := s.buildViewsLocked(); err != nil {
			s.dropViewsLocked()
			return nil, fmt.Errorf("build the views of a lean store: %w", err)
		}
	}
	s.lean.users++
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.lean.users--; s.lean.users == 0 && s.db != nil {
				s.dropViewsLocked()
			}
		})
	}, nil
}

// buildViewsLocked builds the demand list and the views of a lean store,
// as load does for a store that is not lean. Called with s.mu held.
func (s *Store) buildViewsLocked() error {
	s.skipList = false
	s.lean.off.Store(false)
	s.lean.builds.Add(1)
	if err := s.loadDemands(); err != nil {
		return err
	}
	s.flushDuplicates()
	if err := s.refreshUndone(); err != nil {
		return err
	}
	if err := s.refreshForks(); err != nil {
		return err
	}
	return s.rebuildViews(relief.KindVolunteer, relief.KindOffer)
}

// dropViewsLocked drops the demand list and the views of a lean store,
// keeping the counts status shows (from the list, when it is settled), the
// members' view and the undone and fork entries of the inbox, which a lean
// store keeps. Called with s.mu held.
func (s *Store) dropViewsLocked() {
	counts, offers, settled := s.residentCountsLocked()
	s.skipList = true
	s.lean.off.Store(true)
	if counts == nil {
		counts = map[relief.Status]int{}
	}
	s.lean.mu.Lock()
	s.lean.counts, s.lean.offers, s.lean.ok, s.lean.roster = counts, offers, settled, s.roster
	s.lean.mu.Unlock()
	s.idx.swap(newDemandTable())
	s.idx.settleDuplicates() // the flags held the dropped rows (TestLeanDropReleasesDuplicateFlags)
	s.idx.rescore = false
	clear(s.idx.changed)
	txn := s.views.write()
	txn.vols.delPrefix("") // every key starts with ""
	txn.offers.delPrefix("")
	txn.tasks.delPrefix("") // every key starts with ""
	txn.inbox.delPrefix("")
	txn.Commit()
	clear(s.views.writers)
	clear(s.views.changed)
	c := &s.views.pages
	c.mu.Lock()
	c.vol, c.offer, c.inbox, c.hist = nil, nil, nil, nil
	c.mu.Unlock()
	if err := s.refreshUndone(); err != nil {
		s.log.Error("list the undone changes in the inbox", "err", err)
	}
	if err := s.refreshForks(); err != nil {
		s.log.Error("list the forks in the inbox", "err", err)
	}
	debug.FreeOSMemory()
}

// residentCountsLocked returns the demand counts by status and the offer
// count of the resident demand list and views, and whether they hold (the
// list is resident and settled: no fold pending). Called with s.mu held.
func (s *Store) residentCountsLocked() (map[relief.Status]int, int, bool) {
	s.waitFolds()
	if s.skipList || s.listOnly || s.idx.rescore || len(s.idx.changed) != 0 {
		return nil, 0, false
	}
	return s.DemandCountsResident(), s.views.offers.snap().count(), true
}

// DemandCountsResident is DemandCounts read from the resident demand list
// (empty while a lean store's views are dropped).
func (s *Store) DemandCountsResident() map[relief.Status]int {
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	return maps.Clone(s.idx.t.counts)
}

// leanDemandCounts returns the counts of a lean store whose views are not
// resident (second result false when they are: read the list then).
// Counts not known (after a roster change or a cut) are counted again by a
// scan of the demand and offer records that holds one batch in memory.
func (s *Store) leanDemandCounts() (map[relief.Status]int, int, bool) {
	if !s.lean.on || !s.lean.off.Load() {
		return nil, 0, false
	}
	s.lean.mu.Lock()
	if s.lean.ok {
		defer s.lean.mu.Unlock()
		return maps.Clone(s.lean.counts), s.lean.offers, true
	}
	s.lean.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.lean.off.Load() { // views built meanwhile
		return nil, 0, false
	}
	s.lean.recounts.Add(1)
	if s.lean.onRecount != nil {
		s.lean.onRecount()
	}
	if err := s.recountLocked(); err != nil {
		s.log.Error("count the demands of a lean store", "err", err)
		return map[relief.Status]int{}, 0, true
	}
	s.lean.mu.Lock()
	defer s.lean.mu.Unlock()
	return maps.Clone(s.lean.counts), s.lean.offers, true
}

// OfferCount returns how many offers the store holds (those with a change:
// the rows of the offer view, what OffersQuery's Total counts without a
// filter), on a lean store without its views too.
func (s *Store) OfferCount() int {
	if _, n, ok := s.leanDemandCounts(); ok {
		return n
	}
	if s.ViewsBuilding() { // the open still builds the offer view: count the records, not wait (open_settle.go)
		return s.countOfferRecords()
	}
	p, err := s.OffersQuery(OfferQuery{Limit: 1})
	if err != nil {
		return 0
	}
	return p.Total
}

// recountLocked counts the demands by status and the offers from Badger,
// folded with the current roster, streaming the records in batches over
// the cores. Called with s.mu held.
func (s *Store) recountLocked() error {
	counts := map[relief.Status]int{}
	roster := s.roster
	// an incomplete actor index is rebuilt on the way (lean_actors.go)
	var wb *badger.WriteBatch
	if !s.lean.actorsOK {
		wb = s.db.NewWriteBatch()
		defer wb.Cancel()
	}
	var wbErr error
	type folded struct {
		status relief.Status
		id     string
		actors []ledger.DeviceID
	}
	err := scanRecords(s, relief.KindDemand, func(rec *relief.Record) any {
		f := folded{status: relief.DemandStatus(rec, roster)}
		if wb != nil {
			f.id, f.actors = rec.ID, actorsOf(rec)
		}
		return f
	}, func(v any) {
		f := v.(folded)
		counts[f.status]++
		for _, a := range f.actors {
			if wbErr == nil {
				wbErr = wb.Set(actorKey(a, f.id), nil)
			}
		}
	})
	if err != nil {
		return err
	}
	if wb != nil {
		if wbErr == nil {
			wbErr = wb.Flush()
		}
		if wbErr != nil {
			s.log.Warn("actor index of a lean store not rebuilt: roster changes count every demand", "err", wbErr)
		} else {
			s.lean.actorsOK = true
		}
	}
	offers := 0
	err = scanRecords(s, relief.KindOffer, func(rec *relief.Record) any { return rec.First != nil },
		func(v any) {
			if v.(bool) {
				offers++
			}
		})
	if err != nil {
		return err
	}
	s.lean.mu.Lock()
	s.lean.counts, s.lean.offers, s.lean.ok, s.lean.roster = counts, offers, true, roster
	s.lean.mu.Unlock()
	return nil
}

// scanRecords decodes and folds every record of kind on every core, in
// batches of 256 (the memory held is a few batches, whatever the store's
// size), and calls take with each result on the calling goroutine.
func scanRecords(s *Store, kind string, fold func(*relief.Record) any, take func(any)) error {
	return scanWith(s.db.View, kind, fold, take)
}

// scanWith is scanRecords reading the records in the transaction view
// runs its function in (a Badger DB's View, or an open read transaction).
func scanWith(view func(func(*badger.Txn) error) error, kind string, fold func(*relief.Record) any, take func(any)) error {
	const batchSize = 256
	workers := max(1, runtime.GOMAXPROCS(0))
	in := make(chan [][]byte, workers)
	out := make(chan []any, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for batch := range in {
				res := make([]any, 0, len(batch))
				for _, b := range batch {
					if errs[w] != nil {
						break
					}
					rec, err := relief.DecodeRecord(b)
					if err != nil {
						errs[w] = fmt.Errorf("%s record: %w", kind, err)
						break
					}
					res = append(res, fold(rec))
				}
				out <- res
			}
		})
	}
	taken := make(chan struct{})
	go func() {
		defer close(taken)
		for res := range out {
			for _, v := range res {
				take(v)
			}
		}
	}()
	prefix := recordPrefix(kind)
	err := view(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		batch := make([][]byte, 0, batchSize)
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			b, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			if batch = append(batch, b); len(batch) == batchSize {
				in <- batch
				batch = make([][]byte, 0, batchSize)
			}
		}
		if len(batch) > 0 {
			in <- batch
		}
		return nil
	})
	close(in)
	wg.Wait()
	close(out)
	<-taken
	if err != nil {
		return fmt.Errorf("read %s records: %w", kind, err)
	}
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// leanForget says that the counts no longer hold (a roster change or a cut
// re-derives records): the next DemandCounts counts again. Called with s.mu
// held.
func (s *Store) leanForget() {
	s.lean.mu.Lock()
	if s.lean.ok {
		s.lean.last = 0
		for _, n := range s.lean.counts {
			s.lean.last += n
		}
	}
	s.lean.ok = false
	s.lean.mu.Unlock()
	if s.lean.last < leanRecountNow {
		// few demands (a roster change at the start of an incident): count
		// them now rather than at the next status
		if err := s.recountLocked(); err != nil {
			s.log.Error("count the demands of a lean store", "err", err)
		}
	}
}

// leanRosterChanged moves the counts of a lean store after a roster
// change: through the actor index when it can (leanRecountMembers, the
// demands of the members whose entries changed), else as leanForget does.
// Called with s.mu held.
func (s *Store) leanRosterChanged() {
	done, err := s.leanRecountMembers()
	if err != nil {
		s.log.Error("count the demands of a lean store after a roster change", "err", err)
	}
	if !done || err != nil {
		s.leanForget()
	}
}

// leanRecountNow is the number of demands under which a lean store counts
// them again as soon as its counts no longer hold (leanForget), instead of
// at the next DemandCounts: a few milliseconds of CPU per thousand. A
// variable for tests (of the count at the next DemandCounts).
var leanRecountNow = 10000

// leanPrior is a demand or offer record of a run before its ops, for the
// counts of a lean store: whether it was counted, and its status then.
type leanPrior struct {
	counted bool
	status  relief.Status
}

// leanCounting reports whether s keeps a lean store's counts run by run
// (a lean store without its views): prepareRun then takes leanStatus of
// each record before and after the run's ops. Called with s.mu held.
func (s *Store) leanCounting() bool { return s.lean.on && s.skipList }

// leanStatus is what rec counts in a lean store's counts with roster: a
// demand's status, an offer's presence; nothing for a record not yet
// created or of another kind. It only reads rec and roster, so prepareRun
// takes it on both cores, beside the apply.
func leanStatus(rec *relief.Record, roster *relief.Roster) leanPrior {
	switch {
	case rec.First == nil:
	case rec.Kind == relief.KindDemand:
		return leanPrior{counted: true, status: relief.DemandStatus(rec, roster)}
	case rec.Kind == relief.KindOffer:
		return leanPrior{counted: true}
	}
	return leanPrior{}
}

// leanMove moves the counts of a lean store from what recs counted before
// a committed run (prior) to what they count after it (now), both taken by
// prepareRun (leanStatus). Called with s.mu held.
func (s *Store) leanMove(recs []*recordOps, prior, now []leanPrior) {
	if prior == nil {
		return
	}
	s.lean.mu.Lock()
	defer s.lean.mu.Unlock()
	if !s.lean.ok {
		return
	}
	for i, r := range recs {
		switch r.rec.Kind {
		case relief.KindDemand:
			if prior[i].counted {
				if s.lean.counts[prior[i].status]--; s.lean.counts[prior[i].status] == 0 {
					delete(s.lean.counts, prior[i].status)
				}
			}
			if now[i].counted {
				s.lean.counts[now[i].status]++
			}
		case relief.KindOffer:
			if prior[i].counted {
				s.lean.offers--
			}
			if now[i].counted {
				s.lean.offers++
			}
		}
	}
}

// loadLeanCounts takes the counts a lean store saved at its last Close when
// they hold for the version vector it opens with. Called by Open.
func (s *Store) loadLeanCounts() {
	s.loadLeanActors()
	s.lean.mu.Lock()
	defer s.lean.mu.Unlock()
	s.lean.counts, s.lean.offers, s.lean.ok, s.lean.roster = map[relief.Status]int{}, 0, false, s.roster
	if len(s.vv) == 0 { // an empty store counts nothing
		s.lean.ok = true
		return
	}
	v, ok := s.Setting(leanCountsSetting)
	if !ok {
		return
	}
	var saved savedLeanCounts
	if json.Unmarshal([]byte(v), &saved) != nil || !maps.Equal(saved.VersionVector, vvStrings(s.vv)) {
		return
	}
	for k, n := range saved.Counts {
		s.lean.counts[relief.Status(k)] = n
	}
	s.lean.offers, s.lean.ok = saved.Offers, true
}

// saveLeanCounts saves, for the next Open as a lean store, the counts of a
// lean store whose views are dropped (when they hold), and those of a store
// with its demand list resident and settled (the app's, a lean one holding
// its views): a hub opened after the app closed shows its status without
// counting every record again (70 s and 2.2 GB at 100,000 demands). Called
// by Close with s.mu held.
func (s *Store) saveLeanCounts() {
	if s.lean.on {
		s.saveLeanActors()
	}
	var saved savedLeanCounts
	if s.lean.on && s.lean.off.Load() {
		s.lean.mu.Lock()
		if !s.lean.ok {
			s.lean.mu.Unlock()
			return
		}
		saved = savedLeanCounts{VersionVector: vvStrings(s.vv), Counts: map[string]int{}, Offers: s.lean.offers}
		for k, n := range s.lean.counts {
			saved.Counts[string(k)] = n
		}
		s.lean.mu.Unlock()
	} else {
		counts, offers, ok := s.residentCountsLocked()
		if !ok {
			return
		}
		saved = savedLeanCounts{VersionVector: vvStrings(s.vv), Counts: map[string]int{}, Offers: offers}
		for k, n := range counts {
			saved.Counts[string(k)] = n
		}
	}
	if old, ok := s.Setting(leanCountsSetting); ok {
		if b, err := json.Marshal(saved); err == nil && old == string(b) {
			return // unchanged: no write at each close
		}
	}
	b, err := json.Marshal(saved)
	if err == nil {
		err = s.SetSetting(leanCountsSetting, string(b))
	}
	if err != nil {
		s.log.Warn("counts of a lean store not saved: the next open counts again", "err", err)
	}
}

// leanBadger is o with the memory of a lean store's Badger: memtables of
// 8 MiB (three, as a laptop's: fewer stall the writes while one flushes), a
// block cache of 16 MiB and an index cache of 8 MiB (Go heap, counted in
// RssAnon). Values stay in the value log, which Badger maps (RssFile).
//
// Level 0 holds up to leanL0Tables tables before Badger compacts it into
// the level below (writes stall at twice that): a hub ingests far more than
// it reads, and merging twenty level-0 tables at once instead of five cut
// Badger's compaction at 1,000,000 changes from ≈ 8 to ≈ 2.5 CPU µs per
// change (BENCHMARKS.md, "wt-ingest3"). A read looks in more level-0 tables
// (each has a Bloom filter), and Close still compacts level 0
// (WithCompactL0OnClose), so a reopened store starts with few.
func leanBadger(o badger.Options) badger.Options {
	if o.InMemory {
		return o
	}
	return o.WithMemTableSize(8 << 20).WithNumMemtables(3).WithBlockCacheSize(16 << 20).WithIndexCacheSize(8 << 20).
		WithNumLevelZeroTables(leanL0Tables).WithNumLevelZeroTablesStall(2 * leanL0Tables)
}

// leanL0Tables is how many level-0 tables a lean store's Badger holds
// before it compacts them (Badger's default is 5).
const leanL0Tables = 20

// vvStrings is vv keyed by member id strings.
func vvStrings(vv ledger.VersionVector) map[string]uint64 {
	out := make(map[string]uint64, len(vv))
	for d, seq := range vv {
		out[d.String()] = seq
	}
	return out
}

// LeanRecounts is how many times a lean store counted its demands and
// offers again by a scan of every record (its saved counts did not hold for
// what it held): what makes a hub's first status slow on a large store.
func (s *Store) LeanRecounts() int64 { return s.lean.recounts.Load() }

// SetOnRecount sets f to be called before a lean store counts its demands
// again by a scan of every record (LeanRecounts), so that a command says it
// is counting instead of staying silent; nil removes it. Set it before the
// store is shared.
func (s *Store) SetOnRecount(f func()) { s.lean.onRecount = f }

// ViewBuilds is how many times the store built its views for a UseViews
// (0 on a store that is not lean): a lean hub that answers a query by
// streaming builds none.
func (s *Store) ViewBuilds() int64 { return s.lean.builds.Load() }
