package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"io/fs"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestPurePackagesImportNoIO fails if relief/ or ledger/ depend on Badger,
// libp2p or Wails (directly or not): the domain and the ledger stay pure, so
// they can be tested alone and reused by the headless hub.
func TestPurePackagesImportNoIO(t *testing.T) {
	forbidden := []string{"github.com/dgraph-io/badger", "github.com/libp2p/", "github.com/wailsapp/wails"}
	for _, pkg := range []string{"./relief/...", "./ledger/...", "./seal/..."} {
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

// TestOnlyDeskAndStoreCallApplyLocal fails if Go code outside store/ and
// desk/ uses a method named ApplyLocal (a call or a method value), which is
// how store.(*Store).ApplyLocal is reached: every command a member makes goes
// through desk/, which checks it and signs it through the store, so that app/,
// cmd/, importer/ and practice/ never write the store's feed by themselves.
// Test files and bench/ (its own module) are not checked. Matching by name
// rather than by type keeps the check to go/parser; no other type in the
// module has a method of that name.
func TestOnlyDeskAndStoreCallApplyLocal(t *testing.T) {
	allowed := []string{"store", "desk"}
	skipped := []string{"bench", "frontend", "testdata", "build", "node_modules"}
	var offenders []string
	files := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != "." && (strings.HasPrefix(d.Name(), ".") || slices.Contains(skipped, d.Name()) ||
				slices.Contains(allowed, filepath.ToSlash(path))) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		files++
		uses, err := applyLocalUses(path)
		offenders = append(offenders, uses...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("scanned only %d Go files; the check would prove nothing", files)
	}
	// The check must see the use that is allowed, or it sees nothing.
	deskFiles, _ := filepath.Glob(filepath.Join("desk", "*.go"))
	var deskUses []string
	for _, f := range deskFiles {
		uses, err := applyLocalUses(f)
		if err != nil {
			t.Fatal(err)
		}
		deskUses = append(deskUses, uses...)
	}
	if len(deskUses) == 0 {
		t.Fatalf("no use of ApplyLocal found in desk/ (%d files); want desk's own call found, or the check sees nothing", len(deskFiles))
	}
	if len(offenders) > 0 {
		t.Errorf("%d uses of ApplyLocal outside store/ and desk/ (%d files scanned); go through a desk.Desk command instead:\n\t%s",
			len(offenders), files, strings.Join(offenders, "\n\t"))
	}
}

// applyLocalUses returns "file:line: expression" for every selector
// .ApplyLocal in the Go file path.
func applyLocalUses(path string) ([]string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	var uses []string
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "ApplyLocal" {
			var b strings.Builder
			printer.Fprint(&b, fset, sel)
			uses = append(uses, fmt.Sprintf("%s: %s", fset.Position(sel.Pos()), b.String()))
		}
		return true
	})
	return uses, nil
}

// storeWriters are the methods of store.Store that write: the device's feed
// (ApplyLocal and the commands built on it), what peers send (ApplyRemote,
// RetryHeld), the device's membership and local state (CreateNetwork,
// JoinNetwork, SetJoinCode, SetSetting), sync state (SetPeerVersionVector)
// and the bus (PublishSyncProgress). TestOnlyDeskAndSyncWriteTheStore checks
// that each is still a method of *store.Store, so a renamed one fails it.
var storeWriters = []string{
	"ApplyLocal", "ApplyRemote", "RetryHeld", "CreateNetwork", "JoinNetwork", "RecordDemand", "RecordOffer",
	"Endorse", "SetJoinCode", "SetSetting", "SetPeerVersionVector", "PublishSyncProgress",
	"EndRecovery", "ConfirmOwnHead",
}

// TestOnlyDeskAndSyncWriteTheStore fails if Go code in app/, cmd/, practice/
// or importer/ (test files excluded) calls, or takes as a method value, one
// of the store's writing methods (storeWriters) on a store.Store: a member's
// commands and the device's own settings go through desk.Desk (Join,
// CreateNetwork, SetLocale …), which checks them; node/ and sync/ call what
// sync needs. Unlike TestOnlyDeskAndStoreCallApplyLocal it matches by type
// (go/packages), because the desk has methods of the same names
// (desk.Desk.Endorse, CreateNetwork …) that app/ and cmd/ must call. The
// same scan of desk/ must find the desk's own writes, or it sees nothing.
func TestOnlyDeskAndSyncWriteTheStore(t *testing.T) {
	const storePkg = "github.com/reliefmesh/reliefmesh/store"
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax |
		packages.NeedTypes | packages.NeedTypesInfo} // the imports' types come from export data
	pkgs, err := packages.Load(cfg, "./app/...", "./cmd/...", "./practice/...", "./importer/...", "./desk/...")
	if err != nil {
		t.Fatalf("load packages: %v", err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("packages did not load (see above); the check would prove nothing")
	}
	var storeType *types.Named
	for _, p := range pkgs {
		for _, imp := range p.Types.Imports() {
			if imp.Path() != storePkg {
				continue
			}
			if obj, ok := imp.Scope().Lookup("Store").(*types.TypeName); ok {
				storeType, _ = obj.Type().(*types.Named)
			}
		}
	}
	if storeType == nil {
		t.Fatal("no package imports store.Store; the check would prove nothing")
	}
	for _, name := range storeWriters {
		if obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(storeType), true, storeType.Obj().Pkg(), name); obj == nil {
			t.Errorf("store.Store has no method %s: update storeWriters", name)
		}
	}
	var offenders, deskWrites []string
	scanned := 0
	for _, p := range pkgs {
		isDesk := p.PkgPath == "github.com/reliefmesh/reliefmesh/desk"
		for _, f := range p.Syntax {
			if strings.HasSuffix(p.Fset.Position(f.Pos()).Filename, "_test.go") {
				continue
			}
			scanned++
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok || !slices.Contains(storeWriters, sel.Sel.Name) {
					return true
				}
				s, ok := p.TypesInfo.Selections[sel]
				if !ok || (s.Kind() != types.MethodVal && s.Kind() != types.MethodExpr) {
					return true
				}
				recv := s.Recv()
				if ptr, ok := recv.(*types.Pointer); ok {
					recv = ptr.Elem()
				}
				if named, ok := recv.(*types.Named); !ok || named.Obj().Pkg().Path() != storePkg || named.Obj().Name() != "Store" {
					return true
				}
				use := fmt.Sprintf("%s: store.Store.%s", p.Fset.Position(sel.Pos()), sel.Sel.Name)
				if isDesk {
					deskWrites = append(deskWrites, use)
				} else {
					offenders = append(offenders, use)
				}
				return true
			})
		}
	}
	if scanned < 50 {
		t.Fatalf("scanned only %d Go files; the check would prove nothing", scanned)
	}
	if len(deskWrites) < 3 {
		t.Fatalf("found %d writes of the store in desk/ (%v); want the desk's own (ApplyLocal, CreateNetwork, JoinNetwork …), or the check sees nothing", len(deskWrites), deskWrites)
	}
	if len(offenders) > 0 {
		t.Errorf("%d calls of the store's writing methods in app/, cmd/, practice/ or importer/ (%d files scanned); go through a desk.Desk command instead:\n\t%s",
			len(offenders), scanned, strings.Join(offenders, "\n\t"))
	}
}
