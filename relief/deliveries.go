package relief

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// Actions on a demand's deliveries and conflicts (see Rules).
const (
	ActionDeliver         Action = "deliver"          // the owner records goods received: Args.Received holds this delivery's quantities, Args.Note a note
	ActionAdjust          Action = "adjust"           // a correction by the owner or a coordinator: Args.Received (negative allowed), Args.Note the reason (required)
	ActionAcceptDelivery  Action = "accept_delivery"  // the owner or a coordinator counts a pending delivery (Args.Ref)
	ActionDeclineDelivery Action = "decline_delivery" // the owner or a coordinator declines a pending delivery (Args.Ref): recorded, not counted
	ActionAckConflict     Action = "ack_conflict"     // the conflict's author or a coordinator acknowledges a conflict (Args.Ref): it leaves every inbox
)

// MaxRefLen is the longest Args.Ref, in bytes: a StepRef or a ConflictRef of
// an edit (the hash, the index and a field name).
const MaxRefLen = 256

// DeliveryState says whether a delivery counts in the demand's received
// quantities.
type DeliveryState string

// Delivery states.
const (
	DeliveryCounted  DeliveryState = "counted"  // it counts: recorded by the owner, an adjustment, or accepted
	DeliveryPending  DeliveryState = "pending"  // recorded by someone who was not the owner; awaits accept or decline
	DeliveryDeclined DeliveryState = "declined" // declined by the owner or a coordinator: kept, not counted
)

// Delivery is one deliver, adjust or (older versions) progress step of a
// demand, as FoldDemand lists them in Demand.Deliveries, in fold order. An
// item's received quantity (Item.Received) is the sum of the counted
// deliveries' quantities of that item; a progress step sets the item's
// total instead (as older versions did), which is a delivery of the
// difference at its place in the fold order.
type Delivery struct {
	Ref       string          `json:"ref" level:"team"`    // StepRef of the step: what accept_delivery and decline_delivery name
	Action    Action          `json:"action" level:"team"` // ActionDeliver, ActionAdjust or ActionProgress
	By        ledger.DeviceID `json:"by" level:"team"`
	At        ledger.Stamp    `json:"at" level:"team"`
	Items     []Receipt       `json:"items" level:"public"`
	Note      string          `json:"note" level:"restricted"` // adjust: the reason
	State     DeliveryState   `json:"state" level:"team"`
	Reason    Reason          `json:"reason" level:"team"`     // pending or decided: why it did not count at once (not_owner, not_owned, status)
	DecidedBy ledger.DeviceID `json:"decided_by" level:"team"` // who accepted or declined it; zero if nobody yet
	DecidedAt ledger.Stamp    `json:"decided_at" level:"team"`
}

// Resolutions offered by a notice (Notice.Resolve): stable codes the UI
// translates ("resolve.<code>") and turns into buttons.
const (
	ResolveAck      = "ack"      // acknowledge the conflict (ActionAckConflict)
	ResolveAccept   = "accept"   // count the pending delivery (ActionAcceptDelivery)
	ResolveDecline  = "decline"  // decline the pending delivery (ActionDeclineDelivery)
	ResolveReapply  = "reapply"  // the demand's owner now (or a coordinator) takes the refused step again as their own
	ResolveHandover = "handover" // the loser asks a coordinator (or the owner) for a handover of the demand
	ResolveKeep     = "keep"     // concurrent edits: pick the value to keep, on the demand (a write that has seen both)
)

// Notice is what a conflict or pending delivery inbox entry shows: both sides
// and what resolves it.
type Notice struct {
	Conflict     *Conflict       `json:"conflict,omitempty"`   // ReplyConflict: the step that lost, and the winner
	Delivery     *Delivery       `json:"delivery,omitempty"`   // ReplyDelivery; ReplyConflict of a deliver kept pending: its state
	Withdrawal   *Withdrawal     `json:"withdrawal,omitempty"` // ReplyWithdrawn: who withdrew it, why, what had been received
	Owner        ledger.DeviceID `json:"owner"`                // the demand's owner now; zero: nobody
	Coordinators bool            `json:"coordinators"`         // every coordinator sees it too
	Resolve      []string        `json:"resolve"`              // Resolve* codes, in the order the UI shows them
	// Fields are, for a conflict entry of an edit, the fields of the change
	// that conflict, sorted (one entry per change, not per field; Conflict
	// is the first of them); nil otherwise.
	Fields []string `json:"fields,omitempty"`
}

