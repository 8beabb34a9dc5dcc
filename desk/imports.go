package desk

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// existing is importer.SimilarExisting on the store: the demand list (in
// memory) for the demands present, its duplicate-key view for the originals
// a record repeats, Badger for single records.
type existing struct {
	st *store.Store
	dk *Desk // for the phones of the sealed contacts this device opens (similarDemands)
}

var _ importer.SimilarExisting = existing{}

func (e existing) SimilarDemands(l relief.Likeness) []relief.SimilarDemand {
	return e.dk.similarDemands(l)
}

func (e existing) Demands() ([]relief.Demand, error) { return e.st.Demands(store.DemandQuery{}) }
func (e existing) Offers() ([]relief.Offer, error)   { return e.st.Offers() }

func (e existing) Demand(id string) (relief.Demand, bool) {
	d, err := e.st.Demand(id)
	return d, err == nil
}

func (e existing) HasOffer(id string) bool {
	_, err := e.st.Offer(id)
	return err == nil
}

// Record returns the record as the fold reads it — the writes FieldRules
// allow (relief.FoldDemandAllowed, FoldOfferAllowed), not a refused one —
// with the sealed values this device opens back in their plain fields
// (relief.Opener.OpenRecord), so that a re-import compares the contacts it
// would write with those that stand; the sealed values it cannot open stay
// sealed (the importer tells them apart: Update.Sealed).
func (e existing) Record(kind, id string) (*relief.Record, error) {
	rec, err := e.st.Record(kind, id)
	if err != nil {
		return nil, err
	}
	switch kind {
	case relief.KindDemand:
		_, rec = relief.FoldDemandAllowed(rec, e.st.Roster())
	case relief.KindOffer:
		_, rec = relief.FoldOfferAllowed(rec, e.st.Roster())
	}
	return e.st.Opener().OpenRecord(rec), nil
}

// Import writes records as demands and offers, by the importer's rules (see
// importer.Planner: idempotent, re-imported rows updated or held, probable
// duplicates stored tagged and reported, never merged), importer.BatchSize
// records per signed change, publishing its progress on the store's bus
// (store.EventImportProgress, never blocking: once before the first batch,
// after each batch, once at the end) and calling progress (if not nil) at
// the same points with the records done and the total. A batch the store refuses as invalid
// is retried record by record, so one bad record never stops the others; it
// is reported in Problems. The report is returned with every error, saying
// what was written. Errors: store.ErrNoNetwork; ctx's error when cancelled
// between batches (what was written stays, and a second run completes it);
// storage errors, and the store's refusals other than invalid records (a
// planner returns an import planner on what the store holds now. Errors:
// store.ErrNoNetwork; the planner's.
func (d *Desk) planner() (*importer.Planner, error) {
	net, ok := d.st.Network()
	if !ok {
		return nil, store.ErrNoNetwork
	}
	return importer.NewPlanner(net.ID, existing{st: d.st, dk: d})
}

// member who may not write), as the store returns them.
func (d *Desk) Import(ctx context.Context, records []importer.Record, progress func(done, total int)) (importer.Report, error) {
	pl, err := d.planner()
	if err != nil {
		return importer.Report{}, err
	}
	report := func(done int) {
		d.st.PublishImportProgress(store.ImportProgress{Done: done, Total: len(records)})
		if progress != nil {
			progress(done, len(records))
		}
	}
	report(0)
	var batch []importer.Pending
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		var ops []ledger.Op
		for _, p := range batch {
			ops = append(ops, p.Ops...)
		}
		if _, err := d.write(ops); err == nil {
			for _, p := range batch {
				pl.Written(p)
			}
		} else {
			if !errors.Is(err, relief.ErrInvalidOp) {
				return err
			}
			for _, p := range batch { // find the bad record(s)
				if _, err := d.write(p.Ops); err != nil {
					if !errors.Is(err, relief.ErrInvalidOp) {
						return err
					}
					pl.Refused(p, err)
					continue
				}
				pl.Written(p)
			}
		}
		batch = batch[:0]
		return nil
	}
	for i, r := range records {
		if i%importer.BatchSize == 0 && i > 0 {
			if err := flush(); err != nil {
				return pl.Report(), err
			}
			report(i)
			if err := ctx.Err(); err != nil {
				return pl.Report(), err
			}
		}
		if p, ok := pl.Plan(r); ok {
			batch = append(batch, p)
		}
	}
	if err := flush(); err != nil {
		return pl.Report(), err
	}
	report(len(records))
	return pl.Report(), nil
}

