package importer

import (
	"strings"
	"testing"
)

// TestKindWordsPlural: "2 contacts (phone number)" in an English import
// report (seen in session 13's screenshots): the kind of several contacts
// of one kind is said in the plural; a list of kinds stays a list.
func TestKindWordsPlural(t *testing.T) {
	for _, tc := range []struct {
		kinds []string
		count int
		lang  string
		want  string
	}{
		{[]string{"phone"}, 1, "en", "phone number"},
		{[]string{"phone"}, 2, "en", "phone numbers"},
		{[]string{"email"}, 3, "en", "e-mail addresses"},
		{[]string{"phone", "id_card"}, 2, "en", "phone number, identity card number"},
		{[]string{"phone", "id_card"}, 3, "en", "phone number, identity card number"},
		{[]string{"phone"}, 2, "zh-CN", "电话号码"},
	} {
		if got := kindWords(tc.kinds, tc.lang, tc.count); got != tc.want {
			t.Errorf("kindWords(%v, %s, %d) = %q; want %q", tc.kinds, tc.lang, tc.count, got, tc.want)
		}
	}
}

// TestOneTotalsRowInEnglish: "1 totals rows (合计, 小计, 总计) not imported:
// rows 4" (the reviewer of session 13): one row left out is said as one.
func TestOneTotalsRowInEnglish(t *testing.T) {
	tb, err := ReadCSV("t.csv", strings.NewReader("医院名称,物资,数量\n甲医院,口罩,100\n乙医院,防护服,200\n合计,,300\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.Problems) != 1 || tb.Problems[0].Msg != "1 totals row (合计, 小计, 总计) not imported: row 4" {
		t.Errorf("problems %v; want one totals row told in the singular", tb.Problems)
	}
}
