package relief

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"pgregory.net/rapid"
)

const day = int64(24 * time.Hour / time.Millisecond)

// course returns the op creating course id qualifying for skills, valid days.
func course(t testing.TB, id, name string, days int, skills ...string) []ledger.Op {
	t.Helper()
	ops := []ledger.Op{must(SetFields(KindCourse, id, map[string]any{FieldName: name, FieldValidityDays: days}))}
	if len(skills) > 0 {
		ops = append(ops, must(Add(KindCourse, id, SetQualifies, skills...)))
	}
	return ops
}

func (w *world) course(id string) Course { return FoldCourse(w.rec(KindCourse, id), w.roster()) }

func TestCourseTrainersAndCompletions(t *testing.T) {
	w := seeded(t)
	w.do(coord, 10, course(t, "c1", "心理急救", 30, "心理援助")...)
	w.do(vol, 11, must(SetFields(KindCourse, "c1", map[string]any{FieldName: "renamed by a volunteer"})))
	w.do(coord, 20, must(CompleteCourse("c1", "v-a")))         // a coordinator is a trainer
	w.do(vol, 21, must(CompleteCourse("c1", "v-b")))           // not (yet) a trainer: refused
	w.do(coord2, 30, must(MarkTrainer("c1", vol, true)))       // now vol is
	w.do(vol, 31, must(CompleteCourse("c1", "v-c")))           // applies
	w.do(rev, 32, must(MarkTrainer("c1", rev, true)))          // only coordinators mark: refused
	w.do(coord, 40, must(MarkTrainer("c1", vol, false)))       // no longer
	w.do(vol, 41, must(CompleteCourse("c1", "v-d")))           // refused
	w.do(coord, 50, must(WithdrawCompletion("c1", "v-a", ""))) // withdrawn
	w.do(coord, 51, must(WithdrawCompletion("c1", "v-x", ""))) // nothing to withdraw

	c := w.course("c1")
	if c.Name != "心理急救" || c.ValidityDays != 30 || !slices.Equal(c.Qualifies, []string{"心理援助"}) {
		t.Errorf("FoldCourse fields = %q %d %v; want 心理急救 30 [心理援助] (the volunteer's rename refused)", c.Name, c.ValidityDays, c.Qualifies)
	}
	var got []string
	for _, comp := range c.Completions {
		got = append(got, comp.Volunteer)
	}
	if !slices.Equal(got, []string{"v-c"}) {
		t.Errorf("Completions = %v; want [v-c]", got)
	}
	if comp, _ := c.CompletionOf("v-c"); comp.By != vol || comp.Expires != time.UnixMilli(31+30*day).UTC() {
		t.Errorf("CompletionOf(v-c) = %+v; want by vol, expiring 30 days after 31 ms", comp)
	}
	if len(c.Trainers) != 0 {
		t.Errorf("Trainers = %v; want none (vol unmarked, rev's mark refused)", c.Trainers)
	}
	reasons := map[Reason]int{}
	for _, x := range c.Conflicts {
		reasons[x.Reason]++
	}
	want := map[Reason]int{ReasonRole: 2, ReasonNotTrainer: 2, ReasonNoCompletion: 1}
	if !reflect.DeepEqual(reasons, want) {
		t.Errorf("conflict reasons = %v; want %v", reasons, want)
	}
}

