package desk

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

func recordOne(t *testing.T, dk *Desk, title string) relief.Demand {
	t.Helper()
	d, err := dk.RecordDemand(DemandInput{Title: title, Category: "protective_equipment", District: "江汉区",
		Items: []ItemInput{item("N95口罩", "5000", "只")}, ContactName: "乙老师", ContactPhone: "189 0000 0000"})
	if err != nil {
		t.Fatalf("RecordDemand(%s) = %v", title, err)
	}
	return d
}

// errCode returns the code, field and reason of err, an *Error.
func errCode(t *testing.T, err error) (code, field, reason string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *Error", err)
	}
	return e.Code, e.Field, e.Args["reason"]
}

// TestActRefusesBadArguments: every action's arguments are checked before
// anything is signed, and each refusal names its field; nothing is stored.
func TestActRefusesBadArguments(t *testing.T) {
	dk := newDesk(t, store.Options{})
	d := recordOne(t, dk, "协和医院 N95")
	other := recordOne(t, dk, "武汉市第一医院 N95")
	for _, tc := range []struct {
		name                string
		in                  ActInput
		code, field, reason string
	}{
		{"no such demand", ActInput{ID: "nope", Action: "approve"}, CodeNotFound, "id", ""},
		{"fulfil a collected demand", ActInput{Action: "fulfil"}, CodeNotAllowed, "action", ""},
		{"unknown action", ActInput{Action: "teleport"}, CodeNotAllowed, "action", ""},
		{"duplicate of nothing", ActInput{Action: "mark_duplicate", DuplicateOf: " "}, CodeRequired, "duplicateOf", ""},
		{"duplicate of itself, by code", ActInput{Action: "mark_duplicate", DuplicateOf: strings.ToLower(d.Code)}, CodeInvalid, "duplicateOf", ReasonSelf},
		{"duplicate of an unknown code", ActInput{Action: "mark_duplicate", DuplicateOf: "D-ZZZZZZ"}, CodeInvalid, "duplicateOf", ReasonNoDemand},
		{"note too long", ActInput{Action: "reject", Note: strings.Repeat("因", relief.MaxText+1)}, CodeTooLong, "note", ReasonMax},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.in.ID == "" {
				tc.in.ID = d.ID
			}
			_, err := dk.Act(tc.in)
			if code, field, reason := errCode(t, err); code != tc.code || field != tc.field || reason != tc.reason {
				t.Errorf("Act(%+v) = %v; want %s naming %q, reason %q", tc.in, err, tc.code, tc.field, tc.reason)
			}
		})
	}
	if got, _ := dk.Demand(d.ID); got.Demand.Status != relief.StatusCollected || len(got.Demand.History) != 0 {
		t.Fatalf("after refused actions: status %s, %d steps; want collected, none", got.Demand.Status, len(got.Demand.History))
	}

	// the same arguments, right, are taken
	dd, err := dk.Act(ActInput{ID: d.ID, Action: "mark_duplicate", DuplicateOf: strings.ToLower(other.Code)})
	if err != nil || dd.Demand.Status != relief.StatusDuplicate || dd.Demand.DuplicateOf != other.ID {
		t.Fatalf("Act(mark_duplicate of %s) = %s dup of %q, %v; want duplicate of %s", other.Code, dd.Demand.Status, dd.Demand.DuplicateOf, err, other.ID)
	}
	for _, a := range []string{"approve", "publish", "claim"} {
		if _, err := dk.Act(called(ActInput{ID: other.ID, Action: a})); err != nil {
			t.Fatalf("Act(%s) = %v", a, err)
		}
	}
	for _, tc := range []struct {
		in                  ActInput
		code, field, reason string
	}{
		{ActInput{Action: "handover"}, CodeInvalid, "to", ReasonChoose},
		{ActInput{Action: "handover", To: "not-a-key"}, CodeInvalid, "to", ""},
		{ActInput{Action: "deliver"}, CodeRequired, "received", ""},
		{ActInput{Action: "deliver", Received: []ReceiptInput{{Item: "N95口罩", Quantity: "许多"}}}, CodeNotNumber, "received[0].quantity", ""},
		{ActInput{Action: "deliver", Received: []ReceiptInput{{Item: "N95口罩", Quantity: ""}}}, CodeRequired, "received", ""},
		// progress (a total received, which is dropped when its author lost
		// the claim meanwhile) is refused, naming deliver: finding 3 of
		// session 14's tester
		{ActInput{Action: "progress"}, CodeNotAllowed, "action", ReasonUseDeliver},
		{ActInput{Action: "progress", Received: []ReceiptInput{{Item: "N95口罩", Quantity: "500"}}}, CodeNotAllowed, "action", ReasonUseDeliver},
	} {
		tc.in.ID = other.ID
		_, err := dk.Act(tc.in)
		if code, field, reason := errCode(t, err); code != tc.code || field != tc.field || reason != tc.reason {
			t.Errorf("Act(%+v) = %v; want %s naming %q, reason %q", tc.in, err, tc.code, tc.field, tc.reason)
		}
	}
	if got, _ := dk.Demand(other.ID); len(got.Demand.Deliveries) != 0 || got.Demand.Status != relief.StatusPublished {
		t.Fatalf("after the refused steps: %s, deliveries %+v; want published, none", got.Demand.Status, got.Demand.Deliveries)
	}
	dd, err = dk.Act(ActInput{ID: other.ID, Action: "deliver", Received: []ReceiptInput{{Item: "N95口罩", Quantity: "2千"}}})
	if err != nil || dd.Demand.Items[0].Received != 2000 {
		t.Fatalf("Act(deliver 2千) = received %v, %v; want 2000", dd.Demand.Items[0].Received, err)
	}
	if _, err := dk.Act(ActInput{ID: other.ID, Action: "fulfil"}); err != nil {
		t.Fatalf("Act(fulfil) = %v", err)
	}
	_, err = dk.Act(ActInput{ID: other.ID, Action: "reopen", Note: "  "})
	if code, field, _ := errCode(t, err); code != CodeRequired || field != "note" {
		t.Errorf("Act(reopen without a reason) = %v; want required naming note", err)
	}
	if dd, err := dk.Act(ActInput{ID: other.ID, Action: "reopen", Note: "还差3000只"}); err != nil || dd.Demand.Status == relief.StatusFulfilled {
		t.Errorf("Act(reopen with a reason) = %s, %v; want reopened", dd.Demand.Status, err)
	}
}

