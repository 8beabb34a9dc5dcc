package desk

import (
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestWithdrawSomeoneElsesDemand: a coordinator withdrawing a demand a
// volunteer created must say why; the volunteer is then told who withdrew
// it and why, until they acknowledge it. Withdrawing one's own demand needs
// no reason.
func TestWithdrawSomeoneElsesDemand(t *testing.T) {
	a, b := peopleNetwork(t)
	d := recordOne(t, b, "四中安置点需要药品")
	peopleSync(t, b.Store(), a.Store())

	_, err := a.Act(ActInput{ID: d.ID, Action: "withdraw", Note: "  "})
	wantDeskError(t, "withdraw of another member's demand without a reason", err, CodeRequired, "note")
	if got, _ := a.Demand(d.ID); got.Demand.Status == relief.StatusWithdrawn {
		t.Fatal("withdrawn without a reason")
	}
	if _, err := a.Act(ActInput{ID: d.ID, Action: "withdraw", Note: "已由区里统一配送"}); err != nil {
		t.Fatalf("withdraw with a reason: %v", err)
	}
	peopleSync(t, a.Store(), b.Store())
	ps, err := b.Inbox()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(ps, func(p Pending) bool { return p.What == relief.ReplyWithdrawn && p.ID == d.ID })
	if i < 0 || ps[i].Notice.Withdrawal.By.String() != a.Status().Device || ps[i].Notice.Withdrawal.Note != "已由区里统一配送" {
		t.Fatalf("B's inbox = %+v; want the withdrawal by A with its reason", ps)
	}
	if _, err := b.Act(ActInput{ID: d.ID, Action: "ack_conflict", Ref: ps[i].Ref}); err != nil {
		t.Fatalf("B acknowledges the withdrawal: %v", err)
	}
	ps, _ = b.Inbox()
	if slices.ContainsFunc(ps, func(p Pending) bool { return p.What == relief.ReplyWithdrawn }) {
		t.Errorf("B's inbox after ack = %+v; want the withdrawal gone", ps)
	}

	// a coordinator undoes it: back to collected
	if dd, err := a.Act(ActInput{ID: d.ID, Action: "reopen", Note: "区里配送取消"}); err != nil || dd.Demand.Status != relief.StatusCollected {
		t.Fatalf("reopen of the withdrawn demand = %s, %v; want collected", dd.Demand.Status, err)
	}

	own := recordOne(t, a, "甲自己的需求")
	if _, err := a.Act(ActInput{ID: own.ID, Action: "withdraw"}); err != nil {
		t.Errorf("withdraw of one's own demand without a reason: %v", err)
	}
}
