package relief

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// Ownership that cannot rot, and fresh demands: the actions by which an owner
// reports (follow_up), another member asks to take a demand over and the owner
// answers (request_transfer, accept_transfer, decline_transfer) or, left
// unanswered, the requester takes it (take_over), and by which a reviewer
// records the outcome of a call-back to the requester (recheck). See Rules.
//
// The fold has no clock: a transfer request carries its own reply-by
// (Args.Until, set by the requester's desk from the network's Transfer
// window), and a take_over applies only when its stamp is past it. So every
// peer decides the same, whatever the order of arrival.
const (
	ActionFollowUp        Action = "follow_up"        // the owner reports on the demand (Args.Note required)
	ActionRequestTransfer Action = "request_transfer" // a member asks the owner for the demand (Args.Note, the reason; Args.Until, the reply-by)
	ActionAcceptTransfer  Action = "accept_transfer"  // the owner hands the demand to the requester (Args.To, the requester)
	ActionDeclineTransfer Action = "decline_transfer" // the owner keeps the demand (Args.To, the requester; Args.Note, the reason)
	ActionTakeOver        Action = "take_over"        // the requester takes the demand, the request's reply-by having passed unanswered
	ActionRecheck         Action = "recheck"          // a reviewer records a call-back's outcome (Args.Outcome)
)

// Outcome is the result of a call-back to a demand's requester (ActionRecheck).
type Outcome string

// Outcomes of a call-back.
const (
	OutcomeStillNeeded    Outcome = "still_needed"     // confirmed at the step's stamp
	OutcomePartlyNeeded   Outcome = "partly_needed"    // part is still needed (Args.Note says what); confirmed at the step's stamp
	OutcomeNoLongerNeeded Outcome = "no_longer_needed" // the demand is withdrawn with this reason
	OutcomeUnreachable    Outcome = "unreachable"      // nobody answered: it stays to be re-checked, the attempt recorded
)

// Outcomes lists the call-back outcomes, in the order a form offers them.
var Outcomes = []Outcome{OutcomeStillNeeded, OutcomePartlyNeeded, OutcomeNoLongerNeeded, OutcomeUnreachable}

// Valid reports whether o is one of Outcomes.
func (o Outcome) Valid() bool { return slices.Contains(Outcomes, o) }

// Reasons an ownership step does not apply.
const (
	ReasonRequestPending Reason = "request_pending" // another transfer request is waiting for the owner's answer
	ReasonNoRequest      Reason = "no_request"      // no transfer request by that member is pending (answered, withdrawn or another's)
	ReasonNotDue         Reason = "not_due"         // a take_over before the request's reply-by
	ReasonBadReplyBy     Reason = "bad_reply_by"    // a request whose reply-by is under a minute or over MaxWithinMinutes after it
)

// TransferRequest is a pending request to take a demand over.
type TransferRequest struct {
	By     ledger.DeviceID `json:"by" level:"team"`     // the member asking
	At     ledger.Stamp    `json:"at" level:"team"`     // when they asked
	Until  time.Time       `json:"until" level:"team"`  // UTC reply-by: past it, By may take the demand over
	Reason string          `json:"reason" level:"team"` // why they ask
}

// checkOwnershipArgs checks the arguments of the ownership actions on their own
// (ValidateOp).
func checkOwnershipArgs(a Action, x Args) error {
	switch a {
	case ActionFollowUp:
		if strings.TrimSpace(x.Note) == "" {
			return errors.New("follow_up needs a note")
		}
	case ActionRequestTransfer:
		if strings.TrimSpace(x.Note) == "" {
			return errors.New("request_transfer needs a reason (note)")
		}
		if x.Until <= 0 {
			return errors.New("request_transfer needs a reply-by (until)")
		}
	case ActionAcceptTransfer:
		if x.To.IsZero() {
			return errors.New("accept_transfer needs the requester")
		}
	case ActionDeclineTransfer:
		if x.To.IsZero() {
			return errors.New("decline_transfer needs the requester")
		}
		if strings.TrimSpace(x.Note) == "" {
			return errors.New("decline_transfer needs a reason (note)")
		}
	case ActionRecheck:
		if !x.Outcome.Valid() {
			return errors.New("recheck needs an outcome")
		}
		if x.Outcome == OutcomePartlyNeeded && strings.TrimSpace(x.Note) == "" {
			return errors.New("recheck partly_needed needs a note saying what is still needed")
		}
	}
	return nil
}

