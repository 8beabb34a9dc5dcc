package relief

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/fxamacker/cbor/v2"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/seal"
)

// Operation types of sealed restricted values (see package seal).
const (
	// OpPublishKey publishes a member's X25519 public key (Args.Key), the
	// recipient of the content keys of sealed values. It is a member op on
	// the member's own record and counts only when signed by the member's
	// own device (see EncryptionKey).
	OpPublishKey = "publish_key"
	// OpGrant wraps the content key of a record's sealed values to members:
	// body grantBody. Grants are idempotent: the same wrap applied twice is
	// kept once.
	OpGrant = "grant"
	// OpErase erases a record's personal data (its sealable fields, sealed
	// or plain, and the wraps of their keys) written before it, on every
	// peer that applies it, when its author was a coordinator at its
	// position (judged by the fold and by Purge, never by ApplyOp; a
	// refused erase is a conflict with Action erase); body Args{Note: the
	// reason, required}. The signed changes stay verifiable; the erasure is
	// recorded (Erasure).
	OpErase = "erase"
)

// SealedReason is the English explanation of a restricted value this
// device cannot open (zh-CN: 已加密：仅审核员、协调员和认领人可见).
const SealedReason = "sealed: for reviewers, coordinators and the owner"

// Sealable lists, per kind, the restricted fields that the desk writes
// sealed (SealSet; a demand's review notes too, since the importer's
// duplicate note names the phone numbers two demands share): their values travel and rest as seal envelopes in the
// field SealedField(name), the plain field cleared.
//
// Exact positions (FieldPosition) are sealed too: every member places a
// sealed point at its public approximation (the centre of the division its
// district names, derived on every peer from District and Place), and a
// device that opens it keeps the opened point in memory (the store's
// OpenedPositions), so that the map costs no X25519 exchange per draw.
// Position is last in each list, so that the order of the fields sealed
// before it is unchanged.
var Sealable = map[string][]string{
	KindDemand: {FieldContacts, FieldReviewNotes, FieldPosition},
	// a volunteer's contacts, personal notes, emergency contacts and exact
	// position; the volunteer (their key) is cleared too, see Cleared
	KindVolunteer: {FieldContacts, FieldNotes, FieldEmergencyContacts, FieldPosition},
	// an offer's contacts (its notes are team level)
	KindOffer: {FieldContacts},
}

// sealedPrefix starts the name of the field that holds a sealed value.
const sealedPrefix = "sealed_"

// SealedField returns the name of the field that holds field's sealed value:
// "sealed_contacts" for "contacts".
func SealedField(field string) string { return sealedPrefix + field }

// MaxWraps is the most wraps one grant op carries.
const MaxWraps = 1024

func init() {
	for kind, names := range Sealable {
		for _, f := range names {
			kinds[kind].fields[SealedField(f)] = sealedValue
		}
	}
}

// sealedValue checks a sealed field's value: a CBOR byte string holding a
// seal envelope (its shape only: only a cleared device can open it).
func sealedValue(b []byte) error {
	var env []byte
	if err := decMode.Unmarshal(b, &env); err != nil {
		return fmt.Errorf("sealed value: %v", err)
	}
	_, err := seal.DecodeEnvelope(env)
	return err
}

// Wrap is a content key wrapped to one member (seal.Wrap).
type Wrap struct {
	To      ledger.DeviceID `cbor:"1,keyasint"`
	Wrapped []byte          `cbor:"2,keyasint"`
}

// grantBody is the body of a grant op: one content key wrapped to members.
type grantBody struct {
	Key   seal.KeyID `cbor:"1,keyasint"`
	Wraps []Wrap     `cbor:"2,keyasint"`
}

// Grant is one wrap of a content key kept in a record (Record.Grants): the
// key's id, the member it is wrapped to, the wrapped key, and the latest
// operation that granted exactly this wrap.
type Grant struct {
	Key     seal.KeyID      `cbor:"1,keyasint"`
	To      ledger.DeviceID `cbor:"2,keyasint"`
	Wrapped []byte          `cbor:"3,keyasint"`
	Meta    Meta            `cbor:"4,keyasint"`
}

func (g Grant) compare(o Grant) int {
	if c := bytes.Compare(g.Key[:], o.Key[:]); c != 0 {
		return c
	}
	if c := g.To.Compare(o.To); c != 0 {
		return c
	}
	return bytes.Compare(g.Wrapped, o.Wrapped)
}

