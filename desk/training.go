package desk

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// ReasonBytes is the reason of CodeTooLong for a file over Args["max"] bytes.
const ReasonBytes = "bytes"

// CourseInput is a training course as the form sends it. ID "" records a
// new course; otherwise the course is rewritten (name, description, link,
// validity, qualified skills as given). Material nil keeps the file (a new
// course then has none); RemoveMaterial drops it. ValidityDays 0: a
// completion never expires.
type CourseInput struct {
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	Description    string   `json:"description"`
	MaterialsLink  string   `json:"materialsLink"`
	MaterialName   string   `json:"materialName"`
	MaterialType   string   `json:"materialType"`
	Material       []byte   `json:"material"` // at most relief.MaxMaterialFile bytes
	RemoveMaterial bool     `json:"removeMaterial"`
	Qualifies      []string `json:"qualifies"`
	ValidityDays   int      `json:"validityDays"`
}

// TrainingVolunteer is a volunteer as the training screen lists them: their
// stage (relief.VolunteerStage) now.
type TrainingVolunteer struct {
	ID    string          `json:"id"`
	Code  string          `json:"code"`
	Name  string          `json:"name"`
	Key   ledger.DeviceID `json:"key"`
	Stage relief.Stage    `json:"stage"`
}

// Training is the training screen's state for this member: the courses (in
// relief.SortCourses order), the volunteers with their stages, who needs
// which course (coordinators only; nil for others), the courses this member
// may record completions for (a coordinator: all; a marked trainer: theirs),
// and whether this member may write courses and mark trainers.
type Training struct {
	Courses     []relief.Course       `json:"courses"`
	Volunteers  []TrainingVolunteer   `json:"volunteers"`
	Needs       []relief.TrainingNeed `json:"needs"`
	Trains      []string              `json:"trains"` // course ids
	Coordinator bool                  `json:"coordinator"`
}

// Courses returns the training courses. Errors: CodeStorage.
func (d *Desk) Courses() ([]relief.Course, error) {
	cs, err := d.st.Courses()
	if err != nil {
		return nil, AsError(err)
	}
	return cs, nil
}

// Training returns the training screen's state, judged now. Errors:
// CodeStorage.
func (d *Desk) Training() (Training, error) {
	cs, err := d.Courses()
	if err != nil {
		return Training{}, err
	}
	vols, err := d.st.Volunteers()
	if err != nil {
		return Training{}, AsError(err)
	}
	tasks, err := d.st.Tasks()
	if err != nil {
		return Training{}, AsError(err)
	}
	me, _ := d.st.Me()
	now := d.st.Now()
	roster := d.st.Roster()
	out := Training{Courses: cs, Volunteers: make([]TrainingVolunteer, 0, len(vols)), Trains: []string{}, Coordinator: me.Role == relief.RoleCoordinator}
	for _, v := range vols {
		p, _ := relief.Project(v, me)
		out.Volunteers = append(out.Volunteers, TrainingVolunteer{ID: v.ID, Code: v.Code, Name: p.Name, Key: v.Key,
			Stage: relief.VolunteerStage(v, roster, cs, tasks, now)})
	}
	for _, c := range cs {
		if c.IsTrainer(me) {
			out.Trains = append(out.Trains, c.ID)
		}
	}
	if out.Coordinator {
		out.Needs = relief.NeedsTraining(vols, cs, tasks, now)
	}
	return out, nil
}

// course returns course id as folded now. Errors: *Error CodeNotFound
// naming "course"; CodeStorage.
func (d *Desk) course(id string) (relief.Course, error) {
	rec, err := d.st.Record(relief.KindCourse, id)
	if err != nil {
		return relief.Course{}, AsError(err)
	}
	if rec.First == nil {
		return relief.Course{}, &Error{Code: CodeNotFound, Field: "course", Message: "course " + id + " not found"}
	}
	return relief.FoldCourse(rec, d.st.Roster()), nil
}

