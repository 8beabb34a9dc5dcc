package app

import (
	"context"
	"time"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/relief"
)

// WindowView is a weekly availability window: Day 0 = Sunday … 6 = Saturday,
// From and To in minutes after local midnight.
type WindowView struct {
	Day  int `json:"day"`
	From int `json:"from"`
	To   int `json:"to"`
}

// VolunteerView is a volunteer as the registry shows it.
type VolunteerView struct {
	ID           string        `json:"id"`
	Code         string        `json:"code"`
	Key          string        `json:"key"` // member id, empty if the volunteer has no device
	Name         string        `json:"name"`
	Phone        string        `json:"phone"` // restricted: empty when hidden
	Skills       []string      `json:"skills"`
	Training     []string      `json:"training"`
	Region       string        `json:"region"`
	Organisation string        `json:"organisation"`
	Availability []WindowView  `json:"availability"`
	AvailableNow bool          `json:"availableNow"` // inside a window at the time asked
	Today        []WindowView  `json:"today"`        // today's windows
	Load         int           `json:"load"`         // tasks accepted and not done
	Hidden       []HiddenField `json:"hidden"`
	// EmergencyName and EmergencyPhone: whom to call if the volunteer does
	// not come back from a field task (restricted: empty when hidden).
	EmergencyName  string `json:"emergencyName"`
	EmergencyPhone string `json:"emergencyPhone"`
}

// ProfileInput is what "my profile" saves. Skills and Training are the whole
// wanted lists: the service adds what is new and removes what is gone.
type ProfileInput struct {
	Name         string       `json:"name"`
	Phone        string       `json:"phone"`
	Region       string       `json:"region"`
	Organisation string       `json:"organisation"`
	Skills       []string     `json:"skills"`
	Training     []string     `json:"training"`
	Availability []WindowView `json:"availability"`
	// EmergencyName and EmergencyPhone: whom to call if the volunteer does
	// not come back from a field task (restricted); both empty: none.
	EmergencyName  string `json:"emergencyName"`
	EmergencyPhone string `json:"emergencyPhone"`
}

// VolunteerService keeps the volunteer registry: who, what, when, where.
type VolunteerService struct{ a *App }

// Startup is called by Wails when the window opens.
func (s *VolunteerService) Startup(ctx context.Context) {}

// Shutdown is called by Wails when the window closes.
func (s *VolunteerService) Shutdown() {}

// List returns every volunteer, with availability at this moment and load.
func (s *VolunteerService) List() ([]VolunteerView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	vs, err := dk.Volunteers()
	if err != nil {
		return nil, err
	}
	out := make([]VolunteerView, len(vs))
	for i, v := range vs {
		out[i] = volunteerView(v)
	}
	return out, nil
}

// MyProfile returns this device's own volunteer profile (empty fields if none yet).
func (s *VolunteerService) MyProfile() (VolunteerView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return VolunteerView{}, err
	}
	v, err := dk.MyProfile()
	if err != nil {
		return VolunteerView{}, err
	}
	return volunteerView(v), nil
}

// SaveProfile writes this device's volunteer profile. Errors: *Error naming the
// field (name required, windows out of range, too long).
func (s *VolunteerService) SaveProfile(in ProfileInput) (VolunteerView, error) {
	windows := make([]relief.Window, 0, len(in.Availability))
	for _, w := range in.Availability {
		windows = append(windows, relief.Window{Day: time.Weekday(w.Day), From: w.From, To: w.To})
	}
	dk, err := s.a.desk()
	if err != nil {
		return VolunteerView{}, err
	}
	v, err := dk.SaveProfile(desk.Profile{Name: in.Name, Phone: in.Phone, Region: in.Region, Organisation: in.Organisation,
		Skills: in.Skills, Training: in.Training, Availability: windows,
		EmergencyName: in.EmergencyName, EmergencyPhone: in.EmergencyPhone})
	if err != nil {
		return VolunteerView{}, err
	}
	return volunteerView(v), nil
}

// volunteerView converts a volunteer as the desk shows it to the UI's view.
func volunteerView(v desk.Volunteer) VolunteerView {
	out := VolunteerView{ID: v.ID, Code: v.Code, Name: v.Name, Skills: orEmpty(v.Skills), Training: orEmpty(v.Training),
		Region: v.Region, Organisation: v.Organisation, Availability: windowViews(v.Availability), Today: windowViews(v.Today),
		AvailableNow: v.AvailableNow, Load: v.Load, Hidden: hiddenViews(v.Hidden)}
	if !v.Key.IsZero() {
		out.Key = v.Key.String()
	}
	if len(v.Contacts) > 0 {
		out.Phone = v.Contacts[0].Phone
	}
	if len(v.Emergency) > 0 {
		out.EmergencyName, out.EmergencyPhone = v.Emergency[0].Name, v.Emergency[0].Phone
	}
	return out
}

// windowViews converts availability windows; never nil.
func windowViews(ws []relief.Window) []WindowView {
	out := make([]WindowView, 0, len(ws))
	for _, w := range ws {
		out = append(out, WindowView{Day: int(w.Day), From: w.From, To: w.To})
	}
	return out
}

