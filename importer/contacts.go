package importer

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	"github.com/reliefmesh/reliefmesh/relief"
)

// PhoneKind says what a cleaned phone number is.
type PhoneKind int

// Phone kinds.
const (
	PhoneInvalid PhoneKind = iota // not a usable number
	PhoneMobile                   // a mobile number
	PhoneFixed                    // a landline, a 400/800 line or another number phonenumbers validates
	PhoneShort                    // a service hotline of 5–6 digits: 95xxx, 96xxx, 12xxx, 11xxx, 10xxx
)

// dashes are the dashes people type between an area code and a number
// ("0716—8321327", "0716－8321327"): all read as "-".
var dashes = strings.NewReplacer("—", "-", "–", "-", "―", "-", "－", "-", "‐", "-", "‑", "-", "─", "-", "━", "-", "~", "-", "～", "-")

// extRE finds an extension written after a number: "转8001", "分机 801",
// "ext. 12", "x12".
var extRE = regexp.MustCompile(`(?i)^(.*\d)\s*(?:转|分机号?|ext\.?|x)\s*(\d{1,6})\s*$`)

// dashExtRE finds an extension written as a last group after a landline:
// "027-87886666-8001".
var dashExtRE = regexp.MustCompile(`^(.*\d{7,8})\s*-\s*(\d{1,5})\s*$`)

// CleanPhone normalises one phone number written in any of the usual ways
// ("+86 138 0000 0000", "86 13800000000", "（+86）13800000000", full-width
// digits, "027-85726035", "0716—8321327", "(027)87886666", "0713 52423204")
// for region (an ISO 3166 code, "CN" if empty). It returns the number in
// E.164 ("+8613800000000") or, for short hotlines, the digits; an extension
// ("转8001", "ext 12", "分机801", "027-87886666-8001") follows as ";ext=8001"
// (RFC 3966). A Chinese mobile pattern (1[3-9] and nine digits) is accepted
// even where the library's tables call the prefix unassigned, since test data
// uses same-shape fake numbers; so is a Chinese landline of an area code (010,
// 02x or three digits after 0) and a 7- or 8-digit local number. The error
// says why a value is not a number.
func CleanPhone(s, region string) (string, PhoneKind, error) {
	t := dashes.Replace(fold(s))
	if m := extRE.FindStringSubmatch(t); m != nil {
		if p, kind, err := cleanPhone(m[1], s, region); err == nil && kind != PhoneShort {
			return p + ";ext=" + m[2], kind, nil
		}
	}
	p, kind, err := cleanPhone(t, s, region)
	if err != nil {
		if m := dashExtRE.FindStringSubmatch(t); m != nil && strings.Count(t, "-") >= 2 {
			if p, kind, err2 := cleanPhone(m[1], s, region); err2 == nil && kind == PhoneFixed {
				return p + ";ext=" + m[2], kind, nil
			}
		}
		return "", PhoneInvalid, err
	}
	return p, kind, nil
}

