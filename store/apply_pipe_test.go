package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	badger "github.com/dgraph-io/badger/v4"
	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// withPipeRun turns a lean store's pipeline on with pieces of n for the
// test.
func withPipeRun(t testing.TB, n int) {
	old, oldLean := pipeRun, pipeLean
	pipeRun, pipeLean = n, true
	t.Cleanup(func() { pipeRun, pipeLean = old, oldLean })
}

// TestPipelineGivesTheSameStore: two stores fed the same random work of
// three peers in the same batches — demands and their steps, tasks,
// offers, promotions, revocations and their cuts, a forked change and a
// malformed one — one committing each run in pieces of two, each prepared
// while Badger writes the one before it (apply_pipe.go), the other
// committing each run whole, as before the pipeline, hold byte for byte
// the same records, the same state hash, version vector, forks, refusal
// counts, demand counts and demand list after every round.
func TestPipelineGivesTheSameStore(t *testing.T) {
	defer defaultChecks(30, 8)()
	before := piecesAhead.Load()
	old, oldDesk := pipeRun, pipeDesktop
	pipeDesktop = true // full stores, to compare their records and demand lists
	defer func() { pipeRun, pipeDesktop = old, oldDesk }()
	rapid.Check(t, func(rt *rapid.T) {
		tr := newTrio(rt, t.TempDir)
		defer tr.close()
		net, _ := tr.stores[0].Network()
		open := func() *Store {
			s, err := Open(t.TempDir(), Options{Clock: tr.clk.now})
			if err != nil {
				rt.Fatalf("Open = %v", err)
			}
			if err := s.JoinNetwork(net.ID); err != nil {
				rt.Fatalf("JoinNetwork = %v", err)
			}
			return s
		}
		piped, whole := open(), open()
		defer piped.Close()
		defer whole.Close()
		apply := func(cs []*ledger.Change) {
			for _, s := range []*Store{piped, whole} {
				pipeRun = 2
				if s == whole {
					pipeRun = 1 << 30
				}
				if _, err := s.ApplyRemote(cs); err != nil {
					rt.Fatalf("ApplyRemote = %v", err)
				}
			}
		}
		rounds := rapid.IntRange(1, 3).Draw(rt, "rounds")
		for round := range rounds {
			randomWork(rt, tr, rapid.IntRange(1, 30).Draw(rt, "steps"), "w")
			var extra []*ledger.Change
			if rapid.Bool().Draw(rt, "fork") {
				extra = append(extra, forkOf(rt, tr.stores[2], tr.clk))
			}
			if rapid.Bool().Draw(rt, "malformed") {
				extra = append(extra, malformedAfter(rt, tr.stores[1], tr.clk))
			}
			for _, from := range tr.stores {
				var out []*ledger.Change
				from.ChangesSince(piped.VersionVector(), func(c *ledger.Change) error { out = append(out, c); return nil })
				for len(out) > 0 {
					n := rapid.IntRange(1, len(out)).Draw(rt, "feedBatch")
					apply(out[:n])
					out = out[n:]
				}
			}
			apply(extra)
			sameStores(rt, round, piped, whole)
		}
	})
	if piecesAhead.Load() == before {
		t.Fatalf("no piece was prepared while the one before it was written: the property compared nothing")
	}
}

// TestLeanStoreAnswersAsFullPipelined is TestLeanStoreAnswersAsFull with
// every run of two changes or more committed through the pipeline: a lean
// store's counts and actor index move piece by piece as the full store's
// views do.
func TestLeanStoreAnswersAsFullPipelined(t *testing.T) {
	withPipeRun(t, 2)
	before := piecesAhead.Load()
	TestLeanStoreAnswersAsFull(t)
	if piecesAhead.Load() == before {
		t.Fatalf("no piece was prepared while the one before it was written")
	}
}

