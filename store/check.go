package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// The open-time check of the records against the feeds.
//
// Every materialised record ('r') is the fold of the ops of the stored
// changes ('f') that touch it, and nothing else (commitRun writes both in one
// transaction; a cut rebuilds the records it touches). The check folds every
// record again from the feeds and compares its encoding, byte for byte, with
// the stored one: a record that differs (damaged, or left behind by a lost
// change), a record the feeds do not make (an orphan) and a record the feeds
// make but the store lacks are all rebuilt from the feeds before the views are
// built from them. A stored change that does not decode is deleted, which
// makes it a hole below its feed's head (Holes): catch-up asks peers for it and
// Refill puts it back, rebuilding the records it touches. Badger verifies each
// value's checksum as it is read (damage.go opened every table before).
//
// The check runs on a goroutine once the store is open (startCheck), reading
// one Badger snapshot per bucket while the store serves, and repairs under
// the write lock what it found, folding those records again from the feeds
// as they are then, and indexing them as a commit does.
//
// Cost: one read and decode of every stored change and one fold of every op,
// per bucket of at most checkBucket records (the records of one bucket are held
// in memory at once), plus one read of every record. Measured in
// BENCHMARKS.md at 100,000 demands. Counts follow: the demand counts, the
// roster and every view are built from the checked records by load.

// checkBucket bounds the records folded in memory at once by the check.
const checkBucket = 40_000

// CheckReport is what the open-time check found and did.
type CheckReport struct {
	Records int // records compared
	Changes int // stored changes read (per pass)
	Passes  int // reads of every change (one per bucket of records)
	// Rebuilt counts the records rebuilt from the feeds because the stored
	// one differed from the fold of the changes held, was missing, or was
	// made by no change held (then deleted); Examples names up to 10 of them
	// as "kind/id".
	Rebuilt  int
	Examples []string
	// DamagedChanges counts stored changes that did not decode; they were
	// deleted and are fetched again from peers (Holes).
	DamagedChanges int
	// Missing counts the changes below the feeds' heads the store does not
	// hold (Holes): catch-up fetches them from peers.
	Missing int
	Took    time.Duration
}

// Damaged reports whether the check found anything to repair.
func (r CheckReport) Damaged() bool { return r.Rebuilt > 0 || r.DamagedChanges > 0 || r.Missing > 0 }

// Integrity returns the report of the check made when the store was opened
// (zero until it ended, see CheckDone, and when it was not made:
// Options.SkipDemandList, ListOnly or SkipCheck).
func (s *Store) Integrity() CheckReport {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.integrity
}

// errCheckStopped ends a check cut short by Close.
var errCheckStopped = errors.New("store closed during the check")

// checkPace is the share of the wall time the open-time check works
// (startCheck): after each slice of work it rests as long as the slice took
// times (1-checkPace)/checkPace. The check allocates heavily (it decodes
// every change and folds every record again): at full speed, beside the
// screens' first calls, its garbage and its CPU made their tail (at 100k
// demands an inbox page allocated 8× its own bytes per call while it ran).
const checkPace = 0.5

// checkSlice is the work done between two rests of a paced check.
const checkSlice = 5 * time.Millisecond

// pacer bounds the share of the wall time a background loop works: call
// step often; once a slice of work has taken checkSlice, it rests (on a
// timer, or until stop is closed) so that work is pace of the whole. A nil
// pacer never rests.
type pacer struct {
	pace  float64
	stop  <-chan struct{}
	began time.Time // of the current slice
	now   func() time.Time
	rest  func(d time.Duration, stop <-chan struct{}) // waits d or until stop is closed
	// rested is the total time spent resting.
	rested time.Duration
}

// newPacer returns a pacer working pace (0 < pace ≤ 1) of the wall time,
// with the real clock.
func newPacer(pace float64, stop <-chan struct{}) *pacer {
	return &pacer{pace: pace, stop: stop, now: time.Now, began: time.Now(), rest: func(d time.Duration, stop <-chan struct{}) {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-stop:
		}
	}}
}

// step rests when the current slice of work has lasted checkSlice.
func (p *pacer) step() {
	if p == nil || p.pace >= 1 {
		return
	}
	worked := p.now().Sub(p.began)
	if worked < checkSlice {
		return
	}
	d := time.Duration(float64(worked) * (1 - p.pace) / p.pace)
	p.rest(d, p.stop)
	p.rested += d
	p.began = p.now()
}

