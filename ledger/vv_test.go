package ledger

import (
	"encoding/hex"
	"maps"
	"testing"
)

func dev(n byte) DeviceID { return DeviceOf(testKey(n)) }

func TestVersionVectorZeroValue(t *testing.T) {
	var v VersionVector
	if got := v.Get(dev(1)); got != 0 {
		t.Errorf("nil.Get = %d; want 0", got)
	}
	if !v.Equal(nil) || !v.Dominates(nil) || v.Missing(nil) != nil || v.Clone() != nil || v.String() != "{}" {
		t.Errorf("nil vector: Equal/Dominates/Missing/Clone/String = %v/%v/%v/%v/%q; want true/true/nil/nil/{}",
			v.Equal(nil), v.Dominates(nil), v.Missing(nil), v.Clone(), v.String())
	}
	v.Merge(nil)
	v.Set(dev(1), 0)
	if v != nil {
		t.Errorf("nil after Merge(nil), Set(d, 0) = %v; want still nil", v)
	}
	b, err := v.MarshalCBOR()
	must(t, err)
	if hex.EncodeToString(b) != "a0" {
		t.Errorf("nil.MarshalCBOR() = %x; want a0", b)
	}
	v.Set(dev(1), 3)
	if got := v.Get(dev(1)); got != 3 {
		t.Errorf("Get after Set(d, 3) = %d; want 3", got)
	}
	var w VersionVector
	w.Merge(v)
	if !w.Equal(v) {
		t.Errorf("zero.Merge(%v) = %v; want equal", v, w)
	}
}

func TestVersionVectorMergeMissing(t *testing.T) {
	a, b, c, d := dev(1), dev(2), dev(3), dev(4)
	for _, tc := range []struct {
		name      string
		v, o      VersionVector
		merged    VersionVector
		missing   map[DeviceID]Range
		dominates bool
	}{
		{"equal", VersionVector{a: 3}, VersionVector{a: 3}, VersionVector{a: 3}, nil, true},
		{"other ahead", VersionVector{a: 3, b: 1}, VersionVector{a: 5, b: 1},
			VersionVector{a: 5, b: 1}, map[DeviceID]Range{a: {4, 5}}, false},
		{"other has new device", VersionVector{a: 3}, VersionVector{b: 2},
			VersionVector{a: 3, b: 2}, map[DeviceID]Range{b: {1, 2}}, false},
		{"concurrent", VersionVector{a: 9, b: 1, c: 4}, VersionVector{a: 2, b: 7, d: 1},
			VersionVector{a: 9, b: 7, c: 4, d: 1}, map[DeviceID]Range{b: {2, 7}, d: {1, 1}}, false},
		{"v ahead", VersionVector{a: 9, b: 1}, VersionVector{a: 2}, VersionVector{a: 9, b: 1}, nil, true},
		{"zero entries", VersionVector{a: 1, b: 0}, VersionVector{b: 0}, VersionVector{a: 1}, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.v.Missing(tc.o); !maps.Equal(got, tc.missing) {
				t.Errorf("%v.Missing(%v) = %v; want %v", tc.v, tc.o, got, tc.missing)
			}
			if got := tc.v.Dominates(tc.o); got != tc.dominates {
				t.Errorf("%v.Dominates(%v) = %v; want %v", tc.v, tc.o, got, tc.dominates)
			}
			m := tc.v.Clone()
			m.Merge(tc.o)
			if !m.Equal(tc.merged) {
				t.Errorf("%v.Merge(%v) = %v; want %v", tc.v, tc.o, m, tc.merged)
			}
			if !m.Dominates(tc.v) || !m.Dominates(tc.o) || m.Missing(tc.o) != nil {
				t.Errorf("merge %v does not dominate both inputs", m)
			}
			if tc.v.Equal(tc.o) != (tc.v.Dominates(tc.o) && tc.o.Dominates(tc.v)) {
				t.Errorf("Equal disagrees with mutual Dominates")
			}
		})
	}
}

func TestVersionVectorCloneIndependent(t *testing.T) {
	v := VersionVector{dev(1): 1}
	c := v.Clone()
	c.Set(dev(1), 5)
	if v.Get(dev(1)) != 1 {
		t.Errorf("Set on Clone changed the original: %v", v)
	}
}

func TestVersionVectorCBOR(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    VersionVector
	}{
		{"empty", VersionVector{}},
		{"one", VersionVector{dev(1): 1}},
		{"several", VersionVector{dev(1): 1, dev(2): 1 << 40, dev(3): 24, dev(4): 7}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.v.MarshalCBOR()
			must(t, err)
			var got VersionVector
			if err := got.UnmarshalCBOR(b); err != nil {
				t.Fatalf("UnmarshalCBOR(%x) = %v; want nil", b, err)
			}
			if !got.Equal(tc.v) {
				t.Errorf("UnmarshalCBOR(MarshalCBOR(%v)) = %v", tc.v, got)
			}
			// As a field of a larger message, through Marshal.
			b2, err := Marshal(struct{ V VersionVector }{tc.v})
			must(t, err)
			var s struct{ V VersionVector }
			if err := Unmarshal(b2, &s); err != nil || !s.V.Equal(tc.v) {
				t.Errorf("Unmarshal(Marshal(struct{%v})) = %v, %v", tc.v, s.V, err)
			}
		})
	}
	a, b := dev(1), dev(2)
	d1, d2 := hex.EncodeToString(a[:]), hex.EncodeToString(b[:])
	lo, hi := d1, d2
	if lo > hi {
		lo, hi = hi, lo
	}
	for _, tc := range []struct{ name, in string }{
		{"not a map", "80"},
		{"null", "f6"},
		{"zero seq", "a15820" + d1 + "00"},
		{"short key", "a1581f" + d1[:62] + "01"},
		{"text key", "a161610101"},
		{"unsorted", "a25820" + hi + "015820" + lo + "01"},
		{"duplicate", "a25820" + lo + "015820" + lo + "02"},
		{"non-shortest seq", "a15820" + d1 + "1801"},
		{"trailing", "a0a0"},
		{"indefinite", "bfff"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := hex.DecodeString(tc.in)
			must(t, err)
			v := VersionVector{dev(9): 9}
			wantReason(t, "UnmarshalCBOR("+tc.name+")", v.UnmarshalCBOR(b), ReasonMalformed)
			if v.Get(dev(9)) != 9 || len(v) != 1 {
				t.Errorf("failed UnmarshalCBOR changed the vector to %v", v)
			}
		})
	}
}

func TestVersionVectorString(t *testing.T) {
	a, b := dev(1), dev(2)
	if a.Compare(b) > 0 {
		a, b = b, a
	}
	v := VersionVector{b: 3, a: 12}
	want := "{" + a.Short() + ":12 " + b.Short() + ":3}"
	if got := v.String(); got != want {
		t.Errorf("String() = %q; want %q", got, want)
	}
}
