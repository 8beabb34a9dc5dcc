package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestDamagedBundleSaysWhatWasRead: a tester carried a bundle cut short, one
// with flipped bytes and an empty one to a hub of the same network. The cut
// one got an English-only line and a hint saying "nothing was written" when
// 1 of 3 changes was; the flipped one was told as a member's malformed
// change and stayed in status as "refused: malformed"; the empty one was
// "not a bundle". Each now says, in the hub's language, how many changes
// were read, written and never read, and to copy the file again; none
// counts as a refusal.
func TestDamagedBundleSaysWhatWasRead(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if out, err := run(t, "init", "--name", "武汉 2020", "--member-name", "甲", "--data-dir", a); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	sa := must(store.Open(a, store.Options{}))
	net, _ := sa.Network()
	for _, title := range []string{"N95 口罩", "防护服", "消毒液"} {
		if _, err := sa.RecordDemand(relief.Demand{Title: title, Category: "other"}); err != nil {
			t.Fatal(err)
		}
	}
	sa.Close()
	sb := must(store.Open(b, store.Options{}))
	sb.JoinNetwork(net.ID)
	sb.Close()
	stick := filepath.Join(t.TempDir(), "a.rmbundle")
	if out, err := run(t, "bundle", "export", "-o", stick, "--data-dir", a); err != nil {
		t.Fatalf("bundle export = %v\n%s", err, out)
	}
	whole, _ := os.ReadFile(stick)
	file := func(name string, data []byte) string {
		p := filepath.Join(t.TempDir(), name)
		os.WriteFile(p, data, 0o644)
		return p
	}
	// bytes changed inside a title so that the frame no longer reads as a
	// change (the tester's "not valid UTF-8")
	flipped := bytes.Replace(whole, []byte("防护服"), bytes.Repeat([]byte{0xff}, len("防护服")), 1)
	if bytes.Equal(flipped, whole) {
		t.Fatal("no title to damage in the bundle")
	}
	for _, tc := range []struct {
		name, path string
		zh, en     []string
	}{
		{"cut short", file("cut.rmbundle", whole[:len(whole)*2/3]),
			[]string{"不完整", "读到并验证了", "没有读到", "请重新复制"},
			[]string{"incomplete", "were read and verified", "never read", "Copy it again"}},
		{"flipped", file("flip.rmbundle", flipped),
			[]string{"已损坏", "没有读到", "不是哪位成员的错误更改", "请重新复制"},
			[]string{"damaged", "never read", "no member's change is at fault", "Copy it again"}},
		{"empty", file("empty.rmbundle", nil),
			[]string{"空的", "复制没有完成", "请重新复制"},
			[]string{"empty", "the copy did not finish", "Copy it again"}},
	} {
		out, err := run(t, "bundle", "import", tc.path, "--data-dir", b)
		if err == nil {
			t.Fatalf("%s: bundle import = nil\n%s; want an error", tc.name, out)
		}
		zh, en := explainIn(langZH, err), explainIn(langEN, err)
		for _, w := range tc.zh {
			if !strings.Contains(zh, w) {
				t.Errorf("%s: zh-CN says %q; want %q in it", tc.name, zh, w)
			}
		}
		for _, w := range tc.en {
			if !strings.Contains(en, w) {
				t.Errorf("%s: en says %q; want %q in it", tc.name, en, w)
			}
		}
		if strings.Contains(zh, "什么都没有写入") && strings.Contains(out, "新写入 1") {
			t.Errorf("%s: says nothing was written, yet the summary says 1 was", tc.name)
		}
	}
	out, err := run(t, "status", "--data-dir", b)
	if err != nil || strings.Contains(out, "malformed") || strings.Contains(out, "refused") {
		t.Errorf("status after the damaged files = %v\n%s; want no refusal counted", err, out)
	}
}
