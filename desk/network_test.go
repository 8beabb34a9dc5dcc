package desk

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/join"
)

// peopleStore opens a store in a fresh directory, closed at the end of the test.
func peopleStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// peopleSync applies every change from holds to to (a catch-up without the network).
func peopleSync(t *testing.T, from, to *store.Store) {
	t.Helper()
	var cs []*ledger.Change
	if err := from.ChangesSince(to.VersionVector(), func(c *ledger.Change) error { cs = append(cs, c); return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := to.ApplyRemote(cs); err != nil {
		t.Fatal(err)
	}
}

// peopleNetwork returns the desks of a network's coordinator A and
// of a volunteer B that A endorsed, both caught up.
func peopleNetwork(t *testing.T) (a, b *Desk) {
	t.Helper()
	return peopleNetworkWith(t, store.Options{}, store.Options{})
}

// peopleNetworkWith is peopleNetwork with A's store opened with optsA and
// B's with optsB (a clock of their own).
func peopleNetworkWith(t *testing.T, optsA, optsB store.Options) (a, b *Desk) {
	t.Helper()
	open := func(opts store.Options) *store.Store {
		st, err := store.Open(t.TempDir(), opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	a, b = New(open(optsA)), New(open(optsB))
	n, err := a.CreateNetwork(" Flood ", " 甲 ")
	if err != nil || n.Name != "Flood" {
		t.Fatalf("CreateNetwork = %+v, %v; want Flood, trimmed", n, err)
	}
	if err := a.Endorse(b.Status().Device, "volunteer", " 乙 "); err != nil {
		t.Fatal(err)
	}
	if err := b.Store().JoinNetwork(n.ID); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, a.Store(), b.Store())
	if me, ok := b.Me(); !ok || me.Role != relief.RoleVolunteer || me.Name != "乙" {
		t.Fatalf("B after catching up = %+v, %v; want the volunteer 乙", me, ok)
	}
	return a, b
}

// wantDeskError fails unless err is an *Error of code about field.
func wantDeskError(t *testing.T, what string, err error, code, field string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != code || e.Field != field {
		t.Fatalf("%s = %v; want code %s field %q", what, err, code, field)
	}
}

func TestParseRole(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want relief.Role
		ok   bool
	}{
		{"coordinator", relief.RoleCoordinator, true},
		{" Reviewer ", relief.RoleReviewer, true},
		{"VOLUNTEER", relief.RoleVolunteer, true},
		{"observer", relief.RoleObserver, true},
		{"", "", false},
		{"admiral", "", false},
		{"hub", "", false},
	} {
		r, err := ParseRole(tc.in)
		if tc.ok && (err != nil || r != tc.want) {
			t.Errorf("ParseRole(%q) = %q, %v; want %q", tc.in, r, err, tc.want)
		}
		if !tc.ok {
			wantDeskError(t, "ParseRole("+tc.in+")", err, CodeInvalid, "role")
		}
	}
}

func TestCreateNetworkChecksNames(t *testing.T) {
	d := New(peopleStore(t))
	for _, tc := range []struct{ incident, name, code, field string }{
		{" ", "甲", CodeRequired, "incident"},
		{"Flood", "", CodeRequired, "memberName"},
		{strings.Repeat("灾", MaxNameLen+1), "甲", CodeTooLong, "incident"},
		{"Flood", strings.Repeat("甲", MaxNameLen+1), CodeTooLong, "memberName"},
	} {
		_, err := d.CreateNetwork(tc.incident, tc.name)
		wantDeskError(t, "CreateNetwork("+tc.incident+", "+tc.name+")", err, tc.code, tc.field)
	}
	if _, ok := d.Network(); ok {
		t.Fatal("a refused CreateNetwork created a network")
	}
	if _, err := d.CreateNetwork("Flood", "甲"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.CreateNetwork("Again", "甲"); err == nil {
		t.Error("a second CreateNetwork succeeded")
	}
}

func TestEndorseRules(t *testing.T) {
	a, b := peopleNetwork(t)
	newcomer := New(peopleStore(t)).Status().Device
	for _, tc := range []struct {
		by         *Desk
		id, role   string
		code, what string
	}{
		{a, "not-a-key", "volunteer", CodeInvalid, "memberId"},
		{a, newcomer, "admiral", CodeInvalid, "role"},
		{a, b.Status().Device, "volunteer", CodeInvalid, "memberId"}, // already a member
		{b, newcomer, "coordinator", CodeNotAllowed, "role"},         // a volunteer endorses volunteers only
	} {
		err := tc.by.Endorse(tc.id, tc.role, "丙")
		wantDeskError(t, "Endorse("+tc.id+", "+tc.role+")", err, tc.code, tc.what)
	}
	wantDeskError(t, "Endorse with a long name", a.Endorse(newcomer, "volunteer", strings.Repeat("丙", MaxNameLen+1)), CodeTooLong, "name")
	if err := b.Endorse(newcomer, "volunteer", "丙"); err != nil {
		t.Fatalf("a volunteer endorsing a volunteer = %v", err)
	}
	key, _ := ledger.ParseDeviceID(newcomer)
	if m, ok := b.Member(key); !ok || m.Role != relief.RoleVolunteer || m.EndorsedBy != b.Store().Device() {
		t.Errorf("newcomer after B's endorsement = %+v, %v; want a volunteer endorsed by B", m, ok)
	}
	// a device that is not a member endorses nobody
	outsider := New(peopleStore(t))
	err := outsider.Endorse(newcomer, "volunteer", "丙")
	var e *Error
	if !errors.As(err, &e) || (e.Code != CodeNotAllowed && e.Code != CodeNoNetwork) {
		t.Errorf("Endorse by a device without a network = %v; want not_allowed or no_network", err)
	}
}

func TestPromoteAndRevoke(t *testing.T) {
	a, b := peopleNetwork(t)
	aID, bID := a.Status().Device, b.Status().Device
	wantDeskError(t, "Promote by a volunteer", b.Promote(aID, "observer"), CodeNotAllowed, "")
	for _, tc := range []struct{ id, role, code, field string }{
		{"not-a-key", "reviewer", CodeInvalid, "memberId"},
		{bID, "boss", CodeInvalid, "role"},
		{bID, "volunteer", CodeInvalid, "role"},    // already
		{aID, "reviewer", CodeInvalid, "memberId"}, // oneself
		{New(peopleStore(t)).Status().Device, "reviewer", CodeNotFound, "memberId"},
	} {
		wantDeskError(t, "Promote("+tc.id+", "+tc.role+")", a.Promote(tc.id, tc.role), tc.code, tc.field)
	}
	if err := a.Promote(bID, "reviewer"); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, a.Store(), b.Store())
	if me, _ := b.Me(); me.Role != relief.RoleReviewer {
		t.Errorf("B's role after syncing the promotion = %q; want reviewer", me.Role)
	}
	wantDeskError(t, "Revoke by a reviewer", b.Revoke(aID, ""), CodeNotAllowed, "")
	if err := a.Revoke(bID, " lost laptop "); err != nil {
		t.Fatal(err)
	}
	key, _ := ledger.ParseDeviceID(bID)
	if m, _ := a.Member(key); !m.Revoked {
		t.Errorf("B after Revoke = %+v; want revoked", m)
	}
	wantDeskError(t, "Promote a revoked member", a.Promote(bID, "observer"), CodeInvalid, "memberId")
	if n := a.Status().Members; n != 2 {
		t.Errorf("Status().Members after a revocation = %d; want 2 (revoked members stay in the roster)", n)
	}
}

func TestSetDeadlinesRules(t *testing.T) {
	a, b := peopleNetwork(t)
	if dl, canEdit := a.Deadlines(); !canEdit || dl.Review != 2*time.Hour {
		t.Fatalf("coordinator's Deadlines = %+v, %v; want the defaults, editable", dl, canEdit)
	}
	if _, canEdit := b.Deadlines(); canEdit {
		t.Error("a volunteer may edit the deadlines")
	}
	good := relief.Deadlines{Review: 90 * time.Minute, Publish: 30 * time.Minute, Claim: 4 * time.Hour, Answer: 45 * time.Minute,
		FollowUp: 36 * time.Hour, Transfer: 6 * time.Hour, Recheck: 72 * time.Hour}
	for _, tc := range []struct {
		field string
		bad   func(*relief.Deadlines)
	}{
		{"reviewMinutes", func(d *relief.Deadlines) { d.Review = 0 }},
		{"publishMinutes", func(d *relief.Deadlines) { d.Publish = -5 * time.Minute }},
		{"claimMinutes", func(d *relief.Deadlines) { d.Claim = (relief.MaxWithinMinutes + 1) * time.Minute }},
		{"answerMinutes", func(d *relief.Deadlines) { d.Answer = 90 * time.Second }}, // not whole minutes
		{"followUpMinutes", func(d *relief.Deadlines) { d.FollowUp = 90 * time.Second }},
		{"recheckMinutes", func(d *relief.Deadlines) { d.Recheck = (relief.MaxWithinMinutes + 1) * time.Minute }},
	} {
		dl := good
		tc.bad(&dl)
		wantDeskError(t, "SetDeadlines with a bad "+tc.field, a.SetDeadlines(dl), CodeInvalid, tc.field)
	}
	if dl, _ := a.Deadlines(); dl.Review != 2*time.Hour {
		t.Errorf("a refused SetDeadlines wrote review = %v; want 2h kept", dl.Review)
	}
	wantDeskError(t, "SetDeadlines by a volunteer", b.SetDeadlines(good), CodeNotAllowed, "")
	if err := a.SetDeadlines(good); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, a.Store(), b.Store())
	if dl, _ := b.Deadlines(); dl != good {
		t.Errorf("B's deadlines after sync = %+v; want %+v", dl, good)
	}
	wantDeskError(t, "SetDeadlines without a network", New(peopleStore(t)).SetDeadlines(good), CodeNoNetwork, "")
}

// TestJoin: a device joins the network of a code and keeps the code (read
// back as node.SavedJoinCode reads it); joining again keeps the newer code; a
// code of another network is CodeInvalid naming "joinCode" and changes
// nothing; a code naming no network is refused.
func TestJoin(t *testing.T) {
	a := New(peopleStore(t))
	n, err := a.CreateNetwork("Flood", "甲")
	if err != nil {
		t.Fatal(err)
	}
	b := New(peopleStore(t))
	code := join.Code{Network: n.ID, Name: n.Name, Addrs: []string{"/ip4/192.0.2.1/tcp/4717/p2p/12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo"}}
	if err := b.Join(code); err != nil {
		t.Fatalf("Join = %v", err)
	}
	if got, ok := b.Network(); !ok || got.ID != n.ID {
		t.Errorf("Network after Join = %+v, %v; want %s", got, ok, n.ID)
	}
	if text, ok := b.Store().JoinCode(); !ok || text != code.String() {
		t.Errorf("kept join code = %q, %v; want %q", text, ok, code.String())
	}
	newer := code
	newer.Addrs = []string{"/ip4/192.0.2.2/tcp/4717/p2p/12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo"}
	if err := b.Join(newer); err != nil {
		t.Fatalf("Join(same network, newer addresses) = %v", err)
	}
	if text, _ := b.Store().JoinCode(); text != newer.String() {
		t.Errorf("kept join code after joining again = %q; want %q", text, newer.String())
	}
	other := join.Code{Network: "another-network", Name: "Fire"}
	err = b.Join(other)
	wantDeskError(t, "Join(another network)", err, CodeInvalid, "joinCode")
	// told by the incidents' names, the other's id in its short form
	if e, ok := err.(*Error); !ok || e.Args["reason"] != ReasonOtherNetwork || e.Args["name"] != "Fire" ||
		e.Args["network"] != "another-" || e.Args["mine"] != ShortID(n.ID) {
		t.Errorf("Join(another network) = %v; want reason %s naming Fire, network another-, mine %s (its name not known yet)", err, ReasonOtherNetwork, ShortID(n.ID))
	}
	if err := a.Join(other); err == nil || err.(*Error).Args["mine"] != "Flood" {
		t.Errorf("Join(another network) by the founder = %v; want mine Flood", err)
	}
	if text, _ := b.Store().JoinCode(); text != newer.String() {
		t.Errorf("a refused Join changed the kept code to %q", text)
	}
	wantDeskError(t, "Join(no network)", New(peopleStore(t)).Join(join.Code{}), CodeInvalid, "joinCode")
}

// TestLocale: the default is the first of Locales; a supported language is
// kept; another is CodeInvalid naming "locale" and keeps the previous one.
func TestLocale(t *testing.T) {
	dk := New(peopleStore(t))
	if got := dk.Locale(); got != Locales[0] {
		t.Errorf("Locale() on a new device = %q; want %q", got, Locales[0])
	}
	if err := dk.SetLocale("en"); err != nil {
		t.Fatal(err)
	}
	if got := dk.Locale(); got != "en" {
		t.Errorf("Locale() after SetLocale(en) = %q; want en", got)
	}
	wantDeskError(t, "SetLocale(fr)", dk.SetLocale("fr"), CodeInvalid, "locale")
	if got := dk.Locale(); got != "en" {
		t.Errorf("Locale() after a refused SetLocale = %q; want en", got)
	}
}

// TestParseJoinCode: a code reads back as written; a code with a character
// changed, one cut short and a text that is no code are CodeInvalid naming
// "joinCode", each with the reason the UI explains.
func TestParseJoinCode(t *testing.T) {
	n, err := New(peopleStore(t)).CreateNetwork("Flood", "甲")
	if err != nil {
		t.Fatal(err)
	}
	text := join.Code{Network: n.ID, Name: "Flood", Addrs: []string{"/ip4/192.0.2.1/tcp/4717/p2p/12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo"}}.String()
	if c, err := ParseJoinCode(" " + text + " "); err != nil || c.Network != n.ID || c.Name != "Flood" {
		t.Fatalf("ParseJoinCode(the code, spaced) = %+v, %v; want network %s, Flood", c, err, n.ID)
	}
	flip := map[bool]string{true: "B", false: "A"}[text[10] == 'A']
	for _, tc := range []struct{ name, text, reason string }{
		{"one character changed", text[:10] + flip + text[11:], ReasonChecksum},
		{"cut short", text[:len(join.Prefix)+9], ReasonTruncated},
		{"not a join code", "hello", ReasonPrefix},
	} {
		_, err := ParseJoinCode(tc.text)
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeInvalid || e.Field != "joinCode" || e.Args["reason"] != tc.reason {
			t.Errorf("ParseJoinCode(%s) = %v; want invalid joinCode, reason %q", tc.name, err, tc.reason)
		}
	}
}
