package main

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/app"
	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/store"
)

// appAnswers is what the desktop app says about a data dir, in the terms the
// hub uses, for TestAppAndHubGiveTheSameAnswers.
type appAnswers struct {
	status  statusShown
	members []memberJSON
	inbox   []pendingJSON
}

// statusShown holds the status fields both the app (Info, Clock) and the hub
// (status --json) show.
type statusShown struct {
	Device, NetworkID, NetworkName, MemberName, Role string
	Held                                             int
	ClockBehindMs                                    int64
	ClockWarn                                        bool
}

// TestAppAndHubGiveTheSameAnswers: a data dir filled by the app, then read by
// the hub, in-process and through a running hub's control socket, gives the
// same status, members and inbox of its member.
func TestAppAndHubGiveTheSameAnswers(t *testing.T) {
	dir := t.TempDir()
	a := app.New(dir, store.Options{})
	if _, err := a.Network.Create("Flood", "甲"); err != nil {
		t.Fatal(err)
	}
	volunteer, gone := newDeviceID(t), newDeviceID(t)
	for _, id := range []string{volunteer, gone} {
		if _, err := a.Network.Endorse(id, "volunteer", "乙"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Network.Revoke(gone, "lost laptop"); err != nil {
		t.Fatal(err)
	}
	var first string
	for _, title := range []string{"协和医院急需 N95", "金银潭医院 防护服"} {
		d, err := a.Demands.Record(app.DemandInput{Title: title, Category: "protective_equipment", District: "江汉区",
			Items: []app.ItemInput{{Name: "N95口罩", Quantity: "5000", Unit: "只"}}})
		if err != nil {
			t.Fatal(err)
		}
		if first == "" {
			first = d.ID
		}
	}
	me := a.Network.Info().DeviceID
	if _, err := a.Tasks.Offer(first, me, "driver"); err != nil { // a task offered to oneself waits in one's inbox
		t.Fatal(err)
	}

	var want appAnswers
	info := a.Network.Info()
	clock, err := a.Network.Clock()
	if err != nil {
		t.Fatal(err)
	}
	want.status = statusShown{Device: info.DeviceID, NetworkID: info.NetworkID, NetworkName: info.NetworkName,
		MemberName: info.MemberName, Role: info.Role, Held: clock.Held, ClockBehindMs: clock.BehindMs, ClockWarn: clock.Warn}
	ms, err := a.Network.Members()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		want.members = append(want.members, memberJSON{ID: m.ID, Name: m.Name, Role: m.Role, EndorsedBy: m.EndorsedBy,
			Since: wireTime(time.UnixMilli(m.Since)), Revoked: m.Revoked})
	}
	ps, err := a.Inbox.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		j := pendingJSON{Kind: p.Kind, ID: p.ID, DemandID: p.DemandID, Code: p.Code, Title: p.Title, What: p.What,
			Status: p.Status, Since: wireTime(time.UnixMilli(p.Since)), Overdue: p.Overdue, Soon: p.Soon}
		if p.Due != 0 {
			j.Due = wireTime(time.UnixMilli(p.Due))
		}
		want.inbox = append(want.inbox, j)
	}
	if len(want.members) != 3 || len(want.inbox) < 3 {
		t.Fatalf("the app shows %d members and %d inbox entries; want 3 members, 2 demands to review and a task to answer",
			len(want.members), len(want.inbox))
	}
	a.Shutdown(t.Context())

	hubAnswers := func(how string) {
		t.Helper()
		s, out := statusJSON(t, dir)
		got := statusShown{Device: s.Device, MemberName: s.MemberName, Role: s.Role, Held: s.Held,
			ClockBehindMs: s.ClockBehindMs, ClockWarn: s.ClockWarn}
		if s.Network != nil {
			got.NetworkID, got.NetworkName = s.Network.ID, s.Network.Name
		}
		if got != want.status {
			t.Errorf("%s: status --json shows %+v; the app shows %+v\n%s", how, got, want.status, out)
		}
		if s.Demands != 2 || s.DemandsByStatus["collected"] != 2 || s.Members != 3 {
			t.Errorf("%s: status --json counts %d demands %v and %d members; want the app's 2 collected and 3 members", how, s.Demands, s.DemandsByStatus, s.Members)
		}
		var members []memberJSON
		hubJSON(t, &members, "members", "--json", "--data-dir", dir)
		if !slices.Equal(members, want.members) {
			t.Errorf("%s: members --json = %+v; the app shows %+v", how, members, want.members)
		}
		var inbox []pendingJSON
		hubJSON(t, &inbox, "inbox", "--json", "--data-dir", dir)
		if !reflect.DeepEqual(inbox, want.inbox) {
			t.Errorf("%s: inbox --json = %+v; the app shows %+v", how, inbox, want.inbox)
		}
	}
	hubAnswers("the hub on the store")
	if out, err := run(t, "members", "--data-dir", dir); err != nil || strings.Count(out, "\n") != 3 ||
		!strings.Contains(out, "(revoked)") || !strings.Contains(out, "endorsed by 甲") {
		t.Errorf("members = %v\n%s; want 3 lines, one revoked, endorsed by 甲", err, out)
	}
	if out, err := run(t, "inbox", "--data-dir", dir); err != nil || strings.Count(out, "\n") != len(want.inbox) ||
		!strings.Contains(out, "协和医院急需 N95") || !strings.Contains(out, "answer") {
		t.Errorf("inbox = %v\n%s; want a line per entry, the demand's title, the task to answer", err, out)
	}
	hubAnswers("the hub on the store again (saved counts)")
	srv := startServe(t, dir, serveOptions{})
	hubAnswers("a running hub, through its control socket")

	// a hub that stops saves the counts: the next status reads them
	if out, err := run(t, "endorse", newDeviceID(t), "--role", "observer", "--data-dir", dir); err != nil {
		t.Fatalf("endorse through the hub = %v\n%s", err, out)
	}
	srv.stop()
	light, err := store.Open(dir, store.Options{SkipDemandList: true})
	if err != nil {
		t.Fatal(err)
	}
	s, ok := desk.New(light).SavedStatus()
	light.Close()
	if !ok || s.Members != 4 || s.Demands != 2 {
		t.Errorf("saved status after the hub stopped = %+v, %v; want 4 members and 2 demands, fresh", s, ok)
	}
}

// hubJSON runs the hub with args and decodes its JSON output into v.
func hubJSON(t *testing.T, v any, args ...string) {
	t.Helper()
	out, err := run(t, args...)
	if err != nil {
		t.Fatalf("%v = %v\n%s", args, err, out)
	}
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("%v printed no JSON: %v\n%s", args, err, out)
	}
}
