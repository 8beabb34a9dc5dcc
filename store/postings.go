package store

import (
	"encoding/binary"
	"fmt"
	"slices"
	"unsafe"
)

// gramIndex is the bigram index of a demand table's texts: for each pair of
// consecutive runes in a field of a row's text (gram), the slots of the rows
// that hold it, ascending. The lists of a table loaded from a views
// snapshot stay as the snapshot packs them (packPostings: a count, the
// first slot, then the differences, as uvarints), in the mapped file or one
// copy of its bytes, and are decoded when a search reads them: at 100,000
// demands they are 5.5 MB there against 20 MB as Go slices. A list that
// rows put or removed change is decoded once into changed, which answers for
// it from then on. A table built by folding records keeps every list in
// changed. Not safe for concurrent use; demandIndex guards it.
type gramIndex struct {
	keys []uint64 // the packed lists' grams, ascending
	offs []uint32 // where each one's list starts in packed
	// packed holds the lists of keys (a slice of the snapshot's postings:
	// in the mapping, never modified, or a copy).
	packed string
	// changed are the lists made or changed since (a gram absent from keys,
	// or whose packed list is stale): an empty list is a gram no row holds.
	changed map[uint64][]uint32
}

func newGramIndex() *gramIndex { return &gramIndex{changed: map[uint64][]uint32{}} }

// get returns the slots of the rows that hold g, ascending, and whether any
// does. A list of packed is decoded into a new slice; one of changed is
// returned as it is (the caller must not modify it).
func (x *gramIndex) get(g uint64) ([]uint32, bool) {
	if l, ok := x.changed[g]; ok {
		return l, len(l) > 0
	}
	i, ok := slices.BinarySearch(x.keys, g)
	if !ok {
		return nil, false
	}
	return decodePosting(x.packed[x.offs[i]:]), true
}

// edit returns the list of g for a change: decoded into changed first when
// it is still packed. set stores it back.
func (x *gramIndex) edit(g uint64) []uint32 {
	if l, ok := x.changed[g]; ok {
		return l
	}
	l, _ := x.get(g)
	x.changed[g] = l
	return l
}

// set stores l as the list of g (empty: no row holds g).
func (x *gramIndex) set(g uint64, l []uint32) {
	if len(l) == 0 {
		if _, packed := slices.BinarySearch(x.keys, g); !packed {
			delete(x.changed, g)
			return
		}
	}
	x.changed[g] = l
}

// trim gives back the slack that appending left in the changed lists.
func (x *gramIndex) trim() {
	for g, l := range x.changed {
		if cap(l) > len(l)+len(l)/4 {
			x.changed[g] = slices.Clone(l)
		}
	}
}

// decodePosting decodes the list that starts b (checked by indexPostings).
func decodePosting(b string) []uint32 {
	p := unsafe.Slice(unsafe.StringData(b), len(b))
	c, k := binary.Uvarint(p)
	p = p[k:]
	out := make([]uint32, c)
	var s uint64
	for i := range out {
		d, k := binary.Uvarint(p)
		p = p[k:]
		s += d
		out[i] = uint32(s)
	}
	return out
}

// indexPostings indexes what packPostings wrote for rows rows, leaving the
// lists in b (inPlace: b is a mapped file's and outlives the index) or in
// one copy of it, after checking every list: ascending, distinct, each slot
// below rows. It returns the index and the greatest slot named (-1 for
// none). Errors: it does not decode, or a slot is out of order or range.
func indexPostings(b []byte, rows int, inPlace bool) (*gramIndex, int, error) {
	r := &packReader{b: b}
	n, total := r.u(), r.u()
	if n > uint64(len(b)) || total > uint64(len(b)) {
		return nil, 0, fmt.Errorf("postings: %w", errPacked)
	}
	x := newGramIndex()
	x.keys, x.offs = make([]uint64, 0, n), make([]uint32, 0, n)
	var g, seen uint64
	last := -1
	for j := uint64(0); j < n && r.err == nil; j++ {
		dg := r.u()
		if j > 0 && dg == 0 {
			r.fail()
			break
		}
		g += dg
		off := len(b) - len(r.b)
		c := r.u()
		if c == 0 || c > uint64(len(r.b)) {
			r.fail()
			break
		}
		var s uint64
		for k := uint64(0); k < c; k++ {
			d := r.u()
			if (k > 0 && d == 0) || d >= uint64(rows) {
				r.fail()
				break
			}
			s += d
			if s >= uint64(rows) {
				r.fail()
				break
			}
		}
		if seen += c; seen > total {
			r.fail()
			break
		}
		last = max(last, int(s))
		x.keys, x.offs = append(x.keys, g), append(x.offs, uint32(off))
	}
	if r.err == nil && (len(r.b) != 0 || seen != total || uint64(len(x.keys)) != n) {
		r.fail()
	}
	if r.err != nil {
		return nil, 0, fmt.Errorf("postings: %w", r.err)
	}
	if inPlace {
		x.packed = unsafe.String(unsafe.SliceData(b), len(b))
	} else {
		x.packed = string(b)
	}
	return x, last, nil
}

// unpackPostings reads what packPostings wrote for rows rows into lists by
// gram (indexPostings, every list decoded). Errors: as indexPostings.
func unpackPostings(b []byte, rows int) (map[uint64][]uint32, error) {
	x, _, err := indexPostings(b, rows, false)
	if err != nil {
		return nil, err
	}
	out := make(map[uint64][]uint32, len(x.keys))
	for _, g := range x.keys {
		out[g], _ = x.get(g)
	}
	return out, nil
}
