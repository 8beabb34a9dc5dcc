package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/store"
)

func item(name, qty, unit string) ItemInput { return ItemInput{Name: name, Quantity: qty, Unit: unit} }

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
		{"long title", with(func(d *DemandInput) { d.Title = strings.Repeat("需", MaxTitleLen+1) }), CodeTooLong, "title"},
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
		{"second contact's name", with(func(d *DemandInput) { d.MoreContacts = []ContactInput{{Name: strings.Repeat("名", MaxContactLen+1)}} }), CodeTooLong, "moreContacts[0].name"},
		{"too many contacts", with(func(d *DemandInput) {
			d.ContactName = "甲"
			for range MaxContacts {
				d.MoreContacts = append(d.MoreContacts, ContactInput{Name: "乙"})
			}
		}), CodeInvalid, fmt.Sprintf("moreContacts[%d]", MaxContacts-1)},
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

func newApp(t *testing.T, dir string) *App {
	t.Helper()
	a := New(dir, store.Options{})
	t.Cleanup(func() { a.Shutdown(t.Context()) })
	return a
}

func TestRecordAndListSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	a := newApp(t, dir)
	in := DemandInput{Title: "Village needs water", Category: "food_water", Items: []ItemInput{item("bottled water", "", "箱")}}
	if _, err := a.Demands.Record(in); err == nil || !strings.Contains(err.Error(), CodeNoNetwork) {
		t.Fatalf("Record before a network = %v; want %s", err, CodeNoNetwork)
	}
	if _, err := a.Network.Create("", "me"); err == nil || !strings.Contains(err.Error(), `"field":"incident"`) {
		t.Fatalf("Create with empty incident = %v; want an error naming incident", err)
	}
	info, err := a.Network.Create("Flood 2026", "甲")
	if err != nil || info.NetworkName != "Flood 2026" || info.Role != "coordinator" {
		t.Fatalf("Create = %+v, %v", info, err)
	}
	got, err := a.Demands.Record(in)
	if err != nil {
		t.Fatalf("Record = %v", err)
	}
	if _, err := a.Demands.Record(DemandInput{Title: "bad", Category: "food_water", Items: []ItemInput{item("x", "-1", "")}}); err == nil {
		t.Fatal("Record with a negative quantity succeeded")
	}
	if err := a.Settings.SetLocale("en"); err != nil {
		t.Fatal(err)
	}
	if err := a.Settings.SetLocale("fr"); err == nil {
		t.Error("SetLocale(fr) succeeded")
	}
	a.Shutdown(t.Context())

	b := newApp(t, dir)
	page, err := b.Demands.List(DemandQuery{})
	list := page.Items
	if err != nil || len(list) != 1 || page.Total != 1 || list[0].ID != got.ID || list[0].Items[0].Needed != nil {
		t.Fatalf("List after restart = %+v, %v; want only %+v (the bad one never stored)", page, err, got)
	}
	if l := b.Settings.Locale(); l != "en" {
		t.Errorf("Locale after restart = %q; want en", l)
	}
	if p, _ := b.Demands.List(DemandQuery{Text: "WATER"}); len(p.Items) != 1 {
		t.Errorf("List(text WATER) = %d demands; want 1", len(p.Items))
	}
	for i := 0; i < 4; i++ {
		b.Demands.Record(in)
	}
	if p, _ := b.Demands.List(DemandQuery{Limit: 2, Offset: 2}); len(p.Items) != 2 || p.Total != 5 {
		t.Errorf("List(limit 2, offset 2) = %d items of %d; want 2 of 5", len(p.Items), p.Total)
	}
	if p, _ := b.Demands.List(DemandQuery{Owner: "me"}); p.Total != 0 {
		t.Errorf("List(owner me) = %d; want 0 (nothing claimed)", p.Total)
	}
}

func TestUnusableDataDirIsReported(t *testing.T) {
	file := filepath.Join(t.TempDir(), "occupied")
	os.WriteFile(file, []byte("not a directory"), 0o644)
	a := newApp(t, file)
	info := a.Network.Info()
	if !strings.Contains(info.StartupError, file) || !strings.Contains(info.StartupError, "not a directory") {
		t.Errorf("Info().StartupError = %q; want it to name %s and say what is wrong", info.StartupError, file)
	}
	_, err := a.Demands.Record(DemandInput{Title: "x", Category: "other", Items: []ItemInput{item("y", "1", "")}})
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeStorage || e.Field != "dataDir" || !strings.Contains(e.Message, file) {
		t.Errorf("Record on a broken data dir = %v; want a storage error naming %s", err, file)
	}
	if b, _ := os.ReadFile(file); string(b) != "not a directory" {
		t.Errorf("the file in the way was changed: %q", b)
	}
}

