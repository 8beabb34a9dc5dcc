package importer

import (
	"path/filepath"
	"regexp"
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
	ProblemOfferPresentAdds: true,
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