func TestQualifyAndExpiry(t *testing.T) {
	w := seeded(t)
	w.do(coord, 10, course(t, "a", "A 倾听", 10, "心理援助")...)
	w.do(coord, 10, course(t, "b", "B 危机干预", 0, "心理援助", "hotline")...)
	w.do(coord, 10, course(t, "c", "C 转介", 5, " 心理援助 ")...)
	w.do(coord, 10, course(t, "d", "D 驾驶", 0, "driver")...)
	w.do(coord, 100, must(CompleteCourse("a", "v1")), must(CompleteCourse("b", "v1")), must(CompleteCourse("c", "v1")))
	w.do(coord, 100, must(CompleteCourse("a", "v2")), must(CompleteCourse("b", "v2")))
	cs := []Course{w.course("d"), w.course("c"), w.course("b"), w.course("a")}

	at := func(ms int64) time.Time { return time.UnixMilli(ms) }
	tests := []struct {
		name, vol, skill string
		at               time.Time
		ratio            string
		qualified        bool
		missing, expired []string
	}{
		{"all three", "v1", "心理援助", at(100 + day), "3/3", true, nil, nil},
		{"one never taken", "v2", "心理援助", at(100 + day), "2/3", false, []string{"C 转介"}, nil},
		{"one expired", "v1", "心理援助", at(100 + 5*day), "2/3", false, nil, []string{"C 转介"}},
		{"two expired", "v1", "心理援助", at(100 + 10*day), "1/3", false, nil, []string{"A 倾听", "C 转介"}},
		{"nothing", "v3", "心理援助", at(100), "0/3", false, []string{"A 倾听", "B 危机干预", "C 转介"}, nil},
		{"no course for it", "v1", "cook", at(100), "0/0", false, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := Qualify(tt.vol, tt.skill, cs, tt.at)
			if q.Ratio() != tt.ratio || q.Qualified != tt.qualified || !slices.Equal(q.Missing, tt.missing) || !slices.Equal(q.Expired, tt.expired) {
				t.Errorf("Qualify(%s, %s) = %+v (%s); want %s qualified=%v missing %v expired %v", tt.vol, tt.skill, q, q.Ratio(), tt.ratio, tt.qualified, tt.missing, tt.expired)
			}
		})
	}
}

func TestMatchTrainedPutsQualifiedFirst(t *testing.T) {
	w := seeded(t)
	w.do(coord, 10, course(t, "a", "心理急救", 0, "心理援助")...)
	w.do(coord, 11, must(CompleteCourse("a", "v-low")))
	cs := []Course{w.course("a")}
	at := time.Date(2020, 2, 3, 10, 0, 0, 0, time.UTC) // a Monday
	vols := []Volunteer{
		// High score without the course: lists the skill, is available.
		{ID: "v-high", Key: vol, Skills: []string{"心理援助"}, Availability: []Window{{Day: time.Monday, From: 0, To: 1440}}},
		// Lower score, but qualified by the course.
		{ID: "v-low", Key: vol2},
	}
	need := Need{Skill: "心理援助", At: at}
	plain := MatchVolunteers(need, vols, nil, 0)
	if plain[0].Volunteer.ID != "v-high" {
		t.Fatalf("MatchVolunteers first = %s; want v-high (the test needs it to outscore v-low)", plain[0].Volunteer.ID)
	}
	got := MatchTrained(need, vols, nil, cs, 0)
	if got[0].Volunteer.ID != "v-low" || got[1].Volunteer.ID != "v-high" {
		t.Fatalf("MatchTrained order = %s, %s; want v-low (qualified) first", got[0].Volunteer.ID, got[1].Volunteer.ID)
	}
	if got[0].Why[0] != "qualified=心理援助:1/1" || got[1].Why[0] != "not_qualified=心理援助:0/1" || got[1].Why[1] != "course_missing=心理急救" {
		t.Errorf("MatchTrained why = %v / %v; want qualified=心理援助:1/1 / not_qualified=心理援助:0/1, course_missing=心理急救", got[0].Why, got[1].Why)
	}
	if got[0].Score != plain[1].Score {
		t.Errorf("MatchTrained score of v-low = %v; want MatchVolunteers' %v", got[0].Score, plain[1].Score)
	}
	if one := MatchTrained(need, vols, nil, cs, 1); len(one) != 1 || one[0].Volunteer.ID != "v-low" {
		t.Errorf("MatchTrained(limit 1) = %+v; want v-low only", one)
	}
	// No course for the skill: MatchVolunteers' answer.
	if other := MatchTrained(Need{Skill: "driver", At: at}, vols, nil, cs, 0); !reflect.DeepEqual(other, MatchVolunteers(Need{Skill: "driver", At: at}, vols, nil, 0)) {
		t.Errorf("MatchTrained(driver) = %+v; want MatchVolunteers'", other)
	}
}

