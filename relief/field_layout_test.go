package relief

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"unsafe"

	"github.com/fxamacker/cbor/v2"
	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// A Field must fit in the 128 bytes Go's map stores in place (larger values
// are each allocated apart: one allocation per field of every record the
// store applies an op to). It was 168 bytes with Prev and Seen inline.
func TestFieldFitsInAMapSlot(t *testing.T) {
	if n := unsafe.Sizeof(Field{}); n > 128 {
		t.Fatalf("Field is %d bytes; Go's map keeps values over 128 bytes apart, one allocation each", n)
	}
}

// demandOp9 is a new demand as the bench fixture writes it: nine fields.
func demandOp9(t testing.TB, id string) ledger.Op {
	t.Helper()
	n := func(v float64) *float64 { return &v }
	op, err := SetFields(KindDemand, id, map[string]any{
		FieldTitle:        "江岸区第3人民医院急需医用防护物资",
		FieldDescription:  "发热门诊接诊量大，急需防护口罩、防护服和护目镜。",
		FieldCategory:     "protective_equipment",
		FieldDistrict:     "江岸区",
		FieldAddress:      "武汉市江岸区解放大道100号住院部3楼",
		FieldRequesterOrg: "江岸区第3人民医院",
		FieldItems:        []Item{{Name: "医用防护口罩", Unit: "只", Needed: n(1000)}, {Name: "护目镜", Unit: "个"}},
		FieldContacts:     []Contact{{Name: "王医生", Phone: "+8613800000001", Role: "采购科"}},
		FieldUrgency:      UrgencyHigh,
	})
	if err != nil {
		t.Fatal(err)
	}
	return op
}

// Applying a new demand's set op allocates about as much for nine fields as
// for one: the fields live in the record's map, not one allocation each.
func TestApplyOpFieldsNotAllocatedApart(t *testing.T) {
	one := must(SetFields(KindDemand, "d1", map[string]any{FieldTitle: "N95"}))
	nine := demandOp9(t, "d9")
	m := Meta{Stamp: ledger.Stamp{Wall: 1}, Device: vol, Seq: 1, Change: changeID(vol, 1)}
	// the record's part: ApplyOp's allocations less decodeOp's (ValidateOp)
	recordPart := func(op ledger.Op) float64 {
		apply := testing.AllocsPerRun(50, func() {
			if err := ApplyOp(&Record{}, m, op); err != nil {
				t.Fatal(err)
			}
		})
		decode := testing.AllocsPerRun(50, func() {
			if err := ValidateOp(op); err != nil {
				t.Fatal(err)
			}
		})
		return apply - decode
	}
	a1, a9 := recordPart(one), recordPart(nine)
	t.Logf("the record's allocations: %.0f for one field, %.0f for nine", a1, a9)
	if a9-a1 >= 8 {
		t.Fatalf("nine fields cost the record %.0f allocations more than one: a field is allocated apart", a9-a1)
	}
}

// legacyField is Field as it was stored before Prev and Seen moved behind a
// pointer: the stored form must stay exactly this.
type legacyField struct {
	Value cbor.RawMessage `cbor:"1,keyasint"`
	Meta  Meta            `cbor:"2,keyasint"`
	Prev  []Write         `cbor:"24,keyasint,omitempty"`
	Seen  []Sight         `cbor:"40,keyasint,omitempty"`
}

type legacyRecord struct {
	Kind   string                 `cbor:"1,keyasint"`
	ID     string                 `cbor:"2,keyasint"`
	Fields map[string]legacyField `cbor:"3,keyasint,omitempty"`
}

