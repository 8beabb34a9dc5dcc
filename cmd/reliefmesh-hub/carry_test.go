package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/internal/release"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestBundleCarriesRelease: `bundle export --release` carries an installer
// signed by the TEST-ONLY key; `bundle import --key` at the other site
// applies the changes, says the release is verified and keeps it (nothing
// installed); without the key it says why it is not verified and keeps
// nothing; with the installer altered on the stick it says damaged.
func TestBundleCarriesRelease(t *testing.T) {
	td := filepath.Join("..", "..", "testdata", "release")
	priv := must(os.ReadFile(filepath.Join(td, "TEST-ONLY-release.key")))
	key := filepath.Join(td, "TEST-ONLY-release.pub")
	rel := t.TempDir()
	inst := filepath.Join(rel, "reliefmesh-0.2.0-windows-amd64-installer.exe")
	body := bytes.Repeat([]byte("MZ setup "), 1000)
	os.WriteFile(inst, body, 0o644)
	h := sha256.Sum256(body)
	sums := hex.EncodeToString(h[:]) + "  " + filepath.Base(inst) + "\n"
	os.WriteFile(filepath.Join(rel, release.SumsFile), []byte(sums), 0o644)
	os.WriteFile(filepath.Join(rel, release.SigFile), must(release.Sign([]byte(sums), priv, "", "reliefmesh 0.2.0")), 0o644)

	a := t.TempDir()
	if out, err := run(t, "init", "--name", "Quake", "--data-dir", a); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	st := must(store.Open(a, store.Options{}))
	net, _ := st.Network()
	st.Close()
	site := func() string {
		b := t.TempDir()
		sb := must(store.Open(b, store.Options{}))
		sb.JoinNetwork(net.ID)
		sb.Close()
		return b
	}
	file := filepath.Join(t.TempDir(), "site.rmb")
	out, err := run(t, "bundle", "export", "-o", file, "--release", inst, "--data-dir", a)
	if err != nil || !strings.Contains(out, "added the release "+filepath.Base(inst)) {
		t.Fatalf("bundle export --release = %v\n%s", err, out)
	}

	b := site()
	out, err = run(t, "bundle", "import", file, "--key", key, "--data-dir", b)
	kept := filepath.Join(b, "releases", filepath.Base(inst))
	if err != nil || !strings.Contains(out, "applied") || !strings.Contains(out, "VERIFIED") || !strings.Contains(out, "kept at "+kept) {
		t.Fatalf("bundle import of a signed release = %v\n%s; want the changes applied, VERIFIED, kept at %s", err, out, kept)
	}
	if got, _ := os.ReadFile(kept); !bytes.Equal(got, body) {
		t.Errorf("kept release differs from the installer (%d bytes; want %d)", len(got), len(body))
	}

	c := site()
	out, err = run(t, "bundle", "import", file, "--data-dir", c)
	if err != nil || !strings.Contains(out, "NOT VERIFIED") || !strings.Contains(out, "not kept") {
		t.Errorf("bundle import without the signing key = %v\n%s; want NOT VERIFIED, not kept", err, out)
	}
	if _, err := os.Stat(filepath.Join(c, "releases", filepath.Base(inst))); err == nil {
		t.Errorf("an unverified release was kept")
	}

	raw := must(os.ReadFile(file))
	raw[len(raw)-10] ^= 0x01 // a byte of the installer on the stick
	altered := filepath.Join(t.TempDir(), "altered.rmb")
	os.WriteFile(altered, raw, 0o644)
	out, err = run(t, "bundle", "import", altered, "--key", key, "--data-dir", site())
	if err == nil || !strings.Contains(out, "applied") || !strings.Contains(out, "release, but it is damaged") {
		t.Errorf("bundle import with the release altered = %v\n%s; want the changes applied and the release said damaged", err, out)
	}
}

// TestExportRefusesBadReleaseSignature: `bundle export --release` with a
// SHA256SUMS.minisig that is not a minisign signature (a truncated copy, a
// wrong file) used to carry it and let the other site find out; it is
// refused before anything is written, naming the file and what is wrong,
// in the hub's language.
func TestExportRefusesBadReleaseSignature(t *testing.T) {
	inst, a := releaseToCarry(t, func([]byte) []byte { return []byte("untrusted comment: cut short\nRWQ") })
	sig := filepath.Join(filepath.Dir(inst), release.SigFile)
	exportRefused(t, inst, a, nil, sig, map[string]string{"en": "is not a minisign signature", "zh-CN": "不是 minisign 签名"})
}

