package importer

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/reliefmesh/reliefmesh/relief"
)

// These tests read the files of testdata/messy (made by its gen.go): the
// shapes of files coordinators have that the importer had not seen.

// byOrg returns the records read from the messy file rel, by organisation,
// and the problems; a file that cannot be read fails the test.
func readMessy(t *testing.T, rel string) (map[string]Record, []Problem) {
	t.Helper()
	recs, probs, err := ReadFile(rawFile(t, "messy/"+rel), DefaultOptions())
	if err != nil {
		t.Fatalf("ReadFile(%s) = %v", rel, err)
	}
	out := map[string]Record{}
	for _, r := range recs {
		out[r.Org] = r
	}
	return out, probs
}

// problemsOf returns the problems of code among ps.
func problemsOf(ps []Problem, code string) []Problem {
	var out []Problem
	for _, p := range ps {
		if p.Code == code {
			out = append(out, p)
		}
	}
	return out
}

func sourceValue(r Record, column string) string {
	for _, f := range r.SourceFields {
		if f.Column == column {
			return f.Value
		}
	}
	return ""
}

// TestExcelDates: the dates of a workbook, as Excel stores them and as people
// type them, are read right or told: a date-formatted cell (shown "02-03-20",
// which no reader can tell from 2 March) is the day Excel holds; a serial in
// a General cell is read and told; a date without its year takes the year of
// the sheet's other dates, told; a deadline in words is kept, told. A phone
// number shown in scientific notation is told, never made a contact.
func TestExcelDates(t *testing.T) {
	recs, probs := readMessy(t, "dates.xlsx")
	for _, tc := range []struct {
		org, date, deadline string
	}{
		{"甲医院", "2020-02-03", "2020-02-10 12:00"},
		{"乙医院", "2020-02-03", "2020-02-10"},
		{"丙医院", "2020-02-03", "2020-02-10"},
		{"丁医院", "2020-02-03", "2020-02-10"},
		{"戊医院", "2020-02-03 10:00", "下周"}, // its time of day kept (China time)
	} {
		r, ok := recs[tc.org]
		if !ok {
			t.Errorf("%s: no record", tc.org)
			continue
		}
		if r.Date != tc.date || sourceValue(r, "截止时间") != tc.deadline {
			t.Errorf("%s: date %q, 截止时间 %q; want %q, %q", tc.org, r.Date, sourceValue(r, "截止时间"), tc.date, tc.deadline)
		}
	}
	for _, want := range []struct {
		code string
		row  int
	}{{ProblemDateSerial, 3}, {ProblemDateYear, 4}, {ProblemDateYear, 5}, {ProblemDateKept, 6}, {ProblemPhoneScientific, 4}} {
		if !slices.ContainsFunc(probs, func(p Problem) bool { return p.Code == want.code && p.Row == want.row && p.Sheet == "Sheet1" }) {
			t.Errorf("no %s at row %d of Sheet1; problems:\n%v", want.code, want.row, probs)
		}
	}
	for _, c := range recs["丙医院"].Contacts {
		if strings.Contains(c.Name+c.Phone, "E+") || strings.Contains(c.Name, "1.38") {
			t.Errorf("丙医院 has contact %+v made of a number in scientific notation", c)
		}
	}
	if c := recs["乙医院"].Contacts; len(c) != 1 || c[0].Phone != "+8613800000002" {
		t.Errorf("乙医院 contacts %+v; want the number stored as a number", c)
	}
}

// TestDatesWithoutYear: dates written without a year in a sheet whose other
// dates name none are kept as written and told, never given a year guessed.
func TestDatesWithoutYear(t *testing.T) {
	recs, probs := readMessy(t, "dates.csv")
	if recs["甲社区"].Date != "2月3日" || recs["乙社区"].Date != "2.3" {
		t.Errorf("dates %q, %q; want kept as written", recs["甲社区"].Date, recs["乙社区"].Date)
	}
	if n := len(problemsOf(probs, ProblemDateNoYear)); n != 2 {
		t.Errorf("%d %s problems; want 2: %v", n, ProblemDateNoYear, probs)
	}
}

