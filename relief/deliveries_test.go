package relief

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
)

func deliver(t testing.TB, id string, qty float64, note string) ledger.Op {
	t.Helper()
	return tr(t, id, ActionDeliver, Args{Received: []Receipt{{Item: "masks", Qty: qty}}, Note: note})
}

// inboxOf returns the conflict and delivery entries of member me: "what:ref".
func noticesOf(w *world, me ledger.DeviceID, ds ...Demand) []Pending {
	var out []Pending
	for _, p := range Inbox(me, w.roster(), ds, nil, Deadlines{}, time.UnixMilli(1000)) {
		if p.What == ReplyConflict || p.What == ReplyDelivery || p.What == ReplyWithdrawn {
			out = append(out, p)
		}
	}
	return out
}

// TestDeliveriesAddUp is scenario 1: the owner vol records 300 received and
// goes offline; a coordinator hands the demand to vol2, who records 50 without
// having seen vol's 300. Both count: 350. vol, still offline, records 20 more:
// it waits in vol2's inbox, and counts once vol2 accepts it.
func TestDeliveriesAddUp(t *testing.T) {
	w := seeded(t)
	toStatus(t, w, "d", StatusPublished)
	w.do(vol, 20, tr(t, "d", ActionClaim, Args{}))
	w.do(vol, 21, deliver(t, "d", 300, "first truck"))
	w.do(coord, 22, tr(t, "d", ActionHandover, Args{To: vol2}))
	w.do(vol2, 23, deliver(t, "d", 50, ""))
	late := w.do(vol, 24, deliver(t, "d", 20, "second truck"))

	d := w.demand("d")
	if got := d.Items[0].Received; got != 350 {
		t.Fatalf("FoldDemand received = %v; want 350 (300 + 50; 20 pending); deliveries %+v", got, d.Deliveries)
	}
	if len(d.Deliveries) != 3 || d.Deliveries[2].State != DeliveryPending || d.Deliveries[2].Reason != ReasonNotOwner {
		t.Fatalf("FoldDemand deliveries = %+v; want the third pending (not_owner)", d.Deliveries)
	}
	ref := StepRef(late)
	// vol2 (the owner) and every coordinator have the pending delivery; vol has
	// the conflict, showing the delivery pending.
	for _, m := range []ledger.DeviceID{vol2, coord, coord2} {
		ns := noticesOf(w, m, d)
		if !slices.ContainsFunc(ns, func(p Pending) bool {
			return p.What == ReplyDelivery && p.Ref == ref && slices.Equal(p.Notice.Resolve, []string{ResolveAccept, ResolveDecline})
		}) {
			t.Errorf("Inbox(%s) = %+v; want the pending delivery %s", memberName[m], ns, ref)
		}
	}
	ns := noticesOf(w, vol, d)
	if len(ns) != 1 || ns[0].What != ReplyConflict || ns[0].Notice.Delivery == nil || ns[0].Notice.Delivery.State != DeliveryPending ||
		ns[0].Notice.Conflict.Winner != coord {
		t.Fatalf("Inbox(vol) = %+v; want one conflict: the delivery pending, lost to coord's handover", ns)
	}
	if ns := noticesOf(w, vol3, d); len(ns) != 0 {
		t.Errorf("Inbox(vol3) = %+v; want nothing (not concerned)", ns)
	}

	w.do(vol2, 30, tr(t, "d", ActionAcceptDelivery, Args{Ref: ref}))
	d = w.demand("d")
	if got := d.Items[0].Received; got != 370 || d.Deliveries[2].State != DeliveryCounted || d.Deliveries[2].DecidedBy != vol2 {
		t.Fatalf("after accept: received %v, deliveries %+v; want 370, the third counted by vol2", got, d.Deliveries)
	}
	if ns := noticesOf(w, vol2, d); len(ns) != 0 {
		t.Errorf("Inbox(vol2) after accept = %+v; want empty", ns)
	}
	// A second decision on the same delivery is a conflict (bad target).
	w.do(coord, 31, tr(t, "d", ActionDeclineDelivery, Args{Ref: ref}))
	d = w.demand("d")
	if got := d.Items[0].Received; got != 370 || d.Conflicts[len(d.Conflicts)-1].Reason != ReasonBadTarget {
		t.Errorf("decline after accept: received %v, conflicts %v; want 370 and a bad_target conflict", got, d.Conflicts)
	}
}

