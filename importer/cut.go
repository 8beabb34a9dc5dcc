package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"unicode/utf8"

	"github.com/reliefmesh/reliefmesh/relief"
)

// Fields a cut names (Problem.Field and Args field) besides relief's field
// names (title, requester_org, district, address, description,
// review_notes, supplier, region, notes): the parts of a supply line and of
// a contact.
const (
	CutItemName    = "item"         // a supply's name (relief.MaxItemName)
	CutItemSpec    = "spec"         // a supply's specification (relief.MaxItemSpec)
	CutUnit        = "unit"         // a supply's unit (relief.MaxUnit)
	CutContactName = "contact_name" // a contact's name (relief.MaxContactName)
	CutPhone       = "phone"        // a contact's phone number as written (relief.MaxPhone)
	CutContactRole = "contact_role" // a contact's role (relief.MaxContactRole)
)

// cutValueLen is how many characters of a cut value a Problem's Value
// shows, so that a reader finds the cell without the problem list carrying
// a whole 8,000-character text.
const cutValueLen = 40

// cutter cuts a record's values to relief's limits and keeps a Problem for
// every cut (ProblemCut, ProblemItemsCut, ProblemContactsCut), on the
// record's row, rejected false: the row is imported, shortened. A nil
// cutter cuts silently (a merge of two demands already stored). Not safe
// for concurrent use.
type cutter struct {
	file  string
	row   int
	probs []Problem
}

// newCutter returns the cutter of record r.
func newCutter(r Record) *cutter { return &cutter{file: r.File, row: r.Row} }

// problems returns the cuts so far (nil for a nil cutter or none).
func (c *cutter) problems() []Problem {
	if c == nil {
		return nil
	}
	return c.probs
}

// text returns s cut to max characters (relief.Cut), telling the cut as
// field's.
func (c *cutter) text(field, s string, max int) string {
	out := relief.Cut(s, max)
	if c != nil && len(out) < len(s) {
		had := utf8.RuneCountInString(s)
		c.probs = append(c.probs, Problem{File: c.file, Row: c.row, Field: field, Value: relief.Cut(s, cutValueLen) + "…",
			Msg:  field + " longer than " + strconv.Itoa(max) + " characters: the first " + strconv.Itoa(max) + " of " + strconv.Itoa(had) + " were imported",
			Code: ProblemCut, Args: args("field", field, "kept", strconv.Itoa(max), "had", strconv.Itoa(had))})
	}
	return out
}

// tooMany tells that a row gave had entries of field (what, in English) where
// relief allows max: the first max were imported (Problem code).
func (c *cutter) tooMany(field, code, what string, max, had int) {
	if c == nil {
		return
	}
	k, h := strconv.Itoa(max), strconv.Itoa(had)
	c.probs = append(c.probs, Problem{File: c.file, Row: c.row, Field: field,
		Msg:  "more than " + k + " " + what + ": the first " + k + " of " + h + " were imported",
		Code: code, Args: args("kept", k, "had", h)})
}

// items keeps the first relief.MaxItems items, each cut to the limits of
// relief (name, spec, unit), telling every cut.
func (c *cutter) items(its []relief.Item) []relief.Item {
	if len(its) > relief.MaxItems {
		c.tooMany(relief.FieldItems, ProblemItemsCut, "supplies", relief.MaxItems, len(its))
		its = its[:relief.MaxItems]
	}
	out := make([]relief.Item, len(its))
	for i, it := range its {
		it.Name = c.text(CutItemName, it.Name, relief.MaxItemName)
		it.Spec = c.text(CutItemSpec, it.Spec, relief.MaxItemSpec)
		it.Unit = c.text(CutUnit, it.Unit, relief.MaxUnit)
		out[i] = it
	}
	return out
}

// contacts keeps the first relief.MaxContacts contacts, each cut to the
// limits of relief (name, phone, role), telling every cut.
func (c *cutter) contacts(cs []relief.Contact) []relief.Contact {
	if len(cs) > relief.MaxContacts {
		c.tooMany(relief.FieldContacts, ProblemContactsCut, "contacts", relief.MaxContacts, len(cs))
		cs = cs[:relief.MaxContacts]
	}
	out := make([]relief.Contact, len(cs))
	for i, x := range cs {
		out[i] = relief.Contact{Name: c.text(CutContactName, x.Name, relief.MaxContactName),
			Phone: c.text(CutPhone, x.Phone, relief.MaxPhone), Role: c.text(CutContactRole, x.Role, relief.MaxContactRole), Kind: x.Kind}
	}
	return out
}

// sourceFields keeps the first relief.MaxSourceFields source fields, each
// column cut to relief.MaxSourceColumn and each value to relief.MaxText,
// telling every cut (field relief.FieldSourceFields).
func (c *cutter) sourceFields(fs []relief.SourceField) []relief.SourceField {
	if len(fs) > relief.MaxSourceFields {
		c.tooMany(relief.FieldSourceFields, ProblemCut, "source fields", relief.MaxSourceFields, len(fs))
		if c != nil {
			c.probs[len(c.probs)-1].Args["field"] = relief.FieldSourceFields
		}
		fs = fs[:relief.MaxSourceFields]
	}
	out := make([]relief.SourceField, len(fs))
	for i, f := range fs {
		out[i] = relief.SourceField{Column: c.text(relief.FieldSourceFields, f.Column, relief.MaxSourceColumn),
			Value: c.text(relief.FieldSourceFields, f.Value, relief.MaxText)}
	}
	return out
}

// Cuts returns what importing r would cut to relief's limits, one Problem
// per cut (ProblemCut, ProblemItemsCut, ProblemContactsCut; Rejected false),
// so that a preview says it before anything is written. An import reports
// the same cuts of every row it writes (Report.Cut and Problems).
func Cuts(r Record) []Problem {
	c := newCutter(r)
	if r.Kind == relief.KindOffer {
		offerFields(r, c)
	} else {
		demandFields(r, c)
	}
	return c.probs
}

// boundedSource returns source when it is within relief.MaxSource
// characters, else its first characters followed by "~" and 32 hex digits
// of its SHA-256, exactly relief.MaxSource characters: a row keyed by a long
// organisation or address keeps a stable identity that every peer accepts
// (it was refused whole before). Sources within the limit are unchanged, so
// the rows imported before keep theirs.
func boundedSource(source string) string {
	if !relief.TooLong(source, relief.MaxSource) {
		return source
	}
	sum := sha256.Sum256([]byte(source))
	return relief.Cut(source, relief.MaxSource-33) + "~" + hex.EncodeToString(sum[:16])
}
