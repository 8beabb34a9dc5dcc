package app

import (
	"slices"

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
	Kind  string `json:"kind,omitempty"` // "" a phone number; "wechat", "qq", "email" or "id_card" (relief.ContactWeChat, relief.ContactQQ, relief.ContactEmail, relief.ContactIDCard)
}

// HiddenField is a field the viewer may not see, and why (relief.Hidden).
type HiddenField struct {
	Field  string `json:"field"`
	Level  string `json:"level"`
	Reason string `json:"reason"`
	// Sealed: the value is sealed and this device cannot open it (it is
	// not cleared, or nobody has granted it the key yet).
	Sealed bool `json:"sealed"`
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
	Outcome     string        `json:"outcome"` // recheck: the call's outcome (relief.Outcome), translated by the UI
	Until       int64         `json:"until"`   // request_transfer: the reply-by, Unix milliseconds; 0 otherwise
	// Evidence is, on an approve step, how the demand was verified; null
	// when approved with a written reason (Note) only.
	Evidence *EvidenceView `json:"evidence"`
	Partner  string        `json:"partner"` // deliver: the partner (id) that delivered; "" none
	// Fields are, on an "edit" step (a field edit after the creation,
	// desk.DemandDetail.Edits), the fields it wrote; never null.
	Fields []string `json:"fields"`
}

// TransferView is a pending request to take a demand over
// (relief.TransferRequest).
type TransferView struct {
	By     MemberRef `json:"by"`
	At     int64     `json:"at"`    // Unix milliseconds
	Until  int64     `json:"until"` // Unix milliseconds: past it, By may take the demand over
	Reason string    `json:"reason"`
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

	Ref     string     `json:"ref"`     // relief.ConflictRef: what ack_conflict names
	AckedBy *MemberRef `json:"ackedBy"` // who acknowledged it; null while open
	AckedAt int64      `json:"ackedAt"`
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
	// Transfer is the pending transfer request; nil when none.
	Transfer *TransferView `json:"transfer"`
	// FollowUpSince is the owner's last action on the open demand (Unix
	// milliseconds; 0 without owner): the follow-up window counts from it.
	FollowUpSince int64 `json:"followUpSince"`
	// Confirmed is when the need was last confirmed (approval or a call-back
	// finding it still or partly needed), Unix milliseconds; 0 never.
	Confirmed int64 `json:"confirmed"`

	// Deliveries are the deliveries and corrections recorded, counted,
	// pending or declined, in fold order (relief.Delivery).
	Deliveries []DeliveryView `json:"deliveries"`
	// SourceFields are the cells of the imported row that no other field
	// holds, as written (column and value, in the sheet's order); empty for
	// a member below team level (then listed in Hidden) and for demands not
	// imported.
	SourceFields []SourceFieldView `json:"sourceFields"`
	// Position is the exact position (restricted: nil for a member below
	// that level, then listed in Hidden); nil when none was recorded.
	Position *PositionView `json:"position"`
	// Editable says this member may edit the demand (DemandService.Edit).
	Editable bool `json:"editable"`
	// OwnerRevoked: the owner has been revoked; a coordinator should hand
	// the demand over (desk.DemandDetail.OwnerRevoked).
	OwnerRevoked bool `json:"ownerRevoked"`
	// Verified says how and when the demand was verified (its approval's
	// evidence); null when it was never approved.
	Verified *VerificationView `json:"verified"`
	// Erased says that a coordinator erased the demand's personal data
	// (contacts, review notes): who, when, why; nil when none was.
	Erased *ErasureView `json:"erased"`
	// Concurrent are the fields edited on two devices at once, with both
	// values as this member may read them (desk.ConcurrentEdit).
	Concurrent []ConcurrentEditView `json:"concurrent"`
	// Erasable says this member may erase the demand's personal data now
	// (DemandService.Erase: a coordinator) and there is some to erase.
	Erasable bool `json:"erasable"`
}

// ErasureView is an erasure of personal data: by whom, when (Unix
// milliseconds) and why.
type ErasureView struct {
	By     MemberRef `json:"by"`
	At     int64     `json:"at"`
	Reason string    `json:"reason"`
}

