package peersim

import (
	"log/slog"
	"os"
	"testing"
	"time"
)

// TestDozenNodesConverge: three sites of three laptops behind a hub each
// (twelve nodes) converge after writes, after two laptops leave and come
// back (one with its store, one as a new device that lost it) and after
// site 1 is cut from the others and healed; at the end every store holds
// every change and the same fold of every demand.
func TestDozenNodesConverge(t *testing.T) {
	if testing.Short() {
		t.Skip("twelve nodes: not in -short")
	}
	cfg := Config{Sites: 3, LaptopsPerSite: 3, Dir: t.TempDir(), Writes: 2, Churn: 2,
		Interval: time.Second, Redial: 200 * time.Millisecond, Timeout: 90 * time.Second, Logf: t.Logf}
	if testing.Verbose() && os.Getenv("PEERSIM_LOG") != "" {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		cfg.Timeout = 10 * time.Second
	}
	s, err := New(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close = %v", err)
		}
	})
	rep, err := s.Run(t.Context())
	if err != nil {
		t.Fatalf("Run = %v", err)
	}
	if rep.Nodes != 12 || len(rep.Phases) != 4 {
		t.Fatalf("Run = %d nodes, %d phases; want 12 nodes, 4 phases", rep.Nodes, len(rep.Phases))
	}
	// Every laptop wrote Writes demands in three phases; the replacement
	// laptop wrote once before it left and once as a new device.
	laptops := cfg.Sites * cfg.LaptopsPerSite
	wantDemands := 3 * laptops * cfg.Writes
	wantDemands -= cfg.Churn * cfg.Writes // the laptops away in the churn phase did not write in it
	if rep.Demands != wantDemands {
		t.Errorf("every store holds %d demands; want %d", rep.Demands, wantDemands)
	}
	for _, p := range rep.Phases[1:] {
		if p.Changes == 0 || p.Bytes == 0 {
			t.Errorf("phase %s: %d changes, %d bytes; want some of each", p.Name, p.Changes, p.Bytes)
		}
		// Each change must reach every other running node at least once.
		if min := uint64(p.Changes) * uint64(p.Nodes-1); p.Name == "write" && p.Deliveries < min {
			t.Errorf("phase %s: %d deliveries of %d changes to %d nodes; want at least %d", p.Name, p.Deliveries, p.Changes, p.Nodes, min)
		}
	}
}
