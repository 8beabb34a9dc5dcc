package importer

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reliefmesh/reliefmesh/relief"
)

// Draft is a demand read from a pasted chat message, for a person to confirm
// or correct before it is recorded. Nothing in it has been checked against
// the store.
type Draft struct {
	Title    string           `json:"title"` // organisation and the first supplies, for the form's title
	Org      string           `json:"org"`
	Address  string           `json:"address"`
	District string           `json:"district"` // from the address or the organisation's name
	Contacts []relief.Contact `json:"contacts"` // phones normalised as CleanContacts does
	Items    []relief.Item    `json:"items"`    // names as written; Needed nil when no quantity was given
	Urgency  relief.Urgency   `json:"urgency"`  // "" when the message gives no hint
	Category string           `json:"category"` // the category most items resolve to; "" without items
	Notes    string           `json:"notes"`    // clauses that were not used, one per line
}

// MessageFile names a pasted message in Problems.
const MessageFile = "message"

// MaxMessageLen is the longest message ParseMessage reads, in characters
// (relief.MaxMessage, the limit the form checks); the rest is ignored and
// reported.
const MaxMessageLen = relief.MaxMessage

// ParseMessage reads a demand from a chat message as coordinators paste them
// ("武汉市第一医院急需N95口罩5000个，防护服200套，联系人王老师 13800000000，地址：…"),
// in Chinese, English or both. The message is cut into clauses at newlines and
// at 、，；。!? (full-width or not); labelled clauses (地址/address, 联系人/电话/
// contact/tel, 单位:/organisation:) fill their field, and a clause with a
// phone number is a contact. The organisation is the text before the first
// need word (急需, 需要, 缺, needs …), or a first line ending like one (…医院,
// …中心, … Hospital). Items are a name next to a quantity, before or after it
// ("口罩5000个", "5000个口罩", "2万只", "两万个", "200 coveralls"); a clause
// without a quantity adds the supplies the catalog knows, quantity unknown.
// Urgency words set the urgency (急需, 紧急 → high; 告急, 特急 → critical).
//
// Problems (File MessageFile, Row the line) say what could not be found or
// used: no organisation, no items, no contact, an invalid phone, an item the
// catalog does not know. They never stop the draft.
func ParseMessage(text string) (Draft, []Problem) {
	var d Draft
	var probs []Problem
	prob := func(row int, field, value, msg, code string, a map[string]string) {
		probs = append(probs, Problem{File: MessageFile, Row: row, Field: field, Value: value, Msg: msg, Code: code, Args: a})
	}
	if relief.TooLong(text, MaxMessageLen) {
		text = relief.Cut(text, MaxMessageLen)
		prob(0, "", "", "message longer than "+strconv.Itoa(MaxMessageLen)+" characters: the rest was ignored", ProblemTooLong, args("max", strconv.Itoa(MaxMessageLen)))
	}
	text = strings.ToValidUTF8(text, "")
	text = fold(thousandsSep(CleanText(text)))
	d.Urgency = urgencyOf(text)

	var contactText []string
	contactRow := 0
	var notes []string
	type itemText struct {
		text string
		row  int
	}
	var itemTexts []itemText
	addrOpen := false // the address may continue in the next comma clause
	wantAddr := false // a label without a value: the next clause is the address
	wantOrg := false
	firstFree := true

	for _, c := range splitClauses(text) {
		s := stripMarker(stripTags(c.text))
		if s == "" {
			continue
		}
		continues := addrOpen && c.sep == ','
		addrOpen = false
		if wantAddr || wantOrg {
			if !hasLabel(s) {
				if wantAddr {
					d.Address = joinAddr(d.Address, s)
					addrOpen = true
				} else if d.Org == "" {
					d.Org = cleanOrg(s)
				}
				wantAddr, wantOrg = false, false
				continue
			}
			wantAddr, wantOrg = false, false
		}
		if m := orgLabel.FindStringSubmatchIndex(s); m != nil {
			if v := cleanOrg(s[m[1]:]); v != "" {
				if d.Org == "" {
					d.Org = v
				}
			} else {
				wantOrg = true
			}
			continue
		}
		if continues && !hasLabel(s) && !hasPhone(s) && !hasNeed(s) && len(quantities(s)) == 0 && !knownSupply(s) {
			d.Address = joinAddr(d.Address, s)
			addrOpen = true
			continue
		}
		// Cut the clause at its labels: the text before the first one is
		// free text, each label takes the text up to the next.
		free := s
		parts := labelParts(s)
		if len(parts) > 0 {
			free = s[:parts[0].start]
		}
		for _, p := range parts {
			switch p.kind {
			case "address":
				v := strings.Trim(p.value, " :")
				// A phone written after the address belongs to the contacts.
				if loc := phoneRun.FindStringIndex(v); loc != nil {
					contactText = append(contactText, v[loc[0]:])
					contactRow = firstNonZero(contactRow, c.row)
					v = strings.TrimSpace(v[:loc[0]])
				}
				if v == "" {
					wantAddr = true
				} else {
					d.Address = joinAddr(d.Address, v)
					addrOpen = true
				}
			case "contact":
				contactText = append(contactText, p.value)
				contactRow = firstNonZero(contactRow, c.row)
			}
		}
		free = strings.TrimSpace(free)
		if free == "" {
			continue
		}
		if hasPhone(free) {
			contactText = append(contactText, free)
			contactRow = firstNonZero(contactRow, c.row)
			continue
		}
		// The organisation: the text before a need word, or a first clause
		// that reads like an organisation's name.
		rest := free
		if loc := needWord.FindStringIndex(free); loc != nil {
			before := strings.TrimSpace(free[:loc[0]])
			after := free[loc[1]:]
			switch {
			case before == "":
				rest = after
			case d.Org == "" && isOrg(before):
				d.Org = cleanOrg(before)
				rest = after
			case fillerOnly(before):
				rest = after
			default: // "口罩需要5000个": the verb sits between a name and its quantity
				rest = before + " " + after
			}
		} else if i := strings.IndexByte(free, ':'); i > 0 && d.Org == "" && orgSuffix.MatchString(strings.TrimSpace(free[:i])) {
			d.Org = cleanOrg(free[:i])
			rest = free[i+1:]
		} else if firstFree && d.Org == "" && orgSuffix.MatchString(free) && len(quantities(free)) == 0 && !knownSupply(free) {
			d.Org = cleanOrg(free)
			rest = ""
		} else if i := strings.IndexByte(free, ' '); firstFree && d.Org == "" && i > 0 && orgSuffix.MatchString(free[:i]) && !knownSupply(free[:i]) {
			d.Org = cleanOrg(free[:i]) // "协和医院西院 口罩5000"
			rest = free[i+1:]
		}
		if fillerOnly(rest) {
			rest = ""
		}
		firstFree = false
		if rest = strings.TrimSpace(rest); rest != "" {
			itemTexts = append(itemTexts, itemText{rest, c.row})
		}
	}

	cat := relief.DefaultCatalog()
	seen := map[string]bool{}
	for _, it := range itemTexts {
		items, left := parseItems(it.text)
		for _, x := range items {
			key := relief.NormalizeName(x.Name)
			if key == "" || seen[key] {
				continue
			}
			seen[key] = true
			if _, ok := resolveName(cat, x.Name); !ok {
				prob(it.row, "items", x.Name, "not in the catalog: kept as written", ProblemNotInCatalog, args("name", x.Name))
			}
			d.Items = append(d.Items, x)
		}
		if left != "" {
			notes = append(notes, left)
		}
	}

	if len(contactText) > 0 {
		cs, cps := CleanContacts(strings.Join(contactText, "\n"), "CN")
		for _, cp := range cps {
			cp.Value = maskIDCardsIn(cp.Value) // a report never shows an identity card number
			code, a := coded(cp.Err, ProblemBadPhone)
			if code == ProblemBadPhone {
				a = args("value", cp.Value)
			}
			for k, v := range a {
				a[k] = maskIDCardsIn(v)
			}
			prob(contactRow, "contacts", cp.Value, maskIDCardsIn(cp.Err.Error()), code, a)
		}
		for _, ct := range cs {
			if ct.Name == "" && ct.Phone == "" {
				continue
			}
			d.Contacts = mergeContacts(d.Contacts, []relief.Contact{ct})
		}
	}

	d.Address = strings.Trim(d.Address, " ,.。")
	for _, s := range []string{d.Address, d.Org} {
		if d.District = DistrictFromAddress(s); d.District != "" {
			break
		}
	}
	if d.District == "" {
		if m := districtAfterCity.FindStringSubmatch(d.Address + " " + d.Org); m != nil && !strings.ContainsAny(m[1], "路街道巷号") {
			d.District = m[1]
		}
	}
	d.District = CleanDistrict(d.District, nil)
	if len(d.Items) > 0 {
		d.Category = draftCategory(cat, d.Items)
	}
	d.Title = draftTitle(d)
	d.Notes = strings.Join(notes, "\n")

	if d.Org == "" {
		prob(0, "org", "", "no organisation found", ProblemNotFound, args("what", "org"))
	}
	if len(d.Items) == 0 {
		prob(0, "items", "", "no supplies found", ProblemNotFound, args("what", "items"))
	}
	if len(d.Contacts) == 0 {
		prob(0, "contacts", "", "no contact found", ProblemNotFound, args("what", "contacts"))
	}
	return d, probs
}

