package relief

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// t0 is the start of the test incident's timeline.
var t0 = time.Date(2020, 1, 26, 8, 0, 0, 0, time.UTC)

// at returns the wall clock (ms) of t0 + d, for world.do.
func at(d time.Duration) int64 { return t0.Add(d).UnixMilli() }

// step is one change of a scenario: who does what on which entity, when.
type step struct {
	by  ledger.DeviceID
	at  time.Duration
	ops []ledger.Op
}

func newDemand(id string) ledger.Op {
	return must(SetFields(KindDemand, id, map[string]any{FieldTitle: "N95 masks " + id, FieldItems: []Item{{Name: "N95"}}}))
}

func newTask(id, demand string, to ledger.DeviceID) ledger.Op {
	return must(SetFields(KindTask, id, map[string]any{FieldDemand: demand, FieldSkill: "driver", FieldOfferedTo: to}))
}

func dtr(id string, a Action) ledger.Op                            { return must(Transition(KindDemand, id, a, argsFor(a))) }
func ttr(id string, a Action) ledger.Op                            { return must(Transition(KindTask, id, a, Args{})) }
func s(by ledger.DeviceID, d time.Duration, ops ...ledger.Op) step { return step{by, d, ops} }

// play applies the steps to a seeded world and returns it.
func play(t testing.TB, steps []step) *world {
	t.Helper()
	w := seeded(t)
	for _, st := range steps {
		w.do(st.by, at(st.at), st.ops...)
	}
	return w
}

// views folds every demand and task of w, sorted by id.
func (w *world) views() ([]Demand, []Task) {
	roster := w.roster()
	var ds []Demand
	var ts []Task
	for _, r := range w.all() {
		switch r.Kind {
		case KindDemand:
			ds = append(ds, FoldDemand(r, roster))
		case KindTask:
			ts = append(ts, FoldTask(r, roster))
		}
	}
	slices.SortFunc(ds, func(a, b Demand) int { return cmpStr(a.ID, b.ID) })
	slices.SortFunc(ts, func(a, b Task) int { return cmpStr(a.ID, b.ID) })
	return ds, ts
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// timeline: a demand in every waiting state, and tasks.
func timeline() []step {
	return []step{
		s(coord, 0, newDemand("collected")),
		s(coord, 0, newDemand("approved"), newDemand("published"), newDemand("owned"), newDemand("released"), newDemand("fulfilled"), newDemand("rejected")),
		s(rev, 30*time.Minute, dtr("approved", ActionApprove), dtr("published", ActionApprove), dtr("owned", ActionApprove), dtr("released", ActionApprove), dtr("fulfilled", ActionApprove)),
		s(rev, 20*time.Minute, dtr("rejected", ActionReject)),
		s(rev, time.Hour, dtr("published", ActionPublish), dtr("owned", ActionPublish), dtr("released", ActionPublish), dtr("fulfilled", ActionPublish)),
		s(vol, 2*time.Hour, dtr("owned", ActionClaim), dtr("released", ActionClaim), dtr("fulfilled", ActionClaim)),
		s(vol, 3*time.Hour, dtr("released", ActionRelease), dtr("fulfilled", ActionFulfil)),
		s(coord, 0, newTask("task-offered", "owned", vol2)),
		s(coord, 10*time.Minute, newTask("task-accepted", "owned", vol2)),
		s(vol2, 20*time.Minute, ttr("task-accepted", ActionAccept)),
		s(coord, 0, newTask("task-replyby", "owned", vol),
			must(SetFields(KindTask, "task-replyby", map[string]any{FieldReplyBy: t0.Add(4 * time.Hour)}))),
	}
}

func TestReplyBy(t *testing.T) {
	ds, _ := play(t, timeline()).views()
	byID := map[string]Demand{}
	for _, d := range ds {
		byID[d.ID] = d
	}
	short := Deadlines{Review: 30 * time.Minute, Claim: time.Hour}
	tests := []struct {
		id   string
		dl   Deadlines
		due  time.Duration // from t0
		what string        // "" = not waiting
	}{
		{"collected", DefaultDeadlines(), 2 * time.Hour, ReplyReview},
		{"collected", short, 30 * time.Minute, ReplyReview},
		{"collected", Deadlines{}, 2 * time.Hour, ReplyReview}, // zero windows take the defaults
		{"approved", DefaultDeadlines(), 150 * time.Minute, ReplyPublish},
		{"published", DefaultDeadlines(), 7 * time.Hour, ReplyClaim},
		{"published", short, 2 * time.Hour, ReplyClaim},
		{"released", DefaultDeadlines(), 9 * time.Hour, ReplyClaim},
		{"owned", DefaultDeadlines(), 0, ""},
		{"fulfilled", DefaultDeadlines(), 0, ""},
		{"rejected", DefaultDeadlines(), 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			due, what, ok := ReplyBy(byID[tt.id], tt.dl)
			var want time.Time
			if tt.what != "" {
				want = t0.Add(tt.due)
			}
			if ok != (tt.what != "") || what != tt.what || !due.Equal(want) {
				t.Errorf("ReplyBy(%s, %+v) = %v, %q, %v; want %v, %q", tt.id, tt.dl, due, what, ok, want, tt.what)
			}
		})
	}
}