// insertGrant merges g into the sorted list gs: a wrap already there keeps
// the greater Meta, so the result does not depend on the order of arrival.
func insertGrant(gs []Grant, g Grant) []Grant {
	i, found := slices.BinarySearchFunc(gs, g, Grant.compare)
	if found {
		if g.Meta.Compare(gs[i].Meta) > 0 {
			gs[i].Meta = g.Meta
		}
		return gs
	}
	return slices.Insert(gs, i, g)
}

// normGrants restores the invariant of Record.Grants (sorted, one entry per
// wrap) of a decoded record.
func normGrants(gs []Grant) []Grant {
	var out []Grant
	for _, g := range gs {
		out = insertGrant(out, g)
	}
	return out
}

// decodeSealOp decodes the body of a publish_key or grant op.
func decodeSealOp(op ledger.Op) (any, error) {
	switch op.Type {
	case OpPublishKey:
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
		if _, err := seal.ParsePublicKey(b.Key); err != nil {
			return nil, invalid(op, "%v", err)
		}
		if !reflectZeroExceptKey(b) {
			return nil, invalid(op, "publish_key carries the key only")
		}
		return b, nil
	case OpErase:
		if _, ok := Sealable[op.Kind]; !ok {
			return nil, invalid(op, "kind has no personal data to erase")
		}
		var b Args
		if err := decMode.Unmarshal(op.Body, &b); err != nil {
			return nil, invalid(op, "body: %v", err)
		}
		note := b.Note
		b.Note = ""
		if strings.TrimSpace(note) == "" || TooLong(note, MaxText) || !utf8.ValidString(note) || !reflectZeroExceptKey(b) || b.Key != nil {
			return nil, invalid(op, "erase needs a reason (note), and nothing else")
		}
		return eraseBody{Note: note}, nil
	case OpGrant:
		if _, ok := Sealable[op.Kind]; !ok {
			return nil, invalid(op, "kind has no sealed values")
		}
		var b grantBody
		if err := decMode.Unmarshal(op.Body, &b); err != nil {
			return nil, invalid(op, "body: %v", err)
		}
		if b.Key.IsZero() || len(b.Wraps) == 0 || len(b.Wraps) > MaxWraps {
			return nil, invalid(op, "grant of key %x with %d wraps", b.Key[:4], len(b.Wraps))
		}
		for _, w := range b.Wraps {
			if w.To.IsZero() {
				return nil, invalid(op, "wrap to nobody")
			}
			if _, err := seal.DecodeWrapped(w.Wrapped); err != nil {
				return nil, invalid(op, "wrap to %s: %v", w.To.Short(), err)
			}
		}
		return b, nil
	}
	return nil, invalid(op, "unknown op type")
}

func reflectZeroExceptKey(a Args) bool {
	a.Key = nil
	return a.Note == "" && a.To.IsZero() && a.DuplicateOf == "" && a.Received == nil && a.Role == "" &&
		a.Name == "" && a.AfterSeq == 0 && a.Nonce == nil && a.Ref == "" && a.Until == 0 && a.Outcome == "" && a.Seen == ""
}

// eraseBody is the decoded body of an erase op.
type eraseBody struct{ Note string }

// Erasure records the latest erase op of a record (Record.Erased): who, when
// (its Meta) and why.
type Erasure struct {
	Meta Meta   `cbor:"1,keyasint"`
	Note string `cbor:"2,keyasint"`
}

// erasable reports whether field name of a kind is personal data an erase
// drops: a sealable field, or the field holding its sealed value.
func erasable(kind, name string) bool {
	if kind == KindDemand && name == FieldSourceFields {
		// an imported row's other cells may hold the person's data in plain
		// text (a contact cell the importer of session 9 and before kept
		// there): an erasure drops them; EraseDemand writes back, after
		// the erase op, the cells that name no contact
		return true
	}
	for _, f := range Sealable[kind] {
		if name == f || name == SealedField(f) {
			return true
		}
	}
	return false
}

// ActionErase is the Action of a conflict reporting an erase op that did
// not count: its author was not a coordinator at its position (Reason role),
// or not a member (not_member, revoked).
const ActionErase Action = "erase"

// addErasure merges the erase op m into r.Erasures (sorted by Meta, one per
// op). Nothing is erased here: which erasure counts depends on its author's
// role at its position, which the roster knows and ApplyOp does not (see
// judgeErasures, Purge).
func (r *Record) addErasure(m Meta, b eraseBody) {
	i, found := slices.BinarySearchFunc(r.Erasures, m, func(e Erasure, m Meta) int { return e.Meta.Compare(m) })
	if !found {
		r.Erasures = slices.Insert(r.Erasures, i, Erasure{Meta: m, Note: b.Note})
	}
}

