package importer

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

// Table is a sheet as read from a file: its header, its HXL hashtags (if any)
// and its data rows, before any mapping to fields.
type Table struct {
	File      string   // file name, for messages
	Sheet     string   // XLSX sheet name; "" for CSV
	Encoding  string   // detected text encoding: "utf-8", "utf-8 (BOM)", "gb18030", "big5", "windows-1252", "utf-16"
	Headers   []string // human header of each column; may be "" (HXL tags only)
	Tags      []string // HXL hashtag of each column ("#org+es"), "" where untagged; nil without a hashtag row
	HeaderRow int      // 1-based row of the human header; 0 if there is none
	Rows      []Row
	Problems  []Problem // rows that could not be read (wrong number of cells)

	// extras of JSON rows, parallel to Rows (nil for sheets).
	extras []rowExtra
	// mayBeCut is the row (Row.Num) a CSV file may be cut in the middle
	// of (ProblemLastRowMayBeCut): the numbers at the end of its last cell
	// are not made contacts. 0 for none.
	mayBeCut int
}

// Row is one data row: its row number as a spreadsheet program (WPS, Excel)
// shows it, its 1-based line in the file, and its cells, one per column. Num
// and Line differ only in a CSV with cells that span lines: a record after
// one starts on a later line than its row number. In XLSX both are the sheet
// row; in JSON the record's position.
type Row struct {
	Num   int // 1-based row in a spreadsheet program: what reports show
	Line  int // 1-based line where the record starts; part of the row key of rows without organisation
	Cells []string
	// Hidden says the row is hidden in the workbook (XLSX): a row someone
	// put out of sight ("已满足，隐藏") is no record (see setRows).
	Hidden bool
	// FromMerge are the 0-based columns whose cell this row takes from a
	// merged cell that starts on a row above (XLSX, fillMerged): the row
	// continues that row's record there.
	FromMerge []int `json:"from_merge,omitempty"`
}

// Problem is something in the input that could not be used as written. It is
// never silent: every Problem ends up in the Report.
type Problem struct {
	File string `json:"file"`
	// Sheet is the XLSX sheet the row is on; "" for other files.
	Sheet string `json:"sheet,omitempty"`
	Row   int    `json:"row"`            // 1-based row as a spreadsheet program shows it; 0 for the whole file
	Line  int    `json:"line,omitempty"` // 1-based line in the file where the row starts, when it is not Row (a CSV with multi-line cells)
	Field string `json:"field"`          // column header or record field, "" for the whole row
	Value string `json:"value,omitempty"`
	Msg   string `json:"msg"` // in English
	// Code is one of the Problem* constants; Args are the values Msg names,
	// by the names the constant's comment gives, for translations.
	Code string            `json:"code"`
	Args map[string]string `json:"args,omitempty"`
	// Rejected is true when the row was not imported because of it; false
	// when the row was imported and only this value was set aside or kept
	// as written.
	Rejected bool `json:"rejected"`
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Sheet != "" {
		fmt.Fprintf(&b, ", sheet %q", p.Sheet)
	}
	if p.Row > 0 {
		fmt.Fprintf(&b, " row %d", p.Row)
	}
	if p.Line > 0 && p.Line != p.Row {
		fmt.Fprintf(&b, " (line %d)", p.Line)
	}
	if p.Field != "" {
		fmt.Fprintf(&b, ", %s", p.Field)
	}
	b.WriteString(": ")
	b.WriteString(p.Msg)
	return b.String()
}

// Decode converts data to UTF-8, detecting its encoding: a BOM (UTF-8 or
// UTF-16) wins; valid UTF-8 is kept; otherwise GB18030 (what Chinese Excel
// and WPS write, a superset of GBK) when the bytes look like double-byte
// Chinese, or Big5 (Excel in Hong Kong and Taiwan) when they read as
// traditional characters far more plausibly (commonShare); otherwise
// Windows-1252 (a superset of Latin-1). It returns the text
// and the name of the encoding found. A file cut inside its last character,
// or with a few damaged bytes, keeps its encoding: see DecodeText, which says
// so.
func Decode(data []byte) (string, string) {
	d := DecodeText(data)
	return d.Text, d.Encoding
}

// Decoded is a file's text as DecodeText read it.
type Decoded struct {
	Text     string // the text, in UTF-8
	Encoding string // "utf-8", "utf-8 (BOM)", "gb18030", "big5", "windows-1252", "utf-16"
	// Cut is true when the file ends inside a multi-byte character: it was
	// cut short (an interrupted copy or download), and the half character
	// was dropped.
	Cut bool
	// Bad counts the bytes elsewhere that are not valid in Encoding; each
	// was read as U+FFFD.
	Bad int
}

