package relief

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// Demand is the folded view of a demand record. Field levels (tag `level`) say who
// may see what; see Project.
type Demand struct {
	ID    string `json:"id" level:"public"`
	Code  string `json:"code" level:"public"` // see Code
	Title string `json:"title" level:"public"`
	// Uncreated: the record holds steps or fields but not the demand's
	// creation (it was undone by a revocation, or has not arrived): its steps
	// are ReasonNotCreated conflicts and nothing waits on it.
	Uncreated    bool            `json:"uncreated,omitempty" level:"public"`
	Description  string          `json:"description" level:"public"`
	Category     string          `json:"category" level:"public"`
	Items        []Item          `json:"items" level:"public"` // Received: the sum of the counted Deliveries
	RequesterOrg string          `json:"requester_org" level:"public"`
	District     string          `json:"district" level:"public"`
	Address      string          `json:"address" level:"team"`
	Position     *Position       `json:"position" level:"restricted"`
	Contacts     []Contact       `json:"contacts" level:"restricted"`
	Urgency      Urgency         `json:"urgency" level:"public"` // normal if unset
	Source       string          `json:"source" level:"team"`
	Status       Status          `json:"status" level:"public"`
	Owner        ledger.DeviceID `json:"owner" level:"team"` // zero: nobody
	ReviewNotes  string          `json:"review_notes" level:"restricted"`
	DuplicateOf  string          `json:"duplicate_of" level:"public"`
	Tags         []string        `json:"tags" level:"public"`
	CreatedAt    ledger.Stamp    `json:"created_at" level:"public"`
	CreatedBy    ledger.DeviceID `json:"created_by" level:"team"`
	UpdatedAt    ledger.Stamp    `json:"updated_at" level:"public"`
	History      []Step          `json:"history" level:"team"`   // the steps that applied, in order
	Conflicts    []Conflict      `json:"conflicts" level:"team"` // the steps that did not, and edits after closing
	// FollowUpSince is the start of the owner's follow-up window: the owner's
	// last action on the open demand (the claim or handover that made them
	// owner, any step or field write of theirs since, or a reopen); zero
	// without owner or once closed. See FollowUpDue.
	FollowUpSince ledger.Stamp     `json:"follow_up_since" level:"team"`
	Transfer      *TransferRequest `json:"transfer" level:"team"`    // the pending transfer request; nil if none
	Confirmed     ledger.Stamp     `json:"confirmed" level:"public"` // last confirmed: approval, or a call-back finding it still or partly needed; zero before

	// Deliveries are the deliver, adjust and progress steps, counted, pending or declined, in fold order.
	Deliveries []Delivery `json:"deliveries" level:"team"`
	// Withdrawals are the withdraw steps that are news to someone (see
	// Withdrawal), in fold order; nil if none.
	Withdrawals []Withdrawal `json:"withdrawals" level:"team"`
	// SourceFields are the cells of an imported row no other field holds, as written.
	SourceFields []SourceField `json:"source_fields" level:"team"`
	Place        Place         `json:"place" level:"public"` // province, city, county (FieldPlace); zero when unknown
	// Verified says how and when the demand was verified (its last applied
	// approval's evidence, evidence.go); nil: never approved.
	Verified *Verification `json:"verified" level:"public"`
	// Sealed names the restricted fields whose values are sealed and this
	// device cannot open (Opener.OpenDemand); nil after a fold alone.
	Sealed []string `json:"sealed,omitempty" level:"team"`
	// Erased is the erasure of the demand's personal data (contacts, review
	// notes), if any: the latest erase op by a coordinator at its position.
	Erased *ErasedView `json:"erased,omitempty" level:"team"`
	// PositionSealed says that the exact position is sealed (its current
	// value is a seal envelope, SealedPosition): a fold alone leaves
	// Position nil, and only a device the key was wrapped to opens it
	// (Opener.OpenDemand). Every member places the demand at its public
	// approximation, the centre of its district's division, derived from
	// District and Place on every peer: no new data travels for it.
	PositionSealed bool `json:"position_sealed,omitempty" level:"public"`
}