// cleanPhone is CleanPhone without extensions, on folded text t; errors
// name orig, the value as written.
func cleanPhone(t, orig, region string) (string, PhoneKind, error) {
	orig = strings.TrimSpace(orig)
	if region == "" {
		region = "CN"
	}
	plus := strings.Contains(t, "+") || strings.HasPrefix(strings.TrimSpace(t), "00")
	var digits strings.Builder
	for _, r := range t {
		if r >= '0' && r <= '9' {
			digits.WriteRune(r)
		}
	}
	d := digits.String()
	if strings.HasPrefix(strings.TrimSpace(t), "00") {
		d = strings.TrimPrefix(d, "00")
	}
	switch {
	case d == "":
		return "", PhoneInvalid, fmt.Errorf("%q is not a phone number", orig)
	case (len(d) == 5 || len(d) == 6) && !plus && (strings.HasPrefix(d, "95") || strings.HasPrefix(d, "96") || strings.HasPrefix(d, "12") || strings.HasPrefix(d, "11") || strings.HasPrefix(d, "10")):
		return d, PhoneShort, nil
	case len(d) < 7:
		return "", PhoneInvalid, fmt.Errorf("%q is not a phone number", orig)
	}
	if region == "CN" && !plus && len(d) == 13 && strings.HasPrefix(d, "861") {
		plus = true // "86 13800000000"
	}
	raw := d
	if plus {
		raw = "+" + d
	}
	num, err := phonenumbers.Parse(raw, region)
	if err != nil {
		if e164, ok := cnLandline(d, plus, region); ok {
			return e164, PhoneFixed, nil
		}
		return "", PhoneInvalid, fmt.Errorf("%q is not a phone number: %v", strings.TrimSpace(t), err)
	}
	national := strconv.FormatUint(num.GetNationalNumber(), 10)
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	cnMobile := num.GetCountryCode() == 86 && len(national) == 11 && national[0] == '1' && national[1] >= '3'
	if phonenumbers.IsValidNumber(num) || cnMobile {
		if cnMobile || phonenumbers.GetNumberType(num) == phonenumbers.MOBILE {
			return e164, PhoneMobile, nil
		}
		return e164, PhoneFixed, nil
	}
	if e164, ok := cnLandline(d, plus, region); ok {
		return e164, PhoneFixed, nil
	}
	return "", PhoneInvalid, fmt.Errorf("%q is not a valid phone number", orig)
}

// cnLandline returns the E.164 form of digits d when they have the shape of
// a Chinese landline: 0, an area code (10, 2x, or three digits from 3 to 9)
// and a local number of 7 or 8 digits not starting with 0 or 1 (with +86
// instead of the 0 when plus). The library's tables miss some local number
// lengths ("0713 52423204"); the shape is what people dial.
func cnLandline(d string, plus bool, region string) (string, bool) {
	switch {
	case plus && strings.HasPrefix(d, "86"):
		d = "0" + d[2:]
	case plus || region != "CN":
		return "", false
	}
	if len(d) < 10 || len(d) > 12 || d[0] != '0' || d[1] == '0' {
		return "", false
	}
	area := 3
	if d[1] == '1' || d[1] == '2' {
		area = 2
		if d[1] == '1' && d[2] != '0' {
			return "", false // 01x other than 010 is no area code
		}
	}
	local := d[1+area:]
	if len(local) < 7 || len(local) > 8 || local[0] == '0' || local[0] == '1' {
		return "", false
	}
	return "+86" + d[1:], true
}

// areaOf returns the area code of a Chinese landline in E.164 ("+862787886666"
// → "27"), "" for anything else.
func areaOf(e164 string) string {
	n, ok := strings.CutPrefix(e164, "+86")
	if !ok || len(n) < 9 || n[0] == '1' && n[1] != '0' || n[0] == '4' || n[0] == '8' {
		return ""
	}
	if n[0] == '1' || n[0] == '2' {
		return n[:2]
	}
	return n[:3]
}

// phoneCand finds runs that may be phone numbers: digits with single spaces
// or dashes inside, an optional "+", "(+86)", "(86)" or an area code in
// brackets ("(027)", "(0716)") before them. It runs on folded text (ASCII
// digits and brackets).
var phoneCand = regexp.MustCompile(`(?:\(\+?\d{1,4}\)\s?|\+)?\d(?:(?:\s?-\s?|\s)?\d)*`)

// extAfter finds an extension right after a number.
var extAfter = regexp.MustCompile(`(?i)^\s*(?:转|分机号?|ext\.?|x)\s*\d{1,6}`)

// contactSep splits a contact cell into parts; "|" keeps the person of the
// part before it (a name and its numbers: "设备科 杨芸|027-…|186…").
var contactSep = regexp.MustCompile(`[\n；;、/，,|]+`)

var labelRE = regexp.MustCompile(`(?i)^(联系人|联系方式|联系电话|电话|手机号码|手机号|手机|座机|固话|处理人|微信同号|微信号|微信|qq号|qq群|qq|tel|phone|mobile|contact|wechat)\s*[:：]?\s*`)

