package importer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ReadJSON reads relief records published as JSON, as the wuhan2020 sites
// did, into a Table: an array of objects (or an object holding one such
// array, e.g. {"data": [...]}) whose scalar keys become columns, with nested
// supply lists ([{key, value, specification}]) and contact lists
// ([{name, tel}]) kept for Records; or an array of "typed" records, each an
// array of cells {key, value, type}, where type supply is a supply and its
// value the quantity, contact a contact list, and other types scalar columns.
// HXL JSON is read too: an array of rows (arrays of scalars, the header and
// hashtag rows among them, as in the CSV) or an array of objects keyed by
// hashtags ("#org+es"), whose keys tag their columns.
// JSON Lines (one object, or one array of cells, a line) is read as the
// array of its lines. Rows are numbered by record, from 1. A syntax error
// names the line and column; a layout it does not know is an error.
func ReadJSON(name string, data []byte) (*Table, error) {
	text, _ := Decode(data)
	var top any
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	if err := dec.Decode(&top); err != nil {
		return nil, jsonError(name, text, err)
	}
	if dec.More() {
		// JSON Lines: one record (an object, or an array of cells) a line
		lines := []any{top}
		for dec.More() {
			var v any
			if err := dec.Decode(&v); err != nil {
				return nil, jsonError(name, text, err)
			}
			lines = append(lines, v)
		}
		top = lines
	}
	arr, ok := top.([]any)
	if obj, isObj := top.(map[string]any); isObj {
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if a, isArr := obj[k].([]any); isArr {
				arr, ok = a, true
				break
			}
		}
	}
	if !ok {
		return nil, fmt.Errorf("%s: unrecognised JSON layout: want an array of records", name)
	}
	if rows, ok := scalarRows(arr); ok {
		// HXL JSON as arrays: the table's rows, headers and hashtag row
		// among them, as in its CSV
		t := &Table{File: name, Encoding: "json"}
		t.setRows(rows)
		return t, nil
	}
	t := &Table{File: name, Encoding: "json"}
	col := map[string]int{}
	addCol := func(k string) int {
		if i, ok := col[k]; ok {
			return i
		}
		col[k] = len(t.Headers)
		t.Headers = append(t.Headers, k)
		return col[k]
	}
	type cellKV struct {
		k string
		v string
	}
	var rows [][]cellKV
	for i, el := range arr {
		var cells []cellKV
		var ex rowExtra
		switch rec := el.(type) {
		case nil:
			continue
		case map[string]any:
			keys := make([]string, 0, len(rec))
			for k := range rec {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				v := rec[k]
				switch vv := v.(type) {
				case []any:
					its, cs, rest := nested(vv)
					ex.items = append(ex.items, its...)
					ex.contacts = append(ex.contacts, cs...)
					if rest != "" {
						cells = append(cells, cellKV{k, rest})
					}
				case map[string]any:
					b, _ := json.Marshal(vv)
					cells = append(cells, cellKV{k, string(b)})
				default:
					cells = append(cells, cellKV{k, scalar(v)})
				}
			}
		case []any: // typed cells
			for _, c := range rec {
				cm, ok := c.(map[string]any)
				if !ok {
					continue
				}
				k := scalar(cm["key"])
				switch scalar(cm["type"]) {
				case "supply":
					ex.items = append(ex.items, rawItem{name: k, spec: scalar(cm["specification"]), qty: cm["value"]})
				case "contact":
					if vv, ok := cm["value"].([]any); ok {
						_, cs, _ := nested(vv)
						ex.contacts = append(ex.contacts, cs...)
					} else {
						cells = append(cells, cellKV{k, scalar(cm["value"])})
					}
				default:
					cells = append(cells, cellKV{k, scalar(cm["value"])})
				}
			}
		default:
			return nil, fmt.Errorf("%s: record %d: unrecognised JSON layout: want an object or an array of typed cells", name, i+1)
		}
		for _, c := range cells {
			addCol(c.k)
		}
		rows = append(rows, cells)
		t.Rows = append(t.Rows, Row{Num: i + 1, Line: i + 1})
		t.extras = append(t.extras, ex)
	}
	for i, cells := range rows {
		r := make([]string, len(t.Headers))
		for _, c := range cells {
			r[col[c.k]] = c.v
		}
		t.Rows[i].Cells = r
	}
	// HXL JSON as objects: keys that are hashtags ("#org+es") tag their
	// columns, as a hashtag row would.
	for i, h := range t.Headers {
		if tg := normTag(h); tg != "" && strings.HasPrefix(strings.TrimSpace(h), "#") {
			if t.Tags == nil {
				t.Tags = make([]string, len(t.Headers))
			}
			t.Tags[i] = tg
		}
	}
	// The id key of the wuhan2020 files is a position, not data.
	return t, nil
}

