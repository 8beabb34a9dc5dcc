package store

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestListCountsPointsMatchFold is the property of the maintained views: three stores
// make random operations (demands with random urgencies, pipeline steps,
// handovers, tasks and their answers), random roster changes (promotions,
// revocations that cut feeds, endorsements) and random changes of the
// reply-by windows, and deliver random parts of their changes to each other
// in random orders and batches. After every step, each store's demand list
// (every combination of filters and sorts), counts and leaderboard equal a
// brute-force fold of the same store's records.
func TestListCountsPointsMatchFold(t *testing.T) {
	defer defaultChecks(30, 8)()
	urgencies := []relief.Urgency{relief.UrgencyLow, relief.UrgencyNormal, relief.UrgencyHigh, relief.UrgencyCritical}
	actions := append(slices.Clone(demandActions), relief.ActionReopen, relief.ActionMarkDuplicate, relief.ActionHandover)
	roles := []relief.Role{relief.RoleCoordinator, relief.RoleReviewer, relief.RoleVolunteer, relief.RoleObserver}
	rapid.Check(t, func(rt *rapid.T) {
		tr := newTrio(rt, t.TempDir)
		defer tr.close()
		net, _ := tr.stores[0].Network()
		try := func(s *Store, ops ...ledger.Op) {
			s.ApplyLocal(ops) // refused steps (a revoked author, a role) are part of the property
		}
		pick := func(s *Store, kind string) (string, bool) {
			recs, err := s.records(kind)
			if err != nil {
				rt.Fatalf("records(%s) = %v", kind, err)
			}
			if len(recs) == 0 {
				return "", false
			}
			return rapid.SampledFrom(recs).Draw(rt, kind).ID, true
		}
		for step := range rapid.IntRange(1, 60).Draw(rt, "steps") {
			tr.clk.advance(time.Duration(rapid.IntRange(0, 90).Draw(rt, "minutes")) * time.Minute)
			i := rapid.IntRange(0, 2).Draw(rt, "store")
			what := rapid.IntRange(0, 13).Draw(rt, "what")
			if what >= 7 && what <= 9 && rapid.IntRange(0, 3).Draw(rt, "byCoordinator") > 0 {
				i = 0 // roster changes and deadlines are the coordinators'
			}
			s := tr.stores[i]
			switch what {
			case 0, 1: // a new demand
				id := NewID()
				try(s, must2(rt)(relief.SetFields(relief.KindDemand, id, map[string]any{
					relief.FieldTitle:    rapid.SampledFrom([]string{"协和医院急需口罩", "需要防护服", "water"}).Draw(rt, "title"),
					relief.FieldCategory: "medical", relief.FieldUrgency: rapid.SampledFrom(urgencies).Draw(rt, "urgency"),
				})))
			case 2, 3, 4: // a pipeline step
				if id, ok := pick(s, relief.KindDemand); ok {
					a := rapid.SampledFrom(actions).Draw(rt, "action")
					var args relief.Args
					switch a {
					case relief.ActionHandover:
						args.To = tr.stores[rapid.IntRange(0, 2).Draw(rt, "to")].Device()
					case relief.ActionMarkDuplicate:
						args.DuplicateOf = NewID()
					case relief.ActionReopen:
						args.Note = "not delivered"
					}
					try(s, must2(rt)(relief.Transition(relief.KindDemand, id, a, args)))
				}
			case 5: // an edit of the urgency
				if id, ok := pick(s, relief.KindDemand); ok {
					try(s, must2(rt)(relief.SetFields(relief.KindDemand, id, map[string]any{relief.FieldUrgency: rapid.SampledFrom(urgencies).Draw(rt, "urgency")})))
				}
			case 6: // a task offered to a member, or its answer
				if id, ok := pick(s, relief.KindDemand); ok && rapid.Bool().Draw(rt, "newTask") {
					try(s, must2(rt)(relief.SetFields(relief.KindTask, NewID(), map[string]any{
						relief.FieldDemand: id, relief.FieldOfferedTo: tr.stores[rapid.IntRange(0, 2).Draw(rt, "offeredTo")].Device(),
					})))
				} else if id, ok := pick(s, relief.KindTask); ok {
					a := rapid.SampledFrom([]relief.Action{relief.ActionAccept, relief.ActionDecline, relief.ActionComplete}).Draw(rt, "taskAction")
					try(s, must2(rt)(relief.Transition(relief.KindTask, id, a, relief.Args{})))
				}
			case 7: // a promotion (coordinators only: others' are refused)
				to := tr.stores[rapid.IntRange(1, 2).Draw(rt, "promoted")].Device()
				try(s, must2(rt)(relief.Promote(to, rapid.SampledFrom(roles).Draw(rt, "role"))))
			case 8: // a revocation, possibly cutting changes some stores already hold
				if rapid.IntRange(0, 2).Draw(rt, "revoke") == 0 {
					victim := tr.stores[rapid.IntRange(1, 2).Draw(rt, "victim")].Device()
					after := uint64(rapid.IntRange(0, int(s.VersionVector().Get(victim))).Draw(rt, "after"))
					try(s, must2(rt)(relief.Revoke(victim, after, "")))
				}
			case 9: // new reply-by windows
				dl := relief.Deadlines{
					Review: time.Duration(rapid.IntRange(1, 4).Draw(rt, "review")) * time.Hour,
					Claim:  time.Duration(rapid.IntRange(1, 8).Draw(rt, "claim")) * time.Hour,
				}
				try(s, must2(rt)(relief.SetDeadlines(net.ID, dl)))
			case 12: // every store sends everything to every other
				for _, from := range tr.stores {
					for _, to := range tr.stores {
						if from != to {
							var all []*ledger.Change
							from.ChangesSince(to.VersionVector(), func(c *ledger.Change) error { all = append(all, c); return nil })
							if _, err := to.ApplyRemote(all); err != nil {
								rt.Fatalf("ApplyRemote = %v", err)
							}
						}
					}
				}
			default: // delivery to another store
				to := tr.stores[(i+1+rapid.IntRange(0, 1).Draw(rt, "to"))%3]
				deliverAnyList(rt, s, to)
			}
			checkList(rt, fmt.Sprintf("step %d, store %d", step, i), s, urgencies)
		}
		for i, s := range tr.stores {
			checkList(rt, fmt.Sprintf("end, store %d", i), s, urgencies)
		}
	})
}

