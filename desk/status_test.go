package desk

import (
	"reflect"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestStatusCountsWhatTheStoreHolds: Status agrees with a brute-force fold of
// every demand, the roster and the feeds.
func TestStatusCountsWhatTheStoreHolds(t *testing.T) {
	a, b := peopleNetwork(t)
	need := 1.0
	for _, title := range []string{"N95", "防护服", "消毒液"} {
		if _, err := a.Store().RecordDemand(relief.Demand{Title: title, Category: "protective_equipment",
			Items: []relief.Item{{Name: title, Needed: &need}}}); err != nil {
			t.Fatal(err)
		}
	}
	s := a.Status()
	ds, err := a.Store().FullDemands()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	for _, d := range ds {
		want[string(d.Status)]++
	}
	if s.Demands != len(ds) || !reflect.DeepEqual(s.DemandsByStatus, want) {
		t.Errorf("Status demands = %d %v; want %d %v", s.Demands, s.DemandsByStatus, len(ds), want)
	}
	if s.Network == nil || s.Network.Name != "Flood" || s.Role != "coordinator" || s.MemberName != "甲" || s.Members != 2 {
		t.Errorf("Status = %+v; want network Flood, coordinator 甲, 2 members", s)
	}
	if seq := s.VersionVector[s.Device]; seq != a.Store().VersionVector().Get(a.Store().Device()) || seq == 0 {
		t.Errorf("Status version vector = %v; want this device's head", s.VersionVector)
	}
	if bs := b.Status(); bs.Role != "volunteer" || bs.Demands != 0 || bs.Device == s.Device {
		t.Errorf("B's Status = %+v; want a volunteer with no demand yet", bs)
	}
	if s := New(peopleStore(t)).Status(); s.Network != nil || s.Role != "" || s.Demands != 0 || s.DemandsByStatus == nil {
		t.Errorf("Status without a network = %+v; want no network, no role, empty (not nil) counts", s)
	}
}

// TestSavedStatus: counts saved by SaveStatus are read by a store opened
// without its demand list, as long as nothing changed since, and refused
// afterwards.
func TestSavedStatus(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := New(st)
	if _, err := d.CreateNetwork("Flood", "甲"); err != nil {
		t.Fatal(err)
	}
	need := 1.0
	record := func(st *store.Store, title string) {
		t.Helper()
		if _, err := st.RecordDemand(relief.Demand{Title: title, Category: "food_water", Items: []relief.Item{{Name: "水", Needed: &need}}}); err != nil {
			t.Fatal(err)
		}
	}
	record(st, "送水")
	record(st, "送饭")
	if _, ok := d.SavedStatus(); ok {
		t.Fatal("SavedStatus before any SaveStatus = true")
	}
	full := d.Status()
	if err := d.SaveStatus(); err != nil {
		t.Fatal(err)
	}
	st.Close()

	light, err := store.Open(dir, store.Options{SkipDemandList: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(light.DemandCounts()); n != 0 {
		t.Errorf("a store opened with SkipDemandList counts %d statuses; want none (no list built)", n)
	}
	got, ok := New(light).SavedStatus()
	light.Close()
	if !ok || !reflect.DeepEqual(got, full) {
		t.Fatalf("SavedStatus = %+v, %v; want %+v", got, ok, full)
	}

	// one more change: the saved counts no longer hold
	st, err = store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	record(st, "送药")
	st.Close()
	light, err = store.Open(dir, store.Options{SkipDemandList: true})
	if err != nil {
		t.Fatal(err)
	}
	defer light.Close()
	if s, ok := New(light).SavedStatus(); ok {
		t.Errorf("SavedStatus after a new demand = %+v, true; want false (stale)", s)
	}
}

// TestStatusAcks: Status reports what each peer acknowledged of this
// device's changes, as the sync layer recorded it, and nothing for peers
// never synced with.
func TestStatusAcks(t *testing.T) {
	a, b := peopleNetwork(t)
	if st := a.Status(); len(st.Acks) != 0 {
		t.Fatalf("Status().Acks before any round = %v; want none", st.Acks)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := a.Store().SetPeerAck(b.Store().Device(), 7, at); err != nil {
		t.Fatal(err)
	}
	got := a.Status().Acks[b.Status().Device]
	if got.Seq != 7 || !got.At.Equal(at) {
		t.Errorf("Status().Acks[B] = %+v; want seq 7 at %v", got, at)
	}
}
