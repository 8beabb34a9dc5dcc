package relief

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// editSeen returns a set op of field title = v, saying its author had seen
// the writes rec holds as current (Heads): what the desk signs.
func editSeen(rec *Record, fields map[string]any) ledger.Op {
	seen := map[string][]Tag{}
	for name := range fields {
		seen[name] = Heads(rec, name)
	}
	return must(SetFieldsSeen(KindDemand, rec.ID, fields, seen))
}

// cloneRecord returns a deep copy of rec (through its encoding).
func cloneRecord(t testing.TB, rec *Record) *Record {
	b, err := EncodeRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	c, err := DecodeRecord(b)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Two laptops edit the title of one demand, each without having seen the
// other's edit: both values are shown as a conflict (the later one stands),
// to both authors and the coordinators, in whatever order the edits arrive;
// a write that has seen both ends it.
func TestConcurrentEditIsConflict(t *testing.T) {
	w := seeded(t)
	w.do(coord, 10, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "N95 masks", FieldDescription: "200 boxes"})))
	before := cloneRecord(t, w.rec(KindDemand, "d")) // what both laptops held
	opRev := editSeen(before, map[string]any{FieldTitle: "N95 masks, 300 boxes"})
	opCoord2 := editSeen(before, map[string]any{FieldTitle: "KN95 masks"})
	mRev, mCoord2 := w.next(rev, 20), w.next(coord2, 21)

	for _, order := range [][]int{{0, 1}, {1, 0}} {
		x := seeded(t)
		x.do(coord, 10, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "N95 masks", FieldDescription: "200 boxes"})))
		writes := []delivery{{mRev, opRev}, {mCoord2, opCoord2}}
		for _, i := range order {
			x.apply(writes[i].m, writes[i].op)
		}
		d := x.demand("d")
		if d.Title != "KN95 masks" {
			t.Errorf("order %v: title = %q; want coord2's, the later", order, d.Title)
		}
		if len(d.Conflicts) != 1 {
			t.Fatalf("order %v: conflicts = %v; want one concurrent edit", order, d.Conflicts)
		}
		c := d.Conflicts[0]
		if c.Action != ActionEdit || c.Reason != ReasonConcurrent || c.Field != FieldTitle || c.By != rev || c.Winner != coord2 {
			t.Errorf("order %v: conflict = %+v; want rev's edit of the title, concurrent with coord2's that stands", order, c)
		}
		lost, stands, ok := ConcurrentValues(x.rec(KindDemand, "d"), c)
		var lv, sv string
		if !ok || decMode.Unmarshal(lost.Value, &lv) != nil || decMode.Unmarshal(stands.Value, &sv) != nil ||
			lv != "N95 masks, 300 boxes" || sv != "KN95 masks" {
			t.Errorf("order %v: ConcurrentValues = %q, %q, %v; want both titles", order, lv, sv, ok)
		}
		for _, who := range []ledger.DeviceID{rev, coord2, coord} {
			ns := noticesOf(x, who, d)
			if len(ns) != 1 || !slices.Contains(ns[0].Notice.Resolve, ResolveKeep) {
				t.Errorf("order %v: Inbox(%v) = %+v; want the concurrent edit, with keep", order, who.Short(), ns)
			}
		}
		if ns := noticesOf(x, vol, d); len(ns) != 0 {
			t.Errorf("order %v: Inbox(vol) = %+v; want nothing (neither author nor coordinator)", order, ns)
		}
	}

	// Keeping rev's value: a write that has seen both ends the conflict.
	k := cloneRecord(t, w.rec(KindDemand, "d"))
	w.apply(mRev, opRev)
	w.apply(mCoord2, opCoord2)
	k = cloneRecord(t, w.rec(KindDemand, "d"))
	w.do(rev, 30, editSeen(k, map[string]any{FieldTitle: "N95 masks, 300 boxes"}))
	if d := w.demand("d"); len(d.Conflicts) != 0 || d.Title != "N95 masks, 300 boxes" {
		t.Errorf("after keeping rev's value: title %q, conflicts %v; want rev's title and none", d.Title, d.Conflicts)
	}
}

