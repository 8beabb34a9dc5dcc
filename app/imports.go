package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/reliefmesh/reliefmesh/bulletin"
	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/internal/atomicfile"
	"github.com/reliefmesh/reliefmesh/relief"
)

// Limits of what Preview returns.
const (
	PreviewRows     = 20  // data rows and records shown
	PreviewProblems = 200 // problems listed (ProblemCount has them all)
)

// ImportFields are the targets a column can be mapped to, in the order the UI
// offers them; "" means the column is not imported.
var ImportFields = []string{
	string(importer.FieldIgnore), string(importer.FieldOrg), string(importer.FieldProvince), string(importer.FieldCity),
	string(importer.FieldDistrict), string(importer.FieldRegion), string(importer.FieldAddress), string(importer.FieldItems),
	string(importer.FieldItem), string(importer.FieldQuantity), string(importer.FieldUnit), string(importer.FieldSpec),
	string(importer.FieldSupply), string(importer.FieldContacts), string(importer.FieldNotes), string(importer.FieldURL),
	string(importer.FieldStatus), string(importer.FieldDate), string(importer.FieldDeadline), string(importer.FieldCategory),
	string(importer.FieldTitle), string(importer.FieldUrgency), string(importer.FieldReceived),
	string(importer.FieldContactName), string(importer.FieldContactPhone), string(importer.FieldSourceFields),
}

// ImportColumn is one column of an ImportMapping: its position, its header
// and HXL hashtag as read, and the field it is imported as ("" to skip it).
type ImportColumn struct {
	Index  int    `json:"index"`
	Header string `json:"header"`
	Tag    string `json:"tag"`
	Field  string `json:"field"`
}

// ImportMapping says which field each column holds and whether the rows are
// demands or offers. Signature names the table shape it was made for.
type ImportMapping struct {
	Signature string         `json:"signature"`
	Kind      string         `json:"kind"` // demand or offer
	Columns   []ImportColumn `json:"columns"`
}

// ImportProblem is a row or value that could not be used as written. Row is
// 1-based, 0 for the whole file (or, with Sheet, the whole sheet); Rejected
// is true when the row was not imported.
type ImportProblem struct {
	File string `json:"file"`
	// Sheet is the workbook's sheet the problem is on; "" for a CSV or
	// JSON file.
	Sheet    string `json:"sheet"`
	Row      int    `json:"row"`
	Field    string `json:"field"`
	Value    string `json:"value"`
	Message  string `json:"message"` // English, from the importer
	Rejected bool   `json:"rejected"`
	// Code is one of importer's Problem* codes ("bad_phone", "not_in_catalog"
	// …) and Args the values its message names, for the UI to translate.
	Code string            `json:"code"`
	Args map[string]string `json:"args"`
}

// PreviewRow is one data row as read: its row number (Row: as a spreadsheet
// program numbers it, the number the problems and records name), the line of
// the file where it starts (Line: differs from Row after a cell that spans
// lines) and one cell per column of the mapping.
type PreviewRow struct {
	Row   int      `json:"row"`
	Line  int      `json:"line"`
	Cells []string `json:"cells"`
}

// RecordPreview is one record as the mapping reads it, before anything is
// written. Items and Contacts are one line each ("N95口罩 5000 只").
type RecordPreview struct {
	Row      int      `json:"row"`
	Kind     string   `json:"kind"`
	Org      string   `json:"org"`
	District string   `json:"district"`
	Address  string   `json:"address"`
	Category string   `json:"category"`
	Items    []string `json:"items"`
	Contacts []string `json:"contacts"`
	Status   string   `json:"status"`
	// Place is the row's place as resolved ("湖北省 荆门市 钟祥市", or the
	// names as written for another country); "" when it names none.
	Place string `json:"place,omitempty"`
}