// DecodeText is Decode that also tells a file cut inside its last
// character (Decoded.Cut) and bytes that are damaged (Decoded.Bad) instead
// of taking them for another encoding: text that is UTF-8 but for a cut
// tail or a few bad bytes (at least eight valid multi-byte characters for
// each bad byte) is read as UTF-8, and GB18030 text cut in its last
// character, or with a few bad bytes (eight Chinese characters or more for
// each), is read as GB18030.
func DecodeText(data []byte) Decoded {
	switch {
	case bytes.HasPrefix(data, []byte{0xef, 0xbb, 0xbf}):
		d := decodeUTF8(data[3:])
		d.Encoding = "utf-8 (BOM)"
		return d
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}), bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		s, err := decodeWith(unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), data)
		if err == nil {
			return Decoded{Text: s, Encoding: "utf-16"}
		}
	}
	if utf8.Valid(data) {
		return Decoded{Text: string(data), Encoding: "utf-8"}
	}
	if mb, bad, _ := utf8Stats(data); mb > 0 && mb >= 8*bad {
		return decodeUTF8(data)
	}
	if looksGB(data) {
		if s, err := decodeWith(simplifiedchinese.GB18030, data); err == nil && !strings.ContainsRune(s, utf8.RuneError) {
			if b, ok := big5Text(data); ok && commonShare(b) > 2*commonShare(s) {
				return Decoded{Text: b, Encoding: "big5"} // traditional characters: most Big5 pairs are GB18030 pairs too
			}
			return Decoded{Text: s, Encoding: "gb18030"}
		}
		// cut inside the last character: one lead byte left at the end
		if n := len(data); n > 1 && data[n-1] >= 0x81 {
			if s, err := decodeWith(simplifiedchinese.GB18030, data[:n-1]); err == nil && !strings.ContainsRune(s, utf8.RuneError) {
				return Decoded{Text: s, Encoding: "gb18030", Cut: true}
			}
		}
		// a few damaged bytes: still GB18030, each bad one read as U+FFFD
		if s, err := decodeWith(simplifiedchinese.GB18030, data); err == nil {
			bad, han := strings.Count(s, string(utf8.RuneError)), 0
			for _, r := range s {
				if r >= 0x4e00 && r <= 0x9fff {
					han++
				}
			}
			if han >= 8*bad {
				return Decoded{Text: s, Encoding: "gb18030", Bad: bad}
			}
		}
	}
	if b, ok := big5Text(data); ok && commonShare(b) >= 0.2 {
		return Decoded{Text: b, Encoding: "big5"}
	}
	s, _ := decodeWith(charmap.Windows1252, data)
	return Decoded{Text: s, Encoding: "windows-1252"}
}

// big5Text returns data read as Big5 (what Excel in Hong Kong and Taiwan
// writes), ok false when some bytes are not valid Big5 or it holds no
// Chinese character.
func big5Text(data []byte) (string, bool) {
	s, err := decodeWith(traditionalchinese.Big5, data)
	if err != nil || strings.ContainsRune(s, utf8.RuneError) {
		return "", false
	}
	return s, strings.ContainsFunc(s, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff })
}

// commonHan are Chinese characters frequent in text and in relief sheets,
// simplified and traditional: text read in the right encoding is full of
// them, text read in the wrong one (a double-byte encoding for another) is
// mostly rare characters.
var commonHan = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range "的一是不了人在有中大为為上个個国國我以要他时時来來用们們生到作地于於出就分对對成会會可主发發年动動同工也能下过過子说說产產种種面而方后後多定行学學法所民得经經十三之进進着著等部度家电電力里裡如水化高自二理起小物现現实實加量都两兩体體制机機当當使点點从從业業本去把性好应應开開它合还還因由其些然前外天四日那社义義事平形相全表间間样樣与與关關各重新线線内数數正心反你明看原又么麼利比或但质質气氣第向道此变變条條只没沒解问問意建月公无無系很情者最立代想已通并並提直题題医醫院需求资資联聯络絡话話号號码碼口罩防护護服手套消毒液区區县縣市省街名称稱单單位备備注註急送达達请請组組姓先女士姐老师師科室任病床箱瓶副件双雙支包袋张張台臺盒吨噸香港红紅字东東华華明爱愛黄黃陈陳李王张張刘劉" {
		m[r] = true
	}
	return m
}()

// commonShare is the share of the Chinese characters of s that are
// commonHan; 0 without any.
func commonShare(s string) float64 {
	han, common := 0, 0
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			han++
			if commonHan[r] {
				common++
			}
		}
	}
	if han == 0 {
		return 0
	}
	return float64(common) / float64(han)
}

// utf8Stats counts the valid multi-byte characters of data, the bytes that
// are not valid UTF-8, and the bytes at its end that start a character cut
// short (not counted as bad).
func utf8Stats(data []byte) (mb, bad, tail int) {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			if !utf8.FullRune(data[i:]) {
				return mb, bad, len(data) - i
			}
			bad++
			n = 1
		case n > 1:
			mb++
		}
		i += n
	}
	return mb, bad, 0
}

// decodeUTF8 reads data as UTF-8: a character cut at the end is dropped
// (Cut), other invalid bytes become U+FFFD (Bad).
func decodeUTF8(data []byte) Decoded {
	_, bad, tail := utf8Stats(data)
	data = data[:len(data)-tail]
	d := Decoded{Encoding: "utf-8", Cut: tail > 0, Bad: bad}
	if bad == 0 {
		d.Text = string(data)
		return d
	}
	var b strings.Builder
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		b.WriteRune(r) // RuneError for each bad byte
		i += n
	}
	d.Text = b.String()
	return d
}

func decodeWith(e encoding.Encoding, data []byte) (string, error) {
	b, err := e.NewDecoder().Bytes(data)
	return string(b), err
}