// normErasures returns es sorted by Meta, one per op.
func normErasures(es []Erasure) []Erasure {
	slices.SortFunc(es, func(a, b Erasure) int { return a.Meta.Compare(b.Meta) })
	return slices.CompactFunc(es, func(a, b Erasure) bool { return a.Meta.Compare(b.Meta) == 0 })
}

// judgeErasures returns the latest erase op of rec whose author was an
// unrevoked coordinator at its position (Roster.RoleAt; nil if none), and
// the others that were not allowed, as conflicts (Action erase) in total
// order. The erase ops are rec.Erasures, and rec.Erased when a record
// written before erasures were judged holds it alone.
func judgeErasures(rec *Record, roster *Roster) (*Erasure, []Conflict) {
	cands := rec.Erasures
	if rec.Erased != nil {
		if _, found := slices.BinarySearchFunc(cands, rec.Erased.Meta, func(e Erasure, m Meta) int { return e.Meta.Compare(m) }); !found {
			cands = normErasures(append(slices.Clone(cands), *rec.Erased))
		}
	}
	var allowed *Erasure
	var refused []Conflict
	for i := range cands {
		e := &cands[i]
		reason := Reason("")
		author, err := roster.RoleAt(e.Meta.Device, e.Meta)
		switch {
		case err != nil && author.Revoked:
			reason = ReasonRevoked
		case err != nil:
			reason = ReasonNotMember
		case author.Role != RoleCoordinator:
			reason = ReasonRole
		}
		if reason != "" {
			refused = append(refused, conflictAt(e.Meta, ActionErase, reason))
			continue
		}
		allowed = e // cands are in total order: the last allowed is the latest
	}
	return allowed, refused
}

// Purge destroys, in rec itself, the personal data its latest allowed
// erasure erases (judgeErasures with roster): the erasable fields (sealed
// or plain) written before it, with their superseded writes, and the wraps
// of keys granted before it; rec.Erased becomes that erasure. It reports
// whether rec changed. The store calls it on every record with erase ops a
// run touches, so that the keys of erased values leave the disk; the fold
// does not depend on it (it hides the same values by itself), so peers
// that purged and peers that have not yet show the same demand. What a
// purge destroyed does not come back: were an erase found refused later (a
// demotion of its author, ordered before it, arriving after it), the values
// stay gone on the peers that had purged.
func Purge(rec *Record, roster *Roster) bool {
	if len(rec.Erasures) == 0 && rec.Erased == nil {
		return false
	}
	e, _ := judgeErasures(rec, roster)
	if e == nil {
		return false
	}
	changed := false
	if rec.Erased == nil || e.Meta.Compare(rec.Erased.Meta) > 0 {
		rec.Erased = &Erasure{Meta: e.Meta, Note: e.Note}
		changed = true
	}
	at := rec.Erased.Meta
	for name, f := range rec.Fields {
		if !erasable(rec.Kind, name) {
			continue
		}
		if f.Meta.Compare(at) < 0 {
			delete(rec.Fields, name)
			changed = true
			continue
		}
		if n := len(f.Prev()); n > 0 {
			prev := slices.DeleteFunc(slices.Clone(f.Prev()), func(w Write) bool { return w.Meta.Compare(at) < 0 })
			if len(prev) != n {
				f.SetPrev(prev)
				rec.Fields[name] = f
				changed = true
			}
		}
		if n := len(f.Seen()); n > 0 { // and what their authors had seen
			seen := slices.DeleteFunc(slices.Clone(f.Seen()), func(s Sight) bool { return s.Meta.Compare(at) < 0 })
			if len(seen) != n {
				f.SetSeen(seen)
				rec.Fields[name] = f
				changed = true
			}
		}
	}
	if n := len(rec.Grants); n > 0 {
		rec.Grants = slices.DeleteFunc(rec.Grants, func(g Grant) bool { return g.Meta.Compare(at) < 0 })
		changed = changed || len(rec.Grants) != n
	}
	return changed
}

