package relief

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fxamacker/cbor/v2"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// Limits on operations, checked by ValidateOp.
const (
	MaxIDLen   = 128 // bytes in an entity id
	MaxElemLen = 200 // bytes in a set element (a skill, a tag)
	MaxElems   = 256 // elements in one add or remove
)

// ErrInvalidOp is wrapped by every error that rejects an operation as malformed.
var ErrInvalidOp = errors.New("invalid op")

func invalid(op ledger.Op, format string, a ...any) error {
	return fmt.Errorf("%w %s/%s %s: %s", ErrInvalidOp, op.Kind, op.ID, op.Type, fmt.Sprintf(format, a...))
}

// setBody is the body of a "set" op: field name → CBOR value; null clears.
type setBody struct {
	Fields map[string]cbor.RawMessage `cbor:"1,keyasint"`
	// Seen: per field name, the writes of it the author had seen as
	// current (SetFieldsSeen); a field not named carries no such word.
	Seen map[string][]Tag `cbor:"40,keyasint,omitempty"`
}

// addBody is the body of an "add" op.
type addBody struct {
	Set   string   `cbor:"1,keyasint"`
	Elems []string `cbor:"2,keyasint"`
}

// removeBody is the body of a "remove" op: element → the add tags observed.
type removeBody struct {
	Set   string           `cbor:"1,keyasint"`
	Elems map[string][]Tag `cbor:"2,keyasint"`
}

// transitionBody is the body of a "transition" op.
type transitionBody struct {
	Action Action `cbor:"1,keyasint"`
	Args   Args   `cbor:"2,keyasint"`
}

// ValidateOp checks op on its own: known kind and type, a well-formed body, known
// fields with values of the right type, known actions with the arguments they
// need. ApplyOp applies exactly the operations ValidateOp accepts; the store can
// call it to reject a change before storing it.
func ValidateOp(op ledger.Op) error {
	_, err := decodeOp(op)
	return err
}

func decodeOp(op ledger.Op) (any, error) {
	kind, ok := kinds[op.Kind]
	if !ok {
		return nil, invalid(op, "unknown kind")
	}
	if op.ID == "" || len(op.ID) > MaxIDLen || !utf8.ValidString(op.ID) {
		return nil, invalid(op, "bad id")
	}
	switch op.Type {
	case OpSet:
		var b setBody
		if err := decodeSetBody(op.Body, &b); err != nil { // without reflection where it can (ops_wire.go)
			return nil, invalid(op, "body: %v", err)
		}
		if len(b.Fields) == 0 {
			return nil, invalid(op, "no fields")
		}
		for name, v := range b.Fields {
			check, ok := kind.fields[name]
			if !ok {
				return nil, invalid(op, "unknown field %q", name)
			}
			if isNull(v) {
				continue
			}
			if err := check(v); err != nil {
				return nil, invalid(op, "field %s: %v", name, err)
			}
		}
		if err := checkSeen(op, b); err != nil {
			return nil, err
		}
		return b, nil
	case OpAdd:
		var b addBody
		if err := decMode.Unmarshal(op.Body, &b); err != nil {
			return nil, invalid(op, "body: %v", err)
		}
		if !slices.Contains(kind.sets, b.Set) {
			return nil, invalid(op, "unknown set %q", b.Set)
		}
		if len(b.Elems) == 0 || len(b.Elems) > MaxElems {
			return nil, invalid(op, "%d elements", len(b.Elems))
		}
		for _, e := range b.Elems {
			if err := checkElem(e); err != nil {
				return nil, invalid(op, "%v", err)
			}
		}
		return b, nil
	case OpRemove:
		var b removeBody
		if err := decMode.Unmarshal(op.Body, &b); err != nil {
			return nil, invalid(op, "body: %v", err)
		}
		if !slices.Contains(kind.sets, b.Set) {
			return nil, invalid(op, "unknown set %q", b.Set)
		}
		if len(b.Elems) == 0 || len(b.Elems) > MaxElems {
			return nil, invalid(op, "%d elements", len(b.Elems))
		}
		for e, tags := range b.Elems {
			if err := checkElem(e); err != nil {
				return nil, invalid(op, "%v", err)
			}
			if len(tags) == 0 {
				return nil, invalid(op, "element %q: no observed tags", e)
			}
			for _, t := range tags {
				if t.Index < 0 {
					return nil, invalid(op, "negative tag index")
				}
			}
		}
		return b, nil
	case OpTransition:
		if kind.rules == nil {
			return nil, invalid(op, "kind has no lifecycle")
		}
		var b transitionBody
		if err := decMode.Unmarshal(op.Body, &b); err != nil {
			return nil, invalid(op, "body: %v", err)
		}
		if _, ok := ruleFor(kind.rules, b.Action); !ok {
			return nil, invalid(op, "unknown action %q", b.Action)
		}
		if err := checkArgs(b.Action, b.Args); err != nil {
			return nil, invalid(op, "%v", err)
		}
		return b, nil
	case OpGenesis, OpEndorse, OpPromote, OpRevoke:
		if op.Kind != KindMember {
			return nil, invalid(op, "member op on another kind")
		}
		if _, err := ledger.ParseDeviceID(op.ID); err != nil {
			return nil, invalid(op, "%v", err)
		}
		var b Args
		if err := decMode.Unmarshal(op.Body, &b); err != nil {
			return nil, invalid(op, "body: %v", err)
		}
		if err := checkArgs(Action(op.Type), b); err != nil {
			return nil, invalid(op, "%v", err)
		}
		return b, nil
	case OpPublishKey, OpGrant, OpErase:
		return decodeSealOp(op)
	case OpReportFork:
		return decodeForkOp(op)
	}
	return nil, invalid(op, "unknown op type")
}

