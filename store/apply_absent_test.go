package store

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"testing"

	badger "github.com/dgraph-io/badger/v4"
	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestAbsentFilterGivesTheSameStore: two stores fed the same random work of
// three peers in the same batches — demands and their steps, tasks, offers,
// promotions, revocations and their cuts, a forked change and a malformed
// one — one skipping the read of the records it knows are absent
// (apply_absent.go), the other reading every record, hold byte for byte the
// same records, the same state hash, version vector, forks, refusal counts,
// demand counts and demand list after every round.
func TestAbsentFilterGivesTheSameStore(t *testing.T) {
	defer defaultChecks(30, 8)()
	var skipped int64
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
		bulk, plain := open(), open()
		defer bulk.Close()
		defer plain.Close()
		plain.absent.disabled = true
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
			feedBoth(rt, tr, bulk, plain)
			for _, s := range []*Store{bulk, plain} {
				if _, err := s.ApplyRemote(extra); err != nil {
					rt.Fatalf("ApplyRemote(fork, malformed) = %v", err)
				}
			}
			sameStores(rt, round, bulk, plain)
		}
		skipped += bulk.absent.skipped
		if plain.absent.skipped != 0 {
			rt.Fatalf("the store without the filter skipped %d reads", plain.absent.skipped)
		}
	})
	if skipped == 0 {
		t.Fatalf("the filter skipped no read in any run: the property compared nothing")
	}
}

// forkOf returns a change signed by s's device at the seq of its head that
// is not the change s holds there: the other side of a fork.
func forkOf(rt *rapid.T, s *Store, clk *fakeClock) *ledger.Change {
	head := s.heads[s.device]
	var prev ledger.Head
	if head.Seq > 1 {
		c, err := s.change(s.device, head.Seq-1)
		if err != nil {
			rt.Fatalf("change(%d) = %v", head.Seq-1, err)
		}
		prev = ledger.Head{Seq: c.Seq, ID: c.ID()}
	}
	return signAfter(rt, s, clk, prev, sampleDemandOp(rt, "分叉"))
}

// malformedAfter returns a change signed by s's device after its head whose
// op relief refuses (a demand's field of the wrong type). s's next change
// of its own takes the same seq.
func malformedAfter(rt *rapid.T, s *Store, clk *fakeClock) *ledger.Change {
	op := ledger.Op{Kind: relief.KindDemand, ID: NewID(), Type: relief.OpSet, Body: []byte{0x01}}
	return signAfter(rt, s, clk, s.heads[s.device], op)
}

func sampleDemandOp(rt *rapid.T, title string) ledger.Op {
	op, err := relief.SetFields(relief.KindDemand, NewID(), map[string]any{relief.FieldTitle: title, relief.FieldCategory: "other"})
	if err != nil {
		rt.Fatalf("SetFields = %v", err)
	}
	return op
}

func signAfter(rt *rapid.T, s *Store, clk *fakeClock, after ledger.Head, op ledger.Op) *ledger.Change {
	net, _ := s.Network()
	a, err := ledger.NewAuthor(s.key, net.ID, after, ledger.NewHLC(clk.now, ledger.DefaultMaxDrift))
	if err != nil {
		rt.Fatalf("NewAuthor = %v", err)
	}
	c, err := a.Next([]ledger.Op{op})
	if err != nil {
		rt.Fatalf("Next = %v", err)
	}
	return c
}

