package relief

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/fxamacker/cbor/v2"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// Record is the materialised, mergeable state of one entity. The store persists it
// (EncodeRecord) and derives views from it (FoldDemand and friends). A zero Record
// is empty and takes its Kind and ID from the first operation applied to it.
//
// Every part merges by a rule that is commutative, associative and idempotent:
// Fields are last-writer-wins registers, Sets are observed-remove sets, Transitions
// is a set of steps kept sorted by Meta.Compare, First and Last are the minimum and
// maximum Meta of the operations applied.
type Record struct {
	Kind        string           `cbor:"1,keyasint"`
	ID          string           `cbor:"2,keyasint"`
	Fields      map[string]Field `cbor:"3,keyasint,omitempty"`
	Sets        map[string]ORSet `cbor:"4,keyasint,omitempty"`
	Transitions []Step           `cbor:"5,keyasint,omitempty"`
	First       *Meta            `cbor:"6,keyasint,omitempty"` // earliest operation: created at/by
	Last        *Meta            `cbor:"7,keyasint,omitempty"` // latest operation: updated at
	// Grants are the wraps of the content keys of the record's sealed
	// values (see OpGrant), sorted, one per wrap; they merge by union.
	Grants []Grant `cbor:"28,keyasint,omitempty"`
	// Erased is the latest erasure this record was purged by (Purge: the
	// latest erase op whose author was a coordinator at its position, as
	// this peer's roster judged it); nil if none. Records written before
	// erasures were judged hold their latest erase here, judged again by
	// the fold as a candidate.
	Erased *Erasure `cbor:"29,keyasint,omitempty"`
	// Erasures are every erase op applied to the record (OpErase), sorted
	// by Meta, one per op; they merge by union. Which one counts is the
	// fold's judgement (ErasureAllowed), not ApplyOp's.
	Erasures []Erasure `cbor:"44,keyasint,omitempty"`
}

// Field is a last-writer-wins register. The write with the greatest Meta (see
// Meta.Compare) wins. A Value of CBOR null (0xf6) means the field was cleared; it
// still wins over older writes (a tombstone).
//
// Prev (see Field.Prev) keeps the writes the winner superseded, sorted by Meta,
// because the winner's author may turn out not to have been allowed to write it
// (see FieldRules): the fold then falls back to the latest allowed write.
// Together the winner and Prev hold every write of the field applied, so merging
// stays commutative, associative and idempotent. See the package documentation,
// "Authority", for what is kept and why.
//
// Seen (see Field.Seen) holds, for the writes (winner or superseded) whose op
// said so, what their authors had seen of the field (SetFieldsSeen), sorted by
// Meta: what tells concurrent edits apart (concurrent.go). It merges by union.
//
// Layout: Prev and Seen are rare (a field written once has neither), so they
// sit behind one pointer, nil when both are empty. That keeps a Field at 128
// bytes, the most Go's map stores in place: a record's Fields map then holds
// its fields in its own groups instead of one allocation per field. A Field
// is a value: SetPrev and SetSeen never change what another copy holds. Its
// CBOR form is unchanged (keys 1, 2, 24 and 40; MarshalCBOR, UnmarshalCBOR).
type Field struct {
	Value cbor.RawMessage
	Meta  Meta
	more  *fieldMore // nil when Prev and Seen are both empty
}

// fieldMore is the rare part of a Field: its superseded writes and sights.
type fieldMore struct {
	prev []Write
	seen []Sight
}

// fieldWire is a Field's CBOR form, as it was a plain struct before Prev and
// Seen moved behind a pointer; the keys are the stored ones.
type fieldWire struct {
	Value cbor.RawMessage `cbor:"1,keyasint"`
	Meta  Meta            `cbor:"2,keyasint"`
	Prev  []Write         `cbor:"24,keyasint,omitempty"`
	Seen  []Sight         `cbor:"40,keyasint,omitempty"`
	// Ref is the stored form's reference (EncodeRecordStored): fieldRefFirst
	// or fieldRefLast in place of Meta, 0 (absent) when Meta is written.
	// Canonical encodings (EncodeRecord, MarshalCBOR) never write it.
	Ref uint64 `cbor:"550,keyasint,omitempty"`
}

