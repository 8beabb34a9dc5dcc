package app

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The UI reads every list a bound method returns without guarding against
// null: a Go nil slice (or map) would reach it as JSON null. These tests call
// every bound method that returns a list, or a struct holding one, and walk the
// JSON the UI would receive.

// nullArrays returns the JSON paths (such as "history[0].received") where the
// JSON of v holds null for a Go slice or map.
func nullArrays(v any) ([]string, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("marshal %T: %w", v, err)
	}
	var decoded any
	if err := json.Unmarshal(data, &decoded); err != nil {
		return nil, fmt.Errorf("unmarshal the JSON of %T: %w", v, err)
	}
	var out []string
	walkNulls("", decoded, reflect.TypeOf(v), &out)
	return out, nil
}

// walkNulls walks the decoded JSON value j guided by the Go type t it was
// marshalled from, and appends to out the path of every null slice or map.
func walkNulls(path string, j any, t reflect.Type, out *[]string) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return
	}
	if j == nil {
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			*out = append(*out, cmp.Or(path, "(top)"))
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := j.(map[string]any)
		if !ok {
			return
		}
		for name, ft := range jsonFields(t) {
			if v, present := obj[name]; present {
				walkNulls(jsonPath(path, name), v, ft, out)
			}
		}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return // []byte is a base64 string
		}
		arr, _ := j.([]any)
		for i, v := range arr {
			walkNulls(fmt.Sprintf("%s[%d]", path, i), v, t.Elem(), out)
		}
	case reflect.Map:
		obj, _ := j.(map[string]any)
		for k, v := range obj {
			walkNulls(jsonPath(path, k), v, t.Elem(), out)
		}
	}
}

// jsonFields maps the JSON names of struct type t (embedded structs
// flattened, as encoding/json does) to their Go types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				for n, ft := range jsonFields(et) {
					if _, own := fields[n]; !own {
						fields[n] = ft
					}
				}
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = f.Type
	}
	return fields
}

func jsonPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func TestNullArraysFindsNilSlices(t *testing.T) {
	// the walker itself must be able to fail
	type inner struct {
		Received []ReceiptView `json:"received"`
		To       *MemberRef    `json:"to"`
	}
	type outer struct {
		DemandSummary
		History []inner           `json:"history"`
		Args    map[string]string `json:"args"`
		Skip    []string          `json:"-"`
	}
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"nil top slice", []string(nil), "(top)"},
		{"empty slice", []string{}, ""},
		{"nil pointer is fine", inner{Received: []ReceiptView{}}, ""},
		{"nested", outer{DemandSummary: DemandSummary{Items: []ItemView{}}, History: []inner{{Received: []ReceiptView{}}, {}}, Args: map[string]string{}},
			"history[1].received"},
		{"embedded and map", outer{History: []inner{}}, "args,items"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := nullArrays(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			if strings.Join(got, ",") != tc.want {
				t.Errorf("nullArrays(%+v) = %v; want %q", tc.v, got, tc.want)
			}
		})
	}
}