func TestDeclineAndAdjust(t *testing.T) {
	w := seeded(t)
	toStatus(t, w, "d", StatusPublished)
	w.do(vol, 20, tr(t, "d", ActionClaim, Args{}))
	w.do(vol, 21, deliver(t, "d", 100, ""))
	w.do(coord, 22, tr(t, "d", ActionRelease, Args{})) // not the owner: conflict
	w.do(vol, 23, tr(t, "d", ActionRelease, Args{}))
	late := w.do(vol, 24, deliver(t, "d", 40, "")) // nobody owns it: pending
	d := w.demand("d")
	if d.Deliveries[1].State != DeliveryPending || d.Deliveries[1].Reason != ReasonNotOwned {
		t.Fatalf("deliveries = %+v; want the second pending (not_owned)", d.Deliveries)
	}
	// Nobody owns it: the delivery waits on the coordinators only.
	if ns := noticesOf(w, coord, d); !slices.ContainsFunc(ns, func(p Pending) bool { return p.What == ReplyDelivery && p.To.IsZero() }) {
		t.Errorf("Inbox(coord) = %+v; want the pending delivery, to nobody", ns)
	}
	w.do(coord, 30, tr(t, "d", ActionDeclineDelivery, Args{Ref: StepRef(late), Note: "not ours"}))
	w.do(coord, 31, tr(t, "d", ActionAdjust, Args{Received: []Receipt{{Item: "masks", Qty: -10}}, Note: "10 boxes damaged"}))
	w.do(vol2, 32, tr(t, "d", ActionAdjust, Args{Received: []Receipt{{Item: "masks", Qty: 500}}, Note: "mine"})) // not allowed
	d = w.demand("d")
	if got := d.Items[0].Received; got != 90 {
		t.Errorf("received = %v; want 90 (100, 40 declined, -10 adjusted, vol2's adjust refused)", got)
	}
	if d.Deliveries[1].State != DeliveryDeclined || len(d.Deliveries) != 3 {
		t.Errorf("deliveries = %+v; want 40 declined and the -10 adjustment", d.Deliveries)
	}
	if last := d.Conflicts[len(d.Conflicts)-1]; last.Action != ActionAdjust || last.Reason != ReasonRole {
		t.Errorf("conflicts = %v; want vol2's adjust refused (role)", d.Conflicts)
	}
	if _, err := Transition(KindDemand, "d", ActionAdjust, Args{Received: []Receipt{{Item: "masks", Qty: -1}}}); err == nil {
		t.Error("Transition(adjust without a reason) = nil error; want invalid op")
	}
	if _, err := Transition(KindDemand, "d", ActionDeliver, Args{Received: []Receipt{{Item: "masks", Qty: -1}}}); err == nil {
		t.Error("Transition(deliver -1) = nil error; want invalid op")
	}
}

// TestProgressTotalsStillFold: progress steps of older versions carry totals;
// they set the item's total at their place in the fold order.
func TestProgressTotalsStillFold(t *testing.T) {
	w := seeded(t)
	toStatus(t, w, "d", StatusInProgress) // vol's progress: 10
	w.do(vol, 20, deliver(t, "d", 5, ""))
	if got := w.demand("d").Items[0].Received; got != 15 {
		t.Errorf("progress 10 then deliver 5 = %v; want 15", got)
	}
	w.do(vol, 21, tr(t, "d", ActionProgress, Args{Received: []Receipt{{Item: "masks", Qty: 12}}}))
	if got := w.demand("d").Items[0].Received; got != 12 {
		t.Errorf("then progress total 12 = %v; want 12", got)
	}
}

