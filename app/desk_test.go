package app

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// coordinatorAndVolunteer returns a coordinator's app A and a volunteer's app
// B of the same network (B endorsed by A, caught up by a bundle: no network
// I/O), and B's member id.
func coordinatorAndVolunteer(t *testing.T) (a, b *App, bID string) {
	t.Helper()
	a = newApp(t, t.TempDir())
	if _, err := a.Network.Create("Flood", "甲"); err != nil {
		t.Fatal(err)
	}
	b = newApp(t, t.TempDir())
	bID = b.Network.Info().DeviceID
	if _, err := a.Network.Endorse(bID, "volunteer", "乙"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "a.rmbundle")
	if _, err := a.Network.ExportBundleTo(path); err != nil {
		t.Fatal(err)
	}
	bs, _ := b.store()
	bs.JoinNetwork(a.Network.Info().NetworkID)
	if _, err := b.Network.ImportBundleFrom(path); err != nil {
		t.Fatal(err)
	}
	if r := b.Network.Info().Role; r != "volunteer" {
		t.Fatalf("B's role after the bundle = %q; want volunteer", r)
	}
	return a, b, bID
}

func roleOf(ms []MemberView, id string) string {
	for _, m := range ms {
		if m.ID == id {
			return m.Role
		}
	}
	return ""
}

// TestPromote checks the binding: the roster it returns, an error code the UI
// maps, and that the change persists and syncs (the rules themselves are
// tested in desk).
func TestPromote(t *testing.T) {
	a, b, bID := coordinatorAndVolunteer(t)
	aID := a.Network.Info().DeviceID

	_, err := b.Network.Promote(aID, "observer")
	wantError(t, "Promote by a volunteer", err, CodeNotAllowed, "")
	_, err = a.Network.Promote(bID, "boss")
	wantError(t, "Promote(B, boss)", err, CodeInvalid, "role")

	ms, err := a.Network.Promote(bID, "reviewer")
	if err != nil || roleOf(ms, bID) != "reviewer" || roleOf(ms, aID) != "coordinator" {
		t.Fatalf("Promote(B, reviewer) = %+v, %v; want the roster with B a reviewer", ms, err)
	}
	// the promotion is a signed change: B sees it after the next bundle
	path := filepath.Join(t.TempDir(), "a2.rmbundle")
	if _, err := a.Network.ExportBundleTo(path); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Network.ImportBundleFrom(path); err != nil {
		t.Fatal(err)
	}
	if r := b.Network.Info().Role; r != "reviewer" {
		t.Errorf("B's role after syncing the promotion = %q; want reviewer", r)
	}
	// and it survives a restart of A
	dir := a.DataDir
	a.Shutdown(t.Context())
	a = newApp(t, dir)
	if ms, _ := a.Network.Members(); roleOf(ms, bID) != "reviewer" {
		t.Errorf("after restart B is %q; want reviewer", roleOf(ms, bID))
	}
}

// TestDeadlines checks the binding: minutes in and out, CanEdit, one refusal
// naming its field, and the windows syncing (the rules are tested in desk).
func TestDeadlines(t *testing.T) {
	a, b, _ := coordinatorAndVolunteer(t)
	dv, err := a.Network.Deadlines()
	if err != nil || dv != (DeadlinesView{ReviewMinutes: 120, PublishMinutes: 120, ClaimMinutes: 360, AnswerMinutes: 60,
		FollowUpMinutes: 1440, TransferMinutes: 720, RecheckMinutes: 2880, MaxMinutes: 43200, CanEdit: true}) {
		t.Fatalf("Deadlines = %+v, %v; want the defaults, editable", dv, err)
	}
	if dv, _ := b.Network.Deadlines(); dv.CanEdit {
		t.Errorf("a volunteer's Deadlines().CanEdit = true")
	}
	good := DeadlinesInput{ReviewMinutes: 90, PublishMinutes: 30, ClaimMinutes: 240, AnswerMinutes: 45, FollowUpMinutes: 600}
	for _, tc := range []struct {
		field string
		in    func(*DeadlinesInput)
	}{
		{"claimMinutes", func(in *DeadlinesInput) { in.ClaimMinutes = 43201 }},
		{"answerMinutes", func(in *DeadlinesInput) { in.AnswerMinutes = 1 << 40 }}, // not multiplied into an overflow
		{"recheckMinutes", func(in *DeadlinesInput) { in.RecheckMinutes = 43201 }},
	} {
		in := good
		tc.in(&in)
		_, err := a.Network.SetDeadlines(in)
		wantError(t, "SetDeadlines with a bad "+tc.field, err, CodeInvalid, tc.field)
	}
	dv, err = a.Network.SetDeadlines(good)
	if err != nil || dv.ReviewMinutes != 90 || dv.PublishMinutes != 30 || dv.ClaimMinutes != 240 || dv.AnswerMinutes != 45 {
		t.Fatalf("SetDeadlines(%+v) = %+v, %v", good, dv, err)
	}
	path := filepath.Join(t.TempDir(), "a.rmbundle")
	a.Network.ExportBundleTo(path)
	if _, err := b.Network.ImportBundleFrom(path); err != nil {
		t.Fatal(err)
	}
	if dv, _ := b.Network.Deadlines(); dv.ReviewMinutes != 90 || dv.AnswerMinutes != 45 || dv.FollowUpMinutes != 600 || dv.TransferMinutes != 720 {
		t.Errorf("B's windows after sync = %+v; want review 90, answer 45, follow-up 600, transfer 720 (left as it was)", dv)
	}
	if _, err := newApp(t, t.TempDir()).Network.SetDeadlines(good); err == nil || !strings.Contains(err.Error(), CodeNoNetwork) {
		t.Errorf("SetDeadlines without a network = %v; want %s", err, CodeNoNetwork)
	}
}

func TestExportLevels(t *testing.T) {
	a, b, _ := coordinatorAndVolunteer(t)
	for _, tc := range []struct {
		who  string
		app  *App
		want []string
	}{
		{"coordinator", a, []string{"public", "team", "restricted"}},
		{"volunteer", b, []string{"public", "team"}},
		{"no network", newApp(t, t.TempDir()), []string{"public"}},
	} {
		if got, err := tc.app.Imports.ExportLevels(); err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%s: ExportLevels() = %v, %v; want %v", tc.who, got, err, tc.want)
		}
	}
	// refused before any file dialog opens
	_, err := b.Imports.Export("csv", "restricted")
	wantError(t, "Export(restricted) by a volunteer", err, CodeNotAllowed, "level")
}
