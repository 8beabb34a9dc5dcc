package desk

import (
	"slices"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestTransferThroughTheDesk: volunteer B asks coordinator A, the owner, for
// a demand; B cannot take it over before the reply-by, and can after it.
func TestTransferThroughTheDesk(t *testing.T) {
	a, b, clk := clockedNetwork(t)
	transferThroughTheDesk(t, a, b, clk)
}

// clockedNetwork returns the desks of coordinator A and volunteer B of one
// network, both on the clock *now, which the test moves.
func clockedNetwork(t *testing.T) (a, b *Desk, now *time.Time) {
	now = new(time.Time)
	*now = time.Date(2020, 1, 26, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return *now }
	open := func() *store.Store {
		st, err := store.Open(t.TempDir(), store.Options{Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	a, b = New(open()), New(open())
	n, err := a.CreateNetwork("Flood", "甲")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Endorse(b.Status().Device, "volunteer", "乙"); err != nil {
		t.Fatal(err)
	}
	if err := b.Store().JoinNetwork(n.ID); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, a.Store(), b.Store())
	return a, b, now
}

func transferThroughTheDesk(t *testing.T, a, b *Desk, clk *time.Time) {
	now := *clk
	d := recordOne(t, a, "协和医院 N95")
	for _, act := range []string{"approve", "publish", "claim"} {
		if _, err := a.Act(called(ActInput{ID: d.ID, Action: act})); err != nil {
			t.Fatalf("Act(%s) = %v", act, err)
		}
	}
	peopleSync(t, a.Store(), b.Store())

	if _, err := b.Act(ActInput{ID: d.ID, Action: "request_transfer"}); err == nil {
		t.Fatalf("Act(request_transfer without a reason) = nil error; want CodeRequired naming note")
	} else if code, field, _ := errCode(t, err); code != CodeRequired || field != "note" {
		t.Errorf("Act(request_transfer without a reason) = %v; want CodeRequired naming note", err)
	}
	det, err := b.Act(ActInput{ID: d.ID, Action: "request_transfer", Note: "我们就在医院旁边"})
	if err != nil || det.Demand.Transfer == nil || !det.Demand.Transfer.Until.Equal(now.Add(12*time.Hour)) {
		t.Fatalf("Act(request_transfer) = %+v, %v; want a request due in 12 h", det.Demand.Transfer, err)
	}
	if !slices.Contains(det.Allowed, relief.ActionTakeOver) {
		t.Errorf("Allowed(requester) = %v; want take_over offered", det.Allowed)
	}
	peopleSync(t, b.Store(), a.Store())
	in, err := a.Inbox()
	if err != nil || !slices.ContainsFunc(in, func(p Pending) bool {
		return p.ID == d.ID && p.What == relief.ReplyTransfer && p.Reason == "我们就在医院旁边" && p.By.String() == b.Status().Device
	}) {
		t.Errorf("Inbox(owner) = %+v, %v; want the transfer request, who asks and why", in, err)
	}
	if page, err := a.InboxPage(InboxQuery{What: relief.ReplyTransfer}); err != nil || len(page.Entries) != 1 ||
		page.Entries[0].Reason != "我们就在医院旁边" || page.Entries[0].By.String() != b.Status().Device {
		t.Errorf("InboxPage(owner, transfer) = %+v, %v; want who asks and why, as the inbox screen reads it", page.Entries, err)
	}

	*clk = clk.Add(11 * time.Hour)
	_, err = b.Act(ActInput{ID: d.ID, Action: "take_over"})
	if code, field, reason := errCode(t, err); code != CodeNotAllowed || field != "action" || reason != ReasonNotDue {
		t.Errorf("Act(take_over before the reply-by) = %v; want CodeNotAllowed naming action, reason not_due", err)
	}
	*clk = clk.Add(2 * time.Hour)
	det, err = b.Act(ActInput{ID: d.ID, Action: "take_over"})
	if err != nil || det.Demand.Owner.String() != b.Status().Device {
		t.Fatalf("Act(take_over after the reply-by) = owner %v, %v; want B", det.Demand.Owner, err)
	}

	// A re-check needs an outcome, and a note when partly needed.
	for _, tc := range []struct {
		in          ActInput
		code, field string
	}{
		{ActInput{ID: d.ID, Action: "recheck"}, CodeRequired, "outcome"},
		{ActInput{ID: d.ID, Action: "recheck", Outcome: "maybe"}, CodeInvalid, "outcome"},
		{ActInput{ID: d.ID, Action: "recheck", Outcome: "partly_needed"}, CodeRequired, "note"},
	} {
		_, err := a.Act(tc.in)
		if code, field, _ := errCode(t, err); code != tc.code || field != tc.field {
			t.Errorf("Act(%+v) = %v; want %s naming %s", tc.in, err, tc.code, tc.field)
		}
	}
	det, err = a.Act(ActInput{ID: d.ID, Action: "recheck", Outcome: "no_longer_needed", Note: "已从别处获得"})
	if err != nil || det.Demand.Status != relief.StatusWithdrawn {
		t.Errorf("Act(recheck no_longer_needed) = %s, %v; want withdrawn", det.Demand.Status, err)
	}
}

// TestRecheckCallList: a published demand unconfirmed for 48 h is on the
// coordinator's call-back list with the requester's contacts, and not in a
// volunteer's inbox.
func TestRecheckCallList(t *testing.T) {
	a, b, clk := clockedNetwork(t)
	d := recordOne(t, a, "协和医院 N95")
	for _, act := range []string{"approve", "publish"} {
		if _, err := a.Act(called(ActInput{ID: d.ID, Action: act})); err != nil {
			t.Fatalf("Act(%s) = %v", act, err)
		}
	}
	peopleSync(t, a.Store(), b.Store())
	*clk = clk.Add(49 * time.Hour)
	in, err := a.Inbox()
	i := slices.IndexFunc(in, func(p Pending) bool { return p.ID == d.ID && p.What == relief.ReplyRecheck })
	if err != nil || i < 0 || len(in[i].Contacts) != 1 || in[i].Contacts[0].Phone == "" || !in[i].Overdue {
		t.Fatalf("Inbox(coordinator) = %+v, %v; want the re-check, overdue, with the requester's phone", in, err)
	}
	in, _ = b.Inbox()
	if slices.ContainsFunc(in, func(p Pending) bool { return p.What == relief.ReplyRecheck }) {
		t.Errorf("Inbox(volunteer) = %+v; want no re-check", in)
	}
}

// TestRevokedRequesterLapses: a transfer request whose requester is revoked
// leaves the owner's inbox on the owner's store, as the revocation arrives
// (a tester was offered 同意转交 for a revoked member; granting it failed),
// and a demand the revoked member owned says so, for a coordinator to hand
// it over.
func TestRevokedRequesterLapses(t *testing.T) {
	a, b, _ := clockedNetwork(t)
	d := recordOne(t, a, "协和医院 N95")
	d2 := recordOne(t, a, "同济医院 防护服")
	for _, id := range []string{d.ID, d2.ID} {
		for _, act := range []string{"approve", "publish"} {
			if _, err := a.Act(called(ActInput{ID: id, Action: act})); err != nil {
				t.Fatalf("Act(%s) = %v", act, err)
			}
		}
	}
	if _, err := a.Act(ActInput{ID: d.ID, Action: "claim"}); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, a.Store(), b.Store())
	if _, err := b.Act(ActInput{ID: d.ID, Action: "request_transfer", Note: "我们就在医院旁边"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Act(ActInput{ID: d2.ID, Action: "claim"}); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, b.Store(), a.Store())
	if in, _ := a.Inbox(); !hasWhat(in, relief.ReplyTransfer) {
		t.Fatalf("Inbox(owner) = %+v; want the request before the revocation", in)
	}
	if det, _ := a.Demand(d2.ID); det.OwnerRevoked {
		t.Fatalf("OwnerRevoked before the revocation")
	}
	if err := a.Revoke(b.Status().Device, "lost laptop"); err != nil {
		t.Fatal(err)
	}
	if in, _ := a.Inbox(); hasWhat(in, relief.ReplyTransfer) {
		t.Errorf("Inbox(owner) after revoking the requester = %+v; want the request gone", in)
	}
	if page, err := a.InboxPage(InboxQuery{What: relief.ReplyTransfer}); err != nil || page.Total != 0 {
		t.Errorf("InboxPage(owner, transfer) = %+v, %v; want none", page, err)
	}
	if det, err := a.Demand(d.ID); err != nil || det.Demand.Transfer != nil || slices.Contains(det.Allowed, relief.ActionAcceptTransfer) || det.OwnerRevoked {
		t.Errorf("Demand = transfer %+v, allowed %v, owner revoked %v, %v; want no request, nothing to grant, its owner active", det.Demand.Transfer, det.Allowed, det.OwnerRevoked, err)
	}
	if det, err := a.Demand(d2.ID); err != nil || !det.OwnerRevoked || !slices.Contains(det.Allowed, relief.ActionHandover) {
		t.Errorf("Demand(owned by the revoked member) = owner revoked %v, allowed %v, %v; want said, and handover offered", det.OwnerRevoked, det.Allowed, err)
	}
}
