package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/importer"

	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newRoot()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), err
}

func TestStatusReadsWhatTheAppStored(t *testing.T) {
	dir := t.TempDir()
	// what the desktop app does: open the store in dir, create a network, record demands
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.CreateNetwork("武汉 2020", "甲")
	need := 100.0
	for _, title := range []string{"N95", "防护服"} {
		if _, err := st.RecordDemand(relief.Demand{Title: title, Category: "protective_equipment",
			Items: []relief.Item{{Name: title, Needed: &need}}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.RecordOffer(relief.Offer{Supplier: "如家酒店", Region: "武昌区"}); err != nil {
		t.Fatal(err)
	}
	device := st.Device().String()
	st.Close()

	out, err := run(t, "status", "--json", "--data-dir", dir)
	if err != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	var s struct {
		Device          string            `json:"device"`
		Network         *store.Network    `json:"network"`
		Role            string            `json:"role"`
		Demands         int               `json:"demands"`
		DemandsByStatus map[string]int    `json:"demands_by_status"`
		Members         int               `json:"members"`
		Offers          int               `json:"offers"`
		VersionVector   map[string]uint64 `json:"version_vector"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("status --json printed no JSON: %v\n%s", err, out)
	}
	if s.Device != device || s.Network == nil || s.Network.Name != "武汉 2020" || s.Role != "coordinator" ||
		s.Demands != 2 || s.DemandsByStatus["collected"] != 2 || s.Members != 1 || s.Offers != 1 || s.VersionVector[device] != 4 {
		t.Errorf("status --json = %+v; want device %s, network 武汉 2020, coordinator, 2 collected, 1 member, 1 offer, seq 4", s, device)
	}

	// the second status reads the counts the first one saved
	out, err = run(t, "status", "--data-dir", dir)
	if err != nil || !strings.Contains(out, "Collected") || !strings.Contains(out, device) || !strings.Contains(out, "offers:   1\n") {
		t.Errorf("status = %v\n%s", err, out)
	}
}

func TestInitAndEndorse(t *testing.T) {
	dir := t.TempDir()
	if out, err := run(t, "init", "--data-dir", dir); err == nil || !strings.Contains(err.Error(), "--name") {
		t.Fatalf("init without --name = %v\n%s; want an error naming --name", err, out)
	}
	out, err := run(t, "init", "--name", "Flood", "--member-name", "Hub East", "--data-dir", dir)
	if err != nil || !strings.Contains(out, "Flood") {
		t.Fatalf("init = %v\n%s", err, out)
	}
	if _, err := run(t, "init", "--name", "Again", "--data-dir", dir); err == nil || !strings.Contains(err.Error(), `network "Flood"`) {
		t.Errorf("a second init = %v; want an error naming the network Flood", err)
	}
	other, _ := store.Open(t.TempDir(), store.Options{})
	id := other.Device().String()
	other.Close()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"endorse", "not-an-id", "--data-dir", dir}, "member id"},
		{[]string{"endorse", id, "--role", "admiral", "--data-dir", dir}, "--role"},
	} {
		if _, err := run(t, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v = %v; want an error mentioning %q", tc.args, err, tc.want)
		}
	}
	if out, err := run(t, "endorse", id, "--role", "volunteer", "--name", "乙", "--data-dir", dir); err != nil {
		t.Fatalf("endorse = %v\n%s", err, out)
	}
	out, _ = run(t, "status", "--json", "--data-dir", dir)
	if !strings.Contains(out, `"members": 2`) {
		t.Errorf("status after endorse:\n%s\nwant 2 members", out)
	}
	// every key of status --json is lower case (snake_case)
	var keys func(v any)
	keys = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if k != strings.ToLower(k) {
					t.Errorf("status --json has the key %q; want snake_case", k)
				}
				keys(x)
			}
		case []any:
			for _, x := range v {
				keys(x)
			}
		}
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	keys(doc)
	if n, _ := doc["network"].(map[string]any); n["name"] != "Flood" || n["id"] == "" {
		t.Errorf("status --json network = %v; want id and name Flood", doc["network"])
	}

	if _, err := run(t, "export", "--data-dir", dir); err == nil || !strings.Contains(err.Error(), "-o FILE is required") {
		t.Errorf("export without -o = %v; want -o FILE is required", err)
	}
	if out, err := run(t, "export", "-o", "-", "--format", "json", "--include-unpublished", "--data-dir", dir); err != nil || !strings.HasPrefix(strings.TrimSpace(out), "[") && !strings.HasPrefix(strings.TrimSpace(out), "{") {
		t.Errorf("export -o - --format json = %v\n%s; want JSON on standard output", err, out)
	}
}

func TestBadDataDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	if _, err := run(t, "status", "--data-dir", file); err == nil || !strings.Contains(err.Error(), file) {
		t.Errorf("status on a file = %v; want an error naming %s", err, file)
	}
}

// TestMistypedDataDir: a subcommand that reads a device refuses a data dir
// with no device in it, and creates nothing there.
func TestMistypedDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "typo")
	someFile := filepath.Join(t.TempDir(), "site-a.rmbundle")
	if err := os.WriteFile(someFile, []byte("not read"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"status"}, {"export", "-o", filepath.Join(t.TempDir(), "x.csv")}, {"join-code"}, {"bundle", "import", someFile}} {
		var out bytes.Buffer
		cmd := newRoot()
		cmd.SetArgs(append([]string{"--data-dir", dir}, args...))
		cmd.SetOut(&out)
		cmd.SetErr(&out)
		err := cmd.Execute()
		if err == nil || !strings.Contains(err.Error(), "no ReliefMesh device in "+dir) {
			t.Errorf("%v on a missing data dir: err %v; want it to name the dir", args, err)
		}
		if strings.Contains(out.String(), "changes") {
			t.Errorf("%v on a missing data dir printed %q before the error", args, out.String())
		}
		if _, err := os.Stat(filepath.Join(dir, store.KeyFile)); err == nil {
			t.Fatalf("%v created a device key in the mistyped dir", args)
		}
	}
	// `id` creates the device on purpose, and says the same id every time.
	out1, err := run(t, "id", "--data-dir", dir)
	if err != nil {
		t.Fatalf("id = %v", err)
	}
	out2, _ := run(t, "id", "--data-dir", dir)
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if strings.TrimSpace(out1) != st.Device().String() || out1 != out2 {
		t.Errorf("id = %q then %q; want the device's member id %s both times", out1, out2, st.Device())
	}
}

// TestImportProgressAndInterrupt: without a terminal the import prints
// progress lines, and an import cancelled part way says how many records it
// applied, keeps them, and a second run completes it.
func TestImportProgressAndInterrupt(t *testing.T) {
	dir := t.TempDir()
	if out, err := run(t, "init", "--name", "Flood", "--data-dir", dir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	var csv strings.Builder
	csv.WriteString("单位名称,地址,所需物资\n")
	const n = 60
	for i := range n {
		fmt.Fprintf(&csv, "社区%d,武汉市江汉区香港路%d号,口罩 %d个\n", i, i+1, 10+i)
	}
	file := filepath.Join(t.TempDir(), "rows.csv")
	if err := os.WriteFile(file, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cmd := newRoot()
	var out bytes.Buffer
	cmd.SetOut(&out)
	// as a Ctrl-C once the import started, before the first batch is
	// checked: one batch is written
	cmd.SetErr(cancelOn{&out, "importing", cancel})
	cmd.SetArgs([]string{"import", file, "--data-dir", dir})
	err := cmd.ExecuteContext(ctx)
	want := fmt.Sprintf("import interrupted: %d of %d records applied", importer.BatchSize, n)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("cancelled import = %v\n%s; want %q", err, out.String(), want)
	}
	if !strings.Contains(out.String(), fmt.Sprintf("created:    %d", importer.BatchSize)) {
		t.Errorf("cancelled import printed\n%s\nwant the report of the %d records written", out.String(), importer.BatchSize)
	}

	defer func(d time.Duration) { progressEvery = d }(progressEvery)
	progressEvery = 0
	got, err := run(t, "import", file, "--data-dir", dir)
	if err != nil {
		t.Fatalf("second import = %v\n%s", err, got)
	}
	for _, w := range []string{fmt.Sprintf("importing %d records…", n), fmt.Sprintf("imported 25/%d records…", n),
		fmt.Sprintf("created:    %d", n-importer.BatchSize), fmt.Sprintf("skipped:    %d", importer.BatchSize)} {
		if !strings.Contains(got, w) {
			t.Errorf("second import printed\n%s\nwant %q", got, w)
		}
	}
}

// cancelOn writes to w and calls cancel when a write contains text.
type cancelOn struct {
	w      io.Writer
	text   string
	cancel func()
}

func (c cancelOn) Write(p []byte) (int, error) {
	if strings.Contains(string(p), c.text) {
		c.cancel()
	}
	return c.w.Write(p)
}

// TestImportCtrlCBeforeWriting: a Ctrl-C before the import starts writing
// (while the files are read) writes nothing and says so.
func TestImportCtrlCBeforeWriting(t *testing.T) {
	dir := initDir(t)
	file := writeTemp(t, "rows.csv", rowsCSV(30))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cmd := newRoot()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs([]string{"import", file, "--data-dir", dir})
	err := cmd.ExecuteContext(ctx)
	if err == nil || !strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("import cancelled before writing = %v; want it to say nothing was written", err)
	}
	if n := demandCount(t, dir); n != 0 {
		t.Errorf("import cancelled before writing wrote %d demands", n)
	}
}
