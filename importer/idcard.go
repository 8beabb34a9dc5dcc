package importer

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/reliefmesh/reliefmesh/relief"
)

// alnumRun finds the runs of digits and Latin letters (ASCII or
// full-width) of a text: an 18-character PRC resident identity card number
// (身份证号) is one such run of its own (idCard), not the part of a longer
// number or code.
var alnumRun = regexp.MustCompile(`[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]{18,}`)

// idCard returns run (an alnumRun) folded (ASCII, an upper-case X) and
// whether it is a resident identity card number (idCardNumber).
func idCard(run string) (string, bool) {
	id := strings.ToUpper(fold(run))
	return id, idCardNumber(id)
}

// idCardWeights are the weights of the first 17 digits in the check
// character of GB 11643-1999 (ISO 7064 MOD 11-2): 2^(17-i) mod 11.
var idCardWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCardNumber reports whether s (folded: ASCII digits, an upper-case X) is
// a PRC resident identity card number: its check character is that of
// ISO 7064 MOD 11-2 over the first 17 digits, and its digits 7–14 are a
// date of birth from 1900 on that is not after today (UTC + 1 day). An
// order or waybill number of 18 digits passes both by chance about once in
// 300 (the check: 1 in 11; a date: about 1 in 30): it is then sealed, the
// cell's reader told.
func idCardNumber(s string) bool {
	if len(s) != 18 {
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
	for _, run := range alnumRun.FindAllString(v, -1) {
		if id, ok := idCard(run); ok && !containsPhone(out, id) {
			out = append(out, relief.Contact{Kind: relief.ContactIDCard, Phone: id})
		}
	}
	return out
}

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
	return alnumRun.ReplaceAllStringFunc(v, func(run string) string {
		if id, ok := idCard(run); ok && slices.Contains(ids, id) {
			return ContactSealedMark
		}
		return run
	})
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
