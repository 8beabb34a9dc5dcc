package relief

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// Recruitment and training (issue 16, item 2).
//
// A course is a record of kind KindCourse written by coordinators (FieldRules):
// its name, what it covers (FieldDescription), its materials (a link,
// FieldMaterialsLink, and/or a small file, FieldMaterialsFile, at most
// MaxMaterialFile bytes), the skills it qualifies for (the set SetQualifies)
// and its validity in days (FieldValidityDays; 0: never expires).
//
// Who may record a completion: a coordinator, or a member a coordinator
// marked as trainer of that course (ActionMarkTrainer, undone by
// ActionUnmarkTrainer). A completion is the trainer's signed step
// ActionCompleteCourse on the course's record naming the volunteer record
// (Args.Volunteer); ActionWithdrawCompletion withdraws one recorded by
// mistake. FoldCourse walks the steps in fold order (Meta.Compare), with
// each author's role at its position (Roster.RoleAt) and the trainers marked
// before it, so every peer holding the same changes folds the same course,
// whatever the order of arrival; the steps it refuses are Conflicts.
//
// A completion dates from its step's stamp and expires ValidityDays later;
// expiry is judged at a time the caller passes (no clock here).
//
// A volunteer is qualified for a skill when at least one course qualifies
// for it and they hold a completion of every such course, unexpired at the
// time of the work (Qualify). The match (MatchTrained) puts the qualified
// first and says why a volunteer is or is not qualified
// ("qualified=心理援助:3/3", "not_qualified=心理援助:2/3").
//
// A volunteer's stage (VolunteerStage) is derived, never written:
//
//   - applicant: the volunteer record names no member key (FieldKey), or one
//     the roster does not hold or has revoked;
//   - endorsed: an active member (endorsed or genesis) with no unexpired
//     completion at the given time;
//   - trained: an active member with at least one unexpired completion, who
//     has not accepted a task;
//   - active: trained, and a task offered to their key is accepted or done.

// KindCourse is a training course.
const KindCourse = "course"

// Fields and sets of a course (FieldName and FieldDescription too).
const (
	FieldMaterialsLink = "materials_link" // course [string]: a link to the materials (http or https), at most MaxMaterialsLink
	FieldMaterialsFile = "materials_file" // course [Material]: a small file of materials
	FieldValidityDays  = "validity_days"  // course [int]: days a completion stays valid; 0 or absent: never expires
	SetQualifies       = "qualifies"      // course: the skills the course qualifies for
)

// Limits of a course.
const (
	MaxMaterialFile  = 128 << 10 // bytes of a materials file (a change holds at most ledger.MaxChangeSize, 256 KiB)
	MaxMaterialsLink = 2000      // characters of a materials link
	MaxMaterialName  = 200       // characters of a materials file's name
	MaxValidityDays  = 3650      // days of validity at most (ten years)
	MaxCourseText    = 4000      // characters of what a course covers
)

// Actions on a course (CourseRules).
const (
	ActionCompleteCourse     Action = "complete_course"     // a trainer records that Args.Volunteer completed the course
	ActionWithdrawCompletion Action = "withdraw_completion" // a trainer withdraws Args.Volunteer's completion (recorded by mistake)
	ActionMarkTrainer        Action = "mark_trainer"        // a coordinator marks member Args.To as trainer of the course
	ActionUnmarkTrainer      Action = "unmark_trainer"      // a coordinator ends Args.To's being trainer of the course
)

// CourseRules is the course's table for ValidateOp. Who may take each
// action is judged by FoldCourse (a trainer is a coordinator or a member
// marked as trainer); the roles here are who may sign one at all.
var CourseRules = []Rule{
	{Action: ActionCompleteCourse, Roles: []Role{RoleCoordinator, RoleReviewer, RoleVolunteer}},
	{Action: ActionWithdrawCompletion, Roles: []Role{RoleCoordinator, RoleReviewer, RoleVolunteer}},
	{Action: ActionMarkTrainer, Roles: []Role{RoleCoordinator}},
	{Action: ActionUnmarkTrainer, Roles: []Role{RoleCoordinator}},
}

// Reasons of the conflicts of a course.
const (
	ReasonNotTrainer   Reason = "not_trainer"   // a completion by a member who was neither a coordinator nor marked trainer of the course
	ReasonNoCompletion Reason = "no_completion" // a withdrawal of a completion the course did not hold
)

