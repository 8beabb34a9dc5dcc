package importer

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/reliefmesh/reliefmesh/relief"
)

// DateOrder says how a date of three numbers ("03/04/15") is read when its
// day and month cannot be told apart by their values.
type DateOrder int

// Date orders.
const (
	DateAny        DateOrder = iota // unknown: such a date is kept as written
	DateMonthFirst                  // 03/04/15 is 4 March 2015 (US)
	DateDayFirst                    // 03/04/15 is 3 April 2015 (most of the world)
)

var (
	dateYMD   = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T,].*)?$`)
	dateYMD8  = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
	dateNums  = regexp.MustCompile(`^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{2}|\d{4})(?:[ T].*)?$`)
	dateDMonY = regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th)?[\s-]+(?:de\s+)?([\p{L}]+)\.?,?[\s-]+(?:de\s+)?(\d{2}|\d{4})$`)
	dateMonDY = regexp.MustCompile(`^([\p{L}]+)\.?[\s-]+(\d{1,2})(?:st|nd|rd|th)?,?[\s-]+(\d{2}|\d{4})$`)
)

// months are the month names (English, Spanish, French; full or their
// first three letters) by their lower-case spelling.
var months = func() map[string]int {
	m := map[string]int{}
	for i, names := range [][]string{
		{"january", "enero", "janvier"}, {"february", "febrero", "février", "fevrier"}, {"march", "marzo", "mars"},
		{"april", "abril", "avril"}, {"may", "mayo", "mai"}, {"june", "junio", "juin"}, {"july", "julio", "juillet"},
		{"august", "agosto", "août", "aout"}, {"september", "septiembre", "setiembre", "septembre"},
		{"october", "octubre", "octobre"}, {"november", "noviembre", "novembre"}, {"december", "diciembre", "décembre", "decembre"},
	} {
		for _, n := range names {
			m[n] = i + 1
			if r := []rune(n); len(r) > 3 {
				m[string(r[:3])] = i + 1
			}
		}
		m["sept"] = 9
	}
	return m
}()

// DateZone is the time zone the importer reads dates in: a timestamp with
// its zone is told in it, and a time of day written without one is taken
// as its (ProblemDateZone). China has kept UTC+8 all year since 1991, so
// chinaTime is that offset under this name.
const DateZone = "Asia/Shanghai"

// chinaTime is DateZone (UTC+8, no summer time since 1991): the
// incident's zone, relief.IncidentZone, the one the hub shows times in.
var chinaTime = relief.IncidentZone

// NormalizeDate returns the date v names as "2006-01-02", or v as written
// (cleaned of surrounding spaces) when it names no single date. It reads
// ISO dates and their Chinese and dotted forms ("2015-03-31", "2015/3/31",
// "2015年3月31日", "20150331"), timestamps (RFC 3339: the day in China time,
// as before; "2020-01-26 10:30": the day written), three numbers with a
// two- or four-digit year last ("03-18-14", "19/3/15": a part above 12 is
// the day; otherwise order decides, and DateAny keeps it as written), and
// month names in English, Spanish or French ("March 31, 2015", "1 March
// 2015", "31-Mar-15"). Two-digit years are 2000–2069 or 1970–1999.
func NormalizeDate(v string, order DateOrder) string {
	s := strings.TrimSpace(fold(v))
	if s == "" {
		return ""
	}
	for _, layout := range []string{time.RFC3339Nano, time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.In(chinaTime).Format("2006-01-02")
		}
	}
	if m := dateYMD.FindStringSubmatch(s); m != nil {
		return ymd(m[1], m[2], m[3], s)
	}
	if m := dateYMD8.FindStringSubmatch(s); m != nil {
		return ymd(m[1], m[2], m[3], s)
	}
	if m := dateNums.FindStringSubmatch(s); m != nil {
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[2])
		switch {
		case a > 12 && b <= 12:
			return ymd(m[3], m[2], m[1], s)
		case b > 12 && a <= 12:
			return ymd(m[3], m[1], m[2], s)
		case a == b:
			return ymd(m[3], m[1], m[2], s)
		case order == DateMonthFirst:
			return ymd(m[3], m[1], m[2], s)
		case order == DateDayFirst:
			return ymd(m[3], m[2], m[1], s)
		}
		return s
	}
	if m := dateDMonY.FindStringSubmatch(s); m != nil {
		if mon, ok := months[strings.ToLower(m[2])]; ok {
			return ymd(m[3], strconv.Itoa(mon), m[1], s)
		}
	}
	if m := dateMonDY.FindStringSubmatch(s); m != nil {
		if mon, ok := months[strings.ToLower(m[1])]; ok {
			return ymd(m[3], strconv.Itoa(mon), m[2], s)
		}
	}
	return s
}

