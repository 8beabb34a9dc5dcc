package desk

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/relief"
)

func TestSaveProfile(t *testing.T) {
	a, b := peopleNetwork(t)
	if p, err := b.MyProfile(); err != nil || p.Name != "乙" {
		t.Fatalf("MyProfile before any save = %+v, %v; want the roster's name 乙", p, err)
	}
	for _, tc := range []struct {
		in          Profile
		code, field string
	}{
		{Profile{Name: " "}, CodeRequired, "name"},
		{Profile{Name: strings.Repeat("乙", MaxNameLen+1)}, CodeTooLong, "name"},
		{Profile{Name: "乙", Availability: []relief.Window{{Day: time.Monday, From: 600, To: 540}}}, CodeInvalid, "availability[0]"},
		{Profile{Name: "乙", Availability: []relief.Window{{Day: 1, From: 0, To: 60}, {Day: 7, From: 0, To: 60}}}, CodeInvalid, "availability[1]"},
		{Profile{Name: "乙", Phone: "not a phone"}, CodeInvalid, "phone"},
	} {
		_, err := b.SaveProfile(tc.in)
		wantDeskError(t, "SaveProfile("+tc.field+")", err, tc.code, tc.field)
	}
	in := Profile{Name: " 乙 ", Phone: "+86 189 0000 0000", Region: " 武昌 ", Skills: []string{"driver", " medic ", "driver", ""},
		Availability: []relief.Window{{Day: time.Monday, From: 9 * 60, To: 17 * 60}}}
	p, err := b.SaveProfile(in)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "乙" || p.Region != "武昌" || len(p.Contacts) != 1 || p.Contacts[0].Phone != "+8618900000000" ||
		!slices.Equal(sortedStrings(p.Skills), []string{"driver", "medic"}) || len(p.Availability) != 1 {
		t.Fatalf("SaveProfile(%+v) = %+v; want trimmed, E.164 phone, skills driver and medic", in, p)
	}
	// the wanted list replaces the old one: medic goes, first-aid comes
	in.Skills = []string{"driver", "first-aid"}
	if p, err = b.SaveProfile(in); err != nil || !slices.Equal(sortedStrings(p.Skills), []string{"driver", "first-aid"}) {
		t.Fatalf("SaveProfile with new skills = %+v, %v; want driver and first-aid", p.Skills, err)
	}
	peopleSync(t, b.Store(), a.Store())
	vs, err := a.Volunteers()
	if err != nil || len(vs) != 1 {
		t.Fatalf("A's Volunteers = %+v, %v; want B's profile", vs, err)
	}
	if v := vs[0]; v.Key != b.Store().Device() || v.Name != "乙" || !slices.Equal(sortedStrings(v.Skills), []string{"driver", "first-aid"}) {
		t.Errorf("A sees B's profile as %+v", v)
	}
}

func sortedStrings(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestTasksAndInbox(t *testing.T) {
	a, b := peopleNetwork(t)
	need := 10.0
	dm, err := a.Store().RecordDemand(relief.Demand{Title: "送水到村里", Category: "food_water",
		Items: []relief.Item{{Name: "水", Needed: &need}}})
	if err != nil {
		t.Fatal(err)
	}
	bID := b.Status().Device
	for _, tc := range []struct{ demand, to, skill, code, field string }{
		{"no-such-demand", bID, "driver", CodeNotFound, "demand"},
		{dm.ID, "nobody", "driver", CodeInvalid, "to"},
		{dm.ID, New(peopleStore(t)).Status().Device, "driver", CodeInvalid, "to"}, // not a member
		{dm.ID, bID, " ", CodeRequired, "skill"},
	} {
		_, err := a.OfferTask(tc.demand, tc.to, tc.skill)
		wantDeskError(t, "OfferTask("+tc.field+")", err, tc.code, tc.field)
	}
	tk, err := a.OfferTask(dm.ID, bID, " driver ")
	if err != nil {
		t.Fatal(err)
	}
	if tk.Skill != "driver" || tk.Status != relief.StatusOffered || tk.Demand != dm.ID || tk.ReplyBy.IsZero() || len(tk.Allowed) != 0 {
		t.Fatalf("OfferTask = %+v; want an offered driver task with a reply-by, nothing A may answer", tk)
	}
	if ts, err := a.TasksOf(dm.ID); err != nil || len(ts) != 1 || ts[0].ID != tk.ID {
		t.Fatalf("TasksOf = %+v, %v; want the task offered", ts, err)
	}
	if ts, _ := a.TasksOf("other"); len(ts) != 0 {
		t.Errorf("TasksOf(another demand) = %+v; want none", ts)
	}
	peopleSync(t, a.Store(), b.Store())

	ps, err := b.Inbox()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(ps, func(p Pending) bool { return p.ID == tk.ID })
	if i < 0 || ps[i].Kind != relief.KindTask || ps[i].What != relief.ReplyAnswer || ps[i].DemandID != dm.ID || ps[i].Title != "送水到村里" {
		t.Fatalf("B's inbox = %+v; want the task to answer, with its demand and title", ps)
	}

	_, err = a.AnswerTask(tk.ID, "accept")
	wantDeskError(t, "AnswerTask by the one who offered", err, CodeNotAllowed, "action")
	_, err = b.AnswerTask("no-such-task", "accept")
	wantDeskError(t, "AnswerTask(unknown)", err, CodeNotFound, "task")
	if tk, err = b.AnswerTask(tk.ID, "accept"); err != nil || tk.Status != relief.StatusAccepted {
		t.Fatalf("AnswerTask(accept) = %+v, %v; want accepted", tk, err)
	}
	_, err = b.AnswerTask(tk.ID, "accept")
	wantDeskError(t, "accepting twice", err, CodeNotAllowed, "action")
	if _, err := b.SaveProfile(Profile{Name: "乙", Skills: []string{"driver"}}); err != nil {
		t.Fatal(err)
	}
	vs, _ := b.Volunteers()
	if len(vs) != 1 || vs[0].Load != 1 {
		t.Errorf("B's load with one accepted task = %+v; want 1", vs)
	}
	peopleSync(t, b.Store(), a.Store())
	ms, err := a.Matches(dm.ID, "driver")
	if err != nil || len(ms) != 1 || ms[0].Volunteer.Key != b.Store().Device() || ms[0].Volunteer.Load != 1 {
		t.Errorf("Matches(driver) = %+v, %v; want B, with a load of 1", ms, err)
	}
}