// Volunteer is the folded view of a volunteer record.
type Volunteer struct {
	ID           string          `json:"id" level:"public"`
	Code         string          `json:"code" level:"team"`
	Name         string          `json:"name" level:"team"`
	Contacts     []Contact       `json:"contacts" level:"restricted"`
	Skills       []string        `json:"skills" level:"team"`
	Training     []string        `json:"training" level:"team"`
	Tags         []string        `json:"tags" level:"team"`
	Availability []Window        `json:"availability" level:"team"`
	Region       string          `json:"region" level:"team"`
	Position     *Position       `json:"position" level:"restricted"`
	Organisation string          `json:"organisation" level:"team"`
	Key          ledger.DeviceID `json:"key" level:"team"` // the volunteer's own member key, if any
	Notes        string          `json:"notes" level:"restricted"`
	CreatedAt    ledger.Stamp    `json:"created_at" level:"team"`
	CreatedBy    ledger.DeviceID `json:"created_by" level:"team"`
	UpdatedAt    ledger.Stamp    `json:"updated_at" level:"team"`
	// Emergency are whom to call if the volunteer does not come back from
	// a field task (FieldEmergencyContacts).
	Emergency []Contact `json:"emergency" level:"restricted"`
	// Conflicts are the field writes FieldRules refused (FoldVolunteerChecked).
	Conflicts []Conflict `json:"conflicts,omitempty" level:"team"`
	// Sealed names the restricted fields whose values are sealed and this
	// device cannot open (Opener.OpenVolunteer); nil after a fold alone.
	Sealed []string `json:"sealed,omitempty" level:"team"`
}

// Offer is the folded view of an offer record.
type Offer struct {
	ID         string          `json:"id" level:"public"`
	Code       string          `json:"code" level:"public"`
	Supplier   string          `json:"supplier" level:"public"`
	Items      []Item          `json:"items" level:"public"`
	Region     string          `json:"region" level:"public"`
	Contacts   []Contact       `json:"contacts" level:"restricted"`
	ValidUntil time.Time       `json:"valid_until" level:"public"` // zero: open-ended
	Notes      string          `json:"notes" level:"team"`
	Tags       []string        `json:"tags" level:"public"`
	CreatedAt  ledger.Stamp    `json:"created_at" level:"public"`
	CreatedBy  ledger.DeviceID `json:"created_by" level:"team"`
	UpdatedAt  ledger.Stamp    `json:"updated_at" level:"public"`
	// SourceFields are the cells of an imported row no other field holds, as written.
	SourceFields []SourceField `json:"source_fields" level:"team"`
	Place        Place         `json:"place" level:"public"`   // province, city, county (FieldPlace); zero when unknown
	Partner      string        `json:"partner" level:"public"` // the partner (record id) that offers it (FieldPartner); "" none
	// Conflicts are the field writes FieldRules refused (FoldOfferChecked).
	Conflicts []Conflict `json:"conflicts,omitempty" level:"team"`
	// Sealed names the restricted fields whose values are sealed and this
	// device cannot open (Opener.OpenOffer); nil after a fold alone.
	Sealed []string `json:"sealed,omitempty" level:"team"`
}

// Task is the folded view of a task record.
type Task struct {
	ID        string          `json:"id" level:"team"`
	Code      string          `json:"code" level:"team"`
	Demand    string          `json:"demand" level:"team"`
	Skill     string          `json:"skill" level:"team"`
	OfferedTo ledger.DeviceID `json:"offered_to" level:"team"`
	Status    Status          `json:"status" level:"team"`
	ReplyBy   time.Time       `json:"reply_by" level:"team"` // zero: none
	Notes     string          `json:"notes" level:"restricted"`
	CreatedAt ledger.Stamp    `json:"created_at" level:"team"`
	CreatedBy ledger.DeviceID `json:"created_by" level:"team"`
	UpdatedAt ledger.Stamp    `json:"updated_at" level:"team"`
	History   []Step          `json:"history" level:"team"`
	Conflicts []Conflict      `json:"conflicts" level:"team"`
	// PlannedReturn is when the volunteer of a field task plans to be back
	// (FieldPlannedReturn), UTC; zero: not a field task. See checkin.go.
	PlannedReturn time.Time   `json:"planned_return" level:"team"`
	CheckedIn     *Checkpoint `json:"checked_in" level:"team"`  // the last check-in; nil: none
	CheckedOut    *Checkpoint `json:"checked_out" level:"team"` // the last check-out after it; nil: none
}

