package importer

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reliefmesh/reliefmesh/internal/fixture"
	"github.com/reliefmesh/reliefmesh/relief"
)

// accountFiles are the real files of testdata (and practice/data) that the
// cell accounting test reads: every wuhan2020 and HXL list.
func accountFiles(t *testing.T) []string {
	var files []string
	for _, dir := range []string{"wuhan2020", "hxl"} {
		for _, f := range fixture.Files(t, dir) {
			if ext := filepath.Ext(f); ext == ".csv" || ext == ".json" {
				files = append(files, f)
			}
		}
	}
	if len(files) < 10 {
		t.Fatalf("only %d real files found: %v", len(files), files)
	}
	return files
}

var (
	listMarks = regexp.MustCompile(`[①-⑳⑴-⒇⒈-⒛]|(?:^|\s)\d{1,2}[.、．]|[（(]\d{1,2}[)）]|等等?(?:$|[\s、,，;；/。])`)
	tokenRE   = regexp.MustCompile(`\p{Han}+|[A-Za-z]+|\d+(?:\.\d+)?`)
	numberRE  = regexp.MustCompile(`(\d+(?:\.\d+)?)\s*(万|千|百|[kKwW])?`)
)

// recordDump is everything a record's fields hold (its source fields
// aside), normalised, for finding the words of a cell in it; and the digits
// of its phones and quantities.
func recordDump(r Record) (words, digits string) {
	var b, d strings.Builder
	for _, s := range []string{r.Org, r.Province, r.City, r.District, r.Region, r.Address, r.Notes, r.URL, r.Date, r.Category} {
		b.WriteString(s + "\n")
	}
	for _, it := range r.Items {
		b.WriteString(it.Name + " " + it.Spec + " " + it.Unit + "\n")
		if it.Needed != nil {
			d.WriteString(strconv.FormatFloat(*it.Needed, 'f', -1, 64) + " ")
		}
	}
	for _, c := range r.Contacts {
		b.WriteString(c.Name + " " + c.Role + "\n")
		d.WriteString(digitsOf(c.Phone) + " ")
	}
	return strings.ToLower(relief.NormalizeName(fold(b.String()))), d.String() + digitsOf(b.String())
}

// cellHeld reports whether the words and numbers of cell v (a column mapped
// to field f) are held by record r's fields: found independently of how the
// importer read them. Han runs, Latin words and numbers each must be found
// (a number also as its value with 万/千/百 applied, or as a phone's digits).
func cellHeld(f Field, v string, r Record) bool {
	words, digits := recordDump(r)
	switch f {
	case FieldStatus:
		if r.Status != "" {
			return true
		}
	case FieldDate:
		if r.Date != "" {
			return true
		}
	case FieldCategory:
		if r.Category == strings.TrimSpace(v) {
			return true
		}
	case FieldDistrict:
		if r.District != "" && (strings.Contains(r.District, strings.TrimRight(v, "区县市")) || strings.Contains(v, r.District)) {
			return true
		}
	}
	if f == FieldItems {
		v = listMarks.ReplaceAllString(v, " ") // ① 1. （1） 等: the list's marks, not its data
	}
	s := fold(v)
	for _, m := range numberRE.FindAllStringSubmatch(s, -1) {
		n, _ := strconv.ParseFloat(m[1], 64)
		switch m[2] {
		case "万", "w", "W":
			n *= 10000
		case "千", "k", "K":
			n *= 1000
		case "百":
			n *= 100
		}
		d := digitsOf(m[1])
		if !strings.Contains(digits, d) && !strings.Contains(digits, strings.TrimLeft(d, "0")) &&
			!strings.Contains(digits, strconv.FormatFloat(n, 'f', -1, 64)) && !strings.Contains(words, strings.ToLower(m[1])) {
			return false
		}
	}
	if f == FieldContacts {
		s = contactLabels.ReplaceAllString(s, " ") // 电话：, 联系人: labels, not data
	}
	for _, tok := range tokenRE.FindAllString(s, -1) {
		if tok[0] >= '0' && tok[0] <= '9' {
			continue
		}
		k := strings.ToLower(relief.NormalizeName(tok))
		if k != "" && !strings.Contains(words, k) && !pieced([]rune(k), words) {
			return false
		}
	}
	return true
}

