package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/store"
)

// memberRole returns the role of member id in dir's roster (`members --json`).
func memberRole(t *testing.T, dir, id string) string {
	t.Helper()
	out, err := run(t, "members", "--json", "--data-dir", dir)
	if err != nil {
		t.Fatalf("members --json = %v\n%s", err, out)
	}
	var ms []map[string]any
	if err := json.Unmarshal([]byte(out), &ms); err != nil {
		t.Fatalf("members --json: %v\n%s", err, out)
	}
	for _, m := range ms {
		for _, v := range m {
			if v == id {
				r, _ := m["role"].(string)
				return r
			}
		}
	}
	return ""
}

// TestEndorseExistingMemberWithAnotherRole: endorsing a volunteer again with
// --role coordinator promotes it (the caller is a coordinator) and says so;
// it never prints success while changing nothing.
func TestEndorseExistingMemberWithAnotherRole(t *testing.T) {
	dir := t.TempDir()
	if out, err := run(t, "init", "--name", "Flood", "--data-dir", dir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	other, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := other.Device().String()
	other.Close()
	if out, err := run(t, "endorse", id, "--role", "volunteer", "--name", "乙", "--data-dir", dir); err != nil {
		t.Fatalf("endorse = %v\n%s", err, out)
	}
	out, err := run(t, "endorse", id, "--role", "coordinator", "--data-dir", dir)
	if err != nil {
		t.Fatalf("endorse an existing volunteer as coordinator = %v\n%s", err, out)
	}
	if got := memberRole(t, dir, id); got != "coordinator" {
		t.Errorf("role after `endorse --role coordinator` printed %q = %q; want coordinator", out, got)
	}
	if !strings.Contains(out, "promoted") || strings.Contains(out, "endorsed") {
		t.Errorf("endorse printed %q; want it to say it promoted the existing member", out)
	}
	// Back to volunteer is said as a demotion (a tester saw "promoted").
	if out, err := run(t, "endorse", id, "--role", "volunteer", "--data-dir", dir); err != nil || !strings.Contains(out, "demoted from coordinator to volunteer") {
		t.Errorf("endorse --role volunteer of a coordinator printed %q, %v; want it to say demoted", out, err)
	}
	if out, err := run(t, "endorse", id, "--role", "coordinator", "--data-dir", dir); err != nil || !strings.Contains(out, "promoted") {
		t.Fatalf("endorse --role coordinator again printed %q, %v", out, err)
	}
	// The same role again changes nothing and says so.
	if out, err := run(t, "endorse", id, "--role", "coordinator", "--data-dir", dir); err == nil || !strings.Contains(err.Error(), "already") {
		t.Errorf("endorse with the role the member has = %v\n%s; want an error saying it already has it", err, out)
	}
}
