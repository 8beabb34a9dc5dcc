package importer

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/reliefmesh/reliefmesh/relief"
)

// A demand sheet of another city, in the shape of the 2020 sheets but with
// other headers, districts and contact styles.
const chengduCSV = "单位名称,所在区县,详细地址,急需物资,联系人及电话,审核状态\n" +
	"成都市第五人民医院,温江,四川省成都市温江区麻市街33号,\"N95口罩/防护服\",\"设备科李老师 13800000001\n王老师（+86）139 0000 0002\",已核实\n" +
	"成都市公共卫生临床医疗中心,锦江区,成都市锦江区静明路377号,\"医用外科口罩、护目镜\",86 13700000003,\n" +
	"四川大学华西医院,武侯,四川省成都市武侯区国学巷37号,84消毒液,张老师13600000004；028-85422114,\n"

func TestSyntheticCityAllEncodings(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(chengduCSV)
	if err != nil {
		t.Fatal(err)
	}
	variants := map[string][]byte{
		"utf8.csv": []byte(chengduCSV),
		"bom.csv":  append([]byte{0xef, 0xbb, 0xbf}, chengduCSV...),
		"gbk.csv":  []byte(gbk),
	}
	var want []Record
	for _, name := range []string{"utf8.csv", "bom.csv", "gbk.csv"} {
		tables, err := ReadTables(name, variants[name])
		if err != nil {
			t.Fatalf("ReadTables(%s) = %v", name, err)
		}
		recs, probs := Records(tables[0], DefaultOptions())
		if len(probs) != 0 || len(recs) != 3 {
			t.Fatalf("Records(%s) = %d records, problems %v; want 3, none", name, len(recs), probs)
		}
		for i := range recs {
			// the file name differs; the row identity (Source) must not
			recs[i].File, recs[i].LegacySource = "", ""
		}
		if want == nil {
			want = recs
			r := recs[0]
			if r.Org != "成都市第五人民医院" || r.District != "温江区" || len(r.Items) != 2 || len(r.Contacts) != 2 ||
				r.Contacts[1].Phone != "+8613900000002" || r.Status != SourceReviewed || r.Kind != relief.KindDemand {
				t.Fatalf("first record = %+v", r)
			}
			if recs[2].District != "武侯区" || len(recs[2].Contacts) != 2 {
				t.Fatalf("third record = %+v", recs[2])
			}
			continue
		}
		if !equalJSON(recs, want) {
			t.Errorf("%s (%s) differs from its UTF-8 twin:\n%+v\n%+v", name, tables[0].Encoding, recs, want)
		}
	}
}

func TestLatin1Twin(t *testing.T) {
	b, err := os.ReadFile(rawFile(t, "hxl/test_io__input-valid.csv"))
	if err != nil {
		t.Fatal(err)
	}
	latin, err := charmap.ISO8859_1.NewEncoder().Bytes(b)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := ReadTables("valid.csv", b)
	l, _ := ReadTables("valid.csv", latin)
	if l[0].Encoding != "windows-1252" || !equalJSON(u[0].Rows, l[0].Rows) || !equalJSON(u[0].Headers, l[0].Headers) {
		t.Errorf("Latin-1 twin (%s) reads differently:\n%v\n%v", l[0].Encoding, u[0].Rows, l[0].Rows)
	}
}

