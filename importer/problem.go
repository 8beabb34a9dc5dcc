package importer

import "errors"

// Problem codes: a Problem's Code says what went wrong in words a program can
// translate; its Args hold the values the message names. Msg stays the
// English text, for logs and the CLI's --json.
const (
	ProblemCellCount    = "cell_count"        // Args cells, columns: more cells than header columns; row skipped
	ProblemEmptyRow     = "empty_row"         // no organisation, items or contacts; row skipped
	ProblemRepeatedRow  = "repeated_row"      // Args value, cells: every non-empty cell (3 or more) holds the same text, as a heading or a merged cell does; row skipped
	ProblemNoOrg        = "no_org"            // no organisation; named after its address or row
	ProblemNotInCatalog = "not_in_catalog"    // Args name: a supply the catalog does not know; kept as written
	ProblemNoSupplyName = "no_supply_name"    // a supply without a name
	ProblemBadQuantity  = "bad_quantity"      // Args value: a quantity that is not a number; kept in the spec
	ProblemNegativeQty  = "negative_quantity" // Args value: a quantity below zero ("-5"); kept in the spec
	ProblemBadStatus    = "bad_status"        // Args value: not a known review status; kept as a note
	ProblemBadPhone     = "bad_phone"         // Args value: not a phone number; kept as written
	ProblemNoPhone      = "no_phone"          // a contact without a phone number
	ProblemInvalid      = "invalid_record"    // Args error: the record cannot be written (a value too long …); rejected
	ProblemRefused      = "store_refused"     // Args error: the store refused the record; rejected
	ProblemOfferPresent = "offer_present"     // Args code, supplier, reason: the offer is already present; skipped
	ProblemTooLong      = "message_too_long"  // Args max: a pasted message longer than MaxMessageLen characters; the rest ignored
	ProblemNotFound     = "not_found"         // Args what (org, items, contacts): a pasted message names none
	// ProblemCut: Args field, kept, had: a value longer than relief's limit
	// for field (a relief field name, or one of the Cut* names of a supply's
	// or a contact's part); its first kept of had characters were imported.
	ProblemCut = "cut"
	// ProblemItemsCut: Args kept, had: more supplies than relief.MaxItems;
	// the first kept of had were imported.
	ProblemItemsCut = "items_cut"
	// ProblemContactsCut: Args kept, had: more contacts than
	// relief.MaxContacts; the first kept of had were imported.
	ProblemContactsCut = "contacts_cut"
	ProblemFileCut     = "file_cut" // Args line, row: the file ends inside a quoted cell (cut short); that row not used
)

