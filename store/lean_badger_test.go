package store

import (
	"testing"

	badger "github.com/dgraph-io/badger/v4"
)

// levelZeroTables is how many tables Badger holds in level 0 of s.
func levelZeroTables(s *Store) int {
	for _, l := range s.db.Levels() {
		if l.Level == 0 {
			return l.NumTables
		}
	}
	return 0
}

// TestLeanStoreDefersLevelZeroCompaction: a lean store's Badger keeps up
// to leanL0Tables tables in level 0 before it compacts them (Badger's
// default is 5: a hub ingesting a million changes spent ≈ 8 CPU µs per
// change compacting), and a store ingested that way holds every change
// and demand, after Close compacted level 0 and after a reopen. Memtables
// of 24 KiB make 1,500 changes fill a dozen tables.
func TestLeanStoreDefersLevelZeroCompaction(t *testing.T) {
	const n = 1500
	from, changes, dir, clk := pipeFeed(t, n)
	tiny := func(o badger.Options) badger.Options { return o.WithMemTableSize(24 << 10) }
	to, err := Open(dir, Options{Clock: clk.now, Lean: true, TuneBadger: tiny})
	if err != nil {
		t.Fatal(err)
	}
	if got := to.db.Opts().NumLevelZeroTables; got != leanL0Tables {
		t.Fatalf("a lean store's Badger compacts level 0 at %d tables; want %d", got, leanL0Tables)
	}
	for i := 0; i < len(changes); i += 64 {
		res, err := to.ApplyRemote(changes[i:min(i+64, len(changes))])
		if err != nil || len(res.Rejected) > 0 {
			t.Fatalf("ApplyRemote(%d…) = %+v, %v", i, res, err)
		}
	}
	if got := levelZeroTables(to); got <= 5 {
		t.Errorf("level 0 holds %d tables after %d changes in 24 KiB memtables; want more than Badger's default 5 (compaction deferred)", got, len(changes))
	}
	want := len(changes)
	if seqs, demands := heldIn(t, to, from.Device()); len(seqs) != want || demands != n {
		t.Fatalf("before Close: %d changes, %d demands of %d, %d", len(seqs), demands, want, n)
	}
	before := levelZeroTables(to)
	if err := to.Close(); err != nil {
		t.Fatal(err)
	}
	to, err = Open(dir, Options{Clock: clk.now, Lean: true, TuneBadger: tiny})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer to.Close()
	if got := levelZeroTables(to); got >= before {
		t.Errorf("level 0 holds %d tables after a reopen, %d before Close; want fewer (compacted at Close)", got, before)
	}
	if seqs, demands := heldIn(t, to, from.Device()); len(seqs) != want || demands != n {
		t.Fatalf("after a reopen: %d changes, %d demands; want %d, %d", len(seqs), demands, want, n)
	}
}
