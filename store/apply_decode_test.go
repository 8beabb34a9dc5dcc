package store

import (
	"strings"
	"testing"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestDamagedRecordStopsTheRun: prepareRun decodes the records a run
// touches on every core, after reading them; a stored record that cannot be
// decoded still stops the run before anything of it is stored, with an
// error naming the record, and the records beside it in the run are not
// written either.
func TestDamagedRecordStopsTheRun(t *testing.T) {
	from, changes, dir, clk := pipeFeed(t, 80)
	to, err := Open(dir, Options{Clock: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	defer to.Close()
	if res, err := to.ApplyRemote(changes); err != nil || res.Applied != len(changes) {
		t.Fatalf("ApplyRemote(%d changes) = %+v, %v; want all applied", len(changes), res, err)
	}
	// a run that edits 70 stored demands, the 40th of which is damaged
	var ids []string
	for _, c := range changes {
		for _, op := range c.Ops {
			if op.Kind == relief.KindDemand && len(ids) < 70 {
				ids = append(ids, op.ID)
			}
		}
	}
	if len(ids) < 70 {
		t.Fatalf("the feed made %d demands; want 70", len(ids))
	}
	var run []*ledger.Change
	for _, id := range ids {
		op, err := relief.SetFields(relief.KindDemand, id, map[string]any{relief.FieldTitle: "口罩 改"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := from.ApplyLocal([]ledger.Op{op}); err != nil {
			t.Fatalf("ApplyLocal = %v", err)
		}
	}
	vv := to.VersionVector()
	from.ChangesSince(vv, func(c *ledger.Change) error { run = append(run, c); return nil })
	if len(run) != len(ids) {
		t.Fatalf("%d changes after the version vector; want %d", len(run), len(ids))
	}
	damaged := ids[39]
	if err := to.db.Update(func(txn *badger.Txn) error {
		return txn.Set(recordKey(relief.KindDemand, damaged), []byte{0xbf, 0x61}) // a map cut short
	}); err != nil {
		t.Fatal(err)
	}
	res, err := to.ApplyRemote(run)
	if err == nil {
		t.Fatalf("ApplyRemote over a damaged record = %+v, nil; want an error naming it", res)
	}
	if !strings.Contains(err.Error(), "decode record "+relief.KindDemand+"/"+damaged) {
		t.Errorf("error %q does not name the damaged record %s/%s", err, relief.KindDemand, damaged)
	}
	if res.Applied != 0 {
		t.Errorf("Result.Applied = %d; want 0: the run stops before anything of it is stored", res.Applied)
	}
	d := from.Device()
	if got := to.VersionVector()[d]; got != vv[d] {
		t.Errorf("version vector %d after the refused run; want %d", got, vv[d])
	}
	for _, id := range []string{ids[0], ids[69]} {
		err := to.db.View(func(txn *badger.Txn) error {
			rec, err := to.loadRecord(txn, relief.KindDemand, id)
			if err != nil {
				return err
			}
			if f := relief.FoldDemand(rec, to.roster); f.Title == "口罩 改" {
				t.Errorf("demand %s holds the refused run's title", id)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
