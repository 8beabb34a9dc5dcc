package importer

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/reliefmesh/reliefmesh/relief"
)

// ContactSealedMark is what a cell kept as written (a remark, a source
// field) holds in place of a phone number, a WeChat id, a QQ number or an
// e-mail address the importer moved into the record's contacts, which are
// sealed (for reviewers, coordinators and the owner). It is text of the
// cell, read by every member, in both languages.
const ContactSealedMark = "[联系方式已加密 contact sealed]"

// emailRE finds an e-mail address, with its label if one is written before
// it ("邮箱：li@example.org", "Email: li@example.org").
var emailRE = regexp.MustCompile(`(?i)(?:(?:电子邮箱|电子邮件|邮箱|邮件|电邮|e-?mail)\s*[:：]?\s*)?([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})`)

// Headers of columns whose cells are contacts of one kind: a WeChat id, a
// QQ number, an e-mail address (the mapping holds them in no field).
var (
	wechatHeader = regexp.MustCompile(`(?i)微信|wechat|weixin|^\s*(?:vx|wx)\s*$`)
	qqHeader     = regexp.MustCompile(`(?i)qq`)
	emailHeader  = regexp.MustCompile(`(?i)邮箱|邮件|电邮|e-?mail|^\s*mail\s*$`)
)

// contactKindOf returns the kind of contact (relief.ContactWeChat,
// relief.ContactQQ, relief.ContactEmail) the cells of a column headed
// header hold, and false for any other column.
func contactKindOf(header string) (string, bool) {
	switch {
	case wechatHeader.MatchString(header):
		return relief.ContactWeChat, true
	case qqHeader.MatchString(header):
		return relief.ContactQQ, true
	case emailHeader.MatchString(header):
		return relief.ContactEmail, true
	}
	return "", false
}

// idSep splits a cell of WeChat ids, QQ numbers or e-mail addresses into
// one per contact.
var idSep = regexp.MustCompile(`[\s\n；;、，,/|]+`)

// idLabel is a label written before an id in a cell of its own column
// ("微信号：abc", "QQ：123", "邮箱: a@b.org").
var idLabel = regexp.MustCompile(`(?i)^(?:微信号?|wechat|weixin|vx|wx|qq号?|qq群号?|电子邮箱|电子邮件|邮箱|邮件|电邮|e-?mail)(?:\s*[:：]\s*|\s+)`)

// kindContacts returns the contacts of kind written in cell, a cell of a
// column of that kind (contactKindOf): one per id, with its label taken
// off; a WeChat id that is a phone number is kept as its national digits
// (as "微信同号" is read). Nothing of the cell is dropped: a word that is
// no id is kept as an id of that kind as written.
func kindContacts(kind, cell, region string) []relief.Contact {
	var out []relief.Contact
	t := fold(cell)
	if kind == relief.ContactEmail {
		for _, m := range emailRE.FindAllStringSubmatch(t, -1) {
			out = append(out, relief.Contact{Kind: kind, Phone: m[1]})
		}
		t = emailRE.ReplaceAllString(t, " ")
	}
	for _, tok := range idSep.Split(t, -1) {
		tok = strings.Trim(idLabel.ReplaceAllString(strings.TrimSpace(tok), ""), " :：.。()（）[]【】")
		if tok == "" {
			continue
		}
		if kind == relief.ContactWeChat {
			if p, k, err := CleanPhone(tok, region); err == nil && k == PhoneMobile {
				tok = strings.TrimPrefix(p, "+86")
			}
		}
		out = append(out, relief.Contact{Kind: kind, Phone: tok}) // cut to relief.MaxPhone, told, by the import (cutter)
	}
	return out
}

// contactsInText returns the contacts written in free text v (a remark, a
// cell kept as written): its phone numbers (phonesInText: mobiles and
// landlines with their area code, never a bare number), WeChat ids and QQ
// numbers after their label, e-mail addresses, and PRC resident identity
// card numbers (idCardsInText: relief.ContactIDCard).
func contactsInText(v, region string) []relief.Contact {
	var out []relief.Contact
	if longDigitRun(v) {
		out = phonesInText(v, region)
		out = append(out, idCardsInText(v)...)
	}
	if !strings.ContainsAny(v, "@＠") && !hasIDWord(v) {
		return out
	}
	cs, _ := CleanContacts(v, region)
	for _, c := range cs {
		if c.Kind != "" && c.Phone != "" {
			out = append(out, relief.Contact{Name: c.Name, Role: c.Role, Kind: c.Kind, Phone: c.Phone})
		}
	}
	return out
}

// idWords are the labels of a WeChat id or a QQ number (wechatRE, qqRE),
// lower case, as written: a cell without one is not read for ids.
var idWords = []string{"微信", "weixin", "wechat", "vx", "wx", "qq", "ｑｑ", "ｗｘ", "ｖｘ"}

