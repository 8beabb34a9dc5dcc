package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/join"
)

// runIn is run with stdin (passphrases, one a line).
func runIn(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := newRoot()
	var out bytes.Buffer
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), err
}

// plaintextFound reports whether a file under dir holds s.
func plaintextFound(t *testing.T, dir, s string) bool {
	t.Helper()
	found := false
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(path); bytes.Contains(b, []byte(s)) {
				found = true
			}
		}
		return err
	})
	return found
}

// TestInitWithKeyFile: `init --key-file` makes the key file and an encrypted
// store; without the key every command says the store is locked and what to
// run, in zh-CN and en; with it (flag or environment) they work.
func TestInitWithKeyFile(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(t.TempDir(), "store.key")
	out, err := run(t, "init", "--name", "协和医院 flood", "--member-name", "hub", "--data-dir", dir, "--key-file", keyFile)
	if err != nil || !strings.Contains(out, "store key was written") {
		t.Fatalf("init --key-file = %v\n%s", err, out)
	}
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v; want mode 0600", fi, err)
	}
	if plaintextFound(t, dir, "协和医院 flood") {
		t.Error("the network's name is in plain text in the encrypted data dir")
	}
	_, err = run(t, "status", "--data-dir", dir)
	if err == nil {
		t.Fatal("status without the key succeeded")
	}
	if how := explain(err); !strings.Contains(how, "--key-file") || !strings.Contains(how, "静态加密") {
		t.Errorf("status without key: %v, explained %q; want the key options in zh-CN and en", err, how)
	}
	if out, err := run(t, "status", "--data-dir", dir, "--key-file", keyFile); err != nil || !strings.Contains(out, "协和医院 flood") {
		t.Errorf("status --key-file = %v\n%s", err, out)
	}
	b, _ := os.ReadFile(keyFile)
	t.Setenv(store.EnvStoreKey, strings.TrimSpace(string(b)))
	if out, err := run(t, "status", "--data-dir", dir); err != nil || !strings.Contains(out, "协和医院 flood") {
		t.Errorf("status with %s = %v\n%s", store.EnvStoreKey, err, out)
	}
	// A newcomer joining with --key-file gets its key file and an encrypted store too.
	newDir, newKey := t.TempDir(), filepath.Join(t.TempDir(), "new.key")
	code := join.Code{Network: strings.Repeat("a", 26), Name: "Flood", Addrs: []string{"/ip4/127.0.0.1/tcp/1/p2p/12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo"}}
	if out, err := run(t, "join", code.String(), "--data-dir", newDir, "--key-file", newKey); err != nil || !strings.Contains(out, "store key was written") {
		t.Fatalf("join --key-file = %v\n%s", err, out)
	}
	if ki, ok, err := store.ReadKeyInfo(newDir); !ok || err != nil || ki.Source != store.KeyGiven {
		t.Errorf("the joined store's key note = %+v, %v, %v; want an encrypted store", ki, ok, err)
	}
	t.Setenv(store.EnvStoreKey, hex.EncodeToString(make([]byte, 32)))
	if _, err := run(t, "status", "--data-dir", dir); err == nil || !strings.Contains(err.Error(), "wrong passphrase or key") {
		t.Errorf("status with a wrong key = %v; want wrong key", err)
	}
}