// TestWorkbookOfHospitals: a workbook of one sheet per hospital, whose rows
// do not name it, beside instructions, an empty sheet, a pivot table and a
// hidden sheet of drop-down lists (it was read as a hospital's demands):
// every hospital sheet is read, its name taken as the requester (told), and
// the other sheets left out, each told with its reason.
func TestWorkbookOfHospitals(t *testing.T) {
	recs, probs := readMessy(t, "hospitals.xlsx")
	if len(recs) != 2 {
		t.Fatalf("%d records: %v; want the two hospitals", len(recs), slices.Collect(func(yield func(string) bool) {
			for k := range recs {
				yield(k)
			}
		}))
	}
	for org, n := range map[string]int{"华中科技大学同济医学院附属协和医院": 2, "武汉市第七医院": 3} {
		if got := len(recs[org].Items); got != n {
			t.Errorf("%s: %d supplies; want %d", org, got, n)
		}
	}
	if len(problemsOf(probs, ProblemNoOrg)) != 0 {
		t.Errorf("rows told they have no organisation: %v", problemsOf(probs, ProblemNoOrg))
	}
	if n := len(problemsOf(probs, ProblemSheetAsOrg)); n != 2 {
		t.Errorf("%d %s problems; want 2", n, ProblemSheetAsOrg)
	}
	skipped := map[string]string{}
	for _, p := range probs {
		if strings.HasPrefix(p.Code, "sheet_") && p.Code != ProblemSheetAsOrg {
			skipped[p.Sheet] = p.Code
		}
	}
	if want := map[string]string{"填表说明": ProblemSheetText, "Sheet3": ProblemSheetEmpty, "汇总": ProblemSheetPivot, "物资目录": ProblemSheetHidden}; fmt.Sprint(skipped) != fmt.Sprint(want) {
		t.Errorf("sheets left out %v; want %v", skipped, want)
	}
}

// TestWorkbookOfDistricts: one sheet per district, rows naming their
// organisations only: the sheet's name is the district of its rows, told.
func TestWorkbookOfDistricts(t *testing.T) {
	recs, probs := readMessy(t, "districts.xlsx")
	for org, d := range map[string]string{"塔子湖社区": "江岸区", "后湖街社区卫生服务中心": "江岸区", "珞南街社区": "洪山区"} {
		if recs[org].District != d {
			t.Errorf("%s: district %q; want %q", org, recs[org].District, d)
		}
	}
	if n := len(problemsOf(probs, ProblemSheetAsDistrict)); n != 2 {
		t.Errorf("%d %s problems; want 2: %v", n, ProblemSheetAsDistrict, probs)
	}
}

// TestJSONVariants: an array of objects, an object wrapping one, JSON Lines
// and HXL JSON are read as the same records; broken JSON names its line.
func TestJSONVariants(t *testing.T) {
	want := ""
	for _, f := range []string{"array.json", "wrapped.json", "lines.jsonl", "hxl.json"} {
		recs, probs := readMessy(t, f)
		var b strings.Builder
		for _, org := range []string{"武汉市第一医院", "武汉市第三医院"} {
			r := recs[org]
			fmt.Fprintf(&b, "%s %v %v; ", org, itemsText(r.Items), r.Contacts)
		}
		if len(recs) != 2 {
			t.Errorf("%s: %d records; want 2 (problems %v)", f, len(recs), probs)
		}
		if want == "" {
			want = b.String()
		} else if b.String() != want {
			t.Errorf("%s: %s\nwant %s", f, b.String(), want)
		}
	}
	_, _, err := ReadFile(rawFile(t, "messy/broken.json"), DefaultOptions())
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("ReadFile(broken.json) = %v; want an error naming line 3", err)
	}
}

func itemsText(its []relief.Item) string {
	var out []string
	for _, it := range its {
		n := "?"
		if it.Needed != nil {
			n = fmt.Sprint(*it.Needed)
		}
		out = append(out, it.Name+" "+n+it.Unit)
	}
	return strings.Join(out, ",")
}

