package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/reliefmesh/reliefmesh/relief"
)

// Options tune reading and cleaning. The zero value is not the default: use
// DefaultOptions and change what you need.
type Options struct {
	// Kind forces every record to be a demand or an offer (relief.KindDemand,
	// relief.KindOffer); "" lets the mapping or GuessKind decide.
	Kind string
	// OneMeansNeeded reads a quantity of exactly 1 as "needed, quantity
	// unknown" (Item.Needed nil). The 2020 sheets used 1 as a tick: 248 of
	// 299 hospital supply lines say 1, while real counts are 200 or more.
	// Turn it off for sheets where 1 is a real count.
	OneMeansNeeded bool
	// Region is the ISO 3166 region for phone numbers written without a
	// country code; "CN" if empty.
	Region string
	// Districts are canonical district names known beforehand (from the store
	// or a gazetteer); CleanDistrict completes bare names from them and from
	// the districts the file itself spells out.
	Districts []string
	// Mapping overrides SuggestMapping for tables whose Signature it matches
	// (or for every table when its Signature is empty).
	Mapping *Mapping

	dates dateContext // of the table's date columns, set by Records
	// sheet is what the name of the table's sheet stands for, set by
	// Records: the requester or the district of rows that name none.
	sheet *sheetName
}

// DefaultOptions returns the options for the 2020 sheets and files like
// them: kind guessed, OneMeansNeeded on, region CN.
func DefaultOptions() Options { return Options{OneMeansNeeded: true, Region: "CN"} }

// Record is one demand or offer read from a file, cleaned, before it is
// applied to a store.
type Record struct {
	Kind     string           `json:"kind"` // relief.KindDemand or relief.KindOffer
	File     string           `json:"file"`
	Row      int              `json:"row"`            // 1-based row as a spreadsheet program shows it (first row, for grouped long-format rows)
	Line     int              `json:"line,omitempty"` // 1-based line in the file where the row starts, when it is not Row (a CSV with multi-line cells)
	Key      string           `json:"key"`            // stable within the file: the normalised organisation, or the row
	Source   string           `json:"source"`         // stable across imports: "import:" + table shape signature + ":" + Key
	Org      string           `json:"org"`
	Title    string           `json:"title,omitempty"` // the demand's title when a column holds one (FieldTitle); "" to use Org
	Province string           `json:"province,omitempty"`
	City     string           `json:"city,omitempty"`
	District string           `json:"district,omitempty"`
	Region   string           `json:"region,omitempty"`
	Address  string           `json:"address,omitempty"`
	Items    []relief.Item    `json:"items,omitempty"`
	Contacts []relief.Contact `json:"contacts,omitempty"`
	Category string           `json:"category"` // one of relief.Categories
	Notes    string           `json:"notes,omitempty"`
	URL      string           `json:"url,omitempty"`
	Date     string           `json:"date,omitempty"` // "2006-01-02", with " 15:04" when the cell gives a time of day (China time, DateZone: a timestamp's zone converted, a time without one taken as it); else as written
	// DateLabel is the header of the column Date was read from ("更新日期"),
	// written before it in the description; "" when there is none.
	DateLabel string `json:"date_label,omitempty"`
	Status    string `json:"status,omitempty"` // SourceReviewed, SourcePending, SourceRejected or ""
	// Urgency is the demand's urgency a FieldUrgency column gives (one of
	// relief's urgencies); "" when none does (then it is normal).
	Urgency string `json:"urgency,omitempty"`
	// SourceFields are the cells no field holds, as written, in column
	// order: the cells of columns the mapping leaves to no field, and the
	// cells the fields hold only in part (see cellItems, contactsLossless).
	SourceFields []relief.SourceField `json:"source_fields,omitempty"`
	// ItemFrom names, for each of Items (same index), the column it was
	// read from ("supplies" for the nested lists of JSON records). An item
	// read from a text column (progress, notes, remarks, a column without a
	// header) is also reported as ProblemTextQuantity, for a reviewer to
	// confirm; see TextItems.
	ItemFrom []string `json:"item_from,omitempty"`
	// TextItems are the indexes in Items of the items whose quantity was
	// read from a text column rather than a supplies column.
	TextItems []int `json:"text_items,omitempty"`

	// LegacySource is the source this row had when the file name was part
	// of it, so that rows imported then are still found.
	LegacySource string `json:"legacy_source,omitempty"`

	// Country is the country a #country column (or a country header)
	// names, as written; Activity the row's sector, subsector or activity
	// (HXL #sector, #subsector, #activity, #output, #service), its values
	// joined by " / ". An offer is known by them too (see offerScope).
	Country  string `json:"country,omitempty"`
	Activity string `json:"activity,omitempty"`
	// Place is the record's place as a hierarchy: its province, city,
	// district and address resolved to the national divisions (region.Resolve:
	// Place.Code set), or, where they resolve to none (another country, a
	// zone not in the divisions), its country, province, city and district
	// as written. Zero when the row names no place. See resolvePlace.
	Place relief.Place `json:"place,omitzero"`

	// OrgFromSheet says that Org is the name of the row's sheet, taken
	// because no column names the requester or supplier (ProblemSheetAsOrg):
	// two rows of that sheet are not the same supplier by that name alone.
	OrgFromSheet bool `json:"org_from_sheet,omitempty"`

	// code is the demand's code in the network that exported the row
	// (our bulletins' #meta+code column): rows of one code are one demand.
	code string

	// hints are the province, city and county that columns the mapping did
	// not take name (placeAndActivity); resolvePlace reads them. They are
	// not part of the row's key.
	hints [3]string

	// plainAddress is the address cell as written when sealText sealed a
	// phone or an identity card number in it (session 14); plainSources
	// are the sources (Source, LegacySource) the row had when its key was
	// made of that address, so that a demand imported before is found
	// again (presentDemand, presentOffer, goneWatch). Never sent or shown.
	plainAddress string
	plainSources []string
	// plainContacts are the contacts the row had without those sealed
	// from its address: with plainAddress, what a row without an
	// organisation was keyed by before sealing (contentKey).
	plainContacts []relief.Contact
}

// rowExtra carries what JSON rows hold beyond scalar cells.
type rowExtra struct {
	items    []rawItem
	contacts []rawContact
}

type rawItem struct {
	name, spec, unit string
	qty              any // float64, string or nil
}

type rawContact struct{ name, tel string }