// TestApproveAgainstReject is scenario 4: rev approves and rev2 rejects the same
// collected demand, each having seen it collected. The later one in the fold
// order does not apply, is a conflict in the loser's and the coordinators'
// inboxes, and earns no points.
func TestApproveAgainstReject(t *testing.T) {
	for _, approveFirst := range []bool{true, false} {
		w := seeded(t)
		toStatus(t, w, "d", StatusCollected)
		seen := Args{Seen: StatusCollected}
		at := map[bool]int64{true: 20, false: 21}
		w.do(rev, at[approveFirst], tr(t, "d", ActionApprove, seen))
		w.do(rev2, at[!approveFirst], tr(t, "d", ActionReject, seen))
		d := w.demand("d")
		wantStatus, winner, loser := StatusApproved, rev, rev2
		if !approveFirst {
			wantStatus, winner, loser = StatusRejected, rev2, rev
		}
		if d.Status != wantStatus || len(d.Conflicts) != 1 || d.Conflicts[0].By != loser || d.Conflicts[0].Winner != winner {
			t.Fatalf("approveFirst %v: status %s, conflicts %v; want %s, one conflict of %s lost to %s",
				approveFirst, d.Status, d.Conflicts, wantStatus, memberName[loser], memberName[winner])
		}
		lb := Points([]Demand{d}, nil, Deadlines{})
		if s, _ := lb.Of(loser); s.Points != 0 {
			t.Errorf("approveFirst %v: Points(%s) = %d; want 0 (their step did not apply)", approveFirst, memberName[loser], s.Points)
		}
		if s, _ := lb.Of(winner); s.Points == 0 {
			t.Errorf("approveFirst %v: Points(%s) = 0; want the review's points", approveFirst, memberName[winner])
		}
		for _, m := range []ledger.DeviceID{loser, coord} {
			if ns := noticesOf(w, m, d); len(ns) != 1 || ns[0].Notice.Conflict.By != loser {
				t.Errorf("approveFirst %v: Inbox(%s) = %+v; want the conflict", approveFirst, memberName[m], ns)
			}
		}
		if ns := noticesOf(w, winner, d); len(ns) != 0 {
			t.Errorf("approveFirst %v: Inbox(winner) = %+v; want nothing", approveFirst, ns)
		}
	}
	// A reject of an approved demand by a reviewer who saw it approved applies.
	w := seeded(t)
	toStatus(t, w, "d", StatusCollected)
	w.do(rev, 20, tr(t, "d", ActionApprove, Args{Seen: StatusCollected}))
	w.do(rev2, 21, tr(t, "d", ActionReject, Args{Seen: StatusApproved}))
	if d := w.demand("d"); d.Status != StatusRejected || len(d.Conflicts) != 0 {
		t.Errorf("reject after seeing approved: %s %v; want rejected, no conflict", d.Status, d.Conflicts)
	}
}

