package importer

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ReadFile reads the file at path as CSV, XLSX or JSON (by its extension,
// or by its first bytes when the extension says nothing) and maps it to
// records with opts. Problems list every row or value that could not be
// used; the error is for a file that cannot be read at all (missing,
// truncated workbook, JSON syntax error), and names the place.
func ReadFile(path string, opts Options) ([]Record, []Problem, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", path, err)
	}
	return ReadData(filepath.Base(path), data, opts)
}

// ReadData is ReadFile for a file already in memory (embedded, uploaded),
// named name: the format comes from name and the first bytes as in
// ReadTables. Problems and errors are those of ReadFile.
func ReadData(name string, data []byte, opts Options) ([]Record, []Problem, error) {
	tables, err := ReadTables(name, data)
	if err != nil {
		return nil, nil, err
	}
	var recs []Record
	var probs []Problem
	for _, t := range tables {
		if !t.hasRecordColumns(opts) {
			return nil, nil, fmt.Errorf("%s: no column names an organisation, supplies or contacts; is this a relief list? (pass a mapping)", t.File)
		}
		r, p := Records(t, opts)
		recs = append(recs, r...)
		probs = append(probs, p...)
	}
	return recs, probs, nil
}

// ReadTables reads data, named name, into tables: one per XLSX sheet, one
// for CSV or JSON. The format comes from the extension of name (.csv, .tsv,
// .txt, .xlsx, .json, .jsonl, .ndjson), or else from the first bytes (PK:
// XLSX; [ or {: JSON or JSON Lines; anything else: CSV).
func ReadTables(name string, data []byte) ([]*Table, error) {
	ext := strings.ToLower(filepath.Ext(name))
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte{0xef, 0xbb, 0xbf}), " \t\r\n")
	switch {
	case ext == ".xlsx" || ext == ".xlsm" || (ext != ".csv" && ext != ".json" && bytes.HasPrefix(data, []byte("PK\x03\x04"))):
		return ReadXLSX(name, bytes.NewReader(data))
	case ext == ".json" || ext == ".jsonl" || ext == ".ndjson" || (ext != ".csv" && ext != ".tsv" && len(trimmed) > 0 && (trimmed[0] == '[' || trimmed[0] == '{')):
		t, err := ReadJSON(name, data)
		if err != nil {
			return nil, err
		}
		return []*Table{t}, nil
	case ext == ".xls":
		return nil, fmt.Errorf("%s: the old .xls format is not supported; save it as .xlsx or .csv", name)
	}
	t, err := ReadCSV(name, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if len(t.Headers) == 0 {
		return nil, fmt.Errorf("%s: no header row found", name)
	}
	return []*Table{t}, nil
}

func (t *Table) hasRecordColumns(opts Options) bool {
	m := SuggestMapping(t)
	if opts.Mapping != nil && (opts.Mapping.Signature == "" || opts.Mapping.Signature == m.Signature) {
		m = *opts.Mapping
	}
	for _, c := range m.Columns {
		switch c.Field {
		case FieldOrg, FieldItems, FieldItem, FieldSupply, FieldContacts:
			return true
		}
	}
	for _, ex := range t.extras {
		if len(ex.items) > 0 || len(ex.contacts) > 0 {
			return true
		}
	}
	return false
}

// Sample is the start of a table as the importer decoded it, so that a
// person sees a wrong encoding or a wrong header before anything is
// written (import --dry-run prints it; the app's preview shows its rows).
type Sample struct {
	File      string   `json:"file"`
	Sheet     string   `json:"sheet,omitempty"`
	Encoding  string   `json:"encoding"` // as Table.Encoding
	HeaderRow int      `json:"header_row"`
	Headers   []string `json:"headers"`
	Rows      []Row    `json:"rows"` // the first data rows, as decoded
}

// SampleFile reads the file at path as ReadFile does and returns, for each
// of its tables, its encoding, header and first n data rows. Errors are
// those of ReadFile.
func SampleFile(path string, n int) ([]Sample, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	tables, err := ReadTables(filepath.Base(path), data)
	if err != nil {
		return nil, err
	}
	var out []Sample
	for _, t := range tables {
		out = append(out, Sample{File: t.File, Sheet: t.Sheet, Encoding: t.Encoding, HeaderRow: t.HeaderRow,
			Headers: t.Headers, Rows: t.Rows[:min(n, len(t.Rows))]})
	}
	return out, nil
}
