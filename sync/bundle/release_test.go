package bundle_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/internal/release"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
)

// signedRelease returns an installer's bytes, a SHA256SUMS listing it and
// the sums' signature by the TEST-ONLY key, with the key to trust.
func signedRelease(t *testing.T) (name string, data, sums, sig []byte, keys []release.Key) {
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
	if keys, err = release.ParseKeys(pub, "testdata"); err != nil {
		t.Fatal(err)
	}
	name = "reliefmesh-0.2.0-windows-amd64-installer.exe"
	data = bytes.Repeat([]byte("MZ installer bytes "), 150_000) // 2.8 MB: several frames
	h := sha256.Sum256(data)
	sums = []byte(hex.EncodeToString(h[:]) + "  " + name + "\n")
	if sig, err = release.Sign(sums, priv, "", "reliefmesh 0.2.0"); err != nil {
		t.Fatal(err)
	}
	return name, data, sums, sig, keys
}

// withRelease returns a bundle of src's changes carrying the release.
func withRelease(t *testing.T, b []byte, name string, data, sums, sig []byte) []byte {
	t.Helper()
	buf := bytes.NewBuffer(bytes.Clone(b))
	if err := bundle.WriteRelease(buf, name, bytes.NewReader(data), int64(len(data)), sums, sig); err != nil {
		t.Fatalf("WriteRelease = %v", err)
	}
	return buf.Bytes()
}

// TestBundleCarriesRelease: a bundle carrying a signed release imports its
// changes as before (what an older reader does too: it stops at the end
// frame), and ReadRelease keeps the installer byte for byte, which verifies
// against the signing key.
func TestBundleCarriesRelease(t *testing.T) {
	src, dst := site(t, 20)
	name, data, sums, sig, keys := signedRelease(t)
	b := withRelease(t, export(t, src, nil), name, data, sums, sig)

	res, err := bundle.Import(bytes.NewReader(b), dst, nil)
	if err != nil || uint64(res.Applied) != res.Header.Count {
		t.Fatalf("Import(bundle with a release) = %+v, %v; want every change applied", res.Stats, err)
	}
	dir := t.TempDir()
	rel, path, err := bundle.ReadRelease(bytes.NewReader(b), dir)
	if err != nil {
		t.Fatalf("ReadRelease = %v", err)
	}
	if rel.Name != name || path != filepath.Join(dir, name) || rel.Size != int64(len(data)) {
		t.Fatalf("ReadRelease = %+v at %s; want %s of %d bytes in %s", rel, path, name, len(data), dir)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, data) {
		t.Fatalf("the release kept differs from the one carried (%d bytes; want %d)", len(got), len(data))
	}
	v, err := release.Check(path, rel.Sums, rel.Sig, keys)
	if err != nil || v.Outcome != release.Verified || v.Comment != "reliefmesh 0.2.0" {
		t.Fatalf("Check(carried release) = %+v, %v; want Verified, reliefmesh 0.2.0", v, err)
	}
}

// TestBundleReleaseRefusals: a bundle without a release says so; a carried
// release whose bytes were altered or cut is refused as damaged and nothing
// kept; one whose sums were altered, or with no signature, is kept but
// Check says it is not verified, each in its own words.
func TestBundleReleaseRefusals(t *testing.T) {
	src, _ := site(t, 3)
	plain := export(t, src, nil)
	name, data, sums, sig, keys := signedRelease(t)
	good := withRelease(t, plain, name, data, sums, sig)

	if _, _, err := bundle.ReadRelease(bytes.NewReader(plain), t.TempDir()); !errors.Is(err, bundle.ErrNoRelease) {
		t.Errorf("ReadRelease(bundle without a release) = %v; want ErrNoRelease", err)
	}
	altered := bytes.Clone(good)
	altered[len(altered)-1000] ^= 0x01 // a byte of the installer
	cut := good[:len(good)-1000]
	for what, b := range map[string][]byte{"altered": altered, "cut": cut} {
		dir := t.TempDir()
		if _, _, err := bundle.ReadRelease(bytes.NewReader(b), dir); !errors.Is(err, bundle.ErrReleaseDamaged) {
			t.Errorf("ReadRelease(%s release) = %v; want ErrReleaseDamaged", what, err)
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Errorf("ReadRelease(%s release) left %d files in %s", what, len(left), dir)
		}
	}

	forged := bytes.Replace(sums, []byte(name), []byte("evil-"+name), 1)
	for _, c := range []struct {
		what      string
		sums, sig []byte
		want      release.Outcome
		words     string
	}{
		{"sums altered after signing", forged, sig, release.Unsigned, "not signed by a trusted key"},
		{"no signature", sums, nil, release.Unsigned, "there is no signature"},
	} {
		t.Run(c.what, func(t *testing.T) {
			b := withRelease(t, plain, name, data, c.sums, c.sig)
			rel, path, err := bundle.ReadRelease(bytes.NewReader(b), t.TempDir())
			if err != nil {
				t.Fatalf("ReadRelease = %v", err)
			}
			v, err := release.Check(path, rel.Sums, rel.Sig, keys)
			if err != nil || v.Outcome != c.want || !strings.Contains(v.Words(), c.words) {
				t.Fatalf("Check = %+v (%q), %v; want outcome %d saying %q", v, v.Words(), err, c.want, c.words)
			}
		})
	}
}
