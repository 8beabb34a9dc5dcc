package relief

import (
	"encoding/binary"
	"math"
	"unicode/utf8"

	"github.com/fxamacker/cbor/v2"
)

// This file decodes the body of a "set" op and checks text values by hand,
// without reflection: every new or edited record passes here, and
// fxamacker/cbor's reflection was a large share of ingest's CPU. Like
// ledger's change decoder it is a fast path only: it decodes the shapes
// SetFields writes (a map of 1 or 2 pairs with the keys 1 and 40 in that
// order, text keys, values without tags or indefinite lengths), and for
// anything else it says so and the reflection decoder decides, with its
// errors. On what it accepts it gives what decMode.Unmarshal gives
// (TestSetBodyWireMatchesReflection, TestTextWireMatchesReflection over
// random bodies and altered bytes; FuzzSetBodyWire; FuzzOpBody's corpus).

// wireMaxDepth is the deepest nesting the fast path follows inside a value;
// deeper values go to reflection, which applies MaxNestedLevels (16).
const wireMaxDepth = 10

// fieldNames interns the field names of the schema, so that decoding a
// body does not allocate its keys. Read-only after init.
var fieldNames = func() map[string]string {
	m := map[string]string{}
	for _, k := range kinds {
		for name := range k.fields {
			m[name] = name
		}
	}
	return m
}()

// wireHead reads the head at b[off]: major type (0–7), argument, offset
// past the head; ok false for indefinite lengths, reserved values, and
// heads cut short.
func wireHead(b []byte, off int) (major byte, arg uint64, next int, ok bool) {
	if off >= len(b) {
		return 0, 0, 0, false
	}
	major, ai := b[off]>>5, b[off]&0x1f
	off++
	switch {
	case ai < 24:
		return major, uint64(ai), off, true
	case ai <= 27:
		size := 1 << (ai - 24)
		if len(b)-off < size {
			return 0, 0, 0, false
		}
		switch size {
		case 1:
			arg = uint64(b[off])
		case 2:
			arg = uint64(binary.BigEndian.Uint16(b[off:]))
		case 4:
			arg = uint64(binary.BigEndian.Uint32(b[off:]))
		default:
			arg = binary.BigEndian.Uint64(b[off:])
		}
		if major == 7 && ai == 24 && arg < 32 {
			return 0, 0, 0, false // not well-formed: a simple value in two bytes
		}
		return major, arg, off + size, true
	}
	return 0, 0, 0, false
}

// wireString reads a definite byte (major 2) or text (major 3) string at
// b[off] and returns its payload (aliasing b) and the offset past it; text
// must be valid UTF-8.
func wireString(b []byte, off int, major byte) (s []byte, next int, ok bool) {
	m, n, off, ok := wireHead(b, off)
	if !ok || m != major || n > uint64(len(b)-off) {
		return nil, 0, false
	}
	s = b[off : off+int(n)]
	if major == 3 && !utf8.Valid(s) {
		return nil, 0, false
	}
	return s, off + int(n), true
}

// wireSkip returns the offset past the data item at b[off], or ok false
// unless the item is well-formed with definite lengths, no tags, valid
// UTF-8 text, counts within the decoder's limits and nesting within
// depth ≤ wireMaxDepth: items every decoder of relief accepts as a
// cbor.RawMessage.
func wireSkip(b []byte, off, depth int) (int, bool) {
	need := uint64(1)
	for need > 0 {
		major, arg, next, ok := wireHead(b, off)
		if !ok {
			return 0, false
		}
		off = next
		need--
		switch major {
		case 2, 3:
			if arg > uint64(len(b)-off) {
				return 0, false
			}
			if major == 3 && !utf8.Valid(b[off:off+int(arg)]) {
				return 0, false
			}
			off += int(arg)
		case 4, 5:
			if depth++; depth > wireMaxDepth || arg > 65536 || arg > uint64(len(b)-off) {
				return 0, false
			}
			if major == 5 {
				arg *= 2
			}
			need += arg
		case 6:
			return 0, false
		}
	}
	// depth counted every array and map, not only the enclosing ones: a
	// bound on the nesting, stricter than needed.
	return off, true
}

