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
	// ownPhones calls f with each own phone of demand record r, once
	ownPhones := func(r Record, f func(ph string)) {
		for i, c := range r.Contacts {
			if c.Kind == "" && c.Phone != "" && !relief.FoundInText(c) &&
				!slices.ContainsFunc(r.Contacts[:i], func(d relief.Contact) bool { return d.Kind == "" && d.Phone == c.Phone && !relief.FoundInText(d) }) {
				f(c.Phone)
			}
		}
	}
	// first how many rows give each number (one map, few allocations: a
	// sheet of 100,000 rows has as many numbers), then the rows and the
	// organisations of the numbers given twice or more
	count := map[string]int{}
	total := 0
	for _, r := range out {
		if r.Kind == relief.KindDemand {
			total++
			ownPhones(r, func(ph string) { count[ph]++ })
		}
	}
	rows := map[string][]int{}           // own phone given twice or more → the rows (records) giving it
	orgs := map[string]map[string]bool{} // → the organisations of those rows
	var order []string
	for _, r := range out {
		if r.Kind != relief.KindDemand {
			continue
		}
		ownPhones(r, func(ph string) {
			if count[ph] < 2 {
				return
			}
			if _, ok := rows[ph]; !ok {
				order = append(order, ph)
				orgs[ph] = map[string]bool{}
			}
			rows[ph] = append(rows[ph], r.Row)
			orgs[ph][relief.NormalizeName(r.Org)] = true
		})
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
