package ledger

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// VersionVector maps each device to the highest seq of its feed that a peer
// holds contiguously from 1 (it holds changes 1..v[d] of d's feed). A device
// that is absent has seq 0. The nil VersionVector is an empty, usable vector:
// reads work on it and the pointer methods allocate on first write.
type VersionVector map[DeviceID]uint64

// Range is an inclusive range of seqs of one feed, From <= To.
type Range struct {
	From, To uint64
}

// Len returns the number of seqs in r.
func (r Range) Len() uint64 { return r.To - r.From + 1 }

// String returns "from-to".
func (r Range) String() string { return fmt.Sprintf("%d-%d", r.From, r.To) }

// Get returns the highest contiguous seq held of d's feed, 0 if none.
func (v VersionVector) Get(d DeviceID) uint64 { return v[d] }

// Set records seq as the highest contiguous seq of d's feed; seq 0 removes d.
func (v *VersionVector) Set(d DeviceID, seq uint64) {
	if seq == 0 {
		delete(*v, d)
		return
	}
	if *v == nil {
		*v = make(VersionVector)
	}
	(*v)[d] = seq
}

// Merge raises every entry of v to the corresponding entry of o (pointwise max).
func (v *VersionVector) Merge(o VersionVector) {
	for d, seq := range o {
		if seq > v.Get(d) {
			v.Set(d, seq)
		}
	}
}

// Missing returns, for each device where other is ahead of v, the seqs other
// has and v lacks: v[d]+1 through other[d]. It returns nil when v dominates
// other. This is what a peer with vector v asks a peer with vector other for.
func (v VersionVector) Missing(other VersionVector) map[DeviceID]Range {
	var m map[DeviceID]Range
	for d, seq := range other {
		if have := v[d]; seq > have {
			if m == nil {
				m = make(map[DeviceID]Range)
			}
			m[d] = Range{From: have + 1, To: seq}
		}
	}
	return m
}

// Dominates reports whether v holds everything o holds: v[d] >= o[d] for every
// device. Every vector dominates itself and the empty vector.
func (v VersionVector) Dominates(o VersionVector) bool {
	for d, seq := range o {
		if v[d] < seq {
			return false
		}
	}
	return true
}

// Equal reports whether v and o hold the same seqs (absent equals 0).
func (v VersionVector) Equal(o VersionVector) bool { return v.Dominates(o) && o.Dominates(v) }

// Clone returns a copy of v that shares no memory with it, without zero
// entries (nil if v is empty).
func (v VersionVector) Clone() VersionVector {
	var c VersionVector
	for d, seq := range v {
		c.Set(d, seq)
	}
	return c
}

// devices returns v's devices with a non-zero seq, sorted by id.
func (v VersionVector) devices() []DeviceID {
	ds := slices.Collect(maps.Keys(v))
	ds = slices.DeleteFunc(ds, func(d DeviceID) bool { return v[d] == 0 })
	slices.SortFunc(ds, DeviceID.Compare)
	return ds
}

// String returns a compact form for logs, devices in id order by short id:
// "{abcdefgh:12 ijklmnop:3}".
func (v VersionVector) String() string {
	var sb strings.Builder
	sb.WriteByte('{')
	for i, d := range v.devices() {
		if i > 0 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "%s:%d", d.Short(), v[d])
	}
	sb.WriteByte('}')
	return sb.String()
}

// MarshalCBOR encodes v canonically as a CBOR map from 32-byte device id
// (byte string) to seq, zero entries left out; an empty or nil vector is the
// empty map (a0). Equal vectors have equal encodings.
func (v VersionVector) MarshalCBOR() ([]byte, error) {
	m := make(map[DeviceID]uint64, len(v))
	for d, seq := range v {
		if seq != 0 {
			m[d] = seq
		}
	}
	return encMode.Marshal(m)
}

// UnmarshalCBOR decodes the encoding produced by MarshalCBOR into *v,
// replacing its contents. It accepts only that exact (canonical) form, with at
// most MaxMapPairs devices and no zero seqs; anything else is a *RejectError
// with ReasonMalformed and leaves *v unchanged.
func (v *VersionVector) UnmarshalCBOR(b []byte) error {
	bad := func(err error) error {
		return &RejectError{Reason: ReasonMalformed, Err: fmt.Errorf("decode version vector: %w", err)}
	}
	if err := checkCanonical(b); err != nil {
		return bad(err)
	}
	var m map[DeviceID]uint64
	if err := decMode.Unmarshal(b, &m); err != nil {
		return bad(err)
	}
	if m == nil {
		return bad(fmt.Errorf("not a map"))
	}
	for d, seq := range m {
		if seq == 0 {
			return bad(fmt.Errorf("device %s has seq 0", d.Short()))
		}
	}
	if again, err := encMode.Marshal(m); err != nil || !bytes.Equal(again, b) {
		return bad(fmt.Errorf("not canonical"))
	}
	*v = m
	return nil
}
