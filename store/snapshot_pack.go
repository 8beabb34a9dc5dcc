package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// The packed rows of a views snapshot (format 3): a chunk's demand rows are
// written field by field, without reflection, as unsigned and signed varints,
// little-endian float64s and 32-byte ids, every string as its length and its
// offset in the chunk's one string arena. A chunk is three parts:
//
//	arena     uvarint length, then the strings' bytes, each string once
//	views     uvarint length, then the rows' list views (packWriter.demand),
//	          end to end, in the rows' order
//	rows      uvarint count, then each row (packWriter.row): its text, the
//	          fields a demand row keeps resident (packWriter.key), the length
//	          of its list view in views, then what it waits for, its actors
//	          and its awards
//
// so that an open reads only the rows' keys and leaves every list view where
// it lies (a mapped file, snapshot_map.go), decoded only when a page shows it
// (format 2 interleaved the views with the rows: an open decoded all of
// them, 34 % of the first screen's CPU at 300,000 demands).
//
// A row's text (the lower-cased fields searches match) is written first, and
// its fields are offered to the strings that follow: a Chinese title or
// address shares its bytes with the text, as the table keeps them
// (demandTable.keepText).
//
// A slice is written as its length plus one, 0 for nil, so that nil and empty
// slices come back as they were (JSON tells them apart). Times are written
// as UTC instants (every time of a fold is UTC); the zero time as 0.
//
// TestSnapshotCarriesEveryField fills every field of a row and its demand
// with values and fails when one does not come back: a field added to
// relief.Demand (or a type it holds) must be added here.

// packWriter writes the packed rows of one chunk.
type packWriter struct {
	buf   []byte
	arena []byte
	seen  map[string]uint32 // offset in arena of each string written
	// few says that the strings written are found by a scan of spans
	// rather than in seen: one list view (packView) writes 20-40, for which
	// the scan costs a third of the map's inserts and clear. Past
	// packFewMax distinct strings the writer turns to seen.
	few   bool
	spans []arenaSpan
}

// arenaSpan is where a string written lies in a packWriter's arena.
type arenaSpan struct{ off, n uint32 }

// packFewMax is the most distinct strings a packWriter in few mode finds
// by a scan.
const packFewMax = 64

func newPackWriter() *packWriter {
	return &packWriter{seen: map[string]uint32{}}
}

func (w *packWriter) u(v uint64) { w.buf = binary.AppendUvarint(w.buf, v) }
func (w *packWriter) i(v int64)  { w.buf = binary.AppendVarint(w.buf, v) }
func (w *packWriter) f(v float64) {
	w.buf = binary.LittleEndian.AppendUint64(w.buf, math.Float64bits(v))
}

func (w *packWriter) b(v bool) {
	if v {
		w.buf = append(w.buf, 1)
	} else {
		w.buf = append(w.buf, 0)
	}
}

// n writes the length of a slice: 0 for nil, else its length plus one.
func (w *packWriter) n(l int, isNil bool) {
	if isNil {
		w.u(0)
		return
	}
	w.u(uint64(l) + 1)
}

// s writes a string: its length, and when not empty its offset in the arena,
// where it is put unless the same string already lies there.
func (w *packWriter) s(v string) {
	w.u(uint64(len(v)))
	if len(v) == 0 {
		return
	}
	w.u(uint64(w.offset(v)))
}

// offset returns the offset in arena of v (not empty), written there if it
// is not yet.
func (w *packWriter) offset(v string) uint32 {
	if w.few {
		for _, sp := range w.spans {
			if int(sp.n) == len(v) && string(w.arena[sp.off:sp.off+sp.n]) == v {
				return sp.off
			}
		}
		off := uint32(len(w.arena))
		w.arena = append(w.arena, v...)
		if len(w.spans) < packFewMax {
			w.spans = append(w.spans, arenaSpan{off, uint32(len(v))})
			return off
		}
		// A view of many strings: the map from here on.
		w.few = false
		for _, sp := range w.spans {
			w.seen[string(w.arena[sp.off:sp.off+sp.n])] = sp.off
		}
		w.seen[v] = off
		return off
	}
	off, ok := w.seen[v]
	if !ok {
		off = uint32(len(w.arena))
		w.arena = append(w.arena, v...)
		w.seen[v] = off
	}
	return off
}