func TestTaskReplyBy(t *testing.T) {
	_, ts := play(t, timeline()).views()
	tests := []struct {
		id   string
		due  time.Duration
		want bool
	}{
		{"task-accepted", 0, false},
		{"task-offered", time.Hour, true},
		{"task-replyby", 4 * time.Hour, true},
	}
	for i, tt := range tests {
		got := ts[i]
		if got.ID != tt.id {
			t.Fatalf("task %d is %s; want %s", i, got.ID, tt.id)
		}
		due, what, ok := TaskReplyBy(got, DefaultDeadlines())
		if ok != tt.want || (ok && (!due.Equal(t0.Add(tt.due)) || what != ReplyAnswer)) {
			t.Errorf("TaskReplyBy(%s) = %v, %q, %v; want %v, %v", tt.id, due, what, ok, t0.Add(tt.due), tt.want)
		}
	}
}

func ids(ps []Pending) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.What+":"+p.ID)
	}
	return out
}

func TestOverdue(t *testing.T) {
	ds, ts := play(t, timeline()).views()
	tests := []struct {
		now  time.Duration
		want []string
	}{
		{0, nil},
		{time.Hour + time.Minute, []string{"answer:task-offered"}},
		{2*time.Hour + time.Minute, []string{"answer:task-offered", "review:collected"}},
		{3 * time.Hour, []string{"answer:task-offered", "review:collected", "publish:approved"}},
		{10 * time.Hour, []string{"answer:task-offered", "review:collected", "publish:approved", "answer:task-replyby", "claim:published", "claim:released"}},
	}
	for _, tt := range tests {
		got := Overdue(ds, ts, DefaultDeadlines(), t0.Add(tt.now))
		if !slices.Equal(ids(got), tt.want) {
			t.Errorf("Overdue(now=t0+%v) = %q; want %q", tt.now, ids(got), tt.want)
		}
		for _, p := range got {
			if !p.Overdue || !p.Due.Before(t0.Add(tt.now)) {
				t.Errorf("Overdue(now=t0+%v): %s due %v, overdue %v", tt.now, p.ID, p.Due, p.Overdue)
			}
		}
	}
	// Exactly at the deadline is not overdue yet.
	if got := Overdue(ds, ts, DefaultDeadlines(), t0.Add(time.Hour)); len(got) != 0 {
		t.Errorf("Overdue(now=due) = %q; want none", ids(got))
	}
}