// boundCalls calls every bound method of a that returns a list or a struct
// holding one, and returns each answer by the method's name. Methods that
// fail (no network yet, nothing to review) are left out: only answers reach
// the UI as data. demand, task and offer name existing records, or are "".
func boundCalls(t *testing.T, a *App, demand string) map[string]any {
	t.Helper()
	got := map[string]any{}
	add := func(name string, v any, err error) {
		if err == nil {
			got[name] = v
		}
	}
	add("DemandService.Categories", a.Demands.Categories(), nil)
	page, err := a.Demands.List(DemandQuery{})
	add("DemandService.List", page, err)
	page, err = a.Demands.List(DemandQuery{Text: "no such demand anywhere"})
	add("DemandService.List(no match)", page, err)
	draft, err := a.Demands.ParseMessage("")
	add("DemandService.ParseMessage(empty)", draft, err)
	draft, err = a.Demands.ParseMessage("协和医院急需N95口罩5000只，联系人王老师 13800000000")
	add("DemandService.ParseMessage", draft, err)
	sim, err := a.Demands.Similar(DemandInput{Title: "协和医院急需 N95", Category: "protective_equipment"})
	add("DemandService.Similar", sim, err)
	info := a.Network.Info()
	add("NetworkService.Info", info, nil)
	add("NetworkService.Practice", a.Network.Practice(), nil)
	add("NetworkService.Node", a.Network.Node(), nil)
	clock, err := a.Network.Clock()
	add("NetworkService.Clock", clock, err)
	members, err := a.Network.Members()
	add("NetworkService.Members", members, err)
	peers, err := a.Network.Peers()
	add("NetworkService.Peers", peers, err)
	deadlines, err := a.Network.Deadlines()
	add("NetworkService.Deadlines", deadlines, err)
	vols, err := a.Volunteers.List()
	add("VolunteerService.List", vols, err)
	me, err := a.Volunteers.MyProfile()
	add("VolunteerService.MyProfile", me, err)
	inbox, err := a.Inbox.List()
	add("InboxService.List", inbox, err)
	board, err := a.Points.Leaderboard()
	add("PointsService.Leaderboard", board, err)
	offers, err := a.Offers.List("")
	add("OfferService.List", offers, err)
	inboxPage, err := a.Inbox.Page(InboxQuery{})
	add("InboxService.Page", inboxPage, err)
	inboxPage, err = a.Inbox.Page(InboxQuery{What: "complete", OverdueOnly: true, Offset: 1000})
	add("InboxService.Page(past the end)", inboxPage, err)
	standings, err := a.Points.Standings(0, 0)
	add("PointsService.Standings", standings, err)
	if me := a.Network.Info().DeviceID; me != "" {
		history, err := a.Points.History(me, 0, 0)
		add("PointsService.History", history, err)
	}
	training, err := a.Volunteers.Training()
	add("VolunteerService.Training", training, err)
	volPage, err := a.Volunteers.Page(VolunteerQuery{})
	add("VolunteerService.Page", volPage, err)
	volPage, err = a.Volunteers.Page(VolunteerQuery{Text: "no such volunteer anywhere"})
	add("VolunteerService.Page(no match)", volPage, err)
	offerPage, err := a.Offers.Page(OfferQuery{})
	add("OfferService.Page", offerPage, err)
	offerPage, err = a.Offers.Page(OfferQuery{Text: "no such offer anywhere", Kind: "hotel"})
	add("OfferService.Page(no match)", offerPage, err)
	points, err := a.Map.Points()
	add("MapService.Points", points, err)
	levels, err := a.Imports.ExportLevels()
	add("ImportService.ExportLevels", levels, err)
	count, err := a.Imports.BulletinCount()
	add("ImportService.BulletinCount", count, err)
	bundle, err := a.Network.ExportBundleTo(filepath.Join(t.TempDir(), "out.rmbundle"))
	add("NetworkService.ExportBundleTo", bundle, err)
	if err == nil {
		back, err := a.Network.ImportBundleFrom(bundle.Path)
		add("NetworkService.ImportBundleFrom", back, err)
	}
	exp, err := a.Imports.ExportPublicTo(filepath.Join(t.TempDir(), "bulletin.csv"), "csv")
	add("ImportService.ExportPublicTo", exp, err)
	if demand != "" {
		det, err := a.Demands.Get(demand)
		add("DemandService.Get", det, err)
		rev, err := a.Demands.ReviewDuplicate(demand)
		add("DemandService.ReviewDuplicate", rev, err)
		tasks, err := a.Tasks.ForDemand(demand)
		add("TaskService.ForDemand", tasks, err)
		matches, err := a.Tasks.Matches(demand, "driver")
		add("TaskService.Matches", matches, err)
		om, err := a.Offers.Matches(demand)
		add("OfferService.Matches", om, err)
	}
	return got
}

// checkNoNulls fails for every null array in the answers.
func checkNoNulls(t *testing.T, answers map[string]any) {
	t.Helper()
	for name, v := range answers {
		paths, err := nullArrays(v)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for _, p := range paths {
			t.Errorf("%s: JSON null at %s; want an empty array", name, p)
		}
	}
}

