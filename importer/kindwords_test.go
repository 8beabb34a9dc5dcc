package importer

import "testing"

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