// PlanImport is Import without writing: a dry run. It plans every record
// with the importer's rules against the store as it is (importer.Planner) and
// returns what Import would do: the records it would create, update, hold,
// skip or flag (Report.IDs the ids it would write), as if each planned write
// were taken. Records the store would refuse when written (a member who may
// not write, a record invalid on the store's side) are not found by a dry
// run. Nothing is written. Errors: store.ErrNoNetwork; ctx's error, checked
// every importer.BatchSize records (with the report so far); storage errors.
func (d *Desk) PlanImport(ctx context.Context, records []importer.Record) (importer.Report, error) {
	pl, err := d.planner()
	if err != nil {
		return importer.Report{}, err
	}
	for i, r := range records {
		if i%importer.BatchSize == 0 && i > 0 {
			if err := ctx.Err(); err != nil {
				return pl.Report(), err
			}
		}
		if p, ok := pl.Plan(r); ok {
			pl.Written(p)
		}
	}
	return pl.Report(), nil
}

// mappingSetting is the local setting that remembers the mapping confirmed
// for tables of one shape.
func mappingSetting(signature string) string { return "import/mapping/" + signature }

// RememberedMapping returns the column mapping last confirmed on this device
// for tables of signature's shape (see RememberMapping); false when none, or
// when what is kept cannot be read.
func (d *Desk) RememberedMapping(signature string) (importer.Mapping, bool) {
	v, ok := d.st.Setting(mappingSetting(signature))
	if !ok {
		return importer.Mapping{}, false
	}
	m, err := importer.ParseMapping([]byte(v))
	if err != nil || m.Signature != signature {
		return importer.Mapping{}, false
	}
	return m, true
}

// RememberMapping keeps m, a mapping confirmed for an import, as this
// device's local setting for tables of its shape (m.Signature; nothing is
// kept without one). Errors: storage errors.
func (d *Desk) RememberMapping(m importer.Mapping) error {
	if m.Signature == "" {
		return nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("remember import mapping %s: %w", m.Signature, err)
	}
	if err := d.st.SetSetting(mappingSetting(m.Signature), string(b)); err != nil {
		return fmt.Errorf("remember import mapping %s: %w", m.Signature, err)
	}
	return nil
}

// Advance takes one pipeline step on demand id as this device's member:
// action with args, when relief.Allowed lets the member take it on the
// demand as it is. It returns the demand afterwards. It is for steps the
// program takes (the practice network's loading), with the arguments built
// already; it goes the one way every step goes (the step of Act), so it
// makes the same checks. Errors: those of Act's step: *Error CodeNotFound,
// CodeNotAllowed naming "action", CodeTooLong naming "note", CodeInvalid,
// and those of apply.
func (d *Desk) Advance(id string, action relief.Action, args relief.Args) (relief.Demand, error) {
	if _, err := d.step(id, action, func(relief.Demand) (relief.Args, error) { return args, nil }); err != nil {
		return relief.Demand{}, err
	}
	after, err := d.st.Demand(id)
	return after, AsError(err)
}

// ImportPreview is how the tables of a file would be imported, before
// anything is written.
type ImportPreview struct {
	Table      *importer.Table  // the table shown: the first sheet with data, else the first
	Sheets     []string         // every sheet of a workbook (the others use their own mapping)
	Format     string           // csv, hxl (CSV with a hashtag row), xlsx or json: see FormatOf
	Encoding   string           // the text encoding read (utf-8, utf-8 (BOM), gb18030 …); "" for xlsx and json
	Mapping    importer.Mapping // the mapping used (given, remembered or suggested)
	Remembered bool             // Mapping is the one last confirmed on this device for the table's shape
	Records    []importer.Record
	Demands    int // of Records, those read as demands
	Offers     int // of Records, those read as offers
	// Problems are those of reading the records with Mapping and the cuts an
	// import would make to relief's limits (importer.Cuts), by row; then
	// those of the workbook's other sheets, read as the import reads them,
	// sheet by sheet (each names its sheet).
	Problems []importer.Problem
	// Whole counts what importing the file writes: every sheet with data,
	// not only Table (ImportFile reads them all).
	Whole ImportCounts
	// Gone are the demands imported before from a file of this layout that
	// this file no longer has (importer.GoneRows, every sheet's records
	// against the store): nothing is written for them. They are told first
	// in Problems too (importer.ProblemRowsGone), so that the screen that
	// lists problems lists them.
	Gone []importer.Gone
}