// text writes a row's text and offers its fields (separated by 0) to the
// strings written after it.
func (w *packWriter) text(v string) {
	w.s(v)
	if v == "" {
		return
	}
	base := w.seen[v]
	at := 0
	for at < len(v) {
		j := strings.IndexByte(v[at:], 0)
		if j < 0 {
			j = len(v) - at
		}
		if f := v[at : at+j]; f != "" {
			if _, ok := w.seen[f]; !ok {
				w.seen[f] = base + uint32(at)
			}
		}
		at += j + 1
	}
}

func (w *packWriter) dev(d ledger.DeviceID) {
	if d.IsZero() {
		w.buf = append(w.buf, 0)
		return
	}
	w.buf = append(w.buf, 1)
	w.buf = append(w.buf, d[:]...)
}

func (w *packWriter) hash(h ledger.Hash) {
	if h.IsZero() {
		w.buf = append(w.buf, 0)
		return
	}
	w.buf = append(w.buf, 1)
	w.buf = append(w.buf, h[:]...)
}

func (w *packWriter) stamp(s ledger.Stamp) {
	w.i(s.Wall)
	w.u(uint64(s.Logical))
}

func (w *packWriter) time(t time.Time) {
	if t.IsZero() {
		w.u(0)
		return
	}
	w.u(1)
	w.i(t.Unix())
	w.u(uint64(t.Nanosecond()))
}

// row writes one snapshot row (all but its Entry): its text, its key, the
// length of its list view, which it appends to views, and the rest. It
// returns views.
func (w *packWriter) row(sr *snapRow, views []byte) []byte {
	w.text(sr.Text)
	w.key(&sr.View)
	rows, from := w.buf, len(views)
	w.buf = views
	w.demand(&sr.View)
	views, w.buf = w.buf, rows
	w.u(uint64(len(views) - from))
	w.rest(sr)
	return views
}

// key writes the fields of a list view that a demand row keeps resident
// (residentView): id, code, creation stamp, status, urgency, category,
// district, place, Uncreated and owner.
func (w *packWriter) key(d *relief.Demand) {
	w.s(d.ID)
	w.s(d.Code)
	w.stamp(d.CreatedAt)
	w.s(string(d.Status))
	w.s(string(d.Urgency))
	w.s(d.Category)
	w.s(d.District)
	w.s(d.Place.Code)
	w.s(d.Place.Country)
	w.s(d.Place.Province)
	w.s(d.Place.City)
	w.s(d.Place.County)
	w.b(d.Uncreated)
	w.dev(d.Owner)
}

// rest writes what follows a row's key and view length.
func (w *packWriter) rest(sr *snapRow) {
	w.s(sr.Wait)
	w.time(sr.WaitSince)
	w.n(len(sr.Actors), sr.Actors == nil)
	for _, a := range sr.Actors {
		w.dev(a)
	}
	w.n(len(sr.Awards), sr.Awards == nil)
	for _, e := range sr.Awards {
		w.dev(e.Member)
		w.s(string(e.Award.Rule))
		w.s(e.Award.Kind)
		w.s(e.Award.Entity)
		w.stamp(e.Award.At)
		w.i(int64(e.Award.Points))
	}
}