// trailingLabel finds a label after a name ("李主任 电话", "办公室电话"): the
// number follows it, it is no part of the name.
var trailingLabel = regexp.MustCompile(`(?i)\s*(联系电话|电话|手机号码|手机号|手机|座机|固话|微信同号|tel|phone|mobile)\s*[:：]?\s*$`)

// sameWeChat finds the words saying the phone number is the WeChat id too.
var sameWeChat = regexp.MustCompile(`微信同号|同微信|微信同手机|手机同微信`)

// numberedLabel finds a label numbered with a digit or two before a space or
// colon ("联系方式1 027-82788599", "联系人2：13800000000"): the label's number is
// not part of the phone number that follows.
var numberedLabel = regexp.MustCompile(`(?i)(联系人|联系方式|联系电话|电话|手机号码|手机号|手机|座机|tel|phone|mobile|contact)\s?\d{1,2}(\s*[:：]\s*|\s+)`)

var roleRE = regexp.MustCompile(`^(\p{Han}{1,8}?(科|处|办|部|室|中心|组)(主任|科长|处长|负责人)?)\s*(.*)$`)

// wechatRE finds a WeChat id after its label: an id starts with a letter and
// has 6 to 20 letters, digits, "_" or "-" (a number after the label is a
// phone number, read as one).
var wechatRE = regexp.MustCompile(`(?i)(?:微信号?|weixin|wechat|vx|wx)\s*[:：]?\s*([A-Za-z][-_A-Za-z0-9]{5,19})`)

// qqRE finds a QQ number (or a QQ group's) after its label.
var qqRE = regexp.MustCompile(`(?i)QQ\s*(?:号|群|群号)?\s*[:：]?\s*(\d{5,12})`)

// sciPhoneRE is a long number as a spreadsheet program shows it in
// scientific notation ("1.38E+10" for 13800000001): its digits past the
// shown ones are lost.
var sciPhoneRE = regexp.MustCompile(`\d(?:\.\d+)?[eE]\+?\d{1,2}`)

// ContactProblem is a value in a contact cell that is not a usable phone
// number; the contact is kept with the value as written in Phone.
type ContactProblem struct {
	Value string // the value as written
	Err   error
}