func TestVolunteerStage(t *testing.T) {
	w := seeded(t)
	w.do(coord, 10, course(t, "a", "基础培训", 10)...)
	w.do(coord, 11, must(CompleteCourse("a", "v-trained")), must(CompleteCourse("a", "v-active")))
	w.do(coord, 12, must(Revoke(vol3, 0, "left")))
	cs := []Course{w.course("a")}
	tasks := []Task{{ID: "t1", OfferedTo: vol2, Status: StatusAccepted}, {ID: "t2", OfferedTo: rev, Status: StatusDeclined}}
	tests := []struct {
		v    Volunteer
		at   int64
		want Stage
	}{
		{Volunteer{ID: "v-nokey"}, 20, StageApplicant},
		{Volunteer{ID: "v-stranger", Key: nobody}, 20, StageApplicant},
		{Volunteer{ID: "v-revoked", Key: vol3}, 20, StageApplicant},
		{Volunteer{ID: "v-endorsed", Key: vol}, 20, StageEndorsed},
		{Volunteer{ID: "v-trained", Key: rev}, 20, StageTrained}, // its task was declined
		{Volunteer{ID: "v-active", Key: vol2}, 20, StageActive},
		{Volunteer{ID: "v-active", Key: vol2}, 11 + 10*day, StageEndorsed}, // the course expired
	}
	for _, tt := range tests {
		if got := VolunteerStage(tt.v, w.roster(), cs, tasks, time.UnixMilli(tt.at)); got != tt.want {
			t.Errorf("VolunteerStage(%s at %d) = %s; want %s", tt.v.ID, tt.at, got, tt.want)
		}
	}
}

func TestNeedsTraining(t *testing.T) {
	w := seeded(t)
	w.do(coord, 10, course(t, "a", "心理急救", 10, "心理援助")...)
	w.do(coord, 10, course(t, "b", "驾驶安全", 0, "driver")...)
	w.do(coord, 11, must(CompleteCourse("a", "v1")), must(CompleteCourse("a", "v2")))
	cs := []Course{w.course("b"), w.course("a")}
	vols := []Volunteer{
		{ID: "v1", Skills: []string{"心理援助"}},               // done
		{ID: "v2", Training: []string{"心理援助"}},             // done, expires
		{ID: "v3", Key: vol, Skills: []string{"cook"}},     // asked for driver by a task
		{ID: "v4", Key: vol2, Skills: []string{"plumber"}}, // needs nothing
	}
	tasks := []Task{{ID: "t", OfferedTo: vol, Skill: "Driver", Status: StatusOffered}, {ID: "t2", OfferedTo: vol2, Skill: "driver", Status: StatusDone}}
	got := NeedsTraining(vols, cs, tasks, time.UnixMilli(20))
	want := []TrainingNeed{{Volunteer: "v3", Course: "b", Skill: "driver"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("NeedsTraining(at 20) = %+v; want %+v", got, want)
	}
	got = NeedsTraining(vols, cs, tasks, time.UnixMilli(11+10*day))
	exp := time.UnixMilli(11 + 10*day).UTC()
	want = []TrainingNeed{{Volunteer: "v1", Course: "a", Skill: "心理援助", Expired: exp}, {Volunteer: "v2", Course: "a", Skill: "心理援助", Expired: exp}, want[0]}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("NeedsTraining(after expiry) = %+v; want %+v", got, want)
	}
}