// pipeFeed is a founder's store holding n new demands after its network's
// first changes, and the directory of a lean store (a hub's) that joined
// the network and holds nothing.
func pipeFeed(t *testing.T, n int) (from *Store, changes []*ledger.Change, dir string, clk *fakeClock) {
	t.Helper()
	clk = newClock()
	from = openStore(t, t.TempDir(), clk)
	net, err := from.CreateNetwork("net", "coordinator")
	if err != nil {
		t.Fatalf("CreateNetwork = %v", err)
	}
	for i := range n {
		op, err := relief.SetFields(relief.KindDemand, NewID(), map[string]any{relief.FieldTitle: fmt.Sprintf("口罩 %d", i), relief.FieldCategory: "other"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := from.ApplyLocal([]ledger.Op{op}); err != nil {
			t.Fatalf("ApplyLocal = %v", err)
		}
	}
	from.ChangesSince(nil, func(c *ledger.Change) error { changes = append(changes, c); return nil })
	dir = t.TempDir()
	to, err := Open(dir, Options{Clock: clk.now, Lean: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := to.JoinNetwork(net.ID); err != nil {
		t.Fatal(err)
	}
	to.Close()
	return from, changes, dir, clk
}

// heldIn returns the seqs of d's feed Badger holds and how many demand
// records, read in one snapshot.
func heldIn(t *testing.T, s *Store, d ledger.DeviceID) (seqs []uint64, demands int) {
	t.Helper()
	err := s.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		it := txn.NewIterator(opts)
		defer it.Close()
		p := feedPrefix(d)
		for it.Seek(p); it.ValidForPrefix(p); it.Next() {
			seqs = append(seqs, binary.BigEndian.Uint64(it.Item().Key()[33:]))
		}
		p = recordPrefix(relief.KindDemand)
		for it.Seek(p); it.ValidForPrefix(p); it.Next() {
			demands++
		}
		return nil
	})
	if err != nil {
		t.Fatalf("read the store: %v", err)
	}
	return seqs, demands
}

// TestPipelineCommitFailureKeepsThePiecesBefore: a commit that fails in the
// middle of a pipelined run (the piece after it already prepared) leaves a
// store that holds exactly the pieces before it — in Badger, in the
// version vector, after a reopen — and an error naming the piece; the run
// applies whole when it comes again.
func TestPipelineCommitFailureKeepsThePiecesBefore(t *testing.T) {
	withPipeRun(t, 16)
	from, changes, dir, clk := pipeFeed(t, 150)
	d := from.Device()
	failAt := uint64(70) // a piece in the middle of the run, with pieces before and after it
	var calls atomic.Int32
	commitFault = func(dev ledger.DeviceID, first, last uint64) error {
		calls.Add(1)
		if dev == d && first <= failAt && failAt <= last {
			return errors.New("disk gone")
		}
		return nil
	}
	defer func() { commitFault = nil }()
	to, err := Open(dir, Options{Clock: clk.now, Lean: true})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { to.Close() }()
	before := piecesAhead.Load()
	res, err := to.ApplyRemote(changes)
	if err == nil {
		t.Fatalf("ApplyRemote with a failing commit = %+v, nil; want the commit's error", res)
	}
	// which piece: the error names it, and what was committed before it
	var first, last uint64
	if _, serr := fmt.Sscanf(err.Error()[strings.Index(err.Error(), d.Short())+len(d.Short()):], "/%d-%d", &first, &last); serr != nil || first > failAt || last < failAt || !strings.Contains(err.Error(), "disk gone") {
		t.Fatalf("error %q does not name the failed piece (%s/…%d…) with its cause", err, d.Short(), failAt)
	}
	if piecesAhead.Load() == before {
		t.Fatalf("no piece was prepared ahead: the failure did not happen mid-pipeline")
	}
	kept := first - 1
	if res.Applied != int(kept) {
		t.Errorf("Result.Applied = %d; want %d (the pieces before the failed one)", res.Applied, kept)
	}
	if got := to.VersionVector()[d]; got != kept {
		t.Errorf("version vector %d after the failure; want %d: it runs ahead of (or behind) what is stored", got, kept)
	}
	check := func(when string) {
		seqs, demands := heldIn(t, to, d)
		if uint64(len(seqs)) != kept || (len(seqs) > 0 && seqs[len(seqs)-1] != kept) {
			t.Fatalf("%s: the store holds seqs %v of the feed; want exactly 1–%d", when, seqs, kept)
		}
		if demands != int(kept)-1 { // every change but the genesis makes a demand
			t.Fatalf("%s: %d demand records; want %d (those of the pieces before the failure)", when, demands, kept-1)
		}
	}
	check("after the failure")
	to.Close()
	commitFault = nil
	if to, err = Open(dir, Options{Clock: clk.now, Lean: true}); err != nil {
		t.Fatal(err)
	}
	if got := to.VersionVector()[d]; got != kept {
		t.Fatalf("reopened: version vector %d; want %d", got, kept)
	}
	check("reopened")
	res, err = to.ApplyRemote(changes)
	if err != nil || res.Applied != len(changes)-int(kept) || res.Duplicates != int(kept) {
		t.Fatalf("ApplyRemote again = %+v, %v; want %d applied, %d duplicates", res, err, len(changes)-int(kept), kept)
	}
	hf, _ := from.StateHash()
	if ht, _ := to.StateHash(); ht != hf {
		t.Fatalf("after the run came again: state %s; want the sender's %s", ht, hf)
	}
}

// TestPipelineReaderSeesWholePieces: a reader during a pipelined ingest
// sees, in every snapshot, a feed without gaps and exactly the demand
// records of the changes it holds: never a record without its change, nor
// a later piece before an earlier one.
func TestPipelineReaderSeesWholePieces(t *testing.T) {
	withPipeRun(t, 16)
	from, changes, dir, clk := pipeFeed(t, 600)
	d := from.Device()
	to, err := Open(dir, Options{Clock: clk.now, Lean: true})
	if err != nil {
		t.Fatal(err)
	}
	defer to.Close()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var looks, moving atomic.Int32
	var bad atomic.Value
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			seqs, demands := heldIn(t, to, d)
			looks.Add(1)
			if len(seqs) > 0 && len(seqs) < len(changes) {
				moving.Add(1)
			}
			for i, s := range seqs {
				if s != uint64(i+1) {
					bad.CompareAndSwap(nil, fmt.Sprintf("a gap: seqs %v", seqs))
				}
			}
			if want := max(len(seqs)-1, 0); demands != want {
				bad.CompareAndSwap(nil, fmt.Sprintf("%d demand records beside %d changes; want %d", demands, len(seqs), want))
			}
		}
	})
	before := piecesAhead.Load()
	res, err := to.ApplyRemote(changes)
	close(stop)
	wg.Wait()
	if err != nil || res.Applied != len(changes) {
		t.Fatalf("ApplyRemote = %+v, %v", res, err)
	}
	if b := bad.Load(); b != nil {
		t.Fatalf("a reader saw %s", b)
	}
	if piecesAhead.Load() == before {
		t.Fatalf("no piece was prepared ahead")
	}
	t.Logf("%d snapshots read, %d during the ingest", looks.Load(), moving.Load())
	if moving.Load() == 0 {
		t.Skip("the reader saw no snapshot in the middle of the ingest: nothing was checked")
	}
}

