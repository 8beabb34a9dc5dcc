package importer

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reliefmesh/reliefmesh/relief"
)

// idCardRun finds what may be an 18-character PRC resident identity card
// number (身份证号) in a text: 17 digits and a check character (a digit or
// X; ASCII or full-width), written whole, in its 6-8-4 groups with a
// space or dash between them ("410702 19800101 1232"), or in groups of
// four as a bank card's ("4107 0219 8001 0112 32"). idCardSpans keeps
// those not inside a longer number; letters may touch it ("sfz4107…").
var idCardRun = regexp.MustCompile(`[0-9０-９]{6}[ \-－]?[0-9０-９]{8}[ \-－]?[0-9０-９]{3}[0-9０-９XxＸｘ]|` +
	`[0-9０-９]{4}[ 　\-－][0-9０-９]{4}[ 　\-－][0-9０-９]{4}[ 　\-－][0-9０-９]{4}[ 　\-－][0-9０-９][0-9０-９XxＸｘ]`)

// isDigitRune reports whether r is an ASCII or full-width digit.
func isDigitRune(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

// idCardSpans returns the byte spans of v's idCardRun matches that no digit
// touches on either side.
func idCardSpans(v string) [][]int {
	var out [][]int
	for _, m := range idCardRun.FindAllStringIndex(v, -1) {
		before, _ := utf8.DecodeLastRuneInString(v[:m[0]])
		after, _ := utf8.DecodeRuneInString(v[m[1]:])
		if isDigitRune(before) || isDigitRune(after) {
			continue
		}
		out = append(out, m)
	}
	return out
}

// idCard returns run (an idCardRun match) folded (ASCII, no spaces or
// dashes, an upper-case X) and whether it is a resident identity card
// number (idCardNumber).
func idCard(run string) (string, bool) {
	id := strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\u3000", "").Replace(fold(run)))
	return id, idCardNumber(id)
}

// idCardProvinces are the first two digits of the regions GB/T 2260 gives
// resident identity card numbers (provinces, Hong Kong, Macao, Taiwan).
var idCardProvinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true, "21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true, "71": true, "81": true, "82": true, "83": true,
}

// idCardWeights are the weights of the first 17 digits in the check
// character of GB 11643-1999 (ISO 7064 MOD 11-2): 2^(17-i) mod 11.
var idCardWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCardNumber reports whether s (folded: ASCII digits, an upper-case X) is
// a PRC resident identity card number: its first two digits are a region's
// (idCardProvinces), its check character is that of
// ISO 7064 MOD 11-2 over the first 17 digits, and its digits 7–14 are a
// date of birth from 1900 on that is not after today (UTC + 1 day). An
// order or waybill number of 18 digits passes both by chance about once in
// 300 (the check: 1 in 11; a date: about 1 in 30): it is then sealed, the
// cell's reader told.
func idCardNumber(s string) bool {
	if len(s) != 18 || !idCardProvinces[s[:2]] {
		return false
	}
	sum := 0
	for i := range 17 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		sum += int(s[i]-'0') * idCardWeights[i]
	}
	if s[17] != "10X98765432"[sum%11] {
		return false
	}
	born, err := time.Parse("20060102", s[6:14])
	return err == nil && born.Year() >= 1900 && born.Before(time.Now().UTC().AddDate(0, 0, 1))
}

// idCardsInText returns the resident identity card numbers (idCardNumber)
// written in v, folded (ASCII digits, an upper-case X), each once, as
// contacts of kind relief.ContactIDCard.
func idCardsInText(v string) []relief.Contact {
	if countDigits(v) < 17 && !strings.ContainsFunc(v, func(r rune) bool { return r >= '０' && r <= '９' }) {
		return nil
	}
	var out []relief.Contact
	for _, m := range idCardSpans(v) {
		if id, ok := idCard(v[m[0]:m[1]]); ok && !containsPhone(out, id) {
			out = append(out, relief.Contact{Kind: relief.ContactIDCard, Phone: id})
		}
	}
	return out
}

// HasIDCardNumber reports whether v holds what looks like a PRC resident
// identity card number (身份证号): 18 characters, whole, in their 6-8-4
// groups or in groups of four, ASCII or full-width, with a region's first two digits, a date of
// birth and a valid check character (idCardNumber), not inside a longer
// number. A form checks its free text with it (desk).
func HasIDCardNumber(v string) bool { return len(idCardsInText(v)) > 0 }

// containsPhone reports whether one of cs has Phone p.
func containsPhone(cs []relief.Contact, p string) bool {
	for _, c := range cs {
		if c.Phone == p {
			return true
		}
	}
	return false
}

// maskIDCards returns v with each resident identity card number of ids
// (their folded form, as idCardsInText gives them) replaced by
// ContactSealedMark, however it is written (full-width, a lower-case x).
func maskIDCards(v string, ids []string) string {
	return maskIDCardsWhere(v, func(id string) bool { return slices.Contains(ids, id) })
}

// maskIDCardsWhere returns v with each resident identity card number for
// whose folded form seal is true replaced by ContactSealedMark.
func maskIDCardsWhere(v string, seal func(id string) bool) string {
	var b strings.Builder
	last := 0
	for _, m := range idCardSpans(v) {
		if id, ok := idCard(v[m[0]:m[1]]); ok && seal(id) {
			b.WriteString(v[last:m[0]])
			b.WriteString(ContactSealedMark)
			last = m[1]
		}
	}
	if last == 0 {
		return v
	}
	b.WriteString(v[last:])
	return b.String()
}

// maskIDCardsIn returns v with every resident identity card number in it
// replaced by ContactSealedMark: for a value a report or the hub echoes
// (a contact cell that is not a phone number).
func maskIDCardsIn(v string) string {
	return maskIDCardsWhere(v, func(string) bool { return true })
}

// sealedSample returns v, a cell a report shows as a sample of its column,
// with the contacts an import seals (contactsInText: phone numbers, ids,
// e-mail addresses, identity card numbers) replaced by ContactSealedMark:
// a report never shows them.
func sealedSample(v string) string {
	if cs := contactsInText(v, "CN"); len(cs) > 0 {
		return maskContacts(v, cs)
	}
	return v
}
