package store

import (
	"errors"
	"flag"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// trio is three stores of one network: 0 created it (coordinator) and endorsed
// 1 (reviewer) and 2 (volunteer); all three hold the endorsements.
type trio struct {
	clk    *fakeClock
	stores [3]*Store
}

func newTrio(t tb, dir func() string) *trio {
	t.Helper()
	tr := &trio{clk: newClock()}
	for i := range tr.stores {
		s, err := Open(dir(), Options{InMemory: true, Clock: tr.clk.now})
		if err != nil {
			t.Fatalf("Open = %v", err)
		}
		tr.stores[i] = s
	}
	n, err := tr.stores[0].CreateNetwork("net", "coordinator")
	if err != nil {
		t.Fatalf("CreateNetwork = %v", err)
	}
	tr.stores[0].Endorse(tr.stores[1].Device(), relief.RoleReviewer, "reviewer")
	tr.stores[0].Endorse(tr.stores[2].Device(), relief.RoleVolunteer, "volunteer")
	for _, s := range tr.stores[1:] {
		s.JoinNetwork(n.ID)
	}
	tr.exchange(t)
	return tr
}

func (tr *trio) close() {
	for _, s := range tr.stores {
		s.Close()
	}
}

// exchange sends every store what each other store has and it lacks, twice
// over, so that changes relayed through a third store arrive too.
func (tr *trio) exchange(t tb) {
	t.Helper()
	for range 2 {
		for _, from := range tr.stores {
			for _, to := range tr.stores {
				if from == to {
					continue
				}
				var out []*ledger.Change
				from.ChangesSince(to.VersionVector(), func(c *ledger.Change) error { out = append(out, c); return nil })
				res, err := to.ApplyRemote(out)
				if err != nil || len(res.Rejected) != 0 || res.Applied+res.Duplicates != len(out) {
					t.Fatalf("ApplyRemote(%d changes, catch-up) = %+v, %v; want all applied", len(out), res, err)
				}
			}
		}
	}
}

// checkConverged checks that the three stores have the same state hash,
// version vector and demand views, and that each is consistent.
func (tr *trio) checkConverged(t tb) {
	t.Helper()
	h0, _ := tr.stores[0].StateHash()
	d0, _ := tr.stores[0].Demands(DemandQuery{})
	for i, s := range tr.stores {
		checkConsistent(t, s)
		if i == 0 {
			continue
		}
		if h, _ := s.StateHash(); h != h0 {
			t.Errorf("store %d StateHash = %s; want %s (store 0)", i, h, h0)
		}
		if vv := s.VersionVector(); !vv.Equal(tr.stores[0].VersionVector()) {
			t.Errorf("store %d VersionVector = %v; want %v", i, vv, tr.stores[0].VersionVector())
		}
		for _, m := range tr.stores {
			// What a revocation cut undid (ReplyUndone) is each store's
			// own news: what it had shown, or received in good faith.
			local := func(p relief.Pending) bool { return p.What == relief.ReplyUndone }
			want, _ := tr.stores[0].InboxOf(m.Device(), tr.clk.now(), 0)
			want = slices.DeleteFunc(want, local)
			got, err := s.InboxOf(m.Device(), tr.clk.now(), 0)
			if got = slices.DeleteFunc(got, local); err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("store %d InboxOf(%s) = %+v, %v; want store 0's %+v", i, m.Device().Short(), got, err, want)
			}
		}
		if d, _ := s.Demands(DemandQuery{}); !reflect.DeepEqual(d, d0) {
			t.Errorf("store %d Demands() differ from store 0's", i)
		}
		for _, d := range d0 {
			want, _ := tr.stores[0].Demand(d.ID)
			if got, err := s.Demand(d.ID); err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("store %d Demand(%s) = %+v, %v; want store 0's %+v", i, d.ID, got, err, want)
			}
		}
	}
}

func transition(t tb, s *Store, id string, a relief.Action) {
	t.Helper()
	var args relief.Args
	switch a {
	case relief.ActionDeliver:
		args.Received = []relief.Receipt{{Item: "N95", Qty: 5}}
	case relief.ActionReopen, relief.ActionWithdraw:
		args.Note = "why"
	}
	op, err := relief.Transition(relief.KindDemand, id, a, withEvidence(a, args))
	if err != nil {
		t.Fatalf("Transition(%s) = %v", a, err)
	}
	if _, err := s.ApplyLocal([]ledger.Op{op}); err != nil {
		t.Fatalf("ApplyLocal(%s) = %v", a, err)
	}
}