// refPending marks, in a Field just decoded from a stored form, a Meta still
// to be taken from the record's First or Last: Index math.MinInt+ref, the
// rest zero. No operation has a negative position, so no written Meta is
// one; DecodeRecord replaces it before the record is returned.
func refPending(ref uint64) Meta { return Meta{Index: math.MinInt + int(ref)} }

// Prev returns the writes the winner superseded, sorted by Meta; nil when
// none. The slice is f's own: do not change it in place (SetPrev a new one).
func (f Field) Prev() []Write {
	if f.more == nil {
		return nil
	}
	return f.more.prev
}

// Seen returns the sights of f's writes, sorted by Meta; nil when none. The
// slice is f's own: do not change it in place (SetSeen a new one).
func (f Field) Seen() []Sight {
	if f.more == nil {
		return nil
	}
	return f.more.seen
}

// SetPrev sets the superseded writes (sorted by Meta, free of duplicates) of
// this copy of f only; an empty prev removes them.
func (f *Field) SetPrev(prev []Write) { f.setMore(prev, f.Seen()) }

// SetSeen sets the sights (sorted by Meta, one per Meta) of this copy of f
// only; an empty seen removes them.
func (f *Field) SetSeen(seen []Sight) { f.setMore(f.Prev(), seen) }

func (f *Field) setMore(prev []Write, seen []Sight) {
	if len(prev) == 0 && len(seen) == 0 {
		f.more = nil
		return
	}
	if len(prev) == 0 {
		prev = nil
	}
	if len(seen) == 0 {
		seen = nil
	}
	f.more = &fieldMore{prev: prev, seen: seen} // a new one: other copies keep theirs
}

// MarshalCBOR encodes f as the map {1: Value, 2: Meta, 24: Prev, 40: Seen}
// (Prev and Seen left out when empty), canonically.
func (f Field) MarshalCBOR() ([]byte, error) {
	return encMode.Marshal(fieldWire{Value: f.Value, Meta: f.Meta, Prev: f.Prev(), Seen: f.Seen()})
}

// UnmarshalCBOR decodes the form MarshalCBOR writes, with the strict options
// of DecodeRecord (unknown and duplicate keys refused).
func (f *Field) UnmarshalCBOR(b []byte) error {
	var w fieldWire
	if err := decMode.Unmarshal(b, &w); err != nil {
		return err
	}
	if w.Ref != 0 {
		if w.Ref != fieldRefFirst && w.Ref != fieldRefLast {
			return fmt.Errorf("field's meta reference %d is neither 1 (first) nor 2 (last)", w.Ref)
		}
		if w.Meta != (Meta{}) {
			return errors.New("field has both a meta (key 2) and a meta reference (key 550)")
		}
		w.Meta = refPending(w.Ref)
	}
	*f = Field{Value: w.Value, Meta: w.Meta}
	f.setMore(w.Prev, w.Seen)
	return nil
}

// Write is one superseded write of a field: the value and the operation that
// wrote it.
type Write struct {
	_     struct{} `cbor:",toarray"`
	Value cbor.RawMessage
	Meta  Meta
}

// insertWrite adds w to the sorted, duplicate-free list dst.
func insertWrite(dst []Write, w Write) []Write {
	i, found := slices.BinarySearchFunc(dst, w.Meta, func(e Write, m Meta) int { return e.Meta.Compare(m) })
	if found {
		return dst
	}
	return slices.Insert(dst, i, w)
}

// writes returns every write of f, oldest first.
func (f Field) writes() []Write {
	return append(slices.Clip(f.Prev()), Write{Value: f.Value, Meta: f.Meta})
}

// Tag identifies one addition to an observed-remove set: the change id and the
// index of the add operation in it.
type Tag struct {
	_      struct{} `cbor:",toarray"`
	Change ledger.Hash
	Index  int
}

func (t Tag) compare(o Tag) int {
	if c := bytes.Compare(t.Change[:], o.Change[:]); c != 0 {
		return c
	}
	return cmp.Compare(t.Index, o.Index)
}