// TestEncodings: the same sheet saved as GB18030, UTF-8 with a BOM, Excel's
// "Unicode text" (UTF-16, tabs) and UTF-8 with two damaged bytes is read
// alike, the encoding named; each damaged cell is told by row and column.
func TestEncodings(t *testing.T) {
	for _, tc := range []struct{ file, enc string }{
		{"gbk.csv", "gb18030"}, {"bom.csv", "utf-8 (BOM)"}, {"unicode.txt", "utf-16"}, {"damaged.csv", "utf-8"},
	} {
		data, err := os.ReadFile(rawFile(t, "messy/"+tc.file))
		if err != nil {
			t.Fatal(err)
		}
		tables, err := ReadTables(tc.file, data)
		if err != nil || len(tables) != 1 {
			t.Fatalf("%s: ReadTables = %v, %v", tc.file, tables, err)
		}
		if tables[0].Encoding != tc.enc {
			t.Errorf("%s: encoding %q; want %q", tc.file, tables[0].Encoding, tc.enc)
		}
		recs, probs := readMessy(t, tc.file)
		if len(recs) != 3 || recs["武汉市第一医院"].Contacts == nil {
			t.Errorf("%s: records %v", tc.file, recs)
		}
		if tc.file != "damaged.csv" {
			continue
		}
		var at []string
		for _, p := range problemsOf(probs, ProblemBadBytesCell) {
			at = append(at, fmt.Sprintf("%d %s", p.Row, p.Field))
		}
		if want := []string{"3 所需物资", "4 备注"}; !slices.Equal(at, want) {
			t.Errorf("damaged cells told at %v; want %v", at, want)
		}
	}
}

// TestFormulaWithoutValue: a cell holding a formula with no saved value (a
// file written by a program that does not compute formulas) read as an
// empty cell, and 乙医院's quantity was lost without a word; it is told by
// row and column, with the formula.
func TestFormulaWithoutValue(t *testing.T) {
	recs, probs := readMessy(t, "formulas.xlsx")
	if len(recs) != 2 {
		t.Fatalf("%d records; want 2", len(recs))
	}
	ps := problemsOf(probs, ProblemFormulaNoValue)
	if len(ps) != 1 || ps[0].Row != 3 || ps[0].Field != "数量" || ps[0].Value != "=C2*2" || ps[0].Sheet != "Sheet1" {
		t.Errorf("%s problems %v; want one at Sheet1 row 3, 数量, =C2*2", ProblemFormulaNoValue, ps)
	}
}

// TestBig5: a sheet in traditional characters saved by Excel in Hong Kong
// or Taiwan (Big5) was read as GB18030, every character garbled, without a
// word (most Big5 byte pairs are valid GB18030 too); it is read as Big5 and
// says so.
func TestBig5(t *testing.T) {
	data, err := os.ReadFile(rawFile(t, "messy/big5.csv"))
	if err != nil {
		t.Fatal(err)
	}
	tables, err := ReadTables("big5.csv", data)
	if err != nil || len(tables) != 1 {
		t.Fatalf("ReadTables = %v, %v", tables, err)
	}
	tb := tables[0]
	if tb.Encoding != "big5" || len(tb.Rows) != 3 || tb.Rows[0].Cells[0] != "香港紅十字會" || tb.Rows[2].Cells[2] != "黃醫生 13800000073" {
		t.Errorf("encoding %q, headers %q, first row %q; want big5, 香港紅十字會", tb.Encoding, tb.Headers, tb.Rows[0].Cells)
	}
}

// TestLatin1NotBig5: Spanish text in Windows-1252 (accented letters before
// letters read as Big5 pairs) stays Windows-1252.
func TestLatin1NotBig5(t *testing.T) {
	for _, text := range []string{
		"Organización,Sector,País,Acción\nCruz Roja,Salud,Panamá,Atención médica\nOMS,Agua,Colombia,Distribución\n",
		"Organisation,Besoin\nCroix-Rouge française,Eau potable\nMédecins,Matériel médical\n",
	} {
		b, err := charmap.Windows1252.NewEncoder().String(text)
		if err != nil {
			t.Fatal(err)
		}
		if d := DecodeText([]byte(b)); d.Encoding != "windows-1252" || d.Text != text {
			t.Errorf("DecodeText = %s %q; want windows-1252 %q", d.Encoding, d.Text, text)
		}
	}
}
