package store

import (
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestRosterChangeRefoldsOnlyItsTasks: the volunteer accepts a task on
// their laptop; then a demotion to observer arrives there, made earlier (in
// the fold order) than the acceptance. The points view re-derives the
// volunteer's tasks through its member→tasks index (taskActors) — the
// acceptance no longer applies, its points are gone — and only those: the
// reviewer's accepted task keeps its award and is not folded again. The
// index still lists the volunteer's task (its author stays an actor).
func TestRosterChangeRefoldsOnlyItsTasks(t *testing.T) {
	tr := newTrio(t, t.TempDir)
	defer tr.close()
	coord, rev, vol := tr.stores[0], tr.stores[1], tr.stores[2]
	d, err := coord.RecordDemand(sampleDemand("协和医院"))
	if err != nil {
		t.Fatal(err)
	}
	offer := func(id string, to ledger.DeviceID) {
		applyOps(t, coord, must2(t)(relief.SetFields(relief.KindTask, id, map[string]any{
			relief.FieldDemand: d.ID, relief.FieldSkill: "driver", relief.FieldOfferedTo: to})))
	}
	offer("t-vol", vol.Device())
	offer("t-rev", rev.Device())
	offer("t-rev2", rev.Device())
	tr.exchange(t)
	tr.clk.advance(time.Minute)
	applyOps(t, rev, must2(t)(relief.Transition(relief.KindTask, "t-rev", relief.ActionAccept, relief.Args{})))
	applyOps(t, rev, must2(t)(relief.Transition(relief.KindTask, "t-rev2", relief.ActionAccept, relief.Args{})))
	tr.exchange(t)
	revPoints, ok := vol.PointsOf(rev.Device())
	if !ok || revPoints.Points == 0 {
		t.Fatalf("PointsOf(reviewer) on the volunteer's laptop = %+v, %v; want points for two accepted tasks", revPoints, ok)
	}

	tr.clk.advance(time.Minute)
	applyOps(t, coord, must2(t)(relief.Promote(vol.Device(), relief.RoleObserver))) // not yet seen by vol
	tr.clk.advance(time.Minute)
	applyOps(t, vol, must2(t)(relief.Transition(relief.KindTask, "t-vol", relief.ActionAccept, relief.Args{})))
	if p, ok := vol.PointsOf(vol.Device()); !ok || p.Points == 0 {
		t.Fatalf("PointsOf(volunteer) after accepting = %+v, %v; want points", p, ok)
	}
	before := vol.refoldedTasks.Load()

	tr.exchange(t) // the demotion reaches the volunteer's laptop
	if p, ok := vol.PointsOf(vol.Device()); ok {
		t.Errorf("PointsOf(observer) = %+v; want none (the acceptance no longer applies)", p)
	}
	if p, ok := vol.PointsOf(rev.Device()); !ok || p.Points != revPoints.Points {
		t.Errorf("PointsOf(reviewer) after the volunteer's demotion = %+v, %v; want %d, unchanged", p, ok, revPoints.Points)
	}
	if n := vol.refoldedTasks.Load() - before; n != 1 {
		t.Errorf("%d tasks re-derived after the demotion; want 1, the volunteer's (not the reviewer's two)", n)
	}
	vol.idx.mu.RLock()
	_, indexed := vol.idx.t.points.taskActors[vol.Device()]["t-vol"]
	vol.idx.mu.RUnlock()
	if !indexed {
		t.Errorf("taskActors[volunteer] lost t-vol after the demotion; want it kept (a later roster change re-derives it again)")
	}
}