// ORSet is an observed-remove set of strings. An element is present while at least
// one of its add tags has not been removed; a remove only removes the tags its
// author had observed, so a concurrent add survives it. Tag lists are sorted and
// free of duplicates. Removed tags are kept for ever (no garbage collection yet).
//
// AddBy and RemoveBy say who added and removed what at which position, so that
// a fold can leave out the additions and removals their authors were not
// allowed to make (FieldRules, with the set's name as the field): AddBy lists,
// per element, the Meta of each add (sorted); RemoveBy, per element, each
// remove with the tags it removed (sorted by Meta). Records written before
// they existed lack them: such additions and removals count as allowed.
type ORSet struct {
	Adds     map[string][]Tag     `cbor:"1,keyasint,omitempty"`
	Removes  map[string][]Tag     `cbor:"2,keyasint,omitempty"`
	AddBy    map[string][]Meta    `cbor:"25,keyasint,omitempty"`
	RemoveBy map[string][]Removal `cbor:"26,keyasint,omitempty"`
}

// Removal is one remove of an element from an ORSet: the operation and the add
// tags it removed (sorted).
type Removal struct {
	_    struct{} `cbor:",toarray"`
	Meta Meta
	Tags []Tag
}

// insertMeta adds m to the sorted, duplicate-free list dst.
func insertMeta(dst []Meta, m Meta) []Meta {
	if i, found := slices.BinarySearchFunc(dst, m, Meta.Compare); !found {
		dst = slices.Insert(dst, i, m)
	}
	return dst
}

// insertRemoval adds r to the list dst sorted by Meta, once per Meta.
func insertRemoval(dst []Removal, r Removal) []Removal {
	i, found := slices.BinarySearchFunc(dst, r.Meta, func(e Removal, m Meta) int { return e.Meta.Compare(m) })
	if !found {
		dst = slices.Insert(dst, i, r)
	}
	return dst
}

// Elements returns the elements present in s, sorted.
func (s ORSet) Elements() []string {
	var out []string
	for e, adds := range s.Adds {
		if len(live(adds, s.Removes[e])) > 0 {
			out = append(out, e)
		}
	}
	slices.Sort(out)
	return out
}

// Observed returns the live add tags of elem: what a remove of elem must list.
func (s ORSet) Observed(elem string) []Tag { return live(s.Adds[elem], s.Removes[elem]) }

func live(adds, removes []Tag) []Tag {
	var out []Tag
	for _, t := range adds {
		if _, found := slices.BinarySearchFunc(removes, t, Tag.compare); !found {
			out = append(out, t)
		}
	}
	return out
}

// insertTags merges tags into the sorted, duplicate-free list dst.
func insertTags(dst []Tag, tags ...Tag) []Tag {
	for _, t := range tags {
		if i, found := slices.BinarySearchFunc(dst, t, Tag.compare); !found {
			dst = slices.Insert(dst, i, t)
		}
	}
	return dst
}

// Step is one lifecycle operation kept in a record: a demand or task transition, or
// a member operation (Action is then the op type: genesis, endorse, promote,
// revoke). Steps are kept whether or not they apply; folding decides.
type Step struct {
	Meta   Meta   `cbor:"1,keyasint" level:"team"`
	Action Action `cbor:"2,keyasint" level:"public"`
	Args   Args   `cbor:"3,keyasint" level:"public"`
}

// Args are the optional arguments of a transition or member operation.
type Args struct {
	Note        string          `cbor:"1,keyasint,omitempty" level:"restricted"` // review note, reason; restricted
	To          ledger.DeviceID `cbor:"2,keyasint,omitzero" level:"team"`        // handover: the new owner
	DuplicateOf string          `cbor:"3,keyasint,omitempty" level:"public"`     // mark_duplicate: the demand this one duplicates
	Received    []Receipt       `cbor:"4,keyasint,omitempty" level:"public"`     // progress: quantities received so far
	Role        Role            `cbor:"5,keyasint,omitempty" level:"team"`       // endorse, promote: the role given
	Name        string          `cbor:"6,keyasint,omitempty" level:"team"`       // genesis, endorse: the member's name
	AfterSeq    uint64          `cbor:"7,keyasint,omitempty" level:"team"`       // revoke: last seq still accepted
	Nonce       []byte          `cbor:"8,keyasint,omitempty" level:"team"`       // genesis: the founder's random nonce (see NetworkID)
	Ref         string          `cbor:"20,keyasint,omitempty" level:"team"`      // accept_delivery, decline_delivery: the delivery's Ref; ack_conflict: the conflict's Ref
	Until       int64           `cbor:"21,keyasint,omitempty" level:"team"`      // request_transfer: the reply-by, Unix milliseconds
	Outcome     Outcome         `cbor:"22,keyasint,omitempty" level:"team"`      // recheck: the call's outcome
	Seen        Status          `cbor:"23,keyasint,omitempty" level:"team"`      // approve, reject, publish, mark_duplicate: the status its author saw; "" none
	// Evidence (approve): how the demand was verified; nil: none, and then
	// Note must give the reason (see ApproveNeeds).
	Evidence *Evidence `cbor:"36,keyasint,omitempty" level:"team"`
	// Partner (deliver): the partner organisation (a KindPartner record id)
	// that delivered; "" none.
	Partner string `cbor:"37,keyasint,omitempty" level:"team"`
	// Call (check_in, check_out): a coordinator records the volunteer's
	// phone call on their behalf.
	Call bool   `cbor:"38,keyasint,omitempty" level:"team"`
	Key  []byte `cbor:"28,keyasint,omitempty" level:"team"` // publish_key: the member's X25519 public key (32 bytes)
	// Volunteer (complete_course, withdraw_completion): the volunteer
	// record whose completion of the course a trainer records.
	Volunteer string `cbor:"48,keyasint,omitempty" level:"team"`
}

