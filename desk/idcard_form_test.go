package desk

import (
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/store"
)

// TestFormRefusesIdentityCardNumbers: an identity card number typed into
// a demand's or an offer's free text (the description, the address, a
// contact's name, an item) was stored in plain text for every member to
// read (reviewer's finding 3). The form now refuses it, naming the field
// (CodeInvalid, ReasonIDCard), never echoing the number, and stores nothing.
func TestFormRefusesIdentityCardNumbers(t *testing.T) {
	const id = "420103198503120020" // made up; a valid check character
	ok := DemandInput{Title: "协和医院急需 N95", Category: "protective_equipment", District: "江汉区",
		Items: []ItemInput{item("N95口罩", "5000", "只")}}
	with := func(f func(*DemandInput)) DemandInput {
		in := ok
		in.Items = append([]ItemInput(nil), ok.Items...)
		f(&in)
		return in
	}
	for _, tc := range []struct {
		name, field string
		in          DemandInput
	}{
		{"description", "description", with(func(d *DemandInput) { d.Description = "收件人王五，身份证 " + id + "，请送到门诊" })},
		{"address, in groups", "address", with(func(d *DemandInput) { d.Address = "武汉市江汉区某路1号 420103 19850312 0020" })},
		{"full-width, in the title", "title", with(func(d *DemandInput) { d.Title = "王五４２０１０３１９８５０３１２００２０" })},
		{"contact name", "contactName", with(func(d *DemandInput) { d.ContactName = "王五 sfz" + id })},
		{"contact phone", "contactPhone", with(func(d *DemandInput) { d.ContactPhone = id })},
		{"second contact", "moreContacts[0].name", with(func(d *DemandInput) { d.MoreContacts = []ContactInput{{Name: id, Phone: "13800000001"}} })},
		{"item", "items[0].name", with(func(d *DemandInput) { d.Items[0].Name = "口罩 " + id })},
	} {
		_, err := ValidateDemand(tc.in)
		code, field, reason := errCode(t, err)
		if code != CodeInvalid || field != tc.field || reason != ReasonIDCard {
			t.Errorf("%s: ValidateDemand = %v; want %s naming %s, reason %s", tc.name, err, CodeInvalid, tc.field, ReasonIDCard)
			continue
		}
		if strings.Contains(err.Error(), id) || strings.Contains(err.Error(), "19850312") {
			t.Errorf("%s: the error echoes the number: %v", tc.name, err)
		}
	}
	// 18 digits that are no identity card number (an order number, a
	// wrong check character) are not refused
	for _, s := range []string{"订单 420103198503120021", "运单 990103198503120020"} {
		if _, err := ValidateDemand(with(func(d *DemandInput) { d.Description = s })); err != nil {
			t.Errorf("ValidateDemand(description %q) = %v; want accepted", s, err)
		}
	}
	now := time.Date(2020, 1, 26, 8, 0, 0, 0, time.UTC)
	dk := newDesk(t, store.Options{Clock: func() time.Time { return now }})
	if _, err := dk.RecordDemand(with(func(d *DemandInput) { d.Description = "身份证" + id })); err == nil {
		t.Fatal("RecordDemand with an identity card number in the description was stored")
	}
	_, err := dk.RecordOffer(OfferInput{Supplier: "某酒店", ContactName: "赵六" + id, Items: []ItemInput{item("客房", "30", "间")}})
	if code, field, _ := errCode(t, err); code != CodeInvalid || field != "contactName" {
		t.Errorf("RecordOffer(an identity card number in the contact name) = %v; want %s naming contactName", err, CodeInvalid)
	}
	if _, n, _ := dk.Demands(DemandQuery{}); n != 0 {
		t.Errorf("%d demands stored after refused forms", n)
	}
	if os, _ := dk.Offers(""); len(os) != 0 {
		t.Errorf("%d offers stored after refused forms", len(os))
	}
}

// TestEditRefusesIdentityCardNumbers: the reviewer's finding 3 on wt-gaps5.
// EditDemand blanked the contacts before ValidateDemand and read them in
// editedContacts, which never looked for an identity card number: a
// contact added or changed through an edit was stored with the number in
// plain text, though the create form refuses it. New and changed contacts
// are checked as the create form checks them; stored ones are kept.
func TestEditRefusesIdentityCardNumbers(t *testing.T) {
	const id = "420103198503120020"
	now := time.Date(2020, 1, 26, 8, 0, 0, 0, time.UTC)
	dk := newDesk(t, store.Options{Clock: func() time.Time { return now }})
	dm, err := dk.RecordDemand(DemandInput{Title: "协和医院急需 N95", Category: "protective_equipment", District: "江汉区",
		ContactName: "王五", ContactPhone: "13800000001", Items: []ItemInput{item("N95口罩", "5000", "只")}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, field string
		edit        func(*DemandInput)
	}{
		{"a contact added", "moreContacts[0].name", func(in *DemandInput) {
			in.MoreContacts = []ContactInput{{Name: "赵六 身份证" + id, Phone: "13800000002"}}
		}},
		{"the contact's name changed", "contactName", func(in *DemandInput) { in.ContactName = "王五" + id }},
		{"the contact's phone changed", "contactPhone", func(in *DemandInput) { in.ContactPhone = id }},
	} {
		in := formOf(dm)
		tc.edit(&in)
		_, err := dk.EditDemand(dm.ID, in)
		code, field, reason := errCode(t, err)
		if code != CodeInvalid || field != tc.field || reason != ReasonIDCard {
			t.Errorf("%s: EditDemand = %v; want %s naming %s, reason %s", tc.name, err, CodeInvalid, tc.field, ReasonIDCard)
		}
		if err != nil && strings.Contains(err.Error(), id) {
			t.Errorf("%s: the error echoes the number: %v", tc.name, err)
		}
	}
	got, err := dk.Demand(dm.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Demand.Contacts) != 1 || got.Demand.Contacts[0].Name != "王五" {
		t.Errorf("contacts after refused edits %+v; want 王五's alone", got.Demand.Contacts)
	}
	// the stored contact comes back unchanged, a new one without a number: kept, added
	in := formOf(got.Demand)
	in.MoreContacts = []ContactInput{{Name: "赵六", Phone: "13800000002"}}
	if got, err := dk.EditDemand(dm.ID, in); err != nil || len(got.Demand.Contacts) != 2 {
		t.Errorf("EditDemand adding 赵六 = %+v, %v; want two contacts", got.Demand.Contacts, err)
	}
}
