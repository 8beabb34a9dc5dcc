package store

import (
	"errors"
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestEachDemandRecordParallel: the records decoded on every core come to fn
// in id order, each once, as EachDemandRecord gives them, across batches
// (two full ones and a part); fn's error stops the walk and is returned.
func TestEachDemandRecordParallel(t *testing.T) {
	tr := newTrio(t, t.TempDir)
	defer tr.close()
	s := tr.stores[0]
	recordDemands(t, s, 2*parBatch+3, "帐篷 tents", "shelter")
	var want, got []string
	if err := s.EachDemandRecord(func(r *relief.Record) error {
		want = append(want, r.ID+" "+string(r.Fields["title"].Value))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.EachDemandRecordParallel(func(r *relief.Record) error { got = append(got, r.ID+" "+string(r.Fields["title"].Value)); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(want) != 2*parBatch+3 || !slices.Equal(got, want) {
		t.Fatalf("parallel walk gave %d records, sequential %d (want %d), equal %v", len(got), len(want), 2*parBatch+3, slices.Equal(got, want))
	}
	stop := errors.New("enough")
	n := 0
	if err := s.EachDemandRecordParallel(func(*relief.Record) error {
		n++
		if n == parBatch+1 {
			return stop
		}
		return nil
	}); !errors.Is(err, stop) || n != parBatch+1 {
		t.Errorf("walk stopped by fn: %v after %d records; want %v after %d", err, n, stop, parBatch+1)
	}
}