// Receipt is a quantity of one item, by item name. In a progress step (older
// versions) it is the total received so far, and later receipts (in total
// order) replace earlier ones for the same item; in a deliver or adjust step
// it is this delivery's quantity, added to the others (see Delivery).
type Receipt struct {
	Item string  `cbor:"1,keyasint"`
	Qty  float64 `cbor:"2,keyasint"`
}

var (
	encMode cbor.EncMode
	decMode cbor.DecMode
)

func init() {
	var err error
	encMode, err = cbor.CoreDetEncOptions().EncMode()
	if err != nil {
		panic(err)
	}
	decMode, err = cbor.DecOptions{
		DupMapKey:         cbor.DupMapKeyEnforcedAPF,
		IndefLength:       cbor.IndefLengthForbidden,
		MaxNestedLevels:   16,
		MaxArrayElements:  65536,
		MaxMapPairs:       65536,
		ExtraReturnErrors: cbor.ExtraDecErrorUnknownField,
	}.DecMode()
	if err != nil {
		panic(err)
	}
}

// EncodeRecord encodes r in deterministic CBOR (RFC 8949 core deterministic
// encoding): records with the same content encode to the same bytes.
func EncodeRecord(r *Record) ([]byte, error) {
	b, err := encodeRecordWire(r) // encMode.Marshal's bytes, without reflection (record_wire.go)
	if err != nil {
		return nil, fmt.Errorf("encode record %s/%s: %w", r.Kind, r.ID, err)
	}
	return b, nil
}

// EncodeRecordStored encodes r in the form the store keeps: EncodeRecord's
// bytes but for each field whose Meta equals r.First (or r.Last), which
// holds a one-byte reference to it (CBOR key 550) instead of the ≈ 88-byte
// Meta: a new demand's record is ≈ 40 % smaller. It is deterministic (the
// same record, the same bytes) and DecodeRecord reads it. The stored form
// never leaves the store: what is sent or hashed is EncodeRecord's. The error
// is EncodeRecord's (a field value that is not well-formed CBOR).
func EncodeRecordStored(r *Record) ([]byte, error) {
	b, err := encodeRecordStored(r)
	if err != nil {
		return nil, fmt.Errorf("encode record %s/%s: %w", r.Kind, r.ID, err)
	}
	return b, nil
}