// demand writes a list view (History is never part of one).
func (w *packWriter) demand(d *relief.Demand) {
	w.s(d.ID)
	w.s(d.Code)
	w.s(d.Title)
	w.b(d.Uncreated)
	w.s(d.Description)
	w.s(d.Category)
	w.n(len(d.Items), d.Items == nil)
	for i := range d.Items {
		it := &d.Items[i]
		w.s(it.Name)
		w.s(it.Spec)
		w.s(it.Unit)
		w.b(it.Needed != nil)
		if it.Needed != nil {
			w.f(*it.Needed)
		}
		w.f(it.Received)
	}
	w.s(d.RequesterOrg)
	w.s(d.District)
	w.s(d.Address)
	w.b(d.Position != nil)
	if d.Position != nil {
		w.f(d.Position.Lat)
		w.f(d.Position.Lon)
	}
	w.b(d.PositionSealed)
	w.n(len(d.Contacts), d.Contacts == nil)
	for _, c := range d.Contacts {
		w.s(c.Name)
		w.s(c.Phone)
		w.s(c.Role)
		w.s(c.Kind)
	}
	w.s(string(d.Urgency))
	w.s(d.Source)
	w.s(string(d.Status))
	w.dev(d.Owner)
	w.s(d.ReviewNotes)
	w.s(d.DuplicateOf)
	w.n(len(d.Tags), d.Tags == nil)
	for _, t := range d.Tags {
		w.s(t)
	}
	w.stamp(d.CreatedAt)
	w.dev(d.CreatedBy)
	w.stamp(d.UpdatedAt)
	w.n(len(d.Conflicts), d.Conflicts == nil)
	for i := range d.Conflicts {
		c := &d.Conflicts[i]
		w.s(string(c.Action))
		w.dev(c.By)
		w.stamp(c.At)
		w.u(c.Seq)
		w.hash(c.Change)
		w.i(int64(c.Index))
		w.s(string(c.Reason))
		w.s(c.Field)
		w.dev(c.Target)
		w.dev(c.Winner)
		w.stamp(c.WinnerAt)
		w.s(string(c.WinnerAction))
		w.dev(c.AckedBy)
		w.stamp(c.AckedAt)
	}
	w.stamp(d.FollowUpSince)
	w.b(d.Transfer != nil)
	if tr := d.Transfer; tr != nil {
		w.dev(tr.By)
		w.stamp(tr.At)
		w.time(tr.Until)
		w.s(tr.Reason)
	}
	w.stamp(d.Confirmed)
	w.n(len(d.Deliveries), d.Deliveries == nil)
	for i := range d.Deliveries {
		v := &d.Deliveries[i]
		w.s(v.Ref)
		w.s(string(v.Action))
		w.dev(v.By)
		w.stamp(v.At)
		w.n(len(v.Items), v.Items == nil)
		for _, r := range v.Items {
			w.s(r.Item)
			w.f(r.Qty)
		}
		w.s(v.Note)
		w.s(string(v.State))
		w.s(string(v.Reason))
		w.dev(v.DecidedBy)
		w.stamp(v.DecidedAt)
	}
	w.n(len(d.Withdrawals), d.Withdrawals == nil)
	for i := range d.Withdrawals {
		v := &d.Withdrawals[i]
		w.s(v.Ref)
		w.dev(v.By)
		w.stamp(v.At)
		w.s(v.Note)
		w.s(string(v.Outcome))
		w.dev(v.Owner)
		w.n(len(v.Received), v.Received == nil)
		for _, r := range v.Received {
			w.s(r.Item)
			w.f(r.Qty)
		}
		w.dev(v.AckedBy)
		w.stamp(v.AckedAt)
		w.s(string(v.UndoneFrom))
		w.dev(v.ActedBy)
	}
	w.n(len(d.SourceFields), d.SourceFields == nil)
	for _, f := range d.SourceFields {
		w.s(f.Column)
		w.s(f.Value)
	}
	w.s(d.Place.Code)
	w.s(d.Place.Country)
	w.s(d.Place.Province)
	w.s(d.Place.City)
	w.s(d.Place.County)
	w.b(d.Verified != nil)
	if v := d.Verified; v != nil {
		w.s(string(v.How))
		w.time(v.Checked)
		w.stamp(v.Approved)
	}
	w.n(len(d.Sealed), d.Sealed == nil)
	for _, s := range d.Sealed {
		w.s(s)
	}
	w.b(d.Erased != nil)
	if e := d.Erased; e != nil {
		w.stamp(e.At)
		w.dev(e.By)
		w.s(e.Reason)
	}
}

// errPacked says that packed rows do not decode.
var errPacked = errors.New("packed rows do not decode (damaged)")

// packReader reads the packed rows of one chunk. The first error is kept in
// err; reads after it return zero values.
type packReader struct {
	b     []byte
	arena string
	err   error
	// reuse says that demand decodes into the slices d already has when
	// they are long enough (a scratch demand read row after row: nothing
	// may keep its slices).
	reuse bool
}

// grow returns s with length l: s itself (not nil), zeroed, when r.reuse and it is
// long enough, else a new slice.
func grow[T any](r *packReader, s []T, l int) []T {
	if r.reuse && s != nil && cap(s) >= l {
		s = s[:l]
		clear(s)
		return s
	}
	return make([]T, l)
}

func (r *packReader) fail() {
	if r.err == nil {
		r.err = errPacked
	}
	r.b = nil
}

