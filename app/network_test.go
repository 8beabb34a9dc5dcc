package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/reliefmesh/reliefmesh/desk"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestClockWarnsWhenBehind: changes from a coordinator whose stamps run ahead
// of this computer's clock make Clock warn — held when beyond the drift
// allowed, not when within a few seconds.
func TestClockWarnsWhenBehind(t *testing.T) {
	for _, tc := range []struct {
		ahead    time.Duration
		warn     bool
		wantHeld bool
		pause    time.Duration // between the coordinator's changes and the reading
	}{
		{ahead: 10 * time.Second, warn: false},
		{ahead: 3 * time.Minute, warn: true},
		{ahead: 2 * time.Hour, warn: true, wantHeld: true},
		// a slow machine: time passes between the coordinator's writing and
		// the reading (1.1 s under -race at load 50 made "8900 ms behind")
		{ahead: 10 * time.Second, warn: false, pause: 1500 * time.Millisecond},
	} {
		a := newApp(t, t.TempDir())
		if v, err := a.Network.Clock(); err != nil || v.Warn {
			t.Fatalf("Clock before any change = %+v, %v; want no warning", v, err)
		}
		// Every stamp the coordinator writes is at least written+ahead; the
		// reading comes later, so behind is at least ahead less the time
		// since written (not ahead less a second: that time is not bounded).
		written := time.Now()
		fast := func() time.Time { return time.Now().Add(tc.ahead) }
		coord, err := store.Open(t.TempDir(), store.Options{Clock: fast})
		if err != nil {
			t.Fatal(err)
		}
		n, err := coord.CreateNetwork("Flood", "甲")
		if err != nil {
			t.Fatal(err)
		}
		st, _ := a.store()
		if err := coord.Endorse(st.Device(), relief.RoleVolunteer, "乙"); err != nil {
			t.Fatal(err)
		}
		if err := st.JoinNetwork(n.ID); err != nil {
			t.Fatal(err)
		}
		var cs []*ledger.Change
		coord.ChangesSince(nil, func(c *ledger.Change) error { cs = append(cs, c); return nil })
		coord.Close()
		if _, err := st.ApplyRemote(cs); err != nil {
			t.Fatal(err)
		}
		time.Sleep(tc.pause)
		v, err := a.Network.Clock()
		if err != nil {
			t.Fatal(err)
		}
		atLeast := (tc.ahead - time.Since(written)).Milliseconds() - 1 // stamps in whole milliseconds
		if v.Warn != tc.warn || (v.Held > 0) != tc.wantHeld || v.BehindMs < atLeast {
			t.Errorf("%v ahead: Clock = %+v; want warn %v, held %v, behind ≈ %v (at least %d ms)", tc.ahead, v, tc.warn, tc.wantHeld, tc.ahead, atLeast)
		}
	}
}

// TestBundleErrorsSayWhat: a bundle of another network and a file that is not
// a bundle get their own codes, naming the file (and the other network).
func TestBundleErrorsSayWhat(t *testing.T) {
	a, b := newApp(t, t.TempDir()), newApp(t, t.TempDir())
	a.Network.Create("Flood", "甲")
	b.Network.Create("Fire", "乙")
	dir := t.TempDir()
	path := filepath.Join(dir, "site-a.rmbundle")
	if _, err := a.Network.ExportBundleTo(path); err != nil {
		t.Fatal(err)
	}
	aInfo := a.Network.Info()
	_, err := b.Network.ImportBundleFrom(path)
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeBundleOtherNetwork || !strings.Contains(e.Message, "site-a.rmbundle") || !strings.Contains(e.Message, aInfo.NetworkID) {
		t.Errorf("another network's bundle = %v; want %s naming the file and network %s", err, CodeBundleOtherNetwork, aInfo.NetworkID)
	}
	// a copy cut short, and a copy with one byte altered near its end
	for _, i := range []int{0, 1} {
		a.Demands.Record(DemandInput{Title: fmt.Sprintf("demand %d", i), Category: "other"})
	}
	full := filepath.Join(dir, "full.rmbundle")
	if _, err := a.Network.ExportBundleTo(full); err != nil {
		t.Fatal(err)
	}
	b2 := newApp(t, t.TempDir())
	b2Key, _ := b2.store()
	st, _ := a.store()
	st.Endorse(b2Key.Device(), "volunteer", "丙")
	b2Key.JoinNetwork(aInfo.NetworkID)
	whole, _ := os.ReadFile(full)
	cut := filepath.Join(dir, "cut.rmbundle")
	os.WriteFile(cut, whole[:len(whole)-40], 0o644)
	if _, err := b2.Network.ImportBundleFrom(cut); !errors.As(err, &e) || e.Code != CodeBundleTruncated || e.Args["changes"] == "" {
		t.Errorf("a truncated bundle = %v; want %s with how many changes it promised", err, CodeBundleTruncated)
	}
	bent := filepath.Join(dir, "bent.rmbundle")
	altered := bytes.Clone(whole)
	altered[len(altered)-20] ^= 0x40
	os.WriteFile(bent, altered, 0o644)
	if _, err := b2.Network.ImportBundleFrom(bent); !errors.As(err, &e) || (e.Code != CodeBundleDamaged && e.Code != CodeBundleTruncated) || e.Args["applied"] == "" {
		t.Errorf("an altered bundle = %v; want %s saying how many changes were applied", err, CodeBundleDamaged)
	} else {
		t.Logf("altered bundle: %s %v", e.Code, e.Args)
	}
	junk := filepath.Join(dir, "photo.jpg")
	os.WriteFile(junk, []byte("\xff\xd8\xff\xe0 not a bundle"), 0o644)
	if _, err := b.Network.ImportBundleFrom(junk); !errors.As(err, &e) || e.Code != CodeNotBundle || e.Message != "photo.jpg" {
		t.Errorf("a JPEG as a bundle = %v; want %s naming photo.jpg", err, CodeNotBundle)
	}
}

