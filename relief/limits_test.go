package relief

import (
	"strings"
	"testing"
)

// TestLimitsAreCharacters: a peer (ValidateOp, through the ops' constructors)
// accepts every text field at exactly its limit in 3-byte Chinese characters
// and refuses one character more.
func TestLimitsAreCharacters(t *testing.T) {
	for _, tc := range []struct {
		kind, field string
		max         int
	}{
		{KindDemand, FieldTitle, MaxTitle},
		{KindDemand, FieldDescription, MaxDescription},
		{KindDemand, FieldRequesterOrg, MaxOrg},
		{KindDemand, FieldAddress, MaxAddress},
		{KindDemand, FieldDistrict, MaxDistrict},
		{KindDemand, FieldReviewNotes, MaxText},
		{KindDemand, FieldSource, MaxSource},
		{KindOffer, FieldSupplier, MaxOrg},
		{KindOffer, FieldRegion, MaxDistrict},
		{KindVolunteer, FieldName, MaxOrg},
		{KindTask, FieldSkill, MaxCategory},
	} {
		t.Run(tc.kind+"."+tc.field, func(t *testing.T) {
			if _, err := SetFields(tc.kind, "x", map[string]any{tc.field: strings.Repeat("需", tc.max)}); err != nil {
				t.Errorf("SetFields(%s of %d characters) = %v; want accepted", tc.field, tc.max, err)
			}
			if _, err := SetFields(tc.kind, "x", map[string]any{tc.field: strings.Repeat("需", tc.max+1)}); err == nil {
				t.Errorf("SetFields(%s of %d characters) accepted; want refused", tc.field, tc.max+1)
			}
		})
	}
}

// TestLimitsKeepOldChanges: every value the peers accepted when they counted
// bytes (title 500 bytes, items and contacts 1,000 bytes together, 1,000
// items, 50 contacts) is still accepted, since signed changes are never
// rewritten.
func TestLimitsKeepOldChanges(t *testing.T) {
	items := make([]Item, 1000)
	for i := range items {
		items[i] = Item{Name: strings.Repeat("n", 990), Unit: strings.Repeat("u", 10)}
	}
	contacts := make([]Contact, 50)
	for i := range contacts {
		contacts[i] = Contact{Name: strings.Repeat("c", 980), Phone: "+8613800000000"}
	}
	for name, fields := range map[string]map[string]any{
		"title":       {FieldTitle: strings.Repeat("t", 500)},
		"org":         {FieldRequesterOrg: strings.Repeat("o", 500)},
		"district":    {FieldDistrict: strings.Repeat("d", 200)},
		"address":     {FieldAddress: strings.Repeat("a", 1000)},
		"description": {FieldDescription: strings.Repeat("x", 8000)},
		"items":       {FieldItems: items},
		"contacts":    {FieldContacts: contacts},
	} {
		if _, err := SetFields(KindDemand, "x", fields); err != nil {
			t.Errorf("SetFields(%s at the old byte limit) = %v; want accepted", name, err)
		}
	}
	if _, err := SetFields(KindDemand, "x", map[string]any{FieldItems: append(items, Item{Name: "one more"})}); err == nil {
		t.Errorf("SetFields(%d items) accepted; want refused", len(items)+1)
	}
	if _, err := SetFields(KindDemand, "x", map[string]any{FieldContacts: append(contacts, Contact{Name: "one more"})}); err == nil {
		t.Errorf("SetFields(%d contacts) accepted; want refused", len(contacts)+1)
	}
}

// TestItemAndContactLimits: an item with every part at its limit, in Chinese,
// passes a peer's check, and so does a receipt for it; a contact likewise.
func TestItemAndContactLimits(t *testing.T) {
	if MaxContactName+MaxPhone+MaxContactRole > MaxContactText {
		t.Fatalf("contact part limits %d+%d+%d > MaxContactText %d", MaxContactName, MaxPhone, MaxContactRole, MaxContactText)
	}
	long := Item{Name: strings.Repeat("口", MaxItemName), Spec: strings.Repeat("规", MaxItemSpec), Unit: strings.Repeat("只", MaxUnit)}
	if _, err := SetFields(KindDemand, "x", map[string]any{FieldItems: []Item{long}}); err != nil {
		t.Errorf("SetFields(item at every limit) = %v; want accepted", err)
	}
	over := long
	over.Name += "口"
	if _, err := SetFields(KindDemand, "x", map[string]any{FieldItems: []Item{over}}); err == nil {
		t.Errorf("SetFields(item one character over) accepted; want refused")
	}
	if _, err := Transition(KindDemand, "x", ActionProgress, Args{Received: []Receipt{{Item: long.Name, Qty: 1}}}); err != nil {
		t.Errorf("Transition(progress of an item named with %d characters) = %v; want accepted", MaxItemName, err)
	}
	c := Contact{Name: strings.Repeat("王", MaxContactName), Phone: strings.Repeat("1", MaxPhone), Role: strings.Repeat("科", MaxContactRole)}
	if _, err := SetFields(KindOffer, "x", map[string]any{FieldContacts: []Contact{c}}); err != nil {
		t.Errorf("SetFields(contact at every limit) = %v; want accepted", err)
	}
	if _, err := Transition(KindDemand, "x", ActionReject, Args{Note: strings.Repeat("因", MaxText)}); err != nil {
		t.Errorf("Transition(reject with a note of %d characters) = %v; want accepted", MaxText, err)
	}
}

func TestCut(t *testing.T) {
	for _, tc := range []struct {
		s    string
		max  int
		want string
	}{
		{"武汉协和", 2, "武汉"}, {"武汉", 2, "武汉"}, {"ab", 5, "ab"}, {"武汉", 0, ""}, {"a武b", 2, "a武"},
	} {
		if got := Cut(tc.s, tc.max); got != tc.want {
			t.Errorf("Cut(%q, %d) = %q; want %q", tc.s, tc.max, got, tc.want)
		}
		if got := TooLong(tc.s, tc.max); got != (tc.want != tc.s) {
			t.Errorf("TooLong(%q, %d) = %v; want %v", tc.s, tc.max, got, tc.want != tc.s)
		}
	}
}