// pieced reports whether k can be cut into pieces of two or more
// characters, each found in words ("设备科癸十" is role 设备科 and name 癸十).
func pieced(k []rune, words string) bool {
	if len(k) == 0 {
		return true
	}
	for n := len(k); n >= 2; n-- {
		if strings.Contains(words, string(k[:n])) && pieced(k[n:], words) {
			return true
		}
	}
	return false
}

// notNeeded reports whether a supply's quantity says it is not needed (0,
// 否, 无): then the supply's absence from the record holds the cell.
func notNeeded(qty any, r Record, name string) bool {
	q := strings.ToLower(strings.TrimSpace(fmt.Sprint(qty)))
	if q != "0" && !noWords[q] {
		return false
	}
	for _, it := range r.Items {
		if it.Name == CleanText(name) {
			return false
		}
	}
	return true
}

// inSource reports whether r keeps cell v of column col as written.
func inSource(r Record, col, v string) bool {
	return slices.Contains(r.SourceFields, relief.SourceField{Column: col, Value: v})
}

// quantityIn reports whether quantity n can be read in cell v: one of its
// numbers, with 万/千/百 applied, or a Chinese numeral with a unit.
func quantityIn(v string, n float64) bool {
	s := fold(thousandsSep(v))
	for _, m := range numberRE.FindAllStringSubmatch(s, -1) {
		x, _ := strconv.ParseFloat(m[1], 64)
		switch m[2] {
		case "万", "w", "W":
			x *= 10000
		case "千", "k", "K":
			x *= 1000
		case "百":
			x *= 100
		}
		if x == n {
			return true
		}
	}
	for _, m := range hanNumerals.FindAllString(s, -1) {
		if x, ok := hanNumber(m); ok && x == n {
			return true
		}
	}
	return false
}

var hanNumerals = regexp.MustCompile(`[零一二两三四五六七八九十百千万]+`)

// TestCellAccounting is the acceptance of "every cell lands somewhere": for
// every wuhan2020 and HXL file of testdata, cell by cell (counted, not
// sampled), each non-empty cell of a row that made a record is held by the
// record's fields or kept as written in its source fields, and each stored
// quantity can be read in the cell it names as its source (ItemFrom). It
// fails below 99 % of cells accounted for, or on any invented quantity.
func TestCellAccounting(t *testing.T) {
	total, held, kept := 0, 0, 0
	var lost []string
	for _, f := range accountFiles(t) {
		tables, err := ReadTables(f, fixture.Read(t, f))
		if err != nil {
			continue // not a relief list
		}
		for _, tb := range tables {
			if !tb.hasRecordColumns(DefaultOptions()) {
				continue
			}
			tot, h, k, l := accountTable(t, f, tb)
			total, held, kept, lost = total+tot, held+h, kept+k, append(lost, l...)
		}
	}
	if total == 0 {
		t.Fatal("no cells read")
	}
	pct := 100 * float64(held+kept) / float64(total)
	t.Logf("cells: %d non-empty; %d held by fields, %d kept as written; %.2f%% accounted for; %d not", total, held, kept, pct, len(lost))
	for i, l := range lost {
		if i == 3000 {
			t.Logf("… and %d more", len(lost)-30)
			break
		}
		t.Logf("not accounted for: %s", l)
	}
	if pct < 99 {
		t.Errorf("%.2f%% of non-empty cells accounted for; want at least 99%%", pct)
	}
}

