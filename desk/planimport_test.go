package desk

import (
	"context"
	"testing"

	"github.com/reliefmesh/reliefmesh/store"
)

// TestPlanImport: a dry run says what Import then does, record for record,
// and writes nothing; a cancelled one stops with ctx's error.
func TestPlanImport(t *testing.T) {
	st := newStore(t)
	recs, _ := readRaw(t, "wuhan2020/hospital_needs_wuhan.json")
	dk := New(st)
	plan, err := dk.PlanImport(context.Background(), recs)
	if err != nil {
		t.Fatalf("PlanImport = %v", err)
	}
	if ds, _ := st.Demands(store.DemandQuery{}); len(ds) != 0 {
		t.Fatalf("PlanImport wrote %d demands", len(ds))
	}
	rep, err := dk.Import(context.Background(), recs, nil)
	if err != nil {
		t.Fatalf("Import = %v", err)
	}
	if plan.Created != rep.Created || plan.Flagged != rep.Flagged || plan.Skipped != rep.Skipped ||
		plan.Rejected != rep.Rejected || len(plan.IDs) != len(rep.IDs) || plan.Created == 0 {
		t.Errorf("PlanImport = created %d flagged %d skipped %d rejected %d ids %d; Import did %d %d %d %d %d",
			plan.Created, plan.Flagged, plan.Skipped, plan.Rejected, len(plan.IDs),
			rep.Created, rep.Flagged, rep.Skipped, rep.Rejected, len(rep.IDs))
	}
	again, err := dk.PlanImport(context.Background(), recs)
	if err != nil || again.Created != 0 || again.Flagged != 0 || again.Skipped != rep.Created+rep.Flagged+rep.Skipped {
		t.Errorf("PlanImport after the import = %+v, %v; want every record skipped", again, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := dk.PlanImport(ctx, recs); err == nil {
		t.Errorf("PlanImport with a cancelled context = nil error")
	}
}