// ImportPreview is what a file holds and how it would be imported.
type ImportPreview struct {
	Path        string          `json:"path"`
	File        string          `json:"file"`     // base name, as messages name it
	Format      string          `json:"format"`   // csv, hxl (CSV with a hashtag row), xlsx or json
	Encoding    string          `json:"encoding"` // utf-8, utf-8 (BOM), gb18030, windows-1252, utf-16; "" for xlsx and json
	Sheet       string          `json:"sheet"`    // the XLSX sheet shown
	Sheets      []string        `json:"sheets"`   // every sheet of a workbook (the others use their own mapping)
	HeaderRow   int             `json:"headerRow"`
	Mapping     ImportMapping   `json:"mapping"`
	Remembered  bool            `json:"remembered"` // Mapping is the one last confirmed for this shape
	Fields      []string        `json:"fields"`     // the allowed targets of a column
	Rows        []PreviewRow    `json:"rows"`       // the first PreviewRows data rows
	RowCount    int             `json:"rowCount"`
	Records     []RecordPreview `json:"records"` // the first PreviewRows records
	RecordCount int             `json:"recordCount"`
	Demands     int             `json:"demands"` // records read as demands
	Offers      int             `json:"offers"`  // records read as offers
	// Whole counts what Run writes: every sheet with data of the file, not
	// only the one shown (desk.ImportPreview.Whole).
	Whole        ImportCountsView `json:"whole"`
	Problems     []ImportProblem  `json:"problems"`
	ProblemCount int              `json:"problemCount"`
	// Unmapped lists the columns the mapping leaves to no field (their
	// cells are kept with each record as written), each with up to 3 sample
	// values, so the user can map them before importing.
	Unmapped []UnmappedColumnView `json:"unmapped"`
}

// UnmappedColumnView is a column no field holds (importer.UnmappedColumn):
// its position, its name (header, HXL tag or letter), its count of
// non-empty cells and up to 3 sample values.
type UnmappedColumnView struct {
	Index   int      `json:"index"`
	Column  string   `json:"column"`
	Cells   int      `json:"cells"`
	Samples []string `json:"samples"`
}

// DuplicateView is a record stored as a probable duplicate, for a reviewer:
// ID and Code name the flagged demand, Original and OriginalCode the demand
// it probably repeats.
type DuplicateView struct {
	File         string   `json:"file"`
	Row          int      `json:"row"`
	Org          string   `json:"org"`
	ID           string   `json:"id"`
	Code         string   `json:"code"`
	Original     string   `json:"original"`
	OriginalCode string   `json:"originalCode"`
	OriginalOrg  string   `json:"originalOrg"`
	Reasons      []string `json:"reasons"`
	AddsContacts int      `json:"addsContacts"` // contacts the original lacks
	AddsItems    []string `json:"addsItems"`    // supplies the original does not name
}

// UpdateView is a row imported before whose values differ from its demand's
// or offer's. Fields are the fields that differ (a demand's title,
// requester_org, district, address, description, items, contacts; an offer's
// items, contacts, region, notes). Held is true when nothing was written
// because Edited were changed in the app since the import, or Edited holds
// "status" because the demand is closed.
type UpdateView struct {
	Kind   string   `json:"kind"` // demand or offer
	File   string   `json:"file"`
	Row    int      `json:"row"`
	Org    string   `json:"org"`
	ID     string   `json:"id"`
	Code   string   `json:"code"`
	Fields []string `json:"fields"`
	Held   bool     `json:"held"`
	Edited []string `json:"edited"`
	// Sealed are fields the file sets whose stored values are sealed and
	// this device cannot open: not compared, not written.
	Sealed []string `json:"sealed"`
}

// ImportReport says what an import did.
type ImportReport struct {
	Path       string          `json:"path"`
	File       string          `json:"file"`
	Records    int             `json:"records"`  // records read from the file
	Created    int             `json:"created"`  // new demands and offers
	Updated    int             `json:"updated"`  // rows imported before whose changed values were written
	Held       int             `json:"held"`     // rows that differ from values edited in the app: nothing written
	Skipped    int             `json:"skipped"`  // already present and unchanged: nothing written
	Flagged    int             `json:"flagged"`  // stored tagged possible_duplicate; see Duplicates
	Rejected   int             `json:"rejected"` // rows not imported (the reader's and the store's refusals)
	Cut        int             `json:"cut"`      // rows imported with a value cut to the limits (problems "cut", "items_cut", "contacts_cut")
	IDs        []string        `json:"ids"`
	Duplicates []DuplicateView `json:"duplicates"`
	Updates    []UpdateView    `json:"updates"`  // updated and held rows
	Problems   []ImportProblem `json:"problems"` // every problem of reading and writing
}

