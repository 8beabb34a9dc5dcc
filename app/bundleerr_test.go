package app

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/reliefmesh/reliefmesh/internal/bundletest"
)

// TestBundleErrorsAsTheHub: every bundle file an import refuses gets, from
// the app, the desk code bundletest gives it (desk.BundleError), the one the
// hub's control socket gives the same file (the hub's
// TestBundleErrorsAsTheApp).
func TestBundleErrorsAsTheHub(t *testing.T) {
	a := newApp(t, t.TempDir())
	if _, err := a.Network.Create("武汉二〇二〇", "甲"); err != nil {
		t.Fatal(err)
	}
	whole := filepath.Join(t.TempDir(), "a.rmbundle")
	if _, err := a.Network.ExportBundleTo(whole); err != nil {
		t.Fatal(err)
	}
	c := newApp(t, t.TempDir())
	if _, err := c.Network.Create("火灾 C", "丙"); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "c.rmbundle")
	if _, err := c.Network.ExportBundleTo(other); err != nil {
		t.Fatal(err)
	}
	for _, f := range bundletest.Files(t, t.TempDir(), whole, other, "武汉二〇二〇") {
		_, err := a.Network.ImportBundleFrom(f.Path)
		var e *Error
		if !errors.As(err, &e) || e.Code != f.Code {
			t.Errorf("%s bundle %s: ImportBundleFrom = %v; want code %s", f.Name, filepath.Base(f.Path), err, f.Code)
		}
	}
}
