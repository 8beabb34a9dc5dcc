package ledger

import (
	"bytes"
	"encoding/hex"
	"slices"
	"strings"
	"testing"
)

func TestEncodeDecodeRoundTrip(t *testing.T) {
	feed := testFeed(t, testKey(1), 2, 300)
	many := testChange(t, 7)
	many.Ops = append(many.Ops, Op{Kind: "member", ID: "m1", Type: "endorse"}) // no Body
	must(t, Sign(testKey(1), many))
	unicode := testChange(t, 1)
	unicode.Network = "武汉-2020 救援"
	unicode.Stamp = Stamp{Wall: 1, Logical: 1 << 31}
	must(t, Sign(testKey(1), unicode))

	for _, tc := range []struct {
		name string
		c    *Change
	}{
		{"first", feed[0]},
		{"second", feed[1]},
		{"op without body", many},
		{"unicode network", unicode},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Encode(tc.c)
			must(t, err)
			got, err := Decode(b)
			if err != nil {
				t.Fatalf("Decode(Encode(%v)) = %v; want nil error", tc.c.Seq, err)
			}
			again, err := Encode(got)
			must(t, err)
			if !bytes.Equal(again, b) {
				t.Errorf("Encode(Decode(b)) = %x; want %x", again, b)
			}
			if got.ID() != tc.c.ID() {
				t.Errorf("Decode(b).ID() = %v; want %v", got.ID(), tc.c.ID())
			}
			if err := got.Verify(); err != nil {
				t.Errorf("Decode(b).Verify() = %v; want nil", err)
			}
		})
	}
}

func TestEncodeCanonical(t *testing.T) {
	c := testChange(t, 3)
	b1, err := Encode(c)
	must(t, err)
	b2, err := Encode(c)
	must(t, err)
	if !bytes.Equal(b1, b2) {
		t.Fatalf("Encode twice: %x then %x; want identical", b1, b2)
	}

	// Bodies from maps filled in different orders encode identically, and so
	// do the changes carrying them.
	keys := []string{"z", "a", "mm", "b", "aa", "title", "0", "江"}
	var encs [][]byte
	for _, order := range [][]int{{0, 1, 2, 3, 4, 5, 6, 7}, {7, 6, 5, 4, 3, 2, 1, 0}, {3, 0, 7, 1, 6, 2, 5, 4}} {
		m := map[string]any{}
		for _, i := range order {
			m[keys[i]] = map[string]int{keys[i]: i, "x": -i}
		}
		cc := *c
		cc.Ops = []Op{{Kind: "demand", ID: "d1", Type: "set", Body: mustMarshal(t, m)}}
		must(t, Sign(testKey(1), &cc))
		b, err := Encode(&cc)
		must(t, err)
		if _, err := Decode(b); err != nil {
			t.Fatalf("Decode(change with map body) = %v; want nil", err)
		}
		encs = append(encs, b)
	}
	for i := range encs[1:] {
		if !bytes.Equal(encs[0], encs[i+1]) {
			t.Errorf("Encode(map in order %d) = %x; want %x", i+1, encs[i+1], encs[0])
		}
	}
}

// field is one key/value pair of a hand-built change encoding.
type field struct{ k, v []byte }

// fieldsOf returns c's top-level map as separately encoded pairs.
func fieldsOf(t *testing.T, c *Change) []field {
	vals := []any{c.Network, c.Device, c.Seq, c.Prev, c.Stamp, c.Ops, c.Sig}
	fs := make([]field, len(vals))
	for i, v := range vals {
		fs[i] = field{k: []byte{byte(i + 1)}, v: mustMarshal(t, v)}
	}
	return fs
}

// rawMap encodes fields as a CBOR map in the given order (fewer than 24).
func rawMap(fs []field) []byte {
	b := []byte{0xa0 | byte(len(fs))}
	for _, f := range fs {
		b = append(append(b, f.k...), f.v...)
	}
	return b
}

