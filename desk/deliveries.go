package desk

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// deliveryArgs checks and builds the arguments of a deliver or adjust from
// the form: at least one quantity, each a number (ParseQuantity); an adjust
// may take a quantity below zero (a leading "-" or "−") and needs a reason.
// Errors: CodeNotNumber or CodeNegative naming "received[i].quantity";
// CodeRequired naming "received" (no quantity) or "note" (an adjust without
// a reason).
func deliveryArgs(action relief.Action, args relief.Args, in ActInput) (relief.Args, error) {
	for i, r := range in.Received {
		field := "received[" + strconv.Itoa(i) + "].quantity"
		text := strings.TrimSpace(r.Quantity)
		neg := false
		if action == relief.ActionAdjust {
			for _, minus := range []string{"-", "−", "－"} {
				if t, ok := strings.CutPrefix(text, minus); ok {
					text, neg = t, true
					break
				}
			}
		}
		n, err := ParseQuantity(field, text)
		if err != nil {
			return args, err
		}
		if n == nil {
			continue
		}
		if strings.TrimSpace(r.Item) == "" {
			return args, FieldError(CodeRequired, "received["+strconv.Itoa(i)+"].item", "no item named")
		}
		q := *n
		if neg {
			q = -q
		}
		args.Received = append(args.Received, relief.Receipt{Item: strings.TrimSpace(r.Item), Qty: q})
	}
	if len(args.Received) == 0 {
		return args, FieldError(CodeRequired, "received", "no quantity given")
	}
	if action == relief.ActionAdjust && args.Note == "" {
		return args, FieldError(CodeRequired, "note", "a correction needs a reason")
	}
	return args, nil
}

// AckConflict acknowledges the conflict ref of demand id as this device's
// member, so that it leaves every inbox (relief.ActionAckConflict), and
// returns the demand afterwards. The conflict's author and coordinators may.
// ref may also name a withdrawal told in the inbox (relief.ReplyWithdrawn):
// the one who withdrew it, the member it was withdrawn from and
// coordinators may acknowledge it. Errors: CodeNotFound naming "id"; CodeRequired naming "ref"; CodeInvalid
// naming "ref" when the demand has no such conflict still open;
// CodeNotAllowed naming "action" for anyone else (nothing is stored).
func (d *Desk) AckConflict(id, ref string) (DemandDetail, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return DemandDetail{}, FieldError(CodeRequired, "ref", "no conflict named")
	}
	dm, err := d.st.Demand(id)
	if errors.Is(err, store.ErrNotFound) {
		return DemandDetail{}, &Error{Code: CodeNotFound, Field: "id", Message: err.Error()}
	}
	if err != nil {
		return DemandDetail{}, AsError(err)
	}
	me, _ := d.st.Me()
	// ref names one conflict, or the change of several edits (one inbox entry)
	i := slices.IndexFunc(dm.Conflicts, func(c relief.Conflict) bool { return relief.AckCovers(c, ref) && c.AckedBy.IsZero() })
	if i < 0 {
		j := slices.IndexFunc(dm.Withdrawals, func(w relief.Withdrawal) bool { return w.Ref == ref && w.AckedBy.IsZero() })
		if j < 0 {
			return DemandDetail{}, FieldError(CodeInvalid, "ref", "%s has no open conflict %q", dm.Code, ref)
		}
		if w := dm.Withdrawals[j]; me.Key.IsZero() || me.Revoked || (me.Role != relief.RoleCoordinator && me.Key != w.By && me.Key != w.Owner) {
			return DemandDetail{}, &Error{Code: CodeNotAllowed, Field: "action",
				Message: "only the one who withdrew it, its owner or a coordinator may acknowledge the withdrawal of " + dm.Code}
		}
	} else if me.Key.IsZero() || me.Revoked || (me.Role != relief.RoleCoordinator && me.Key != dm.Conflicts[i].By) {
		return DemandDetail{}, &Error{Code: CodeNotAllowed, Field: "action",
			Message: "only the conflict's author or a coordinator may acknowledge a conflict on " + dm.Code}
	}
	op, err := relief.Transition(relief.KindDemand, dm.ID, relief.ActionAckConflict, relief.Args{Ref: ref})
	if err != nil {
		return DemandDetail{}, &Error{Code: CodeInvalid, Field: "ref", Message: "ack_conflict on " + dm.Code + ": " + err.Error()}
	}
	if _, err := d.apply([]ledger.Op{op}); err != nil {
		return DemandDetail{}, err
	}
	return d.Demand(dm.ID)
}