// looksGB reports whether the non-ASCII bytes of data pair up as GB2312
// characters (lead and trail both 0xA1–0xFE) far more often than not. Latin-1
// text has isolated high bytes followed by ASCII, which this rejects.
func looksGB(data []byte) bool {
	gb, other := 0, 0
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c < 0x80 {
			continue
		}
		if c >= 0x81 && c <= 0xfe && i+1 < len(data) {
			t := data[i+1]
			switch {
			case c >= 0xa1 && t >= 0xa1 && t <= 0xfe:
				gb++
				i++
				continue
			case t >= 0x40 && t <= 0xfe && t != 0x7f:
				if t >= 0x80 {
					gb++ // GBK extension with a high trail byte
				} else {
					other++
				}
				i++
				continue
			}
		}
		other++
	}
	return gb > 0 && gb >= 4*other
}

// ReadCSV reads a CSV (or semicolon/tab separated) table from r, named name in
// messages. The encoding is detected (see Decode), quoted cells may span lines,
// and the header row is found as described in DetectHeader. Rows with more
// non-empty cells than the header has columns are reported and skipped. The
// error names the file and the line when the text is not CSV at all.
func ReadCSV(name string, r io.Reader) (*Table, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	dec := DecodeText(data)
	text, enc := dec.Text, dec.Encoding
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = sniffDelimiter(text)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var rows []Row
	spanned := 0 // line breaks inside the cells of the records read so far
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s: line %d, column %d: %v", name, pe.StartLine, pe.Column, pe.Err)
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		rows = append(rows, Row{Num: line - spanned, Line: line, Cells: rec})
		for _, c := range rec {
			spanned += strings.Count(c, "\n")
		}
	}
	var cut *Problem
	if line, open := endsInQuote(text, cr.Comma); open && len(rows) > 0 {
		// a copy cut short: the last row holds half a cell, and using it
		// would overwrite what is stored with less
		last := rows[len(rows)-1]
		rows = rows[:len(rows)-1]
		cut = &Problem{File: name, Row: last.Num, Rejected: true, Code: ProblemFileCut,
			Msg:  fmt.Sprintf("file ends inside a quoted cell at line %d: row %d not used", line, last.Num),
			Args: args("line", strconv.Itoa(line), "row", strconv.Itoa(last.Num))}
		if last.Line != last.Num {
			cut.Line = last.Line
		}
	}
	if cut == nil && dec.Cut && len(rows) > 0 {
		// cut inside a character: the last row is cut, wherever in it
		cut = rowCut(name, rows[len(rows)-1])
		rows = rows[:len(rows)-1]
	}
	t := &Table{File: name, Encoding: enc}
	t.setRows(rows)
	if cut == nil && len(rows) > 0 && len(t.Rows) > 0 && !strings.HasSuffix(text, "\n") && !strings.HasSuffix(text, "\r") {
		// no line break at the end and fewer cells than the header: the
		// last row was cut between two cells
		last := rows[len(rows)-1]
		if n := len(t.Rows) - 1; t.Rows[n].Line == last.Line && len(last.Cells) < len(t.Headers) {
			t.Rows = t.Rows[:n]
			cut = rowCut(name, last)
		}
	}
	if n := len(t.Rows) - 1; cut == nil && n >= 0 && len(rows) > 0 && t.Rows[n].Line == rows[len(rows)-1].Line &&
		strings.Contains(text, "\n") && !strings.HasSuffix(text, "\n") && !strings.HasSuffix(text, "\r") {
		// every line ends in a line break but the last: a copy may have
		// stopped in the middle of an unquoted cell of the last row, which
		// reads whole; imported, told, its last cell's numbers not taken
		// as contacts (they may be cut). Told for every such file, whole
		// or cut: a cut between two characters of a text cell ("请送后"
		// of "请送后门") leaves no sign to tell it by, so the words say
		// that the file cannot be told whole from cut.
		last := t.Rows[n]
		t.mayBeCut = last.Num
		t.Problems = append(t.Problems, Problem{File: name, Row: last.Num, Line: last.lineIfNotNum(), Code: ProblemLastRowMayBeCut,
			Msg: fmt.Sprintf("the file has no line break after its last line, so it cannot be told whole from a copy cut short inside its last row, row %d (line %d): a cell cut between two characters reads as a whole one. The row was imported as read, and a phone number at the end of its last cell, when that cell is text (a remark), was not taken as a contact: check the row against the source. A file saved with a line break at its end is not warned about",
				last.Num, last.Line),
			Args: args("row", strconv.Itoa(last.Num), "line", strconv.Itoa(last.Line))})
	}
	if cut != nil {
		t.Problems = append(t.Problems, *cut)
	}
	if dec.Bad > 0 {
		t.Problems = append(t.Problems, Problem{File: name, Code: ProblemEncoding,
			Msg:  fmt.Sprintf("%s not valid %s and %s read as \"\ufffd\"", count(dec.Bad, "byte is", "bytes are"), enc, pick(dec.Bad, "was", "were")),
			Args: args("count", strconv.Itoa(dec.Bad), "encoding", enc)})
		t.Problems = append(t.Problems, t.badCells()...)
	}
	return t, nil
}

