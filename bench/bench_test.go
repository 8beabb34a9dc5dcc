package bench

import (
	"context"
	"strings"
	"testing"
)

// TestSmoke runs the whole harness at a tiny size (Smoke) and checks that
// every measurement ran, converged and made its row. It needs Node and
// bench/node_modules (`npm ci` in bench/; the Makefile runs it first): without
// them it fails, naming what is missing, rather than skipping the engines.
func TestSmoke(t *testing.T) {
	cfg := Smoke()
	cfg.JSDir = "."
	cfg.WorkDir = t.TempDir()
	cfg.Log = t.Logf
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Run(Smoke) = %v", err)
	}
	md := res.Markdown()
	t.Log("\n" + md)

	l := res.Limits
	if l.VerifyPerSec <= 0 || l.BadgerPerSec <= 0 || l.StreamMBps <= 0 {
		t.Errorf("limits = %+v; want all > 0", l)
	}
	if len(res.Ingest) != 1 || res.Ingest[0].Applied != cfg.IngestN[0]+1 || res.Ingest[0].PeakRSS <= 0 || res.Ingest[0].Disk <= 0 {
		t.Errorf("ingest = %+v; want one run of %d applied (and the genesis), with peak RSS and disk", res.Ingest, cfg.IngestN[0])
	}
	for _, s := range append(res.CatchUp, res.Partition) {
		if !s.Converged || s.WireBytes <= 0 || s.Conns != 1 {
			t.Errorf("%s: converged %v, %d bytes on the wire through %d connections (%s); want converged, bytes > 0, 1 connection", s.Name, s.Converged, s.WireBytes, s.Conns, s.Note)
		}
	}
	if len(res.CatchUp) != len(cfg.SideN) || res.Partition.N != 2*cfg.PartitionN {
		t.Errorf("catch-up runs %d, partition %+v; want %d and %d changes", len(res.CatchUp), res.Partition, len(cfg.SideN), 2*cfg.PartitionN)
	}
	if lv := res.Live; lv.Missing != 0 || lv.P99ms <= 0 || lv.Changes != cfg.LiveChanges {
		t.Errorf("live = %+v; want %d changes, none missing, p99 > 0", lv, cfg.LiveChanges)
	}
	if len(res.SideBySide) != len(cfg.Engines)*len(cfg.SideN) {
		t.Errorf("side by side has %d runs; want %d", len(res.SideBySide), len(cfg.Engines)*len(cfg.SideN))
	}
	for _, e := range res.SideBySide {
		if !e.Converged || e.Bytes <= 0 || e.PeakRSS <= 0 {
			t.Errorf("%s %d: %+v; want converged with bytes and peak RSS", e.Engine, e.N, e)
		}
	}
	for _, row := range []string{
		"| ed25519 verify", "| Badger WriteBatch", "| libp2p stream",
		"| 200 |", "| catch-up 200 → empty laptop |", "| partition 100 + 100",
		"| 5 | 10 |", "| **ReliefMesh** | 200 |", "| automerge | 200 | yes", "| yjs | 200 | yes", "| pouchdb | 200 | yes",
		"| faster than automerge at 200 |", "| live p99 < 500 ms at 5 peers |",
	} {
		if !strings.Contains(md, row) {
			t.Errorf("results table lacks a row starting %q", row)
		}
	}
}
