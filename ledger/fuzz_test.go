package ledger

import (
	"bytes"
	"errors"
	"testing"
)

func FuzzDecode(f *testing.F) {
	for _, c := range testFeed(f, testKey(1), 3, 120) {
		b, err := Encode(c)
		must(f, err)
		f.Add(b)
		f.Add(b[:len(b)/2])
		f.Add(append(b[:len(b):len(b)], 0))
	}
	c := testChange(f, 9)
	c.Ops = append(c.Ops, Op{Kind: "k", ID: "i", Type: "t", Body: mustMarshal(f, map[string]any{"f": 1.5, "n": nil, "a": []any{-1, "x", []byte{1}}})})
	must(f, Sign(testKey(1), c))
	b, err := Encode(c)
	must(f, err)
	f.Add(b)
	f.Add([]byte{0xa0})
	f.Add([]byte{0xbf, 0xff})
	f.Add([]byte{})

	f.Fuzz(func(t *testing.T, b []byte) {
		sameDecode(t, b) // the hand-written path against reflection
		c, err := Decode(b)
		if err != nil {
			if r := ReasonOf(err); r != ReasonMalformed && r != ReasonTooLarge {
				t.Fatalf("Decode(%x) = %v; want reason malformed or too_large", b, err)
			}
			return
		}
		again, err := Encode(c)
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("Encode(Decode(%x)) = %x, %v; want the input", b, again, err)
		}
		if c.ID() != idOf(b) {
			t.Fatalf("Decode(%x).ID() = %v; want %v", b, c.ID(), idOf(b))
		}
		_ = c.Verify() // must not panic
		_ = VerifyRun(c.Prev, []*Change{c})
	})
}

func FuzzVersionVector(f *testing.F) {
	for _, v := range []VersionVector{nil, {dev(1): 1}, {dev(1): 300, dev(2): 1 << 40, dev(3): 2}} {
		b, err := v.MarshalCBOR()
		must(f, err)
		f.Add(b)
	}
	f.Add([]byte{0xa1, 0x41, 0x00, 0x01})
	f.Add([]byte{0xbf, 0xff})

	f.Fuzz(func(t *testing.T, b []byte) {
		var v VersionVector
		if err := v.UnmarshalCBOR(b); err != nil {
			if ReasonOf(err) != ReasonMalformed {
				t.Fatalf("UnmarshalCBOR(%x) = %v; want reason malformed", b, err)
			}
			return
		}
		again, err := v.MarshalCBOR()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("MarshalCBOR(UnmarshalCBOR(%x)) = %x, %v; want the input", b, again, err)
		}
		_ = v.String()
	})
}

// FuzzCheckCanonical checks the hand-written canonical-form checker against
// fxamacker/cbor: what it accepts is well-formed, and what decodes to a
// value that re-encodes to the same bytes it accepts.
func FuzzCheckCanonical(f *testing.F) {
	for _, v := range []any{0, -1, 1.5, 100000.0, "text", []byte{1, 2}, map[string]any{"b": 1, "a": []any{true, nil}}, map[int]string{-5: "x", 7: "y"}} {
		f.Add(mustMarshal(f, v))
	}
	f.Add([]byte{0xc2, 0x49, 1, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{0xfb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0})

	f.Fuzz(func(t *testing.T, b []byte) {
		err := checkCanonical(b)
		if err == nil {
			if werr := decMode.Wellformed(b); werr != nil {
				t.Fatalf("checkCanonical(%x) = nil but cbor says %v", b, werr)
			}
		}
		var v any
		if decMode.Unmarshal(b, &v) != nil {
			return
		}
		again, merr := Marshal(v)
		// fxamacker/cbor does not count the first of nested tags as a level,
		// so it accepts one level more of tags than checkCanonical.
		if merr == nil && bytes.Equal(again, b) && err != nil && !errors.Is(err, errTooDeep) {
			t.Fatalf("checkCanonical(%x) = %v; want nil (it round-trips through cbor)", b, err)
		}
	})
}