// CleanContacts splits a contact cell into contacts: several people separated
// by newlines, ；, 、, /, commas or spaces, each with a name before or after the
// number ("X老师13800000000", "13447641723辛", "设备科癸老师 18140530357"), or
// in parts joined by "|" ("张三|138…;李四|139…": the numbers after a name
// belong to it). A department in front of the name becomes the Role. Numbers
// are normalised with CleanPhone (landlines with their area code in any
// spelling, extensions); a local number after a landline takes its area
// code ("027-85726035、85726036"). WeChat and QQ ids after their label are
// contacts of Kind relief.ContactWeChat and relief.ContactQQ, e-mail
// addresses (with or without a label) of Kind relief.ContactEmail. Several names
// before several numbers are paired in order ("甲 乙 138… 139… 137…": 甲, 乙,
// then a number without a name), never joined onto each. Numbers too short
// or invalid are reported as ContactProblems and kept in Phone as written,
// never dropped; a name with no number is kept as a contact without phone.
// A number in scientific notation ("1.38E+10") is reported and makes no
// contact: its digits are lost.
func CleanContacts(cell, region string) ([]relief.Contact, []ContactProblem) {
	if cs, probs, ok := namesGroup(cell, region); ok {
		return cs, probs
	}
	text := dashes.Replace(fold(cell))
	var out []relief.Contact
	var probs []ContactProblem
	var pending []string // names seen without a number, in order
	lastArea := ""       // of the last landline, for a local number after it
	var carry *relief.Contact
	seps := contactSep.FindAllStringIndex(text, -1)
	start := 0
	for si := 0; si <= len(seps); si++ {
		end, sepBefore := len(text), ""
		if si < len(seps) {
			end = seps[si][0]
		}
		if si > 0 {
			sepBefore = text[seps[si-1][0]:seps[si-1][1]]
		}
		seg := text[start:end]
		if si < len(seps) {
			start = seps[si][1]
		}
		if !strings.ContainsAny(sepBefore, "|/") || strings.ContainsAny(sepBefore, "\n；;") {
			carry = nil // a number after "|" or "/" alone is the same person's
		}
		seg = strings.TrimSpace(numberedLabel.ReplaceAllString(seg, "$1$2"))
		if seg == "" {
			continue
		}
		var handles []relief.Contact
		cut := func(re *regexp.Regexp, kind string) {
			seg = re.ReplaceAllStringFunc(seg, func(m string) string {
				handles = append(handles, relief.Contact{Kind: kind, Phone: re.FindStringSubmatch(m)[1]})
				return " "
			})
		}
		cut(emailRE, relief.ContactEmail)
		cut(wechatRE, relief.ContactWeChat)
		cut(qqRE, relief.ContactQQ)
		seg = sciPhoneRE.ReplaceAllStringFunc(seg, func(m string) string {
			probs = append(probs, ContactProblem{Value: m, Err: &codedError{code: ProblemPhoneScientific, args: args("value", m),
				msg: fmt.Sprintf("%q is a number in scientific notation, as a spreadsheet program shows a long number: its last digits are lost, so it is no phone number; ask for the number", m)}})
			return " "
		})
		sameAsPhone := sameWeChat.MatchString(seg)
		seg = sameWeChat.ReplaceAllString(seg, " ")
		cands, texts := phoneParts(seg, region, &lastArea)
		if sameAsPhone {
			for _, c := range cands {
				if n, ok := strings.CutPrefix(c.phone, "+86"); ok && c.bad == nil && len(n) == 11 && n[0] == '1' {
					handles = append(handles, relief.Contact{Kind: relief.ContactWeChat, Phone: n})
				}
			}
		}
		names := pairNames(texts, len(cands))
		segName := cleanName(strings.Join(texts, " "))
		if len(cands) == 0 {
			if len(handles) == 0 {
				if segName != "" {
					pending = append(pending, segName)
				}
				continue
			}
		}
		var last *relief.Contact
		for i, c := range cands {
			var ct relief.Contact
			switch {
			case names[i] != "":
				ct = splitRole(names[i])
			case len(pending) > 0:
				ct, pending = splitRole(pending[0]), pending[1:]
			case carry != nil:
				ct = relief.Contact{Name: carry.Name, Role: carry.Role}
			}
			if c.bad != nil {
				probs = append(probs, ContactProblem{Value: c.raw, Err: c.bad})
				ct.Phone = c.raw
			} else {
				ct.Phone = c.phone
			}
			out = append(out, ct)
			last = &out[len(out)-1]
		}
		if len(cands) > 1 && allEmpty(names) && segName != "" {
			// more words than numbers: kept as written, not joined onto each number
			out = append(out, splitRole(segName))
		}
		for _, h := range handles {
			who := relief.Contact{}
			switch {
			case last != nil:
				who = *last
			case segName != "":
				who = splitRole(segName)
			case len(pending) > 0:
				who, pending = splitRole(pending[0]), pending[1:]
			case carry != nil:
				who = *carry
			}
			out = append(out, relief.Contact{Name: who.Name, Role: who.Role, Kind: h.Kind, Phone: h.Phone})
		}
		if last != nil && last.Name != "" {
			carry = &relief.Contact{Name: last.Name, Role: last.Role}
		}
	}
	for _, n := range pending {
		out = append(out, splitRole(n))
	}
	return out, probs
}

func allEmpty(s []string) bool {
	for _, v := range s {
		if v != "" {
			return false
		}
	}
	return true
}

// phoneCandidate is a number found in a contact part.
type phoneCandidate struct {
	raw   string // as written
	phone string // as CleanPhone returns it
	bad   error  // why raw is not a number
}

