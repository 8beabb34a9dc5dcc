package desk

import (
	"fmt"
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// bulletinDemandOps returns the ops recording demand i (a new id) and moving
// it along the pipeline to the status stages[i%len(stages)] names: 0
// collected, 1 approved, 2 published, 3 in progress (claimed and progress
// recorded), 4 rejected.
func bulletinDemandOps(tb testing.TB, i int) []ledger.Op {
	tb.Helper()
	id := store.NewID()
	need := float64(100 + i%900)
	set, err := relief.SetFields(relief.KindDemand, id, map[string]any{
		relief.FieldTitle:        fmt.Sprintf("武汉市第%d医院急需医用防护物资", i%97+1),
		relief.FieldCategory:     "protective_equipment",
		relief.FieldDistrict:     []string{"江岸区", "江汉区", "硚口区", "洪山区"}[i%4],
		relief.FieldAddress:      fmt.Sprintf("武汉市解放大道%d号", 100+i%900),
		relief.FieldRequesterOrg: fmt.Sprintf("武汉市第%d医院", i%97+1),
		relief.FieldItems:        []relief.Item{{Name: "N95口罩", Unit: "只", Needed: &need}, {Name: "防护服", Unit: "套"}},
		relief.FieldContacts:     []relief.Contact{{Name: "王医生", Phone: fmt.Sprintf("+86138%08d", i)}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	ops := []ledger.Op{set}
	step := func(a relief.Action, args relief.Args) {
		op, err := relief.Transition(relief.KindDemand, id, a, args)
		if err != nil {
			tb.Fatal(err)
		}
		ops = append(ops, op)
	}
	switch []int{0, 1, 2, 2, 3, 4}[i%6] {
	case 1:
		step(relief.ActionApprove, relief.Args{Note: "call-back"})
	case 2:
		step(relief.ActionApprove, relief.Args{Note: "call-back"})
		step(relief.ActionPublish, relief.Args{})
	case 3:
		step(relief.ActionApprove, relief.Args{Note: "call-back"})
		step(relief.ActionPublish, relief.Args{})
		step(relief.ActionClaim, relief.Args{})
		step(relief.ActionProgress, relief.Args{Received: []relief.Receipt{{Item: "N95口罩", Qty: 10}}})
	case 4:
		step(relief.ActionReject, relief.Args{Note: "not a real need"})
	}
	return ops
}

// recordBulletinDemands records n demands (see bulletinDemandOps) through
// the desk, batch demands per change.
func recordBulletinDemands(tb testing.TB, dk *Desk, n, batch int) {
	tb.Helper()
	for i := 0; i < n; i += batch {
		var ops []ledger.Op
		for j := i; j < min(n, i+batch); j++ {
			ops = append(ops, bulletinDemandOps(tb, j)...)
		}
		if _, err := dk.apply(ops); err != nil {
			tb.Fatalf("record demands %d–%d: %v", i, i+batch, err)
		}
	}
}

// TestBulletin: the bulletin holds the published and in-progress demands, in
// the demand list's order, and counts the collected and approved ones as
// unpublished; with includeUnpublished it holds every demand. Checked
// against a brute-force filter of the whole list.
func TestBulletin(t *testing.T) {
	st := newStore(t)
	dk := New(st)
	recordBulletinDemands(t, dk, 60, 7)
	all, err := st.Demands(store.DemandQuery{})
	if err != nil || len(all) != 60 {
		t.Fatalf("Demands = %d, %v; want 60", len(all), err)
	}
	var want []string
	unpublished := 0
	for _, d := range all {
		switch d.Status {
		case relief.StatusPublished, relief.StatusInProgress:
			want = append(want, d.ID)
		case relief.StatusCollected, relief.StatusApproved:
			unpublished++
		}
	}
	b, err := dk.Bulletin(false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	statuses := map[relief.Status]int{}
	for _, d := range b.Demands {
		got = append(got, d.ID)
		statuses[d.Status]++
	}
	if !slices.Equal(got, want) || b.Unpublished != unpublished {
		t.Errorf("Bulletin(false) = %d demands %v, %d unpublished; want %d demands %v, %d unpublished", len(got), got, b.Unpublished, len(want), want, unpublished)
	}
	if statuses[relief.StatusPublished] == 0 || statuses[relief.StatusInProgress] == 0 || len(statuses) != 2 {
		t.Errorf("Bulletin(false) statuses %v; want published and in progress, both", statuses)
	}
	if me, _ := st.Me(); b.Viewer != me {
		t.Errorf("Bulletin viewer = %+v; want this device's member %+v", b.Viewer, me)
	}
	if c := dk.BulletinCount(); c.Demands != len(want) || c.Unpublished != unpublished {
		t.Errorf("BulletinCount = %+v; want %d demands, %d unpublished", c, len(want), unpublished)
	}
	everything, err := dk.Bulletin(true)
	if err != nil {
		t.Fatal(err)
	}
	if len(everything.Demands) != len(all) || everything.Unpublished != 0 {
		t.Errorf("Bulletin(true) = %d demands, %d unpublished; want all %d, 0", len(everything.Demands), everything.Unpublished, len(all))
	}
	for i := range all {
		if i < len(everything.Demands) && everything.Demands[i].ID != all[i].ID {
			t.Fatalf("Bulletin(true)[%d] = %s; want %s (the demand list's order)", i, everything.Demands[i].ID, all[i].ID)
		}
	}
}

// TestMergeNewestFirst: two lists in the demand list's order merge into one
// in that order, ties at the same stamp by id.
func TestMergeNewestFirst(t *testing.T) {
	at := func(wall int64, id string) relief.Demand {
		return relief.Demand{ID: id, CreatedAt: ledger.Stamp{Wall: wall}}
	}
	a := []relief.Demand{at(9, "a"), at(5, "c"), at(5, "d"), at(1, "z")}
	b := []relief.Demand{at(7, "b"), at(5, "b"), at(5, "e"), at(0, "y")}
	var got []string
	for _, d := range mergeNewestFirst(a, b, len(a)+len(b)) {
		got = append(got, d.ID)
	}
	want := []string{"a", "b", "b", "c", "d", "e", "z", "y"}
	if !slices.Equal(got, want) {
		t.Errorf("mergeNewestFirst = %v; want %v", got, want)
	}
}

// TestBulletinLevels: this network's coordinator may ask for every level, a
// device that is not a member for the public bulletin only.
func TestBulletinLevels(t *testing.T) {
	all := []relief.Level{relief.LevelPublic, relief.LevelTeam, relief.LevelRestricted}
	if got := New(newStore(t)).BulletinLevels(); !slices.Equal(got, all) {
		t.Errorf("BulletinLevels(coordinator) = %v; want %v", got, all)
	}
	st, err := store.Open(t.TempDir(), store.Options{ValueLogGCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got := New(st).BulletinLevels(); !slices.Equal(got, []relief.Level{relief.LevelPublic}) {
		t.Errorf("BulletinLevels(no network) = %v; want public only", got)
	}
}
