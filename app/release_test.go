package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/reliefmesh/reliefmesh/internal/release"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
)

// TestBundleRelease: a bundle carrying an installer signed by the TEST-ONLY
// key (trusted here as the maintainers' would be) imports its changes and
// offers the release as verified; SaveReleaseTo copies it byte for byte and
// IgnoreRelease removes it. Signed by an unknown key, with no signature, or
// with the sums changed after signing, it is refused with its own problem
// and not kept; altered inside the bundle, it is damaged.
func TestBundleRelease(t *testing.T) {
	td := filepath.Join("..", "testdata", "release")
	priv, err := os.ReadFile(filepath.Join(td, "TEST-ONLY-release.key"))
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := os.ReadFile(filepath.Join(td, "TEST-ONLY-release.pub"))
	keys, err := release.ParseKeys(pub, "testdata")
	if err != nil {
		t.Fatal(err)
	}
	name := "reliefmesh-0.2.0-windows-amd64-installer.exe"
	body := bytes.Repeat([]byte("MZ setup "), 2000)
	h := sha256.Sum256(body)
	sums := []byte(hex.EncodeToString(h[:]) + "  " + name + "\n")
	sig, err := release.Sign(sums, priv, "", "reliefmesh 0.2.0")
	if err != nil {
		t.Fatal(err)
	}

	a := newApp(t, t.TempDir())
	a.Network.Create("Flood", "甲")
	plain := filepath.Join(t.TempDir(), "site.rmbundle")
	if _, err := a.Network.ExportBundleTo(plain); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(plain)
	carry := func(sums, sig []byte) string {
		var buf bytes.Buffer
		buf.Write(raw)
		if err := bundle.WriteRelease(&buf, name, bytes.NewReader(body), int64(len(body)), sums, sig); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), "with-release.rmbundle")
		os.WriteFile(p, buf.Bytes(), 0o644)
		return p
	}
	st, _ := a.store()
	net, _ := st.Network()
	site := func() *App {
		b := newApp(t, t.TempDir())
		bs, _ := b.store()
		bs.JoinNetwork(net.ID)
		b.releaseKeys = keys
		return b
	}

	b := site()
	res, err := b.Network.ImportBundleFrom(carry(sums, sig))
	r := res.Release
	if err != nil || res.Applied == 0 || !r.Present || r.Outcome != ReleaseVerified || r.Name != name || r.Version != "reliefmesh 0.2.0" || r.KeyID == "" {
		t.Fatalf("ImportBundleFrom(with a signed release) = %+v, %v; want the changes applied and the release verified", res, err)
	}
	to := filepath.Join(t.TempDir(), "setup.exe")
	if err := b.Network.SaveReleaseTo(name, to); err != nil {
		t.Fatalf("SaveReleaseTo = %v", err)
	}
	if got, _ := os.ReadFile(to); !bytes.Equal(got, body) {
		t.Errorf("saved installer differs (%d bytes; want %d)", len(got), len(body))
	}
	if err := b.Network.IgnoreRelease(name); err != nil {
		t.Fatal(err)
	}
	if err := b.Network.SaveReleaseTo(name, to); err == nil {
		t.Errorf("SaveReleaseTo after IgnoreRelease = nil; want not found")
	}
	if res, _ := b.Network.ImportBundleFrom(plain); res.Release.Present {
		t.Errorf("a bundle without a release = %+v; want none", res.Release)
	}

	forged := bytes.Replace(sums, []byte(name), []byte("x"+name), 1)
	for _, c := range []struct {
		what      string
		sums, sig []byte
		trust     bool
		problem   string
	}{
		{"no signature", sums, nil, true, release.ProblemNoSignature},
		{"unknown key", sums, sig, false, release.ProblemUnknownKey},
		{"sums changed after signing", forged, sig, true, release.ProblemBadSignature},
	} {
		t.Run(c.what, func(t *testing.T) {
			b := site()
			if !c.trust {
				b.releaseKeys = nil
			}
			res, err := b.Network.ImportBundleFrom(carry(c.sums, c.sig))
			r := res.Release
			if err != nil || r.Outcome != ReleaseRefused || r.Problem != c.problem && !(c.problem == release.ProblemUnknownKey && r.Problem == release.ProblemNoKeys) {
				t.Fatalf("ImportBundleFrom = %+v, %v; want refused with %s", r, err, c.problem)
			}
			if left, _ := os.ReadDir(b.releasesDir()); len(left) != 0 {
				t.Errorf("a refused release was kept: %d files", len(left))
			}
		})
	}
	altered, _ := os.ReadFile(carry(sums, sig))
	altered[len(altered)-5] ^= 1
	p := filepath.Join(t.TempDir(), "altered.rmbundle")
	os.WriteFile(p, altered, 0o644)
	if res, err := site().Network.ImportBundleFrom(p); err != nil || res.Release.Outcome != ReleaseDamaged {
		t.Errorf("ImportBundleFrom(release altered) = %+v, %v; want damaged", res.Release, err)
	}
}
