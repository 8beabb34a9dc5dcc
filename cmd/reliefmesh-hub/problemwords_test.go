package main

import (
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/relief"
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

// TestRowListInChinese: the hotline line of an import (testdata's
// messy/hotline.csv) lists its rows "2、3、4、5" in Chinese (it printed
// "第 2, 3, 4, 5 行"), and a report written before rows_zh existed is read
// the same way.
func TestRowListInChinese(t *testing.T) {
	recs, _, err := importer.ReadFile(filepath.Join("..", "..", "testdata", "messy", "hotline.csv"), importer.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	p, err := importer.NewPlanner("net", emptyExisting{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if w, ok := p.Plan(r); ok {
			p.Written(w)
		}
	}
	var line string
	for _, pr := range p.Report().Problems {
		if pr.Code == importer.ProblemTextPhoneShared {
			line = speakerOf(langZH).problemLine(pr)
			delete(pr.Args, "rows_zh")
			if old := speakerOf(langZH).problemLine(pr); old != line {
				t.Errorf("a report without rows_zh reads %q; want %q", old, line)
			}
		}
	}
	if !strings.Contains(line, "第 2、3、4、5 行") {
		t.Errorf("hotline line %q; want 第 2、3、4、5 行", line)
	}
}

// emptyExisting is a network with no demands or offers.
type emptyExisting struct{}

func (emptyExisting) Demands() ([]relief.Demand, error)   { return nil, nil }
func (emptyExisting) Offers() ([]relief.Offer, error)     { return nil, nil }
func (emptyExisting) Demand(string) (relief.Demand, bool) { return relief.Demand{}, false }
func (emptyExisting) HasOffer(string) bool                { return false }
func (emptyExisting) Record(kind, id string) (*relief.Record, error) {
	return nil, errors.New("no records")
}