// Records maps the rows of t to records, with the mapping opts.Mapping (if it
// fits t) or SuggestMapping(t). Rows that make no record (no organisation,
// items or contacts) are reported; values that could not be used are reported
// and the row is kept. Long-format rows (one item per row) of the same
// organisation and address are grouped into one record.
func Records(t *Table, opts Options) ([]Record, []Problem) {
	m := SuggestMapping(t)
	if opts.Mapping != nil && (opts.Mapping.Signature == "" || opts.Mapping.Signature == m.Signature) {
		m = *opts.Mapping
	}
	kind := opts.Kind
	if kind == "" {
		kind = m.Kind
	}
	if kind == "" {
		// a mapping saved without a kind ("guess per file"): guessed as
		// SuggestMapping guesses, never otherwise
		m.Kind = guessTableKind(t, m)
		kind = m.Kind
	}
	probs := append([]Problem(nil), t.Problems...)
	if opts.Kind == "" {
		if code, msg := KindReason(t, m); code != "" {
			probs = append(probs, Problem{File: t.File, Msg: msg, Code: code, Args: args("kind", kind, "rows", strconv.Itoa(len(t.Rows)))})
		}
	}
	for _, u := range UnmappedColumns(t, m) {
		if _, ok := contactKindOf(u.Column); ok {
			continue // a column of WeChat ids, QQ numbers or e-mail addresses: sealed, told per row (ProblemContactSealed)
		}
		probs = append(probs, Problem{File: t.File, Field: u.Column, Value: strings.Join(u.Samples, " | "), Msg: unmappedMsg(u),
			Code: ProblemUnmappedColumn, Args: args("column", u.Column, "cells", strconv.Itoa(u.Cells), "samples", strings.Join(u.Samples, " | "))})
	}
	probs = append(probs, ColumnMismatches(t, m)...)
	probs = append(probs, TagHeaderProblems(t, m)...)
	known := map[string]bool{}
	for _, d := range opts.Districts {
		known[d] = true
	}
	// First pass: districts the file spells out in full complete bare ones.
	for _, r := range t.Rows {
		for _, c := range m.Columns {
			if c.Field == FieldDistrict && c.Index < len(r.Cells) {
				if d := CleanText(r.Cells[c.Index]); strings.HasSuffix(d, "区") || strings.HasSuffix(d, "县") {
					known[d] = true
				}
			}
		}
	}
	opts.dates = tableDates(t, m)
	probs = append(probs, dateZones(t, m, opts.dates)...)
	opts.sheet = sheetNameOf(t, m)
	fileSig, legacySig := sourceSignature(t), legacySignature(t)
	memo := &cellMemo{}
	var out []Record
	group := map[string]int{} // long format: org key → index in out
	seen := map[string]int{}
	sameRow := map[string]int{} // a row's cells, cleaned → the first row that holds them
	orgCol := slices.IndexFunc(m.Columns, func(c Column) bool { return c.Field == FieldOrg })
	if orgCol >= 0 {
		orgCol = m.Columns[orgCol].Index
	}
	prevKey, prevOrg := "", "" // the group of the row above, for rows continuing a merged cell
	orgRow := 0                // the last row whose organisation cell is its own, where a merged one starts
	for ri, r := range t.Rows {
		if orgCol >= 0 && !slices.Contains(r.FromMerge, orgCol) {
			orgRow = r.Num
		}
		// a row repeated cell for cell (pasted twice, a copy of a copy) is
		// told with both row numbers (see below)
		repeats := 0
		if sig := rowSignature(r.Cells); sig != "" && t.extras == nil {
			if first, ok := sameRow[sig]; ok {
				repeats = first
			} else {
				sameRow[sig] = r.Num
			}
		}
		rec, ps, longItem := buildRecord(t, m, r, ri, kind, opts, known, memo)
		probs = append(probs, ps...)
		if rec == nil {
			continue
		}
		placeAndActivity(t, r, rec)
		key := relief.NormalizeName(rec.Org)
		if key == "" {
			key = contentKey(rec, r.Cells) // never the line: see contentKey
		} else {
			key += "@" + relief.NormalizeName(rec.District+rec.Address) + sealedTag(rec.plainAddress)
			if s := offerScope(rec); s != "" {
				key += "|" + s // one supplier's rows of other activities or places
			}
			if rec.Title != "" {
				key += "|" + relief.NormalizeName(rec.Title) // one organisation's demands, each under its own title (our bulletins)
			}
			if rec.code != "" {
				key += "|" + rec.code // one organisation's demands of one title, each under its code (our bulletins)
			}
		}
		if longItem && prevKey != "" && orgCol >= 0 && slices.Contains(r.FromMerge, orgCol) && rec.District == "" && rec.Address == "" &&
			rec.Title == "" && rec.code == "" && relief.NormalizeName(rec.Org) == prevOrg {
			// a continuation row of a merged organisation cell whose other
			// identifying cells are empty (a district cell not merged with
			// it): it goes on with the row above, as rows whose every such
			// cell is merged do
			key = prevKey
		}
		if longItem {
			prevKey, prevOrg = key, relief.NormalizeName(rec.Org)
		} else {
			prevKey = ""
		}
		if longItem {
			if _, ok := group[key]; ok && repeats > 0 {
				// the same supply line of the same requester again: its
				// need is not counted twice
				probs = append(probs, Problem{File: t.File, Row: r.Num, Line: r.lineIfNotNum(), Code: ProblemDuplicateRow,
					Msg:  fmt.Sprintf("row %d repeats row %d cell for cell: not imported a second time", r.Num, repeats),
					Args: args("row", strconv.Itoa(r.Num), "first", strconv.Itoa(repeats))})
				continue
			}
			if i, ok := group[key]; ok {
				for _, k := range rec.TextItems {
					out[i].TextItems = append(out[i].TextItems, k+len(out[i].Items))
				}
				out[i].Items = append(out[i].Items, rec.Items...)
				out[i].ItemFrom = append(out[i].ItemFrom, rec.ItemFrom...)
				for _, f := range rec.SourceFields { // "Country: Colombia" once for the group
					if !slices.Contains(out[i].SourceFields, f) {
						out[i].SourceFields = append(out[i].SourceFields, f)
					}
				}
				out[i].Contacts = mergeContacts(out[i].Contacts, rec.Contacts)
				mergeGrouped(&out[i], rec)
				continue
			}
		}
		if repeats > 0 {
			// two rows alike may be two households of one village asking
			// for the same: imported as its own record, told
			probs = append(probs, Problem{File: t.File, Row: r.Num, Line: r.lineIfNotNum(), Code: ProblemDuplicateRowKept,
				Msg:  fmt.Sprintf("row %d repeats row %d cell for cell: imported as its own record; check whether it is the same need and mark it a duplicate if so", r.Num, repeats),
				Args: args("row", strconv.Itoa(r.Num), "first", strconv.Itoa(repeats))})
		}
		if orgCol >= 0 && orgRow > 0 && slices.Contains(r.FromMerge, orgCol) {
			probs = append(probs, mergedOwnRecord(t, m, r, orgCol, orgRow, rec.Org)...)
		}
		seen[key]++
		if seen[key] > 1 {
			key += "#" + strconv.Itoa(seen[key])
		}
		rec.Key = key
		rec.Source = boundedSource(SourcePrefix + fileSig + ":" + key)
		rec.LegacySource = boundedSource(SourcePrefix + legacySig + ":" + key)
		if at := "@" + relief.NormalizeName(rec.District+rec.Address) + sealedTag(rec.plainAddress); rec.plainAddress != "" && strings.Contains(key, at) && !strings.HasPrefix(key, "@") {
			plain := strings.Replace(key, at, "@"+relief.NormalizeName(rec.District+rec.plainAddress), 1)
			if seen[plain] > 0 { // a row keyed so before, now apart: its number then
				plain += "#" + strconv.Itoa(seen[plain]+1)
			}
			seen[plain]++
			rec.plainSources = []string{boundedSource(SourcePrefix + fileSig + ":" + plain), boundedSource(SourcePrefix + legacySig + ":" + plain)}
		}
		if longItem {
			group[strings.SplitN(key, "#", 2)[0]] = len(out)
		}
		out = append(out, *rec)
	}
	probs = append(probs, serviceLines(t, m, out)...)
	for i := range out {
		if p := resolvePlace(&out[i]); p != nil {
			p.File = t.File
			probs = append(probs, *p)
		}
		if out[i].Category == "" {
			out[i].Category = categoryOf(out[i].Items)
		}
	}
	if sn := opts.sheet; sn != nil && sn.rows > 0 {
		code, field, what := ProblemSheetAsOrg, "requester (organisation)", string(FieldOrg)
		if sn.district {
			code, field, what = ProblemSheetAsDistrict, "district", string(FieldDistrict)
		}
		probs = append(probs, Problem{File: t.File, Sheet: t.Sheet, Field: what, Value: t.Sheet, Code: code,
			Msg:  fmt.Sprintf("no column names the %s: the sheet's name %q is taken as the %s of its %s", field, t.Sheet, field, count(sn.rows, "row", "rows")),
			Args: args("sheet", t.Sheet, "rows", strconv.Itoa(sn.rows))})
	}
	if t.Sheet != "" {
		for i := range probs { // a workbook's problems say which sheet
			if probs[i].File == t.File && probs[i].Sheet == "" {
				probs[i].Sheet = t.Sheet
			}
		}
	}
	return out, probs
}

