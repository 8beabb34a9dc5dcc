package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestLeanExportIsTheAppsBulletin: a data dir of more demands than the
// streamed export reads at a time (desk's bulletinChunk, 4096), some
// published, exported by the hub in-process (WriteBulletin, the app's
// path) and then through a serving lean hub's control socket, gives the
// same bytes in every streamed format and language, published only and
// with --include-unpublished; the serving hub builds its views for none of
// them. An xlsx export still answers (from the views).
func TestLeanExportIsTheAppsBulletin(t *testing.T) {
	if testing.Short() {
		t.Skip("records 4,300 demands")
	}
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateNetwork("Flood", "甲"); err != nil {
		t.Fatal(err)
	}
	const n = 4300
	published := 0
	for i := range n {
		need := float64(100 + i)
		d, err := st.RecordDemand(relief.Demand{Title: fmt.Sprintf("第%d医院急需 N95", i), Category: "protective_equipment",
			RequesterOrg: fmt.Sprintf("医院 %d", i%37), District: []string{"江汉区", "武昌区", "汉阳区"}[i%3],
			Items: []relief.Item{{Name: "N95口罩", Unit: "只", Needed: &need}}})
		if err != nil {
			t.Fatal(err)
		}
		if i%5 == 0 { // approved and published: in the default bulletin
			for _, a := range []relief.Action{relief.ActionApprove, relief.ActionPublish} {
				args := relief.Args{}
				if a == relief.ActionApprove {
					args.Evidence = &relief.Evidence{Kind: relief.EvidenceCallback, At: 1}
				}
				op, err := relief.Transition(relief.KindDemand, d.ID, a, args)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := st.ApplyLocal([]ledger.Op{op}); err != nil {
					t.Fatalf("%s demand %d: %v", a, i, err)
				}
			}
			published++
		}
	}
	st.Close()

	out := t.TempDir()
	export := func(name string, args ...string) []byte {
		t.Helper()
		file := filepath.Join(out, name)
		if log, err := run(t, append([]string{"export", "-o", file, "--data-dir", dir}, args...)...); err != nil {
			t.Fatalf("export %v = %v\n%s", args, err, log)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cases := [][]string{
		{"--format", "csv"}, {"--format", "csv", "--lang", "en", "--include-unpublished"}, {"--format", "hxl", "--include-unpublished"},
		{"--format", "json", "--include-unpublished"}, {"--format", "json", "--lang", "en"}, {"--format", "text", "--include-unpublished"},
	}
	want := make([][]byte, len(cases))
	for i, args := range cases {
		want[i] = export(fmt.Sprintf("app-%d", i), args...)
	}
	if !bytes.Contains(want[3], []byte("第4299医院急需 N95")) || bytes.Count(want[0], []byte("急需 N95")) != published {
		t.Fatalf("the app's bulletins: want every demand with --include-unpublished and the %d published ones without", published)
	}

	srv := startServe(t, dir, serveOptions{})
	defer srv.stop()
	for i, args := range cases {
		got := export(fmt.Sprintf("hub-%d", i), args...)
		if !bytes.Equal(got, want[i]) {
			t.Errorf("export %v through the serving hub: %d bytes, not the app's %d (first difference at byte %d)", args, len(got), len(want[i]), firstDiff(got, want[i]))
		}
	}
	if b := srv.nd.st.ViewBuilds(); b != 0 || srv.nd.st.ViewsResident() {
		t.Errorf("the lean hub built its views %d times for streamed exports (resident now: %v); want none", b, srv.nd.st.ViewsResident())
	}
	if x := export("hub.xlsx", "--format", "xlsx"); !strings.HasPrefix(string(x), "PK") || srv.nd.st.ViewBuilds() != 1 {
		t.Errorf("xlsx export through the hub: %d bytes, views built %d times; want a workbook, from the views once", len(x), srv.nd.st.ViewBuilds())
	}
}

// firstDiff returns the index of the first byte where a and b differ.
func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