// TestConcurrentClaims: two members claim the same published demand while
// apart; once they meet, every store shows the same owner, and the other
// claim as a conflict.
func TestConcurrentClaims(t *testing.T) {
	for _, tc := range []struct {
		name   string
		first  int // the store whose claim is stamped first wins
		second int
	}{
		{"reviewer first", 1, 2},
		{"volunteer first", 2, 1},
		{"coordinator first", 0, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := newTrio(t, t.TempDir)
			defer tr.close()
			d, err := tr.stores[0].RecordDemand(sampleDemand("急需 N95"))
			if err != nil {
				t.Fatal(err)
			}
			transition(t, tr.stores[0], d.ID, relief.ActionApprove)
			transition(t, tr.stores[0], d.ID, relief.ActionPublish)
			tr.exchange(t)
			tr.clk.advance(time.Second)
			transition(t, tr.stores[tc.first], d.ID, relief.ActionClaim)
			tr.clk.advance(time.Second)
			transition(t, tr.stores[tc.second], d.ID, relief.ActionClaim)
			tr.exchange(t)
			tr.checkConverged(t)
			for i, s := range tr.stores {
				got, _ := s.Demand(d.ID)
				if got.Owner != tr.stores[tc.first].Device() {
					t.Errorf("store %d: owner = %s; want %s, the first claim", i, got.Owner.Short(), tr.stores[tc.first].Device().Short())
				}
				if len(got.Conflicts) != 1 || got.Conflicts[0].Action != relief.ActionClaim ||
					got.Conflicts[0].By != tr.stores[tc.second].Device() || got.Conflicts[0].Reason != relief.ReasonOwned ||
					got.Conflicts[0].Winner != tr.stores[tc.first].Device() {
					t.Errorf("store %d: conflicts = %v; want the second claim, lost to the first (owned)", i, got.Conflicts)
				}
			}
		})
	}
}

var demandActions = []relief.Action{
	relief.ActionApprove, relief.ActionReject, relief.ActionPublish, relief.ActionClaim,
	relief.ActionWithdraw, relief.ActionRelease, relief.ActionFulfil,
}

// TestConvergence is the store-level convergence property: three stores make
// random local operations (demands, pipeline transitions, concurrent claims,
// field edits and clears, tag adds and removes) and deliver their changes to
// each other in random subsets, orders and batches, with duplicates; after a
// full exchange repairs the drops, all three have the same state.
func TestConvergence(t *testing.T) {
	defer defaultChecks(25, 8)()
	rapid.Check(t, func(rt *rapid.T) {
		tr := newTrio(rt, t.TempDir)
		defer tr.close()
		steps := rapid.IntRange(1, 30).Draw(rt, "steps")
		for range steps {
			tr.clk.advance(time.Duration(rapid.IntRange(0, 1500).Draw(rt, "tick")) * time.Millisecond)
			i := rapid.IntRange(0, 2).Draw(rt, "store")
			s := tr.stores[i]
			ids := demandIDs(rt, s)
			what := rapid.IntRange(0, 10).Draw(rt, "what")
			if len(ids) == 0 && (what < 8 || what == 10) {
				what = 8
			}
			switch what {
			case 0, 1, 2: // a transition
				id := rapid.SampledFrom(ids).Draw(rt, "demand")
				// deliveries and reopens too: a delivery against a withdrawal is kept on every store
				transition(rt, s, id, rapid.SampledFrom(append(slices.Clone(demandActions), relief.ActionDeliver, relief.ActionReopen)).Draw(rt, "action"))
			case 3: // a concurrent claim: this store and another claim before meeting
				id := rapid.SampledFrom(ids).Draw(rt, "demand")
				transition(rt, s, id, relief.ActionClaim)
				other := tr.stores[(i+1+rapid.IntRange(0, 1).Draw(rt, "other"))%3]
				if slicesContains(demandIDs(rt, other), id) {
					transition(rt, other, id, relief.ActionClaim)
				}
			case 4, 5: // field edits and clears
				id := rapid.SampledFrom(ids).Draw(rt, "demand")
				fields := map[string]any{}
				switch rapid.IntRange(0, 2).Draw(rt, "field") {
				case 0:
					fields[relief.FieldTitle] = rapid.SampledFrom([]string{"急需口罩", "需要防护服", "water"}).Draw(rt, "title")
				case 1:
					fields[relief.FieldDistrict] = rapid.SampledFrom([]string{"江汉区", "武昌区"}).Draw(rt, "district")
				case 2:
					fields[relief.FieldDistrict] = nil
				}
				applyOps(rt, s, must2(rt)(relief.SetFields(relief.KindDemand, id, fields)))
			case 6: // tag add
				id := rapid.SampledFrom(ids).Draw(rt, "demand")
				applyOps(rt, s, must2(rt)(relief.Add(relief.KindDemand, id, relief.SetTags, rapid.SampledFrom([]string{"urgent", "医院"}).Draw(rt, "tag"))))
			case 7: // tag remove, of the adds this store has seen
				id := rapid.SampledFrom(ids).Draw(rt, "demand")
				if op, err := relief.Remove(record(rt, s, relief.KindDemand, id), relief.SetTags, "urgent", "医院"); err == nil {
					applyOps(rt, s, op)
				}
			case 8: // a new demand
				if _, err := s.RecordDemand(sampleDemand(fmt.Sprintf("demand %d", rapid.IntRange(0, 99).Draw(rt, "n")))); err != nil {
					rt.Fatalf("RecordDemand = %v", err)
				}
			case 9: // delivery to another store
				to := tr.stores[(i+1+rapid.IntRange(0, 1).Draw(rt, "to"))%3]
				deliver(rt, s, to)
			case 10: // ownership: follow-ups, transfer requests and their answers, re-checks
				id := rapid.SampledFrom(ids).Draw(rt, "demand")
				ownershipStep(rt, tr, s, id)
			}
		}
		tr.exchange(rt)
		tr.checkConverged(rt)
	})
}