// ymd returns the date of year y, month m and day d (decimal strings; a
// two-digit year completed) as "2006-01-02", or orig when there is no such
// day ("2/30/15").
func ymd(y, m, d, orig string) string {
	yy, err1 := strconv.Atoi(y)
	mm, err2 := strconv.Atoi(m)
	dd, err3 := strconv.Atoi(d)
	if err1 != nil || err2 != nil || err3 != nil {
		return orig
	}
	if len(y) == 2 {
		if yy < 70 {
			yy += 2000
		} else {
			yy += 1900
		}
	}
	t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if t.Year() != yy || int(t.Month()) != mm || t.Day() != dd {
		return orig
	}
	return t.Format("2006-01-02")
}

// DateOrderOf returns the order the dates of one column follow: day first
// when some value's first number is above 12 ("19/3/15") and none's second
// is, month first in the opposite case ("03-18-14"), DateAny otherwise.
func DateOrderOf(values []string) DateOrder {
	dayFirst, monthFirst := false, false
	for _, v := range values {
		m := dateNums.FindStringSubmatch(strings.TrimSpace(fold(v)))
		if m == nil {
			continue
		}
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[2])
		dayFirst = dayFirst || a > 12 && b <= 12
		monthFirst = monthFirst || b > 12 && a <= 12
	}
	switch {
	case dayFirst && !monthFirst:
		return DateDayFirst
	case monthFirst && !dayFirst:
		return DateMonthFirst
	}
	return DateAny
}

// dayAndTime writes t as "2006-01-02", with " 15:04" when it has a time
// of day.
func dayAndTime(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02 15:04")
}

var (
	// serialRE is an Excel date serial as a sheet saved without its date
	// format shows it: 43864, 43871.5.
	serialRE = regexp.MustCompile(`^\d{5}(?:\.\d+)?$`)
	// monthDayRE is a date without its year: "2月3日", "2月3号", "2.3",
	// "2/3" (month first, as in China; a day-first column swaps "2/3").
	monthDayRE = regexp.MustCompile(`^(\d{1,2})\s*(?:月\s*(\d{1,2})\s*[日号]?|([./])\s*(\d{1,2}))$`)
	// clockRE is a time of day written after a date.
	clockRE = regexp.MustCompile(`[ T](\d{1,2}):(\d{2})(?::\d{2})?$`)
)

// Excel date serials read in a date column: 1954-10-04 to 2119-01-10,
// the years a relief sheet's dates fall in; other numbers are no date.
const (
	minSerial = 20000
	maxSerial = 80000
)

// dateContext is what the date columns of a table say as a whole: the
// order of their dates of three numbers (DateOrderOf) and the year most of
// their full dates name (0 when none does).
type dateContext struct {
	order DateOrder
	year  int
}

// serialDate returns the day (and time) Excel date serial v names, ok false
// when v is no serial of the years a relief sheet's dates fall in.
func serialDate(v string) (string, bool) {
	if !serialRE.MatchString(v) {
		return "", false
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || n < minSerial || n > maxSerial {
		return "", false
	}
	days := math.Floor(n)
	mins := math.Round((n - days) * 24 * 60)
	t := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(days)).Add(time.Duration(mins) * time.Minute)
	return dayAndTime(t), true
}

