package app

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reliefmesh/reliefmesh/ledger"
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
}

// VolunteerService keeps the volunteer registry: who, what, when, where.
type VolunteerService struct{ a *App }

// Startup is called by Wails when the window opens.
func (s *VolunteerService) Startup(ctx context.Context) {}

// Shutdown is called by Wails when the window closes.
func (s *VolunteerService) Shutdown() {}

// List returns every volunteer, with availability at this moment and load.
func (s *VolunteerService) List() ([]VolunteerView, error) {
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	vs, err := st.Volunteers()
	if err != nil {
		return nil, asError(err)
	}
	ts, err := st.Tasks()
	if err != nil {
		return nil, asError(err)
	}
	me, _ := st.Me()
	now := st.Now().Local()
	out := make([]VolunteerView, len(vs))
	for i, v := range vs {
		out[i] = volunteerView(v, me, ts, now)
	}
	return out, nil
}

// MyProfile returns this device's own volunteer profile (empty fields if none yet).
func (s *VolunteerService) MyProfile() (VolunteerView, error) {
	st, err := s.a.store()
	if err != nil {
		return VolunteerView{}, err
	}
	rec, err := st.Record(relief.KindVolunteer, st.MyVolunteerID())
	if err != nil {
		return VolunteerView{}, asError(err)
	}
	me, _ := st.Me()
	v := relief.FoldVolunteer(rec)
	v.ID = st.MyVolunteerID()
	if v.Name == "" {
		v.Name = me.Name
	}
	return volunteerView(v, me, nil, st.Now().Local()), nil
}

// SaveProfile writes this device's volunteer profile. Errors: *Error naming the
// field (name required, windows out of range, too long).
func (s *VolunteerService) SaveProfile(in ProfileInput) (VolunteerView, error) {
	in.Name = strings.TrimSpace(in.Name)
	switch {
	case in.Name == "":
		return VolunteerView{}, fieldError(CodeRequired, "name", "is empty")
	case utf8.RuneCountInString(in.Name) > MaxNameLen:
		return VolunteerView{}, tooLong("name", MaxNameLen)
	}
	windows := make([]relief.Window, 0, len(in.Availability))
	for i, w := range in.Availability {
		if w.Day < 0 || w.Day > 6 || w.From < 0 || w.To > 1440 || w.From >= w.To {
			return VolunteerView{}, fieldError(CodeInvalid, "availability["+strconv.Itoa(i)+"]", "day %d %d–%d is not a window", w.Day, w.From, w.To)
		}
		windows = append(windows, relief.Window{Day: time.Weekday(w.Day), From: w.From, To: w.To})
	}
	st, err := s.a.store()
	if err != nil {
		return VolunteerView{}, err
	}
	id := st.MyVolunteerID()
	rec, err := st.Record(relief.KindVolunteer, id)
	if err != nil {
		return VolunteerView{}, asError(err)
	}
	fields := map[string]any{
		relief.FieldName: in.Name, relief.FieldRegion: strings.TrimSpace(in.Region),
		relief.FieldOrganisation: strings.TrimSpace(in.Organisation), relief.FieldAvailability: windows,
		relief.FieldKey: st.Device(),
	}
	if p, err := cleanPhone("phone", in.Phone); err != nil {
		return VolunteerView{}, err
	} else if p != "" {
		fields[relief.FieldContacts] = []relief.Contact{{Name: in.Name, Phone: p}}
	}
	set, err := relief.SetFields(relief.KindVolunteer, id, fields)
	if err != nil {
		return VolunteerView{}, &Error{Code: CodeInvalid, Message: err.Error()}
	}
	ops := []ledger.Op{set}
	for _, x := range []struct {
		name string
		want []string
	}{{relief.SetSkills, in.Skills}, {relief.SetTraining, in.Training}} {
		want := cleanList(x.want)
		have := rec.Elements(x.name)
		var add, remove []string
		for _, w := range want {
			if !slices.Contains(have, w) {
				add = append(add, w)
			}
		}
		for _, h := range have {
			if !slices.Contains(want, h) {
				remove = append(remove, h)
			}
		}
		if len(add) > 0 {
			op, err := relief.Add(relief.KindVolunteer, id, x.name, add...)
			if err != nil {
				return VolunteerView{}, fieldError(CodeInvalid, x.name, "%v", err)
			}
			ops = append(ops, op)
		}
		if len(remove) > 0 {
			op, err := relief.Remove(rec, x.name, remove...)
			if err != nil {
				return VolunteerView{}, fieldError(CodeInvalid, x.name, "%v", err)
			}
			ops = append(ops, op)
		}
	}
	if _, err := st.ApplyLocal(ops); err != nil {
		return VolunteerView{}, asError(err)
	}
	return (&VolunteerService{a: s.a}).MyProfile()
}