func (r *packReader) u() uint64 {
	v, k := binary.Uvarint(r.b)
	if k <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[k:]
	return v
}

func (r *packReader) i() int64 {
	v, k := binary.Varint(r.b)
	if k <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[k:]
	return v
}

func (r *packReader) f() float64 {
	if len(r.b) < 8 {
		r.fail()
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(r.b))
	r.b = r.b[8:]
	return v
}

func (r *packReader) b1() bool {
	if len(r.b) < 1 || r.b[0] > 1 {
		r.fail()
		return false
	}
	v := r.b[0] == 1
	r.b = r.b[1:]
	return v
}

// n reads the length of a slice; ok false for a nil one. A length that the
// bytes left cannot hold (each element takes one at least) is damage.
func (r *packReader) n() (l int, ok bool) {
	v := r.u()
	if v == 0 {
		return 0, false
	}
	if v-1 > uint64(len(r.b)) {
		r.fail()
		return 0, false
	}
	return int(v - 1), true
}

func (r *packReader) s() string {
	l := r.u()
	if l == 0 {
		return ""
	}
	off := r.u()
	if off > uint64(len(r.arena)) || l > uint64(len(r.arena))-off {
		r.fail()
		return ""
	}
	return r.arena[off : off+l]
}

func (r *packReader) dev() (d ledger.DeviceID) {
	if len(r.b) < 1 {
		r.fail()
		return d
	}
	switch r.b[0] {
	case 0:
		r.b = r.b[1:]
	case 1:
		if len(r.b) < 33 {
			r.fail()
			return d
		}
		copy(d[:], r.b[1:33])
		r.b = r.b[33:]
	default:
		r.fail()
	}
	return d
}

func (r *packReader) hash() (h ledger.Hash) {
	return ledger.Hash(r.dev())
}

func (r *packReader) stamp() ledger.Stamp {
	wall := r.i()
	l := r.u()
	if l > math.MaxUint32 {
		r.fail()
	}
	return ledger.Stamp{Wall: wall, Logical: uint32(l)}
}

func (r *packReader) time() time.Time {
	switch r.u() {
	case 0:
		return time.Time{}
	case 1:
		sec, ns := r.i(), r.u()
		if ns >= 1e9 {
			r.fail()
			return time.Time{}
		}
		return time.Unix(sec, int64(ns)).UTC()
	}
	r.fail()
	return time.Time{}
}

// key reads what packWriter.key wrote into d (a zero Demand).
func (r *packReader) key(d *relief.Demand) {
	d.ID = r.s()
	d.Code = r.s()
	d.CreatedAt = r.stamp()
	d.Status = relief.Status(r.s())
	d.Urgency = relief.Urgency(r.s())
	d.Category = r.s()
	d.District = r.s()
	d.Place.Code = r.s()
	d.Place.Country = r.s()
	d.Place.Province = r.s()
	d.Place.City = r.s()
	d.Place.County = r.s()
	d.Uncreated = r.b1()
	d.Owner = r.dev()
}

// row reads one snapshot row's text, key, view length and rest into sr
// (its View holds the resident fields only), and returns the view's length.
func (r *packReader) row(sr *snapRow) int {
	sr.Text = r.s()
	r.key(&sr.View)
	l := r.u()
	if l > math.MaxInt32 {
		r.fail()
		l = 0
	}
	r.rowRest(sr)
	return int(l)
}

// rowRest reads what follows a row's list view into sr.
func (r *packReader) rowRest(sr *snapRow) {
	sr.Wait = r.s()
	sr.WaitSince = r.time()
	if l, ok := r.n(); ok {
		sr.Actors = make([]ledger.DeviceID, l)
		for i := range sr.Actors {
			sr.Actors[i] = r.dev()
		}
	}
	if l, ok := r.n(); ok {
		sr.Awards = make([]relief.Earned, l)
		for i := range sr.Awards {
			e := &sr.Awards[i]
			e.Member = r.dev()
			e.Award.Rule = relief.PointRule(r.s())
			e.Award.Kind = r.s()
			e.Award.Entity = r.s()
			e.Award.At = r.stamp()
			e.Award.Points = int(r.i())
		}
	}
}

