package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/reliefmesh/reliefmesh/store"
)

// TestEndorseAndCovenantOpenTheStoreLean (finding 2 of session 14's tester:
// `endorse` on a hub that is not serving took 12.6 s of CPU at 100,000
// demands): endorse and covenant open the store lean, as status does and as
// the serving hub answers them, never folding every demand into the list;
// on a store holding the README's import (testdata/messy/contacts.csv) they
// still take effect, and a full open afterwards counts the same demands and
// has the new member. Shown by the options of every open (onOpen), not by
// a clock.
func TestEndorseAndCovenantOpenTheStoreLean(t *testing.T) {
	dir := t.TempDir()
	if out, err := run(t, "init", "--name", "Flood", "--member-name", "甲", "--data-dir", dir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	if out, err := run(t, "import", filepath.Join("..", "..", "testdata", "messy", "contacts.csv"), "--data-dir", dir); err != nil {
		t.Fatalf("import contacts.csv = %v\n%s", err, out)
	}
	demands := func() int {
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
	before := demands()
	if before == 0 {
		t.Fatal("the import recorded no demand")
	}
	other, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := other.Device().String()
	other.Close()
	text := filepath.Join(t.TempDir(), "covenant.txt")
	os.WriteFile(text, []byte("不泄露求助者信息"), 0o600)

	var mu sync.Mutex
	var full []string
	var now string // the command running
	onOpen = func(opts store.Options) {
		mu.Lock()
		defer mu.Unlock()
		if !opts.Lean && !opts.SkipDemandList {
			full = append(full, now)
		}
	}
	t.Cleanup(func() { onOpen = func(store.Options) {} })
	for _, args := range [][]string{
		{"endorse", id, "--role", "volunteer", "--name", "乙"},
		{"endorse", id, "--role", "reviewer"},
		{"covenant", "--file", text, "--title", "伙伴契约"},
	} {
		mu.Lock()
		now = args[0]
		mu.Unlock()
		if out, err := run(t, append(args, "--data-dir", dir)...); err != nil {
			t.Fatalf("%s = %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	mu.Lock()
	if len(full) > 0 {
		t.Errorf("endorse and covenant opened the whole store (%v); want lean opens only", full)
	}
	mu.Unlock()
	onOpen = func(store.Options) {}

	if got := memberRole(t, dir, id); got != "reviewer" {
		t.Errorf("role after endorse then endorse --role reviewer = %q; want reviewer", got)
	}
	if after := demands(); after != before {
		t.Errorf("a full open after the lean commands lists %d demands; want %d", after, before)
	}
	out, err := run(t, "status", "--json", "--data-dir", dir)
	if err != nil {
		t.Fatalf("status --json = %v\n%s", err, out)
	}
	var s struct {
		Demands int `json:"demands"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil || s.Demands != before {
		t.Errorf("status counts %d demands; want %d", s.Demands, before)
	}
}