// DecodeRecord decodes a record encoded by EncodeRecord or EncodeRecordStored
// (a field's reference to First or Last is resolved; one to a missing First
// or Last is an error). It rejects malformed or
// oversized input, unknown keys and duplicate map keys, and restores the record's
// invariants (sorted, duplicate-free steps and tags) so that a decoded record
// merges like any other.
func DecodeRecord(b []byte) (*Record, error) {
	var r Record
	if err := decMode.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("decode record: %w", err)
	}
	if r.Kind == "" || r.ID == "" {
		return nil, errors.New("decode record: missing kind or id")
	}
	for name, f := range r.Fields {
		if len(f.Value) == 0 {
			return nil, fmt.Errorf("decode record %s/%s: field %q has no value", r.Kind, r.ID, name)
		}
		switch f.Meta {
		case refPending(fieldRefFirst):
			if r.First == nil {
				return nil, fmt.Errorf("decode record %s/%s: field %q refers to the record's first meta, which it lacks", r.Kind, r.ID, name)
			}
			f.Meta = *r.First
			r.Fields[name] = f
		case refPending(fieldRefLast):
			if r.Last == nil {
				return nil, fmt.Errorf("decode record %s/%s: field %q refers to the record's last meta, which it lacks", r.Kind, r.ID, name)
			}
			f.Meta = *r.Last
			r.Fields[name] = f
		}
	}
	slices.SortFunc(r.Transitions, func(a, b Step) int { return a.Meta.Compare(b.Meta) })
	r.Transitions = slices.CompactFunc(r.Transitions, func(a, b Step) bool { return a.Meta.Compare(b.Meta) == 0 })
	for name, f := range r.Fields {
		if len(f.Prev()) == 0 {
			continue
		}
		var prev []Write
		for _, w := range f.Prev() {
			if w.Meta.Compare(f.Meta) < 0 {
				prev = insertWrite(prev, w)
			}
		}
		f.SetPrev(prev)
		r.Fields[name] = f
	}
	for name, f := range r.Fields {
		if len(f.Seen()) == 0 {
			continue
		}
		var seen []Sight
		for _, s := range f.Seen() {
			seen = insertSight(seen, Sight{Meta: s.Meta, Saw: insertTags(nil, s.Saw...)})
		}
		f.SetSeen(seen)
		r.Fields[name] = f
	}
	r.Grants = normGrants(r.Grants)
	r.Erasures = normErasures(r.Erasures)
	for name, s := range r.Sets {
		for e, tags := range s.Adds {
			s.Adds[e] = insertTags(nil, tags...)
		}
		for e, tags := range s.Removes {
			s.Removes[e] = insertTags(nil, tags...)
		}
		for e, ms := range s.AddBy {
			var out []Meta
			for _, m := range ms {
				out = insertMeta(out, m)
			}
			s.AddBy[e] = out
		}
		for e, rs := range s.RemoveBy {
			var out []Removal
			for _, x := range rs {
				out = insertRemoval(out, Removal{Meta: x.Meta, Tags: insertTags(nil, x.Tags...)})
			}
			s.RemoveBy[e] = out
		}
		r.Sets[name] = s
	}
	return &r, nil
}

// StateHash returns a digest of a set of records that does not depend on their
// order: replicas holding the same records have the same hash.
func StateHash(records []*Record) (ledger.Hash, error) {
	sorted := slices.Clone(records)
	slices.SortFunc(sorted, func(a, b *Record) int {
		if c := strings.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	for _, r := range sorted {
		b, err := EncodeRecord(r)
		if err != nil {
			return ledger.Hash{}, err
		}
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(b)))])
		h.Write(b)
	}
	var out ledger.Hash
	h.Sum(out[:0])
	return out, nil
}

