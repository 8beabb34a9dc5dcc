package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// load reads the network, feed heads, fork evidence and the member and network
// records from Badger, rebuilds the roster, then builds the demand list.
func (s *Store) load() error {
	s.idx = newDemandIndex()
	s.idx.noSimilar = s.listOnly // a bulletin asks for no similar demand
	s.views = newViews(s.log)
	s.views.opener = s.Opener()
	s.vv = ledger.VersionVector{}
	s.evDevices = map[ledger.DeviceID]struct{}{}
	var members []*relief.Record
	err := s.db.View(func(txn *badger.Txn) error {
		if it, err := txn.Get(networkKey); err == nil {
			var n Network
			if err := it.Value(func(b []byte) error { return ledger.Unmarshal(b, &n) }); err != nil {
				return fmt.Errorf("network: %w", err)
			}
			s.network = &n
		} else if err != badger.ErrKeyNotFound {
			return err
		}
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for it.Seek([]byte{tHead}); it.ValidForPrefix([]byte{tHead}); it.Next() {
			var d ledger.DeviceID
			copy(d[:], it.Item().Key()[1:])
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			h, ok := decodeHead(v)
			if !ok {
				return fmt.Errorf("head of %s: damaged", d.Short())
			}
			s.heads[d] = h
			s.vv.Set(d, h.Seq)
		}
		for it.Seek([]byte{tRefused}); it.ValidForPrefix([]byte{tRefused}); it.Next() {
			if k := it.Item().Key(); len(k) > 1 && k[1] == 0 {
				continue // a refused fork change's id (rejectFork), not a count
			}
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			if len(v) == 8 {
				s.rejected[ledger.Reason(it.Item().Key()[1:])] = binary.BigEndian.Uint64(v)
			}
		}
		for it.Seek([]byte{tFork}); it.ValidForPrefix([]byte{tFork}); it.Next() {
			k := it.Item().Key()
			var d ledger.DeviceID
			copy(d[:], k[1:33])
			seq := uint64(0)
			for _, b := range k[33:41] {
				seq = seq<<8 | uint64(b)
			}
			if at, ok := s.forked[d]; !ok || seq < at {
				s.forked[d] = seq
			}
		}
		// The devices with changes in the cut table (evidence, kept refused
		// changes): one seek a device, past its keys (tCut d seq(8)).
		for it.Seek([]byte{tCut}); it.ValidForPrefix([]byte{tCut}); {
			k := it.Item().Key()
			if len(k) < 1+len(ledger.DeviceID{}) {
				it.Next()
				continue
			}
			var d ledger.DeviceID
			copy(d[:], k[1:])
			s.evDevices[d] = struct{}{}
			past := append([]byte{tCut}, d[:]...)
			it.Seek(append(past, bytes.Repeat([]byte{0xff}, 9)...))
		}
		for _, kind := range []string{relief.KindMember, relief.KindNetwork} {
			p := recordPrefix(kind)
			for it.Seek(p); it.ValidForPrefix(p); it.Next() {
				var rec *relief.Record
				err := it.Item().Value(func(b []byte) error {
					var err error
					rec, err = relief.DecodeRecord(b)
					return err
				})
				if err != nil {
					return fmt.Errorf("record %q: %w", it.Item().Key()[1:], err)
				}
				if kind == relief.KindMember {
					members = append(members, rec)
				} else {
					s.applyNetworkRecord(rec)
					s.idx.netRecs[rec.ID] = rec
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.members = map[string]*relief.Record{}
	for _, m := range members {
		s.members[m.ID] = m
	}
	s.setRoster(relief.NewRoster(append(members, s.evidenceRevocations()...)))
	s.updateDeadlines()
	if s.lean.on {
		s.loadLeanCounts()
	}
	if !s.skipList {
		s.settle.atLoad = true
		err := s.loadDemands()
		s.settle.atLoad = false
		if err != nil {
			return err
		}
	}
	// A crash may have interrupted a cut (see enforceCuts); finish it.
	if err := s.enforceCuts(); err != nil {
		return err
	}
	s.flushDuplicates()
	if err := s.refreshUndone(); err != nil {
		return err
	}
	if err := s.refreshForks(); err != nil {
		return err
	}
	// refoldDemands derived the task rows already (with their awards); a
	// store opened without its demand list (a one-shot reader) builds only
	// the member view
	var kinds []string
	if !s.skipList && !s.listOnly {
		kinds = []string{relief.KindVolunteer, relief.KindOffer}
	}
	if s.settle.deferred { // built after the open returns (settleOpen)
		s.settle.kinds, kinds = kinds, nil
	}
	if err := s.rebuildViews(kinds...); err != nil {
		return err
	}
	// The folds above leave about as much garbage as the lists and views
	// they built, and Badger's mapped files they read resident: on a large
	// store, hand both back to the OS now rather than keep an idle app's
	// RSS at twice its heap plus the database (trimAfterOpen).
	demands := 0
	for _, n := range s.DemandCountsResident() {
		demands += n
	}
	if demands >= freeAfterOpen {
		if s.settle.deferred {
			s.settle.trim = true // after the views are built, which leave garbage too
		} else {
			s.trimAfterOpen()
		}
	}
	return s.restoreAuthor()
}

// freeAfterOpen is how many demands a store must hold for Open to return
// its garbage and the mapped pages it read to the OS at the end
// (trimAfterOpen).
const freeAfterOpen = 10000

// setRoster makes r the roster, for writers (s.roster, under s.mu) and for
// Demand (s.rosterNow, without the lock).
func (s *Store) setRoster(r *relief.Roster) {
	s.roster = r
	s.rosterNow.Store(r)
}

// restoreAuthor sets up this device's feed author and clock after load: the
// clock restarts no earlier than the latest stamp of any feed head.
func (s *Store) restoreAuthor() error {
	if s.network == nil {
		return nil
	}
	for d, h := range s.heads {
		c, err := s.change(d, h.Seq)
		if err != nil {
			return err
		}
		if d == s.device {
			s.clock.Restore(c.Stamp)
		} else if s.clock.ObserveFrom(d, c.Stamp) != nil {
			s.clock.Restore(c.Stamp) // a stamp stored earlier is trusted as it was then
		}
	}
	a, err := ledger.NewAuthor(s.key, s.network.ID, s.heads[s.device], s.clock)
	if err != nil {
		return err
	}
	s.author = a
	return nil
}

// change reads one stored change.
func (s *Store) change(d ledger.DeviceID, seq uint64) (*ledger.Change, error) {
	var c *ledger.Change
	err := s.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(feedKey(d, seq))
		if err != nil {
			return err
		}
		return it.Value(func(b []byte) error {
			c, err = ledger.Decode(b)
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read change %s/%d: %w", d.Short(), seq, err)
	}
	return c, nil
}

// indexRecords takes records just committed into memory: member records
// rebuild the roster at once (admission depends on it), demand records are
// folded and put in the demand list by fold (started by commitRun before the
// commit), which flushIndex waits for once per ApplyRemote or ApplyLocal call
// (or every maxPending demands); task records are folded here for their
// points. It publishes one event per record that is not a demand
// (flushIndex publishes theirs) and reports whether the roster changed (the
// caller then enforces revocation cuts). Called with s.mu held.
func (s *Store) indexRecords(recs []*relief.Record, fold *foldTask) (rosterChanged bool) {
	var events []Event
	var tasks []*relief.Record
	netChanged := false
	for _, rec := range recs {
		switch rec.Kind {
		case relief.KindMember:
			s.members[rec.ID] = rec
			rosterChanged = true
			events = append(events, Event{Kind: EventMember, ID: rec.ID})
		case relief.KindDemand:
			s.pendingEvents = append(s.pendingEvents, rec.ID)
		case relief.KindTask:
			tasks = append(tasks, rec)
			events = append(events, Event{Kind: EventTask, ID: rec.ID})
		case relief.KindVolunteer, relief.KindOffer, relief.KindCovenant, relief.KindPartner, relief.KindCourse:
			if rec.Kind == relief.KindCovenant {
				s.covenants.gen.Add(1)
			}
			events = append(events, Event{Kind: eventFor(rec.Kind), ID: rec.ID})
		case relief.KindNetwork:
			s.applyNetworkRecord(rec)
			s.idx.netRecs[rec.ID] = rec
			netChanged = true
			events = append(events, Event{Kind: EventNetwork, ID: rec.ID})
		}
	}
	if fold != nil {
		s.folds = append(s.folds, fold)
		s.folding += len(fold.recs)
		if !fold.keep {
			s.bulkDirty() // rows put beside a large catch-up's (a records' check): rebuild at its end
		}
	}
	if rosterChanged {
		s.rebuildRoster()
	}
	if rosterChanged || netChanged {
		s.updateDeadlines()
	}
	if s.bulkOn() {
		// a large catch-up: the views are built at its end (catchup.go)
		s.views.stale = s.views.stale || rosterChanged
		s.bulkRecords(recs)
	} else if s.lean.on && s.skipList {
		// a lean store without its views: members and deadlines only
		s.views.stale = s.views.stale || rosterChanged
		if rosterChanged {
			s.leanRosterChanged()
		}
	} else {
		if len(tasks) > 0 {
			s.indexTasks(tasks)
		}
		s.viewRecords(recs, rosterChanged)
	}
	for _, ev := range events {
		s.events.publish(ev)
	}
	if s.folding >= maxPending {
		s.flushIndex()
	}
	return rosterChanged
}

// rebuildRoster folds s.members into the roster and notes the members whose
// entries changed: whether a step of a record applied depends only on the
// roster entries of its author and of the member it hands over to, so
// flushIndex re-derives only the records that concern those members (the
// folds made meanwhile with the old roster included). Called with s.mu held.
func (s *Store) rebuildRoster() {
	recs := make([]*relief.Record, 0, len(s.members))
	for _, m := range s.members {
		recs = append(recs, m)
	}
	recs = append(recs, s.evidenceRevocations()...)
	old := s.roster
	r := relief.NewRoster(recs)
	s.setRoster(r)
	moved := rosterChanges(old, r)
	for _, m := range moved {
		s.idx.changed[m] = true
		s.views.changed[m] = true
	}
	if s.bulkOn() {
		s.bulkMoved(moved)
	}
}

// rosterChanges returns the members whose entries differ between rosters a
// and b (present in one only, or with another role, revocation…).
func rosterChanges(a, b *relief.Roster) []ledger.DeviceID {
	var out []ledger.DeviceID
	am := a.Members()
	for _, m := range am {
		// a demotion and a promotion back leave the entry as it was, not the
		// roles at the positions between them (Roster.RoleAt)
		if n, ok := b.Member(m.Key); !ok || n != m || !a.SameRoles(b, m.Key) {
			out = append(out, m.Key)
		}
	}
	for _, m := range b.Members() {
		if _, ok := a.Member(m.Key); !ok {
			out = append(out, m.Key)
		}
	}
	return out
}

// updateDeadlines derives the network's deadlines from its record and the
// roster; when they changed, every award is computed again at the next flush
// (rescore). Called with s.mu held.
func (s *Store) updateDeadlines() {
	var rec *relief.Record
	if s.network != nil {
		rec = s.idx.netRecs[s.network.ID]
	}
	dl := relief.NetworkDeadlines(rec, s.roster)
	if dl == s.idx.dl {
		return
	}
	s.idx.mu.Lock()
	s.idx.dl = dl
	s.idx.mu.Unlock()
	s.idx.rescore = true
}

// indexTasks folds task records with the roster and sets their awards.
// Called with s.mu held.
func (s *Store) indexTasks(recs []*relief.Record) {
	ids := make([]string, len(recs))
	awards := make([][]relief.Earned, len(recs))
	actors := make([][]ledger.DeviceID, len(recs))
	for i, rec := range recs {
		ids[i] = rec.ID
		if rec.First == nil { // gone (a cut undid it)
			continue
		}
		awards[i] = relief.TaskAwards(relief.FoldTask(rec, s.roster), s.idx.dl)
		actors[i] = actorsOf(rec)
	}
	s.idx.setTasks(ids, awards, actors)
}

// maxPending is the most demands folded for flushIndex before it runs within
// a call, which bounds the memory a large ApplyRemote holds.
const maxPending = 4096

// foldTask folds the demand records of one committed run into rows on its own
// goroutine and puts them in the demand list, so that this work overlaps the
// commit and the next run. Tasks put their rows in the order they were
// started (each waits for the one before). done is closed when the rows are in.
type foldTask struct {
	recs      []*relief.Record
	committed chan struct{} // closed by settle
	ok        bool          // whether the run was committed; set before committed is closed
	done      chan struct{}
	entries   []*inboxEntry // the demands' inbox entries (demandEntry), set before done is closed

	// keep says that the rows are kept in rows, not put in the list: a
	// large catch-up's fold (catchup.go), made with the roster after gen
	// roster changes and with the deadlines dl.
	keep bool
	rows []*demandRow
	gen  uint64
	dl   relief.Deadlines
}

// startFold starts folding recs (demand records no one modifies any more)
// with roster. Once settle says that their run was committed and prev (nil
// for none) is done, it puts the rows in idx. Its goroutine ends by itself
// after settle; flushIndex waits for it.
func startFold(recs []*relief.Record, roster *relief.Roster, idx *demandIndex, prev *foldTask) *foldTask {
	return startFoldAs(&foldTask{recs: recs}, roster, idx, prev)
}

// startFoldAs is startFold of f, whose recs (and keep, gen for a large
// catch-up's fold) are set.
func startFoldAs(f *foldTask, roster *relief.Roster, idx *demandIndex, prev *foldTask) *foldTask {
	f.committed, f.done = make(chan struct{}), make(chan struct{})
	recs := f.recs
	dl := idx.dl // the caller holds s.mu, which writers of dl hold
	f.dl = dl
	go func() {
		defer close(f.done)
		rows := make([]*demandRow, len(recs))
		f.entries = make([]*inboxEntry, len(recs))
		for i, rec := range recs {
			// a large catch-up's list indexes its texts itself (buildTableLater, addGrams)
			rows[i], f.entries[i] = recordRow(rec, roster, dl, !f.keep)
		}
		if prev != nil {
			<-prev.done
		}
		if <-f.committed; f.ok {
			if f.keep {
				f.rows = rows
			} else {
				idx.put(rows)
			}
		}
	}()
	return f
}

// settle tells f whether its run was committed (its rows go in the list) or
// not (they are dropped).
func (f *foldTask) settle(committed bool) {
	f.ok = committed
	close(f.committed)
}

// lastFold returns the fold started last since the last flush; nil if none.
func (s *Store) lastFold() *foldTask {
	if len(s.folds) == 0 {
		return nil
	}
	return s.folds[len(s.folds)-1]
}

// waitFolds waits for every fold started and forgets them.
func (s *Store) waitFolds() {
	for _, f := range s.folds {
		switch <-f.done; {
		case f.ok && f.keep: // a large catch-up's: built at its end (catchup.go)
			f.recs = nil // the rows are what is kept, not the records
			s.settle.bulk.folds = append(s.settle.bulk.folds, f)
		case f.ok:
			s.views.putDemands(f.entries)
		}
	}
	s.folds, s.folding = nil, 0
}

// flushIndex brings the demand list and the points up to date with what was
// committed since the last flush: it waits for the runs' folds to be in, then,
// when the roster changed, re-derives the demands and tasks that concern the
// members whose entries changed, or everything when the deadlines changed
// (on_time awards depend on them). Then it publishes the demand events.
// Called with s.mu held.
func (s *Store) flushIndex() {
	s.waitFolds()
	if s.bulkOn() { // a large catch-up: built at its end (catchup.go); its events then
		return
	}
	if s.lean.on && s.skipList {
		s.idx.rescore = false // the counts do not depend on the deadlines
		if len(s.idx.changed) > 0 {
			clear(s.idx.changed)
			s.leanRosterChanged()
		}
	}
	switch {
	case s.idx.rescore:
		if err := s.refoldDemands(); err != nil {
			s.log.Error("refold demands after a change of deadlines", "err", err)
		}
	case len(s.idx.changed) > 0:
		if err := s.refoldMembers(); err != nil {
			s.log.Error("refold demands after a roster change", "err", err)
		}
	}
	s.flushDuplicates()
	s.flushViews()
	for _, id := range s.pendingEvents {
		s.events.publish(Event{Kind: EventDemand, ID: id})
	}
	s.pendingEvents = s.pendingEvents[:0]
}

// refoldDemands rebuilds the demand list and the points from every demand and
// task record in Badger, folded with the current roster, and swaps them in. It
// reads and folds on all cores. Called with s.mu held.
func (s *Store) refoldDemands() error {
	s.waitFolds() // the rebuild reads every committed record anyway
	if s.bulkDirty() {
		return nil // a large catch-up rebuilds everything at its end (catchup.go)
	}
	if s.lean.on && s.skipList { // no list to refold: count again when asked
		s.leanForget()
		s.idx.rescore = false
		return nil
	}
	rows, entries, err := s.foldDemandRecords()
	if err != nil {
		return err
	}
	return s.installDemands(rows, entries)
}

// foldDemandRecords reads every demand record from Badger and folds it with
// the current roster into its row and inbox entry (newRecordRow), on all
// cores. Called with s.mu held, no fold running.
func (s *Store) foldDemandRecords() ([]*demandRow, []*inboxEntry, error) {
	roster := s.roster
	dl := s.idx.dl
	workers := max(1, runtime.GOMAXPROCS(0))
	in := make(chan [][]byte, 2*workers)
	out := make([][]*demandRow, workers)
	entries := make([][]*inboxEntry, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for batch := range in {
				for _, b := range batch {
					if errs[w] != nil {
						break
					}
					rec, err := relief.DecodeRecord(b)
					if err != nil {
						errs[w] = fmt.Errorf("demand record: %w", err)
						break
					}
					row, e := newRecordRow(rec, roster, dl)
					out[w] = append(out[w], row)
					entries[w] = append(entries[w], e)
				}
			}
		})
	}
	const batchSize = 256
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		p := recordPrefix(relief.KindDemand)
		batch := make([][]byte, 0, batchSize)
		trim := s.scanTrim()
		for it.Seek(p); it.ValidForPrefix(p); it.Next() {
			b, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			trim.add(len(b))
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
	if err == nil {
		err = errors.Join(errs...)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("index demands: %w", err)
	}
	return slices.Concat(out...), slices.Concat(entries...), nil
}

// installDemands makes rows the demand list (with their awards) and entries
// the demands' inbox entries, and derives the tasks' points and views from
// Badger (all but the demands' part of refoldDemands). Called with s.mu
// held, no fold running.
func (s *Store) installDemands(rows []*demandRow, entries []*inboxEntry) error {
	roster := s.roster
	dl := s.idx.dl
	t := s.buildDemandTable(rows)
	if s.listOnly { // Options.ListOnly: no task points, no task or inbox view
		s.idx.swap(t)
		s.idx.rescore = false
		clear(s.idx.changed)
		return nil
	}
	if s.deferOpen(len(rows)) { // a large store's open: the rest after the first screen (open_settle.go)
		s.idx.simLater = !s.idx.noSimilar // the duplicate-key view too
		s.idx.swap(t)
		s.idx.rescore = false
		clear(s.idx.changed)
		s.settle.deferred, s.settle.entries = true, entries
		return nil
	}
	tasks, err := s.foldTasks(roster, dl)
	if err != nil {
		return fmt.Errorf("index demands: %w", err)
	}
	for _, ft := range tasks {
		t.points.setTask(ft.rec.ID, ft.awards, ft.actors)
	}
	s.idx.swap(t)
	s.idx.rescore = false
	clear(s.idx.changed)
	if err := s.putTaskViews(tasks, roster); err != nil {
		return err
	}
	return s.setDemandEntries(entries)
}

// foldedTask is a task record folded once for its awards, its view row and
// the members it depends on (foldTasks).
type foldedTask struct {
	rec    *relief.Record
	task   relief.Task
	awards []relief.Earned
	actors []ledger.DeviceID
}

// foldTasks folds every task record from Badger with roster and the
// reply-by windows dl, on every core. Called with s.mu held, or by the
// open's second step (open_settle.go) before any writer runs.
func (s *Store) foldTasks(roster *relief.Roster, dl relief.Deadlines) ([]foldedTask, error) {
	return foldAll(s, relief.KindTask, func(rec *relief.Record) foldedTask {
		ft := foldedTask{rec: rec, task: relief.FoldTask(rec, roster), actors: actorsOf(rec)}
		ft.awards = relief.TaskAwards(ft.task, dl)
		return ft
	})
}

// putTaskViews writes the view rows of tasks in one views transaction: a
// task whose every change a cut undid leaves the views.
func (s *Store) putTaskViews(tasks []foldedTask, roster *relief.Roster) error {
	txn := s.views.write()
	for _, ft := range tasks {
		var err error
		if ft.rec.First == nil { // no change left (a cut undid it): out of the views
			err = s.views.putRecord(txn, ft.rec, roster)
		} else {
			err = s.views.putTask(txn, ft.task)
		}
		if err != nil {
			txn.Abort()
			return fmt.Errorf("task view: %w", err)
		}
	}
	txn.Commit()
	return nil
}

// refoldMembers re-derives the demands and tasks that concern the members
// whose roster entries changed (s.idx.changed): those with a step or a field
// write by them or handed over to them (actorsOf). When they are many, it rebuilds everything instead (on
// all cores). Called with s.mu held, after waitFolds.
func (s *Store) refoldMembers() error {
	var demands, tasks []string
	s.idx.mu.RLock()
	t := s.idx.t
	seen := map[uint32]bool{}
	for m := range s.idx.changed {
		for _, slot := range t.actors[m] {
			if !seen[slot] {
				seen[slot] = true
				demands = append(demands, t.slots[slot].id)
			}
		}
		for id := range t.points.taskActors[m] {
			tasks = append(tasks, id)
		}
	}
	n := t.rowCount()
	s.idx.mu.RUnlock()
	if len(demands) > n/4 && len(demands) > 1024 {
		return s.refoldDemands()
	}
	slices.Sort(tasks)
	tasks = slices.Compact(tasks)
	clear(s.idx.changed)
	return s.refoldRecords(demands, tasks)
}

// refoldRecords reads the demand and task records of ids from Badger, folds
// them with the current roster and puts them in the demand list and the
// points; a record no longer stored is taken out. Called with s.mu held.
func (s *Store) refoldRecords(demands, tasks []string) error {
	s.waitFolds()
	if s.bulkDirty() {
		return nil // a large catch-up rebuilds everything at its end (catchup.go)
	}
	if s.lean.on && s.skipList { // no list to refold: count again when asked
		s.leanForget()
		return nil
	}
	var rows []*demandRow
	var entries []*inboxEntry
	var gone []string
	taskRecs := make([]*relief.Record, 0, len(tasks))
	dl := s.idx.dl
	err := s.db.View(func(txn *badger.Txn) error {
		for _, id := range demands {
			item, err := txn.Get(recordKey(relief.KindDemand, id))
			if errors.Is(err, badger.ErrKeyNotFound) {
				gone = append(gone, id)
				continue
			}
			if err != nil {
				return err
			}
			var rec *relief.Record
			if err := item.Value(func(b []byte) error {
				rec, err = relief.DecodeRecord(b)
				return err
			}); err != nil {
				return fmt.Errorf("demand record %s: %w", id, err)
			}
			row, e := newRecordRow(rec, s.roster, dl)
			rows = append(rows, row)
			entries = append(entries, e)
		}
		for _, id := range tasks {
			rec, err := s.loadRecord(txn, relief.KindTask, id)
			if err != nil {
				return err
			}
			taskRecs = append(taskRecs, rec)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("refold records: %w", err)
	}
	s.idx.refresh(rows, gone)
	if len(taskRecs) > 0 {
		s.indexTasks(taskRecs)
		s.refoldedTasks.Add(int64(len(taskRecs)))
	}
	for _, id := range gone { // an entry that waits on nobody is deleted
		entries = append(entries, &inboxEntry{Key: entryKey(relief.KindDemand, id), Kind: relief.KindDemand, ID: id})
	}
	s.views.putDemands(entries)
	return s.viewTasks(taskRecs)
}

// applyNetworkRecord takes the network's name from its replicated record.
func (s *Store) applyNetworkRecord(rec *relief.Record) {
	if s.network == nil || rec.ID != s.network.ID {
		return
	}
	var name string
	if rec.Value(relief.FieldName, &name) && name != "" {
		s.network.Name = name
	}
}
