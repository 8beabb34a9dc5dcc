package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/reliefmesh/reliefmesh/internal/bundletest"
)

// TestBundleErrorsAsTheApp: every bundle file an import refuses gets, from
// the hub's control socket, the desk code bundletest gives it
// (desk.BundleError), the one the app gives the same file (the app's
// TestBundleErrorsAsTheHub). The hub had a mapping of its own
// (bundleErrorCode) that gave no code at all to an empty, cut or damaged
// file.
func TestBundleErrorsAsTheApp(t *testing.T) {
	a, c := t.TempDir(), t.TempDir()
	if out, err := run(t, "init", "--name", "武汉二〇二〇", "--member-name", "甲", "--data-dir", a); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	if out, err := run(t, "init", "--name", "火灾 C", "--data-dir", c); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	whole, other := filepath.Join(t.TempDir(), "a.rmbundle"), filepath.Join(t.TempDir(), "c.rmbundle")
	for dir, file := range map[string]string{a: whole, c: other} {
		if out, err := run(t, "bundle", "export", "-o", file, "--data-dir", dir); err != nil {
			t.Fatalf("bundle export = %v\n%s", err, out)
		}
	}
	s := startServe(t, a, serveOptions{})
	defer s.stop()
	hub, err := dialHub(a, speakerOf(langEN))
	if err != nil || hub == nil {
		t.Fatalf("dialHub = %v, %v; want the serving hub", hub, err)
	}
	for _, f := range bundletest.Files(t, t.TempDir(), whole, other, "武汉二〇二〇") {
		file, err := os.Open(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := hub.do(t.Context(), "POST", "/v0/bundle/import", "application/octet-stream", file)
		file.Close()
		if err != nil {
			t.Fatalf("%s: POST /v0/bundle/import = %v", f.Name, err)
		}
		var res importResult
		err = json.NewDecoder(resp.Body).Decode(&res)
		resp.Body.Close()
		if err != nil || res.Code != f.Code {
			t.Errorf("%s bundle %s through the control socket = %+v, %v; want code %s", f.Name, filepath.Base(f.Path), res, err, f.Code)
		}
	}
}
