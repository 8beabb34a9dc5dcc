package ledger

import (
	"encoding/binary"

	"github.com/fxamacker/cbor/v2"
)

// This file encodes a Change by hand, without reflection: the canonical
// encoding is on every change's path several times (its id, its signature,
// Decode's check that the bytes were canonical), and fxamacker/cbor's
// reflection made it a large share of ingest's CPU. The bytes are exactly
// those of encMode.Marshal (RFC 8949 core deterministic encoding of the
// struct tags in types.go); TestWireMatchesReflection checks that over
// random changes, and the fuzz corpora of Decode run through it. A change
// to Change, Op or Stamp must be made here too.

// CBOR major types, shifted into the initial byte.
const (
	majorUint  = 0 << 5
	majorNeg   = 1 << 5
	majorBytes = 2 << 5
	majorText  = 3 << 5
	majorArray = 4 << 5
	majorMap   = 5 << 5
)

// appendHead appends a CBOR head of major type major (shifted) with argument
// n in its shortest form.
func appendHead(dst []byte, major byte, n uint64) []byte {
	switch {
	case n < 24:
		return append(dst, major|byte(n))
	case n <= 0xff:
		return append(dst, major|24, byte(n))
	case n <= 0xffff:
		return binary.BigEndian.AppendUint16(append(dst, major|25), uint16(n))
	case n <= 0xffffffff:
		return binary.BigEndian.AppendUint32(append(dst, major|26), uint32(n))
	}
	return binary.BigEndian.AppendUint64(append(dst, major|27), n)
}

func appendInt(dst []byte, n int64) []byte {
	if n >= 0 {
		return appendHead(dst, majorUint, uint64(n))
	}
	return appendHead(dst, majorNeg, uint64(-1-n))
}

func appendText(dst []byte, s string) []byte {
	return append(appendHead(dst, majorText, uint64(len(s))), s...)
}

// CBOR major types for AppendCBORHead, shifted into the initial byte as in
// RFC 8949 §3.1 (0 unsigned integer … 5 map).
const (
	CBORUint  = majorUint
	CBORNeg   = majorNeg
	CBORBytes = majorBytes
	CBORText  = majorText
	CBORArray = majorArray
	CBORMap   = majorMap
)

// AppendCBORHead appends to dst the head of a CBOR item of major type major
// (one of CBORUint … CBORMap) with argument n (a length, a count or the
// integer itself) in its shortest form, as the core deterministic encoding
// requires; for other packages' hand-written canonical encoders (relief's
// records).
func AppendCBORHead(dst []byte, major byte, n uint64) []byte { return appendHead(dst, major, n) }

// AppendCBORInt appends n as a CBOR integer in its shortest form.
func AppendCBORInt(dst []byte, n int64) []byte { return appendInt(dst, n) }

// AppendCBORText appends s as a CBOR text string.
func AppendCBORText(dst []byte, s string) []byte { return appendText(dst, s) }

func appendBytes(dst []byte, b []byte) []byte {
	return append(appendHead(dst, majorBytes, uint64(len(b))), b...)
}

// encodedSize returns an upper bound of the length of c's encoding, for
// sizing the buffer it is encoded into.
func encodedSize(c *Change) int {
	n := 96 + len(c.Network) + 9 + 9 + len(c.Sig) + 9
	for i := range c.Ops {
		op := &c.Ops[i]
		n += 4 + 3*9 + len(op.Kind) + len(op.ID) + len(op.Type) + 1 + len(op.Body)
	}
	return n
}

// marshalChange returns the canonical encoding of c (unsigned: without its
// signature) in a buffer of its own.
func marshalChange(c *Change, unsigned bool) ([]byte, error) {
	return appendChange(make([]byte, 0, encodedSize(c)), c, unsigned)
}