// badCells tells each cell of t (its header included) that holds a
// character its file's bytes did not make (U+FFFD, "�"), by row and column,
// so that a person finds what to correct in the file.
func (t *Table) badCells() []Problem {
	var out []Problem
	cell := func(r Row, i int, c string) {
		if !strings.ContainsRune(c, utf8.RuneError) {
			return
		}
		col := columnLetter(i)
		if i < len(t.Headers) && t.Headers[i] != "" && r.Num != t.HeaderRow {
			col = t.Headers[i]
		}
		v := CleanText(c)
		out = append(out, Problem{File: t.File, Row: r.Num, Line: r.lineIfNotNum(), Field: col, Value: v, Code: ProblemBadBytesCell,
			Msg:  fmt.Sprintf("%q holds bytes not valid in the file's encoding %s (shown as \"\ufffd\"); kept as read: correct the file", v, t.Encoding),
			Args: args("column", col, "value", v, "encoding", t.Encoding)})
	}
	if t.HeaderRow > 0 {
		for i, c := range t.Headers {
			cell(Row{Num: t.HeaderRow, Line: t.HeaderRow}, i, c)
		}
	}
	for _, r := range t.Rows {
		for i, c := range r.Cells {
			cell(r, i, c)
		}
	}
	return out
}

// rowCut is the ProblemRowCut of row r of file name.
func rowCut(name string, r Row) *Problem {
	return &Problem{File: name, Row: r.Num, Line: r.lineIfNotNum(), Rejected: true, Code: ProblemRowCut,
		Msg:  fmt.Sprintf("the file ends in the middle of row %d (line %d), as a file cut short does: that row was not used", r.Num, r.Line),
		Args: args("row", strconv.Itoa(r.Num), "line", strconv.Itoa(r.Line))}
}

// endsInQuote reports whether CSV text (cells separated by comma) ends
// inside a quoted cell, as a file cut short does, and the 1-based line where
// that cell opens. It follows encoding/csv with LazyQuotes: a quote opens a
// quoted cell only at the start of a cell, "" inside one is a quote, and a
// quote closes it only before a separator, a line end or the end of the text.
func endsInQuote(text string, comma rune) (line int, open bool) {
	line, start, fieldStart, inQuote := 1, 0, true, false
	for i := 0; i < len(text); i++ {
		c := text[i]
		if inQuote {
			switch {
			case c == '\n':
				line++
			case c == '"' && i+1 < len(text) && text[i+1] == '"':
				i++
			case c == '"' && (i+1 == len(text) || rune(text[i+1]) == comma || text[i+1] == '\n' || text[i+1] == '\r'):
				inQuote = false
			}
			continue
		}
		switch {
		case c == '"' && fieldStart:
			inQuote, start = true, line
		case rune(c) == comma:
			fieldStart = true
			continue
		case c == '\n':
			line++
			fieldStart = true
			continue
		}
		fieldStart = false
	}
	return start, inQuote
}

// sniffDelimiter picks ',', ';' or '\t', whichever the first line holds most of.
func sniffDelimiter(text string) rune {
	first, _, _ := strings.Cut(text, "\n")
	best, n := ',', strings.Count(first, ",")
	for _, d := range []rune{';', '\t'} {
		if c := strings.Count(first, string(d)); c > n {
			best, n = d, c
		}
	}
	return best
}

// ReadXLSX reads every sheet of an XLSX workbook from r that holds a
// table, one Table per sheet, with the same header detection as ReadCSV.
// Row numbers are the sheet's. A cell Excel shows as a date (a serial under
// a date format, shown as "02-03-20" or "2020/2/3 12:00") is read as the day
// it holds, "2006-01-02" (with " 15:04" when it has a time of day). Sheets
// that hold no demands or offers are left out, each told on the first table
// (ProblemSheetEmpty, ProblemSheetHidden, ProblemSheetText for instructions
// or notes, ProblemSheetPivot, ProblemSheetNoColumns for a table whose columns name no
// organisation, supplies or contacts while another sheet's do). A damaged or truncated workbook is an error naming the file, and so
// is a workbook none of whose sheets holds a table.
func ReadXLSX(name string, r io.Reader) ([]*Table, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	bare := formulasWithoutValue(data)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable XLSX workbook: %w", name, err)
	}
	defer f.Close()
	date1904 := false
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}
	var out []*Table
	var skipped []Problem
	skip := func(sheet, code, why string) {
		skipped = append(skipped, Problem{File: name, Sheet: sheet, Code: code,
			Msg: fmt.Sprintf("sheet %q not imported: %s", sheet, why), Args: args("sheet", sheet)})
	}
	for _, sheet := range f.GetSheetList() {
		it, err := f.Rows(sheet)
		if err != nil {
			return nil, fmt.Errorf("%s, sheet %q: %w", name, sheet, err)
		}
		var rows []Row
		var formulas []formulaCell // cells of a formula without its value
		for n := 1; it.Next(); n++ {
			cells, err := it.Columns()
			if err != nil {
				it.Close()
				return nil, fmt.Errorf("%s, sheet %q, row %d: %w", name, sheet, n, err)
			}
			for i, c := range cells {
				if dateShown(c) {
					cells[i] = xlsxDate(f, sheet, i+1, n, c, date1904)
				}
				if c == "" && bare {
					axis, _ := excelize.CoordinatesToCellName(i+1, n)
					if fm, err := f.GetCellFormula(sheet, axis); err == nil && fm != "" {
						formulas = append(formulas, formulaCell{row: n, col: i, formula: "=" + fm})
					}
				}
			}
			rows = append(rows, Row{Num: n, Line: n, Cells: cells, Hidden: it.GetRowOpts().Hidden})
		}
		if err := it.Close(); err != nil {
			return nil, fmt.Errorf("%s, sheet %q: %w", name, sheet, err)
		}
		merged, err := f.GetMergeCells(sheet)
		if err != nil {
			return nil, fmt.Errorf("%s, sheet %q: merged cells: %w", name, sheet, err)
		}
		fillMerged(rows, merged)
		if aboutSheet(rows) {
			continue // our own bulletin's metadata sheet: no records
		}
		t := &Table{File: name, Sheet: sheet, Encoding: "xlsx"}
		t.setRows(rows)
		for _, fc := range formulas {
			col := columnLetter(fc.col)
			if fc.col < len(t.Headers) && t.Headers[fc.col] != "" && fc.row != t.HeaderRow {
				col = t.Headers[fc.col]
			}
			t.Problems = append(t.Problems, Problem{File: name, Sheet: sheet, Row: fc.row, Field: col, Value: fc.formula, Code: ProblemFormulaNoValue,
				Msg:  fmt.Sprintf("formula %s has no saved value (the file was written by a program that does not compute formulas): read as empty; open the file in Excel or WPS and save it to keep the values", fc.formula),
				Args: args("column", col, "formula", fc.formula)})
		}
		visible, err := f.GetSheetVisible(sheet)
		switch {
		case !slices.ContainsFunc(rows, func(r Row) bool { return !blank(r.Cells) }):
			skip(sheet, ProblemSheetEmpty, "it is empty")
		case err == nil && !visible:
			skip(sheet, ProblemSheetHidden, "it is hidden in the workbook (a template's drop-down lists, or a sheet put out of sight); show it in Excel or WPS and import again if it holds demands or offers")
		case len(t.Headers) == 0 || len(t.Rows) == 0 || textOnly(t):
			skip(sheet, ProblemSheetText, "it holds text (notes, instructions), no table of demands or offers")
		case pivotTable(t):
			skip(sheet, ProblemSheetPivot, "it is a pivot table (sums of other sheets), not demands or offers")
		default:
			out = append(out, t)
		}
	}
	if slices.ContainsFunc(out, func(t *Table) bool { return t.hasRecordColumns(DefaultOptions()) }) {
		out = slices.DeleteFunc(out, func(t *Table) bool {
			if t.hasRecordColumns(DefaultOptions()) {
				return false
			}
			skip(t.Sheet, ProblemSheetNoColumns, "no column names an organisation, supplies or contacts")
			return true
		})
	}
	if len(out) == 0 {
		var why []string
		for _, p := range skipped {
			why = append(why, strings.TrimPrefix(p.Msg, "sheet "))
		}
		return nil, fmt.Errorf("%s: no sheet holds a table of demands or offers: %s", name, strings.Join(why, ", "))
	}
	out[0].Problems = append(skipped, out[0].Problems...)
	return out, nil
}

