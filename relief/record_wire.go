package relief

import (
	"cmp"
	"slices"
	"strings"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// This file encodes a Record by hand, without reflection, for the store's
// write path (every record a change touches is encoded again). The bytes
// are exactly encMode.Marshal's (RFC 8949 core deterministic encoding of
// the struct tags in record.go and model.go): Kind, ID, Fields (their
// value and Meta) and First/Last are written here; Sets, Transitions, a
// field's superseded writes (Prev) and sights (Seen), Grants, Erased and Erasures, whose types change
// with new operations, go through encMode.Marshal as parts (a canonical
// encoding is the concatenation of its parts' canonical encodings).
// TestRecordWireMatchesReflection checks it over random records, and
// TestRecordWireKnowsEveryField fails when Record, Field or Meta gain a
// field this file does not write.

// The CBOR heads are ledger's (ledger.AppendCBORHead and its kin).
const (
	cborUint  = ledger.CBORUint
	cborBytes = ledger.CBORBytes
	cborArray = ledger.CBORArray
	cborMap   = ledger.CBORMap
)

var (
	appendCBORHead = ledger.AppendCBORHead
	appendCBORInt  = ledger.AppendCBORInt
	appendCBORText = ledger.AppendCBORText
)

// appendMeta appends m as its toarray encoding: [stamp, device, seq, index, change].
func appendMeta(dst []byte, m *Meta) []byte {
	dst = append(dst, cborArray|5, cborMap|2, 0x01)
	dst = appendCBORInt(dst, m.Stamp.Wall)
	dst = appendCBORHead(append(dst, 0x02), cborUint, uint64(m.Stamp.Logical))
	dst = append(append(dst, cborBytes|24, 32), m.Device[:]...)
	dst = appendCBORHead(dst, cborUint, m.Seq)
	dst = appendCBORInt(dst, int64(m.Index))
	return append(append(dst, cborBytes|24, 32), m.Change[:]...)
}

// appendRaw appends a cbor.RawMessage as encMode.Marshal does: null when
// empty, else the bytes, once ledger.WellformedItem accepts them.
func appendRaw(dst []byte, b []byte) ([]byte, error) {
	if len(b) == 0 {
		return append(dst, 0xf6), nil
	}
	if err := ledger.WellformedItem(b); err != nil {
		return nil, err
	}
	return append(dst, b...), nil
}

// encodeRecordWire returns the canonical encoding of r; the error is
// encMode.Marshal's for the same record (a field value that is not
// well-formed CBOR).
func encodeRecordWire(r *Record) ([]byte, error) { return encodeRecordAs(r, false) }

// encodeRecordStored returns the stored form of r (EncodeRecordStored): the
// canonical encoding but for each field whose Meta equals the record's First
// (or, failing that, Last), which says so by key 550 (fieldRefFirst,
// fieldRefLast) in place of its Meta at key 2. It is deterministic: the same
// record gives the same bytes.
func encodeRecordStored(r *Record) ([]byte, error) { return encodeRecordAs(r, true) }

// fieldRef tells, in a field's stored form, which of the record's metas is
// the field's: key 550, in place of the Meta at key 2 (see
// EncodeRecordStored). 0 is "not a reference" (the key is absent).
const (
	fieldRefFirst = 1 // the field's Meta is the record's First
	fieldRefLast  = 2 // the field's Meta is the record's Last
)

// refOf returns the fieldRef of m in r's stored form, 0 when m is written out.
func refOf(r *Record, m *Meta) byte {
	if r.First != nil && *m == *r.First {
		return fieldRefFirst
	}
	if r.Last != nil && *m == *r.Last {
		return fieldRefLast
	}
	return 0
}

// encodeRecordAs is encodeRecordWire, or with stored encodeRecordStored.
func encodeRecordAs(r *Record, stored bool) ([]byte, error) {
	// One walk of the map takes the field names and the size to reserve;
	// the names of a record of up to len(few) fields stay on the stack.
	var few [24]string
	names := few[:0]
	if len(r.Fields) > len(few) {
		names = make([]string, 0, len(r.Fields))
	}
	size := 16 + len(r.Kind) + len(r.ID) + 2*100
	for name, f := range r.Fields {
		size += 12 + len(name) + len(f.Value) + 100
		if stored && refOf(r, &f.Meta) != 0 {
			size -= 96 // a reference (4 bytes) where a Meta would be
		}
		names = append(names, name)
	}
	dst := make([]byte, 0, size)
	pairs := uint64(2)
	for _, present := range []bool{len(r.Fields) > 0, len(r.Sets) > 0, len(r.Transitions) > 0, r.First != nil, r.Last != nil, len(r.Grants) > 0, r.Erased != nil, len(r.Erasures) > 0} {
		if present {
			pairs++
		}
	}
	dst = appendCBORHead(dst, cborMap, pairs)
	dst = appendCBORText(append(dst, 0x01), r.Kind)
	dst = appendCBORText(append(dst, 0x02), r.ID)
	var err error
	if len(r.Fields) > 0 {
		dst = appendCBORHead(append(dst, 0x03), cborMap, uint64(len(r.Fields)))
		// Keys in the bytewise order of their encodings: a text's head grows
		// with its length, so shorter keys first, then bytewise.
		slices.SortFunc(names, func(a, b string) int {
			if c := cmp.Compare(len(a), len(b)); c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
		for _, name := range names {
			f := r.Fields[name]
			dst = appendCBORText(dst, name)
			keys := byte(2)
			var ref byte
			if stored {
				ref = refOf(r, &f.Meta)
			}
			if len(f.Prev()) > 0 {
				keys++
			}
			if len(f.Seen()) > 0 {
				keys++
			}
			dst = append(dst, cborMap|keys, 0x01)
			if dst, err = appendRaw(dst, f.Value); err != nil {
				return nil, err
			}
			if ref == 0 {
				dst = appendMeta(append(dst, 0x02), &f.Meta)
			}
			if len(f.Prev()) > 0 { // key 24, after 1 and 2 in bytewise order
				b, err := encMode.Marshal(f.Prev())
				if err != nil {
					return nil, err
				}
				dst = append(append(dst, cborUint|24, 24), b...)
			}
			if len(f.Seen()) > 0 { // key 40
				b, err := encMode.Marshal(f.Seen())
				if err != nil {
					return nil, err
				}
				dst = append(append(dst, cborUint|24, 40), b...)
			}
			if ref != 0 { // key 550, after 40: the reference in place of key 2
				dst = append(dst, cborUint|25, 0x02, 0x26, ref)
			}
		}
	}
	if len(r.Sets) > 0 {
		b, err := encMode.Marshal(r.Sets)
		if err != nil {
			return nil, err
		}
		dst = append(append(dst, 0x04), b...)
	}
	if len(r.Transitions) > 0 {
		b, err := encMode.Marshal(r.Transitions)
		if err != nil {
			return nil, err
		}
		dst = append(append(dst, 0x05), b...)
	}
	if r.First != nil {
		dst = appendMeta(append(dst, 0x06), r.First)
	}
	if r.Last != nil {
		dst = appendMeta(append(dst, 0x07), r.Last)
	}
	if len(r.Grants) > 0 { // key 28
		b, err := encMode.Marshal(r.Grants)
		if err != nil {
			return nil, err
		}
		dst = append(append(dst, cborUint|24, 28), b...)
	}
	if r.Erased != nil { // key 29
		b, err := encMode.Marshal(r.Erased)
		if err != nil {
			return nil, err
		}
		dst = append(append(dst, cborUint|24, 29), b...)
	}
	if len(r.Erasures) > 0 { // key 44
		b, err := encMode.Marshal(r.Erasures)
		if err != nil {
			return nil, err
		}
		dst = append(append(dst, cborUint|24, 44), b...)
	}
	return dst, nil
}