// TestConflictNotices is scenario 2: a losing claim reaches the loser and the
// coordinators with the ways to resolve it, until acknowledged.
func TestConflictNotices(t *testing.T) {
	w := seeded(t)
	toStatus(t, w, "d", StatusPublished)
	w.do(vol, 20, tr(t, "d", ActionClaim, Args{}))
	lost := w.do(vol2, 21, tr(t, "d", ActionClaim, Args{}))
	w.do(vol2, 22, deliver(t, "d", 30, ""))
	w.do(vol2, 23, tr(t, "d", ActionFulfil, Args{}))
	d := w.demand("d")
	ns := noticesOf(w, vol2, d)
	var claim *Pending
	for i := range ns {
		if ns[i].Notice.Conflict != nil && ns[i].Notice.Conflict.Action == ActionClaim {
			claim = &ns[i]
		}
	}
	if len(ns) != 3 || claim == nil || claim.Ref != StepRef(lost) || claim.Notice.Conflict.Winner != vol ||
		!slices.Equal(claim.Notice.Resolve, []string{ResolveAck, ResolveHandover}) {
		t.Fatalf("Inbox(vol2) = %+v; want 3 conflicts (claim, deliver, fulfil), the claim lost to vol with ack and handover", ns)
	}
	if d.Status != StatusPublished || d.Items[0].Received != 0 || d.Deliveries[0].State != DeliveryPending {
		t.Errorf("demand = %s received %v; want published, 0 (vol2's fulfil refused, its 30 pending)", d.Status, d.Items[0].Received)
	}
	// The coordinators see the claim and fulfil conflicts and the pending delivery.
	if got := noticesOf(w, coord, d); len(got) != 3 {
		t.Errorf("Inbox(coord) = %+v; want 3 entries", got)
	}
	// vol3 may not acknowledge vol2's conflict; vol2 may.
	w.do(vol3, 30, tr(t, "d", ActionAckConflict, Args{Ref: claim.Ref}))
	if got := noticesOf(w, vol2, w.demand("d")); len(got) != 3 {
		t.Errorf("after vol3's ack: Inbox(vol2) = %d entries; want 3 (vol3 may not ack)", len(got))
	}
	w.do(vol2, 31, tr(t, "d", ActionAckConflict, Args{Ref: claim.Ref}))
	d = w.demand("d")
	if got := noticesOf(w, vol2, d); len(got) != 2 {
		t.Errorf("after vol2's ack: Inbox(vol2) = %+v; want 2 entries", got)
	}
	if got := noticesOf(w, coord, d); len(got) != 2 {
		t.Errorf("after vol2's ack: Inbox(coord) = %+v; want 2 entries", got)
	}
	if !slices.ContainsFunc(d.Conflicts, func(c Conflict) bool { return c.AckedBy == vol2 }) {
		t.Errorf("conflicts = %+v; want one acknowledged by vol2", d.Conflicts)
	}
}

