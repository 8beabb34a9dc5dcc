package importer

import (
	"regexp"
	"strconv"
	"strings"
	"time"
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
			return t.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
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