// TestCommitPipelineOption: Options.CommitPipeline turns a lean store's
// pipeline on without the package variable (rmingest -pipe measures with
// it), and the store it gives holds the sender's state; a store opened
// without it commits each run whole (no piece prepared ahead).
func TestCommitPipelineOption(t *testing.T) {
	if pipeLean {
		t.Skip("pipeLean is on: the option cannot be told from it")
	}
	from, changes, dir, clk := pipeFeed(t, 2*pipeRun+10)
	hf, _ := from.StateHash()
	for _, on := range []bool{false, true} {
		d := t.TempDir() + "/store"
		copyDir(t, dir, d)
		to, err := Open(d, Options{Clock: clk.now, Lean: true, CommitPipeline: on})
		if err != nil {
			t.Fatal(err)
		}
		before := piecesAhead.Load()
		res, err := to.ApplyRemote(changes)
		if err != nil || res.Applied != len(changes) {
			to.Close()
			t.Fatalf("CommitPipeline %v: ApplyRemote = %+v, %v; want %d applied", on, res, err, len(changes))
		}
		ahead := piecesAhead.Load() - before
		if on && ahead == 0 {
			t.Errorf("CommitPipeline on: no piece was prepared while Badger wrote the one before it")
		}
		if !on && ahead != 0 {
			t.Errorf("CommitPipeline off: %d pieces prepared ahead; want none", ahead)
		}
		if ht, _ := to.StateHash(); ht != hf {
			t.Errorf("CommitPipeline %v: state %s; want the sender's %s", on, ht, hf)
		}
		to.Close()
	}
}

