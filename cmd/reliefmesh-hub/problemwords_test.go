package main

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/reliefmesh/reliefmesh/importer"
)

// TestHubProblemWordsMatchUI: the hub's Chinese import problems are the
// UI's (frontend/src/locales/imports.zh-CN.json), every one of them.
func TestHubProblemWordsMatchUI(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "frontend", "src", "locales", "imports.zh-CN.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ui struct {
		Imports struct {
			ProblemCode  map[string]string `json:"problemCode"`
			ProblemField map[string]string `json:"problemField"`
		} `json:"imports"`
	}
	if err := json.Unmarshal(b, &ui); err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(problemWordsZH, ui.Imports.ProblemCode) || !maps.Equal(problemFieldsZH, ui.Imports.ProblemField) {
		t.Errorf("the hub's problem words differ from the UI's imports.problemCode / problemField: copy them again")
	}
}

// TestProblemLineInChinese: with --lang zh-CN a problem line is Chinese,
// row, field and sentence (a tester saw every problem line in English);
// English, and a code without a sentence, print the importer's line.
func TestProblemLineInChinese(t *testing.T) {
	p := importer.Problem{File: "a9.csv", Row: 8, Field: "quantity", Msg: `quantity "1,5" is not a number; kept in the spec`,
		Code: importer.ProblemBadQuantity, Args: map[string]string{"value": "1,5"}}
	if got, want := speakerOf(langZH).problemLine(p), "a9.csv 第 8 行，数量：数量“1,5”不是数字；已写入规格"; got != want {
		t.Errorf("zh line = %q; want %q", got, want)
	}
	if got := speakerOf(langEN).problemLine(p); got != p.String() {
		t.Errorf("en line = %q; want the importer's %q", got, p.String())
	}
	p.Code = "no_such_code"
	if got := speakerOf(langZH).problemLine(p); got != p.String() {
		t.Errorf("zh line of an unknown code = %q; want the importer's %q", got, p.String())
	}
}
