package relief

import (
	"testing"
	"time"
)

// fieldWorld has demand d owned by vol2 and a field task t on it offered to
// vol and accepted, planned back at wall ms `back`.
func fieldWorld(t *testing.T, back int64) *world {
	w := seeded(t)
	w.do(coord, 5, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "送药", FieldItems: []Item{{Name: "insulin"}}})))
	w.do(rev, 6, tr(t, "d", ActionApprove, Args{}))
	w.do(rev, 7, tr(t, "d", ActionPublish, Args{}))
	w.do(vol2, 8, tr(t, "d", ActionClaim, Args{}))
	w.do(vol2, 9, must(SetFields(KindTask, "t", map[string]any{FieldDemand: "d", FieldSkill: "driver", FieldOfferedTo: vol,
		FieldPlannedReturn: time.UnixMilli(back)})))
	w.do(vol, 10, must(Transition(KindTask, "t", ActionAccept, Args{})))
	return w
}

func (w *world) task(id string) Task { return FoldTask(w.rec(KindTask, id), w.roster()) }

func whats(ps []Pending) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.What)
	}
	return out
}

func hasCheckout(ps []Pending) bool {
	for _, p := range ps {
		if p.What == ReplyCheckout {
			return true
		}
	}
	return false
}

func TestMissedCheckout(t *testing.T) {
	const back = 1_000_000
	w := fieldWorld(t, back)
	w.do(vol, 100, must(Transition(KindTask, "t", ActionCheckIn, Args{})))
	task := w.task("t")
	if task.CheckedIn == nil || task.CheckedIn.By != vol || !OutInField(task) {
		t.Fatalf("FoldTask after check-in = %+v; want checked in by vol, out in the field", task)
	}
	before, after := time.UnixMilli(back-1), time.UnixMilli(back+1)
	d := []Demand{w.demand("d")}
	ts := []Task{task}
	// Before the planned return, only the volunteer sees it (due soon).
	for _, m := range []struct {
		who      string
		key      Member
		atBefore bool
		atAfter  bool
	}{
		{"volunteer", mustMember(t, w, vol), true, true},
		{"demand owner", mustMember(t, w, vol2), false, true},
		{"coordinator", mustMember(t, w, coord2), false, true},
		{"reviewer", mustMember(t, w, rev), false, false},
	} {
		if got := hasCheckout(Inbox(m.key.Key, w.roster(), d, ts, Deadlines{}, before)); got != m.atBefore {
			t.Errorf("Inbox(%s, before return) check-out = %v; want %v", m.who, got, m.atBefore)
		}
		if got := hasCheckout(Inbox(m.key.Key, w.roster(), d, ts, Deadlines{}, after)); got != m.atAfter {
			t.Errorf("Inbox(%s, after return) check-out = %v; want %v", m.who, got, m.atAfter)
		}
	}
	if o := Overdue(d, ts, Deadlines{}, after); !hasCheckout(o) {
		t.Errorf("Overdue(after return) = %v; want the missed check-out", whats(o))
	}
	// A coordinator records the volunteer's call: back, nothing waits.
	w.do(coord, back+5, must(Transition(KindTask, "t", ActionCheckOut, Args{Call: true})))
	task = w.task("t")
	if task.CheckedOut == nil || !task.CheckedOut.Call || task.CheckedOut.By != coord || OutInField(task) {
		t.Fatalf("FoldTask after check-out = %+v; want checked out by coord from a call", task)
	}
	if p, ok := CheckoutPending(task, after); ok {
		t.Errorf("CheckoutPending(checked out) = %+v; want none", p)
	}
}