// TestLeanStorePipelinesLongRuns: a lean store (the hub's) commits a run
// of two pieces of pipeLeanRun or more in pieces, the next prepared while
// Badger writes the one before, without Options.CommitPipeline, and holds
// the sender's state; a shorter run is committed whole, and so is a long
// run in a full store (the app's).
func TestLeanStorePipelinesLongRuns(t *testing.T) {
	if pipeLean || pipeDesktop {
		t.Skip("a pipeline variable is on: the default cannot be told from it")
	}
	old := pipeLeanRun
	pipeLeanRun = 8
	defer func() { pipeLeanRun = old }()
	from, changes, dir, clk := pipeFeed(t, 2*pipeLeanRun+5)
	hf, _ := from.StateHash()
	for _, tc := range []struct {
		name  string
		lean  bool
		n     int
		ahead bool
	}{
		{"lean, two pieces and more", true, len(changes), true},
		{"lean, shorter than two pieces", true, 2*pipeLeanRun - 1, false},
		{"full store", false, len(changes), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := t.TempDir() + "/store"
			copyDir(t, dir, d)
			to, err := Open(d, Options{Clock: clk.now, Lean: tc.lean})
			if err != nil {
				t.Fatal(err)
			}
			defer to.Close()
			before := piecesAhead.Load()
			res, err := to.ApplyRemote(changes[:tc.n])
			if err != nil || res.Applied != tc.n {
				t.Fatalf("ApplyRemote = %+v, %v; want %d applied", res, err, tc.n)
			}
			if ahead := piecesAhead.Load() - before; (ahead > 0) != tc.ahead {
				t.Errorf("%d pieces prepared while Badger wrote the one before; want some: %v", ahead, tc.ahead)
			}
			if tc.n == len(changes) {
				if ht, _ := to.StateHash(); ht != hf {
					t.Errorf("state %s; want the sender's %s", ht, hf)
				}
			}
			if got := to.VersionVector()[from.Device()]; got != uint64(tc.n) {
				t.Errorf("version vector holds %d of the sender's feed; want %d", got, tc.n)
			}
		})
	}
}

// TestLeanPipelineReadsAhead: a lean store's piece whose records Badger
// already holds (a run of updates to demands an earlier call created: the
// absent filter cannot rule their keys out) is still prepared while Badger
// writes the piece before it, its records read from a snapshot taken before
// that piece was handed to Badger, and the store holds the sender's state.
// (Before, every such piece waited for the one before it to land.)
func TestLeanPipelineReadsAhead(t *testing.T) {
	if pipeLean || pipeDesktop {
		t.Skip("a pipeline variable is on: the default cannot be told from it")
	}
	old := pipeLeanRun
	pipeLeanRun = 8
	defer func() { pipeLeanRun = old }()
	n := 2*pipeLeanRun + 5
	from, creates, dir, clk := pipeFeed(t, n)
	var ids []string
	for _, c := range creates {
		for _, op := range c.Ops {
			if op.Kind == relief.KindDemand {
				ids = append(ids, op.ID)
			}
		}
	}
	if len(ids) != n {
		t.Fatalf("%d demands in the feed; want %d", len(ids), n)
	}
	for i, id := range ids { // the same demands again, in the same order
		op, err := relief.SetFields(relief.KindDemand, id, map[string]any{relief.FieldTitle: fmt.Sprintf("口罩，改 %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := from.ApplyLocal([]ledger.Op{op}); err != nil {
			t.Fatalf("ApplyLocal = %v", err)
		}
	}
	var all []*ledger.Change
	from.ChangesSince(nil, func(c *ledger.Change) error { all = append(all, c); return nil })
	updates := all[len(creates):]
	to, err := Open(dir, Options{Clock: clk.now, Lean: true})
	if err != nil {
		t.Fatal(err)
	}
	defer to.Close()
	if res, err := to.ApplyRemote(creates); err != nil || res.Applied != len(creates) {
		t.Fatalf("ApplyRemote(creates) = %+v, %v; want %d applied", res, err, len(creates))
	}
	if !to.absent.on() {
		t.Fatal("the absent filter is off after the first call: the test shows nothing")
	}
	before := piecesAhead.Load()
	if res, err := to.ApplyRemote(updates); err != nil || res.Applied != len(updates) {
		t.Fatalf("ApplyRemote(updates) = %+v, %v; want %d applied", res, err, len(updates))
	}
	if ahead := piecesAhead.Load() - before; ahead == 0 {
		t.Errorf("no piece of updates was prepared while Badger wrote the one before it")
	}
	hf, _ := from.StateHash()
	if ht, _ := to.StateHash(); ht != hf {
		t.Errorf("state %s; want the sender's %s", ht, hf)
	}
}