// deliverAny sends a random part of from's changes to to in a random order
// and random batches; to may refuse some (revoked authors, gaps).
func deliverAnyList(rt *rapid.T, from, to *Store) {
	var changes []*ledger.Change
	from.ChangesSince(nil, func(c *ledger.Change) error { changes = append(changes, c); return nil })
	keep := rapid.SliceOfN(rapid.Bool(), len(changes), len(changes)).Draw(rt, "keep")
	var sent []*ledger.Change
	for i, c := range changes {
		if keep[i] || len(changes) < 4 {
			sent = append(sent, c)
		}
	}
	sent = rapid.Permutation(sent).Draw(rt, "order")
	for len(sent) > 0 {
		n := rapid.IntRange(1, len(sent)).Draw(rt, "batch")
		if _, err := to.ApplyRemote(sent[:n]); err != nil {
			rt.Fatalf("ApplyRemote = %v", err)
		}
		sent = sent[n:]
	}
}

// checkViews compares the maintained views of s with a brute-force fold of
// its records: DemandsPage for every combination of filters and sorts (and
// pages), DemandCounts, Leaderboard, Standings and PointsOf.
func checkList(rt *rapid.T, where string, s *Store, urgencies []relief.Urgency) {
	full, err := s.FullDemands()
	if err != nil {
		rt.Fatalf("%s: FullDemands = %v", where, err)
	}
	tasks, err := s.Tasks()
	if err != nil {
		rt.Fatalf("%s: Tasks = %v", where, err)
	}
	dl := s.Deadlines()
	now := s.Now()
	ref := map[string]*demandRow{}
	views := map[string]relief.Demand{}
	counts := map[relief.Status]int{}
	for _, d := range full {
		ref[d.ID] = newDemandRow(d)
		views[d.ID] = listView(d)
		counts[d.Status]++
	}
	if got := s.DemandCounts(); !maps.Equal(got, counts) {
		rt.Fatalf("%s: DemandCounts() = %v; want %v", where, got, counts)
	}
	var owners, codes []string
	for _, r := range ref {
		if r.owner != "" {
			owners = append(owners, r.owner)
		}
		codes = append(codes, r.code)
	}
	slices.Sort(owners)
	slices.Sort(codes)
	var qs []DemandQuery
	for _, sort := range []DemandSort{SortNewest, SortUrgency, SortReplyBy} {
		for _, overdue := range []bool{false, true} {
			for _, u := range append([]relief.Urgency{""}, urgencies...) {
				for _, st := range []relief.Status{"", relief.StatusCollected, relief.StatusApproved, relief.StatusPublished, relief.StatusFulfilled} {
					qs = append(qs, DemandQuery{Sort: sort, Overdue: overdue, Urgency: u, Status: st})
				}
			}
			qs = append(qs, DemandQuery{Sort: sort, Overdue: overdue, Text: "口罩"}, DemandQuery{Sort: sort, Overdue: overdue, Text: "协和医院急"},
				DemandQuery{Sort: sort, Overdue: overdue, Text: "w"}, DemandQuery{Sort: sort, Offset: 1, Limit: 2})
			if len(owners) > 0 {
				qs = append(qs, DemandQuery{Sort: sort, Overdue: overdue, Owner: owners[0]})
			}
			if len(codes) > 0 {
				qs = append(qs, DemandQuery{Sort: sort, Overdue: overdue, Code: codes[len(codes)/2]})
			}
		}
	}
	for _, q := range qs {
		q.Now = now
		page, total, err := s.DemandsPage(q)
		if err != nil {
			rt.Fatalf("%s: DemandsPage(%+v) = %v", where, q, err)
		}
		var got []string
		for _, d := range page {
			got = append(got, d.ID)
			if !reflect.DeepEqual(d, views[d.ID]) {
				rt.Fatalf("%s: DemandsPage(%+v) has %s = %+v; want the fold's %+v", where, q, d.ID, d, views[d.ID])
			}
		}
		want, wantTotal := bruteQuery(ref, q, dl, now)
		if !slices.Equal(got, want) || total != wantTotal {
			rt.Fatalf("%s: DemandsPage(%+v) = %v, %d; want %v, %d", where, q, got, total, want, wantTotal)
		}
	}
	lb, err := s.Leaderboard()
	wantLB := relief.Points(full, tasks, dl)
	if err != nil || len(lb.Standings)+len(wantLB.Standings) > 0 && !reflect.DeepEqual(lb, wantLB) {
		rt.Fatalf("%s: Leaderboard() = %+v, %v; want %+v", where, lb, err, wantLB)
	}
	st := s.Standings()
	for i, w := range wantLB.Standings {
		if st[i].Member != w.Member || st[i].Points != w.Points || st[i].Rank != w.Rank || st[i].History != nil {
			rt.Fatalf("%s: Standings()[%d] = %+v; want %+v without history", where, i, st[i], w)
		}
		if p, ok := s.PointsOf(w.Member); !ok || p.Points != w.Points || !reflect.DeepEqual(p.History, w.History) {
			rt.Fatalf("%s: PointsOf(%s) = %+v, %v; want %+v", where, w.Member.Short(), p, ok, w)
		}
	}
	if len(st) != len(wantLB.Standings) {
		rt.Fatalf("%s: Standings() has %d members; want %d", where, len(st), len(wantLB.Standings))
	}
}

