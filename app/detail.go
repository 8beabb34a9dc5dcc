package app

import (
	"errors"
	"strconv"
	"strings"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// MemberRef names a member in a view: id (base32 key) and name as the roster has it.
type MemberRef struct {
	ID   string `json:"id"`
	Name string `json:"name"` // empty when the key is not in the roster
}

// ContactView is one contact of a demand.
type ContactView struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
	Role  string `json:"role"`
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

// ReceiptInput is a received quantity typed in the progress form.
type ReceiptInput struct {
	Item     string `json:"item"`
	Quantity string `json:"quantity"`
}

// ActInput asks for a pipeline action on a demand. Which arguments matter
// depends on Action: Note (reject, withdraw, approve; reopen: the reason,
// required, else CodeRequired naming "note"), To (handover: member
// id), DuplicateOf (mark_duplicate: demand id), Received (progress).
type ActInput struct {
	ID          string         `json:"id"`
	Action      string         `json:"action"`
	Note        string         `json:"note"`
	To          string         `json:"to"`
	DuplicateOf string         `json:"duplicateOf"`
	Received    []ReceiptInput `json:"received"`
}

// Get returns demand id as this member may see it. Errors: CodeNotFound.
func (s *DemandService) Get(id string) (DemandDetail, error) {
	st, err := s.a.store()
	if err != nil {
		return DemandDetail{}, err
	}
	return detail(st, id)
}

// Act takes a pipeline action on a demand as this device's member and returns
// the demand afterwards. Errors: CodeInvalid naming the argument; CodeNotAllowed
// when the member's role or the demand's state does not allow it now (nothing
// is stored then); CodeNotFound.
func (s *DemandService) Act(in ActInput) (DemandDetail, error) {
	st, err := s.a.store()
	if err != nil {
		return DemandDetail{}, err
	}
	d, err := st.Demand(in.ID)
	if err != nil {
		return DemandDetail{}, asError(err)
	}
	me, _ := st.Me()
	action := relief.Action(in.Action)
	allowed := false
	for _, a := range relief.Allowed(d, me) {
		allowed = allowed || a == action
	}
	if !allowed {
		return DemandDetail{}, &Error{Code: CodeNotAllowed, Field: "action",
			Message: "action " + in.Action + " is not allowed on " + d.Code + " in status " + string(d.Status) + " for role " + string(me.Role)}
	}
	args := relief.Args{Note: strings.TrimSpace(in.Note)}
	switch action {
	case relief.ActionHandover:
		if strings.TrimSpace(in.To) == "" {
			return DemandDetail{}, fieldError(CodeInvalid, "to", "no one chosen to take over").Because(ReasonChoose)
		}
		to, err := ledger.ParseDeviceID(in.To)
		if err != nil {
			return DemandDetail{}, fieldError(CodeInvalid, "to", "%v", err)
		}
		args.To = to
	case relief.ActionMarkDuplicate:
		orig := demandIDOf(st, in.DuplicateOf)
		if orig == "" {
			return DemandDetail{}, fieldError(CodeRequired, "duplicateOf", "is empty")
		}
		if orig == d.ID {
			return DemandDetail{}, fieldError(CodeInvalid, "duplicateOf", "%q is this demand itself", in.DuplicateOf).Because(ReasonSelf)
		}
		if _, err := st.Demand(orig); err != nil {
			return DemandDetail{}, fieldError(CodeInvalid, "duplicateOf", "no demand %q", in.DuplicateOf).Because(ReasonNoDemand, "value", strings.TrimSpace(in.DuplicateOf))
		}
		args.DuplicateOf = orig
	case relief.ActionReopen:
		if args.Note == "" {
			return DemandDetail{}, fieldError(CodeRequired, "note", "reopen needs a reason")
		}
	case relief.ActionProgress:
		for i, r := range in.Received {
			n, err := parseQuantity("received["+strconv.Itoa(i)+"].quantity", r.Quantity)
			if err != nil {
				return DemandDetail{}, err
			}
			if n != nil {
				args.Received = append(args.Received, relief.Receipt{Item: r.Item, Qty: *n})
			}
		}
		if len(args.Received) == 0 {
			return DemandDetail{}, fieldError(CodeRequired, "received", "no quantity given")
		}
	}
	op, err := relief.Transition(relief.KindDemand, d.ID, action, args)
	if err != nil {
		return DemandDetail{}, &Error{Code: CodeInvalid, Field: "action", Message: err.Error()}
	}
	if _, err := st.ApplyLocal([]ledger.Op{op}); err != nil {
		if errors.Is(err, relief.ErrInvalidOp) {
			return DemandDetail{}, &Error{Code: CodeInvalid, Field: "action", Message: err.Error()}
		}
		return DemandDetail{}, asError(err)
	}
	return detail(st, d.ID)
}

func detail(st *store.Store, id string) (DemandDetail, error) {
	d, err := st.Demand(id)
	if errors.Is(err, store.ErrNotFound) {
		return DemandDetail{}, &Error{Code: CodeNotFound, Field: "id", Message: err.Error()}
	}
	if err != nil {
		return DemandDetail{}, asError(err)
	}
	me, _ := st.Me()
	names := memberNames(st)
	ref := func(k ledger.DeviceID) MemberRef { return MemberRef{ID: k.String(), Name: names[k]} }
	optRef := func(k ledger.DeviceID) *MemberRef {
		if k.IsZero() {
			return nil
		}
		r := ref(k)
		return &r
	}
	allowed := relief.Allowed(d, me)
	v, hidden := relief.Project(d, me)
	out := DemandDetail{
		DemandSummary: summarize(v), Description: v.Description, RequesterOrg: v.RequesterOrg,
		Address: v.Address, Source: v.Source, Imported: importer.Imported(v.Source), ReviewNotes: v.ReviewNotes, DuplicateOf: v.DuplicateOf,
		Owner: optRef(v.Owner), CreatedBy: ref(d.CreatedBy), UpdatedAt: v.UpdatedAt.Wall,
		Tags: append([]string{}, v.Tags...), Hidden: []HiddenField{}, History: []StepView{}, Conflicts: []ConflictView{}, Contacts: []ContactView{},
		Allowed: make([]string, 0, len(allowed)),
	}
	if code, _, ok := importer.NoteOriginal(v.ReviewNotes); ok {
		out.FlaggedOriginal = code
	}
	for _, a := range allowed {
		out.Allowed = append(out.Allowed, string(a))
	}
	for _, h := range hidden {
		out.Hidden = append(out.Hidden, HiddenField{Field: h.Field, Level: h.Level.String(), Reason: h.Reason})
	}
	for _, c := range v.Contacts {
		out.Contacts = append(out.Contacts, ContactView{Name: c.Name, Phone: c.Phone, Role: c.Role})
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
	return out, nil
}

func memberNames(st *store.Store) map[ledger.DeviceID]string {
	ms := st.Members()
	out := make(map[ledger.DeviceID]string, len(ms))
	for _, m := range ms {
		out[m.Key] = m.Name
	}
	return out
}

// demandIDOf returns the demand id a reviewer typed: an id, or a demand's
// short code ("D-7KQ2MX", any case) translated to the id of the demand that
// has it; what was typed, trimmed, when no demand has that code.
func demandIDOf(st *store.Store, typed string) string {
	s := strings.TrimSpace(typed)
	code := strings.ToUpper(s)
	if len(code) != 8 || !strings.HasPrefix(code, "D-") {
		return s
	}
	for _, k := range st.DemandKeys(store.DemandQuery{}) {
		if relief.Code(relief.KindDemand, k.ID) == code {
			return k.ID
		}
	}
	return s
}