// demand reads a list view into d, every field of which it sets. With
// r.reuse it decodes into d's slices (each slice field is nil afterwards
// when the view's is nil, as it would be without).
func (r *packReader) demand(d *relief.Demand) {
	if r.reuse {
		items, contacts, tags, conflicts := d.Items, d.Contacts, d.Tags, d.Conflicts
		deliveries, fields, sealed := d.Deliveries, d.SourceFields, d.Sealed
		*d = relief.Demand{Items: items[:0:cap(items)], Contacts: contacts[:0:cap(contacts)], Tags: tags[:0:cap(tags)],
			Conflicts: conflicts[:0:cap(conflicts)], Deliveries: deliveries[:0:cap(deliveries)],
			SourceFields: fields[:0:cap(fields)], Sealed: sealed[:0:cap(sealed)]}
		r.demandFields(d)
		return
	}
	*d = relief.Demand{}
	r.demandFields(d)
}

// demandFields reads a list view's fields into d, a zero Demand or one whose
// slices are kept for reuse (length 0): a slice absent from the view is set
// to nil.
func (r *packReader) demandFields(d *relief.Demand) {
	d.ID = r.s()
	d.Code = r.s()
	d.Title = r.s()
	d.Uncreated = r.b1()
	d.Description = r.s()
	d.Category = r.s()
	if l, ok := r.n(); !ok {
		d.Items = nil
	} else {
		d.Items = grow(r, d.Items, l)
		for i := range d.Items {
			it := &d.Items[i]
			it.Name, it.Spec, it.Unit = r.s(), r.s(), r.s()
			if r.b1() {
				v := r.f()
				it.Needed = &v
			}
			it.Received = r.f()
		}
	}
	d.RequesterOrg = r.s()
	d.District = r.s()
	d.Address = r.s()
	if r.b1() {
		d.Position = &relief.Position{Lat: r.f(), Lon: r.f()}
	}
	d.PositionSealed = r.b1()
	if l, ok := r.n(); !ok {
		d.Contacts = nil
	} else {
		d.Contacts = grow(r, d.Contacts, l)
		for i := range d.Contacts {
			c := &d.Contacts[i]
			c.Name, c.Phone, c.Role, c.Kind = r.s(), r.s(), r.s(), r.s()
		}
	}
	d.Urgency = relief.Urgency(r.s())
	d.Source = r.s()
	d.Status = relief.Status(r.s())
	d.Owner = r.dev()
	d.ReviewNotes = r.s()
	d.DuplicateOf = r.s()
	if l, ok := r.n(); !ok {
		d.Tags = nil
	} else {
		d.Tags = grow(r, d.Tags, l)
		for i := range d.Tags {
			d.Tags[i] = r.s()
		}
	}
	d.CreatedAt = r.stamp()
	d.CreatedBy = r.dev()
	d.UpdatedAt = r.stamp()
	if l, ok := r.n(); !ok {
		d.Conflicts = nil
	} else {
		d.Conflicts = grow(r, d.Conflicts, l)
		for i := range d.Conflicts {
			c := &d.Conflicts[i]
			c.Action = relief.Action(r.s())
			c.By = r.dev()
			c.At = r.stamp()
			c.Seq = r.u()
			c.Change = r.hash()
			c.Index = int(r.i())
			c.Reason = relief.Reason(r.s())
			c.Field = r.s()
			c.Target = r.dev()
			c.Winner = r.dev()
			c.WinnerAt = r.stamp()
			c.WinnerAction = relief.Action(r.s())
			c.AckedBy = r.dev()
			c.AckedAt = r.stamp()
		}
	}
	d.FollowUpSince = r.stamp()
	if r.b1() {
		tr := &relief.TransferRequest{}
		tr.By = r.dev()
		tr.At = r.stamp()
		tr.Until = r.time()
		tr.Reason = r.s()
		d.Transfer = tr
	}
	d.Confirmed = r.stamp()
	if l, ok := r.n(); !ok {
		d.Deliveries = nil
	} else {
		d.Deliveries = grow(r, d.Deliveries, l)
		for i := range d.Deliveries {
			v := &d.Deliveries[i]
			v.Ref = r.s()
			v.Action = relief.Action(r.s())
			v.By = r.dev()
			v.At = r.stamp()
			if l, ok := r.n(); ok {
				v.Items = make([]relief.Receipt, l)
				for j := range v.Items {
					v.Items[j].Item = r.s()
					v.Items[j].Qty = r.f()
				}
			}
			v.Note = r.s()
			v.State = relief.DeliveryState(r.s())
			v.Reason = relief.Reason(r.s())
			v.DecidedBy = r.dev()
			v.DecidedAt = r.stamp()
		}
	}
	if l, ok := r.n(); !ok {
		d.Withdrawals = nil
	} else {
		d.Withdrawals = make([]relief.Withdrawal, l)
		for i := range d.Withdrawals {
			v := &d.Withdrawals[i]
			v.Ref = r.s()
			v.By = r.dev()
			v.At = r.stamp()
			v.Note = r.s()
			v.Outcome = relief.Outcome(r.s())
			v.Owner = r.dev()
			if l, ok := r.n(); ok {
				v.Received = make([]relief.Receipt, l)
				for j := range v.Received {
					v.Received[j].Item = r.s()
					v.Received[j].Qty = r.f()
				}
			}
			v.AckedBy = r.dev()
			v.AckedAt = r.stamp()
			v.UndoneFrom = relief.Status(r.s())
			v.ActedBy = r.dev()
		}
	}
	if l, ok := r.n(); !ok {
		d.SourceFields = nil
	} else {
		d.SourceFields = grow(r, d.SourceFields, l)
		for i := range d.SourceFields {
			d.SourceFields[i].Column, d.SourceFields[i].Value = r.s(), r.s()
		}
	}
	d.Place.Code = r.s()
	d.Place.Country = r.s()
	d.Place.Province = r.s()
	d.Place.City = r.s()
	d.Place.County = r.s()
	if r.b1() {
		v := &relief.Verification{}
		v.How = relief.EvidenceKind(r.s())
		v.Checked = r.time()
		v.Approved = r.stamp()
		d.Verified = v
	}
	if l, ok := r.n(); !ok {
		d.Sealed = nil
	} else {
		d.Sealed = grow(r, d.Sealed, l)
		for i := range d.Sealed {
			d.Sealed[i] = r.s()
		}
	}
	if r.b1() {
		e := &relief.ErasedView{}
		e.At = r.stamp()
		e.By = r.dev()
		e.Reason = r.s()
		d.Erased = e
	}
}

