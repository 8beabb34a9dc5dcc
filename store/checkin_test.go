package store

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// withEvidence gives an approve without evidence or reason a call-back as
// its evidence, as the desk asks of every approval (relief.ApproveNeeds).
func withEvidence(a relief.Action, args relief.Args) relief.Args {
	if a == relief.ActionApprove && relief.ApproveNeeds(args) != "" {
		args.Evidence = &relief.Evidence{Kind: relief.EvidenceCallback, At: 1}
	}
	return args
}

func applyOp(t *testing.T, s *Store, op ledger.Op) {
	t.Helper()
	if _, err := s.ApplyLocal([]ledger.Op{op}); err != nil {
		t.Fatalf("ApplyLocal(%s %s/%s) = %v", op.Type, op.Kind, op.ID, err)
	}
}

// TestMissedCheckoutOnEveryPeer: the reviewer (store 1) owns a demand; a field
// task on it, planned back in 3 h, goes to the volunteer (store 2), who
// accepts and checks in. Past the planned return with no check-out, every
// store lists the missed check-out in the coordinator's and the demand
// owner's inboxes (and the volunteer's), computed from the same changes;
// once the coordinator records the volunteer's call, it is gone everywhere.
func TestMissedCheckoutOnEveryPeer(t *testing.T) {
	tr := newTrio(t, t.TempDir)
	defer tr.close()
	coord, owner, vol := tr.stores[0].Device(), tr.stores[1].Device(), tr.stores[2].Device()
	d, err := tr.stores[0].RecordDemand(sampleDemand("insulin to Qingshan"))
	if err != nil {
		t.Fatalf("RecordDemand = %v", err)
	}
	act(t, tr.stores[0], d.ID, relief.ActionApprove, relief.Args{})
	act(t, tr.stores[0], d.ID, relief.ActionPublish, relief.Args{})
	tr.exchange(t)
	act(t, tr.stores[1], d.ID, relief.ActionClaim, relief.Args{})
	back := tr.clk.now().Add(3 * time.Hour)
	applyOp(t, tr.stores[1], must2(t)(relief.SetFields(relief.KindTask, "task1", map[string]any{
		relief.FieldDemand: d.ID, relief.FieldSkill: "driver", relief.FieldOfferedTo: vol, relief.FieldPlannedReturn: back})))
	tr.exchange(t)
	tr.clk.advance(time.Minute)
	applyOp(t, tr.stores[2], must2(t)(relief.Transition(relief.KindTask, "task1", relief.ActionAccept, relief.Args{})))
	applyOp(t, tr.stores[2], must2(t)(relief.Transition(relief.KindTask, "task1", relief.ActionCheckIn, relief.Args{})))
	tr.exchange(t)

	checkout := func(s *Store, m ledger.DeviceID, now time.Time) (relief.Pending, bool) {
		ps, err := s.InboxOf(m, now, 0)
		if err != nil {
			t.Fatalf("InboxOf = %v", err)
		}
		i := slices.IndexFunc(ps, func(p relief.Pending) bool { return p.What == relief.ReplyCheckout && p.ID == "task1" })
		if i < 0 {
			return relief.Pending{}, false
		}
		return ps[i], true
	}
	before, after := back.Add(-time.Minute), back.Add(time.Minute)
	for i, s := range tr.stores {
		if _, ok := checkout(s, coord, before); ok {
			t.Errorf("store %d: coordinator's inbox before the planned return has the check-out; want it only once missed", i)
		}
		if p, ok := checkout(s, vol, before); !ok || p.Overdue || !p.Due.Equal(back.UTC().Truncate(time.Millisecond)) {
			t.Errorf("store %d: volunteer's inbox before return = %+v, %v; want the check-out due at %v", i, p, ok, back)
		}
		for _, m := range []ledger.DeviceID{coord, owner, vol} {
			p, ok := checkout(s, m, after)
			if !ok || !p.Overdue || p.To != vol {
				t.Errorf("store %d: InboxOf(%s) past the planned return = %+v, %v; want the missed check-out of the volunteer, overdue", i, m.Short(), p, ok)
			}
		}
		// The paged inbox (the inbox screen) says the same, with its count.
		for _, m := range []ledger.DeviceID{coord, owner} {
			w, err := s.InboxWindowOf(InboxWindowQuery{Member: m, Now: after, Limit: 50})
			if err != nil || w.Counts[relief.ReplyCheckout] != 1 || !slices.ContainsFunc(w.Entries, func(p relief.Pending) bool { return p.What == relief.ReplyCheckout }) {
				t.Errorf("store %d: InboxWindowOf(%s) = counts %v entries %d, %v; want the missed check-out", i, m.Short(), w.Counts, len(w.Entries), err)
			}
		}
		od, err := s.Overdue(after)
		if err != nil || !slices.ContainsFunc(od, func(p relief.Pending) bool { return p.What == relief.ReplyCheckout }) {
			t.Errorf("store %d: Overdue = %+v, %v; want the missed check-out", i, od, err)
		}
	}
	// The same as the pure fold says.
	tasks, err := tr.stores[1].TasksOfDemand(d.ID)
	if err != nil || len(tasks) != 1 {
		t.Fatalf("TasksOfDemand = %v, %v", tasks, err)
	}
	dm, _ := tr.stores[1].Demand(d.ID)
	want := relief.Inbox(owner, tr.stores[1].currentRoster(), []relief.Demand{dm}, tasks, relief.Deadlines{}, after)
	if !slices.ContainsFunc(want, func(p relief.Pending) bool { return p.What == relief.ReplyCheckout }) {
		t.Errorf("relief.Inbox(owner) = %+v; want the missed check-out as the store has it", want)
	}
	applyOp(t, tr.stores[0], must2(t)(relief.Transition(relief.KindTask, "task1", relief.ActionCheckOut, relief.Args{Call: true})))
	tr.exchange(t)
	for i, s := range tr.stores {
		for _, m := range []ledger.DeviceID{coord, owner, vol} {
			if p, ok := checkout(s, m, after); ok {
				t.Errorf("store %d: InboxOf(%s) after the check-out = %+v; want none", i, m.Short(), p)
			}
		}
	}
}

