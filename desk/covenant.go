package desk

import (
	"slices"
	"strings"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// EvidenceInput is how a demand was verified, as the approve form sends it
// (see relief.Evidence): Kind is callback, notice, visit or partner; At is
// Unix milliseconds (0 for a call-back or a visit: now).
type EvidenceInput struct {
	Kind    string `json:"kind"`
	Caller  string `json:"caller"`
	At      int64  `json:"at"`
	Outcome string `json:"outcome"`
	Link    string `json:"link"`
	Partner string `json:"partner"`
}

// evidenceArgs puts in (if any) into args as the approval's evidence, and
// refuses an approval with neither evidence nor a written reason (args.Note):
// *Error CodeRequired naming "evidence"; CodeInvalid naming "evidence" for
// an unknown kind or a missing link or partner; CodeNotFound naming
// "evidence" for an unknown partner.
func (d *Desk) evidenceArgs(args *relief.Args, in *EvidenceInput) error {
	if in != nil && strings.TrimSpace(in.Kind) != "" {
		e := relief.Evidence{Kind: relief.EvidenceKind(strings.TrimSpace(in.Kind)), Caller: strings.TrimSpace(in.Caller),
			At: in.At, Outcome: strings.TrimSpace(in.Outcome), Link: strings.TrimSpace(in.Link), Partner: strings.TrimSpace(in.Partner)}
		if e.At == 0 && (e.Kind == relief.EvidenceCallback || e.Kind == relief.EvidenceVisit) {
			e.At = d.st.Now().UnixMilli()
		}
		if e.Kind == relief.EvidencePartner && e.Partner != "" {
			if _, err := d.partner(e.Partner); err != nil {
				return &Error{Code: CodeNotFound, Field: "evidence", Message: "approve: no partner " + e.Partner}
			}
		}
		if err := e.Check(); err != nil {
			return FieldError(CodeInvalid, "evidence", "approve: %v", err)
		}
		args.Evidence = &e
	}
	if relief.ApproveNeeds(*args) != "" {
		return FieldError(CodeRequired, "evidence", "an approval needs how the demand was verified (a call-back, an official notice, a visit, a partner's confirmation) or a written reason")
	}
	return nil
}

// Covenant is the network's covenant as this member sees it: every version
// (oldest first; the last is the current one), the highest version this
// member accepted (0: none), and the active members who have not accepted
// the current version (to coordinators only; nil for others).
type Covenant struct {
	Versions    []relief.CovenantVersion `json:"versions"`
	Current     int                      `json:"current"` // the current version's number; 0: no covenant yet
	Mine        int                      `json:"mine"`    // the highest version this member accepted; 0: none
	NotAccepted []relief.Member          `json:"notAccepted"`
}

// Covenant returns the network's covenant. Errors: CodeStorage.
func (d *Desk) Covenant() (Covenant, error) {
	vs, err := d.st.Covenants()
	if err != nil {
		return Covenant{}, AsError(err)
	}
	out := Covenant{Versions: vs}
	if out.Versions == nil {
		out.Versions = []relief.CovenantVersion{}
	}
	if cur, ok := relief.CurrentCovenant(vs); ok {
		out.Current = cur.Version
	}
	me, _ := d.st.Me()
	out.Mine, _ = relief.LatestAccepted(vs, me.Key)
	if me.Role == relief.RoleCoordinator {
		out.NotAccepted = relief.NotAccepted(vs, d.st.Roster())
	}
	return out, nil
}

// WriteCovenant publishes a new version of the covenant (the code of conduct
// and privacy pledge): every member is then asked to accept it. Only
// coordinators write it. Errors: *Error CodeNotAllowed naming "action";
// CodeRequired naming "text"; CodeTooLong naming "title" or "text";
// CodeStorage.
func (d *Desk) WriteCovenant(title, text string) (Covenant, error) {
	if me, _ := d.st.Me(); me.Role != relief.RoleCoordinator {
		return Covenant{}, &Error{Code: CodeNotAllowed, Field: "action", Message: "only coordinators write the covenant"}
	}
	title, text = strings.TrimSpace(title), strings.TrimSpace(text)
	switch {
	case text == "":
		return Covenant{}, FieldError(CodeRequired, "text", "is empty")
	case relief.TooLong(text, relief.MaxCovenantText):
		return Covenant{}, TooLong("text", relief.MaxCovenantText)
	case relief.TooLong(title, relief.MaxTitle):
		return Covenant{}, TooLong("title", relief.MaxTitle)
	}
	op, err := relief.NewCovenant(store.NewID(), title, text)
	if err != nil {
		return Covenant{}, &Error{Code: CodeInvalid, Field: "text", Message: err.Error()}
	}
	if _, err := d.apply([]ledger.Op{op}); err != nil {
		return Covenant{}, err
	}
	return d.Covenant()
}

// AcceptCovenant records that this member accepts the current version of the
// covenant: a change signed by the member. Accepting a version already
// accepted writes nothing. Errors: *Error CodeNotFound naming "covenant"
// when there is none; CodeStorage.
func (d *Desk) AcceptCovenant() (Covenant, error) {
	c, err := d.Covenant()
	if err != nil {
		return Covenant{}, err
	}
	if c.Current == 0 {
		return Covenant{}, &Error{Code: CodeNotFound, Field: "covenant", Message: "the network has no covenant yet"}
	}
	if c.Mine == c.Current {
		return c, nil
	}
	op, err := relief.AcceptCovenant(c.Versions[len(c.Versions)-1].ID)
	if err != nil {
		return Covenant{}, &Error{Code: CodeInvalid, Field: "covenant", Message: err.Error()}
	}
	if _, err := d.apply([]ledger.Op{op}); err != nil {
		return Covenant{}, err
	}
	return d.Covenant()
}

// covenantPending returns the covenant's inbox entries for this member
// (relief.CovenantPending).
func (d *Desk) covenantPending() ([]Pending, error) {
	ps, err := d.st.CovenantPending(d.st.Device())
	if err != nil {
		return nil, AsError(err)
	}
	var out []Pending
	for _, p := range ps {
		out = append(out, Pending{Pending: p})
	}
	return out, nil
}

// PartnerInput is a partner organisation as the form sends it.
type PartnerInput struct {
	Name     string `json:"name"`
	Type     string `json:"type"`     // one of relief.PartnerTypes
	Contact  string `json:"contact"`  // the contact point's name
	Phone    string `json:"phone"`    // as typed
	Covenant bool   `json:"covenant"` // the partner signed the current covenant version
	Notes    string `json:"notes"`
}

// RecordPartner records a partner organisation, vouched for by this member,
// and returns it. Errors: *Error CodeRequired naming "name"; CodeInvalid
// naming "type" or "phone"; CodeNotFound naming "covenant" when it signed
// a covenant the network does not have; CodeNotAllowed; CodeStorage.
func (d *Desk) RecordPartner(in PartnerInput) (relief.Partner, error) {
	name := strings.TrimSpace(in.Name)
	if name == "" {
		return relief.Partner{}, FieldError(CodeRequired, "name", "is empty")
	}
	if relief.TooLong(name, relief.MaxOrg) {
		return relief.Partner{}, TooLong("name", relief.MaxOrg)
	}
	if !slices.Contains(relief.PartnerTypes, in.Type) {
		return relief.Partner{}, FieldError(CodeInvalid, "type", "%q is not one of %v", in.Type, relief.PartnerTypes)
	}
	fields := map[string]any{relief.FieldName: name, relief.FieldPartnerType: in.Type, relief.FieldVouchedBy: d.st.Device()}
	if n := strings.TrimSpace(in.Notes); n != "" {
		fields[relief.FieldNotes] = n
	}
	phone, err := profilePhone("phone", in.Phone)
	if err != nil {
		return relief.Partner{}, err
	}
	if c := strings.TrimSpace(in.Contact); c != "" || phone != "" {
		fields[relief.FieldContacts] = []relief.Contact{{Name: c, Phone: phone}}
	}
	if in.Covenant {
		vs, err := d.st.Covenants()
		if err != nil {
			return relief.Partner{}, AsError(err)
		}
		cur, ok := relief.CurrentCovenant(vs)
		if !ok {
			return relief.Partner{}, &Error{Code: CodeNotFound, Field: "covenant", Message: "the network has no covenant yet"}
		}
		fields[relief.FieldCovenant] = cur.ID
	}
	id := store.NewID()
	op, err := relief.SetFields(relief.KindPartner, id, fields)
	if err != nil {
		return relief.Partner{}, &Error{Code: CodeInvalid, Message: err.Error()}
	}
	if _, err := d.apply([]ledger.Op{op}); err != nil {
		return relief.Partner{}, err
	}
	return d.partner(id)
}

// Partners returns the partner organisations, projected for this member
// (the contact point is restricted). Errors: CodeStorage.
func (d *Desk) Partners() ([]relief.Partner, error) {
	ps, err := d.st.Partners()
	if err != nil {
		return nil, AsError(err)
	}
	me, _ := d.st.Me()
	for i := range ps {
		ps[i], _ = relief.Project(ps[i], me)
	}
	return ps, nil
}

// partner returns partner id, projected for this member. Errors: *Error
// CodeNotFound naming "partner"; CodeStorage.
func (d *Desk) partner(id string) (relief.Partner, error) {
	rec, err := d.st.Record(relief.KindPartner, id)
	if err != nil {
		return relief.Partner{}, AsError(err)
	}
	if rec.First == nil {
		return relief.Partner{}, &Error{Code: CodeNotFound, Field: "partner", Message: "no partner " + id}
	}
	me, _ := d.st.Me()
	p, _ := relief.Project(relief.FoldPartnerChecked(rec, d.st.Roster()), me)
	return p, nil
}

// PlanReturn sets when the volunteer of field task taskID plans to be back
// (a zero time: not a field task any more). Past it without a check-out,
// the task's demand owner and the coordinators are alerted on every peer.
// The task's creator, its volunteer and coordinators may set it. Errors:
// *Error CodeNotFound naming "task"; CodeNotAllowed naming "action";
// CodeStorage.
func (d *Desk) PlanReturn(taskID string, back time.Time) (Task, error) {
	t, err := d.Task(taskID)
	if err != nil {
		return Task{}, err
	}
	me, _ := d.st.Me()
	if me.Role != relief.RoleCoordinator && me.Key != t.CreatedBy && me.Key != t.OfferedTo {
		return Task{}, &Error{Code: CodeNotAllowed, Field: "action", Message: "only the task's creator, its volunteer or a coordinator plans its return"}
	}
	var v any = back.UTC()
	if back.IsZero() {
		v = nil
	}
	op, err := relief.SetFields(relief.KindTask, taskID, map[string]any{relief.FieldPlannedReturn: v})
	if err != nil {
		return Task{}, &Error{Code: CodeInvalid, Field: "back", Message: err.Error()}
	}
	if _, err := d.apply([]ledger.Op{op}); err != nil {
		return Task{}, err
	}
	return d.Task(taskID)
}

// FieldTasks returns the tasks of the day (relief.FieldTasks at the store's
// now): who is out in the field and until when. Errors: CodeStorage.
func (d *Desk) FieldTasks() ([]Task, error) {
	ts, err := d.st.Tasks()
	if err != nil {
		return nil, AsError(err)
	}
	me, _ := d.st.Me()
	now := d.st.Now()
	out := []Task{}
	for _, t := range relief.FieldTasks(ts, now) {
		out = append(out, taskFor(t, me, now))
	}
	return out, nil
}

// emergencyContacts fills, on missed check-out entries, the volunteer's
// emergency contacts as this member may see them (restricted: reviewers,
// coordinators and the volunteer themself; and the owner of the task's
// demand, to whom they are granted while the task waits for its check-out:
// see owners), as far as this device can open them.
func (d *Desk) emergencyContacts(ps []Pending) {
	var vols map[ledger.DeviceID]relief.Volunteer
	var demandOf map[string]string // task → its demand, once needed
	me, _ := d.st.Me()
	for i := range ps {
		if ps[i].What != relief.ReplyCheckout {
			continue
		}
		if vols == nil {
			vols = map[ledger.DeviceID]relief.Volunteer{}
			all, err := d.st.Volunteers()
			if err != nil {
				return
			}
			for _, v := range all {
				if !v.Key.IsZero() {
					vols[v.Key] = v
				}
			}
		}
		if v, ok := vols[ps[i].To]; ok {
			p, _ := relief.Project(v, me)
			ps[i].Contacts = p.Emergency
			if len(p.Emergency) == 0 && len(v.Emergency) > 0 && !me.Key.IsZero() {
				if demandOf == nil {
					demandOf = map[string]string{}
					ts, _ := d.st.Tasks()
					for _, t := range ts {
						demandOf[t.ID] = t.Demand
					}
				}
				if rows := d.st.DemandsByID([]string{demandOf[ps[i].ID]}); len(rows) == 1 && rows[0].Owner == me.Key {
					ps[i].Contacts = v.Emergency // the owner of the demand the volunteer is out for
				}
			}
		}
	}
}