// StepRef returns the reference of the step m identifies: the change's hash
// in hex and the operation's index, "<hex>/<index>". Deliveries carry it.
func StepRef(m Meta) string {
	return hex.EncodeToString(m.Change[:]) + "/" + strconv.Itoa(m.Index)
}

// ConflictRef returns the reference of conflict c: StepRef of its step, and
// for an edit of a closed demand "/<field>" (one change may edit several
// fields).
func ConflictRef(c Conflict) string {
	r := hex.EncodeToString(c.Change[:]) + "/" + strconv.Itoa(c.Index)
	if c.Field != "" {
		r += "/" + c.Field
	}
	return r
}

func checkDelivery(a Action, x Args) error {
	if len(x.Received) == 0 {
		return fmt.Errorf("%s needs received quantities", a)
	}
	for _, r := range x.Received {
		bad := r.Item == "" || TooLong(r.Item, MaxItemText) || math.IsInf(r.Qty, 0) || math.IsNaN(r.Qty)
		if a == ActionDeliver {
			bad = bad || !validQty(r.Qty)
		}
		if bad {
			return fmt.Errorf("bad receipt %q %v", r.Item, r.Qty)
		}
	}
	if a == ActionAdjust && strings.TrimSpace(x.Note) == "" {
		return errors.New("adjust needs a reason (note)")
	}
	return nil
}

// deliveryFold keeps what FoldDemand derives from deliveries: the received
// total per item and the list of deliveries.
type deliveryFold struct {
	received map[string]float64
	list     []Delivery
	byRef    map[string]int // Ref → index in list
}

func (f *deliveryFold) add(s *Step, state DeliveryState, reason Reason) {
	if f.byRef == nil {
		f.byRef = make(map[string]int)
	}
	dv := Delivery{Ref: StepRef(s.Meta), Action: s.Action, By: s.Meta.Device, At: s.Meta.Stamp,
		Items: slices.Clone(s.Args.Received), Note: s.Args.Note, State: state, Reason: reason}
	f.byRef[dv.Ref] = len(f.list)
	f.list = append(f.list, dv)
	if state == DeliveryCounted {
		f.count(dv, false)
	}
}

// count adds dv's quantities to the received totals; a progress's are
// running totals, which set the item's total where the progress stands in
// the fold order. A pending progress accepted later (accepted) was a total
// at its own place, before what was counted since: it raises an item's total
// to it, never lowers it (the larger of the two).
func (f *deliveryFold) count(dv Delivery, accepted bool) {
	if f.received == nil && len(dv.Items) > 0 {
		f.received = make(map[string]float64) // made at the first count: most demands have none
	}
	for _, r := range dv.Items {
		if dv.Action == ActionProgress {
			if accepted {
				f.received[r.Item] = max(f.received[r.Item], r.Qty)
			} else {
				f.received[r.Item] = r.Qty
			}
		} else {
			f.received[r.Item] += r.Qty
		}
	}
}

// applied is told of every step that applied.
func (f *deliveryFold) applied(s *Step) {
	switch s.Action {
	case ActionDeliver, ActionAdjust, ActionProgress:
		f.add(s, DeliveryCounted, "")
	case ActionAcceptDelivery, ActionDeclineDelivery:
		i := f.byRef[s.Args.Ref] // more checked it is pending
		dv := &f.list[i]
		dv.DecidedBy, dv.DecidedAt = s.Meta.Device, s.Meta.Stamp
		if s.Action == ActionAcceptDelivery {
			dv.State = DeliveryCounted
			f.count(*dv, true)
		} else {
			dv.State = DeliveryDeclined
		}
	}
}

// refused keeps a deliver that its author recorded without owning the demand
// (or after it was fulfilled or withdrawn) as a pending delivery; a legacy
// progress too (an older peer's: its quantities are totals, which count as
// such once accepted), so that no quantity received is dropped unseen.
func (f *deliveryFold) refused(s *Step, c Conflict, status Status) {
	if s.Action != ActionDeliver && s.Action != ActionProgress {
		return
	}
	switch {
	case c.Reason == ReasonNotOwner, c.Reason == ReasonNotOwned,
		c.Reason == ReasonStatus && (status == StatusFulfilled || status == StatusWithdrawn):
		f.add(s, DeliveryPending, c.Reason)
	}
}

