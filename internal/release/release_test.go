package release

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aead.dev/minisign"
)

// testKeys reads the TEST-ONLY key pair of testdata/release.
func testKeys(t *testing.T) (priv []byte, keys []Key) {
	t.Helper()
	dir := filepath.Join("..", "..", "testdata", "release")
	priv, err := os.ReadFile(filepath.Join(dir, "TEST-ONLY-release.key"))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := os.ReadFile(filepath.Join(dir, "TEST-ONLY-release.pub"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err = ParseKeys(pub, "testdata")
	if err != nil || len(keys) != 1 {
		t.Fatalf("ParseKeys(test key) = %d keys, %v; want 1", len(keys), err)
	}
	return priv, keys
}

// release writes two files and their SHA256SUMS into a temp dir and signs
// the sums with priv; it returns the dir, the sums and the signature.
func release(t *testing.T, priv []byte) (string, []byte, []byte) {
	t.Helper()
	dir := t.TempDir()
	var sums strings.Builder
	for name, body := range map[string]string{"reliefmesh-hub-linux-arm64": "hub binary", "reliefmesh_0.1.0_amd64.deb": "deb"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256([]byte(body))
		sums.WriteString(hex.EncodeToString(h[:]) + "  " + name + "\n")
	}
	sig, err := Sign([]byte(sums.String()), priv, "", "reliefmesh 0.1.0")
	if err != nil {
		t.Fatalf("Sign = %v", err)
	}
	return dir, []byte(sums.String()), sig
}

func TestCheck(t *testing.T) {
	priv, keys := testKeys(t)
	dir, sums, sig := release(t, priv)
	hub := filepath.Join(dir, "reliefmesh-hub-linux-arm64")

	v, err := Check(hub, sums, sig, keys)
	if err != nil || v.Outcome != Verified {
		t.Fatalf("Check(signed, listed file) = %+v, %v; want Verified", v, err)
	}
	if v.Comment != "reliefmesh 0.1.0" || v.Listed != "reliefmesh-hub-linux-arm64" || v.Renamed {
		t.Errorf("verdict %+v; want the release's comment and the file's listed name", v)
	}
	if w := v.Words(); !strings.Contains(w, "VERIFIED") || !strings.Contains(w, "NOT one of the maintainers' keys") {
		t.Errorf("Words() = %q; want VERIFIED and that the test key is not the maintainers'", w)
	}

	// a renamed copy (a USB stick's "reliefmesh-hub (1)") is found by content
	renamed := filepath.Join(t.TempDir(), "hub-copy")
	data, _ := os.ReadFile(hub)
	os.WriteFile(renamed, data, 0o644)
	if v, _ := Check(renamed, sums, sig, keys); v.Outcome != Verified || !v.Renamed || v.Listed != "reliefmesh-hub-linux-arm64" {
		t.Errorf("Check(renamed copy) = %+v; want Verified as reliefmesh-hub-linux-arm64, renamed", v)
	}

	// the file altered (one byte): not listed, and the words say whose sum differs
	os.WriteFile(hub, []byte("hub binarz"), 0o644)
	v, _ = Check(hub, sums, sig, keys)
	if v.Outcome != NotListed || !strings.Contains(v.Words(), "lists for reliefmesh-hub-linux-arm64") || !strings.Contains(v.Words(), "do not install") {
		t.Errorf("Check(altered file) = %+v, %q; want NotListed naming the listed sum", v, v.Words())
	}
	os.WriteFile(hub, []byte("hub binary"), 0o644)

	// the sums altered after signing
	bad := []byte(strings.Replace(string(sums), "reliefmesh_0.1.0_amd64.deb", "reliefmesh_0.1.1_amd64.deb", 1))
	if v, _ := Check(hub, bad, sig, keys); v.Outcome != Unsigned || !strings.Contains(v.Why, "not signed by a trusted key") {
		t.Errorf("Check(altered sums) = %+v; want Unsigned", v)
	}
	// signed by another key
	_, other, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	otherText, _ := other.MarshalText()
	otherSig, _ := Sign(sums, otherText, "", "reliefmesh 0.1.0")
	if v, _ := Check(hub, sums, otherSig, keys); v.Outcome != Unsigned {
		t.Errorf("Check(signed by an unknown key) = %+v; want Unsigned", v)
	}
	// no signature, no keys
	if v, _ := Check(hub, sums, nil, keys); v.Outcome != Unsigned || !strings.Contains(v.Why, "missing") {
		t.Errorf("Check(no signature) = %+v; want Unsigned saying it is missing", v)
	}
	if v, _ := Check(hub, sums, sig, nil); v.Outcome != Unsigned || !strings.Contains(v.Why, "no maintainers' public key") {
		t.Errorf("Check(no trusted keys) = %+v; want Unsigned saying there is no key", v)
	}
}

func TestParseSums(t *testing.T) {
	h := strings.Repeat("ab", 32)
	got, err := ParseSums([]byte(h + "  a.deb\n" + strings.ToUpper(h) + " *b.exe\n\n"))
	if err != nil || len(got) != 2 || got[0].Name != "a.deb" || got[1].Name != "b.exe" || got[1].SHA256 != h {
		t.Fatalf("ParseSums = %+v, %v", got, err)
	}
	for _, bad := range []string{"xyz  a.deb", strings.Repeat("zz", 32) + "  a.deb", h + "a.deb"} {
		if _, err := ParseSums([]byte(bad)); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("ParseSums(%q) = %v; want an error naming line 1", bad, err)
		}
	}
}

// TestMaintainersExcludeTestKey: the embedded list parses and never holds
// the TEST-ONLY key, whose secret key is in this repository.
func TestMaintainersExcludeTestKey(t *testing.T) {
	_, test := testKeys(t)
	keys, err := Maintainers()
	if err != nil {
		t.Fatalf("Maintainers() = %v", err)
	}
	for _, k := range keys {
		if k.Key.Equal(test[0].Key) {
			t.Fatalf("the maintainers' keys include the TEST-ONLY key %s", k.ID())
		}
	}
}

// TestCheckProblems: each way a release fails verification has its own
// Problem, so that the UI words it: missing, unknown key, wrong signature
// (the sums changed after signing, or not a signature), not listed, no keys.
func TestCheckProblems(t *testing.T) {
	priv, keys := testKeys(t)
	dir, sums, sig := release(t, priv)
	hub := filepath.Join(dir, "reliefmesh-hub-linux-arm64")
	_, other, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	otherText, _ := other.MarshalText()
	otherSig, _ := Sign(sums, otherText, "", "reliefmesh 0.1.0")
	changed := []byte(strings.Replace(string(sums), "reliefmesh_0.1.0_amd64.deb", "reliefmesh_0.1.1_amd64.deb", 1))
	deb := filepath.Join(dir, "reliefmesh_0.1.0_amd64.deb")
	os.WriteFile(deb, []byte("deb, altered"), 0o644)
	for _, c := range []struct {
		what      string
		file      string
		sums, sig []byte
		keys      []Key
		want      string
	}{
		{"verified", hub, sums, sig, keys, ""},
		{"missing", hub, sums, nil, keys, ProblemNoSignature},
		{"not a signature", hub, sums, []byte("garbage"), keys, ProblemBadSignature},
		{"sums changed after signing", hub, changed, sig, keys, ProblemBadSignature},
		{"unknown key", hub, sums, otherSig, keys, ProblemUnknownKey},
		{"not listed", deb, sums, sig, keys, ProblemNotListed},
		{"no keys", hub, sums, sig, nil, ProblemNoKeys},
	} {
		t.Run(c.what, func(t *testing.T) {
			v, err := Check(c.file, c.sums, c.sig, c.keys)
			if err != nil || v.Problem != c.want || (c.want == "") != (v.Outcome == Verified) {
				t.Fatalf("Check = %+v, %v; want problem %q", v, err, c.want)
			}
		})
	}
}

// TestParseSignature: a signature made by Sign parses; one cut short, an
// empty file and a public key in its place do not.
func TestParseSignature(t *testing.T) {
	priv, err := os.ReadFile(filepath.Join("..", "..", "testdata", "release", "TEST-ONLY-release.key"))
	if err != nil {
		t.Fatal(err)
	}
	sig, err := Sign([]byte("sums\n"), priv, "", "c")
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := os.ReadFile(filepath.Join("..", "..", "testdata", "release", "TEST-ONLY-release.pub"))
	keys, err := ParseKeys(pub, "test")
	if err != nil {
		t.Fatal(err)
	}
	if id, err := ParseSignature(sig); err != nil || id != keys[0].ID() {
		t.Errorf("ParseSignature(a signature) = %q, %v; want the signing key's id %s", id, err, keys[0].ID())
	}
	for name, bad := range map[string][]byte{"cut short": sig[:len(sig)/2], "empty": nil, "a public key": pub} {
		if _, err := ParseSignature(bad); err == nil {
			t.Errorf("ParseSignature(%s) = nil; want an error", name)
		}
	}
}
