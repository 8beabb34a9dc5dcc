package main

import (
	"strconv"
	"strings"
	"testing"
)

// TestInboxSaysWhatItLeavesOut: `inbox` on a coordinator with more entries
// than --limit prints the most urgent ones between a line that says how many
// wait in all and a line that says how many were not printed and how to see
// them; --limit 0 prints every entry. It printed all of them, 195,030 lines
// at 100,000 demands, with no count (the tester's finding 12, session 10).
func TestInboxSaysWhatItLeavesOut(t *testing.T) {
	dir := initDir(t)
	if out, err := run(t, "import", writeTemp(t, "rows.csv", rowsCSV(60)), "--data-dir", dir); err != nil {
		t.Fatalf("import = %v\n%s", err, out)
	}
	entries := func(out string) int {
		n := 0
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "D-") {
				n++
			}
		}
		return n
	}
	all, err := run(t, "inbox", "--limit", "0", "--data-dir", dir)
	if err != nil {
		t.Fatalf("inbox --limit 0 = %v\n%s", err, all)
	}
	total := entries(all)
	if total < 60 {
		t.Fatalf("inbox --limit 0 printed %d entries; want every one (≥ 60: each imported demand waits for review)\n%s", total, all)
	}
	for _, c := range []struct{ lang, head, tail string }{
		{"en", "entries wait on this member", "more not shown: --limit 0"},
		{"zh-CN", "项等待本成员处理", "项未显示：用 --limit 0"},
	} {
		out, err := run(t, "inbox", "--limit", "25", "--lang", c.lang, "--data-dir", dir)
		if err != nil {
			t.Fatalf("inbox --limit 25 --lang %s = %v\n%s", c.lang, err, out)
		}
		if n := entries(out); n != 25 {
			t.Errorf("inbox --limit 25 --lang %s printed %d entries; want 25\n%s", c.lang, n, out)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if !strings.Contains(lines[0], c.head) || !strings.Contains(lines[0], strconv.Itoa(total)) {
			t.Errorf("inbox --limit 25 --lang %s begins %q; want it to say %d %s", c.lang, lines[0], total, c.head)
		}
		if last := lines[len(lines)-1]; !strings.Contains(last, c.tail) || !strings.Contains(last, strconv.Itoa(total-25)) {
			t.Errorf("inbox --limit 25 --lang %s ends %q; want it to say %d %s", c.lang, last, total-25, c.tail)
		}
	}
	def, err := run(t, "inbox", "--data-dir", dir)
	if err != nil {
		t.Fatal(err)
	}
	if n := entries(def); n != min(total, 50) {
		t.Errorf("inbox with the default limit printed %d entries; want %d", n, min(total, 50))
	}
}
