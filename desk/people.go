package desk

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// Volunteer is a volunteer as this member may see it: the record projected
// for the viewer (hidden fields empty, listed in Hidden), with availability
// and load at the time asked.
type Volunteer struct {
	relief.Volunteer
	Hidden       []relief.Hidden
	AvailableNow bool            // inside one of the windows at the time asked (local time)
	Today        []relief.Window // the windows of that day
	Load         int             // tasks accepted and not done
}

// Profile is what "my profile" saves. Skills and Training are the whole
// wanted lists: SaveProfile adds what is new and removes what is gone.
type Profile struct {
	Name         string
	Phone        string // as typed; normalised to E.164 (see importer.CleanPhone)
	Region       string
	Organisation string
	Skills       []string
	Training     []string
	Availability []relief.Window
	// EmergencyName and EmergencyPhone are whom to call if the volunteer
	// does not come back from a field task (restricted); both empty: none.
	EmergencyName  string
	EmergencyPhone string
}

// Volunteers returns every volunteer, projected for this member, with
// availability at this moment (local time) and load.
func (d *Desk) Volunteers() ([]Volunteer, error) {
	vs, err := d.st.Volunteers()
	if err != nil {
		return nil, AsError(err)
	}
	load, err := d.load()
	if err != nil {
		return nil, err
	}
	me, _ := d.st.Me()
	now := d.st.Now().In(relief.IncidentZone)
	out := make([]Volunteer, len(vs))
	for i, v := range vs {
		out[i] = volunteerFor(v, me, load, now)
	}
	return out, nil
}

// MyProfile returns this device's own volunteer profile (empty fields if none
// yet; the name defaults to the member's name in the roster).
func (d *Desk) MyProfile() (Volunteer, error) {
	id := d.st.MyVolunteerID()
	rec, err := d.st.Record(relief.KindVolunteer, id)
	if err != nil {
		return Volunteer{}, AsError(err)
	}
	me, _ := d.st.Me()
	v := relief.FoldVolunteer(rec)
	d.st.Opener().OpenVolunteer(rec, &v) // its own device wrote it: the key is wrapped to it
	v.ID = id
	if v.Name == "" {
		v.Name = me.Name
	}
	return volunteerFor(v, me, nil, d.st.Now().In(relief.IncidentZone)), nil
}

// SaveProfile writes this device's volunteer profile as one signed change and
// returns it as stored. Errors: *Error naming the field (name required or
// longer than MaxNameLen, "availability[i]" not a window, "phone" not a
// phone number, "skills" or "training"); CodeNoNetwork; CodeStorage.
func (d *Desk) SaveProfile(in Profile) (Volunteer, error) {
	in.Name = strings.TrimSpace(in.Name)
	switch {
	case in.Name == "":
		return Volunteer{}, FieldError(CodeRequired, "name", "is empty")
	case utf8.RuneCountInString(in.Name) > MaxNameLen:
		return Volunteer{}, TooLong("name", MaxNameLen)
	}
	for i, w := range in.Availability {
		if w.Day < time.Sunday || w.Day > time.Saturday || w.From < 0 || w.To > 1440 || w.From >= w.To {
			return Volunteer{}, FieldError(CodeInvalid, "availability["+strconv.Itoa(i)+"]", "day %d %d–%d is not a window", w.Day, w.From, w.To)
		}
	}
	windows := in.Availability
	if windows == nil {
		windows = []relief.Window{}
	}
	id := d.st.MyVolunteerID()
	rec, err := d.st.Record(relief.KindVolunteer, id)
	if err != nil {
		return Volunteer{}, AsError(err)
	}
	fields := map[string]any{
		relief.FieldName: in.Name, relief.FieldRegion: strings.TrimSpace(in.Region),
		relief.FieldOrganisation: strings.TrimSpace(in.Organisation), relief.FieldAvailability: windows,
		relief.FieldKey: d.st.Device(),
	}
	if p, err := profilePhone("phone", in.Phone); err != nil {
		return Volunteer{}, err
	} else if p != "" {
		fields[relief.FieldContacts] = []relief.Contact{{Name: in.Name, Phone: p}}
	}
	if p, err := profilePhone("emergencyPhone", in.EmergencyPhone); err != nil {
		return Volunteer{}, err
	} else if n := strings.TrimSpace(in.EmergencyName); p != "" || n != "" {
		if relief.TooLong(n, relief.MaxContactName) {
			return Volunteer{}, TooLong("emergencyName", relief.MaxContactName)
		}
		fields[relief.FieldEmergencyContacts] = []relief.Contact{{Name: n, Phone: p}}
	}
	set, err := relief.SetFields(relief.KindVolunteer, id, fields)
	if err != nil {
		return Volunteer{}, &Error{Code: CodeInvalid, Message: err.Error()}
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
				return Volunteer{}, FieldError(CodeInvalid, x.name, "%v", err)
			}
			ops = append(ops, op)
		}
		if len(remove) > 0 {
			op, err := relief.Remove(rec, x.name, remove...)
			if err != nil {
				return Volunteer{}, FieldError(CodeInvalid, x.name, "%v", err)
			}
			ops = append(ops, op)
		}
	}
	if _, err := d.apply(ops); err != nil {
		return Volunteer{}, err
	}
	return d.MyProfile()
}