// SaveCourse records a new course or rewrites one (in.ID). Only
// coordinators write courses. Errors: *Error CodeNotAllowed naming
// "action"; CodeRequired naming "name" or "qualifies"; CodeTooLong naming
// "name", "description", "materialsLink", "materialName" or "material" (a
// file over relief.MaxMaterialFile bytes: reason ReasonBytes, Args max); CodeInvalid
// naming "materialsLink" (not an http or https address) or "validityDays"
// (below 0 or over relief.MaxValidityDays: reason ReasonRange, Args min, max); CodeNotFound naming "course";
// CodeStorage.
func (d *Desk) SaveCourse(in CourseInput) (relief.Course, error) {
	if me, _ := d.st.Me(); me.Role != relief.RoleCoordinator {
		return relief.Course{}, &Error{Code: CodeNotAllowed, Field: "action", Message: "only coordinators write courses"}
	}
	name, desc, link := strings.TrimSpace(in.Name), strings.TrimSpace(in.Description), strings.TrimSpace(in.MaterialsLink)
	var skills []string
	for _, s := range in.Qualifies {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(skills, s) {
			skills = append(skills, s)
		}
	}
	switch {
	case name == "":
		return relief.Course{}, FieldError(CodeRequired, "name", "is empty")
	case relief.TooLong(name, relief.MaxOrg):
		return relief.Course{}, TooLong("name", relief.MaxOrg)
	case relief.TooLong(desc, relief.MaxCourseText):
		return relief.Course{}, TooLong("description", relief.MaxCourseText)
	case relief.TooLong(link, relief.MaxMaterialsLink):
		return relief.Course{}, TooLong("materialsLink", relief.MaxMaterialsLink)
	case len(skills) == 0:
		return relief.Course{}, FieldError(CodeRequired, "qualifies", "a course qualifies for at least one skill")
	case in.ValidityDays < 0 || in.ValidityDays > relief.MaxValidityDays:
		e := FieldError(CodeInvalid, "validityDays", "%d days: want 0 (never expires) to %d", in.ValidityDays, relief.MaxValidityDays)
		return relief.Course{}, e.Because(ReasonRange, "min", "0", "max", strconv.Itoa(relief.MaxValidityDays))
	case len(in.Material) > relief.MaxMaterialFile:
		e := FieldError(CodeTooLong, "material", "a file of %d bytes; at most %d bytes (%d KiB)", len(in.Material), relief.MaxMaterialFile, relief.MaxMaterialFile>>10)
		return relief.Course{}, e.Because(ReasonBytes, "max", strconv.Itoa(relief.MaxMaterialFile))
	}
	for _, s := range skills {
		if len(s) > relief.MaxElemLen {
			return relief.Course{}, TooLong("qualifies", relief.MaxElemLen)
		}
	}
	if link != "" {
		u, err := url.Parse(link)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return relief.Course{}, FieldError(CodeInvalid, "materialsLink", "%q is not an http or https address", link)
		}
	}
	fields := map[string]any{relief.FieldName: name, relief.FieldDescription: desc, relief.FieldMaterialsLink: link, relief.FieldValidityDays: in.ValidityDays}
	if len(in.Material) > 0 {
		mname := strings.TrimSpace(in.MaterialName)
		if mname == "" {
			mname = "materials"
		}
		if relief.TooLong(mname, relief.MaxMaterialName) {
			return relief.Course{}, TooLong("materialName", relief.MaxMaterialName)
		}
		mtype := strings.TrimSpace(in.MaterialType)
		if len(mtype) > 100 {
			mtype = ""
		}
		fields[relief.FieldMaterialsFile] = relief.Material{Name: mname, Type: mtype, Data: in.Material}
	} else if in.RemoveMaterial {
		fields[relief.FieldMaterialsFile] = nil
	}

	id := strings.TrimSpace(in.ID)
	var have []string
	var rec *relief.Record
	if id == "" {
		id = store.NewID()
	} else {
		c, err := d.course(id)
		if err != nil {
			return relief.Course{}, err
		}
		have = c.Qualifies
		if rec, err = d.st.Record(relief.KindCourse, id); err != nil {
			return relief.Course{}, AsError(err)
		}
	}
	set, err := relief.SetFields(relief.KindCourse, id, fields)
	if err != nil {
		return relief.Course{}, &Error{Code: CodeInvalid, Message: err.Error()}
	}
	ops := []ledger.Op{set}
	var add, gone []string
	for _, s := range skills {
		if !slices.Contains(have, s) {
			add = append(add, s)
		}
	}
	for _, s := range have {
		if !slices.Contains(skills, s) {
			gone = append(gone, s)
		}
	}
	if len(add) > 0 {
		op, err := relief.Add(relief.KindCourse, id, relief.SetQualifies, add...)
		if err != nil {
			return relief.Course{}, FieldError(CodeInvalid, "qualifies", "%v", err)
		}
		ops = append(ops, op)
	}
	if len(gone) > 0 && rec != nil {
		op, err := relief.Remove(rec, relief.SetQualifies, gone...)
		if err != nil {
			return relief.Course{}, FieldError(CodeInvalid, "qualifies", "%v", err)
		}
		ops = append(ops, op)
	}
	if _, err := d.apply(ops); err != nil {
		return relief.Course{}, err
	}
	return d.course(id)
}

