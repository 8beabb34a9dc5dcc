package app

import (
	"os"
	"path/filepath"
	"testing"
)

// TestForBindingsTouchesNoDataDir: the app that binding generation builds
// has every service but never creates the data directory, and its services
// say the store is not open instead of failing otherwise.
func TestForBindingsTouchesNoDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reliefmesh")
	a := ForBindings(dir)
	if len(a.Bind()) != len(newApp(t, t.TempDir()).Bind()) {
		t.Fatalf("ForBindings binds %d services; want as many as New", len(a.Bind()))
	}
	if info := a.Network.Info(); info.StartupError == "" {
		t.Errorf("Info().StartupError is empty; want it to say there is no store")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("ForBindings created or touched %s (stat: %v); want nothing there", dir, err)
	}
}

// TestInstanceIDPerDataDir: one single-instance id per data directory,
// whatever the spelling of its path, and different ones for two directories.
func TestInstanceIDPerDataDir(t *testing.T) {
	d := t.TempDir()
	if InstanceID(d) != InstanceID(d+"/./") {
		t.Errorf("InstanceID(%q) != InstanceID(%q); want the same directory to give one id", d, d+"/./")
	}
	if InstanceID(filepath.Join(d, "a")) == InstanceID(filepath.Join(d, "b")) {
		t.Errorf("two data directories give the same id %q", InstanceID(filepath.Join(d, "a")))
	}
}