// sameStores fails unless a and b hold the same records (byte for byte),
// state hash, version vector, forks, refusal counts and demands.
func sameStores(rt *rapid.T, round int, a, b *Store) {
	if got, want := recordBytes(rt, a), recordBytes(rt, b); got != want {
		rt.Fatalf("round %d: records differ:\n%s\nwant (every record read)\n%s", round, got, want)
	}
	ha, _ := a.StateHash()
	hb, _ := b.StateHash()
	if ha != hb || !a.VersionVector().Equal(b.VersionVector()) {
		rt.Fatalf("round %d: state %s %v; want %s %v", round, ha, a.VersionVector(), hb, b.VersionVector())
	}
	for what, pair := range map[string][2]any{
		"forks":    {a.Forks(), b.Forks()},
		"refused":  {a.Rejected(), b.Rejected()},
		"counts":   {a.DemandCounts(), b.DemandCounts()},
		"demands":  {demandsOf(rt, a), demandsOf(rt, b)},
		"offers":   {a.OfferCount(), b.OfferCount()},
		"held":     {len(a.held), len(b.held)},
		"refusals": {len(a.rejected), len(b.rejected)},
	} {
		if got, want := textOf(rt, pair[0]), textOf(rt, pair[1]); got != want {
			rt.Fatalf("round %d: %s %s; want %s", round, what, got, want)
		}
	}
}

// textOf is v as JSON, or printed by fmt (maps in key order) when its
// keys are not strings.
func textOf(rt *rapid.T, v any) string {
	switch v.(type) {
	case map[ledger.DeviceID]uint64, map[ledger.Reason]uint64:
		return fmt.Sprint(v)
	}
	return jsonOf(rt, v)
}

func demandsOf(rt *rapid.T, s *Store) []relief.Demand {
	d, err := s.Demands(DemandQuery{})
	if err != nil {
		rt.Fatalf("Demands = %v", err)
	}
	return d
}

// recordBytes lists every record key of s with its stored bytes.
func recordBytes(rt *rapid.T, s *Store) string {
	var out bytes.Buffer
	err := s.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix = []byte{tRecord}
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			out.WriteString(string(it.Item().Key()[1:]) + " " + fmt.Sprintf("%x", v) + "\n")
		}
		return nil
	})
	if err != nil {
		rt.Fatalf("read records: %v", err)
	}
	return out.String()
}

