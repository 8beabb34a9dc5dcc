package desk

import (
	"fmt"
	"slices"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TagAdoptedFrom starts the tag an adopted change leaves on each demand,
// volunteer or offer it touches: "adopted_from:<member id>/<seq>", the
// reference to the original change (kept as evidence by the store).
const TagAdoptedFrom = "adopted_from:"

// UndoneChange is one change of a revoked member that this device undid or
// refused (a revocation cut) and keeps as evidence, as a coordinator
// reviews it before adopting it or setting it aside.
type UndoneChange struct {
	Member string    `json:"member"` // the revoked member's id
	Seq    uint64    `json:"seq"`    // its seq in their feed
	At     time.Time `json:"at"`     // when they made it (its stamp), UTC
	// Ops are what it did, one line each: "<op type> <kind> <code or id>"
	// (for logs and the hub; a screen reads Steps).
	Ops []string `json:"ops"`
	// Steps are the same, one per op, for a screen to say in its language:
	// the op's summary and the record's code (a demand's short code, else
	// its id).
	Steps   []UndoneStep `json:"steps"`
	Handled bool         `json:"handled"` // adopted or set aside on this device
}

// UndoneStep is one op of an undone change: what relief.Summarize says of it
// and Code, the record's short code where it has one (its id otherwise).
type UndoneStep struct {
	relief.OpSummary
	Code string `json:"code"`
}

// UndoneChanges returns the changes of member memberID that a revocation
// cut undid or refused on this device, by seq. Errors: CodeInvalid naming
// "memberId"; CodeNotAllowed for a member who is not an active coordinator;
// CodeStorage.
func (d *Desk) UndoneChanges(memberID string) ([]UndoneChange, error) {
	key, err := ledger.ParseDeviceID(memberID)
	if err != nil {
		return nil, FieldError(CodeInvalid, "memberId", "%v", err)
	}
	if err := d.activeCoordinator("only a coordinator may review undone changes"); err != nil {
		return nil, err
	}
	cs, err := d.st.CutChanges(key)
	if err != nil {
		return nil, AsError(err)
	}
	handled := d.st.UndoneHandled(key)
	out := make([]UndoneChange, 0, len(cs))
	for _, c := range cs {
		u := UndoneChange{Member: memberID, Seq: c.Seq, At: c.Stamp.Time().UTC(), Ops: []string{}, Steps: []UndoneStep{}}
		_, u.Handled = slices.BinarySearch(handled, c.Seq)
		for _, op := range c.Ops {
			name := op.ID
			switch op.Kind {
			case relief.KindDemand, relief.KindVolunteer, relief.KindOffer, relief.KindTask:
				// its code from its id: the record may not exist here when the
				// undone change created it
				name = relief.Code(op.Kind, op.ID)
			}
			u.Ops = append(u.Ops, op.Type+" "+op.Kind+" "+name)
			u.Steps = append(u.Steps, UndoneStep{OpSummary: relief.Summarize(op), Code: name})
		}
		out = append(out, u)
	}
	return out, nil
}

// AdoptUndone re-records change seq of revoked member memberID, undone or
// refused on this device, under this coordinator's signature: its ops as
// they were, and on each demand, volunteer and offer it touches a tag
// TagAdoptedFrom naming the original. The change is then handled. Errors:
// CodeInvalid naming "memberId" or "seq" (no such undone change);
// CodeNotAllowed for a member who is not an active coordinator; the store's
// refusals as apply returns them (nothing is written).
func (d *Desk) AdoptUndone(memberID string, seq uint64) error {
	key, c, err := d.undoneChange(memberID, seq)
	if err != nil {
		return err
	}
	ops := slices.Clone(c.Ops)
	ref := fmt.Sprintf("%s%s/%d", TagAdoptedFrom, key, seq)
	tagged := map[string]bool{}
	for _, op := range c.Ops {
		switch op.Kind {
		case relief.KindDemand, relief.KindVolunteer, relief.KindOffer:
		default:
			continue
		}
		if k := op.Kind + "/" + op.ID; !tagged[k] {
			tagged[k] = true
			t, err := relief.Add(op.Kind, op.ID, relief.SetTags, ref)
			if err != nil {
				return AsError(fmt.Errorf("adopt %s/%d: %w", key.Short(), seq, err))
			}
			ops = append(ops, t)
		}
	}
	if _, err := d.apply(ops); err != nil {
		return err
	}
	if err := d.st.SetUndoneHandled(key, seq); err != nil {
		return AsError(err)
	}
	return nil
}

// SetAsideUndone marks change seq of revoked member memberID handled
// without adopting it: it leaves the coordinators' inbox of this device and
// stays kept as evidence. Errors: those of AdoptUndone but the store's
// refusals.
func (d *Desk) SetAsideUndone(memberID string, seq uint64) error {
	key, _, err := d.undoneChange(memberID, seq)
	if err != nil {
		return err
	}
	if err := d.st.SetUndoneHandled(key, seq); err != nil {
		return AsError(err)
	}
	return nil
}

// undoneChange checks that this member may handle undone changes and reads
// change seq of memberID from the evidence.
func (d *Desk) undoneChange(memberID string, seq uint64) (ledger.DeviceID, *ledger.Change, error) {
	key, err := ledger.ParseDeviceID(memberID)
	if err != nil {
		return key, nil, FieldError(CodeInvalid, "memberId", "%v", err)
	}
	if err := d.activeCoordinator("only a coordinator may adopt undone changes"); err != nil {
		return key, nil, err
	}
	cs, err := d.st.CutChanges(key)
	if err != nil {
		return key, nil, AsError(err)
	}
	for _, c := range cs {
		if c.Seq == seq {
			return key, c, nil
		}
	}
	return key, nil, FieldError(CodeInvalid, "seq", "no undone change %d of %s", seq, key.Short())
}
