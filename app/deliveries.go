package app

import (
	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// DeliveryView is one delivery or correction of a demand (relief.Delivery).
type DeliveryView struct {
	Ref       string        `json:"ref"`    // what accept_delivery and decline_delivery name
	Action    string        `json:"action"` // deliver, adjust, or progress (a total, from older versions)
	By        MemberRef     `json:"by"`
	At        int64         `json:"at"` // Unix milliseconds (HLC wall time)
	Items     []ReceiptView `json:"items"`
	Note      string        `json:"note"`   // adjust: the reason
	State     string        `json:"state"`  // counted, pending, declined
	Reason    string        `json:"reason"` // pending or decided: why it did not count at once (relief.Reason)
	DecidedBy *MemberRef    `json:"decidedBy"`
	DecidedAt int64         `json:"decidedAt"`
}

// NoticeView is what a conflict or pending delivery inbox entry shows
// (relief.Notice): both sides and the actions that resolve it.
type NoticeView struct {
	Conflict     *ConflictView `json:"conflict"` // conflict: the step that lost and the winner
	Delivery     *DeliveryView `json:"delivery"` // delivery; a conflict of a deliver kept pending: its state
	Owner        *MemberRef    `json:"owner"`    // the demand's owner now
	Coordinators bool          `json:"coordinators"`
	Resolve      []string      `json:"resolve"` // ack, accept, decline, reapply, handover (relief.Resolve*)
	// Fields are, for the conflict entry of an edit, every field of the
	// change in conflict (one entry per change); empty otherwise.
	Fields []string `json:"fields"`
	// Withdrawal is, for a withdrawn entry, who withdrew the demand, when,
	// why and what had been received; nil otherwise.
	Withdrawal *WithdrawalView `json:"withdrawal"`
}

// WithdrawalView is a withdrawal told in the inbox (relief.Withdrawal).
type WithdrawalView struct {
	Ref      string        `json:"ref"` // what ack_conflict names
	By       MemberRef     `json:"by"`  // who withdrew it
	At       int64         `json:"at"`  // Unix milliseconds (HLC wall time)
	Note     string        `json:"note"`
	Outcome  string        `json:"outcome"`  // "no_longer_needed" when a call-back (recheck) withdrew it; "" a withdraw
	Owner    *MemberRef    `json:"owner"`    // whom it was withdrawn from; nil: the one who withdrew it
	Received []ReceiptView `json:"received"` // counted as received when it was withdrawn
	// UndoneFrom is, for an import's undo that met someone else's work,
	// the status that work had brought the demand to (approved, published,
	// in_progress; relief.Withdrawal.UndoneFrom); "" otherwise. ActedBy is
	// who did it.
	UndoneFrom string     `json:"undone_from,omitempty"`
	ActedBy    *MemberRef `json:"acted_by,omitempty"`
}

func memberRef(k ledger.DeviceID, names map[ledger.DeviceID]string) MemberRef {
	return MemberRef{ID: k.String(), Name: names[k]}
}

func optMemberRef(k ledger.DeviceID, names map[ledger.DeviceID]string) *MemberRef {
	if k.IsZero() {
		return nil
	}
	r := memberRef(k, names)
	return &r
}

// conflictView is the DTO of conflict c.
func conflictView(c relief.Conflict, names map[ledger.DeviceID]string) ConflictView {
	return ConflictView{Action: string(c.Action), By: memberRef(c.By, names), At: c.At.Wall,
		Reason: string(c.Reason), Field: c.Field, Winner: optMemberRef(c.Winner, names), WinnerAt: c.WinnerAt.Wall,
		WinnerAction: string(c.WinnerAction), Ref: relief.ConflictRef(c), AckedBy: optMemberRef(c.AckedBy, names), AckedAt: c.AckedAt.Wall}
}

// deliveryView is the DTO of delivery dv.
func deliveryView(dv relief.Delivery, names map[ledger.DeviceID]string) DeliveryView {
	out := DeliveryView{Ref: dv.Ref, Action: string(dv.Action), By: memberRef(dv.By, names), At: dv.At.Wall,
		Items: make([]ReceiptView, 0, len(dv.Items)), Note: dv.Note, State: string(dv.State), Reason: string(dv.Reason),
		DecidedBy: optMemberRef(dv.DecidedBy, names), DecidedAt: dv.DecidedAt.Wall}
	for _, r := range dv.Items {
		out.Items = append(out.Items, ReceiptView{Item: r.Item, Quantity: r.Qty})
	}
	return out
}

// noticeView is the DTO of notice n; nil for nil.
func noticeView(n *relief.Notice, names map[ledger.DeviceID]string) *NoticeView {
	if n == nil {
		return nil
	}
	out := &NoticeView{Owner: optMemberRef(n.Owner, names), Coordinators: n.Coordinators, Resolve: append([]string{}, n.Resolve...),
		Fields: append([]string{}, n.Fields...)}
	if n.Conflict != nil {
		c := conflictView(*n.Conflict, names)
		out.Conflict = &c
	}
	if n.Delivery != nil {
		dv := deliveryView(*n.Delivery, names)
		out.Delivery = &dv
	}
	if w := n.Withdrawal; w != nil {
		out.Withdrawal = &WithdrawalView{Ref: w.Ref, By: memberRef(w.By, names), At: w.At.Wall, Note: w.Note,
			Outcome: string(w.Outcome), Owner: optMemberRef(w.Owner, names), Received: make([]ReceiptView, 0, len(w.Received)),
			UndoneFrom: string(w.UndoneFrom), ActedBy: optMemberRef(w.ActedBy, names)}
		for _, r := range w.Received {
			out.Withdrawal.Received = append(out.Withdrawal.Received, ReceiptView{Item: r.Item, Quantity: r.Qty})
		}
	}
	return out
}

// noticeNames returns the roster's names when some entry of ps is a notice
// or names a member who asks (By: a transfer request, a concurrent edit);
// nil otherwise: the common inbox needs none.
func noticeNames(dk *desk.Desk, ps []desk.Pending) map[ledger.DeviceID]string {
	for _, p := range ps {
		if p.Notice != nil || !p.By.IsZero() {
			return dk.MemberNames()
		}
	}
	return nil
}
