package relief

import (
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// TestDeliveryAfterWithdrawKept is the tester's finding 1 (withdraw first in
// fold order): vol owns the demand; coord2 withdraws it (with a reason) while
// apart; vol records 60 received. The delivery is not lost: it is kept
// pending with its items, vol's conflict shows it kept, the pending delivery
// waits in vol's and the coordinators' inboxes, and accepting it counts it
// while the demand stays withdrawn. vol is told who withdrew it and why.
func TestDeliveryAfterWithdrawKept(t *testing.T) {
	w := seeded(t)
	toStatus(t, w, "d", StatusPublished)
	w.do(vol, 20, tr(t, "d", ActionClaim, Args{}))
	wd := w.do(coord2, 21, tr(t, "d", ActionWithdraw, Args{Note: "duplicate call"}))
	late := w.do(vol, 22, deliver(t, "d", 60, "truck"))

	d := w.demand("d")
	if d.Status != StatusWithdrawn {
		t.Fatalf("status = %s; want withdrawn", d.Status)
	}
	i := slices.IndexFunc(d.Deliveries, func(dv Delivery) bool { return dv.Ref == StepRef(late) })
	if i < 0 || d.Deliveries[i].State != DeliveryPending || d.Deliveries[i].Reason != ReasonStatus || d.Deliveries[i].Items[0].Qty != 60 {
		t.Fatalf("deliveries = %+v; want vol's 60 kept pending (status)", d.Deliveries)
	}
	ref := StepRef(late)
	for _, m := range []ledger.DeviceID{vol, coord, coord2} {
		ns := noticesOf(w, m, d)
		if !slices.ContainsFunc(ns, func(p Pending) bool {
			return p.What == ReplyDelivery && p.Ref == ref && slices.Equal(p.Notice.Resolve, []string{ResolveAccept, ResolveDecline})
		}) {
			t.Errorf("Inbox(%s) = %+v; want the pending delivery %s", memberName[m], ns, ref)
		}
	}
	ns := noticesOf(w, vol, d)
	if !slices.ContainsFunc(ns, func(p Pending) bool {
		return p.What == ReplyConflict && p.Notice.Delivery != nil && p.Notice.Delivery.State == DeliveryPending
	}) {
		t.Errorf("Inbox(vol) = %+v; want the refused deliver shown kept pending", ns)
	}
	if !slices.ContainsFunc(ns, func(p Pending) bool {
		return p.What == ReplyWithdrawn && p.Ref == StepRef(wd) && p.Notice.Withdrawal != nil &&
			p.Notice.Withdrawal.By == coord2 && p.Notice.Withdrawal.Note == "duplicate call"
	}) {
		t.Errorf("Inbox(vol) = %+v; want the withdrawal by coord2 with its reason", ns)
	}

	w.do(coord2, 30, tr(t, "d", ActionAcceptDelivery, Args{Ref: ref}))
	d = w.demand("d")
	if d.Status != StatusWithdrawn || d.Items[0].Received != 60 {
		t.Fatalf("after accept: status %s, received %v; want withdrawn, 60", d.Status, d.Items[0].Received)
	}
}

// TestWithdrawAfterDeliveryTold is the other order: vol records 40, then
// coord2 withdraws the demand. The delivery stays counted, and both vol (the
// owner) and the coordinators are told: a withdrawal of a demand with goods
// received, naming who and why.
func TestWithdrawAfterDeliveryTold(t *testing.T) {
	w := seeded(t)
	toStatus(t, w, "d", StatusPublished)
	w.do(vol, 20, tr(t, "d", ActionClaim, Args{}))
	w.do(vol, 21, deliver(t, "d", 40, ""))
	wd := w.do(coord2, 22, tr(t, "d", ActionWithdraw, Args{Note: "moved away"}))

	d := w.demand("d")
	if d.Status != StatusWithdrawn || d.Items[0].Received != 40 {
		t.Fatalf("status %s received %v; want withdrawn, 40", d.Status, d.Items[0].Received)
	}
	for _, m := range []ledger.DeviceID{vol, coord, coord2} {
		ns := noticesOf(w, m, d)
		if !slices.ContainsFunc(ns, func(p Pending) bool {
			return p.What == ReplyWithdrawn && p.Ref == StepRef(wd) && p.To == vol && p.Notice.Withdrawal.By == coord2 &&
				len(p.Notice.Withdrawal.Received) == 1 && p.Notice.Withdrawal.Received[0].Qty == 40
		}) {
			t.Errorf("Inbox(%s) = %+v; want the withdrawal with 40 masks received", memberName[m], ns)
		}
	}
	// vol acknowledges: it leaves every inbox.
	w.do(vol, 30, tr(t, "d", ActionAckConflict, Args{Ref: StepRef(wd)}))
	d = w.demand("d")
	for _, m := range []ledger.DeviceID{vol, coord2} {
		if ns := noticesOf(w, m, d); len(ns) != 0 {
			t.Errorf("Inbox(%s) after ack = %+v; want empty", memberName[m], ns)
		}
	}
}

// TestOwnWithdrawTellsNobody: the owner withdrawing their own demand, with
// nothing received, is no news to anyone.
func TestOwnWithdrawTellsNobody(t *testing.T) {
	w := seeded(t)
	toStatus(t, w, "d", StatusPublished)
	w.do(vol, 20, tr(t, "d", ActionClaim, Args{}))
	w.do(vol, 21, tr(t, "d", ActionWithdraw, Args{}))
	d := w.demand("d")
	for _, m := range []ledger.DeviceID{vol, coord} {
		if ns := noticesOf(w, m, d); len(ns) != 0 {
			t.Errorf("Inbox(%s) = %+v; want nothing", memberName[m], ns)
		}
	}
}

// TestReopenWithdrawn: a coordinator undoes a withdrawal; the demand goes
// back to the status it had, with its owner, and a kept delivery can then be
// accepted as on any open demand.
func TestReopenWithdrawn(t *testing.T) {
	for _, from := range []Status{StatusCollected, StatusPublished, StatusInProgress} {
		w := seeded(t)
		toStatus(t, w, "d", from)
		w.do(coord2, 40, tr(t, "d", ActionWithdraw, Args{Note: "why"}))
		if got := w.demand("d"); !slices.Contains(Allowed(got, mem(w, coord)), ActionReopen) {
			t.Fatalf("from %s: Allowed(coord) on withdrawn = %v; want reopen", from, Allowed(got, mem(w, coord)))
		}
		if got := w.demand("d"); slices.Contains(Allowed(got, mem(w, vol)), ActionReopen) {
			t.Errorf("from %s: a volunteer may reopen a withdrawn demand", from)
		}
		w.do(coord, 41, tr(t, "d", ActionReopen, Args{Note: "still needed"}))
		d := w.demand("d")
		if d.Status != from {
			t.Errorf("reopen of a demand withdrawn from %s: status %s; conflicts %+v", from, d.Status, d.Conflicts)
		}
		if from == StatusInProgress && d.Owner != vol {
			t.Errorf("reopened owner = %v; want vol", d.Owner)
		}
	}
}

func mem(w *world, d ledger.DeviceID) Member {
	m, _ := w.roster().Member(d)
	return m
}

// TestRecheckNoLongerNeededTellsOwner: a reviewer's call-back finds vol's
// claimed demand no longer needed, which withdraws it: vol, its owner (the
// claimant of its claim), is told as of any other withdrawal, with who
// called and the note; it stays until acknowledged. A call-back by the
// owner on its own demand, nothing received, is news to nobody.
func TestRecheckNoLongerNeededTellsOwner(t *testing.T) {
	w := seeded(t)
	toStatus(t, w, "d", StatusPublished)
	w.do(vol, 20, tr(t, "d", ActionClaim, Args{}))
	rc := w.do(rev2, 21, tr(t, "d", ActionRecheck, Args{Outcome: OutcomeNoLongerNeeded, Note: "got them from the city"}))

	d := w.demand("d")
	if d.Status != StatusWithdrawn {
		t.Fatalf("status = %s; want withdrawn", d.Status)
	}
	told := func(ns []Pending) bool {
		return slices.ContainsFunc(ns, func(p Pending) bool {
			return p.What == ReplyWithdrawn && p.Ref == StepRef(rc) && p.To == vol && p.Notice.Withdrawal != nil &&
				p.Notice.Withdrawal.By == rev2 && p.Notice.Withdrawal.Note == "got them from the city" &&
				p.Notice.Withdrawal.Outcome == OutcomeNoLongerNeeded
		})
	}
	if ns := noticesOf(w, vol, d); !told(ns) {
		t.Fatalf("Inbox(vol) = %+v; want the withdrawal by rev2's call-back, with its note", ns)
	}
	w.do(vol, 22, tr(t, "d", ActionAckConflict, Args{Ref: StepRef(rc)}))
	if ns := noticesOf(w, vol, w.demand("d")); told(ns) {
		t.Errorf("Inbox(vol) after the ack = %+v; want the notice gone", ns)
	}

	// coord2 owns e and calls back itself: nothing to tell
	w.do(coord, 30, must(SetFields(KindDemand, "e", map[string]any{FieldTitle: "tents"})))
	w.do(rev, 31, tr(t, "e", ActionApprove, Args{}))
	w.do(rev, 32, tr(t, "e", ActionPublish, Args{}))
	w.do(coord2, 33, tr(t, "e", ActionClaim, Args{}))
	w.do(coord2, 34, tr(t, "e", ActionRecheck, Args{Outcome: OutcomeNoLongerNeeded, Note: "found elsewhere"}))
	if e := w.demand("e"); e.Status != StatusWithdrawn || len(e.Withdrawals) != 0 {
		t.Errorf("own call-back: status %s, withdrawals %+v; want withdrawn, none listed", e.Status, e.Withdrawals)
	}
}
