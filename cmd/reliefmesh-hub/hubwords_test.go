package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/reliefmesh/reliefmesh/internal/release"
)

// says runs the hub as main does, with --lang lang: what it prints on
// standard output and standard error, then the error line and the hint
// main prints after an error. It returns all of it and whether the command
// failed.
func says(t *testing.T, lang string, args ...string) (string, bool) {
	t.Helper()
	g := &globals{}
	cmd := newRootWith(g)
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(append([]string{"--lang", lang}, args...))
	err := cmd.Execute()
	if err != nil {
		printError(&out, g.speaker().lang, err)
	}
	return out.String(), err != nil
}

// englishSentence finds three English words in a row: a sentence, not a
// path, an id, a code or a flag.
var englishSentence = regexp.MustCompile(`\b[A-Za-z]{2,}[,:]? [a-z]{2,}[,:]? [a-z]{2,}\b`)

// hasHan reports whether s holds a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// checkChinese fails when a line of out is an English sentence with no
// Chinese on it (English after a Chinese sentence, in brackets, is the
// library's or the hub's own words kept for whoever reads logs), or when
// out lacks one of want.
func checkChinese(t *testing.T, what, out string, want ...string) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if englishSentence.MatchString(line) && !hasHan(line) {
			t.Errorf("%s, zh-CN: an English line: %q\n%s", what, line, out)
		}
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("%s, zh-CN: %q missing from\n%s", what, w, out)
		}
	}
}

// checkEnglish fails when out holds Chinese outside the names the test
// gave (甲, 武汉, 公告) or lacks one of want.
func checkEnglish(t *testing.T, what, out string, want ...string) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		l := strings.NewReplacer("甲", "", "武汉", "", "公告", "").Replace(line)
		if hasHan(l) {
			t.Errorf("%s, en: a Chinese line: %q\n%s", what, line, out)
		}
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("%s, en: %q missing from\n%s", what, w, out)
		}
	}
}