// more checks that accept_delivery and decline_delivery name a pending
// delivery.
func (f *deliveryFold) more(s *Step) Reason {
	if s.Action != ActionAcceptDelivery && s.Action != ActionDeclineDelivery {
		return ""
	}
	if i, ok := f.byRef[s.Args.Ref]; !ok || f.list[i].State != DeliveryPending {
		return ReasonBadTarget
	}
	return ""
}

// splitAcks returns steps without the ack_conflict steps, and those; steps
// itself when it has none.
func splitAcks(steps []Step) (rest, acks []Step) {
	if !slices.ContainsFunc(steps, func(s Step) bool { return s.Action == ActionAckConflict }) {
		return steps, nil
	}
	for _, s := range steps {
		if s.Action == ActionAckConflict {
			acks = append(acks, s)
		} else {
			rest = append(rest, s)
		}
	}
	return rest, acks
}

// applyAcks marks the conflicts the acks name as acknowledged: an ack counts
// when its author, admitted by roster, was a coordinator at the ack's
// position or is the conflict's author (or, for concurrent edits, the
// winner's author); the first such ack in fold order is the one kept.
func applyAcks(cs []Conflict, acks []Step, roster *Roster) {
	if len(acks) == 0 {
		return
	}
	// A conflict is named by its own ref; the conflicts of the fields of one
	// change (one inbox entry, see DemandNotices) also by the change's.
	idx := make(map[string][]int, len(cs))
	for i, c := range cs {
		idx[ConflictRef(c)] = append(idx[ConflictRef(c)], i)
		if c.Field != "" {
			g := groupRef(c)
			idx[g] = append(idx[g], i)
		}
	}
	for _, a := range acks {
		for _, i := range idx[a.Args.Ref] {
			if !cs[i].AckedBy.IsZero() {
				continue
			}
			actor, err := roster.RoleAt(a.Meta.Device, a.Meta) // the role when acknowledging
			if err != nil || (actor.Role != RoleCoordinator && actor.Key != cs[i].By && !concurrentWinner(cs[i], actor.Key)) {
				continue
			}
			cs[i].AckedBy, cs[i].AckedAt = a.Meta.Device, a.Meta.Stamp
		}
	}
}

// AckCovers reports whether an ack_conflict naming ref covers conflict c:
// ref is c's own (ConflictRef) or, for an edit, its change's (the ref of
// its inbox entry, DemandNotices).
func AckCovers(c Conflict, ref string) bool {
	return ConflictRef(c) == ref || (c.Field != "" && groupRef(c) == ref)
}

// concurrentWinner reports whether key wrote the value that stands against
// the concurrent edit c: that author may acknowledge it too.
func concurrentWinner(c Conflict, key ledger.DeviceID) bool {
	return c.Reason == ReasonConcurrent && c.Winner == key
}

// groupRef returns the reference of the change of conflict c: its StepRef,
// without the field. An ack naming it covers every field of the change.
func groupRef(c Conflict) string {
	return StepRef(Meta{Change: c.Change, Index: c.Index})
}

// noticed reports whether conflict c reaches the inbox: revocations and
// changes by non-members are told elsewhere (the roster's own conflicts).
func noticed(c Conflict) bool {
	return c.AckedBy.IsZero() && c.Reason != ReasonRevoked && c.Reason != ReasonNotMember
}