// nameDigits returns where the number in seg[start:end] (a phoneCand run)
// begins once a name's last digits are left to the name: a run that starts
// with one or two digits right after a letter, then a space ("志愿者3
// 13800000001", "Team B2 027-87886666"), and is a number (or numbers) only
// without them, begins after them. Otherwise start.
func nameDigits(seg string, start, end int, region string) int {
	if start == 0 {
		return start
	}
	if r, _ := utf8.DecodeLastRuneInString(seg[:start]); !unicode.IsLetter(r) {
		return start
	}
	run := seg[start:end]
	sp := strings.IndexByte(run, ' ')
	if sp < 1 || sp > 2 {
		return start
	}
	rest := strings.TrimLeft(run[sp:], " ")
	if _, _, err := CleanPhone(run, region); err == nil {
		return start
	}
	for _, part := range splitNumbers(rest, region, "") {
		if _, _, err := CleanPhone(part, region); err != nil {
			return start
		}
	}
	return end - len(rest)
}

// phoneParts finds the numbers in seg and the texts around them: texts[i]
// is the text before number i, and the last text the one after the last
// number. lastArea is the area code of the last landline found in the cell
// so far; a local number without one takes it, and a landline found sets it.
func phoneParts(seg, region string, lastArea *string) ([]phoneCandidate, []string) {
	var cands []phoneCandidate
	var texts []string
	last := 0
	for _, loc := range phoneCand.FindAllStringIndex(seg, -1) {
		if loc[0] < last {
			continue
		}
		loc[0] = nameDigits(seg, loc[0], loc[1], region)
		raw := seg[loc[0]:loc[1]]
		digits := countDigits(raw)
		if digits < 3 || (digits < 5 && !allPhoneChars(seg)) {
			continue // "24小时值班": part of the text
		}
		end := loc[1]
		if m := extAfter.FindString(seg[end:]); m != "" {
			raw += m
			end += len(m)
		}
		before := seg[last:loc[0]]
		last = end
		for _, part := range splitNumbers(raw, region, *lastArea) {
			texts = append(texts, before)
			before = "" // the numbers of one run have no text between them
			p, _, err := CleanPhone(part, region)
			if err != nil && *lastArea != "" && localNumber(part) {
				if q, _, err2 := CleanPhone("0"+*lastArea+part, region); err2 == nil {
					p, err = q, nil
				}
			}
			if err == nil {
				if a := areaOf(strings.SplitN(p, ";", 2)[0]); a != "" {
					*lastArea = a
				}
			}
			cands = append(cands, phoneCandidate{raw: strings.TrimSpace(part), phone: p, bad: err})
		}
	}
	texts = append(texts, seg[last:])
	return cands, texts
}

// pairNames returns the name of each of n numbers from the texts around
// them (phoneParts): the text before each when every number has one
// ("张三 138… 李四 139…"), the text after each when every number has one
// ("138…张三 139…李四"); otherwise the words of all the text, paired in
// order when there are several and no more than the numbers ("甲 乙 138…
// 139… 137…": 甲, 乙, "") and none is a department; otherwise the whole text
// for each number when it names one person (a name, or a department and a
// name), or "" for each.
func pairNames(texts []string, n int) []string {
	names := make([]string, n)
	if n == 0 {
		return names
	}
	clean := make([]string, len(texts))
	for i, t := range texts {
		clean[i] = cleanName(t)
	}
	if n == 1 {
		names[0] = cleanName(strings.Join(texts, " "))
		return names
	}
	if !slices.Contains(clean[:n], "") {
		copy(names, clean[:n])
		return names
	}
	if clean[0] == "" && !slices.Contains(clean[1:], "") {
		copy(names, clean[1:])
		return names
	}
	all := cleanName(strings.Join(texts, " "))
	words := strings.Fields(all)
	switch {
	case len(words) == 0:
	case len(words) == 1 || (len(words) == 2 && roleRE.MatchString(all) && splitRole(all).Role != ""):
		for i := range names {
			names[i] = all // one person, several numbers
		}
	case len(words) <= n && !slices.ContainsFunc(words, func(w string) bool { return splitRole(w).Role != "" || roleWord(w) }):
		copy(names, words)
	}
	return names
}