// TestHubSaysInLanguage: the lines found English-only at the end of
// session 9 are said in the language of --lang, each run as main runs it:
// a bad --role, a port in use, a tampered bulletin and release, bundle
// export and its errors, the bulletin export's errors, join-code and join
// errors, the progress lines of an import.
func TestHubSaysInLanguage(t *testing.T) {
	dir := t.TempDir()
	if out, ok := says(t, "en", "init", "--name", "武汉 2020", "--member-name", "甲", "--data-dir", dir); ok {
		t.Fatalf("init failed:\n%s", out)
	}
	held, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	port := held.Addr().(*net.TCPAddr).Port

	bulletin := filepath.Join(t.TempDir(), "公告.csv")
	if out, ok := says(t, "en", "export", "-o", bulletin, "--include-unpublished", "--data-dir", dir); ok {
		t.Fatalf("export failed:\n%s", out)
	}
	tampered := filepath.Join(t.TempDir(), "公告.csv")
	os.WriteFile(tampered, []byte("changed"), 0o644)

	td := filepath.Join("..", "..", "testdata", "release")
	priv, err := os.ReadFile(filepath.Join(td, "TEST-ONLY-release.key"))
	if err != nil {
		t.Fatal(err)
	}
	stick := t.TempDir()
	bin := filepath.Join(stick, "reliefmesh-hub-linux-arm64")
	h := sha256.Sum256([]byte("\x7fELF a hub"))
	sums := hex.EncodeToString(h[:]) + "  reliefmesh-hub-linux-arm64\n"
	os.WriteFile(filepath.Join(stick, release.SumsFile), []byte(sums), 0o644)
	sig, err := release.Sign([]byte(sums), priv, "", "reliefmesh 0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(stick, release.SigFile), sig, 0o644)
	os.WriteFile(bin, []byte("\x7fELF a hub, changed"), 0o755)
	key := filepath.Join(td, "TEST-ONLY-release.pub")

	sheet := filepath.Join(t.TempDir(), "需求.csv")
	os.WriteFile(sheet, []byte("医院名称,物资,数量\n协和医院,N95口罩,500\n"), 0o644)

	id := newDeviceID(t)
	noNetwork := t.TempDir()
	if out, ok := says(t, "en", "id", "--data-dir", noNetwork); ok {
		t.Fatalf("id failed:\n%s", out)
	}
	for _, c := range []struct {
		what   string
		args   []string
		fails  bool
		zh, en []string
	}{
		{"a bad --role", []string{"endorse", id, "--role", "admiral", "--data-dir", dir}, true,
			[]string{"不是角色", "协调员"}, []string{"is not a role"}},
		{"a port in use", []string{"serve", "--listen", fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", port), "--mdns=false", "--data-dir", dir}, true,
			[]string{"端口 tcp/" + fmt.Sprint(port), "占用"}, []string{"is used by another program"}},
		{"a tampered bulletin", []string{"verify", tampered, "--sig", bulletin + ".sig", "--data-dir", t.TempDir()}, true,
			[]string{"未通过验证", "改动过"}, []string{"NOT VERIFIED", "tampered"}},
		{"a tampered release", []string{"verify-release", bin, "--key", key}, true,
			[]string{"未通过验证", "请勿安装"}, []string{"NOT VERIFIED", "do not install"}},
		{"bundle export", []string{"bundle", "export", "-o", filepath.Join(t.TempDir(), "b.rmb"), "--data-dir", dir}, false,
			[]string{"已导出到", "条更改"}, []string{"wrote", "changes to"}},
		{"bundle export without -o", []string{"bundle", "export", "--data-dir", dir}, true,
			[]string{"同步包文件"}, []string{"the bundle file to write is required"}},
		{"bundle export --since-file missing", []string{"bundle", "export", "-o", filepath.Join(t.TempDir(), "b.rmb"), "--since-file", filepath.Join(dir, "none.cbor"), "--data-dir", dir}, true,
			[]string{"版本向量"}, []string{"--since-file"}},
		{"export without -o", []string{"export", "--data-dir", dir}, true,
			[]string{"请用 -o"}, []string{"-o FILE is required"}},
		{"export to an unknown format", []string{"export", "-o", filepath.Join(t.TempDir(), "x.doc"), "--data-dir", dir}, true,
			[]string{"说明格式"}, []string{"say the format"}},
		{"join-code without a network", []string{"join-code", "--data-dir", noNetwork}, true,
			[]string{"还没有网络"}, []string{"no network yet"}},
		{"join-code without an address", []string{"join-code", "--qr=false", "--data-dir", dir}, false,
			[]string{"网络：", "地址：    无", "没有地址"}, []string{"network:", "addresses: none", "carries no address"}},
		{"join with a mistyped code", []string{"join", "RMJ1-NOPE", "--data-dir", t.TempDir()}, true,
			[]string{"加入码"}, []string{"join code"}},
		{"an import's progress", []string{"import", sheet, "--data-dir", dir}, false,
			[]string{"正在导入 1 条记录"}, []string{"importing 1 record…"}},
		{"a bad --kind", []string{"import", sheet, "--kind", "gift", "--data-dir", dir}, true,
			[]string{"什么都没有导入"}, []string{"nothing was imported"}},
		{"an unknown flag (cobra's words)", []string{"status", "--colour", "--data-dir", dir}, true,
			[]string{"没有这个选项", "原文：unknown flag: --colour"}, []string{"unknown flag: --colour", "No such option"}},
		{"a bad duration (cobra's words)", []string{"serve", "--redial", "soon", "--data-dir", dir}, true,
			[]string{"选项的值不对", "原文："}, []string{"invalid argument", "A flag's value is wrong"}},
		{"a bundle file that is not there", []string{"bundle", "import", filepath.Join(dir, "no-such.rmb"), "--data-dir", dir}, true,
			[]string{"找不到同步包文件"}, []string{"is not there"}},
	} {
		zh, zhFailed := says(t, "zh-CN", c.args...)
		en, enFailed := says(t, "en", c.args...)
		if zhFailed != c.fails || enFailed != c.fails {
			t.Errorf("%s: failed %v (zh-CN), %v (en); want %v\n%s\n%s", c.what, zhFailed, enFailed, c.fails, zh, en)
		}
		checkChinese(t, c.what, zh, c.zh...)
		checkEnglish(t, c.what, en, c.en...)
	}
}

// TestHelpInLanguage: --help, `help COMMAND` and a command group's help are
// in the language of --lang: every line of the Chinese help has Chinese on
// it (the usage line's [选项] included), and the English help none.
func TestHelpInLanguage(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"bundle", "export", "--help"}, {"help", "serve"}, {"bundle"}, {"import", "--help"}, {"endorse", "-h"}} {
		zh, _ := says(t, "zh-CN", args...)
		for _, line := range strings.Split(zh, "\n") {
			if strings.TrimSpace(line) != "" && !hasHan(line) {
				t.Errorf("%v, zh-CN: a line without Chinese: %q\n%s", args, line, zh)
			}
		}
		checkChinese(t, fmt.Sprint(args), zh, "用法：")
		en, _ := says(t, "en", args...)
		if !strings.Contains(en, "Usage:") || strings.Contains(en, "用法") || strings.Contains(en, "选项") {
			t.Errorf("%v, en: want cobra's English help\n%s", args, en)
		}
	}
}