// Problem codes of cell accounting (see UnmappedColumns, cellItems,
// textItems).
const (
	// ProblemUnmappedColumn: Args column, cells, samples (up to 3 values
	// joined by " | "): a column no field holds; its cells are kept with
	// each record as written (Record.SourceFields). Row 0.
	ProblemUnmappedColumn = "unmapped_column"
	// ProblemTextQuantity: Args column, name, value: a quantity of supply
	// name read from the text of a column (progress, notes, remarks, a
	// column without a header), to be confirmed by a reviewer.
	ProblemTextQuantity = "text_quantity"
	// ProblemNoiseCell: Args column, value: a supplies cell that names no
	// supply, only headers, dates or noise; kept as written.
	ProblemNoiseCell = "noise_cell"
	// ProblemColumnMismatch: Args column, field (a Field), looks (url,
	// phone or text: what most of its values are), samples (up to 3 values
	// joined by " | "): a column whose values do not fit the field it is
	// mapped to, as when a file's values slid a column away from their
	// headers; imported as mapped, to be checked. Row 0.
	ProblemColumnMismatch = "column_mismatch"
	// ProblemOfferPresentAdds: Args code, supplier, reason, phones (joined by
	// ", "): as ProblemOfferPresent, but the row has phone numbers the offer
	// present lacks; they are named so that a person can add them.
	ProblemOfferPresentAdds = "offer_present_adds"
	// ProblemBadUrgency: Args value: an urgency cell that names no known
	// urgency (see UrgencyCode); kept as a note, the demand normal.
	ProblemBadUrgency = "bad_urgency"
	// ProblemReceivedKept: Args value (the supply, the quantity and its
	// unit): a quantity received other than 0 (FieldReceived); an import
	// records no delivery, so it is kept as a source field as written.
	ProblemReceivedKept = "received_kept"
	// ProblemContactSealed: Args column, count, kinds (phone, wechat, qq,
	// email, joined by ", "), whole: a cell of a column no contact field
	// holds wrote contacts (a phone in a remark, a WeChat, QQ or e-mail
	// column): they were moved into the record's contacts, which are
	// sealed (for reviewers, coordinators and the owner). whole "1": the
	// cell was a column of such ids and is not kept; "0": the cell is kept
	// as written with ContactSealedMark in place of each. The value is
	// not repeated in the problem (Value is empty).
	ProblemContactSealed = "contact_sealed"
	// ProblemQuantityUnassigned: Args column, value, items (how many
	// supplies the row has): a quantity or unit cell that no one supply of
	// the row takes (a supplies list of several, or none); kept as a note.
	ProblemQuantityUnassigned = "quantity_unassigned"
	// ProblemExtraCells: Args cells, columns, value (the cells past the
	// header, joined by " | "): a row with more cells than the header has
	// columns; the row is read, and its cells past the header are kept as
	// written, in columns named by their letter. (ProblemCellCount, which
	// skipped the row, is no longer given.)
	ProblemExtraCells = "extra_cells"
	// ProblemTotalsRows: Args count, rows (their numbers, ", "): rows whose
	// first cell says 合计, 小计, 总计 (or total): sums, not records; not
	// imported. Row 0, once per table.
	ProblemTotalsRows = "totals_rows"
	// ProblemHiddenRows: Args count, rows: rows hidden in the workbook
	// (XLSX); not imported. Row 0, once per table.
	ProblemHiddenRows = "hidden_rows"
	// ProblemQuantityAtLeast: Args value, needed: a quantity that says a
	// range or "more than" ("5000-8000", "100+", "1万+"): the least it says
	// is the quantity needed, and the value as written is kept in the spec.
	ProblemQuantityAtLeast = "quantity_at_least"
	// ProblemHeaderRepeated: Args count, rows: rows below the header that
	// repeat it or the hashtag row (files pasted one under the other); not
	// imported. Row 0, once per table.
	ProblemHeaderRepeated = "header_repeated"
	// ProblemThousandsSplit: Args value ("2,000"): a number whose thousands
	// comma, unquoted in a CSV, cut it into two cells, making the row one
	// cell too wide; read as one number, told.
	ProblemThousandsSplit = "thousands_split"
)

// codedError is an error with a Problem code and the values it names.
type codedError struct {
	code string
	args map[string]string
	msg  string
}

func (e *codedError) Error() string { return e.msg }

// coded returns err's code and args when it carries them, else fallback and
// args {"error": err's text}.
func coded(err error, fallback string) (string, map[string]string) {
	var ce *codedError
	if errors.As(err, &ce) {
		return ce.code, ce.args
	}
	return fallback, map[string]string{"error": err.Error()}
}

