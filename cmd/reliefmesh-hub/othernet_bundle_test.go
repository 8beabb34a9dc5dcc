package main

import (
	"path/filepath"
	"strings"
	"testing"

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
