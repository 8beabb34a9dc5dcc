package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportLabelsMatchUI: the import report's duplicate reasons and updated
// fields are said with the app's words (frontend/src/locales/imports.*.json).
func TestImportLabelsMatchUI(t *testing.T) {
	for _, lang := range []string{langZH, langEN} {
		b, err := os.ReadFile(filepath.Join("..", "..", "frontend", "src", "locales", "imports."+lang+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var ui struct {
			Imports struct {
				Reason   map[string]string `json:"reason"`
				UpdField map[string]string `json:"updField"`
			} `json:"imports"`
		}
		if err := json.Unmarshal(b, &ui); err != nil {
			t.Fatal(err)
		}
		for group, want := range map[string]map[string]string{"dupreason": ui.Imports.Reason, "updfield": ui.Imports.UpdField} {
			if len(want) == 0 {
				t.Fatalf("%s: the app's imports.%s is empty: the locale file moved?", lang, group)
			}
			for code, label := range want {
				if got := importLabels[lang][group][code]; got != label {
					t.Errorf("%s %s.%s = %q; the app says %q", lang, group, code, got, label)
				}
			}
		}
	}
}

// TestImportReportSaysFieldsAndReasons: in Chinese the import report says an updated
// field and a duplicate's reason with the app's words, not the importer's
// codes ("[items] 已更新", "same organisation": the tester's finding 9,
// session 10); in English, the app's English words.
func TestImportReportSaysFieldsAndReasons(t *testing.T) {
	for _, c := range []struct{ lang, field, reason string }{
		{langZH, "：物资", "电话相同"},
		{langEN, ": supplies", "same phone"},
	} {
		dir := initDir(t)
		v1 := "单位名称,地址,所需物资,联系方式\n社区甲,武汉市江汉区香港路1号,口罩 10个,张老师 13800000001\n"
		if out, err := run(t, "import", writeTemp(t, "sheet.csv", v1), "--data-dir", dir, "--lang", c.lang); err != nil {
			t.Fatalf("import v1 = %v\n%s", err, out)
		}
		v2 := "单位名称,地址,所需物资,联系方式\n社区甲,武汉市江汉区香港路1号,口罩 20个,张老师 13800000001\n"
		out, err := run(t, "import", writeTemp(t, "sheet.csv", v2), "--data-dir", dir, "--lang", c.lang)
		if err != nil {
			t.Fatalf("import v2 = %v\n%s", err, out)
		}
		if !strings.Contains(out, c.field) || strings.Contains(out, "[items") || strings.Contains(out, "source_fields") {
			t.Errorf("--lang %s: the update line of a changed quantity:\n%s\nwant %q, no field codes", c.lang, out, c.field)
		}
		other := "机构,地址,物资,电话\n社区甲,武汉市江汉区香港路1号,消毒液 5瓶,13800000001\n"
		out, err = run(t, "import", writeTemp(t, "other.csv", other), "--data-dir", dir, "--lang", c.lang)
		if err != nil {
			t.Fatalf("import other = %v\n%s", err, out)
		}
		if !strings.Contains(out, " ~ ") || !strings.Contains(out, c.reason) {
			t.Errorf("--lang %s: the duplicate line of the same organisation from another file:\n%s\nwant its reason said %q", c.lang, out, c.reason)
		}
	}
}

// TestImportOfMissingFileSaysSo: a path that names no file is said in the
// person's language, not as Go's "open …: no such file or directory" (the
// tester's finding 9, session 10), and nothing is imported.
func TestImportOfMissingFileSaysSo(t *testing.T) {
	dir := initDir(t)
	missing := filepath.Join(t.TempDir(), "nosuch.csv")
	for _, c := range []struct{ lang, want string }{{langZH, "找不到文件 " + missing}, {langEN, missing + ": no such file"}} {
		out, err := run(t, "import", missing, "--data-dir", dir, "--lang", c.lang)
		if err == nil {
			t.Fatalf("import of a missing file succeeded\n%s", out)
		}
		if msg := err.Error(); !strings.Contains(msg, c.want) || strings.Contains(msg, "no such file or directory") {
			t.Errorf("--lang %s: import of a missing file = %q; want it to say %q, not Go's words", c.lang, msg, c.want)
		}
	}
}
