package importer

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/reliefmesh/reliefmesh/relief"
)

// ServiceLineDigits is the most digits a number given in a phone column
// may have to be taken for a service line when it is given in two rows or
// more (12345, 120, 96555): no person's phone is that short.
const ServiceLineDigits = 6

// serviceLines finds, among the demand records of table t (mapped by m),
// the numbers given as the own phone (a contact column's) of several rows
// that are no row's own: a short number (ServiceLineDigits) in two rows or
// more, or one number in more than half of the rows, of three
// organisations or more (one hospital's rows may share its number). Each
// is marked in every record holding it (relief.MarkServiceLine, so that it
// finds no duplicates) and told once: ProblemServiceLine naming a short
// number, ProblemSharedPhoneColumn, without the number, for a longer one.
func serviceLines(t *Table, m Mapping, out []Record) []Problem {
	rows := map[string][]int{}           // own phone → the rows (records) giving it
	orgs := map[string]map[string]bool{} // own phone → the organisations of those rows
	var order []string
	total := 0
	for _, r := range out {
		if r.Kind != relief.KindDemand {
			continue
		}
		total++
		var seen []string
		for _, c := range r.Contacts {
			if c.Kind != "" || c.Phone == "" || relief.FoundInText(c) || slices.Contains(seen, c.Phone) {
				continue
			}
			seen = append(seen, c.Phone)
			if _, ok := rows[c.Phone]; !ok {
				order = append(order, c.Phone)
			}
			rows[c.Phone] = append(rows[c.Phone], r.Row)
			if orgs[c.Phone] == nil {
				orgs[c.Phone] = map[string]bool{}
			}
			orgs[c.Phone][relief.NormalizeName(r.Org)] = true
		}
	}
	var probs []Problem
	for _, ph := range order {
		at := rows[ph]
		short := len(digitsOf(ph)) <= ServiceLineDigits
		if !(short && len(at) >= 2) && !(len(orgs[ph]) >= 3 && 2*len(at) > total) {
			continue
		}
		for i := range out {
			for j, c := range out[i].Contacts {
				if c.Kind == "" && c.Phone == ph && !relief.FoundInText(c) {
					out[i].Contacts[j] = relief.MarkServiceLine(c)
				}
			}
		}
		n, all := strconv.Itoa(len(at)), strconv.Itoa(total)
		column := phoneColumn(t, m, at[0], ph)
		if short {
			probs = append(probs, Problem{File: t.File, Field: column, Value: ph, Code: ProblemServiceLine,
				Msg: fmt.Sprintf("%s is given as the phone (column %q) of %d of %d rows (%s): a service line, not a person's number; kept with the contacts, marked so, and not used to find duplicates",
					ph, column, len(at), total, rowList(at)),
				Args: rowArgs(at, "number", ph, "column", column, "count", n, "total", all)})
			continue
		}
		probs = append(probs, Problem{File: t.File, Field: column, Code: ProblemSharedPhoneColumn,
			Msg: fmt.Sprintf("one phone number is given in column %q of %d of %d rows (%s): most likely a service line or a coordinator's, not each row's own; kept with the contacts (sealed), marked so, and not used to find duplicates",
				column, len(at), total, rowList(at)),
			Args: rowArgs(at, "column", column, "count", n, "total", all)})
	}
	return probs
}

// phoneColumn names the contact column of m (its header, tag or letter)
// whose cell in row num of t writes phone number ph; the first contact
// phone column when none does; "" when m has no contact column.
func phoneColumn(t *Table, m Mapping, num int, ph string) string {
	name := func(c Column) string {
		switch {
		case c.Header != "":
			return c.Header
		case c.Tag != "":
			return c.Tag
		}
		return ColumnName(c)
	}
	d := strings.TrimPrefix(digitsOf(ph), "86")
	if i := slices.IndexFunc(t.Rows, func(r Row) bool { return r.Num == num }); i >= 0 && d != "" {
		for _, c := range m.Columns {
			contact := c.Field == FieldContactPhone || c.Field == FieldContacts || c.Field == FieldContactName
			if contact && c.Index < len(t.Rows[i].Cells) && strings.Contains(digitsOf(fold(t.Rows[i].Cells[c.Index])), d) {
				return name(c)
			}
		}
	}
	for _, f := range []Field{FieldContactPhone, FieldContacts} {
		for _, c := range m.Columns {
			if c.Field == f {
				return name(c)
			}
		}
	}
	return ""
}