func TestListUrgencySortAndOverdue(t *testing.T) {
	now := time.Date(2020, 1, 26, 8, 0, 0, 0, time.UTC)
	a := New(t.TempDir(), store.Options{Clock: func() time.Time { return now }})
	t.Cleanup(func() { a.Shutdown(t.Context()) })
	a.Network.Create("Flood", "甲")
	for _, u := range []string{"low", "critical", "normal", "high"} {
		if _, err := a.Demands.Record(DemandInput{Title: u, Category: "other", Urgency: u, Items: []ItemInput{item("x", "", "")}}); err != nil {
			t.Fatal(err)
		}
	}
	p, err := a.Demands.List(DemandQuery{Sort: "urgency"})
	var got []string
	for _, d := range p.Items {
		got = append(got, d.Title)
	}
	if err != nil || strings.Join(got, ",") != "critical,high,normal,low" {
		t.Errorf("List(sort urgency) = %v, %v; want critical,high,normal,low", got, err)
	}
	if p, _ := a.Demands.List(DemandQuery{Urgency: "high"}); p.Total != 1 || p.Items[0].Title != "high" {
		t.Errorf("List(urgency high) = %+v", p)
	}
	// nothing is overdue yet: the review window is 2 h
	if p, _ := a.Demands.List(DemandQuery{Overdue: true}); p.Total != 0 {
		t.Errorf("List(overdue) just after recording = %d; want 0", p.Total)
	}
	if p, _ := a.Demands.List(DemandQuery{Sort: "replyBy", Limit: 2, Offset: 1}); p.Total != 4 || len(p.Items) != 2 {
		t.Errorf("List(sort replyBy, page 2 of 2) = %d of %d", len(p.Items), p.Total)
	}
	now = now.Add(3 * time.Hour) // past the review window of all four
	if p, _ := a.Demands.List(DemandQuery{Overdue: true, Urgency: "low"}); p.Total != 1 || p.Items[0].Title != "low" {
		t.Errorf("List(overdue, low) 3 h later = %+v; want the low one", p)
	}
}

func TestSimilarWarnsBeforeASecondDemand(t *testing.T) {
	a := newApp(t, t.TempDir())
	a.Network.Create("Flood", "甲")
	first, err := a.Demands.Record(DemandInput{Title: "协和医院急需 N95", Category: "protective_equipment", RequesterOrg: "华中科技大学同济医学院附属协和医院",
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
			got, err := a.Demands.Similar(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if (got != nil) != tc.want || (got != nil && (got.ID != first.ID || got.Code != first.Code || len(got.Reasons) == 0)) {
				t.Errorf("Similar(%+v) = %+v; want a warning: %v (pointing at %s)", tc.in, got, tc.want, first.Code)
			}
		})
	}
}