// TestRosterChangeRederives: a reviewer approves a demand on their laptop;
// then a demotion to observer arrives, made earlier (in the fold order) than
// the approval. The approval no longer applies (the reviewer was an observer
// at its position) and the demand list, counts and points say so; a demand
// the reviewer never touched keeps its row as it was.
func TestRosterChangeRederives(t *testing.T) {
	tr := newTrio(t, t.TempDir)
	defer tr.close()
	coord, rev := tr.stores[0], tr.stores[1]
	mine, err := coord.RecordDemand(sampleDemand("协和医院"))
	if err != nil {
		t.Fatal(err)
	}
	other, err := coord.RecordDemand(sampleDemand("同济医院"))
	if err != nil {
		t.Fatal(err)
	}
	tr.exchange(t)
	tr.clk.advance(time.Minute)
	applyOps(t, coord, must2(t)(relief.Promote(rev.Device(), relief.RoleObserver))) // not yet seen by rev
	tr.clk.advance(time.Minute)
	transition(t, rev, mine.ID, relief.ActionApprove)
	status := func(id string) relief.Status {
		ds := rev.DemandsByID([]string{id})
		if len(ds) != 1 {
			t.Fatalf("DemandsByID(%s) = %d demands; want 1", id, len(ds))
		}
		return ds[0].Status
	}
	if got := status(mine.ID); got != relief.StatusApproved {
		t.Fatalf("status after approve = %s; want approved", got)
	}
	if p, ok := rev.PointsOf(rev.Device()); !ok || p.Points == 0 {
		t.Fatalf("PointsOf(reviewer) = %+v, %v; want review points", p, ok)
	}
	rev.idx.mu.RLock()
	untouched, _ := rev.idx.t.row(other.ID)
	rev.idx.mu.RUnlock()

	tr.exchange(t) // the demotion reaches the reviewer's laptop
	if got := status(mine.ID); got != relief.StatusCollected {
		t.Errorf("status after the reviewer became an observer = %s; want collected", got)
	}
	if n := rev.DemandCounts()[relief.StatusApproved]; n != 0 {
		t.Errorf("DemandCounts()[approved] = %d; want 0", n)
	}
	if p, ok := rev.PointsOf(rev.Device()); ok {
		t.Errorf("PointsOf(observer) = %+v; want none (the review no longer applies)", p)
	}
	rev.idx.mu.RLock()
	sameRow, _ := rev.idx.t.row(other.ID)
	same := sameRow == untouched
	rev.idx.mu.RUnlock()
	if !same {
		t.Errorf("the row of a demand the demoted member never touched was re-derived; want it kept")
	}
}