// scalarRows returns arr as table rows (numbered from 1) when every element
// is an array of scalars (strings, numbers, booleans, nulls) and at least
// one is not empty: HXL JSON written as arrays. Arrays of typed cells
// (objects) are not.
func scalarRows(arr []any) ([]Row, bool) {
	rows := make([]Row, 0, len(arr))
	cells := 0
	for i, el := range arr {
		a, ok := el.([]any)
		if !ok {
			return nil, false
		}
		r := Row{Num: i + 1, Line: i + 1, Cells: make([]string, len(a))}
		for j, c := range a {
			switch c.(type) {
			case map[string]any, []any:
				return nil, false
			}
			r.Cells[j] = scalar(c)
		}
		cells += len(a)
		rows = append(rows, r)
	}
	return rows, cells > 0
}

// nested splits a JSON array into supply lines, contacts, and the text of
// anything else (strings joined by newlines).
func nested(a []any) ([]rawItem, []rawContact, string) {
	var its []rawItem
	var cs []rawContact
	var rest []string
	for _, el := range a {
		m, ok := el.(map[string]any)
		if !ok {
			if s := scalar(el); s != "" {
				rest = append(rest, s)
			}
			continue
		}
		tel := firstOf(m, "tel", "phone", "mobile", "telephone", "电话")
		if tel != "" || m["tel"] != nil || m["phone"] != nil {
			cs = append(cs, rawContact{name: firstOf(m, "name", "联系人"), tel: tel})
			continue
		}
		name := firstOf(m, "key", "name", "item", "物资")
		if name != "" {
			var q any = m["value"]
			if q == nil {
				q = m["quantity"]
			}
			its = append(its, rawItem{name: name, spec: firstOf(m, "specification", "spec", "规格"), unit: firstOf(m, "unit"), qty: q})
			continue
		}
		b, _ := json.Marshal(m)
		rest = append(rest, string(b))
	}
	return its, cs, strings.Join(rest, "\n")
}

func firstOf(m map[string]any, keys ...string) string {
	for _, k := range keys {
		if v, ok := m[k]; ok && v != nil {
			if s := scalar(v); s != "" {
				return s
			}
		}
	}
	return ""
}

func scalar(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// FileError is a file that cannot be read as its format, and where: its
// Reason (FileCutShort: the file ends inside its data, as a file not fully
// downloaded or copied does; FileInvalid: a syntax error), the 1-based Line
// and Column, and the Byte offset (0-based) where reading stopped. Error is
// the English sentence; a program translates Reason with the other fields.
type FileError struct {
	File   string
	Reason string
	Line   int
	Column int
	Byte   int64
	Err    error // the decoder's own error
}

// Reasons of FileError.
const (
	FileCutShort = "cut_short"
	FileInvalid  = "invalid"
)

func (e *FileError) Error() string {
	if e.Reason == FileCutShort {
		return fmt.Sprintf("%s: the file is cut short: it ends at line %d, column %d (byte %d) in the middle of its data, as a file not fully downloaded or copied does (invalid JSON: %v)",
			e.File, e.Line, e.Column, e.Byte, e.Err)
	}
	return fmt.Sprintf("%s: line %d, column %d: invalid JSON: %v", e.File, e.Line, e.Column, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// jsonError turns a decoding error into a *FileError naming the line and
// column: a file that ends before its data does (io.ErrUnexpectedEOF,
// "unexpected end of JSON input") is cut short, at its end.
func jsonError(name, text string, err error) error {
	var off int64 = -1
	reason := FileInvalid
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		off, reason = int64(len(text)), FileCutShort
	case errors.As(err, &se):
		off = se.Offset
		if strings.Contains(se.Error(), "unexpected end of JSON input") {
			off, reason = int64(len(text)), FileCutShort
		}
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 {
		return fmt.Errorf("%s: invalid JSON: %w", name, err)
	}
	before := text[:min(int(off), len(text))]
	line := strings.Count(before, "\n") + 1
	// the character where reading stopped (the decoder's offset is just
	// past it), counted in characters, not bytes
	col := max(1, utf8.RuneCountInString(before[strings.LastIndex(before, "\n")+1:]))
	return &FileError{File: name, Reason: reason, Line: line, Column: col, Byte: int64(len(before)), Err: err}
}
