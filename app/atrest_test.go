package app

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/store"
)

// fakeKeyring keeps keys in memory; broken makes every call fail as a
// desktop without a Secret Service does.
type fakeKeyring struct {
	mu     sync.Mutex
	keys   map[string][]byte
	broken error
}

func (k *fakeKeyring) Get(account string) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.broken != nil {
		return nil, k.broken
	}
	v, ok := k.keys[account]
	if !ok {
		return nil, errors.New("secret not found in keyring")
	}
	return v, nil
}

func (k *fakeKeyring) Set(account string, key []byte) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.broken != nil {
		return k.broken
	}
	if k.keys == nil {
		k.keys = map[string][]byte{}
	}
	k.keys[account] = key
	return nil
}

// inFiles reports whether a file under dir holds s.
func inFiles(t *testing.T, dir, s string) bool {
	t.Helper()
	found := false
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(path); bytes.Contains(b, []byte(s)) {
				found = true
			}
		}
		return err
	})
	return found
}

// lockedInfo fails unless info says the store is locked for reason.
func lockedInfo(t *testing.T, info Info, reason string) {
	t.Helper()
	if info.StartupCode != CodeLocked || info.StartupArgs["reason"] != reason || info.NetworkID != "" {
		t.Fatalf("Info() = code %q args %v network %q; want %s, reason %s", info.StartupCode, info.StartupArgs, info.NetworkID, CodeLocked, reason)
	}
}

// TestNewDataDirIsEncryptedWithTheKeyring: the desktop encrypts a new data
// directory, its key in the keyring; it reopens with the keyring and is
// locked (told why, never a crash) when the keyring cannot be read.
func TestNewDataDirIsEncryptedWithTheKeyring(t *testing.T) {
	dir := t.TempDir()
	kr := &fakeKeyring{}
	a := NewDesktop(dir, store.Options{}, kr)
	if info := a.Network.Info(); info.StartupError != "" {
		t.Fatalf("Info() = %+v; want an open store", info)
	}
	if _, err := a.Network.Create("武汉协和医院 incident", "甲"); err != nil {
		t.Fatal(err)
	}
	a.Shutdown(t.Context())
	if ki, ok, err := store.ReadKeyInfo(dir); err != nil || !ok || ki.Source != store.KeyInKeyring || len(kr.keys) != 1 {
		t.Fatalf("key note = %+v, %v, %v; keyring %d entries; want the key in the keyring", ki, ok, err, len(kr.keys))
	}
	if inFiles(t, dir, "武汉协和医院 incident") {
		t.Error("the network's name is in plain text in the new data directory")
	}

	b := NewDesktop(dir, store.Options{}, kr)
	if info := b.Network.Info(); info.NetworkName != "武汉协和医院 incident" {
		t.Errorf("reopened with the keyring: Info() = %+v", info)
	}
	b.Shutdown(t.Context())

	kr.broken = errors.New(`exec: "dbus-launch": executable file not found in $PATH`)
	c := NewDesktop(dir, store.Options{}, kr)
	info := c.Network.Info()
	lockedInfo(t, info, ReasonKeyring)
	if !strings.Contains(info.StartupArgs["detail"], "dbus-launch") {
		t.Errorf("locked by the keyring: args %v; want what the keyring said", info.StartupArgs)
	}
	if _, err := c.Network.Unlock("anything at all"); err == nil {
		t.Error("Unlock of a keyring store succeeded")
	}
	c.Shutdown(t.Context())
}