// appendChange appends the canonical encoding of c to dst, with its
// signature unless unsigned (then what the author signs). The error, when
// an Op Body is not one well-formed CBOR data item, is the one
// encMode.Marshal gives.
func appendChange(dst []byte, c *Change, unsigned bool) ([]byte, error) {
	pairs := uint64(6)
	withSig := !unsigned && len(c.Sig) > 0 // omitempty
	if withSig {
		pairs++
	}
	dst = appendHead(dst, majorMap, pairs)
	dst = appendText(append(dst, 0x01), c.Network)
	dst = appendBytes(append(dst, 0x02), c.Device[:])
	dst = appendHead(append(dst, 0x03), majorUint, c.Seq)
	dst = appendBytes(append(dst, 0x04), c.Prev[:])
	dst = append(dst, 0x05, majorMap|2, 0x01)
	dst = appendInt(dst, c.Stamp.Wall)
	dst = appendHead(append(dst, 0x02), majorUint, uint64(c.Stamp.Logical))
	dst = append(dst, 0x06)
	if c.Ops == nil {
		dst = append(dst, 0xf6) // a nil slice is null
	} else {
		dst = appendHead(dst, majorArray, uint64(len(c.Ops)))
	}
	for i := range c.Ops {
		op := &c.Ops[i]
		if len(op.Body) == 0 { // omitempty
			dst = append(dst, majorMap|3)
		} else {
			dst = append(dst, majorMap|4)
		}
		dst = appendText(append(dst, 0x01), op.Kind)
		dst = appendText(append(dst, 0x02), op.ID)
		dst = appendText(append(dst, 0x03), op.Type)
		if len(op.Body) > 0 {
			if err := wellformedBody(op.Body); err != nil {
				return nil, err
			}
			dst = append(append(dst, 0x04), op.Body...)
		}
	}
	if withSig {
		dst = appendBytes(append(dst, 0x07), c.Sig)
	}
	return dst, nil
}

// wellformedBody returns nil if b is one well-formed CBOR data item as
// encMode.Marshal accepts for a cbor.RawMessage, else the error Marshal
// gives. An item plainWellformed accepts (every Body relief writes and every
// Body Decode lets through: canonical, without tags) is accepted here;
// anything else is left to Marshal itself, so that both agree exactly.
func wellformedBody(b []byte) error {
	if plainWellformed(b) {
		return nil
	}
	_, err := encMode.Marshal(cbor.RawMessage(b))
	return err
}

// plainWellformed reports whether b is exactly one well-formed CBOR data
// item with definite lengths and no tags, shorter than 64 KiB (so that its
// nesting stays far within fxamacker/cbor's limits): a subset of what
// fxamacker/cbor's well-formedness check accepts. Heads are read one after
// the other, counting the items still due (the elements of an array or map
// follow its head), so no recursion is needed.
func plainWellformed(b []byte) bool {
	if len(b) >= 1<<16 {
		return false
	}
	need := uint64(1) // items still to read
	off := 0
	for need > 0 {
		if off >= len(b) {
			return false
		}
		major, ai := b[off]>>5, b[off]&0x1f
		off++
		need--
		var arg uint64
		switch {
		case ai < 24:
			arg = uint64(ai)
		case ai <= 27:
			size := 1 << (ai - 24)
			if off+size > len(b) {
				return false
			}
			for _, x := range b[off : off+size] {
				arg = arg<<8 | uint64(x)
			}
			off += size
			if major == 7 && ai == 24 && arg < 32 {
				return false // a simple value that must not take two bytes
			}
		default:
			return false // indefinite length, break, reserved
		}
		switch major {
		case 2, 3:
			if arg > uint64(len(b)-off) {
				return false
			}
			off += int(arg)
		case 4:
			if arg > uint64(len(b)) {
				return false
			}
			need += arg
		case 5:
			if arg > uint64(len(b)) {
				return false
			}
			need += 2 * arg
		case 6:
			return false
		}
	}
	return off == len(b)
}

// WellformedItem returns nil if b is one well-formed CBOR data item as a
// cbor.RawMessage must be for the canonical encoder (definite lengths; the
// same check and errors as fxamacker/cbor's Marshal of a RawMessage), else
// the error Marshal gives. Hand-written encoders of types holding raw CBOR
// (relief's record fields) use it to refuse what Marshal refuses, quickly
// for the plain items they hold.
func WellformedItem(b []byte) error { return wellformedBody(b) }