// deliver sends a random part of from's changes to to: a random subset, in a
// random order, with some duplicated, split into random batches.
func deliver(rt *rapid.T, from, to *Store) {
	deliverAllowing(rt, from, to, ledger.ReasonGap)
}

// deliverAllowing is deliver, where changes may be refused for the reasons
// allowed only.
func deliverAllowing(rt *rapid.T, from, to *Store, allowed ...ledger.Reason) {
	var changes []*ledger.Change
	from.ChangesSince(nil, func(c *ledger.Change) error { changes = append(changes, c); return nil })
	keep := rapid.SliceOfN(rapid.Bool(), len(changes), len(changes)).Draw(rt, "keep")
	var sent []*ledger.Change
	for i, c := range changes {
		if keep[i] {
			sent = append(sent, c)
		}
	}
	if len(sent) > 0 {
		dups := rapid.IntRange(0, 3).Draw(rt, "dups")
		for range dups {
			sent = append(sent, rapid.SampledFrom(sent).Draw(rt, "dup"))
		}
	}
	sent = rapid.Permutation(sent).Draw(rt, "order")
	for len(sent) > 0 {
		n := rapid.IntRange(1, len(sent)).Draw(rt, "batch")
		res, err := to.ApplyRemote(sent[:n])
		if err != nil {
			rt.Fatalf("ApplyRemote = %v", err)
		}
		for r := range res.Rejected {
			if !slices.Contains(allowed, r) {
				rt.Fatalf("ApplyRemote = %+v; want only %v rejected", res, allowed)
			}
		}
		sent = sent[n:]
	}
}

func demandIDs(t tb, s *Store) []string {
	ds, err := s.Demands(DemandQuery{})
	if err != nil {
		t.Fatalf("Demands = %v", err)
	}
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	return ids
}

func applyOps(t tb, s *Store, ops ...ledger.Op) {
	t.Helper()
	if _, err := s.ApplyLocal(ops); err != nil {
		t.Fatalf("ApplyLocal = %v", err)
	}
}

func record(t tb, s *Store, kind, id string) *relief.Record {
	t.Helper()
	var rec *relief.Record
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		rec, err = s.loadRecord(txn, kind, id)
		return err
	})
	if err != nil {
		t.Fatalf("record %s/%s: %v", kind, id, err)
	}
	return rec
}

func must2(t tb) func(ledger.Op, error) ledger.Op {
	return func(op ledger.Op, err error) ledger.Op {
		t.Helper()
		if err != nil {
			t.Fatalf("op: %v", err)
		}
		return op
	}
}

func slicesContains(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func flagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// defaultChecks sets how many cases a rapid property test draws when
// -rapid.checks is not given: full, or short under -short (0: full too).
// The returned func puts the flag back; defer it.
func defaultChecks(full, short int) (restore func()) {
	f := flag.Lookup("rapid.checks")
	if f == nil || flagSet("rapid.checks") {
		return func() {}
	}
	n := full
	if testing.Short() && short > 0 {
		n = short
	}
	f.Value.Set(strconv.Itoa(n))
	return func() { f.Value.Set(f.DefValue) }
}

// ownershipStep has s's member take a random ownership action on demand id
// (the clock moves minutes, so that transfer requests come due); a step the
// store refuses (its author's role) is fine.
func ownershipStep(rt *rapid.T, tr *trio, s *Store, id string) {
	tr.clk.advance(time.Duration(rapid.IntRange(0, 3).Draw(rt, "minutes")) * time.Minute)
	args := relief.Args{Note: "n"}
	a := rapid.SampledFrom([]relief.Action{relief.ActionFollowUp, relief.ActionRequestTransfer, relief.ActionAcceptTransfer,
		relief.ActionDeclineTransfer, relief.ActionTakeOver, relief.ActionRecheck}).Draw(rt, "ownership")
	switch a {
	case relief.ActionRequestTransfer:
		args.Until = tr.clk.now().Add(time.Duration(rapid.IntRange(1, 4).Draw(rt, "window")) * time.Minute).UnixMilli()
	case relief.ActionAcceptTransfer, relief.ActionDeclineTransfer:
		args.To = tr.stores[rapid.IntRange(0, 2).Draw(rt, "requester")].Device()
	case relief.ActionRecheck:
		args.Outcome = rapid.SampledFrom(relief.Outcomes).Draw(rt, "outcome")
	}
	op, err := relief.Transition(relief.KindDemand, id, a, args)
	if err != nil {
		rt.Fatalf("Transition(%s) = %v", a, err)
	}
	if _, err := s.ApplyLocal([]ledger.Op{op}); err != nil {
		var rej *ledger.RejectError
		if !errors.As(err, &rej) {
			rt.Fatalf("ApplyLocal(%s) = %v", a, err)
		}
	}
}
