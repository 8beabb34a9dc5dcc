package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// envRunMain makes the test binary run the hub's main instead of the tests,
// for tests that send the hub a signal.
const envRunMain = "RELIEFMESH_HUB_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(envRunMain) == "1" {
		main()
		os.Exit(0)
	}
	// The tests read English messages whatever this computer's locale
	// (lang_test.go sets --lang or the locale where it tests the languages).
	os.Unsetenv("LC_ALL")
	os.Unsetenv("LC_MESSAGES")
	os.Setenv("LANG", "C.UTF-8")
	os.Exit(m.Run())
}

// initDir returns a data dir with a new network.
func initDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := run(t, "init", "--name", "Flood", "--data-dir", dir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	return dir
}

// rowsCSV returns a demand sheet of n rows, each with a phone number.
func rowsCSV(n int) string {
	var b strings.Builder
	b.WriteString("单位名称,地址,所需物资,联系方式\n")
	for i := range n {
		fmt.Fprintf(&b, "社区%d,武汉市江汉区香港路%d号,口罩 %d个,张老师 138%08d\n", i, i+1, 10+i, i)
	}
	return b.String()
}

// writeTemp writes data to a file named name in a new temporary dir.
func writeTemp(t *testing.T, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// demandCount opens the store of dir and counts its demands.
func demandCount(t *testing.T, dir string) int {
	t.Helper()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ds, err := st.Demands(store.DemandQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return len(ds)
}

// TestImportCtrlCWhileReading: a Ctrl-C that arrives while the files are
// still read stops the import, says nothing was written and exits non-zero,
// also when the hub was started with SIGINT ignored (a script's background
// job). It was lost: the signal handler was set only once the files were
// read, so the hub either died silently or imported every row and exited 0.
func TestImportCtrlCWhileReading(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the hub as a process")
	}
	dir := initDir(t)
	fifo := filepath.Join(t.TempDir(), "big.csv") // reading blocks until the test writes
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	cmd := exec.Command(os.Args[0], "import", fifo, "--data-dir", dir)
	cmd.Env = append(os.Environ(), envRunMain+"=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	signal.Ignore(os.Interrupt) // inherited by the hub, as by a background job of a shell
	err := cmd.Start()
	signal.Reset(os.Interrupt)
	if err != nil {
		t.Fatal(err)
	}
	w, err := os.OpenFile(fifo, os.O_WRONLY, 0) // returns once the hub opened it: it is reading
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err = <-exited:
	case <-time.After(30 * time.Second):
		io.WriteString(w, rowsCSV(60)) // let it finish to see what it does
		w.Close()
		err = <-exited
		t.Fatalf("import did not stop on Ctrl-C while reading; given the file it ended with %v, %d demands:\n%s", err, demandCount(t, dir), out.String())
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("import after Ctrl-C while reading = %v; want exit code 1\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "nothing was written") {
		t.Errorf("import after Ctrl-C while reading printed\n%s\nwant it to say nothing was written", out.String())
	}
	if n := demandCount(t, dir); n != 0 {
		t.Errorf("import after Ctrl-C while reading wrote %d demands; want 0", n)
	}
}

// controlOn returns a control socket handler on the store of dir (import and
// export need no network node) and closes the store at the end of the test.
func controlOn(t *testing.T, dir string) (*httptest.Server, *store.Store) {
	t.Helper()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := &node{st: st, dk: desk.New(st)}
	srv := httptest.NewServer(n.handler(slog.New(slog.DiscardHandler)))
	t.Cleanup(func() { srv.Close(); st.Close() })
	return srv, st
}

func postJSON(t *testing.T, url string, in, out any) {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s = %s %s", url, resp.Status, body)
	}
	if err := json.Unmarshal(body, out); err != nil {
		t.Fatalf("POST %s answered %s: %v", url, body, err)
	}
}

// TestControlImportCancel: an import through the control socket stops
// between batches when its client cancels it (Ctrl-C on the client), and the
// answer says how many records were applied. It could not be stopped.
func TestControlImportCancel(t *testing.T) {
	dir := initDir(t)
	recs, _, err := importer.ReadFile(writeTemp(t, "rows.csv", rowsCSV(60)), importer.DefaultOptions())
	if err != nil || len(recs) != 60 {
		t.Fatalf("read = %d records, %v", len(recs), err)
	}
	srv, st := controlOn(t, dir)

	var dry importAnswer
	postJSON(t, srv.URL+"/v0/import?id=a&dry_run=1", recs, &dry)
	if dry.Report.Created != 60 || dry.Interrupted {
		t.Errorf("dry run through the socket = %+v; want 60 to create", dry)
	}
	if ds, _ := st.Demands(store.DemandQuery{}); len(ds) != 0 {
		t.Fatalf("dry run wrote %d demands", len(ds))
	}

	var empty struct{}
	postJSON(t, srv.URL+"/v0/import/cancel?id=b", nil, &empty) // before the import starts: it starts cancelled
	var ans importAnswer
	postJSON(t, srv.URL+"/v0/import?id=b", recs, &ans)
	ds, _ := st.Demands(store.DemandQuery{})
	if !ans.Interrupted || ans.Applied != importer.BatchSize || ans.Total != 60 || len(ds) != importer.BatchSize {
		t.Errorf("cancelled import = interrupted %v, %d of %d applied, %d demands; want interrupted, %d of 60",
			ans.Interrupted, ans.Applied, ans.Total, len(ds), importer.BatchSize)
	}
}

// TestImportControlClientGone: the hub stops an import when its client goes
// away (the connection closes before the answer).
func TestImportControlClientGone(t *testing.T) {
	dir := initDir(t)
	recs, _, err := importer.ReadFile(writeTemp(t, "rows.csv", rowsCSV(400)), importer.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	srv, st := controlOn(t, dir)
	b, _ := json.Marshal(recs)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/v0/import?id=c", bytes.NewReader(b))
	go func() {
		// cancel once the first batch is in: the import is under way
		for {
			if ds, _ := st.Demands(store.DemandQuery{}); len(ds) > 0 {
				cancel()
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	waitFor(t, 30*time.Second, "the import to stop", func() error {
		n1, _ := st.Demands(store.DemandQuery{})
		time.Sleep(300 * time.Millisecond)
		n2, _ := st.Demands(store.DemandQuery{})
		if len(n1) != len(n2) {
			return fmt.Errorf("still importing: %d demands", len(n2))
		}
		return nil
	})
	if ds, _ := st.Demands(store.DemandQuery{}); len(ds) == 400 {
		t.Errorf("the hub imported all 400 records after its client went away")
	}
}

// TestImportUnknownKind: --kind takes demand or offer only; anything else is
// refused, naming both, before anything is written (banana became demands).
func TestImportUnknownKind(t *testing.T) {
	dir := initDir(t)
	file := writeTemp(t, "rows.csv", rowsCSV(3))
	out, err := run(t, "import", file, "--kind", "banana", "--data-dir", dir)
	if err == nil || !strings.Contains(err.Error(), "banana") || !strings.Contains(err.Error(), "demand or offer") {
		t.Errorf("import --kind banana = %v\n%s; want a refusal naming demand or offer", err, out)
	}
	if n := demandCount(t, dir); n != 0 {
		t.Errorf("import --kind banana wrote %d demands", n)
	}
	if out, err := run(t, "import", file, "--kind", "demand", "--data-dir", dir); err != nil || demandCount(t, dir) != 3 {
		t.Errorf("import --kind demand = %v\n%s; want 3 demands", err, out)
	}
}

// TestImportBadFileAmongGood: one unreadable file in a multi-file import
// stops it before anything is written, and the error says so and names the
// readable files (the good file was silently not imported).
func TestImportBadFileAmongGood(t *testing.T) {
	dir := initDir(t)
	good := writeTemp(t, "good.csv", rowsCSV(5))
	bad := writeTemp(t, "binary.bin", "PK\x03\x04\x00\x01\x02garbage")
	out, err := run(t, "import", good, bad, "--data-dir", dir)
	if err == nil {
		t.Fatalf("import good.csv binary.bin = nil error\n%s", out)
	}
	for _, w := range []string{"nothing was imported", "binary.bin", "good.csv (5 records)"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("import good.csv binary.bin = %v; want it to say %q", err, w)
		}
	}
	if n := demandCount(t, dir); n != 0 {
		t.Errorf("import good.csv binary.bin wrote %d demands; want none", n)
	}
}

// importJSON is what import --json prints.
type importJSON struct {
	Records int             `json:"records"`
	DryRun  bool            `json:"dry_run"`
	Report  importer.Report `json:"report"`
}

// TestImportDryRunPreviews: --dry-run says what the import would create,
// skip and flag (it printed "nothing written" and zeros), and writes nothing.
func TestImportDryRunPreviews(t *testing.T) {
	dir := initDir(t)
	file := writeTemp(t, "rows.csv", rowsCSV(6))
	out, err := run(t, "import", file, "--dry-run", "--data-dir", dir)
	if err != nil || !strings.Contains(out, "created:    6") || !strings.Contains(out, "nothing written") {
		t.Errorf("import --dry-run = %v\n%s; want 6 to create and nothing written", err, out)
	}
	if n := demandCount(t, dir); n != 0 {
		t.Fatalf("import --dry-run wrote %d demands", n)
	}
	if out, err := run(t, "import", file, "--data-dir", dir); err != nil {
		t.Fatalf("import = %v\n%s", err, out)
	}
	out, err = run(t, "import", file, "--dry-run", "--json", "--data-dir", dir)
	var got importJSON
	if err != nil || json.Unmarshal([]byte(out), &got) != nil {
		t.Fatalf("import --dry-run --json = %v\n%s", err, out)
	}
	if !got.DryRun || got.Report.Skipped != 6 || got.Report.Created != 0 {
		t.Errorf("dry run of a file imported already = %+v; want 6 skipped", got)
	}
}

// TestImportJSONHasNoNullLists: import --json never prints null for a list
// (ids, duplicates, updates and problems were null when empty).
func TestImportJSONHasNoNullLists(t *testing.T) {
	dir := initDir(t)
	file := writeTemp(t, "rows.csv", rowsCSV(2))
	run(t, "import", file, "--data-dir", dir)
	for _, args := range [][]string{{"import", file, "--json"}, {"import", file, "--json", "--dry-run"}} {
		out, err := run(t, append(args, "--data-dir", dir)...)
		if err != nil {
			t.Fatalf("%v = %v\n%s", args, err, out)
		}
		var v struct {
			Report map[string]json.RawMessage `json:"report"`
		}
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("%v printed %s: %v", args, out, err)
		}
		for _, k := range []string{"ids", "duplicates", "updates", "problems"} {
			if raw, ok := v.Report[k]; !ok || string(raw) == "null" {
				t.Errorf("%v: report.%s = %s; want a list", args, k, raw)
			}
		}
	}
}

// TestExportJSONHasNoNullLists: export --format json prints [] for an empty
// bulletin and for a demand without supplies ("items": null before).
func TestExportJSONHasNoNullLists(t *testing.T) {
	dir := initDir(t)
	out, stderr, err := runSplit(t, "export", "--format", "json", "-o", "-", "--data-dir", dir)
	if err != nil || strings.TrimSpace(out) != "[]" || !strings.Contains(stderr, "公告为空") {
		t.Errorf("export --format json of no demands = %v\n%s\n(stderr %s); want [] and, on standard error, why it is empty", err, out, stderr)
	}
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.RecordDemand(relief.Demand{Title: "志愿者搬运", Category: "volunteers", RequesterOrg: "社区一"}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out, err = run(t, "export", "--format", "json", "--include-unpublished", "-o", "-", "--data-dir", dir)
	var lines []map[string]json.RawMessage
	if err != nil || json.Unmarshal([]byte(out), &lines) != nil || len(lines) != 1 {
		t.Fatalf("export --format json = %v\n%s; want one line", err, out)
	}
	if raw := string(lines[0]["items"]); raw != "[]" {
		t.Errorf("items of a demand without supplies = %s; want []", raw)
	}
}

// TestJoinCodeWithoutAddress: a code made while no hub serves and without
// --addr carries no address; join-code and join both say so instead of
// promising that serve dials the code's addresses (it waited for ever).
func TestJoinCodeWithoutAddress(t *testing.T) {
	dir := initDir(t)
	out, err := run(t, "join-code", "--qr=false", "--data-dir", dir)
	if err != nil {
		t.Fatalf("join-code = %v\n%s", err, out)
	}
	if !strings.Contains(out, "this code carries no address: start `serve` first or pass --addr") {
		t.Errorf("join-code without an address printed\n%s\nwant it to say the code carries no address", out)
	}
	code := strings.SplitN(out, "\n", 2)[0]
	out, err = run(t, "join", code, "--data-dir", t.TempDir())
	if err != nil {
		t.Fatalf("join = %v\n%s", err, out)
	}
	if !strings.Contains(out, "the code has no address: give one with --peer") || strings.Contains(out, "dials the code's addresses") {
		t.Errorf("join with a code without address printed\n%s\nwant it to say the code has no address, and no promise to dial it", out)
	}
}

// TestStatusShowsGapsApart: changes that waited for earlier ones of their
// feed are shown on their own line, never among the refusals ("refused: gap
// 111" stayed for good after the gaps were filled).
func TestStatusShowsGapsApart(t *testing.T) {
	var b strings.Builder
	printStatus(&b, desk.Status{Device: "d", Rejected: map[string]uint64{"bad_signature": 2}, Waited: 111})
	out := b.String()
	if !strings.Contains(out, "refused:  bad signature (forged or altered) 2\n") || strings.Contains(out, "gap") ||
		!strings.Contains(out, "waited:   111 changes arrived before earlier changes of their feed") {
		t.Errorf("status printed\n%s\nwant bad_signature refused and 111 waited apart", out)
	}
}

// TestImportThroughServingHub: import and import --dry-run while serve runs
// go through the control socket with the same answers as without a hub.
func TestImportThroughServingHub(t *testing.T) {
	dir := initDir(t)
	startServe(t, dir, serveOptions{})
	file := writeTemp(t, "rows.csv", rowsCSV(4))
	out, err := run(t, "import", file, "--dry-run", "--data-dir", dir)
	if err != nil || !strings.Contains(out, "created:    4") || !strings.Contains(out, "nothing written") {
		t.Errorf("import --dry-run through the hub = %v\n%s; want 4 to create, nothing written", err, out)
	}
	out, err = run(t, "import", file, "--json", "--data-dir", dir)
	var got importJSON
	if err != nil || json.Unmarshal([]byte(out), &got) != nil || got.Report.Created != 4 || got.Report.IDs == nil {
		t.Errorf("import --json through the hub = %v\n%s; want 4 created", err, out)
	}
	s, _ := statusJSON(t, dir)
	if s.Demands != 4 {
		t.Errorf("after the import through the hub: %d demands; want 4", s.Demands)
	}
}

// TestStatusSaysRevoked: the status text of a revoked device says so, by
// whom and when, on the role line (a tester read "role: volunteer" on a
// device whose every command was refused; only --json told).
func TestStatusSaysRevoked(t *testing.T) {
	var b strings.Builder
	printStatus(&b, desk.Status{Device: "d", Role: "volunteer", Revoked: true, RevokedBy: "Coord A", RevokedAt: "2026-12-06T16:20:00Z"})
	if !strings.Contains(b.String(), "role:     Volunteer — REVOKED by Coord A at "+speakerOf(langEN).when("2026-12-06T16:20:00Z")) {
		t.Errorf("status of a revoked device:\n%s\nwant the role line to say it was revoked, by whom and when", b.String())
	}
}

// TestControlStopInterruptsImport: a hub told to stop (SIGTERM, Ctrl-C on
// serve) while an import runs through its control socket stops the import
// at the next batch and answers how many records were written, saying the
// hub stopped it. It used to wait for the whole import (or cut the
// connection after 10 s, so the client learned nothing of what was written).
func TestControlStopInterruptsImport(t *testing.T) {
	dir := initDir(t)
	recs, _, err := importer.ReadFile(writeTemp(t, "rows.csv", rowsCSV(400)), importer.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n := &node{st: st, dk: desk.New(st)}
	c, err := startControl(t.TempDir(), n, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer c.stop()
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", c.path)
	}}}
	go func() {
		for { // stop once the first batch is in: the import is under way
			if ds, _ := st.Demands(store.DemandQuery{}); len(ds) > 0 {
				c.stop()
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	b, _ := json.Marshal(recs)
	resp, err := client.Post("http://hub/v0/import?id=s", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatalf("import while the hub stops: %v; want an answer saying how many records were written", err)
	}
	defer resp.Body.Close()
	var ans importAnswer
	if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil {
		t.Fatal(err)
	}
	ds, _ := st.Demands(store.DemandQuery{})
	if !ans.Interrupted || !ans.HubStopped || ans.Applied != len(ds) || ans.Applied >= 400 {
		t.Errorf("import while the hub stops = interrupted %v, hub stopped %v, %d of %d applied, %d demands stored; want interrupted by the hub, applied = stored < 400",
			ans.Interrupted, ans.HubStopped, ans.Applied, ans.Total, len(ds))
	}
	sp := speaker{lang: "en"}
	if msg := hubStoppedError(ans.Applied, ans.Total, sp).Error(); !strings.Contains(msg, "hub stopped") {
		t.Errorf("the client's words = %q; want them to say the hub stopped", msg)
	}
}
