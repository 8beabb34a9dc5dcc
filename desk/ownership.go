package desk

import (
	"time"

	"github.com/reliefmesh/reliefmesh/relief"
)

// ownershipArgs checks and builds the arguments of the ownership actions
// (relief/ownership.go) on dm from in, args holding the trimmed note:
//
//   - follow_up: a note, required (what the owner did or will do);
//   - request_transfer: a reason, required; the reply-by is now plus the
//     network's transfer window, written into the request so that every peer
//     decides the take-over alike;
//   - accept_transfer, decline_transfer: the pending request's member (a
//     decline needs a reason);
//   - take_over: refused (CodeNotAllowed naming "action") until the
//     request's reply-by has passed, saying until when the owner may answer;
//   - recheck: in.Outcome, a relief.Outcome (CodeRequired or CodeInvalid
//     naming "outcome"); partly_needed needs a note (what is still needed).
//
// Other actions take args as they are.
func (d *Desk) ownershipArgs(dm relief.Demand, action relief.Action, in ActInput, args relief.Args) (relief.Args, error) {
	switch action {
	case relief.ActionFollowUp, relief.ActionRequestTransfer, relief.ActionDeclineTransfer:
		if args.Note == "" {
			return args, FieldError(CodeRequired, "note", "%s needs a note", action)
		}
	}
	switch action {
	case relief.ActionRequestTransfer:
		args.Until = d.st.Now().Add(d.st.Deadlines().Transfer).UnixMilli()
	case relief.ActionAcceptTransfer, relief.ActionDeclineTransfer:
		if dm.Transfer == nil { // relief.Allowed keeps these out; a guard
			return args, &Error{Code: CodeNotAllowed, Field: "action", Message: "no transfer request is pending on " + dm.Code}
		}
		args.To = dm.Transfer.By
	case relief.ActionTakeOver:
		if now := d.st.Now(); !relief.TransferDue(dm, now) {
			until := time.Time{}
			if dm.Transfer != nil {
				until = dm.Transfer.Until
			}
			return args, (&Error{Code: CodeNotAllowed, Field: "action",
				Message: "the owner of " + dm.Code + " may answer the transfer request until " + until.Format(time.RFC3339)}).
				Because(ReasonNotDue, "until", until.Format(time.RFC3339))
		}
	case relief.ActionRecheck:
		o := relief.Outcome(in.Outcome)
		switch {
		case in.Outcome == "":
			return args, FieldError(CodeRequired, "outcome", "choose the call's outcome")
		case !o.Valid():
			return args, FieldError(CodeInvalid, "outcome", "%q is not an outcome", in.Outcome)
		case o == relief.OutcomePartlyNeeded && args.Note == "":
			return args, FieldError(CodeRequired, "note", "say what is still needed")
		}
		args.Outcome = o
	}
	return args, nil
}
