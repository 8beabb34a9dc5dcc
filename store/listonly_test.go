package store

import (
	"reflect"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestOpenListOnly: a store opened with Options.ListOnly answers the demand
// list's queries (every demand, a text search, the counts) as one opened
// whole does, and builds no volunteer, offer, task or duplicate-key view.
func TestOpenListOnly(t *testing.T) {
	dir, clk := t.TempDir(), newClock()
	s, err := Open(dir, Options{Clock: clk.now})
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	if _, err := s.CreateNetwork("net", "coordinator"); err != nil {
		t.Fatal(err)
	}
	var first relief.Demand
	for i, title := range []string{"急需 N95", "缺防护服", "送水到方舱"} {
		d, err := s.RecordDemand(sampleDemand(title))
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = d
		}
		clk.advance(1)
	}
	applyOps(t, s, must2(t)(relief.SetFields(relief.KindVolunteer, "v-1", map[string]any{relief.FieldName: "王芳", relief.FieldRegion: "江汉区"})),
		must2(t)(relief.SetFields(relief.KindTask, "t-1", map[string]any{relief.FieldDemand: first.ID, relief.FieldSkill: "driver", relief.FieldOfferedTo: s.Device()})))
	if _, err := s.RecordOffer(relief.Offer{Supplier: "如家酒店", Region: "武昌区"}); err != nil {
		t.Fatal(err)
	}
	type answers struct {
		All    []relief.Demand
		Search []relief.Demand
		Counts map[relief.Status]int
	}
	ask := func(s *Store) answers {
		t.Helper()
		var a answers
		var err error
		if a.All, err = s.Demands(DemandQuery{}); err != nil {
			t.Fatalf("Demands = %v", err)
		}
		if a.Search, err = s.Demands(DemandQuery{Text: "方舱"}); err != nil {
			t.Fatalf("Demands(方舱) = %v", err)
		}
		a.Counts = s.DemandCounts()
		return a
	}
	whole := ask(s)
	if len(whole.All) != 3 || len(whole.Search) != 1 {
		t.Fatalf("opened whole: %d demands, %d matching 方舱; want 3 and 1", len(whole.All), len(whole.Search))
	}
	tasks, err := s.TasksOfDemand(first.ID)
	if err != nil || len(tasks) != 1 {
		t.Fatalf("opened whole: TasksOfDemand = %d tasks, %v; want 1", len(tasks), err)
	}
	like := relief.DemandLikeness(first)
	if sim := s.SimilarDemands(like); len(sim) == 0 {
		t.Fatalf("opened whole: no demand similar to %s's own likeness; want it", first.ID)
	}
	s.Close()

	lo, err := Open(dir, Options{Clock: clk.now, ListOnly: true})
	if err != nil {
		t.Fatalf("Open(ListOnly) = %v", err)
	}
	defer lo.Close()
	if got := ask(lo); !reflect.DeepEqual(got, whole) {
		t.Errorf("opened ListOnly:\n%+v\nwant as opened whole:\n%+v", got, whole)
	}
	if tasks, err := lo.TasksOfDemand(first.ID); err != nil || len(tasks) != 0 {
		t.Errorf("opened ListOnly: TasksOfDemand = %d tasks, %v; want none (no task view)", len(tasks), err)
	}
	if v, err := lo.VolunteersQuery(VolunteerQuery{}); err != nil || len(v.Volunteers) != 0 {
		t.Errorf("opened ListOnly: %d volunteers, %v; want none (no volunteer view)", len(v.Volunteers), err)
	}
	if sim := lo.SimilarDemands(like); len(sim) != 0 {
		t.Errorf("opened ListOnly: %d demands similar to %s; want none (no duplicate-key view)", len(sim), first.ID)
	}
}
