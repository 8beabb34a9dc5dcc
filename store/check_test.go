package store

import (
	"cmp"
	"reflect"
	"slices"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// tb is what the checks need of *testing.T and *rapid.T.
type tb interface {
	Helper()
	Fatalf(format string, args ...any)
	Errorf(format string, args ...any)
}

// storedRecords reads every record from Badger.
func storedRecords(t tb, s *Store) []*relief.Record {
	t.Helper()
	var recs []*relief.Record
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for it.Seek([]byte{tRecord}); it.ValidForPrefix([]byte{tRecord}); it.Next() {
			err := it.Item().Value(func(b []byte) error {
				rec, err := relief.DecodeRecord(b)
				recs = append(recs, rec)
				return err
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("read records: %v", err)
	}
	return recs
}

// replayedRecords applies every stored change, from scratch, to empty records.
func replayedRecords(t tb, s *Store) []*relief.Record {
	t.Helper()
	recs := map[string]*relief.Record{}
	var order []string
	err := s.ChangesSince(nil, func(c *ledger.Change) error {
		e, err := encode(c)
		if err != nil {
			return err
		}
		order, err = applyChange(recs, order, e, func(kind, id string) (*relief.Record, error) {
			return &relief.Record{Kind: kind, ID: id}, nil
		})
		return err
	})
	if err != nil {
		t.Fatalf("replay feeds: %v", err)
	}
	out := make([]*relief.Record, 0, len(order))
	for _, k := range order {
		out = append(out, recs[k])
	}
	// what the store purged as it applied (relief.Purge: an allowed erasure)
	roster := relief.NewRoster(out)
	for _, rec := range out {
		relief.Purge(rec, roster)
	}
	return out
}

// checkConsistent checks that s's stored records are exactly what its stored
// feeds imply, that its version vector matches its feeds, and that its demand
// indexes hold the fold of its stored records.
func checkConsistent(t tb, s *Store) {
	t.Helper()
	stored := storedRecords(t, s)
	hs, _ := relief.StateHash(stored)
	hr, _ := relief.StateHash(replayedRecords(t, s))
	if hs != hr {
		t.Errorf("stored records (hash %s) differ from a replay of the stored feeds (hash %s)", hs, hr)
	}
	var vv ledger.VersionVector
	s.ChangesSince(nil, func(c *ledger.Change) error {
		if c.Seq != vv.Get(c.Device)+1 {
			t.Errorf("feed %s: seq %d follows %d", c.Device.Short(), c.Seq, vv.Get(c.Device))
		}
		vv.Set(c.Device, c.Seq)
		return nil
	})
	if got := s.VersionVector(); !got.Equal(vv) {
		t.Errorf("VersionVector() = %v; stored feeds hold %v", got, vv)
	}
	roster := relief.NewRoster(stored)
	var want, wantList []relief.Demand
	for _, rec := range stored {
		if rec.Kind == relief.KindDemand {
			d := relief.FoldDemand(rec, roster)
			want = append(want, d)
			wantList = append(wantList, listView(d))
		}
	}
	got, total, err := s.DemandsPage(DemandQuery{})
	if err != nil {
		t.Fatalf("Demands = %v", err)
	}
	if total != len(got) {
		t.Errorf("DemandsPage() total = %d; want %d (the whole list)", total, len(got))
	}
	byID := func(a, b relief.Demand) int { return cmp.Compare(a.ID, b.ID) }
	slices.SortFunc(wantList, byID)
	slices.SortFunc(got, byID)
	if !reflect.DeepEqual(got, wantList) {
		t.Errorf("Demands() (%d) differs from a fresh fold of the stored records (%d)", len(got), len(wantList))
	}
	for _, w := range want {
		if d, err := s.Demand(w.ID); err != nil || !reflect.DeepEqual(d, w) {
			t.Errorf("Demand(%s) = %+v, %v; want a fresh fold of the stored record", w.ID, d, err)
		}
	}
	counts := map[relief.Status]int{}
	for _, w := range want {
		counts[w.Status]++
	}
	if got := s.DemandCounts(); !reflect.DeepEqual(got, counts) && len(want) > 0 {
		t.Errorf("DemandCounts() = %v; want %v", got, counts)
	}
}