// decodeSetBody decodes a set op's body into out as decMode.Unmarshal does
// (same result, same errors).
func decodeSetBody(b []byte, out *setBody) error {
	if setBodyWire(b, out) {
		return nil
	}
	*out = setBody{}
	return decMode.Unmarshal(b, out)
}

// setBodyWire decodes b into out on the fast path; false: b is not of the
// shapes it decodes (out is then in no particular state).
func setBodyWire(b []byte, out *setBody) bool {
	if len(b) < 2 || (b[0] != 0xa1 && b[0] != 0xa2) || b[1] != 0x01 {
		return false
	}
	major, n, off, ok := wireHead(b, 2)
	if !ok || major != 5 || n > uint64(len(b)-off)/2 {
		return false
	}
	own := make([]byte, len(b)) // the values' bytes, copied once
	copy(own, b)
	fields := make(map[string]cbor.RawMessage, n)
	for range n {
		k, next, ok := wireString(b, off, 3)
		if !ok {
			return false
		}
		end, ok := wireSkip(b, next, 2)
		if !ok {
			return false
		}
		name, known := fieldNames[string(k)]
		if !known {
			name = string(k)
		}
		if _, dup := fields[name]; dup {
			return false
		}
		fields[name] = own[next:end:end]
		off = end
	}
	out.Fields, out.Seen = fields, nil
	if b[0] == 0xa2 {
		if len(b)-off < 2 || b[off] != 0x18 || b[off+1] != 40 {
			return false
		}
		if off, ok = seenWire(b, off+2, out); !ok {
			return false
		}
	}
	return off == len(b)
}

// seenWire decodes the Seen map of a set body at b[off] into out.Seen.
func seenWire(b []byte, off int, out *setBody) (int, bool) {
	major, n, off, ok := wireHead(b, off)
	if !ok || major != 5 || n > uint64(len(b)-off)/2 {
		return 0, false
	}
	seen := make(map[string][]Tag, n)
	for range n {
		k, next, ok := wireString(b, off, 3)
		if !ok {
			return 0, false
		}
		name, known := fieldNames[string(k)]
		if !known {
			name = string(k)
		}
		if _, dup := seen[name]; dup {
			return 0, false
		}
		major, m, next, ok := wireHead(b, next)
		if !ok || major != 4 || m > uint64(len(b)-next)/36 { // a tag takes at least 36 bytes
			return 0, false
		}
		tags := make([]Tag, m)
		for i := range tags {
			if next >= len(b) || b[next] != 0x82 {
				return 0, false
			}
			h, after, ok := wireString(b, next+1, 2)
			if !ok || len(h) != len(tags[i].Change) {
				return 0, false
			}
			copy(tags[i].Change[:], h)
			major, x, after, ok := wireHead(b, after)
			if !ok || x > math.MaxInt64 {
				return 0, false
			}
			switch major {
			case 0:
				tags[i].Index = int(x)
			case 1:
				tags[i].Index = -1 - int(x)
			default:
				return 0, false
			}
			next = after
		}
		seen[name] = tags
		off = next
	}
	out.Seen = seen
	return off, true
}

// wireText returns the payload of b when b is exactly one definite text
// string of valid UTF-8 (what decMode.Unmarshal into a string accepts
// without error); ok false otherwise.
func wireText(b []byte) (s []byte, ok bool) {
	s, next, ok := wireString(b, 0, 3)
	if !ok || next != len(b) {
		return nil, false
	}
	return s, true
}

// valueWire decodes b into dst as decMode.Unmarshal does, without
// reflection, when dst is a *string or an *Urgency and b a text string of
// valid UTF-8, or dst a nil *[]Item or *[]Contact and b a list of the
// shape SetFields writes; false: it did not, and reflection must (dst is
// unchanged).
func valueWire(b []byte, dst any) bool {
	switch p := dst.(type) {
	case *string:
		if s, ok := wireText(b); ok {
			*p = string(s)
			return true
		}
	case *Urgency:
		if s, ok := wireText(b); ok {
			*p = urgencyOf(s)
			return true
		}
	case *[]Item:
		if *p == nil {
			if v, ok := itemsWire(b); ok {
				*p = v
				return true
			}
		}
	case *[]Contact:
		if *p == nil {
			if v, ok := contactsWire(b); ok {
				*p = v
				return true
			}
		}
	}
	return false
}

