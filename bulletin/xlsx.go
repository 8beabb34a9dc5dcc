package bulletin

import (
	"fmt"
	"io"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/reliefmesh/reliefmesh/relief"
)

// levelWords name the bulletin's level on the metadata sheet, by language.
var levelWords = map[string]map[relief.Level]string{
	"zh-CN": {relief.LevelPublic: "公开", relief.LevelTeam: "团队", relief.LevelRestricted: "受限（含联系人）"},
	"en":    {relief.LevelPublic: "public", relief.LevelTeam: "team", relief.LevelRestricted: "restricted (with contacts)"},
}

// The columns of Header written as numbers.
const (
	colNeeded   = 10
	colReceived = 11
)

// Column widths of the data sheet, in characters (a Han character counts
// two): from the longest cell of the column, within these bounds.
const (
	minWidth = 6
	maxWidth = 48
)

// writeXLSX writes a workbook of two sheets: the data (header, HXL row, rows)
// with the header frozen, column widths from the content and an autofilter
// on the header, ready to sort and filter in WPS and Excel; and a metadata
// sheet saying when, from which network, by whom and at which level the
// bulletin was exported. The data sheet is the first, so that readers that
// take the first sheet (our importer among them) find the table.
func writeXLSX(w io.Writer, header, tags []string, rs [][]string, lang string, o Options, demands int) error {
	lb := labels[lang]
	f := excelize.NewFile()
	defer f.Close()
	data := lb.Sheet["data"]
	if err := f.SetSheetName(f.GetSheetName(0), data); err != nil {
		return fmt.Errorf("xlsx sheet %s: %w", data, err)
	}
	widths := make([]int, len(header))
	all := append([][]string{header, tags}, rs...)
	for i, row := range all {
		cells := make([]any, len(row))
		for j, c := range row {
			cells[j] = c
			if i >= 2 && (j == colNeeded || j == colReceived) { // numbers, so that a sheet sums and sorts them
				if v, err := strconv.ParseFloat(c, 64); err == nil {
					cells[j] = v
				}
			}
			if i != 1 && j < len(widths) { // the HXL row does not set widths
				widths[j] = max(widths[j], displayWidth(c))
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(data, cell, &cells); err != nil {
			return fmt.Errorf("xlsx row %d: %w", i+1, err)
		}
	}
	last, _ := excelize.ColumnNumberToName(len(header))
	for j, wd := range widths {
		col, _ := excelize.ColumnNumberToName(j + 1)
		if err := f.SetColWidth(data, col, col, float64(min(max(wd, minWidth), maxWidth)+2)); err != nil {
			return fmt.Errorf("xlsx column %s width: %w", col, err)
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "center"}})
	if err != nil {
		return fmt.Errorf("xlsx header style: %w", err)
	}
	grey, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "808080", Size: 9, Italic: true}})
	if err != nil {
		return fmt.Errorf("xlsx hashtag style: %w", err)
	}
	if err := f.SetCellStyle(data, "A1", last+"1", bold); err != nil {
		return fmt.Errorf("xlsx header style: %w", err)
	}
	if err := f.SetCellStyle(data, "A2", last+"2", grey); err != nil {
		return fmt.Errorf("xlsx hashtag style: %w", err)
	}
	// the header and the hashtag row stay in view while scrolling
	if err := f.SetPanes(data, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("xlsx frozen header: %w", err)
	}
	// the filter's buttons on the hashtag row (row 2), so that sorting in
	// Excel or WPS moves the demands only, never the hashtag row among them
	if err := f.AutoFilter(data, "A2:"+last+strconv.Itoa(max(len(all), 2)), nil); err != nil {
		return fmt.Errorf("xlsx filter: %w", err)
	}
	// printed: landscape on A4, as wide as the page, the two header rows on
	// every page
	landscape, one, any, fit, a4 := "landscape", 1, 0, true, 9
	if err := f.SetPageLayout(data, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &one, FitToHeight: &any}); err != nil {
		return fmt.Errorf("xlsx page layout: %w", err)
	}
	if err := f.SetSheetProps(data, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return fmt.Errorf("xlsx page layout: %w", err)
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + data + "'!$1:$2", Scope: data}); err != nil {
		return fmt.Errorf("xlsx print titles: %w", err)
	}
	if err := writeAbout(f, lang, o, demands); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

// writeAbout adds the metadata sheet.
func writeAbout(f *excelize.File, lang string, o Options, demands int) error {
	lb := labels[lang]
	sh := lb.Sheet["about"]
	if _, err := f.NewSheet(sh); err != nil {
		return fmt.Errorf("xlsx sheet %s: %w", sh, err)
	}
	a := o.About
	rows := [][2]string{{lb.Sheet["title"], ""}}
	add := func(key, v string) {
		if v != "" {
			rows = append(rows, [2]string{lb.Sheet[key], v})
		}
	}
	if !a.Exported.IsZero() {
		add("exported", a.Exported.In(relief.IncidentZone).Format("2006-01-02 15:04:05")+map[string]string{"zh-CN": "（北京时间）", "en": " (UTC+8)"}[lang])
	}
	add("network", a.Network)
	add("network_id", a.NetworkID)
	add("member", a.Member)
	add("member_id", a.MemberID)
	add("level", levelWords[lang][o.Level])
	add("demands", strconv.Itoa(demands))
	if a.Unpublished > 0 {
		add("unpublished", strconv.Itoa(a.Unpublished))
	}
	add("signature", a.Signature)
	if a.Sealed > 0 {
		add("sealed_count", strconv.Itoa(a.Sealed))
	}
	rows = append(rows, [2]string{lb.Sheet["format_note"], ""})
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, cell, &[]any{r[0], r[1]}); err != nil {
			return fmt.Errorf("xlsx %s row %d: %w", sh, i+1, err)
		}
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return fmt.Errorf("xlsx title style: %w", err)
	}
	if err := f.SetCellStyle(sh, "A1", "A1", title); err != nil {
		return fmt.Errorf("xlsx title style: %w", err)
	}
	f.SetColWidth(sh, "A", "A", 22)
	f.SetColWidth(sh, "B", "B", 60)
	one, any, fit := 1, 0, true // printed on one page wide
	if err := f.SetPageLayout(sh, &excelize.PageLayoutOptions{FitToWidth: &one, FitToHeight: &any}); err != nil {
		return fmt.Errorf("xlsx %s page layout: %w", sh, err)
	}
	return f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit})
}

// displayWidth is the width of the widest line of s in character cells: a
// wide (Han, full-width) character counts two.
func displayWidth(s string) int {
	best, cur := 0, 0
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		switch {
		case r == '\n':
			cur = 0
			continue
		case unicode.Is(unicode.Han, r) || (r >= 0xFF00 && r <= 0xFFEF) || (r >= 0x3000 && r <= 0x303F):
			cur += 2
		default:
			cur++
		}
		best = max(best, cur)
	}
	return best
}
