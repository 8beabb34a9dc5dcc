package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/node"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/join"
)

// TestFetchMapFromHub: a hub serving the test street map joins the
// coordinator's network; the coordinator's map screen lists it (not
// installed), downloads it with progress to the UI ending at the size, and
// then has the same bytes installed (listed as installed).
func TestFetchMapFromHub(t *testing.T) {
	a, ev := startedApp(t)
	if _, err := a.Network.Create("Flood", "甲"); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "testdata", "map", "area.pmtiles"))
	if err != nil {
		t.Fatal(err)
	}
	mapFile := filepath.Join(t.TempDir(), "area.pmtiles")
	if err := os.WriteFile(mapFile, want, 0o600); err != nil {
		t.Fatal(err)
	}
	hs, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hs.Close() })
	code, err := a.Network.JoinCode()
	if err != nil {
		t.Fatal(err)
	}
	c, err := join.Parse(code.Code)
	if err != nil {
		t.Fatal(err)
	}
	if err := desk.New(hs).Join(c); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Network.Endorse(hs.Device().String(), string(relief.RoleVolunteer), "hub"); err != nil {
		t.Fatal(err)
	}
	cfg := node.LoopbackConfig()
	cfg.MapFile = mapFile
	hub, err := node.Start(t.Context(), hs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hub.Close() })

	var srcs []MapSource
	poll(t, "the hub's map listed", func() bool {
		srcs, _ = a.Map.HubMaps()
		return len(srcs) == 1
	})
	if s := srcs[0]; s.Member.ID != hs.Device().String() || s.Member.Name != "hub" || s.Size != int64(len(want)) || s.Installed {
		t.Fatalf("HubMaps() = %+v; want the hub's %d bytes, not installed", srcs, len(want))
	}
	info, err := a.Map.FetchMap(srcs[0].Member.ID)
	if err != nil || !info.Present || info.Size != int64(len(want)) {
		t.Fatalf("FetchMap = %+v, %v; want the map installed", info, err)
	}
	if got, _ := os.ReadFile(a.tilesPath()); !bytes.Equal(got, want) {
		t.Fatalf("installed map (%d bytes) differs from the hub's (%d)", len(got), len(want))
	}
	sent := ev.sent(EventMapProgress)
	if len(sent) == 0 {
		t.Fatalf("no %s sent to the UI", EventMapProgress)
	}
	if m := sent[len(sent)-1].(map[string]any); m["done"] != true || m["received"] != int64(len(want)) || m["size"] != int64(len(want)) || m["error"] != "" {
		t.Errorf("last %s = %v; want done at %d of %d bytes", EventMapProgress, m, len(want), len(want))
	}
	if srcs, _ = a.Map.HubMaps(); len(srcs) != 1 || !srcs[0].Installed {
		t.Errorf("HubMaps() after the download = %+v; want it installed", srcs)
	}
	if _, err := a.Map.FetchMap("not-a-member"); err == nil || !strings.Contains(err.Error(), CodeInvalid) {
		t.Errorf("FetchMap(garbage) = %v; want %s", err, CodeInvalid)
	}
}
