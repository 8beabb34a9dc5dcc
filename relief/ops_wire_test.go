package relief

import (
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/fxamacker/cbor/v2"
	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// genWireValue draws a value to encode as a field's value: scalars, texts
// (sometimes not UTF-8), byte strings, floats, nested arrays and maps, tags
// (the slow path), sometimes nested deeper than the fast path follows.
func genWireValue(t *rapid.T, depth int) any {
	n := 9
	if depth <= 0 {
		n = 6
	}
	switch rapid.IntRange(0, n).Draw(t, "valueKind") {
	case 0:
		return rapid.Int64().Draw(t, "int")
	case 1:
		return rapid.StringN(0, 30, -1).Draw(t, "text")
	case 2:
		return string(rapid.SliceOfN(rapid.Byte(), 0, 6).Draw(t, "rawText")) // maybe not UTF-8
	case 3:
		return rapid.Float64().Draw(t, "float")
	case 4:
		return rapid.SliceOfN(rapid.Byte(), 0, 8).Draw(t, "bytes")
	case 5:
		return rapid.SampledFrom([]any{nil, true, false, cbor.SimpleValue(40)}).Draw(t, "simple")
	case 6:
		return []Item{{Name: rapid.StringN(0, 10, -1).Draw(t, "item")}}
	case 7:
		v := make([]any, rapid.IntRange(0, 4).Draw(t, "arrayLen"))
		for i := range v {
			v[i] = genWireValue(t, depth-1)
		}
		return v
	case 8:
		m := map[string]any{}
		for range rapid.IntRange(0, 3).Draw(t, "mapLen") {
			m[rapid.StringN(0, 5, -1).Draw(t, "key")] = genWireValue(t, depth-1)
		}
		return m
	default:
		return cbor.Tag{Number: rapid.Uint64Range(0, 40).Draw(t, "tag"), Content: genWireValue(t, 0)}
	}
}

// genSetBodyBytes draws the bytes of a set body: mostly what SetFields and
// SetFieldsSeen write, sometimes with other keys, non-canonical heads, or
// a body of another shape.
func genSetBodyBytes(t *rapid.T) []byte {
	type loose struct {
		Fields map[string]any    `cbor:"1,keyasint"`
		Seen   map[string][]Tag  `cbor:"40,keyasint,omitempty"`
		Other  map[string]string `cbor:"2,keyasint,omitempty"`
	}
	var v loose
	v.Fields = map[string]any{}
	for range rapid.IntRange(0, 5).Draw(t, "fields") {
		name := rapid.SampledFrom([]string{FieldTitle, FieldItems, FieldContacts, FieldUrgency, "x", ""}).Draw(t, "name")
		v.Fields[name] = genWireValue(t, rapid.IntRange(0, 14).Draw(t, "depth"))
	}
	if rapid.Bool().Draw(t, "hasSeen") {
		v.Seen = map[string][]Tag{}
		for range rapid.IntRange(0, 3).Draw(t, "seen") {
			var tags []Tag
			for range rapid.IntRange(0, 3).Draw(t, "tags") {
				var tag Tag
				copy(tag.Change[:], rapid.SliceOfN(rapid.Byte(), 32, 32).Draw(t, "change"))
				tag.Index = rapid.IntRange(-3, 1<<40).Draw(t, "index")
				tags = append(tags, tag)
			}
			v.Seen[rapid.SampledFrom([]string{FieldTitle, "y"}).Draw(t, "seenName")] = tags
		}
	}
	if rapid.IntRange(0, 9).Draw(t, "other") == 0 {
		v.Other = map[string]string{"a": "b"}
	}
	b, err := encMode.Marshal(v)
	if err != nil {
		return []byte{0xa1, 0x01, 0xa0}
	}
	switch rapid.IntRange(0, 5).Draw(t, "alter") {
	case 1:
		b[rapid.IntRange(0, len(b)-1).Draw(t, "at")] ^= rapid.ByteRange(1, 255).Draw(t, "xor")
	case 2:
		b = b[:rapid.IntRange(0, len(b)-1).Draw(t, "cut")]
	case 3:
		b = append(b, rapid.SliceOfN(rapid.Byte(), 1, 3).Draw(t, "extra")...)
	}
	return b
}

// sameSetBody fails t unless decodeSetBody(b) gives what decMode.Unmarshal
// gives: the same body, or an error with the same words. It reports
// whether the fast path decoded b.
func sameSetBody(t interface {
	Helper()
	Fatalf(string, ...any)
}, b []byte) bool {
	t.Helper()
	var got, want setBody
	gotErr := decodeSetBody(b, &got)
	wantErr := decMode.Unmarshal(b, &want)
	if (gotErr != nil) != (wantErr != nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
		t.Fatalf("decodeSetBody(%x) = %v; want %v (reflection)", b, gotErr, wantErr)
	}
	if wantErr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("decodeSetBody(%x) = %+v; want %+v (reflection)", b, got, want)
	}
	var fast setBody
	return setBodyWire(b, &fast)
}

