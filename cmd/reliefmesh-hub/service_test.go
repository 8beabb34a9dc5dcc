package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/store"
)

// TestInstallServiceDryRun: --dry-run says every step (binary, unit with its
// ExecStart, data directory, systemctl) and writes nothing under the root.
func TestInstallServiceDryRun(t *testing.T) {
	root := t.TempDir()
	out, err := run(t, "install-service", "--dry-run", "--root", root)
	if err != nil {
		t.Fatalf("install-service --dry-run = %v\n%s", err, out)
	}
	for _, want := range []string{
		"dry run: nothing is changed",
		"would copy", filepath.Join(root, serviceBin),
		"would write " + filepath.Join(root, serviceUnitDir, serviceName),
		"ExecStart=" + serviceBin + " serve --data-dir " + serviceDataDir,
		"DynamicUser=yes", "StateDirectory=reliefmesh",
		"would create " + filepath.Join(root, serviceDataDir),
		"would run systemctl daemon-reload", "would run systemctl enable " + serviceName,
		"init --name",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	ents, _ := os.ReadDir(root)
	if len(ents) != 0 {
		t.Errorf("dry run wrote %d entries under %s; want none", len(ents), root)
	}
}

// TestInstallServiceTempRoot: under a temporary root, install-service writes
// the unit (the same as build/linux's), copies this binary, creates the data
// directory 0700 and runs no systemctl, saying so.
func TestInstallServiceTempRoot(t *testing.T) {
	root := t.TempDir()
	out, err := run(t, "install-service", "--root", root, "--listen", "/ip4/0.0.0.0/tcp/4800")
	if err != nil {
		t.Fatalf("install-service = %v\n%s", err, out)
	}
	unit, err := os.ReadFile(filepath.Join(root, serviceUnitDir, serviceName))
	if err != nil {
		t.Fatalf("the unit was not written: %v", err)
	}
	if !strings.Contains(string(unit), "ExecStart="+serviceBin+" serve --data-dir "+serviceDataDir+" --listen /ip4/0.0.0.0/tcp/4800\n") {
		t.Errorf("unit's ExecStart lacks the data dir and the --listen given:\n%s", unit)
	}
	self, _ := os.Executable()
	want, _ := os.ReadFile(self)
	got, err := os.ReadFile(filepath.Join(root, serviceBin))
	if err != nil || len(got) != len(want) {
		t.Errorf("binary at %s: %d bytes, %v; want a copy of this program (%d bytes)", serviceBin, len(got), err, len(want))
	}
	if fi, err := os.Stat(filepath.Join(root, serviceBin)); err != nil || fi.Mode().Perm()&0o111 == 0 {
		t.Errorf("binary not executable: %v %v", fi, err)
	}
	if fi, err := os.Stat(filepath.Join(root, serviceDataDir)); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
		t.Errorf("data dir %s: %v %v; want a directory with mode 0700", serviceDataDir, fi, err)
	}
	if !strings.Contains(out, "not running systemctl daemon-reload") {
		t.Errorf("output does not say systemctl was not run under --root:\n%s", out)
	}
}

// TestServiceUnitFileCurrent: build/linux/reliefmesh-hub.service, shipped in
// the release for those who install by hand, is what install-service writes.
func TestServiceUnitFileCurrent(t *testing.T) {
	want := serviceUnit(serviceConfig{Bin: serviceBin, DataDir: serviceDataDir})
	path := filepath.Join("..", "..", "build", "linux", serviceName)
	if os.Getenv("RELIEFMESH_WRITE_UNIT") == "1" {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (write it with RELIEFMESH_WRITE_UNIT=1 go test -run TestServiceUnitFileCurrent ./cmd/reliefmesh-hub/)", err)
	}
	if string(got) != want {
		t.Errorf("%s differs from what install-service writes; regenerate it with RELIEFMESH_WRITE_UNIT=1 go test -run TestServiceUnitFileCurrent ./cmd/reliefmesh-hub/", path)
	}
}

// TestInstallServiceEncrypted: --encrypt writes a new random store key
// (mode 0600) and a unit that hands it to serve as a systemd credential;
// the key is kept when there is one, and the next steps init with it.
func TestInstallServiceEncrypted(t *testing.T) {
	root := t.TempDir()
	out, err := run(t, "install-service", "--root", root, "--encrypt", "--copy-binary=false")
	if err != nil {
		t.Fatalf("install-service --encrypt = %v\n%s", err, out)
	}
	keyPath := filepath.Join(root, serviceKeyFile)
	fi, err := os.Stat(keyPath)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("store key %s: %v, %v; want a file of mode 0600", keyPath, fi, err)
	}
	key, err := store.ReadKeyFile(keyPath)
	if err != nil || len(key) == 0 {
		t.Fatalf("store key unreadable: %v", err)
	}
	unit, _ := os.ReadFile(filepath.Join(root, serviceUnitDir, serviceName))
	if !strings.Contains(string(unit), "LoadCredential=store.key:"+serviceKeyFile+"\n") ||
		!strings.Contains(string(unit), " --key-file ${CREDENTIALS_DIRECTORY}/store.key\n") {
		t.Errorf("unit does not hand the key to serve:\n%s", unit)
	}
	if !strings.Contains(out, "init --name \"INCIDENT\" --member-name \"Hub NAME\" --data-dir "+serviceDataDir+" --key-file "+serviceKeyFile) || !strings.Contains(out, "back it up") {
		t.Errorf("output does not say to back up the key and init with it:\n%s", out)
	}
	out, err = run(t, "install-service", "--root", root, "--encrypt", "--copy-binary=false")
	again, _ := store.ReadKeyFile(keyPath)
	if err != nil || !bytes.Equal(again, key) || !strings.Contains(out, "exists") {
		t.Errorf("install-service --encrypt again = %v\n%s; want the key kept", err, out)
	}
}
