package store

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// Revocation cuts.
//
// A revocation cuts its target's feed after a seq: later changes are rejected.
// But a store may have applied some of those changes before the revocation
// reached it, while another store received the revocation first and never
// accepted them. For the two to agree (state is a function of the changes
// accepted, whatever their order), a store that holds changes past a cut undoes
// them when the cut becomes known: it moves them out of the feed into the cut
// table ('c', kept as evidence, never applied or served), lowers the feed head
// to the cut and rebuilds every record they touched from the remaining changes.
//
// A member who is no longer in the roster at all (the endorsement that admitted
// them was itself cut) has a cut at 0: their whole feed goes. Rebuilding member
// records can change the roster again, so cuts are enforced until none is
// pending. Later deliveries of the cut changes are rejected as usual
// (ReasonRevoked or ReasonNotMember), and the feed head and version vector say
// that the store holds the feed only up to the cut, so catch-up does not
// offer them again.
//
// Rebuilding reads and decodes every stored change (about half a second per
// 100k changes); it only happens when a store actually held changes past a
// revocation, which is rare. It is written in one transaction when it fits,
// otherwise in several, ordered so that a crash in between is finished by the
// next Open: evidence first, then records, then feed deletions, the head last.

// cutOf returns the last seq of d's feed the roster accepts and whether there
// is such a limit.
func (s *Store) cutOf(d ledger.DeviceID) (uint64, bool) {
	m, ok := s.roster.Member(d)
	switch {
	case !ok:
		return 0, true
	case m.Revoked:
		return min(m.RevokedAfter, s.forkCut(d)), true
	}
	if at := s.forkCut(d); at != ^uint64(0) {
		return at, true
	}
	return 0, false
}

// forkCut returns the last seq of d's feed kept because of a fork: the
// change before the fork's seq. Two branches of one feed are both cut, on
// every peer, whichever it had applied (what each undid is listed to the
// coordinators, who adopt what should stand): otherwise each peer keeps the
// branch it received first, and they disagree for good. This device's own
// feed is never cut here: it is told (OwnFork) and stops.
func (s *Store) forkCut(d ledger.DeviceID) uint64 {
	if at, ok := s.forked[d]; ok && d != s.device {
		return at - 1
	}
	return ^uint64(0)
}

// pendingCuts returns the devices whose stored feed goes past their cut.
func (s *Store) pendingCuts() map[ledger.DeviceID]uint64 {
	var cuts map[ledger.DeviceID]uint64
	for d, h := range s.heads {
		if at, ok := s.cutOf(d); ok && h.Seq > at {
			if cuts == nil {
				cuts = map[ledger.DeviceID]uint64{}
			}
			cuts[d] = at
		}
	}
	return cuts
}

// enforceCuts undoes every stored change past a cut; see above. Called with
// s.mu held, after the roster was rebuilt.
//
// A cut can also be lifted: the revocation no longer stands (its coordinator
// was demoted or revoked before it in the fold order, which a later change
// may reveal). The changes it undid are then restored from the evidence and
// applied again (restoreLifted), so that the store holds what a store that
// never saw the revocation holds, and the device, whose own feed was cut
// too, continues after them instead of writing their seqs again (a fork).
func (s *Store) enforceCuts() error {
	for range 64 { // each round removes or restores changes; a chain of cuts is short
		cuts := s.pendingCuts()
		if len(cuts) > 0 {
			if err := s.cut(cuts); err != nil {
				return err
			}
			continue
		}
		if s.restoring { // the restore under way goes on when this run is in
			return nil
		}
		if s.noRestore == nil {
			s.noRestore = map[ledger.DeviceID]bool{}
			defer func() { s.noRestore = nil }()
		}
		n, err := s.restoreLifted()
		if err != nil || n == 0 {
			return err
		}
	}
	return errors.New("enforce cuts: no fixed point after 64 rounds")
}

