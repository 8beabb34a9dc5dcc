package ledger

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"unicode/utf8"
)

// errTooDeep is the error of checkCanonical for nesting beyond MaxNestedLevels.
var errTooDeep = fmt.Errorf("nested deeper than %d levels", MaxNestedLevels)

// checkCanonical reports whether b is exactly one CBOR data item in the core
// deterministic encoding of RFC 8949 §4.2.1, as produced by Marshal: shortest
// argument encodings, definite lengths, map keys strictly increasing in
// bytewise order of their encodings (so no duplicates), floats in their
// shortest exact form with NaN as f97e00, valid UTF-8 text, bignums (tags 2
// and 3) only when they do not fit an integer, nesting within MaxNestedLevels.
//
// fxamacker/cbor keeps Op Bodies (cbor.RawMessage) byte for byte, so this
// check is what makes a Body's encoding unique; for the envelope it runs
// before decoding and re-encoding catches the rest.
func checkCanonical(b []byte) error {
	n, err := canonItem(b, 0, 0)
	if err != nil {
		return err
	}
	if n != len(b) {
		return fmt.Errorf("%d trailing bytes after data item at offset %d", len(b)-n, n)
	}
	return nil
}

// canonItem checks the data item starting at b[off] and returns the offset
// just past it. depth counts the arrays, maps and tags enclosing it.
func canonItem(b []byte, off, depth int) (int, error) {
	if off >= len(b) {
		return 0, fmt.Errorf("offset %d: unexpected end of data", off)
	}
	start := off
	major, ai := b[off]>>5, b[off]&0x1f
	off++
	var arg uint64
	switch {
	case ai < 24:
		arg = uint64(ai)
	case ai <= 27:
		size := 1 << (ai - 24) // 1, 2, 4 or 8 bytes
		if len(b)-off < size {
			return 0, fmt.Errorf("offset %d: unexpected end of data", start)
		}
		switch size {
		case 1:
			arg = uint64(b[off])
		case 2:
			arg = uint64(binary.BigEndian.Uint16(b[off:]))
		case 4:
			arg = uint64(binary.BigEndian.Uint32(b[off:]))
		case 8:
			arg = binary.BigEndian.Uint64(b[off:])
		}
		off += size
		if major == 7 {
			return off, canonSimple(ai, arg)
		}
		// Shortest form: the argument must not fit the next smaller size.
		if min := [...]uint64{24, 1 << 8, 1 << 16, 1 << 32}[ai-24]; arg < min {
			return 0, fmt.Errorf("offset %d: integer %d not in shortest form", start, arg)
		}
	case ai == 31:
		return 0, fmt.Errorf("offset %d: indefinite length or break", start)
	default:
		return 0, fmt.Errorf("offset %d: reserved additional info %d", start, ai)
	}

	if major >= 4 && major <= 6 && depth >= MaxNestedLevels { // as fxamacker/cbor counts
		return 0, fmt.Errorf("offset %d: %w", start, errTooDeep)
	}
	switch major {
	case 0, 1: // unsigned and negative integers
		return off, nil
	case 2, 3: // byte and text strings
		if arg > uint64(len(b)-off) {
			return 0, fmt.Errorf("offset %d: string of %d bytes past end of data", start, arg)
		}
		end := off + int(arg)
		if major == 3 && !utf8.Valid(b[off:end]) {
			return 0, fmt.Errorf("offset %d: text string is not valid UTF-8", start)
		}
		return end, nil
	case 4: // array
		if arg > MaxArrayElements || arg > uint64(len(b)-off) {
			return 0, fmt.Errorf("offset %d: array of %d elements too long", start, arg)
		}
		for i := uint64(0); i < arg; i++ {
			var err error
			if off, err = canonItem(b, off, depth+1); err != nil {
				return 0, err
			}
		}
		return off, nil
	case 5: // map
		if arg > MaxMapPairs || arg > uint64(len(b)-off)/2 {
			return 0, fmt.Errorf("offset %d: map of %d pairs too long", start, arg)
		}
		var prevKey []byte
		for i := uint64(0); i < arg; i++ {
			keyStart := off
			var err error
			if off, err = canonItem(b, off, depth+1); err != nil {
				return 0, err
			}
			key := b[keyStart:off]
			if i > 0 && bytes.Compare(prevKey, key) >= 0 {
				return 0, fmt.Errorf("offset %d: map key not greater than the previous key (unsorted or duplicate)", keyStart)
			}
			prevKey = key
			if off, err = canonItem(b, off, depth+1); err != nil {
				return 0, err
			}
		}
		return off, nil
	case 6: // tag
		contentStart := off
		end, err := canonItem(b, off, depth+1)
		if err != nil {
			return 0, err
		}
		if arg == 2 || arg == 3 { // bignum: must not fit in a major type 0/1 integer
			c := b[contentStart:end]
			if c[0]>>5 != 2 {
				return 0, fmt.Errorf("offset %d: bignum content is not a byte string", start)
			}
			payload := stringPayload(c)
			if len(payload) <= 8 || payload[0] == 0 {
				return 0, fmt.Errorf("offset %d: bignum not in shortest form", start)
			}
		}
		return end, nil
	default: // 7 with ai < 24: simple values 0..23
		return off, nil
	}
}

// canonSimple checks major type 7 with a 1-, 2-, 4- or 8-byte argument.
func canonSimple(ai byte, arg uint64) error {
	switch ai {
	case 24: // simple value in one byte; 0..31 are not well-formed
		if arg < 32 {
			return fmt.Errorf("simple value %d in two bytes", arg)
		}
	case 25:
		if isNaN16(uint16(arg)) && arg != 0x7e00 {
			return fmt.Errorf("NaN is not f97e00")
		}
	case 26:
		f := math.Float32frombits(uint32(arg))
		if f != f || fitsFloat16(f) {
			return fmt.Errorf("float32 %v not in shortest form", f)
		}
	case 27:
		f := math.Float64frombits(arg)
		if f != f || float64(float32(f)) == f {
			return fmt.Errorf("float64 %v not in shortest form", f)
		}
	}
	return nil
}

// stringPayload returns the payload of a well-formed definite string item.
func stringPayload(item []byte) []byte {
	n := 1
	if ai := item[0] & 0x1f; ai >= 24 && ai <= 27 {
		n += 1 << (ai - 24)
	}
	return item[n:]
}

func isNaN16(h uint16) bool { return h&0x7c00 == 0x7c00 && h&0x03ff != 0 }

// fitsFloat16 reports whether f (not NaN) is exactly representable as an IEEE
// 754 half-precision float (5 exponent bits, 10 fraction bits).
func fitsFloat16(f float32) bool {
	bits := math.Float32bits(f)
	exp := int(bits>>23&0xff) - 127
	mant := bits & 0x7fffff
	switch {
	case bits&0x7fffffff == 0: // ±0
		return true
	case exp == 128: // ±Inf (NaN excluded by the caller)
		return true
	case exp == -127: // float32 subnormal: far below the smallest float16
		return false
	case exp >= -14 && exp <= 15: // float16 normal: 10 fraction bits
		return mant&(1<<13-1) == 0
	case exp >= -24 && exp < -14: // float16 subnormal: multiples of 2^-24
		sig := mant | 1<<23
		drop := uint(-1 - exp) // low bits of sig that must be zero
		return sig&(1<<drop-1) == 0
	}
	return false
}