// formulaCell is a workbook cell holding a formula saved without its value:
// its 1-based row, 0-based column and formula ("=C2*2").
type formulaCell struct {
	row, col int
	formula  string
}

// bareFormulaRE finds a worksheet cell with a formula and no value
// (<c r="C3"><f>C2*2</f></c>): written by a program that does not compute
// formulas, it reads as empty.
var bareFormulaRE = regexp.MustCompile(`<c\b[^>]*>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*</c>`)

// formulasWithoutValue reports whether a worksheet of the XLSX workbook
// data holds a formula saved without its value; only then are the empty
// cells of its sheets asked for a formula (which reads the sheet whole).
func formulasWithoutValue(data []byte) bool {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false // excelize says what is wrong with it
	}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") || !strings.HasSuffix(zf.Name, ".xml") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(rc, 256<<20))
		rc.Close()
		if err == nil && bytes.Contains(b, []byte("<f")) && bareFormulaRE.Match(b) {
			return true
		}
	}
	return false
}

// textOnly reports whether t is text rather than a table: its header and
// each of its rows have one cell at most (a sheet of instructions or notes).
func textOnly(t *Table) bool {
	if nonEmptyFrom(t.Headers, 0) > 1 {
		return false
	}
	for _, r := range t.Rows {
		if nonEmptyFrom(r.Cells, 0) > 1 {
			return false
		}
	}
	return true
}

// pivotWords start the header cells of a pivot table, as Excel and WPS
// write them, in Chinese and English, lower case.
var pivotWords = []string{"行标签", "列标签", "求和项", "计数项", "平均值项", "最大值项", "最小值项", "row labels", "column labels", "sum of", "count of", "average of"}

// pivotTable reports whether t is a pivot table: a header cell starts with
// one of pivotWords.
func pivotTable(t *Table) bool {
	for _, h := range t.Headers {
		h = strings.ToLower(strings.TrimSpace(h))
		for _, w := range pivotWords {
			if strings.HasPrefix(h, w) {
				return true
			}
		}
	}
	return false
}

// dateShownRE is a cell as excelize formats a date or time (the number
// format's digits and separators, month names): a candidate to read as
// the serial it holds.
var dateShownRE = regexp.MustCompile(`^[0-9]{1,4}[-/.年][0-9A-Za-z]{1,9}[-/.月]?[0-9]{0,4}日?(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?:\s*[AaPp][Mm])?)?$`)

// dateShown reports whether c looks like a date as a number format shows
// it ("02-03-20", "2020/2/3 12:00", "3-Feb-20", "2020年2月3日").
func dateShown(c string) bool {
	return len(c) >= 5 && len(c) <= 32 && dateShownRE.MatchString(c)
}