// itemSeparators cut a one-supply cell that lists several supplies
// ("消毒液；手套、N95口罩 200只", "儿童奶粉, 尿不湿"), as in a supplies column
// (see cellItems). Not a slash: "防冲击眼罩/护目镜/防护眼镜" is one supply
// named three ways (our bulletins write such names), not three supplies.
const itemSeparators = "\n；;、,，"

// quantitySeparators cut a quantity cell beside such a list ("100箱/20顶"):
// not an ASCII comma, which also groups thousands ("1,000").
const quantitySeparators = "\n；;、，/／"

// pairQuantities gives each of its (the supplies one cell listed, in order)
// without a quantity of its own the part of qty at its place, when qty
// lists as many parts ("100箱/20顶" beside "方便面；帐篷") and each is a
// quantity; unit (the unit column's) when it holds no separator. It reports
// whether qty was used (true for an empty qty and unit); when false, its
// are unchanged.
func pairQuantities(its []relief.Item, qty, unit string, opts Options) bool {
	if strings.TrimSpace(qty) == "" {
		return strings.TrimSpace(unit) == ""
	}
	var open []int
	for i := range its {
		if its[i].Needed == nil {
			open = append(open, i)
		}
	}
	parts := strings.FieldsFunc(qty, func(r rune) bool { return strings.ContainsRune(quantitySeparators, r) })
	if len(open) == 0 || len(parts) != len(open) || strings.ContainsAny(unit, quantitySeparators) {
		return false
	}
	out := make([]relief.Item, len(open))
	for k, i := range open {
		if _, _, ok := ParseQuantity(strings.TrimSpace(fold(parts[k]))); !ok {
			return false
		}
		it, keepIt, err := supplyItem(its[i].Name, parts[k], its[i].Spec, opts)
		if err != nil || !keepIt {
			return false
		}
		if unit != "" && it.Unit == "" {
			it.Unit = unit
		}
		out[k] = it
	}
	for k, i := range open {
		its[i] = out[k]
	}
	return true
}

// rowSignature is a row's cells, cleaned (CleanText), joined: two rows
// with the same signature say the same thing. "" for a row of empty cells.
func rowSignature(cells []string) string {
	var b strings.Builder
	empty := true
	for _, c := range cells {
		c = CleanText(c)
		empty = empty && c == ""
		b.WriteString(c)
		b.WriteByte(0)
	}
	if empty {
		return ""
	}
	return b.String()
}

// mergeGrouped adds to g, the record of a group of long-format rows, what
// a later row r of the group says beside its supply: notes the group does
// not have yet are appended; a one-value field (url, date, region, status,
// province, city, category) that differs from the group's is kept as a
// source field named after the field, so that no cell of the row is lost.
func mergeGrouped(g *Record, r *Record) {
	for _, line := range strings.Split(r.Notes, "\n") {
		if line != "" && !slices.Contains(strings.Split(g.Notes, "\n"), line) {
			g.Notes = strings.TrimPrefix(g.Notes+"\n"+line, "\n")
		}
	}
	for _, f := range []struct {
		field Field
		g, r  *string
	}{{FieldURL, &g.URL, &r.URL}, {FieldDate, &g.Date, &r.Date}, {FieldRegion, &g.Region, &r.Region}, {FieldStatus, &g.Status, &r.Status},
		{FieldProvince, &g.Province, &r.Province}, {FieldCity, &g.City, &r.City}, {FieldCategory, &g.Category, &r.Category},
		{FieldTitle, &g.Title, &r.Title}, {FieldUrgency, &g.Urgency, &r.Urgency}} {
		switch {
		case *f.r == "" || *f.r == *f.g:
		case *f.g == "":
			*f.g = *f.r
		default:
			g.SourceFields = append(g.SourceFields, sourceField(string(f.field), *f.r))
		}
	}
}

// sourceSignature is the file part of source keys: the table's shape (its
// normalised headers and hashtags) only. The file's name, encoding and sheet
// are not part of it, so that an updated export, a renamed copy or a GBK
// re-encoding of the same sheet names its rows as the first import did; files
// of another layout (the same hospitals in JSON and in CSV) get other keys and
// meet through duplicate detection instead.
func sourceSignature(t *Table) string {
	h := sha256.Sum256([]byte("shape\x00" + t.Signature()))
	return hex.EncodeToString(h[:])[:12]
}

// legacySignature is sourceSignature as it was before: with the file's base
// name and sheet. Rows imported then are found by it.
func legacySignature(t *Table) string {
	h := sha256.Sum256([]byte(filepath.Base(t.File) + "\x00" + t.Sheet + "\x00" + t.Signature()))
	return hex.EncodeToString(h[:])[:12]
}