func TestHXLFixtures(t *testing.T) {
	tests := []struct {
		file      string
		headerRow int
		tags      []string
		rows      int
		probs     int
	}{
		{"test_io__input-valid.csv", 2, []string{"", "#sector+es", "#subsector+es", "#org+es", "#targeted+f", "#targeted+m", "#country", "#adm1", "#date+reported"}, 4, 0},
		{"test_io__input-fuzzy.csv", 2, []string{"", "#sector+es", "#subsector+es", "#org+es", "#targeted+f", "#targeted+f", "#country", "#adm1"}, 4, 1}, // row 4 has a date past the last column: kept, told
		{"test_io__input-multiple-headers.csv", 2, []string{"#org", "", "#adm1", "#affected"}, 2, 0},
		{"test_io__input-multiline.csv", 0, []string{"#description"}, 1, 0},
		{"test_scripts__input-status.csv", 1, []string{"#sector", "#subsector", "#org", "#population+sex", "#targeted", "#country", "#adm1", "#status"}, 8, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(rawFile(t, "hxl/"+tt.file))
			if err != nil {
				t.Fatal(err)
			}
			tb, err := ReadCSV(tt.file, bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if tb.HeaderRow != tt.headerRow || !equalJSON(tb.Tags, tt.tags) || len(tb.Rows) != tt.rows || len(tb.Problems) != tt.probs {
				t.Errorf("ReadCSV = header row %d, tags %q, %d rows, problems %v; want %d, %q, %d, %d",
					tb.HeaderRow, tb.Tags, len(tb.Rows), tb.Problems, tt.headerRow, tt.tags, tt.rows, tt.probs)
			}
		})
	}
	// Multi-line cell kept whole; whitespace normalised to the same value.
	b, _ := os.ReadFile(rawFile(t, "hxl/test_io__input-multiline.csv"))
	tb, _ := ReadCSV("m.csv", bytes.NewReader(b))
	if got := CleanText(tb.Rows[0].Cells[0]); got != "Line 1\nLine 2\nLine 3" {
		t.Errorf("multi-line cell = %q", got)
	}
	b, _ = os.ReadFile(rawFile(t, "hxl/test_scripts__input-whitespace.csv"))
	tb, _ = ReadCSV("w.csv", bytes.NewReader(b))
	if a, c := CleanText(tb.Rows[0].Cells[6]), CleanText(tb.Rows[1].Cells[6]); a != "Los Santos" || a != c {
		t.Errorf("whitespace: %q vs %q; want both \"Los Santos\"", a, c)
	}
	m := SuggestMapping(tb)
	if m.Columns[2].Field != FieldOrg || m.Columns[6].Field != FieldProvince {
		t.Errorf("SuggestMapping(HXL) = %+v", m.Columns)
	}
}