// xlsxDate returns the cell at column col, row row of sheet, shown as c,
// as the day it holds ("2006-01-02", with " 15:04" when it has a time of
// day) when the workbook stores a date serial there; else c as shown
// (a date typed as text is read later, as in a CSV).
func xlsxDate(f *excelize.File, sheet string, col, row int, c string, date1904 bool) string {
	axis, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return c
	}
	raw, err := f.GetCellValue(sheet, axis, excelize.Options{RawCellValue: true})
	if err != nil || raw == c {
		return c
	}
	serial, err := strconv.ParseFloat(raw, 64)
	if err != nil || serial < 1 {
		return c
	}
	tm, err := excelize.ExcelDateToTime(serial, date1904)
	if err != nil {
		return c
	}
	return dayAndTime(tm)
}

// fillMerged writes the value of each cell merged over several rows into
// every cell the merge covers, as the sheet shows it (one hospital's name
// over its supply rows); the workbook stores it in the first cell only.
// Merges within one row (a group header over its columns) are left as they
// are. rows are the sheet's rows in order, Num 1-based.
func fillMerged(rows []Row, merged []excelize.MergeCell) {
	for _, m := range merged {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil || r2 <= r1 || m.GetCellValue() == "" {
			continue
		}
		for r := r1; r <= r2 && r <= len(rows); r++ {
			row := &rows[r-1]
			for c := c1; c <= c2; c++ {
				for len(row.Cells) < c {
					row.Cells = append(row.Cells, "")
				}
				if row.Cells[c-1] == "" {
					row.Cells[c-1] = m.GetCellValue()
					if r > r1 {
						row.FromMerge = append(row.FromMerge, c-1)
					}
				}
			}
		}
	}
}

// setRows finds the header and hashtag rows among rows and keeps the rest as
// data.
func (t *Table) setRows(rows []Row) {
	cells := make([][]string, len(rows))
	for i, r := range rows {
		cells[i] = r.Cells
	}
	h, tags := DetectHeader(cells)
	start := 0
	switch {
	case tags >= 0:
		t.Tags = make([]string, len(rows[tags].Cells))
		for i, c := range rows[tags].Cells {
			t.Tags[i] = normTag(c)
		}
		start = tags + 1
		if h >= 0 {
			t.Headers = padTo(rows[h].Cells, len(t.Tags))
			t.HeaderRow = rows[h].Num
		} else {
			t.Headers = make([]string, len(t.Tags))
		}
	case h >= 0:
		t.Headers = rows[h].Cells
		t.HeaderRow = rows[h].Num
		start = h + 1
		if sub := start; sub < len(rows) && subHeader(rows[h].Cells, rows[sub].Cells) {
			// 物资 over 名称 | 数量 | 单位: the columns are named from both rows
			t.Headers = joinHeaders(rows[h].Cells, rows[sub].Cells)
			start = sub + 1
		}
	default:
		return
	}
	for i := range t.Headers {
		t.Headers[i] = CleanText(t.Headers[i])
	}
	width := len(t.Headers)
	if len(t.Tags) > width {
		width = len(t.Tags)
	}
	if tags < 0 && h > 0 {
		// A group header row above the column names ("¿Cuándo?" over a
		// column left without a name) that reaches further right names the
		// columns beyond them.
		for _, above := range rows[:h] {
			if n := lastNonEmpty(above.Cells); n > width {
				t.Headers = append(slices.Clip(t.Headers), make([]string, n-width)...)
				for i := width; i < n; i++ {
					t.Headers[i] = CleanText(above.Cells[i])
				}
				width = n
			}
		}
	}
	var totals, hidden, repeated []int
	defer func() {
		// rows left out on purpose, told once per table with their numbers
		for _, x := range []struct {
			rows       []int
			code, what string
			one        string
		}{{totals, ProblemTotalsRows, "totals rows (合计, 小计, 总计)", "totals row (合计, 小计, 总计)"}, {hidden, ProblemHiddenRows, "rows hidden in the workbook", "row hidden in the workbook"},
			{repeated, ProblemHeaderRepeated, "header or hashtag rows repeated below the header", "header or hashtag row repeated below the header"}} {
			if len(x.rows) == 0 {
				continue
			}
			list := rowList(x.rows)
			t.Problems = append(t.Problems, Problem{File: t.File, Value: list,
				Msg:  fmt.Sprintf("%s not imported: %s %s", count(len(x.rows), x.one, x.what), pick(len(x.rows), "row", "rows"), list),
				Code: x.code, Args: rowArgs(x.rows, "count", strconv.Itoa(len(x.rows)))})
		}
	}()
	for _, r := range rows[start:] {
		if blank(r.Cells) {
			continue
		}
		if r.Hidden {
			hidden = append(hidden, r.Num)
			continue
		}
		if totalsRow(r.Cells) {
			totals = append(totals, r.Num)
			continue
		}
		if t.headerAgain(r.Cells) {
			repeated = append(repeated, r.Num)
			continue
		}
		n := width
		if nonEmptyFrom(r.Cells, width) > 0 {
			if cells, v, ok := rejoinThousands(r.Cells, width); ok {
				// "2,000" unquoted: two cells that are one number
				r.Cells = cells
				t.Problems = append(t.Problems, Problem{File: t.File, Row: r.Num, Line: r.lineIfNotNum(), Value: v,
					Msg:  fmt.Sprintf("%q was written without quotes, so its comma cut it into two cells; read as one number", v),
					Code: ProblemThousandsSplit, Args: args("value", v)})
			}
		}
		if extra := nonEmptyFrom(r.Cells, width); extra > 0 {
			// a note typed past the last column: the row is kept, and so is
			// the cell, in a column without a name (its letter), told
			n = lastNonEmpty(r.Cells)
			var vals []string
			for _, c := range r.Cells[width:n] {
				if c = CleanText(c); c != "" {
					vals = append(vals, c)
				}
			}
			v := strings.Join(vals, " | ")
			t.Problems = append(t.Problems, Problem{File: t.File, Row: r.Num, Line: r.lineIfNotNum(), Field: columnLetter(width), Value: v,
				Msg:  fmt.Sprintf("%d cells, but the header has %s; the row is kept, and %q past the last column is kept as written", n, count(width, "column", "columns"), v),
				Code: ProblemExtraCells, Args: args("cells", strconv.Itoa(n), "columns", strconv.Itoa(width), "value", v)})
		}
		t.Rows = append(t.Rows, Row{Num: r.Num, Line: r.Line, Cells: padTo(r.Cells, n), FromMerge: r.FromMerge})
	}
}