// checkRecords runs the check; see above. It reads snapshots (one per
// bucket, in which the feeds and the records agree unless the disk damaged
// them) without holding s.mu, so that the store serves meanwhile, and then
// repairs what it found under s.mu (repairRecords). It stops early when stop
// is closed. pace (nil: none) rests between slices of its work.
func (s *Store) checkRecords(stop <-chan struct{}, pace *pacer) (CheckReport, error) {
	start := time.Now()
	var rep CheckReport
	seed := maphash.MakeSeed()
	// How many records, to size the buckets.
	n := 0
	err := s.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		opts.Prefix = []byte{tRecord}
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("check records: count: %w", err)
	}
	buckets := n/checkBucket + 1
	bucketOf := func(k []byte) int { return int(maphash.Bytes(seed, k) % uint64(buckets)) }
	stopped := func() bool {
		select {
		case <-stop:
			return true
		default:
			return false
		}
	}

	bad := map[string]bool{} // record keys to rebuild
	var damaged [][]byte     // keys of changes that do not decode
	for b := range buckets {
		recs := map[string]*relief.Record{}
		changes := 0
		err := s.db.View(func(txn *badger.Txn) error {
			opts := badger.DefaultIteratorOptions
			opts.Prefix = []byte{tFeed}
			it := txn.NewIterator(opts)
			defer it.Close()
			for it.Rewind(); it.Valid(); it.Next() {
				if changes%64 == 0 {
					if stopped() {
						return errCheckStopped
					}
					pace.step()
				}
				item := it.Item()
				var c *ledger.Change
				var id ledger.Hash
				err := item.Value(func(v []byte) error {
					var err error
					c, err = ledger.Decode(v)
					id = sha256.Sum256(v)
					return err
				})
				if err != nil {
					if b == 0 {
						damaged = append(damaged, item.KeyCopy(nil))
					}
					continue
				}
				changes++
				for i, op := range c.Ops {
					k := recordKey(op.Kind, op.ID)
					if bucketOf(k) != b {
						continue
					}
					rec := recs[string(k)]
					if rec == nil {
						rec = &relief.Record{}
						recs[string(k)] = rec
					}
					m := relief.Meta{Stamp: c.Stamp, Device: c.Device, Seq: c.Seq, Index: i, Change: id}
					if err := relief.ApplyOp(rec, m, op); err != nil {
						// The store only keeps changes whose ops apply: this
						// one was altered on disk with a valid encoding.
						if b == 0 {
							damaged = append(damaged, item.KeyCopy(nil))
						}
						break
					}
				}
			}
			// the apply path purges what an allowed erasure erased (Purge):
			// so does the refold, or every erased record looks damaged
			s.mu.Lock()
			roster := s.roster
			s.mu.Unlock()
			for _, rec := range recs {
				relief.Purge(rec, roster)
			}
			opts = badger.DefaultIteratorOptions
			opts.Prefix = []byte{tRecord}
			rit := txn.NewIterator(opts)
			defer rit.Close()
			for rit.Rewind(); rit.Valid(); rit.Next() {
				item := rit.Item()
				k := item.Key()
				if bucketOf(k) != b {
					continue
				}
				if rep.Records%64 == 0 {
					pace.step()
				}
				rep.Records++
				rec, ok := recs[string(k)]
				if !ok {
					bad[string(k)] = true // made by no change held
					continue
				}
				delete(recs, string(k))
				want, err := relief.EncodeRecordStored(rec)
				if err != nil {
					return fmt.Errorf("encode record %q: %w", k[1:], err)
				}
				same := false
				if err := item.Value(func(v []byte) error { same = sameRecord(v, want); return nil }); err != nil {
					s.log.Warn("record unreadable", "record", string(k[1:]), "err", err)
				}
				if !same {
					bad[string(k)] = true
				}
			}
			for k := range recs { // made by the changes, not in the store
				bad[k] = true
			}
			return nil
		})
		if err != nil {
			return rep, fmt.Errorf("check records: %w", err)
		}
		rep.Changes = changes
		rep.Passes++
	}
	if len(bad) > 0 || len(damaged) > 0 {
		keys := slices.Sorted(maps.Keys(bad))
		s.mu.Lock()
		err := s.repairRecords(keys, damaged)
		s.mu.Unlock()
		if err != nil {
			return rep, err
		}
		rep.Rebuilt, rep.DamagedChanges = len(keys), len(damaged)
		for _, k := range keys[:min(10, len(keys))] {
			kind, id, _ := bytes.Cut([]byte(k[1:]), []byte{0})
			rep.Examples = append(rep.Examples, string(kind)+"/"+string(id))
		}
		for _, k := range damaged {
			s.log.Warn("a stored change is damaged: dropped, to be fetched again from peers", "device", ledger.DeviceID([32]byte(k[1:33])).String(), "seq", binary.BigEndian.Uint64(k[33:41]))
		}
		if len(keys) > 0 {
			s.log.Warn("records did not match the changes held: rebuilt from the feeds", "records", rep.Rebuilt, "examples", rep.Examples)
		}
	}
	rep.Took = time.Since(start)
	return rep, nil
}

