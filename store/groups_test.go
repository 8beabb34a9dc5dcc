package store

import (
	"reflect"
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestGroupsRouteAlikeOnEveryPeer: three stores on disk (a coordinator, a
// reviewer, a volunteer) write groups, follows and demands, and a refused
// rename, each on its own; once they have exchanged their changes (each
// receiving them in its own order) every store folds the same groups and
// routes every demand and task skill to the same groups.
func TestGroupsRouteAlikeOnEveryPeer(t *testing.T) {
	clk := newClock()
	var stores [3]*Store
	for i := range stores {
		stores[i] = openStore(t, t.TempDir(), clk)
	}
	coord, rev, vol := stores[0], stores[1], stores[2]
	n, err := coord.CreateNetwork("net", "coordinator")
	if err != nil {
		t.Fatal(err)
	}
	if err := coord.Endorse(rev.Device(), relief.RoleReviewer, "reviewer"); err != nil {
		t.Fatal(err)
	}
	if err := coord.Endorse(vol.Device(), relief.RoleVolunteer, "volunteer"); err != nil {
		t.Fatal(err)
	}
	for _, s := range stores[1:] {
		if err := s.JoinNetwork(n.ID); err != nil {
			t.Fatal(err)
		}
	}
	exchange := func() {
		t.Helper()
		for range 2 {
			for _, from := range stores {
				for _, to := range stores {
					if from == to {
						continue
					}
					var out []*ledger.Change
					from.ChangesSince(to.VersionVector(), func(c *ledger.Change) error { out = append(out, c); return nil })
					if _, err := to.ApplyRemote(out); err != nil {
						t.Fatalf("ApplyRemote = %v", err)
					}
				}
			}
		}
	}
	exchange()
	local := func(s *Store, ops ...ledger.Op) {
		t.Helper()
		if _, err := s.ApplyLocal(ops); err != nil {
			t.Fatalf("ApplyLocal = %v", err)
		}
	}
	med, err := relief.NewGroup("g-med", relief.GroupInput{Name: "医疗组", Function: relief.GroupMedical, Lead: vol.Device(),
		Members: []ledger.DeviceID{vol.Device()}, Categories: []string{"medical_supplies"}, Skills: []string{"医生"}})
	if err != nil {
		t.Fatal(err)
	}
	logi, err := relief.NewGroup("g-log", relief.GroupInput{Name: "物流组", Function: relief.GroupLogistics, Categories: []string{"transport", "medical_supplies"}})
	if err != nil {
		t.Fatal(err)
	}
	local(coord, med...)
	local(coord, logi...)
	// meanwhile, before they hear of it: demands of both categories, a follow, a refused rename
	if _, err := rev.RecordDemand(sampleDemand("口罩")); err != nil {
		t.Fatal(err)
	}
	exchange()
	follow, err := relief.FollowGroup("g-med", true)
	if err != nil {
		t.Fatal(err)
	}
	local(rev, follow)
	rename, err := relief.SetFields(relief.KindGroup, "g-log", map[string]any{relief.FieldName: "改名"})
	if err != nil {
		t.Fatal(err)
	}
	local(vol, rename)
	drop, err := relief.Add(relief.KindGroup, "g-log", relief.SetCategories, "food_water")
	if err != nil {
		t.Fatal(err)
	}
	local(coord, drop)
	exchange()

	want, err := coord.Groups()
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 2 || want[0].ID != "g-log" || want[0].Name != "物流组" || want[1].ID != "g-med" ||
		!slices.Equal(want[1].Followers, []ledger.DeviceID{rev.Device()}) || !slices.Contains(want[0].Categories, "food_water") {
		t.Fatalf("coordinator's Groups = %+v; want logistics (not renamed, with food_water) then medical followed by the reviewer", want)
	}
	for i, s := range stores {
		got, err := s.Groups()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("store %d: Groups = %+v; want %+v", i, got, want)
		}
		ds, err := s.Demands(DemandQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if r := relief.RouteDemand(got, d.Category); !slices.Equal(r, relief.RouteDemand(want, d.Category)) {
				t.Errorf("store %d: demand %s (%s) routed to %v; want %v", i, d.ID, d.Category, r, relief.RouteDemand(want, d.Category))
			}
		}
		if r := relief.RouteDemand(got, "medical_supplies"); !slices.Equal(r, []string{"g-log", "g-med"}) {
			t.Errorf("store %d: medical_supplies routed to %v; want both groups, logistics first", i, r)
		}
		if r := relief.RouteTask(got, "医生"); !slices.Equal(r, []string{"g-med"}) {
			t.Errorf("store %d: skill 医生 routed to %v; want the medical group", i, r)
		}
	}
}