// lineIfNotNum is the row's line when it differs from its number, else 0.
func (r Row) lineIfNotNum() int {
	if r.Line != r.Num {
		return r.Line
	}
	return 0
}

func padTo(c []string, n int) []string {
	out := make([]string, n)
	copy(out, c)
	return out
}

func blank(c []string) bool {
	for _, s := range c {
		if CleanText(s) != "" {
			return false
		}
	}
	return true
}

func nonEmptyFrom(c []string, from int) int {
	n := 0
	for i := from; i < len(c); i++ {
		if CleanText(c[i]) != "" {
			n++
		}
	}
	return n
}

func lastNonEmpty(c []string) int {
	for i := len(c) - 1; i >= 0; i-- {
		if CleanText(c[i]) != "" {
			return i + 1
		}
	}
	return 0
}

var tagRE = regexp.MustCompile(`^#?\s*([A-Za-z][A-Za-z0-9_]*)((\s*\+\s*[A-Za-z][A-Za-z0-9_]*)*)$`)

// hxlCore are the HXL hashtags recognised without their '#'.
var hxlCore = map[string]bool{
	"org": true, "sector": true, "subsector": true, "country": true, "adm1": true, "adm2": true, "adm3": true,
	"adm4": true, "adm5": true, "loc": true, "geo": true, "item": true, "status": true, "date": true,
	"contact": true, "description": true, "meta": true, "affected": true, "targeted": true, "reached": true,
	"population": true, "activity": true, "output": true, "event": true, "value": true, "indicator": true,
	"capacity": true, "operations": true, "service": true, "impact": true, "need": true, "respondee": true,
}

// isTag reports whether a cell is an HXL hashtag, and whether it had its '#'.
func isTag(c string) (tag, hash bool) {
	c = strings.TrimSpace(c)
	m := tagRE.FindStringSubmatch(c)
	if m == nil {
		return false, false
	}
	if strings.HasPrefix(c, "#") {
		return true, true
	}
	return hxlCore[strings.ToLower(m[1])], false
}

// normTag returns the canonical form of a hashtag cell: "#", lower case, no
// spaces ("adm1" → "#adm1", "#Org +ES" → "#org+es"); "" if it is none.
func normTag(c string) string {
	if ok, _ := isTag(c); !ok {
		return ""
	}
	c = strings.ToLower(strings.Join(strings.Fields(c), ""))
	if !strings.HasPrefix(c, "#") {
		c = "#" + c
	}
	return c
}

// DetectHeader finds, among the first 25 rows, the HXL hashtag row (a row whose
// non-empty cells are all hashtags, at least one written with '#', or all known
// hashtags written without it) and the human header row: the last non-empty row
// above the hashtag row, or, without hashtags, the first row with at least two
// cells that name known fields (see SuggestMapping; a title row of one cell
// never counts), or else the first non-empty row. It returns their indexes into rows, -1 where there is none.
func DetectHeader(rows [][]string) (header, tags int) {
	header, tags = -1, -1
	limit := min(len(rows), 25)
	for i := 0; i < limit; i++ {
		n, tagged, hashed := 0, 0, 0
		for _, c := range rows[i] {
			if strings.TrimSpace(c) == "" {
				continue
			}
			n++
			if ok, h := isTag(c); ok {
				tagged++
				if h {
					hashed++
				}
			}
		}
		if n > 0 && tagged == n && (hashed > 0 || n >= 2) {
			tags = i
			break
		}
	}
	if tags >= 0 {
		for i := tags - 1; i >= 0; i-- {
			if !blank(rows[i]) {
				return i, tags
			}
		}
		return -1, tags
	}
	first := -1
	for i := 0; i < min(len(rows), 10); i++ {
		if blank(rows[i]) {
			continue
		}
		if first < 0 {
			first = i
		}
		known, filled := 0, 0
		for _, c := range rows[i] {
			if strings.TrimSpace(c) != "" {
				filled++
			}
			if f := fieldForHeader(c); f != FieldIgnore {
				known++
			}
		}
		if known >= 2 || (known == 1 && filled >= 2) { // not a one-cell title row
			return i, -1
		}
	}
	return first, -1
}

