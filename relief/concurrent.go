package relief

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// Concurrent edits of one field.
//
// A field is a last-writer-wins register, so two laptops editing the same
// field offline converge on one value, the later in total order. That is
// kept (every peer shows the same value), but the other value must not be
// lost silently: each write says what its author had seen of the field (the
// writes that were its current values then, Sight), and two writes of which
// neither had seen the other are concurrent. The fold reports each
// concurrent value that lost as a conflict (Action edit, Reason
// ReasonConcurrent), for its author, the winner's author and the
// coordinators, until someone picks a value — a new write that has seen
// both, which leaves one current write — or acknowledges it.

// ReasonConcurrent: an edit of a field made at the same time as another
// edit of it on another device (neither had seen the other); the other one
// stands (last writer wins) until someone picks.
const ReasonConcurrent Reason = "concurrent"

// MaxSeen is the most writes a set op may say it had seen of one field.
const MaxSeen = 16

// Sight is what the author of one field write had seen of the field when
// writing it: the writes that were then the field's current values (one, or
// several in conflict; none for a first write), by Tag, sorted. A write
// without a Sight (older versions, the importer) counts as having seen every
// write before it in total order, so it never makes a conflict.
type Sight struct {
	_    struct{} `cbor:",toarray"`
	Meta Meta     // the write
	Saw  []Tag    // the writes its author had seen as current
}

// insertSight adds s to the list dst sorted by Meta, once per Meta.
func insertSight(dst []Sight, s Sight) []Sight {
	i, found := slices.BinarySearchFunc(dst, s.Meta, func(e Sight, m Meta) int { return e.Meta.Compare(m) })
	if found {
		return dst
	}
	return slices.Insert(dst, i, s)
}

// SetFieldsSeen is SetFields, also saying, per field name, which writes of
// it its author had seen as current (Heads of the record as the author's
// device held it): what tells a concurrent edit from a later one. A name of
// seen that fields does not write is an error, and so is a list of more
// than MaxSeen writes. A sealable field's seen may name its sealed field
// too (SealedField), which SealSet writes.
func SetFieldsSeen(kind, id string, fields map[string]any, seen map[string][]Tag) (ledger.Op, error) {
	op, err := SetFields(kind, id, fields)
	if err != nil || len(seen) == 0 {
		return op, err
	}
	var b setBody
	if err := decMode.Unmarshal(op.Body, &b); err != nil {
		return ledger.Op{}, fmt.Errorf("set %s/%s: %w", kind, id, err)
	}
	b.Seen = make(map[string][]Tag, len(seen))
	for name, tags := range seen {
		if _, ok := fields[strings.TrimPrefix(name, sealedPrefix)]; !ok {
			return ledger.Op{}, fmt.Errorf("set %s/%s: seen names field %s, which it does not write", kind, id, name)
		}
		if len(tags) > MaxSeen {
			return ledger.Op{}, fmt.Errorf("set %s/%s: seen lists %d writes of %s (at most %d)", kind, id, len(tags), name, MaxSeen)
		}
		b.Seen[name] = insertTags([]Tag{}, tags...)
	}
	return makeOp(kind, id, OpSet, b)
}

// writes reports whether the set op body b writes field name, or, for a
// sealed field's name, the plain field SealSet seals into it (the desk says
// what it had seen of both before sealing).
func writes(b setBody, name string) bool {
	if _, ok := b.Fields[name]; ok {
		return true
	}
	plain, sealed := strings.CutPrefix(name, sealedPrefix)
	_, ok := b.Fields[plain]
	return sealed && ok
}

// checkSeen checks the Seen part of a set op's body b.
func checkSeen(op ledger.Op, b setBody) error {
	for name, tags := range b.Seen {
		if !writes(b, name) {
			return invalid(op, "seen names field %q, which it does not write", name)
		}
		if len(tags) > MaxSeen {
			return invalid(op, "seen lists %d writes of %s (at most %d)", len(tags), name, MaxSeen)
		}
		for _, t := range tags {
			if t.Index < 0 {
				return invalid(op, "seen: bad index %d", t.Index)
			}
		}
	}
	return nil
}

// Heads returns the writes of field name of rec that no other write of it
// has seen (see Sight), by Tag, sorted: what a device editing the field now
// says it had seen (SetFieldsSeen). Every write counts, allowed or not. An
// empty, non-nil list when the field was never written.
func Heads(rec *Record, name string) []Tag {
	f, ok := rec.Fields[name]
	if !ok {
		return []Tag{}
	}
	ws := f.writes()
	out := []Tag{}
	for _, i := range heads(ws, f.Seen(), func(int) bool { return true }) {
		out = insertTags(out, ws[i].Meta.tag())
	}
	return out
}

