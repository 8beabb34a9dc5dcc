package desk

import (
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// A refused edit of several fields is one inbox entry (the change's), and
// acknowledging it from the inbox (its ref) covers every field.
func TestRefusedEditAckedOnce(t *testing.T) {
	a, b := peopleNetwork(t) // a coordinator, b volunteer
	dm := recordOne(t, a, "协和医院 N95")
	peopleSync(t, a.Store(), b.Store())
	// b neither created nor owns it: signed as a laptop would that skipped the desk's check
	op, err := relief.SetFields(relief.KindDemand, dm.ID, map[string]any{relief.FieldTitle: "改", relief.FieldDescription: "改", relief.FieldAddress: "改"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.apply([]ledger.Op{op}); err != nil {
		t.Fatalf("apply(edit) = %v", err)
	}
	peopleSync(t, b.Store(), a.Store())
	inbox, err := a.InboxPage(InboxQuery{What: relief.ReplyConflict})
	if err != nil || len(inbox.Entries) != 1 {
		t.Fatalf("InboxPage(conflict) = %+v, %v; want one entry for the one refused change", inbox.Entries, err)
	}
	e := inbox.Entries[0]
	if want := []string{relief.FieldAddress, relief.FieldDescription, relief.FieldTitle}; e.Notice == nil || !slices.Equal(e.Notice.Fields, want) {
		t.Fatalf("inbox entry notice = %+v; want fields %v", e.Notice, want)
	}
	if _, err := a.Act(ActInput{ID: dm.ID, Action: "ack_conflict", Ref: e.Ref}); err != nil {
		t.Fatalf("Act(ack_conflict %s) = %v; want the change's conflicts acknowledged", e.Ref, err)
	}
	if inbox, _ := a.InboxPage(InboxQuery{}); inbox.Counts[relief.ReplyConflict] != 0 {
		t.Errorf("InboxPage after ack = %+v; want no conflict", inbox.Entries)
	}
	got, _ := a.Demand(dm.ID)
	for _, c := range got.Demand.Conflicts {
		if c.AckedBy.IsZero() {
			t.Errorf("conflict %v not acknowledged by the change's ack", c)
		}
	}
}