// subHeader reports whether row sub, right under the header row top, is a
// second header row: a group header over column names ("物资" over "名称",
// "数量", "单位", its other cells empty or repeating the one above, as a
// cell merged down two rows reads). It names at least two known fields,
// holds no number of three digits or more (a data row holds quantities or
// phone numbers), and completes top: a cell under an empty one, or one
// repeating it.
func subHeader(top, sub []string) bool {
	named, completes := 0, false
	for i, c := range sub {
		c = CleanText(c)
		if c == "" {
			continue
		}
		if countDigits(c) >= 3 {
			return false
		}
		if fieldForHeader(c) != FieldIgnore {
			named++
		}
		above := ""
		if i < len(top) {
			above = CleanText(top[i])
		}
		completes = completes || above == "" || above == c
	}
	return named >= 2 && completes
}

// joinHeaders names each column from a group header row top and the row of
// column names sub under it: the name below when the cell above is empty
// or the same; else the two together when they name a field ("物资" and
// "名称": "物资名称"), else the name below when it names one ("物资" over
// "数量"), else both, a space between.
func joinHeaders(top, sub []string) []string {
	out := make([]string, max(len(top), len(sub)))
	for i := range out {
		var a, b string
		if i < len(top) {
			a = CleanText(top[i])
		}
		if i < len(sub) {
			b = CleanText(sub[i])
		}
		switch {
		case b == "" || a == b:
			out[i] = firstNonEmpty(b, a)
		case a == "":
			out[i] = b
		case fieldForHeader(a+b) != FieldIgnore:
			out[i] = a + b
		case fieldForHeader(b) != FieldIgnore:
			out[i] = b
		default:
			out[i] = a + " " + b
		}
	}
	return out
}

// totalWords are what the first cell of a totals row says, lower case,
// colons and spaces taken off.
var totalWords = map[string]bool{"合计": true, "小计": true, "总计": true, "共计": true, "总数": true, "累计": true, "合计数": true,
	"total": true, "totals": true, "subtotal": true, "grandtotal": true, "sum": true}

// totalsRow reports whether cells are a totals row: its first non-empty
// cell says 合计, 小计, 总计 (or total, subtotal), alone.
func totalsRow(cells []string) bool {
	for _, c := range cells {
		c = CleanText(c)
		if c == "" {
			continue
		}
		w := strings.ToLower(strings.Join(strings.Fields(strings.Trim(fold(c), " :：")), ""))
		return totalWords[w]
	}
	return false
}

// maxRowList is how many row numbers rowList names; the rest are counted.
const maxRowList = 20

// rowList names rows ("8, 12, 30"), the first maxRowList of them, then
// how many more: rowLists' English.
func rowList(rows []int) string {
	en, _ := rowLists(rows)
	return en
}

// rowLists names rows in English and in Chinese, the first maxRowList of
// them, then how many more: ("8, 12, 30, … (3 more)", "8、12、30……（另 3
// 行）"). Every list of rows a problem gives is made here, its English in
// Args "rows" and its Chinese in "rows_zh" (rowArgs).
func rowLists(rows []int) (en, zh string) {
	var parts []string
	more := 0
	for i, r := range rows {
		if i == maxRowList {
			more = len(rows) - maxRowList
			break
		}
		parts = append(parts, strconv.Itoa(r))
	}
	en, zh = strings.Join(parts, ", "), strings.Join(parts, "、")
	if more > 0 {
		en += fmt.Sprintf(", … (%d more)", more)
		zh += fmt.Sprintf("……（另 %d 行）", more)
	}
	return en, zh
}

// rowArgs returns kv followed by "rows" and "rows_zh", rows named by
// rowLists, for a Problem's Args.
func rowArgs(rows []int, kv ...string) map[string]string {
	en, zh := rowLists(rows)
	return args(append(kv, "rows", en, "rows_zh", zh)...)
}

// headerAgain reports whether cells repeat the table's header or hashtag
// row (files pasted one under the other, an HXL tag row repeated): every
// non-empty cell is a hashtag written with '#', or the row holds the
// header's names in the header's columns, at least two of them.
func (t *Table) headerAgain(cells []string) bool {
	n, tags, same := 0, 0, 0
	for i, c := range cells {
		c = CleanText(c)
		if c == "" {
			continue
		}
		n++
		if ok, hash := isTag(strings.TrimRight(c, "+ ")); ok && hash { // "#contact+": a tag cut after its plus
			tags++
		}
		if i < len(t.Headers) && c == t.Headers[i] {
			same++
		}
	}
	return n > 0 && (tags == n || same == n && n >= 2)
}

var (
	groupHead = regexp.MustCompile(`^\d{1,3}$`)
	groupTail = regexp.MustCompile(`^\d{3}$`)
)

// rejoinThousands mends a row a number with a thousands comma cut in two
// ("2,000" unquoted in a CSV: cells "2" and "000"), when the row has more
// cells than width and joining such pairs, the only ones it has, leaves it
// exactly width cells wide. It returns the mended cells and the number as
// written ("2,000"); ok is false when the row is not so.
func rejoinThousands(cells []string, width int) (out []string, v string, ok bool) {
	n := lastNonEmpty(cells)
	var at []int
	for i := 0; i+1 < n; i++ {
		if groupHead.MatchString(strings.TrimSpace(cells[i])) && groupTail.MatchString(strings.TrimSpace(cells[i+1])) {
			at = append(at, i)
			i++
		}
	}
	if len(at) != n-width || len(at) != 1 {
		return nil, "", false
	}
	i := at[0]
	v = strings.TrimSpace(cells[i]) + "," + strings.TrimSpace(cells[i+1])
	out = append(append(append([]string{}, cells[:i]...), v), cells[i+2:n]...)
	return out, v, true
}