// TestSetBodyWireMatchesReflection checks that a set op's body decodes to
// what reflection gives (or fails with its error) over random bodies and
// altered bytes, and that the fast path takes every body SetFields writes.
func TestSetBodyWireMatchesReflection(t *testing.T) {
	fast := 0
	rapid.Check(t, func(t *rapid.T) {
		if sameSetBody(t, genSetBodyBytes(t)) {
			fast++
		}
	})
	if fast == 0 {
		t.Fatalf("the fast path decoded none of the random bodies")
	}
	seen := map[string][]Tag{FieldTitle: {{Index: 3}}}
	for _, op := range []struct {
		fields map[string]any
		seen   map[string][]Tag
	}{
		{map[string]any{FieldTitle: "口罩", FieldItems: []Item{{Name: "N95", Needed: new(float64)}}, FieldUrgency: UrgencyHigh}, nil},
		{map[string]any{FieldTitle: "x"}, seen},
	} {
		o, err := SetFieldsSeen(KindDemand, "d", op.fields, op.seen)
		if err != nil {
			t.Fatal(err)
		}
		if !sameSetBody(t, o.Body) {
			t.Fatalf("the body SetFieldsSeen wrote (%x) did not take the fast path", o.Body)
		}
	}
}

// TestTextWireMatchesReflection checks the text fields' check against
// reflection: wireText accepts only what decodes into a string, and gives
// that string.
func TestTextWireMatchesReflection(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		b, err := encMode.Marshal(genWireValue(t, 1))
		if err != nil {
			return
		}
		if rapid.Bool().Draw(t, "alter") {
			b[rapid.IntRange(0, len(b)-1).Draw(t, "at")] ^= rapid.ByteRange(1, 255).Draw(t, "xor")
		}
		var want string
		wantErr := decMode.Unmarshal(b, &want)
		got, ok := wireText(b)
		if ok && (wantErr != nil || string(got) != want) {
			t.Fatalf("wireText(%x) = %q; want %q, %v (reflection)", b, got, want, wantErr)
		}
		if !ok && wantErr == nil && b[0]>>5 == 3 {
			t.Fatalf("wireText(%x) refused a text string reflection decodes to %q", b, want)
		}
		check := text(5)
		if gotErr, plainErr := check(b), textByReflection(b, 5); (gotErr == nil) != (plainErr == nil) {
			t.Fatalf("text(5)(%x) = %v; want %v (reflection)", b, gotErr, plainErr)
		}
	})
}

// textByReflection is text(max) as it was before the fast path.
func textByReflection(b []byte, max int) error {
	var s string
	if err := decMode.Unmarshal(b, &s); err != nil {
		return err
	}
	if TooLong(s, max) {
		return errors.New("too long")
	}
	return nil
}

