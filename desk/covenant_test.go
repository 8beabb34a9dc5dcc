package desk

import (
	"slices"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/relief"
)

// called gives an approve without evidence or reason a call-back as its
// evidence, as the approve form does.
func called(in ActInput) ActInput {
	if in.Action == "approve" && in.Evidence == nil && in.Note == "" {
		in.Evidence = &EvidenceInput{Kind: "callback", Caller: "王", Outcome: "still needed"}
	}
	return in
}

func TestApproveNeedsEvidenceAtTheDesk(t *testing.T) {
	a, _ := peopleNetwork(t)
	d := recordOne(t, a, "协和医院 N95")
	_, err := a.Act(ActInput{ID: d.ID, Action: "approve"})
	wantDeskError(t, "Act(approve, no evidence, no reason)", err, CodeRequired, "evidence")
	_, err = a.Act(ActInput{ID: d.ID, Action: "approve", Evidence: &EvidenceInput{Kind: "notice"}})
	wantDeskError(t, "Act(approve, notice without link)", err, CodeInvalid, "evidence")
	_, err = a.Act(ActInput{ID: d.ID, Action: "approve", Evidence: &EvidenceInput{Kind: "partner", Partner: "nope"}})
	wantDeskError(t, "Act(approve, unknown partner)", err, CodeNotFound, "evidence")
	if got, _ := a.Demand(d.ID); got.Demand.Status != relief.StatusCollected || len(got.Demand.History) != 0 {
		t.Fatalf("after refused approvals: %s with %d steps; want collected, none stored", got.Demand.Status, len(got.Demand.History))
	}
	dd, err := a.Act(ActInput{ID: d.ID, Action: "approve", Evidence: &EvidenceInput{Kind: "callback", Caller: "甲", Outcome: "仍需要"}})
	if err != nil || dd.Demand.Status != relief.StatusApproved || dd.Demand.Verified == nil || dd.Demand.Verified.How != relief.EvidenceCallback || dd.Demand.Verified.Checked.IsZero() {
		t.Fatalf("Act(approve with a call-back) = %+v, %v; want approved, verified by call-back at a time", dd.Demand.Verified, err)
	}
	// A written reason is enough without evidence.
	d2 := recordOne(t, a, "同济 防护服")
	if dd, err := a.Act(ActInput{ID: d2.ID, Action: "approve", Note: "医院官方账号发布"}); err != nil || dd.Demand.Verified == nil || dd.Demand.Verified.How != "" {
		t.Fatalf("Act(approve with a reason) = %+v, %v; want approved, no evidence kind", dd.Demand.Verified, err)
	}
}

func TestCovenantThroughTheDesk(t *testing.T) {
	a, b := peopleNetwork(t)
	if _, err := b.WriteCovenant("", "mine"); err == nil {
		t.Fatalf("WriteCovenant by a volunteer = nil; want not_allowed")
	}
	_, err := b.AcceptCovenant()
	wantDeskError(t, "AcceptCovenant with none", err, CodeNotFound, "covenant")
	c, err := a.WriteCovenant("伙伴契约", "不泄露求助者信息；不经手钱物")
	if err != nil || c.Current != 1 || len(c.NotAccepted) != 2 {
		t.Fatalf("WriteCovenant = %+v, %v; want version 1, both members yet to accept", c, err)
	}
	peopleSync(t, a.Store(), b.Store())
	inbox, err := b.Inbox()
	if err != nil || !slices.ContainsFunc(inbox, func(p Pending) bool { return p.What == relief.ReplyCovenant }) {
		t.Fatalf("B's inbox = %+v, %v; want the covenant to accept", inbox, err)
	}
	page, err := b.InboxPage(InboxQuery{})
	if err != nil || page.Counts[relief.ReplyCovenant] != 1 || !slices.ContainsFunc(page.Entries, func(p Pending) bool { return p.What == relief.ReplyCovenant }) {
		t.Fatalf("B's InboxPage = %+v, %v; want the covenant to accept, counted", page, err)
	}
	if c, err := b.AcceptCovenant(); err != nil || c.Mine != 1 {
		t.Fatalf("AcceptCovenant = %+v, %v; want mine 1", c, err)
	}
	peopleSync(t, b.Store(), a.Store())
	c, _ = a.Covenant()
	if len(c.NotAccepted) != 1 || c.NotAccepted[0].Key.String() != a.Status().Device {
		t.Errorf("Covenant().NotAccepted = %+v; want only the coordinator", c.NotAccepted)
	}
	inbox, _ = a.Inbox()
	if !slices.ContainsFunc(inbox, func(p Pending) bool { return p.What == relief.ReplyCovenant }) ||
		slices.ContainsFunc(inbox, func(p Pending) bool { return p.What == relief.ReplyCovenantMissing }) {
		t.Errorf("A's inbox = %+v; want its own covenant entry and no missing count (only A is missing)", inbox)
	}
	p, err := a.RecordPartner(PartnerInput{Name: "顺丰武汉", Type: "logistics", Contact: "李经理", Phone: "138 0000 0000", Covenant: true})
	if err != nil || p.Covenant != c.Versions[0].ID || p.VouchedBy.String() != a.Status().Device {
		t.Fatalf("RecordPartner = %+v, %v; want signed v1, vouched by A", p, err)
	}
	peopleSync(t, a.Store(), b.Store())
	ps, _ := b.Partners()
	if len(ps) != 1 || len(ps[0].Contacts) != 0 {
		t.Errorf("B's Partners = %+v; want one, its contact point hidden from a volunteer", ps)
	}
}