// TestAbsentFilterReadsRecordsWrittenElsewhere: once anything but the apply
// path writes to Badger (here a record written directly, as a cut's or a
// check's rebuild does), the store reads every record again: an edit of
// that record keeps what it held. Without the check of Badger's commit
// timestamps the filter would call the record absent and the edit would
// start from an empty one — the title lost, silently.
func TestAbsentFilterReadsRecordsWrittenElsewhere(t *testing.T) {
	clk := newClock()
	s := openStore(t, t.TempDir(), clk)
	n, _ := s.CreateNetwork("net", "coordinator")
	p := newPeer(t, n.ID, clk.now)
	s.Endorse(p.id, relief.RoleCoordinator, "p")
	if res, err := s.ApplyRemote([]*ledger.Change{p.demand(t, "one")}); err != nil || res.Applied != 1 {
		t.Fatalf("ApplyRemote(demand) = %+v, %v", res, err)
	}
	if s.absent.state != absentOn || s.absent.skipped == 0 {
		t.Fatalf("filter state %d, %d reads skipped; want on, and the new demand's read skipped", s.absent.state, s.absent.skipped)
	}
	// a record written outside the apply path
	id := NewID()
	title, err := relief.SetFields(relief.KindDemand, id, map[string]any{relief.FieldTitle: "写在别处", relief.FieldCategory: "other"})
	if err != nil {
		t.Fatal(err)
	}
	rec := &relief.Record{Kind: relief.KindDemand, ID: id}
	if err := relief.ApplyOp(rec, relief.Meta{Stamp: s.clock.Now(), Device: s.device, Seq: 99}, title); err != nil {
		t.Fatal(err)
	}
	b, err := relief.EncodeRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(recordKey(relief.KindDemand, id), b) }); err != nil {
		t.Fatal(err)
	}
	edit, err := relief.SetFields(relief.KindDemand, id, map[string]any{relief.FieldDescription: "补充说明"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.author.Next([]ledger.Op{edit})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := s.ApplyRemote([]*ledger.Change{c}); err != nil || res.Applied != 1 {
		t.Fatalf("ApplyRemote(edit) = %+v, %v", res, err)
	}
	got, err := s.Demand(id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "写在别处" || got.Description != "补充说明" {
		t.Errorf("demand after an edit of a record written elsewhere: title %q, description %q; want both kept", got.Title, got.Description)
	}
	if s.absent.state != absentOff {
		t.Errorf("filter state %d after a write outside the apply path; want off", s.absent.state)
	}
}

// TestAbsentFilterOffForAStoreWithRecords: a store that holds records when it
// first applies a change (reopened) reads every record.
func TestAbsentFilterOffForAStoreWithRecords(t *testing.T) {
	clk := newClock()
	dir := t.TempDir()
	s, err := Open(dir, Options{Clock: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	n, _ := s.CreateNetwork("net", "coordinator")
	p := newPeer(t, n.ID, clk.now)
	s.Endorse(p.id, relief.RoleCoordinator, "p")
	s.Close()
	s = openStore(t, dir, clk)
	if res, err := s.ApplyRemote([]*ledger.Change{p.demand(t, "one")}); err != nil || res.Applied != 1 {
		t.Fatalf("ApplyRemote(demand) = %+v, %v", res, err)
	}
	if s.absent.state != absentOff || s.absent.skipped != 0 {
		t.Errorf("filter state %d, %d reads skipped on a reopened store; want off, none", s.absent.state, s.absent.skipped)
	}
}

// TestBloomLayersAnswerForEveryKeyAdded: every key added is reported
// present, across the growth of the layers, and most keys never added are
// reported absent.
func TestBloomLayersAnswerForEveryKeyAdded(t *testing.T) {
	a := absentKeys{state: absentOn, seed: maphash.MakeSeed()}
	a.layers = []bloomLayer{{bits: make([]uint64, bloomFirstBits/64)}}
	const n = 100_000
	key := func(i int) string { return string(recordKey(relief.KindDemand, "d"+string(rune('a'+i%26))+itoa(i))) }
	for i := range n {
		a.add(key(i))
	}
	if len(a.layers) < 2 {
		t.Fatalf("%d layers after %d keys; want the filter grown", len(a.layers), n)
	}
	for i := range n {
		if a.absent(key(i)) {
			t.Fatalf("key %d added, reported absent", i)
		}
	}
	absent := 0
	for i := n; i < 2*n; i++ {
		if a.absent(key(i)) {
			absent++
		}
	}
	if absent < n*95/100 {
		t.Errorf("%d of %d keys never added reported absent; want ≥ 95 %%", absent, n)
	}
}

func itoa(i int) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + i%10)}, b...)
		if i /= 10; i == 0 {
			return string(b)
		}
	}
}

// TestAbsentFilterStaysOnThroughSettings: settings written between runs (a
// peer's acknowledgement, the open-time check's date: SetSetting) are
// known writes that hold no record, and leave the filter on; each run's
// new records are still not read.
func TestAbsentFilterStaysOnThroughSettings(t *testing.T) {
	clk := newClock()
	s := openStore(t, t.TempDir(), clk)
	n, _ := s.CreateNetwork("net", "coordinator")
	p := newPeer(t, n.ID, clk.now)
	s.Endorse(p.id, relief.RoleCoordinator, "p")
	for i := range 3 {
		if err := s.SetSetting("test.between-runs", itoa(i)); err != nil {
			t.Fatal(err)
		}
		before := s.absent.skipped
		if res, err := s.ApplyRemote([]*ledger.Change{p.demand(t, "one"), p.demand(t, "two")}); err != nil || res.Applied != 2 {
			t.Fatalf("ApplyRemote(run %d) = %+v, %v", i, res, err)
		}
		if s.absent.state != absentOn || s.absent.skipped != before+2 {
			t.Fatalf("run %d after a setting: filter state %d, %d reads skipped; want on, 2 more than %d", i, s.absent.state, s.absent.skipped, before)
		}
	}
	if v, ok := s.Setting("test.between-runs"); !ok || v != "2" {
		t.Errorf("Setting = %q, %v; want the last one written", v, ok)
	}
}
