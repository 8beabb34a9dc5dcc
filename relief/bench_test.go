package relief

import (
	"fmt"
	"syscall"
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

// BenchmarkFoldNew folds a demand as a large catch-up into an empty laptop
// meets most of them (issue 18 item 1): created by one change of a
// coordinator that sets nine fields, shaped like bench.Demand's (Chinese
// text, three items, one contact), with no step yet.
func BenchmarkFoldNew(b *testing.B) {
	w := seeded(b)
	need := func(f float64) *float64 { return &f }
	w.do(coord, 5, must(SetFields(KindDemand, "d", map[string]any{
		FieldTitle:        "武昌第12人民医院急需医用防护物资",
		FieldDescription:  "发热门诊接诊量大，医护人员防护物资严重短缺，急需防护口罩、防护服和护目镜。",
		FieldCategory:     "protective_equipment",
		FieldDistrict:     "武昌",
		FieldAddress:      "武汉市武昌解放大道112号住院部3楼",
		FieldRequesterOrg: "武昌第12人民医院",
		FieldItems: []Item{
			{Name: "医用防护口罩 | N95口罩", Spec: "符合GB19083", Unit: "只", Needed: need(1200)},
			{Name: "医用防护服", Spec: "一次性", Unit: "套", Needed: need(300)},
			{Name: "护目镜", Unit: "个"},
		},
		FieldContacts: []Contact{{Name: "王医生", Phone: "13800000012", Role: "采购科"}},
		FieldUrgency:  UrgencyHigh,
	})))
	rec, roster := w.rec(KindDemand, "d"), w.roster()
	b.ReportAllocs()
	cpu0 := processCPU(b)
	for b.Loop() {
		d := FoldDemand(rec, roster)
		if d.Uncreated || len(d.Items) != 3 || d.Status != StatusCollected {
			b.Fatal(d.Uncreated, len(d.Items), d.Status)
		}
	}
	b.ReportMetric(float64(processCPU(b)-cpu0)/float64(b.N), "cpu-ns/op")
}

// processCPU returns the CPU time the process has used (user and system,
// every thread: the collector's work included), in nanoseconds; what
// survives a loaded machine where ns/op does not.
func processCPU(b *testing.B) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
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

// BenchmarkRecordForms encodes and decodes a new demand's record (a fixture
// demand's nine fields, all written by one op) in the canonical form
// (EncodeRecord: what older stores hold and what is sent) and in the stored
// form (EncodeRecordStored: fields referring to First); "bytes" is the
// record's length.
func BenchmarkRecordForms(b *testing.B) {
	op := demandOp9(b, "d")
	m := Meta{Stamp: ledger.Stamp{Wall: 1_765_000_000_000}, Device: vol, Seq: 1, Change: changeID(vol, 1)}
	rec := &Record{}
	if err := ApplyOp(rec, m, op); err != nil {
		b.Fatal(err)
	}
	for _, form := range []struct {
		name string
		enc  func(*Record) ([]byte, error)
	}{{"canonical", EncodeRecord}, {"stored", EncodeRecordStored}} {
		enc, err := form.enc(rec)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("encode/"+form.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := form.enc(rec); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(enc)), "bytes")
		})
		b.Run("decode/"+form.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := DecodeRecord(enc); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(enc)), "bytes")
		})
	}
}