// roleWord reports whether w is a department on its own ("设备科", "院办").
func roleWord(w string) bool {
	m := roleRE.FindStringSubmatch(w)
	return m != nil && m[4] == ""
}

// splitNumbers splits a run of digits that holds several numbers: mobile
// numbers written with single spaces between them ("13926397542
// 15834244267"), or a landline and a mobile ("0716-8321327 13800000001"). A
// run that is one valid number, or that no split makes valid, is returned
// whole.
func splitNumbers(raw, region, area string) []string {
	if g := splitGlued(raw); len(g) > 1 {
		return g
	}
	if _, _, err := CleanPhone(raw, region); err == nil || !strings.Contains(raw, " ") {
		return []string{raw}
	}
	toks := strings.Fields(raw)
	// valid reports whether p is a number, or a local one after a landline
	// of area ("0710-3522222 3522223"), and sets area from a landline.
	valid := func(p string) bool {
		e, _, err := CleanPhone(p, region)
		if err != nil && area != "" && localNumber(p) {
			e, _, err = CleanPhone("0"+area+p, region)
		}
		if err != nil {
			return false
		}
		if a := areaOf(strings.SplitN(e, ";", 2)[0]); a != "" {
			area = a
		}
		return true
	}
	var out []string
	for i := 0; i < len(toks); {
		j := len(toks)
		for ; j > i; j-- {
			if valid(strings.Join(toks[i:j], " ")) {
				break
			}
		}
		if j == i {
			return []string{raw} // a part is no number: keep it as written
		}
		out = append(out, strings.Join(toks[i:j], " "))
		i = j
	}
	return out
}

// localNumber reports whether p is a landline's local number without its
// area code: 7 or 8 digits (spaces and dashes between them), not starting
// with 0 or 1.
func localNumber(p string) bool {
	p = strings.TrimSpace(p)
	d := countDigits(p)
	return (d == 7 || d == 8) && allPhoneChars(p) && !strings.ContainsAny(p, "+(") && p != "" && p[0] != '0' && p[0] != '1'
}

func countDigits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

func allPhoneChars(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9') && !strings.ContainsRune("+-() ", r) {
			return false
		}
	}
	return true
}

// splitGlued splits a run of digits that holds several mobile numbers written
// with single spaces between them ("13926397542 15834244267").
func splitGlued(raw string) []string {
	var d strings.Builder
	for _, r := range raw {
		if r >= '0' && r <= '9' {
			d.WriteRune(r)
		}
	}
	s := d.String()
	if len(s) < 22 || len(s)%11 != 0 || strings.ContainsAny(raw, "+(") {
		return []string{raw}
	}
	var out []string
	for i := 0; i < len(s); i += 11 {
		if s[i] != '1' {
			return []string{raw}
		}
		out = append(out, s[i:i+11])
	}
	return out
}

// groupRE finds a group of names written together, with "/" or "、"
// between them, in brackets or not: "(孙/周)", "孙、周".
var groupRE = regexp.MustCompile(`[(（]?\s*([\p{Han}A-Za-z·]{1,6}(?:\s*[/／、]\s*[\p{Han}A-Za-z·]{1,6})+)\s*[)）]?`)

// nameSep is what stands between the names of a group.
var nameSep = regexp.MustCompile(`\s*[/／、]\s*`)