// urgencyOf returns s as an Urgency: one of the constants when it spells
// one (no copy: every demand has one of them), a copy otherwise.
func urgencyOf(s []byte) Urgency {
	for _, u := range [...]Urgency{UrgencyHigh, UrgencyNormal, UrgencyCritical, UrgencyLow} {
		if string(s) == string(u) {
			return u
		}
	}
	return Urgency(s)
}

// wireStructs reads b, an array of maps whose keys are the unsigned
// integers 1…maxKey, each at most once, into n structs: alloc(n) is called
// with the array's length, then field(i, key, off) for each pair, which
// decodes the value at b[off] and returns the offset past it. ok false:
// b is of another shape, or a field refused its value.
func wireStructs(b []byte, maxKey uint64, alloc func(n int), field func(i int, key uint64, off int) (int, bool)) bool {
	major, n, off, ok := wireHead(b, 0)
	if !ok || major != 4 || n > uint64(len(b)-off) {
		return false
	}
	alloc(int(n))
	for i := range int(n) {
		major, pairs, next, ok := wireHead(b, off)
		if !ok || major != 5 || pairs > maxKey {
			return false
		}
		off = next
		var seen uint64 // bit k: key k was read
		for range pairs {
			major, key, next, ok := wireHead(b, off)
			if !ok || major != 0 || key < 1 || key > maxKey || seen&(1<<key) != 0 {
				return false
			}
			seen |= 1 << key
			if off, ok = field(i, key, next); !ok {
				return false
			}
		}
	}
	return off == len(b)
}

// wireFloatAt reads a float (half, single or double precision), neither
// NaN nor infinite, at b[off].
func wireFloatAt(b []byte, off int) (float64, int, bool) {
	if off >= len(b) {
		return 0, 0, false
	}
	var f float64
	switch b[off] {
	case 0xf9:
		if len(b)-off < 3 {
			return 0, 0, false
		}
		h := binary.BigEndian.Uint16(b[off+1:])
		if h&0x7c00 == 0x7c00 {
			return 0, 0, false // NaN or infinite
		}
		f = halfToFloat(h)
		off += 3
	case 0xfa:
		if len(b)-off < 5 {
			return 0, 0, false
		}
		f = float64(math.Float32frombits(binary.BigEndian.Uint32(b[off+1:])))
		off += 5
	case 0xfb:
		if len(b)-off < 9 {
			return 0, 0, false
		}
		f = math.Float64frombits(binary.BigEndian.Uint64(b[off+1:]))
		off += 9
	default:
		return 0, 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, 0, false // left to reflection, which keeps NaN payloads
	}
	return f, off, true
}

// halfToFloat converts an IEEE 754 half-precision float, neither NaN nor
// infinite, to a float64 (exactly: every half is a float64).
func halfToFloat(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp, frac := int(h>>10&0x1f), float64(h&0x3ff)
	if exp == 0 {
		return sign * math.Ldexp(frac, -24) // zero or subnormal
	}
	return sign * math.Ldexp(1024+frac, exp-25)
}

// itemsWire decodes a list of items as decMode.Unmarshal into []Item
// does, when every value has the shape SetFields writes; ok false
// otherwise.
func itemsWire(b []byte) (v []Item, ok bool) {
	var texts wireTexts
	var needs []float64
	ok = wireStructs(b, 4, func(n int) { v = make([]Item, n) }, func(i int, key uint64, off int) (int, bool) {
		it := &v[i]
		switch key {
		case 1:
			return texts.at(b, off, &it.Name)
		case 2:
			return texts.at(b, off, &it.Spec)
		case 3:
			return texts.at(b, off, &it.Unit)
		}
		f, next, ok := wireFloatAt(b, off)
		if needs == nil {
			needs = make([]float64, len(v)) // one array for the list's quantities
		}
		needs[i] = f
		it.Needed = &needs[i]
		return next, ok
	})
	return v, ok
}