func TestDecodeRejects(t *testing.T) {
	c := testChange(t, 2)
	good, err := Encode(c)
	must(t, err)
	h := func(s string) []byte { b, err := hex.DecodeString(s); must(t, err); return b }
	with := func(key int, v []byte) []byte {
		fs := fieldsOf(t, c)
		fs[key-1].v = v
		return rawMap(fs)
	}
	changed := func(f func(c *Change)) []byte {
		cc := *c
		cc.Ops = slices.Clone(c.Ops)
		f(&cc)
		b, err := encMode.Marshal(&cc)
		must(t, err)
		return b
	}
	body := func(b []byte) []byte { // one op whose Body is b, encoded by hand
		op := mustMarshal(t, Op{Kind: "demand", ID: "d1", Type: "set"})
		op[0] = 0xa4
		return with(6, slices.Concat([]byte{0x81}, op, []byte{0x04}, b))
	}
	fs := fieldsOf(t, c)

	if !bytes.Equal(rawMap(fs), good) {
		t.Fatalf("rawMap(fieldsOf(c)) = %x; want Encode(c) = %x", rawMap(fs), good)
	}

	for _, tc := range []struct {
		name string
		in   []byte
		want Reason
	}{
		{"good", good, ""},
		{"empty", nil, ReasonMalformed},
		{"truncated", good[:len(good)-1], ReasonMalformed},
		{"truncated header", good[:1], ReasonMalformed},
		{"trailing byte", append(slices.Clone(good), 0x00), ReasonMalformed},
		{"two changes", append(slices.Clone(good), good...), ReasonMalformed},
		{"not a map", mustMarshal(t, []any{1, 2}), ReasonMalformed},
		{"duplicate key", rawMap(append(slices.Clone(fs), fs[6])), ReasonMalformed},
		{"duplicate key unsorted", rawMap(append([]field{fs[6]}, fs...)), ReasonMalformed},
		{"unsorted keys", rawMap([]field{fs[1], fs[0], fs[2], fs[3], fs[4], fs[5], fs[6]}), ReasonMalformed},
		{"unknown key", rawMap(append(slices.Clone(fs), field{[]byte{0x08}, []byte{0x01}})), ReasonMalformed},
		{"missing sig", rawMap(fs[:6]), ReasonMalformed},
		{"missing ops", rawMap(slices.Concat(fs[:5], fs[6:])), ReasonMalformed},
		{"text key", rawMap(slices.Concat([]field{{mustMarshal(t, "1"), fs[0].v}}, fs[1:])), ReasonMalformed},
		{"non-shortest seq", with(3, h("1802")), ReasonMalformed},
		{"non-shortest seq 2 bytes", with(3, h("190002")), ReasonMalformed},
		{"non-shortest key", slices.Concat(h("a7"), h("1801"), fs[0].v, rawMap(fs[1:])[1:]), ReasonMalformed},
		{"indefinite map", slices.Concat(h("bf"), rawMap(fs)[1:], h("ff")), ReasonMalformed},
		{"indefinite network", with(1, h("7f656e65742d31ff")), ReasonMalformed},
		{"negative seq", with(3, h("21")), ReasonMalformed},
		{"seq 0", with(3, h("00")), ReasonMalformed},
		{"seq 1 with prev", with(3, h("01")), ReasonMalformed},
		{"seq 2 zero prev", with(4, mustMarshal(t, Hash{})), ReasonMalformed},
		{"short device", with(2, mustMarshal(t, c.Device[:31])), ReasonMalformed},
		{"long device", with(2, mustMarshal(t, append(c.Device[:], 0))), ReasonMalformed},
		{"short sig", with(7, mustMarshal(t, c.Sig[:63])), ReasonMalformed},
		{"empty network", with(1, mustMarshal(t, "")), ReasonMalformed},
		{"network not utf-8", with(1, h("62ff00")), ReasonMalformed},
		{"network as bytes", with(1, mustMarshal(t, []byte("net-1"))), ReasonMalformed},
		{"no ops", with(6, h("80")), ReasonMalformed},
		{"null ops", with(6, h("f6")), ReasonMalformed},
		{"op without kind", changed(func(c *Change) { c.Ops[1].Kind = "" }), ReasonMalformed},
		{"op without id", changed(func(c *Change) { c.Ops[0].ID = "" }), ReasonMalformed},
		{"op without type", changed(func(c *Change) { c.Ops[0].Type = "" }), ReasonMalformed},
		{"op unknown key", with(6, h("81a4016164026131036173056161")), ReasonMalformed},
		{"stamp as float", with(5, h("a201fb4278bcfe568000000200")), ReasonMalformed},
		{"tagged seq", with(3, h("c102")), ReasonMalformed},
		{"body float64 not shortest", body(h("fb3ff8000000000000")), ReasonMalformed},
		{"body float32 not shortest", body(h("fa3fc00000")), ReasonMalformed},
		{"body NaN not f97e00", body(h("f97e01")), ReasonMalformed},
		{"body float16", body(h("f93e00")), ""},
		{"body float64", body(h("fb3ff199999999999a")), ""},
		{"body duplicate key", body(h("a2616101616102")), ReasonMalformed},
		{"body unsorted keys", body(h("a2616201616101")), ReasonMalformed},
		{"body int key after text key", body(h("a26161010101")), ReasonMalformed},
		{"body int key before text key", body(h("a20101616101")), ""},
		{"body sorted keys", body(h("a2616101616201")), ""},
		{"body indefinite array", body(h("9f01ff")), ReasonMalformed},
		{"body small bignum", body(h("c24101")), ReasonMalformed},
		{"body bignum", body(h("c249010000000000000000")), ""},
		{"body simple in two bytes", body(h("f814")), ReasonMalformed},
		{"body text not utf-8", body(h("62c328")), ReasonMalformed},
		{"body too deep", body(append(bytes.Repeat(h("81"), MaxNestedLevels), 0)), ReasonMalformed},
		{"too large", make([]byte, MaxChangeSize+1), ReasonTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(tc.in)
			wantReason(t, "Decode("+shortHex(tc.in)+")", err, tc.want)
		})
	}
}

