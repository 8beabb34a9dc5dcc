package importer

import (
	"fmt"
	"strings"
	"testing"
)

// TestDropGoneOfCutFilesReadBack: the gone rows of a file cut short are
// all dropped when the report was read back from JSON (the hub's socket:
// a Gone's file is not sent), though the rows-gone line names only its
// first ten codes. The reviewer's finding (session 12): rows 11 and on of
// 12 stayed listed as gone after their line was dropped.
func TestDropGoneOfCutFilesReadBack(t *testing.T) {
	var gone []Gone
	var codes []string
	for i := 1; i <= 12; i++ {
		c := fmt.Sprintf("D-%02d", i)
		gone = append(gone, Gone{ID: c, Code: c}) // no file: read back from JSON
		if i <= 10 {
			codes = append(codes, c)
		}
	}
	problems := []Problem{
		{File: "a.csv", Code: ProblemFileCut},
		{File: "a.csv", Code: ProblemRowsGone, Args: args("count", "12", "codes", strings.Join(codes, " ")+" …")},
	}
	gotProblems, gotGone := DropGoneOfCutFiles(problems, gone)
	if len(gotGone) != 0 {
		t.Errorf("%d rows still listed as gone from a file cut short: %+v; want none", len(gotGone), gotGone)
	}
	if len(gotProblems) != 1 || gotProblems[0].Code != ProblemFileCut {
		t.Errorf("problems %+v; want the cut alone", gotProblems)
	}
}
