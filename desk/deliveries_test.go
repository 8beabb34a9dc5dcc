package desk

import (
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestDeliverAdjustAck: the owner records deliveries and a correction with a
// reason; a conflict reaches the inbox and leaves it once acknowledged.
func TestDeliverAdjustAck(t *testing.T) {
	dk := newDesk(t, store.Options{})
	d := recordOne(t, dk, "协和医院 N95")
	for _, a := range []string{"approve", "publish", "claim"} {
		if _, err := dk.Act(called(ActInput{ID: d.ID, Action: a})); err != nil {
			t.Fatalf("Act(%s) = %v", a, err)
		}
	}
	got, _ := dk.Demand(d.ID)
	if step := got.Demand.History[0]; step.Args.Seen != relief.StatusCollected {
		t.Errorf("approve's Seen = %q; want collected, the status its author saw", step.Args.Seen)
	}
	dd, err := dk.Act(ActInput{ID: d.ID, Action: "deliver", Received: []ReceiptInput{{Item: "N95口罩", Quantity: "３００"}}, Note: "第一车"})
	if err != nil || dd.Demand.Items[0].Received != 300 || len(dd.Demand.Deliveries) != 1 {
		t.Fatalf("Act(deliver 300) = received %v, %v; want 300", dd.Demand.Items, err)
	}
	for _, tc := range []struct {
		in          ActInput
		code, field string
	}{
		{ActInput{Action: "deliver", Received: []ReceiptInput{{Item: "N95口罩", Quantity: "-5"}}}, CodeNegative, "received[0].quantity"},
		{ActInput{Action: "deliver"}, CodeRequired, "received"},
		{ActInput{Action: "adjust", Received: []ReceiptInput{{Item: "N95口罩", Quantity: "-20"}}}, CodeRequired, "note"},
		{ActInput{Action: "accept_delivery", Ref: "nothing"}, CodeInvalid, "ref"},
		{ActInput{Action: "ack_conflict", Ref: "nothing"}, CodeInvalid, "ref"},
	} {
		tc.in.ID = d.ID
		if _, err := dk.Act(tc.in); err == nil {
			t.Errorf("Act(%+v) = nil error; want %s naming %s", tc.in, tc.code, tc.field)
		} else if code, field, _ := errCode(t, err); code != tc.code || field != tc.field {
			t.Errorf("Act(%+v) = %v; want %s naming %s", tc.in, err, tc.code, tc.field)
		}
	}
	dd, err = dk.Act(ActInput{ID: d.ID, Action: "adjust", Received: []ReceiptInput{{Item: "N95口罩", Quantity: "−20"}}, Note: "20 只破损"})
	if err != nil || dd.Demand.Items[0].Received != 280 {
		t.Fatalf("Act(adjust -20) = received %v, %v; want 280", dd.Demand.Items, err)
	}

	// A step this member took on a stale view (an approve of a published
	// demand, signed as another laptop would have) is a conflict in the inbox.
	op, err := relief.Transition(relief.KindDemand, d.ID, relief.ActionApprove, relief.Args{Seen: relief.StatusCollected})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dk.apply([]ledger.Op{op}); err != nil {
		t.Fatalf("apply(approve) = %v", err)
	}
	inbox, err := dk.InboxPage(InboxQuery{What: relief.ReplyConflict})
	if err != nil || len(inbox.Entries) != 1 || inbox.Counts[relief.ReplyConflict] != 1 {
		t.Fatalf("InboxPage(conflict) = %+v, %v; want the refused approve", inbox, err)
	}
	e := inbox.Entries[0]
	if e.Notice == nil || e.Notice.Conflict.Action != relief.ActionApprove || e.Title != "协和医院 N95" {
		t.Fatalf("inbox entry = %+v; want the approve's conflict on 协和医院 N95", e)
	}
	if _, err := dk.Act(ActInput{ID: d.ID, Action: "ack_conflict", Ref: e.Ref}); err != nil {
		t.Fatalf("Act(ack_conflict) = %v", err)
	}
	if inbox, _ := dk.InboxPage(InboxQuery{}); inbox.Counts[relief.ReplyConflict] != 0 {
		t.Errorf("InboxPage after ack = %+v; want no conflict", inbox)
	}
	if _, err := dk.AckConflict(d.ID, e.Ref); err == nil {
		t.Error("AckConflict twice = nil error; want CodeInvalid (already acknowledged)")
	}
}
