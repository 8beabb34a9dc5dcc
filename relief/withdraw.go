package relief

import (
	"maps"
	"slices"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// ReplyWithdrawn is an inbox entry (Inbox only, no deadline) telling of a
// withdrawal: to the demand's owner when someone else withdrew it, and to
// the coordinators and the one who withdrew it when goods had already been
// counted as received on it; see DemandNotices. It stays until one of them
// acknowledges it (ActionAckConflict naming its Ref).
const ReplyWithdrawn = "withdrawn"

// Withdrawal is a withdraw step that applied and is news to someone: it
// withdrew a demand someone else owned (or, unowned, created), or one on
// which goods had been counted as received. FoldDemand lists them in
// Demand.Withdrawals, in fold order; a withdraw by the owner of a demand
// with nothing received is not listed.
type Withdrawal struct {
	Ref  string          `json:"ref" level:"team"` // StepRef of the withdraw: what ack_conflict names
	By   ledger.DeviceID `json:"by" level:"team"`  // who withdrew it
	At   ledger.Stamp    `json:"at" level:"team"`
	Note string          `json:"note" level:"restricted"` // the reason given; "" none (older versions did not ask)
	// Outcome is OutcomeNoLongerNeeded when a call-back to the requester
	// (ActionRecheck) withdrew the demand; "" for a withdraw step.
	Outcome Outcome `json:"outcome" level:"team"`
	// Owner is the member the demand was withdrawn from: its owner then,
	// else its creator; zero when that is By.
	Owner ledger.DeviceID `json:"owner" level:"team"`
	// Received is what had been counted as received when it was withdrawn,
	// per item (sorted by item, quantities > 0); nil: nothing.
	Received []Receipt       `json:"received" level:"public"`
	AckedBy  ledger.DeviceID `json:"acked_by" level:"team"` // who acknowledged it; zero: nobody yet
	AckedAt  ledger.Stamp    `json:"acked_at" level:"team"`
	// UndoneFrom is, for the withdraw of an import's undo (Note
	// UndoImportNote) that met someone else's work on the demand, the
	// status that work had brought it to (approved, published,
	// in_progress): the one who undid the import is told too, since the
	// undo was judged on what their laptop held. "" otherwise.
	UndoneFrom Status `json:"undone_from,omitempty" level:"team"`
	// ActedBy is, with UndoneFrom, who took the step that brought the
	// demand to it, or its owner.
	ActedBy ledger.DeviceID `json:"acted_by" level:"team"`
}

// UndoImportNote is the note of the withdraw step by which the undo of an
// import withdraws each of its demands (desk UndoImport): its withdrawal is
// told to the one who undid the import when it met someone else's work
// (Withdrawal.UndoneFrom).
const UndoImportNote = "import undone"

// withdrawalOf returns the Withdrawal of the withdraw s (or the call-back
// finding the demand no longer needed) that just applied to the demand in
// state st with the deliveries df, and whether it is news.
func withdrawalOf(s *Step, st *lifecycle, df *deliveryFold) (Withdrawal, bool) {
	w := Withdrawal{Ref: StepRef(s.Meta), By: s.Meta.Device, At: s.Meta.Stamp, Note: s.Args.Note}
	if s.Action == ActionRecheck {
		w.Outcome = s.Args.Outcome
	}
	from := st.owner
	if from.IsZero() {
		from = st.creator
	}
	if from != s.Meta.Device {
		w.Owner = from
	}
	for _, item := range slices.Sorted(maps.Keys(df.received)) {
		if q := df.received[item]; q > 0 {
			w.Received = append(w.Received, Receipt{Item: item, Qty: q})
		}
	}
	if s.Args.Note == UndoImportNote {
		switch {
		case !w.Owner.IsZero():
			w.UndoneFrom, w.ActedBy = st.before, w.Owner // claimed meanwhile
		case st.before != StatusCollected && !st.beforeBy.IsZero() && st.beforeBy != s.Meta.Device:
			w.UndoneFrom, w.ActedBy = st.before, st.beforeBy // approved or published meanwhile
		}
	}
	return w, !w.Owner.IsZero() || len(w.Received) > 0 || w.UndoneFrom != ""
}

// applyWithdrawAcks marks the withdrawals the acks name as acknowledged: an
// ack counts when its author, admitted by roster, was a coordinator at the
// ack's position, withdrew it, or is the member it was withdrawn from; the
// first such ack in fold order is kept.
func applyWithdrawAcks(ws []Withdrawal, acks []Step, roster *Roster) {
	for _, a := range acks {
		for i := range ws {
			w := &ws[i]
			if w.Ref != a.Args.Ref || !w.AckedBy.IsZero() {
				continue
			}
			actor, err := roster.RoleAt(a.Meta.Device, a.Meta)
			if err != nil || (actor.Role != RoleCoordinator && actor.Key != w.By && actor.Key != w.Owner) {
				continue
			}
			w.AckedBy, w.AckedAt = a.Meta.Device, a.Meta.Stamp
		}
	}
}

// withdrawNotices returns the inbox entries of d's withdrawals not
// acknowledged (see DemandNotices).
func withdrawNotices(d Demand) []Pending {
	var out []Pending
	for i := range d.Withdrawals {
		w := d.Withdrawals[i]
		if !w.AckedBy.IsZero() {
			continue
		}
		p := Pending{Kind: KindDemand, ID: d.ID, Code: d.Code, What: ReplyWithdrawn, Status: d.Status,
			Since: w.At.Time(), To: w.Owner, Ref: w.Ref,
			Notice: &Notice{Withdrawal: &w, Owner: d.Owner, Resolve: []string{ResolveAck}}}
		if len(w.Received) > 0 {
			// goods were received: the one who withdrew it and the
			// coordinators see it too, and may reopen it
			p.By, p.Notice.Coordinators = w.By, true
		}
		if w.UndoneFrom != "" {
			// an import's undo withdrew someone else's work: the one who
			// undid it is told, and the coordinators, who may reopen it
			p.By, p.Notice.Coordinators = w.By, true
		}
		out = append(out, p)
	}
	return out
}