// ImportCounts counts a file's sheets with data, rows and the records read
// from them, demands and offers.
type ImportCounts struct {
	Sheets, Rows, Records, Demands, Offers int
}

// add counts the rows of t and recs, read from it.
func (c *ImportCounts) add(t *importer.Table, recs []importer.Record) {
	if len(t.Rows) > 0 {
		c.Sheets++
	}
	c.Rows += len(t.Rows)
	c.Records += len(recs)
	for _, r := range recs {
		if r.Kind == relief.KindOffer {
			c.Offers++
		} else {
			c.Demands++
		}
	}
}

// FormatOf names the format table t was read from: "xlsx" for a sheet of a
// workbook, "json", "hxl" for a CSV with an HXL hashtag row, else "csv".
func FormatOf(t *importer.Table) string {
	switch {
	case t.Sheet != "":
		return "xlsx"
	case t.Encoding == "json":
		return "json"
	case t.Tags != nil:
		return "hxl"
	}
	return "csv"
}

// PreviewImport says how tables (importer.ReadTables of a file; at least one)
// would be imported: with given when it was made for the shown table's shape
// (its signature), else, when given is nil, with the mapping last confirmed
// for that shape on this device (RememberedMapping), else with the suggested
// one (importer.SuggestMapping). Nothing is written.
func (d *Desk) PreviewImport(tables []*importer.Table, given *importer.Mapping) ImportPreview {
	t := tables[0]
	for _, x := range tables { // the first sheet with data
		if len(x.Rows) > 0 {
			t = x
			break
		}
	}
	p := ImportPreview{Table: t, Sheets: []string{}, Format: FormatOf(t), Encoding: t.Encoding}
	if p.Format == "json" || p.Format == "xlsx" {
		p.Encoding = ""
	}
	for _, x := range tables {
		if x.Sheet != "" {
			p.Sheets = append(p.Sheets, x.Sheet)
		}
	}
	m := importer.SuggestMapping(t)
	switch {
	case given != nil && given.Signature == m.Signature:
		m = *given
	case given == nil:
		if rm, ok := d.RememberedMapping(m.Signature); ok {
			m, p.Remembered = rm, true
		}
	}
	p.Mapping = m
	opts := importer.DefaultOptions()
	opts.Mapping = &m
	p.Records, p.Problems = importer.Records(t, opts)
	all := p.Records
	var shown ImportCounts
	shown.add(t, p.Records)
	p.Demands, p.Offers, p.Whole = shown.Demands, shown.Offers, shown
	for _, r := range p.Records {
		p.Problems = append(p.Problems, importer.Cuts(r)...)
	}
	slices.SortStableFunc(p.Problems, func(a, b importer.Problem) int { return cmp.Compare(a.Row, b.Row) })
	for _, x := range tables {
		if x == t {
			continue
		}
		// the workbook's other sheets, read as the import reads them (the
		// mapping given applies to the sheets of its shape): their problems
		// follow, sheet by sheet
		recs, probs := importer.Records(x, opts)
		all = append(slices.Clip(all), recs...)
		p.Whole.add(x, recs)
		for _, r := range recs {
			probs = append(probs, importer.Cuts(r)...)
		}
		slices.SortStableFunc(probs, func(a, b importer.Problem) int { return cmp.Compare(a.Row, b.Row) })
		p.Problems = append(p.Problems, probs...)
	}
	if present, err := d.st.Demands(store.DemandQuery{}); err == nil {
		p.Gone = importer.GoneRows(all, present)
		if pr, ok := importer.GoneProblem(t.File, p.Gone); ok {
			p.Problems = append([]importer.Problem{pr}, p.Problems...)
		}
		p.Problems, p.Gone = importer.DropGoneOfCutFiles(p.Problems, p.Gone) // a cut copy: nothing is known gone
	}
	return p
}

