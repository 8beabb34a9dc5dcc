package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestImportTellsItsCuts: a file with an address over relief.MaxAddress
// characters is imported cut, and both the dry run and the import say so
// (the problem names the row, and the import counts the row as cut).
func TestImportTellsItsCuts(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateNetwork("武汉 2020", "甲"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	address := "武汉市江汉区解放大道1号" + strings.Repeat("路", relief.MaxAddress)
	file := filepath.Join(t.TempDir(), "long.csv")
	if err := os.WriteFile(file, []byte("医院名称,地址,需求物资\n武汉市汉口医院,"+address+",N95口罩\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cut := "the first " + strconv.Itoa(relief.MaxAddress) + " of " + strconv.Itoa(len([]rune(address))) + " were imported"
	for _, dry := range []bool{true, false} {
		args := []string{"import", "--data-dir", dir, file}
		if dry {
			args = append(args, "--dry-run")
		}
		out, err := run(t, args...)
		if err != nil {
			t.Fatalf("import (dry run %v) = %v\n%s", dry, err, out)
		}
		if !strings.Contains(out, "long.csv row 2") || !strings.Contains(out, cut) {
			t.Errorf("import (dry run %v) output lacks the cut of row 2 (%q):\n%.1200s", dry, cut, out)
		}
		if !dry && !strings.Contains(out, "cut:        1") {
			t.Errorf("import output does not count the row as cut:\n%.1200s", out)
		}
	}
}