func TestInbox(t *testing.T) {
	w := play(t, timeline())
	w.do(coord, at(0), must(Revoke(vol3, 0, "left")))
	ds, ts := w.views()
	now := t0.Add(100 * time.Minute)
	staffWants := []string{"review:collected", "publish:approved", "claim:published", "claim:released"}
	tests := []struct {
		who  ledger.DeviceID
		name string
		want []string
	}{
		{coord, "coordinator", staffWants},
		{rev, "reviewer", staffWants},
		{vol, "volunteer owning a demand", []string{"answer:task-replyby", "claim:published", "claim:released", "follow_up:owned"}},
		{vol2, "volunteer with tasks", []string{"answer:task-offered", "claim:published", "claim:released", "complete:task-accepted"}},
		{obs, "observer", nil},
		{vol3, "revoked", nil},
		{nobody, "non-member", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Inbox(tt.who, w.roster(), ds, ts, DefaultDeadlines(), now)
			if !slices.Equal(ids(got), tt.want) {
				t.Errorf("Inbox(%s) = %q; want %q", tt.name, ids(got), tt.want)
			}
		})
	}
	// Flags at now = t0+100m: the task offered at t0 is overdue (due t0+1h); the
	// collected demand (due t0+2h, 20 of 120 minutes left) is due soon.
	got := Inbox(vol2, w.roster(), ds, ts, DefaultDeadlines(), now)
	if p := got[0]; p.ID != "task-offered" || !p.Overdue || p.Soon || p.To != vol2 {
		t.Errorf("Inbox(vol2)[0] = %+v; want task-offered overdue, to vol2", p)
	}
	got = Inbox(coord, w.roster(), ds, ts, DefaultDeadlines(), now)
	if p := got[0]; p.ID != "collected" || p.Overdue || !p.Soon || !p.Due.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("Inbox(coord)[0] = %+v; want collected, due soon at t0+2h", p)
	}
}

func TestNetworkDeadlines(t *testing.T) {
	w := seeded(t)
	def := DefaultDeadlines()
	w.do(coord, at(0), must(SetDeadlines("net", Deadlines{Review: 30 * time.Minute, Claim: 3 * time.Hour})))
	got := NetworkDeadlines(w.rec(KindNetwork, "net"), w.roster())
	want := Deadlines{Review: 30 * time.Minute, Publish: def.Publish, Claim: 3 * time.Hour, Answer: def.Answer,
		FollowUp: def.FollowUp, Transfer: def.Transfer, Recheck: def.Recheck}
	if got != want {
		t.Errorf("NetworkDeadlines(after coordinator set) = %+v; want %+v", got, want)
	}
	// A volunteer's later write does not count: the default comes back for that
	// field, never the volunteer's value.
	w.do(vol, at(time.Minute), must(SetFields(KindNetwork, "net", map[string]any{FieldReviewWithin: int64(1)})))
	got = NetworkDeadlines(w.rec(KindNetwork, "net"), w.roster())
	want.Review = def.Review
	if got != want {
		t.Errorf("NetworkDeadlines(after volunteer write) = %+v; want %+v", got, want)
	}
	if got := NetworkDeadlines(nil, w.roster()); got != def {
		t.Errorf("NetworkDeadlines(nil) = %+v; want %+v", got, def)
	}
	// The name still works alongside.
	w.do(vol, at(2*time.Minute), must(SetFields(KindNetwork, "net", map[string]any{FieldName: "Wuhan 2020"})))

	for _, dl := range []Deadlines{{}, {Review: time.Second}, {Claim: 31 * 24 * time.Hour}, {Answer: -time.Hour}} {
		if _, err := SetDeadlines("net", dl); !errors.Is(err, ErrInvalidOp) {
			t.Errorf("SetDeadlines(%+v) = %v; want ErrInvalidOp", dl, err)
		}
	}
	for _, m := range []int64{0, -5, MaxWithinMinutes + 1} {
		if _, err := SetFields(KindNetwork, "net", map[string]any{FieldClaimWithin: m}); !errors.Is(err, ErrInvalidOp) {
			t.Errorf("SetFields(claim_within=%d) = %v; want ErrInvalidOp", m, err)
		}
	}
	if _, err := SetFields(KindNetwork, "net", map[string]any{FieldClaimWithin: "6h"}); !errors.Is(err, ErrInvalidOp) {
		t.Errorf("SetFields(claim_within=\"6h\") = %v; want ErrInvalidOp", err)
	}
}