// contactsWire decodes a list of contacts as decMode.Unmarshal into
// []Contact does, when every value is a text; ok false otherwise.
// Each text is its own string, not a part of one copy as items' are: the
// duplicate-key view keeps a demand's phones (relief.Likeness) for as long
// as the demand is held, and a phone must not hold its contact's other texts.
func contactsWire(b []byte) (v []Contact, ok bool) {
	ok = wireStructs(b, 4, func(n int) { v = make([]Contact, n) }, func(i int, key uint64, off int) (int, bool) {
		c := &v[i]
		return wireTextAt(b, off, [...]*string{&c.Name, &c.Phone, &c.Role, &c.Kind}[key-1])
	})
	return v, ok
}

// wireTextAt reads a text string of valid UTF-8 at b[off] into *dst.
func wireTextAt(b []byte, off int, dst *string) (int, bool) {
	s, next, ok := wireString(b, off, 3)
	if ok {
		*dst = string(s)
	}
	return next, ok
}

// wireTexts gives the texts of one list of items (itemsWire) one copy of
// the list's bytes to share: one allocation for the list instead of one per
// text (a demand's items are about eight texts, kept or dropped together
// with the demand's view: the store packs them into its rows, copied).
type wireTexts struct{ all string }

// at reads a text string of valid UTF-8 at b[off] into *dst, a substring
// of the copy of b ("" when empty: an empty text holds no copy).
func (t *wireTexts) at(b []byte, off int, dst *string) (int, bool) {
	s, next, ok := wireString(b, off, 3)
	if ok {
		switch {
		case len(s) == 0:
			*dst = ""
		default:
			if t.all == "" {
				t.all = string(b)
			}
			*dst = t.all[next-len(s) : next]
		}
	}
	return next, ok
}

// itemsValidWire reports whether b is a list of items that itemsWire
// decodes and checkItems accepts, checked where the bytes lie: no item,
// text or quantity is made. False says only "not shown valid here": items
// then decodes b (itemsWire or reflection) and checkItems says what is
// wrong, so the refusals and their words are those of the decode.
func itemsValidWire(b []byte) bool {
	var n, named, at, text int // items; items with a name; the item read; its characters
	valid := true
	ok := wireStructs(b, 4, func(k int) { n = k; valid = k <= MaxItems }, func(i int, key uint64, off int) (int, bool) {
		if !valid {
			return 0, false
		}
		if i != at {
			at, text = i, 0
		}
		if key == 4 {
			f, next, ok := wireFloatAt(b, off)
			valid = ok && f >= 0
			return next, ok
		}
		s, next, ok := wireString(b, off, 3)
		if !ok {
			return 0, false
		}
		if key == 1 && len(s) > 0 {
			named++
		}
		text += utf8.RuneCount(s)
		valid = text <= MaxItemText
		return next, true
	})
	return ok && valid && named == n
}

// contactsValidWire reports whether b is a list of contacts that
// contactsWire decodes and checkContacts accepts, checked where the bytes
// lie (no contact or text made). False says only "not shown valid here"
// (contacts then decodes b and checkContacts words the refusal).
func contactsValidWire(b []byte) bool {
	var at, text int // the contact read; its name's, phone's and role's characters
	valid := true
	ok := wireStructs(b, 4, func(k int) { valid = k <= MaxContacts }, func(i int, key uint64, off int) (int, bool) {
		if !valid {
			return 0, false
		}
		if i != at {
			at, text = i, 0
		}
		s, next, ok := wireString(b, off, 3)
		if !ok {
			return 0, false
		}
		if key != 4 { // the kind is not counted (checkContacts)
			text += utf8.RuneCount(s)
			valid = text <= MaxContactText
		}
		return next, true
	})
	return ok && valid
}