// packedChunk is a chunk of packed rows (see above):
//
//	uvarint arena length, arena bytes, uvarint views length, views bytes,
//	then the rows
func packedChunk(rows []snapRow) []byte {
	w := newPackWriter()
	w.u(uint64(len(rows)))
	var views []byte
	for i := range rows {
		views = w.row(&rows[i], views)
	}
	out := make([]byte, 0, len(w.arena)+len(views)+len(w.buf)+2*binary.MaxVarintLen64)
	out = binary.AppendUvarint(out, uint64(len(w.arena)))
	out = append(out, w.arena...)
	out = binary.AppendUvarint(out, uint64(len(views)))
	out = append(out, views...)
	return append(out, w.buf...)
}

// chunkParts splits a chunk packedChunk wrote into its arena, its views and
// its rows. Errors: a length runs past the end.
func chunkParts(chunk []byte) (arena, views, rows []byte, err error) {
	al, k := binary.Uvarint(chunk)
	if k <= 0 || al > uint64(len(chunk)-k) {
		return nil, nil, nil, fmt.Errorf("chunk's arena: %w", errPacked)
	}
	arena, chunk = chunk[k:k+int(al)], chunk[k+int(al):]
	vl, k := binary.Uvarint(chunk)
	if k <= 0 || vl > uint64(len(chunk)-k) {
		return nil, nil, nil, fmt.Errorf("chunk's views: %w", errPacked)
	}
	return arena, chunk[k : k+int(vl)], chunk[k+int(vl):], nil
}

// unpackChunk reads a chunk packedChunk wrote, each row's whole list view
// decoded into its View. Errors: the chunk does not decode.
func unpackChunk(chunk []byte) ([]snapRow, error) {
	rows, views, err := unpackChunkViews(chunk, false)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		if err := views[i].decode(&rows[i].View, false); err != nil {
			return nil, fmt.Errorf("row %d: %w", i, err)
		}
	}
	return rows, nil
}

