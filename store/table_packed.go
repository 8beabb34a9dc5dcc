package store

import (
	"fmt"
	"sync"
	"unsafe"

	"github.com/reliefmesh/reliefmesh/relief"
)

// packedView is a demand's list view as a row of the demand table keeps it:
// in the packed format of a views snapshot's rows (packWriter.demand), b the
// view's bytes and arena the string its strings are slices of. A row loaded
// from a snapshot points into the copy of its chunk (b a slice of the
// chunk's rows, arena the chunk's arena, shared by its 2,048 rows); a row
// folded from a record has its own (packView). Both strings are never
// modified. A list view costs here about a third of the 648-byte
// relief.Demand and its slices, and is decoded only for the rows a query
// returns.
type packedView struct {
	b, arena string
}

// viewWriters are packWriters reused by packView (rows are made on every
// core).
var viewWriters = sync.Pool{New: func() any { return newPackWriter() }}

// packView packs the list view d (History is never written) into one
// allocation: its arena, then its bytes.
func packView(d *relief.Demand) packedView {
	w := viewWriters.Get().(*packWriter)
	w.buf, w.arena = w.buf[:0], w.arena[:0]
	w.few, w.spans = true, w.spans[:0] // a view's strings found by a scan (packWriter.offset)
	w.demand(d)
	la := len(w.arena)
	buf := make([]byte, la+len(w.buf))
	copy(buf, w.arena)
	copy(buf[la:], w.buf)
	if len(w.seen) > 0 { // a view of many strings turned to the map
		if len(w.seen) > 1024 { // a huge demand: do not keep its map's buckets
			w.seen = map[string]uint32{}
		} else {
			clear(w.seen)
		}
	}
	if cap(w.buf) > 64<<10 || cap(w.arena) > 64<<10 {
		w.buf, w.arena = nil, nil
	}
	viewWriters.Put(w)
	if len(buf) == 0 {
		return packedView{}
	}
	s := unsafe.String(unsafe.SliceData(buf), len(buf))
	return packedView{arena: s[:la], b: s[la:]}
}

// decode reads the list view into d, every field of which it sets; with
// reuse into d's slices (a scratch demand: nothing may keep them). Errors:
// the bytes do not decode or are followed by others (errPacked).
func (p packedView) decode(d *relief.Demand, reuse bool) error {
	r := packReader{b: unsafe.Slice(unsafe.StringData(p.b), len(p.b)), arena: p.arena, reuse: reuse}
	r.demand(d)
	if r.err == nil && len(r.b) != 0 {
		return fmt.Errorf("%d bytes after the list view: %w", len(r.b), errPacked)
	}
	return r.err
}

// title reads only the title of the list view (its third field): no
// allocation, the string shares the view's arena. Errors: the bytes do not
// decode (errPacked).
func (p packedView) title() (string, error) {
	r := packReader{b: unsafe.Slice(unsafe.StringData(p.b), len(p.b)), arena: p.arena}
	r.s() // id
	r.s() // code
	t := r.s()
	return t, r.err
}

// residentView returns the fields of d that a demand row keeps resident
// (demandRow.setView reads): id, code, creation stamp, status, urgency,
// category, district, place, Uncreated and owner.
func residentView(d *relief.Demand) relief.Demand {
	return relief.Demand{ID: d.ID, Code: d.Code, CreatedAt: d.CreatedAt, Status: d.Status, Urgency: d.Urgency,
		Category: d.Category, District: d.District, Place: d.Place, Uncreated: d.Uncreated, Owner: d.Owner}
}