func firstNonZero(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// clause is a part of a message between separators: sep is the separator
// before it (0 at the start, '\n', ',', ';' …) and row its 1-based line.
type clause struct {
	text string
	sep  rune
	row  int
}

var andRE = regexp.MustCompile(`(?i)\s+(?:and|&)\s+`)

// splitClauses cuts folded text at newlines, at , ; 、 。 ! ? | and at
// " and " between English words.
func splitClauses(text string) []clause {
	var out []clause
	var b strings.Builder
	row, sep := 1, rune(0)
	start := 1
	flush := func(next rune) {
		out = append(out, clause{text: strings.TrimSpace(b.String()), sep: sep, row: start})
		b.Reset()
		sep, start = next, row
	}
	text = andRE.ReplaceAllString(text, ",")
	for _, r := range text {
		switch r {
		case '\n':
			row++
			flush('\n')
		case ',', ';', '、', '。', '!', '?', '|', '．':
			flush(r)
		default:
			b.WriteRune(r)
		}
	}
	flush(0)
	return out
}

// thousandsSep removes the commas of numbers written with thousands
// separators ("5,000" → "5000") before commas are read as separators.
var thousandsRE = regexp.MustCompile(`(^|[^\d.,])(\d{1,3})((?:,\d{3})+)(\D|$)`)

func thousandsSep(s string) string {
	if !strings.Contains(s, ",") {
		return s
	}
	for range 4 { // overlapping matches: "1,000,2,000"
		t := thousandsRE.ReplaceAllStringFunc(s, func(m string) string { return strings.ReplaceAll(m, ",", "") })
		if t == s {
			break
		}
		s = t
	}
	return s
}

var (
	// msgTags drops leading tags and trailing emoticons: 【求助】, [紧急], #武汉加油#.
	msgTags = regexp.MustCompile(`^(?:\s*(?:【[^】]*】|\[[^\]]*\]|#[^#]{0,30}#|紧急求助\s*:?|求助\s*:|急!*|urgent\s*:|help\s*:))+`)

	orgLabel = regexp.MustCompile(`(?i)^(?:需求单位|求助单位|申请单位|单位名称|医院名称|机构名称|收货单位|单位|医院|机构|名称|organi[sz]ation|org|hospital|requester)\s*:\s*`)

	addrLabel    = `收货地址|邮寄地址|寄送地址|送货地址|收件地址|详细地址|地址|\baddress\b|\baddr\b`
	contactLabel = `联系人|联系方式|联系电话|联系|电话|手机号码|手机号|手机|座机|对接人|负责人|收件人|收货人|\btel\b|\bphone\b|\bmobile\b|\bcontact\b`
	msgLabel     = regexp.MustCompile(`(?i)(` + addrLabel + `)|(` + contactLabel + `)`)

	// phoneRun finds a phone number in folded text: a Chinese mobile (with
	// +86, 86 or spaces and dashes inside) or a landline with an area code.
	phoneRun = regexp.MustCompile(`(?:\(?\+?86\)?[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}|0\d{2,3}-\d{7,8}|\+\d[\d\s-]{8,}\d`)

	needWord = regexp.MustCompile(`(?i)急需|急缺|紧缺|告急|需要|需求|缺少|紧急求助|求助|求援|募集|征集|现需|还需|\burgently needs?\b|\bneeds?\b|\brequires?\b|\blacks?\b|\bis short of\b|\bare short of\b`)

	orgSuffix = regexp.MustCompile(`(?i)(院|卫生室|卫生服务中心|疾控中心|中心|社区|居委会|村委会|委员会|村|学校|大学|学院|福利院|养老院|敬老院|公司|集团|基金会|协会|商会|指挥部|办公室|局|站|所|队|病区|科室|\bhospital|\bclinic|\bcent(?:er|re)|\bschool|\bhome|\bcommunity|\bcommittee|\bfoundation|\buniversity|\bshelter)\s*$`)

	districtAfterCity = regexp.MustCompile(`市(\p{Han}{1,5}?(?:区|县))`)
)

func stripTags(s string) string {
	return strings.TrimSpace(msgTags.ReplaceAllString(s, ""))
}

var listMarker = regexp.MustCompile(`^(?:\d{1,2}|[一二三四五六七八九十]{1,2}|[a-zA-Z])([.)、:])\s*`)

// stripMarker drops a list marker ("1.", "2、", "三、", "a)") at the start of
// a clause. "3.84消毒液" is marker 3 and 84消毒液: a decimal glued to a name
// is no quantity.
func stripMarker(s string) string {
	m := listMarker.FindStringSubmatchIndex(s)
	if m == nil {
		return s
	}
	rest := s[m[1]:]
	if rest == "" {
		return s
	}
	if r, _ := utf8.DecodeRuneInString(rest); r >= '0' && r <= '9' {
		if s[m[2]:m[3]] != "." || m[1] != m[3] {
			return s
		}
		i := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
		if i < 0 {
			return s
		}
		next, _ := utf8.DecodeRuneInString(rest[i:])
		if !unicode.Is(unicode.Han, next) || strings.ContainsRune(notUnit, next) || hanUnitAt(rest[i:]) {
			return s // "1.5万个": a quantity
		}
	}
	if isLatin(rune(s[0])) && s[m[2]:m[3]] != ")" {
		return s // "a." "N:" are words, not markers
	}
	return rest
}

func hanUnitAt(s string) bool {
	for _, u := range strings.Split(hanUnits, "|") {
		if strings.HasPrefix(s, u) {
			return true
		}
	}
	return strings.HasPrefix(s, "万") || strings.HasPrefix(s, "千") || strings.HasPrefix(s, "百")
}

func hasLabel(s string) bool { return msgLabel.MatchString(s) || orgLabel.MatchString(s) }
func hasPhone(s string) bool { return phoneRun.MatchString(s) }
func hasNeed(s string) bool  { return needWord.MatchString(s) }

// knownSupply reports whether s names a supply the catalog knows.
func knownSupply(s string) bool {
	for _, r := range relief.DefaultCatalog().ResolveList(s) {
		if r.OK {
			return true
		}
	}
	return false
}

type labelPart struct {
	kind  string // address, contact
	start int    // byte offset of the label
	value string // text after the label up to the next one
}

// labelParts finds the address and contact labels of a clause.
func labelParts(s string) []labelPart {
	locs := msgLabel.FindAllStringSubmatchIndex(s, -1)
	var out []labelPart
	for i, m := range locs {
		end := len(s)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		kind := "contact"
		if m[2] >= 0 {
			kind = "address"
		}
		v := strings.TrimLeft(s[m[1]:end], " :")
		// "联系人" twice in a row, or "联系电话" after "联系人:王老师": both contact.
		out = append(out, labelPart{kind: kind, start: m[0], value: v})
	}
	return out
}

func joinAddr(a, b string) string {
	if a == "" {
		return b
	}
	if isASCIIish(a) || isASCIIish(b) {
		return a + ", " + b
	}
	return a + b
}

func isASCIIish(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

var fillers = []string{"目前", "现在", "现", "我们", "我院", "本院", "我单位", "我们单位", "还", "另外", "同时", "仍", "仍然", "今天",
	"特此", "请", "此外", "并", "也", "都", "主要", "大量", "we", "also", "still", "now", "currently", "and", "please", "urgently", "we urgently"}

func fillerOnly(s string) bool {
	return slices.Contains(fillers, strings.ToLower(strings.TrimSpace(s)))
}

// isOrg reports whether the text before a need word reads as an organisation.
func isOrg(s string) bool {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	switch {
	case n < 2 || n > 60 || fillerOnly(s):
		return false
	case orgSuffix.MatchString(s):
		return true
	case knownSupply(s) || len(quantities(s)) > 0:
		return false
	}
	return true
}

var orgTrailing = regexp.MustCompile(`(?i)(?:\s*(?:目前|现在|现|仍然|仍|还|特|物资|防疫物资|医疗物资|` +
	`\d{1,2}月\d{1,2}[日号]?(?:前|之前|以前)?|\d{1,2}[日号](?:前|之前|以前)?|今天|明天|近期|本周|now|currently|still|also|urgently))+$`)

func cleanOrg(s string) string {
	s = stripTags(s)
	s = orgTrailing.ReplaceAllString(s, "")
	return strings.Trim(s, " :-—~")
}

// urgencyOf reads the urgency hints of a message.
func urgencyOf(text string) relief.Urgency {
	t := strings.ToLower(text)
	for _, w := range []string{"告急", "特急", "十万火急", "危急", "critical", "life-threatening"} {
		if strings.Contains(t, w) {
			return relief.UrgencyCritical
		}
	}
	for _, w := range []string{"急需", "紧急", "急缺", "紧缺", "加急", "紧迫", "急用", "urgent", "asap"} {
		if strings.Contains(t, w) {
			return relief.UrgencyHigh
		}
	}
	return ""
}

// Quantities in a clause: Arabic numbers with an optional multiplier and
// unit, and Chinese numerals, which need a unit ("两万个"; "第一医院" is no
// quantity).
const hanUnits = `人份|毫升|公斤|千克|个|只|件|套|副|双|箱|盒|包|瓶|桶|台|支|卷|袋|条|张|顶|把|片|斤|吨|升|罐|具|组|枚|根|粒|辆|架|份|块|提`

// countUnits are the units that count pieces (not a size, volume or weight).
const countUnits = `人份|个|只|件|套|副|双|箱|盒|包|瓶|桶|台|支|卷|袋|条|张|顶|把|片|罐|具|组|枚|根|粒|辆|架|份|块|提`

// endCount finds a count at the end of a supply's cell: a number with 万 or
// 千 (or w, k), or one followed by a unit that counts pieces.
var endCount = regexp.MustCompile(`(?:\d+(?:\.\d+)?\s*(?:[万千wWkK]\s*(?:` + countUnits + `)?|(?:` + countUnits + `))|[零一二两三四五六七八九十百千万]+\s*(?:` + countUnits + `))\s*$`)

// statesCount reports whether a supply's cell ends in how many are needed
// ("医用外科口罩 10万", "N95口罩5000个", "口罩两万只") rather than in a
// number that is part of what it is: a model (N95口罩1860), a size (防护服
// 170, 注射器 5ml) or a volume (84消毒液 500毫升).
func statesCount(cell string) bool { return endCount.MatchString(cell) }

var (
	arabicQty = regexp.MustCompile(`(?i)(\d+(?:\.\d+)?)\s*(kg|ml|万|千|百|k|w)?\s*(` + hanUnits + `|pcs|pieces|piece|boxes|box|sets|set|units|unit|bottles|bottle|pairs|pair|packs|pack|rolls|roll|kits|kit|cartons|carton|bags|bag)?`)
	hanQty    = regexp.MustCompile(`([零一二两三四五六七八九十百千万]+)\s*(` + hanUnits + `)`)
)

// notUnit are characters that, glued after a bare number, make it a date, a
// time, a place or part of a name rather than a quantity.
const notUnit = "月日号点时天年岁楼层栋室床号期批次周%"

type qty struct {
	start, end int
	n          float64
	unit       string
}

// quantities finds the quantities of s (folded text) in order.
func quantities(s string) []qty {
	var out []qty
	for _, m := range arabicQty.FindAllStringSubmatchIndex(s, -1) {
		start, end := m[0], m[1]
		num := s[m[2]:m[3]]
		mult, unit := "", ""
		if m[4] >= 0 {
			mult = strings.ToLower(s[m[4]:m[5]])
		}
		if m[6] >= 0 {
			unit = s[m[6]:m[7]]
		}
		if mult == "kg" || mult == "ml" {
			unit, mult = mult, ""
		}
		prev, _ := utf8.DecodeLastRuneInString(s[:start])
		next, _ := utf8.DecodeRuneInString(s[end:])
		if start > 0 && (isLatinOrDigit(prev) || strings.ContainsRune(".%-#/+:第", prev)) {
			if !(prev == 'x' || prev == 'X') || start < 2 || isLatinOrDigit(rune(s[start-2])) {
				continue // N95, KN95, 3M, x5000 after a word
			}
		}
		// Trailing spaces were matched by \s* before an absent unit: give them back.
		if unit == "" && mult == "" {
			end = m[3]
			next, _ = utf8.DecodeRuneInString(s[end:])
		}
		hanUnit := unit != "" && !isLatin(rune(unit[0]))
		if end < len(s) && !hanUnit && (isLatin(next) || next == '%' || next == '.' || next == ':') {
			continue // "95%", "2kg" read as k + g, "5000N95", "1." of a list
		}
		if unit == "" && mult == "" && end < len(s) && unicode.Is(unicode.Han, next) {
			// A bare number glued to what follows: "口罩5000防护服200" is a
			// quantity, "84消毒液", "2月3日" and "1277号" are not.
			if strings.ContainsRune(notUnit, next) || start == 0 || !unicode.Is(unicode.Han, prev) {
				continue
			}
		}
		if unit == "" && mult == "" && strings.ContainsRune(notUnit, next) {
			continue
		}
		n, err := strconv.ParseFloat(num, 64)
		if err != nil || math.IsInf(n, 0) || math.IsNaN(n) {
			continue
		}
		switch mult {
		case "万", "w":
			n *= 10000
		case "千", "k":
			n *= 1000
		case "百":
			n *= 100
		}
		if math.IsInf(n, 0) {
			continue
		}
		out = append(out, qty{start: start, end: end, n: n, unit: unit})
	}
	for _, m := range hanQty.FindAllStringSubmatchIndex(s, -1) {
		if prev, _ := utf8.DecodeLastRuneInString(s[:m[0]]); prev == '第' {
			continue
		}
		n, ok := hanNumber(s[m[2]:m[3]])
		if !ok {
			continue
		}
		out = append(out, qty{start: m[0], end: m[1], n: n, unit: s[m[4]:m[5]]})
	}
	slices.SortStableFunc(out, func(a, b qty) int { return a.start - b.start })
	// "2万只" is read once: drop what overlaps a quantity found before.
	kept := out[:0]
	for _, q := range out {
		if len(kept) == 0 || q.start >= kept[len(kept)-1].end {
			kept = append(kept, q)
		}
	}
	return kept
}

var plural = regexp.MustCompile(`(?i)([a-z]{3,})(?:es|s)\b`)

// resolveName resolves a supply name, trying English singulars too
// ("coveralls" → "coverall", "boxes of gloves" → "box of glove").
func resolveName(cat *relief.Catalog, name string) (relief.CatalogItem, bool) {
	if ci, ok := cat.Resolve(name); ok {
		return ci, true
	}
	if s := plural.ReplaceAllString(name, "$1"); s != name {
		return cat.Resolve(s)
	}
	return relief.CatalogItem{}, false
}

func isLatin(r rune) bool        { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') }
func isLatinOrDigit(r rune) bool { return isLatin(r) || (r >= '0' && r <= '9') }

// hanNumber reads a whole Chinese numeral: "两万" 20000, "三百五十" 350, "十" 10;
// false when s is not one or is zero. See leadingHanNumber.
func hanNumber(s string) (float64, bool) {
	n, rest, ok := leadingHanNumber(s)
	return n, ok && rest == "" && n > 0
}

var (
	leadFiller  = regexp.MustCompile(`(?i)^(?:\s*(?:还需要|还需|另需|另外|以及|还有|和|及|至少|最少|不少于|需要|急需|急缺|紧缺|缺少|缺|求|需求|需|募集|征集|物资|如下|包括|主要是|主要|大量|一批|一些|若干|约|大约|共|各|的|:|-|\+|(?:we need|needs|need|urgently|also|and|plus|some|about|approx|of|please send|please)\b\.?))+`)
	trailFiller = regexp.MustCompile(`(?i)(?:\s*(?:约|左右|各|以上|若干|大约|共计|共|总共|急用|×|\*|:|=|-)|\s+(?:x|about|approx\.?))+$`)
)

// fillerStarts are the first characters of leadFiller's words, and
// fillerEnds the last ones of trailFiller's (Latin letters aside).
const (
	fillerStarts = "还另以和及至最不需急紧缺求募征物如包主大一若约共各的:-+"
	fillerEnds   = "约右各上干计共用×*:=-"
)

// fillerEdge reports whether s may start with a word of leadFiller or end
// with one of trailFiller: its first or last character is one they use.
func fillerEdge(s string) bool {
	if s == "" {
		return false
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(fillerStarts, first) || isLatin(first) || strings.ContainsRune(fillerEnds, last) || isLatin(last) || last == '.'
}

// itemName cleans the text next to a quantity into an item name.
func itemName(s string) string {
	s = strings.TrimSpace(s)
	if !fillerEdge(s) { // most names: no filler to take off, no regexp to run
		if t := strings.Trim(s, " :-—~=,."); t == s {
			if relief.NormalizeName(s) == "" {
				return ""
			}
			return s
		}
	}
	for {
		t := strings.TrimSpace(leadFiller.ReplaceAllString(s, ""))
		t = strings.TrimSpace(trailFiller.ReplaceAllString(t, ""))
		t = strings.Trim(t, " :-—~=,.")
		if t == s {
			break
		}
		s = t
	}
	if relief.NormalizeName(s) == "" {
		return ""
	}
	return s
}

// parseItems reads the supplies of one clause. A name comes before its
// quantity ("口罩5000个防护服200套") or, when the clause starts with a
// quantity, after it ("5000个口罩", "200 coveralls"). Without any quantity,
// the supplies the catalog knows are needed in unknown quantity. left is the
// text that made no item.
func parseItems(s string) (items []relief.Item, left string) {
	items, left = parseClause(s)
	for i := range items { // "口罩(已到货)5000个": the bracket is a note on 口罩
		if name, note := splitStatus(items[i].Name); note != "" && name != "" {
			items[i].Name = name
			addSpec(&items[i], note)
		}
	}
	return items, left
}

// parseClause is parseItems without the status notes taken out of names.
func parseClause(s string) (items []relief.Item, left string) {
	qs := quantities(s)
	if len(qs) == 0 {
		var rest []string
		for _, r := range relief.DefaultCatalog().ResolveList(s) {
			if name := itemName(r.Text); r.OK && name != "" {
				items = append(items, relief.Item{Name: name})
			} else if !r.OK && itemName(r.Text) != "" {
				rest = append(rest, r.Text)
			}
		}
		if len(items) == 0 {
			if itemName(s) == "" {
				return nil, ""
			}
			return nil, s
		}
		return items, strings.Join(rest, " ")
	}
	// The texts between quantities.
	gaps := make([]string, len(qs)+1)
	prev := 0
	for i, q := range qs {
		gaps[i] = s[prev:q.start]
		prev = q.end
	}
	gaps[len(qs)] = s[prev:]
	add := func(name string, q qty) {
		n := q.n
		items = append(items, relief.Item{Name: name, Unit: q.unit, Needed: &n})
	}
	var rest []string
	if itemName(gaps[0]) != "" { // name before quantity
		for i, q := range qs {
			if name := itemName(gaps[i]); name != "" {
				add(name, q)
			}
		}
		tail := strings.TrimSpace(gaps[len(qs)])
		switch {
		case tail == "":
		case strings.HasPrefix(tail, "(") && len(items) > 0:
			items[len(items)-1].Spec = strings.Trim(tail, "() ")
		case knownSupply(tail):
			more, l := parseItems(tail)
			items = append(items, more...)
			if l != "" {
				rest = append(rest, l)
			}
		case itemName(tail) != "":
			rest = append(rest, tail)
		}
	} else { // quantity before name
		for i, q := range qs {
			if name := itemName(gaps[i+1]); name != "" {
				add(name, q)
			}
		}
	}
	return items, strings.Join(rest, " ")
}

// draftCategory is the category most items resolve to (ties to the first
// written), "other" when none resolves.
func draftCategory(cat *relief.Catalog, items []relief.Item) string {
	count := map[string]int{}
	best, bestN := "other", 0
	for _, it := range items {
		if ci, ok := resolveName(cat, it.Name); ok {
			if count[ci.Category]++; count[ci.Category] > bestN {
				best, bestN = ci.Category, count[ci.Category]
			}
		}
	}
	return best
}

// draftTitle is "organisation：first supplies" (Chinese punctuation when the
// message is Chinese).
func draftTitle(d Draft) string {
	han := !isASCIIish(d.Org)
	var names []string
	for i, it := range d.Items {
		if i == 3 {
			break
		}
		if !isASCIIish(it.Name) {
			han = true
		}
		names = append(names, it.Name)
	}
	sep, colon, more := ", ", ": ", " …"
	if han {
		sep, colon, more = "、", "：", "等"
	}
	list := strings.Join(names, sep)
	if len(d.Items) > 3 {
		list += more
	}
	switch {
	case d.Org != "" && list != "":
		return d.Org + colon + list
	case d.Org != "":
		return d.Org
	}
	return list
}