// readDate reads cell v of a date column (FieldDate, FieldDeadline) in the
// context of its table: it returns the value to keep — "2006-01-02", with
// " 15:04" when the cell names a time of day, or v as written when it names
// no one date — and, when the reading is not the cell as written, the
// Problem code that tells it with its Args (value, date, year): an Excel
// serial (ProblemDateSerial), a date without its year given the table's
// (ProblemDateYear), or kept as written because it has no year
// (ProblemDateNoYear) or is no date, or no one date (ProblemDateKept). The
// code is "" when v is read as written.
func readDate(v string, dc dateContext) (out, code string, a map[string]string) {
	s := strings.TrimSpace(fold(v))
	if d, ok := serialDate(s); ok {
		return d, ProblemDateSerial, args("value", s, "date", d)
	}
	if t, ok := zonedTime(s); ok { // its zone given: told in China time, time included
		return dayAndTime(t.In(chinaTime)), "", nil
	}
	if d := NormalizeDate(s, dc.order); isISODate(d) {
		if m := clockRE.FindStringSubmatch(s); m != nil && !strings.HasSuffix(s, "Z") && !strings.Contains(s, "+") {
			if h, _ := strconv.Atoi(m[1]); h < 24 && (h != 0 || m[2] != "00") {
				d += fmt.Sprintf(" %02d:%s", h, m[2])
			}
		}
		return d, "", nil
	}
	if m := monthDayRE.FindStringSubmatch(s); m != nil {
		mon, day := m[1], m[2]
		if m[3] != "" {
			day = m[4]
			if m[3] == "/" && dc.order == DateDayFirst {
				mon, day = day, mon
			}
		}
		if dc.year == 0 {
			return s, ProblemDateNoYear, args("value", s)
		}
		y := strconv.Itoa(dc.year)
		if d := ymd(y, mon, day, ""); d != "" {
			return d, ProblemDateYear, args("value", s, "date", d, "year", y)
		}
	}
	return s, ProblemDateKept, args("value", s)
}

// zonedTime parses s as an RFC 3339 timestamp (its zone given).
func zonedTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// zoneAssumed reports whether date cell v, read as d (readDate), has a
// time of day written without a zone: taken as China time.
func zoneAssumed(v, d string) bool {
	if len(d) <= len("2006-01-02") || !isISODate(d[:10]) {
		return false
	}
	_, zoned := zonedTime(strings.TrimSpace(fold(v)))
	return !zoned
}

// dateZones returns a ProblemDateZone for each date and deadline column of
// t under mapping m (dates read in the context dc) some of whose cells
// have a time of day without a zone.
func dateZones(t *Table, m Mapping, dc dateContext) []Problem {
	var out []Problem
	for _, c := range m.Columns {
		if c.Field != FieldDate && c.Field != FieldDeadline {
			continue
		}
		n := 0
		for _, r := range t.Rows {
			// a time of day is written with a colon ("14:30", "14：30") or is a serial's
			// fraction (43864.5): other cells are not read again
			if c.Index < len(r.Cells) && strings.ContainsAny(r.Cells[c.Index], ":.：．") {
				if d, _, _ := readDate(r.Cells[c.Index], dc); zoneAssumed(r.Cells[c.Index], d) {
					n++
				}
			}
		}
		if n > 0 {
			a := args("column", c.Header, "cells", strconv.Itoa(n), "zone", DateZone, "offset", "UTC+8")
			out = append(out, Problem{File: t.File, Field: c.Header, Code: ProblemDateZone, Args: a,
				Msg: fmt.Sprintf("%s in column %q %s no time zone: taken as China time (%s, UTC+8)", count(n, "time of day", "times of day"), c.Header, pick(n, "names", "name"), DateZone)})
		}
	}
	return out
}

// isISODate reports whether s is a date as NormalizeDate writes one.
func isISODate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

// yearOf returns the year a date cell names in full (an Excel serial or a
// date NormalizeDate reads), 0 when it names none.
func yearOf(v string, order DateOrder) int {
	s := strings.TrimSpace(fold(v))
	if d, ok := serialDate(s); ok {
		s = d
	} else {
		s = NormalizeDate(s, order)
	}
	if !isISODate(s) {
		return 0
	}
	y, _ := strconv.Atoi(s[:4])
	return y
}

// dateMsg is the English message of a date Problem of code with Args a
// (see readDate).
func dateMsg(code string, a map[string]string) string {
	switch code {
	case ProblemDateSerial:
		return fmt.Sprintf("%q is an Excel date serial (a date cell saved without its format): read as %s", a["value"], a["date"])
	case ProblemDateYear:
		return fmt.Sprintf("%q has no year: read as %s, in %s, the year of the sheet's other dates", a["value"], a["date"], a["year"])
	case ProblemDateNoYear:
		return fmt.Sprintf("%q has no year, and no other date of the sheet names one: kept as written", a["value"])
	}
	return fmt.Sprintf("%q in column %q is not one date: kept as written", a["value"], a["column"])
}