func (d Demand) restrictedTo() []ledger.DeviceID    { return []ledger.DeviceID{d.Owner} }
func (v Volunteer) restrictedTo() []ledger.DeviceID { return []ledger.DeviceID{v.Key} }
func (o Offer) restrictedTo() []ledger.DeviceID     { return []ledger.DeviceID{o.CreatedBy} }
func (t Task) restrictedTo() []ledger.DeviceID      { return []ledger.DeviceID{t.OfferedTo} }
func (m Member) restrictedTo() []ledger.DeviceID    { return []ledger.DeviceID{m.Key} }

// codeAlphabet has 32 symbols that cannot be misread over the phone: digits and
// capitals without 0, O, 1 and I.
const codeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// Code returns the short human code of an entity, e.g. "D-7KQ2MX": a letter for
// the kind (D demand, V volunteer, O offer, T task, M member), a dash and six
// symbols of codeAlphabet taken from SHA-256(kind, 0, id). It is the same on every
// peer. Codes carry 30 bits, so they are for reading aloud, not keys: among 100 000
// demands about five pairs share a code, and lookups by code must allow several
// matches.
func Code(kind, id string) string {
	// A switch and a buffer on the stack: every fold of a record makes its
	// code, and a map literal here was made anew at each call (a tenth of a
	// new demand's fold).
	var prefix byte
	switch kind {
	case KindDemand:
		prefix = 'D'
	case KindVolunteer:
		prefix = 'V'
	case KindOffer:
		prefix = 'O'
	case KindTask:
		prefix = 'T'
	case KindMember:
		prefix = 'M'
	default:
		prefix = 'X'
	}
	var buf [96]byte
	sum := sha256.Sum256(append(append(append(buf[:0], kind...), 0), id...))
	n := binary.BigEndian.Uint64(sum[:8])
	out := []byte{prefix, '-', 0, 0, 0, 0, 0, 0}
	for i := 2; i < len(out); i++ {
		out[i] = codeAlphabet[n>>59]
		n <<= 5
	}
	return string(out)
}

func created(rec *Record) (at ledger.Stamp, by ledger.DeviceID, updated ledger.Stamp) {
	if rec.First != nil {
		at, by = rec.First.Stamp, rec.First.Device
	}
	if rec.Last != nil {
		updated = rec.Last.Stamp
	}
	return at, by, updated
}

