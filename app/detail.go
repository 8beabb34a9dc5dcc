package app

import (
	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// MemberRef names a member in a view: id (base32 key) and name as the roster has it.
type MemberRef struct {
	ID   string `json:"id"`
	Name string `json:"name"` // empty when the key is not in the roster
}

// ContactView is one contact of a demand.
type ContactView struct {
	Name  string `json:"name"`
	Phone string `json:"phone"` // E.164 (an extension after ";ext="), or the WeChat or QQ id when Kind says so
	Role  string `json:"role"`
	Kind  string `json:"kind,omitempty"` // "" a phone number; "wechat" or "qq" (relief.ContactWeChat, relief.ContactQQ)
}

// HiddenField is a field the viewer may not see, and why (relief.Hidden).
type HiddenField struct {
	Field  string `json:"field"`
	Level  string `json:"level"`
	Reason string `json:"reason"`
}

// ReceiptView is a received quantity recorded by a progress step.
type ReceiptView struct {
	Item     string  `json:"item"`
	Quantity float64 `json:"quantity"`
}

// StepView is one applied step of a demand's signed history.
type StepView struct {
	Action      string        `json:"action"`
	By          MemberRef     `json:"by"`
	At          int64         `json:"at"` // Unix milliseconds (HLC wall time)
	Seq         uint64        `json:"seq"`
	Change      string        `json:"change"` // change id, hex
	Note        string        `json:"note"`
	To          *MemberRef    `json:"to"`
	DuplicateOf string        `json:"duplicateOf"`
	Received    []ReceiptView `json:"received"`
}

// ConflictView is a step that did not apply: who tried what, when, why, and
// whose step won.
type ConflictView struct {
	Action       string     `json:"action"`
	By           MemberRef  `json:"by"`
	At           int64      `json:"at"`
	Reason       string     `json:"reason"` // relief.Reason code, translated by the UI
	Field        string     `json:"field"`
	Winner       *MemberRef `json:"winner"`
	WinnerAt     int64      `json:"winnerAt"`
	WinnerAction string     `json:"winnerAction"`
}

// DemandDetail is one demand as the viewing member may see it: fields above the
// member's clearance are blank and listed in Hidden with the reason.
type DemandDetail struct {
	DemandSummary
	Description  string `json:"description"`
	RequesterOrg string `json:"requesterOrg"`
	Address      string `json:"address"`
	Source       string `json:"source"`
	Imported     bool   `json:"imported"` // Source says the importer wrote it (importer.Imported)
	ReviewNotes  string `json:"reviewNotes"`
	// FlaggedOriginal is the code of the likely original when ReviewNotes is
	// the importer's duplicate note (importer.NoteOriginal), so the UI can
	// say it in its own language; empty otherwise.
	FlaggedOriginal string         `json:"flaggedOriginal"`
	DuplicateOf     string         `json:"duplicateOf"`
	Tags            []string       `json:"tags"` // e.g. possible_duplicate: see DemandService.ReviewDuplicate
	Contacts        []ContactView  `json:"contacts"`
	Owner           *MemberRef     `json:"owner"`
	CreatedBy       MemberRef      `json:"createdBy"`
	UpdatedAt       int64          `json:"updatedAt"`
	Hidden          []HiddenField  `json:"hidden"`
	History         []StepView     `json:"history"`
	Conflicts       []ConflictView `json:"conflicts"`
	Allowed         []string       `json:"allowed"` // actions this member may take now
}

// Inputs of a pipeline action, as the desk defines them (see there).
type (
	ReceiptInput = desk.ReceiptInput
	ActInput     = desk.ActInput
)

// Get returns demand id as this member may see it (desk.Desk.Demand).
// Errors: CodeNotFound.
func (s *DemandService) Get(id string) (DemandDetail, error) {
	dk, err := s.a.desk()
	if err != nil {
		return DemandDetail{}, err
	}
	return detailOf(dk, id)
}

// Act takes a pipeline action on a demand as this device's member and returns
// the demand afterwards (desk.Desk.Act). Errors: CodeInvalid naming the
// argument; CodeNotAllowed when the member's role or the demand's state does
// not allow it now (nothing is stored then); CodeNotFound.
func (s *DemandService) Act(in ActInput) (DemandDetail, error) {
	dk, err := s.a.desk()
	if err != nil {
		return DemandDetail{}, err
	}
	dd, err := dk.Act(in)
	if err != nil {
		return DemandDetail{}, err
	}
	return detailView(dd), nil
}

// detailOf returns the DTO of demand id as the desk's member may see it.
func detailOf(dk *desk.Desk, id string) (DemandDetail, error) {
	dd, err := dk.Demand(id)
	if err != nil {
		return DemandDetail{}, err
	}
	return detailView(dd), nil
}

// detailView is the DTO of a demand's detail.
func detailView(dd desk.DemandDetail) DemandDetail {
	v, names := dd.Demand, dd.Names
	ref := func(k ledger.DeviceID) MemberRef { return MemberRef{ID: k.String(), Name: names[k]} }
	optRef := func(k ledger.DeviceID) *MemberRef {
		if k.IsZero() {
			return nil
		}
		r := ref(k)
		return &r
	}
	out := DemandDetail{
		DemandSummary: summarize(v), Description: v.Description, RequesterOrg: v.RequesterOrg,
		Address: v.Address, Source: v.Source, Imported: dd.Imported, ReviewNotes: v.ReviewNotes, DuplicateOf: v.DuplicateOf,
		FlaggedOriginal: dd.FlaggedOriginal, Owner: optRef(v.Owner), CreatedBy: ref(dd.CreatedBy), UpdatedAt: v.UpdatedAt.Wall,
		Tags: append([]string{}, v.Tags...), Hidden: hiddenViews(dd.Hidden), History: []StepView{}, Conflicts: []ConflictView{},
		Contacts: []ContactView{}, Allowed: make([]string, 0, len(dd.Allowed)),
	}
	for _, a := range dd.Allowed {
		out.Allowed = append(out.Allowed, string(a))
	}
	for _, c := range v.Contacts {
		out.Contacts = append(out.Contacts, ContactView{Name: c.Name, Phone: c.Phone, Role: c.Role, Kind: c.Kind})
	}
	// History authors are team-level; the projected copy blanks them for
	// viewers below team, so they come from the projected steps as they are.
	for _, s := range v.History {
		sv := StepView{Action: string(s.Action), By: ref(s.Meta.Device), At: s.Meta.Stamp.Wall, Seq: s.Meta.Seq,
			Change: s.Meta.Change.String(), Note: s.Args.Note, To: optRef(s.Args.To), DuplicateOf: s.Args.DuplicateOf,
			Received: []ReceiptView{}}
		for _, r := range s.Args.Received {
			sv.Received = append(sv.Received, ReceiptView{Item: r.Item, Quantity: r.Qty})
		}
		out.History = append(out.History, sv)
	}
	for _, c := range v.Conflicts {
		out.Conflicts = append(out.Conflicts, ConflictView{Action: string(c.Action), By: ref(c.By), At: c.At.Wall,
			Reason: string(c.Reason), Field: c.Field, Winner: optRef(c.Winner), WinnerAt: c.WinnerAt.Wall,
			WinnerAction: string(c.WinnerAction)})
	}
	return out
}

// hiddenViews is the DTO of the fields a viewer may not see; never nil.
func hiddenViews(hs []relief.Hidden) []HiddenField {
	out := make([]HiddenField, 0, len(hs))
	for _, h := range hs {
		out = append(out, HiddenField{Field: h.Field, Level: h.Level.String(), Reason: h.Reason})
	}
	return out
}
