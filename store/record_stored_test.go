package store

import (
	"bytes"
	"testing"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/relief"
)

// storedRecord returns the bytes of the record kind/id as Badger holds them.
func storedRecord(t *testing.T, db *badger.DB, kind, id string) []byte {
	t.Helper()
	var b []byte
	err := db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(recordKey(kind, id))
		if err != nil {
			return err
		}
		b, err = item.ValueCopy(nil)
		return err
	})
	if err != nil {
		t.Fatalf("read record %s/%s: %v", kind, id, err)
	}
	return b
}

// TestRecordsStoredFormAndOlderRecords: the store writes a record in its
// stored form (relief.EncodeRecordStored, fields referring to First), which
// is smaller than the canonical form older code wrote. A store whose records
// are all in the older form (rewritten so while it was closed) opens, shows
// every demand as before, and its records' check finds nothing damaged and
// leaves the older bytes as they are; a demand recorded after is stored in
// the new form beside them.
func TestRecordsStoredFormAndOlderRecords(t *testing.T) {
	dir := t.TempDir()
	clk := newClock()
	s, err := Open(dir, Options{Clock: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateNetwork("net", "coordinator"); err != nil {
		t.Fatal(err)
	}
	titles := []string{"饮用水 drinking water", "帐篷 tents", "药品 medicine"}
	var ids []string
	for _, title := range titles {
		d, err := s.RecordDemand(relief.Demand{Title: title, Category: "other"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	<-s.CheckDone()
	if r := s.Integrity(); r.Damaged() {
		t.Fatalf("a new store's check = %+v; want nothing damaged", r)
	}
	s.Close()

	db := rawBadger(t, dir)
	old := map[string][]byte{}
	for _, id := range ids {
		b := storedRecord(t, db, relief.KindDemand, id)
		rec, err := relief.DecodeRecord(b)
		if err != nil {
			t.Fatal(err)
		}
		canon, err := relief.EncodeRecord(rec)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) >= len(canon) {
			t.Errorf("demand %s stored in %d bytes; the canonical form is %d: not the stored form", id, len(b), len(canon))
		}
		old[id] = canon
	}
	err = db.Update(func(txn *badger.Txn) error {
		for id, b := range old {
			if err := txn.Set(recordKey(relief.KindDemand, id), b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err = Open(dir, Options{Clock: clk.now, CheckEvery: -1})
	if err != nil {
		t.Fatalf("Open a store of older records = %v", err)
	}
	<-s.CheckDone()
	if r := s.Integrity(); r.Damaged() || r.Rebuilt != 0 {
		t.Errorf("check of older records = %+v; want nothing damaged or rebuilt", r)
	}
	for i, id := range ids {
		if d, err := s.Demand(id); err != nil || d.Title != titles[i] {
			t.Errorf("Demand(%s) = %q, %v; want %q", id, d.Title, err, titles[i])
		}
	}
	d, err := s.RecordDemand(relief.Demand{Title: "毛毯 blankets", Category: "other"})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	db = rawBadger(t, dir)
	defer db.Close()
	for id, b := range old {
		if got := storedRecord(t, db, relief.KindDemand, id); !bytes.Equal(got, b) {
			t.Errorf("older record %s rewritten by the check: %x, was %x", id, got, b)
		}
	}
	b := storedRecord(t, db, relief.KindDemand, d.ID)
	rec, err := relief.DecodeRecord(b)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := relief.EncodeRecordStored(rec)
	if !bytes.Equal(b, want) {
		t.Errorf("new demand's record %x; want its stored form %x", b, want)
	}
}
