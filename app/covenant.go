package app

import (
	"time"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/relief"
)

// EvidenceInput is how a demand was verified, as the approve form sends it
// (see desk.EvidenceInput).
type EvidenceInput = desk.EvidenceInput

// PartnerInput is a partner organisation as the form sends it (see
// desk.PartnerInput).
type PartnerInput = desk.PartnerInput

// EvidenceView is how a demand was verified (relief.Evidence): Kind is
// callback, notice, visit or partner; At is Unix milliseconds (0 none).
type EvidenceView struct {
	Kind    string `json:"kind"`
	Caller  string `json:"caller"`
	At      int64  `json:"at"`
	Outcome string `json:"outcome"`
	Link    string `json:"link"`
	Partner string `json:"partner"`
}

// VerificationView says how and when a demand was verified, without names
// (relief.Verification): How is "" for a written reason without evidence;
// Checked the call's or visit's time, Approved the approval's (Unix ms).
type VerificationView struct {
	How      string `json:"how"`
	Checked  int64  `json:"checked"`
	Approved int64  `json:"approved"`
}

func evidenceView(e *relief.Evidence) *EvidenceView {
	if e == nil {
		return nil
	}
	return &EvidenceView{Kind: string(e.Kind), Caller: e.Caller, At: e.At, Outcome: e.Outcome, Link: e.Link, Partner: e.Partner}
}

func verificationView(v *relief.Verification) *VerificationView {
	if v == nil {
		return nil
	}
	out := &VerificationView{How: string(v.How), Approved: v.Approved.Wall}
	if !v.Checked.IsZero() {
		out.Checked = v.Checked.UnixMilli()
	}
	return out
}

// CovenantVersionView is one version of the covenant, with who accepted it.
type CovenantVersionView struct {
	ID       string      `json:"id"`
	Version  int         `json:"version"`
	Title    string      `json:"title"`
	Text     string      `json:"text"`
	By       MemberRef   `json:"by"`
	At       int64       `json:"at"` // Unix milliseconds
	Accepted []MemberRef `json:"accepted"`
	Edited   bool        `json:"edited"` // written again after its creation
}

// CovenantView is the network's covenant (伙伴契约) as this member sees it:
// every version, oldest first; Current the current version's number (0: no
// covenant yet); Mine the highest version this member accepted (0: none);
// NotAccepted the members who have not accepted the current version (for
// coordinators; empty for others).
type CovenantView struct {
	Versions    []CovenantVersionView `json:"versions"`
	Current     int                   `json:"current"`
	Mine        int                   `json:"mine"`
	NotAccepted []MemberRef           `json:"notAccepted"`
}

// PartnerView is a partner organisation: Contact and Phone are restricted
// (empty when hidden); Covenant the version number it signed (0: none).
type PartnerView struct {
	ID        string    `json:"id"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Type      string    `json:"type"` // hospital, logistics, supplier, volunteer_group, other
	Contact   string    `json:"contact"`
	Phone     string    `json:"phone"`
	Covenant  int       `json:"covenant"`
	VouchedBy MemberRef `json:"vouchedBy"`
	Notes     string    `json:"notes"`
}

func covenantView(dk *desk.Desk, c desk.Covenant) CovenantView {
	names := dk.MemberNames()
	out := CovenantView{Versions: []CovenantVersionView{}, Current: c.Current, Mine: c.Mine, NotAccepted: []MemberRef{}}
	for _, v := range c.Versions {
		vv := CovenantVersionView{ID: v.ID, Version: v.Version, Title: v.Title, Text: v.Text, At: v.At.Wall,
			By: MemberRef{ID: v.By.String(), Name: names[v.By]}, Accepted: []MemberRef{}, Edited: v.Edited}
		for _, a := range v.Accepted {
			vv.Accepted = append(vv.Accepted, MemberRef{ID: a.Member.String(), Name: names[a.Member]})
		}
		out.Versions = append(out.Versions, vv)
	}
	for _, m := range c.NotAccepted {
		out.NotAccepted = append(out.NotAccepted, MemberRef{ID: m.Key.String(), Name: m.Name})
	}
	return out
}

// Covenant returns the network's covenant and who accepted which version.
func (s *NetworkService) Covenant() (CovenantView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return CovenantView{}, err
	}
	c, err := dk.Covenant()
	if err != nil {
		return CovenantView{}, err
	}
	return covenantView(dk, c), nil
}

// WriteCovenant publishes a new version of the covenant (coordinators
// only); every member is asked to accept it. Errors: CodeNotAllowed;
// CodeRequired naming "text"; CodeTooLong naming "title" or "text".
func (s *NetworkService) WriteCovenant(title, text string) (CovenantView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return CovenantView{}, err
	}
	c, err := dk.WriteCovenant(title, text)
	if err != nil {
		return CovenantView{}, err
	}
	return covenantView(dk, c), nil
}

// AcceptCovenant records that this member accepts the current version.
// Errors: CodeNotFound naming "covenant" when there is none.
func (s *NetworkService) AcceptCovenant() (CovenantView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return CovenantView{}, err
	}
	c, err := dk.AcceptCovenant()
	if err != nil {
		return CovenantView{}, err
	}
	return covenantView(dk, c), nil
}

// Partners returns the partner organisations.
func (s *NetworkService) Partners() ([]PartnerView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	ps, err := dk.Partners()
	if err != nil {
		return nil, err
	}
	return partnerViews(dk, ps)
}

// RecordPartner records a partner organisation vouched for by this member
// and returns the partners. Errors: CodeRequired naming "name"; CodeInvalid
// naming "type" or "phone"; CodeNotFound naming "covenant".
func (s *NetworkService) RecordPartner(in PartnerInput) ([]PartnerView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	if _, err := dk.RecordPartner(in); err != nil {
		return nil, err
	}
	return s.Partners()
}

func partnerViews(dk *desk.Desk, ps []relief.Partner) ([]PartnerView, error) {
	c, err := dk.Covenant()
	if err != nil {
		return nil, err
	}
	version := map[string]int{}
	for _, v := range c.Versions {
		version[v.ID] = v.Version
	}
	names := dk.MemberNames()
	out := make([]PartnerView, 0, len(ps))
	for _, p := range ps {
		v := PartnerView{ID: p.ID, Code: p.Code, Name: p.Name, Type: p.Type, Covenant: version[p.Covenant], Notes: p.Notes,
			VouchedBy: MemberRef{ID: p.VouchedBy.String(), Name: names[p.VouchedBy]}}
		if len(p.Contacts) > 0 {
			v.Contact, v.Phone = p.Contacts[0].Name, p.Contacts[0].Phone
		}
		out = append(out, v)
	}
	return out, nil
}

// PlanReturn sets when the volunteer of a field task plans to be back (Unix
// milliseconds; 0: not a field task). Past it without a check-out, the
// demand's owner and the coordinators are alerted. Errors: CodeNotFound
// naming "task"; CodeNotAllowed.
func (s *TaskService) PlanReturn(taskID string, back int64) (TaskView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return TaskView{}, err
	}
	var t time.Time
	if back > 0 {
		t = time.UnixMilli(back)
	}
	task, err := dk.PlanReturn(taskID, t)
	if err != nil {
		return TaskView{}, err
	}
	return taskView(task, dk.MemberNames()), nil
}

// FieldTasks returns the tasks of the day: who is out in the field and until
// when, by planned return.
func (s *TaskService) FieldTasks() ([]TaskView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	ts, err := dk.FieldTasks()
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
