package importer

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/internal/fixture"
)

// problemCodes are the codes the app translates; a new code must be added
// to the app's catalogues too.
var problemCodes = map[string]bool{
	ProblemCellCount: true, ProblemEmptyRow: true, ProblemNoOrg: true, ProblemNotInCatalog: true, ProblemNoSupplyName: true,
	ProblemBadQuantity: true, ProblemBadStatus: true, ProblemBadPhone: true, ProblemNoPhone: true, ProblemInvalid: true,
	ProblemNegativeQty: true, ProblemRefused: true, ProblemOfferPresent: true, ProblemTooLong: true, ProblemNotFound: true,
	ProblemUnmappedColumn: true, ProblemTextQuantity: true, ProblemNoiseCell: true, ProblemColumnMismatch: true,
	ProblemOfferPresentAdds: true, ProblemRepeatedRow: true, ProblemBadUrgency: true, ProblemReceivedKept: true, ProblemQuantityUnassigned: true, ProblemExtraCells: true, ProblemTotalsRows: true, ProblemHiddenRows: true, ProblemQuantityAtLeast: true, ProblemHeaderRepeated: true, ProblemThousandsSplit: true,
	ProblemKindNoDemandShape: true, ProblemKindOfferWords: true, ProblemDuplicateRow: true, ProblemTagHeader: true, ProblemQuantityZero: true, ProblemSameRowTwice: true, ProblemDuplicateRowKept: true, ProblemNothingNeeded: true, ProblemRowsGone: true, ProblemOfferRepeatsRow: true, ProblemTagOverHeader: true,
	ProblemContactSealed: true, ProblemOfferRepeatsFileRow: true, ProblemSameRowTwiceFile: true, ProblemTextPhoneShared: true,
	ProblemPlaceDisagrees: true, ProblemMergedOwnRecord: true, ProblemPlaceCellsDisagree: true, ProblemPlaceSharedName: true, ProblemMergedRowApart: true,
}

// TestEveryProblemHasACode: every problem reading the real files gives has
// a known code, and the arguments its message names.
func TestEveryProblemHasACode(t *testing.T) {
	var files []string
	for _, dir := range []string{"wuhan2020", "hxl"} {
		for _, f := range fixture.Files(t, dir) {
			if ext := filepath.Ext(f); ext == ".csv" || (ext == ".json" && filepath.Base(f) != "sheet_validation_errors.json") {
				files = append(files, f)
			}
		}
	}
	seen := map[string]int{}
	quoted := regexp.MustCompile(`"[^"]*"`)
	for _, f := range files {
		_, probs, err := ReadFile(rawFile(t, f), DefaultOptions())
		if err != nil {
			continue // a file that is not a relief list: no rows, no problems
		}
		for _, p := range probs {
			seen[p.Code]++
			if !problemCodes[p.Code] {
				t.Errorf("%s: code %q; want one of the Problem* codes", p, p.Code)
				continue
			}
			// a quoted value in the message is in the arguments too
			if q := quoted.FindString(p.Msg); q != "" && len(p.Args) == 0 {
				t.Errorf("%s: code %s names %s but has no arguments", p, p.Code, q)
			}
		}
	}
	_, probs := ParseMessage("急需口罩，联系人王老师 138")
	for _, p := range probs {
		seen[p.Code]++
		if !problemCodes[p.Code] {
			t.Errorf("ParseMessage: %s: code %q; want one of the Problem* codes", p, p.Code)
		}
	}
	t.Logf("codes seen: %v", seen)
	if len(seen) < 4 {
		t.Errorf("only codes %v seen; the real files should give more kinds of problems", seen)
	}
}

// TestRepeatedRowSkipped: a row whose every non-empty cell holds the same
// text (a heading, a merged cell spread over the row: a tester's sheet had
// "武汉市公安局" in all five columns and it became a demand) is skipped and
// said so; a row with two equal cells among others is a record.
func TestRepeatedRowSkipped(t *testing.T) {
	csv := "单位,地址,联系人,电话,物资\n" +
		"甲医院,某路1号,王医生,13800000041,N95口罩 100只\n" +
		"武汉市公安局,武汉市公安局,武汉市公安局,武汉市公安局,武汉市公安局\n" +
		"一、医疗机构,,,,\n" +
		"乙医院,乙医院,李医生,13800000042,医用手套 50副\n"
	tb, err := ReadCSV("r.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	recs, probs := Records(tb, DefaultOptions())
	var orgs []string
	for _, r := range recs {
		orgs = append(orgs, r.Org)
	}
	if strings.Join(orgs, "|") != "甲医院|一、医疗机构|乙医院" && strings.Join(orgs, "|") != "甲医院|乙医院" {
		t.Errorf("records %q; want 甲医院 and 乙医院 (the repeated row skipped)", orgs)
	}
	var skipped []Problem
	for _, p := range probs {
		if p.Code == ProblemRepeatedRow {
			skipped = append(skipped, p)
		}
	}
	if len(skipped) != 1 || skipped[0].Row != 3 || !skipped[0].Rejected || skipped[0].Args["value"] != "武汉市公安局" || skipped[0].Args["cells"] != "5" {
		t.Errorf("repeated-row problems %+v; want one, rejected, for row 3 naming 武汉市公安局 and its 5 cells", skipped)
	}
}
