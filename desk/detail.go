package desk

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// DemandDetail is one demand as the viewing member (this device's) may see
// it, with what a screen needs around it.
type DemandDetail struct {
	// Demand is the projected demand (relief.Project): fields above the
	// member's clearance are blank and listed in Hidden.
	Demand relief.Demand
	Hidden []relief.Hidden
	// CreatedBy is who recorded the demand (team level, so it is taken from
	// the demand before projection: every member sees it).
	CreatedBy ledger.DeviceID
	Allowed   []relief.Action // the pipeline actions this member may take now
	// Names are the roster's names of its members, to name the people in
	// History, Conflicts, Owner and CreatedBy; a key not in the roster has none.
	Names map[ledger.DeviceID]string
	// Imported says the importer wrote the demand (importer.Imported).
	Imported bool
	// FlaggedOriginal is the code of the likely original when the review
	// notes are the importer's duplicate note (importer.NoteOriginal); empty
	// otherwise.
	FlaggedOriginal string
	// Editable says this member may edit the demand's fields now
	// (EditDemand: a coordinator, its creator or its owner, while open).
	Editable bool
	// Concurrent are the fields edited on two devices at once, with both
	// values as this member may see them (relief.ReasonConcurrent, not
	// acknowledged); nil when none.
	Concurrent []ConcurrentEdit
	// Erasable says this member may erase the demand's personal data now
	// (EraseDemand: an active coordinator) and the demand holds some
	// (contacts or review notes, opened or sealed).
	Erasable bool
	// Edits are the field edits made after the demand's creation, oldest
	// first, that the fold allowed (relief.Edits): who changed which fields
	// when, for the signed history beside the pipeline steps; none for a
	// member below team clearance, who sees no history.
	Edits []relief.Edit
	// OwnerRevoked says the demand's owner has been revoked: nobody acts on
	// it until a coordinator hands it over (handover).
	OwnerRevoked bool
}

// Demand returns demand id as this member may see it. Errors: CodeNotFound
// naming "id"; CodeStorage.
func (d *Desk) Demand(id string) (DemandDetail, error) {
	dm, err := d.st.Demand(id)
	if errors.Is(err, store.ErrNotFound) {
		return DemandDetail{}, &Error{Code: CodeNotFound, Field: "id", Message: err.Error()}
	}
	if err != nil {
		return DemandDetail{}, AsError(err)
	}
	me, _ := d.st.Me()
	v, hidden := relief.Project(dm, me)
	hidden = append(hidden, relief.SealedHidden(dm.Sealed)...) // sealed, and this device cannot open them
	out := DemandDetail{Demand: v, Hidden: hidden, CreatedBy: dm.CreatedBy, Allowed: relief.Allowed(dm, me),
		Names: d.MemberNames(), Imported: importer.Imported(v.Source)}
	if code, _, ok := importer.NoteOriginal(v.ReviewNotes); ok {
		out.FlaggedOriginal = code
	}
	out.Editable = mayEdit(dm, me) && !dm.Status.Terminal()
	if !dm.Owner.IsZero() {
		if m, ok := d.st.Roster().Member(dm.Owner); !ok || m.Revoked {
			out.OwnerRevoked = true
		}
	}
	if slices.ContainsFunc(dm.Conflicts, func(c relief.Conflict) bool { return c.Reason == relief.ReasonConcurrent && c.AckedBy.IsZero() }) {
		rec, err := d.st.Record(relief.KindDemand, dm.ID)
		if err != nil {
			return DemandDetail{}, AsError(fmt.Errorf("demand %s: read its record: %w", dm.Code, err))
		}
		out.Concurrent = d.concurrentEdits(dm, rec, me)
	}
	if relief.Clearance(dm, me) >= relief.LevelTeam { // as the steps' history, team level
		rec, err := d.st.Record(relief.KindDemand, dm.ID)
		if err != nil {
			return DemandDetail{}, AsError(fmt.Errorf("demand %s: read its record: %w", dm.Code, err))
		}
		out.Edits = relief.Edits(rec, dm.Conflicts)
	}
	out.Erasable = me.Role == relief.RoleCoordinator && !me.Revoked &&
		(len(dm.Contacts) > 0 || dm.ReviewNotes != "" || len(dm.Sealed) > 0)
	return out, nil
}

// ReceiptInput is a received quantity typed in the progress form: the item's
// name and the quantity as text (ParseQuantity).
type ReceiptInput struct {
	Item     string `json:"item"`
	Quantity string `json:"quantity"`
}

