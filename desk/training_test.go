package desk

import (
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// trainingNetwork returns the desks of coordinator A, volunteers B and C
// (endorsed by A, each with a profile), all caught up, on one clock.
func trainingNetwork(t *testing.T) (a, b, c *Desk, now *time.Time) {
	t.Helper()
	now = new(time.Time)
	*now = time.Date(2020, 1, 26, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return *now }
	open := func() *Desk {
		st, err := store.Open(t.TempDir(), store.Options{Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return New(st)
	}
	a, b, c = open(), open(), open()
	n, err := a.CreateNetwork("Flood", "甲")
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		d    *Desk
		name string
	}{{b, "乙"}, {c, "丙"}} {
		if err := a.Endorse(x.d.Status().Device, "volunteer", x.name); err != nil {
			t.Fatal(err)
		}
		if err := x.d.Store().JoinNetwork(n.ID); err != nil {
			t.Fatal(err)
		}
	}
	everyone := []*Desk{a, b, c}
	syncAll(t, everyone...)
	for i, x := range everyone {
		if _, err := x.SaveProfile(Profile{Name: []string{"甲", "乙", "丙"}[i]}); err != nil {
			t.Fatal(err)
		}
	}
	syncAll(t, everyone...)
	return a, b, c, now
}

// syncAll brings every desk up to date with every other (catch-up without the network).
func syncAll(t *testing.T, ds ...*Desk) {
	t.Helper()
	for range 2 {
		for _, x := range ds {
			for _, y := range ds {
				if x != y {
					peopleSync(t, x.Store(), y.Store())
				}
			}
		}
	}
}

// matchOf returns the rank and match of the volunteer whose key is that of desk v.
func matchOf(t *testing.T, ms []Match, v *Desk) (int, Match) {
	t.Helper()
	for i, m := range ms {
		if m.Volunteer.Key == v.Store().Device() {
			return i, m
		}
	}
	t.Fatalf("matches %+v lack %s", ms, v.Store().Device().Short())
	return -1, Match{}
}

// TestCompletionOfflineChangesTheMatch: a trainer records a completion on
// their own laptop, offline; once it reaches the coordinator's, the trained
// volunteer is offered the task first, qualified, and the stage moves on.
func TestCompletionOfflineChangesTheMatch(t *testing.T) {
	a, b, c, now := trainingNetwork(t)
	if _, err := b.SaveCourse(CourseInput{Name: "mine", Qualifies: []string{"x"}}); err == nil {
		t.Fatalf("SaveCourse by a volunteer = nil; want not_allowed")
	}
	_, err := a.SaveCourse(CourseInput{Name: "心理急救", Qualifies: []string{"心理援助"}, MaterialsLink: "ftp://x"})
	wantDeskError(t, "SaveCourse(ftp link)", err, CodeInvalid, "materialsLink")
	_, err = a.SaveCourse(CourseInput{Name: "心理急救", Qualifies: []string{"心理援助"}, Material: make([]byte, relief.MaxMaterialFile+1)})
	wantDeskError(t, "SaveCourse(file too big)", err, CodeTooLong, "material")
	if _, _, reason := errCode(t, err); reason != ReasonBytes {
		t.Errorf("SaveCourse(file too big) reason = %q; want %q (the UI says bytes, not characters)", reason, ReasonBytes)
	}
	course, err := a.SaveCourse(CourseInput{Name: "心理急救", Description: "倾听、稳定情绪、转介", Qualifies: []string{"心理援助"}, ValidityDays: 30,
		MaterialsLink: "https://example.org/pfa", MaterialName: "讲义.txt", MaterialType: "text/plain", Material: []byte("一、倾听")})
	if err != nil || course.Name != "心理急救" || course.ValidityDays != 30 || course.Material == nil {
		t.Fatalf("SaveCourse = %+v, %v", course, err)
	}
	if _, err := a.MarkTrainer(course.ID, b.Status().Device, true); err != nil {
		t.Fatal(err)
	}
	d := recordOne(t, a, "方舱医院 心理疏导")
	syncAll(t, a, b, c)

	// C may not record completions; B, marked trainer, may.
	_, err = c.RecordCompletion(course.ID, relief.ProfileID(c.Store().Device()))
	wantDeskError(t, "RecordCompletion by C", err, CodeNotAllowed, "action")
	before, err := a.Matches(d.ID, "心理援助")
	if err != nil {
		t.Fatal(err)
	}
	if _, m := matchOf(t, before, c); m.Qualification == nil || m.Qualification.Qualified || m.Why[0] != "not_qualified=心理援助:0/1" {
		t.Fatalf("C's match before = %+v; want not qualified 0/1", m)
	}

	// B, offline, records C's completion.
	*now = now.Add(time.Hour)
	got, err := b.RecordCompletion(course.ID, relief.ProfileID(c.Store().Device()))
	if err != nil || len(got.Completions) != 1 || got.Completions[0].By != b.Store().Device() {
		t.Fatalf("B.RecordCompletion = %+v, %v; want C's completion signed by B", got.Completions, err)
	}
	if again, _ := a.Matches(d.ID, "心理援助"); !slices.EqualFunc(again, before, func(x, y Match) bool { return x.Volunteer.ID == y.Volunteer.ID && x.Why[0] == y.Why[0] }) {
		t.Fatalf("A's matches changed before the completion reached it: %+v", again)
	}
	peopleSync(t, b.Store(), a.Store())
	after, err := a.Matches(d.ID, "心理援助")
	if err != nil {
		t.Fatal(err)
	}
	if i, m := matchOf(t, after, c); i != 0 || !m.Qualification.Qualified || m.Why[0] != "qualified=心理援助:1/1" {
		t.Fatalf("C's match after the completion synced = #%d %+v; want first, qualified 1/1", i, m)
	}
	tr, err := a.Training()
	if err != nil {
		t.Fatal(err)
	}
	stage := func(tr Training, d *Desk) relief.Stage {
		for _, v := range tr.Volunteers {
			if v.Key == d.Store().Device() {
				return v.Stage
			}
		}
		return ""
	}
	if stage(tr, c) != relief.StageTrained || stage(tr, b) != relief.StageEndorsed || !tr.Coordinator || len(tr.Trains) != 1 {
		t.Errorf("Training = stages C %s, B %s, trains %v; want trained, endorsed, the course", stage(tr, c), stage(tr, b), tr.Trains)
	}

	// Offered and accepted: active. Thirty days later the completion has expired.
	task, err := a.OfferTask(d.ID, c.Status().Device, "心理援助")
	if err != nil {
		t.Fatal(err)
	}
	syncAll(t, a, b, c)
	if _, err := c.AnswerTask(task.ID, "accept"); err != nil {
		t.Fatal(err)
	}
	syncAll(t, a, b, c)
	if tr, _ = a.Training(); stage(tr, c) != relief.StageActive {
		t.Errorf("stage of C after accepting = %s; want active", stage(tr, c))
	}
	*now = now.Add(31 * 24 * time.Hour)
	tr, _ = a.Training()
	if stage(tr, c) != relief.StageEndorsed || !slices.ContainsFunc(tr.Needs, func(n relief.TrainingNeed) bool {
		return n.Volunteer == relief.ProfileID(c.Store().Device()) && n.Course == course.ID && !n.Expired.IsZero()
	}) {
		t.Errorf("after expiry: stage %s, needs %+v; want endorsed, C needing the course again", stage(tr, c), tr.Needs)
	}
	if m, _ := a.Matches(d.ID, "心理援助"); m[0].Qualification.Qualified {
		t.Errorf("after expiry the first match is qualified: %+v", m[0])
	}

	// A withdrawal needs a reason and is signed like a completion.
	_, err = b.WithdrawCompletion(course.ID, relief.ProfileID(c.Store().Device()), " ")
	wantDeskError(t, "WithdrawCompletion without a reason", err, CodeRequired, "note")
	if got, err := b.WithdrawCompletion(course.ID, relief.ProfileID(c.Store().Device()), "记错了人"); err != nil || len(got.Completions) != 0 {
		t.Errorf("WithdrawCompletion = %+v, %v; want no completion left", got.Completions, err)
	}
	if m, err := a.CourseMaterial(course.ID); err != nil || string(m.Data) != "一、倾听" || m.Name != "讲义.txt" {
		t.Errorf("CourseMaterial = %+v, %v", m, err)
	}
}

// TestSaveCourseRewrites: a rewrite replaces the skills, keeps or drops the file.
func TestSaveCourseRewrites(t *testing.T) {
	a, _ := peopleNetwork(t)
	c, err := a.SaveCourse(CourseInput{Name: "驾驶", Qualifies: []string{"driver", "货车"}, Material: []byte("x"), MaterialName: "a.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	c, err = a.SaveCourse(CourseInput{ID: c.ID, Name: "驾驶安全", Qualifies: []string{"driver", "救护车"}})
	if err != nil || c.Name != "驾驶安全" || !slices.Equal(c.Qualifies, []string{"driver", "救护车"}) || c.Material == nil {
		t.Fatalf("SaveCourse(rewrite) = %+v, %v; want renamed, skills replaced, file kept", c, err)
	}
	if c, err = a.SaveCourse(CourseInput{ID: c.ID, Name: "驾驶安全", Qualifies: []string{"driver"}, RemoveMaterial: true}); err != nil || c.Material != nil {
		t.Fatalf("SaveCourse(remove file) = %+v, %v; want no file", c.Material, err)
	}
	_, err = a.SaveCourse(CourseInput{ID: "nope", Name: "x", Qualifies: []string{"x"}})
	wantDeskError(t, "SaveCourse(unknown id)", err, CodeNotFound, "course")
	_, err = a.SaveCourse(CourseInput{Name: "x"})
	wantDeskError(t, "SaveCourse(no skill)", err, CodeRequired, "qualifies")
}

// TestCourseValiditySaysItsRange: a validity of -5 days is refused naming the
// range it must be in (a tester read only "Validity has an invalid value").
func TestCourseValiditySaysItsRange(t *testing.T) {
	a, _, _, _ := trainingNetwork(t)
	_, err := a.SaveCourse(CourseInput{Name: "急救", Qualifies: []string{"first_aid"}, ValidityDays: -5})
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeInvalid || e.Field != "validityDays" || e.Args["reason"] != ReasonRange ||
		e.Args["min"] != "0" || e.Args["max"] != strconv.Itoa(relief.MaxValidityDays) {
		t.Fatalf("SaveCourse(-5 days) = %v; want CodeInvalid on validityDays with the range 0 to %d", err, relief.MaxValidityDays)
	}
}
