package desk

import (
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestGroupsThroughTheDesk: a coordinator creates a working group (a
// volunteer may not; bad input refused up front), its inbox view holds the
// entries of the demands routed to it only, and a volunteer follows it
// (once: following again writes nothing).
func TestGroupsThroughTheDesk(t *testing.T) {
	a, b := peopleNetwork(t)
	bID := b.Status().Device
	_, err := b.CreateGroup(GroupInput{Name: "我的组", Function: relief.GroupOther})
	wantDeskError(t, "CreateGroup by a volunteer", err, CodeNotAllowed, "action")
	_, err = a.CreateGroup(GroupInput{Name: " ", Function: relief.GroupMedical})
	wantDeskError(t, "CreateGroup(no name)", err, CodeRequired, "name")
	_, err = a.CreateGroup(GroupInput{Name: "组", Function: "cooking"})
	wantDeskError(t, "CreateGroup(unknown function)", err, CodeInvalid, "function")
	_, err = a.CreateGroup(GroupInput{Name: "组", Function: relief.GroupMedical, Members: []string{"not-a-member"}})
	wantDeskError(t, "CreateGroup(bad member)", err, CodeInvalid, "members")
	if gs, err := a.Groups(); err != nil || len(gs) != 0 {
		t.Fatalf("Groups after refusals = %+v, %v; want none", gs, err)
	}

	gs, err := a.CreateGroup(GroupInput{Name: " 防护物资组 ", Function: relief.GroupLogistics, Lead: bID, Members: []string{bID},
		Categories: []string{"protective_equipment", " ", "protective_equipment"}, Skills: []string{"司机"}})
	if err != nil || len(gs) != 1 || gs[0].Name != "防护物资组" || gs[0].Lead.String() != bID || !slices.Equal(gs[0].Categories, []string{"protective_equipment"}) {
		t.Fatalf("CreateGroup = %+v, %v; want the group, trimmed, its lead, one category", gs, err)
	}
	id := gs[0].ID

	masks := recordOne(t, a, "协和医院 N95") // protective_equipment
	water, err := a.RecordDemand(DemandInput{Title: "村里缺水", Category: "food_water", Items: []ItemInput{item("矿泉水", "10", "箱")}})
	if err != nil {
		t.Fatal(err)
	}
	all, err := a.Inbox()
	if err != nil || !slices.ContainsFunc(all, func(p Pending) bool { return p.DemandID == water.ID }) {
		t.Fatalf("A's inbox = %+v, %v; want the water demand to review too", all, err)
	}
	inbox, err := a.GroupInbox(id)
	if err != nil || len(inbox) == 0 || slices.ContainsFunc(inbox, func(p Pending) bool { return p.DemandID != masks.ID }) {
		t.Fatalf("GroupInbox = %+v, %v; want the masks demand's entries only", inbox, err)
	}
	_, err = a.GroupInbox("nope")
	wantDeskError(t, "GroupInbox(unknown)", err, CodeNotFound, "group")

	peopleSync(t, a.Store(), b.Store())
	gs, err = b.FollowGroup(id, true)
	if err != nil || !slices.Contains(gs[0].Followers, b.Store().Device()) {
		t.Fatalf("FollowGroup = %+v, %v; want B following", gs, err)
	}
	seq := b.Store().VersionVector().Get(b.Store().Device())
	if _, err := b.FollowGroup(id, true); err != nil || b.Store().VersionVector().Get(b.Store().Device()) != seq {
		t.Fatalf("FollowGroup again = %v, own seq %d → %d; want nothing written", err, seq, b.Store().VersionVector().Get(b.Store().Device()))
	}
	_, err = b.FollowGroup("nope", true)
	wantDeskError(t, "FollowGroup(unknown)", err, CodeNotFound, "group")
	peopleSync(t, b.Store(), a.Store())
	if gs, err := a.Groups(); err != nil || !slices.Contains(gs[0].Followers, b.Store().Device()) {
		t.Fatalf("A's Groups after sync = %+v, %v; want B following", gs, err)
	}
	if gs, err := b.FollowGroup(id, false); err != nil || len(gs[0].Followers) != 0 {
		t.Fatalf("FollowGroup(off) = %+v, %v; want no follower", gs, err)
	}
}

// TestGroupBoard: a working group's board is the demand list of the demands
// routed to it (by category), with every other filter still applying; a
// group routing no category shows nothing, an unknown group is an error.
func TestGroupBoard(t *testing.T) {
	a, _ := peopleNetwork(t)
	gs, err := a.CreateGroup(GroupInput{Name: "防护物资组", Function: relief.GroupLogistics, Categories: []string{"protective_equipment"}})
	if err != nil {
		t.Fatal(err)
	}
	empty, err := a.CreateGroup(GroupInput{Name: "法律组", Function: relief.GroupLegal})
	if err != nil {
		t.Fatal(err)
	}
	var emptyID string
	for _, g := range empty {
		if g.Name == "法律组" {
			emptyID = g.ID
		}
	}
	masks := recordOne(t, a, "协和医院 N95") // protective_equipment
	if _, err := a.RecordDemand(DemandInput{Title: "村里缺水", Category: "food_water", Items: []ItemInput{item("矿泉水", "10", "箱")}}); err != nil {
		t.Fatal(err)
	}
	page, total, err := a.Demands(DemandQuery{Group: gs[0].ID})
	if err != nil || total != 1 || len(page) != 1 || page[0].ID != masks.ID {
		t.Fatalf("Demands(group) = %d %+v, %v; want the masks demand only", total, page, err)
	}
	if _, total, err := a.Demands(DemandQuery{Group: gs[0].ID, Text: "缺水"}); err != nil || total != 0 {
		t.Errorf("Demands(group, text of the other demand) = %d, %v; want none", total, err)
	}
	if _, total, err := a.Demands(DemandQuery{Group: emptyID}); err != nil || total != 0 {
		t.Errorf("Demands(group routing no category) = %d, %v; want none", total, err)
	}
	_, _, err = a.Demands(DemandQuery{Group: "nope"})
	wantDeskError(t, "Demands(unknown group)", err, CodeNotFound, "group")
}
