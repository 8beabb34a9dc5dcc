package app

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/internal/atomicfile"
)

// TestExportToAMissingFolder: the app's export into a folder that does not
// exist said "write bulletin …: open …/.x.xlsx.part-…: no such file or
// directory" (finding 8 of session 12). It is CodeStorage on "path" with
// the reason dir_missing and the folder, which the UI says in words
// (error.storage_dir_missing), and names no temporary file.
func TestExportToAMissingFolder(t *testing.T) {
	a, _ := importApp(t)
	missing := filepath.Join(t.TempDir(), "nonexistent", "dir")
	_, err := a.Imports.ExportToWith(filepath.Join(missing, "x.xlsx"), "xlsx", "public", true)
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeStorage || e.Field != "path" || e.Args["reason"] != atomicfile.DirMissing || e.Args["dir"] != missing {
		t.Fatalf("export into a missing folder = %#v; want %s on path, reason %s, dir %s", err, CodeStorage, atomicfile.DirMissing, missing)
	}
	if strings.Contains(e.Message, ".part-") || !strings.Contains(e.Message, "the folder "+missing+" does not exist") {
		t.Errorf("message %q; want the folder named, no temporary file", e.Message)
	}
}
