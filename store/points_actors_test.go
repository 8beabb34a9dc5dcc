package store

import (
	"maps"
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// TestPointsTaskActors checks the index of the tasks each member acted on
// (refoldMembers reads it after a roster change) as tasks are set, changed
// and dropped, with the actors held as numbers.
func TestPointsTaskActors(t *testing.T) {
	a, b, c := ledger.DeviceID{1}, ledger.DeviceID{2}, ledger.DeviceID{3}
	p := newPointsTable()
	want := func(step string, m map[ledger.DeviceID][]string) {
		t.Helper()
		got := map[ledger.DeviceID][]string{}
		for d, ts := range p.taskActors {
			got[d] = slices.Sorted(maps.Keys(ts))
		}
		if !maps.EqualFunc(got, m, slices.Equal) {
			t.Errorf("%s: taskActors = %v; want %v", step, got, m)
		}
	}
	p.setTask("t1", nil, []ledger.DeviceID{a, b})
	p.setTask("t2", nil, []ledger.DeviceID{b})
	p.setTask("t3", nil, []ledger.DeviceID{})
	want("set", map[ledger.DeviceID][]string{a: {"t1"}, b: {"t1", "t2"}})
	p.setTask("t1", nil, []ledger.DeviceID{c, b})
	want("changed", map[ledger.DeviceID][]string{b: {"t1", "t2"}, c: {"t1"}})
	p.setTask("t1", nil, []ledger.DeviceID{c, b}) // unchanged
	want("unchanged", map[ledger.DeviceID][]string{b: {"t1", "t2"}, c: {"t1"}})
	p.setTask("t2", nil, nil)
	p.setTask("t3", nil, nil)
	want("dropped", map[ledger.DeviceID][]string{b: {"t1"}, c: {"t1"}})
	if _, ok := p.tasks["t2"]; ok || len(p.tasks) != 1 {
		t.Errorf("tasks = %v; want t1 only", p.tasks)
	}
}