// TestParseMessagePrefillsTheForm: a pasted message gives a form input that,
// sent back unchanged, records the demand it describes.
func TestParseMessagePrefillsTheForm(t *testing.T) {
	a := newApp(t, t.TempDir())
	a.Network.Create("Flood", "甲")
	msg := "武汉市第一医院急需N95口罩5000个，防护服2万套，护目镜，联系人设备科王老师 138 0000 0000，地址：武汉市江汉区解放大道1277号"
	in, err := a.Demands.ParseMessage(msg)
	if err != nil {
		t.Fatal(err)
	}
	want := DemandInput{
		Title: "武汉市第一医院：N95口罩、防护服、护目镜", Category: "protective_equipment", District: "江汉区",
		Items:   []ItemInput{item("N95口罩", "5000", "个"), item("防护服", "20000", "套"), item("护目镜", "", "")},
		Urgency: "high", RequesterOrg: "武汉市第一医院", Address: "武汉市江汉区解放大道1277号",
		ContactName: "设备科 王老师", ContactPhone: "+8613800000000", MoreContacts: []ContactInput{},
	}
	got, _ := json.Marshal(in)
	wantJSON, _ := json.Marshal(want)
	if string(got) != string(wantJSON) {
		t.Fatalf("ParseMessage(%q) = %s; want %s", msg, got, wantJSON)
	}
	rec, err := a.Demands.Record(in)
	if err != nil {
		t.Fatalf("Record(ParseMessage(…)) = %v; want the draft recorded as it is", err)
	}
	if len(rec.Items) != 3 || *rec.Items[1].Needed != 20000 || rec.Items[2].Needed != nil {
		t.Errorf("Record(ParseMessage(…)).Items = %+v; want 5000, 20000 and unknown", rec.Items)
	}

	for _, tc := range []struct {
		text, code string
	}{{" \n ", CodeRequired}, {strings.Repeat("口", MaxMessageLen+1), CodeTooLong}} {
		_, err := a.Demands.ParseMessage(tc.text)
		var e *Error
		if !errors.As(err, &e) || e.Code != tc.code || e.Field != "text" {
			t.Errorf("ParseMessage(%.10q…) = %v; want %s on text", tc.text, err, tc.code)
		}
	}
	// Every contact of the message reaches the form and the demand.
	two := "汉口医院急需防护服200套，联系人甲老师 13800000002，乙主任 13900000003、丙护士长 13700000004"
	in, err = a.Demands.ParseMessage(two)
	if err != nil {
		t.Fatal(err)
	}
	if in.ContactPhone != "+8613800000002" || len(in.MoreContacts) != 2 || in.MoreContacts[0] != (ContactInput{Name: "乙主任", Phone: "+8613900000003"}) ||
		in.MoreContacts[1].Phone != "+8613700000004" {
		t.Fatalf("ParseMessage(%q) contacts = %q %q + %+v; want 甲老师, then 乙主任 and 丙护士长", two, in.ContactName, in.ContactPhone, in.MoreContacts)
	}
	rec, err = a.Demands.Record(in)
	if err != nil {
		t.Fatalf("Record(two contacts) = %v", err)
	}
	if det, _ := a.Demands.Get(rec.ID); len(det.Contacts) != 3 || det.Contacts[1].Name != "乙主任" {
		t.Errorf("recorded contacts = %+v; want the 3 of the message", det.Contacts)
	}
	// A message with nothing usable still gives a form to fill by hand.
	if in, err := a.Demands.ParseMessage("你好"); err != nil || in.Items == nil || in.Urgency != "normal" {
		t.Errorf("ParseMessage(你好) = %+v, %v; want an empty form with urgency normal", in, err)
	}
}

// TestListUrgencyPages pages through the urgency order across urgencies: the
// pages joined give every demand once, most urgent first, newest first
// within an urgency.
func TestListUrgencyPages(t *testing.T) {
	a := newApp(t, t.TempDir())
	a.Network.Create("Flood", "甲")
	urg := []string{"low", "critical", "normal", "high", "critical", "low", "high", "normal", "critical"}
	for i, u := range urg {
		if _, err := a.Demands.Record(DemandInput{Title: fmt.Sprintf("%s-%d", u, i), Category: "other", Urgency: u, Items: []ItemInput{item("x", "", "")}}); err != nil {
			t.Fatal(err)
		}
	}
	want := "critical-8,critical-4,critical-1,high-6,high-3,normal-7,normal-2,low-5,low-0"
	for _, size := range []int{1, 2, 4, 9, 20} {
		var got []string
		for off := 0; off < len(urg)+size; off += size {
			p, err := a.Demands.List(DemandQuery{Sort: "urgency", Offset: off, Limit: size})
			if err != nil || p.Total != len(urg) {
				t.Fatalf("List(sort urgency, %d+%d) = %+v, %v", off, size, p, err)
			}
			for _, d := range p.Items {
				got = append(got, d.Title)
			}
		}
		if strings.Join(got, ",") != want {
			t.Errorf("pages of %d by urgency = %v; want %s", size, got, want)
		}
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
		got, err := parseQuantity("items[0].quantity", tt.in)
		if err != nil || got == nil || *got != tt.want {
			t.Errorf("parseQuantity(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, tt := range []struct{ in, code string }{{"-5", CodeNegative}, {"-5万", CodeNegative}, {"abc", CodeNotNumber},
		{"NaN", CodeNotNumber}, {"5万个", CodeNotNumber}, {"若干", CodeNotNumber}, {"万", CodeNotNumber}} {
		_, err := parseQuantity("items[2].quantity", tt.in)
		var e *Error
		if !errors.As(err, &e) || e.Code != tt.code || e.Field != "items[2].quantity" {
			t.Errorf("parseQuantity(%q) = %v; want %s naming items[2].quantity", tt.in, err, tt.code)
		}
	}
}
