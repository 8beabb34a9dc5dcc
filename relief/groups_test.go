package relief

import (
	"reflect"
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// groupChange is one change of the groups scenario: its author, its wall
// time and its ops.
type groupChange struct {
	by   ledger.DeviceID
	wall int64
	ops  []ledger.Op
}

// groupScenario: a coordinator creates the medical group (lead vol, members
// vol and vol2, a category and a skill) and the logistics group; a second
// coordinator adds a category; a volunteer tries to rename the medical
// group and to add a category (refused by FieldRules); a volunteer creates
// a group of its own (not counted); vol3 follows the medical group, vol2
// follows then stops.
func groupScenario(t *testing.T) []groupChange {
	t.Helper()
	med, err := NewGroup("g-med", GroupInput{Name: "医疗组", Function: GroupMedical, Lead: vol,
		Members: []ledger.DeviceID{vol2, vol}, Categories: []string{"medical_supplies"}, Skills: []string{"医生"}})
	if err != nil {
		t.Fatal(err)
	}
	log, err := NewGroup("g-log", GroupInput{Name: "物流组", Function: GroupLogistics, Categories: []string{"transport"}, Skills: []string{"司机"}})
	if err != nil {
		t.Fatal(err)
	}
	mine, err := NewGroup("g-vol", GroupInput{Name: "我的组", Function: GroupOther, Categories: []string{"medical_supplies"}})
	if err != nil {
		t.Fatal(err)
	}
	return []groupChange{
		{coord, 10, med},
		{coord, 11, log},
		{coord2, 12, []ledger.Op{must(Add(KindGroup, "g-med", SetCategories, "protective_equipment"))}},
		{vol, 13, []ledger.Op{must(SetFields(KindGroup, "g-med", map[string]any{FieldName: "hijacked"})),
			must(Add(KindGroup, "g-med", SetCategories, "food_water"))}},
		{vol2, 14, mine},
		{vol3, 15, []ledger.Op{must(FollowGroup("g-med", true))}},
		{vol2, 16, []ledger.Op{must(FollowGroup("g-med", true))}},
		{vol2, 17, []ledger.Op{must(FollowGroup("g-med", false))}},
		{nobody, 18, []ledger.Op{must(FollowGroup("g-log", true))}},
	}
}

// foldScenario applies changes in the order given to a seeded world and
// folds the groups.
func foldScenario(t *testing.T, changes []groupChange) []Group {
	t.Helper()
	return foldInOrder(t, changes, identity(len(changes)))
}

func identity(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func TestFoldGroups(t *testing.T) {
	groups := foldScenario(t, groupScenario(t))
	if len(groups) != 2 || groups[0].ID != "g-log" || groups[1].ID != "g-med" {
		t.Fatalf("FoldGroups = %+v; want logistics then medical (the volunteer's group left out)", groups)
	}
	med := groups[1]
	byKey := func(ks ...ledger.DeviceID) []ledger.DeviceID {
		slices.SortFunc(ks, func(a, b ledger.DeviceID) int { return compareKeys(a, b) })
		return ks
	}
	want := Group{ID: "g-med", Name: "医疗组", Function: GroupMedical, Lead: vol, Members: byKey(vol, vol2), Followers: []ledger.DeviceID{vol3},
		Categories: []string{"medical_supplies", "protective_equipment"}, Skills: []string{"医生"}, CreatedBy: coord, CreatedAt: med.CreatedAt}
	if !reflect.DeepEqual(med, want) {
		t.Errorf("medical group = %+v; want %+v (the volunteer's rename and category refused, vol2 no longer following)", med, want)
	}
	if log := groups[0]; len(log.Followers) != 0 || !slices.Equal(log.Skills, []string{"司机"}) {
		t.Errorf("logistics group = %+v; want no follower (a non-member's step does not count), skill 司机", log)
	}

	for _, tc := range []struct {
		name string
		got  []string
		want []string
	}{
		{"demand medical_supplies", RouteDemand(groups, "medical_supplies"), []string{"g-med"}},
		{"demand, case and spaces", RouteDemand(groups, " Protective_Equipment "), []string{"g-med"}},
		{"demand transport", RouteDemand(groups, "transport"), []string{"g-log"}},
		{"demand food_water (refused category)", RouteDemand(groups, "food_water"), []string{}},
		{"demand without category", RouteDemand(groups, ""), []string{}},
		{"task 司机", RouteTask(groups, "司机"), []string{"g-log"}},
		{"task 医生", RouteTask(groups, "医生"), []string{"g-med"}},
		{"task unknown skill", RouteTask(groups, "厨师"), []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !slices.Equal(tc.got, tc.want) {
				t.Errorf("route = %v; want %v", tc.got, tc.want)
			}
		})
	}
	if gs := GroupsOf(groups, vol3); len(gs) != 1 || gs[0].ID != "g-med" {
		t.Errorf("GroupsOf(vol3, a follower) = %+v; want the medical group", gs)
	}
	if gs := GroupsOf(groups, vol); len(gs) != 1 {
		t.Errorf("GroupsOf(vol, the lead) = %+v; want the medical group", gs)
	}
	if gs := GroupsOf(groups, rev); len(gs) != 0 {
		t.Errorf("GroupsOf(rev) = %+v; want none", gs)
	}
}

// TestFoldGroupsAnyOrder: every order of arrival (each author's changes in
// their feed's order, the authors interleaved at random) folds to the same
// groups and routes alike.
func TestFoldGroupsAnyOrder(t *testing.T) {
	changes := groupScenario(t)
	want := foldScenario(t, changes)
	for seed := range 30 {
		order := interleave(changes, uint64(seed))
		got := foldInOrder(t, changes, order)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("order %v: FoldGroups = %+v; want %+v", order, got, want)
		}
		if !slices.Equal(RouteDemand(got, "medical_supplies"), RouteDemand(want, "medical_supplies")) {
			t.Fatalf("order %v: routes differ", order)
		}
	}
}