// FuzzSetBodyWire compares the fast decoding of a set body with reflection
// on arbitrary bytes.
func FuzzSetBodyWire(f *testing.F) {
	o, err := SetFields(KindDemand, "d", map[string]any{FieldTitle: "x", FieldContacts: []Contact{{Name: "a"}}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(o.Body))
	o, err = SetFieldsSeen(KindDemand, "d", map[string]any{FieldTitle: "y"}, map[string][]Tag{FieldTitle: {{Index: 1}}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(o.Body))
	f.Add([]byte{0xa1, 0x01, 0xa2, 0x61, 'a', 0x01, 0x61, 'a', 0x02})
	f.Fuzz(func(t *testing.T, b []byte) { sameSetBody(t, b) })
}

// TestValueWireMatchesReflection checks Record.Value's fast path for text
// against reflection: same result, same string, over random values.
func TestValueWireMatchesReflection(t *testing.T) {
	fast := 0
	rapid.Check(t, func(t *rapid.T) {
		b, err := encMode.Marshal(genWireValue(t, 1))
		if err != nil {
			return
		}
		if rapid.Bool().Draw(t, "alter") {
			b[rapid.IntRange(0, len(b)-1).Draw(t, "at")] ^= rapid.ByteRange(1, 255).Draw(t, "xor")
		}
		rec := &Record{Fields: map[string]Field{FieldTitle: {Value: b}, FieldUrgency: {Value: b}}}
		var s, want string
		ok := rec.Value(FieldTitle, &s)
		wantOK := !isNull(b) && decMode.Unmarshal(b, &want) == nil
		if ok != wantOK || s != want {
			t.Fatalf("Value(%x, *string) = %v, %q; want %v, %q (reflection)", b, ok, s, wantOK, want)
		}
		var u, wantU Urgency
		ok = rec.Value(FieldUrgency, &u)
		wantOK = !isNull(b) && decMode.Unmarshal(b, &wantU) == nil
		if ok != wantOK || u != wantU {
			t.Fatalf("Value(%x, *Urgency) = %v, %q; want %v, %q (reflection)", b, ok, u, wantOK, wantU)
		}
		if valueWire(b, new(string)) {
			fast++
		}
	})
	if fast == 0 {
		t.Fatalf("no value took the fast path")
	}
}

// TestApplySetOwnsValues checks that a record does not share the bytes of
// the op that set it (the store reuses and releases op bodies), on the
// fast path and on the reflection path (a body with a non-shortest head).
func TestApplySetOwnsValues(t *testing.T) {
	op, err := SetFields(KindDemand, "d", map[string]any{FieldTitle: "口罩", FieldAddress: "三号楼"})
	if err != nil {
		t.Fatal(err)
	}
	slow := append([]byte{0xb8, 0x01}, op.Body[1:]...) // the same body, its head not in shortest form
	for _, body := range [][]byte{op.Body, slow} {
		var b setBody
		if fast := setBodyWire(body, &b); fast != (body[0] == 0xa1) {
			t.Fatalf("setBodyWire(%x) took the fast path: %v", body, fast)
		}
		rec := &Record{}
		if err := ApplyOp(rec, Meta{Device: vol, Seq: 1}, ledger.Op{Kind: op.Kind, ID: op.ID, Type: op.Type, Body: body}); err != nil {
			t.Fatalf("ApplyOp(%x) = %v", body, err)
		}
		clear(body)
		var title, address string
		if !rec.Value(FieldTitle, &title) || !rec.Value(FieldAddress, &address) || title != "口罩" || address != "三号楼" {
			t.Fatalf("after the op's body was cleared the record holds %q, %q; want 口罩, 三号楼", title, address)
		}
	}
}

// genListBytes draws the bytes of an items or contacts value: lists of
// Item or Contact (quantities of every float width, NaN, infinities,
// integers), lists of maps with other keys and values, altered bytes.
func genListBytes(t *rapid.T) []byte {
	var v any
	switch rapid.IntRange(0, 2).Draw(t, "listKind") {
	case 0:
		items := make([]Item, rapid.IntRange(0, 4).Draw(t, "items"))
		for i := range items {
			items[i] = Item{Name: rapid.StringN(0, 8, -1).Draw(t, "name"), Spec: rapid.StringN(0, 3, -1).Draw(t, "spec")}
			if rapid.Bool().Draw(t, "needed") {
				f := rapid.SampledFrom([]float64{0, 1, 1000, 0.5, 1e-7, 6e-8, 65504, 1e300, -2, math.NaN(), math.Inf(1), float64(float32(0.1))}).Draw(t, "qty")
				if rapid.Bool().Draw(t, "qtyRandom") {
					f = rapid.Float64().Draw(t, "qtyAny")
				}
				items[i].Needed = &f
			}
		}
		v = items
	case 1:
		contacts := make([]Contact, rapid.IntRange(0, 4).Draw(t, "contacts"))
		for i := range contacts {
			contacts[i] = Contact{Name: rapid.StringN(0, 8, -1).Draw(t, "cname"), Phone: rapid.StringN(0, 8, -1).Draw(t, "phone"), Kind: rapid.SampledFrom([]string{"", ContactWeChat}).Draw(t, "ckind")}
		}
		v = contacts
	default:
		list := make([]any, rapid.IntRange(0, 3).Draw(t, "maps"))
		for i := range list {
			m := map[any]any{}
			for range rapid.IntRange(0, 5).Draw(t, "pairs") {
				m[rapid.SampledFrom([]any{uint64(1), uint64(2), uint64(3), uint64(4), uint64(5), uint64(0), int64(-1), "1"}).Draw(t, "key")] = genWireValue(t, 1)
			}
			list[i] = m
		}
		v = list
	}
	b, err := encMode.Marshal(v)
	if err != nil {
		return []byte{0x80}
	}
	if rapid.IntRange(0, 3).Draw(t, "alter") == 0 {
		b[rapid.IntRange(0, len(b)-1).Draw(t, "at")] ^= rapid.ByteRange(1, 255).Draw(t, "xor")
	}
	return b
}

// TestListsWireMatchesReflection checks itemsWire and contactsWire, and
// Record.Value and the field checks that use them, against reflection.
func TestListsWireMatchesReflection(t *testing.T) {
	fast := 0
	rapid.Check(t, func(t *rapid.T) {
		b := genListBytes(t)
		var wantItems []Item
		itemsErr := decMode.Unmarshal(b, &wantItems)
		if got, ok := itemsWire(b); ok {
			fast++
			if itemsErr != nil || !reflect.DeepEqual(got, wantItems) {
				t.Fatalf("itemsWire(%x) = %+v; want %+v, %v (reflection)", b, got, wantItems, itemsErr)
			}
		}
		var wantContacts []Contact
		contactsErr := decMode.Unmarshal(b, &wantContacts)
		if got, ok := contactsWire(b); ok {
			fast++
			if contactsErr != nil || !reflect.DeepEqual(got, wantContacts) {
				t.Fatalf("contactsWire(%x) = %+v; want %+v, %v (reflection)", b, got, wantContacts, contactsErr)
			}
		}
		rec := &Record{Fields: map[string]Field{FieldItems: {Value: b}, FieldContacts: {Value: b}}}
		var gotItems []Item
		if ok := rec.Value(FieldItems, &gotItems); ok != (itemsErr == nil && !isNull(b)) || ok && !sameEncoding(gotItems, wantItems) {
			t.Fatalf("Value(%x, *[]Item) = %v, %+v; want %v, %+v (reflection)", b, ok, gotItems, itemsErr, wantItems)
		}
		var gotContacts []Contact
		if ok := rec.Value(FieldContacts, &gotContacts); ok != (contactsErr == nil && !isNull(b)) || ok && !sameEncoding(gotContacts, wantContacts) {
			t.Fatalf("Value(%x, *[]Contact) = %v, %+v; want %v, %+v (reflection)", b, ok, gotContacts, contactsErr, wantContacts)
		}
		wantErr := itemsErr
		if wantErr == nil {
			wantErr = checkItems(wantItems)
		}
		if err := items(b); (err == nil) != (wantErr == nil) {
			t.Fatalf("items(%x) = %v; want %v (reflection)", b, err, wantErr)
		}
		wantErr = contactsErr
		if wantErr == nil {
			wantErr = checkContacts(wantContacts)
		}
		if err := contacts(b); (err == nil) != (wantErr == nil) {
			t.Fatalf("contacts(%x) = %v; want %v (reflection)", b, err, wantErr)
		}
	})
	if fast == 0 {
		t.Fatalf("no list took the fast path")
	}
	dup := []byte{0x81, 0xa2, 0x01, 0x61, 'a', 0x01, 0x61, 'b'} // [{1: "a", 1: "b"}]
	if _, ok := itemsWire(dup); ok {
		t.Fatalf("itemsWire(%x) accepted a duplicate key", dup)
	}
	if _, ok := contactsWire(dup); ok {
		t.Fatalf("contactsWire(%x) accepted a duplicate key", dup)
	}
}

// sameEncoding reports whether a and b encode to the same bytes: equality
// that holds for NaN (reflect.DeepEqual's does not) and tells nil from
// empty.
func sameEncoding(a, b any) bool {
	x, errA := encMode.Marshal(a)
	y, errB := encMode.Marshal(b)
	return errA == nil && errB == nil && string(x) == string(y)
}