// DemandNotices returns the inbox entries of the demand d's conflicts and
// pending deliveries (no deadline), oldest first:
//
//   - each conflict not acknowledged (ReplyConflict), for its author (To) and
//     the coordinators, with ResolveAck and, while the demand is open, the way
//     to redo the step: ResolveHandover for the author (ask to own it) and
//     ResolveReapply (the owner or a coordinator takes the step again). A
//     refused deliver (or legacy progress) kept pending is for its author only (the pending
//     delivery is the coordinators' entry) and shows the delivery's state.
//     Conflicts of revoked members and non-members are left out. A
//     concurrent edit (ReasonConcurrent) is for both authors (To the one
//     whose value lost, By the one whose value stands) and offers
//     ResolveKeep while the demand is open. The
//     conflicts of the fields one change edited are one entry (Ref: the
//     change's StepRef, which an ack names to cover them all; Notice.Fields
//     lists them, Notice.Conflict is the first field's);
//   - each pending delivery (ReplyDelivery), for the demand's owner (To; zero
//     when nobody owns it) and the coordinators, with ResolveAccept and
//     ResolveDecline;
//   - each withdrawal not acknowledged (ReplyWithdrawn, Notice.Withdrawal),
//     for the member it was withdrawn from (To) and, when goods had been
//     received, for the one who withdrew it (By) and the coordinators, with
//     ResolveAck.
//
// It reads d only, so every peer derives the same entries.
func DemandNotices(d Demand) []Pending {
	var out []Pending
	eachNoticed(d.Conflicts, func(c Conflict, ref string, fields []string) {
		n := &Notice{Conflict: &c, Owner: d.Owner, Coordinators: true, Fields: fields}
		for j := range d.Deliveries {
			if dv := d.Deliveries[j]; dv.Ref == ConflictRef(c) && (c.Action == ActionDeliver || c.Action == ActionProgress) {
				n.Delivery, n.Coordinators = &dv, false
			}
		}
		n.Resolve = append(n.Resolve, ResolveAck)
		var by ledger.DeviceID
		if c.Reason == ReasonConcurrent {
			by = c.Winner // both authors are told
			if !d.Status.Terminal() {
				n.Resolve = append(n.Resolve, ResolveKeep)
			}
		}
		if n.Delivery == nil && !d.Status.Terminal() {
			switch c.Action {
			case ActionClaim, ActionProgress, ActionDeliver, ActionFulfil:
				if d.Owner != c.By {
					n.Resolve = append(n.Resolve, ResolveHandover)
				}
			}
			switch c.Action {
			case ActionProgress, ActionDeliver, ActionFulfil, ActionAdjust:
				n.Resolve = append(n.Resolve, ResolveReapply)
			}
		}
		out = append(out, Pending{Kind: KindDemand, ID: d.ID, Code: d.Code, What: ReplyConflict, Status: d.Status,
			Since: c.At.Time(), To: c.By, By: by, Ref: ref, Notice: n})
	})
	for i := range d.Deliveries {
		dv := d.Deliveries[i]
		if dv.State != DeliveryPending {
			continue
		}
		out = append(out, Pending{Kind: KindDemand, ID: d.ID, Code: d.Code, What: ReplyDelivery, Status: d.Status,
			Since: dv.At.Time(), To: d.Owner, Ref: dv.Ref,
			Notice: &Notice{Delivery: &dv, Owner: d.Owner, Coordinators: true, Resolve: []string{ResolveAccept, ResolveDecline}}})
	}
	out = append(out, withdrawNotices(d)...)
	slices.SortFunc(out, comparePending)
	return out
}

// Received returns the quantity of item received by the demand d: the sum
// of its counted deliveries (see Delivery), in list order; a progress is a
// running total, and one accepted after it was kept pending (DecidedBy set)
// never lowers the total (deliveryFold.count). The fold counts an accepted
// delivery at its acceptance: Items[i].Received is the demand's total.
func (d Demand) Received(item string) float64 {
	var f deliveryFold
	f.received = map[string]float64{}
	for _, dv := range d.Deliveries {
		if dv.State == DeliveryCounted {
			f.count(dv, !dv.DecidedBy.IsZero())
		}
	}
	return f.received[item]
}

// eachNoticed calls fn with each conflict of conflicts that is told
// (noticed), one per change for edits: the fields one change edited make one
// entry (ref: the change's, groupRef), led by the conflict of its first field
// (fields sorted); another conflict's ref is ConflictRef and fields nil.
func eachNoticed(conflicts []Conflict, fn func(c Conflict, ref string, fields []string)) {
	groups := map[string][]string{}
	for _, c := range conflicts {
		if c.Field != "" && noticed(c) {
			groups[groupRef(c)] = append(groups[groupRef(c)], c.Field)
		}
	}
	for _, c := range conflicts {
		if !noticed(c) {
			continue
		}
		ref := ConflictRef(c)
		var fields []string
		if c.Field != "" {
			ref = groupRef(c)
			fields = groups[ref]
			if fields == nil {
				continue // the change's entry is out already
			}
			slices.Sort(fields)
			fields = slices.Compact(fields)
			if c.Field != fields[0] {
				continue // the entry is led by the first field's conflict
			}
			delete(groups, ref)
		}
		fn(c, ref, fields)
	}
}
