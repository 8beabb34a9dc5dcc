package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportOfABundleSaysBundleImport: `import` given a bundle (a USB sync
// file), whatever its name, writes nothing and says to use `bundle import`,
// instead of "no column names an organisation".
func TestImportOfABundleSaysBundleImport(t *testing.T) {
	dir := t.TempDir()
	if out, err := run(t, "init", "--name", "Flood", "--member-name", "甲", "--data-dir", dir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	b := filepath.Join(t.TempDir(), "site-a.rmbundle")
	if out, err := run(t, "bundle", "export", "-o", b, "--data-dir", dir); err != nil {
		t.Fatalf("bundle export = %v\n%s", err, out)
	}
	renamed := filepath.Join(t.TempDir(), "hospitals.csv")
	data, _ := os.ReadFile(b)
	os.WriteFile(renamed, data, 0o644)
	for _, f := range []string{b, renamed} {
		out, err := run(t, "import", f, "--data-dir", dir)
		if err == nil {
			t.Fatalf("import %s = nil error\n%s; want it refused", f, out)
		}
		if !strings.Contains(err.Error(), "reliefmesh-hub bundle import "+f) || !strings.Contains(err.Error(), "is a bundle") {
			t.Errorf("import %s: %v; want it to say the file is a bundle and to use `reliefmesh-hub bundle import %s`", f, err, f)
		}
	}
}