// accountTable counts the non-empty cells of table tb (of file f) and how
// many the records made of it hold in their fields or keep as written, and
// lists those that are neither; it fails t for each stored quantity that its
// source cell does not contain.
func accountTable(t *testing.T, f string, tb *Table) (total, held, kept int, lost []string) {
	t.Helper()
	m := SuggestMapping(tb)
	recs, probs := Records(tb, DefaultOptions())
	byRow := map[int]*Record{}
	for i := range recs {
		byRow[recs[i].Row] = &recs[i]
	}
	rejected := map[int]bool{}
	for _, p := range probs {
		if p.Rejected {
			rejected[p.Row] = true
		}
	}
	field := map[int]Field{}
	orgCol := -1
	for _, c := range m.Columns {
		field[c.Index] = c.Field
		if c.Field == FieldOrg && orgCol < 0 {
			orgCol = c.Index
		}
	}
	// Long-format rows of one organisation make one record, at the group's
	// first row: the others belong to it.
	groupOf := map[int]*Record{}
	for _, row := range tb.Rows {
		if byRow[row.Num] != nil || rejected[row.Num] || orgCol < 0 || orgCol >= len(row.Cells) {
			continue
		}
		for i := range recs {
			if recs[i].Org != "" && recs[i].Org == CleanText(row.Cells[orgCol]) && recs[i].Row < row.Num {
				groupOf[row.Num] = &recs[i]
			}
		}
	}
	for ri, row := range tb.Rows {
		r := byRow[row.Num]
		if r == nil {
			r = groupOf[row.Num]
		}
		for i, cell := range row.Cells {
			v := CleanText(cell)
			if v == "" {
				continue
			}
			total++
			col := Column{Index: i}
			if i < len(tb.Headers) {
				col.Header = tb.Headers[i]
			}
			if i < len(tb.Tags) {
				col.Tag = tb.Tags[i]
			}
			name := col.Header
			if name == "" {
				name = ColumnName(col)
			}
			switch {
			case r == nil:
				lost = append(lost, fmt.Sprintf("%s row %d %s: %q (no record; rejected %v)", f, row.Num, name, v, rejected[row.Num]))
			case inSource(*r, name, v):
				kept++
			case field[i] == FieldSupply && notNeeded(v, *r, col.Header):
				held++
			case field[i] != FieldIgnore && cellHeld(field[i], v, *r):
				held++
			default:
				lost = append(lost, fmt.Sprintf("%s row %d %s (%s): %q", f, row.Num, name, field[i], v))
			}
		}
		// Nested supplies and contacts of JSON records are cells too.
		if r == nil || ri >= len(tb.extras) {
			continue
		}
		for _, it := range tb.extras[ri].items {
			total++
			if notNeeded(it.qty, *r, it.name) || cellHeld(FieldItems, it.name, *r) {
				held++
			} else {
				lost = append(lost, fmt.Sprintf("%s row %d supply %q", f, row.Num, it.name))
			}
		}
		for _, c := range tb.extras[ri].contacts {
			total++
			if cellHeld(FieldContacts, c.name+" "+c.tel, *r) {
				held++
			} else {
				lost = append(lost, fmt.Sprintf("%s row %d contact %q %q", f, row.Num, c.name, c.tel))
			}
		}
	}
	// No invented quantity: each one is in the cell it came from.
	for gi, r := range recs {
		if len(r.ItemFrom) != len(r.Items) {
			t.Errorf("%s row %d: %d items, %d sources", f, r.Row, len(r.Items), len(r.ItemFrom))
			continue
		}
		for i, it := range r.Items {
			if it.Needed == nil {
				continue
			}
			var cells []string
			for ri, row := range tb.Rows {
				if row.Num != r.Row && groupOf[row.Num] != &recs[gi] {
					continue
				}
				for ci, c := range row.Cells {
					col := Column{Index: ci}
					if ci < len(tb.Headers) {
						col.Header = tb.Headers[ci]
					}
					if ci < len(tb.Tags) {
						col.Tag = tb.Tags[ci]
					}
					if ColumnName(col) == r.ItemFrom[i] || col.Header == r.ItemFrom[i] || col.Tag == r.ItemFrom[i] {
						cells = append(cells, c)
					}
				}
				if ri < len(tb.extras) {
					for _, x := range tb.extras[ri].items {
						if x.name == it.Name && x.qty != nil {
							cells = append(cells, fmt.Sprint(x.qty))
						}
					}
				}
			}
			found := false
			for _, c := range cells {
				found = found || quantityIn(c, *it.Needed)
			}
			if !found {
				t.Errorf("%s row %d: quantity %v of %q is in none of its source cells %q (column %q)", f, r.Row, *it.Needed, it.Name, cells, r.ItemFrom[i])
			}
		}
	}
	return total, held, kept, lost
}