// interleave returns an order of changes that keeps each author's changes
// in their order and mixes the authors (a small deterministic generator).
func interleave(changes []groupChange, seed uint64) []int {
	queues := map[ledger.DeviceID][]int{}
	var authors []ledger.DeviceID
	for i, c := range changes {
		if _, ok := queues[c.by]; !ok {
			authors = append(authors, c.by)
		}
		queues[c.by] = append(queues[c.by], i)
	}
	x := seed*6364136223846793005 + 1442695040888963407
	var out []int
	for len(out) < len(changes) {
		x = x*6364136223846793005 + 1442695040888963407
		a := authors[int(x>>33)%len(authors)]
		if q := queues[a]; len(q) > 0 {
			out = append(out, q[0])
			queues[a] = q[1:]
		}
	}
	return out
}

// foldInOrder is foldScenario with the changes applied in order.
func foldInOrder(t *testing.T, changes []groupChange, order []int) []Group {
	t.Helper()
	w := seeded(t)
	seqs := map[ledger.DeviceID]uint64{}
	metas := make([]Meta, len(changes))
	for i, c := range changes {
		seqs[c.by]++
		s := seqs[c.by]
		if c.by == coord {
			s++
		}
		metas[i] = Meta{Stamp: ledger.Stamp{Wall: c.wall}, Device: c.by, Seq: s, Change: changeID(c.by, s)}
	}
	for _, i := range order {
		for j, op := range changes[i].ops {
			m := metas[i]
			m.Index = j
			w.apply(m, op)
		}
	}
	return FoldGroups(w.all(), w.roster())
}

func compareKeys(a, b ledger.DeviceID) int {
	switch as, bs := a.String(), b.String(); {
	case as < bs:
		return -1
	case as > bs:
		return 1
	}
	return 0
}

func TestNewGroupRefuses(t *testing.T) {
	for _, in := range []GroupInput{
		{Name: " ", Function: GroupMedical},
		{Name: "组", Function: "cooking"},
		{Name: "组", Function: GroupLegal, Skills: make([]string, MaxGroupElems+1)},
	} {
		if _, err := NewGroup("g", in); err == nil {
			t.Errorf("NewGroup(%+v) = nil error; want refused", in)
		}
	}
}
