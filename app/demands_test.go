package app

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/store"
)

func item(name, qty, unit string) ItemInput { return ItemInput{Name: name, Quantity: qty, Unit: unit} }

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