// TestCutRederivesConcernedMembers: a coordinator demotes a reviewer (before
// the reviewer's approval, in the fold order), then is revoked before that
// step; the cut undoes the demotion, so the
// reviewer's approval, which the cut itself does not touch, applies again.
func TestCutRederivesConcernedMembers(t *testing.T) {
	clk := newClock()
	coord := openStore(t, t.TempDir(), clk)
	n, err := coord.CreateNetwork("net", "coordinator")
	if err != nil {
		t.Fatal(err)
	}
	op := must[ledger.Op](t)
	p := newPeer(t, n.ID, clk.now)
	r := newPeer(t, n.ID, clk.now)
	if err := coord.Endorse(p.id, relief.RoleCoordinator, "p"); err != nil {
		t.Fatal(err)
	}
	if err := coord.Endorse(r.id, relief.RoleReviewer, "r"); err != nil {
		t.Fatal(err)
	}
	d := must[relief.Demand](t)(coord.RecordDemand(sampleDemand("协和医院")))
	clk.advance(time.Minute)
	apply := func(cs ...*ledger.Change) {
		t.Helper()
		if res, err := coord.ApplyRemote(cs); err != nil || res.Applied != len(cs) {
			t.Fatalf("ApplyRemote = %+v, %v; want %d applied", res, err, len(cs))
		}
	}
	// p's demotion of r comes before r's approval in the fold order, and
	// reaches the coordinator after it
	p1, p2, demotion := p.demand(t, "p1"), p.demand(t, "p2"), p.ops(t, op(relief.Promote(r.id, relief.RoleObserver)))
	clk.advance(time.Minute)
	apply(r.ops(t, op(relief.Transition(relief.KindDemand, d.ID, relief.ActionApprove, withEvidence(relief.ActionApprove, relief.Args{})))))
	apply(p1, p2, demotion)
	status := func() relief.Status {
		t.Helper()
		ds := coord.DemandsByID([]string{d.ID})
		if len(ds) != 1 {
			t.Fatalf("DemandsByID(%s) = %d demands; want 1", d.ID, len(ds))
		}
		return ds[0].Status
	}
	if got := status(); got != relief.StatusCollected {
		t.Fatalf("status after the demotion = %s; want collected", got)
	}
	clk.advance(time.Minute)
	applyOps(t, coord, op(relief.Revoke(p.id, 2, "lost laptop"))) // cuts p's seq 3, the demotion
	if got := status(); got != relief.StatusApproved {
		t.Errorf("status after the cut = %s; want approved (the demotion was undone)", got)
	}
	if got, ok := coord.PointsOf(r.id); !ok || got.Points == 0 {
		t.Errorf("PointsOf(reviewer) after the cut = %+v, %v; want the review's points", got, ok)
	}
}