// TestNoKeyringAsksForAPassphrase: without a keyring a new data directory
// waits for a passphrase (short ones refused); the store is then locked at
// each start until Unlock with the right passphrase, a wrong one being
// told as such with nothing changed.
func TestNoKeyringAsksForAPassphrase(t *testing.T) {
	dir := t.TempDir()
	kr := &fakeKeyring{broken: errors.New("The name org.freedesktop.secrets was not provided by any .service files")}
	a := NewDesktop(dir, store.Options{}, kr)
	info := a.Network.Info()
	lockedInfo(t, info, ReasonNewPassphrase)
	if !strings.Contains(info.StartupArgs["detail"], "org.freedesktop.secrets") {
		t.Errorf("args %v; want the keyring's answer as the detail", info.StartupArgs)
	}
	_, err := a.Network.SetPassphrase("short")
	var e *desk.Error
	if !errors.As(err, &e) || e.Code != CodeInvalid || e.Args["reason"] != ReasonPassphraseShort || e.Field != "passphrase" {
		t.Fatalf("SetPassphrase(short) = %v; want %s/%s on passphrase", err, CodeInvalid, ReasonPassphraseShort)
	}
	if _, err := a.Network.Unlock("long enough passphrase"); err == nil {
		t.Error("Unlock of a data directory that waits for a new passphrase succeeded")
	}
	info, err = a.Network.SetPassphrase("长江 flood 2026")
	if err != nil || info.StartupError != "" {
		t.Fatalf("SetPassphrase = %+v, %v", info, err)
	}
	if _, err := a.Network.Create("Flood 2026", "甲"); err != nil {
		t.Fatal(err)
	}
	a.Shutdown(t.Context())
	if inFiles(t, dir, "Flood 2026") {
		t.Error("plain text in a store encrypted with a passphrase")
	}

	b := NewDesktop(dir, store.Options{}, kr)
	defer b.Shutdown(t.Context())
	info = b.Network.Info()
	lockedInfo(t, info, store.LockNoKey)
	if info.StartupArgs["source"] != store.KeyFromPassphrase {
		t.Errorf("locked store: args %v; want source %s", info.StartupArgs, store.KeyFromPassphrase)
	}
	before, _ := os.ReadFile(filepath.Join(dir, store.KeyInfoFile))
	_, err = b.Network.Unlock("长江 flood 2025")
	if !errors.As(err, &e) || e.Code != CodeLocked || e.Args["reason"] != store.LockWrongKey || e.Field != "passphrase" {
		t.Fatalf("Unlock(wrong) = %v; want %s/%s on passphrase", err, CodeLocked, store.LockWrongKey)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, store.KeyInfoFile)); !bytes.Equal(before, after) {
		t.Error("a wrong passphrase changed the key note")
	}
	info, err = b.Network.Unlock("长江 flood 2026")
	if err != nil || info.NetworkName != "Flood 2026" {
		t.Fatalf("Unlock(right) = %+v, %v; want the network", info, err)
	}
	if _, err := b.Network.Unlock("长江 flood 2026"); err == nil {
		t.Error("Unlock of an open store succeeded")
	}
}

// TestPlaintextStoreStaysAsItWas: a data directory that already holds a
// plaintext store opens as it is on the desktop, keyring or not.
func TestPlaintextStoreStaysAsItWas(t *testing.T) {
	dir := t.TempDir()
	a := New(dir, store.Options{})
	if _, err := a.Network.Create("Old flood", "甲"); err != nil {
		t.Fatal(err)
	}
	a.Shutdown(t.Context())
	kr := &fakeKeyring{}
	b := NewDesktop(dir, store.Options{}, kr)
	defer b.Shutdown(t.Context())
	if info := b.Network.Info(); info.NetworkName != "Old flood" || len(kr.keys) != 0 {
		t.Errorf("Info() = %+v, keyring %d entries; want the plaintext store opened as it was", info, len(kr.keys))
	}
	if _, ok, _ := store.ReadKeyInfo(dir); ok {
		t.Error("a plaintext store got a key note")
	}
}

// TestEncryptStoreMigratesAPlaintextStore: an existing plaintext store is
// encrypted from the app, with its key in the keyring or with a
// passphrase; the network is still there, and no plain text is left.
func TestEncryptStoreMigratesAPlaintextStore(t *testing.T) {
	for _, withKeyring := range []bool{true, false} {
		t.Run(map[bool]string{true: "keyring", false: "passphrase"}[withKeyring], func(t *testing.T) {
			dir := t.TempDir()
			a := New(dir, store.Options{})
			if _, err := a.Network.Create("汉口医院 old flood", "甲"); err != nil {
				t.Fatal(err)
			}
			a.Shutdown(t.Context())
			if !inFiles(t, dir, "汉口医院 old flood") {
				t.Fatal("the plaintext store does not show its name: the scan cannot tell")
			}
			var kr Keyring
			if withKeyring {
				kr = &fakeKeyring{}
			}
			b := NewDesktop(dir, store.Options{}, kr)
			if v, err := b.Network.AtRest(); err != nil || v.Encrypted || v.Keyring != withKeyring {
				t.Fatalf("AtRest() = %+v, %v; want plaintext", v, err)
			}
			pass := ""
			if !withKeyring {
				if _, err := b.Network.EncryptStore(""); err == nil {
					t.Fatal("EncryptStore without keyring nor passphrase succeeded")
				}
				pass = "a long passphrase"
			}
			res, err := b.Network.EncryptStore(pass)
			if err != nil || !res.AtRest.Encrypted || res.Keys == 0 {
				t.Fatalf("EncryptStore = %+v, %v; want encrypted", res, err)
			}
			if info := b.Network.Info(); info.NetworkName != "汉口医院 old flood" {
				t.Errorf("Info() after EncryptStore = %+v; want the network", info)
			}
			if _, err := b.Network.EncryptStore(pass); err == nil {
				t.Error("EncryptStore of an encrypted store succeeded")
			}
			b.Shutdown(t.Context())
			if inFiles(t, dir, "汉口医院 old flood") {
				t.Error("plain text left after EncryptStore")
			}
			c := NewDesktop(dir, store.Options{}, kr)
			defer c.Shutdown(t.Context())
			info := c.Network.Info()
			if withKeyring && info.NetworkName != "汉口医院 old flood" {
				t.Errorf("reopened with the keyring: %+v", info)
			}
			if !withKeyring {
				lockedInfo(t, info, store.LockNoKey)
			}
		})
	}
}