func millisTime(rec *Record, name string) time.Time {
	var ms int64
	if !rec.Value(name, &ms) {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func sortConflicts(cs []Conflict) {
	slices.SortStableFunc(cs, func(a, b Conflict) int {
		return Meta{Stamp: a.At, Device: a.By, Seq: a.Seq, Index: a.Index, Change: a.Change}.Compare(
			Meta{Stamp: b.At, Device: b.By, Seq: b.Seq, Index: b.Index, Change: b.Change})
	})
}

// FoldDemand derives the view of a demand record with the current roster (nil: an
// empty roster, so every step and field write conflicts). Its fields come from
// the writes FieldRules allow their authors at their positions, judged after
// the steps (with the owner at each write's position); the refused writes are
// Conflicts with Action edit, and a demand whose title was never written by an
// allowed author is Uncreated, as is one whose title holds only edits of a
// creation the record lacks (createdBy). Status starts at collected; the steps
// are folded in total order as Rules says. When the demand is closed (a terminal
// status), every field whose winning write comes after the closing step is
// reported as a conflict with Action edit and Reason closed; its value is shown.
// Two allowed writes of one field of which neither had seen the other
// (concurrent.go) are a conflict with Action edit and Reason concurrent,
// until a later write has seen both.
func FoldDemand(rec *Record, roster *Roster) Demand {
	d, _ := FoldDemandAllowed(rec, roster)
	return d
}

// FoldDemandAllowed is FoldDemand, also returning the record of the writes
// FieldRules allow their authors at their positions: the one the view's
// fields come from. Sealed values are opened from it (Opener.OpenDemand),
// never from rec, so that a refused sealed write (a volunteer re-importing
// another phone for a demand it neither created nor owns) is not shown.
func FoldDemandAllowed(rec *Record, roster *Roster) (Demand, *Record) {
	d := Demand{ID: rec.ID, Code: Code(KindDemand, rec.ID)}
	d.CreatedAt, d.CreatedBy, d.UpdatedAt = created(rec)
	// Every demand is created with its title: an allowed write of it (the
	// owner does not count yet, nobody owns an uncreated demand).
	x := &writeContext{creator: creatorOf(rec)}
	titled, _ := authorise(rec, roster, x, FieldTitle)
	titleRead := valueOf(titled, FieldTitle, &d.Title)
	d.Uncreated = !titleRead ||
		!createdBy(rec, FieldTitle, func(w Write) bool { return fieldReason(rec.Kind, FieldTitle, w, roster, x) == "" })

	st, df := demandLifecycle(rec, d.CreatedBy, d.Uncreated)
	steps, acks := splitAcks(rec.Transitions)
	d.History, d.Conflicts = st.fold(steps, Rules, roster, func(s *Step) {
		switch s.Action {
		case ActionMarkDuplicate:
			d.DuplicateOf = s.Args.DuplicateOf
		case ActionWithdraw:
			if w, ok := withdrawalOf(s, st, df); ok {
				d.Withdrawals = append(d.Withdrawals, w)
			}
		case ActionRecheck: // a call-back finding it no longer needed withdraws it
			if s.Args.Outcome == OutcomeNoLongerNeeded {
				if w, ok := withdrawalOf(s, st, df); ok {
					d.Withdrawals = append(d.Withdrawals, w)
				}
			}
		default:
			df.applied(s)
		}
	})
	d.Status, d.Owner = st.status, st.owner

	// Field writes are judged with the owner at their position (FieldRules).
	x.owner = func(m Meta) ledger.DeviceID { return ownerAt(st.owners, ledger.DeviceID{}, m) }
	eff, refused := authorise(rec, roster, x, "")
	var erasures []Conflict // erase ops by non-coordinators: refused
	eff, d.Erased, erasures = withoutErased(rec, eff, roster)
	refused = append(refused, erasures...)
	if !titleRead || !sameWrite(titled.Fields[FieldTitle], eff.Fields, FieldTitle) {
		valueOf(eff, FieldTitle, &d.Title) // not the write d.Title was read from above
	}
	valueOf(eff, FieldDescription, &d.Description)
	valueOf(eff, FieldCategory, &d.Category)
	valueOf(eff, FieldItems, &d.Items)
	valueOf(eff, FieldRequesterOrg, &d.RequesterOrg)
	valueOf(eff, FieldDistrict, &d.District)
	valueOf(eff, FieldPlace, &d.Place)
	valueOf(eff, FieldAddress, &d.Address)
	if pos := (Position{}); valueOf(eff, FieldPosition, &pos) {
		p := pos // on the heap only when the demand has one
		d.Position = &p
	}
	d.PositionSealed = SealedPosition(eff)
	valueOf(eff, FieldContacts, &d.Contacts)
	if !valueOf(eff, FieldUrgency, &d.Urgency) || !d.Urgency.Valid() {
		d.Urgency = UrgencyNormal
	}
	valueOf(eff, FieldSource, &d.Source)
	valueOf(eff, FieldReviewNotes, &d.ReviewNotes)
	valueOf(eff, FieldSourceFields, &d.SourceFields)
	d.Tags = eff.Elements(SetTags)

	st.lapse(roster) // a revoked member's request is not pending
	foldOwnership(&d, eff, st)
	d.Deliveries = df.list
	d.Verified = verification(d.History)
	for i := range d.Items {
		d.Items[i].Received = df.received[d.Items[i].Name]
	}
	if len(refused) > 0 {
		d.Conflicts = append(d.Conflicts, refused...)
		sortConflicts(d.Conflicts)
	}
	if cs := concurrentEdits(rec, func(name string, w Write) bool { return fieldReason(rec.Kind, name, w, roster, x) == "" }); len(cs) > 0 {
		d.Conflicts = append(d.Conflicts, cs...)
		sortConflicts(d.Conflicts)
	}
	if st.status.Terminal() && st.lastMove != nil {
		d.Conflicts = append(d.Conflicts, editsAfter(eff, st.lastMove)...)
		sortConflicts(d.Conflicts)
	}
	applyAcks(d.Conflicts, acks, roster)
	applyWithdrawAcks(d.Withdrawals, acks, roster)
	return d, eff
}

// sameWrite reports whether fields holds, as name, the very write f (same
// position, same value): a value already decoded from f need not be decoded
// again from fields.
func sameWrite(f Field, fields map[string]Field, name string) bool {
	g, ok := fields[name]
	return ok && g.Meta == f.Meta && bytes.Equal(g.Value, f.Value)
}

// editsAfter reports the fields of rec whose winning write follows closing.
func editsAfter(rec *Record, closing *Step) []Conflict {
	var out []Conflict
	for name, f := range rec.Fields {
		if f.Meta.Compare(closing.Meta) > 0 {
			c := conflictAt(f.Meta, ActionEdit, ReasonClosed).won(closing)
			c.Field = name
			out = append(out, c)
		}
	}
	return out
}

// FoldVolunteer derives the view of a volunteer record from all its writes,
// without judging their authors (callers with no roster; see
// FoldVolunteerChecked).
func FoldVolunteer(rec *Record) Volunteer {
	v := Volunteer{ID: rec.ID, Code: Code(KindVolunteer, rec.ID)}
	v.CreatedAt, v.CreatedBy, v.UpdatedAt = created(rec)
	rec.Value(FieldName, &v.Name)
	rec.Value(FieldContacts, &v.Contacts)
	rec.Value(FieldAvailability, &v.Availability)
	rec.Value(FieldRegion, &v.Region)
	var pos Position
	if rec.Value(FieldPosition, &pos) {
		v.Position = &pos
	}
	rec.Value(FieldOrganisation, &v.Organisation)
	rec.Value(FieldKey, &v.Key)
	rec.Value(FieldNotes, &v.Notes)
	rec.Value(FieldEmergencyContacts, &v.Emergency)
	v.Skills = rec.Elements(SetSkills)
	v.Training = rec.Elements(SetTraining)
	v.Tags = rec.Elements(SetTags)
	return v
}

// FoldVolunteerChecked derives the view of a volunteer record as FoldVolunteer
// does, from the field writes FieldRules allow their authors at their
// positions in roster; the refused ones are its Conflicts.
func FoldVolunteerChecked(rec *Record, roster *Roster) Volunteer {
	v, _ := FoldVolunteerAllowed(rec, roster)
	return v
}

// FoldVolunteerAllowed is FoldVolunteerChecked, also returning the record of
// the allowed writes the view comes from: sealed values are opened from it
// (Opener.OpenVolunteer), never from rec.
func FoldVolunteerAllowed(rec *Record, roster *Roster) (Volunteer, *Record) {
	x := &writeContext{creator: creatorOf(rec), self: profileOwner(rec.ID)}
	x.selfByID = !x.self.IsZero()
	if !x.selfByID { // not a member's own profile: the member it is about, as the allowed writes say
		keyed, _ := authorise(rec, roster, x, FieldKey)
		keyed.Value(FieldKey, &x.self)
	}
	eff, refused := authorise(rec, roster, x, "")
	eff, _, erasures := withoutErased(rec, eff, roster) // a volunteer leaving: their personal data erased
	v := FoldVolunteer(eff)
	v.Conflicts = refused
	if len(erasures) > 0 {
		v.Conflicts = append(v.Conflicts, erasures...)
		sortConflicts(v.Conflicts)
	}
	ackPeople(rec, v.Conflicts, roster)
	return v, eff
}

// FoldOffer derives the view of an offer record from all its writes, without
// judging their authors (callers with no roster; see FoldOfferChecked).
func FoldOffer(rec *Record) Offer {
	o := Offer{ID: rec.ID, Code: Code(KindOffer, rec.ID)}
	o.CreatedAt, o.CreatedBy, o.UpdatedAt = created(rec)
	rec.Value(FieldSupplier, &o.Supplier)
	rec.Value(FieldItems, &o.Items)
	rec.Value(FieldRegion, &o.Region)
	rec.Value(FieldPlace, &o.Place)
	rec.Value(FieldContacts, &o.Contacts)
	o.ValidUntil = millisTime(rec, FieldValidUntil)
	rec.Value(FieldNotes, &o.Notes)
	rec.Value(FieldSourceFields, &o.SourceFields)
	rec.Value(FieldPartner, &o.Partner)
	o.Tags = rec.Elements(SetTags)
	return o
}

// FoldOfferChecked derives the view of an offer record as FoldOffer does, from
// the field writes FieldRules allow their authors at their positions in
// roster; the refused ones are its Conflicts.
func FoldOfferChecked(rec *Record, roster *Roster) Offer {
	o, _ := FoldOfferAllowed(rec, roster)
	return o
}

// FoldOfferAllowed is FoldOfferChecked, also returning the record of the
// allowed writes the view comes from: sealed values are opened from it
// (Opener.OpenOffer), never from rec.
func FoldOfferAllowed(rec *Record, roster *Roster) (Offer, *Record) {
	eff, refused := authorise(rec, roster, &writeContext{creator: creatorOf(rec)}, "")
	eff, _, erasures := withoutErased(rec, eff, roster)
	o := FoldOffer(eff)
	o.Conflicts = refused
	if len(erasures) > 0 {
		o.Conflicts = append(o.Conflicts, erasures...)
		sortConflicts(o.Conflicts)
	}
	ackPeople(rec, o.Conflicts, roster)
	return o, eff
}

// FoldTask derives the view of a task record with the current roster: its
// fields from the writes FieldRules allow (the refused ones are Conflicts with
// Action edit). Status
// starts at offered; steps are folded as TaskRules says, the task's "owner" being
// the volunteer it is offered to (the current value of FieldOfferedTo).
func FoldTask(rec *Record, roster *Roster) Task {
	t := Task{ID: rec.ID, Code: Code(KindTask, rec.ID)}
	t.CreatedAt, t.CreatedBy, t.UpdatedAt = created(rec)
	rec, refused := authorise(rec, roster, &writeContext{creator: t.CreatedBy}, "")
	rec.Value(FieldDemand, &t.Demand)
	rec.Value(FieldSkill, &t.Skill)
	rec.Value(FieldOfferedTo, &t.OfferedTo)
	t.ReplyBy = millisTime(rec, FieldReplyBy)
	rec.Value(FieldNotes, &t.Notes)
	st := &lifecycle{status: StatusOffered, owner: t.OfferedTo, creator: t.CreatedBy, self: rec.ID}
	t.History, t.Conflicts = st.fold(rec.Transitions, TaskRules, roster, nil)
	if len(refused) > 0 {
		t.Conflicts = append(t.Conflicts, refused...)
		sortConflicts(t.Conflicts)
	}
	t.Status = st.status
	t.PlannedReturn = millisTime(rec, FieldPlannedReturn)
	foldCheckins(&t)
	return t
}

// demandLifecycle returns the lifecycle that folds a demand's steps
// (created by creator; uncreated when no allowed write of its title created
// it) and the delivery fold it consults: evidence is checked first, then
// the deliveries' rules. FoldDemandAllowed and DemandStatus fold with it, so
// that their statuses cannot drift apart.
func demandLifecycle(rec *Record, creator ledger.DeviceID, uncreated bool) (*lifecycle, *deliveryFold) {
	f := &demandSteps{st: lifecycle{status: StatusCollected, creator: creator, self: rec.ID, uncreated: uncreated}}
	// df.received is made at its first count (a nil map reads 0)
	f.st.hooks = f
	return &f.st, &f.df
}

// demandSteps is a demand's lifecycle and the delivery fold it consults,
// made together (one allocation a fold, not four), the lifecycle's hooks.
type demandSteps struct {
	st lifecycle
	df deliveryFold
}

// more checks a step's evidence first, then the deliveries' rules.
func (f *demandSteps) more(s *Step) Reason {
	if r := evidenceReason(s); r != "" {
		return r
	}
	return f.df.more(s)
}

// refused tells the delivery fold of a step the rules refused.
func (f *demandSteps) refused(s *Step, c Conflict) { f.df.refused(s, c, f.st.status) }