// lapse drops the pending transfer request when its requester has been
// revoked (or is not in roster at all): nobody may grant it any more, and
// another member may ask. The roster is the one the fold is judged by, so
// every peer drops it alike.
func (st *lifecycle) lapse(roster *Roster) {
	if st.transfer == nil || roster == nil {
		return
	}
	if m, ok := roster.Member(st.transfer.Meta.Device); !ok || m.Revoked {
		st.transfer = nil
	}
}

// checkOwnership checks a transfer step against the state it meets.
func (st *lifecycle) checkOwnership(s *Step, roster *Roster) Reason {
	st.lapse(roster)
	switch s.Action {
	case ActionRequestTransfer:
		if s.Meta.Device == st.owner {
			return ReasonBadTarget
		}
		if st.transfer != nil {
			return ReasonRequestPending
		}
		d := time.UnixMilli(s.Args.Until).Sub(s.Meta.Stamp.Time())
		if d < time.Minute || d > MaxWithinMinutes*time.Minute {
			return ReasonBadReplyBy
		}
	case ActionAcceptTransfer, ActionDeclineTransfer:
		if st.transfer == nil || st.transfer.Meta.Device != s.Args.To {
			return ReasonNoRequest
		}
		if s.Action == ActionAcceptTransfer {
			to, err := roster.Admits(s.Args.To, 0)
			if err != nil || to.Revoked || !slices.Contains(claimers, roster.roleAt(s.Args.To, s.Meta)) {
				return ReasonBadTarget
			}
		}
	case ActionTakeOver:
		if st.transfer == nil || st.transfer.Meta.Device != s.Meta.Device {
			return ReasonNoRequest
		}
		if s.Meta.Stamp.Wall <= st.transfer.Args.Until {
			return ReasonNotDue
		}
	}
	return ""
}

// afterOwnership updates the state after the step s applied: the pending
// transfer request, the owner a transfer gives, and the withdrawal a call-back
// finding the demand no longer needed brings.
func (st *lifecycle) afterOwnership(s *Step) {
	switch s.Action {
	case ActionRequestTransfer:
		st.transfer = s
	case ActionAcceptTransfer, ActionTakeOver:
		st.owner, st.ownedBy, st.transfer = st.transfer.Meta.Device, s, nil
	case ActionDeclineTransfer, ActionClaim, ActionHandover, ActionRelease:
		st.transfer = nil
	case ActionRecheck:
		if s.Args.Outcome == OutcomeNoLongerNeeded {
			st.status, st.lastMove = StatusWithdrawn, s
		}
	}
	if st.status.Terminal() {
		st.transfer = nil
	}
}

// ownershipAllowed drops from actions (Allowed's) the ownership actions that
// cannot apply to d now whatever their arguments: a transfer request by the
// owner or while another is pending, an answer with none pending, a take-over
// by anyone but the requester. Whether the request's reply-by has passed is
// for the caller, who has a clock (TransferDue).
func ownershipAllowed(d Demand, actor Member, actions []Action) []Action {
	return slices.DeleteFunc(actions, func(a Action) bool {
		switch a {
		case ActionRequestTransfer:
			return d.Owner == actor.Key || d.Transfer != nil
		case ActionAcceptTransfer, ActionDeclineTransfer:
			return d.Transfer == nil
		case ActionTakeOver:
			return d.Transfer == nil || d.Transfer.By != actor.Key
		}
		return false
	})
}