// releaseToCarry writes a release file and its SHA256SUMS listing it in a
// new folder, with the signature sig makes of the sums (none when sig is
// nil), and a data directory of a new network to export from. It returns
// the release file's path and the data directory.
func releaseToCarry(t *testing.T, sig func(sums []byte) []byte) (inst, dataDir string) {
	t.Helper()
	rel := t.TempDir()
	inst = filepath.Join(rel, "reliefmesh-0.2.0-linux-amd64")
	body := []byte("ELF hub")
	os.WriteFile(inst, body, 0o644)
	h := sha256.Sum256(body)
	sums := []byte(hex.EncodeToString(h[:]) + "  " + filepath.Base(inst) + "\n")
	os.WriteFile(filepath.Join(rel, release.SumsFile), sums, 0o644)
	if sig != nil {
		os.WriteFile(filepath.Join(rel, release.SigFile), sig(sums), 0o644)
	}
	dataDir = t.TempDir()
	if out, err := run(t, "init", "--name", "Quake", "--data-dir", dataDir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	return inst, dataDir
}

// exportRefused checks that `bundle export --release inst` (with args
// added) from dataDir is refused in each language of want, with an error
// naming naming and saying want[lang], and that no bundle is written.
func exportRefused(t *testing.T, inst, dataDir string, args []string, naming string, want map[string]string) {
	t.Helper()
	for lang, w := range want {
		file := filepath.Join(t.TempDir(), "site.rmb")
		out, err := run(t, append([]string{"bundle", "export", "-o", file, "--release", inst, "--lang", lang, "--data-dir", dataDir}, args...)...)
		if err == nil || !strings.Contains(err.Error(), naming) || !strings.Contains(err.Error(), w) {
			t.Errorf("bundle export --release %v --lang %s = %v\n%s; want an error naming %s and saying %q", args, lang, err, out, naming, w)
		}
		if _, err := os.Stat(file); err == nil {
			t.Errorf("--lang %s: the bundle %s was written though the release is refused", lang, file)
		}
	}
}

// TestExportRefusesReleaseNotInItsSums: a release file whose SHA-256 differs
// from its SHA256SUMS (a damaged or altered copy), or that the sums do not
// list, is refused before the bundle is written (a tester's stick carried
// one, and the other site refused it: a trip for nothing).
func TestExportRefusesReleaseNotInItsSums(t *testing.T) {
	rel := t.TempDir()
	inst := filepath.Join(rel, "reliefmesh-0.2.0-linux-amd64")
	os.WriteFile(inst, []byte("ELF hub"), 0o644)
	other := sha256.Sum256([]byte("another build"))
	a := t.TempDir()
	if out, err := run(t, "init", "--name", "Quake", "--data-dir", a); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	for _, c := range []struct{ sums, lang, want string }{
		{hex.EncodeToString(other[:]) + "  " + filepath.Base(inst) + "\n", "en", "differs from the one"},
		{hex.EncodeToString(other[:]) + "  " + filepath.Base(inst) + "\n", "zh-CN", "不符"},
		{hex.EncodeToString(other[:]) + "  reliefmesh-0.2.0-windows-amd64.exe\n", "en", "is not listed in"},
	} {
		os.WriteFile(filepath.Join(rel, release.SumsFile), []byte(c.sums), 0o644)
		file := filepath.Join(t.TempDir(), "site.rmb")
		out, err := run(t, "bundle", "export", "-o", file, "--release", inst, "--lang", c.lang, "--data-dir", a)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("bundle export --release (sums %q, --lang %s) = %v\n%s; want an error saying %q", c.sums, c.lang, err, out, c.want)
		}
		if _, err := os.Stat(file); err == nil {
			t.Errorf("the bundle %s was written with a release its sums do not vouch for", file)
		}
	}
}

// TestExportRefusesSignatureOfOtherSums: a SHA256SUMS.minisig that is a
// well-formed signature by a trusted key, but of another SHA256SUMS (the
// sums were edited, or the signature belongs to another release), used to
// be carried and refused only at the other site. It is refused before the
// bundle is written; a signature by a key this device does not trust is
// carried, and the person is told the other site needs that key.
func TestExportRefusesSignatureOfOtherSums(t *testing.T) {
	td := filepath.Join("..", "..", "testdata", "release")
	priv := must(os.ReadFile(filepath.Join(td, "TEST-ONLY-release.key")))
	key := filepath.Join(td, "TEST-ONLY-release.pub")
	inst, a := releaseToCarry(t, func(sums []byte) []byte {
		other := append(append([]byte{}, sums...), sums[:64]...)
		other = append(other, "  reliefmesh-0.1.0-linux-amd64\n"...)
		return must(release.Sign(other, priv, "", "reliefmesh 0.1.0"))
	})
	exportRefused(t, inst, a, []string{"--key", key}, release.SigFile, map[string]string{"en": "does not match", "zh-CN": "不符"})
	// without the key: this device cannot tell; it carries the release and
	// says which key signed it
	file := filepath.Join(t.TempDir(), "site.rmb")
	out, err := run(t, "bundle", "export", "-o", file, "--release", inst, "--data-dir", a)
	if err != nil || !strings.Contains(out, "added the release") || !strings.Contains(out, "cannot be checked here") {
		t.Errorf("bundle export --release signed by an untrusted key = %v\n%s; want it carried and told it cannot be checked here", err, out)
	}
}
