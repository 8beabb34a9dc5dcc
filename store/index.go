package store

import (
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
	s.idx = &demandIndex{t: newDemandTable()}
	s.views = newViews(s.log)
	s.vv = ledger.VersionVector{}
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
	s.setRoster(relief.NewRoster(members))
	if err := s.refoldDemands(); err != nil {
		return err
	}
	// A crash may have interrupted a cut (see enforceCuts); finish it.
	if err := s.enforceCuts(); err != nil {
		return err
	}
	if err := s.rebuildViews(relief.KindVolunteer, relief.KindOffer, relief.KindTask); err != nil {
		return err
	}
	return s.restoreAuthor()
}

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
		} else if s.clock.Observe(c.Stamp) != nil {
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
// (or every maxPending demands). It publishes one event per record that is not a demand
// (flushIndex publishes theirs) and reports whether the roster changed (the
// caller then enforces revocation cuts). Called with s.mu held.
func (s *Store) indexRecords(recs []*relief.Record, fold *foldTask) (rosterChanged bool) {
	var events []Event
	for _, rec := range recs {
		switch rec.Kind {
		case relief.KindMember:
			s.members[rec.ID] = rec
			rosterChanged = true
			events = append(events, Event{Kind: EventMember, ID: rec.ID})
		case relief.KindDemand:
			s.pendingEvents = append(s.pendingEvents, rec.ID)
		case relief.KindVolunteer, relief.KindOffer, relief.KindTask:
			events = append(events, Event{Kind: eventFor(rec.Kind), ID: rec.ID})
		case relief.KindNetwork:
			s.applyNetworkRecord(rec)
			events = append(events, Event{Kind: EventNetwork, ID: rec.ID})
		}
	}
	if fold != nil {
		s.folds = append(s.folds, fold)
		s.folding += len(fold.recs)
	}
	if rosterChanged {
		recs := make([]*relief.Record, 0, len(s.members))
		for _, m := range s.members {
			recs = append(recs, m)
		}
		s.setRoster(relief.NewRoster(recs))
		// Whether a step of a demand applied depends on its author's role:
		// every demand is folded again, once, by flushIndex, and the folds
		// made with the old roster are dropped.
		s.refold = true
	}
	s.viewRecords(recs, rosterChanged)
	for _, ev := range events {
		s.events.publish(ev)
	}
	if s.folding >= maxPending && !s.refold {
		s.flushIndex()
	}
	return rosterChanged
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
}

// startFold starts folding recs (demand records no one modifies any more)
// with roster. Once settle says that their run was committed and prev (nil
// for none) is done, it puts the rows in idx. Its goroutine ends by itself
// after settle; flushIndex waits for it.
func startFold(recs []*relief.Record, roster *relief.Roster, idx *demandIndex, prev *foldTask) *foldTask {
	f := &foldTask{recs: recs, committed: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(f.done)
		rows := make([]*demandRow, len(recs))
		f.entries = make([]*inboxEntry, len(recs))
		for i, rec := range recs {
			d := relief.FoldDemand(rec, roster)
			rows[i], f.entries[i] = newDemandRow(d), demandEntry(d)
		}
		if prev != nil {
			<-prev.done
		}
		if <-f.committed; f.ok {
			idx.put(rows)
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
		if <-f.done; f.ok {
			s.views.putDemands(f.entries)
		}
	}
	s.folds, s.folding = nil, 0
}

// flushIndex brings the demand list up to date with what was committed since
// the last flush: it waits for the runs' folds to be in, then, when the roster
// changed, folds every demand again. Then it publishes the demand events.
// Called with s.mu held.
func (s *Store) flushIndex() {
	s.waitFolds()
	if s.refold {
		if err := s.refoldDemands(); err != nil {
			s.log.Error("refold demands after a roster change", "err", err)
		}
	}
	s.flushViews()
	for _, id := range s.pendingEvents {
		s.events.publish(Event{Kind: EventDemand, ID: id})
	}
	s.pendingEvents = s.pendingEvents[:0]
}

// refoldDemands rebuilds the demand list from every demand record in Badger,
// folded with the current roster, and swaps it in. It reads and folds on all
// cores. Called with s.mu held.
func (s *Store) refoldDemands() error {
	s.waitFolds() // the rebuild reads every committed record anyway
	roster := s.roster
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
					d := relief.FoldDemand(rec, roster)
					out[w] = append(out[w], newDemandRow(d))
					entries[w] = append(entries[w], demandEntry(d))
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
		for it.Seek(p); it.ValidForPrefix(p); it.Next() {
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
	if err == nil {
		err = errors.Join(errs...)
	}
	if err != nil {
		return fmt.Errorf("index demands: %w", err)
	}
	var rows []*demandRow
	for _, o := range out {
		rows = append(rows, o...)
	}
	s.idx.swap(buildTable(rows))
	s.refold = false
	return s.views.setDemands(slices.Concat(entries...))
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