// TransferDue reports whether the pending transfer request of d, if any, is
// past its reply-by at now, so that its requester may take the demand over.
func TransferDue(d Demand, now time.Time) bool {
	return d.Transfer != nil && now.After(d.Transfer.Until)
}

// foldOwnership sets the ownership fields of d (folded, with its history and
// owner) from the state st and the record rec: FollowUpSince, Transfer and
// Confirmed.
func foldOwnership(d *Demand, rec *Record, st *lifecycle) {
	for _, s := range d.History {
		if s.Action == ActionApprove || (s.Action == ActionRecheck &&
			(s.Args.Outcome == OutcomeStillNeeded || s.Args.Outcome == OutcomePartlyNeeded)) {
			d.Confirmed = s.Meta.Stamp
		}
	}
	if t := st.transfer; t != nil {
		d.Transfer = &TransferRequest{By: t.Meta.Device, At: t.Meta.Stamp, Until: time.UnixMilli(t.Args.Until).UTC(), Reason: t.Args.Note}
	}
	if d.Owner.IsZero() || d.Status.Terminal() || st.ownedBy == nil {
		return
	}
	since := st.ownedBy.Meta
	later := func(m Meta) {
		if m.Compare(since) > 0 {
			since = m
		}
	}
	for _, s := range d.History {
		if s.Meta.Device == d.Owner || s.Action == ActionReopen {
			later(s.Meta)
		}
	}
	for _, f := range rec.Fields {
		if f.Meta.Device == d.Owner {
			later(f.Meta)
		}
	}
	d.FollowUpSince = since.Stamp
}

// OwnerPending returns what the open demand d, owned and waiting for no
// pipeline step, waits on its owner (To) for: the answer to a pending transfer
// request (ReplyTransfer, due at the request's own reply-by, By its requester),
// else the owner's next action (ReplyFollowUp, due dl.FollowUp after
// FollowUpSince). ok is false for a demand without owner, closed, or waiting
// for a pipeline step.
func OwnerPending(d Demand, dl Deadlines, now time.Time) (Pending, bool) {
	if d.Owner.IsZero() || d.Status.Terminal() || d.FollowUpSince.Wall == 0 {
		return Pending{}, false
	}
	if _, _, _, ok := waiting(d); ok {
		return Pending{}, false
	}
	p := Pending{Kind: KindDemand, ID: d.ID, Code: d.Code, Status: d.Status, To: d.Owner}
	if t := d.Transfer; t != nil {
		p.What, p.Since, p.Due, p.By = ReplyTransfer, t.At.Time(), t.Until.UTC(), t.By
	} else {
		p.What, p.Since = ReplyFollowUp, d.FollowUpSince.Time()
		p.Due = dl.Due(ReplyFollowUp, p.Since)
	}
	p.flag(now)
	return p, true
}

// RecheckPending returns the re-check of the published or in-progress demand
// d: due dl.Recheck after it was last confirmed (Confirmed, else its
// creation), waiting on the reviewers and coordinators once overdue. ok is
// false for a demand in another status.
func RecheckPending(d Demand, dl Deadlines, now time.Time) (Pending, bool) {
	if d.Status != StatusPublished && d.Status != StatusInProgress {
		return Pending{}, false
	}
	since := d.Confirmed
	if since.Wall == 0 {
		since = d.CreatedAt
	}
	p := Pending{Kind: KindDemand, ID: d.ID, Code: d.Code, What: ReplyRecheck, Status: d.Status, Since: since.Time()}
	p.Due = dl.Due(ReplyRecheck, p.Since)
	p.flag(now)
	return p, true
}

// FollowUpDue returns when the owner of d must act next (FollowUpSince plus
// dl.FollowUp); ok is false when d has no owner or is closed.
func FollowUpDue(d Demand, dl Deadlines) (time.Time, bool) {
	if d.Owner.IsZero() || d.Status.Terminal() || d.FollowUpSince.Wall == 0 {
		return time.Time{}, false
	}
	return dl.Due(ReplyFollowUp, d.FollowUpSince.Time()), true
}