// trainerOf returns course id and refuses this member unless a coordinator
// or a trainer marked for it: *Error CodeNotAllowed naming "action";
// CodeNotFound naming "course"; CodeStorage.
func (d *Desk) trainerOf(id string) (relief.Course, error) {
	c, err := d.course(id)
	if err != nil {
		return relief.Course{}, err
	}
	if me, _ := d.st.Me(); !c.IsTrainer(me) {
		return relief.Course{}, &Error{Code: CodeNotAllowed, Field: "action", Message: "only a coordinator or a trainer of " + c.Name + " records its completions"}
	}
	return c, nil
}

// RecordCompletion records, signed by this member (a coordinator or a
// trainer of the course), that the volunteer (record id) completed course
// courseID now; a repeated completion renews it. Errors: *Error
// CodeNotAllowed naming "action"; CodeNotFound naming "course" or
// "volunteer"; CodeStorage.
func (d *Desk) RecordCompletion(courseID, volunteerID string) (relief.Course, error) {
	if _, err := d.trainerOf(courseID); err != nil {
		return relief.Course{}, err
	}
	rec, err := d.st.Record(relief.KindVolunteer, volunteerID)
	if err != nil {
		return relief.Course{}, AsError(err)
	}
	if rec.First == nil {
		return relief.Course{}, &Error{Code: CodeNotFound, Field: "volunteer", Message: "volunteer " + volunteerID + " not found"}
	}
	op, err := relief.CompleteCourse(courseID, volunteerID)
	if err != nil {
		return relief.Course{}, FieldError(CodeInvalid, "volunteer", "%v", err)
	}
	if _, err := d.apply([]ledger.Op{op}); err != nil {
		return relief.Course{}, err
	}
	return d.course(courseID)
}

// WithdrawCompletion withdraws the volunteer's completion of course
// courseID (recorded by mistake); note says why and is required. Errors:
// *Error CodeNotAllowed naming "action"; CodeNotFound naming "course" or
// "completion"; CodeRequired naming "note"; CodeStorage.
func (d *Desk) WithdrawCompletion(courseID, volunteerID, note string) (relief.Course, error) {
	c, err := d.trainerOf(courseID)
	if err != nil {
		return relief.Course{}, err
	}
	if _, ok := c.CompletionOf(volunteerID); !ok {
		return relief.Course{}, &Error{Code: CodeNotFound, Field: "completion", Message: "volunteer " + volunteerID + " has no completion of " + c.Name}
	}
	if note = strings.TrimSpace(note); note == "" {
		return relief.Course{}, FieldError(CodeRequired, "note", "say why the completion is withdrawn")
	}
	op, err := relief.WithdrawCompletion(courseID, volunteerID, note)
	if err != nil {
		return relief.Course{}, FieldError(CodeInvalid, "note", "%v", err)
	}
	if _, err := d.apply([]ledger.Op{op}); err != nil {
		return relief.Course{}, err
	}
	return d.course(courseID)
}

// MarkTrainer marks member (member id) as trainer of course courseID (on
// true), or ends it; only coordinators do. Errors: *Error CodeNotAllowed
// naming "action"; CodeInvalid naming "member" (not a member id, not an
// active member); CodeNotFound naming "course"; CodeStorage.
func (d *Desk) MarkTrainer(courseID, member string, on bool) (relief.Course, error) {
	if me, _ := d.st.Me(); me.Role != relief.RoleCoordinator {
		return relief.Course{}, &Error{Code: CodeNotAllowed, Field: "action", Message: "only coordinators mark trainers"}
	}
	if _, err := d.course(courseID); err != nil {
		return relief.Course{}, err
	}
	key, err := ParseMemberID("member", member)
	if err != nil {
		return relief.Course{}, err
	}
	if m, ok := d.Member(key); !ok || m.Revoked || m.Role == relief.RoleObserver {
		return relief.Course{}, FieldError(CodeInvalid, "member", "%s is not an active member who may train", key.Short())
	}
	op, err := relief.MarkTrainer(courseID, key, on)
	if err != nil {
		return relief.Course{}, FieldError(CodeInvalid, "member", "%v", err)
	}
	if _, err := d.apply([]ledger.Op{op}); err != nil {
		return relief.Course{}, err
	}
	return d.course(courseID)
}

// CourseMaterial returns the materials file of course courseID. Errors:
// *Error CodeNotFound naming "course" or "material"; CodeStorage.
func (d *Desk) CourseMaterial(courseID string) (relief.Material, error) {
	c, err := d.course(courseID)
	if err != nil {
		return relief.Material{}, err
	}
	if c.Material == nil {
		return relief.Material{}, &Error{Code: CodeNotFound, Field: "material", Message: "course " + c.Name + " has no materials file"}
	}
	return *c.Material, nil
}