// TestDeliveriesConverge: random claims, handovers, deliveries, decisions,
// approvals, rejections and acknowledgements on three peers, delivered in
// random orders, give the same demand, notices, inboxes and points on every
// replica, and no delivery is lost: every deliver of a member in the roster
// on a demand that was published is listed, and received is the sum of the
// counted ones.
func TestDeliveriesConverge(tt *testing.T) {
	rapid.Check(tt, func(t *rapid.T) {
		base := seeded(tt)
		devs := []ledger.DeviceID{coord, rev, vol, vol2, rev2}
		var all []delivery
		for _, op := range []ledger.Op{
			must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "N95", FieldItems: []Item{{Name: "masks"}}})),
		} {
			all = append(all, delivery{m: base.next(coord, 3), op: op})
		}
		local := map[ledger.DeviceID]replica{}
		for _, d := range devs {
			local[d] = replica{}
		}
		for _, r := range base.recs {
			for _, d := range devs {
				c := *r
				c.Transitions = slices.Clone(r.Transitions)
				local[d][r.Kind+"/"+r.ID] = &c
			}
		}
		for _, dl := range all {
			for _, d := range devs {
				local[d].apply(t, dl)
			}
		}
		var delivers []string
		wall := int64(10)
		for range rapid.IntRange(3, 25).Draw(t, "steps") {
			d := rapid.SampledFrom(devs).Draw(t, "device")
			if rapid.Bool().Draw(t, "sync") {
				for _, dl := range all {
					local[d].apply(t, dl)
				}
			}
			view := FoldDemand(local[d]["demand/d"], NewRoster(local[d].records()))
			if st := DemandStatus(local[d]["demand/d"], NewRoster(local[d].records())); st != view.Status {
				t.Fatalf("DemandStatus = %s; FoldDemand says %s", st, view.Status)
			}
			var args Args
			action := rapid.SampledFrom([]Action{ActionApprove, ActionReject, ActionPublish, ActionClaim, ActionHandover,
				ActionDeliver, ActionDeliver, ActionAdjust, ActionAcceptDelivery, ActionDeclineDelivery, ActionAckConflict, ActionFulfil,
				ActionWithdraw, ActionReopen}).Draw(t, "action")
			switch action {
			case ActionApprove, ActionReject, ActionPublish:
				args.Seen = view.Status
			case ActionHandover:
				args.To = rapid.SampledFrom([]ledger.DeviceID{vol, vol2, rev}).Draw(t, "to")
			case ActionDeliver, ActionAdjust:
				args.Received = []Receipt{{Item: "masks", Qty: float64(rapid.IntRange(1, 9).Draw(t, "qty"))}}
				args.Note = "n"
			case ActionWithdraw, ActionReopen:
				args.Note = "why"
			case ActionAcceptDelivery, ActionDeclineDelivery:
				args.Ref = "none/0"
				if len(view.Deliveries) > 0 {
					args.Ref = rapid.SampledFrom(view.Deliveries).Draw(t, "delivery").Ref
				}
			case ActionAckConflict:
				args.Ref = "none/0"
				if len(view.Conflicts) > 0 {
					args.Ref = ConflictRef(rapid.SampledFrom(view.Conflicts).Draw(t, "conflict"))
				}
				if len(view.Withdrawals) > 0 && rapid.Bool().Draw(t, "ack withdrawal") {
					args.Ref = rapid.SampledFrom(view.Withdrawals).Draw(t, "withdrawal").Ref
				}
			}
			wall += int64(rapid.IntRange(0, 2).Draw(t, "dt"))
			m := base.next(d, wall)
			dl := delivery{m: m, op: must(Transition(KindDemand, "d", action, args))}
			local[d].apply(t, dl)
			all = append(all, dl)
			if action == ActionDeliver {
				delivers = append(delivers, StepRef(m))
			}
		}
		type seen struct {
			Demand  Demand
			Notices []Pending
			Inboxes [][]Pending
			Points  Leaderboard
		}
		var want *seen
		for r := range 3 {
			rep := replica{}
			for k, rec := range base.recs {
				c := *rec
				c.Transitions = slices.Clone(rec.Transitions)
				rep[k] = &c
			}
			for _, i := range rapid.Permutation(all).Draw(t, "order") {
				rep.apply(t, i)
			}
			roster := NewRoster(rep.records())
			d := FoldDemand(rep["demand/d"], roster)
			if st := DemandStatus(rep["demand/d"], roster); st != d.Status {
				t.Fatalf("DemandStatus = %s; FoldDemand says %s", st, d.Status)
			}
			got := &seen{Demand: d, Notices: DemandNotices(d), Points: Points([]Demand{d}, nil, Deadlines{})}
			for _, m := range devs {
				got.Inboxes = append(got.Inboxes, Inbox(m, roster, []Demand{d}, nil, Deadlines{}, time.UnixMilli(100)))
			}
			if r == 0 {
				want = got
				var sum float64
				for _, dv := range d.Deliveries {
					if dv.State == DeliveryCounted {
						sum += dv.Items[0].Qty
					}
				}
				if d.Items[0].Received != sum {
					t.Fatalf("received = %v; want %v, the sum of the counted deliveries %+v", d.Items[0].Received, sum, d.Deliveries)
				}
				published := slices.ContainsFunc(d.History, func(s Step) bool { return s.Action == ActionPublish })
				for _, ref := range delivers {
					listed := slices.ContainsFunc(d.Deliveries, func(dv Delivery) bool { return dv.Ref == ref })
					if published && !listed && !slices.ContainsFunc(d.Conflicts, func(c Conflict) bool {
						return ConflictRef(c) == ref && (c.Reason == ReasonStatus || c.Reason == ReasonRole)
					}) {
						t.Fatalf("delivery %s lost: not in deliveries %+v nor refused for status/role in %+v", ref, d.Deliveries, d.Conflicts)
					}
					// a delivery never vanishes behind a withdrawal: it is kept pending
					if !listed && slices.ContainsFunc(d.Conflicts, func(c Conflict) bool {
						return ConflictRef(c) == ref && c.Reason == ReasonStatus && c.WinnerAction == ActionWithdraw
					}) {
						t.Fatalf("delivery %s refused by a withdrawal and not kept: deliveries %+v", ref, d.Deliveries)
					}
				}
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("replica %d differs:\n%+v\nwant\n%+v", r, got, want)
			}
		}
	})
}