// heads returns the indexes in ws (a field's writes, oldest first) of the
// writes that count and that no counting write has seen, directly or
// through other writes (counting or not), in the order of ws. A write
// without a sight has seen every write before it.
func heads(ws []Write, sights []Sight, counts func(i int) bool) []int {
	n := len(ws)
	byTag := make(map[Tag]int, n)
	for i, w := range ws {
		byTag[w.Meta.tag()] = i
	}
	// parents[i]: the writes i saw directly; nil with legacy[i]: all before it.
	parents := make([][]int, n)
	legacy := make([]bool, n)
	for i, w := range ws {
		k, found := slices.BinarySearchFunc(sights, w.Meta, func(e Sight, m Meta) int { return e.Meta.Compare(m) })
		if !found {
			legacy[i] = true
			continue
		}
		for _, t := range sights[k].Saw {
			if j, ok := byTag[t]; ok && j != i {
				parents[i] = append(parents[i], j)
			}
		}
	}
	// seen[i][j]: write i has seen write j. A fixed point, since a sight
	// may (with a bad clock) name a write later in total order.
	seen := make([][]bool, n)
	for i := range seen {
		seen[i] = make([]bool, n)
		if legacy[i] {
			for j := 0; j < i; j++ {
				seen[i][j] = true
			}
		}
		for _, j := range parents[i] {
			seen[i][j] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for i := range n {
			for j := range n {
				if !seen[i][j] {
					continue
				}
				for k := range n {
					if seen[j][k] && !seen[i][k] && k != i {
						seen[i][k], changed = true, true
					}
				}
			}
		}
	}
	var out []int
	for j := range n {
		if !counts(j) {
			continue
		}
		superseded := false
		for i := range n {
			if i != j && counts(i) && seen[i][j] {
				superseded = true
				break
			}
		}
		if !superseded {
			out = append(out, j)
		}
	}
	return out
}

// createdBy reports whether some write of field name of rec that allowed
// accepts could be the record's creation: a write without a sight (a
// creation, or an older version's edit), or one whose author had seen only
// writes rec holds. An edit that saw writes rec lacks (its creation, cut by
// a revocation or not arrived yet) creates nothing.
func createdBy(rec *Record, name string, allowed func(Write) bool) bool {
	f, ok := rec.Fields[name]
	if !ok {
		return false
	}
	if len(f.Seen()) == 0 { // no write said what it had seen: any allowed write created it
		if allowed(Write{Value: f.Value, Meta: f.Meta}) {
			return true
		}
		return slices.ContainsFunc(f.Prev(), allowed)
	}
	ws := f.writes()
	held := make(map[Tag]bool, len(ws))
	for _, w := range ws {
		held[w.Meta.tag()] = true
	}
	for _, w := range ws {
		if !allowed(w) {
			continue
		}
		k, found := slices.BinarySearchFunc(f.Seen(), w.Meta, func(e Sight, m Meta) int { return e.Meta.Compare(m) })
		if !found || !slices.ContainsFunc(f.Seen()[k].Saw, func(t Tag) bool { return !held[t] }) {
			return true
		}
	}
	return false
}

// concurrentEdits returns the conflicts of rec's concurrent field writes,
// among the writes allowed says count: for each field whose current writes
// (heads) are several with different values, one conflict per head other
// than the latest in total order (which stands), won by it. Fields whose
// writes carry no sight are skipped at once.
func concurrentEdits(rec *Record, allowed func(name string, w Write) bool) []Conflict {
	if !hasSightsAndPrev(rec) {
		return nil // nothing to compare: skip sorting the field names
	}
	var out []Conflict
	for _, name := range slices.Sorted(maps.Keys(rec.Fields)) {
		f := rec.Fields[name]
		if len(f.Seen()) == 0 || len(f.Prev()) == 0 {
			continue
		}
		ws := f.writes()
		hs := heads(ws, f.Seen(), func(i int) bool { return allowed(name, ws[i]) })
		if len(hs) < 2 {
			continue
		}
		win := ws[hs[len(hs)-1]]
		for _, i := range hs[:len(hs)-1] {
			if bytes.Equal(ws[i].Value, win.Value) {
				continue // the same value: nothing to pick
			}
			c := conflictAt(ws[i].Meta, ActionEdit, ReasonConcurrent)
			c.Field = name
			c.Winner, c.WinnerAt, c.WinnerAction = win.Meta.Device, win.Meta.Stamp, ActionEdit
			out = append(out, c)
		}
	}
	return out
}

// hasSightsAndPrev reports whether a field of rec has both sights and
// earlier writes: the only fields concurrentEdits looks at.
func hasSightsAndPrev(rec *Record) bool {
	for _, f := range rec.Fields {
		if len(f.Seen()) > 0 && len(f.Prev()) > 0 {
			return true
		}
	}
	return false
}

// ConcurrentValues returns, for a conflict c of ReasonConcurrent on a record
// rec, the write that lost and the write that stands (its Winner's), as rec
// holds them; ok false when rec holds either no longer.
func ConcurrentValues(rec *Record, c Conflict) (lost, stands Write, ok bool) {
	f, has := rec.Fields[c.Field]
	if !has || c.Reason != ReasonConcurrent {
		return Write{}, Write{}, false
	}
	var foundLost, foundStands bool
	for _, w := range f.writes() {
		switch {
		case w.Meta.Change == c.Change && w.Meta.Index == c.Index:
			lost, foundLost = w, true
		case w.Meta.Device == c.Winner && w.Meta.Stamp == c.WinnerAt:
			stands, foundStands = w, true
		}
	}
	return lost, stands, foundLost && foundStands
}