func TestCheckinRules(t *testing.T) {
	w := fieldWorld(t, 1_000_000)
	// Another volunteer may not check in for vol; a call flag needs check_in/out.
	w.do(vol3, 100, must(Transition(KindTask, "t", ActionCheckIn, Args{})))
	if task := w.task("t"); task.CheckedIn != nil || len(task.Conflicts) != 1 {
		t.Errorf("FoldTask(check-in by another volunteer) = %+v; want a conflict, no check-in", task)
	}
	if _, err := Transition(KindTask, "t", ActionAccept, Args{Call: true}); err == nil {
		t.Errorf("Transition(accept, call) = nil; want an error")
	}
	// Never checked in: a missed check-out still counts while accepted.
	if _, ok := CheckoutPending(w.task("t"), time.UnixMilli(2_000_000)); !ok {
		t.Errorf("CheckoutPending(accepted, not checked in, past return) = none; want one")
	}
	// Checked in, out, in again: out in the field again.
	w.do(vol, 200, must(Transition(KindTask, "t", ActionCheckIn, Args{})))
	w.do(vol, 300, must(Transition(KindTask, "t", ActionCheckOut, Args{})))
	w.do(vol, 400, must(Transition(KindTask, "t", ActionCheckIn, Args{})))
	if task := w.task("t"); !OutInField(task) || task.CheckedIn.At.Wall != 400 {
		t.Errorf("FoldTask(in, out, in) = %+v; want out in the field since 400", task)
	}
	// A task without a planned return is not a field task.
	w.do(coord, 500, must(SetFields(KindTask, "t", map[string]any{FieldPlannedReturn: nil})))
	if _, ok := CheckoutPending(w.task("t"), time.UnixMilli(2_000_000)); ok {
		t.Errorf("CheckoutPending(no planned return) = one; want none")
	}
}

func TestFieldTasks(t *testing.T) {
	day := time.Date(2020, 2, 3, 0, 0, 0, 0, time.UTC)
	mk := func(id string, back time.Time, in, out bool) Task {
		t := Task{ID: id, OfferedTo: vol, Status: StatusAccepted, PlannedReturn: back}
		if in {
			t.CheckedIn = &Checkpoint{}
		}
		if out {
			t.CheckedOut = &Checkpoint{}
		}
		return t
	}
	tasks := []Task{
		mk("late-out", day.Add(-2*time.Hour), true, false),  // out since yesterday: listed
		mk("today", day.Add(15*time.Hour), false, false),    // planned back today: listed
		mk("back", day.Add(10*time.Hour), true, true),       // back: not listed
		mk("tomorrow", day.Add(30*time.Hour), false, false), // not today, not out: not listed
		mk("no-return", time.Time{}, true, false),           // not a field task
	}
	var ids []string
	for _, t := range FieldTasks(tasks, day.Add(9*time.Hour)) {
		ids = append(ids, t.ID)
	}
	if len(ids) != 2 || ids[0] != "late-out" || ids[1] != "today" {
		t.Errorf("FieldTasks = %v; want [late-out today]", ids)
	}
}

// TestFieldTasksIncidentDay: the tasks of the day are those of the incident's
// day (China time), not of the UTC day, which runs from 08:00 to 08:00 there.
// The reviewer of session 15: at 12-08 10:00 China time a task due back 12-08
// 07:00 was left out and one due 12-09 07:00 listed.
func TestFieldTasksIncidentDay(t *testing.T) {
	at := func(day, hour int) time.Time { return time.Date(2026, 12, day, hour, 0, 0, 0, IncidentZone) }
	mk := func(id string, back time.Time) Task {
		return Task{ID: id, OfferedTo: vol, Status: StatusAccepted, PlannedReturn: back}
	}
	tasks := []Task{
		mk("early-today", at(8, 7)),     // 12-08 07:00 China time (12-07 23:00 UTC): today, listed
		mk("late-today", at(8, 23)),     // 12-08 23:00 (15:00 UTC): today, listed
		mk("early-tomorrow", at(9, 7)),  // 12-09 07:00 (12-08 23:00 UTC, the UTC day of now): not listed
		mk("late-yesterday", at(7, 23)), // 12-07 23:00 (15:00 UTC): yesterday, not listed
	}
	for _, now := range []time.Time{at(8, 10), at(8, 0), at(8, 23).Add(59 * time.Minute)} {
		var ids []string
		for _, t := range FieldTasks(tasks, now.UTC()) { // the zone now is given in must not matter
			ids = append(ids, t.ID)
		}
		if len(ids) != 2 || ids[0] != "early-today" || ids[1] != "late-today" {
			t.Errorf("FieldTasks at %s China time = %v; want [early-today late-today]", now.In(IncidentZone).Format("01-02 15:04"), ids)
		}
	}
}
