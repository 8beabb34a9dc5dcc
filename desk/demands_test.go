package desk

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

func item(name, qty, unit string) ItemInput { return ItemInput{Name: name, Quantity: qty, Unit: unit} }

// newDesk opens a store in t.TempDir() with opts, creates a network on it
// (this device its coordinator) and returns its desk.
func newDesk(t *testing.T, opts store.Options) *Desk {
	t.Helper()
	st, err := store.Open(t.TempDir(), opts)
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.CreateNetwork("Flood", "甲"); err != nil {
		t.Fatalf("CreateNetwork = %v", err)
	}
	return New(st)
}

func TestValidateDemand(t *testing.T) {
	ok := DemandInput{Title: "协和医院急需 N95", Category: "protective_equipment", District: "江汉区",
		Items: []ItemInput{item("N95口罩", "5000", "只")}}
	with := func(f func(*DemandInput)) DemandInput {
		in := ok
		in.Items = append([]ItemInput(nil), ok.Items...)
		f(&in)
		return in
	}
	for _, tc := range []struct {
		name        string
		in          DemandInput
		code, field string
	}{
		{"valid", ok, "", ""},
		{"empty title", with(func(d *DemandInput) { d.Title = "  " }), CodeRequired, "title"},
		{"long title", with(func(d *DemandInput) { d.Title = strings.Repeat("需", relief.MaxTitle+1) }), CodeTooLong, "title"},
		{"no category", with(func(d *DemandInput) { d.Category = "" }), CodeRequired, "category"},
		{"unknown category", with(func(d *DemandInput) { d.Category = "weapons" }), CodeInvalid, "category"},
		{"no items", with(func(d *DemandInput) { d.Items = nil }), CodeRequired, "items"},
		{"item without name", with(func(d *DemandInput) { d.Items = append(d.Items, item(" ", "1", "")) }), CodeRequired, "items[1].name"},
		{"negative quantity", with(func(d *DemandInput) { d.Items[0].Quantity = "-5" }), CodeNegative, "items[0].quantity"},
		{"non-numeric quantity", with(func(d *DemandInput) { d.Items[0].Quantity = "abc" }), CodeNotNumber, "items[0].quantity"},
		{"infinite quantity", with(func(d *DemandInput) { d.Items[0].Quantity = "Inf" }), CodeNotNumber, "items[0].quantity"},
		{"full-width digits", with(func(d *DemandInput) { d.Items[0].Quantity = "５０００" }), "", ""},
		{"unknown quantity", with(func(d *DemandInput) { d.Items[0].Quantity = "" }), "", ""},
		{"unknown urgency", with(func(d *DemandInput) { d.Urgency = "yesterday" }), CodeInvalid, "urgency"},
		{"phone with letters", with(func(d *DemandInput) { d.ContactPhone = "call me" }), CodeInvalid, "contactPhone"},
		{"phone too short", with(func(d *DemandInput) { d.ContactPhone = "123" }), CodeInvalid, "contactPhone"},
		// as the importer reads phones: 12345 is the city service hotline, a
		// landline needs its area code, a mobile its 11 digits
		{"short hotline", with(func(d *DemandInput) { d.ContactPhone = "12345" }), "", ""},
		{"landline without area code", with(func(d *DemandInput) { d.ContactPhone = "82788599" }), CodeInvalid, "contactPhone"},
		{"landline", with(func(d *DemandInput) { d.ContactPhone = "027-82788599" }), "", ""},
		{"mobile one digit short", with(func(d *DemandInput) {
			d.MoreContacts = []ContactInput{{Name: "乙", Phone: "1363196937"}}
		}), CodeInvalid, "moreContacts[0].phone"},
		{"quantity in 万", with(func(d *DemandInput) { d.Items[0].Quantity = "5万" }), "", ""},
		{"second contact's phone", with(func(d *DemandInput) {
			d.MoreContacts = []ContactInput{{Name: "乙", Phone: "+86 139 0000 0003"}, {Name: "丙", Phone: "12"}}
		}), CodeInvalid, "moreContacts[1].phone"},
		{"second contact's name", with(func(d *DemandInput) {
			d.MoreContacts = []ContactInput{{Name: strings.Repeat("名", relief.MaxContactName+1)}}
		}), CodeTooLong, "moreContacts[0].name"},
		{"too many contacts", with(func(d *DemandInput) {
			d.ContactName = "甲"
			for range relief.MaxContacts {
				d.MoreContacts = append(d.MoreContacts, ContactInput{Name: "乙"})
			}
		}), CodeInvalid, fmt.Sprintf("moreContacts[%d]", relief.MaxContacts-1)},
		{"empty extra contacts are dropped", with(func(d *DemandInput) { d.MoreContacts = []ContactInput{{}, {Name: " "}} }), "", ""},
		{"phone as typed", with(func(d *DemandInput) { d.ContactName, d.ContactPhone = "乙老师", "（+86）189 0000 0000" }), "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ValidateDemand(tc.in)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("ValidateDemand(%+v) = %v; want ok", tc.in, err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != tc.code || e.Field != tc.field {
				t.Fatalf("ValidateDemand(%+v) = %v (%+v); want code %s field %s", tc.in, err, d, tc.code, tc.field)
			}
			// the UI gets JSON it can parse
			var back Error
			if json.Unmarshal([]byte(e.Error()), &back) != nil || !reflect.DeepEqual(back, *e) {
				t.Errorf("Error() = %s; not the JSON of %+v", e.Error(), *e)
			}
		})
	}
	d, _ := ValidateDemand(with(func(d *DemandInput) { d.Items[0].Quantity = "５０００" }))
	if d.Items[0].Needed == nil || *d.Items[0].Needed != 5000 {
		t.Errorf("full-width quantity parsed as %v; want 5000", d.Items[0].Needed)
	}
	d, _ = ValidateDemand(with(func(d *DemandInput) { d.Items[0].Quantity = "" }))
	if d.Items[0].Needed != nil {
		t.Errorf("empty quantity parsed as %v; want nil (unknown)", *d.Items[0].Needed)
	}
}

