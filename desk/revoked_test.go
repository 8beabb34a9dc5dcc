package desk

import (
	"errors"
	"testing"
	"time"
)

// TestRevokedSaysSo (scenario 6): once the revocation reaches the revoked
// member's device, its status says revoked, by whom and when, and its
// commands are refused with CodeRevoked naming the coordinator, not as a
// role refusal.
func TestRevokedSaysSo(t *testing.T) {
	a, b := peopleNetwork(t)
	in := DemandInput{Title: "协和医院急需 N95", Category: "protective_equipment", District: "江汉区",
		Items: []ItemInput{{Name: "N95口罩", Quantity: "100", Unit: "只"}}}
	if _, err := b.RecordDemand(in); err != nil {
		t.Fatalf("RecordDemand before the revocation = %v", err)
	}
	peopleSync(t, b.Store(), a.Store())
	if err := a.Revoke(b.Status().Device, "lost laptop"); err != nil {
		t.Fatalf("Revoke = %v", err)
	}
	peopleSync(t, a.Store(), b.Store())

	st := b.Status()
	if !st.Revoked || st.RevokedBy != "甲" || st.RevokedByID != a.Status().Device || st.RevokedAt == "" {
		t.Errorf("Status = revoked %v by %q (%s) at %q; want revoked by 甲 (%s)", st.Revoked, st.RevokedBy, st.RevokedByID, st.RevokedAt, a.Status().Device)
	}
	if _, err := time.Parse(time.RFC3339, st.RevokedAt); err != nil {
		t.Errorf("RevokedAt %q: %v", st.RevokedAt, err)
	}
	_, err := b.RecordDemand(in)
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeRevoked || e.Args["by"] != "甲" || e.Args["at"] != st.RevokedAt {
		t.Fatalf("RecordDemand after the revocation = %v; want %s by 甲 at %s", err, CodeRevoked, st.RevokedAt)
	}
	if st := a.Status(); st.Revoked || st.RevokedBy != "" {
		t.Errorf("coordinator's Status = revoked %v by %q; want not revoked", st.Revoked, st.RevokedBy)
	}
}