// ReadTables reads the file at path into tables (importer.ReadTables), for
// PreviewImport. Errors: *Error with CodeRequired naming "path" when path
// is empty; CodeImport naming "path" when the file cannot be read or no
// sheet holds any data (the message names the file and the place).
func ReadTables(path string) ([]*importer.Table, error) {
	if strings.TrimSpace(path) == "" {
		return nil, FieldError(CodeRequired, "path", "no file chosen")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, importError(path, err)
	}
	tables, err := importer.ReadTables(filepath.Base(path), data)
	if err == nil && len(tables) == 0 {
		err = fmt.Errorf("%s: no sheet holds any data", filepath.Base(path))
	}
	if err != nil {
		return nil, importError(path, err)
	}
	return tables, nil
}

// PreviewFile is ReadTables of path, then PreviewImport with given. Errors:
// those of ReadTables.
func (d *Desk) PreviewFile(path string, given *importer.Mapping) (ImportPreview, error) {
	tables, err := ReadTables(path)
	if err != nil {
		return ImportPreview{}, err
	}
	return d.PreviewImport(tables, given), nil
}

// importError is a file that cannot be imported: CodeImport naming "path",
// its message naming the file (the importer's errors name it and the place
// already).
//
// A file that cannot be read as its format (*importer.FileError) says so
// in Args: reason ("file_cut_short", "file_invalid"), file, line, column
// and byte, for the screen to say in its language where the file stops.
func importError(path string, err error) *Error {
	msg := err.Error()
	if base := filepath.Base(path); !strings.Contains(msg, base) {
		msg = base + ": " + msg
	}
	e := &Error{Code: CodeImport, Field: "path", Message: msg}
	var fe *importer.FileError
	if errors.As(err, &fe) {
		e.Args = map[string]string{"reason": "file_" + fe.Reason, "file": fe.File, "line": strconv.Itoa(fe.Line),
			"column": strconv.Itoa(fe.Column), "byte": strconv.FormatInt(fe.Byte, 10)}
	}
	return e
}

// CheckMapping checks a column mapping given by a person (the import
// screen) as importer.ParseMapping checks a saved one: known fields, no
// negative index, kind demand, offer or "". It returns m as checked.
// Errors: *Error with CodeInvalid naming "mapping".
func CheckMapping(m importer.Mapping) (importer.Mapping, error) {
	b, err := json.Marshal(m)
	if err == nil {
		m, err = importer.ParseMapping(b)
	}
	if err != nil {
		return importer.Mapping{}, &Error{Code: CodeInvalid, Field: "mapping", Message: err.Error()}
	}
	return m, nil
}

// FileImport is what ImportFile did.
type FileImport struct {
	Records int // records read from the file
	// Report says what the import did; the problems of reading the file come
	// first and its rejected rows are counted (importer.Report.AddReadProblems).
	Report importer.Report
	// MappingErr is why the mapping could not be remembered for the next file
	// of the same shape (a storage error); nil when it was. The import itself
	// is complete.
	MappingErr error
}

// ImportFile imports the file at path with mapping m (checked with
// CheckMapping), as Import does, and remembers m for files of the same shape
// (RememberMapping). Progress goes to the store's bus and to progress (if
// not nil), as Import's. Errors: *Error with CodeRequired or CodeImport
// naming "path" when the file cannot be read; CodeInvalid naming "mapping";
// CodeNoNetwork; CodeStorage naming "path" for the store's errors and
// refusals, ctx's cancellation included (what was written stays).
func (d *Desk) ImportFile(ctx context.Context, path string, m importer.Mapping, progress func(done, total int)) (FileImport, error) {
	m, err := CheckMapping(m)
	if err != nil {
		return FileImport{}, err
	}
	if strings.TrimSpace(path) == "" {
		return FileImport{}, FieldError(CodeRequired, "path", "no file chosen")
	}
	opts := importer.DefaultOptions()
	opts.Mapping = &m
	recs, probs, err := importer.ReadFile(path, opts)
	if err != nil {
		return FileImport{}, importError(path, err)
	}
	rep, err := d.Import(ctx, recs, progress)
	if err != nil {
		if errors.Is(err, store.ErrNoNetwork) {
			return FileImport{}, &Error{Code: CodeNoNetwork, Message: err.Error()}
		}
		return FileImport{}, &Error{Code: CodeStorage, Field: "path", Message: filepath.Base(path) + ": " + err.Error()}
	}
	rep.AddReadProblems(probs)
	return FileImport{Records: len(recs), Report: rep, MappingErr: d.RememberMapping(m)}, nil
}
