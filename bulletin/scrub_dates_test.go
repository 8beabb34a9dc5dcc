package bulletin

import (
	"strings"
	"testing"
)

// TestScrubKeepsDates: a deadline in a team bulletin ("截止日期: 2021-07-26"
// in 原表其他信息 or 说明) is a date, not a phone number: Scrub keeps it in
// every usual spelling, with a time after it. Session 10's tester found it
// masked as "截止日期: [***]"; the test failed on main.
func TestScrubKeepsDates(t *testing.T) {
	for in, want := range map[string]string{
		"截止日期: 2021-07-26":          "截止日期: 2021-07-26",
		"2021-07-24":                "2021-07-24",
		"提交日期 2021.07.23":           "提交日期 2021.07.23",
		"2021.7.26 前送到":             "2021.7.26 前送到",
		"截止 2021/07/26":             "截止 2021/07/26",
		"2021年7月26日 14:30 到货":       "2021年7月26日 14:30 到货",
		"2021-07-26 14:30 到货":       "2021-07-26 14:30 到货",
		"2021-07-26T14:30:05":       "2021-07-26T14:30:05",
		"7月26日至2021-08-01":          "7月26日至2021-08-01",
		"2021-07-26，2021-07-27 各一批": "2021-07-26，2021-07-27 各一批",
		"更新于 ２０２１－０７－２６":            "更新于 2021-07-26",
		"有效期 2019/1/1—2021/12/31":   "有效期 2019/1/1—2021/12/31",
	} {
		if got := Scrub(in); got != want {
			t.Errorf("Scrub(%q) = %q; want %q (a date, not a phone number)", in, got, want)
		}
	}
}

// TestScrubMasksPhonesBesideDates: keeping dates lets no phone number
// through — a phone right after a date, mobile numbers spaced or dashed,
// landlines with their area code, +86, and digit runs that only look like
// the start of a date.
func TestScrubMasksPhonesBesideDates(t *testing.T) {
	for in, want := range map[string]string{
		"2021-07-26 13800000000":       "2021-07-26 [***]",
		"2021-07-26 14:30 13800000000": "2021-07-26 14:30 [***]",
		"2021-07-26联系13800000000":      "2021-07-26联系[***]",
		"13800000000":                  "[***]",
		"138 0000 0000":                "[***]",
		"138-0000-0000":                "[***]",
		"0373-2029998":                 "[***]",
		"电话 0373-2029998 截止2021-07-26": "电话 [***] 截止2021-07-26",
		"+86 138 3731 0002":            "[***]",
		"+8620210726123":               "[***]",
		"139.2021.0726":                "[***]",
		"20210726":                     "[***]", // no separators: the shape of a landline
		"1392021-07-26":                "[***]",
	} {
		if got := Scrub(in); got != want {
			t.Errorf("Scrub(%q) = %q; want %q", in, got, want)
		}
		if strings.Contains(Scrub(in), "3800000000") {
			t.Errorf("Scrub(%q) keeps the phone", in)
		}
	}
}