func TestCheckinThroughTheDesk(t *testing.T) {
	a, b, clk := clockedNetwork(t)
	if _, err := b.SaveProfile(Profile{Name: "乙", EmergencyName: "乙的妈妈", EmergencyPhone: "139 0000 0000"}); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, b.Store(), a.Store())
	d := recordOne(t, a, "送胰岛素")
	for _, act := range []string{"approve", "publish", "claim"} {
		if _, err := a.Act(called(ActInput{ID: d.ID, Action: act})); err != nil {
			t.Fatalf("Act(%s) = %v", act, err)
		}
	}
	task, err := a.OfferTask(d.ID, b.Status().Device, "driver")
	if err != nil {
		t.Fatal(err)
	}
	if task, err = a.PlanReturn(task.ID, clk.Add(2*time.Hour)); err != nil || task.PlannedReturn.IsZero() {
		t.Fatalf("PlanReturn = %+v, %v", task, err)
	}
	peopleSync(t, a.Store(), b.Store())
	for _, act := range []string{"accept", "check_in"} {
		if _, err := b.AnswerTask(task.ID, act); err != nil {
			t.Fatalf("AnswerTask(%s) = %v", act, err)
		}
	}
	peopleSync(t, b.Store(), a.Store())
	if ft, _ := a.FieldTasks(); len(ft) != 1 || ft[0].ID != task.ID {
		t.Errorf("FieldTasks = %+v; want the task out in the field", ft)
	}
	*clk = clk.Add(3 * time.Hour)
	inbox, _ := a.Inbox()
	i := slices.IndexFunc(inbox, func(p Pending) bool { return p.What == relief.ReplyCheckout })
	if i < 0 || !inbox[i].Overdue || len(inbox[i].Contacts) != 1 || inbox[i].Contacts[0].Name != "乙的妈妈" || inbox[i].DemandID != d.ID {
		t.Fatalf("coordinator's inbox = %+v; want the missed check-out with the emergency contact", inbox)
	}
	page, err := a.InboxPage(InboxQuery{What: relief.ReplyCheckout})
	if err != nil || page.Total != 1 || len(page.Entries) != 1 || len(page.Entries[0].Contacts) != 1 {
		t.Fatalf("InboxPage(checkout) = %+v, %v; want the missed check-out with its emergency contact", page, err)
	}
	// The coordinator records the volunteer's call.
	got, err := a.AnswerTask(task.ID, "check_out")
	if err != nil || got.CheckedOut == nil || !got.CheckedOut.Call {
		t.Fatalf("AnswerTask(check_out by the coordinator) = %+v, %v; want recorded from a call", got.CheckedOut, err)
	}
	if inbox, _ := a.Inbox(); slices.ContainsFunc(inbox, func(p Pending) bool { return p.What == relief.ReplyCheckout }) {
		t.Errorf("inbox after the check-out still has it: %+v", inbox)
	}
}