// TestParseQuantity: quantities typed the Chinese way are read as the number
// they say; signs, words and units in the quantity box are refused.
func TestParseQuantity(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want float64
	}{{"5000", 5000}, {"５０００", 5000}, {"2,000", 2000}, {"5万", 50000}, {"1.5万", 15000}, {"两千", 2000},
		{"三百", 300}, {"一万五", 15000}, {" 12.5 ", 12.5}, {"0", 0}} {
		got, err := ParseQuantity("items[0].quantity", tt.in)
		if err != nil || got == nil || *got != tt.want {
			t.Errorf("ParseQuantity(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, tt := range []struct{ in, code string }{{"-5", CodeNegative}, {"-5万", CodeNegative}, {"abc", CodeNotNumber},
		{"NaN", CodeNotNumber}, {"5万个", CodeNotNumber}, {"若干", CodeNotNumber}, {"万", CodeNotNumber}} {
		_, err := ParseQuantity("items[2].quantity", tt.in)
		var e *Error
		if !errors.As(err, &e) || e.Code != tt.code || e.Field != "items[2].quantity" {
			t.Errorf("ParseQuantity(%q) = %v; want %s naming items[2].quantity", tt.in, err, tt.code)
		}
	}
}

func TestListUrgencySortAndOverdue(t *testing.T) {
	now := time.Date(2020, 1, 26, 8, 0, 0, 0, time.UTC)
	dk := newDesk(t, store.Options{Clock: func() time.Time { return now }})
	for _, u := range []string{"low", "critical", "normal", "high"} {
		if _, err := dk.RecordDemand(DemandInput{Title: u, Category: "other", Urgency: u, Items: []ItemInput{item("x", "", "")}}); err != nil {
			t.Fatal(err)
		}
	}
	p, _, err := dk.Demands(DemandQuery{Sort: "urgency"})
	var got []string
	for _, d := range p {
		got = append(got, d.Title)
	}
	if err != nil || strings.Join(got, ",") != "critical,high,normal,low" {
		t.Errorf("Demands(sort urgency) = %v, %v; want critical,high,normal,low", got, err)
	}
	if p, total, _ := dk.Demands(DemandQuery{Urgency: "high"}); total != 1 || p[0].Title != "high" {
		t.Errorf("Demands(urgency high) = %+v", p)
	}
	// nothing is overdue yet: the review window is 2 h
	if _, total, _ := dk.Demands(DemandQuery{Overdue: true}); total != 0 {
		t.Errorf("Demands(overdue) just after recording = %d; want 0", total)
	}
	if p, total, _ := dk.Demands(DemandQuery{Sort: "replyBy", Limit: 2, Offset: 1}); total != 4 || len(p) != 2 {
		t.Errorf("Demands(sort replyBy, page 2 of 2) = %d of %d", len(p), total)
	}
	now = now.Add(3 * time.Hour) // past the review window of all four
	if p, total, _ := dk.Demands(DemandQuery{Overdue: true, Urgency: "low"}); total != 1 || p[0].Title != "low" {
		t.Errorf("Demands(overdue, low) 3 h later = %+v; want the low one", p)
	}
}

// TestListUrgencyPages pages through the urgency order across urgencies: the
// pages joined give every demand once, most urgent first, newest first
// within an urgency.
func TestListUrgencyPages(t *testing.T) {
	dk := newDesk(t, store.Options{})
	urg := []string{"low", "critical", "normal", "high", "critical", "low", "high", "normal", "critical"}
	for i, u := range urg {
		if _, err := dk.RecordDemand(DemandInput{Title: fmt.Sprintf("%s-%d", u, i), Category: "other", Urgency: u, Items: []ItemInput{item("x", "", "")}}); err != nil {
			t.Fatal(err)
		}
	}
	want := "critical-8,critical-4,critical-1,high-6,high-3,normal-7,normal-2,low-5,low-0"
	for _, size := range []int{1, 2, 4, 9, 20} {
		var got []string
		for off := 0; off < len(urg)+size; off += size {
			p, total, err := dk.Demands(DemandQuery{Sort: "urgency", Offset: off, Limit: size})
			if err != nil || total != len(urg) {
				t.Fatalf("Demands(sort urgency, %d+%d) = %+v, %d, %v", off, size, p, total, err)
			}
			for _, d := range p {
				got = append(got, d.Title)
			}
		}
		if strings.Join(got, ",") != want {
			t.Errorf("pages of %d by urgency = %v; want %s", size, got, want)
		}
	}
}

func TestSimilarWarnsBeforeASecondDemand(t *testing.T) {
	dk := newDesk(t, store.Options{})
	first, err := dk.RecordDemand(DemandInput{Title: "协和医院急需 N95", Category: "protective_equipment", RequesterOrg: "华中科技大学同济医学院附属协和医院",
		Items: []ItemInput{item("N95口罩", "5000", "只")}, ContactName: "乙老师", ContactPhone: "189 0000 0000"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		in   DemandInput
		want bool
	}{
		{"same phone written another way", DemandInput{ContactPhone: "+86 18900000000"}, true},
		{"same organisation", DemandInput{RequesterOrg: "华中科技大学同济医学院附属协和医院"}, true},
		{"other organisation and phone", DemandInput{RequesterOrg: "武汉市第一医院", ContactPhone: "13800000000"}, false},
		{"nothing to compare", DemandInput{Title: "x"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := dk.Similar(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if (got != nil) != tc.want || (got != nil && (got.ID != first.ID || got.Code != first.Code || len(got.Reasons) == 0)) {
				t.Errorf("Similar(%+v) = %+v; want a warning: %v (pointing at %s)", tc.in, got, tc.want, first.Code)
			}
		})
	}
}

// TestParseMessageDraftPassesTheForm: whatever a message holds, the draft is
// within relief's limits, so the form records it unchanged; a message over
// relief.MaxMessage characters or an empty one is refused naming text.
func TestParseMessageDraftPassesTheForm(t *testing.T) {
	dk := newDesk(t, store.Options{})
	long := strings.Repeat("协", relief.MaxMessage-60)
	for _, msg := range []string{
		"武汉市第一医院急需N95口罩5000个，防护服2万套，联系人设备科王老师 138 0000 0000，地址：武汉市江汉区解放大道1277号",
		long + "医院急需口罩5000个，联系人王老师 13800000000",
		"急需" + strings.Repeat("口罩", 700) + "5000个，地址：" + strings.Repeat("路", 1500),
	} {
		in, err := ParseMessage(msg)
		if err != nil {
			t.Fatalf("ParseMessage(%.20q…) = %v", msg, err)
		}
		if in.Category == "" {
			in.Category = "other"
		}
		if len(in.Items) == 0 {
			in.Items = []ItemInput{item("口罩", "", "")}
		}
		if in.Title == "" {
			in.Title = "需求"
		}
		if _, err := ValidateDemand(in); err != nil {
			t.Errorf("ValidateDemand(ParseMessage(%.20q…)) = %v; want the draft accepted", msg, err)
		}
		if _, err := dk.RecordDemand(in); err != nil {
			t.Errorf("RecordDemand(ParseMessage(%.20q…)) = %v", msg, err)
		}
	}
	for _, tc := range []struct{ text, code string }{
		{" \n ", CodeRequired}, {strings.Repeat("口", relief.MaxMessage+1), CodeTooLong},
	} {
		_, err := ParseMessage(tc.text)
		if code, field, _ := errCode(t, err); code != tc.code || field != "text" {
			t.Errorf("ParseMessage(%.10q…) = %v; want %s naming text", tc.text, err, tc.code)
		}
	}
	if _, err := ParseMessage(strings.Repeat("口", relief.MaxMessage)); err != nil {
		t.Errorf("ParseMessage(%d characters) = %v; want read", relief.MaxMessage, err)
	}
}

// TestRecordDemandNeedsANetwork: before a network exists nothing is signed.
func TestRecordDemandNeedsANetwork(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, err = New(st).RecordDemand(DemandInput{Title: "x", Category: "other", Items: []ItemInput{item("y", "1", "")}})
	if code, _, _ := errCode(t, err); code != CodeNoNetwork {
		t.Errorf("RecordDemand before a network = %v; want %s", err, CodeNoNetwork)
	}
}

// TestRecordDemands: a batch is one change, recorded whole or not at all,
// and a refusal names the input.
func TestRecordDemands(t *testing.T) {
	dk := newDesk(t, store.Options{})
	ok := DemandInput{Title: "协和医院急需 N95", Category: "protective_equipment", Items: []ItemInput{item("N95口罩", "5000", "只")}}
	bad := ok
	bad.Items = []ItemInput{item("N95口罩", "-1", "只")}
	_, err := dk.RecordDemands([]DemandInput{ok, bad, ok})
	if code, field, _ := errCode(t, err); code != CodeNegative || field != "[1].items[0].quantity" {
		t.Errorf("RecordDemands(ok, bad, ok) = %v; want negative naming [1].items[0].quantity", err)
	}
	if _, total, _ := dk.Demands(DemandQuery{}); total != 0 {
		t.Fatalf("after a refused batch: %d demands; want none", total)
	}
	seq := dk.Store().VersionVector()[dk.Store().Device()]
	ids, err := dk.RecordDemands([]DemandInput{ok, ok, ok})
	if err != nil || len(ids) != 3 {
		t.Fatalf("RecordDemands(3) = %v, %v", ids, err)
	}
	if got := dk.Store().VersionVector()[dk.Store().Device()]; got != seq+1 {
		t.Errorf("RecordDemands(3) moved this feed from %d to %d; want one change", seq, got)
	}
	if page, total, _ := dk.Demands(DemandQuery{}); total != 3 || page[0].Title != ok.Title {
		t.Errorf("Demands after the batch = %d; want 3", total)
	}
}