// provinceCSV is a made-up sheet in the layout of the province-wide CSV the
// issue describes (所在城市 … 其他信息 and a column without a header);
// names and numbers are invented.
const provinceCSV = "所在城市,医院名称,目前处理进度（不定时更新）,所需物资,规格,地址,联系方式,其他信息,\n" +
	"荆门市,钟祥市人民医院,\"缺少：防护服1万 防护口罩2万 外科口罩5万（最后更新：25日13:53）\",\"急需物资：医用防护口罩、防护服\",\"标准GB 19083-2010，YY 0469，应符合注册证要求\",钟祥市承天大道1号,设备科 13800000001,今晚8点荆门可能封城,已配送\n" +
	"荆门市,荆门市第二人民医院,,\"防护服（10万）；3000*外科口罩\",规格,荆门市象山大道2号,13800000002,,500个n95\n" +
	"宜昌市,宜昌市中心医院,已对接,\"护目镜（视野宽阔，透亮度好）、N95口罩（3M 1860、无阀门）、防护服（有注册证）\",GB2626-2006,宜昌市夷陵大道3号,13800000003,防护物资匮乏,\n"

// TestProvinceSheetEveryCellLands: every column of a sheet never seen
// lands somewhere; quantities in the progress and unnamed columns become
// items marked as read from there; standards, models and prose are specs,
// never items or quantities.
func TestProvinceSheetEveryCellLands(t *testing.T) {
	tables, err := ReadTables("province.csv", []byte(provinceCSV))
	if err != nil {
		t.Fatal(err)
	}
	tb := tables[0]
	total, held, kept, lost := accountTable(t, "province.csv", tb)
	if len(lost) > 0 || total == 0 {
		t.Errorf("%d of %d cells not accounted for (%d held, %d kept): %q", len(lost), total, held, kept, lost)
	}
	recs, probs := Records(tb, DefaultOptions())
	if len(recs) != 3 {
		t.Fatalf("Records = %d; want 3", len(recs))
	}
	progress := "目前处理进度（不定时更新）"
	// 防护口罩 is the catalog's 医用防护口罩, which the supplies cell names:
	// it takes the quantity.
	want := map[float64]bool{10000: true, 20000: true, 50000: true}
	r := recs[0]
	for i, it := range r.Items {
		if it.Needed != nil && want[*it.Needed] {
			if r.ItemFrom[i] != progress || !slices.Contains(r.TextItems, i) {
				t.Errorf("row 2 item %+v from %q; want from the progress column, to review", it, r.ItemFrom[i])
			}
			delete(want, *it.Needed)
		}
		if relief.NormalizeName(it.Name) == "标准gb" || it.Needed != nil && slices.Contains([]float64{19083, 2010, 469, 25, 13, 53, 8}, *it.Needed) {
			t.Errorf("row 2 item %+v: a standard, date or time read as a supply or quantity", it)
		}
	}
	if len(want) > 0 {
		t.Errorf("row 2 items %+v lack %v", r.Items, want)
	}
	spec := r.Notes // several supplies: the 规格 cell is a note of the demand
	for _, it := range r.Items {
		spec += it.Spec + ";"
	}
	if !strings.Contains(spec, "GB 19083-2010") || !strings.Contains(spec, "YY 0469") {
		t.Errorf("row 2 specs %q; want the standards attached to the supplies", spec)
	}
	if !inSource(r, "所在城市", "荆门市") {
		t.Errorf("source fields %+v; want the city, which the address does not name, kept", r.SourceFields)
	}
	if !inSource(r, "I", "已配送") || !inSource(recs[1], "I", "500个n95") {
		t.Errorf("source fields %+v / %+v; want the column without a header kept as column I", r.SourceFields, recs[1].SourceFields)
	}
	found500 := false
	for i, it := range recs[1].Items {
		found500 = found500 || (it.Needed != nil && *it.Needed == 500 && recs[1].ItemFrom[i] == "I")
		if it.Name == "规格" {
			t.Errorf("row 3: the header 规格 became an item")
		}
	}
	if !found500 {
		t.Errorf("row 3 items %+v (from %q); want 500 n95 read from column I", recs[1].Items, recs[1].ItemFrom)
	}
	for _, it := range recs[2].Items {
		for _, w := range []string{"视野", "透亮", "注册证", "无阀门", "1860", "匮乏"} {
			if strings.Contains(it.Name, w) {
				t.Errorf("row 4 item %q: prose or a model became a supply", it.Name)
			}
		}
	}
	codes := map[string]int{}
	for _, p := range probs {
		codes[p.Code]++
		if p.Code == ProblemUnmappedColumn && (p.Args["column"] != "I" || !strings.Contains(p.Args["samples"], "已配送")) {
			t.Errorf("unmapped column problem %+v; want column I with its samples", p)
		}
	}
	if codes[ProblemUnmappedColumn] != 1 || codes[ProblemTextQuantity] < 4 {
		t.Errorf("problem codes %v; want one unmapped column and a text quantity for each quantity read from text", codes)
	}
	if us := UnmappedColumns(tb, SuggestMapping(tb)); len(us) != 1 || us[0].Cells != 2 || len(us[0].Samples) != 2 {
		t.Errorf("UnmappedColumns = %+v; want column I, 2 cells, 2 samples", us)
	}
}

