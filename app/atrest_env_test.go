package app

import (
	"testing"

	"github.com/reliefmesh/reliefmesh/store"
)

const envTestKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

// TestEnvKeyLeavesAPlaintextStoreAsItWas: with RELIEFMESH_STORE_KEY set, a
// store made plaintext (by the hub, or before encryption at rest) opens as
// it was instead of being refused as "not encrypted" (the e2e specs that
// prepare a data directory with the hub found it); a new one is encrypted
// with that key.
func TestEnvKeyLeavesAPlaintextStoreAsItWas(t *testing.T) {
	t.Setenv(store.EnvStoreKey, envTestKey)
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateNetwork("Hub-made", "甲"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	a := NewDesktop(dir, store.Options{}, &fakeKeyring{})
	defer a.Shutdown(t.Context())
	if info := a.Network.Info(); info.StartupError != "" || info.NetworkName != "Hub-made" {
		t.Fatalf("Info() = %+v; want the plaintext store opened", info)
	}
	if _, ok, _ := store.ReadKeyInfo(dir); ok {
		t.Error("a plaintext store got a key note")
	}

	fresh := t.TempDir()
	b := NewDesktop(fresh, store.Options{}, &fakeKeyring{})
	if _, err := b.Network.Create("New", "乙"); err != nil {
		t.Fatal(err)
	}
	b.Shutdown(t.Context())
	ki, ok, err := store.ReadKeyInfo(fresh)
	if err != nil || !ok || ki.Source != store.KeyGiven {
		t.Fatalf("ReadKeyInfo(new dir) = %+v, %v, %v; want encrypted with the given key", ki, ok, err)
	}
}