// TestRekeyAndUnlock: a plaintext hub store is encrypted with a passphrase
// by `rekey`, unlocked by `unlock --write-key` (a wrong passphrase is told
// and changes nothing), and moved to a key file by `rekey` again.
func TestRekeyAndUnlock(t *testing.T) {
	dir := t.TempDir()
	if out, err := run(t, "init", "--name", "同济医院 flood", "--member-name", "hub", "--data-dir", dir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	if !plaintextFound(t, dir, "同济医院 flood") {
		t.Fatal("the plaintext store does not show its name: the scan cannot tell")
	}
	out, err := runIn(t, "pw one\npw one\n", "rekey", "--new-passphrase", "--data-dir", dir)
	if err != nil || !strings.Contains(out, "The store is encrypted") {
		t.Fatalf("rekey --new-passphrase = %v\n%s", err, out)
	}
	if plaintextFound(t, dir, "同济医院 flood") {
		t.Error("after rekey the name is in plain text")
	}
	if _, err := run(t, "status", "--data-dir", dir); err == nil || !strings.Contains(explain(err), "reliefmesh-hub unlock") {
		t.Errorf("status after rekey = %v; want locked, told to unlock", err)
	}
	keyFile := filepath.Join(t.TempDir(), "k")
	if _, err := runIn(t, "wrong\n", "unlock", "--write-key", keyFile, "--data-dir", dir); err == nil || !strings.Contains(err.Error(), "wrong passphrase") {
		t.Errorf("unlock with a wrong passphrase = %v; want wrong passphrase", err)
	}
	if _, err := os.Stat(keyFile); err == nil {
		t.Error("a wrong passphrase wrote a key file")
	}
	if out, err := runIn(t, "pw one\n", "unlock", "--write-key", keyFile, "--data-dir", dir); err != nil || !strings.Contains(out, "written to") {
		t.Fatalf("unlock --write-key = %v\n%s", err, out)
	}
	if out, err := run(t, "status", "--data-dir", dir, "--key-file", keyFile); err != nil || !strings.Contains(out, "同济医院 flood") {
		t.Fatalf("status with the unlocked key = %v\n%s", err, out)
	}
	newKey := filepath.Join(t.TempDir(), "new.key")
	out, err = runIn(t, "pw one\n", "rekey", "--new-key-file", newKey, "--data-dir", dir)
	if err != nil || !strings.Contains(out, "store key was changed") {
		t.Fatalf("rekey --new-key-file = %v\n%s", err, out)
	}
	if _, err := run(t, "status", "--data-dir", dir, "--key-file", keyFile); err == nil {
		t.Error("the old key still opens the store after rekey")
	}
	if out, err := run(t, "status", "--data-dir", dir, "--key-file", newKey); err != nil || !strings.Contains(out, "同济医院 flood") {
		t.Errorf("status with the new key = %v\n%s", err, out)
	}
	// a wrong current key is refused before a new key file is written
	third := filepath.Join(t.TempDir(), "third.key")
	if out, err := run(t, "rekey", "--new-key-file", third, "--key-file", keyFile, "--data-dir", dir); err == nil {
		t.Errorf("rekey with the wrong current key = nil\n%s; want refused", out)
	}
	if _, err := os.Stat(third); err == nil {
		t.Error("rekey with the wrong current key wrote a new key file")
	}
}

// TestServeWaitsForUnlock: `serve` on a store locked by a passphrase says so
// and waits; other subcommands hear that it is locked; `unlock` with a
// wrong passphrase is refused, with the right one the hub opens the store
// and serves.
func TestServeWaitsForUnlock(t *testing.T) {
	dir := t.TempDir()
	if out, err := run(t, "init", "--name", "Flood", "--member-name", "hub", "--data-dir", dir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	if out, err := runIn(t, "secret\nsecret\n", "rekey", "--new-passphrase", "--data-dir", dir); err != nil {
		t.Fatalf("rekey = %v\n%s", err, out)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &lockedWriter{b: &strings.Builder{}}
	log := slog.New(slog.NewTextHandler(logs, nil))
	ready := make(chan *node, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, dir, serveOptions{listen: []string{"/ip4/127.0.0.1/tcp/0"}, interval: time.Second}, log,
			func(nd *node) { ready <- nd })
	}()
	waitFor(t, 60*time.Second, "the locked hub's socket", func() error {
		_, err := os.Stat(socketPath(dir))
		return err
	})
	if _, err := run(t, "status", "--data-dir", dir); err == nil || !strings.Contains(err.Error(), "reliefmesh-hub unlock") {
		t.Errorf("status while the hub waits = %v; want locked, told to unlock", err)
	}
	if _, err := runIn(t, "not it\n", "unlock", "--data-dir", dir); err == nil || !strings.Contains(err.Error(), "wrong passphrase") {
		t.Errorf("unlock with a wrong passphrase = %v", err)
	}
	out, err := runIn(t, "secret\n", "unlock", "--data-dir", dir)
	if err != nil || !strings.Contains(out, "Unlocked") {
		t.Fatalf("unlock = %v\n%s", err, out)
	}
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("serve ended: %v\n%s", err, logs.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("the hub did not serve after unlock\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "reliefmesh-hub unlock") {
		t.Errorf("the hub's log does not say how to unlock:\n%s", logs.String())
	}
	waitFor(t, 60*time.Second, "status from the unlocked hub", func() error {
		_, err := run(t, "status", "--data-dir", dir)
		return err
	})
	if out, err := runIn(t, "secret\n", "unlock", "--data-dir", dir); err != nil || !strings.Contains(out, "already unlocked") {
		t.Errorf("unlock of a serving hub = %v\n%s", err, out)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve = %v", err)
	}
}
