package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestPurePackagesImportNoIO fails if relief/ or ledger/ depend on Badger,
// libp2p or Wails (directly or not): the domain and the ledger stay pure, so
// they can be tested alone and reused by the headless hub.
func TestPurePackagesImportNoIO(t *testing.T) {
	forbidden := []string{"github.com/dgraph-io/badger", "github.com/libp2p/", "github.com/wailsapp/wails"}
	for _, pkg := range []string{"./relief/...", "./ledger/..."} {
		out, err := exec.Command("go", "list", "-deps", "-test", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		deps := strings.Fields(string(out))
		if len(deps) < 10 {
			t.Fatalf("go list -deps %s listed only %d packages; the check would prove nothing", pkg, len(deps))
		}
		for _, d := range deps {
			for _, f := range forbidden {
				if strings.HasPrefix(d, f) {
					t.Errorf("%s depends on %s; relief and ledger must not import Badger, libp2p or Wails", pkg, d)
				}
			}
		}
	}
}

// TestOnlyAppImportsWails fails if a package other than main and app/ imports Wails.
func TestOnlyAppImportsWails(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] == "github.com/reliefmesh/reliefmesh" || f[0] == "github.com/reliefmesh/reliefmesh/app" {
			continue
		}
		for _, imp := range f[1:] {
			if strings.HasPrefix(imp, "github.com/wailsapp/") {
				t.Errorf("%s imports %s; only main and app/ may import Wails", f[0], imp)
			}
		}
	}
}

// TestImporterDoesNotImportStore fails if importer/ (its tests included)
// depends on the store, directly or not: the importer reads, cleans, maps
// and plans (importer.Planner, on what importer.Existing says is present);
// only the desk (desk.Desk.Import) reads the store and writes.
func TestImporterDoesNotImportStore(t *testing.T) {
	const forbidden = "github.com/reliefmesh/reliefmesh/store"
	out, err := exec.Command("go", "list", "-deps", "-test", "./importer/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps ./importer/...: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 || !slices.Contains(deps, "github.com/reliefmesh/reliefmesh/relief") {
		t.Fatalf("go list -deps ./importer/... listed %d packages, relief not among them; the check would prove nothing", len(deps))
	}
	for _, d := range deps {
		if d == forbidden || strings.HasPrefix(d, forbidden+"/") || strings.HasPrefix(d, forbidden+" ") {
			t.Errorf("importer depends on %s; the importer must not import the store (the desk writes what it plans)", d)
		}
	}
}