// restoreLifted applies again the changes kept as evidence (undone by a cut,
// or refused past it on arrival) that the roster now accepts: for each
// device, the evidence that continues its feed head, up to its cut if it
// still has one. What is applied leaves the evidence (and the undone entry
// of the inbox); what is in the evidence at seqs the feed now holds with the
// same content goes too. It returns how many changes were restored. Called
// with s.mu held, when no cut is pending.
func (s *Store) restoreLifted() (int, error) {
	held := map[ledger.DeviceID][]*ledger.Change{}
	var stale [][]byte // evidence the feed holds already
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for it.Seek([]byte{tCut}); it.ValidForPrefix([]byte{tCut}); it.Next() {
			k := it.Item().Key()
			d, seq, ok := parseCutKey(k)
			if !ok {
				continue
			}
			if seq <= s.heads[d].Seq {
				if id, ok := s.knownID(d)(seq); ok {
					err := it.Item().Value(func(b []byte) error {
						if sha256.Sum256(b) == id {
							stale = append(stale, it.Item().KeyCopy(nil))
						}
						return nil
					})
					if err != nil {
						return err
					}
				}
				continue
			}
			if at, ok := s.cutOf(d); ok && seq > at {
				continue
			}
			if _, ok := s.forked[d]; ok || s.noRestore[d] {
				continue
			}
			run := held[d]
			if next := s.heads[d].Seq + 1 + uint64(len(run)); seq != next {
				continue // a gap: it waits for the changes before it
			}
			b, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			c, err := ledger.Decode(b)
			if err != nil {
				s.log.Warn("an undone change kept as evidence no longer decodes", "device", d.String(), "seq", seq, "err", err)
				continue
			}
			held[d] = append(run, c)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("restore changes of lifted cuts: %w", err)
	}
	if len(held) == 0 && len(stale) == 0 {
		return 0, nil
	}
	devices := slices.SortedFunc(maps.Keys(held), ledger.DeviceID.Compare)
	restored := 0
	s.restoring = true
	for _, d := range devices {
		run := held[d]
		before := s.heads[d].Seq
		var res Result
		_, applied, err := s.applyFeed(run, &res)
		if err != nil {
			s.restoring = false
			return restored, fmt.Errorf("restore changes of %s after its cut was lifted: %w", d.Short(), err)
		}
		if applied == 0 {
			s.log.Warn("undone changes not restored though their cut was lifted", "device", d.String(), "from_seq", run[0].Seq, "refused", res.Rejected)
			continue
		}
		if h := s.heads[d].Seq; h < run[applied-1].Seq {
			// applying them brought the cut back (the roster judges such a
			// revocation void, relief.NewRoster, so this is a guard): they
			// are evidence again, and are not tried again in this call
			s.log.Error("restored changes were cut again: left as evidence", "device", d.String(), "head", h)
			s.noRestore[d] = true
			continue
		}
		restored += applied
		u := Undone{Device: d, After: before}
		for _, c := range run[:applied] {
			u.Seqs = append(u.Seqs, c.Seq)
			stale = append(stale, cutKey(d, c.Seq))
		}
		if m, ok := s.roster.Member(d); ok {
			u.Name = m.Name
		}
		s.restored = append(s.restored, u)
		s.log.Info("a revocation no longer stands: the changes it had undone are applied again", "device", d.String(), "seqs", len(u.Seqs), "after_seq", before)
	}
	s.restoring = false
	s.forgetEvidence()
	err = s.db.Update(func(txn *badger.Txn) error {
		for _, k := range stale {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return restored, fmt.Errorf("restore changes of lifted cuts: drop their evidence: %w", err)
	}
	if err := s.refreshUndone(); err != nil {
		s.log.Error("list the undone changes in the inbox", "err", err)
	}
	if restored == 0 && len(stale) > 0 {
		return 0, nil // only stale evidence dropped: nothing more to do
	}
	return restored, nil
}

// cutKey returns the key of d's change seq in the cut table (evidence).
func cutKey(d ledger.DeviceID, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(append([]byte{tCut}, d[:]...), seq)
}

// noteEvidence adds the device of k, a key of the cut table (tCut d …),
// to the devices that may have changes kept there (evDevices), before k is
// written. Called with s.mu held.
func (s *Store) noteEvidence(k []byte) {
	if len(k) < 1+len(ledger.DeviceID{}) {
		return
	}
	if s.evDevices == nil {
		s.evDevices = map[ledger.DeviceID]struct{}{}
	}
	var d ledger.DeviceID
	copy(d[:], k[1:])
	s.evDevices[d] = struct{}{}
}

// heldEvidence reports whether the cut table keeps changes of d past its
// feed head: a run of d just committed may let them follow (restoreLifted).
// Called with s.mu held.
func (s *Store) heldEvidence(d ledger.DeviceID) bool {
	if _, ok := s.evDevices[d]; !ok {
		// Nothing of d was ever kept in the cut table: no seek. Asked
		// after every committed run, the seek cost a lean hub 0.6 s at
		// 1,000,000 changes (wt-ingest7) on its applier.
		return false
	}
	found := false
	prefix := append([]byte{tCut}, d[:]...)
	_ = s.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		// Only the tables whose key range holds d's cut keys are sought
		// (Badger skips the others): asked after every committed run, this
		// seek cost a lean hub 0.5 µs per change at 1,000,000 changes, in
		// the tables of every other key.
		opts.Prefix = prefix
		it := txn.NewIterator(opts)
		defer it.Close()
		it.Seek(cutKey(d, s.heads[d].Seq+1))
		found = it.ValidForPrefix(prefix)
		return nil
	})
	return found
}

