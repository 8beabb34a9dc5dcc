package relief

import (
	"bytes"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
)

func seedRecords(f *testing.F) {
	w := seeded(f)
	w.do(coord, 5, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "masks", FieldItems: []Item{{Name: "masks"}}})),
		must(Add(KindDemand, "d", SetTags, "a")), tr(f, "d", ActionApprove, Args{Note: "ok"}))
	for _, r := range w.all() {
		b, err := EncodeRecord(r)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzDecodeRecord: DecodeRecord never panics; what it accepts re-encodes stably
// and folds without panicking.
func FuzzDecodeRecord(f *testing.F) {
	seedRecords(f)
	f.Add([]byte{0xa2, 0x01, 0x61, 'd', 0x02, 0x61, 'x'})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := DecodeRecord(b)
		if err != nil {
			return
		}
		enc, err := EncodeRecord(r)
		if err != nil {
			t.Fatalf("EncodeRecord(decoded) = %v", err)
		}
		r2, err := DecodeRecord(enc)
		if err != nil {
			t.Fatalf("DecodeRecord(EncodeRecord(r)) = %v", err)
		}
		enc2, _ := EncodeRecord(r2)
		if !bytes.Equal(enc, enc2) {
			t.Fatalf("re-encoding not stable")
		}
		roster := NewRoster([]*Record{r})
		FoldDemand(r, roster)
		FoldTask(r, roster)
		FoldVolunteer(r)
		FoldOffer(r)
	})
}

// FuzzOpBody: the op body decoders (ValidateOp, ApplyOp) never panic on arbitrary
// bytes, and an op they accept leaves an encodable, decodable record.
func FuzzOpBody(f *testing.F) {
	for _, op := range []ledger.Op{
		must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "x", FieldContacts: []Contact{{Name: "a"}}})),
		must(SetFields(KindVolunteer, "v", map[string]any{FieldAvailability: []Window{{Day: 1, From: 0, To: 60}}})),
		must(Add(KindVolunteer, "v", SetSkills, "driver")),
		must(Transition(KindDemand, "d", ActionProgress, Args{Received: []Receipt{{Item: "m", Qty: 1}}})),
		must(Transition(KindDemand, "d", ActionHandover, Args{To: vol})),
		must(Endorse(vol, RoleVolunteer, "v")),
		must(Revoke(vol, 3, "")),
	} {
		f.Add(op.Kind, op.ID, op.Type, []byte(op.Body))
	}
	f.Fuzz(func(t *testing.T, kind, id, typ string, body []byte) {
		op := ledger.Op{Kind: kind, ID: id, Type: typ, Body: body}
		sameSetBody(t, body) // the fast path against reflection
		verr := ValidateOp(op)
		rec := &Record{}
		aerr := ApplyOp(rec, Meta{Device: vol, Seq: 1}, op)
		if (verr == nil) != (aerr == nil) {
			t.Fatalf("ValidateOp = %v but ApplyOp = %v", verr, aerr)
		}
		if aerr != nil {
			return
		}
		enc, err := EncodeRecord(rec)
		if err != nil {
			t.Fatalf("EncodeRecord = %v", err)
		}
		if _, err := DecodeRecord(enc); err != nil {
			t.Fatalf("DecodeRecord(EncodeRecord) = %v", err)
		}
		roster := NewRoster([]*Record{rec})
		FoldDemand(rec, roster)
		FoldTask(rec, roster)
		FoldVolunteer(rec)
		FoldOffer(rec)
	})
}