// Material is a small file of a course's materials.
type Material struct {
	Name string `cbor:"1,keyasint" json:"name"`           // file name, at most MaxMaterialName characters
	Type string `cbor:"2,keyasint,omitempty" json:"type"` // media type, e.g. "application/pdf"
	Data []byte `cbor:"3,keyasint" json:"data"`           // the content, at most MaxMaterialFile bytes
}

// Completion is a volunteer's completion of a course, as folded.
type Completion struct {
	Volunteer string          `json:"volunteer" level:"team"` // the volunteer record's id
	By        ledger.DeviceID `json:"by" level:"team"`        // the trainer who signed it
	At        ledger.Stamp    `json:"at" level:"team"`        // when it was recorded (the latest, if renewed)
	Expires   time.Time       `json:"expires" level:"team"`   // At + the course's validity; zero: never
}

// ExpiredAt reports whether c has expired at t (its expiry not after t).
func (c Completion) ExpiredAt(t time.Time) bool { return !c.Expires.IsZero() && !c.Expires.After(t) }

// Course is the folded view of a course record.
type Course struct {
	ID            string            `json:"id" level:"team"`
	Name          string            `json:"name" level:"team"`
	Description   string            `json:"description" level:"team"` // what it covers
	MaterialsLink string            `json:"materials_link" level:"team"`
	Material      *Material         `json:"material" level:"team"` // nil: no file
	Qualifies     []string          `json:"qualifies" level:"team"`
	ValidityDays  int               `json:"validity_days" level:"team"` // 0: never expires
	Trainers      []ledger.DeviceID `json:"trainers" level:"team"`      // marked trainers now, in key order (coordinators are trainers too)
	Completions   []Completion      `json:"completions" level:"team"`   // one per volunteer, by volunteer id
	CreatedAt     ledger.Stamp      `json:"created_at" level:"team"`
	CreatedBy     ledger.DeviceID   `json:"created_by" level:"team"`
	UpdatedAt     ledger.Stamp      `json:"updated_at" level:"team"`
	Conflicts     []Conflict        `json:"conflicts" level:"team"` // refused field writes and steps
}

// CompletionOf returns volunteer's completion of c, if any.
func (c Course) CompletionOf(volunteer string) (Completion, bool) {
	i, ok := slices.BinarySearchFunc(c.Completions, volunteer, func(e Completion, v string) int { return cmp.Compare(e.Volunteer, v) })
	if !ok {
		return Completion{}, false
	}
	return c.Completions[i], true
}

// IsTrainer reports whether member m may record completions of c now: a
// coordinator, or marked trainer of c.
func (c Course) IsTrainer(m Member) bool {
	if m.Key.IsZero() || m.Revoked || !m.Role.Valid() || m.Role == RoleObserver {
		return false
	}
	return m.Role == RoleCoordinator || slices.Contains(c.Trainers, m.Key)
}

