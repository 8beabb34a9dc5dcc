package ledger

import (
	"bytes"
	"testing"

	"github.com/fxamacker/cbor/v2"
	"pgregory.net/rapid"
)

// genBody draws an Op Body of every shape the encoder must treat like
// fxamacker/cbor: absent, canonical values, values with tags (the slow path),
// well-formed but not canonical items, and arbitrary bytes (mostly not
// well-formed).
func genBody(t *rapid.T) []byte {
	switch rapid.IntRange(0, 5).Draw(t, "bodyKind") {
	case 0:
		return nil
	case 1:
		return []byte{}
	case 2:
		b, err := Marshal(genValue(t, 3))
		if err != nil {
			t.Fatalf("Marshal(body) = %v", err)
		}
		return b
	case 3:
		b, err := Marshal(cbor.Tag{Number: rapid.Uint64Range(0, 300).Draw(t, "tag"), Content: genValue(t, 1)})
		if err != nil {
			return []byte{0xc0, 0x01} // tag 0 over an integer: not valid
		}
		return b
	case 4:
		// well-formed, not in shortest form: 0x18 n, or an array of them
		return rapid.SampledFrom([][]byte{{0x18, 0x05}, {0x82, 0x18, 0x01, 0x19, 0x00, 0x02}, {0xf9, 0x3c, 0x00}, {0x5f, 0x41, 0x00, 0xff}, {0xa2, 0x02, 0x00, 0x01, 0x00}}).Draw(t, "noncanonical")
	default:
		return rapid.SliceOfN(rapid.Byte(), 1, 24).Draw(t, "raw")
	}
}

// genText draws a string, sometimes not valid UTF-8 (the encoder writes any
// string as text, as fxamacker/cbor does; Decode refuses it later).
func genText(t *rapid.T, label string) string {
	if rapid.IntRange(0, 9).Draw(t, label+"Bad") == 0 {
		return string(rapid.SliceOfN(rapid.Byte(), 0, 8).Draw(t, label+"Bytes"))
	}
	return rapid.StringN(0, 40, -1).Draw(t, label)
}

// TestWireMatchesReflection checks that the hand-written encoder gives
// exactly the bytes (and the errors) of fxamacker/cbor's reflection-based
// encoding with the canonical options, signed and unsigned, over random
// changes including ones no Author would make.
func TestWireMatchesReflection(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := &Change{
			Network: genText(t, "network"),
			Seq:     rapid.Uint64().Draw(t, "seq"),
			Stamp:   Stamp{Wall: rapid.Int64().Draw(t, "wall"), Logical: rapid.Uint32().Draw(t, "logical")},
		}
		copy(c.Device[:], rapid.SliceOfN(rapid.Byte(), 32, 32).Draw(t, "device"))
		if rapid.Bool().Draw(t, "hasPrev") {
			copy(c.Prev[:], rapid.SliceOfN(rapid.Byte(), 32, 32).Draw(t, "prev"))
		}
		switch rapid.IntRange(0, 4).Draw(t, "opsKind") {
		case 0:
			c.Ops = nil
		case 1:
			c.Ops = []Op{}
		default:
			n := rapid.IntRange(1, 30).Draw(t, "ops")
			for range n {
				c.Ops = append(c.Ops, Op{Kind: genText(t, "kind"), ID: genText(t, "id"), Type: genText(t, "type"), Body: genBody(t)})
			}
		}
		switch rapid.IntRange(0, 3).Draw(t, "sigKind") {
		case 0:
			c.Sig = nil
		case 1:
			c.Sig = []byte{}
		default:
			c.Sig = rapid.SliceOfN(rapid.Byte(), 0, 80).Draw(t, "sig")
		}

		want, wantErr := encMode.Marshal(c)
		got, gotErr := marshalChange(c, false)
		if (gotErr != nil) != (wantErr != nil) || !bytes.Equal(got, want) {
			t.Fatalf("marshalChange(%+v) = %x, %v; want %x, %v (reflection)", c, got, gotErr, want, wantErr)
		}
		unsigned := *c
		unsigned.Sig = nil
		want, wantErr = encMode.Marshal(&unsigned)
		got, gotErr = marshalChange(c, true)
		if (gotErr != nil) != (wantErr != nil) || !bytes.Equal(got, want) {
			t.Fatalf("marshalChange(%+v, unsigned) = %x, %v; want %x, %v (reflection)", c, got, gotErr, want, wantErr)
		}
		if len(got) > encodedSize(c) {
			t.Fatalf("encoding of %d bytes is over encodedSize %d", len(got), encodedSize(c))
		}
	})
}