// repairRecords deletes the damaged changes (they become holes catch-up
// fills) and rebuilds the records of keys from the feeds as they are now
// (writers may have added changes since the check's snapshot), then indexes
// them as commitRun does; a record no change makes is deleted and its row
// dropped. Called with s.mu held.
func (s *Store) repairRecords(keys []string, damaged [][]byte) error {
	if len(damaged) > 0 {
		err := s.db.Update(func(txn *badger.Txn) error {
			for _, k := range damaged {
				if err := txn.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("check records: drop damaged changes: %w", err)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	want := make(map[string]bool, len(keys))
	for _, k := range keys {
		want[k] = true
	}
	recs := map[string]*relief.Record{}
	err := s.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix = []byte{tFeed}
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var e encoded
			err := it.Item().Value(func(v []byte) error {
				c, err := ledger.Decode(v)
				e = encoded{c: c, id: sha256.Sum256(v)}
				return err
			})
			if err != nil {
				continue // damaged since the check: the next one drops it
			}
			for i, op := range e.c.Ops {
				k := string(recordKey(op.Kind, op.ID))
				if !want[k] {
					continue
				}
				rec := recs[k]
				if rec == nil {
					rec = &relief.Record{}
					recs[k] = rec
				}
				m := relief.Meta{Stamp: e.c.Stamp, Device: e.c.Device, Seq: e.c.Seq, Index: i, Change: e.id}
				if err := relief.ApplyOp(rec, m, op); err != nil {
					break
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("check records: refold: %w", err)
	}
	for _, rec := range recs {
		relief.Purge(rec, s.roster) // as the apply path does (s.mu is held)
	}
	w := &chunkedTxn{db: s.db, txn: s.db.NewTransaction(true)}
	defer func() { w.txn.Discard() }()
	var live, demands []*relief.Record
	var goneDemands, goneTasks []string
	for _, k := range keys {
		rec, ok := recs[k]
		var err error
		if !ok {
			err = w.delete([]byte(k))
			kind, id, _ := strings.Cut(k[1:], "\x00")
			switch kind {
			case relief.KindDemand:
				goneDemands = append(goneDemands, id)
			case relief.KindTask:
				goneTasks = append(goneTasks, id)
			}
		} else {
			var b []byte
			if b, err = relief.EncodeRecordStored(rec); err == nil {
				err = w.set([]byte(k), b)
			}
			live = append(live, rec)
			if rec.Kind == relief.KindDemand {
				demands = append(demands, rec)
			}
		}
		if err != nil {
			return fmt.Errorf("check records: rebuild %q: %w", k[1:], err)
		}
	}
	var fold *foldTask
	if len(demands) > 0 {
		fold = startFold(demands, s.roster, s.idx, s.lastFold())
	}
	err = w.txn.Commit()
	if fold != nil {
		fold.settle(err == nil)
	}
	if err != nil {
		if fold != nil {
			<-fold.done
		}
		return fmt.Errorf("check records: rebuild: commit: %w", err)
	}
	if s.indexRecords(live, fold) {
		if err := s.enforceCuts(); err != nil {
			s.log.Error("enforce revocation cuts", "err", err)
		}
	}
	s.flushIndex()
	if len(goneDemands) > 0 || len(goneTasks) > 0 {
		if err := s.refoldRecords(goneDemands, goneTasks); err != nil {
			return fmt.Errorf("check records: drop rows: %w", err)
		}
	}
	return nil
}

// startCheck runs the check on a goroutine of its own once the store is
// open, so that opening stays as fast as it was; Close stops it and waits
// for it. When it found damage, it counts the missing changes and tells
// subscribers (the banner re-reads Integrity).
// DefaultCheckEvery is how often a store that closes cleanly checks its
// records against the feeds at open (Options.CheckEvery): the check folds
// every record again (about 20 s of CPU and a gigabyte of heap, released
// after, at 100,000 demands), so not at every start; damage Badger finds
// itself (table and value checksums) is caught at every open anyway.
const DefaultCheckEvery = 7 * 24 * time.Hour

// settingLastCheck is the setting holding when the last check completed
// (Unix milliseconds of the store's clock).
const settingLastCheck = "check.last"

// checkDue reports whether this open checks the records: the store was never
// checked, the last session did not close cleanly (unclean), every is
// negative, or every (0: DefaultCheckEvery) has passed since the last check.
func (s *Store) checkDue(every time.Duration, unclean bool) bool {
	if every == 0 {
		every = DefaultCheckEvery
	}
	v, ok := s.Setting(settingLastCheck)
	if !ok || unclean || every < 0 {
		return true
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return true
	}
	return s.now().Sub(time.UnixMilli(ms)) >= every
}

func (s *Store) startCheck() {
	s.checkDone = make(chan struct{})
	began := s.now() // read here, not on the goroutine: a test's clock moves under it
	go func() {
		defer close(s.checkDone)
		<-s.settleDone() // after the views the open left (open_settle.go): not beside them
		rep, err := s.checkRecords(s.stopGC, newPacer(checkPace, s.stopGC))
		if errors.Is(err, errCheckStopped) {
			return
		}
		// The check read every record: give back its garbage and the
		// pages of Badger's mapped files it touched, as the open does
		// (without this the idle app kept ~700 MiB of each).
		s.trimAfterOpen()
		if err != nil {
			s.log.Error("check the records against the changes held", "err", err)
			return
		}
		if err := s.countMissing(&rep); err != nil {
			s.log.Warn("count the missing changes", "err", err)
		}
		s.mu.Lock()
		s.integrity = rep
		s.mu.Unlock()
		if err := s.SetSetting(settingLastCheck, strconv.FormatInt(began.UnixMilli(), 10)); err != nil {
			s.log.Warn("note when the records were checked", "err", err)
		}
		if rep.Damaged() {
			s.events.publish(Event{Kind: EventMember})
		}
	}()
}

// CheckDone is closed once the open-time check ended (at once when the store
// was opened without it); Integrity then reports what it found.
func (s *Store) CheckDone() <-chan struct{} { return s.checkDone }

// countMissing sets rep.Missing from Holes, once the heads are loaded.
func (s *Store) countMissing(rep *CheckReport) error {
	holes, err := s.Holes()
	if err != nil {
		return err
	}
	for _, rs := range holes {
		for _, r := range rs {
			rep.Missing += int(r.To - r.From + 1)
		}
	}
	if rep.Missing > 0 {
		s.log.Warn("changes below the feeds' heads are missing: catch-up fetches them from peers", "changes", rep.Missing)
	}
	return nil
}

// rebuildRefilled applies the ops of the changes Refill put back to the
// records they touch and indexes them as commitRun does: a change dropped
// as damaged (or lost with a damaged table) takes effect again once a peer
// gave it back. ApplyOp is idempotent, so a record that kept the change's
// ops is unchanged. Called with s.mu held.
func (s *Store) rebuildRefilled(put []encoded) error {
	txn := s.db.NewTransaction(true)
	defer txn.Discard()
	touched := map[string]*relief.Record{}
	var order []string
	load := func(kind, id string) (*relief.Record, error) { return s.loadRecord(txn, kind, id) }
	for _, e := range put {
		var err error
		if order, err = applyChange(touched, order, e, load); err != nil {
			return fmt.Errorf("rebuild records of refilled %s/%d: %w", e.c.Device.Short(), e.c.Seq, err)
		}
	}
	recs := make([]*relief.Record, 0, len(order))
	var demands []*relief.Record
	for _, k := range order {
		rec := touched[k]
		b, err := relief.EncodeRecordStored(rec)
		if err != nil {
			return fmt.Errorf("rebuild record %q: %w", k[1:], err)
		}
		if err := txn.Set([]byte(k), b); err != nil {
			return fmt.Errorf("rebuild record %q: %w", k[1:], err)
		}
		recs = append(recs, rec)
		if rec.Kind == relief.KindDemand {
			demands = append(demands, rec)
		}
	}
	var fold *foldTask
	if len(demands) > 0 {
		fold = startFold(demands, s.roster, s.idx, s.lastFold())
	}
	err := txn.Commit()
	if fold != nil {
		fold.settle(err == nil)
	}
	if err != nil {
		if fold != nil {
			<-fold.done
		}
		return fmt.Errorf("rebuild the records of %d refilled changes: %w", len(put), err)
	}
	if s.indexRecords(recs, fold) {
		if err := s.enforceCuts(); err != nil {
			s.log.Error("enforce revocation cuts", "err", err)
		}
	}
	return nil
}

// sameRecord reports whether the stored record v holds the record whose
// stored form (relief.EncodeRecordStored) is want: the same bytes, or a
// record written by older code (the canonical form, relief.EncodeRecord)
// that decodes to it. An older record is not damaged; it keeps its form
// until the record is next written.
func sameRecord(v, want []byte) bool {
	if bytes.Equal(v, want) {
		return true
	}
	rec, err := relief.DecodeRecord(v)
	if err != nil {
		return false
	}
	b, err := relief.EncodeRecordStored(rec)
	return err == nil && bytes.Equal(b, want)
}