// ActInput asks for a pipeline action on a demand. Which arguments matter
// depends on Action: Note (reject, approve; reopen: the reason, required,
// else CodeRequired naming "note"; withdraw: the reason, required of anyone
// but the demand's owner, or its creator when nobody owns it), To (handover: member id),
// DuplicateOf (mark_duplicate: demand id or short code), Received (progress);
// for the ownership actions see ownershipArgs.
type ActInput struct {
	ID          string         `json:"id"`
	Action      string         `json:"action"`
	Note        string         `json:"note"`
	To          string         `json:"to"`
	DuplicateOf string         `json:"duplicateOf"`
	Received    []ReceiptInput `json:"received"`
	// Outcome is a re-check call's outcome (recheck: a relief.Outcome,
	// required; partly_needed also needs Note, what is still needed).
	Outcome string `json:"outcome"`
	Ref     string `json:"ref"` // accept_delivery, decline_delivery: the delivery's ref; ack_conflict: the conflict's ref
	// Evidence is how the demand was verified (approve): without it, Note
	// must give the reason (CodeRequired naming "evidence" otherwise).
	Evidence *EvidenceInput `json:"evidence"`
	// Partner (deliver): the partner organisation that delivered, by id.
	Partner string `json:"partner"`
}

// Act takes a pipeline action on a demand (approve, reject, publish, claim,
// handover, progress with received quantities, fulfil, reopen, mark
// duplicate, withdraw … relief.Allowed decides which) as this device's member
// and returns the demand afterwards. Errors: CodeNotFound; CodeNotAllowed
// naming "action" when the member's role or the demand's state does not
// allow it now (nothing is stored then); CodeInvalid, CodeRequired or
// CodeTooLong naming the argument; CodeNotNumber, CodeNegative for a
// received quantity.
func (d *Desk) Act(in ActInput) (DemandDetail, error) {
	action := relief.Action(in.Action)
	if action == relief.ActionAckConflict {
		return d.AckConflict(in.ID, in.Ref)
	}
	if action == relief.ActionProgress {
		// A progress step's quantities are totals, and a step signed while
		// another claim of the demand is on its way loses to it: deliver
		// adds what arrived and is kept pending for the owner then. Nothing
		// is stored; the form keeps what was typed.
		return DemandDetail{}, (&Error{Code: CodeNotAllowed, Field: "action",
			Message: "action progress is no longer recorded: record what was received with deliver"}).Because(ReasonUseDeliver)
	}
	dm, err := d.step(in.ID, action, func(dm relief.Demand) (relief.Args, error) { return d.actArgs(dm, action, in) })
	if err != nil {
		return DemandDetail{}, err
	}
	return d.Demand(dm.ID)
}

// step is the one path of a pipeline step on demand id, for Act (the demand
// screens) and Advance (steps the program takes): it reads the demand,
// refuses the step unless relief.Allowed lets this device's member take
// action on it now, builds the arguments with argsOf (called only once the
// step is allowed), checks what every step's arguments share (the note's
// length), and applies the transition as one signed change. It returns the
// demand as it was before the step. Errors: *Error CodeNotFound naming "id";
// CodeNotAllowed naming "action" (nothing is stored); argsOf's error;
// CodeTooLong naming "note"; CodeInvalid naming "action" when the
// transition cannot be built; those of apply.
func (d *Desk) step(id string, action relief.Action, argsOf func(relief.Demand) (relief.Args, error)) (relief.Demand, error) {
	dm, err := d.st.Demand(id)
	if errors.Is(err, store.ErrNotFound) {
		return relief.Demand{}, &Error{Code: CodeNotFound, Field: "id", Message: err.Error()}
	}
	if err != nil {
		return relief.Demand{}, AsError(err)
	}
	me, _ := d.st.Me()
	if !slices.Contains(relief.Allowed(dm, me), action) {
		return relief.Demand{}, &Error{Code: CodeNotAllowed, Field: "action",
			Message: "action " + string(action) + " is not allowed on " + dm.Code + " in status " + string(dm.Status) + " for role " + string(me.Role)}
	}
	args, err := argsOf(dm)
	if err != nil {
		return relief.Demand{}, err
	}
	if relief.TooLong(args.Note, relief.MaxText) {
		return relief.Demand{}, TooLong("note", relief.MaxText)
	}
	op, err := relief.Transition(relief.KindDemand, dm.ID, action, args)
	if err != nil {
		return relief.Demand{}, &Error{Code: CodeInvalid, Field: "action", Message: string(action) + " on " + dm.Code + ": " + err.Error()}
	}
	if _, err := d.apply([]ledger.Op{op}); err != nil {
		return relief.Demand{}, err
	}
	return dm, nil
}