// cut removes the changes past cuts[d] from each feed d and rebuilds the
// records they touched.
func (s *Store) cut(cuts map[ledger.DeviceID]uint64) error {
	devices := slices.SortedFunc(func(yield func(ledger.DeviceID) bool) {
		for d := range cuts {
			if !yield(d) {
				return
			}
		}
	}, ledger.DeviceID.Compare)

	// The changes past each cut, and the records they touch.
	type gone struct {
		key, val []byte
		seq      uint64
	}
	var removed []gone
	touched := map[string]*relief.Record{}
	newHeads := map[ledger.DeviceID]ledger.Head{}
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for _, d := range devices {
			at := cuts[d]
			if at > 0 {
				item, err := txn.Get(feedKey(d, at))
				if err != nil {
					return fmt.Errorf("read change %s/%d: %w", d.Short(), at, err)
				}
				b, err := item.ValueCopy(nil)
				if err != nil {
					return err
				}
				newHeads[d] = ledger.Head{Seq: at, ID: sha256.Sum256(b)}
			}
			prefix := feedPrefix(d)
			for it.Seek(feedKey(d, at+1)); it.ValidForPrefix(prefix); it.Next() {
				k := it.Item().KeyCopy(nil)
				b, err := it.Item().ValueCopy(nil)
				if err != nil {
					return err
				}
				c, err := ledger.Decode(b)
				if err != nil {
					return fmt.Errorf("read change %s/%d: %w", d.Short(), binary.BigEndian.Uint64(k[33:]), err)
				}
				removed = append(removed, gone{key: k, val: b, seq: c.Seq})
				for _, op := range c.Ops {
					k := string(recordKey(op.Kind, op.ID))
					if _, ok := touched[k]; !ok {
						touched[k] = &relief.Record{Kind: op.Kind, ID: op.ID}
					}
				}
			}
		}
		if len(touched) == 0 {
			return nil
		}
		// Re-apply, in feed order, every remaining change that touches those
		// records. Ops merge commutatively, so the order does not matter.
		for it.Seek([]byte{tFeed}); it.ValidForPrefix([]byte{tFeed}); it.Next() {
			k := it.Item().Key()
			var d ledger.DeviceID
			copy(d[:], k[1:33])
			seq := binary.BigEndian.Uint64(k[33:])
			if at, ok := cuts[d]; ok && seq > at {
				continue
			}
			err := it.Item().Value(func(b []byte) error {
				c, err := ledger.Decode(b)
				if err != nil {
					return err
				}
				id := ledger.Hash(sha256.Sum256(b))
				for i, op := range c.Ops {
					rec, ok := touched[string(recordKey(op.Kind, op.ID))]
					if !ok {
						continue
					}
					m := relief.Meta{Stamp: c.Stamp, Device: c.Device, Seq: c.Seq, Index: i, Change: id}
					if err := relief.ApplyOp(rec, m, op); err != nil {
						return fmt.Errorf("op %d: %w", i, err)
					}
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("rebuild from change %s/%d: %w", d.Short(), seq, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("cut feeds: %w", err)
	}

	// Write: evidence, records, feed deletions, heads.
	w := &chunkedTxn{db: s.db, txn: s.db.NewTransaction(true)}
	defer func() { w.txn.Discard() }()
	for _, g := range removed {
		ck := append([]byte{tCut}, g.key[1:]...)
		s.noteEvidence(ck)
		if err := w.set(ck, g.val); err != nil {
			return fmt.Errorf("cut feeds: %w", err)
		}
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range touched {
			if !yield(k) {
				return
			}
		}
	})
	for _, k := range keys {
		rec := touched[k]
		var err error
		if rec.First == nil { // only the cut changes touched it
			err = w.delete([]byte(k))
		} else {
			var b []byte
			relief.Purge(rec, s.roster) // what an allowed erasure erased stays erased
			if b, err = relief.EncodeRecordStored(rec); err == nil {
				err = w.set([]byte(k), b)
			}
		}
		if err != nil {
			return fmt.Errorf("cut feeds: record %q: %w", k[1:], err)
		}
	}
	for _, g := range removed {
		if err := w.delete(g.key); err != nil {
			return fmt.Errorf("cut feeds: %w", err)
		}
	}
	for _, d := range devices {
		var err error
		if h, ok := newHeads[d]; ok {
			err = w.set(headKey(d), encodeHead(h))
		} else {
			err = w.delete(headKey(d))
		}
		if err != nil {
			return fmt.Errorf("cut feeds: head %s: %w", d.Short(), err)
		}
	}
	if err := w.txn.Commit(); err != nil {
		return fmt.Errorf("cut feeds: commit: %w", err)
	}

	// Memory: heads, version vector, roster, indexes, our own author.
	for _, d := range devices {
		h := newHeads[d]
		if h.Seq == 0 {
			delete(s.heads, d)
		} else {
			s.heads[d] = h
		}
		s.vv.Set(d, h.Seq)
		s.log.Warn("changes past a revocation were undone", "device", d.String(), "after_seq", h.Seq)
	}
	undone := map[ledger.DeviceID][]uint64{} // for the caller's Result (undone.go)
	for _, g := range removed {
		var d ledger.DeviceID
		copy(d[:], g.key[1:33])
		undone[d] = append(undone[d], g.seq)
	}
	s.noteUndone(devices, cuts, undone)
	if err := s.refreshUndone(); err != nil {
		s.log.Error("list the undone changes in the inbox", "err", err)
	}
	var events []Event
	var demands, tasks []string // touched: re-derived below
	for _, k := range keys {
		rec := touched[k]
		live := rec.First != nil
		switch rec.Kind {
		case relief.KindMember:
			if live {
				s.members[rec.ID] = rec
			} else {
				delete(s.members, rec.ID)
			}
			events = append(events, Event{Kind: EventMember, ID: rec.ID})
		case relief.KindDemand:
			// refoldRecords below re-derives it, or drops it when not live.
			demands = append(demands, rec.ID)
			events = append(events, Event{Kind: EventDemand, ID: rec.ID})
		case relief.KindTask:
			tasks = append(tasks, rec.ID)
			events = append(events, Event{Kind: EventTask, ID: rec.ID})
		case relief.KindVolunteer, relief.KindOffer, relief.KindCovenant, relief.KindPartner, relief.KindCourse:
			if rec.Kind == relief.KindCovenant {
				s.covenants.gen.Add(1)
			}
			events = append(events, Event{Kind: eventFor(rec.Kind), ID: rec.ID})
		case relief.KindNetwork:
			if live {
				s.applyNetworkRecord(rec)
				s.idx.netRecs[rec.ID] = rec
			} else {
				delete(s.idx.netRecs, rec.ID)
			}
			events = append(events, Event{Kind: EventNetwork, ID: rec.ID})
		}
	}
	// The roster without the cut member steps: the records that concern the
	// members whose entries changed are re-derived, with the touched ones.
	// The cut table gained the changes removed (revocations among them are
	// weighed as evidence: evidence.go).
	s.forgetEvidence()
	s.rebuildRoster()
	s.updateDeadlines()
	if err := s.reindexAfterCut(demands, tasks); err != nil {
		return fmt.Errorf("cut feeds: %w", err)
	}
	if s.lean.on && s.skipList { // a lean store without its views (lean.go)
		s.views.stale = true
		s.leanForget()
	} else {
		s.viewRecords(slices.Collect(maps.Values(touched)), true)
	}
	if _, ok := cuts[s.device]; ok && s.network != nil {
		a, err := ledger.NewAuthor(s.key, s.network.ID, s.heads[s.device], s.clock)
		if err != nil {
			return err
		}
		s.author = a
	}
	for _, ev := range events {
		s.events.publish(ev)
	}
	return nil
}

// chunkedTxn writes in one transaction while it fits and commits and starts
// another when Badger says it is too big. Callers order their writes so that
// any prefix of them is a state the next Open can finish from.
type chunkedTxn struct {
	db  *badger.DB
	txn *badger.Txn
}

func (w *chunkedTxn) set(k, v []byte) error {
	return w.do(func(t *badger.Txn) error { return t.Set(k, v) })
}

func (w *chunkedTxn) delete(k []byte) error {
	return w.do(func(t *badger.Txn) error { return t.Delete(k) })
}

func (w *chunkedTxn) do(f func(*badger.Txn) error) error {
	err := f(w.txn)
	if !errors.Is(err, badger.ErrTxnTooBig) {
		return err
	}
	if err := w.txn.Commit(); err != nil {
		return err
	}
	w.txn = w.db.NewTransaction(true)
	return f(w.txn)
}

// reindexAfterCut brings the demand list and the points up to date after a
// cut rewrote the demand and task records of ids and rebuilt the roster: a
// full rebuild when the deadlines changed, else the records touched and those
// of the members whose roster entries changed are re-derived.
func (s *Store) reindexAfterCut(demands, tasks []string) error {
	s.waitFolds()
	if s.bulkDirty() {
		return nil // a large catch-up rebuilds everything at its end (catchup.go)
	}
	if s.lean.on && s.skipList { // a lean store without its views (lean.go)
		s.idx.rescore = false
		clear(s.idx.changed)
		s.leanForget()
		return nil
	}
	if s.idx.rescore {
		return s.refoldDemands()
	}
	s.idx.mu.RLock()
	t := s.idx.t
	for m := range s.idx.changed {
		for _, slot := range t.actors[m] {
			demands = append(demands, t.slots[slot].id)
		}
		for id := range t.points.taskActors[m] {
			tasks = append(tasks, id)
		}
	}
	s.idx.mu.RUnlock()
	clear(s.idx.changed)
	slices.Sort(demands)
	slices.Sort(tasks)
	return s.refoldRecords(slices.Compact(demands), slices.Compact(tasks))
}
