package desk

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/importer"
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

// TestContactSearchReadsTheFoldNotTheRawRecord (reviewer, session 15): a
// volunteer who neither created nor owns a demand writes another phone for
// it; the fold refuses that write and shows the coordinator's phone. The
// contact search finds the demand by the shown phone, never by the refused
// one.
func TestContactSearchReadsTheFoldNotTheRawRecord(t *testing.T) {
	coord, p := sealNetwork(t, map[string]string{"志愿者乙": "volunteer"})
	vol := p["志愿者乙"]
	publish(t, vol, coord)
	const sheet = "医院名称,所需物资,数量,单位,联系人\n汉口医院,N95口罩,500,只,乙老师 13800000000\n"
	recs, _, err := importer.ReadFile(writeFile(t, "h.csv", []byte(sheet)), importer.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := coord.dk.Import(context.Background(), recs, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := coord.dk.GrantPending(); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, coord.dk.Store(), vol.dk.Store())
	contactsBuilt(t, coord.dk)
	if pg, n, _ := coord.dk.DemandsFound(DemandQuery{Text: "13800000000"}); n != 1 {
		t.Fatalf("before the refused write: %d hits %v; want 1", n, pg.ByContact)
	}
	refusedWrite(t, vol.dk, demandByOrg(t, vol.dk.Store(), "汉口医院").ID, "+8613900000000")
	peopleSync(t, vol.dk.Store(), coord.dk.Store())
	shown := demandByOrg(t, coord.dk.Store(), "汉口医院").Contacts
	if len(shown) != 1 || shown[0].Phone != "+8613800000000" {
		t.Fatalf("the fold shows %v; want the coordinator's +8613800000000", shown)
	}
	contactsBuilt(t, coord.dk) // a roster the sync changed builds the index again
	for _, q := range []string{"13800000000", "13900000000"} {
		want := 0
		if q == "13800000000" {
			want = 1
		}
		pg, n, err := coord.dk.DemandsFound(DemandQuery{Text: q})
		if err != nil || n != want {
			t.Errorf("search %s: %d hits (by contact %v), %v; want %d (shown contacts: %v)", q, n, pg.ByContact, err, want, shown)
		}
	}
}

// TestContactSearchFollowsTheRoster: the index holds the contacts the fold
// shows with the roster it was built with; a roster change (here a
// promotion) builds it again with the new roster at the next search, since
// a member's role or revocation may allow or refuse a contacts write.
func TestContactSearchFollowsTheRoster(t *testing.T) {
	coord, p := sealNetwork(t, map[string]string{"志愿者乙": "volunteer"})
	vol := p["志愿者乙"]
	publish(t, vol, coord)
	if _, err := coord.dk.RecordDemand(DemandInput{Title: "汉口医院", Category: "protective_equipment",
		Items: []ItemInput{item("N95口罩", "500", "只")}, ContactName: "乙老师", ContactPhone: "13800000000"}); err != nil {
		t.Fatal(err)
	}
	contactsBuilt(t, coord.dk)
	if _, n, err := coord.dk.DemandsFound(DemandQuery{Text: "13800000000"}); err != nil || n != 1 {
		t.Fatalf("search 13800000000: %d hits, %v; want 1", n, err)
	}
	ix := &coord.dk.contacts
	built, before := ix.tab, coord.dk.Store().Roster()
	if ix.roster != before {
		t.Fatalf("the index was built with roster %p; the store's is %p", ix.roster, before)
	}
	if err := coord.dk.Promote(vol.dk.Status().Device, "reviewer"); err != nil {
		t.Fatal(err)
	}
	after := coord.dk.Store().Roster()
	if after == before {
		t.Fatal("the promotion did not change the store's roster")
	}
	contactsBuilt(t, coord.dk) // the search after the promotion builds the index again, in the background
	if _, n, err := coord.dk.DemandsFound(DemandQuery{Text: "13800000000"}); err != nil || n != 1 {
		t.Fatalf("after the promotion, search 13800000000: %d hits, %v; want 1", n, err)
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.roster != after || ix.tab == built {
		t.Errorf("after the promotion the index was not built again with the new roster (roster %p, want %p; same table %v)",
			ix.roster, after, ix.tab == built)
	}
}

// TestContactSearchZeros (reviewer, session 15): a phone search is seven
// digits or more once the country code and leading zeros are trimmed: seven
// zeros search for nothing (not every demand), nor does 0000000123 search for
// 123.
func TestContactSearchZeros(t *testing.T) {
	a, b := peopleNetwork(t)
	for i, ph := range []string{"13700000001", "13700000002"} {
		if _, err := a.RecordDemand(DemandInput{Title: "医院" + string(rune('甲'+i)), Category: "protective_equipment",
			Items: []ItemInput{item("N95口罩", "500", "只")}, ContactName: "丙", ContactPhone: ph}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.RecordDemand(DemandInput{Title: "医院丁", Category: "protective_equipment",
		Items: []ItemInput{item("N95口罩", "500", "只")}, ContactName: "只有名字"}); err != nil {
		t.Fatal(err)
	}
	syncAll(t, a, b)
	for _, q := range []string{"0000000", "000-0000", "+86 0000000", "0086 000 0000", "0000000123", "00001234567"} {
		pg, n, err := a.DemandsFound(DemandQuery{Text: q})
		if err != nil || n != 0 {
			t.Errorf("search %q: %d hits, by contact %v, %v; want 0", q, n, pg.ByContact, err)
		}
	}
	for q, want := range map[string]string{"0000000": "", "0000000123": "", "027-8765-4321": "2787654321", "+86 138 0000 0001": "13800000001"} {
		got, ok := phoneSearch(q)
		if got != want || ok != (want != "") {
			t.Errorf("phoneSearch(%q) = %q, %v; want %q, %v", q, got, ok, want, want != "")
		}
	}
}

// TestContactSearchQQDigits (reviewer, session 15): a QQ number is digits,
// filed with the names; a search of 7 digits or more looks at the phones and
// the QQ numbers both.
func TestContactSearchQQDigits(t *testing.T) {
	var tab contactTable
	tab.put("d1", entryOf([]relief.Contact{{Name: "丁", Phone: "87654321", Kind: relief.ContactQQ}}))
	tab.put("d2", entryOf([]relief.Contact{{Name: "戊", Phone: "+8613787654321"}}))
	tab.put("d3", entryOf([]relief.Contact{{Name: "己", Phone: "wx87654321", Kind: relief.ContactWeChat}}))
	q, ok := phoneSearch("87654321")
	if got := tab.matching(q, ok); !slices.Equal(got, []string{"d1", "d2"}) {
		t.Errorf("search of 87654321: %v; want d1 (the QQ number) and d2 (a phone holding it)", got)
	}
	// the QQ number is still found by its digits as a name (fewer than 7)
	if got := tab.matching("765432", false); !slices.Equal(got, []string{"d1", "d3"}) {
		t.Errorf("search of 765432: %v; want d1 and d3 (ids holding it)", got)
	}
}
