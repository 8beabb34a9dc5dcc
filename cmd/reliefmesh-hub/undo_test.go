package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestUndoImportCommand: undo-import REPORT.json withdraws the demands the
// import created (after a dry run that writes nothing), and refuses the
// report of a dry run.
func TestUndoImportCommand(t *testing.T) {
	dir := initDir(t)
	file := writeTemp(t, "rows.csv", rowsCSV(4))
	out, err := run(t, "import", file, "--json", "--data-dir", dir)
	if err != nil {
		t.Fatalf("import = %v\n%s", err, out)
	}
	report := writeTemp(t, "report.json", out)
	out, err = run(t, "undo-import", report, "--dry-run", "--data-dir", dir)
	if err != nil || !strings.Contains(out, "to withdraw: 4") || withdrawn(t, dir) != 0 {
		t.Fatalf("undo-import --dry-run = %v\n%s; want 4 to withdraw and nothing written", err, out)
	}
	out, err = run(t, "undo-import", report, "--data-dir", dir)
	if err != nil || !strings.Contains(out, "withdrawn: 4") || withdrawn(t, dir) != 4 {
		t.Fatalf("undo-import = %v\n%s; want 4 withdrawn", err, out)
	}
	out, err = run(t, "undo-import", report, "--data-dir", dir)
	if err != nil || !strings.Contains(out, "withdrawn: 0") || !strings.Contains(out, "already closed") {
		t.Errorf("second undo-import = %v\n%s; want nothing withdrawn, each already closed", err, out)
	}
	dry, _ := run(t, "import", file, "--json", "--dry-run", "--data-dir", dir)
	if _, err := run(t, "undo-import", writeTemp(t, "dry.json", dry), "--data-dir", dir); err == nil || !strings.Contains(err.Error(), "dry run") {
		t.Errorf("undo-import of a dry run's report = %v; want a refusal naming the dry run", err)
	}
}

func withdrawn(t *testing.T, dir string) int {
	t.Helper()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ds, err := st.Demands(store.DemandQuery{Status: relief.StatusWithdrawn})
	if err != nil {
		t.Fatal(err)
	}
	return len(ds)
}

// TestUndoImportRefusesWhatIsNoReport: undo-import of `{}` printed
// "withdrawn: 0 / kept: 0" and succeeded; JSON that holds no import report
// is refused, in the hub's language, saying what to give.
func TestUndoImportRefusesWhatIsNoReport(t *testing.T) {
	dir := t.TempDir()
	if out, err := run(t, "init", "--name", "洪水", "--data-dir", dir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	f := filepath.Join(t.TempDir(), "x.json")
	os.WriteFile(f, []byte("{}"), 0o644)
	out, err := run(t, "undo-import", f, "--lang", "zh-CN", "--data-dir", dir)
	if err == nil || !strings.Contains(err.Error(), "不是导入的报告") || strings.Contains(out, "withdrawn") {
		t.Errorf("undo-import {} = %v\n%s; want it refused as no import report", err, out)
	}
}

// TestUndoReimportSaysUpdatedNotChanged: undo-import of a re-import's
// report told each demand the re-import updated "changed since the import
// (edited, tagged, merged or updated): kept" (finding 3 of session 12); it
// says, in both languages, that the import updated it rather than created
// it, and withdraws what the re-import created.
func TestUndoReimportSaysUpdatedNotChanged(t *testing.T) {
	dir := initDir(t)
	if out, err := run(t, "import", writeTemp(t, "rows.csv", rowsCSV(2)), "--data-dir", dir); err != nil {
		t.Fatalf("import = %v\n%s", err, out)
	}
	// the same two rows, the first with a new quantity, and a third row
	again := strings.Replace(rowsCSV(3), "口罩 10个", "口罩 99个", 1)
	out, err := run(t, "import", writeTemp(t, "rows.csv", again), "--json", "--data-dir", dir)
	if err != nil || !strings.Contains(out, `"updated": 1`) || !strings.Contains(out, `"created": 1`) {
		t.Fatalf("re-import = %v\n%s; want 1 updated, 1 created", err, out)
	}
	report := writeTemp(t, "report.json", out)
	for _, c := range []struct{ lang, want, not string }{
		{"en", "社区0: updated by this import, not created by it: an undo withdraws only what it created", "changed since"},
		{"zh-CN", "社区0：由本次导入更新，而不是由它创建：撤销只撤回导入创建的记录", "导入后被修改过"},
	} {
		out, err := run(t, "undo-import", report, "--dry-run", "--lang", c.lang, "--data-dir", dir)
		if err != nil || !strings.Contains(out, c.want) || strings.Contains(out, c.not) {
			t.Errorf("undo-import --dry-run --lang %s = %v\n%s\nwant %q", c.lang, err, out, c.want)
		}
	}
	out, err = run(t, "undo-import", report, "--data-dir", dir)
	if err != nil || withdrawn(t, dir) != 1 {
		t.Errorf("undo-import = %v\n%s; want the created one withdrawn", err, out)
	}
}
