package app

import (
	"context"
	"strings"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// TaskView is a piece of work on a demand offered to a volunteer.
type TaskView struct {
	ID        string    `json:"id"`
	Code      string    `json:"code"`
	Demand    string    `json:"demand"`
	Skill     string    `json:"skill"`
	OfferedTo MemberRef `json:"offeredTo"`
	Status    string    `json:"status"`  // offered, accepted, declined, done
	ReplyBy   int64     `json:"replyBy"` // Unix milliseconds; 0 when none
	Overdue   bool      `json:"overdue"` // still offered after ReplyBy
	Allowed   []string  `json:"allowed"` // accept, decline, complete for this member now
}

// MatchView is one volunteer ranked for a task, with why.
type MatchView struct {
	Volunteer VolunteerView `json:"volunteer"`
	Score     float64       `json:"score"` // 0–100
	Why       []string      `json:"why"`   // reason codes "code=value", see relief.MatchVolunteers
}

// TaskService offers tasks on demands to volunteers and records their answers.
type TaskService struct{ a *App }

// Startup is called by Wails when the window opens.
func (s *TaskService) Startup(ctx context.Context) {}

// Shutdown is called by Wails when the window closes.
func (s *TaskService) Shutdown() {}

// ForDemand returns the tasks of a demand, newest first.
func (s *TaskService) ForDemand(demandID string) ([]TaskView, error) {
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	ts, err := st.Tasks()
	if err != nil {
		return nil, asError(err)
	}
	me, _ := st.Me()
	names := memberNames(st)
	now := st.Now()
	out := []TaskView{}
	for _, t := range ts {
		if t.Demand == demandID {
			out = append(out, taskView(t, me, names, now))
		}
	}
	return out, nil
}

// Matches ranks volunteers with a device (who can answer) for a task needing
// skill on demand demandID, now; at most 10, best first, each with why.
func (s *TaskService) Matches(demandID, skill string) ([]MatchView, error) {
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	d, err := st.Demand(demandID)
	if err != nil {
		return nil, asError(err)
	}
	vs, err := st.Volunteers()
	if err != nil {
		return nil, asError(err)
	}
	ts, _ := st.Tasks()
	var withKey []relief.Volunteer
	for _, v := range vs {
		if !v.Key.IsZero() {
			withKey = append(withKey, v)
		}
	}
	now := st.Now()
	need := relief.TaskNeed(relief.Task{Skill: strings.TrimSpace(skill)}, d, now.Local())
	me, _ := st.Me()
	out := []MatchView{}
	for _, m := range relief.MatchVolunteers(need, withKey, ts, 10) {
		out = append(out, MatchView{Volunteer: volunteerView(m.Volunteer, me, ts, now.Local()), Score: m.Score, Why: m.Why})
	}
	return out, nil
}

// Offer offers a task on a demand to a volunteer (member id), with a reply-by
// from the network's deadlines (one hour by default). Errors: CodeRequired /
// CodeInvalid naming "to" or "skill"; CodeNotFound for the demand.
func (s *TaskService) Offer(demandID, to, skill string) (TaskView, error) {
	st, err := s.a.store()
	if err != nil {
		return TaskView{}, err
	}
	if _, err := st.Demand(demandID); err != nil {
		return TaskView{}, &Error{Code: CodeNotFound, Field: "demand", Message: err.Error()}
	}
	key, err := ledger.ParseDeviceID(to)
	if err != nil {
		return TaskView{}, fieldError(CodeInvalid, "to", "%v", err)
	}
	if m, ok := findMember(st, key); !ok || m.Revoked {
		return TaskView{}, fieldError(CodeInvalid, "to", "%s is not an active member", key.Short())
	}
	skill = strings.TrimSpace(skill)
	if skill == "" {
		return TaskView{}, fieldError(CodeRequired, "skill", "is empty")
	}
	id := store.NewID()
	replyBy := st.Now().Add(st.Deadlines().Answer).UTC()
	op, err := relief.SetFields(relief.KindTask, id, map[string]any{
		relief.FieldDemand: demandID, relief.FieldSkill: skill, relief.FieldOfferedTo: key, relief.FieldReplyBy: replyBy,
	})
	if err != nil {
		return TaskView{}, &Error{Code: CodeInvalid, Message: err.Error()}
	}
	if _, err := st.ApplyLocal([]ledger.Op{op}); err != nil {
		return TaskView{}, asError(err)
	}
	return s.get(st, id)
}

// Answer records this member's answer to a task: action is accept, decline or
// complete. Errors: CodeNotAllowed when the task is not offered to this member
// or not in a status the action applies to.
func (s *TaskService) Answer(taskID, action string) (TaskView, error) {
	st, err := s.a.store()
	if err != nil {
		return TaskView{}, err
	}
	t, err := s.get(st, taskID)
	if err != nil {
		return TaskView{}, err
	}
	ok := false
	for _, a := range t.Allowed {
		ok = ok || a == action
	}
	if !ok {
		return TaskView{}, &Error{Code: CodeNotAllowed, Field: "action", Message: action + " is not allowed on task " + t.Code + " now"}
	}
	op, err := relief.Transition(relief.KindTask, taskID, relief.Action(action), relief.Args{})
	if err != nil {
		return TaskView{}, &Error{Code: CodeInvalid, Field: "action", Message: err.Error()}
	}
	if _, err := st.ApplyLocal([]ledger.Op{op}); err != nil {
		return TaskView{}, asError(err)
	}
	return s.get(st, taskID)
}

func (s *TaskService) get(st *store.Store, id string) (TaskView, error) {
	rec, err := st.Record(relief.KindTask, id)
	if err != nil {
		return TaskView{}, asError(err)
	}
	if rec.Last == nil {
		return TaskView{}, &Error{Code: CodeNotFound, Field: "task", Message: "task " + id + " not found"}
	}
	ts, err := st.Tasks()
	if err != nil {
		return TaskView{}, asError(err)
	}
	me, _ := st.Me()
	for _, t := range ts {
		if t.ID == id {
			return taskView(t, me, memberNames(st), st.Now()), nil
		}
	}
	return TaskView{}, &Error{Code: CodeNotFound, Field: "task", Message: "task " + id + " not found"}
}

func taskView(t relief.Task, me relief.Member, names map[ledger.DeviceID]string, now time.Time) TaskView {
	v := TaskView{ID: t.ID, Code: t.Code, Demand: t.Demand, Skill: t.Skill, Status: string(t.Status),
		OfferedTo: MemberRef{ID: t.OfferedTo.String(), Name: names[t.OfferedTo]}, Allowed: []string{}}
	if !t.ReplyBy.IsZero() {
		v.ReplyBy = t.ReplyBy.UnixMilli()
		v.Overdue = t.Status == relief.StatusOffered && now.After(t.ReplyBy)
	}
	for _, a := range relief.AllowedTask(t, me) {
		v.Allowed = append(v.Allowed, string(a))
	}
	return v
}

func findMember(st *store.Store, key ledger.DeviceID) (relief.Member, bool) {
	for _, m := range st.Members() {
		if m.Key == key {
			return m, true
		}
	}
	return relief.Member{}, false
}
