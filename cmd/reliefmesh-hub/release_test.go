package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/internal/release"
)

// TestVerifyRelease: a hub binary carried with its release's SHA256SUMS and
// signature verifies (with the TEST-ONLY key given by --key, named as not
// the maintainers'), a changed copy does not, and without --key nothing
// verifies (no maintainers' key is trusted for a test signature).
func TestVerifyRelease(t *testing.T) {
	td := filepath.Join("..", "..", "testdata", "release")
	priv, err := os.ReadFile(filepath.Join(td, "TEST-ONLY-release.key"))
	if err != nil {
		t.Fatal(err)
	}
	stick := t.TempDir()
	bin := filepath.Join(stick, "reliefmesh-hub-linux-arm64")
	os.WriteFile(bin, []byte("\x7fELF a hub"), 0o755)
	h := sha256.Sum256([]byte("\x7fELF a hub"))
	sums := hex.EncodeToString(h[:]) + "  reliefmesh-hub-linux-arm64\n"
	os.WriteFile(filepath.Join(stick, release.SumsFile), []byte(sums), 0o644)
	sig, err := release.Sign([]byte(sums), priv, "", "reliefmesh 0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(stick, release.SigFile), sig, 0o644)
	key := filepath.Join(td, "TEST-ONLY-release.pub")

	out, err := run(t, "verify-release", bin, "--key", key)
	if err != nil || !strings.Contains(out, "VERIFIED: "+bin) || !strings.Contains(out, "NOT one of the maintainers' keys") {
		t.Fatalf("verify-release of the release's file = %v\n%s", err, out)
	}
	out, err = run(t, "verify-release", bin)
	if err == nil || !strings.Contains(out, "NOT VERIFIED") {
		t.Errorf("verify-release without the test key = %v\n%s; want NOT VERIFIED (the test key is not the maintainers')", err, out)
	}
	os.WriteFile(bin, []byte("\x7fELF a hub, changed"), 0o755)
	out, err = run(t, "verify-release", bin, "--key", key)
	if err == nil || !strings.Contains(out, "NOT VERIFIED") || !strings.Contains(out, "do not install") {
		t.Errorf("verify-release of a changed file = %v\n%s; want NOT VERIFIED and do not install", err, out)
	}
	os.Remove(filepath.Join(stick, release.SumsFile))
	if out, err := run(t, "verify-release", bin, "--key", key); err == nil || !strings.Contains(err.Error(), "no SHA256SUMS") {
		t.Errorf("verify-release without sums = %v\n%s; want it to say the sums are missing", err, out)
	}
}
