package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/store"
)

// TestDamagedStoreIsToldAndRecovered: a store whose MANIFEST is gone is not
// opened as an empty device: the start-up screen gets the damaged code with
// the directory, and RecoverDamaged moves it aside, keeps the device key and
// opens an empty store that waits for its own feed after joining again.
func TestDamagedStoreIsToldAndRecovered(t *testing.T) {
	dir := t.TempDir()
	a := New(dir, store.Options{})
	if _, err := a.Network.Create("Flood", "甲"); err != nil {
		t.Fatal(err)
	}
	device := a.Network.Info().DeviceID
	a.Shutdown(t.Context())
	if err := os.Remove(filepath.Join(dir, "db", "MANIFEST")); err != nil {
		t.Fatal(err)
	}

	b := newApp(t, dir)
	info := b.Network.Info()
	if info.StartupCode != CodeDamaged || info.StartupArgs["what"] != store.DamageManifest ||
		!strings.Contains(info.StartupArgs["dir"], dir) || info.NetworkID != "" {
		t.Fatalf("Info() of a store without MANIFEST = %+v; want code %s (manifest) naming %s", info, CodeDamaged, dir)
	}
	info, err := b.Network.RecoverDamaged()
	if err != nil {
		t.Fatalf("RecoverDamaged = %v", err)
	}
	if info.StartupError != "" || info.DeviceID != device || info.NetworkID != "" {
		t.Fatalf("Info() after RecoverDamaged = %+v; want an open store, same device %s, no network yet", info, device)
	}
	sv, err := b.Network.Storage()
	if err != nil || sv.Recovering != store.RecoverRestored {
		t.Fatalf("Storage() after RecoverDamaged = %+v, %v; want recovering %q", sv, err, store.RecoverRestored)
	}
	if _, err := b.Network.RecoverDamaged(); err == nil || !strings.Contains(err.Error(), CodeInvalid) {
		t.Errorf("RecoverDamaged of a store that opened = %v; want %s", err, CodeInvalid)
	}
}
