package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
)

// TestOtherNetworksBundleThroughServeIsRefusedPlainly: a bundle of another
// incident imported through a serving hub is refused as it is without one:
// no "0 changes: 0 applied …" line that reads like a success, an error that
// still is bundle.ErrOtherNetwork so the hint after it says what to do
// (explainIn), and a warning in serve's log, not an INFO line (the tester's
// finding 10, session 10).
func TestOtherNetworksBundleThroughServeIsRefusedPlainly(t *testing.T) {
	a, b := initDir(t), initDir(t)
	file := filepath.Join(t.TempDir(), "a.rmbundle")
	if out, err := run(t, "bundle", "export", "-o", file, "--data-dir", a); err != nil {
		t.Fatalf("bundle export = %v\n%s", err, out)
	}
	s := startServe(t, b, serveOptions{})
	out, err := run(t, "bundle", "import", file, "--data-dir", b)
	if err == nil {
		t.Fatalf("bundle import of another network's bundle through serve succeeded\n%s", out)
	}
	for _, lang := range []string{langEN, langZH} {
		if want := explainIn(lang, bundle.ErrOtherNetwork); explainIn(lang, err) != want {
			t.Errorf("the hint after %v in %s = %q; want the one said without a serving hub, %q", err, lang, explainIn(lang, err), want)
		}
	}
	if strings.Contains(out, "0 applied") {
		t.Errorf("bundle import of another network's bundle through serve printed a summary as if it had been read:\n%s", out)
	}
	s.stop()
	if log := s.log(); !strings.Contains(log, "level=WARN") || !strings.Contains(log, "another network") {
		t.Errorf("serve's log of the refused bundle:\n%s\nwant a WARN line that says it belongs to another network", log)
	}
}

// TestOtherNetworksBundleNamedShortly: another incident's bundle was told
// by both whole network ids, in English under --lang zh-CN ("bundle belongs
// to another network: bundle \"azttkjpe…\", this device \"vns7f2wr…\"").
// It is now said in the hub's language, naming the file and the short form
// of the bundle's network id (desk.ShortID, as the app says it), with and
// without a serving hub; the hint after it stays.
func TestOtherNetworksBundleNamedShortly(t *testing.T) {
	a, c := initDir(t), initDir(t)
	file := filepath.Join(t.TempDir(), "c.rmbundle")
	if out, err := run(t, "bundle", "export", "-o", file, "--data-dir", c); err != nil {
		t.Fatalf("bundle export = %v\n%s", err, out)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	h, err := bundle.ReadHeader(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	short := desk.ShortID(h.Network)
	want := map[string]string{langZH: "同步包 " + file + " 属于另一个网络（网络 ID " + short + "…）", langEN: "bundle " + file + " belongs to another network (network id " + short + "…)"}
	check := func(how string) {
		for _, lang := range []string{langZH, langEN} {
			_, err := run(t, "bundle", "import", file, "--lang", lang, "--data-dir", a)
			if err == nil || !strings.Contains(err.Error(), want[lang]) || strings.Contains(err.Error(), h.Network) ||
				(lang == langZH && strings.Contains(err.Error(), "belongs to")) {
				t.Errorf("%s, %s: bundle import of another network's bundle = %v; want %q, not the whole id %s", how, lang, err, want[lang], h.Network)
			}
			if explainIn(lang, err) != explainIn(lang, bundle.ErrOtherNetwork) {
				t.Errorf("%s, %s: the hint after %v = %q; want %q", how, lang, err, explainIn(lang, err), explainIn(lang, bundle.ErrOtherNetwork))
			}
		}
	}
	check("without a serving hub")
	s := startServe(t, a, serveOptions{})
	defer s.stop()
	check("through a serving hub")
}