// TestEditOfClosedDemandNotice: an edit made after the demand closed reaches
// its author and the coordinators, and leaves once its author acknowledges it
// (its ref names the field).
func TestEditOfClosedDemandNotice(t *testing.T) {
	w := seeded(t)
	toStatus(t, w, "d", StatusFulfilled)
	w.do(rev, 40, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "N95 masks, 200 more"})))
	d := w.demand("d")
	ns := noticesOf(w, rev, d)
	if len(ns) != 1 || ns[0].Notice.Conflict.Action != ActionEdit || ns[0].Notice.Conflict.Field != FieldTitle ||
		!slices.Equal(ns[0].Notice.Resolve, []string{ResolveAck}) {
		t.Fatalf("Inbox(rev) = %+v; want the edit of the closed demand's title, to acknowledge", ns)
	}
	if got := noticesOf(w, coord2, d); len(got) != 1 {
		t.Errorf("Inbox(coord2) = %+v; want the edit's conflict", got)
	}
	w.do(rev, 41, tr(t, "d", ActionAckConflict, Args{Ref: ns[0].Ref}))
	if got := noticesOf(w, rev, w.demand("d")); len(got) != 0 {
		t.Errorf("Inbox(rev) after ack = %+v; want none", got)
	}
}

// TestCountedDeliveryMovesPublished: a delivery counted by a coordinator on a
// published demand puts it in progress, as the owner's own delivery does (a
// tester saw a demand with 100 of 500 received still "published" on the
// coordinator's list); a fulfilled demand stays fulfilled.
func TestCountedDeliveryMovesPublished(t *testing.T) {
	w := seeded(t)
	toStatus(t, w, "d", StatusPublished)
	late := w.do(vol, 20, deliver(t, "d", 100, "")) // nobody owns it: pending
	if d := w.demand("d"); d.Status != StatusPublished || d.Deliveries[0].State != DeliveryPending {
		t.Fatalf("before: %s, %+v; want published, the delivery pending", d.Status, d.Deliveries)
	}
	w.do(coord, 21, tr(t, "d", ActionAcceptDelivery, Args{Ref: StepRef(late)}))
	if d := w.demand("d"); d.Status != StatusInProgress || d.Items[0].Received != 100 {
		t.Fatalf("after the count: %s, received %v; want in progress, 100", d.Status, d.Items[0].Received)
	}
	w.do(coord, 22, tr(t, "d", ActionClaim, Args{}))
	w.do(coord, 23, tr(t, "d", ActionFulfil, Args{}))
	late = w.do(vol, 24, deliver(t, "d", 5, ""))
	w.do(coord, 25, tr(t, "d", ActionAcceptDelivery, Args{Ref: StepRef(late)}))
	if d := w.demand("d"); d.Status != StatusFulfilled || d.Items[0].Received != 105 {
		t.Errorf("a late delivery counted on a fulfilled demand: %s, received %v; want fulfilled, 105", d.Status, d.Items[0].Received)
	}
}

