package app

import (
	"context"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/ledger"
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
	Allowed   []string  `json:"allowed"` // accept, decline, complete, check_in, check_out for this member now
	// PlannedReturn is when the volunteer of a field task plans to be back,
	// Unix milliseconds; 0: not a field task.
	PlannedReturn int64 `json:"plannedReturn"`
	// CheckedIn and CheckedOut are the last check-in and the check-out
	// after it, Unix milliseconds; 0 none. ByCall: the last of them was
	// recorded by a coordinator from the volunteer's phone call.
	CheckedIn  int64 `json:"checkedIn"`
	CheckedOut int64 `json:"checkedOut"`
	ByCall     bool  `json:"byCall"`
	// MissedCheckout: the planned return has passed without a check-out.
	MissedCheckout bool `json:"missedCheckout"`
}

// MatchView is one volunteer ranked for a task, with why.
type MatchView struct {
	Volunteer VolunteerView `json:"volunteer"`
	Score     float64       `json:"score"` // 0–100
	Why       []string      `json:"why"`   // reason codes "code=value", see relief.MatchVolunteers
	// Qualification is the volunteer's qualification for the skill by
	// training courses (relief.MatchTrained); null when no course qualifies for it.
	Qualification *QualificationView `json:"qualification"`
}

// TaskService offers tasks on demands to volunteers and records their answers.
type TaskService struct{ a *App }

// Startup is called by Wails when the window opens.
func (s *TaskService) Startup(ctx context.Context) {}

// Shutdown is called by Wails when the window closes.
func (s *TaskService) Shutdown() {}

// ForDemand returns the tasks of a demand.
func (s *TaskService) ForDemand(demandID string) ([]TaskView, error) {
	dk, err := s.a.viewsDesk()
	if err != nil {
		return nil, err
	}
	ts, err := dk.TasksOf(demandID)
	if err != nil {
		return nil, err
	}
	names := dk.MemberNames()
	out := make([]TaskView, 0, len(ts))
	for _, t := range ts {
		out = append(out, taskView(t, names))
	}
	return out, nil
}

// Matches ranks volunteers with a device (who can answer) for a task needing
// skill on demand demandID, now; at most 10, best first, each with why.
func (s *TaskService) Matches(demandID, skill string) ([]MatchView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	ms, err := dk.Matches(demandID, skill)
	if err != nil {
		return nil, err
	}
	out := make([]MatchView, 0, len(ms))
	for _, m := range ms {
		out = append(out, MatchView{Volunteer: volunteerView(m.Volunteer), Score: m.Score, Why: orEmpty(m.Why), Qualification: qualificationView(m.Qualification)})
	}
	return out, nil
}

// Offer offers a task on a demand to a volunteer (member id), with a reply-by
// from the network's deadlines (one hour by default). Errors: CodeRequired /
// CodeInvalid naming "to" or "skill"; CodeNotFound for the demand.
func (s *TaskService) Offer(demandID, to, skill string) (TaskView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return TaskView{}, err
	}
	t, err := dk.OfferTask(demandID, to, skill)
	if err != nil {
		return TaskView{}, err
	}
	return taskView(t, dk.MemberNames()), nil
}

// Answer records this member's answer to a task: action is accept, decline or
// complete. Errors: CodeNotAllowed when the task is not offered to this member
// or not in a status the action applies to.
func (s *TaskService) Answer(taskID, action string) (TaskView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return TaskView{}, err
	}
	t, err := dk.AnswerTask(taskID, action)
	if err != nil {
		return TaskView{}, err
	}
	return taskView(t, dk.MemberNames()), nil
}

// taskView converts a task as the desk shows it, naming its volunteer.
func taskView(t desk.Task, names map[ledger.DeviceID]string) TaskView {
	v := TaskView{ID: t.ID, Code: t.Code, Demand: t.Demand, Skill: t.Skill, Status: string(t.Status),
		OfferedTo: MemberRef{ID: t.OfferedTo.String(), Name: names[t.OfferedTo]}, Overdue: t.Overdue, Allowed: []string{}}
	if !t.ReplyBy.IsZero() {
		v.ReplyBy = t.ReplyBy.UnixMilli()
	}
	for _, a := range t.Allowed {
		v.Allowed = append(v.Allowed, string(a))
	}
	if !t.PlannedReturn.IsZero() {
		v.PlannedReturn = t.PlannedReturn.UnixMilli()
	}
	if c := t.CheckedIn; c != nil {
		v.CheckedIn, v.ByCall = c.At.Wall, c.Call
	}
	if c := t.CheckedOut; c != nil {
		v.CheckedOut, v.ByCall = c.At.Wall, c.Call
	}
	v.MissedCheckout = t.MissedCheckout
	return v
}