func TestXLSXAndMapping(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{
		{"说明：某市防疫物资需求表"},
		{"Organisation", "District", "Address", "Item", "Quantity", "Unit", "Contact"},
		{"City Hospital No.3", "Westside", "12 River Rd", "N95 mask", 500, "pcs", "Dr Li +86 138 0000 0005"},
		{"City Hospital No.3", "Westside", "12 River Rd", "gloves", 1, "pairs", ""},
		{"Shelter B", "Eastside", "3 Hill St", "口罩", "2万", "", "Wang 13900000006\nZhao 13700000007"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	tables, err := ReadTables("needs.xlsx", buf.Bytes())
	if err != nil || len(tables) != 1 {
		t.Fatalf("ReadTables(xlsx) = %v, %v", tables, err)
	}
	recs, probs := Records(tables[0], DefaultOptions())
	if len(recs) != 2 || len(recs[0].Items) != 2 || *recs[0].Items[0].Needed != 500 || recs[0].Items[1].Needed != nil ||
		len(recs[1].Contacts) != 2 || *recs[1].Items[0].Needed != 20000 {
		t.Fatalf("Records(xlsx) = %+v, %v", recs, probs)
	}
	// The mapping round-trips through JSON and a changed one is applied.
	m := SuggestMapping(tables[0])
	m.Columns[2].Field = FieldIgnore
	b, _ := jsonMarshal(m)
	m2, err := ParseMapping(b)
	if err != nil {
		t.Fatal(err)
	}
	opts := DefaultOptions()
	opts.Mapping = &m2
	recs, _ = Records(tables[0], opts)
	if recs[0].Address != "Westside" && recs[0].Address != "" && strings.Contains(recs[0].Address, "River") {
		t.Errorf("address column ignored by the mapping, still read: %q", recs[0].Address)
	}
	if _, err := ParseMapping([]byte(`{"columns":[{"index":0,"field":"nonsense"}]}`)); err == nil {
		t.Error("ParseMapping(unknown field) = nil error")
	}
	// A truncated workbook is a clear error and changes nothing.
	if _, err := ReadTables("broken.xlsx", buf.Bytes()[:buf.Len()/2]); err == nil || !strings.Contains(err.Error(), "broken.xlsx") {
		t.Errorf("ReadTables(truncated xlsx) = %v; want an error naming the file", err)
	}
}

func TestMalformedFiles(t *testing.T) {
	if _, err := ReadTables("bad.json", []byte("[\n {\"name\": \"x\",\n  \"supplies\": [}\n]")); err == nil || !strings.Contains(err.Error(), "bad.json: line 3") {
		t.Errorf("JSON syntax error = %v; want one naming bad.json line 3", err)
	}
	// cells past the header: the row is kept, and so are they, told (a
	// tester's note typed after the last column rejected the whole row)
	tb, err := ReadCSV("cols.csv", strings.NewReader("name,address,contact\nA医院,a路1号,13800000000\nB医院,b路2号,13900000000,extra,cells\n"))
	if err != nil || len(tb.Rows) != 2 || len(tb.Problems) != 1 || tb.Problems[0].Row != 3 || tb.Problems[0].Rejected ||
		tb.Problems[0].Code != ProblemExtraCells || tb.Problems[0].Args["value"] != "extra | cells" {
		t.Errorf("wrong column count: rows %d, problems %v, %v; want row 3 kept, its extra cells told", len(tb.Rows), tb.Problems, err)
	}
	if recs, _ := Records(tb, DefaultOptions()); len(recs) != 2 || !inSource(recs[1], "D", "extra") || !inSource(recs[1], "E", "cells") {
		t.Errorf("records %+v; want B医院 with its cells D and E kept as written", recs)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "bad.json")
	os.WriteFile(p, []byte(`[{"name": "x"`), 0o600)
	if _, _, err := ReadFile(p, DefaultOptions()); err == nil {
		t.Error("ReadFile(truncated json) = nil error")
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{chengduCSV, "#org,#adm1\nA,B\n", ",Junk\nOrg,Province\n#org,#adm1\nX,Y\n", "\"a\nb\",c\n", "org\tadm1\nx\ty"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := ReadCSV("fuzz.csv", bytes.NewReader(b))
		if err != nil {
			return
		}
		m := SuggestMapping(tb)
		if len(m.Columns) != max(len(tb.Headers), len(tb.Tags)) {
			t.Fatalf("mapping has %d columns for %d headers", len(m.Columns), len(tb.Headers))
		}
		recs, _ := Records(tb, DefaultOptions())
		for _, r := range recs {
			if r.Source == "" || !relief.ValidCategory(r.Category) {
				t.Fatalf("record %+v: no source or bad category", r)
			}
		}
	})
}

func FuzzDetectHeader(f *testing.F) {
	f.Add("Junk,Junk\nOrg,No hashtag\n#org,\nX,y")
	f.Add("country,adm1\nPanama,Los Santos")
	f.Fuzz(func(t *testing.T, s string) {
		var rows [][]string
		for _, l := range strings.Split(s, "\n") {
			rows = append(rows, strings.Split(l, ","))
		}
		h, tags := DetectHeader(rows)
		if h >= len(rows) || tags >= len(rows) || (tags >= 0 && h >= tags) {
			t.Fatalf("DetectHeader = %d, %d for %d rows", h, tags, len(rows))
		}
	})
}

func FuzzCleanContacts(f *testing.F) {
	f.Add("设备科癸老师 13800000357 \n子老师 +86 138-0000-0279")
	f.Add("（+86）138 0000 0000；X老师13800000000、138")
	f.Fuzz(func(t *testing.T, s string) {
		cs, _ := CleanContacts(s, "CN")
		for _, c := range cs {
			if len(c.Name)+len(c.Phone)+len(c.Role) > len(s)*4+16 {
				t.Fatalf("contact %+v longer than its input", c)
			}
		}
	})
}

// TestRowsAreSpreadsheetRows: a row is numbered as WPS or Excel shows it
// (header = 1), whether cells span lines in a CSV or not, and in XLSX alike;
// the CSV line is kept beside it where it differs.
func TestRowsAreSpreadsheetRows(t *testing.T) {
	csv := "单位名称,地址,联系人,所需物资\n" +
		"A医院,a路1号,\"甲 13800000001\n乙 13800000002\n丙 13800000003\",N95口罩\n" + // row 2, lines 2-4
		"B医院,b路2号,丁 13800000004,\"防护服\n护目镜\"\n" + // row 3, lines 5-6
		"\n" + // row 4: blank
		"C医院,c路3号,戊 138,N95口罩\n" // row 5, line 8: a bad phone
	recs, probs, err := ReadData("multi.csv", []byte(csv), DefaultOptions())
	if err != nil || len(recs) != 3 {
		t.Fatalf("ReadData = %d records, %v; want 3", len(recs), err)
	}
	for i, want := range []struct{ row, line int }{{2, 0}, {3, 5}, {5, 8}} {
		if recs[i].Row != want.row || recs[i].Line != want.line {
			t.Errorf("record %d (%s): row %d line %d; want row %d line %d", i, recs[i].Org, recs[i].Row, recs[i].Line, want.row, want.line)
		}
	}
	if p := contactProblem(probs); p.Row != 5 || p.Line != 8 || !strings.Contains(p.String(), "multi.csv row 5 (line 8), contacts") {
		t.Errorf("problems = %v; want the bad phone at row 5 (line 8)", probs)
	}

	f := excelize.NewFile()
	for i, row := range [][]any{{"单位名称", "地址", "联系人"}, {"A医院", "a路1号", "甲 13800000001\n乙 13800000002"}, {}, {"C医院", "c路3号", "戊 138"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &row)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	recs, probs, err = ReadData("multi.xlsx", buf.Bytes(), DefaultOptions())
	if err != nil || len(recs) != 2 || recs[0].Row != 2 || recs[1].Row != 4 || recs[1].Line != 0 {
		t.Errorf("ReadData(xlsx) = %+v, %v; want rows 2 and 4", recs, err)
	}
	if p := contactProblem(probs); p.Row != 4 || p.Line != 0 {
		t.Errorf("xlsx problems = %v; want the bad phone at row 4", probs)
	}
}

func contactProblem(ps []Problem) Problem {
	for _, p := range ps {
		if p.Field == "contacts" {
			return p
		}
	}
	return Problem{}
}

// TestXLSXMergedCells: a cell merged over several rows (one hospital's name
// over its supply rows, a date over a block) belongs to each of them, as the
// sheet shows it; the rows under its first were read as blank there, so a
// row without its organisation was skipped (a real HXL workbook lost a row
// so).
func TestXLSXMergedCells(t *testing.T) {
	f := excelize.NewFile()
	for i, row := range [][]any{
		{"医院名称", "所需物资", "数量", "联系方式"},
		{"甲医院", "N95口罩", 100, "13800000021"},
		{nil, "防护服", 50, nil},
		{"乙医院", "护目镜", 20, "13800000022"},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range [][2]string{{"A2", "A3"}, {"D2", "D3"}} {
		if err := f.MergeCell("Sheet1", r[0], r[1]); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	recs, probs, err := ReadData("merged.xlsx", buf.Bytes(), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probs {
		if p.Rejected {
			t.Errorf("problem: %s", p.Msg)
		}
	}
	var got []string
	for _, r := range recs {
		for _, it := range r.Items {
			got = append(got, r.Org+":"+it.Name)
		}
	}
	if want := "甲医院:N95口罩 甲医院:防护服 乙医院:护目镜"; strings.Join(got, " ") != want {
		t.Errorf("items = %q; want %s", got, want)
	}
}

// TestTwoRowHeader: a group header over column names (物资 over 名称, 数量,
// 单位; a name merged down both rows) names the columns from both rows, so
// that the supply, its quantity and unit are read and the rows are kept.
func TestTwoRowHeader(t *testing.T) {
	csv := "医院名称,物资,,,联系人\n医院名称,名称,数量,单位,联系人,填报日期\n" +
		"黄石市中心医院,N95口罩,2000,只,陈老师 13636360001,2020/2/5\n大冶市人民医院,医用外科口罩,3000,个,林主任 0714-8722345,\n"
	tb, err := ReadCSV("two.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"医院名称", "物资名称", "数量", "单位", "联系人", "填报日期"}; !slices.Equal(tb.Headers, want) || len(tb.Problems) != 0 {
		t.Errorf("headers %q, problems %v; want %q and none", tb.Headers, tb.Problems, want)
	}
	recs, _ := Records(tb, DefaultOptions())
	if len(recs) != 2 || len(recs[0].Items) != 1 || recs[0].Items[0].Name != "N95口罩" || recs[0].Items[0].Needed == nil ||
		*recs[0].Items[0].Needed != 2000 || recs[0].Items[0].Unit != "只" || recs[1].Org != "大冶市人民医院" {
		t.Errorf("records %+v; want 黄石市中心医院 N95口罩 2000 只 and 大冶市人民医院", recs)
	}
}

// TestTotalsAndHiddenRowsSkipped: totals rows (合计, "小计：", 总计) are no
// demands, in CSV and XLSX alike, and neither are rows hidden in a workbook;
// each table says how many it left out, and which rows.
func TestTotalsAndHiddenRowsSkipped(t *testing.T) {
	csv := "医院名称,物资,数量\n甲医院,口罩,100\n乙医院,防护服,200\n小计：,,300\n丙医院,手套,50\n合计,,350\n 总 计 ,,350\n"
	tb, err := ReadCSV("t.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	var orgs []string
	for _, r := range tb.Rows {
		orgs = append(orgs, r.Cells[0])
	}
	if !slices.Equal(orgs, []string{"甲医院", "乙医院", "丙医院"}) || len(tb.Problems) != 1 ||
		tb.Problems[0].Code != ProblemTotalsRows || tb.Problems[0].Args["rows"] != "4, 6, 7" || tb.Problems[0].Args["count"] != "3" {
		t.Errorf("CSV rows %q, problems %v; want the three hospitals, and totals rows 4, 6, 7 told", orgs, tb.Problems)
	}

	f := excelize.NewFile()
	for i, row := range [][]any{{"医院名称", "物资", "数量"}, {"甲医院", "口罩", 100}, {"乙医院（已满足，隐藏）", "防护服", 200}, {"丙医院", "手套", 50}, {"合计", nil, 350}} {
		if err := f.SetSheetRow("Sheet1", "A"+strconv.Itoa(i+1), &row); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetRowVisible("Sheet1", 3, false); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	tbs, err := ReadXLSX("t.xlsx", &buf)
	if err != nil || len(tbs) != 1 {
		t.Fatalf("ReadXLSX = %d tables, %v", len(tbs), err)
	}
	orgs = nil
	for _, r := range tbs[0].Rows {
		orgs = append(orgs, r.Cells[0])
	}
	told := map[string]string{}
	for _, p := range tbs[0].Problems {
		told[p.Code] = p.Args["rows"]
	}
	if !slices.Equal(orgs, []string{"甲医院", "丙医院"}) || told[ProblemTotalsRows] != "5" || told[ProblemHiddenRows] != "3" || len(told) != 2 {
		t.Errorf("XLSX rows %q, problems %v; want 甲医院 and 丙医院, the totals row 5 and the hidden row 3 told", orgs, tbs[0].Problems)
	}
	// a workbook's problems say which sheet (two sheets' "row 5" read alike)
	_, probs := Records(tbs[0], DefaultOptions())
	for _, p := range probs {
		if p.Sheet != "Sheet1" || !strings.Contains(p.String(), `sheet "Sheet1"`) {
			t.Errorf("problem %v: sheet %q; want Sheet1, named in its line", p, p.Sheet)
		}
	}
}

// TestRepeatedHeaderRowsSkipped: an HXL hashtag row, or the header row,
// repeated below the header (files pasted one under the other) is no
// demand titled "#org+name": left out and told with its row.
func TestRepeatedHeaderRowsSkipped(t *testing.T) {
	csv := "医院名称,物资,联系人\n#org+name,#item+name,#contact\n甲医院,口罩,王 13800000001\n#org+name,#item+name,#contact+\n医院名称,物资,联系人\n乙医院,手套,李 13800000002\n"
	tb, err := ReadCSV("h.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	var orgs []string
	for _, r := range tb.Rows {
		orgs = append(orgs, r.Cells[0])
	}
	if !slices.Equal(orgs, []string{"甲医院", "乙医院"}) || len(tb.Problems) != 1 || tb.Problems[0].Code != ProblemHeaderRepeated || tb.Problems[0].Args["rows"] != "4, 5" {
		t.Errorf("rows %q, problems %v; want 甲医院 and 乙医院, rows 4 and 5 told as repeated headers", orgs, tb.Problems)
	}
}