// args makes a Problem's Args from key, value pairs.
func args(kv ...string) map[string]string {
	if len(kv) == 0 {
		return nil
	}
	m := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// Problems of reading a file (issue 13).
const (
	// ProblemRowCut: Args row, line: the file ends in the middle of row
	// (a character cut in half, or fewer cells than the header and no line
	// break after them): the file was cut short, and that row was not used.
	ProblemRowCut = "row_cut"
	// ProblemEncoding: Args count, encoding: count bytes of the file are not
	// valid in the encoding the rest of it is written in; each was read as
	// "�" and the file read in that encoding.
	ProblemEncoding = "bad_bytes"
)

// Problems of unseen files: dates, workbooks of several sheets, numbers
// a spreadsheet program changed.
const (
	// ProblemDateSerial: Args value, date: a number in a date column read as
	// the Excel date serial it is (43864 is 2020-02-03; a fraction is the
	// time of day), as a sheet saved without its date format holds it.
	ProblemDateSerial = "date_serial"
	// ProblemDateYear: Args value, date, year: a date written without its
	// year ("2月3日", "2.3", "2/3": month first, as in China) read in year,
	// the year of the sheet's other dates.
	ProblemDateYear = "date_year"
	// ProblemDateNoYear: Args value: a date written without its year, and
	// no other date of the sheet says one; kept as written.
	ProblemDateNoYear = "date_no_year"
	// ProblemDateKept: Args column, value: a cell of a date column that is
	// no date ("下周", "尽快"); kept as written.
	ProblemDateKept = "date_kept"
	// ProblemDateZone: Args column, cells, zone (DateZone), offset
	// ("UTC+8"): cells of a date column whose time of day names no time
	// zone ("2020-02-03 14:30", an Excel serial with a fraction): the time
	// is kept as written and taken as China time, the zone a 2020 Wuhan
	// file means. Row 0, once per column.
	ProblemDateZone = "date_zone"
	// ProblemPhoneScientific: Args value: a phone number a spreadsheet
	// program turned into a number in scientific notation ("1.38E+10"):
	// its last digits are lost, so no number is made of it; kept as written,
	// for a person to ask for the number.
	ProblemPhoneScientific = "phone_scientific"
	// ProblemSheetEmpty, ProblemSheetText, ProblemSheetPivot and
	// ProblemSheetNoColumns: Args sheet: a sheet of a workbook that holds
	// no demands or offers, not imported: an empty sheet; text (notes,
	// instructions) rather than a table; a pivot table; a table whose
	// columns name no organisation, supplies or contacts while another
	// sheet's do. Row 0, Sheet set.
	ProblemSheetEmpty     = "sheet_empty"
	ProblemSheetText      = "sheet_text"
	ProblemSheetPivot     = "sheet_pivot"
	ProblemSheetNoColumns = "sheet_no_columns"
	// ProblemSheetHidden: Args sheet: a sheet hidden in the workbook (a
	// template's drop-down lists, a sheet put out of sight) that is not
	// empty; not imported. Row 0, Sheet set.
	ProblemSheetHidden = "sheet_hidden"
	// ProblemSheetAsOrg: Args sheet, rows: no column names the requester,
	// so the sheet's name (one sheet per hospital) is taken as the
	// organisation of its rows. Row 0, Sheet set.
	ProblemSheetAsOrg = "sheet_as_org"
	// ProblemSheetAsDistrict: Args sheet, rows: no column names the
	// district, and the sheet's name is one (one sheet per district): it is
	// taken as the district of its rows. Row 0, Sheet set.
	ProblemSheetAsDistrict = "sheet_as_district"
	// ProblemBadBytesCell: Args column, value, encoding: a cell holding
	// bytes not valid in the file's encoding (each read as "�"); the cell
	// is kept as read. Beside ProblemEncoding, once per such cell.
	ProblemBadBytesCell = "bad_bytes_cell"
	// ProblemFormulaNoValue: Args column, formula: a workbook cell holding
	// a formula saved without its value (written by a program that does not
	// compute formulas): read as empty. Opening the file in Excel or WPS and
	// saving it again saves the values.
	ProblemFormulaNoValue = "formula_no_value"

	// ProblemKindNoDemandShape: Args kind, rows: no column holds supplies or
	// an address to deliver to, so each row is read as an offer (the kind
	// the import screen shows, SuggestMapping's). Row 0.
	ProblemKindNoDemandShape = "kind_no_demand_shape"
	// ProblemKindOfferWords: Args kind, rows: the headers name what is
	// offered (supplier, capacity, hotel, logistics …), so each row is read
	// as an offer. Row 0.
	ProblemKindOfferWords = "kind_offer_words"
	// ProblemDuplicateRow: Args row, first: the row repeats row first of
	// the same table cell for cell, a supply line of a requester already
	// read; its need is not counted a second time.
	ProblemDuplicateRow = "duplicate_row"
	// ProblemDuplicateRowKept: Args row, first: the row repeats row first
	// cell for cell, but as its own record (two households may ask for the
	// same); imported, to be checked by a reviewer.
	ProblemDuplicateRowKept = "duplicate_row_kept"
	// ProblemTagHeader: Args column, tag, tag_field, header_field,
	// followed ("header"): the HXL hashtag of a column is a generic one
	// (#meta, #description) and its human header names a field: the column
	// is read as the header says. Row 0.
	ProblemTagHeader = "tag_header"
	// ProblemTagOverHeader: as ProblemTagHeader, but both name a field, and
	// the column is read as the hashtag says (followed "tag"): a hashtag is
	// written on purpose, for tools. Row 0.
	ProblemTagOverHeader = "tag_over_header"
	// ProblemQuantityZero: Args name, value: a supply whose quantity is 0
	// or says it is met ("已满足", "够了"): the row needs none of it; the
	// cell is kept as written. A row left with no supply is still imported.
	ProblemQuantityZero = "quantity_zero"
	// ProblemNothingNeeded: Args columns (joined by "、"): every supply
	// column of a wide row (one column per supply) says 0: the row is
	// imported without supplies.
	ProblemNothingNeeded = "nothing_needed"
	// ProblemRowsGone: Args count, codes: demands imported before from a
	// file of this layout that the newer file no longer has (see GoneRows);
	// nothing is written for them. Row 0.
	ProblemRowsGone = "rows_gone"
	// ProblemOfferRepeatsRow: Args row, first, code, supplier, reason: the
	// row is the same offer as row first of this import (see
	// ProblemOfferPresent); not imported a second time.
	ProblemOfferRepeatsRow = "offer_repeats_row"
	// ProblemOfferRepeatsFileRow: Args row, first, first_file, code,
	// supplier, reason: as ProblemOfferRepeatsRow, the row it repeats being
	// row first of another file of this import, first_file.
	ProblemOfferRepeatsFileRow = "offer_repeats_file_row"
	// ProblemSameRowTwiceFile: Args row, first, first_file: as
	// ProblemSameRowTwice, row first being of another file of this
	// import, first_file.
	ProblemSameRowTwiceFile = "same_row_twice_file"
	// ProblemSameRowTwice: Args row, first: the row is the same record as
	// row first of this import (same requester, place and title); not
	// written a second time.
	ProblemSameRowTwice = "same_row_twice"
	// ProblemTextPhoneShared: Args count, numbers, rows: count rows of the
	// import share numbers phone numbers found only in their text (a
	// remark, another kept cell) beside contacts of their own, and no
	// row's own contact: most likely a hotline or a coordinator's number.
	// Such a number matches only another demand's own number
	// (relief.ContactRoleInText), so these rows are not flagged as
	// duplicates of each other for it. rows are the first ten rows,
	// joined by ", " ("…" after them). The numbers are not named (they are
	// sealed with the contacts). Row 0.
	ProblemTextPhoneShared = "text_phone_shared"
)

// Problems of session 13's importer fixes. A list of rows is in Args
// "rows" (English, "2, 3, 4") and "rows_zh" (Chinese, "2、3、4"): rowLists.
const (
	// ProblemLastRowMayBeCut: Args row, line: every line of a CSV file
	// ends in a line break but the last, as a copy cut short in the middle
	// of an unquoted cell leaves it, and as some programs write a whole
	// file: the two cannot be told apart (a text cell cut between two
	// characters shows no sign), and the words say so. row was imported as read, and a phone
	// number at the end of its last cell, when that cell is text (a remark,
	// a column kept as written), was kept as written (it may be cut), not
	// made a contact; a contact column's number is read as the column
	// says. Rejected false.
	ProblemLastRowMayBeCut = "last_row_may_be_cut"
	// ProblemServiceLine: Args number, column, count, total, rows,
	// rows_zh: a short number (at most ServiceLineDigits digits: 12345,
	// 120) given in the phone column of count of the table's total rows: a
	// service line, not a person's number. It is kept with each row's
	// contacts, marked (relief.ContactRoleServiceLine), and finds no
	// duplicates. Row 0, once per table and number.
	ProblemServiceLine = "service_line"
	// ProblemSharedPhoneColumn: Args column, count, total, rows, rows_zh:
	// one number given as the phone of count of the table's total rows
	// (more than half, and 3 or more): a service line or a coordinator's,
	// not each row's own. Kept, marked as ProblemServiceLine's, not used
	// to find duplicates; the number is not named (it is sealed with the
	// contacts). Row 0, once per table and number.
	ProblemSharedPhoneColumn = "shared_phone_column"
	// ProblemTextPhoneHeld: Args count, rows, rows_zh, held, demands: rows
	// of the import write in their text (a remark …) a number that held
	// demands present (imported before session 12, or typed in) have as
	// their own phone; these rows are flagged as their possible
	// duplicates for it. demands names the first five ("D-ABC123 甲医院",
	// joined by ", "). The number is not named. Row 0.
	ProblemTextPhoneHeld = "text_phone_held"
)

// Problems of session 14's importer fixes (wt-gaps5).
const (
	// ProblemPlaceDisagrees: Args cells (the row's province, city and
	// district cells as written, joined by " "), place (the division they
	// name, in full: "湖北省武汉市江汉区"), address (as imported, its
	// contacts sealed), address_place (the division the address names):
	// the address names a place the row's own cells do not lie in; the
	// place is taken from the cells (region.ResolveRow), to be checked.
	ProblemPlaceDisagrees = "place_disagrees"
	// ProblemMergedOwnRecord: Args row, first, column, value, columns,
	// columns_zh: row takes its organisation value from the merged cell of
	// column that starts on row first, but fills its own columns (district,
	// address, title: joined by ", ", and "、" in columns_zh), so it is
	// imported as a record of its own; a reviewer may merge the two.
	ProblemMergedOwnRecord = "merged_own_record"
	// ProblemPlaceCellsDisagree: Args cells (the row's province, city and
	// district cells as written, joined by " "), places (what each names,
	// in full, joined by "、"), place (the division taken, "" when none),
	// address, address_place (the address's division, "" when none),
	// basis and basis_zh (how the place was taken: by the cells the
	// address agrees with, the level the cells share, or not at all): the
	// row's own cells name places that exclude each other.
	ProblemPlaceCellsDisagree = "place_cells_disagree"
	// ProblemPlaceSharedName: Args cells (as for ProblemPlaceCellsDisagree),
	// places (the places a cell's name could be, in full, joined by "、":
	// 青山区 is one of 武汉 and one of 包头), place (the level they all share,
	// taken; "" when none), address, address_place (the address's place,
	// which lies in none of them), basis and basis_zh (how the place was
	// taken): the row's place is not taken from the address.
	ProblemPlaceSharedName = "place_shared_name"
	// ProblemMergedRowApart: Args row, first, column, value, columns,
	// columns_zh: as ProblemMergedOwnRecord, for a row that fills none of
	// the district, address and title columns (columns names those left
	// empty, "place"/"地点" when the sheet has none) yet is imported as a
	// record of its own, with no place of its own (a sheet of supplies in
	// one cell makes a record of each row); a reviewer may merge the two.
	ProblemMergedRowApart = "merged_row_apart"
)