// namesGroup reads a cell whose names are written together apart from
// their numbers ("15800158005，15900159006 (孙/周)", "孙/周 158…，159…"): the
// n-th name with the n-th number, when the rest of the cell is exactly as
// many numbers without names. ok is false for any other cell.
func namesGroup(cell, region string) ([]relief.Contact, []ContactProblem, bool) {
	if len(groupRE.FindAllStringIndex(cell, -1)) != 1 {
		return nil, nil, false
	}
	loc := groupRE.FindStringSubmatchIndex(cell)
	names := nameSep.Split(cell[loc[2]:loc[3]], -1)
	rest := cell[:loc[0]] + " " + cell[loc[1]:]
	if strings.ContainsAny(rest, "(（/／、") {
		return nil, nil, false
	}
	cs, probs := CleanContacts(rest, region)
	if len(cs) != len(names) {
		return nil, nil, false
	}
	for i := range cs {
		if cs[i].Name != "" || cs[i].Phone == "" || cs[i].Kind != "" {
			return nil, nil, false
		}
		c := splitRole(cleanName(names[i]))
		if c.Name == "" {
			return nil, nil, false
		}
		cs[i].Name, cs[i].Role = c.Name, c.Role
	}
	return cs, probs, true
}

// extWordsOnly are the words of an extension; a name of nothing else is none
// ("13800138108转": the extension was left out).
var extWordsOnly = map[string]bool{"转": true, "分机": true, "分机号": true, "转分机": true, "ext": true, "x": true}

func cleanName(s string) string {
	s = strings.TrimSpace(s)
	for {
		t := labelRE.ReplaceAllString(s, "")
		if u := trailingLabel.ReplaceAllString(t, ""); u != "" {
			t = u // "咨询电话" alone stays a name
		}
		t = strings.Trim(t, " :：-—~()（）[]【】<>.。")
		if t == s {
			break
		}
		s = t
	}
	if !strings.ContainsFunc(s, func(r rune) bool { return r > 0x7f || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' }) {
		return "" // digits and punctuation are no name
	}
	if extWordsOnly[strings.ToLower(strings.Trim(s, " .．"))] {
		return "" // "13800138108转": an extension left out, no name
	}
	return strings.Join(strings.Fields(s), " ")
}

func splitRole(name string) relief.Contact {
	// "防护用品联系人:甲二": a label, a colon, then the name
	if i := strings.IndexAny(name, ":："); i > 0 {
		_, size := utf8.DecodeRuneInString(name[i:])
		if label, rest := strings.TrimSpace(name[:i]), strings.TrimSpace(name[i+size:]); label != "" && rest != "" {
			c := splitRole(rest)
			c.Role = strings.TrimSpace(label + " " + c.Role)
			return c
		}
	}
	// "方向阳(设备科主任", "医院总值班 (24小时值守": words in brackets after
	// the name (their closing bracket taken off by cleanName) qualify it
	if i := strings.IndexAny(name, "(（"); i > 0 {
		who, what := strings.TrimSpace(name[:i]), strings.Trim(name[i:], " ()（）")
		if who != "" && what != "" && !strings.ContainsAny(what, "(（)）") {
			c := splitRole(who)
			c.Role = strings.TrimSpace(c.Role + " " + what)
			return c
		}
	}
	if m := roleRE.FindStringSubmatch(name); m != nil && m[4] != "" && !strings.HasPrefix(m[4], "长") {
		return relief.Contact{Name: strings.TrimSpace(m[4]), Role: m[1]}
	}
	return relief.Contact{Name: name}
}

// phonesInText returns the contacts of the phone numbers written in free
// text v (a note, a remark): mobile numbers, and landlines written with
// their area code; never a bare number, which may as well be a quantity.
// Names longer than a person's or a department's are left out.
func phonesInText(v, region string) []relief.Contact {
	if countDigits(v) < 7 {
		return nil
	}
	src := digitsOf(fold(v))
	cs, _ := CleanContacts(v, region)
	var out []relief.Contact
	for _, c := range cs {
		if c.Kind != "" || !strings.HasPrefix(c.Phone, "+86") {
			continue
		}
		n, _, _ := strings.Cut(strings.TrimPrefix(c.Phone, "+86"), ";")
		if !(len(n) == 11 && n[0] == '1') && !strings.Contains(src, "0"+n) {
			continue // neither a mobile nor a landline with its area code
		}
		if utf8.RuneCountInString(c.Name) > 6 {
			c.Name = ""
		}
		if utf8.RuneCountInString(c.Role) > 8 {
			c.Role = ""
		}
		out = append(out, c)
	}
	return out
}