// hasIDWord reports whether v holds one of idWords, in any case (a
// substring test: a regular expression cost 7 % of an import's CPU).
func hasIDWord(v string) bool {
	l := strings.ToLower(v)
	for _, w := range idWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// longDigitRun reports whether v has a run of seven digits or more (ASCII
// or full-width, with the separators textRun allows): the shortest phone
// phonesInText reads. A cell without one is not read for phones.
func longDigitRun(v string) bool {
	if countDigits(v) < 7 && !strings.ContainsFunc(v, func(r rune) bool { return r >= '０' && r <= '９' }) {
		return false
	}
	for _, run := range textRun.FindAllString(v, -1) {
		n := 0
		for _, r := range run {
			if r >= '0' && r <= '9' || r >= '０' && r <= '９' {
				n++
			}
		}
		if n >= 7 {
			return true
		}
	}
	return false
}

// textRun finds the runs of digits of a cell as written (ASCII or
// full-width), with the spaces, dashes and brackets people type between
// them, a leading "+" and an extension after them.
var textRun = regexp.MustCompile(`(?i)[+＋]?[(（]?[0-9０-９](?:[\s\-－—–()（）]{0,2}[0-9０-９])*(?:\s*(?:转|分机号?|ext\.?|x)\s*[0-9０-９]{1,6})?`)

// maskContacts returns v with each contact of cs written in it replaced by
// ContactSealedMark: a phone number wherever a run of digits is that
// number (a run holding its digits: with or without its +86, its area
// code's 0 or its extension), an id or an address wherever it is written.
func maskContacts(v string, cs []relief.Contact) string {
	var phones []string // the digits of each number, without +86
	var ids []string    // resident identity card numbers
	for _, c := range cs {
		if c.Phone == "" {
			continue
		}
		if c.Kind == relief.ContactIDCard {
			ids = append(ids, c.Phone)
			continue
		}
		if c.Kind == "" {
			n, _, _ := strings.Cut(c.Phone, ";ext=")
			if d := digitsOf(n); len(d) >= 7 {
				phones = append(phones, strings.TrimPrefix(d, "86"))
			}
			continue
		}
		v = replaceFold(v, c.Phone)
	}
	if len(ids) > 0 {
		v = maskIDCards(v, ids)
	}
	if len(phones) == 0 {
		return v
	}
	return textRun.ReplaceAllStringFunc(v, func(run string) string {
		d := digitsOf(fold(run))
		for _, p := range phones {
			if strings.Contains(d, p) {
				return ContactSealedMark // the number, with its +86, its area code's 0, its extension or a number glued to it
			}
		}
		return run
	})
}

// replaceFold replaces id in v by ContactSealedMark, where it is written as
// is or with full-width characters (v folded, when folding keeps its
// length in runes).
func replaceFold(v, id string) string {
	if strings.Contains(v, id) {
		return strings.ReplaceAll(v, id, ContactSealedMark)
	}
	f := fold(v)
	i := strings.Index(f, id)
	if i < 0 || len([]rune(f)) != len([]rune(v)) {
		return v
	}
	start := len([]rune(f[:i]))
	end := start + len([]rune(id))
	r := []rune(v)
	return string(r[:start]) + ContactSealedMark + string(r[end:])
}

// sealedCell is a cell whose contacts the importer moved into the record's
// contacts: its column, what kinds, how many.
type sealedCell struct {
	column string
	kinds  []string
	count  int
}

// sealedMsg is the English message of a ProblemContactSealed.
func (s sealedCell) msg(whole bool) string {
	if whole {
		return fmt.Sprintf("the cell of column %q holds %s (%s): moved into the contacts, which are sealed (for reviewers, coordinators and the owner); the cell is not kept in plain text",
			s.column, count(s.count, "contact", "contacts"), strings.Join(s.kinds, ", "))
	}
	return fmt.Sprintf("the cell of column %q holds %s (%s): moved into the contacts, which are sealed (for reviewers, coordinators and the owner); the cell keeps %s where %s",
		s.column, count(s.count, "contact", "contacts"), strings.Join(s.kinds, ", "), ContactSealedMark, pick(s.count, "it was", "each was"))
}

// args are a ProblemContactSealed's arguments: column, count, kinds
// (phone, wechat, qq, email, id_card joined by ", "), the same as words
// (kinds_en, kinds_zh: kindWords), whole ("1": the cell was a
// column of contacts and is not kept; "0": the cell is kept with marks).
func (s sealedCell) args(whole bool) map[string]string {
	w := "0"
	if whole {
		w = "1"
	}
	return args("column", s.column, "count", strconv.Itoa(s.count), "kinds", strings.Join(s.kinds, ", "), "whole", w,
		"kinds_en", kindWords(s.kinds, "en", s.count), "kinds_zh", kindWords(s.kinds, "zh-CN", s.count))
}

// contactKindWords name each contact kind kindsOf gives, in each language.
var contactKindWords = map[string]map[string]string{
	"en":    {"phone": "phone number", relief.ContactWeChat: "WeChat ID", relief.ContactQQ: "QQ number", relief.ContactEmail: "e-mail address", relief.ContactIDCard: "identity card number"},
	"zh-CN": {"phone": "电话号码", relief.ContactWeChat: "微信号", relief.ContactQQ: "QQ号", relief.ContactEmail: "电子邮箱", relief.ContactIDCard: "身份证号"},
}

// kindWords returns kinds (kindsOf's codes) as words of lang, joined as
// that language lists ("phone number, identity card number"; "电话号码、身份证号").
// count is how many contacts they name: in English, several contacts of
// one kind are said in the plural ("phone numbers").
func kindWords(kinds []string, lang string, count int) string {
	words := make([]string, len(kinds))
	for i, k := range kinds {
		if w, ok := contactKindWords[lang][k]; ok {
			words[i] = w
		} else {
			words[i] = k
		}
	}
	if lang == "en" && len(words) == 1 && count > 1 {
		if strings.HasSuffix(words[0], "s") {
			return words[0] + "es"
		}
		return words[0] + "s"
	}
	if lang == "zh-CN" {
		return strings.Join(words, "、")
	}
	return strings.Join(words, ", ")
}

// kindsOf returns the kinds of cs, each once, a phone number as "phone".
func kindsOf(cs []relief.Contact) []string {
	var out []string
	for _, c := range cs {
		k := c.Kind
		if k == "" {
			k = "phone"
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}
