package relief

import (
	"fmt"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// BenchmarkApplyOp applies a mix of sets, adds and transitions to one record.
func BenchmarkApplyOp(b *testing.B) {
	ops := []ledger.Op{
		must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "N95 masks", FieldUrgency: UrgencyHigh})),
		must(Add(KindDemand, "d", SetTags, "hospital")),
		must(Transition(KindDemand, "d", ActionClaim, Args{})),
	}
	rec := &Record{}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m := Meta{Stamp: ledger.Stamp{Wall: int64(i)}, Device: vol, Seq: uint64(i + 1), Change: changeID(vol, uint64(i))}
		if err := ApplyOp(rec, m, ops[i%len(ops)]); err != nil {
			b.Fatal(err)
		}
		if len(rec.Transitions) > 64 { // keep the record a realistic size
			rec = &Record{}
		}
	}
}

// BenchmarkFold folds a demand with a realistic history (20 steps, 10 fields).
func BenchmarkFold(b *testing.B) {
	w := seeded(b)
	w.do(coord, 5, must(SetFields(KindDemand, "d", map[string]any{
		FieldTitle: "N95 masks", FieldItems: []Item{{Name: "masks"}, {Name: "gloves"}}, FieldDistrict: "Wuchang",
		FieldContacts: []Contact{{Name: "Li", Phone: "138"}}, FieldUrgency: UrgencyHigh, FieldAddress: "Ward 3",
	})))
	w.do(rev, 6, tr(b, "d", ActionApprove, Args{}))
	w.do(rev, 7, tr(b, "d", ActionPublish, Args{}))
	for i := range 16 {
		w.do([]ledger.DeviceID{vol, vol2}[i%2], int64(8+i), tr(b, "d", ActionClaim, Args{}))
	}
	w.do(vol, 30, tr(b, "d", ActionProgress, Args{Received: []Receipt{{Item: "masks", Qty: 5}}}))
	rec, roster := w.rec(KindDemand, "d"), w.roster()
	b.ReportAllocs()
	for b.Loop() {
		d := FoldDemand(rec, roster)
		if d.Owner != vol {
			b.Fatal(fmt.Sprint(d.Owner.Short()))
		}
	}
}

// BenchmarkFoldEdited folds a demand whose fields were edited 12 times by
// members of every role (4 edits refused for the author's role): the cost of
// judging each write (FieldRules) and of falling back past refused ones.
func BenchmarkFoldEdited(b *testing.B) {
	w := seeded(b)
	w.do(coord, 5, must(SetFields(KindDemand, "d", map[string]any{
		FieldTitle: "N95 masks", FieldItems: []Item{{Name: "masks"}, {Name: "gloves"}}, FieldDistrict: "Wuchang",
		FieldContacts: []Contact{{Name: "Li", Phone: "138"}}, FieldUrgency: UrgencyHigh, FieldAddress: "Ward 3",
	})))
	w.do(rev, 6, tr(b, "d", ActionApprove, Args{}))
	w.do(rev, 7, tr(b, "d", ActionPublish, Args{}))
	w.do(vol, 8, tr(b, "d", ActionClaim, Args{}))
	editors := []ledger.DeviceID{coord, rev, vol, obs, vol2, coord2}
	for i := range 12 {
		w.do(editors[i%len(editors)], int64(10+i), must(SetFields(KindDemand, "d", map[string]any{
			FieldAddress: fmt.Sprintf("Ward %d", i), FieldDescription: fmt.Sprintf("edit %d", i)})))
	}
	rec, roster := w.rec(KindDemand, "d"), w.roster()
	b.ReportAllocs()
	for b.Loop() {
		d := FoldDemand(rec, roster)
		if d.Owner != vol || d.Address != "Ward 11" {
			b.Fatal(d.Owner.Short(), d.Address)
		}
	}
}

// BenchmarkApplyOpNewDemand applies a new demand's set op (nine fields, as
// the bench fixture writes them) to an empty record, then encodes it: what
// the store does for each new demand it receives.
func BenchmarkApplyOpNewDemand(b *testing.B) {
	op := demandOp9(b, "d")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m := Meta{Stamp: ledger.Stamp{Wall: int64(i)}, Device: vol, Seq: uint64(i + 1), Change: changeID(vol, uint64(i))}
		rec := &Record{}
		if err := ApplyOp(rec, m, op); err != nil {
			b.Fatal(err)
		}
		if _, err := EncodeRecord(rec); err != nil {
			b.Fatal(err)
		}
	}
}
