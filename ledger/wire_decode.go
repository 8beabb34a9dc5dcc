package ledger

import (
	"encoding/binary"
	"math"
)

// This file decodes a Change by hand, without reflection, on the one layout
// Decode can accept: the bytes appendChange produces for a signed change
// with at least one op, each Body plain (see plainWellformed). Anything
// else — another layout, a Body holding a tag, bytes Decode refuses — is
// not decided here: wireDecode says so and Decode takes the reflection
// path, which gives its errors as before. So the fast path only has to be
// right on what it accepts: the same Change fxamacker/cbor decodes, and
// bytes that Encode gives back (TestWireDecodeMatchesReflection over random
// changes and altered bytes, FuzzDecode and its corpus compare both paths).

// wireReader reads CBOR heads from b, already checked by checkCanonical
// (shortest forms, definite lengths, valid UTF-8, strings within b).
type wireReader struct {
	b   []byte
	off int
	bad bool // the layout is not appendChange's
}

// byte1 consumes one byte that must be want.
func (r *wireReader) byte1(want byte) {
	if r.bad || r.off >= len(r.b) || r.b[r.off] != want {
		r.bad = true
		return
	}
	r.off++
}

// head consumes a head of major type major (shifted) and returns its
// argument.
func (r *wireReader) head(major byte) uint64 {
	if r.bad || r.off >= len(r.b) || r.b[r.off]&0xe0 != major {
		r.bad = true
		return 0
	}
	ai := r.b[r.off] & 0x1f
	r.off++
	switch {
	case ai < 24:
		return uint64(ai)
	case ai <= 27:
		size := 1 << (ai - 24)
		if len(r.b)-r.off < size {
			r.bad = true
			return 0
		}
		var n uint64
		switch size {
		case 1:
			n = uint64(r.b[r.off])
		case 2:
			n = uint64(binary.BigEndian.Uint16(r.b[r.off:]))
		case 4:
			n = uint64(binary.BigEndian.Uint32(r.b[r.off:]))
		default:
			n = binary.BigEndian.Uint64(r.b[r.off:])
		}
		r.off += size
		return n
	}
	r.bad = true
	return 0
}

// str consumes a byte or text string (major) and returns its payload,
// aliasing b.
func (r *wireReader) str(major byte) []byte {
	n := r.head(major)
	if r.bad || n > uint64(len(r.b)-r.off) {
		r.bad = true
		return nil
	}
	s := r.b[r.off : r.off+int(n)]
	r.off += int(n)
	return s
}

// wireOp is where an op's parts lie in b, before they are copied out.
type wireOp struct{ kind, id, typ, body []byte }

// wireDecode decodes b, which checkCanonical accepted, if it has the layout
// of a signed change with ops and plain Bodies; ok false: it has not, and
// b must be decoded by reflection (which decides whether it is a change).
// The Change returned owns its memory (nothing aliases b): its strings are
// allocated one by one (a record's id outlives the change's bytes), its
// Bodies and Sig share one buffer, each capped at its own end.
func wireDecode(b []byte) (c *Change, ok bool) { return wireDecodeIn(b, false) }

// wireDecodeIn is wireDecode; with alias, b is the caller's own copy, kept
// unchanged as long as the change: the Bodies and Sig then lie in b (each
// capped at its own end) instead of a buffer of their own.
func wireDecodeIn(b []byte, alias bool) (c *Change, ok bool) {
	r := wireReader{b: b}
	r.byte1(majorMap | 7)
	r.byte1(0x01)
	network := r.str(majorText)
	r.byte1(0x02)
	device := r.str(majorBytes)
	r.byte1(0x03)
	seq := r.head(majorUint)
	r.byte1(0x04)
	prev := r.str(majorBytes)
	r.byte1(0x05)
	r.byte1(majorMap | 2)
	r.byte1(0x01)
	var wall int64
	if r.off < len(b) && b[r.off]&0xe0 == majorNeg {
		n := r.head(majorNeg)
		if n > math.MaxInt64 {
			return nil, false
		}
		wall = -1 - int64(n)
	} else {
		n := r.head(majorUint)
		if n > math.MaxInt64 {
			return nil, false
		}
		wall = int64(n)
	}
	r.byte1(0x02)
	logical := r.head(majorUint)
	r.byte1(0x06)
	nops := r.head(majorArray)
	if r.bad || len(device) != len(DeviceID{}) || len(prev) != len(Hash{}) || logical > math.MaxUint32 ||
		nops == 0 || nops > uint64(len(b)-r.off)/4 { // an op takes at least 4 bytes
		return nil, false
	}
	var stack [8]wireOp
	ops := stack[:0]
	if nops > uint64(len(stack)) {
		ops = make([]wireOp, 0, nops)
	}
	bodies := 0
	for range nops {
		pairs := r.head(majorMap)
		if pairs != 3 && pairs != 4 {
			return nil, false
		}
		var op wireOp
		r.byte1(0x01)
		op.kind = r.str(majorText)
		r.byte1(0x02)
		op.id = r.str(majorText)
		r.byte1(0x03)
		op.typ = r.str(majorText)
		if pairs == 4 {
			r.byte1(0x04)
			if r.bad {
				return nil, false
			}
			end, err := canonItem(b, r.off, 3)
			if err != nil || !plainWellformed(b[r.off:end]) {
				return nil, false
			}
			op.body = b[r.off:end]
			r.off = end
			bodies += len(op.body)
		}
		ops = append(ops, op)
	}
	r.byte1(0x07)
	sig := r.str(majorBytes)
	if r.bad || r.off != len(b) || len(sig) != SignatureSize {
		return nil, false
	}

	c = &Change{Network: string(network), Seq: seq, Stamp: Stamp{Wall: wall, Logical: uint32(logical)}}
	copy(c.Device[:], device)
	copy(c.Prev[:], prev)
	var buf []byte
	if !alias {
		buf = make([]byte, 0, bodies+len(sig))
	}
	c.Ops = make([]Op, len(ops))
	for i, w := range ops {
		op := &c.Ops[i]
		// Kinds and types repeat within a change; share the string.
		if i > 0 && string(w.kind) == c.Ops[i-1].Kind {
			op.Kind = c.Ops[i-1].Kind
		} else {
			op.Kind = string(w.kind)
		}
		op.ID = string(w.id)
		if i > 0 && string(w.typ) == c.Ops[i-1].Type {
			op.Type = c.Ops[i-1].Type
		} else {
			op.Type = string(w.typ)
		}
		if w.body != nil && alias {
			op.Body = w.body[:len(w.body):len(w.body)]
		} else if w.body != nil {
			start := len(buf)
			buf = append(buf, w.body...)
			op.Body = buf[start:len(buf):len(buf)]
		}
	}
	if alias {
		c.Sig = sig[:len(sig):len(sig)]
		return c, true
	}
	start := len(buf)
	buf = append(buf, sig...)
	c.Sig = buf[start:len(buf):len(buf)]
	return c, true
}
