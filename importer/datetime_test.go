package importer

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDateKeepsTimeOfDay: a demand's date cell with a time of day
// ("2020-02-03 14:30", a 2020 Wuhan file's way) keeps it; a timestamp with
// its zone is read in China time (Asia/Shanghai, UTC+8, as a 2020 Wuhan
// file means), time included; a date alone stays a day. The time written
// without a zone is taken as China time, and the preview says so once for
// the column (ProblemDateZone, row 0), not for every cell; a column of days
// alone says nothing.
func TestDateKeepsTimeOfDay(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "需求.csv")
	csv := "需求单位,物资,联系电话,日期\n" +
		"甲医院,N95口罩 500,13800000001,2020-02-03 14:30\n" +
		"乙医院,防护服 100,13800000002,2020-02-04T06:15:00Z\n" +
		"丙医院,护目镜 50,13800000003,2020-02-05\n" +
		"丁医院,手套 80,13800000004,2020/2/6 9:05\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	recs, probs, err := ReadFile(path, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range recs {
		got[r.Org] = r.Date
	}
	for org, want := range map[string]string{"甲医院": "2020-02-03 14:30", "乙医院": "2020-02-04 14:15", "丙医院": "2020-02-05", "丁医院": "2020-02-06 09:05"} {
		if got[org] != want {
			t.Errorf("%s: date %q; want %q", org, got[org], want)
		}
	}
	zone := problemsOf(probs, ProblemDateZone)
	if len(zone) != 1 || zone[0].Row != 0 || zone[0].Args["column"] != "日期" || zone[0].Args["zone"] != DateZone || zone[0].Args["cells"] != "2" {
		t.Errorf("%s problems = %+v; want one for column 日期, zone %s, 2 cells", ProblemDateZone, zone, DateZone)
	}

	days := filepath.Join(dir, "days.csv")
	os.WriteFile(days, []byte("需求单位,物资,联系电话,日期\n甲医院,N95口罩 500,13800000001,2020-02-03\n"), 0o644)
	_, probs, err = ReadFile(days, DefaultOptions())
	if err != nil || len(problemsOf(probs, ProblemDateZone)) != 0 {
		t.Errorf("days only: %v, %+v; want no %s", err, problemsOf(probs, ProblemDateZone), ProblemDateZone)
	}
}
