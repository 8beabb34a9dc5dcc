package importer

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/reliefmesh/reliefmesh/relief"
)

// Shapes of a cell's value, for checking a column against its field.
const (
	shapeURL     = "url"     // a link and nothing else
	shapePhone   = "phone"   // a phone number or other long number and nothing else
	shapeAddress = "address" // a street address ("某路1号")
	shapeText    = "text"    // anything else
)

var (
	wholeURL    = regexp.MustCompile(`(?i)^(?:https?://|www\.)\S+$`)
	anyURL      = regexp.MustCompile(`(?i)https?://|www\.`)
	wholeNumber = regexp.MustCompile(`^\+?[\d\s()\-—]{5,}$`)
	addressRE   = regexp.MustCompile(`\p{Han}(?:路|街|大道|大街|巷|道)\s*\d+\s*号`)
)

// shapeOf says what value v looks like: shapeURL, shapePhone, shapeAddress
// or shapeText.
func shapeOf(v string) string {
	s := fold(v)
	switch {
	case wholeURL.MatchString(s):
		return shapeURL
	case wholeNumber.MatchString(s) && countDigits(s) >= 5:
		return shapePhone
	case addressRE.MatchString(s):
		return shapeAddress
	}
	return shapeText
}

// minShapeCells is the fewest non-empty cells a column needs before its
// values are judged against its field.
const minShapeCells = 3

// ColumnMismatches checks the values of each column of t against the field
// m maps it to and returns a ProblemColumnMismatch for each column whose
// values do not fit: more than half of them links or bare numbers in an
// organisation, address or place column, links or street addresses in a
// contact column, or a link column in which fewer than a quarter hold a
// link. It is what a file whose values slid a column away from their headers
// looks like; the columns are still imported as mapped. Columns with fewer
// than three non-empty cells are not judged.
func ColumnMismatches(t *Table, m Mapping) []Problem {
	var out []Problem
	for _, c := range m.Columns {
		var bad func(counts map[string]int, links, n int) (string, bool)
		switch c.Field {
		case FieldOrg, FieldAddress, FieldProvince, FieldCity, FieldDistrict:
			bad = func(k map[string]int, _, n int) (string, bool) {
				for _, s := range []string{shapeURL, shapePhone} {
					if 2*k[s] > n {
						return s, true
					}
				}
				return "", false
			}
		case FieldContacts:
			bad = func(k map[string]int, _, n int) (string, bool) {
				for _, s := range []string{shapeURL, shapeAddress} {
					if 2*k[s] > n {
						return s, true
					}
				}
				return "", false
			}
		case FieldURL:
			bad = func(k map[string]int, links, n int) (string, bool) {
				if 4*links >= n {
					return "", false
				}
				most := shapeText
				for _, s := range []string{shapePhone, shapeAddress} {
					if k[s] > k[most] {
						most = s
					}
				}
				return most, true
			}
		default:
			continue
		}
		counts := map[string]int{}
		links, n := 0, 0
		var samples []string
		seen := map[string]bool{}
		for _, r := range t.Rows {
			if c.Index >= len(r.Cells) {
				continue
			}
			v := CleanText(r.Cells[c.Index])
			if v == "" {
				continue
			}
			n++
			counts[shapeOf(v)]++
			if anyURL.MatchString(v) {
				links++
			}
			if len(samples) < MaxSamples && !seen[v] {
				seen[v] = true
				samples = append(samples, relief.Cut(sealedSample(v), 60))
			}
		}
		if n < minShapeCells {
			continue
		}
		looks, ok := bad(counts, links, n)
		if !ok {
			continue
		}
		col := ColumnName(c)
		s := strings.Join(samples, " | ")
		out = append(out, Problem{File: t.File, Field: col, Value: s,
			Msg:  fmt.Sprintf("column %q is read as %s, but its values do not look like it (e.g. %s): check that the file's columns have not slid before importing", col, c.Field, s),
			Code: ProblemColumnMismatch, Args: args("column", col, "field", string(c.Field), "looks", looks, "samples", s)})
	}
	return out
}