// TestLostProgressKeptPending (finding 3 of session 14's tester): a legacy
// progress step with received quantities, by a member who lost the claim (an
// older peer's: the desk no longer signs one), is kept as a pending delivery
// as a lost deliver is, so that the quantities are not dropped and the owner
// is told (ReplyDelivery); accepted, it counts as progress counts (the total
// received so far).
func TestLostProgressKeptPending(t *testing.T) {
	w := seeded(t)
	toStatus(t, w, "d", StatusPublished)
	w.do(vol, 20, tr(t, "d", ActionClaim, Args{}))
	w.do(coord, 21, tr(t, "d", ActionHandover, Args{To: vol2}))
	late := w.do(vol, 22, tr(t, "d", ActionProgress, Args{Received: []Receipt{{Item: "masks", Qty: 500}}}))
	d := w.demand("d")
	if len(d.Deliveries) != 1 || d.Deliveries[0].State != DeliveryPending || d.Deliveries[0].Reason != ReasonNotOwner ||
		d.Deliveries[0].Action != ActionProgress || d.Items[0].Received != 0 {
		t.Fatalf("deliveries %+v, received %v; want the progress pending (not_owner), nothing counted", d.Deliveries, d.Items[0].Received)
	}
	ref := StepRef(late)
	for _, m := range []ledger.DeviceID{vol2, coord} {
		if ns := noticesOf(w, m, d); !slices.ContainsFunc(ns, func(p Pending) bool { return p.What == ReplyDelivery && p.Ref == ref }) {
			t.Errorf("Inbox(%s) = %+v; want the pending progress %s", memberName[m], ns, ref)
		}
	}
	if ns := noticesOf(w, vol, d); len(ns) != 1 || ns[0].What != ReplyConflict || ns[0].Notice.Delivery == nil {
		t.Errorf("Inbox(vol) = %+v; want one conflict showing the progress pending", ns)
	}
	w.do(vol2, 30, tr(t, "d", ActionAcceptDelivery, Args{Ref: ref}))
	if d = w.demand("d"); d.Items[0].Received != 500 || d.Deliveries[0].State != DeliveryCounted {
		t.Fatalf("after accept: received %v, deliveries %+v; want 500 counted", d.Items[0].Received, d.Deliveries)
	}
}

// TestAcceptedProgressNeverLowersReceived (reviewer, session 15): a legacy
// progress is a running total. The owner counted 800 after the claim-loser's
// pending progress (a total of 500); accepting that progress later leaves
// 800 (the larger of the two), not 500. An accepted total above what is
// counted raises it.
func TestAcceptedProgressNeverLowersReceived(t *testing.T) {
	w := seeded(t)
	toStatus(t, w, "d", StatusPublished)
	w.do(vol, 20, tr(t, "d", ActionClaim, Args{}))
	w.do(coord, 21, tr(t, "d", ActionHandover, Args{To: vol2}))
	late := w.do(vol, 22, tr(t, "d", ActionProgress, Args{Received: []Receipt{{Item: "masks", Qty: 500}}}))
	w.do(vol2, 23, tr(t, "d", ActionDeliver, Args{Received: []Receipt{{Item: "masks", Qty: 800}}}))
	if d := w.demand("d"); d.Items[0].Received != 800 {
		t.Fatalf("received %v; want 800", d.Items[0].Received)
	}
	w.do(vol2, 30, tr(t, "d", ActionAcceptDelivery, Args{Ref: StepRef(late)}))
	if d := w.demand("d"); d.Items[0].Received != 800 || d.Deliveries[0].State != DeliveryCounted {
		t.Errorf("after accepting the pending progress of 500: received %v, deliveries %+v; want 800, the progress counted",
			d.Items[0].Received, d.Deliveries)
	}

	w = seeded(t)
	toStatus(t, w, "d", StatusPublished)
	w.do(vol, 20, tr(t, "d", ActionClaim, Args{}))
	w.do(coord, 21, tr(t, "d", ActionHandover, Args{To: vol2}))
	late = w.do(vol, 22, tr(t, "d", ActionProgress, Args{Received: []Receipt{{Item: "masks", Qty: 500}}}))
	w.do(vol2, 23, tr(t, "d", ActionDeliver, Args{Received: []Receipt{{Item: "masks", Qty: 200}}}))
	w.do(vol2, 30, tr(t, "d", ActionAcceptDelivery, Args{Ref: StepRef(late)}))
	if d := w.demand("d"); d.Items[0].Received != 500 {
		t.Errorf("200 counted, then a pending progress of 500 accepted: received %v; want 500", d.Items[0].Received)
	}
}
