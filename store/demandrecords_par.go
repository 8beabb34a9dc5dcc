package store

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/relief"
)

// parBatch is how many demand records EachDemandRecordParallel decodes at a
// time (their bytes copied, then decoded on every core).
const parBatch = 512

// EachDemandRecordParallel is EachDemandRecord with the records decoded on
// every core (GOMAXPROCS goroutines), parBatch records at a time: fn is
// still called in id order, from the calling goroutine, but within the read
// transaction (fn must not write to the store). For the desk's contact
// index, whose build at 100,000 demands is mostly the decoding of records.
// Errors: a record that cannot be read or decoded, or fn's.
func (s *Store) EachDemandRecordParallel(fn func(rec *relief.Record) error) error {
	prefix := recordPrefix(relief.KindDemand)
	workers := max(runtime.GOMAXPROCS(0), 1)
	raw := make([][]byte, 0, parBatch)
	recs := make([]*relief.Record, parBatch)
	errs := make([]error, parBatch)
	flush := func() error {
		per := (len(raw) + workers - 1) / workers
		var wg sync.WaitGroup
		decode := func(lo, hi int) {
			for i := lo; i < hi; i++ {
				recs[i], errs[i] = relief.DecodeRecord(raw[i])
			}
		}
		for lo := per; lo < len(raw); lo += per { // the first share is this goroutine's
			wg.Add(1)
			go func(lo, hi int) {
				defer wg.Done()
				decode(lo, hi)
			}(lo, min(lo+per, len(raw)))
		}
		decode(0, min(per, len(raw)))
		wg.Wait()
		for i := range raw {
			if errs[i] != nil {
				return fmt.Errorf("read %s records: %w", relief.KindDemand, errs[i])
			}
			if err := fn(recs[i]); err != nil {
				return err
			}
			recs[i] = nil
		}
		raw = raw[:0]
		return nil
	}
	return s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return fmt.Errorf("read %s records: %w", relief.KindDemand, err)
			}
			raw = append(raw, v)
			if len(raw) == parBatch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return flush()
	})
}