// TestHelpHasChinese: every command (cobra's help and completion included)
// has its Chinese Short, and a Chinese Long when it has an English one,
// every flag its Chinese usage; helpZH and flagsZH hold nothing for a
// command or flag that no longer exists.
func TestHelpHasChinese(t *testing.T) {
	root := newRoot()
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	paths, flags := map[string]bool{}, map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		path := helpPath(c)
		paths[path] = true
		h, ok := helpZH[path]
		switch {
		case !ok || !hasHan(h[0]):
			t.Errorf("%q has no Chinese Short", c.CommandPath())
		case (c.Long != "") != (h[1] != ""):
			t.Errorf("%q: English Long %t, Chinese Long %t", c.CommandPath(), c.Long != "", h[1] != "")
		case h[1] != "" && !hasHan(h[1]):
			t.Errorf("%q: the Chinese Long %q has no Chinese", c.CommandPath(), h[1])
		}
		see := func(f *pflag.Flag) {
			k := path + " --" + f.Name
			flags[k] = true
			if u, ok := flagsZH[k]; !ok || !hasHan(u) {
				t.Errorf("%q has no Chinese usage", k)
			}
		}
		c.LocalNonPersistentFlags().VisitAll(see)
		c.PersistentFlags().VisitAll(see)
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
	for p := range helpZH {
		if !paths[p] {
			t.Errorf("helpZH[%q]: no such command", p)
		}
	}
	for k := range flagsZH {
		if !flags[k] {
			t.Errorf("flagsZH[%q]: no such flag", k)
		}
	}
}

// TestHubWordsAsTheApp: the hub says what the app's Network screen says of
// an exported bundle, in both languages (frontend/src/locales,
// network.bundleExported), with the same numbers and path.
func TestHubWordsAsTheApp(t *testing.T) {
	for lang, want := range map[string]string{langZH: "已导出到 /x/b.rmb：共 7 条更改。"} {
		if got := speakerOf(lang).t("bundle.wrote", 7, "/x/b.rmb"); got != want {
			t.Errorf("%s: bundle export says %q; the app says %q", lang, got, want)
		}
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "frontend", "src", "locales", "zh-CN.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"bundleExported": "已导出到 {path}：共 {changes} 条更改。"`) {
		t.Errorf("the app's zh-CN network.bundleExported changed: say it the same way in cliWords[bundle.wrote]")
	}
}

// TestPrintErrorPutsOursInFront: in Chinese, an error in a library's
// English gets a sentence of ours first (出错了 when there is no hint) and
// its words after as the original (原文); in English it is printed as it is.
func TestPrintErrorPutsOursInFront(t *testing.T) {
	err := fmt.Errorf("read x: %w", os.ErrPermission)
	var zh, en bytes.Buffer
	printError(&zh, langZH, err)
	printError(&en, langEN, err)
	checkChinese(t, "a library's error", zh.String(), "出错了", "原文：read x: permission denied")
	if en.String() != "reliefmesh-hub: read x: permission denied\n" {
		t.Errorf("en: %q", en.String())
	}
	// an error already said in Chinese is printed as it is, the hint after
	zh.Reset()
	printError(&zh, langZH, speakerOf(langZH).errorf("init.noname"))
	if zh.String() != "reliefmesh-hub: --name：请填写事件名称\n" {
		t.Errorf("zh-CN: %q", zh.String())
	}
}

// TestHubUsesTheAppsWords: the hub's Chinese (sentences, help) names a
// thing with the app's word (frontend/src/locales/zh-CN.json), not a
// synonym the app does not use for it.
func TestHubUsesTheAppsWords(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "frontend", "src", "locales", "zh-CN.json"))
	if err != nil {
		t.Fatal(err)
	}
	app := string(b)
	// the app's word and the hub's former synonyms for it
	words := map[string][]string{"成员 ID": {"成员号"}, "同步包": {"数据包"}, "加入码": {"邀请码"}, "背书": {"担保人"}, "需求": {"求助"}}
	var zh []string
	for k, s := range hubWords[langZH] {
		zh = append(zh, k+": "+s)
	}
	for k, h := range helpZH {
		zh = append(zh, k+": "+h[0]+h[1])
	}
	for k, u := range flagsZH {
		zh = append(zh, k+": "+u)
	}
	for word, not := range words {
		if !strings.Contains(app, word) {
			t.Errorf("the app no longer says %q: update this test's words", word)
		}
		for _, w := range not {
			for _, s := range zh {
				if strings.Contains(s, w) {
					t.Errorf("%s: says %q where the app says %q", s, w, word)
				}
			}
		}
	}
}
