package store

import (
	"path/filepath"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// rawBadger opens the Badger directory of a closed store, for tests that
// damage what it holds.
func rawBadger(t *testing.T, dir string) *badger.DB {
	t.Helper()
	db, err := badger.Open(badger.DefaultOptions(filepath.Join(dir, "db")).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// TestOpenRebuildsDamagedRecords: in a stopped store, one demand record is
// replaced by a valid but wrong one (another title), one is deleted and one
// record that no change made is added. The store opens, says what it rebuilt,
// and shows exactly what the changes make: the titles, the count, the
// demand list. A second open finds nothing.
func TestOpenRebuildsDamagedRecords(t *testing.T) {
	dir := t.TempDir()
	clk := newClock()
	s, err := Open(dir, Options{Clock: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateNetwork("net", "coordinator"); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, title := range []string{"one", "two", "three"} {
		d, err := s.RecordDemand(relief.Demand{Title: title, Category: "other"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	<-s.CheckDone()
	if r := s.Integrity(); r.Damaged() || r.Passes != 1 {
		t.Fatalf("a new store's check = %+v; want one pass, nothing damaged", r)
	}
	s.Close()

	db := rawBadger(t, dir)
	err = db.Update(func(txn *badger.Txn) error {
		item, err := txn.Get(recordKey(relief.KindDemand, ids[0]))
		if err != nil {
			return err
		}
		b, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		rec, err := relief.DecodeRecord(b)
		if err != nil {
			return err
		}
		f := rec.Fields[relief.FieldTitle]
		f.Value, _ = ledger.Marshal("tampered")
		rec.Fields[relief.FieldTitle] = f
		if b, err = relief.EncodeRecord(rec); err != nil {
			return err
		}
		if err := txn.Set(recordKey(relief.KindDemand, ids[0]), b); err != nil {
			return err
		}
		if err := txn.Delete(recordKey(relief.KindDemand, ids[1])); err != nil {
			return err
		}
		rec.ID = "made-by-nothing"
		b, _ = relief.EncodeRecord(rec)
		return txn.Set(recordKey(relief.KindDemand, "made-by-nothing"), b)
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err = Open(dir, Options{Clock: clk.now, CheckEvery: -1})
	if err != nil {
		t.Fatalf("Open after damage = %v", err)
	}
	<-s.CheckDone()
	r := s.Integrity()
	if r.Rebuilt != 3 || len(r.Examples) != 3 || r.DamagedChanges != 0 || r.Missing != 0 {
		t.Errorf("check after damage = %+v; want 3 records rebuilt and named, no change lost", r)
	}
	for i, title := range []string{"one", "two", "three"} {
		if d, err := s.Demand(ids[i]); err != nil || d.Title != title {
			t.Errorf("Demand(%s) = %q, %v; want %q", ids[i], d.Title, err, title)
		}
	}
	if _, err := s.Demand("made-by-nothing"); err == nil {
		t.Errorf("the record no change made is still shown")
	}
	n := 0
	for _, c := range s.DemandCounts() {
		n += c
	}
	if n != 3 {
		t.Errorf("DemandCounts() total %d; want 3", n)
	}
	s.Close()

	s, err = Open(dir, Options{Clock: clk.now, CheckEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	<-s.CheckDone()
	if r := s.Integrity(); r.Damaged() {
		t.Errorf("check after the repair = %+v; want nothing damaged", r)
	}
}

// TestOpenDropsDamagedChange: a stored change whose bytes no longer decode
// is dropped and counted, and becomes a hole below its feed's head that
// catch-up fills (Holes names it); the records are folded without it until
// a peer gives it back (Refill), and then with it.
func TestOpenDropsDamagedChange(t *testing.T) {
	dir := t.TempDir()
	clk := newClock()
	s, err := Open(dir, Options{Clock: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateNetwork("net", "coordinator"); err != nil {
		t.Fatal(err)
	}
	d1, _ := s.RecordDemand(relief.Demand{Title: "kept", Category: "other"})
	d2, _ := s.RecordDemand(relief.Demand{Title: "its change is damaged", Category: "other"})
	d3, _ := s.RecordDemand(relief.Demand{Title: "after it", Category: "other"})
	dev := s.Device()
	seq := s.VersionVector()[dev] - 1 // d2's change
	lost, err := s.change(dev, seq)   // what a peer holds
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	db := rawBadger(t, dir)
	if err := db.Update(func(txn *badger.Txn) error { return txn.Set(feedKey(dev, seq), []byte{0xa1, 0xff, 0x00}) }); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err = Open(dir, Options{Clock: clk.now, CheckEvery: -1})
	if err != nil {
		t.Fatalf("Open after damage = %v", err)
	}
	defer s.Close()
	<-s.CheckDone()
	r := s.Integrity()
	if r.DamagedChanges != 1 || r.Missing != 1 || r.Rebuilt != 1 {
		t.Errorf("check = %+v; want 1 damaged change, 1 missing, 1 record rebuilt", r)
	}
	holes, err := s.Holes()
	if err != nil || len(holes[dev]) != 1 || holes[dev][0] != (ledger.Range{From: seq, To: seq}) {
		t.Errorf("Holes() = %v, %v; want %d of %s", holes, err, seq, dev.Short())
	}
	for _, id := range []string{d1.ID, d3.ID} {
		if _, err := s.Demand(id); err != nil {
			t.Errorf("Demand(%s) = %v", id, err)
		}
	}
	if _, err := s.Demand(d2.ID); err == nil {
		t.Errorf("the demand of the damaged change is shown before the change is back")
	}
	if res, err := s.Refill([]*ledger.Change{lost}); err != nil || res.Applied != 1 {
		t.Fatalf("Refill(the lost change) = %+v, %v", res, err)
	}
	if d, err := s.Demand(d2.ID); err != nil || d.Title != d2.Title {
		t.Errorf("Demand(%s) after Refill = %q, %v; want %q", d2.ID, d.Title, err, d2.Title)
	}
	if got := s.DemandCounts()[d2.Status]; got != 3 {
		t.Errorf("%d demands %s after Refill; want 3", got, d2.Status)
	}
}

// TestCheckRunsOnSchedule: the check of the records against the feeds costs
// a fold of every record (some 20 s of CPU and a gigabyte of heap at 100,000
// demands), so it runs on a store never checked, after a session that did
// not close cleanly, and once CheckEvery has passed since the last one; not
// after every clean open.
func TestCheckRunsOnSchedule(t *testing.T) {
	dir := t.TempDir()
	clk := newClock()
	open := func() *Store {
		t.Helper()
		s, err := Open(dir, Options{Clock: clk.now})
		if err != nil {
			t.Fatal(err)
		}
		<-s.CheckDone()
		return s
	}
	s := open()
	if _, err := s.CreateNetwork("net", "coordinator"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordDemand(relief.Demand{Title: "one", Category: "other"}); err != nil {
		t.Fatal(err)
	}
	if r := s.Integrity(); r.Passes != 1 {
		t.Fatalf("first open: check %+v; want it run (never checked)", r)
	}
	s.Close()
	s = open()
	if r := s.Integrity(); r.Passes != 0 {
		t.Errorf("clean reopen a minute later: check %+v; want it skipped", r)
	}
	if _, err := s.RecordDemand(relief.Demand{Title: "two", Category: "other"}); err != nil {
		t.Fatal(err)
	}
	// an unclean stop: the disk as a power cut leaves it, after the session wrote
	image := t.TempDir()
	copyDir(t, dir, image)
	s.Close()
	dir = image
	s = open()
	if r := s.Integrity(); r.Passes != 1 {
		t.Errorf("open after an unclean stop: check %+v; want it run", r)
	}
	s.Close()
	s = open() // recovering still, but the check is done
	if r := s.Integrity(); r.Passes != 0 {
		t.Errorf("clean reopen after the check: check %+v; want it skipped", r)
	}
	s.Close()
	clk.advance(DefaultCheckEvery + time.Hour)
	s = open()
	if r := s.Integrity(); r.Passes != 1 {
		t.Errorf("open %v after the last check: check %+v; want it run", DefaultCheckEvery, r)
	}
	s.Close()
}

// TestPacerRests: a paced loop rests, after each slice of work of at least
// checkSlice, as long as the slice took times (1-pace)/pace, and not before;
// a nil pacer never rests.
func TestPacerRests(t *testing.T) {
	at := time.Unix(0, 0)
	var rests []time.Duration
	p := &pacer{pace: 0.25, began: at, now: func() time.Time { return at },
		rest: func(d time.Duration, _ <-chan struct{}) { rests = append(rests, d); at = at.Add(d) }}
	at = at.Add(checkSlice / 2)
	p.step()
	if len(rests) != 0 {
		t.Fatalf("step after %v of work rested %v; want no rest before %v", checkSlice/2, rests, checkSlice)
	}
	at = at.Add(checkSlice) // 1.5 slices in all
	p.step()
	if want := 3 * (checkSlice * 3 / 2); len(rests) != 1 || rests[0] != want {
		t.Fatalf("step after %v of work at pace 0.25 rested %v; want [%v]", checkSlice*3/2, rests, want)
	}
	p.step() // the rest began a new slice
	if len(rests) != 1 || p.rested != rests[0] {
		t.Fatalf("step right after a rest: rests %v, rested %v; want one rest, counted", rests, p.rested)
	}
	var none *pacer
	none.step()
}
