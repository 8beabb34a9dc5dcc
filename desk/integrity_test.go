package desk

import (
	"path/filepath"
	"strings"
	"testing"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestStorageSaysWhatWasRepaired: a demand record damaged in a stopped
// store is rebuilt by the check after the next open, and Storage names it
// by its code and title for the banner; the demand shows its real title.
func TestStorageSaysWhatWasRepaired(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dk := New(st)
	if _, err := dk.CreateNetwork("Flood", "甲"); err != nil {
		t.Fatal(err)
	}
	dm := recordOne(t, dk, "协和医院 N95口罩")
	<-st.CheckDone()
	if s := dk.Storage(); s.Repaired != nil {
		t.Fatalf("Storage() of an intact store = %+v; want nothing repaired", s.Repaired)
	}
	st.Close()

	db, err := badger.Open(badger.DefaultOptions(filepath.Join(dir, "db")).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(txn *badger.Txn) error {
		k := append(append([]byte{'r'}, relief.KindDemand...), 0)
		k = append(k, dm.ID...)
		item, err := txn.Get(k)
		if err != nil {
			return err
		}
		b, _ := item.ValueCopy(nil)
		rec, err := relief.DecodeRecord(b)
		if err != nil {
			return err
		}
		f := rec.Fields[relief.FieldTitle]
		f.Value, _ = ledger.Marshal("被篡改的标题")
		rec.Fields[relief.FieldTitle] = f
		b, _ = relief.EncodeRecord(rec)
		return txn.Set(k, b)
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	st, err = store.Open(dir, store.Options{CheckEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	dk = New(st)
	<-st.CheckDone()
	s := dk.Storage()
	if s.Repaired == nil || s.Repaired.Records != 1 || len(s.Repaired.Examples) != 1 ||
		!strings.HasPrefix(s.Repaired.Examples[0], dm.Code+" ") || !strings.Contains(s.Repaired.Examples[0], "协和医院") {
		t.Fatalf("Storage().Repaired = %+v; want 1 record, named %s 协和医院 N95口罩", s.Repaired, dm.Code)
	}
	if got, err := st.Demand(dm.ID); err != nil || got.Title != "协和医院 N95口罩" {
		t.Errorf("Demand after the repair = %q, %v", got.Title, err)
	}
}
