package relief

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// genLongLists draws the bytes of a list of items or of contacts whose
// texts (some of them Chinese, three bytes a character) and counts lie
// around the limits the checks hold them to.
func genLongLists(t *rapid.T) (b []byte, isItems bool) {
	word := func(label string, max int) string {
		n := rapid.IntRange(0, max).Draw(t, label)
		if rapid.Bool().Draw(t, label+"Han") {
			return strings.Repeat("水", n)
		}
		return strings.Repeat("a", n)
	}
	var err error
	if rapid.Bool().Draw(t, "items") {
		list := make([]Item, rapid.SampledFrom([]int{0, 1, 2, MaxItems, MaxItems + 1}).Draw(t, "n"))
		for i := range list {
			list[i] = Item{Name: "x", Unit: "箱"}
		}
		if len(list) > 0 {
			at := rapid.IntRange(0, len(list)-1).Draw(t, "at")
			list[at] = Item{Name: word("name", MaxItemText), Spec: word("spec", MaxItemText/2), Unit: word("unit", 20)}
			if rapid.Bool().Draw(t, "needed") {
				f := rapid.SampledFrom([]float64{0, 3, -1, 0.25, 1e9}).Draw(t, "qty")
				list[at].Needed = &f
			}
		}
		b, err = encMode.Marshal(list)
		isItems = true
	} else {
		list := make([]Contact, rapid.SampledFrom([]int{0, 1, MaxContacts, MaxContacts + 1}).Draw(t, "n"))
		for i := range list {
			list[i] = Contact{Name: "王", Phone: "+8613800000000"}
		}
		if len(list) > 0 {
			at := rapid.IntRange(0, len(list)-1).Draw(t, "at")
			list[at] = Contact{Name: word("name", MaxContactText), Phone: word("phone", MaxContactText/2), Role: word("role", 40), Kind: word("kind", MaxContactText)}
		}
		b, err = encMode.Marshal(list)
	}
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b, isItems
}

// TestListsValidInPlaceAgreesWithDecode holds itemsValidWire and
// contactsValidWire to the decode and check they stand in for: what they
// call valid, the decode accepts and the check passes; a canonical list
// near the limits is called valid exactly when decode and check accept it
// (so the in-place check is taken, not only safe).
func TestListsValidInPlaceAgreesWithDecode(t *testing.T) {
	decodedItems := func(b []byte) bool {
		var v []Item
		return decMode.Unmarshal(b, &v) == nil && checkItems(v) == nil
	}
	decodedContacts := func(b []byte) bool {
		var v []Contact
		return decMode.Unmarshal(b, &v) == nil && checkContacts(v) == nil
	}
	t.Run("any bytes", func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			b := genListBytes(t)
			if itemsValidWire(b) && !decodedItems(b) {
				t.Fatalf("itemsValidWire(%x) = true; the decode or checkItems refuses it", b)
			}
			if contactsValidWire(b) && !decodedContacts(b) {
				t.Fatalf("contactsValidWire(%x) = true; the decode or checkContacts refuses it", b)
			}
		})
	})
	t.Run("near the limits", func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			b, isItems := genLongLists(t)
			if isItems {
				if got, want := itemsValidWire(b), decodedItems(b); got != want {
					t.Fatalf("itemsValidWire(%x) = %v; decode and checkItems say %v", b, got, want)
				}
				return
			}
			if got, want := contactsValidWire(b), decodedContacts(b); got != want {
				t.Fatalf("contactsValidWire(%x) = %v; decode and checkContacts say %v", b, got, want)
			}
		})
	})
}

// TestListChecksDecodeNothing: checking a demand's valid items and
// contacts makes nothing (it made the list, its texts and quantities).
func TestListChecksDecodeNothing(t *testing.T) {
	qty := 40.0
	its, err := encMode.Marshal([]Item{{Name: "饮用水", Spec: "550ml", Unit: "箱", Needed: &qty}, {Name: "方便面", Unit: "箱"}})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := encMode.Marshal([]Contact{{Name: "王芳", Phone: "+8613800000000", Role: "村医"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := items(its); err != nil {
		t.Fatalf("items: %v", err)
	}
	if err := contacts(cs); err != nil {
		t.Fatalf("contacts: %v", err)
	}
	if n := testing.AllocsPerRun(100, func() { _ = items(its) }); n != 0 {
		t.Errorf("items of a valid list: %.0f allocations; want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = contacts(cs) }); n != 0 {
		t.Errorf("contacts of a valid list: %.0f allocations; want 0", n)
	}
}

// TestListsValidInPlaceAtTheLimits: a list at each limit is valid in place,
// one character, item or contact past it is not, nor an item without a
// name or with a negative quantity; and the decode agrees with each.
func TestListsValidInPlaceAtTheLimits(t *testing.T) {
	han := func(n int) string { return strings.Repeat("水", n) }
	neg, zero := -1.0, 0.0
	many := func(n int) []Item {
		v := make([]Item, n)
		for i := range v {
			v[i] = Item{Name: "x"}
		}
		return v
	}
	manyContacts := func(n int) []Contact { return make([]Contact, n) }
	itemCases := []struct {
		name  string
		list  []Item
		valid bool
	}{
		{"texts at the limit", []Item{{Name: han(MaxItemText - 150), Spec: han(100), Unit: han(50)}}, true},
		{"one character past", []Item{{Name: han(MaxItemText - 150), Spec: han(101), Unit: han(50)}}, false},
		{"past in the second item only", []Item{{Name: han(MaxItemText)}, {Name: "a", Spec: han(MaxItemText)}}, false},
		{"no name", []Item{{Name: "a"}, {Spec: "b"}}, false},
		{"zero quantity", []Item{{Name: "a", Needed: &zero}}, true},
		{"negative quantity", []Item{{Name: "a", Needed: &neg}}, false},
		{"as many items as allowed", many(MaxItems), true},
		{"one item too many", many(MaxItems + 1), false},
	}
	for _, c := range itemCases {
		b, err := encMode.Marshal(c.list)
		if err != nil {
			t.Fatal(err)
		}
		var v []Item
		decoded := decMode.Unmarshal(b, &v) == nil && checkItems(v) == nil
		if got := itemsValidWire(b); got != c.valid || decoded != c.valid {
			t.Errorf("items %s: valid in place %v, by the decode %v; want %v", c.name, got, decoded, c.valid)
		}
	}
	contactCases := []struct {
		name  string
		list  []Contact
		valid bool
	}{
		{"texts at the limit, a long kind", []Contact{{Name: han(MaxContactText - 60), Phone: han(40), Role: han(20), Kind: han(MaxContactText)}}, true},
		{"one character past", []Contact{{Name: han(MaxContactText - 60), Phone: han(41), Role: han(20)}}, false},
		{"past in the second contact only", []Contact{{Name: han(MaxContactText)}, {Name: "a", Role: han(MaxContactText)}}, false},
		{"as many contacts as allowed", manyContacts(MaxContacts), true},
		{"one contact too many", manyContacts(MaxContacts + 1), false},
	}
	for _, c := range contactCases {
		b, err := encMode.Marshal(c.list)
		if err != nil {
			t.Fatal(err)
		}
		var v []Contact
		decoded := decMode.Unmarshal(b, &v) == nil && checkContacts(v) == nil
		if got := contactsValidWire(b); got != c.valid || decoded != c.valid {
			t.Errorf("contacts %s: valid in place %v, by the decode %v; want %v", c.name, got, decoded, c.valid)
		}
	}
}