// withoutErased returns eff (the allowed writes of rec) as the fold must see
// it once rec's erase ops are judged: without the erasable fields written
// before the latest allowed erasure, nor the wraps granted before it; the
// view of that erasure (nil if none); and the refused erase ops as
// conflicts. eff itself is not changed: a copy is returned when something
// is dropped.
func withoutErased(rec, eff *Record, roster *Roster) (*Record, *ErasedView, []Conflict) {
	if len(rec.Erasures) == 0 && rec.Erased == nil {
		return eff, nil, nil
	}
	e, refused := judgeErasures(rec, roster)
	if e == nil {
		return eff, nil, refused
	}
	view := &ErasedView{At: e.Meta.Stamp, By: e.Meta.Device, Reason: e.Note}
	at := e.Meta
	out := *eff
	out.Fields = make(map[string]Field, len(eff.Fields))
	for name, f := range eff.Fields {
		if erasable(eff.Kind, name) && f.Meta.Compare(at) < 0 {
			continue
		}
		if erasable(eff.Kind, name) && sawBefore(rec.Fields[name], f.Meta, at) {
			// written after the erasure in total order, but by someone who
			// had not seen it (they saw a value it erased): erased too, and
			// told, so that the person's data does not come back unnoticed
			c := conflictAt(f.Meta, ActionEdit, ReasonErased)
			c.Field = name
			refused = append(refused, c)
			continue
		}
		out.Fields[name] = f
	}
	out.Grants = slices.DeleteFunc(slices.Clone(eff.Grants), func(g Grant) bool { return g.Meta.Compare(at) < 0 })
	return &out, view, refused
}

// ReasonErased: an edit of personal data made without seeing an erasure of
// it (its author had seen a value the erasure erased): erased too.
const ReasonErased Reason = "erased"

// sawBefore reports whether the write of f at m had seen (its Sight) a write
// of f ordered before at: it was made without seeing an erasure at at.
// A write without a Sight is taken as made after it (older versions, the
// importer).
func sawBefore(f Field, m, at Meta) bool {
	k, found := slices.BinarySearchFunc(f.Seen(), m, func(e Sight, m Meta) int { return e.Meta.Compare(m) })
	if !found {
		return false
	}
	metas := map[Tag]Meta{f.Meta.tag(): f.Meta}
	for _, w := range f.Prev() {
		metas[w.Meta.tag()] = w.Meta
	}
	for _, t := range f.Seen()[k].Saw {
		sm, ok := metas[t]
		if !ok || sm.Compare(at) < 0 {
			return true // a write before the erasure (or purged with it)
		}
	}
	return false
}

// erasedBefore reports whether a write of field name at m is erased: rec
// was purged (Purge) by an erasure after it.
func (r *Record) erasedBefore(name string, m Meta) bool {
	return r.Erased != nil && m.Compare(r.Erased.Meta) < 0 && erasable(r.Kind, name)
}

// Erase returns an erase op of record kind/id (a demand: its contacts,
// review notes, exact position and source fields) with the reason note.
func Erase(kind, id, note string) (ledger.Op, error) {
	return makeOp(kind, id, OpErase, Args{Note: note})
}

// ErasureOf returns the erasure rec was purged by (Purge), if any: when, by
// whom, why. What a demand's view shows is its fold's judgement
// (Demand.Erased), which does not wait for a purge.
func ErasureOf(rec *Record) (ErasedView, bool) {
	if rec == nil || rec.Erased == nil {
		return ErasedView{}, false
	}
	return ErasedView{At: rec.Erased.Meta.Stamp, By: rec.Erased.Meta.Device, Reason: rec.Erased.Note}, true
}

// ErasedView is an erasure as a view shows it.
type ErasedView struct {
	At     ledger.Stamp    `json:"at" level:"team"`
	By     ledger.DeviceID `json:"by" level:"team"`
	Reason string          `json:"reason" level:"team"`
}

// applyGrant merges a grant op into rec; wraps granted before the erasure
// rec was purged by are not kept.
func (r *Record) applyGrant(m Meta, b grantBody) {
	if r.Erased != nil && m.Compare(r.Erased.Meta) < 0 {
		return
	}
	for _, w := range b.Wraps {
		r.Grants = insertGrant(r.Grants, Grant{Key: b.Key, To: w.To, Wrapped: slices.Clone(w.Wrapped), Meta: m})
	}
}

// PublishKey returns the op by which member self publishes its X25519 public
// key. It counts only in a change signed by self's own device.
func PublishKey(self ledger.DeviceID, key seal.PublicKey) (ledger.Op, error) {
	return makeOp(KindMember, self.String(), OpPublishKey, Args{Key: key[:]})
}

// EncryptionKey returns the X25519 key a member record publishes: that of
// its latest publish_key step (total order) signed by the member's own
// device. Steps by any other device are ignored.
func EncryptionKey(rec *Record) (seal.PublicKey, bool) {
	if rec == nil || rec.Kind != KindMember {
		return seal.PublicKey{}, false
	}
	self, err := ledger.ParseDeviceID(rec.ID)
	if err != nil {
		return seal.PublicKey{}, false
	}
	for i := len(rec.Transitions) - 1; i >= 0; i-- {
		s := rec.Transitions[i]
		if s.Action != OpPublishKey || s.Meta.Device != self {
			continue
		}
		if k, err := seal.ParsePublicKey(s.Args.Key); err == nil {
			return k, true
		}
	}
	return seal.PublicKey{}, false
}