func BenchmarkWireEncode(b *testing.B) {
	c := testChange(b, 5)
	c.Ops[0].Body = mustMarshal(b, map[string]any{"title": "武汉市江岸区第1人民医院急需医用防护物资", "items": []any{map[string]any{"name": "N95", "n": 1000}}})
	must(b, Sign(testKey(1), c))
	b.Run("wire", func(b *testing.B) {
		for b.Loop() {
			if _, err := marshalChange(c, false); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("reflection", func(b *testing.B) {
		for b.Loop() {
			if _, err := encMode.Marshal(c); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestVerifyRunIDsMatchesVerifyRun checks that VerifyRunIDs, given each
// change's id, decides every run as VerifyRun does (same reason), for
// authored runs and runs with one byte of one change altered (and decoded
// again, as a peer's bytes are).
func TestVerifyRunIDsMatchesVerifyRun(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		key := testKey(rapid.Byte().Draw(t, "key"))
		a, err := NewAuthor(key, "net-1", Head{}, NewHLC(newFakeClock(t0).Now, 0))
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
		if rapid.Bool().Draw(t, "alter") {
			i := rapid.IntRange(0, n-1).Draw(t, "change")
			j := rapid.IntRange(0, len(encs[i])-1).Draw(t, "byte")
			encs[i][j] ^= rapid.ByteRange(1, 255).Draw(t, "xor")
		}
		var run []*Change
		var ids []Hash
		for _, b := range encs {
			c, err := Decode(b)
			if err != nil {
				break // the run stops at a change that does not decode
			}
			run = append(run, c)
			ids = append(ids, idOf(b))
		}
		want := VerifyRun(Hash{}, run)
		got := VerifyRunIDs(Hash{}, run, ids)
		if ReasonOf(got) != ReasonOf(want) || (got == nil) != (want == nil) {
			t.Fatalf("VerifyRunIDs = %v; VerifyRun = %v", got, want)
		}
	})
	if err := VerifyRunIDs(Hash{}, []*Change{testChange(t, 1)}, nil); ReasonOf(err) != ReasonMalformed {
		t.Errorf("VerifyRunIDs(1 change, no ids) = %v; want malformed", err)
	}
}

// FuzzWire decodes arbitrary bytes into a Change by reflection (no
// canonical check, so any shape fxamacker/cbor accepts) and checks that the
// hand-written encoder gives the bytes and errors of reflection for it.
func FuzzWire(f *testing.F) {
	for _, c := range testFeed(f, testKey(2), 2, 50) {
		b, err := Encode(c)
		must(f, err)
		f.Add(b)
	}
	f.Add([]byte{0xa1, 0x06, 0x81, 0xa1, 0x04, 0xc1, 0x61, 0x61}) // a Body holding a tag
	f.Fuzz(func(t *testing.T, b []byte) {
		var c Change
		if decMode.Unmarshal(b, &c) != nil {
			return
		}
		want, wantErr := encMode.Marshal(&c)
		got, gotErr := marshalChange(&c, false)
		if (gotErr != nil) != (wantErr != nil) || !bytes.Equal(got, want) {
			t.Fatalf("marshalChange(%+v) = %x, %v; want %x, %v (reflection)", c, got, gotErr, want, wantErr)
		}
	})
}
