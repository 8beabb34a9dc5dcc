// Package importer reads relief data from the files volunteers actually have —
// CSV and XLSX sheets with Chinese or English headers, HXL-tagged tables, and
// the JSON of the 2020 wuhan2020 community sites — cleans it, and plans the
// demands and offers it makes (the desk writes them).
//
// Reading is pure and store-free: ReadFile (or ReadCSV, ReadXLSX, ReadJSON)
// turns a file into a Table or directly into Records, each with its file, row
// and a stable key, plus a list of Problems ("hospital_needs.csv row 12,
// contact: '138' is not a phone number"). Nothing is dropped silently: every
// value that could not be used is reported.
//
// Tables are mapped to record fields by a Mapping. SuggestMapping proposes one
// from header names (Chinese and English synonyms) and HXL hashtags; the caller
// may change it, and save it (it is JSON) keyed by the table's Signature, so the
// app remembers it for files of the same shape.
//
// Cleaning (see CleanContacts, CleanPhone, CleanDistrict, CleanStatus,
// ParseQuantity) handles what real sheets contain: numbers with +86, 86 or
// （+86） prefixes, spaces and full-width digits, names glued to numbers,
// several contacts in one cell, numbered labels ("联系人1 138…"); quantities
// written "5,000", "5万", "1.5万" or in Chinese numerals ("两千", "一万五");
// status notes in brackets after a supply ("防护服（已安排）", kept as its
// spec); districts with or without their suffix; hidden characters in status
// values; and the 2020 sheets' convention that a quantity of 1 only means
// "needed" (Options.OneMeansNeeded).
//
// Every cell lands somewhere. A column the mapping leaves to no field is
// reported with sample values (ProblemUnmappedColumn, UnmappedColumns) and
// its cells are kept with each record as written (Record.SourceFields, stored
// as the demand's or offer's source fields, team level), and so is a cell the
// fields hold only in part. A supplies cell is cut at the separators people
// type and at numbered-list markers; standard numbers (GB 19083-2010),
// models (3M 1860) and requirement prose are the spec of the supply they
// follow, never supplies or quantities; headers ("急需物资", "规格") are
// dropped and a cell of nothing else is reported (ProblemNoiseCell).
// Quantities written in text columns (progress, notes, a column without a
// header) become supplies marked as read from there (Record.ItemFrom,
// Record.TextItems), reported (ProblemTextQuantity) and tagged
// TagCheckQuantities for a reviewer; dates, times, money and phone numbers
// are never quantities. A column whose header counts staff, beds or people
// is no supply quantity.
//
// Files nobody has seen are read, or what could not be is told: every sheet
// of a workbook, those that are no table of demands or offers left out and
// told, a sheet's name lending its hospital or district to rows that name
// none; dates as Excel keeps them (date-formatted serials, serials saved
// without their format, dates without a year: see readDate) and deadlines;
// text in GB18030, Big5, UTF-8 (with or without a BOM) or UTF-16, each cell with
// bytes not valid in it told; JSON arrays, wrapped arrays, JSON Lines and
// HXL JSON; phones in scientific notation and formulas saved without their
// value, told and never guessed.
//
// Rows are numbered as a spreadsheet program shows them (Record.Row,
// Problem.Row), also in a CSV whose cells span lines; the line in the file is
// kept beside it where it differs (Record.Line, Problem.Line).
//
// The importer never touches the store. A Planner decides, record by record,
// what an import writes, from what an Existing (implemented by the desk on the
// store) says is present; desk.Desk.Import writes the planned changes in
// batches and tells the Planner what the store took. Record ids are derived
// from the network and each record's source key (the table's shape and the
// row's normalised organisation and address, not the file's name or
// encoding), so importing the same file again, renamed or re-encoded, creates
// nothing. A row whose values changed in the file since updates its demand as
// a signed change, unless the demand was edited in the app since: then
// nothing is written and the row is reported held. A record that probably
// duplicates a demand already present (same organisation once normalised, a
// shared phone number, or a nearly identical address) is never merged
// silently: it is stored tagged TagPossibleDuplicate, with a review note
// naming the likely original and what the record adds, and reported as a
// Duplicate. A reviewer answers the flag by merging (MergeOps: its additions
// go to the original, which it is then marked a duplicate of) or keeping it
// separate (KeepSeparateOps); the desk reads the demands and applies them.
package importer