// ExportResult says where a bulletin was written.
type ExportResult struct {
	Path        string `json:"path"`
	Format      string `json:"format"`
	Level       string `json:"level"`       // public, team or restricted
	Demands     int    `json:"demands"`     // demands in the bulletin
	Unpublished int    `json:"unpublished"` // demands left out because they are not published yet (collected or approved)
	Canceled    bool   `json:"canceled"`    // the user closed the file dialog
	// SigPath is the signature written beside the bulletin (Path + ".sig",
	// desk.Desk.SignBulletin), for receivers to check with `reliefmesh-hub
	// verify`; "" when it was not signed, and then SignProblem is the error
	// code saying why (signProblem: not_allowed, this device is not a member
	// yet; revoked; unverifiable; storage, the file not written; other).
	SigPath     string `json:"sigPath"`
	SignProblem string `json:"signProblem"`
}

// BulletinCount says how many demands a bulletin would hold now: Demands
// (published or in progress) and Unpublished (collected or approved, so left
// out until a reviewer publishes them). Closed demands are in neither.
type BulletinCount struct {
	Demands     int `json:"demands"`
	Unpublished int `json:"unpublished"`
}

// BulletinCount returns how many demands a bulletin would hold now and how
// many are left out as not yet published, so the screen can say why a
// bulletin would be empty before it is written. Errors: CodeNoNetwork,
// CodeStorage.
func (s *ImportService) BulletinCount() (BulletinCount, error) {
	dk, err := s.a.desk()
	if err != nil {
		return BulletinCount{}, err
	}
	c := dk.BulletinCount()
	return BulletinCount{Demands: c.Demands, Unpublished: c.Unpublished}, nil
}

// ImportService reads relief lists (CSV, XLSX, HXL, wuhan2020 JSON) into the
// store and writes the public bulletin, on the same code as the hub's
// import and export commands.
type ImportService struct {
	a  *App
	mu sync.Mutex // one import at a time
}

// Startup is called by Wails when the window opens.
func (s *ImportService) Startup(ctx context.Context) {}

// Shutdown is called by Wails when the window closes.
func (s *ImportService) Shutdown() {}

// PickFile asks for a file to import (a file dialog); "" when canceled.
func (s *ImportService) PickFile() (string, error) {
	path, err := runtime.OpenFileDialog(s.a.ctx, runtime.OpenDialogOptions{Filters: []runtime.FileFilter{
		{DisplayName: "Relief lists (*.csv, *.xlsx, *.json, *.tsv, *.txt)", Pattern: "*.csv;*.xlsx;*.json;*.tsv;*.txt"},
		{DisplayName: "All files", Pattern: "*"},
	}})
	if err != nil {
		return "", nil
	}
	return path, nil
}

// Preview reads the file at path and says how it would be imported: with the
// mapping last confirmed for tables of its shape, or else the suggested one.
// Nothing is written. Errors: CodeRequired or CodeImport naming "path" (the
// message names the file and the place when it cannot be read).
func (s *ImportService) Preview(path string) (ImportPreview, error) {
	return s.preview(path, nil)
}

// PreviewMapping is Preview with the mapping given (as the user changed it).
// Errors: those of Preview; CodeInvalid naming "mapping" when a field or the
// kind is unknown.
func (s *ImportService) PreviewMapping(path string, mapping ImportMapping) (ImportPreview, error) {
	m, err := toMapping(mapping)
	if err != nil {
		return ImportPreview{}, err
	}
	return s.preview(path, &m)
}

