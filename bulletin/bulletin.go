// Package bulletin writes the public bulletin: demands reduced to their public
// fields (relief.Project with the zero Member), as CSV, JSON or XLSX.
//
// Besides the level rules, the bulletin leaves out free text (descriptions)
// and masks anything that looks like a mobile number in the text it keeps
// (titles and organisation names as typed by hand can hold one), so that a
// bulletin never carries a phone number even when someone typed it in the
// wrong field.
package bulletin

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/reliefmesh/reliefmesh/relief"
)

// Line is one demand of the bulletin: public fields only.
type Line struct {
	Code         string `json:"code"`
	Title        string `json:"title"`
	RequesterOrg string `json:"requester_org"`
	District     string `json:"district"`
	Category     string `json:"category"`
	Status       string `json:"status"`
	Urgency      string `json:"urgency"`
	Items        []Item `json:"items"`
	Updated      string `json:"updated"` // RFC 3339, UTC
}

// Item is one supply line of a bulletin Line. Needed is nil when the demand
// says "needed" without a quantity.
type Item struct {
	Name     string   `json:"name"`
	Spec     string   `json:"spec,omitempty"`
	Unit     string   `json:"unit,omitempty"`
	Needed   *float64 `json:"needed"`
	Received float64  `json:"received"`
}

// Masked replaces a mobile number in bulletin text.
const Masked = "[***]"

// mobileRE finds mobile-like digit runs after NFKC folding: 11 digits
// starting with 1[3-9], possibly with spaces or dashes, and any run of 7 or
// more digits (landlines and numbers in other formats).
var phoneLike = regexp.MustCompile(`\+?\d(?:[\s\-]?\d){6,}`)

// Scrub masks phone-number-like runs of seven digits or more in s.
func Scrub(s string) string {
	s = norm.NFKC.String(s)
	return phoneLike.ReplaceAllString(s, Masked)
}

// Lines projects demands for an anonymous viewer and returns their bulletin
// lines, in the order given.
func Lines(demands []relief.Demand) []Line {
	out := make([]Line, 0, len(demands))
	for _, d := range demands {
		p, _ := relief.Project(d, relief.Member{})
		l := Line{Code: p.Code, Title: Scrub(p.Title), RequesterOrg: Scrub(p.RequesterOrg), District: Scrub(p.District),
			Category: p.Category, Status: string(p.Status), Urgency: string(p.Urgency)}
		if l.Urgency == "" {
			l.Urgency = string(relief.UrgencyNormal)
		}
		if t := p.UpdatedAt.Time(); !t.IsZero() {
			l.Updated = t.UTC().Format(time.RFC3339)
		}
		for _, it := range p.Items {
			l.Items = append(l.Items, Item{Name: Scrub(it.Name), Spec: Scrub(it.Spec), Unit: Scrub(it.Unit), Needed: it.Needed, Received: it.Received})
		}
		out = append(out, l)
	}
	return out
}

// Header is the bulletin's table header, and HXL its hashtag row.
var (
	Header = []string{"code", "title", "organisation", "district", "category", "status", "urgency", "item", "spec", "unit", "needed", "received", "updated"}
	HXL    = []string{"#meta+code", "#description+title", "#org", "#adm3", "#sector", "#status", "#severity", "#item+name", "#item+spec", "#item+unit", "#item+needed", "#item+received", "#date+updated"}
)

// Rows flattens lines to table rows, one per item (a demand without items
// has one row with empty item cells). needed is "" when unknown.
func Rows(lines []Line) [][]string {
	var out [][]string
	for _, l := range lines {
		base := []string{l.Code, l.Title, l.RequesterOrg, l.District, l.Category, l.Status, l.Urgency}
		items := l.Items
		if len(items) == 0 {
			items = []Item{{}}
		}
		for _, it := range items {
			needed := ""
			if it.Needed != nil {
				needed = strconv.FormatFloat(*it.Needed, 'f', -1, 64)
			}
			received := ""
			if it.Name != "" {
				received = strconv.FormatFloat(it.Received, 'f', -1, 64)
			}
			row := append(append([]string{}, base...), it.Name, it.Spec, it.Unit, needed, received, l.Updated)
			out = append(out, row)
		}
	}
	return out
}

// Write writes the bulletin of demands to w in format: "csv" (UTF-8 with a
// BOM, so that Excel and WPS open it, HXL hashtag row under the header),
// "json" (an array of Line) or "xlsx". An unknown format is an error.
func Write(w io.Writer, format string, demands []relief.Demand) error {
	lines := Lines(demands)
	switch strings.ToLower(format) {
	case "csv":
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
		cw := csv.NewWriter(w)
		cw.Write(Header)
		cw.Write(HXL)
		cw.WriteAll(Rows(lines))
		return cw.Error()
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(lines)
	case "xlsx":
		f := excelize.NewFile()
		defer f.Close()
		sheet := f.GetSheetName(0)
		for i, row := range append([][]string{Header, HXL}, Rows(lines)...) {
			cells := make([]any, len(row))
			for j, c := range row {
				cells[j] = c
			}
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(sheet, cell, &cells); err != nil {
				return fmt.Errorf("xlsx row %d: %w", i+1, err)
			}
		}
		return f.Write(w)
	}
	return fmt.Errorf("bulletin format %q: want csv, json or xlsx", format)
}

// FormatFor returns the format named by a file name's extension (".csv",
// ".json", ".xlsx"), "" if none.
func FormatFor(name string) string {
	switch {
	case strings.HasSuffix(strings.ToLower(name), ".csv"):
		return "csv"
	case strings.HasSuffix(strings.ToLower(name), ".json"):
		return "json"
	case strings.HasSuffix(strings.ToLower(name), ".xlsx"):
		return "xlsx"
	}
	return ""
}
