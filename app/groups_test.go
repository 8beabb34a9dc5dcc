package app

import (
	"testing"
)

// TestGroupsBound: the bound group methods answer without null lists, say
// who leads and who follows, and refuse a volunteer's group.
func TestGroupsBound(t *testing.T) {
	a, b, bID := coordinatorAndVolunteer(t)
	if gs, err := a.Network.Groups(); err != nil || gs == nil || len(gs) != 0 {
		t.Fatalf("Groups with none = %#v, %v; want an empty list", gs, err)
	}
	if _, err := b.Network.CreateGroup(GroupInput{Name: "乙的组", Function: "other"}); !isCode(err, CodeNotAllowed) {
		t.Fatalf("CreateGroup by a volunteer = %v; want %s", err, CodeNotAllowed)
	}
	gs, err := a.Network.CreateGroup(GroupInput{Name: "心理援助组", Function: "psychological", Lead: bID, Categories: []string{"other"}})
	if err != nil || len(gs) != 1 || gs[0].Lead.ID != bID || gs[0].Lead.Name == "" || gs[0].Mine || gs[0].Following {
		t.Fatalf("CreateGroup = %+v, %v; want the group led by B (named), not A's", gs, err)
	}
	gs, err = a.Network.FollowGroup(gs[0].ID, true)
	if err != nil || !gs[0].Following || !gs[0].Mine || len(gs[0].Followers) != 1 {
		t.Fatalf("FollowGroup = %+v, %v; want A following", gs, err)
	}
	inbox, err := a.Network.GroupInbox(gs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	checkNoNulls(t, map[string]any{"Groups": gs, "GroupInbox": inbox})
	if _, err := a.Network.GroupInbox("nope"); !isCode(err, CodeNotFound) {
		t.Errorf("GroupInbox(unknown) = %v; want %s", err, CodeNotFound)
	}
}
