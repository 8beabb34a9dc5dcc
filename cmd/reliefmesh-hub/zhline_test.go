package main

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/reliefmesh/reliefmesh/internal/atomicfile"
)

// TestChineseErrorLineMarksTheEnglish: `--lang zh-CN bundle import
// cut.rmbundle` printed "同步包 cut.rmbundle：bundle file is cut short …:
// unexpected EOF", the English unmarked in a Chinese line (finding 7 of
// session 12). The line now says what is wrong in Chinese, and the English
// comes after the explanation, marked 原文; the English output is as before.
func TestChineseErrorLineMarksTheEnglish(t *testing.T) {
	_, b, whole := threeDemandBundle(t)
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
		"什么都没有导入：文件无法读取（原文：a.csv: line 3: bare quote）":            "",
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

// TestImportParseErrorMarkedOnce: `import bad.csv` in Chinese, on a CSV
// that does not parse, printed "什么都没有导入：文件无法读取（原文：（原文：
// …/bad.csv: line 3: bare " in non-quoted field））": the words already
// marked the importer's English 原文, and printError marked it again.
// (This importer reads a bare quote leniently; the file fails on its
// columns instead, an error that takes the same road, import.file.other.)
func TestImportParseErrorMarkedOnce(t *testing.T) {
	dir := initDir(t)
	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("title,category\n口罩,other\nab\"c,other\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := run(t, "import", bad, "--lang", "zh-CN", "--data-dir", dir)
	if err == nil {
		t.Fatal("import of a CSV that does not parse = nil")
	}
	var b bytes.Buffer
	printError(&b, langZH, err)
	out := b.String()
	if n := strings.Count(out, "原文"); n != 1 || !strings.Contains(out, "（原文：bad.csv: ") {
		t.Errorf("printed:\n%s\nwant the English marked 原文 exactly once", out)
	}
	if !strings.Contains(out, "什么都没有导入：文件无法读取") {
		t.Errorf("printed:\n%s\nwant the Chinese sentence", out)
	}
}

// TestExportToAMissingChineseFolder: `export -o ~/桌面/公告.csv` whose
// folder is missing printed "无法导出公告 …/桌面/公告.csv：write
// …/桌面/公告.csv: the folder …/桌面 does not exist", the English unmarked
// (englishTail split only a tail without Chinese). The line says in
// Chinese that the folder is missing, and the English comes marked 原文.
func TestExportToAMissingChineseFolder(t *testing.T) {
	dir := initDir(t)
	desk := filepath.Join(t.TempDir(), "桌面")
	out := filepath.Join(desk, "公告.csv")
	_, err := run(t, "export", "--format", "csv", "--lang", "zh-CN", "-o", out, "--data-dir", dir)
	if err == nil {
		t.Fatal("export into a missing folder = nil")
	}
	var b bytes.Buffer
	printError(&b, langZH, err)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if want := "reliefmesh-hub: 无法导出公告 " + out + "：文件夹 " + desk + " 不存在"; lines[0] != want {
		t.Errorf("first line %q; want %q", lines[0], want)
	}
	if last := lines[len(lines)-1]; last != "（原文：write "+out+": the folder "+desk+" does not exist）" {
		t.Errorf("last line %q; want the English marked 原文", last)
	}
	for _, l := range lines[:len(lines)-1] {
		if strings.Contains(l, "does not exist") {
			t.Errorf("a Chinese line holds the English unmarked: %q", l)
		}
	}
}

// TestWriteErrorOfNoKindMarked: a write that fails for a reason with no
// Chinese words (an I/O error) still has its English marked 原文 when the
// path holds Chinese.
func TestWriteErrorOfNoKindMarked(t *testing.T) {
	out := filepath.Join(t.TempDir(), "公告.csv")
	werr := atomicfile.Write(out, 0o644, func(io.Writer) error {
		return &fs.PathError{Op: "write", Path: out + ".part-1", Err: syscall.EIO}
	})
	err := speakerOf(langZH).errorf("export.fail", out, werr)
	var b bytes.Buffer
	printError(&b, langZH, err)
	if want := "reliefmesh-hub: 无法导出公告 " + out + "：（原文：write " + out + ": "; !strings.HasPrefix(b.String(), want) {
		t.Errorf("printed:\n%s\nwant it to begin %q", b.String(), want)
	}
}