// orEmpty returns s, or an empty slice for nil (Go never sends a null slice).
func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// PendingView is one request waiting for an answer (relief.Pending).
type PendingView struct {
	Kind     string `json:"kind"`     // demand or task; member (undone, fork); volunteer or offer (a refused write of the record: What conflict)
	ID       string `json:"id"`       // the demand's or task's id
	DemandID string `json:"demandId"` // for a task: its demand
	Code     string `json:"code"`
	Title    string `json:"title"` // the demand's title
	What     string `json:"what"`  // review, publish, claim, answer, owned, complete, follow_up, transfer, recheck
	Status   string `json:"status"`
	Since    int64  `json:"since"` // Unix milliseconds
	Due      int64  `json:"due"`   // Unix milliseconds; 0 when there is no deadline
	Overdue  bool   `json:"overdue"`
	Soon     bool   `json:"soon"`
	To       string `json:"to"` // the member it waits on (id); "" when it waits on a role
	By       string `json:"by"` // transfer: the member who asked to take over (id); "" otherwise
	// ByName is By's name on the roster ("" when unknown), and Reason, on a
	// transfer request, why By asks to take the demand over.
	ByName string `json:"byName"`
	Reason string `json:"reason"`
	// Contacts: on a re-check entry, the requester's contacts to call; on a
	// missed check-out ("checkout"), the volunteer's emergency contacts
	// (empty when this member is not cleared for them); never nil.
	Contacts []ContactView `json:"contacts"`

	Ref    string      `json:"ref"`    // conflict, delivery: the conflict's or delivery's ref (several per demand)
	Notice *NoticeView `json:"notice"` // conflict, delivery: both sides and what resolves it; null otherwise
	// Original is, for What "duplicate", the code of the earlier demand
	// this one probably repeats.
	Original string `json:"original"`
	// Count is, for What "undone" (Kind "member", ID and Code the revoked
	// member's id and name), how many of their changes were undone here.
	Count int `json:"count"`
	// Seq is, for What "fork" (Kind "member", ID and Code the member whose
	// device forked), the number of the change written twice: that device's
	// changes from it on are refused.
	Seq uint64 `json:"seq"`
}

// InboxService lists what waits on this member: 待答复.
type InboxService struct{ a *App }

// Startup is called by Wails when the window opens.
func (s *InboxService) Startup(ctx context.Context) {}

// Shutdown is called by Wails when the window closes.
func (s *InboxService) Shutdown() {}

// List returns everything addressed to this member or their role, overdue and
// due soon first, oldest first.
func (s *InboxService) List() ([]PendingView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	ps, err := dk.Inbox()
	if err != nil {
		return nil, err
	}
	out := make([]PendingView, 0, len(ps))
	names := noticeNames(dk, ps)
	for _, p := range ps {
		v := pendingView(p)
		v.Ref, v.Notice = p.Ref, noticeView(p.Notice, names)
		if !p.By.IsZero() {
			v.ByName = names[p.By] // nil map: ""
		}
		out = append(out, v)
	}
	return out, nil
}

// pendingView converts one inbox entry.
func pendingView(p desk.Pending) PendingView {
	v := PendingView{Kind: p.Kind, ID: p.ID, DemandID: p.DemandID, Code: p.Code, Title: p.Title, What: p.What,
		Status: string(p.Status), Since: p.Since.UnixMilli(), Overdue: p.Overdue, Soon: p.Soon,
		Original: p.Original, Count: p.Count, Seq: p.Seq, Reason: p.Reason}
	if !p.To.IsZero() {
		v.To = p.To.String()
	}
	if !p.By.IsZero() {
		v.By = p.By.String()
	}
	v.Contacts = make([]ContactView, 0, len(p.Contacts))
	for _, c := range p.Contacts {
		v.Contacts = append(v.Contacts, ContactView{Name: c.Name, Phone: c.Phone, Role: c.Role})
	}
	if !p.Due.IsZero() {
		v.Due = p.Due.UnixMilli()
	}
	return v
}

// AwardView is one entry of a member's points history.
type AwardView struct {
	Rule   string `json:"rule"` // relief.PointRule, translated by the UI ("points.<rule>")
	Kind   string `json:"kind"`
	Entity string `json:"entity"`
	Code   string `json:"code"`
	At     int64  `json:"at"`
	Points int    `json:"points"`
}

// StandingView is one line of the leaderboard.
type StandingView struct {
	Member  MemberRef   `json:"member"`
	Points  int         `json:"points"`
	Rank    int         `json:"rank"`
	History []AwardView `json:"history"`
}

// PointsService shows the leaderboard derived from the signed history.
type PointsService struct{ a *App }

// Startup is called by Wails when the window opens.
func (s *PointsService) Startup(ctx context.Context) {}

// Shutdown is called by Wails when the window closes.
func (s *PointsService) Shutdown() {}

// Leaderboard returns every member with points, most first, each with the
// history of awards and the rule behind each.
func (s *PointsService) Leaderboard() ([]StandingView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	lb, err := dk.Leaderboard()
	if err != nil {
		return nil, err
	}
	names := dk.MemberNames()
	out := make([]StandingView, 0, len(lb.Standings))
	for _, sd := range lb.Standings {
		v := StandingView{Member: MemberRef{ID: sd.Member.String(), Name: names[sd.Member]}, Points: sd.Points, Rank: sd.Rank, History: []AwardView{}}
		for _, a := range sd.History {
			v.History = append(v.History, AwardView{Rule: string(a.Rule), Kind: a.Kind, Entity: a.Entity,
				Code: relief.Code(a.Kind, a.Entity), At: a.At.Wall, Points: a.Points})
		}
		out = append(out, v)
	}
	return out, nil
}