func cleanList(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func volunteerView(v relief.Volunteer, viewer relief.Member, tasks []relief.Task, now time.Time) VolunteerView {
	p, hidden := relief.Project(v, viewer)
	out := VolunteerView{ID: v.ID, Code: v.Code, Name: p.Name, Skills: orEmpty(p.Skills), Training: orEmpty(p.Training),
		Region: p.Region, Organisation: p.Organisation, Availability: []WindowView{}, Today: []WindowView{}, Hidden: []HiddenField{}}
	if !v.Key.IsZero() {
		out.Key = v.Key.String()
	}
	if len(p.Contacts) > 0 {
		out.Phone = p.Contacts[0].Phone
	}
	minute := now.Hour()*60 + now.Minute()
	for _, w := range p.Availability {
		wv := WindowView{Day: int(w.Day), From: w.From, To: w.To}
		out.Availability = append(out.Availability, wv)
		if w.Day == now.Weekday() {
			out.Today = append(out.Today, wv)
			out.AvailableNow = out.AvailableNow || (minute >= w.From && minute < w.To)
		}
	}
	for _, t := range tasks {
		if !v.Key.IsZero() && t.OfferedTo == v.Key && t.Status == relief.StatusAccepted {
			out.Load++
		}
	}
	for _, h := range hidden {
		out.Hidden = append(out.Hidden, HiddenField{Field: h.Field, Level: h.Level.String(), Reason: h.Reason})
	}
	return out
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// PendingView is one request waiting for an answer (relief.Pending).
type PendingView struct {
	Kind     string `json:"kind"`     // demand or task
	ID       string `json:"id"`       // the demand's or task's id
	DemandID string `json:"demandId"` // for a task: its demand
	Code     string `json:"code"`
	Title    string `json:"title"` // the demand's title
	What     string `json:"what"`  // review, publish, claim, answer, owned, complete
	Status   string `json:"status"`
	Since    int64  `json:"since"` // Unix milliseconds
	Due      int64  `json:"due"`   // Unix milliseconds; 0 when there is no deadline
	Overdue  bool   `json:"overdue"`
	Soon     bool   `json:"soon"`
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
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	ps, err := st.Inbox(st.Now())
	if err != nil {
		return nil, asError(err)
	}
	tasks, _ := st.Tasks()
	taskDemand := map[string]string{}
	for _, t := range tasks {
		taskDemand[t.ID] = t.Demand
	}
	out := make([]PendingView, 0, len(ps))
	for _, p := range ps {
		v := PendingView{Kind: p.Kind, ID: p.ID, Code: p.Code, What: p.What, Status: string(p.Status),
			Since: p.Since.UnixMilli(), Overdue: p.Overdue, Soon: p.Soon}
		if !p.Due.IsZero() {
			v.Due = p.Due.UnixMilli()
		}
		v.DemandID = p.ID
		if p.Kind == relief.KindTask {
			v.DemandID = taskDemand[p.ID]
		}
		if d, err := st.Demand(v.DemandID); err == nil {
			v.Title = d.Title
		}
		out = append(out, v)
	}
	return out, nil
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
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	lb, err := st.Leaderboard()
	if err != nil {
		return nil, asError(err)
	}
	names := memberNames(st)
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