// TestStaffCountIsNoQuantity: in an older hospital CSV, 医院人员数量 (staff)
// is no supply quantity, so the supplies cell beside it is a list of
// supplies, not one item named by the whole list.
func TestStaffCountIsNoQuantity(t *testing.T) {
	csv := "医院名称,医院人员数量,所需物资信息,联系方式\n" +
		"某县人民医院,1200,\"1.N95口罩 2.防护服 3.护目镜 4.医用手套 5.消毒液 6.隔离衣 7.鞋套 8.面屏 9.测温枪 10.手术帽\",13800000004\n" +
		"某市中医院,800,\"①外科口罩②防护服③护目镜等\",13800000005\n"
	tables, err := ReadTables("older.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	m := SuggestMapping(tables[0])
	if m.Columns[1].Field == FieldQuantity || m.Columns[2].Field != FieldItems {
		t.Fatalf("mapping %+v; want the staff count not a quantity, the supplies a list", m.Columns)
	}
	recs, _ := Records(tables[0], DefaultOptions())
	if len(recs) != 2 || len(recs[0].Items) != 10 || len(recs[1].Items) != 3 {
		t.Fatalf("Records = %+v; want 10 and 3 supplies", recs)
	}
	for _, r := range recs {
		for _, it := range r.Items {
			if it.Needed != nil || utf8.RuneCountInString(it.Name) > 6 {
				t.Errorf("item %+v: want a short supply name, quantity unknown", it)
			}
		}
	}
}

// TestTextItems: quantities in text cells, as people type them; dates,
// times, phones, standards and models are never quantities.
func TestTextItems(t *testing.T) {
	for _, tt := range []struct {
		cell string
		want string // name=quantity, comma-separated
	}{
		{"缺少：防护服1万 防护口罩2万 外科口罩5万（最后更新：25日13:53）", "防护服=10000,防护口罩=20000,外科口罩=50000"},
		{"N95（10万）", "N95=100000"},
		{"3000*n95口罩", "n95口罩=3000"},
		{"500个n95", "n95=500"},
		{"今晚8点荆门可能封城，联系 13800000006", ""},
		{"标准GB 19083-2010；YY 0469；3M 1860", ""},
		{"1月25日已配送", ""},
		{"医用面屏：1", ""}, // 1 is a tick in these sheets
		{"急缺防护服，至少需要1000防护服；7000隔离衣；1000护目镜", "防护服=1000,隔离衣=7000,护目镜=1000"},
		{"84消毒液", ""},
		{"已有捐赠；另缺外科口罩1万只，还需要医用防护服500套", "外科口罩=10000,医用防护服=500"},
		{"N95:1000只，84消毒液1000ml，8:30送到", "N95=1000,84消毒液=1000"},
		{"已捐款5万元，防护服3000元", ""},
	} {
		var got []string
		for _, it := range textItems(tt.cell, true) {
			got = append(got, it.Name+"="+qtyText(*it.Needed))
		}
		if g := strings.Join(got, ","); g != tt.want {
			t.Errorf("textItems(%q) = %s; want %s", tt.cell, g, tt.want)
		}
	}
}

// TestCellItems: a supplies cell cut into its supplies, with specs and
// prose attached, headers dropped, numbered lists and 等 understood.
func TestCellItems(t *testing.T) {
	for _, tt := range []struct {
		cell, want string // name=quantity[spec] …
	}{
		{"N95口罩：1000个", "N95口罩=1000[]"},
		{"标准GB 19083-2010，医用防护口罩", "医用防护口罩=?[GB 19083-2010]"},
		{"急需物资：1.N95口罩 2.防护服 3.护目镜（应符合GB14866）", "N95口罩=?[] 防护服=?[] 护目镜=?[GB14866; 应符合]"},
		{"N95口罩（3M 1860、无阀门）、护目镜（视野宽阔，透亮度好）、防护服（有注册证）", "N95口罩=?[3M 1860; 无阀门] 护目镜=?[视野宽阔,透亮度好] 防护服=?[有注册证]"},
		{"①外科口罩②手套③消毒液等", "外科口罩=?[] 手套=?[] 消毒液=?[]"},
		{"防护服|隔离衣/护目镜\n手套", "防护服=?[] 隔离衣=?[] 护目镜=?[] 手套=?[]"},
		{"（1）口罩（2）防护服", "口罩=?[] 防护服=?[]"},
		{"3M1860或3M9132口罩 5万只\n3M4565防护服 2万件", "口罩=50000[3M1860; 3M9132] 防护服=20000[3M4565]"},
		{"N100/护目镜/隔离衣（一万）", "N100=?[] 护目镜=?[] 隔离衣=10000[]"},
		{"规格", ""},
		{"YY 0469", ""},
		{"无", ""},
		{"N95口罩 防护服 护目镜 医用手套", "N95口罩=?[] 防护服=?[] 护目镜=?[] 医用手套=?[]"},
		{"一次性 医用口罩", "一次性 医用口罩=?[]"},
		{"医用防护服（GB19082-2009）：500套/天；需求量：护目镜1000副", "医用防护服=500[/天; GB19082-2009] 护目镜=1000[]"},
		{"联系电话13800000007；暂无", ""},
		{"N95口罩、防护服，越多越好", "N95口罩=?[] 防护服=?[越多越好]"},
	} {
		its, _, _, _ := cellItems(tt.cell)
		var got []string
		for _, it := range its {
			n := "?"
			if it.Needed != nil {
				n = qtyText(*it.Needed)
			}
			got = append(got, it.Name+"="+n+"["+it.Spec+"]")
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("cellItems(%q) = %s; want %s", tt.cell, g, tt.want)
		}
	}
}

// TestLongFormatRowsKeepTheirCells: rows of one organisation in the long
// format (one supply a row) are one record, and what each row says beside
// its supply (a note, a column without a field) is kept.
func TestLongFormatRowsKeepTheirCells(t *testing.T) {
	csv := "Organisation,Item,Needed,Description,Registro\n#org,#item+name,#item+needed,#description,\n" +
		"Cruz Roja,N95,100,urgente,001\nCruz Roja,防护服,50,para mañana,002\n"
	tables, err := ReadTables("long.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	total, held, kept, lost := accountTable(t, "long.csv", tables[0])
	recs, _ := Records(tables[0], DefaultOptions())
	if len(recs) != 1 || len(recs[0].Items) != 2 {
		t.Fatalf("Records = %+v; want one record of 2 supplies", recs)
	}
	if !strings.Contains(recs[0].Notes, "urgente") || !strings.Contains(recs[0].Notes, "para mañana") {
		t.Errorf("notes %q; want both rows' descriptions", recs[0].Notes)
	}
	if !inSource(recs[0], "Registro", "001") || !inSource(recs[0], "Registro", "002") {
		t.Errorf("source fields %+v; want both rows' Registro", recs[0].SourceFields)
	}
	if len(lost) > 0 || held+kept != total {
		t.Errorf("%d cells, %d held, %d kept; not accounted for: %q", total, held, kept, lost)
	}
}

// messyCSV is a made-up sheet of another city, in a layout none of the
// other tests use, with the cells people type: lists with every separator,
// numbered lists, specs and prose, quantities in remarks, a staff count,
// money, dates and times, a column of serial numbers and one without a
// header. Names and numbers are invented.
const messyCSV = "序号,单位名称,所在区县,医护人员数量,物资需求（数量及规格）,备注说明,发布时间,对接人,\n" +
	"1,黄州区人民医院,黄州,320,\"1.医用防护服（符合GB19082-2009）500套/天 2.N95口罩（3M 1860或同等级别）2000只 3.护目镜若干\",已有爱心企业捐赠5万元；另缺外科口罩1万只,2月3日 14:30,设备科 13800000011,急\n" +
	"2,团风县中医院,团风县,85,\"①防护服②隔离衣③手套④84消毒液等\",防护物资匮乏，视野宽阔的护目镜优先,2020-02-04,办公室 0713-5123456,\n" +
	"3,浠水县妇幼保健院,浠水,60,\"急需物资：N95口罩、外科口罩；规格：YY 0469-2011，无阀门\",,2月4日,,已对接\n" +
	"4,红安县人民医院,红安县,210,防护面屏/鞋套|手术衣,\"需求量：防护服1000套；7000隔离衣\",,\"院办 13800000012；13800000013\",\n" +
	"5,麻城市第二人民医院,麻城,150,暂无,物资已基本满足，感谢,2月6日 9:00,,\n" +
	"6,武穴市社区卫生服务中心,武穴,40,\"口罩5000个，消毒液若干，测温枪10把（最好是红外的）\",联系前请先发短信,,13800000014 张医生,\n"

// TestMessySheetHoldsUp: a sheet never seen holds up: every cell is
// accounted for, no supply is prose, a header or a standard, and every
// quantity is written in its source cell (accountTable checks that too).
func TestMessySheetHoldsUp(t *testing.T) {
	tables, err := ReadTables("messy.csv", []byte(messyCSV))
	if err != nil {
		t.Fatal(err)
	}
	tb := tables[0]
	m := SuggestMapping(tb)
	if m.Columns[3].Field == FieldQuantity {
		t.Errorf("医护人员数量 mapped to quantity; want a staff count kept otherwise")
	}
	total, held, kept, lost := accountTable(t, "messy.csv", tb)
	if len(lost) > 0 {
		t.Errorf("%d of %d cells not accounted for (%d held, %d kept): %q", len(lost), total, held, kept, lost)
	}
	recs, _ := Records(tb, DefaultOptions())
	if len(recs) != 6 {
		t.Fatalf("Records = %d; want 6", len(recs))
	}
	bad := regexp.MustCompile(`符合|视野|匮乏|无阀门|规格|急需物资|需求量|暂无|感谢|GB|YY|同等|若干|^\d+[.、]|元`)
	for _, r := range recs {
		for _, it := range r.Items {
			if bad.MatchString(it.Name) || utf8.RuneCountInString(it.Name) > 12 {
				t.Errorf("%s: item %q (spec %q) is prose, a header, a standard or a list", r.Org, it.Name, it.Spec)
			}
			if it.Needed != nil && slices.Contains([]float64{2, 3, 4, 14, 30, 50000, 19082, 2009, 469, 2011, 1860, 320, 85}, *it.Needed) {
				t.Errorf("%s: item %q needs %v: a list number, a date, a time, money, a standard or a staff count read as a quantity", r.Org, it.Name, *it.Needed)
			}
		}
	}
	names := func(r Record) string {
		var out []string
		for _, it := range r.Items {
			out = append(out, it.Name)
		}
		return strings.Join(out, ",")
	}
	if got := names(recs[1]); got != "防护服,隔离衣,手套,84消毒液" {
		t.Errorf("row 3 supplies %s; want the circled list", got)
	}
	if got := names(recs[4]); got != "" {
		t.Errorf("row 6 supplies %s; want none (暂无)", got)
	}
}

// TestItemColonRequirement: "supply：what it must be" (a layout of real
// hospital sheets) is the supply with its requirement as the spec; the
// requirement's own list (视野开阔、透亮度好、有较好的防溅功能) stays with
// it up to the next "；"; a more precise name of the same supply after the
// colon is its spec, not a second item. Before, the supply was dropped, its standard went
// to the item before it and each requirement became an item of its own.
func TestItemColonRequirement(t *testing.T) {
	cell := "N95口罩：应符合《医用防护口罩技术要求》GB19083-2010；医用防护服：符合《医用一次性防护服技术要求》GB19082-2009；" +
		"防护眼镜/护目镜：视野开阔、透亮度好、有较好的防溅功能，弹力带佩戴；84消毒液；医用外科口罩：YY0469-2011医用外科口罩技术要求；一次性圆帽；" +
		"医用一次性乳胶手套：一次性使用医用橡胶检查手套GB10213-2006"
	its, _, unknown, _ := cellItems(cell)
	var got []string
	for _, it := range its {
		got = append(got, it.Name+"["+it.Spec+"]")
	}
	want := []string{"N95口罩[GB19083-2010; 应符合《医用防护口罩技术要求》]", "医用防护服[GB19082-2009; 符合《医用一次性防护服技术要求》]",
		"防护眼镜[]", "护目镜[视野开阔、透亮度好、有较好的防溅功能,弹力带佩戴]", "84消毒液[]",
		"医用外科口罩[YY0469-2011; 医用外科口罩技术要求]", "一次性圆帽[]",
		"医用一次性乳胶手套[GB10213-2006; 一次性使用医用橡胶检查手套]"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("cellItems = %q; want %q", got, want)
	}
	if len(unknown) != 0 {
		t.Errorf("unknown = %q; want none (requirements are specs, not items)", unknown)
	}
}

// TestGenericWordIsNoItem: "测体温等设备" ends a list with the generic word
// 设备 (equipment); alone it names no supply and is not stored as one.
func TestGenericWordIsNoItem(t *testing.T) {
	its, _, unknown, _ := cellItems("空气消毒机，测温枪等设备；84消毒液、医用耗材")
	for _, it := range its {
		if it.Name == "设备" || it.Name == "耗材" || it.Name == "医用耗材" {
			t.Errorf("item %q stored; want none for a generic word", it.Name)
		}
	}
	if slices.Contains(unknown, "设备") {
		t.Errorf("unknown = %q; want no 设备", unknown)
	}
	if len(its) < 3 {
		t.Errorf("items = %+v; want 空气消毒机, 测温枪, 84消毒液", its)
	}
}