// actArgs checks and builds the arguments of action on dm from in (the form's
// checks; step adds those every step shares).
func (d *Desk) actArgs(dm relief.Demand, action relief.Action, in ActInput) (relief.Args, error) {
	args := relief.Args{Note: strings.TrimSpace(in.Note)} // its length is checked by step
	switch action {
	case relief.ActionHandover:
		if strings.TrimSpace(in.To) == "" {
			return args, FieldError(CodeInvalid, "to", "no one chosen to take over").Because(ReasonChoose)
		}
		to, err := ledger.ParseDeviceID(in.To)
		if err != nil {
			return args, FieldError(CodeInvalid, "to", "%v", err)
		}
		args.To = to
	case relief.ActionMarkDuplicate:
		orig := d.demandIDOf(in.DuplicateOf)
		if orig == "" {
			return args, FieldError(CodeRequired, "duplicateOf", "is empty")
		}
		if orig == dm.ID {
			return args, FieldError(CodeInvalid, "duplicateOf", "%q is this demand itself", in.DuplicateOf).Because(ReasonSelf)
		}
		if _, err := d.st.Demand(orig); err != nil {
			return args, FieldError(CodeInvalid, "duplicateOf", "no demand %q", in.DuplicateOf).Because(ReasonNoDemand, "value", strings.TrimSpace(in.DuplicateOf))
		}
		args.DuplicateOf = orig
	case relief.ActionReopen:
		if args.Note == "" {
			return args, FieldError(CodeRequired, "note", "reopen needs a reason")
		}
	case relief.ActionWithdraw:
		// The owner (or, unowned, the creator) is told who withdrew it and
		// why (relief.ReplyWithdrawn): someone else must say why. Peers do
		// not check it: withdrawals of older versions carry none.
		from := dm.Owner
		if from.IsZero() {
			from = dm.CreatedBy
		}
		if me, _ := d.st.Me(); args.Note == "" && me.Key != from {
			return args, FieldError(CodeRequired, "note", "say why %s is withdrawn: its owner is told", dm.Code)
		}
	}
	if action == relief.ActionApprove {
		if err := d.evidenceArgs(&args, in.Evidence); err != nil {
			return args, err
		}
	}
	switch action {
	case relief.ActionApprove, relief.ActionReject, relief.ActionPublish, relief.ActionMarkDuplicate:
		// A verdict taken on what this member saw: a concurrent verdict of
		// another reviewer makes it a conflict, not a silent overwrite.
		args.Seen = dm.Status
	case relief.ActionDeliver, relief.ActionAdjust:
		if p := strings.TrimSpace(in.Partner); p != "" && action == relief.ActionDeliver {
			if _, err := d.partner(p); err != nil {
				return args, err
			}
			args.Partner = p
		}
		return deliveryArgs(action, args, in)
	case relief.ActionAcceptDelivery, relief.ActionDeclineDelivery:
		ref := strings.TrimSpace(in.Ref)
		if ref == "" {
			return args, FieldError(CodeRequired, "ref", "no delivery named")
		}
		if !slices.ContainsFunc(dm.Deliveries, func(dv relief.Delivery) bool { return dv.Ref == ref && dv.State == relief.DeliveryPending }) {
			return args, FieldError(CodeInvalid, "ref", "%s has no pending delivery %q", dm.Code, ref)
		}
		args.Ref = ref
	case relief.ActionProgress:
		for i, r := range in.Received {
			n, err := ParseQuantity("received["+strconv.Itoa(i)+"].quantity", r.Quantity)
			if err != nil {
				return args, err
			}
			if n != nil {
				args.Received = append(args.Received, relief.Receipt{Item: r.Item, Qty: *n})
			}
		}
		if len(args.Received) == 0 {
			return args, FieldError(CodeRequired, "received", "no quantity given")
		}
	default:
		return d.ownershipArgs(dm, action, in, args)
	}
	return args, nil
}

// demandIDOf returns the demand id a reviewer typed: an id, or a demand's
// short code ("D-7KQ2MX", any case) translated to the id of the demand that
// has it; what was typed, trimmed, when no demand has that code.
func (d *Desk) demandIDOf(typed string) string {
	s := strings.TrimSpace(typed)
	code := strings.ToUpper(s)
	if len(code) != 8 || !strings.HasPrefix(code, "D-") {
		return s
	}
	if ds, _, _ := d.st.DemandsPage(store.DemandQuery{Code: code, Limit: 1}); len(ds) > 0 {
		return ds[0].ID
	}
	return s
}