// FoldCourse derives the view of a course record with roster: fields and
// qualified skills from coordinators' writes (FieldRules; others are
// conflicts), then the steps in fold order (see the package comment above).
func FoldCourse(rec *Record, roster *Roster) Course {
	c := Course{ID: rec.ID}
	c.CreatedAt, c.CreatedBy, c.UpdatedAt = created(rec)
	eff, refused := authorise(rec, roster, &writeContext{creator: c.CreatedBy}, "")
	eff.Value(FieldName, &c.Name)
	eff.Value(FieldDescription, &c.Description)
	eff.Value(FieldMaterialsLink, &c.MaterialsLink)
	var m Material
	if eff.Value(FieldMaterialsFile, &m) {
		c.Material = &m
	}
	eff.Value(FieldValidityDays, &c.ValidityDays)
	c.Qualifies = eff.Elements(SetQualifies)
	c.Conflicts = refused

	trainers := map[ledger.DeviceID]bool{}
	done := map[string]Completion{}
	for _, s := range rec.Transitions { // sorted by Meta
		author, err := roster.RoleAt(s.Meta.Device, s.Meta)
		if err != nil {
			r := ReasonNotMember
			if errors.Is(err, ErrRevoked) {
				r = ReasonRevoked
			}
			c.Conflicts = append(c.Conflicts, conflictAt(s.Meta, s.Action, r))
			continue
		}
		switch s.Action {
		case ActionMarkTrainer, ActionUnmarkTrainer:
			if author.Role != RoleCoordinator {
				c.Conflicts = append(c.Conflicts, conflictAt(s.Meta, s.Action, ReasonRole))
				continue
			}
			trainers[s.Args.To] = s.Action == ActionMarkTrainer
		case ActionCompleteCourse, ActionWithdrawCompletion:
			if author.Role != RoleCoordinator && !(trainers[author.Key] && author.Role != RoleObserver) {
				c.Conflicts = append(c.Conflicts, conflictAt(s.Meta, s.Action, ReasonNotTrainer))
				continue
			}
			if s.Action == ActionCompleteCourse {
				done[s.Args.Volunteer] = Completion{Volunteer: s.Args.Volunteer, By: s.Meta.Device, At: s.Meta.Stamp}
			} else if _, ok := done[s.Args.Volunteer]; ok {
				delete(done, s.Args.Volunteer)
			} else {
				c.Conflicts = append(c.Conflicts, conflictAt(s.Meta, s.Action, ReasonNoCompletion))
			}
		}
	}
	for k, on := range trainers {
		if on {
			c.Trainers = append(c.Trainers, k)
		}
	}
	slices.SortFunc(c.Trainers, func(a, b ledger.DeviceID) int { return cmp.Compare(a.String(), b.String()) })
	for _, d := range done {
		if c.ValidityDays > 0 {
			d.Expires = d.At.Time().Add(time.Duration(c.ValidityDays) * 24 * time.Hour)
		}
		c.Completions = append(c.Completions, d)
	}
	slices.SortFunc(c.Completions, func(a, b Completion) int { return cmp.Compare(a.Volunteer, b.Volunteer) })
	sortConflicts(c.Conflicts)
	return c
}