// profilePhone normalises a phone number typed in a form (importer.CleanPhone:
// "+86 189 0000 0000", "（+86）18900000000", full-width digits) to E.164; empty
// stays empty. Errors: *Error CodeInvalid naming field.
func profilePhone(field, phone string) (string, error) {
	if strings.TrimSpace(phone) == "" {
		return "", nil
	}
	n, _, err := importer.CleanPhone(phone, "CN")
	if err != nil {
		return "", FieldError(CodeInvalid, field, "%q: %v", phone, err)
	}
	return n, nil
}

// cleanList trims the entries of in and drops empty and repeated ones.
func cleanList(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// load counts the tasks accepted and not done, by the member they are
// offered to, from the task view's counts (store.Store.TaskCounts: no record
// read). Errors: CodeStorage.
func (d *Desk) load() (map[ledger.DeviceID]int, error) {
	counts, err := d.st.TaskCounts()
	if err != nil {
		return nil, AsError(err)
	}
	load := make(map[ledger.DeviceID]int, len(counts))
	for k, c := range counts {
		if n := c[relief.StatusAccepted]; n > 0 && !k.IsZero() {
			load[k] = n
		}
	}
	return load, nil
}

// loadTasks returns, for load, tasks that relief.MatchVolunteers counts the
// same way: load[k] accepted tasks offered to k (it reads nothing else of
// them).
func loadTasks(load map[ledger.DeviceID]int) []relief.Task {
	var out []relief.Task
	for k, n := range load {
		for range n {
			out = append(out, relief.Task{Status: relief.StatusAccepted, OfferedTo: k})
		}
	}
	return out
}

// volunteerFor projects v for viewer and adds its availability at now (local
// time) and its load.
func volunteerFor(v relief.Volunteer, viewer relief.Member, load map[ledger.DeviceID]int, now time.Time) Volunteer {
	p, hidden := relief.Project(v, viewer)
	out := Volunteer{Volunteer: p, Hidden: withSealed(hidden, v.Sealed)}
	minute := now.Hour()*60 + now.Minute()
	for _, w := range p.Availability {
		if w.Day == now.Weekday() {
			out.Today = append(out.Today, w)
			out.AvailableNow = out.AvailableNow || (minute >= w.From && minute < w.To)
		}
	}
	if !v.Key.IsZero() {
		out.Load = load[v.Key]
	}
	return out
}

// Pending is one request waiting for an answer (relief.Pending), with the
// demand it concerns: DemandID is the demand itself or, for a task, its
// demand; Title that demand's title ("" when it cannot be read).
type Pending struct {
	relief.Pending
	DemandID string
	Title    string
	// Contacts are, on a re-check entry (relief.ReplyRecheck), the
	// requester's contacts to call back, and on a missed check-out
	// (relief.ReplyCheckout) the volunteer's emergency contacts, as this
	// member may see them (relief.Project: empty unless cleared for
	// restricted fields).
	Contacts []relief.Contact
	// Reason is, on a transfer request (relief.ReplyTransfer), why its
	// requester (By) asks to take the demand over; "" otherwise.
	Reason string
}

// Inbox returns everything addressed to this member or their role, overdue
// and due soon first, oldest first (store.Store.Inbox at the store's now).
func (d *Desk) Inbox() ([]Pending, error) {
	ps, err := d.st.Inbox(d.st.Now())
	if err != nil {
		return nil, AsError(err)
	}
	out, err := d.pendingWithDemands(ps)
	if err != nil {
		return nil, err
	}
	d.emergencyContacts(out)
	cov, err := d.covenantPending() // no deadline: after the others
	if err != nil {
		return nil, err
	}
	return append(out, cov...), nil
}

// Leaderboard returns every member with points, most first, each with the
// history of awards and the rule behind each (derived from the signed
// history, identical on every peer).
func (d *Desk) Leaderboard() (relief.Leaderboard, error) {
	lb, err := d.st.Leaderboard()
	if err != nil {
		return relief.Leaderboard{}, AsError(err)
	}
	return lb, nil
}
