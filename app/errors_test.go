package app

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// reasonOf returns the code and the args of err, an *Error.
func reasonOf(t *testing.T, err error) (string, map[string]string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *Error", err)
	}
	return e.Code, e.Args
}

// TestErrorsSayWhy: errors the UI shows carry what it needs to say more
// than "invalid": the limit of a field too long, why a join code is refused,
// that no one was chosen, that no demand has a code.
func TestErrorsSayWhy(t *testing.T) {
	a := newApp(t, t.TempDir())
	if _, err := a.Network.Create("Flood", "甲"); err != nil {
		t.Fatal(err)
	}
	_, err := a.Demands.Record(DemandInput{Title: strings.Repeat("需", MaxTitleLen+1), Category: "protective_equipment",
		Items: []ItemInput{item("N95口罩", "5000", "只")}})
	if code, args := reasonOf(t, err); code != CodeTooLong || args["reason"] != ReasonMax || args["max"] != strconv.Itoa(MaxTitleLen) {
		t.Errorf("Record(long title) = %v; want too_long with max %d", err, MaxTitleLen)
	}
	if _, err := a.Network.Create(strings.Repeat("灾", MaxNameLen+1), "甲"); err == nil {
		t.Error("Create(long name) = nil")
	} else if code, args := reasonOf(t, err); code != CodeTooLong || args["max"] != strconv.Itoa(MaxNameLen) {
		t.Errorf("Create(long name) = %v; want too_long with max %d", err, MaxNameLen)
	}

	code, err := a.Network.JoinCode()
	if err != nil {
		t.Fatal(err)
	}
	b := newApp(t, t.TempDir())
	for _, tc := range []struct{ name, code, reason string }{
		{"last character missing", code.Code[:len(code.Code)-1], ""}, // truncated or checksum, depending on the length
		{"one character changed", code.Code[:10] + map[bool]string{true: "B", false: "A"}[code.Code[10] == 'A'] + code.Code[11:], ReasonChecksum},
		{"not a join code", "hello", ReasonPrefix},
	} {
		_, err := b.Network.Join(tc.code)
		c, args := reasonOf(t, err)
		want := tc.reason
		if want == "" && (args["reason"] == ReasonTruncated || args["reason"] == ReasonChecksum) {
			want = args["reason"]
		}
		if c != CodeInvalid || args["reason"] != want || want == "" {
			t.Errorf("Join(%s) = %v; want invalid, reason %q", tc.name, err, tc.reason)
		}
	}

	d, err := a.Demands.Record(DemandInput{Title: "协和医院", Category: "protective_equipment", Items: []ItemInput{item("N95口罩", "5000", "只")}})
	if err != nil {
		t.Fatal(err)
	}
	other, err := a.Demands.Record(DemandInput{Title: "协和医院 N95", Category: "protective_equipment", Items: []ItemInput{item("N95口罩", "5000", "只")}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.Demands.Act(ActInput{ID: other.ID, Action: string(relief.ActionMarkDuplicate), DuplicateOf: "D-ZZZZZZ"})
	if c, args := reasonOf(t, err); c != CodeInvalid || args["reason"] != ReasonNoDemand || args["value"] != "D-ZZZZZZ" {
		t.Errorf("mark duplicate of D-ZZZZZZ = %v; want invalid, reason no_demand naming D-ZZZZZZ", err)
	}
	if det, err := a.Demands.Act(ActInput{ID: other.ID, Action: string(relief.ActionMarkDuplicate), DuplicateOf: strings.ToLower(d.Code)}); err != nil {
		t.Errorf("mark duplicate of %s (its code) = %v", d.Code, err)
	} else if det.Status != string(relief.StatusDuplicate) {
		t.Errorf("mark duplicate of %s: status %s; want duplicate", d.Code, det.Status)
	}

	for _, act := range []string{"approve", "publish", "claim"} {
		if _, err := a.Demands.Act(called(ActInput{ID: d.ID, Action: act})); err != nil {
			t.Fatalf("%s = %v", act, err)
		}
	}
	_, err = a.Demands.Act(ActInput{ID: d.ID, Action: string(relief.ActionHandover)})
	if c, args := reasonOf(t, err); c != CodeInvalid || args["reason"] != ReasonChoose {
		t.Errorf("handover to no one = %v; want invalid, reason choose", err)
	}
}