// unpackChunkViews reads a chunk for a demand table: each row's View holds
// only the fields a row keeps resident (residentView), read from the row's
// key, and views are the rows' list views packed (packedView), not decoded.
// With inPlace the views and the strings are slices of chunk itself (a
// mapped snapshot, never modified nor unmapped while a row may point into
// it: snapshot_map.go), but for the rows' ids and codes, copied into one
// string for the chunk (a lookup by id then reads the heap, not the file's
// pages); otherwise of one copy of the chunk's arena and views. The rest of
// the chunk (the rows' actors and awards, decoded into the rows) is not
// kept. Errors: the chunk does not decode, or its views' lengths do not add
// up to its views.
func unpackChunkViews(chunk []byte, inPlace bool) ([]snapRow, []packedView, error) {
	arenaB, viewsB, body, err := chunkParts(chunk)
	if err != nil {
		return nil, nil, err
	}
	var arena, vs string
	if inPlace {
		arena = unsafe.String(unsafe.SliceData(arenaB), len(arenaB))
		vs = unsafe.String(unsafe.SliceData(viewsB), len(viewsB))
	} else {
		both := make([]byte, len(arenaB)+len(viewsB))
		copy(both, arenaB)
		copy(both[len(arenaB):], viewsB)
		all := unsafe.String(unsafe.SliceData(both), len(both))
		arena, vs = all[:len(arenaB)], all[len(arenaB):]
	}
	r := &packReader{arena: arena, b: body}
	n := r.u()
	if n > uint64(len(r.b)) { // a row takes a byte at least
		return nil, nil, fmt.Errorf("%d rows in %d bytes: %w", n, len(r.b), errPacked)
	}
	rows := make([]snapRow, n)
	views := make([]packedView, n)
	var ids []byte // the rows' ids and codes, when inPlace
	off := 0
	for i := range rows {
		l := r.row(&rows[i])
		if r.err != nil {
			return nil, nil, fmt.Errorf("row %d: %w", i, r.err)
		}
		if l > len(vs)-off {
			return nil, nil, fmt.Errorf("row %d: list view of %d bytes past the chunk's views: %w", i, l, errPacked)
		}
		if l > 0 {
			views[i] = packedView{b: vs[off : off+l], arena: arena}
		}
		off += l
		if inPlace {
			ids = append(ids, rows[i].View.ID...)
			ids = append(ids, rows[i].View.Code...)
		}
	}
	if len(r.b) != 0 {
		return nil, nil, fmt.Errorf("%d bytes after the rows: %w", len(r.b), errPacked)
	}
	if off != len(vs) {
		return nil, nil, fmt.Errorf("%d bytes of views after the rows' views: %w", len(vs)-off, errPacked)
	}
	if inPlace && len(ids) > 0 {
		kept := unsafe.String(unsafe.SliceData(ids), len(ids))
		at := 0
		for i := range rows {
			v := &rows[i].View
			v.ID, at = kept[at:at+len(v.ID)], at+len(v.ID)
			v.Code, at = kept[at:at+len(v.Code)], at+len(v.Code)
		}
	}
	return rows, views, nil
}

// packPostings writes the bigram postings of rows (in snapshot order, a
// row's position its slot once loaded): the distinct bigrams of each text,
// ascending, each with the positions of the rows that hold it, delta-coded:
//
//	uvarint count of bigrams, uvarint count of positions in all, then for
//	each bigram: uvarint bigram minus the
//	previous one, uvarint count of rows, the first position, then the
//	differences to the previous position
func packPostings(texts []string) []byte {
	post := map[uint64][]uint32{}
	var scratch []uint64
	for i, text := range texts {
		scratch = gramsOf(scratch, text)
		for _, g := range scratch {
			post[g] = append(post[g], uint32(i))
		}
	}
	grams := make([]uint64, 0, len(post))
	for g := range post {
		grams = append(grams, g)
	}
	slices.Sort(grams)
	total := 0
	for _, l := range post {
		total += len(l)
	}
	out := binary.AppendUvarint(nil, uint64(len(grams)))
	out = binary.AppendUvarint(out, uint64(total))
	var prev uint64
	for _, g := range grams {
		out = binary.AppendUvarint(out, g-prev)
		prev = g
		l := post[g]
		out = binary.AppendUvarint(out, uint64(len(l)))
		var last uint32
		for j, s := range l {
			if j == 0 {
				out = binary.AppendUvarint(out, uint64(s))
			} else {
				out = binary.AppendUvarint(out, uint64(s-last))
			}
			last = s
		}
	}
	return out
}
