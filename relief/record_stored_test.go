package relief

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// mixMetas gives some of r's fields the Meta of r.First or r.Last, or one
// that differs from First by its Index only (which must stay written out).
func mixMetas(t *rapid.T, r *Record) {
	names := make([]string, 0, len(r.Fields))
	for name := range r.Fields {
		names = append(names, name)
	}
	slices.Sort(names) // rapid's draws must not follow map order
	for _, name := range names {
		f := r.Fields[name]
		switch rapid.IntRange(0, 3).Draw(t, "metaOf") {
		case 1:
			if r.First != nil {
				f.Meta = *r.First
			}
		case 2:
			if r.Last != nil {
				f.Meta = *r.Last
			}
		case 3:
			if r.First != nil {
				f.Meta = *r.First
				f.Meta.Index++
			}
		}
		r.Fields[name] = f
	}
}

// TestRecordStoredRoundTrip: over random records whose fields' metas are
// mixed (First's, Last's, their own), the stored form decodes to the record
// the canonical form (what older code stored, and what is sent) decodes to,
// and each fails where the other fails. The stored form is never longer.
func TestRecordStoredRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genRecord(t)
		if rapid.Bool().Draw(t, "lastIsFirst") && r.First != nil {
			m := *r.First
			r.Last = &m
		}
		mixMetas(t, r)
		canon, canonErr := EncodeRecord(r)
		stored, storedErr := EncodeRecordStored(r)
		if (canonErr != nil) != (storedErr != nil) {
			t.Fatalf("EncodeRecord err %v, EncodeRecordStored err %v", canonErr, storedErr)
		}
		if canonErr != nil {
			return
		}
		if len(stored) > len(canon) {
			t.Fatalf("stored form %d bytes, canonical %d", len(stored), len(canon))
		}
		again, _ := EncodeRecordStored(r)
		if !bytes.Equal(again, stored) {
			t.Fatalf("stored form not deterministic: %x then %x", stored, again)
		}
		want, wantErr := DecodeRecord(canon)
		got, gotErr := DecodeRecord(stored)
		if (wantErr != nil) != (gotErr != nil) {
			t.Fatalf("DecodeRecord(canonical) err %v, DecodeRecord(stored) err %v", wantErr, gotErr)
		}
		if wantErr != nil {
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("stored form decodes to %+v; the canonical form to %+v", got, want)
		}
		// what leaves the store is the canonical form of the decoded record
		out, err := EncodeRecord(got)
		if err != nil {
			t.Fatal(err)
		}
		if wantOut, _ := EncodeRecord(want); !bytes.Equal(out, wantOut) {
			t.Fatalf("sent form from the stored record %x, from the canonical %x", out, wantOut)
		}
	})
}

// storedDemand is a new demand's record: every field written by the one
// operation that created it.
func storedDemand(t *testing.T) *Record {
	t.Helper()
	m := Meta{Seq: 7, Index: 0}
	m.Stamp.Wall = 1_765_000_000_000
	m.Device[0], m.Change[0] = 0xd1, 0xc4
	r := &Record{Kind: KindDemand, ID: "d-1", Fields: map[string]Field{}, First: &m}
	last := m
	r.Last = &last
	for _, kv := range [][2]string{{FieldTitle, "饮用水"}, {FieldDistrict, "城东"}, {"a", "x"}} {
		v, err := encMode.Marshal(kv[1])
		if err != nil {
			t.Fatal(err)
		}
		r.Fields[kv[0]] = Field{Value: v, Meta: m}
	}
	return r
}

// TestRecordStoredReadsOldRecords: a record stored by older code (today's
// EncodeRecord, bytes kept here as they were written) decodes as before, and
// the stored form of a new demand refers to First instead of repeating it.
func TestRecordStoredReadsOldRecords(t *testing.T) {
	r := storedDemand(t)
	old, err := EncodeRecord(r)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := EncodeRecordStored(r)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(old, stored) {
		t.Fatal("stored form is the canonical form: no field refers to First")
	}
	if n := strings.Count(string(stored), string(r.First.Change[:])); n != 2 {
		t.Errorf("stored form holds the change id %d times; want 2 (First and Last only)", n)
	}
	if len(stored) >= len(old)*2/3 {
		t.Errorf("stored form %d bytes, canonical %d: not a third smaller", len(stored), len(old))
	}
	a, err := DecodeRecord(old)
	if err != nil {
		t.Fatalf("older record: %v", err)
	}
	b, err := DecodeRecord(stored)
	if err != nil {
		t.Fatalf("stored record: %v", err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("stored %+v, older %+v", b, a)
	}
	for name, f := range b.Fields {
		if f.Meta != *r.First {
			t.Errorf("field %s: meta %+v, want First %+v", name, f.Meta, *r.First)
		}
	}
}

// TestRecordStoredRefusesBadReferences: a reference to a First or Last the
// record lacks, an unknown reference, or a reference beside a written meta
// is an error that says which field.
func TestRecordStoredRefusesBadReferences(t *testing.T) {
	r := storedDemand(t)
	stored, err := EncodeRecordStored(r)
	if err != nil {
		t.Fatal(err)
	}
	ref := []byte{cborUint | 25, 0x02, 0x26, fieldRefFirst}
	if bytes.Count(stored, ref) != len(r.Fields) {
		t.Fatalf("stored form holds %d references to First; want %d", bytes.Count(stored, ref), len(r.Fields))
	}
	// no First: every field's reference dangles
	noFirst := *r
	noFirst.First = nil
	b, err := EncodeRecordStored(&noFirst) // refers to Last now
	if err != nil {
		t.Fatal(err)
	}
	toFirst := bytes.ReplaceAll(b, []byte{cborUint | 25, 0x02, 0x26, fieldRefLast}, ref)
	if _, err := DecodeRecord(toFirst); err == nil || !strings.Contains(err.Error(), "first meta") {
		t.Errorf("reference to a missing First: err %v", err)
	}
	unknown := bytes.Replace(stored, ref, []byte{cborUint | 25, 0x02, 0x26, 3}, 1)
	if _, err := DecodeRecord(unknown); err == nil || !strings.Contains(err.Error(), "reference 3") {
		t.Errorf("reference 3: err %v", err)
	}
}