func TestBoundMethodsSendNoNullArrays(t *testing.T) {
	t.Run("no network", func(t *testing.T) {
		a := newApp(t, t.TempDir())
		checkNoNulls(t, boundCalls(t, a, ""))
	})
	t.Run("empty network", func(t *testing.T) {
		a := newApp(t, t.TempDir())
		if _, err := a.Network.Create("Flood", "甲"); err != nil {
			t.Fatal(err)
		}
		answers := boundCalls(t, a, "")
		for _, want := range []string{"DemandService.List", "VolunteerService.List", "InboxService.List", "OfferService.List", "NetworkService.Members",
			"InboxService.Page", "PointsService.Standings", "PointsService.History", "VolunteerService.Page", "OfferService.Page"} {
			if _, ok := answers[want]; !ok {
				t.Errorf("%s failed on an empty network; want an answer to check", want)
			}
		}
		checkNoNulls(t, answers)
	})
	t.Run("one of each", func(t *testing.T) {
		a := newApp(t, t.TempDir())
		if _, err := a.Network.Create("Flood", "甲"); err != nil {
			t.Fatal(err)
		}
		answers := map[string]any{}
		add := func(name string, v any, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s = %v", name, err)
			}
			answers[name] = v
		}
		// a bare profile and demand: no skills, no contacts, quantity unknown
		me, err := a.Volunteers.SaveProfile(ProfileInput{Name: "甲"})
		add("VolunteerService.SaveProfile(bare)", me, err)
		me, err = a.Volunteers.SaveProfile(ProfileInput{Name: "甲", Skills: []string{"driver"}})
		add("VolunteerService.SaveProfile", me, err)
		d, err := a.Demands.Record(DemandInput{Title: "Village needs water", Category: "food_water", Items: []ItemInput{item("water", "", "")}})
		add("DemandService.Record", d, err)
		o, err := a.Offers.Record(OfferInput{Supplier: "某酒店", Items: []ItemInput{item("water", "30", "箱")}})
		add("OfferService.Record", o, err)
		for _, action := range []string{"approve", "publish", "claim"} {
			det, err := a.Demands.Act(called(ActInput{ID: d.ID, Action: action}))
			add("DemandService.Act("+action+")", det, err)
		}
		task, err := a.Tasks.Offer(d.ID, me.Key, "driver")
		add("TaskService.Offer", task, err)
		task, err = a.Tasks.Answer(task.ID, "accept")
		add("TaskService.Answer", task, err)
		// a demand like one already recorded: Similar names it
		hospital := DemandInput{Title: "协和医院急需 N95", Category: "protective_equipment", RequesterOrg: "协和医院",
			ContactName: "王老师", ContactPhone: "13800000000", Items: []ItemInput{item("N95口罩", "500", "只")}}
		_, err = a.Demands.Record(hospital)
		add("DemandService.Record(hospital)", nil, err)
		hospital.Title = "协和医院还需要 N95"
		sim, err := a.Demands.Similar(hospital)
		if err != nil || sim == nil {
			t.Fatalf("Similar(the same hospital) = %+v, %v; want the recorded demand", sim, err)
		}
		answers["DemandService.Similar(found)"] = sim
		checkNoNulls(t, answers)
		calls := boundCalls(t, a, d.ID)
		if list, _ := calls["TaskService.ForDemand"].([]TaskView); len(list) != 1 {
			t.Errorf("TaskService.ForDemand = %v; want the task", calls["TaskService.ForDemand"])
		}
		checkNoNulls(t, calls)
	})
	t.Run("import", func(t *testing.T) {
		a := newApp(t, t.TempDir())
		if _, err := a.Network.Create("Flood", "甲"); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "needs.csv")
		csv := "name,district,supplies,contact\n协和医院,江汉区,N95口罩 500只,王老师 13800000000\n,,,\n"
		if err := os.WriteFile(path, []byte(csv), 0o600); err != nil {
			t.Fatal(err)
		}
		p, err := a.Imports.Preview(path)
		if err != nil {
			t.Fatalf("Preview = %v", err)
		}
		p2, err := a.Imports.PreviewMapping(path, p.Mapping)
		if err != nil {
			t.Fatalf("PreviewMapping = %v", err)
		}
		r, err := a.Imports.Run(path, p.Mapping)
		if err != nil {
			t.Fatalf("Run = %v", err)
		}
		again, err := a.Imports.Run(path, p.Mapping)
		if err != nil {
			t.Fatalf("Run again = %v", err)
		}
		answers := map[string]any{"ImportService.Preview": p, "ImportService.PreviewMapping": p2,
			"ImportService.Run": r, "ImportService.Run(again)": again}
		// the same hospital in another file: flagged as a probable duplicate
		other := filepath.Join(t.TempDir(), "more-needs.csv")
		if err := os.WriteFile(other, []byte("name,district,supplies,contact\n协和医院西院,江汉区,防护服 100套,王老师 13800000000\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if p, err = a.Imports.Preview(other); err != nil {
			t.Fatalf("Preview(%s) = %v", other, err)
		}
		dups, err := a.Imports.Run(other, p.Mapping)
		if err != nil || len(dups.Duplicates) == 0 {
			t.Fatalf("Run(%s) = %+v, %v; want the hospital flagged as a duplicate", other, dups, err)
		}
		answers["ImportService.Run(duplicate)"] = dups
		rv, err := a.Demands.ReviewDuplicate(dups.Duplicates[0].ID)
		if err != nil {
			t.Fatalf("ReviewDuplicate = %v", err)
		}
		answers["DemandService.ReviewDuplicate"] = rv
		// a file whose rows give no record (the UI crashed on records: null)
		empty := filepath.Join(t.TempDir(), "only-header.csv")
		if err := os.WriteFile(empty, []byte("name,district,supplies,contact\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if answers["ImportService.Preview(no record)"], err = a.Imports.Preview(empty); err != nil {
			t.Fatalf("Preview(%s) = %v", empty, err)
		}
		checkNoNulls(t, answers)
	})
}
