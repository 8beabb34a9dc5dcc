package importer

import (
	"strconv"
	"strings"
	"testing"
)

// TestCSVEndsInsideQuotedCell: a CSV cut short inside a quoted cell (an
// interrupted copy) was read as complete, and its last row used with half a
// cell. The reader now reports the cut and does not use that row.
func TestCSVEndsInsideQuotedCell(t *testing.T) {
	head := "单位名称,地址,所需物资,联系方式\n" +
		"社区一,武汉市江汉区香港路1号,口罩 10个,张老师 13800000001\n"
	for _, tc := range []struct {
		name, tail string
		line, row  int // of the cut; 0 when the file is whole
	}{
		{"cut in a one-line cell", "社区二,武汉市江汉区香港路2号,口罩 20个,\"李老师", 3, 3},
		{"cut in a multi-line cell", "社区二,武汉市江汉区香港路2号,口罩 20个,\"李老师 13800000002\n王老师", 3, 3},
		{"cut after an escaped quote", "社区二,\"香港路\"\"2\"\"号,口罩 20个,李老师", 3, 3},
		{"whole, quoted cells", "社区二,\"香港路\"\"2\"\"号\",口罩 20个,\"李老师 13800000002\n王老师\"\n", 0, 0},
		{"whole, a quote inside an unquoted cell", "社区二,香港路\"2号,口罩 20个,李老师\n", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb, err := ReadCSV("cut.csv", strings.NewReader(head+tc.tail))
			if err != nil {
				t.Fatalf("ReadCSV = %v", err)
			}
			var cut []Problem
			for _, p := range tb.Problems {
				if p.Code == ProblemFileCut {
					cut = append(cut, p)
				}
			}
			if tc.line == 0 {
				if len(cut) != 0 || len(tb.Rows) != 2 {
					t.Errorf("ReadCSV of a whole file = %d rows, problems %v; want 2 rows, no cut", len(tb.Rows), cut)
				}
				return
			}
			if len(tb.Rows) != 1 {
				t.Errorf("ReadCSV kept %d rows; want 1 (the cut row not used)", len(tb.Rows))
			}
			if len(cut) != 1 {
				t.Fatalf("ReadCSV problems = %v; want one %s", tb.Problems, ProblemFileCut)
			}
			p := cut[0]
			want := "file ends inside a quoted cell at line " + itoa(tc.line) + ": row " + itoa(tc.row) + " not used"
			if p.Msg != want || p.Row != tc.row || !p.Rejected || p.Args["line"] != itoa(tc.line) || p.Args["row"] != itoa(tc.row) {
				t.Errorf("cut problem = %+v; want %q, row %d, rejected", p, want, tc.row)
			}
			recs, probs := Records(tb, DefaultOptions())
			if len(recs) != 1 || recs[0].Org != "社区一" {
				t.Errorf("Records = %v; want only 社区一", recs)
			}
			found := false
			for _, q := range probs {
				found = found || q.Code == ProblemFileCut
			}
			if !found {
				t.Errorf("Records problems = %v; want the cut reported", probs)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
