package ledger

import (
	"bytes"
	"reflect"
	"testing"

	"pgregory.net/rapid"
)

// decodeByReflection is Decode as it was before wire_decode.go: the
// reference the hand-written path is compared with.
func decodeByReflection(b []byte) (*Change, error) {
	if len(b) > MaxChangeSize {
		return nil, reject(ReasonTooLarge, nil, "change is %d bytes, max %d", len(b), MaxChangeSize)
	}
	if err := checkCanonical(b); err != nil {
		return nil, reject(ReasonMalformed, nil, "decode change: %w", err)
	}
	return decodeReflect(b)
}

// sameDecode fails t unless Decode(b) and decodeByReflection(b) agree: the
// same Change, or errors with the same reason and words. It reports whether
// the hand-written path decoded b.
func sameDecode(t interface {
	Helper()
	Fatalf(format string, args ...any)
}, b []byte) (fast bool) {
	t.Helper()
	got, gotErr := Decode(b)
	want, wantErr := decodeByReflection(b)
	if (gotErr != nil) != (wantErr != nil) || !reflect.DeepEqual(got, want) {
		t.Fatalf("Decode(%x) = %+v, %v; want %+v, %v (reflection)", b, got, gotErr, want, wantErr)
	}
	if gotErr != nil && (ReasonOf(gotErr) != ReasonOf(wantErr) || gotErr.Error() != wantErr.Error()) {
		t.Fatalf("Decode(%x) error %v; want %v (reflection)", b, gotErr, wantErr)
	}
	if got != nil {
		if again, err := Encode(got); err != nil || !bytes.Equal(again, b) {
			t.Fatalf("Encode(Decode(%x)) = %x, %v; want the input", b, again, err)
		}
	}
	if checkCanonical(b) != nil {
		return false
	}
	c, fast := wireDecode(b)
	if fast {
		// Before the rules: the same struct as reflection decodes, whether
		// or not the rules then refuse it.
		var want Change
		if err := decMode.Unmarshal(b, &want); err != nil || !reflect.DeepEqual(c, &want) {
			t.Fatalf("wireDecode(%x) = %+v; want %+v, %v (reflection)", b, c, &want, err)
		}
	}
	return fast
}

// genWireChange draws a change Decode may accept or refuse: random fields, ops
// with every kind of Body genBody makes, sometimes no ops, sometimes a
// signature of the wrong length, texts sometimes not UTF-8.
func genWireChange(t *rapid.T) *Change {
	c := &Change{
		Network: genText(t, "network"),
		Seq:     rapid.Uint64Range(0, 3).Draw(t, "seqSmall"),
		Stamp:   Stamp{Wall: rapid.Int64().Draw(t, "wall"), Logical: rapid.Uint32().Draw(t, "logical")},
	}
	if rapid.Bool().Draw(t, "bigSeq") {
		c.Seq = rapid.Uint64().Draw(t, "seq")
	}
	copy(c.Device[:], rapid.SliceOfN(rapid.Byte(), 32, 32).Draw(t, "device"))
	if rapid.Bool().Draw(t, "hasPrev") {
		copy(c.Prev[:], rapid.SliceOfN(rapid.Byte(), 32, 32).Draw(t, "prev"))
	}
	switch rapid.IntRange(0, 6).Draw(t, "opsKind") {
	case 0:
		c.Ops = nil
	case 1:
		c.Ops = []Op{}
	default:
		n := rapid.IntRange(1, 12).Draw(t, "ops")
		for range n {
			kind := rapid.SampledFrom([]string{"demand", "offer", ""}).Draw(t, "kindCommon")
			if rapid.Bool().Draw(t, "kindRandom") {
				kind = genText(t, "kind")
			}
			c.Ops = append(c.Ops, Op{Kind: kind, ID: genText(t, "id"), Type: rapid.SampledFrom([]string{"set", "transition", ""}).Draw(t, "type"), Body: genBody(t)})
		}
	}
	switch rapid.IntRange(0, 5).Draw(t, "sigKind") {
	case 0:
		c.Sig = nil
	case 1:
		c.Sig = []byte{}
	case 2:
		c.Sig = rapid.SliceOfN(rapid.Byte(), 0, 80).Draw(t, "sig")
	default:
		c.Sig = rapid.SliceOfN(rapid.Byte(), SignatureSize, SignatureSize).Draw(t, "sig64")
	}
	return c
}

// TestWireDecodeMatchesReflection checks that Decode, which takes the
// hand-written path on the layout of a signed change, gives the Change and
// the errors of the reflection path, over random changes, their encodings
// altered by one byte, cut or extended, and that the hand-written path is
// taken for every change an Author makes.
func TestWireDecodeMatchesReflection(t *testing.T) {
	fast := 0
	rapid.Check(t, func(t *rapid.T) {
		c := genWireChange(t)
		b, err := encMode.Marshal(c)
		if err != nil {
			return // a Body that is not well-formed: nothing to decode
		}
		if sameDecode(t, b) {
			fast++
		}
		switch rapid.IntRange(0, 3).Draw(t, "alter") {
		case 1:
			i := rapid.IntRange(0, len(b)-1).Draw(t, "at")
			b[i] ^= rapid.ByteRange(1, 255).Draw(t, "xor")
		case 2:
			b = b[:rapid.IntRange(0, len(b)-1).Draw(t, "cut")]
		case 3:
			b = append(b, rapid.SliceOfN(rapid.Byte(), 1, 3).Draw(t, "extra")...)
		}
		sameDecode(t, b)
	})
	if fast == 0 {
		t.Fatalf("the hand-written path decoded none of the random changes")
	}
	for i, c := range testFeed(t, testKey(3), 20, 300) {
		b, err := Encode(c)
		must(t, err)
		if !sameDecode(t, b) {
			t.Fatalf("change %d of an Author's feed was not decoded by the hand-written path", i)
		}
	}
}

// TestWireDecodeOwnsItsMemory checks that a decoded change does not alias
// the bytes it was decoded from (callers reuse their buffers), and that
// appending to one Body does not write over the next.
func TestWireDecodeOwnsItsMemory(t *testing.T) {
	c := testChange(t, 2)
	c.Ops = append(c.Ops, Op{Kind: "k", ID: "second", Type: "t", Body: mustMarshal(t, map[string]any{"x": 1})})
	must(t, Sign(testKey(1), c))
	b, err := Encode(c)
	must(t, err)
	orig := bytes.Clone(b)
	got, err := Decode(b)
	must(t, err)
	clear(b)
	_ = append(got.Ops[0].Body, 0xff, 0xff, 0xff)
	again, err := Encode(got)
	if err != nil || !bytes.Equal(again, orig) {
		t.Fatalf("Encode(Decode(b)) after b was cleared and a Body appended to = %x, %v; want %x", again, err, orig)
	}
}

// FuzzWireDecode compares the hand-written decoding of a change with the
// reflection path on arbitrary bytes (the corpus of FuzzDecode seeds it).
func FuzzWireDecode(f *testing.F) {
	for _, c := range testFeed(f, testKey(1), 3, 120) {
		b, err := Encode(c)
		must(f, err)
		f.Add(b)
		f.Add(b[:len(b)-1])
		f.Add(append(b[:len(b):len(b)], 0))
	}
	f.Add([]byte{0xa0})
	f.Fuzz(func(t *testing.T, b []byte) { sameDecode(t, b) })
}
