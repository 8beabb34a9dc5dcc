package desk

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestParseLevel: the one level parser of the app and the hub reads the
// three levels and "" as public, and refuses anything else as CodeInvalid
// naming "level".
func TestParseLevel(t *testing.T) {
	for in, want := range map[string]relief.Level{"": relief.LevelPublic, "public": relief.LevelPublic,
		"team": relief.LevelTeam, "restricted": relief.LevelRestricted} {
		if got, err := ParseLevel(in); err != nil || got != want {
			t.Errorf("ParseLevel(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"secret", "Public", " team"} {
		var e *Error
		if _, err := ParseLevel(in); !errors.As(err, &e) || e.Code != CodeInvalid || e.Field != "level" {
			t.Errorf("ParseLevel(%q) = %v; want CodeInvalid naming level", in, err)
		}
	}
}

// TestWriteBulletin: the bulletin is written at the level asked for (a
// coordinator sees addresses at team level, not at public); a volunteer is
// refused a restricted bulletin of demands it does not own (CodeNotAllowed), and a bad
// format, level or language is CodeInvalid naming it; nothing reaches the
// writer when it fails.
func TestWriteBulletin(t *testing.T) {
	dk := New(newStore(t))
	recordBulletinDemands(t, dk, 12, 6)
	b, err := dk.Bulletin(false)
	if err != nil || len(b.Demands) == 0 {
		t.Fatalf("Bulletin = %d demands, %v; want some", len(b.Demands), err)
	}
	address := b.Demands[0].Address
	if address == "" {
		t.Fatalf("demand %s has no address; the test needs one", b.Demands[0].Code)
	}
	for _, tc := range []struct {
		level    string
		holdsAdr bool
	}{{"", false}, {"public", false}, {"team", true}} {
		var buf bytes.Buffer
		got, err := dk.WriteBulletin(&buf, BulletinRequest{Format: "csv", Level: tc.level})
		if err != nil {
			t.Fatalf("WriteBulletin(csv, %q) = %v", tc.level, err)
		}
		if len(got.Demands) != len(b.Demands) || strings.Contains(buf.String(), address) != tc.holdsAdr {
			t.Errorf("WriteBulletin(csv, %q) = %d demands, holds the address %v; want %d, %v",
				tc.level, len(got.Demands), !tc.holdsAdr, len(b.Demands), tc.holdsAdr)
		}
	}

	coord, volunteer := peopleNetwork(t)
	recordBulletinDemands(t, coord, 12, 6)
	peopleSync(t, coord.Store(), volunteer.Store())
	for _, tc := range []struct {
		dk          *Desk
		req         BulletinRequest
		code, field string
	}{
		{volunteer, BulletinRequest{Format: "csv", Level: "restricted"}, CodeNotAllowed, "level"},
		{dk, BulletinRequest{Format: "pdf"}, CodeInvalid, "format"},
		{dk, BulletinRequest{Format: "csv", Level: "secret"}, CodeInvalid, "level"},
		{dk, BulletinRequest{Format: "text", Lang: "fr"}, CodeInvalid, "lang"},
	} {
		var buf bytes.Buffer
		_, err := tc.dk.WriteBulletin(&buf, tc.req)
		var e *Error
		if !errors.As(err, &e) || e.Code != tc.code || e.Field != tc.field || buf.Len() != 0 {
			t.Errorf("WriteBulletin(%+v) = %v, %d bytes written; want %s naming %s, nothing written", tc.req, err, buf.Len(), tc.code, tc.field)
		}
	}
	// the refusal says who may export that level (a tester saw only the
	// first demand the volunteer could not see named)
	_, err = volunteer.WriteBulletin(&bytes.Buffer{}, BulletinRequest{Format: "csv", Level: "restricted"})
	if err == nil || !strings.Contains(err.Error(), "coordinators and reviewers") {
		t.Errorf("a volunteer's restricted bulletin = %v; want it to say who may export one", err)
	}
}