func buildRecord(t *Table, m Mapping, r Row, ri int, kind string, opts Options, known map[string]bool, memo *cellMemo) (*Record, []Problem, bool) {
	rec := &Record{Kind: kind, File: t.File, Row: r.Num, Line: r.lineIfNotNum()}
	var probs []Problem
	report := func(field, value, msg string, rejected bool, code string, a map[string]string) {
		probs = append(probs, Problem{File: t.File, Row: r.Num, Line: r.lineIfNotNum(), Field: field, Value: value, Msg: msg, Rejected: rejected, Code: code, Args: a})
	}
	reportErr := func(field, value string, err error, fallback string) {
		code, a := coded(err, fallback)
		report(field, value, err.Error(), false, code, a)
	}
	reportContact := func(p ContactProblem) {
		// a report never shows an identity card number (a contact cell's error names its value)
		p.Value = maskIDCardsIn(p.Value)
		msg := maskIDCardsIn(p.Err.Error()) + "; kept as written"
		if code, a := coded(p.Err, ProblemBadPhone); code != ProblemBadPhone {
			for k, v := range a {
				a[k] = maskIDCardsIn(v)
			}
			report("contacts", p.Value, msg, false, code, a)
			return
		}
		report("contacts", p.Value, msg, false, ProblemBadPhone, args("value", p.Value))
	}
	if v, n := sameInEveryCell(r.Cells); n >= 3 {
		// "武汉市公安局" in all five columns: a heading, or a merged cell
		// spread over the row, not a record
		report("", v, fmt.Sprintf("every one of the row's %d non-empty cells holds %q: a heading or a merged cell, not a record; row skipped", n, v),
			true, ProblemRepeatedRow, args("value", v, "cells", strconv.Itoa(n)))
		return nil, probs, false
	}
	var carried []relief.SourceField // read back from our bulletins' 原表其他信息 (FieldSourceFields)
	var notes, contactCells, contactLabels []string
	var nameCells, phoneCells, nameLabels, phoneLabels []string
	var longName, longQty, longUnit, longSpec, longReceived string
	var qtyLabel, unitLabel, specLabel, itemLabel, provLabel, cityLabel, receivedLabel string
	longItem := false
	type textCell struct{ label, v string }
	var textCells []textCell
	region := opts.Region
	// The contacts written in cells kept as written (a phone in a remark, a
	// WeChat id, an e-mail address) move into the record's contacts,
	// which are sealed, and the cells keep ContactSealedMark in their
	// place; each such cell is told (ProblemContactSealed).
	var textContacts []relief.Contact
	var addrContacts [2]int // textContacts[from:to] are those sealed from the address
	var sealedCells []sealedCell
	// the last cell of a row the file may be cut in (Table.mayBeCut): a
	// number at its end may be cut, and is not made a contact
	cutCell, cutTail := -1, false
	if t.mayBeCut != 0 && t.mayBeCut == r.Num {
		cutCell = lastNonEmpty(r.Cells) - 1
	}
	sealText := func(label, v string, tell bool) string {
		cs := contactsInText(v, region)
		if cutTail {
			cs = slices.DeleteFunc(cs, func(c relief.Contact) bool { return endsWithNumber(v, c) })
		}
		if len(cs) == 0 {
			return v
		}
		textContacts = append(textContacts, cs...)
		if tell {
			sealedCells = append(sealedCells, sealedCell{column: label, kinds: kindsOf(cs), count: len(cs)})
		}
		return maskContacts(v, cs)
	}
	// sealIDs takes the resident identity card numbers out of a contact
	// cell (one typed into the phone column): each becomes a contact of
	// kind relief.ContactIDCard, sealed, told by row and column
	// (ProblemContactSealed), never read as a phone nor echoed; the cell
	// goes on without them.
	sealIDs := func(label, v string) string {
		ids := idCardsInText(v)
		if len(ids) == 0 {
			return v
		}
		textContacts = append(textContacts, ids...)
		sc := sealedCell{column: label, kinds: kindsOf(ids), count: len(ids)}
		report(label, "", sc.msg(true), false, ProblemContactSealed, sc.args(true))
		var folded []string
		for _, c := range ids {
			folded = append(folded, c.Phone)
		}
		return CleanText(strings.ReplaceAll(maskIDCards(v, folded), ContactSealedMark, " "))
	}
	keep := func(label, v string) {
		rec.SourceFields = append(rec.SourceFields, sourceField(label, sealText(label, v, true)))
	}
	// cells of columns of WeChat ids, QQ numbers or e-mail addresses
	// (contactKindOf): contacts of their kind, not kept as written
	type kindCell struct{ label, v, kind string }
	var kindCells []kindCell
	// unassigned keeps as notes, and tells, a quantity and a unit that no
	// one supply of the row takes (n supplies).
	unassigned := func(qLabel, q, uLabel, u string, n int) {
		for _, x := range [][2]string{{qLabel, q}, {uLabel, u}} {
			if x[1] == "" {
				continue
			}
			notes = append(notes, labelled(x[0], x[1]))
			report(x[0], x[1], fmt.Sprintf("%q in column %q belongs to no one supply (the row has %d); kept as a note", x[1], x[0], n),
				false, ProblemQuantityUnassigned, args("column", x[0], "value", x[1], "items", strconv.Itoa(n)))
		}
	}
	var zeroSupplies []string // wide format: the supply columns whose cell says 0
	// reportZero tells a supply the row says is met or not needed (a
	// quantity of 0, "已满足")
	reportZero := func(label, name, value string) {
		report(label, value, fmt.Sprintf("quantity %q of %q says the need is met: kept as a line needing 0, not as an open need; check the row", value, name),
			false, ProblemQuantityZero, args("name", name, "value", value))
	}
	addItems := func(from string, its ...relief.Item) {
		for _, it := range its {
			rec.Items = append(rec.Items, it)
			rec.ItemFrom = append(rec.ItemFrom, from)
		}
	}
	mapped := map[int]bool{}
	for _, c := range m.Columns {
		mapped[c.Index] = true
	}
	cols := m.Columns
	for i := range r.Cells { // cells of columns the mapping does not name
		if !mapped[i] {
			c := Column{Index: i}
			if i < len(t.Headers) {
				c.Header = t.Headers[i]
			}
			if i < len(t.Tags) {
				c.Tag = t.Tags[i]
			}
			cols = append(cols, c)
		}
	}
	for _, c := range cols {
		if c.Index >= len(r.Cells) {
			continue
		}
		cutTail = c.Index == cutCell
		raw := r.Cells[c.Index]
		v := CleanText(raw)
		if v == "" {
			continue
		}
		label := c.Header
		if label == "" {
			label = c.Tag
		}
		if label == "" {
			label = ColumnName(c)
		}
		if prev := singleValue(rec, c.Field); prev != nil && *prev != "" && *prev != v {
			// A second column of a one-value field (url and website, area
			// and dest): the first holds the field, this one is kept.
			keep(label, v)
			continue
		}
		if c.Field == FieldContacts || c.Field == FieldContactName || c.Field == FieldContactPhone {
			if v = sealIDs(label, v); v == "" {
				continue
			}
		}
		switch c.Field {
		case FieldIgnore:
			if kind, ok := contactKindOf(label); ok && c.Tag != "#meta+code" {
				kindCells = append(kindCells, kindCell{label, v, kind})
				continue
			}
			// No field holds it: kept as written (its contacts sealed),
			// and its quantities read.
			if c.Tag == "#meta+code" {
				rec.SourceFields = append(rec.SourceFields, sourceField(label, v))
				rec.code = v
				continue
			}
			v = sealText(label, v, true)
			rec.SourceFields = append(rec.SourceFields, sourceField(label, v))
			if !countHeader.MatchString(label) {
				textCells = append(textCells, textCell{label, v})
			}
		case FieldOrg:
			rec.Org = v
		case FieldProvince:
			rec.Province, provLabel = v, label
		case FieldCity:
			rec.City, cityLabel = v, label
		case FieldDistrict:
			rec.District = CleanDistrict(v, known)
			if d := strings.TrimRight(v, "区县市"); d == "" || !strings.Contains(rec.District, d) {
				keep(label, v) // not read as a district ("全市", "多个区"): kept as written
			}
		case FieldRegion:
			rec.Region = v
		case FieldAddress:
			// a phone or an identity card number written in the address:
			// sealed as in a remark, told by row and column
			n := len(textContacts)
			if rec.Address = sealText(label, v, true); rec.Address != v {
				rec.plainAddress = v
				addrContacts = [2]int{n, len(textContacts)}
			}
		case FieldTitle:
			rec.Title = v
		case FieldItems:
			// A list of supplies, with their quantities, specs and notes
			// (see cellItems); what the items do not hold is kept as written.
			its, ns, unknown, lossless := memo.cellItems(v)
			for _, name := range unknown {
				report(label, name, fmt.Sprintf("%q is not in the item catalog; kept as written", name), false, ProblemNotInCatalog, args("name", name))
			}
			addItems(label, its...)
			for _, n := range ns {
				notes = append(notes, labelled(label, n))
			}
			if len(its) == 0 && len(ns) == 0 {
				report(label, v, fmt.Sprintf("%q names no supply, only headers or noise; kept as written", v), false, ProblemNoiseCell, args("column", label, "value", v))
			}
			if !lossless || len(its) == 0 && len(ns) == 0 {
				keep(label, v)
			}
		case FieldItem:
			longName, longItem, itemLabel = v, true, label
		case FieldQuantity:
			longQty, qtyLabel = v, label
		case FieldUnit:
			longUnit, unitLabel = v, label
		case FieldSpec:
			longSpec, specLabel = v, label
		case FieldSupply:
			it, keepIt, err := supplyItem(c.Header, v, "", opts)
			if err != nil {
				reportErr(label, v, err, ProblemBadQuantity)
			}
			if keepIt {
				addItems(label, it)
			} else if metItem(it) {
				zeroSupplies = append(zeroSupplies, label)
			}
		case FieldContacts:
			contactCells = append(contactCells, v)
			contactLabels = append(contactLabels, label)
		case FieldContactName:
			nameCells, nameLabels = append(nameCells, v), append(nameLabels, label)
		case FieldContactPhone:
			phoneCells, phoneLabels = append(phoneCells, v), append(phoneLabels, label)
		case FieldUrgency:
			if u, ok := UrgencyCode(v); ok {
				rec.Urgency = u
			} else {
				report(label, v, fmt.Sprintf("urgency %q is not a known urgency; kept as a note", v), false, ProblemBadUrgency, args("value", v))
				notes = append(notes, labelled(label, v))
			}
		case FieldReceived:
			longReceived, receivedLabel = v, label
		case FieldSourceFields:
			carried = append(carried, parseSourceText(label, v)...)
		case FieldNotes:
			v = sealText(label, v, true)
			if ownNotes(c) {
				notes = append(notes, v) // our bulletins' 说明: the description itself
				break
			}
			notes = append(notes, labelled(label, v))
			if !countHeader.MatchString(label) {
				textCells = append(textCells, textCell{label, v})
			}
		case FieldURL:
			rec.URL = v
		case FieldStatus:
			text, code, ok := CleanStatus(raw)
			rec.Status = code
			if !ok {
				report(label, text, fmt.Sprintf("status %q is not a known status; kept as a note", text), false, ProblemBadStatus, args("value", text))
				notes = append(notes, labelled(label, text))
			}
		case FieldDate, FieldDeadline:
			d, code, a := readDate(v, opts.dates)
			if c.Field == FieldDeadline {
				keep(label, d) // the day, as a source field under its header
			} else {
				rec.Date, rec.DateLabel = d, label // the day, and its time of day when the cell gives one (China time: dateZones)
			}
			if code != "" {
				a["column"] = label
				report(label, v, dateMsg(code, a), false, code, a)
			}
		case FieldCategory:
			if c, ok := CategoryCode(v); ok {
				rec.Category = c // a category code or label, as bulletins write it
			} else {
				notes = append(notes, labelled(label, v))
			}
		}
	}
	cutTail = false
	for i, f := range carried {
		carried[i].Value = sealText(f.Column, f.Value, true) // a restricted bulletin's other columns
	}
	rec.SourceFields = carry(rec.SourceFields, carried)
	listed := false // a one-supply cell that lists several, each line or part its own supply
	// or, beside an empty quantity cell, ends in a count (statesCount: "医用外科口罩 10万",
	// "N95口罩5000个"; not a model number, size or volume: "N95口罩1860", "84消毒液 500ml")
	// (a cell such as "防护帽/医用帽/圆帽" with no quantity stays one supply:
	// only a cell with a list separator is cut into several)
	bareItem := strings.TrimSpace(longQty) == "" && longUnit == ""
	listSep := strings.ContainsAny(longName, itemSeparators)
	if longItem && (listSep || bareItem) {
		if its, ns, unknown, lossless := memo.cellItems(longName); (listSep && len(its) > 1) || (len(its) == 1 && bareItem && its[0].Needed != nil && statesCount(longName)) {
			listed = true
			for _, name := range unknown {
				report(itemLabel, name, fmt.Sprintf("%q is not in the item catalog; kept as written", name), false, ProblemNotInCatalog, args("name", name))
			}
			addItems(itemLabel, its...)
			for _, n := range ns {
				notes = append(notes, labelled(itemLabel, n))
			}
			if !lossless {
				keep(itemLabel, longName)
			}
			if longSpec != "" {
				notes = append(notes, labelled(specLabel, longSpec))
			}
			if !pairQuantities(rec.Items[len(rec.Items)-len(its):], longQty, longUnit, opts) {
				unassigned(qtyLabel, longQty, unitLabel, longUnit, len(its))
			}
		}
	}
	if longItem && !listed {
		if longQty != "" && strings.Trim(longQty, "-—–/ ") == "" && longName != "" {
			// "-" beside a named supply: no number given, not "not needed"
			report(qtyLabel, longQty, fmt.Sprintf("quantity %q is not a number; kept in the spec", longQty), false, ProblemBadQuantity, args("value", longQty))
			longSpec, longQty = strings.TrimSpace(longSpec+" "+longQty), ""
		}
		it, keepIt, err := supplyItem(longName, longQty, longSpec, opts)
		if err != nil {
			reportErr(string(FieldQuantity), longQty, err, ProblemBadQuantity)
		}
		if longUnit != "" {
			it.Unit = longUnit // the unit column's, else the one written after the quantity ("5000个")
		}
		if keepIt {
			if _, ok := relief.DefaultCatalog().Resolve(longName); !ok {
				report(string(FieldItem), longName, fmt.Sprintf("%q is not in the item catalog; kept as written", longName), false, ProblemNotInCatalog, args("name", longName))
			}
			from := itemLabel
			if it.Needed != nil {
				from = qtyLabel
			}
			addItems(from, it)
		} else if metItem(it) {
			// "N95口罩, 0, 已满足": kept as a met line, told
			addItems(qtyLabel, it)
			reportZero(qtyLabel, it.Name, longQty)
		} else {
			keep(itemLabel, longName)
			if longQty != "" {
				keep(qtyLabel, longQty)
			}
		}
	} else if !longItem {
		// A quantity, unit or spec column without a column of supply names:
		// they qualify the one supply of the row (a supplies list of one
		// supply without a quantity of its own); otherwise the spec and
		// what no supply takes are notes, told.
		if longSpec != "" {
			if len(rec.Items) == 1 {
				addSpec(&rec.Items[0], longSpec)
			} else {
				notes = append(notes, labelled(specLabel, longSpec))
			}
		}
		if len(rec.Items) == 1 && rec.Items[0].Needed == nil && (longQty != "" || longUnit != "") {
			it, keepIt, err := supplyItem(rec.Items[0].Name, longQty, rec.Items[0].Spec, opts)
			if err != nil {
				reportErr(qtyLabel, longQty, err, ProblemBadQuantity)
			}
			if keepIt {
				if longUnit != "" {
					it.Unit = longUnit
				} else if it.Unit == "" {
					it.Unit = rec.Items[0].Unit
				}
				rec.Items[0] = it
			} else if metItem(it) {
				rec.Items[0] = it
				reportZero(qtyLabel, it.Name, longQty)
			}
		} else {
			unassigned(qtyLabel, longQty, unitLabel, longUnit, len(rec.Items))
		}
	}
	var ex rowExtra
	if t.extras != nil && ri < len(t.extras) {
		ex = t.extras[ri]
	}
	for _, ri := range ex.items {
		q := ""
		if ri.qty != nil {
			q = fmt.Sprint(ri.qty)
		}
		it, keepIt, err := supplyItem(ri.name, q, ri.spec, opts)
		if err != nil {
			reportErr("supplies", ri.name, err, ProblemBadQuantity)
		}
		if keepIt {
			if _, ok := relief.DefaultCatalog().Resolve(ri.name); !ok {
				if _, ok := relief.DefaultCatalog().ResolveItem(it); !ok {
					report("supplies", ri.name, fmt.Sprintf("%q is not in the item catalog; kept as written", ri.name), false, ProblemNotInCatalog, args("name", ri.name))
				}
			}
			addItems("supplies", it)
		} else if metItem(it) {
			addItems("supplies", it)
			reportZero("supplies", it.Name, q)
		}
	}
	if len(rec.Items) == 0 && len(zeroSupplies) > 0 {
		// every supply column of the row says 0: the row needs nothing
		// the file names, told (a wide sheet's 0 is "not needed" and is
		// not kept as a line)
		cols := strings.Join(zeroSupplies, "、")
		report(cols, "0", fmt.Sprintf("every supply column of the row says 0 (%s): the row needs nothing the file names; imported without supplies, check it", cols),
			false, ProblemNothingNeeded, args("columns", cols))
	}
	for _, rc := range ex.contacts {
		cs, ps := CleanContacts(sealIDs("contacts", rc.tel), region)
		for _, p := range ps {
			reportContact(p)
		}
		name := cleanName(rc.name)
		for i := range cs {
			if cs[i].Name == "" && name != "" {
				ph := cs[i].Phone
				cs[i] = splitRole(name)
				cs[i].Phone = ph
			} else if name != "" && cs[i].Role == "" && cs[i].Name != name {
				cs[i].Role = name // "境外物资捐赠": "甲五13837585205"
			}
		}
		if len(cs) == 0 && name != "" {
			cs = []relief.Contact{splitRole(name)}
		}
		rec.Contacts = mergeContacts(rec.Contacts, cs)
	}
	if cs, ps, ok := pairContacts(nameCells, phoneCells, region); ok {
		for _, p := range ps {
			reportContact(p)
		}
		rec.Contacts = mergeContacts(rec.Contacts, cs)
	} else {
		// not two cells whose lines pair up: contacts written as people do
		contactCells = append(append(contactCells, nameCells...), phoneCells...)
		contactLabels = append(append(contactLabels, nameLabels...), phoneLabels...)
	}
	if longReceived != "" {
		// an import records no delivery: what was received is kept, told
		if q, _, ok := ParseQuantity(longReceived); !ok || q != 0 {
			what := strings.TrimSpace(longName + " " + longReceived + " " + longUnit)
			keep(receivedLabel, what)
			report(receivedLabel, what, fmt.Sprintf("received %q is kept as written, not as a delivery: record the delivery on the demand to count it", what),
				false, ProblemReceivedKept, args("value", what))
		}
	}
	if len(contactCells) > 0 {
		joined := strings.Join(contactCells, " ")
		if len(contactCells) > 1 && strings.ContainsAny(contactCells[0], "\n；;、/,，") {
			joined = strings.Join(contactCells, "\n")
		}
		cs, ps := CleanContacts(joined, region)
		for _, p := range ps {
			reportContact(p)
		}
		hasPhone := false
		for _, c := range cs {
			hasPhone = hasPhone || c.Phone != ""
		}
		if !hasPhone && len(cs) > 0 {
			report("contacts", joined, "no phone number in the contact", false, ProblemNoPhone, nil)
		}
		rec.Contacts = mergeContacts(rec.Contacts, cs)
		for i, cell := range contactCells {
			if !contactsLossless(cell, rec.Contacts) {
				// words or numbers no contact holds: kept as written, the
				// contacts read from it masked (they are in the contacts)
				rec.SourceFields = append(rec.SourceFields, sourceField(contactLabels[i], maskContacts(cell, rec.Contacts)))
			}
		}
	}
	// The contacts of the row's other cells, after those of its contact
	// columns: a WeChat, QQ or e-mail column's ids take the name of the
	// row's contact when its contact columns name one person.
	person := onePerson(rec.Contacts)
	for _, kc := range kindCells {
		cs := kindContacts(kc.kind, kc.v, region)
		for i := range cs {
			cs[i].Name, cs[i].Role = person.Name, person.Role
		}
		textContacts = append(textContacts, cs...)
		sc := sealedCell{column: kc.label, kinds: kindsOf(cs), count: len(cs)}
		report(kc.label, "", sc.msg(true), false, ProblemContactSealed, sc.args(true))
	}
	// A phone found in the text of a row that has a contact phone of its
	// own is marked so (relief.MarkFoundInText): it matches only another
	// demand's own phone, so that a hotline written in every row's remark
	// does not make every row a possible duplicate of the others. A row
	// whose only phones are in its text keeps them as its own.
	if slices.ContainsFunc(rec.Contacts, func(c relief.Contact) bool { return c.Kind == "" && c.Phone != "" }) {
		for i, c := range textContacts {
			if c.Kind == "" && c.Phone != "" {
				textContacts[i] = relief.MarkFoundInText(c)
			}
		}
	}
	if rec.plainAddress != "" {
		others := slices.Concat(textContacts[:addrContacts[0]], textContacts[addrContacts[1]:])
		rec.plainContacts = mergeContacts(slices.Clone(rec.Contacts), others)
	}
	rec.Contacts = mergeContacts(rec.Contacts, textContacts)
	for _, sc := range sealedCells {
		report(sc.column, "", sc.msg(false), false, ProblemContactSealed, sc.args(false))
	}
	for _, tc := range textCells {
		addTextItems(rec, tc.label, memo.textItems(tc.v, opts.OneMeansNeeded), report)
	}
	if rec.District == "" {
		if d := DistrictFromAddress(rec.Address); d != "" {
			rec.District = CleanDistrict(d, known)
		} else if rec.Region != "" && kind == relief.KindDemand {
			rec.District = CleanDistrict(rec.Region, known)
		}
	}
	if rec.Address == "" && rec.Province+rec.City+rec.District != "" && kind == relief.KindDemand {
		rec.Address = rec.Province + rec.City + rec.District
	}
	// A demand stores no province or city of its own: unless the address
	// names them, they are kept as written.
	for _, x := range [][2]string{{provLabel, rec.Province}, {cityLabel, rec.City}} {
		if x[1] != "" && !strings.Contains(rec.Address, x[1]) {
			keep(x[0], x[1])
		}
	}
	rec.Notes = strings.Join(notes, "\n")
	if rec.Org == "" && len(rec.Items) == 0 && len(rec.Contacts) == 0 {
		report("", "", "no organisation, items or contacts; row skipped", true, ProblemEmptyRow, nil)
		return nil, probs, false
	}
	if sn := opts.sheet; sn != nil {
		switch {
		case sn.district && rec.District == "":
			rec.District = sn.name
			sn.rows++
			if rec.Address == "" && kind == relief.KindDemand {
				rec.Address = rec.Province + rec.City + rec.District
			}
		case !sn.district && rec.Org == "":
			rec.Org, rec.OrgFromSheet = sn.name, true
			sn.rows++
		}
	}
	if rec.Org == "" {
		report(string(FieldOrg), "", "no organisation; the record is named after its address or row", false, ProblemNoOrg, nil)
	}
	return rec, probs, longItem
}