// A record's fields encode to the bytes the old layout gave, and bytes of the
// old layout decode to the same fields (records written before stay readable).
func TestFieldCBORIsTheStoredForm(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		old := legacyRecord{Kind: KindDemand, ID: "d", Fields: map[string]legacyField{}}
		rec := &Record{Kind: KindDemand, ID: "d", Fields: map[string]Field{}}
		for i := range rapid.IntRange(1, 6).Draw(t, "fields") {
			name := fmt.Sprintf("f%d", i)
			lf := legacyField{Value: []byte{0x61, byte('a' + i)}, Meta: genMeta(t)}
			lf.Meta.Stamp.Wall = rapid.Int64Range(0, 1<<40).Draw(t, "wall") // superseded writes are before it
			for range rapid.IntRange(0, 3).Draw(t, "prev") {
				w := Write{Value: []byte{0x01}, Meta: genMeta(t)}
				w.Meta.Stamp.Wall = lf.Meta.Stamp.Wall - 1 - int64(rapid.IntRange(0, 1000).Draw(t, "before"))
				lf.Prev = insertWrite(lf.Prev, w)
			}
			for range rapid.IntRange(0, 2).Draw(t, "seen") {
				lf.Seen = insertSight(lf.Seen, Sight{Meta: genMeta(t), Saw: []Tag{{Index: rapid.IntRange(0, 9).Draw(t, "saw")}}})
			}
			old.Fields[name] = lf
			f := Field{Value: lf.Value, Meta: lf.Meta}
			f.SetPrev(slices.Clone(lf.Prev))
			f.SetSeen(slices.Clone(lf.Seen))
			rec.Fields[name] = f
		}
		want, err := encMode.Marshal(old)
		if err != nil {
			t.Fatal(err)
		}
		got, err := EncodeRecord(rec)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("EncodeRecord = %x; the old layout's bytes are %x", got, want)
		}
		if refl, err := encMode.Marshal(rec); err != nil || !bytes.Equal(refl, want) {
			t.Fatalf("encMode.Marshal = %x, %v; the old layout's bytes are %x", refl, err, want)
		}
		dec, err := DecodeRecord(want)
		if err != nil {
			t.Fatal(err)
		}
		for name, lf := range old.Fields {
			f := dec.Fields[name]
			if !bytes.Equal(f.Value, lf.Value) || f.Meta != lf.Meta || !slices.EqualFunc(f.Prev(), lf.Prev, func(a, b Write) bool { return a.Meta == b.Meta && bytes.Equal(a.Value, b.Value) }) || len(f.Seen()) != len(lf.Seen) {
				t.Fatalf("field %s decoded as %+v; stored as %+v", name, f, lf)
			}
		}
	})
}

// A field with an unknown key or a key twice is refused, as before.
func TestFieldDecodeRefusesUnknownAndDuplicateKeys(t *testing.T) {
	meta, err := encMode.Marshal(Meta{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"unknown key 9", slices.Concat([]byte{0xa3, 0x01, 0x61, 'a', 0x02}, meta, []byte{0x09, 0x00})},
		{"key 1 twice", slices.Concat([]byte{0xa3, 0x01, 0x61, 'a', 0x01, 0x61, 'b', 0x02}, meta)},
	} {
		var f Field
		if err := decMode.Unmarshal(tc.b, &f); err == nil {
			t.Errorf("%s: decoded as %+v; want refused", tc.name, f)
		}
	}
}

// SetPrev and SetSeen change the copy they are called on only: a Field is a
// value, as it was when Prev and Seen were plain slices beside Value.
func TestFieldSetPrevLeavesOtherCopies(t *testing.T) {
	a := Field{Value: []byte{0x01}, Meta: Meta{Seq: 2}}
	a.SetPrev([]Write{{Value: []byte{0x02}, Meta: Meta{Seq: 1}}})
	b := a
	b.SetPrev(nil)
	b.SetSeen([]Sight{{Meta: Meta{Seq: 2}}})
	if len(a.Prev()) != 1 || len(a.Seen()) != 0 {
		t.Fatalf("a = %d superseded, %d sights after b's change; want 1, 0", len(a.Prev()), len(a.Seen()))
	}
	if len(b.Prev()) != 0 || len(b.Seen()) != 1 {
		t.Fatalf("b = %d superseded, %d sights; want 0, 1", len(b.Prev()), len(b.Seen()))
	}
	b.SetSeen(nil)
	if b.more != nil {
		t.Fatalf("a field with neither superseded writes nor sights keeps its rare part")
	}
}

// TestEncodeRecordAllocatesOnce: encoding a demand of nine fields makes its
// bytes and nothing else (the field names were a second slice).
func TestEncodeRecordAllocatesOnce(t *testing.T) {
	rec := &Record{}
	m := Meta{Stamp: ledger.Stamp{Wall: 1}, Device: vol, Seq: 1, Change: changeID(vol, 1)}
	if err := ApplyOp(rec, m, demandOp9(t, "d9")); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(50, func() {
		if _, err := EncodeRecord(rec); err != nil {
			t.Fatal(err)
		}
	}); n != 1 {
		t.Fatalf("EncodeRecord of a record of %d fields: %.0f allocations; want 1", len(rec.Fields), n)
	}
	// the stored form reserves less (references where the Metas were) and
	// still enough
	var b []byte
	if n := testing.AllocsPerRun(50, func() {
		var err error
		if b, err = EncodeRecordStored(rec); err != nil {
			t.Fatal(err)
		}
	}); n != 1 {
		t.Fatalf("EncodeRecordStored of a record of %d fields: %.0f allocations; want 1", len(rec.Fields), n)
	}
	if canon, _ := EncodeRecord(rec); cap(b) >= cap(canon) {
		t.Errorf("EncodeRecordStored reserved %d bytes for %d; EncodeRecord %d for %d", cap(b), len(b), cap(canon), len(canon))
	}
}