// The winner's author may acknowledge a concurrent edit: it leaves every
// inbox.
func TestConcurrentEditAck(t *testing.T) {
	w := seeded(t)
	w.do(coord, 10, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "N95 masks"})))
	before := cloneRecord(t, w.rec(KindDemand, "d"))
	w.do(rev, 20, editSeen(before, map[string]any{FieldTitle: "a"}))
	w.do(rev2, 21, editSeen(before, map[string]any{FieldTitle: "b"}))
	ns := noticesOf(w, rev2, w.demand("d"))
	if len(ns) != 1 {
		t.Fatalf("Inbox(rev2, the winner) = %+v; want the concurrent edit", ns)
	}
	w.do(rev2, 30, tr(t, "d", ActionAckConflict, Args{Ref: ns[0].Ref}))
	d := w.demand("d")
	for _, who := range []ledger.DeviceID{rev, rev2, coord} {
		if got := noticesOf(w, who, d); len(got) != 0 {
			t.Errorf("Inbox(%v) after the winner's ack = %+v; want none", who.Short(), got)
		}
	}
}

// No spurious conflicts: writes without sights (older versions, the
// importer), an edit that had seen the other, and two edits to the same
// value make none.
func TestNoSpuriousConcurrentEdit(t *testing.T) {
	for name, run := range map[string]func(w *world){
		"old writes": func(w *world) {
			w.do(rev, 20, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "a"})))
			w.do(rev2, 21, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "b"})))
			w.do(coord2, 22, editSeen(w.rec(KindDemand, "d"), map[string]any{FieldTitle: "c"}))
		},
		"seen": func(w *world) {
			w.do(rev, 20, editSeen(w.rec(KindDemand, "d"), map[string]any{FieldTitle: "a"}))
			w.do(rev2, 21, editSeen(w.rec(KindDemand, "d"), map[string]any{FieldTitle: "b"}))
		},
		"same value": func(w *world) {
			before := cloneRecord(w.t, w.rec(KindDemand, "d"))
			w.do(rev, 20, editSeen(before, map[string]any{FieldTitle: "same"}))
			w.do(rev2, 21, editSeen(before, map[string]any{FieldTitle: "same"}))
		},
		"other fields": func(w *world) {
			before := cloneRecord(w.t, w.rec(KindDemand, "d"))
			w.do(rev, 20, editSeen(before, map[string]any{FieldTitle: "a"}))
			w.do(rev2, 21, editSeen(before, map[string]any{FieldDescription: "b"}))
		},
	} {
		w := seeded(t)
		w.do(coord, 10, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "N95 masks"})))
		run(w)
		if d := w.demand("d"); len(d.Conflicts) != 0 {
			t.Errorf("%s: conflicts = %v; want none", name, d.Conflicts)
		}
	}
}

// A concurrent write its author was not allowed to make is refused, not a
// concurrent edit.
func TestRefusedWriteNotConcurrent(t *testing.T) {
	w := seeded(t)
	w.do(coord, 10, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "N95 masks"})))
	before := cloneRecord(t, w.rec(KindDemand, "d"))
	w.do(rev, 20, editSeen(before, map[string]any{FieldTitle: "a"}))
	w.do(obs, 21, editSeen(before, map[string]any{FieldTitle: "b"}))
	d := w.demand("d")
	if len(d.Conflicts) != 1 || d.Conflicts[0].Reason != ReasonRole || d.Title != "a" {
		t.Errorf("title %q, conflicts %v; want rev's title and only the observer's refused write", d.Title, d.Conflicts)
	}
}