func shortHex(b []byte) string {
	if len(b) > 40 {
		return hex.EncodeToString(b[:40]) + "…"
	}
	return hex.EncodeToString(b)
}

func TestEncodeTooLarge(t *testing.T) {
	for _, tc := range []struct {
		name string
		size int
		want Reason
	}{
		{"fits", MaxChangeSize - 1024, ""},
		{"too large", MaxChangeSize, ReasonTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := testChange(t, 1)
			c.Ops = []Op{{Kind: "k", ID: "i", Type: "t", Body: mustMarshal(t, strings.Repeat("x", tc.size))}}
			must(t, Sign(testKey(1), c))
			b, err := Encode(c)
			wantReason(t, "Encode(change)", err, tc.want)
			if err == nil {
				if _, err := Decode(b); err != nil {
					t.Errorf("Decode(%d bytes) = %v; want nil", len(b), err)
				}
			}
		})
	}
}

func TestEncodeInvalidBody(t *testing.T) {
	c := testChange(t, 1)
	c.Ops[0].Body = []byte{0x62, 'a'} // truncated text string
	_, err := Encode(c)
	wantReason(t, "Encode(change with truncated body)", err, ReasonMalformed)
	if id := c.ID(); !id.IsZero() {
		t.Errorf("ID() = %v; want zero for an unencodable change", id)
	}
	if b := c.SigningBytes(); b != nil {
		t.Errorf("SigningBytes() = %x; want nil", b)
	}
}

func TestCheckCanonical(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"00", true}, {"17", true}, {"1818", true}, {"1817", false},
		{"1900ff", false}, {"190100", true}, {"1a0000ffff", false}, {"1a00010000", true},
		{"1b00000000ffffffff", false}, {"1b0000000100000000", true}, {"1c", false}, {"1f", false},
		{"20", true}, {"3817", false}, {"40", true}, {"4100", true}, {"41", false},
		{"60", true}, {"6161", true}, {"62c328", false}, {"80", true}, {"8101", true}, {"82", false},
		{"a0", true}, {"a10102", true}, {"a2010203", false}, {"a201020104", false}, {"a1", false},
		{"f4", true}, {"f6", true}, {"f7", true}, {"f813", false}, {"f820", true},
		{"f97e00", true}, {"f97c00", true}, {"f9fc00", true}, {"f97e01", false}, {"f9fe00", false},
		{"fa7f800000", false}, {"fa3fc00000", false}, {"fa47c35000", true}, {"fa33800000", false}, {"fa33000000", true},
		{"fb3ff8000000000000", false}, {"fb7ff0000000000000", false}, {"fb3fb999999999999a", true},
		{"c074323031332d30332d32315432303a30343a30305a", true}, {"c100", true}, {"d82000", true},
		{"c24101", false}, {"c2490100000000000000ff", true}, {"c249000100000000000000", false}, {"c201", false},
		{strings.Repeat("81", MaxNestedLevels) + "00", true}, {strings.Repeat("81", MaxNestedLevels+1) + "00", false},
		{strings.Repeat("c1", MaxNestedLevels) + "00", true}, {strings.Repeat("c1", MaxNestedLevels+1) + "00", false},
		{"ff", false}, {"5f40ff", false}, {"0000", false}, {"", false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			b, err := hex.DecodeString(tc.in)
			must(t, err)
			if err := checkCanonical(b); (err == nil) != tc.ok {
				t.Errorf("checkCanonical(%s) = %v; want ok=%v", tc.in, err, tc.ok)
			}
		})
	}
}

func TestFitsFloat16(t *testing.T) {
	// Every float16 value converted to float32 must fit; the next float32 after
	// each finite non-zero one must not (float16 has 10 fraction bits).
	for h := 0; h < 1<<16; h++ {
		b, err := Marshal(float32FromHalf(uint16(h)))
		must(t, err)
		f := float32FromHalf(uint16(h))
		if f != f {
			continue
		}
		if !fitsFloat16(f) {
			t.Fatalf("fitsFloat16(%v from half %#04x) = false; want true (encoded %x)", f, h, b)
		}
	}
	for _, f := range []float32{1.0009765625 + 1.0/(1<<12), 65520, 1e-8, 0.1, 3.4e38} {
		if fitsFloat16(f) {
			t.Errorf("fitsFloat16(%v) = true; want false", f)
		}
	}
}

// float32FromHalf decodes an IEEE 754 half through the CBOR decoder.
func float32FromHalf(h uint16) float32 {
	var f float32
	if err := decMode.Unmarshal([]byte{0xf9, byte(h >> 8), byte(h)}, &f); err != nil {
		panic(err)
	}
	return f
}