// TestBundleFileDamageSaysWhatWasRead: the tester's damaged copies in the
// app: a missing file was "cannot read or write local data" (CodeStorage);
// an empty file was "not a bundle"; a cut or flipped copy did not say how
// many changes were never read. Each now has its code and reason, with the
// counts the message names.
func TestBundleFileDamageSaysWhatWasRead(t *testing.T) {
	a, b := newApp(t, t.TempDir()), newApp(t, t.TempDir())
	a.Network.Create("Flood", "甲")
	ast, _ := a.store()
	for _, title := range []string{"N95 口罩", "防护服", "消毒液"} {
		if _, err := ast.RecordDemand(relief.Demand{Title: title, Category: "other"}); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	full := filepath.Join(dir, "full.rmbundle")
	if _, err := a.Network.ExportBundleTo(full); err != nil {
		t.Fatal(err)
	}
	bst, _ := b.store()
	bst.JoinNetwork(a.Network.Info().NetworkID)
	whole, _ := os.ReadFile(full)
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o644)
		return p
	}
	for _, tc := range []struct {
		name, path, code, reason string
		unread                   bool
	}{
		{"missing", filepath.Join(dir, "missing.rmbundle"), CodeBundle, "missing", false},
		{"empty", write("empty.rmbundle", nil), CodeBundleTruncated, "empty", false},
		{"flipped", write("flip.rmbundle", bytes.Replace(whole, []byte("防护服"), bytes.Repeat([]byte{0xff}, len("防护服")), 1)), CodeBundleDamaged, "skipped", true},
		{"cut", write("cut.rmbundle", whole[:len(whole)*2/3]), CodeBundleTruncated, "", true},
	} {
		_, err := b.Network.ImportBundleFrom(tc.path)
		var e *Error
		if !errors.As(err, &e) || e.Code != tc.code || e.Args["reason"] != tc.reason {
			t.Errorf("%s: ImportBundleFrom = %v; want %s, reason %q", tc.name, err, tc.code, tc.reason)
			continue
		}
		if tc.unread && (e.Args["unread"] == "" || e.Args["unread"] == "0" || e.Args["read"] == "" || e.Args["changes"] == "") {
			t.Errorf("%s: args %v; want how many changes were read and never read", tc.name, e.Args)
		}
		if tc.name == "flipped" {
			// read on past the damaged change (every one after it, refused
			// as a gap): where it was and what 甲's feed still lacks
			var lacks []desk.MissingView
			changes, _ := strconv.Atoi(e.Args["changes"])
			before, _ := strconv.Atoi(e.Args["before"])
			at := bytes.Index(whole, []byte("防护服"))
			off, _ := strconv.Atoi(e.Args["offset"])
			if err := json.Unmarshal([]byte(e.Args["missing"]), &lacks); err != nil || len(lacks) != 1 || lacks[0].Name != "甲" ||
				lacks[0].From != strconv.Itoa(before+1) || lacks[0].To != strconv.FormatUint(ast.VersionVector()[ast.Device()], 10) ||
				e.Args["read_after"] != strconv.Itoa(changes-before-1) || off <= 0 || off >= at {
				t.Errorf("flipped: args %v (%v); want the damage before byte %d, every change after it read, 甲's feed missing from it to its end", e.Args, err, at)
			}
		}
	}
}
