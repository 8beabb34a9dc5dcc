package ledger

import (
	"bytes"
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

// genValue draws a CBOR-encodable value of bounded depth, for Op Bodies.
func genValue(t *rapid.T, depth int) any {
	kinds := 8
	if depth <= 0 {
		kinds = 6 // scalars only
	}
	switch rapid.IntRange(0, kinds-1).Draw(t, "kind") {
	case 0:
		return rapid.Int64().Draw(t, "int")
	case 1:
		return rapid.Uint64().Draw(t, "uint")
	case 2:
		return rapid.Float64().Draw(t, "float")
	case 3:
		return rapid.String().Draw(t, "text")
	case 4:
		return rapid.SliceOfN(rapid.Byte(), 0, 40).Draw(t, "bytes")
	case 5:
		return rapid.SampledFrom([]any{true, false, nil, float32(rapid.Float32().Draw(t, "f32"))}).Draw(t, "simple")
	case 6:
		n := rapid.IntRange(0, 4).Draw(t, "len")
		a := make([]any, n)
		for i := range a {
			a[i] = genValue(t, depth-1)
		}
		return a
	default:
		n := rapid.IntRange(0, 4).Draw(t, "len")
		m := make(map[string]any, n)
		for range n {
			m[rapid.StringN(0, 8, -1).Draw(t, "key")] = genValue(t, depth-1)
		}
		return m
	}
}

func genOps(t *rapid.T) []Op {
	n := rapid.IntRange(1, 4).Draw(t, "ops")
	ops := make([]Op, n)
	word := rapid.StringN(1, 12, -1)
	for i := range ops {
		ops[i] = Op{Kind: word.Draw(t, "kind"), ID: word.Draw(t, "id"), Type: word.Draw(t, "type")}
		if rapid.Bool().Draw(t, "hasBody") {
			b, err := Marshal(genValue(t, 3))
			if err != nil {
				t.Fatalf("Marshal(body) = %v", err)
			}
			if err := checkCanonical(b); err != nil {
				t.Fatalf("checkCanonical(Marshal(body) = %x) = %v; want nil", b, err)
			}
			ops[i].Body = b
		}
	}
	return ops
}

func genChange(t *rapid.T) *Change {
	key := testKey(rapid.Byte().Draw(t, "key"))
	c := &Change{
		Network: rapid.StringN(1, 30, -1).Draw(t, "network"),
		Device:  DeviceOf(key),
		Seq:     rapid.Uint64Min(1).Draw(t, "seq"),
		Stamp:   Stamp{Wall: rapid.Int64().Draw(t, "wall"), Logical: rapid.Uint32().Draw(t, "logical")},
		Ops:     genOps(t),
	}
	if c.Seq > 1 {
		copy(c.Prev[:], rapid.SliceOfN(rapid.Byte(), 32, 32).Draw(t, "prev"))
		c.Prev[0] |= 1 // not zero
	}
	if err := Sign(key, c); err != nil {
		t.Fatalf("Sign = %v", err)
	}
	return c
}

func TestPropertyRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := genChange(t)
		b, err := Encode(c)
		if err != nil {
			t.Fatalf("Encode(%+v) = %v", c, err)
		}
		got, err := Decode(b)
		if err != nil {
			t.Fatalf("Decode(Encode(c)) = %v; want nil", err)
		}
		again, err := Encode(got)
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("Encode(Decode(b)) = %x, %v; want %x", again, err, b)
		}
		id := c.ID()
		if got.ID() != id || c.ID() != id {
			t.Fatalf("ID() unstable: %v, %v, %v", id, c.ID(), got.ID())
		}
		if err := got.Verify(); err != nil {
			t.Fatalf("Decode(b).Verify() = %v; want nil", err)
		}
	})
}

func TestPropertyRunMutation(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		key := testKey(rapid.Byte().Draw(t, "key"))
		clk := newFakeClock(t0)
		a, err := NewAuthor(key, "net-1", Head{}, NewHLC(clk.Now, 0))
		if err != nil {
			t.Fatal(err)
		}
		n := rapid.IntRange(1, 6).Draw(t, "n")
		encs := make([][]byte, n)
		for i := range encs {
			c, err := a.Next(genOps(t))
			if err != nil {
				t.Fatalf("Next() = %v", err)
			}
			if encs[i], err = Encode(c); err != nil {
				t.Fatal(err)
			}
		}
		decodeRun := func() ([]*Change, error) {
			run := make([]*Change, n)
			for i, b := range encs {
				c, err := Decode(b)
				if err != nil {
					return nil, err
				}
				run[i] = c
			}
			return run, nil
		}
		run, err := decodeRun()
		if err != nil {
			t.Fatalf("Decode(authored change) = %v", err)
		}
		if err := VerifyRun(Hash{}, run); err != nil {
			t.Fatalf("VerifyRun(authored run) = %v; want nil", err)
		}

		i := rapid.IntRange(0, n-1).Draw(t, "change")
		j := rapid.IntRange(0, len(encs[i])-1).Draw(t, "byte")
		x := rapid.ByteRange(1, 255).Draw(t, "xor")
		encs[i][j] ^= x
		run, err = decodeRun()
		if err != nil {
			return // rejected by Decode
		}
		if err := VerifyRun(Hash{}, run); err == nil {
			t.Fatalf("VerifyRun(run with byte %d of change %d xor %#x) = nil; want error", j, i+1, x)
		}
	})
}

func TestPropertyVersionVector(t *testing.T) {
	gen := rapid.Custom(func(t *rapid.T) VersionVector {
		var v VersionVector
		for range rapid.IntRange(0, 5).Draw(t, "n") {
			v.Set(dev(rapid.ByteRange(0, 7).Draw(t, "dev")), rapid.Uint64Range(0, 20).Draw(t, "seq"))
		}
		return v
	})
	rapid.Check(t, func(t *rapid.T) {
		v, o := gen.Draw(t, "v"), gen.Draw(t, "o")
		// Applying what Missing reports makes v dominate o, and equals Merge.
		filled := v.Clone()
		for d, r := range v.Missing(o) {
			if r.From != v.Get(d)+1 || r.To != o.Get(d) || r.Len() == 0 {
				t.Fatalf("Missing()[%s] = %v; want %d-%d", d.Short(), r, v.Get(d)+1, o.Get(d))
			}
			filled.Set(d, r.To)
		}
		merged := v.Clone()
		merged.Merge(o)
		if !filled.Equal(merged) || !merged.Dominates(o) || !merged.Dominates(v) {
			t.Fatalf("v=%v o=%v: filled %v, merged %v", v, o, filled, merged)
		}
		m2 := o.Clone()
		m2.Merge(v)
		if !m2.Equal(merged) {
			t.Fatalf("Merge not commutative: %v vs %v", m2, merged)
		}
		b, err := v.MarshalCBOR()
		if err != nil {
			t.Fatal(err)
		}
		var got VersionVector
		if err := got.UnmarshalCBOR(b); err != nil || !got.Equal(v) {
			t.Fatalf("UnmarshalCBOR(MarshalCBOR(%v)) = %v, %v", v, got, err)
		}
		if b2, _ := got.MarshalCBOR(); !bytes.Equal(b, b2) {
			t.Fatalf("MarshalCBOR not deterministic: %x vs %x", b, b2)
		}
		_ = fmt.Sprint(v)
	})
}
