package importer

import (
	"strings"
	"testing"
)

// TestShiftedColumnsAreTold: an export whose values slid one column to the
// right of their keys (a real wuhan2020 hospital file of January 2020: the
// address under 官方链接's neighbour, links under 医院地址, addresses under
// 联系方式) imported every cell somewhere, silently, into the wrong fields.
// A column whose values do not fit its field — links in an address or name
// column, no digit in a contact column, a link column without links — is
// reported with samples, so the person sees the shift before importing.
func TestShiftedColumnsAreTold(t *testing.T) {
	csv := "医院名称,医院地址,联系方式,官方链接\n" +
		"甲市,https://a.example/1,甲市某路1号,李老师 13800000031\n" +
		"乙市,https://a.example/2,乙市某路2号,王老师 13800000032\n" +
		"丙市,https://a.example/3,丙市某路3号,赵老师 13800000033\n"
	tb, err := ReadCSV("s.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	_, probs := Records(tb, DefaultOptions())
	told := map[string]bool{}
	for _, p := range probs {
		if p.Code == ProblemColumnMismatch {
			told[p.Args["column"]] = true
			if p.Args["samples"] == "" || p.Args["field"] == "" {
				t.Errorf("problem %+v: want the field and samples", p)
			}
		}
	}
	for _, col := range []string{"医院地址", "联系方式", "官方链接"} {
		if !told[col] {
			t.Errorf("column %s not reported as not fitting its field; told %v", col, told)
		}
	}
	// a sheet in order is not reported
	good := "医院名称,医院地址,联系方式,官方链接\n甲医院,甲市某路1号,李老师 13800000031,https://a.example/1\n乙医院,乙市某路2号,13800000032,\n丙医院,丙市某路3号,0710-0000003,https://a.example/3\n"
	tb, _ = ReadCSV("g.csv", strings.NewReader(good))
	_, probs = Records(tb, DefaultOptions())
	for _, p := range probs {
		if p.Code == ProblemColumnMismatch {
			t.Errorf("sheet in order: %s", p.Msg)
		}
	}
}