func (s *ImportService) preview(path string, given *importer.Mapping) (ImportPreview, error) {
	dk, err := s.a.desk()
	if err != nil {
		return ImportPreview{}, err
	}
	pv, err := dk.PreviewFile(path, given)
	if err != nil {
		return ImportPreview{}, err
	}
	t, m := pv.Table, pv.Mapping
	p := ImportPreview{Path: path, File: t.File, Format: pv.Format, Encoding: pv.Encoding, Sheet: t.Sheet,
		HeaderRow: t.HeaderRow, Fields: ImportFields, RowCount: len(t.Rows), Sheets: pv.Sheets, Remembered: pv.Remembered,
		Mapping: fromMapping(m), RecordCount: len(pv.Records), Demands: pv.Demands, Offers: pv.Offers,
		Whole:        ImportCountsView{Sheets: pv.Whole.Sheets, Rows: pv.Whole.Rows, Records: pv.Whole.Records, Demands: pv.Whole.Demands, Offers: pv.Whole.Offers},
		ProblemCount: len(pv.Problems), Problems: problemViews(pv.Problems[:min(len(pv.Problems), PreviewProblems)]),
		Rows: []PreviewRow{}, Records: []RecordPreview{}, Unmapped: []UnmappedColumnView{}}
	for _, u := range importer.UnmappedColumns(t, m) {
		p.Unmapped = append(p.Unmapped, UnmappedColumnView{Index: u.Index, Column: u.Column, Cells: u.Cells, Samples: append([]string{}, u.Samples...)})
	}
	for _, r := range t.Rows[:min(len(t.Rows), PreviewRows)] {
		cells := make([]string, len(m.Columns))
		for i, c := range m.Columns {
			if c.Index < len(r.Cells) {
				cells[i] = r.Cells[c.Index]
			}
		}
		p.Rows = append(p.Rows, PreviewRow{Row: r.Num, Line: r.Line, Cells: cells})
	}
	for _, r := range pv.Records[:min(len(pv.Records), PreviewRows)] {
		p.Records = append(p.Records, recordPreview(r))
	}
	return p, nil
}

// ImportCountsView counts a file's sheets with data, their rows, and the
// records read from them, demands and offers (desk.ImportCounts).
type ImportCountsView struct {
	Sheets  int `json:"sheets"`
	Rows    int `json:"rows"`
	Records int `json:"records"`
	Demands int `json:"demands"`
	Offers  int `json:"offers"`
}

