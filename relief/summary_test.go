package relief

import (
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
)

func TestSummarizeSaysWhatAnOpDoes(t *testing.T) {
	tr, err := Transition(KindDemand, "d1", ActionDeliver, Args{Received: []Receipt{{Item: "n95", Qty: 10}}})
	if err != nil {
		t.Fatal(err)
	}
	if s := Summarize(tr); s.Type != OpTransition || s.Kind != KindDemand || s.ID != "d1" || s.Action != string(ActionDeliver) {
		t.Fatalf("transition: %+v", s)
	}
	set, err := SetFields(KindDemand, "d1", map[string]any{FieldTitle: "水", FieldUrgency: "high"})
	if err != nil {
		t.Fatal(err)
	}
	set.Body = nil // an op whose body does not decode says only what the change says
	if s := Summarize(set); s.Type != OpSet || len(s.Fields) != 0 || s.Fields == nil {
		t.Fatalf("undecodable set: %+v", s)
	}
	set, _ = SetFields(KindDemand, "d1", map[string]any{FieldUrgency: "high", FieldTitle: "水"})
	set.Body = sealContactsForTest(t, set)
	if s := Summarize(set); !slices.Equal(s.Fields, []string{FieldContacts, FieldTitle, FieldUrgency}) {
		t.Fatalf("set fields: %v", s.Fields)
	}
	add, _ := Add(KindDemand, "d1", "tags", "x")
	if s := Summarize(add); s.Set != "tags" {
		t.Fatalf("add: %+v", s)
	}
}

// sealContactsForTest returns set's body with a sealed contacts field added,
// as a sealed write carries it.
func sealContactsForTest(t *testing.T, set ledger.Op) []byte {
	t.Helper()
	var b setBody
	if err := decMode.Unmarshal(set.Body, &b); err != nil {
		t.Fatal(err)
	}
	b.Fields[SealedField(FieldContacts)] = []byte{0x41, 0x00} // a one-byte CBOR byte string
	out, err := encMode.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