// TestCovenantAcceptedOffline: the volunteer (store 2) accepts covenant v1
// while apart; meanwhile the coordinator publishes v2. Once they meet,
// every store folds the same versions: the volunteer accepted v1 and is
// asked to accept v2; the coordinator sees who has not accepted.
func TestCovenantAcceptedOffline(t *testing.T) {
	tr := newTrio(t, t.TempDir)
	defer tr.close()
	vol := tr.stores[2].Device()
	applyOp(t, tr.stores[0], must2(t)(relief.NewCovenant("cov1", "伙伴契约", "保护求助者隐私")))
	tr.exchange(t)
	tr.clk.advance(time.Minute)
	applyOp(t, tr.stores[2], must2(t)(relief.AcceptCovenant("cov1"))) // offline
	tr.clk.advance(time.Minute)
	applyOp(t, tr.stores[0], must2(t)(relief.NewCovenant("cov2", "伙伴契约 v2", "保护求助者隐私；不收钱物")))
	// Before they meet, the volunteer's store knows only v1, accepted.
	vs, err := tr.stores[2].Covenants()
	if err != nil || len(vs) != 1 {
		t.Fatalf("store 2 Covenants before sync = %+v, %v; want v1 only", vs, err)
	}
	if p := relief.CovenantPending(vol, tr.stores[2].currentRoster(), vs); len(p) != 0 {
		t.Errorf("store 2 CovenantPending before sync = %+v; want none", p)
	}
	tr.exchange(t)
	var first []relief.CovenantVersion
	for i, s := range tr.stores {
		vs, err := s.Covenants()
		if err != nil {
			t.Fatalf("store %d Covenants = %v", i, err)
		}
		if i == 0 {
			first = vs
		} else if !reflect.DeepEqual(vs, first) {
			t.Errorf("store %d Covenants = %+v; want store 0's %+v", i, vs, first)
		}
		if v, _ := relief.LatestAccepted(vs, vol); v != 1 {
			t.Errorf("store %d: LatestAccepted(volunteer) = %d; want 1", i, v)
		}
		p := relief.CovenantPending(vol, s.currentRoster(), vs)
		if len(p) != 1 || p[0].What != relief.ReplyCovenant || p[0].ID != "cov2" {
			t.Errorf("store %d: CovenantPending(volunteer) = %+v; want re-accept v2", i, p)
		}
		if n := len(relief.NotAccepted(vs, s.currentRoster())); n != 3 {
			t.Errorf("store %d: NotAccepted = %d members; want 3 (nobody accepted v2)", i, n)
		}
	}
	// A reviewer may not write a covenant version.
	op, _ := relief.NewCovenant("cov3", "", "mine")
	if _, err := tr.stores[1].ApplyLocal([]ledger.Op{op}); err == nil {
		t.Errorf("ApplyLocal(covenant by a reviewer) = nil; want refused by role")
	}
}