// Run imports the file at path with mapping (as Preview returned it or the
// user changed it), reporting progress as EventImportProgress {done, total},
// and remembers the mapping for files of the same shape. Importing the same
// file again creates nothing, even renamed or re-encoded; rows whose values
// changed update their demand (Updated), unless the demand was edited in the
// app since (Held: nothing written); probable duplicates of demands already present
// are stored tagged for review and listed in Duplicates. Errors: CodeRequired
// or CodeImport naming "path"; CodeInvalid naming "mapping"; CodeNoNetwork;
// CodeStorage.
func (s *ImportService) Run(path string, mapping ImportMapping) (ImportReport, error) {
	m, err := toMapping(mapping)
	if err != nil {
		return ImportReport{}, err
	}
	dk, err := s.a.desk()
	if err != nil {
		return ImportReport{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.a.mu.Lock()
	ctx := s.a.ctx
	s.a.mu.Unlock()
	if ctx == nil {
		ctx = context.Background()
	}
	// progress goes through the store's bus and the forwarder, flushed
	// before the report returns
	fi, err := dk.ImportFile(ctx, path, m, nil)
	s.a.flushEvents()
	if err != nil {
		return ImportReport{}, err
	}
	if fi.MappingErr != nil {
		s.a.log.Warn("remember import mapping", "signature", m.Signature, "err", fi.MappingErr)
	}
	rep := fi.Report
	out := ImportReport{Path: path, File: filepath.Base(path), Records: fi.Records, Created: rep.Created, Updated: rep.Updated,
		Held: rep.Held, Skipped: rep.Skipped, Updates: []UpdateView{}, Cut: rep.Cut,
		Flagged: rep.Flagged, Rejected: rep.Rejected, IDs: rep.IDs, Problems: problemViews(rep.Problems)}
	if out.IDs == nil {
		out.IDs = []string{}
	}
	for _, u := range rep.Updates {
		v := UpdateView{Kind: u.Kind, File: u.File, Row: u.Row, Org: u.Org, ID: u.ID, Code: u.Code, Fields: u.Fields, Held: u.Held, Edited: u.Edited, Sealed: u.Sealed}
		if v.Edited == nil {
			v.Edited = []string{}
		}
		if v.Sealed == nil {
			v.Sealed = []string{}
		}
		out.Updates = append(out.Updates, v)
	}
	out.Duplicates = []DuplicateView{}
	for _, d := range rep.Duplicates {
		v := DuplicateView{File: d.File, Row: d.Row, Org: d.Org, ID: d.ID, Code: relief.Code(relief.KindDemand, d.ID),
			Original: d.Original, OriginalCode: d.OriginalCode, OriginalOrg: d.OriginalOrg, Reasons: d.Reasons,
			AddsContacts: len(d.Adds.Contacts), AddsItems: []string{}}
		if v.Reasons == nil {
			v.Reasons = []string{}
		}
		for _, it := range d.Adds.Items {
			v.AddsItems = append(v.AddsItems, itemLine(it))
		}
		out.Duplicates = append(out.Duplicates, v)
	}
	return out, nil
}

// ExportPublic asks where to save (a file dialog) and writes the public
// bulletin there in format: csv, xlsx, hxl, json or text (in the UI's
// language). Errors: those of ExportPublicTo.
func (s *ImportService) ExportPublic(format string) (ExportResult, error) {
	return s.Export(format, relief.LevelPublic.String())
}

// Export asks where to save (a file dialog) and writes the bulletin there in
// format at level: public, or team or restricted when the user asks for it
// explicitly. Errors: those of ExportTo.
func (s *ImportService) Export(format, level string) (ExportResult, error) {
	lvl, err := exportArgs(format, level)
	if err != nil {
		return ExportResult{}, err
	}
	level = lvl.String()
	if levels, err := s.ExportLevels(); err != nil {
		return ExportResult{}, err
	} else if !slices.Contains(levels, level) { // refuse before the file dialog; ExportTo checks again
		return ExportResult{}, &Error{Code: CodeNotAllowed, Field: "level", Message: "this member is not cleared for a " + level + " bulletin"}
	}
	ext := format
	switch format {
	case "hxl":
		ext = "hxl.csv"
	case "text":
		ext = "txt"
	}
	name := fmt.Sprintf("reliefmesh-bulletin-%s.%s", time.Now().In(relief.IncidentZone).Format("20060102-1504"), ext)
	if level != relief.LevelPublic.String() {
		name = fmt.Sprintf("reliefmesh-%s-%s.%s", level, time.Now().In(relief.IncidentZone).Format("20060102-1504"), ext)
	}
	path, err := runtime.SaveFileDialog(s.a.ctx, runtime.SaveDialogOptions{DefaultFilename: name,
		Filters: []runtime.FileFilter{{DisplayName: strings.ToUpper(format) + " (*." + ext + ")", Pattern: "*." + ext}}})
	if err != nil || path == "" {
		return ExportResult{Format: format, Level: level, Canceled: true}, nil
	}
	return s.ExportTo(path, format, level)
}

// ExportLevels returns the bulletin levels this device's member may export
// (desk.Desk.BulletinLevels), lowest first: always "public"; "team" for an
// active member; "restricted" for an active coordinator or reviewer. A
// volunteer who owns every exported demand would also be cleared for
// restricted by ExportTo, but the picker does not offer it.
func (s *ImportService) ExportLevels() ([]string, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range dk.BulletinLevels() {
		out = append(out, l.String())
	}
	return out, nil
}

// ExportPublicTo writes the public bulletin to path (replacing it): published
// and in-progress demands, public fields only, phone numbers masked.
// Errors: those of ExportTo.
func (s *ImportService) ExportPublicTo(path, format string) (ExportResult, error) {
	return s.ExportTo(path, format, relief.LevelPublic.String())
}

// ExportTo writes the bulletin of published and in-progress demands to path
// (replacing it) in format at level. Public holds public fields only; team
// adds addresses and needs this device to be a member; restricted adds
// contacts and needs a coordinator or a reviewer. The text format is in the
// UI's language. Errors: CodeInvalid naming "format" or "level";
// CodeNotAllowed when this device's member may not see level; CodeStorage
// naming "path".
func (s *ImportService) ExportTo(path, format, level string) (ExportResult, error) {
	return s.ExportToWith(path, format, level, false)
}

// ExportWith is Export with the choice to include the demands not yet
// published (collected or approved), as the hub's --include-unpublished
// does: a bulletin of a practice network, or one the user asks for knowing
// it holds unreviewed demands. Errors: those of ExportToWith.
func (s *ImportService) ExportWith(format, level string, includeUnpublished bool) (ExportResult, error) {
	if !includeUnpublished {
		return s.Export(format, level)
	}
	lvl, err := exportArgs(format, level)
	if err != nil {
		return ExportResult{}, err
	}
	ext := format
	switch format {
	case "hxl":
		ext = "hxl.csv"
	case "text":
		ext = "txt"
	}
	name := fmt.Sprintf("reliefmesh-all-%s-%s.%s", lvl, time.Now().In(relief.IncidentZone).Format("20060102-1504"), ext)
	path, err := runtime.SaveFileDialog(s.a.ctx, runtime.SaveDialogOptions{DefaultFilename: name,
		Filters: []runtime.FileFilter{{DisplayName: strings.ToUpper(format) + " (*." + ext + ")", Pattern: "*." + ext}}})
	if err != nil || path == "" {
		return ExportResult{Format: format, Level: lvl.String(), Canceled: true}, nil
	}
	return s.ExportToWith(path, format, lvl.String(), true)
}

// ExportToWith is ExportTo with the choice to include the demands not yet
// published (see ExportWith). Besides the bulletin it writes its signature,
// path + ".sig" (desk.Desk.SignBulletin), when this device is a member
// that may sign; else the result's SignProblem says why it did not.
// Errors: those of ExportTo.
func (s *ImportService) ExportToWith(path, format, level string, includeUnpublished bool) (ExportResult, error) {
	if _, err := exportArgs(format, level); err != nil {
		return ExportResult{}, err
	}
	dk, err := s.a.desk()
	if err != nil {
		return ExportResult{}, err
	}
	lang := s.a.Settings.Locale()
	if !slices.Contains(bulletin.Langs, lang) {
		lang = bulletin.Langs[0]
	}
	sigName := ""
	if me, ok := dk.Me(); ok && !me.Revoked {
		sigName = filepath.Base(path) + bulletin.SigExt
	}
	now := time.Now()
	var buf bytes.Buffer // checked in full (level, clearance) before the file is touched
	b, err := dk.WriteBulletin(&buf, desk.BulletinRequest{Format: format, Level: level, Lang: lang, IncludeUnpublished: includeUnpublished,
		Now: now, SigName: sigName})
	if err != nil {
		return ExportResult{}, asError(err)
	}
	lvl, _ := desk.ParseLevel(level)
	mode := os.FileMode(0o644)
	if lvl != relief.LevelPublic { // members' names, requesters' phones: this user's only
		mode = 0o600
	}
	if err := atomicfile.WriteBytes(path, buf.Bytes(), mode); err != nil {
		return ExportResult{}, writeError(path, err)
	}
	res := ExportResult{Path: path, Format: format, Level: lvl.String(), Demands: len(b.Demands), Unpublished: b.Unpublished}
	sigPath := path + bulletin.SigExt
	sig, err := dk.SignBulletin(buf.Bytes(), filepath.Base(path), now)
	var werr error
	if err == nil {
		werr = atomicfile.WriteBytes(sigPath, sig, 0o644)
	}
	if err != nil || werr != nil {
		os.Remove(sigPath) // never leave an older signature beside the new file
		res.SignProblem = signProblem(err, werr)
		return res, nil
	}
	res.SigPath = sigPath
	return res, nil
}

// signProblem is ExportResult.SignProblem for the error of signing a
// bulletin (signErr, from desk.Desk.SignBulletin) or of writing its
// signature file (writeErr): storage only when the file could not be
// written; unverifiable when the signature would not verify with what this
// device holds (desk.ReasonUnverifiable: sync first); the desk's code for
// not_allowed and revoked; other for any other failure to sign.
func signProblem(signErr, writeErr error) string {
	if signErr == nil {
		if writeErr != nil {
			return CodeStorage
		}
		return ""
	}
	var de *desk.Error
	if !errors.As(signErr, &de) {
		return "other"
	}
	switch {
	case de.Code == desk.CodeStorage && de.Args["reason"] == desk.ReasonUnverifiable:
		return desk.ReasonUnverifiable
	case de.Code == desk.CodeStorage:
		return "other"
	}
	return de.Code
}

// exportArgs checks a bulletin's format and level (desk.ParseLevel: "" is
// public) before a file dialog opens. Errors: CodeInvalid naming "format"
// or "level".
func exportArgs(format, level string) (relief.Level, error) {
	if !slices.Contains(bulletin.Formats, format) {
		return 0, fieldError(CodeInvalid, "format", "%q is not one of %v", format, bulletin.Formats)
	}
	return desk.ParseLevel(level)
}

// toMapping converts a mapping from the UI and checks it
// (desk.CheckMapping). Errors: CodeInvalid naming "mapping".
func toMapping(in ImportMapping) (importer.Mapping, error) {
	m := importer.Mapping{Signature: in.Signature, Kind: in.Kind}
	for _, c := range in.Columns {
		m.Columns = append(m.Columns, importer.Column{Index: c.Index, Header: c.Header, Tag: c.Tag, Field: importer.Field(c.Field)})
	}
	return desk.CheckMapping(m)
}

func fromMapping(m importer.Mapping) ImportMapping {
	out := ImportMapping{Signature: m.Signature, Kind: m.Kind, Columns: []ImportColumn{}}
	if out.Kind == "" {
		out.Kind = relief.KindDemand
	}
	for _, c := range m.Columns {
		out.Columns = append(out.Columns, ImportColumn{Index: c.Index, Header: c.Header, Tag: c.Tag, Field: string(c.Field)})
	}
	return out
}

func problemViews(ps []importer.Problem) []ImportProblem {
	out := make([]ImportProblem, 0, len(ps))
	for _, p := range ps {
		a := p.Args
		if a == nil {
			a = map[string]string{}
		}
		out = append(out, ImportProblem{File: p.File, Sheet: p.Sheet, Row: p.Row, Field: p.Field, Value: p.Value, Message: p.Msg, Rejected: p.Rejected,
			Code: p.Code, Args: a})
	}
	return out
}

func recordPreview(r importer.Record) RecordPreview {
	v := RecordPreview{Row: r.Row, Kind: r.Kind, Org: r.Org, District: r.District, Address: r.Address, Category: r.Category,
		Status: r.Status, Items: []string{}, Contacts: []string{}}
	if v.District == "" {
		v.District = r.Region
	}
	v.Place = strings.Join(r.Place.Path(), " ")
	for _, it := range r.Items {
		v.Items = append(v.Items, itemLine(it))
	}
	for _, c := range r.Contacts {
		v.Contacts = append(v.Contacts, strings.TrimSpace(strings.Join(slices.DeleteFunc([]string{c.Role, c.Name, c.Phone},
			func(s string) bool { return s == "" }), " ")))
	}
	return v
}

// itemLine writes a supply line as "N95口罩 (医用) 5000 只"; without a
// quantity, just the name.
func itemLine(it relief.Item) string {
	s := it.Name
	if it.Spec != "" {
		s += " (" + it.Spec + ")"
	}
	if it.Needed != nil {
		s += " " + strconv.FormatFloat(*it.Needed, 'f', -1, 64)
		if it.Unit != "" {
			s += " " + it.Unit
		}
	}
	return s
}

// UndoPlan says what undoing an import does (desk.UndoImportPlan): the
// records withdrawn, and those kept with why.
type UndoPlan = desk.UndoImportPlan

// PlanUndo lists what Undo(ids, updated) would withdraw and keep, and
// writes nothing (desk.Desk.PlanUndoImport); ids are an import report's IDs,
// updated the IDs of its updates not held (records the import updated
// rather than created: kept, told as such). Errors: CodeStorage.
func (s *ImportService) PlanUndo(ids, updated []string) (UndoPlan, error) {
	dk, err := s.a.desk()
	if err != nil {
		return UndoPlan{}, err
	}
	return dk.PlanUndoImport(ids, updated)
}

// Undo withdraws, as one signed change, the records an import created (its
// report's IDs less updated, as for PlanUndo) that nobody acted on or
// changed since, and returns what it did (desk.Desk.UndoImport). Errors:
// CodeNoNetwork, CodeStorage.
func (s *ImportService) Undo(ids, updated []string) (UndoPlan, error) {
	dk, err := s.a.desk()
	if err != nil {
		return UndoPlan{}, err
	}
	return dk.UndoImport(ids, updated)
}

// writeError is the error of a bulletin that could not be written at path:
// CodeStorage naming "path", with Args reason (atomicfile.DirMissing,
// NotADir, DirNotWritable, DiskFull) and dir, the folder, when the folder
// or its disk refused it (the UI says error.storage_REASON), and never
// naming the temporary file.
func writeError(path string, err error) error {
	e := fieldError(CodeStorage, "path", "write bulletin %s: %v", path, err)
	var werr *atomicfile.Error
	if errors.As(err, &werr) && werr.Kind != "" {
		e.Message = werr.Error()
		return e.Because(werr.Kind, "dir", werr.Dir)
	}
	return e
}