// EncryptionKeys returns the published key of every member record among
// records that has one (see EncryptionKey).
func EncryptionKeys(records []*Record) map[ledger.DeviceID]seal.PublicKey {
	out := make(map[ledger.DeviceID]seal.PublicKey)
	for _, rec := range records {
		if k, ok := EncryptionKey(rec); ok {
			id, _ := ledger.ParseDeviceID(rec.ID)
			out[id] = k
		}
	}
	return out
}

// Cleared returns the members cleared to read a record's restricted values
// now, among members (a roster's Members): the unrevoked coordinators and
// reviewers, and owners (a demand's owner, a volunteer's own key) that are
// unrevoked members, sorted.
func Cleared(members []Member, owners ...ledger.DeviceID) []ledger.DeviceID {
	var out []ledger.DeviceID
	for _, m := range members {
		if m.Revoked || !m.Role.Valid() {
			continue
		}
		if m.Role == RoleCoordinator || m.Role == RoleReviewer || slices.Contains(owners, m.Key) {
			out = append(out, m.Key)
		}
	}
	slices.SortFunc(out, ledger.DeviceID.Compare)
	return out
}

// SealSet rewrites a set op so that the values of its sealable fields
// (Sealable) are sealed under key: each value goes, as a seal envelope bound
// to the record and the field, into SealedField(name), and the plain field
// is cleared; a cleared field clears its sealed field too. It reports
// whether it sealed anything; an op of another type or kind, or without
// sealable fields, comes back as it was. Randomness (nonces) comes from
// rand. The desk seals each field group under its own key (SealSetGroups).
func SealSet(op ledger.Op, key seal.Key, rand io.Reader) (ledger.Op, bool, error) {
	out, groups, err := SealSetGroups(op, func(string) (seal.Key, error) { return key, nil }, rand)
	return out, len(groups) > 0, err
}

// Seal groups: the sealable fields of a kind whose values share a content
// key when one change writes them (SealGroup), so that a key is wrapped only
// to the members cleared to read every field it seals.
const (
	// SealGroupRestricted holds every sealable field not named otherwise.
	SealGroupRestricted = "restricted"
	// SealGroupEmergency holds a volunteer's emergency contacts, which the
	// owner of a demand the volunteer is out for may read (and not the
	// volunteer's own contacts or notes).
	SealGroupEmergency = "emergency"
)

// SealGroup returns the seal group of sealable field of kind (see
// SealGroupRestricted): a volunteer's emergency contacts are apart.
func SealGroup(kind, field string) string {
	if kind == KindVolunteer && field == FieldEmergencyContacts {
		return SealGroupEmergency
	}
	return SealGroupRestricted
}