// ApplyOp merges one operation, identified by m, into rec. Applying the same set of
// operations in any order, any number of times, yields the same record.
//
// It returns an error, and leaves rec unchanged, when the operation is malformed
// (see ValidateOp) or is for another entity than rec. That verdict depends only on
// op and rec's kind and id, so every peer reaches the same one.
func ApplyOp(rec *Record, m Meta, op ledger.Op) error {
	if rec == nil {
		return errors.New("apply op: nil record")
	}
	body, err := decodeOp(op)
	if err != nil {
		return err
	}
	if rec.Kind == "" && rec.ID == "" {
		rec.Kind, rec.ID = op.Kind, op.ID
	} else if rec.Kind != op.Kind || rec.ID != op.ID {
		return fmt.Errorf("apply %s op for %s/%s to record %s/%s", op.Type, op.Kind, op.ID, rec.Kind, rec.ID)
	}
	switch b := body.(type) {
	case setBody:
		// b's values are its own copies (decodeSetBody copies them out of
		// op.Body, each capped at its end), so the record keeps them as
		// they are.
		if rec.Fields == nil {
			rec.Fields = make(map[string]Field, len(b.Fields))
		}
		for name, v := range b.Fields {
			if rec.erasedBefore(name, m) {
				continue
			}
			cur, ok := rec.Fields[name]
			switch c := m.Compare(cur.Meta); {
			case !ok:
				rec.Fields[name] = Field{Value: v, Meta: m}
			case c > 0: // the new winner; the old one is kept behind it
				prev := insertWrite(slices.Clip(cur.Prev()), Write{Value: cur.Value, Meta: cur.Meta})
				nf := Field{Value: v, Meta: m}
				nf.setMore(prev, cur.Seen())
				rec.Fields[name] = nf
			case c < 0:
				cur.SetPrev(insertWrite(slices.Clip(cur.Prev()), Write{Value: v, Meta: m}))
				rec.Fields[name] = cur
			}
			if saw, said := b.Seen[name]; said {
				f := rec.Fields[name]
				f.SetSeen(insertSight(slices.Clip(f.Seen()), Sight{Meta: m, Saw: insertTags(nil, saw...)}))
				rec.Fields[name] = f
			}
		}
	case addBody:
		s := rec.set(b.Set)
		if s.Adds == nil {
			s.Adds = make(map[string][]Tag)
		}
		if s.AddBy == nil {
			s.AddBy = make(map[string][]Meta)
		}
		for _, e := range b.Elems {
			s.Adds[e] = insertTags(s.Adds[e], m.tag())
			s.AddBy[e] = insertMeta(s.AddBy[e], m)
		}
		rec.Sets[b.Set] = s
	case removeBody:
		s := rec.set(b.Set)
		if s.Removes == nil {
			s.Removes = make(map[string][]Tag)
		}
		if s.RemoveBy == nil {
			s.RemoveBy = make(map[string][]Removal)
		}
		for e, tags := range b.Elems {
			s.Removes[e] = insertTags(s.Removes[e], tags...)
			s.RemoveBy[e] = insertRemoval(s.RemoveBy[e], Removal{Meta: m, Tags: insertTags(nil, tags...)})
		}
		rec.Sets[b.Set] = s
	case transitionBody:
		rec.insertStep(Step{Meta: m, Action: b.Action, Args: b.Args})
	case Args: // member operations
		rec.insertStep(Step{Meta: m, Action: Action(op.Type), Args: b})
	case grantBody:
		rec.applyGrant(m, b)
	case eraseBody:
		rec.addErasure(m, b)
	}
	if _, grant := body.(grantBody); grant {
		return nil // key management, not an edit: created and updated stay
	}
	if _, fork := body.(forkBody); fork {
		return nil // evidence the store keeps (fork.go), not an edit of the member
	}
	if rec.First == nil || m.Compare(*rec.First) < 0 {
		first := m
		rec.First = &first
	}
	if rec.Last == nil || m.Compare(*rec.Last) > 0 {
		last := m
		rec.Last = &last
	}
	return nil
}

func (r *Record) set(name string) ORSet {
	if r.Sets == nil {
		r.Sets = make(map[string]ORSet)
	}
	return r.Sets[name]
}

// insertStep adds s in total order; a step already present (same Meta, hence the
// same change and index) is not added twice.
func (r *Record) insertStep(s Step) {
	i, found := slices.BinarySearchFunc(r.Transitions, s.Meta, func(e Step, m Meta) int { return e.Meta.Compare(m) })
	if !found {
		r.Transitions = slices.Insert(r.Transitions, i, s)
	}
}

// Elements returns the elements present in the record's set name, sorted.
func (r *Record) Elements(name string) []string { return r.Sets[name].Elements() }

// Value decodes the current value of field name into dst. It reports false when
// the field was never set, was cleared, or does not decode into dst.
func (r *Record) Value(name string, dst any) bool {
	f, ok := r.Fields[name]
	if !ok || isNull(f.Value) {
		return false
	}
	if valueWire(f.Value, dst) { // text, the most common value, without reflection (ops_wire.go)
		return true
	}
	return decMode.Unmarshal(f.Value, dst) == nil
}

// valueOf is r.Value(name, dst) for a dst its caller keeps on its stack:
// dst does not escape, so that a fold's view (FoldDemandAllowed's Demand,
// 648 bytes) is not moved to the heap for being decoded into. What
// reflection decodes (the values valueWire does not read) goes into a copy of
// *dst made on the heap then, which is copied back whether it decoded or
// not: dst ends as Value leaves it.
func valueOf[T any](r *Record, name string, dst *T) bool {
	f, ok := r.Fields[name]
	if !ok || isNull(f.Value) {
		return false
	}
	if valueWire(f.Value, dst) {
		return true
	}
	v := new(T)
	*v = *dst
	err := decMode.Unmarshal(f.Value, v)
	*dst = *v
	return err == nil
}

func isNull(b []byte) bool { return len(b) == 1 && (b[0] == 0xf6 || b[0] == 0xf7) }