// TestConcurrentEditsConverge: three laptops edit the title and description
// of one demand, each saying what it had seen, syncing now and then; applied
// in random orders, every replica derives the same demand, conflicts and
// inbox entries, and once a laptop that has seen everything picks a value
// for each field, no conflict is left.
func TestConcurrentEditsConverge(tt *testing.T) {
	rapid.Check(tt, func(t *rapid.T) {
		base := seeded(tt)
		base.do(coord, 3, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "N95", FieldDescription: "x"})))
		devs := []ledger.DeviceID{coord, rev, vol}
		// vol created nothing and owns nothing: its edits are refused
		local := map[ledger.DeviceID]replica{}
		for _, d := range devs {
			local[d] = replica{}
			for k, r := range base.recs {
				local[d][k] = cloneRecord(tt, r)
			}
		}
		var all []delivery
		wall := int64(10)
		for range rapid.IntRange(2, 14).Draw(t, "steps") {
			d := rapid.SampledFrom(devs).Draw(t, "device")
			if rapid.Bool().Draw(t, "sync") {
				for _, dl := range all {
					local[d].apply(t, dl)
				}
			}
			field := rapid.SampledFrom([]string{FieldTitle, FieldDescription}).Draw(t, "field")
			v := rapid.SampledFrom([]string{"a", "b", "c"}).Draw(t, "value")
			op := editSeen(local[d]["demand/d"], map[string]any{field: v})
			wall += int64(rapid.IntRange(0, 2).Draw(t, "dt"))
			dl := delivery{m: base.next(d, wall), op: op}
			local[d].apply(t, dl)
			all = append(all, dl)
		}
		type seen struct {
			Demand  Demand
			Inboxes [][]Pending
		}
		var want *seen
		for r := range 3 {
			rep := replica{}
			for k, rec := range base.recs {
				rep[k] = cloneRecord(tt, rec)
			}
			for _, i := range rapid.Permutation(all).Draw(t, "order") {
				rep.apply(t, i)
			}
			roster := NewRoster(rep.records())
			d := FoldDemand(rep["demand/d"], roster)
			got := &seen{Demand: d}
			for _, m := range devs {
				got.Inboxes = append(got.Inboxes, Inbox(m, roster, []Demand{d}, nil, Deadlines{}, time.UnixMilli(100)))
			}
			if r == 0 {
				want = got
				// picking: coord, having seen all, writes each field
				for _, f := range []string{FieldTitle, FieldDescription} {
					rep.apply(t, delivery{m: base.next(coord, wall+10), op: editSeen(rep["demand/d"], map[string]any{f: "picked"})})
				}
				if p := FoldDemand(rep["demand/d"], NewRoster(rep.records())); slices.ContainsFunc(p.Conflicts, func(c Conflict) bool { return c.Reason == ReasonConcurrent }) {
					t.Fatalf("conflicts after picking = %v; want no concurrent edit", p.Conflicts)
				}
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("replica %d differs:\n%+v\nwant\n%+v", r, got, want)
			}
		}
	})
}

// An edit of a demand whose creation is not held (cut by a revocation, or
// not arrived yet) does not create it: it stays uncreated, not an empty
// demand with a title and no items (found by the three-store property once
// it drew revocations and edits).
func TestEditDoesNotCreate(t *testing.T) {
	w := seeded(t)
	creation := must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "N95 masks", FieldItems: []Item{{Name: "masks", Unit: "box"}}}))
	mCreate := w.next(vol, 10)
	held := newWorld(t)
	held.apply(mCreate, creation)
	edit := editSeen(held.rec(KindDemand, "d"), map[string]any{FieldTitle: "N95 masks, 300 boxes"})
	w.do(rev, 20, edit) // the creation is not here
	if d := w.demand("d"); !d.Uncreated {
		t.Errorf("FoldDemand(an edit without the creation it saw) = %+v; want uncreated", d)
	}
	w.apply(mCreate, creation) // it arrives
	if d := w.demand("d"); d.Uncreated || d.Title != "N95 masks, 300 boxes" || len(d.Items) != 1 {
		t.Errorf("FoldDemand(creation and edit) = uncreated %v, %q, items %v; want created, the edited title, one item", d.Uncreated, d.Title, d.Items)
	}
	// an edit saying it had seen nothing (a field first written) creates, as
	// a creation without sights does
	x := seeded(t)
	x.do(rev, 20, editSeen(x.rec(KindDemand, "e"), map[string]any{FieldTitle: "gloves"}))
	if d := x.demand("e"); d.Uncreated {
		t.Errorf("FoldDemand(a first write that saw nothing) = uncreated; want created")
	}
}

// SetFieldsSeen refuses what ValidateOp would: a seen naming a field the op
// does not write, or listing more than MaxSeen writes; a sealed field's seen
// rides with its plain field.
func TestSetFieldsSeenChecks(t *testing.T) {
	many := make([]Tag, MaxSeen+1)
	for i := range many {
		many[i].Index = i
	}
	for name, seen := range map[string]map[string][]Tag{
		"other field": {FieldDescription: {}},
		"too many":    {FieldTitle: many},
	} {
		if _, err := SetFieldsSeen(KindDemand, "d", map[string]any{FieldTitle: "x"}, seen); err == nil {
			t.Errorf("SetFieldsSeen(%s) = nil error; want one", name)
		}
	}
	op, err := SetFieldsSeen(KindDemand, "d", map[string]any{FieldContacts: nil}, map[string][]Tag{FieldContacts: {}, SealedField(FieldContacts): {}})
	if err != nil || ValidateOp(op) != nil {
		t.Errorf("SetFieldsSeen(contacts and its sealed field) = %v, ValidateOp %v; want a valid op", err, ValidateOp(op))
	}
}
