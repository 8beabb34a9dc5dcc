package desk

import (
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/relief"
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

// TestAdoptUndone (scenario 6): a demand the volunteer recorded before the
// revocation, but after the last change the coordinator had seen, is
// refused on arrival; the coordinator sees it listed and adopts it: it is
// recorded under the coordinator's signature with a reference to the
// original, and leaves the coordinator's inbox.
func TestAdoptUndone(t *testing.T) {
	a, b := peopleNetwork(t)
	seen := a.Store().VersionVector().Get(b.Store().Device())
	d, err := b.RecordDemand(DemandInput{Title: "协和医院急需 N95", Category: "protective_equipment", District: "江汉区",
		Items: []ItemInput{{Name: "N95口罩", Quantity: "100", Unit: "只"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Revoke(b.Status().Device, "lost laptop"); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, b.Store(), a.Store())
	if _, err := a.Store().Demand(d.ID); err == nil {
		t.Fatalf("the volunteer's demand past the cut was applied")
	}
	undone, err := a.UndoneChanges(b.Status().Device)
	if err != nil || len(undone) != 1 || undone[0].Seq != seen+1 || undone[0].Handled || len(undone[0].Ops) == 0 {
		t.Fatalf("UndoneChanges = %+v, %v; want the one change %d, not handled", undone, err, seen+1)
	}
	// what the screen words: the demand's creation, by its code and fields
	steps := undone[0].Steps
	if len(steps) != len(undone[0].Ops) || steps[0].Kind != relief.KindDemand || steps[0].Code == "" || steps[0].Code == d.ID ||
		!slices.Contains(steps[0].Fields, relief.FieldTitle) {
		t.Errorf("Steps = %+v; want one per op, the demand by its code, its title among the fields", steps)
	}
	if _, err := b.UndoneChanges(b.Status().Device); err == nil {
		t.Errorf("a revoked volunteer's UndoneChanges = nil error; want a refusal")
	}
	if err := a.AdoptUndone(b.Status().Device, seen+1); err != nil {
		t.Fatalf("AdoptUndone = %v", err)
	}
	got, err := a.Store().Demand(d.ID)
	ref := TagAdoptedFrom + b.Status().Device + "/" + strconv.FormatUint(seen+1, 10)
	if err != nil || got.Title != d.Title || !slices.Contains(got.Tags, ref) {
		t.Fatalf("adopted demand = %+v, %v; want %q tagged %s", got, err, d.Title, ref)
	}
	if got.CreatedBy != a.Store().Device() {
		t.Errorf("adopted demand created by %s; want the coordinator", got.CreatedBy.Short())
	}
	in, _ := a.Store().Inbox(time.Now())
	for _, p := range in {
		if p.What == "undone" {
			t.Errorf("coordinator's inbox still lists %+v after adopting", p)
		}
	}
	if undone, _ := a.UndoneChanges(b.Status().Device); len(undone) != 1 || !undone[0].Handled {
		t.Errorf("UndoneChanges after adopting = %+v; want it handled", undone)
	}
}
