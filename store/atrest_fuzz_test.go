package store

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
)

// FuzzKeyInfo feeds keyinfo.json, the rekey marker and a store key's text
// arbitrary bytes: a damaged file is an error (a *DamagedError for the
// note and the marker), never a panic, and a note that decodes has a check
// value that no other key matches.
func FuzzKeyInfo(f *testing.F) {
	key := make([]byte, StoreKeySize)
	ki := NewKeyInfo(KeyGiven, "", key)
	good, _ := os.ReadFile(writeTemp(f, ki))
	f.Add(good)
	f.Add([]byte(`{"version":1,"source":"passphrase","kdf":{"name":"argon2id","salt":"AAAA","time":1,"memory_kib":8,"threads":0},"check":"AAAAAAAAAAAAAAAAAAAAAA=="}`))
	f.Add([]byte(`{"mode":"stream","aside":"../etc"}`))
	f.Add([]byte("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, KeyInfoFile), b, 0o600); err != nil {
			t.Fatal(err)
		}
		info, ok, err := ReadKeyInfo(dir)
		var dam *DamagedError
		if err != nil && !errors.As(err, &dam) {
			t.Fatalf("ReadKeyInfo = %v; want a *DamagedError", err)
		}
		if ok {
			other := make([]byte, StoreKeySize)
			other[0] = 1
			if info.Matches(other) && info.Matches(key) {
				t.Fatal("a note matches two keys")
			}
			info.Unlock(dir, "passphrase") // must not panic (threads 0, short salts …)
		}
		ParseStoreKey(string(b))
		if err := os.WriteFile(filepath.Join(dir, rekeyMarker), b, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := finishRekey(dir, slog.New(slog.DiscardHandler)); err != nil && !errors.As(err, &dam) {
			// a marker that decodes names only files in dir; errors are
			// about those files, never a panic
			t.Logf("finishRekey = %v", err)
		}
	})
}

func writeTemp(tb testing.TB, ki KeyInfo) string {
	p := filepath.Join(tb.TempDir(), KeyInfoFile)
	if err := writeKeyInfo(p, ki); err != nil {
		tb.Fatal(err)
	}
	return p
}