func TestCourseOpsValidate(t *testing.T) {
	big := make([]byte, MaxMaterialFile+1)
	tests := []struct {
		name string
		op   func() (ledger.Op, error)
		ok   bool
	}{
		{"file", func() (ledger.Op, error) {
			return SetFields(KindCourse, "c", map[string]any{FieldMaterialsFile: Material{Name: "a.pdf", Data: []byte("%PDF")}})
		}, true},
		{"file too big", func() (ledger.Op, error) {
			return SetFields(KindCourse, "c", map[string]any{FieldMaterialsFile: Material{Name: "a.pdf", Data: big}})
		}, false},
		{"file without name", func() (ledger.Op, error) {
			return SetFields(KindCourse, "c", map[string]any{FieldMaterialsFile: Material{Data: []byte("x")}})
		}, false},
		{"validity negative", func() (ledger.Op, error) { return SetFields(KindCourse, "c", map[string]any{FieldValidityDays: -1}) }, false},
		{"completion without volunteer", func() (ledger.Op, error) { return CompleteCourse("c", "") }, false},
		{"mark without member", func() (ledger.Op, error) { return MarkTrainer("c", ledger.DeviceID{}, true) }, false},
		{"volunteer on a demand step", func() (ledger.Op, error) {
			return Transition(KindDemand, "d", ActionClaim, Args{Volunteer: "v"})
		}, false},
		{"demand action on a course", func() (ledger.Op, error) { return Transition(KindCourse, "c", ActionClaim, Args{}) }, false},
	}
	for _, tt := range tests {
		if _, err := tt.op(); (err == nil) != tt.ok {
			t.Errorf("%s: err = %v; want ok=%v", tt.name, err, tt.ok)
		}
	}
}

// TestCourseFoldOrderIndependent: the same changes applied in any order
// fold to the same course (trainer marks, completions and withdrawals are
// judged in fold order, not in arrival order).
func TestCourseFoldOrderIndependent(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		type change struct {
			d   ledger.DeviceID
			ops []ledger.Op
		}
		authors := []ledger.DeviceID{coord, coord2, vol, vol2, rev, obs}
		var changes []change
		changes = append(changes, change{coord, course(t, "c", "课", rapid.IntRange(0, 3).Draw(rt, "days"), "s")})
		n := rapid.IntRange(1, 12).Draw(rt, "n")
		for range n {
			d := rapid.SampledFrom(authors).Draw(rt, "author")
			v := rapid.SampledFrom([]string{"v1", "v2"}).Draw(rt, "vol")
			var op ledger.Op
			switch rapid.IntRange(0, 3).Draw(rt, "kind") {
			case 0:
				op = must(CompleteCourse("c", v))
			case 1:
				op = must(WithdrawCompletion("c", v, ""))
			case 2:
				op = must(MarkTrainer("c", rapid.SampledFrom(authors).Draw(rt, "who"), true))
			default:
				op = must(MarkTrainer("c", rapid.SampledFrom(authors).Draw(rt, "who"), false))
			}
			changes = append(changes, change{d, []ledger.Op{op}})
		}
		walls := make([]int64, len(changes))
		for i := range walls {
			walls[i] = int64(10 + rapid.IntRange(0, 5).Draw(rt, "wall")) // ties broken by device and seq
		}
		// Metas are fixed first (each device's seq in list order), then applied in a permutation.
		ref := seeded(t)
		metas := make([]Meta, len(changes))
		for i, c := range changes {
			metas[i] = ref.next(c.d, walls[i])
		}
		fold := func(order []int) Course {
			w := seeded(t)
			for _, i := range order {
				for k, op := range changes[i].ops {
					m := metas[i]
					m.Index = k
					w.apply(m, op)
				}
			}
			return w.course("c")
		}
		idx := make([]int, len(changes))
		for i := range idx {
			idx[i] = i
		}
		want := fold(idx)
		perm := rapid.Permutation(idx).Draw(rt, "order")
		if got := fold(perm); !reflect.DeepEqual(got, want) {
			rt.Fatalf("FoldCourse in order %v = %+v; want %+v", perm, got, want)
		}
	})
}
