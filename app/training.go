package app

import (
	"encoding/base64"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// CourseInput is a training course as the form sends it (see
// desk.CourseInput); Material is the file's content in base64 ("" keeps the
// file a course has; a new course then has none), at most 128 KiB decoded.
type CourseInput struct {
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	Description    string   `json:"description"`
	MaterialsLink  string   `json:"materialsLink"`
	MaterialName   string   `json:"materialName"`
	MaterialType   string   `json:"materialType"`
	Material       string   `json:"material"`
	RemoveMaterial bool     `json:"removeMaterial"`
	Qualifies      []string `json:"qualifies"`
	ValidityDays   int      `json:"validityDays"`
}

// CompletionView is a volunteer's completion of a course: At and Expires
// are Unix milliseconds (Expires 0: never); Expired is judged now.
type CompletionView struct {
	Volunteer MemberRef `json:"volunteer"` // the volunteer record's id and name
	By        MemberRef `json:"by"`        // the trainer who signed it
	At        int64     `json:"at"`
	Expires   int64     `json:"expires"`
	Expired   bool      `json:"expired"`
}

// CourseConflictView is a step on a course that did not count: a
// completion by a member who was no trainer, a trainer marked by a
// non-coordinator, a withdrawal of nothing (Reason as relief.Reason).
type CourseConflictView struct {
	Action string    `json:"action"`
	By     MemberRef `json:"by"`
	At     int64     `json:"at"`
	Reason string    `json:"reason"`
}

// CourseView is a training course. MaterialSize is the file's size in
// bytes (0: no file); CanRecord says whether this member may record its
// completions (a coordinator or one of its Trainers).
type CourseView struct {
	ID            string               `json:"id"`
	Name          string               `json:"name"`
	Description   string               `json:"description"`
	MaterialsLink string               `json:"materialsLink"`
	MaterialName  string               `json:"materialName"`
	MaterialType  string               `json:"materialType"`
	MaterialSize  int                  `json:"materialSize"`
	Qualifies     []string             `json:"qualifies"`
	ValidityDays  int                  `json:"validityDays"` // 0: never expires
	Trainers      []MemberRef          `json:"trainers"`
	Completions   []CompletionView     `json:"completions"`
	Conflicts     []CourseConflictView `json:"conflicts"`
	CanRecord     bool                 `json:"canRecord"`
}

// TrainingVolunteerView is a volunteer with their stage: applicant,
// endorsed, trained or active (relief.VolunteerStage).
type TrainingVolunteerView struct {
	ID       string `json:"id"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	MemberID string `json:"memberId"` // "" when the record names no member
	Stage    string `json:"stage"`
}

// TrainingNeedView is a course a volunteer needs: Skill makes it needed;
// Expired is when their completion expired (Unix ms; 0: never completed).
type TrainingNeedView struct {
	Volunteer MemberRef `json:"volunteer"` // the volunteer record's id and name
	Course    MemberRef `json:"course"`    // the course's id and name
	Skill     string    `json:"skill"`
	Expired   int64     `json:"expired"`
}

// TrainingView is the training screen: courses, volunteers by stage, who
// needs which course (coordinators only; empty for others), the members who
// may be marked trainers (coordinators only), and whether this member is a
// coordinator (writes courses, marks trainers).
type TrainingView struct {
	Courses     []CourseView            `json:"courses"`
	Volunteers  []TrainingVolunteerView `json:"volunteers"`
	Needs       []TrainingNeedView      `json:"needs"`
	Members     []MemberRef             `json:"members"`
	Coordinator bool                    `json:"coordinator"`
}

// QualificationView is a volunteer's qualification for a task's skill by
// courses (relief.Qualification): Done of Courses completed and unexpired,
// the names of the Missing and Expired ones.
type QualificationView struct {
	Skill     string   `json:"skill"`
	Courses   int      `json:"courses"`
	Done      int      `json:"done"`
	Missing   []string `json:"missing"`
	Expired   []string `json:"expired"`
	Qualified bool     `json:"qualified"`
}

// MaterialView is a course's materials file, its content in base64.
type MaterialView struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Data string `json:"data"`
}

func qualificationView(q *relief.Qualification) *QualificationView {
	if q == nil {
		return nil
	}
	return &QualificationView{Skill: q.Skill, Courses: q.Courses, Done: q.Done, Missing: orEmpty(q.Missing), Expired: orEmpty(q.Expired), Qualified: q.Qualified}
}

func trainingView(dk *desk.Desk, tr desk.Training) TrainingView {
	names := dk.MemberNames()
	ref := func(k ledger.DeviceID) MemberRef { return MemberRef{ID: k.String(), Name: names[k]} }
	vname := map[string]string{}
	out := TrainingView{Courses: []CourseView{}, Volunteers: []TrainingVolunteerView{}, Needs: []TrainingNeedView{}, Members: []MemberRef{}, Coordinator: tr.Coordinator}
	for _, v := range tr.Volunteers {
		vname[v.ID] = v.Name
		tv := TrainingVolunteerView{ID: v.ID, Code: v.Code, Name: v.Name, Stage: string(v.Stage)}
		if !v.Key.IsZero() {
			tv.MemberID = v.Key.String()
		}
		out.Volunteers = append(out.Volunteers, tv)
	}
	now := dk.Store().Now()
	cname := map[string]string{}
	for _, c := range tr.Courses {
		cname[c.ID] = c.Name
		cv := CourseView{ID: c.ID, Name: c.Name, Description: c.Description, MaterialsLink: c.MaterialsLink, Qualifies: orEmpty(c.Qualifies),
			ValidityDays: c.ValidityDays, Trainers: []MemberRef{}, Completions: []CompletionView{}, Conflicts: []CourseConflictView{}}
		if c.Material != nil {
			cv.MaterialName, cv.MaterialType, cv.MaterialSize = c.Material.Name, c.Material.Type, len(c.Material.Data)
		}
		for _, k := range c.Trainers {
			cv.Trainers = append(cv.Trainers, ref(k))
		}
		for _, comp := range c.Completions {
			v := CompletionView{Volunteer: MemberRef{ID: comp.Volunteer, Name: vname[comp.Volunteer]}, By: ref(comp.By), At: comp.At.Wall, Expired: comp.ExpiredAt(now)}
			if !comp.Expires.IsZero() {
				v.Expires = comp.Expires.UnixMilli()
			}
			cv.Completions = append(cv.Completions, v)
		}
		for _, x := range c.Conflicts {
			cv.Conflicts = append(cv.Conflicts, CourseConflictView{Action: string(x.Action), By: ref(x.By), At: x.At.Wall, Reason: string(x.Reason)})
		}
		for _, id := range tr.Trains {
			cv.CanRecord = cv.CanRecord || id == c.ID
		}
		out.Courses = append(out.Courses, cv)
	}
	for _, n := range tr.Needs {
		v := TrainingNeedView{Volunteer: MemberRef{ID: n.Volunteer, Name: vname[n.Volunteer]}, Course: MemberRef{ID: n.Course, Name: cname[n.Course]}, Skill: n.Skill}
		if !n.Expired.IsZero() {
			v.Expired = n.Expired.UnixMilli()
		}
		out.Needs = append(out.Needs, v)
	}
	if tr.Coordinator {
		for _, m := range dk.Members() {
			if !m.Revoked && m.Role.Valid() && m.Role != relief.RoleObserver {
				out.Members = append(out.Members, ref(m.Key))
			}
		}
	}
	return out
}

// Training returns the training screen: courses, who completed what and
// when it expires, volunteers by stage, and (coordinators) who needs which
// training.
func (s *VolunteerService) Training() (TrainingView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return TrainingView{}, err
	}
	tr, err := dk.Training()
	if err != nil {
		return TrainingView{}, err
	}
	return trainingView(dk, tr), nil
}

// SaveCourse records a new course or rewrites one (coordinators only) and
// returns the training screen. Errors: CodeNotAllowed; CodeRequired naming
// "name" or "qualifies"; CodeTooLong naming "name", "description",
// "materialsLink", "materialName" or "material" (over 128 KiB); CodeInvalid
// naming "materialsLink", "validityDays" or "material" (not base64);
// CodeNotFound naming "course".
func (s *VolunteerService) SaveCourse(in CourseInput) (TrainingView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return TrainingView{}, err
	}
	var data []byte
	if in.Material != "" {
		if data, err = base64.StdEncoding.DecodeString(in.Material); err != nil {
			return TrainingView{}, desk.FieldError(desk.CodeInvalid, "material", "the file did not arrive whole: %v", err)
		}
	}
	if _, err := dk.SaveCourse(desk.CourseInput{ID: in.ID, Name: in.Name, Description: in.Description, MaterialsLink: in.MaterialsLink,
		MaterialName: in.MaterialName, MaterialType: in.MaterialType, Material: data, RemoveMaterial: in.RemoveMaterial,
		Qualifies: in.Qualifies, ValidityDays: in.ValidityDays}); err != nil {
		return TrainingView{}, err
	}
	return s.Training()
}

// RecordCompletion records, signed by this member (a coordinator or a
// trainer of the course), that a volunteer (record id) completed a course
// now. Errors: CodeNotAllowed; CodeNotFound naming "course" or "volunteer".
func (s *VolunteerService) RecordCompletion(courseID, volunteerID string) (TrainingView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return TrainingView{}, err
	}
	if _, err := dk.RecordCompletion(courseID, volunteerID); err != nil {
		return TrainingView{}, err
	}
	return s.Training()
}

// WithdrawCompletion withdraws a completion recorded by mistake, with the
// reason. Errors: CodeNotAllowed; CodeRequired naming "note"; CodeNotFound
// naming "course" or "completion".
func (s *VolunteerService) WithdrawCompletion(courseID, volunteerID, note string) (TrainingView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return TrainingView{}, err
	}
	if _, err := dk.WithdrawCompletion(courseID, volunteerID, note); err != nil {
		return TrainingView{}, err
	}
	return s.Training()
}

// MarkTrainer marks a member (member id) as trainer of a course, or ends it
// (coordinators only). Errors: CodeNotAllowed; CodeInvalid naming "member";
// CodeNotFound naming "course".
func (s *VolunteerService) MarkTrainer(courseID, memberID string, on bool) (TrainingView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return TrainingView{}, err
	}
	if _, err := dk.MarkTrainer(courseID, memberID, on); err != nil {
		return TrainingView{}, err
	}
	return s.Training()
}

// CourseMaterial returns a course's materials file. Errors: CodeNotFound
// naming "course" or "material".
func (s *VolunteerService) CourseMaterial(courseID string) (MaterialView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return MaterialView{}, err
	}
	m, err := dk.CourseMaterial(courseID)
	if err != nil {
		return MaterialView{}, err
	}
	return MaterialView{Name: m.Name, Type: m.Type, Data: base64.StdEncoding.EncodeToString(m.Data)}, nil
}
