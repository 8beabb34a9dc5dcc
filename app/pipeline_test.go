package app

import (
	"slices"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestWholePipeline runs a demand through every step the coordinator's desk
// offers, with a task offered to a volunteer (here the coordinator's own
// profile) who accepts and completes it, then checks history and points.
func TestWholePipeline(t *testing.T) {
	a := newApp(t, t.TempDir())
	if _, err := a.Network.Create("Flood", "甲"); err != nil {
		t.Fatal(err)
	}
	me, err := a.Volunteers.SaveProfile(ProfileInput{Name: "甲", Skills: []string{"driver", "medic"}, Region: "江汉区",
		Availability: []WindowView{{Day: 1, From: 480, To: 1020}}})
	if err != nil {
		t.Fatalf("SaveProfile = %v", err)
	}
	if _, err := a.Volunteers.SaveProfile(ProfileInput{Name: "甲", Skills: []string{"driver"}}); err != nil {
		t.Fatalf("SaveProfile (remove a skill) = %v", err)
	}
	if p, _ := a.Volunteers.MyProfile(); strings.Join(p.Skills, ",") != "driver" || len(p.Availability) != 0 {
		t.Errorf("MyProfile = %+v; want skills [driver], no windows", p)
	}
	if _, err := a.Volunteers.SaveProfile(ProfileInput{Name: "甲", Availability: []WindowView{{Day: 9, From: 0, To: 60}}}); err == nil ||
		!strings.Contains(err.Error(), "availability[0]") {
		t.Errorf("SaveProfile with day 9 = %v; want an error naming availability[0]", err)
	}

	d, err := a.Demands.Record(DemandInput{Title: "Union Hospital needs N95", Category: "protective_equipment", District: "江汉区",
		Items: []ItemInput{item("N95口罩", "5000", "只")}, ContactName: "乙老师", ContactPhone: "189 0000 0000"})
	if err != nil {
		t.Fatal(err)
	}
	act := func(in ActInput) DemandDetail {
		t.Helper()
		in.ID = d.ID
		out, err := a.Demands.Act(in)
		if err != nil {
			t.Fatalf("Act(%+v) = %v", in, err)
		}
		return out
	}
	act(ActInput{Action: "approve", Note: "医院官方账号"})
	act(ActInput{Action: "publish"})
	det := act(ActInput{Action: "claim"})
	if det.Owner == nil || det.Owner.Name != "甲" {
		t.Fatalf("owner after claim = %+v; want 甲", det.Owner)
	}
	if len(det.Contacts) != 1 || det.Contacts[0].Phone != "+8618900000000" {
		t.Errorf("the owner does not see the restricted contact: %+v (hidden %+v)", det.Contacts, det.Hidden)
	}
	if _, err := a.Demands.Act(ActInput{ID: d.ID, Action: "approve"}); err == nil || !strings.Contains(err.Error(), CodeNotAllowed) {
		t.Errorf("approve on a published demand = %v; want %s", err, CodeNotAllowed)
	}

	matches, err := a.Tasks.Matches(d.ID, "driver")
	if err != nil || len(matches) != 1 || matches[0].Volunteer.Key == "" {
		t.Fatalf("Matches = %+v, %v; want my profile", matches, err)
	}
	task, err := a.Tasks.Offer(d.ID, matches[0].Volunteer.Key, "driver")
	if err != nil || task.Status != "offered" || task.ReplyBy == 0 {
		t.Fatalf("Offer = %+v, %v", task, err)
	}
	if inbox, _ := a.Inbox.List(); !hasPending(inbox, "task", task.ID, relief.ReplyAnswer) {
		t.Errorf("Inbox = %+v; want the task awaiting my answer", inbox)
	}
	if task, err = a.Tasks.Answer(task.ID, "accept"); err != nil || task.Status != "accepted" {
		t.Fatalf("accept = %+v, %v", task, err)
	}
	if vs, _ := a.Volunteers.List(); len(vs) != 1 || vs[0].Load != 1 || vs[0].ID != me.ID {
		t.Errorf("volunteers = %+v; want me with load 1", vs)
	}
	if _, err = a.Tasks.Answer(task.ID, "complete"); err != nil {
		t.Fatal(err)
	}

	if _, err := a.Demands.Act(ActInput{ID: d.ID, Action: "deliver", Received: []ReceiptInput{{Item: "N95口罩", Quantity: "-3"}}}); err == nil ||
		!strings.Contains(err.Error(), "received[0].quantity") {
		t.Errorf("deliver -3 = %v; want an error naming received[0].quantity", err)
	}
	act(ActInput{Action: "deliver", Received: []ReceiptInput{{Item: "N95口罩", Quantity: "5000"}}})
	det = act(ActInput{Action: "fulfil"})
	if det.Status != "fulfilled" || det.Items[0].Received != 5000 {
		t.Errorf("after fulfil: status %s received %v", det.Status, det.Items[0].Received)
	}
	var actions []string
	for _, s := range det.History {
		actions = append(actions, s.Action)
	}
	if got := strings.Join(actions, ","); got != "approve,publish,claim,deliver,fulfil" {
		t.Errorf("history = %s", got)
	}

	lb, err := a.Points.Leaderboard()
	if err != nil || len(lb) != 1 {
		t.Fatalf("Leaderboard = %+v, %v", lb, err)
	}
	fulfilledPoints := lb[0].Points

	// A coordinator reopens it, with a reason; the fulfil points go with it.
	if _, err := a.Demands.Act(ActInput{ID: d.ID, Action: "reopen", Note: "  "}); err == nil ||
		!strings.Contains(err.Error(), `"field":"note"`) {
		t.Errorf("reopen without a reason = %v; want an error naming note", err)
	}
	det = act(ActInput{Action: "reopen", Note: "防护服还没到"})
	if det.Status != "in_progress" || det.Owner == nil || det.Owner.Name != "甲" {
		t.Errorf("after reopen: status %s owner %+v; want in_progress, owned by 甲", det.Status, det.Owner)
	}
	if last := det.History[len(det.History)-1]; last.Action != "reopen" || last.Note != "防护服还没到" {
		t.Errorf("last step = %+v; want reopen with its reason", last)
	}
	if !slices.Contains(det.Allowed, "fulfil") || slices.Contains(det.Allowed, "reopen") {
		t.Errorf("allowed after reopen = %v; want fulfil, not reopen", det.Allowed)
	}
	if lb, _ := a.Points.Leaderboard(); len(lb) != 1 || lb[0].Points != fulfilledPoints-relief.RuleDemandFulfilled.Points() {
		t.Errorf("points after reopen = %+v; want %d", lb, fulfilledPoints-relief.RuleDemandFulfilled.Points())
	}
	det = act(ActInput{Action: "fulfil"})
	if det.Status != "fulfilled" || !slices.Contains(det.Allowed, "reopen") {
		t.Errorf("fulfilled again: status %s allowed %v", det.Status, det.Allowed)
	}
	if lb, err = a.Points.Leaderboard(); err != nil || len(lb) != 1 || lb[0].Points != fulfilledPoints {
		t.Fatalf("points after fulfilling again = %+v, %v; want %d", lb, err, fulfilledPoints)
	}
	rules := map[string]bool{}
	for _, aw := range lb[0].History {
		rules[aw.Rule] = true
	}
	for _, r := range []relief.PointRule{relief.RuleDemandRecorded, relief.RuleDemandFulfilled} {
		if !rules[string(r)] {
			t.Errorf("points history %+v lacks %s", lb[0].History, r)
		}
	}
	if lb[0].Member.Name != "甲" || lb[0].Points < 10 {
		t.Errorf("leaderboard = %+v", lb[0])
	}
}

func hasPending(ps []PendingView, kind, id, what string) bool {
	for _, p := range ps {
		if p.Kind == kind && p.ID == id && p.What == what {
			return true
		}
	}
	return false
}

func TestEndorseNamesBadInput(t *testing.T) {
	a := newApp(t, t.TempDir())
	a.Network.Create("Flood", "甲")
	other, _ := store.Open(t.TempDir(), store.Options{})
	id := other.Device().String()
	other.Close()
	for _, tc := range []struct{ id, role, field string }{
		{"nonsense", "volunteer", "memberId"},
		{id, "king", "role"},
	} {
		if _, err := a.Network.Endorse(tc.id, tc.role, "乙"); err == nil || !strings.Contains(err.Error(), `"field":"`+tc.field+`"`) {
			t.Errorf("Endorse(%q, %q) = %v; want an error naming %s", tc.id, tc.role, err, tc.field)
		}
	}
	ms, err := a.Network.Endorse(id, "volunteer", "乙")
	if err != nil || len(ms) != 2 {
		t.Fatalf("Endorse = %+v, %v", ms, err)
	}
	if _, err := a.Network.Endorse(id, "volunteer", "乙"); err == nil {
		t.Error("endorsing a member twice succeeded")
	}
	ms, err = a.Network.Revoke(id, "lost laptop")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.ID == id && !m.Revoked {
			t.Errorf("member %s not revoked: %+v", id, m)
		}
	}
}