// SortCourses orders courses by name, then id: the order every list shows.
func SortCourses(cs []Course) {
	slices.SortFunc(cs, func(a, b Course) int {
		if c := cmp.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// CompleteCourse returns the op by which a trainer records that the
// volunteer (record id) completed course id.
func CompleteCourse(id, volunteer string) (ledger.Op, error) {
	return Transition(KindCourse, id, ActionCompleteCourse, Args{Volunteer: volunteer})
}

// WithdrawCompletion returns the op by which a trainer withdraws the
// volunteer's completion of course id; note says why.
func WithdrawCompletion(id, volunteer, note string) (ledger.Op, error) {
	return Transition(KindCourse, id, ActionWithdrawCompletion, Args{Volunteer: volunteer, Note: note})
}

// MarkTrainer returns the op by which a coordinator marks member as trainer
// of course id (on true) or ends it (on false).
func MarkTrainer(id string, member ledger.DeviceID, on bool) (ledger.Op, error) {
	a := ActionMarkTrainer
	if !on {
		a = ActionUnmarkTrainer
	}
	return Transition(KindCourse, id, a, Args{To: member})
}

// Qualification says whether a volunteer is qualified for a skill by the
// courses that qualify for it, at a given time.
type Qualification struct {
	Skill     string   `json:"skill"`     // the skill asked for, as written
	Courses   int      `json:"courses"`   // courses that qualify for it; 0: no course does
	Done      int      `json:"done"`      // of those, completed and unexpired
	Missing   []string `json:"missing"`   // names of those never completed (or withdrawn), in course order
	Expired   []string `json:"expired"`   // names of those whose completion has expired, in course order
	Qualified bool     `json:"qualified"` // Courses > 0 and Done == Courses
}

// Ratio is "done/courses", e.g. "2/3".
func (q Qualification) Ratio() string { return strconv.Itoa(q.Done) + "/" + strconv.Itoa(q.Courses) }

// Qualify judges volunteer v (by record id) for skill with courses at time
// at. Names compare after NormalizeName (a course qualifying for "心理援助"
// counts for " 心理援助 "). The courses are taken in SortCourses order.
func Qualify(v string, skill string, courses []Course, at time.Time) Qualification {
	q := Qualification{Skill: skill}
	want := NormalizeName(skill)
	if want == "" {
		return q
	}
	cs := slices.Clone(courses)
	SortCourses(cs)
	for _, c := range cs {
		if !qualifiesFor(c, want) {
			continue
		}
		q.Courses++
		comp, ok := c.CompletionOf(v)
		switch {
		case !ok:
			q.Missing = append(q.Missing, c.Name)
		case comp.ExpiredAt(at):
			q.Expired = append(q.Expired, c.Name)
		default:
			q.Done++
		}
	}
	q.Qualified = q.Courses > 0 && q.Done == q.Courses
	return q
}

func qualifiesFor(c Course, normSkill string) bool {
	for _, s := range c.Qualifies {
		if NormalizeName(s) == normSkill {
			return true
		}
	}
	return false
}

// Reason codes of a match's qualification (VolunteerMatch.Why), first in
// Why when the need's skill has courses.
const (
	WhyQualified     = "qualified"      // =skill:done/courses, all courses for the skill completed and unexpired
	WhyNotQualified  = "not_qualified"  // =skill:done/courses
	WhyCourseMissing = "course_missing" // =course name: a course for the skill never completed
	WhyCourseExpired = "course_expired" // =course name: a course for the skill whose completion expired
)

// MatchTrained ranks vols for need as MatchVolunteers does, then puts the
// volunteers qualified for need.Skill by courses (Qualify at need.At) first,
// keeping the score order within each group; returns the best limit (all if
// limit ≤ 0). When a course qualifies for the skill, each match carries its
// Qualification and its Why starts with the qualification codes
// (WhyQualified or WhyNotQualified, then WhyCourseMissing and
// WhyCourseExpired per course); otherwise the result is MatchVolunteers'.
func MatchTrained(need Need, vols []Volunteer, tasks []Task, courses []Course, limit int) []VolunteerMatch {
	all := MatchVolunteers(need, vols, tasks, 0)
	if strings.TrimSpace(need.Skill) != "" && slices.ContainsFunc(courses, func(c Course) bool { return qualifiesFor(c, NormalizeName(need.Skill)) }) {
		for i := range all {
			q := Qualify(all[i].Volunteer.ID, need.Skill, courses, need.At)
			all[i].Qualification = &q
			code := WhyNotQualified
			if q.Qualified {
				code = WhyQualified
			}
			why := []string{code + "=" + q.Skill + ":" + q.Ratio()}
			for _, n := range q.Missing {
				why = append(why, WhyCourseMissing+"="+n)
			}
			for _, n := range q.Expired {
				why = append(why, WhyCourseExpired+"="+n)
			}
			all[i].Why = append(why, all[i].Why...)
		}
		slices.SortStableFunc(all, func(a, b VolunteerMatch) int {
			qa, qb := a.Qualification.Qualified, b.Qualification.Qualified
			switch {
			case qa == qb:
				return 0
			case qa:
				return -1
			}
			return 1
		})
	}
	if limit > 0 && limit < len(all) {
		all = all[:limit]
	}
	return all
}

// Stage is where a volunteer stands in recruitment: applicant, endorsed,
// trained, active (see the package comment above).
type Stage string

// Stages, in order.
const (
	StageApplicant Stage = "applicant"
	StageEndorsed  Stage = "endorsed"
	StageTrained   Stage = "trained"
	StageActive    Stage = "active"
)

// VolunteerStage derives v's stage at time at from roster, courses and
// tasks: see the package comment above for the rules.
func VolunteerStage(v Volunteer, roster *Roster, courses []Course, tasks []Task, at time.Time) Stage {
	if v.Key.IsZero() {
		return StageApplicant
	}
	m, ok := roster.Member(v.Key)
	if !ok || m.Revoked || !m.Role.Valid() {
		return StageApplicant
	}
	trained := false
	for _, c := range courses {
		if comp, ok := c.CompletionOf(v.ID); ok && !comp.ExpiredAt(at) {
			trained = true
			break
		}
	}
	if !trained {
		return StageEndorsed
	}
	for _, t := range tasks {
		if t.OfferedTo == v.Key && (t.Status == StatusAccepted || t.Status == StatusDone) {
			return StageActive
		}
	}
	return StageTrained
}

// TrainingNeed is one course a volunteer needs.
type TrainingNeed struct {
	Volunteer string    `json:"volunteer"` // the volunteer record's id
	Course    string    `json:"course"`    // the course's id
	Skill     string    `json:"skill"`     // the skill that makes it needed, as the course names it
	Expired   time.Time `json:"expired"`   // when their completion expired; zero: never completed
}

// NeedsTraining lists, for coordinators, who needs which course at time at:
// volunteer v needs course c when c qualifies for a skill v lists (Skills or
// Training) or the skill of a task offered to v's key and not yet answered
// or accepted, and v holds no unexpired completion of c. Ordered by course
// (SortCourses), then volunteer id; one entry per volunteer and course.
func NeedsTraining(vols []Volunteer, courses []Course, tasks []Task, at time.Time) []TrainingNeed {
	asked := map[ledger.DeviceID][]string{}
	for _, t := range tasks {
		if !t.OfferedTo.IsZero() && t.Skill != "" && (t.Status == StatusOffered || t.Status == StatusAccepted) {
			asked[t.OfferedTo] = append(asked[t.OfferedTo], NormalizeName(t.Skill))
		}
	}
	cs := slices.Clone(courses)
	SortCourses(cs)
	vs := slices.Clone(vols)
	slices.SortFunc(vs, func(a, b Volunteer) int { return cmp.Compare(a.ID, b.ID) })
	var out []TrainingNeed
	for _, c := range cs {
		for _, v := range vs {
			skill, ok := neededFor(c, v, asked[v.Key])
			if !ok {
				continue
			}
			comp, done := c.CompletionOf(v.ID)
			if done && !comp.ExpiredAt(at) {
				continue
			}
			n := TrainingNeed{Volunteer: v.ID, Course: c.ID, Skill: skill}
			if done {
				n.Expired = comp.Expires
			}
			out = append(out, n)
		}
	}
	return out
}

// neededFor returns the first skill of c (in c's order) that v lists or was
// asked for.
func neededFor(c Course, v Volunteer, asked []string) (string, bool) {
	for _, s := range c.Qualifies {
		n := NormalizeName(s)
		if has(v.Skills, n) || has(v.Training, n) || slices.Contains(asked, n) {
			return s, true
		}
	}
	return "", false
}

// material checks a materials file.
func material(b []byte) error {
	var m Material
	if err := decMode.Unmarshal(b, &m); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(m.Name) == "" || !utf8.ValidString(m.Name) || TooLong(m.Name, MaxMaterialName):
		return fmt.Errorf("materials file name empty, longer than %d characters or not UTF-8", MaxMaterialName)
	case !utf8.ValidString(m.Type) || len(m.Type) > 100:
		return errors.New("materials file type longer than 100 bytes or not UTF-8")
	case len(m.Data) == 0 || len(m.Data) > MaxMaterialFile:
		return fmt.Errorf("materials file of %d bytes: want 1 to %d", len(m.Data), MaxMaterialFile)
	}
	return nil
}

// validityDays checks a course's validity.
func validityDays(b []byte) error {
	var d int
	if err := decMode.Unmarshal(b, &d); err != nil {
		return err
	}
	if d < 0 || d > MaxValidityDays {
		return fmt.Errorf("validity of %d days: want 0 to %d", d, MaxValidityDays)
	}
	return nil
}

// checkTrainingArgs checks the arguments of the course actions: a volunteer
// (complete_course, withdraw_completion only, and required there), a member
// (mark_trainer, unmark_trainer: Args.To, required).
func checkTrainingArgs(a Action, x Args) error {
	switch a {
	case ActionCompleteCourse, ActionWithdrawCompletion:
		if x.Volunteer == "" {
			return fmt.Errorf("%s needs the volunteer", a)
		}
	case ActionMarkTrainer, ActionUnmarkTrainer:
		if x.To.IsZero() {
			return fmt.Errorf("%s needs the member", a)
		}
	default:
		if x.Volunteer != "" {
			return fmt.Errorf("%s names no volunteer; only complete_course and withdraw_completion do", a)
		}
	}
	if len(x.Volunteer) > MaxIDLen || !utf8.ValidString(x.Volunteer) {
		return errors.New("volunteer: not an id")
	}
	return nil
}

func init() {
	kinds[KindCourse] = kindSpec{
		fields: map[string]func([]byte) error{
			FieldName: text(MaxOrg), FieldDescription: text(MaxCourseText), FieldMaterialsLink: text(MaxMaterialsLink),
			FieldMaterialsFile: material, FieldValidityDays: validityDays,
		},
		sets:  []string{SetQualifies},
		rules: CourseRules,
	}
	FieldRules = append(FieldRules, FieldRule{Kind: KindCourse, Roles: []Role{RoleCoordinator}})
}
