package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestCovenantCommand: `covenant --file` publishes a version (numbered), a
// second one is version 2, and an empty text is refused with the field named.
func TestCovenantCommand(t *testing.T) {
	dir := t.TempDir()
	if out, err := run(t, "init", "--name", "Flood", "--data-dir", dir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	text := filepath.Join(t.TempDir(), "covenant.txt")
	for i, want := range []string{"version 1", "version 2"} {
		os.WriteFile(text, []byte("不泄露求助者信息 "+want), 0o600)
		out, err := run(t, "covenant", "--file", text, "--title", "伙伴契约", "--data-dir", dir)
		if err != nil || !strings.Contains(out, want) {
			t.Fatalf("covenant #%d = %q, %v; want %q", i+1, out, err, want)
		}
	}
	// a text saved as GBK (Windows editors do) is told as such, not as a
	// CBOR error (a tester saw "cbor: invalid UTF-8 string")
	os.WriteFile(text, []byte{0xb2, 0xbb, 0xd0, 0xb9, 0xc2, 0xb6}, 0o600) // 不泄露 in GBK
	if out, err := run(t, "covenant", "--file", text, "--data-dir", dir); err == nil || !strings.Contains(err.Error()+out, "UTF-8") {
		t.Errorf("covenant with a GBK text = %q, %v; want it refused, saying to save it as UTF-8", out, err)
	}
	os.WriteFile(text, []byte("  "), 0o600)
	if out, err := run(t, "covenant", "--file", text, "--data-dir", dir); err == nil {
		t.Errorf("covenant with an empty text = %q, nil; want refused", out)
	}
	st, err := store.Open(filepath.Join(dir), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := desk.New(st).Covenant()
	if err != nil || c.Current != 2 || c.Versions[1].Text != "不泄露求助者信息 version 2" {
		t.Errorf("Covenant() = %+v, %v; want 2 versions, the second's text", c, err)
	}
}