// SealSetGroups is SealSet with one content key per seal group (SealGroup):
// keyFor returns the key of a group, and is called once per sealed value
// (it must return the same key for a group within one op). It returns the
// groups it sealed a value of, in Sealable order, each once; nil if the op
// comes back as it was. Errors: the body does not decode; keyFor's; an
// envelope that cannot be made.
func SealSetGroups(op ledger.Op, keyFor func(group string) (seal.Key, error), rand io.Reader) (ledger.Op, []string, error) {
	names := Sealable[op.Kind]
	if op.Type != OpSet || len(names) == 0 {
		return op, nil, nil
	}
	var b setBody
	if err := decMode.Unmarshal(op.Body, &b); err != nil {
		return op, nil, invalid(op, "body: %v", err)
	}
	var groups []string
	for _, f := range names {
		v, ok := b.Fields[f]
		if !ok {
			continue
		}
		if isNull(v) {
			b.Fields[SealedField(f)] = cbor.RawMessage{0xf6}
			continue
		}
		g := SealGroup(op.Kind, f)
		key, err := keyFor(g)
		if err != nil {
			return op, nil, fmt.Errorf("seal %s/%s %s: %w", op.Kind, op.ID, f, err)
		}
		env, err := seal.Seal(key, rand, seal.AAD(op.Kind, op.ID, f), v)
		if err != nil {
			return op, nil, fmt.Errorf("seal %s/%s %s: %w", op.Kind, op.ID, f, err)
		}
		raw, err := encMode.Marshal(env)
		if err != nil {
			return op, nil, fmt.Errorf("seal %s/%s %s: %w", op.Kind, op.ID, f, err)
		}
		b.Fields[SealedField(f)] = raw
		b.Fields[f] = cbor.RawMessage{0xf6}
		if !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	if len(groups) == 0 {
		return op, nil, nil
	}
	out, err := makeOp(op.Kind, op.ID, OpSet, b)
	if err != nil {
		return op, nil, err
	}
	return out, groups, nil
}

// GroupFields returns the sealable fields of kind in seal group g
// (SealGroup), in Sealable order.
func GroupFields(kind, g string) []string {
	var out []string
	for _, f := range Sealable[kind] {
		if SealGroup(kind, f) == g {
			out = append(out, f)
		}
	}
	return out
}

// KeyFields returns the fields of rec whose current sealed value
// (SealedValues) is sealed under key id, in Sealable order: what a wrap of
// that key lets its holder read.
func KeyFields(rec *Record, id seal.KeyID) []string {
	var out []string
	for _, sv := range SealedValues(rec) {
		if sv.Envelope.KeyID == id {
			out = append(out, sv.Field)
		}
	}
	return out
}

// GrantKey returns a grant op wrapping key, of record kind/id, to each of
// to (member → published key), in member order. Errors: to is empty; a
// key that cannot be wrapped to (seal.Wrap).
func GrantKey(kind, id string, key seal.Key, to map[ledger.DeviceID]seal.PublicKey, rand io.Reader) (ledger.Op, error) {
	if len(to) == 0 {
		return ledger.Op{}, fmt.Errorf("grant %s/%s: nobody to grant to", kind, id)
	}
	b := grantBody{Key: key.ID()}
	for _, m := range slices.SortedFunc(maps.Keys(to), ledger.DeviceID.Compare) {
		w, err := seal.Wrap(key, to[m], rand)
		if err != nil {
			return ledger.Op{}, fmt.Errorf("grant %s/%s to %s: %w", kind, id, m.Short(), err)
		}
		b.Wraps = append(b.Wraps, Wrap{To: m, Wrapped: w})
	}
	return makeOp(kind, id, OpGrant, b)
}

// SealedValue is the current sealed value of one restricted field of a
// record: the field's name, the envelope and its key's id.
type SealedValue struct {
	Field    string
	Envelope seal.Envelope
}

// SealedValues returns the restricted fields of rec whose current value is
// sealed: a sealed field written at least as late as its plain field, and
// not cleared. Envelopes that do not decode are skipped (ValidateOp lets
// none in).
func SealedValues(rec *Record) []SealedValue {
	var out []SealedValue
	for _, f := range Sealable[rec.Kind] {
		sf, ok := rec.Fields[SealedField(f)]
		if !ok || isNull(sf.Value) {
			continue
		}
		if pf, ok := rec.Fields[f]; ok && pf.Meta.Compare(sf.Meta) > 0 {
			continue // a plain write after the sealed one (an older version's)
		}
		var raw []byte
		if decMode.Unmarshal(sf.Value, &raw) != nil {
			continue
		}
		env, err := seal.DecodeEnvelope(raw)
		if err != nil {
			continue
		}
		out = append(out, SealedValue{Field: f, Envelope: env})
	}
	return out
}

// Opener opens the sealed values wrapped to one device: Self's member key
// and its X25519 identity; Keys, when set, keeps the content keys it
// unwrapped, so that opening a record again costs no X25519 exchange.
type Opener struct {
	Self ledger.DeviceID
	ID   seal.Identity
	Keys KeyCache
}

// KeyCache keeps content keys a device unwrapped, by key id (a key id names
// one key: seal.Key.ID). Implementations bound their size and must be safe
// for concurrent use (the store folds on every core).
type KeyCache interface {
	// Get returns the key of id, if kept.
	Get(id seal.KeyID) (seal.Key, bool)
	// Add keeps k as the key of id.
	Add(id seal.KeyID, k seal.Key)
}

// ErrNoGrant says that a sealed value's key is wrapped to others, not to
// this device.
var ErrNoGrant = errors.New("the key is not wrapped to this device")

// Key returns the content key id of rec, unwrapped from a grant to o.Self.
// Errors: ErrNoGrant; seal.ErrOpen or seal.ErrMalformed when no grant to
// o.Self opens (a grant made for an older key of this device, or altered).
func (o Opener) Key(rec *Record, id seal.KeyID) (seal.Key, error) {
	if o.Keys != nil {
		if k, ok := o.Keys.Get(id); ok && o.granted(rec, id) {
			return k, nil
		}
	}
	k, err := o.unwrap(rec, id)
	if err == nil && o.Keys != nil {
		o.Keys.Add(id, k)
	}
	return k, err
}

// granted reports whether rec holds a wrap of key id to o.Self: a key kept
// in the cache opens only the records that still grant it to this device
// (an erasure drops the wraps it erased).
func (o Opener) granted(rec *Record, id seal.KeyID) bool {
	_, found := slices.BinarySearchFunc(rec.Grants, Grant{Key: id, To: o.Self}, func(g, t Grant) int {
		if c := bytes.Compare(g.Key[:], t.Key[:]); c != 0 {
			return c
		}
		return g.To.Compare(t.To)
	})
	return found
}

// unwrap is Key without the cache.
func (o Opener) unwrap(rec *Record, id seal.KeyID) (seal.Key, error) {
	i, _ := slices.BinarySearchFunc(rec.Grants, Grant{Key: id, To: o.Self}, func(g, t Grant) int {
		if c := bytes.Compare(g.Key[:], t.Key[:]); c != 0 {
			return c
		}
		return g.To.Compare(t.To)
	})
	err := ErrNoGrant
	for ; i < len(rec.Grants) && rec.Grants[i].Key == id && rec.Grants[i].To == o.Self; i++ {
		k, e := o.ID.Unwrap(rec.Grants[i].Wrapped, id)
		if e == nil {
			return k, nil
		}
		err = e
	}
	return seal.Key{}, fmt.Errorf("key %x of %s/%s: %w", id[:4], rec.Kind, rec.ID, err)
}

// Open opens the current sealed values of rec (SealedValues) that o can
// open, and returns their plaintext (the field's CBOR value) by field name,
// and the names of the fields it cannot open, in Sealable order.
func (o Opener) Open(rec *Record) (opened map[string]cbor.RawMessage, closed []string) {
	keys := make(map[seal.KeyID]seal.Key)
	for _, sv := range SealedValues(rec) {
		k, ok := keys[sv.Envelope.KeyID]
		if !ok {
			var err error
			if k, err = o.Key(rec, sv.Envelope.KeyID); err != nil {
				closed = append(closed, sv.Field)
				continue
			}
			keys[sv.Envelope.KeyID] = k
		}
		p, err := sv.Envelope.Open(k, seal.AAD(rec.Kind, rec.ID, sv.Field))
		if err != nil {
			closed = append(closed, sv.Field)
			continue
		}
		if opened == nil {
			opened = make(map[string]cbor.RawMessage)
		}
		opened[sv.Field] = p
	}
	return opened, closed
}

// OpenDemand fills d, folded from rec, with the sealed values o can open
// (contacts, review notes, exact position) and lists in d.Sealed
// those it cannot.
func (o Opener) OpenDemand(rec *Record, d *Demand) {
	opened, closed := o.Open(rec)
	if v, ok := opened[FieldContacts]; ok {
		var cs []Contact
		if decMode.Unmarshal(v, &cs) == nil {
			d.Contacts = cs
		}
	}
	if v, ok := opened[FieldReviewNotes]; ok {
		var n string
		if decMode.Unmarshal(v, &n) == nil {
			d.ReviewNotes = n
		}
	}
	if v, ok := opened[FieldPosition]; ok {
		var p Position
		if decMode.Unmarshal(v, &p) == nil {
			d.Position = &p
		}
	}
	d.Sealed = closed
}

// OpenVolunteer fills v, folded from rec (the allowed writes:
// FoldVolunteerAllowed), with the sealed values o can open (contacts,
// notes, emergency contacts, exact position) and lists in v.Sealed those it cannot, by
// the view's JSON names (contacts, notes, emergency).
func (o Opener) OpenVolunteer(rec *Record, v *Volunteer) {
	opened, closed := o.Open(rec)
	openInto(opened, FieldContacts, &v.Contacts)
	openInto(opened, FieldNotes, &v.Notes)
	openInto(opened, FieldEmergencyContacts, &v.Emergency)
	openInto(opened, FieldPosition, &v.Position)
	for i, f := range closed {
		if f == FieldEmergencyContacts {
			closed[i] = "emergency" // the view's name (Volunteer.Emergency), which Hidden uses
		}
	}
	v.Sealed = closed
}

// OpenOffer fills of, folded from rec (the allowed writes:
// FoldOfferAllowed), with the sealed contacts o can open and lists in
// of.Sealed those it cannot.
func (o Opener) OpenOffer(rec *Record, of *Offer) {
	opened, closed := o.Open(rec)
	openInto(opened, FieldContacts, &of.Contacts)
	of.Sealed = closed
}

// openInto decodes the opened value of field, if any, into dst (left as it
// is when the value does not decode).
func openInto[T any](opened map[string]cbor.RawMessage, field string, dst *T) {
	v, ok := opened[field]
	if !ok {
		return
	}
	var x T
	if decMode.Unmarshal(v, &x) == nil {
		*dst = x
	}
}

// OpenRecord returns rec as this device reads it: a copy in which each
// sealed value o opens is back in its plain field, with the sealed write's
// Meta (so a reader comparing writes, like the importer telling its own
// writes from the app's edits, sees the write that sealed it), and the
// sealed fields removed. rec itself is not changed; a record without sealed
// values comes back as it is.
func (o Opener) OpenRecord(rec *Record) *Record {
	opened, _ := o.Open(rec)
	if len(opened) == 0 {
		return rec
	}
	c := *rec
	c.Fields = maps.Clone(rec.Fields)
	for f, v := range opened {
		c.Fields[f] = Field{Value: v, Meta: rec.Fields[SealedField(f)].Meta}
		delete(c.Fields, SealedField(f))
	}
	return &c
}

// SealedHidden returns what Project lists for the fields of sealed that
// this device could not open: level restricted, Sealed set, SealedReason.
func SealedHidden(sealed []string) []Hidden {
	out := make([]Hidden, 0, len(sealed))
	for _, f := range sealed {
		out = append(out, Hidden{Field: f, Level: LevelRestricted, Reason: SealedReason, Sealed: true})
	}
	return out
}

// MissingGrants returns, for each content key of rec's current sealed
// values, the members of cleared that have a published key (keys) but no
// wrap of it: whom a device that can open the key should grant it to.
func MissingGrants(rec *Record, cleared []ledger.DeviceID, keys map[ledger.DeviceID]seal.PublicKey) map[seal.KeyID][]ledger.DeviceID {
	return MissingGrantsFor(rec, func([]string) []ledger.DeviceID { return cleared }, keys)
}

// MissingGrantsFor is MissingGrants with the members cleared for each key
// given by clearedFor, called with the fields the key seals (KeyFields):
// a key that seals fields of two groups (written before each group had its
// own key) must be cleared for both.
func MissingGrantsFor(rec *Record, clearedFor func(fields []string) []ledger.DeviceID, keys map[ledger.DeviceID]seal.PublicKey) map[seal.KeyID][]ledger.DeviceID {
	out := make(map[seal.KeyID][]ledger.DeviceID)
	for _, sv := range SealedValues(rec) {
		id := sv.Envelope.KeyID
		if _, done := out[id]; done {
			continue
		}
		var missing []ledger.DeviceID
		for _, m := range clearedFor(KeyFields(rec, id)) {
			if _, ok := keys[m]; !ok {
				continue
			}
			if !slices.ContainsFunc(rec.Grants, func(g Grant) bool { return g.Key == id && g.To == m }) {
				missing = append(missing, m)
			}
		}
		out[id] = missing
	}
	maps.DeleteFunc(out, func(_ seal.KeyID, v []ledger.DeviceID) bool { return len(v) == 0 })
	return out
}

// SealedPosition reports whether the current value of rec's exact position
// (FieldPosition) is sealed: a sealed write, not cleared, at least as late
// as the plain one (as SealedValues decides, without decoding the
// envelope). Every peer answers alike: it reads the writes, not the keys.
func SealedPosition(rec *Record) bool {
	sf, ok := rec.Fields[SealedField(FieldPosition)]
	if !ok || isNull(sf.Value) {
		return false
	}
	pf, ok := rec.Fields[FieldPosition]
	return !ok || pf.Meta.Compare(sf.Meta) <= 0
}

// OpenPosition returns rec's exact position as o opens it: the plain one
// when it is not sealed (ok true), the opened one when o holds its key,
// else ok false (sealed, this device cannot open it, or there is none).
// rec is the record of the allowed writes (FoldDemandAllowed,
// FoldVolunteerAllowed), as for Open.
func (o Opener) OpenPosition(rec *Record) (p Position, ok bool) {
	if !SealedPosition(rec) {
		return p, rec.Value(FieldPosition, &p)
	}
	var raw []byte
	if decMode.Unmarshal(rec.Fields[SealedField(FieldPosition)].Value, &raw) != nil {
		return Position{}, false
	}
	env, err := seal.DecodeEnvelope(raw)
	if err != nil {
		return Position{}, false
	}
	k, err := o.Key(rec, env.KeyID)
	if err != nil {
		return Position{}, false
	}
	v, err := env.Open(k, seal.AAD(rec.Kind, rec.ID, FieldPosition))
	if err != nil || decMode.Unmarshal(v, &p) != nil {
		return Position{}, false
	}
	return p, true
}
