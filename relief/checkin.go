package relief

import (
	"slices"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// Safety check-ins: a field task has a planned return (FieldPlannedReturn);
// its volunteer checks in on arrival (ActionCheckIn) and out on return
// (ActionCheckOut), in one click, or a coordinator records their phone call
// (Args.Call). A task whose planned return has passed without a check-out is
// a missed check-out (ReplyCheckout): the fold derives it from the changes
// alone (the planned return is a field, the check-out a step), so every peer
// raises the same alert at the same time, as with the other reply-by
// windows. It reaches the volunteer from the start, and once overdue the
// owner of the task's demand and every coordinator, with the volunteer's
// emergency contact (FieldEmergencyContacts, restricted).

// Fields of safety check-ins.
const (
	FieldPlannedReturn     = "planned_return"     // task [time.Time]: when the volunteer plans to be back; zero: not a field task
	FieldEmergencyContacts = "emergency_contacts" // volunteer [[]Contact]: whom to call if they do not come back (restricted)
)

// Check-in actions on a task (TaskRules).
const (
	ActionCheckIn  Action = "check_in"  // the volunteer arrived on site (Args.Call: a coordinator records their call)
	ActionCheckOut Action = "check_out" // the volunteer is back (Args.Call: a coordinator records their call)
)

// ReplyCheckout: a field task waits for its volunteer's check-out, due at its
// planned return (see CheckoutPending).
const ReplyCheckout = "checkout"

// Checkpoint is a check-in or a check-out.
type Checkpoint struct {
	At   ledger.Stamp    `json:"at" level:"team"`
	By   ledger.DeviceID `json:"by" level:"team"`   // who recorded it: the volunteer, or a coordinator
	Call bool            `json:"call" level:"team"` // recorded from the volunteer's phone call
}

// foldCheckins sets the check-in state of t from its applied history: the
// last check-in, and the last check-out after it (a check-in after a
// check-out starts a new trip; a check-out without check-in counts).
func foldCheckins(t *Task) {
	t.CheckedIn, t.CheckedOut = nil, nil
	for _, s := range t.History {
		cp := &Checkpoint{At: s.Meta.Stamp, By: s.Meta.Device, Call: s.Args.Call}
		switch s.Action {
		case ActionCheckIn:
			t.CheckedIn, t.CheckedOut = cp, nil
		case ActionCheckOut:
			t.CheckedOut = cp
		}
	}
}

// OutInField reports whether the task's volunteer is out in the field: a
// field task (planned return set) accepted or done, checked in and not
// checked out since.
func OutInField(t Task) bool {
	return !t.PlannedReturn.IsZero() && t.CheckedIn != nil && t.CheckedOut == nil &&
		(t.Status == StatusAccepted || t.Status == StatusDone)
}

// CheckoutPending returns the check-out a field task waits for: What
// ReplyCheckout, To its volunteer, Since its check-in (or its creation),
// Due its planned return, flagged at now. ok is false when the task has no
// planned return, was checked out, was declined, or was completed without
// ever being checked in.
func CheckoutPending(t Task, now time.Time) (Pending, bool) {
	if t.PlannedReturn.IsZero() || t.CheckedOut != nil || t.OfferedTo.IsZero() {
		return Pending{}, false
	}
	if t.Status != StatusAccepted && !(t.Status == StatusDone && t.CheckedIn != nil) {
		return Pending{}, false
	}
	since := t.CreatedAt.Time()
	if t.CheckedIn != nil {
		since = t.CheckedIn.At.Time()
	}
	p := Pending{Kind: KindTask, ID: t.ID, Code: t.Code, What: ReplyCheckout, Status: t.Status,
		Since: since, Due: t.PlannedReturn.UTC(), To: t.OfferedTo}
	p.flag(now)
	return p, true
}

// checkoutsFor returns the check-out entries of tasks for member m: their
// own at once, and once overdue those of tasks whose demand m owns, or all
// for a coordinator.
func checkoutsFor(m Member, demands []Demand, tasks []Task, now time.Time) []Pending {
	owners := make(map[string]ledger.DeviceID, len(demands))
	for _, d := range demands {
		owners[d.ID] = d.Owner
	}
	var out []Pending
	for _, t := range tasks {
		p, ok := CheckoutPending(t, now)
		if !ok {
			continue
		}
		if p.To == m.Key || (p.Overdue && (m.Role == RoleCoordinator || owners[t.Demand] == m.Key)) {
			out = append(out, p)
		}
	}
	return out
}

// FieldTasks returns the tasks of the day: the field tasks whose volunteer
// is out (OutInField), or whose planned return falls on the day of now in
// IncidentZone (from midnight there to the next midnight, whatever the zone
// now is given in) and who are not yet back, ordered by planned return,
// then id.
func FieldTasks(tasks []Task, now time.Time) []Task {
	day := IncidentDay(now)
	var out []Task
	for _, t := range tasks {
		_, waiting := CheckoutPending(t, now)
		today := !t.PlannedReturn.IsZero() && !t.PlannedReturn.Before(day) && t.PlannedReturn.Before(day.AddDate(0, 0, 1))
		if OutInField(t) || (today && waiting) {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b Task) int {
		if c := a.PlannedReturn.Compare(b.PlannedReturn); c != 0 {
			return c
		}
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
	return out
}