// PositionView is an exact position in WGS 84 degrees.
type PositionView struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// SourceFieldView is one cell of an imported row kept as written: its
// column's name in the sheet and its text.
type SourceFieldView struct {
	Column string `json:"column"`
	Value  string `json:"value"`
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
		FlaggedOriginal: dd.FlaggedOriginal, OwnerRevoked: dd.OwnerRevoked, Owner: optRef(v.Owner), CreatedBy: ref(dd.CreatedBy), UpdatedAt: v.UpdatedAt.Wall,
		Tags: append([]string{}, v.Tags...), Hidden: hiddenViews(dd.Hidden), History: []StepView{}, Conflicts: []ConflictView{},
		Contacts: []ContactView{}, Allowed: make([]string, 0, len(dd.Allowed)),
		FollowUpSince: v.FollowUpSince.Wall, Confirmed: v.Confirmed.Wall,
	}
	if p := v.Position; p != nil {
		out.Position = &PositionView{Lat: p.Lat, Lon: p.Lon}
	}
	out.Editable = dd.Editable
	out.Concurrent = concurrentViews(dd.Concurrent, names)
	out.Erasable = dd.Erasable
	if e := v.Erased; e != nil {
		out.Erased = &ErasureView{By: ref(e.By), At: e.At.Wall, Reason: e.Reason}
	}
	if t := v.Transfer; t != nil {
		out.Transfer = &TransferView{By: ref(t.By), At: t.At.Wall, Until: t.Until.UnixMilli(), Reason: t.Reason}
	}
	for _, a := range dd.Allowed {
		out.Allowed = append(out.Allowed, string(a))
	}
	out.SourceFields = make([]SourceFieldView, 0, len(v.SourceFields))
	for _, f := range v.SourceFields {
		out.SourceFields = append(out.SourceFields, SourceFieldView{Column: f.Column, Value: f.Value})
	}
	for _, c := range v.Contacts {
		out.Contacts = append(out.Contacts, ContactView{Name: c.Name, Phone: c.Phone, Role: c.Role, Kind: c.Kind})
	}
	// History authors are team-level; the projected copy blanks them for
	// viewers below team, so they come from the projected steps as they are.
	metas := make([]relief.Meta, 0, len(v.History)+len(dd.Edits)) // beside out.History, for its order
	for _, s := range v.History {
		sv := StepView{Action: string(s.Action), By: ref(s.Meta.Device), At: s.Meta.Stamp.Wall, Seq: s.Meta.Seq,
			Change: s.Meta.Change.String(), Note: s.Args.Note, To: optRef(s.Args.To), DuplicateOf: s.Args.DuplicateOf,
			Received: []ReceiptView{}, Outcome: string(s.Args.Outcome), Until: s.Args.Until,
			Evidence: evidenceView(s.Args.Evidence), Partner: s.Args.Partner, Fields: []string{}}
		for _, r := range s.Args.Received {
			sv.Received = append(sv.Received, ReceiptView{Item: r.Item, Quantity: r.Qty})
		}
		out.History = append(out.History, sv)
		metas = append(metas, s.Meta)
	}
	// Field edits join the steps, by time: who changed what, and when.
	for _, e := range dd.Edits {
		out.History = append(out.History, StepView{Action: string(relief.ActionEdit), By: ref(e.Meta.Device), At: e.Meta.Stamp.Wall,
			Seq: e.Meta.Seq, Change: e.Meta.Change.String(), Received: []ReceiptView{}, Fields: e.Fields})
		metas = append(metas, e.Meta)
	}
	// In the order they were made: the whole hybrid logical clock stamp, then
	// device, sequence and op (relief.Meta), not the millisecond alone, so a
	// step and an edit of one millisecond keep their order.
	order := make([]int, len(out.History))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return metas[a].Compare(metas[b]) })
	sorted := make([]StepView, len(order))
	for i, j := range order {
		sorted[i] = out.History[j]
	}
	out.History = sorted
	for _, c := range v.Conflicts {
		out.Conflicts = append(out.Conflicts, conflictView(c, names))
	}
	out.Verified = verificationView(v.Verified)
	out.Deliveries = make([]DeliveryView, 0, len(v.Deliveries))
	for _, dv := range v.Deliveries {
		out.Deliveries = append(out.Deliveries, deliveryView(dv, names))
	}
	return out
}

// hiddenViews is the DTO of the fields a viewer may not see; never nil.
func hiddenViews(hs []relief.Hidden) []HiddenField {
	out := make([]HiddenField, 0, len(hs))
	for _, h := range hs {
		out = append(out, HiddenField{Field: h.Field, Level: h.Level.String(), Reason: h.Reason, Sealed: h.Sealed})
	}
	return out
}