// TestDemandDetail: the detail names the members in it and says what this
// member may do now.
func TestDemandDetail(t *testing.T) {
	dk := newDesk(t, store.Options{})
	d := recordOne(t, dk, "协和医院 N95")
	dd, err := dk.Demand(d.ID)
	if err != nil {
		t.Fatal(err)
	}
	me := dk.Store().Device()
	if dd.CreatedBy != me || dd.Names[me] != "甲" || dd.Imported || dd.FlaggedOriginal != "" {
		t.Errorf("Demand(%s) = created by %s named %q, imported %v; want this device, 甲, not imported", d.Code, dd.CreatedBy, dd.Names[me], dd.Imported)
	}
	allowed := map[relief.Action]bool{}
	for _, a := range dd.Allowed {
		allowed[a] = true
	}
	if !allowed[relief.ActionApprove] || !allowed[relief.ActionReject] || allowed[relief.ActionFulfil] {
		t.Errorf("Allowed = %v; want approve and reject, not fulfil, for a coordinator on a collected demand", dd.Allowed)
	}
	if len(dd.Demand.Contacts) != 1 || dd.Demand.Contacts[0].Phone != "+8618900000000" || len(dd.Hidden) != 0 {
		t.Errorf("Demand.Contacts = %+v, hidden %+v; want the contact, visible to the coordinator", dd.Demand.Contacts, dd.Hidden)
	}
	if len(dd.Edits) != 0 {
		t.Errorf("Edits of a demand just recorded = %+v; want none (its creation is not an edit)", dd.Edits)
	}
	// an edit of the quantity and the phone is in the signed history, by
	// its author (a tester found no field edit there at all)
	in := formOf(d)
	in.Items[0].Quantity, in.ContactPhone = "6000", "189 0000 0001"
	if _, err := dk.EditDemand(d.ID, in); err != nil {
		t.Fatal(err)
	}
	if dd, err = dk.Demand(d.ID); err != nil {
		t.Fatal(err)
	}
	if len(dd.Edits) != 1 || dd.Edits[0].Meta.Device != me || !slices.Contains(dd.Edits[0].Fields, relief.FieldItems) ||
		!slices.Contains(dd.Edits[0].Fields, relief.FieldContacts) {
		t.Errorf("Edits after an edit = %+v; want one by this device naming items and contacts", dd.Edits)
	}
	if _, err := dk.Demand("nope"); err == nil {
		t.Error("Demand(nope) = nil error; want not_found")
	} else if code, field, _ := errCode(t, err); code != CodeNotFound || field != "id" {
		t.Errorf("Demand(nope) = %v; want not_found naming id", err)
	}
}

// TestAdvanceChecksAsAct: Act and Advance go one way (step), so a step the
// program takes is refused where the form's would be, with the same code
// and field, and nothing is stored.
func TestAdvanceChecksAsAct(t *testing.T) {
	dk := newDesk(t, store.Options{})
	d := recordOne(t, dk, "协和医院 N95")
	long := strings.Repeat("因", relief.MaxText+1)
	for _, tc := range []struct {
		name        string
		action      relief.Action
		args        relief.Args
		code, field string
	}{
		{"not allowed now", relief.ActionFulfil, relief.Args{}, CodeNotAllowed, "action"},
		{"note too long", relief.ActionReject, relief.Args{Note: long}, CodeTooLong, "note"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seq := dk.Store().VersionVector()[dk.Store().Device()]
			_, advErr := dk.Advance(d.ID, tc.action, tc.args)
			_, actErr := dk.Act(ActInput{ID: d.ID, Action: string(tc.action), Note: tc.args.Note})
			for what, err := range map[string]error{"Advance": advErr, "Act": actErr} {
				if code, field, _ := errCode(t, err); code != tc.code || field != tc.field {
					t.Errorf("%s(%s) = %v; want %s naming %q", what, tc.action, err, tc.code, tc.field)
				}
			}
			if got := dk.Store().VersionVector()[dk.Store().Device()]; got != seq {
				t.Errorf("a refused step wrote: seq %d → %d", seq, got)
			}
		})
	}
}
