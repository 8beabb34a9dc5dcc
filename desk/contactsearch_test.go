package desk

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestSearchFindsADemandByItsContacts (finding 1 of session 14's tester): a
// coordinator with a caller on the line finds the demand by the caller's
// phone number, written any way, or by the contact's name, although the
// contacts are sealed and the store's text index never holds them; the
// list's total, order and pages count those hits; a volunteer, who may not
// read contacts, finds nothing by them and is told contacts were not searched.
func TestSearchFindsADemandByItsContacts(t *testing.T) {
	a, b := peopleNetwork(t) // a coordinator, b volunteer
	rec := func(title, org, name, phone string) string {
		t.Helper()
		dm, err := a.RecordDemand(DemandInput{Title: title, Category: "protective_equipment", RequesterOrg: org,
			Items: []ItemInput{item("N95口罩", "500", "只")}, ContactName: name, ContactPhone: phone})
		if err != nil {
			t.Fatal(err)
		}
		return dm.ID
	}
	xiehe := rec("协和医院 N95", "协和医院", "乙老师", "189 0000 0000")
	for i := range 3 { // other demands, one of them holding the number in its title
		rec(fmt.Sprintf("第%d人民医院", i+1), "", "丙医生", fmt.Sprintf("1370000000%d", i))
	}
	inTitle := rec("18900000000 来电登记", "", "", "")
	syncAll(t, a, b)
	contactsBuilt(t, a)

	for _, tc := range []struct {
		text string
		want []string // ids, in the list's order (newest first)
		by   []string // those found by a contact
	}{
		{"18900000000", []string{inTitle, xiehe}, []string{xiehe}},
		{"189 0000 0000", []string{inTitle, xiehe}, []string{xiehe}}, // spaces ignored (the title holds each word)
		{"+86 189-0000-0000", []string{xiehe}, []string{xiehe}},
		{"乙老师", []string{xiehe}, []string{xiehe}},
		{"协和", []string{xiehe}, nil},
		{"13700000002", nil, nil}, // filled below: the third other demand
	} {
		got, total, err := a.DemandsFound(DemandQuery{Text: tc.text})
		if err != nil {
			t.Fatal(err)
		}
		if tc.text == "13700000002" {
			if total != 1 || len(got.ByContact) != 1 {
				t.Errorf("%q: total %d, by contact %v; want 1 found by its phone", tc.text, total, got.ByContact)
			}
			continue
		}
		var ids []string
		for _, d := range got.Demands {
			ids = append(ids, d.ID)
		}
		if total != len(tc.want) || !slices.Equal(ids, tc.want) || !slices.Equal(got.ByContact, tc.by) || !got.ContactsSearched {
			t.Errorf("%q: %v (total %d, by contact %v, searched %v); want %v, by contact %v, searched",
				tc.text, ids, total, got.ByContact, got.ContactsSearched, tc.want, tc.by)
		}
	}
	// Pages: the contact hit merged in keeps the total and the order.
	p1, total, err := a.DemandsFound(DemandQuery{Text: "18900000000", Limit: 1})
	if err != nil || total != 2 || len(p1.Demands) != 1 || p1.Demands[0].ID != inTitle || len(p1.ByContact) != 0 {
		t.Errorf("page 1 = %+v, %d, %v; want the title's hit alone, total 2", p1.Demands, total, err)
	}
	p2, total, err := a.DemandsFound(DemandQuery{Text: "18900000000", Offset: 1, Limit: 1})
	if err != nil || total != 2 || len(p2.Demands) != 1 || p2.Demands[0].ID != xiehe || !slices.Equal(p2.ByContact, []string{xiehe}) {
		t.Errorf("page 2 = %+v, %d, %v; want the contact's hit, total 2", p2.Demands, total, err)
	}
	// The other filters still apply to a contact's hit.
	if _, total, err := a.Demands(DemandQuery{Text: "乙老师", Category: "food"}); err != nil || total != 0 {
		t.Errorf("乙老师 in food = %d, %v; want 0", total, err)
	}
	// Plain Demands gives the same page.
	if page, total, err := a.Demands(DemandQuery{Text: "乙老师"}); err != nil || total != 1 || len(page) != 1 || page[0].ID != xiehe {
		t.Errorf("Demands(乙老师) = %d rows, total %d, %v; want the demand", len(page), total, err)
	}

	// A new demand is found at once (the index follows the store).
	later := rec("后来的需求", "", "丁主任", "13912345678")
	if got, total, err := a.DemandsFound(DemandQuery{Text: "1391234 5678"}); err != nil || total != 1 || got.Demands[0].ID != later {
		t.Errorf("a demand recorded after the first search: total %d, %v; want found", total, err)
	}

	// A contact changed, then erased: the index follows (the store's events).
	in := formOf(a.mustDemand(t, later))
	in.ContactPhone = "13998765432"
	if _, err := a.EditDemand(later, in); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{"13912345678": 0, "139 9876 5432": 1} {
		if _, total, err := a.DemandsFound(DemandQuery{Text: q}); err != nil || total != want {
			t.Errorf("after the phone was changed, %q: total %d, %v; want %d", q, total, err, want)
		}
	}
	if _, err := a.EraseDemand(later, "求助人要求删除"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"13998765432", "丁主任"} {
		if _, total, err := a.DemandsFound(DemandQuery{Text: q}); err != nil || total != 0 {
			t.Errorf("after the contacts were erased, %q: total %d, %v; want 0", q, total, err)
		}
	}

	// The volunteer may not read contacts: nothing by them, and told so.
	for _, q := range []string{"18900000000", "乙老师"} {
		got, _, err := b.DemandsFound(DemandQuery{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.ByContact) != 0 || got.ContactsSearched || slices.ContainsFunc(got.Demands, func(d relief.Demand) bool { return d.ID == xiehe }) {
			t.Errorf("volunteer searching %q: %+v; want no contact hit and contacts not searched", q, got)
		}
	}
}

// contactsBuilt starts the build of d's contact index (a search of
// contacts) and waits for its end.
func contactsBuilt(t testing.TB, d *Desk) {
	t.Helper()
	if _, _, err := d.DemandsFound(DemandQuery{Text: "13800001234"}); err != nil { // the number BenchmarkContactSearch searches
		t.Fatal(err)
	}
	d.contacts.mu.Lock()
	built := d.contacts.built
	d.contacts.mu.Unlock()
	if built == nil {
		return
	}
	select {
	case <-built:
	case <-time.After(5 * time.Minute):
		t.Fatal("the contact index was not built in 5 minutes")
	}
}

// TestContactSearchAnswersWhileTheIndexBuilds (issue 18): the first search
// of contacts builds the contact index (seconds at 100,000 demands) without
// holding the list: the search answers at once with the text's hits, says
// the index is building (also at the searches during the build), then,
// once built, answers with the contact hits too. The build is held by a
// hook until the test releases it.
func TestContactSearchAnswersWhileTheIndexBuilds(t *testing.T) {
	a, _ := peopleNetwork(t)
	rec := func(title, name, phone string) string {
		t.Helper()
		dm, err := a.RecordDemand(DemandInput{Title: title, Category: "protective_equipment",
			Items: []ItemInput{item("N95口罩", "500", "只")}, ContactName: name, ContactPhone: phone})
		if err != nil {
			t.Fatal(err)
		}
		return dm.ID
	}
	byPhone := rec("协和医院 N95", "乙老师", "189 0000 0000")
	inTitle := rec("18900000000 来电登记", "", "")
	release, entered := make(chan struct{}), make(chan struct{})
	a.contacts.hook = func() { close(entered); <-release }
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()

	for i := range 2 { // the first search starts the build; the second finds it under way
		got, total, err := a.DemandsFound(DemandQuery{Text: "18900000000"})
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 || len(got.Demands) != 1 || got.Demands[0].ID != inTitle || len(got.ByContact) != 0 ||
			!got.ContactsSearched || !got.ContactsBuilding {
			t.Fatalf("search %d during the build: %+v, total %d; want the title's hit alone, at once, the index said building", i+1, got, total)
		}
	}
	select {
	case <-entered:
	case <-time.After(5 * time.Minute):
		t.Fatal("the build never started")
	}
	close(release)
	a.contacts.mu.Lock()
	built := a.contacts.built
	a.contacts.mu.Unlock()
	select {
	case <-built:
	case <-time.After(5 * time.Minute):
		t.Fatal("the contact index was not built in 5 minutes")
	}
	got, total, err := a.DemandsFound(DemandQuery{Text: "18900000000"})
	if err != nil {
		t.Fatal(err)
	}
	if total != 2 || !slices.Equal(got.ByContact, []string{byPhone}) || got.ContactsBuilding || got.ContactsRead != 2 {
		t.Errorf("after the build: %+v, total %d; want both, %s by its contact, not building, 2 records read", got, total, byPhone)
	}
	// A demand recorded during the build is found after it: the events
	// waited.
	a.contacts.mu.Lock()
	a.contacts.tab = nil // built again, held, and a demand recorded meanwhile
	a.contacts.mu.Unlock()
	release2 := make(chan struct{})
	a.contacts.hook = func() { <-release2 }
	if got, _, err := a.DemandsFound(DemandQuery{Text: "乙老师"}); err != nil || !got.ContactsBuilding {
		t.Fatalf("a second build: %+v, %v; want building", got, err)
	}
	later := rec("后来的需求", "丁主任", "13912345678")
	close(release2)
	a.contacts.mu.Lock()
	built = a.contacts.built
	a.contacts.mu.Unlock()
	<-built
	if got, total, err := a.DemandsFound(DemandQuery{Text: "丁主任"}); err != nil || total != 1 || got.Demands[0].ID != later {
		t.Errorf("a demand recorded during the build: total %d, %v; want found by its contact", total, err)
	}
}

// mustDemand returns the demand id as d's member sees it.
func (d *Desk) mustDemand(t *testing.T, id string) relief.Demand {
	t.Helper()
	dd, err := d.Demand(id)
	if err != nil {
		t.Fatal(err)
	}
	return dd.Demand
}

// TestContactTable: the compact index inserts, replaces and drops entries in
// id order, finds names and phones apart, and writes its buffer again once
// most of it is replaced, keeping every entry.
func TestContactTable(t *testing.T) {
	var tab contactTable
	tab.put("b", entryOf([]relief.Contact{{Name: "乙老师", Phone: "+8618900000000"}}))
	tab.put("d", entryOf([]relief.Contact{{Name: "丁", Phone: "+8613700000001"}}))
	tab.set("a", entryOf([]relief.Contact{{Name: "甲", Phone: "+8613911112222"}}), true)
	tab.set("c", entryOf([]relief.Contact{{Name: "丙 1890000", Phone: "+8613800000000"}}), true)
	if !slices.Equal(tab.ids, []string{"a", "b", "c", "d"}) {
		t.Fatalf("ids = %v; want a b c d", tab.ids)
	}
	if got := tab.matching("1890000", true); !slices.Equal(got, []string{"b"}) {
		t.Errorf("phones holding 1890000 = %v; want b alone (c holds it in its name)", got)
	}
	if got := tab.matching("1890000", false); !slices.Equal(got, []string{"c"}) {
		t.Errorf("names holding 1890000 = %v; want c", got)
	}
	for i := range 20 { // replaced again and again: the buffer is written again
		tab.set("b", entryOf([]relief.Contact{{Name: fmt.Sprintf("乙%d", i), Phone: "+8618900000000"}}), true)
	}
	tab.set("d", contactEntry{}, false)
	tab.set("x", contactEntry{}, false)
	if !slices.Equal(tab.ids, []string{"a", "b", "c"}) || len(tab.text) > 200 {
		t.Fatalf("ids = %v, %d bytes of text; want a b c, the buffer written again", tab.ids, len(tab.text))
	}
	for q, want := range map[string][]string{"乙19": {"b"}, "乙1": {"b"}, "甲": {"a"}, "丁": nil} {
		if got := tab.matching(q, false); !slices.Equal(got, want) {
			t.Errorf("names holding %q = %v; want %v", q, got, want)
		}
	}
}