func checkElem(e string) error {
	if strings.TrimSpace(e) == "" || len(e) > MaxElemLen || !utf8.ValidString(e) {
		return fmt.Errorf("bad element %q", e)
	}
	return nil
}

// checkArgs checks the arguments an action needs, and nothing it does not use.
func checkArgs(a Action, x Args) error {
	if TooLong(x.Note, MaxText) || TooLong(x.Name, MaxText) || len(x.DuplicateOf) > MaxIDLen || len(x.Ref) > MaxRefLen || len(x.Seen) > MaxIDLen {
		return errors.New("argument too long")
	}
	if !utf8.ValidString(x.Note) || !utf8.ValidString(x.Name) || !utf8.ValidString(x.DuplicateOf) || !utf8.ValidString(x.Ref) || !utf8.ValidString(string(x.Seen)) {
		return errors.New("argument not UTF-8")
	}
	if len(x.Nonce) > MaxNonceLen || len(x.Nonce) > 0 && a != OpGenesis {
		return errors.New("a nonce belongs to a genesis only, and has at most 32 bytes")
	}
	if len(x.Key) > 0 {
		return errors.New("a key belongs to a publish_key only")
	}
	switch a {
	case ActionHandover:
		if x.To.IsZero() {
			return errors.New("handover needs the new owner")
		}
	case ActionMarkDuplicate:
		if x.DuplicateOf == "" {
			return errors.New("mark_duplicate needs duplicate_of")
		}
	case ActionReopen:
		if strings.TrimSpace(x.Note) == "" {
			return errors.New("reopen needs a reason (note)")
		}
	case ActionProgress:
		if len(x.Received) == 0 {
			return errors.New("progress needs received quantities")
		}
		for _, r := range x.Received {
			if r.Item == "" || TooLong(r.Item, MaxItemText) || !validQty(r.Qty) { // the name of an item (MaxItemText: as a peer checks items)
				return fmt.Errorf("bad receipt %q %v", r.Item, r.Qty)
			}
		}
	case ActionDeliver, ActionAdjust:
		if err := checkDelivery(a, x); err != nil {
			return err
		}
	case ActionAcceptDelivery, ActionDeclineDelivery, ActionAckConflict:
		if x.Ref == "" {
			return fmt.Errorf("%s needs ref", a)
		}
	case OpEndorse, OpPromote:
		if !x.Role.Valid() {
			return fmt.Errorf("bad role %q", x.Role)
		}
	case OpRevoke:
	}
	if err := checkCovenantArgs(a, x); err != nil {
		return err
	}
	if err := checkTrainingArgs(a, x); err != nil {
		return err
	}
	return checkOwnershipArgs(a, x)
}

func validQty(q float64) bool { return q >= 0 && !math.IsInf(q, 0) && !math.IsNaN(q) }

