package app

import (
	"testing"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestStartupInUse: an app started on a data directory another app holds
// reports desk.CodeInUse with the directory, for the start-up screen to say
// in the UI language that another ReliefMesh is running on it.
func TestStartupInUse(t *testing.T) {
	dir := t.TempDir()
	first := newApp(t, dir)
	if first.Network.Info().StartupError != "" {
		t.Fatalf("first app: %s", first.Network.Info().StartupError)
	}
	second := New(dir, store.Options{})
	defer second.Shutdown(t.Context())
	info := second.Network.Info()
	if info.StartupCode != desk.CodeInUse {
		t.Fatalf("second app's StartupCode = %q (%s); want %q", info.StartupCode, info.StartupError, desk.CodeInUse)
	}
	if info.StartupArgs["dir"] != dir {
		t.Errorf("StartupArgs[dir] = %q; want %q", info.StartupArgs["dir"], dir)
	}
}
