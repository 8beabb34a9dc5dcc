package desk

import (
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// syncStores gives to every change of from it lacks.
func syncStores(t *testing.T, from, to *store.Store) {
	t.Helper()
	var cs []*ledger.Change
	from.ChangesSince(to.VersionVector(), func(c *ledger.Change) error { cs = append(cs, c); return nil })
	if res, err := to.ApplyRemote(cs); err != nil || len(res.Rejected) != 0 {
		t.Fatalf("ApplyRemote(%d changes) = %+v, %v", len(cs), res, err)
	}
}

// TestMapPointsShowWhatProjectShows: each viewer — the coordinator, a
// volunteer, the volunteer who owns a demand, a device not endorsed — gets
// the exact position and the address on the map exactly when relief.Project
// shows them to it.
func TestMapPointsShowWhatProjectShows(t *testing.T) {
	coord := newDesk(t, store.Options{})
	net, _ := coord.Store().Network()
	others := map[string]*Desk{}
	for _, name := range []string{"volunteer", "stranger"} {
		st, err := store.Open(t.TempDir(), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if err := st.JoinNetwork(net.ID); err != nil {
			t.Fatal(err)
		}
		others[name] = New(st)
	}
	vol := others["volunteer"]
	op, err := relief.Endorse(vol.Store().Device(), relief.RoleVolunteer, "乙")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := coord.apply([]ledger.Op{op}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i, title := range []string{"有位置的需求", "无位置的需求", "乙认领的需求"} {
		d := recordOne(t, coord, title)
		ids = append(ids, d.ID)
		if i != 1 {
			pos, err := relief.SetFields(relief.KindDemand, d.ID, map[string]any{relief.FieldPosition: relief.Position{Lat: 30.58, Lon: 114.27},
				relief.FieldAddress: "武汉市江汉区解放大道1277号"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := coord.apply([]ledger.Op{pos}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, a := range []string{"approve", "publish"} {
		if _, err := coord.Act(called(ActInput{ID: ids[2], Action: a})); err != nil {
			t.Fatal(err)
		}
	}
	syncStores(t, coord.Store(), vol.Store())
	if _, err := vol.Act(ActInput{ID: ids[2], Action: "claim"}); err != nil {
		t.Fatalf("volunteer's claim = %v", err)
	}
	for _, dk := range []*Desk{coord, vol, others["stranger"]} {
		syncStores(t, vol.Store(), dk.Store())
		syncStores(t, coord.Store(), dk.Store())
	}
	sawPosition, sawAddressOnly := 0, 0
	for name, dk := range map[string]*Desk{"coordinator": coord, "volunteer": vol, "stranger": others["stranger"]} {
		me, _ := dk.Store().Me()
		ps, err := dk.MapPoints()
		if err != nil || len(ps) != 3 {
			t.Fatalf("%s: MapPoints = %d points, %v; want 3", name, len(ps), err)
		}
		for _, p := range ps {
			d, err := dk.Store().Demand(p.ID)
			if err != nil {
				t.Fatal(err)
			}
			v, _ := relief.Project(d, me)
			want := MapPoint{Kind: relief.KindDemand, ID: d.ID, Code: d.Code, Title: d.Title, Status: string(d.Status), Place: d.District}
			if v.Position != nil {
				want.Position = v.Position
				sawPosition++
			} else if v.Address != "" {
				want.Place += " " + v.Address
				sawAddressOnly++
			}
			if p.Place != want.Place || (p.Position == nil) != (want.Position == nil) || (p.Position != nil && *p.Position != *want.Position) {
				t.Errorf("%s: MapPoints has %s at %q %v; want %q %v (relief.Project)", name, d.Title, p.Place, p.Position, want.Place, want.Position)
			}
		}
	}
	if sawPosition == 0 || sawAddressOnly == 0 {
		t.Errorf("positions seen %d, addresses only %d; the viewers should cover both", sawPosition, sawAddressOnly)
	}
}