// carry adds to own, the source fields of a row's own cells, those carried
// in its 原表其他信息 cell (a bulletin of a network the demand was in before)
// that own does not supersede: a column the row has a cell of (the
// exporting network's code and times, written in their own columns and
// again in that cell by the next export) is the row's, and a field carried
// twice is one. So a demand moved from incident to incident keeps each of
// its source fields once.
func carry(own, carried []relief.SourceField) []relief.SourceField {
	if len(carried) == 0 {
		return own
	}
	cols := map[string]bool{}
	for _, f := range own {
		cols[f.Column] = true
	}
	out := own
	for _, f := range carried {
		if cols[f.Column] || slices.Contains(out, f) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// singleValue returns the field of rec that f fills with one value (the
// organisation, the address, the url …), nil for fields that gather several
// cells (items, contacts, notes) or that a cell does not fill as written.
func singleValue(rec *Record, f Field) *string {
	switch f {
	case FieldOrg:
		return &rec.Org
	case FieldProvince:
		return &rec.Province
	case FieldCity:
		return &rec.City
	case FieldRegion:
		return &rec.Region
	case FieldAddress:
		return &rec.Address
	case FieldURL:
		return &rec.URL
	}
	return nil
}

func labelled(label, v string) string {
	if label == "" {
		return v
	}
	return label + ": " + v
}

var yesWords = map[string]bool{"是": true, "需要": true, "急需": true, "需": true, "缺": true, "√": true, "✓": true, "yes": true, "y": true, "x": true, "true": true}
var noWords = map[string]bool{"否": true, "不需要": true, "无": true, "no": true, "n": true, "false": true, "-": true}

// metWords in a quantity cell say the need is met: read as a quantity of 0.
var metWords = map[string]bool{"已满足": true, "满足": true, "已满": true, "够了": true, "已够": true, "足够": true, "充足": true, "不缺": true,
	"已解决": true, "已到位": true, "met": true, "fulfilled": true, "enough": true}

// metItem reports whether it is a supply the file says is met (a quantity
// of 0 or a metWords cell): supplyItem gives it Needed 0.
func metItem(it relief.Item) bool { return it.Needed != nil && *it.Needed == 0 }

// supplyItem makes an item from a supply name and a quantity cell. keep is
// false when the quantity says the supply is not needed (0, "否", "已满足"):
// for 0 and the words that say the need is met (metWords) the item has
// Needed 0 (see metItem), a met line a caller may keep, told; err is set
// when the quantity cannot be read (the item is kept, quantity unknown).
func supplyItem(name, qty, spec string, opts Options) (it relief.Item, keep bool, err error) {
	it = relief.Item{Name: CleanText(name), Spec: CleanText(spec)}
	if it.Name == "" {
		return it, false, &codedError{code: ProblemNoSupplyName, msg: "a supply without a name"}
	}
	q := strings.ToLower(strings.TrimSpace(fold(qty)))
	switch {
	case q == "" || yesWords[q]:
		return it, true, nil
	case noWords[q]:
		return it, false, nil
	case metWords[q]:
		zero := 0.0
		it.Needed = &zero
		it.Spec = strings.TrimSpace(it.Spec + " " + CleanText(qty))
		return it, false, nil
	}
	n, unit, ok := ParseQuantity(q)
	if !ok {
		if rest, neg := strings.CutPrefix(q, "-"); neg {
			if _, _, num := ParseQuantity(rest); num {
				it.Spec = strings.TrimSpace(it.Spec + " " + CleanText(qty))
				return it, true, &codedError{code: ProblemNegativeQty, args: args("value", CleanText(qty)),
					msg: fmt.Sprintf("quantity %q is below zero; kept in the spec", CleanText(qty))}
			}
		}
		it.Spec = strings.TrimSpace(it.Spec + " " + CleanText(qty))
		return it, true, &codedError{code: ProblemBadQuantity, args: args("value", CleanText(qty)),
			msg: fmt.Sprintf("quantity %q is not a number; kept in the spec", CleanText(qty))}
	}
	if n == 0 {
		zero := 0.0
		it.Needed = &zero
		return it, false, nil
	}
	var told error
	switch rest := strings.TrimSpace(unit); {
	case rest == "":
	case strings.HasPrefix(rest, ","):
		// "1,5": a decimal comma or a cut thousands: no number is certain
		it.Spec = strings.TrimSpace(it.Spec + " " + CleanText(qty))
		return it, true, &codedError{code: ProblemBadQuantity, args: args("value", CleanText(qty)),
			msg: fmt.Sprintf("quantity %q is not a number; kept in the spec", CleanText(qty))}
	case strings.ContainsAny(rest[:1], "+-~") || strings.HasPrefix(rest, "多") || strings.HasPrefix(rest, "余") || strings.HasPrefix(rest, "以上"):
		// "100+", "1万+", "5000-8000", "100多": at least n is certain; the
		// rest is kept in the spec, told
		it.Spec = strings.TrimSpace(it.Spec + " " + CleanText(qty))
		told = &codedError{code: ProblemQuantityAtLeast, args: args("value", CleanText(qty), "needed", strconv.FormatFloat(n, 'f', -1, 64)),
			msg: fmt.Sprintf("quantity %q read as %s, the least it says; as written in the spec", CleanText(qty), strconv.FormatFloat(n, 'f', -1, 64))}
	default:
		// "套", "箱（每箱100双）": the unit, and a note in brackets as the spec
		u, note := rest, ""
		if i := strings.IndexAny(rest, "(（"); i >= 0 {
			u, note = strings.TrimSpace(rest[:i]), strings.Trim(rest[i:], " ()（）")
		}
		if note != "" {
			it.Spec = strings.TrimSpace(it.Spec + " " + note)
		}
		it.Unit = u
	}
	if n == 1 && opts.OneMeansNeeded {
		return it, true, told
	}
	it.Needed = &n
	return it, true, told
}

// mergeContacts appends the contacts of b that a lacks (same phone, or same
// name when neither has a phone).
func mergeContacts(a, b []relief.Contact) []relief.Contact {
	for _, c := range b {
		dup := false
		for _, x := range a {
			if (c.Phone != "" && x.Phone == c.Phone) || (c.Phone == "" && x.Phone == "" && x.Name == c.Name) {
				dup = true
				break
			}
		}
		if !dup {
			a = append(a, c)
		}
	}
	return a
}

// categoryOf picks the category most of the items resolve to; ties go to
// the first written; "other" without resolvable items.
func categoryOf(items []relief.Item) string {
	count := map[string]int{}
	best, bestN := "other", 0
	for _, it := range items {
		ci, ok := relief.DefaultCatalog().ResolveItem(it)
		if !ok {
			continue
		}
		count[ci.Category]++
		if count[ci.Category] > bestN {
			best, bestN = ci.Category, count[ci.Category]
		}
	}
	return best
}

// hasDemandShape reports whether t has what a demand needs: supplies (a
// column or nested lists) or an address to deliver to.
func hasDemandShape(t *Table, m Mapping) bool {
	for _, c := range m.Columns {
		switch c.Field {
		case FieldItems, FieldItem, FieldSupply, FieldAddress, FieldDistrict:
			return true
		}
	}
	for _, ex := range t.extras {
		if len(ex.items) > 0 {
			return true
		}
	}
	return false
}

// statusNote finds a bracketed note on the state of a supply rather than a
// supply: "防护服（已安排）", "口罩(已到货)", "（暂不需要）", "（待确认）".
var statusNote = regexp.MustCompile(`[(（]\s*((?:已|暂|待|正在|无需|不需|不用|不再|停止|够了|充足)[^()（）]*)[)）]`)

// splitStatus takes the status notes out of one part of a supplies cell:
// "防护服（已安排）" is the supply 防护服 with the note 已安排, not two
// supplies. It returns the part without them, trimmed, and the notes joined
// by "; ".
func splitStatus(part string) (rest, note string) {
	var notes []string
	rest = statusNote.ReplaceAllStringFunc(part, func(m string) string {
		notes = append(notes, strings.TrimSpace(statusNote.FindStringSubmatch(m)[1]))
		return " "
	})
	return strings.TrimSpace(rest), strings.Join(notes, "; ")
}

// addSpec adds a note to an item's spec.
func addSpec(it *relief.Item, note string) {
	it.Spec = strings.TrimSpace(strings.TrimPrefix(it.Spec+"; "+note, "; "))
}

// SourcePrefix starts the source of every record the importer writes
// ("import:" + table shape signature + ":" + key); see Imported.
const SourcePrefix = "import:"

// Imported reports whether a demand's or offer's source says the importer
// wrote it (rather than a person in the app).
func Imported(source string) bool { return strings.HasPrefix(source, SourcePrefix) }

// sameInEveryCell returns the text of cells when every non-empty one holds
// the same (CleanText), and how many are not empty; n is 0 when two differ.
func sameInEveryCell(cells []string) (v string, n int) {
	for _, c := range cells {
		c = CleanText(c)
		switch {
		case c == "":
		case n == 0:
			v, n = c, 1
		case c == v:
			n++
		default:
			return "", 0
		}
	}
	return v, n
}

// onePerson returns the name and role of the one person cs name, if they
// name exactly one (several numbers of one person count once); an empty
// contact otherwise.
func onePerson(cs []relief.Contact) relief.Contact {
	var who relief.Contact
	for _, c := range cs {
		if c.Name == "" {
			continue
		}
		if who.Name != "" && (who.Name != c.Name || who.Role != c.Role) {
			return relief.Contact{}
		}
		who = relief.Contact{Name: c.Name, Role: c.Role}
	}
	return who
}

// endsWithNumber reports whether phone contact c (Kind "") is the number
// written at the very end of v (its digits end the last run of digits of
// v, with nothing but spaces after it): in a cell a file may be cut in,
// such a number may be cut (ProblemLastRowMayBeCut).
func endsWithNumber(v string, c relief.Contact) bool {
	if c.Kind != "" {
		return false
	}
	v = strings.TrimSpace(fold(v))
	runs := textRun.FindAllStringIndex(v, -1)
	if len(runs) == 0 || runs[len(runs)-1][1] != len(v) {
		return false
	}
	n, _, _ := strings.Cut(c.Phone, ";ext=")
	d := strings.TrimPrefix(digitsOf(n), "86")
	run := digitsOf(v[runs[len(runs)-1][0]:])
	return d != "" && (strings.HasSuffix(run, d) || strings.HasSuffix(d, strings.TrimLeft(run, "0")))
}

// mergedOwnRecord tells row r, which takes its organisation org from the
// merged cell of column orgCol starting on row first, but is a record of
// its own: because it fills its own district, address or title cells
// (ProblemMergedOwnRecord), or though it fills none of them (a sheet of
// supplies in one cell makes a record of each row: ProblemMergedRowApart).
// The caller calls it for each such row that reaches a record of its own.
func mergedOwnRecord(t *Table, m Mapping, r Row, orgCol, first int, org string) []Problem {
	var own, empty []string
	for _, c := range m.Columns {
		if c.Field != FieldDistrict && c.Field != FieldAddress && c.Field != FieldTitle {
			continue
		}
		switch {
		case c.Index < len(r.Cells) && CleanText(r.Cells[c.Index]) != "" && !slices.Contains(r.FromMerge, c.Index):
			own = append(own, ColumnName(c))
		case c.Index >= len(r.Cells) || CleanText(r.Cells[c.Index]) == "":
			empty = append(empty, ColumnName(c))
		}
	}
	oc := Column{Index: orgCol}
	if orgCol < len(t.Headers) {
		oc.Header = t.Headers[orgCol]
	}
	column := ColumnName(oc)
	if len(own) == 0 {
		// none of its own, yet a record of its own: told all the same
		cols, colsZH := strings.Join(empty, ", "), strings.Join(empty, "、")
		if len(empty) == 0 {
			cols, colsZH = "place", "地点"
		}
		return []Problem{{File: t.File, Row: r.Num, Line: r.lineIfNotNum(), Field: column, Value: org, Code: ProblemMergedRowApart,
			Msg: fmt.Sprintf("in row %d, the merged cell of column %q (%s) is the one that starts in row %d; the row leaves its %s empty, yet it was imported as a record of its own, with no place of its own: if it is the same demand as row %d, merge the two in the duplicate review",
				r.Num, column, org, first, cols, first),
			Args: args("row", strconv.Itoa(r.Num), "first", strconv.Itoa(first), "column", column, "value", org, "columns", cols, "columns_zh", colsZH)}}
	}
	cols := strings.Join(own, ", ")
	return []Problem{{File: t.File, Row: r.Num, Line: r.lineIfNotNum(), Field: column, Value: org, Code: ProblemMergedOwnRecord,
		Msg: fmt.Sprintf("in row %d, the merged cell of column %q (%s) is the one that starts in row %d; the row also has its own %s, so it was imported as a record of its own: if it is the same demand, merge the two in the duplicate review",
			r.Num, column, org, first, cols),
		Args: args("row", strconv.Itoa(r.Num), "first", strconv.Itoa(first), "column", column, "value", org, "columns", cols, "columns_zh", strings.Join(own, "、"))}}
}

// sealedTag tells apart, in a row's key, addresses that differ only in the
// phones or identity card numbers sealed out of them (plain, the address
// as written; "" when nothing was sealed): "~" and 8 hex digits of its
// hash. Short on purpose: a 32-bit hash is shared by many numbers, so the
// key, which members see in a demand's source, names none.
func sealedTag(plain string) string {
	if plain == "" {
		return ""
	}
	h := sha256.Sum256([]byte("sealed-address\x00" + relief.NormalizeName(plain)))
	return "~" + hex.EncodeToString(h[:4])
}
