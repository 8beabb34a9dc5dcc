package desk

import (
	"strings"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// Task is a piece of work on a demand offered to a volunteer, as this member
// sees it: Overdue is true while it is still offered after its reply-by;
// Allowed lists the actions this member may take on it now (accept, decline,
// complete).
type Task struct {
	relief.Task
	Overdue bool
	Allowed []relief.Action
	// MissedCheckout: a field task whose planned return has passed without
	// a check-out (relief.CheckoutPending, overdue at now).
	MissedCheckout bool
}

// Match is one volunteer ranked for a task, with why (relief.VolunteerMatch).
type Match struct {
	Volunteer Volunteer
	Score     float64  // 0–100
	Why       []string // reason codes "code=value", see relief.MatchVolunteers and relief.MatchTrained
	// Qualification is the volunteer's qualification for the skill by
	// training courses; nil when no course qualifies for it.
	Qualification *relief.Qualification
}

// MaxMatches is how many volunteers Matches ranks at most.
const MaxMatches = 10

// TasksOf returns the tasks of demand demandID, in the store's order.
//
// The task view's demand index names them; only their records are read.
func (d *Desk) TasksOf(demandID string) ([]Task, error) {
	ts, err := d.st.TasksOfDemand(demandID)
	if err != nil {
		return nil, AsError(err)
	}
	me, _ := d.st.Me()
	now := d.st.Now()
	out := make([]Task, 0, len(ts))
	for _, t := range ts {
		out = append(out, taskFor(t, me, now))
	}
	return out, nil
}

// Task returns the task id. Errors: *Error CodeNotFound naming "task";
// CodeStorage.
func (d *Desk) Task(id string) (Task, error) {
	rec, err := d.st.Record(relief.KindTask, id)
	if err != nil {
		return Task{}, AsError(err)
	}
	if rec.Last == nil {
		return Task{}, &Error{Code: CodeNotFound, Field: "task", Message: "task " + id + " not found"}
	}
	ts, err := d.st.TasksByID([]string{id})
	if err != nil {
		return Task{}, AsError(err)
	}
	me, _ := d.st.Me()
	return taskFor(ts[0], me, d.st.Now()), nil
}

// Matches ranks the volunteers with a device (who can answer) for a task
// needing skill on demand demandID, now: at most MaxMatches, best first, each
// with why; the volunteers qualified for skill by training courses come
// first (relief.MatchTrained). Errors: CodeStorage (also for an unknown demand).
func (d *Desk) Matches(demandID, skill string) ([]Match, error) {
	dm, err := d.st.Demand(demandID)
	if err != nil {
		return nil, AsError(err)
	}
	page, err := d.st.VolunteersQuery(store.VolunteerQuery{HasKey: true})
	if err != nil {
		return nil, AsError(err)
	}
	load, err := d.load()
	if err != nil {
		return nil, err
	}
	var withKey []relief.Volunteer
	for _, v := range page.Volunteers {
		if !v.Key.IsZero() {
			withKey = append(withKey, v)
		}
	}
	now := d.st.Now().In(relief.IncidentZone)
	need := relief.TaskNeed(relief.Task{Skill: strings.TrimSpace(skill)}, dm, now)
	me, _ := d.st.Me()
	out := []Match{}
	courses, err := d.Courses()
	if err != nil {
		return nil, err
	}
	for _, m := range relief.MatchTrained(need, withKey, loadTasks(load), courses, MaxMatches) {
		out = append(out, Match{Volunteer: volunteerFor(m.Volunteer, me, load, now), Score: m.Score, Why: m.Why, Qualification: m.Qualification})
	}
	return out, nil
}

// OfferTask offers a task needing skill on demand demandID to the member to
// (member id), with a reply-by from the network's deadlines (one hour by
// default), and returns it. Errors: *Error CodeNotFound naming "demand";
// CodeInvalid naming "to" (not a member id, not an active member);
// CodeRequired naming "skill"; CodeNoNetwork; CodeNotAllowed; CodeStorage.
func (d *Desk) OfferTask(demandID, to, skill string) (Task, error) {
	if _, err := d.st.Demand(demandID); err != nil {
		return Task{}, &Error{Code: CodeNotFound, Field: "demand", Message: err.Error()}
	}
	key, err := ParseMemberID("to", to)
	if err != nil {
		return Task{}, err
	}
	if m, ok := d.Member(key); !ok || m.Revoked {
		return Task{}, FieldError(CodeInvalid, "to", "%s is not an active member", key.Short())
	}
	skill = strings.TrimSpace(skill)
	if skill == "" {
		return Task{}, FieldError(CodeRequired, "skill", "is empty")
	}
	id := store.NewID()
	replyBy := d.st.Now().Add(d.st.Deadlines().Answer).UTC()
	op, err := relief.SetFields(relief.KindTask, id, map[string]any{
		relief.FieldDemand: demandID, relief.FieldSkill: skill, relief.FieldOfferedTo: key, relief.FieldReplyBy: replyBy,
	})
	if err != nil {
		return Task{}, &Error{Code: CodeInvalid, Message: err.Error()}
	}
	if _, err := d.apply([]ledger.Op{op}); err != nil {
		return Task{}, err
	}
	return d.Task(id)
}

// AnswerTask records this member's answer to a task: action is accept,
// decline or complete; or check_in, check_out (the volunteer, or a
// coordinator recording their phone call). Errors: *Error CodeNotAllowed naming "action" when
// the task is not offered to this member or not in a status the action
// applies to; CodeNotFound naming "task"; CodeStorage.
func (d *Desk) AnswerTask(taskID, action string) (Task, error) {
	t, err := d.Task(taskID)
	if err != nil {
		return Task{}, err
	}
	allowed := false
	for _, a := range t.Allowed {
		allowed = allowed || string(a) == action
	}
	if !allowed {
		return Task{}, &Error{Code: CodeNotAllowed, Field: "action", Message: action + " is not allowed on task " + t.Code + " now"}
	}
	var args relief.Args
	if a := relief.Action(action); (a == relief.ActionCheckIn || a == relief.ActionCheckOut) && d.st.Device() != t.OfferedTo {
		args.Call = true // a coordinator records the volunteer's phone call
	}
	op, err := relief.Transition(relief.KindTask, taskID, relief.Action(action), args)
	if err != nil {
		return Task{}, &Error{Code: CodeInvalid, Field: "action", Message: err.Error()}
	}
	if _, err := d.apply([]ledger.Op{op}); err != nil {
		return Task{}, err
	}
	return d.Task(taskID)
}

// taskFor adds to t what me may do on it now and whether it is overdue at now.
func taskFor(t relief.Task, me relief.Member, now time.Time) Task {
	out := Task{Task: t, Allowed: relief.AllowedTask(t, me)}
	if !t.ReplyBy.IsZero() {
		out.Overdue = t.Status == relief.StatusOffered && now.After(t.ReplyBy)
	}
	if p, ok := relief.CheckoutPending(t, now); ok {
		out.MissedCheckout = p.Overdue
	}
	return out
}
