package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestChineseErrorLineMarksTheEnglish: `--lang zh-CN bundle import
// cut.rmbundle` printed "同步包 cut.rmbundle：bundle file is cut short …:
// unexpected EOF", the English unmarked in a Chinese line (finding 7 of
// session 12). The line now says what is wrong in Chinese, and the English
// comes after the explanation, marked 原文; the English output is as before.
func TestChineseErrorLineMarksTheEnglish(t *testing.T) {
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
	cut := filepath.Join(t.TempDir(), "cut.rmbundle")
	if err := os.WriteFile(cut, whole[:len(whole)*2/3], 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := run(t, "bundle", "import", cut, "--lang", "zh-CN", "--data-dir", b)
	if err == nil {
		t.Fatal("bundle import of a cut file = nil; want an error")
	}
	var zh bytes.Buffer
	printError(&zh, langZH, err)
	lines := strings.Split(strings.TrimSpace(zh.String()), "\n")
	if !strings.Contains(lines[0], "同步包 "+cut+"：文件不完整") {
		t.Errorf("first line %q; want it to say in Chinese that the file is incomplete", lines[0])
	}
	for _, l := range lines {
		if hasChinese(l) && strings.Contains(l, "bundle file is cut short") && !strings.HasPrefix(l, "（原文：") {
			t.Errorf("a Chinese line holds the English unmarked: %q", l)
		}
	}
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "（原文：bundle file is cut short") {
		t.Errorf("last line %q; want the English marked 原文", last)
	}
	var en bytes.Buffer
	_, err = run(t, "bundle", "import", cut, "--lang", "en", "--data-dir", b)
	printError(&en, langEN, err)
	if !strings.HasPrefix(en.String(), "reliefmesh-hub: "+cut+": bundle file is cut short") || strings.Contains(en.String(), "原文") {
		t.Errorf("English: %q", en.String())
	}
}

// TestEnglishTail: only a Chinese sentence ending in English words is split.
func TestEnglishTail(t *testing.T) {
	for msg, want := range map[string]string{
		"同步包 a.rmbundle：bundle file is cut short: unexpected EOF": "bundle file is cut short: unexpected EOF",
		"无法读取 /tmp/x：open /tmp/x: no such file or directory":      "open /tmp/x: no such file or directory",
		"已导出到 /tmp/x：共 3 条更改。":                                    "",
		"数据目录 /tmp/a：b":                                           "",
		"no Chinese: at all here":                                 "",
	} {
		_, tail, ok := englishTail(msg)
		if ok != (want != "") || tail != want {
			t.Errorf("englishTail(%q) = %q, %v; want %q", msg, tail, ok, want)
		}
	}
	if zhWhat(errors.New("x")) != "" {
		t.Error("zhWhat of an unknown error is not empty")
	}
}

// TestExportToAMissingFolder: `export -o /nonexistent/dir/x.xlsx` said
// "open /nonexistent/dir/.x.xlsx.part-1428612275: no such file or
// directory" with no hint (finding 8 of session 12). It says, in both
// languages, that the folder does not exist and that nothing was written.
func TestExportToAMissingFolder(t *testing.T) {
	dir := initDir(t)
	missing := filepath.Join(t.TempDir(), "nonexistent", "dir")
	for _, c := range []struct{ lang, line, how string }{
		{langZH, "无法导出公告 " + missing + "/x.xlsx：文件夹 " + missing + " 不存在", "没有写入任何内容"},
		{langEN, "export " + missing + "/x.xlsx: write " + missing + "/x.xlsx: the folder " + missing + " does not exist", "Nothing was written"},
	} {
		_, err := run(t, "export", "--format", "xlsx", "--lang", c.lang, "-o", filepath.Join(missing, "x.xlsx"), "--data-dir", dir)
		if err == nil {
			t.Fatalf("%s: export into a missing folder = nil", c.lang)
		}
		var b bytes.Buffer
		printError(&b, c.lang, err)
		out := b.String()
		if !strings.Contains(out, c.line) || !strings.Contains(out, c.how) || strings.Contains(out, ".part-") {
			t.Errorf("%s:\n%s\nwant %q and %q, no temporary file", c.lang, out, c.line, c.how)
		}
	}
}

// TestExportErrorSpeaksTheBulletinsLanguage: export's own --lang (the
// bulletin's language) hid the hub's --lang, so `export --lang zh-CN` in
// an English locale printed its Chinese error with an English hint. The
// error is printed in the language the command spoke it in.
func TestExportErrorSpeaksTheBulletinsLanguage(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "C")
	dir := initDir(t)
	g := &globals{}
	cmd := newRootWith(g)
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs([]string{"export", "--lang", "zh-CN", "--format", "csv", "-o", filepath.Join(t.TempDir(), "no", "x.csv"), "--data-dir", dir})
	err := cmd.Execute()
	if err == nil {
		t.Fatal("export into a missing folder = nil")
	}
	var b bytes.Buffer
	printError(&b, g.speaker().lang, err)
	if s := b.String(); !strings.Contains(s, "没有写入任何内容") || strings.Contains(s, "Nothing was written") {
		t.Errorf("printed:\n%s\nwant the hint in Chinese, as the error", s)
	}
}