// encodeValue encodes one field value; time.Time becomes Unix milliseconds and nil
// becomes null (clear the field).
func encodeValue(v any) (cbor.RawMessage, error) {
	switch x := v.(type) {
	case nil:
		return cbor.RawMessage{0xf6}, nil
	case time.Time:
		if x.IsZero() {
			return cbor.RawMessage{0xf6}, nil
		}
		v = x.UnixMilli()
	case *time.Time:
		if x == nil || x.IsZero() {
			return cbor.RawMessage{0xf6}, nil
		}
		v = x.UnixMilli()
	}
	return encMode.Marshal(v)
}

func makeOp(kind, id, typ string, body any) (ledger.Op, error) {
	b, err := encMode.Marshal(body)
	if err != nil {
		return ledger.Op{}, fmt.Errorf("encode %s op: %w", typ, err)
	}
	op := ledger.Op{Kind: kind, ID: id, Type: typ, Body: b}
	if err := ValidateOp(op); err != nil {
		return ledger.Op{}, err
	}
	return op, nil
}

// SetFields returns a "set" op writing fields of entity kind/id. A nil value (or a
// zero time.Time) clears the field; time.Time values are stored as Unix
// milliseconds. Field names and value types are those of the kind's schema (see
// the Field* constants), e.g. FieldTitle → string, FieldItems → []Item.
func SetFields(kind, id string, fields map[string]any) (ledger.Op, error) {
	b := setBody{Fields: make(map[string]cbor.RawMessage, len(fields))}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		v, err := encodeValue(fields[name])
		if err != nil {
			return ledger.Op{}, fmt.Errorf("set %s/%s field %s: %w", kind, id, name, err)
		}
		b.Fields[name] = v
	}
	return makeOp(kind, id, OpSet, b)
}

// Add returns an "add" op adding elems to the observed-remove set named set.
func Add(kind, id, set string, elems ...string) (ledger.Op, error) {
	return makeOp(kind, id, OpAdd, addBody{Set: set, Elems: elems})
}

// Remove returns a "remove" op removing elems from the set named set of rec, as
// rec currently holds it: it removes the additions rec has observed, so additions
// made concurrently elsewhere survive. Elements not present in rec are skipped; it
// is an error if none is present.
func Remove(rec *Record, set string, elems ...string) (ledger.Op, error) {
	b := removeBody{Set: set, Elems: make(map[string][]Tag)}
	for _, e := range elems {
		if tags := rec.Sets[set].Observed(e); len(tags) > 0 {
			b.Elems[e] = tags
		}
	}
	if len(b.Elems) == 0 {
		return ledger.Op{}, fmt.Errorf("remove from %s/%s %s: %w: none of %q present", rec.Kind, rec.ID, set, ErrInvalidOp, elems)
	}
	return makeOp(rec.Kind, rec.ID, OpRemove, b)
}

// Transition returns a "transition" op: action on the demand or task kind/id, with
// its arguments (handover needs args.To, mark_duplicate args.DuplicateOf,
// progress args.Received, reopen a non-blank args.Note, the reason; a Note is
// always allowed).
func Transition(kind, id string, action Action, args Args) (ledger.Op, error) {
	return makeOp(kind, id, OpTransition, transitionBody{Action: action, Args: args})
}

// Genesis returns the network's genesis op: self becomes its first coordinator.
// It only takes effect as the first op (index 0) of seq 1 of self's own feed.
// It carries no nonce, so its network's id is NetworkID(self, nil); Found
// makes a genesis with a nonce (what CreateNetwork uses).
func Genesis(self ledger.DeviceID, name string) (ledger.Op, error) {
	return makeOp(KindMember, self.String(), OpGenesis, Args{Name: name, Role: RoleCoordinator})
}

// Endorse returns an op by which the author vouches for key as a new member with
// role and name. See CanEndorse for who may endorse whom.
func Endorse(key ledger.DeviceID, role Role, name string) (ledger.Op, error) {
	return makeOp(KindMember, key.String(), OpEndorse, Args{Role: role, Name: name})
}

// Promote returns an op giving member key a new role (a promotion or a demotion).
// Only coordinators may promote.
func Promote(key ledger.DeviceID, role Role) (ledger.Op, error) {
	return makeOp(KindMember, key.String(), OpPromote, Args{Role: role})
}

// Revoke returns an op cutting member key's feed after seq afterSeq: its changes up
// to afterSeq stand, later ones are rejected. Only coordinators may revoke.
func Revoke(key ledger.DeviceID, afterSeq uint64, note string) (ledger.Op, error) {
	return makeOp(KindMember, key.String(), OpRevoke, Args{AfterSeq: afterSeq, Note: note})
}
