package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reliefmesh/reliefmesh/relief"
)

// Every cell lands somewhere: a column no field holds is kept with its
// record as a source field (column name and value, as written), and so is a
// cell the fields hold only in part (a supplies cell with prose beside the
// supplies, a contacts cell with words that are no name). The mapping screen
// and the report list the columns no field holds, with sample values, so that
// a person can map them before importing.

// UnmappedColumn is a column of a table that its mapping leaves to no field:
// its cells are kept as written with each record (Record.SourceFields).
type UnmappedColumn struct {
	Index   int      `json:"index"`   // 0-based position in the table
	Column  string   `json:"column"`  // its header, HXL tag or letter (see ColumnName)
	Cells   int      `json:"cells"`   // non-empty cells
	Samples []string `json:"samples"` // up to 3 distinct non-empty values, as written (cut to 60 characters) but for the contacts the import seals (sealedSample)
}

// TagCheckQuantities marks a demand some of whose quantities were read from
// the text of a column (progress, notes, remarks) rather than a supplies
// column: a reviewer confirms them (see ProblemTextQuantity).
const TagCheckQuantities = "check_quantities"

// MaxSamples is how many sample values an UnmappedColumn holds.
const MaxSamples = 3

// ColumnName names column c of a table for people: its header, else its
// HXL tag, else its letter as a spreadsheet program shows it ("J").
func ColumnName(c Column) string {
	if h := CleanText(c.Header); h != "" {
		return h
	}
	if c.Tag != "" {
		return c.Tag
	}
	return columnLetter(c.Index)
}

// columnLetter is the spreadsheet letter of 0-based column i: A … Z, AA ….
func columnLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// UnmappedColumns lists the columns of t that m maps to no field and that
// hold at least one non-empty cell, in column order, each with its count of
// non-empty cells and up to MaxSamples distinct sample values. Columns that a
// mapping does not name at all (a file wider than its mapping) count as
// unmapped. Columns known and kept as written on purpose (tagIgnored: our
// bulletins' code and times) are not listed.
func UnmappedColumns(t *Table, m Mapping) []UnmappedColumn {
	mapped := map[int]Column{}
	for _, c := range m.Columns {
		mapped[c.Index] = c
	}
	n := max(len(t.Headers), len(t.Tags))
	for _, r := range t.Rows {
		n = max(n, len(r.Cells))
	}
	var out []UnmappedColumn
	for i := range n {
		c, ok := mapped[i]
		if ok && c.Field != FieldIgnore {
			continue
		}
		if ok && c.Field == FieldIgnore && tagIgnored(c.Tag) {
			continue // a known column kept as written on purpose (our bulletins' code and times)
		}
		if !ok {
			c = Column{Index: i}
			if i < len(t.Headers) {
				c.Header = t.Headers[i]
			}
			if i < len(t.Tags) {
				c.Tag = t.Tags[i]
			}
		}
		u := UnmappedColumn{Index: i, Column: ColumnName(c)}
		seen := map[string]bool{}
		for _, r := range t.Rows {
			if i >= len(r.Cells) {
				continue
			}
			v := CleanText(r.Cells[i])
			if v == "" {
				continue
			}
			u.Cells++
			if len(u.Samples) < MaxSamples && !seen[v] {
				seen[v] = true
				u.Samples = append(u.Samples, relief.Cut(sealedSample(v), 60))
			}
		}
		if u.Cells > 0 {
			out = append(out, u)
		}
	}
	return out
}

// countHeader finds headers that name a count of people, staff or beds
// (医院人员数量, 床位数, 患者人数, staff): such a column is no supply quantity.
var countHeader = regexp.MustCompile(`(?i)人员|人数|床位|病床|员工|职工|医护|医生|护士|患者|病人|确诊|疑似|住院|人口|staff|beds?\b|patients?|people|persons?|population|affected|targeted`)

// quantityColumnOK checks a column that a header calls a quantity against
// its meaning and its values: a header naming a count of staff, beds or
// people is no supply quantity, nor is a column whose non-empty values are
// mostly long texts (more than half longer than 12 characters and not a
// number).
func quantityColumnOK(t *Table, i int, header string) bool {
	if countHeader.MatchString(header) {
		return false
	}
	long, n := 0, 0
	for _, r := range t.Rows {
		if i >= len(r.Cells) {
			continue
		}
		v := CleanText(r.Cells[i])
		if v == "" {
			continue
		}
		n++
		if _, _, ok := ParseQuantity(v); !ok && utf8.RuneCountInString(v) > 12 {
			long++
		}
	}
	return n == 0 || long*2 <= n
}

// Specifications and prose in a supplies cell.
var (
	// standardRE finds standard numbers: GB 19083-2010, GB/T 32610, YY 0469,
	// YY/T 0969-2013, GB2626-2006, EN 149, EN14683, ASTM F1862, ISO 13485.
	standardRE = regexp.MustCompile(`(?i)(?:\b|^)(?:GB|YY|WS|GA|HG|QB|FZ|T/[A-Z]{2,8})(?:\s*/\s*[TZ])?\s*[-‐]?\s*\d{2,6}(?:\s*[.‐—–-]\s*\d{1,4}){0,2}|\b(?:EN|ISO|ASTM\s*[A-Z]?|NIOSH)\s*\d{2,6}(?:\s*[-:]\s*\d{2,4})?|\bNIOSH\b`)
	// modelRE finds product models: 3M 1860, 3M-9132, 1860S, DTC3X, KN95
	// written as a grade ("KN95级"). Two-digit grades alone (N95, KN95) are
	// supply names the catalog knows, not models.
	// Letters of models are capitals ("1000ml" is a quantity, "1860S" a
	// model), and a model that starts with digits ends with one capital
	// other than L (litres).
	modelRE = regexp.MustCompile(`(?i:\b3M\s*[-‐]?\s*\d{3,5}[A-Z]{0,2}\b)|\b[A-Z]{1,4}[-‐]?\d{3,5}[A-Z]{0,2}\b|\b\d{4}[A-KM-Z]\b|(?i:(?:K?N|FFP|KF)\d{1,2}\s*(?:级|及以上|以上|标准))`)
	// dateTimeRE finds dates and times, which are never quantities:
	// 25日13:53, 13:53, 1月25日, 2020-01-25, 2020年1月25日, 25号.
	// Times are hours and minutes (13:53) not glued to a word or a longer
	// number ("N95:1000" is a supply and its quantity): see maskTimes.
	dateTimeRE = regexp.MustCompile(`\d{2,4}\s*[年./-]\s*\d{1,2}\s*[月./-]\s*\d{1,2}\s*[日号]?|\d{1,2}\s*月\s*\d{1,2}\s*[日号]?|\d{1,2}\s*[日号]\s*\d{1,2}\s*[:：]\s*\d{2}|\d{1,2}\s*[日号](?:前|之前|以前)?|\d{1,2}\s*(?:点|时)(?:\d{1,2}分?)?`)
	timeRE     = regexp.MustCompile(`(^|[^\dA-Za-z.])(\d{1,2}\s*[:：]\s*[0-5]\d(?:\s*[:：]\s*[0-5]\d)?)(\D|$)`)
	// proseWords mark requirement prose and descriptions: 应符合…, 视野宽阔,
	// 透亮度好, 有注册证, 无阀门, 防护物资匮乏, 最后更新; proseWordsEn are
	// their English words, matched without case.
	proseWords   = strings.Split("应符合|符合|须|必须|需符合|要求|标准|视野|透亮|透明度|清晰|宽阔|注册证|合格证|检测报告|认证|资质|阀门|无阀|带阀|级别|等级|以上|以下|不低于|不少于|最好|优先|尽量|匮乏|短缺|紧张|告急|不足|缺口|更新|截至|截止|目前|已经|已|正在|暂时|暂|联系|电话|说明|注意|请|谢谢|感谢|捐赠|捐助|接收|收货|邮寄|快递|物流|配送|越多越好|多多益善|不限|均可|都可|皆可|都行|任何|帮助|支援|爱心|紧急|万分|求助|呼吁|希望|欢迎|如有|如果|若有|详见|附件|通知|另行", "|")
	proseWordsEn = strings.Split("must|should|comply|certified|standard|approved|valve|updated|please", "|")
	// headerWords are cell headers and labels, not supplies.
	headerWords = map[string]bool{"急需物资": true, "所需物资": true, "需求物资": true, "物资": true, "物资需求": true, "物资名称": true,
		"规格": true, "规格型号": true, "型号": true, "数量": true, "单位": true, "名称": true, "品名": true, "需求": true, "备注": true,
		"缺少": true, "急需": true, "紧缺": true, "急缺": true, "需要": true, "主要": true, "包括": true, "如下": true, "其他": true,
		"防疫物资": true, "医疗物资": true, "医用物资": true, "防护物资": true, "标准": true, "要求": true, "等": true, "等等": true,
		"需求量": true, "需要量": true, "需求数量": true, "所需数量": true, "缺口": true, "物品": true, "物资清单": true, "需求清单": true,
		"supplies": true, "items": true, "needs": true, "spec": true, "specification": true, "quantity": true,
		// generic words that close a list ("测体温等设备") and name no supply
		"设备": true, "用品": true, "耗材": true, "医用耗材": true, "器械": true, "医疗器械": true, "医疗设备": true, "医用设备": true,
		"防护用品": true, "医疗用品": true, "医用用品": true}
	// listMarkers are numbered-list markers: 1. 2、 ① （1） (2) a)
	numberedRE = regexp.MustCompile(`(?:^|[\s:：;；,，。])(?:\d{1,2}\s*[.、．](?:\D|$)|[①-⑳]|[（(]\s*\d{1,2}\s*[)）]|\d{1,2}\s*[)）])`)
)

// splitCellList cuts a cell holding a list into its parts: at the separators
// people type (；;、，,/ | newlines), after 等 ("口罩、防护服等"), and at
// numbered-list markers (1. ① （1）). Separators inside brackets do not cut
// ("防护服（急需面罩，眼罩）" is one part), nor do the dashes and slashes of
// a standard number (GB/T 32610) or a decimal point. Parts are trimmed;
// empty ones dropped.
func splitCellList(cell string) []string {
	s := CleanText(cell)
	if strings.ContainsFunc(s, isCircled) {
		s = circledRE.ReplaceAllString(s, "\n") // before folding: NFKC makes ① a 1
	}
	s = fold(s)
	if !hasDigit(s) { // nothing numbered, no standard
		return cutList(s)
	}
	s = thousandsSep(s)
	if bracketNum.MatchString(s) { // "（1）口罩（2）防护服": a list numbered in brackets throughout
		s = bracketNumAny.ReplaceAllString(s, "\n")
	}
	// Protect the slashes of standards before cutting at "/".
	if strings.Contains(s, "/") && strings.IndexFunc(s, isLatin) >= 0 {
		s = standardRE.ReplaceAllStringFunc(s, func(m string) string { return strings.ReplaceAll(m, "/", "\x00") })
	}
	s = numberedRE.ReplaceAllStringFunc(s, func(m string) string {
		// keep the character after "1." that the pattern needed
		r, size := utf8.DecodeLastRuneInString(m)
		if size > 0 && !strings.ContainsRune(".、．)）①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳", r) && !unicode.IsDigit(r) {
			if inner := strings.TrimRight(m[:len(m)-size], " "); strings.HasSuffix(inner, ".") || strings.HasSuffix(inner, "、") || strings.HasSuffix(inner, "．") {
				return "\n" + string(r)
			}
		}
		return "\n"
	})
	return cutList(s)
}

// hasDigit reports whether s holds an ASCII digit.
func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

// isCircled reports whether r is a circled or bracketed list number (① ⑴ ⒈).
func isCircled(r rune) bool { return r >= '①' && r <= '⒛' }

// cutList cuts folded text at the list separators outside brackets (see
// splitCellList).
func cutList(s string) []string {
	var parts []string
	var b strings.Builder
	depth := 0
	flush := func() {
		if p := strings.TrimSpace(strings.ReplaceAll(b.String(), "\x00", "/")); p != "" {
			parts = append(parts, p)
		}
		b.Reset()
	}
	rs := []rune(s)
	for i, r := range rs {
		switch r {
		case '(', '[', '【', '（':
			depth++
		case ')', ']', '】', '）':
			if depth > 0 {
				depth--
			}
		}
		if depth == 0 {
			switch r {
			case '/', '／':
				// "500套/天", "2个/人": a rate, not a list
				if i > 0 && i+1 < len(rs) && (unicode.IsDigit(rs[i-1]) || strings.ContainsRune(hanUnitChars, rs[i-1])) && strings.ContainsRune("天日周月年人次班床", rs[i+1]) {
					break
				}
				flush()
				continue
			case ';', '；', '、', ',', '，', '|', '｜', '\n', '\r', '。':
				flush()
				continue
			case '等':
				// "口罩、防护服等" / "等物资": 等 ends a list; "等级" does not.
				if i+1 >= len(rs) || !strings.ContainsRune("级同", rs[i+1]) {
					flush()
					continue
				}
			}
		}
		b.WriteRune(r)
	}
	flush()
	return parts
}

// bracketNum finds a cell that starts with a number in brackets, and
// bracketNumAny every such number: the markers of a list numbered "(1) (2)".
var (
	bracketNum    = regexp.MustCompile(`^\s*\(\s*1\s*\)`)
	bracketNumAny = regexp.MustCompile(`\(\s*\d{1,2}\s*\)`)
)

// hanNumeral finds Chinese numerals: 两万, 一千.
var hanNumeral = regexp.MustCompile(`[一二两三四五六七八九十百千万]`)

// circledRE finds circled list numbers: ① … ⑳, ⑴ … ⒇, ⒈ … ⒛.
var circledRE = regexp.MustCompile(`[①-⑳⑴-⒇⒈-⒛]`)

// hanUnitChars are the one-character units of hanUnits.
const hanUnitChars = "个只件套副双箱盒包瓶桶台支卷袋条张顶把片斤吨升罐具组枚根粒辆架份块提"

// takeSpecs removes the standard numbers and models from part and returns
// them, in order, with what remains.
func takeSpecs(part string) (specs []string, rest string) {
	rest = part
	if !hasDigit(part) || strings.IndexFunc(part, isLatin) < 0 {
		return nil, strings.TrimSpace(part) // every standard and model has letters and digits
	}
	for _, re := range []*regexp.Regexp{standardRE, modelRE} {
		rest = re.ReplaceAllStringFunc(rest, func(m string) string {
			specs = append(specs, strings.TrimSpace(m))
			return " "
		})
	}
	return specs, strings.TrimSpace(rest)
}

// hasProseWord reports whether s holds one of proseWords or proseWordsEn.
func hasProseWord(s string) bool {
	for _, w := range proseWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	if strings.IndexFunc(s, isLatin) < 0 {
		return false
	}
	l := strings.ToLower(s)
	for _, w := range proseWordsEn {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// isHeaderWord reports whether s (trimmed of punctuation) is a header or a
// label of a supplies cell rather than a supply: 急需物资, 规格, 数量.
func isHeaderWord(s string) bool {
	k := strings.ToLower(strings.Trim(s, " :：-—.。()（）[]【】"))
	return k == "" || headerWords[k]
}

// isProse reports whether part (without its specs) is requirement prose, a
// description or a note rather than a supply name: it uses a prose word and
// is not itself a supply the catalog knows, or it is long (over 20
// characters) and the catalog knows nothing in it.
func isProse(part string) bool {
	if part == "" {
		return false
	}
	if hasProseWord(part) {
		if _, ok := relief.DefaultCatalog().Resolve(part); !ok || utf8.RuneCountInString(part) > 12 {
			return true
		}
	}
	if utf8.RuneCountInString(part) > 20 && !knownSupply(part) {
		return true
	}
	return false
}

// cellItems reads a supplies cell: its list parts (see splitCellList)
// become items; quantities written beside names are theirs ("N95（10万）",
// "3000*n95口罩", "500个n95"); standard numbers and models are the spec of the
// item they follow (or precede, at the start of the cell); requirement
// prose is the spec of the item it follows, or a note when no item does;
// headers ("急需物资", "规格") are dropped. unknown lists the item names the
// catalog does not know (kept, for review). lossless is false when some text
// of the cell was dropped (a header) or read into another shape (a quantity
// multiplied, a date left out): the caller then keeps the cell as written.
func cellItems(cell string) (items []relief.Item, notes, unknown []string, lossless bool) {
	lossless = true
	var pending []string // specs seen before any item
	attach := func(spec string) {
		if spec == "" {
			return
		}
		if len(items) > 0 {
			addSpec(&items[len(items)-1], spec)
		} else {
			pending = append(pending, spec)
		}
	}
	cat := relief.DefaultCatalog()
	addName := func(name string) bool {
		written := strings.Trim(name, " :：.。-")
		name = itemName(written)
		if name != written {
			lossless = false // "急需面罩": the need word is not in the name
		}
		if name == "" || yesWords[name] || noWords[strings.ToLower(name)] || isHeaderWord(name) {
			lossless = lossless && name != "" && !noWords[strings.ToLower(name)] && !isHeaderWord(name)
			return false
		}
		if _, ok := resolveName(cat, name); !ok {
			unknown = append(unknown, name)
		}
		items = append(items, relief.Item{Name: name})
		return true
	}
	for _, part := range splitCellList(protectColonLists(cat, cell)) {
		part = colonListMarks.Replace(part)
		part, status := splitStatus(part)
		part, inner := takeBrackets(part)
		specs, rest := takeSpecs(part)
		rest = connectors.ReplaceAllString(rest, "") // "3M1860或3M9132口罩": 或 joined two models
		if rest == "" && len(specs) > 0 && !standardRE.MatchString(part) {
			// A part that is only a model ("N100", "3M 1860") names a
			// supply by its model: an item (for review), not a spec.
			specs, rest = nil, part
		}
		if i := strings.IndexAny(rest, ":："); i > 0 && isHeaderWord(rest[:i]) {
			rest, lossless = strings.TrimSpace(rest[i+1:]), false // "急需物资：N95口罩"
		}
		if head, tail, ok := supplyColon(cat, rest); ok {
			rest = head // "N95口罩：应符合…": the supply, its requirement the spec
			specs = append(specs, tail)
		}
		masked := maskNotQuantities(rest)
		hasQty := len(quantities(masked)) > 0
		first := len(items)
		switch {
		case isHeaderWord(rest):
			if strings.Trim(rest, " :：") != "" {
				lossless = false // a header dropped
			}
		case isProse(rest) && !hasQty:
			specs = append(specs, rest)
		case hasQty:
			its, left := parseItems(masked)
			for _, it := range its {
				it.Name = itemName(strings.Trim(it.Name, " :：.。-"))
				if it.Name == "" || isHeaderWord(it.Name) {
					continue
				}
				if _, ok := resolveName(cat, it.Name); !ok {
					if name, spec, ok := knownTail(it.Name); ok && name != it.Name {
						it.Name = name // "需求量 防护服": the supply is the known word
						if spec != "" {
							addSpec(&it, spec)
						}
					} else {
						unknown = append(unknown, it.Name)
					}
				}
				items = append(items, it)
			}
			lossless = false // a number read as a quantity: keep the words as written too
			if left != "" {
				specs = append(specs, left)
			}
			if len(items) == first {
				addName(rest) // "物资0001": no supply beside the number; the part is the name
			}
		default:
			for _, word := range spaceList(rest) {
				for _, res := range cat.ResolveList(word) {
					name := strings.Trim(res.Text, " :：.。")
					if isProse(name) {
						specs = append(specs, name)
						continue
					}
					addName(name)
				}
			}
		}
		// Bracketed words after a supply: more supplies when they are only
		// supplies ("防护服（面罩，眼罩）"), else its spec ("（3M 1860、无阀门）").
		for _, in := range inner {
			if bracketItems(in) {
				for _, res := range cat.ResolveList(in) {
					addName(res.Text)
				}
				continue
			}
			sp, r := takeSpecs(in)
			specs = append(specs, sp...)
			if r = strings.Trim(r, " ,，、;；"); r != "" {
				specs = append(specs, r)
			}
		}
		if len(items) > first {
			for _, p := range pending {
				addSpec(&items[first], p)
			}
			pending = nil
			for _, sp := range specs {
				addSpec(&items[first], sp)
			}
			if status != "" {
				addSpec(&items[len(items)-1], status)
			}
		} else {
			for _, sp := range specs {
				attach(sp)
			}
			attach(status)
		}
	}
	notes = append(notes, pending...)
	return items, notes, unknown, lossless
}

// spaceList cuts a part that lists supplies separated by spaces only
// ("N95口罩 防护服 护目镜 医用手套") at its spaces: when every word is a
// supply the catalog knows, or when the part is long (over 12 characters)
// and at least half of its words are. Otherwise ("一次性 医用口罩") the part
// is one name.
func spaceList(part string) []string {
	words := strings.Fields(part)
	if len(words) < 2 {
		return []string{part}
	}
	known := 0
	for _, w := range words {
		if _, ok := resolveName(relief.DefaultCatalog(), w); ok {
			known++
		}
	}
	if known == len(words) || (utf8.RuneCountInString(part) > 12 && known*2 >= len(words)) {
		return words
	}
	return []string{part}
}

// bracketRE finds a bracketed part of a supply: "（10万）", "（3M 1860、无阀门）".
var bracketRE = regexp.MustCompile(`[(（\[【]([^()（）\[\]【】]*)[)）\]】]`)

// bareQty is a quantity and nothing else: "10万", "1万套", "500".
var bareQty = regexp.MustCompile(`^\s*\d+(?:\.\d+)?\s*[万千百kKwW]?\s*(?:` + hanUnits + `)?\s*$`)

// connectors are the words left at the edges of a part when models are
// taken out of it: 或, 或者, 和, 及, 与.
var connectors = regexp.MustCompile(`^(?:\s*(?:或者|或|和|及|与|/))+\s*|\s*(?:(?:或者|或|和|及|与|/)\s*)+$`)

// takeBrackets returns part with the brackets that hold only a quantity
// opened ("N95（10万）" → "N95 10万") and the others taken out, and the
// texts of those, in order.
func takeBrackets(part string) (string, []string) {
	var inner []string
	out := bracketRE.ReplaceAllStringFunc(part, func(m string) string {
		in := bracketRE.FindStringSubmatch(m)[1]
		if bareQty.MatchString(in) {
			return " " + in + " "
		}
		if n, rest, ok := leadingHanNumber(strings.TrimSpace(in)); ok && n > 0 && (rest == "" || hanUnitAt(rest) && len(quantities("1"+rest)) == 1) {
			return " " + qtyText(n) + rest + " " // "隔离衣（一万）", "（两千套）"
		}
		if strings.TrimSpace(in) != "" {
			inner = append(inner, strings.TrimSpace(in))
		}
		return " "
	})
	return strings.TrimSpace(out), inner
}

// bracketItems reports whether a bracketed text lists supplies only: every
// part is one the catalog knows (need words aside), none is prose, none has
// a standard or a model.
func bracketItems(in string) bool {
	if specs, _ := takeSpecs(in); len(specs) > 0 {
		return false
	}
	rs := relief.DefaultCatalog().ResolveList(in)
	if len(rs) == 0 {
		return false
	}
	for _, r := range rs {
		if !r.OK || isProse(r.Text) {
			if _, ok := resolveName(relief.DefaultCatalog(), itemName(r.Text)); !ok {
				return false
			}
		}
	}
	return true
}

// notQtyPunct are the marks around a quantity that quantities would take
// for part of a word: "口罩：1000个", "3000*n95口罩".
var notQtyPunct = strings.NewReplacer(":", " ", "：", " ", "*", " ", "×", " ", "(", " ", ")", " ", "（", " ", "）", " ", "[", " ", "]", " ", "【", " ", "】", " ")

// maskNotQuantities blanks what holds digits but is no quantity (dates,
// times, phone numbers) and the marks quantities would misread.
func maskNotQuantities(s string) string {
	if !hasDigit(s) {
		return strings.TrimSpace(notQtyPunct.Replace(s))
	}
	if strings.ContainsAny(s, "元块￥¥$") || strings.Contains(strings.ToLower(s), "rmb") || strings.Contains(strings.ToLower(s), "yuan") {
		s = moneyRE.ReplaceAllString(s, " ")
	}
	if strings.ContainsAny(s, "年月日号点时:：./-") {
		s = dateTimeRE.ReplaceAllString(s, " ")
		s = maskTimes(s)
	}
	s = phoneRun.ReplaceAllString(s, " ")
	return ungluedNumbers(strings.TrimSpace(notQtyPunct.Replace(s)))
}

// maskTimes blanks the times of s (13:53, 8:30:00) that stand alone.
func maskTimes(s string) string {
	for range 2 { // matches that share a boundary character: "8:30 9:00"
		s = timeRE.ReplaceAllString(s, "$1 $3")
	}
	return s
}

// moneyRE finds sums of money, which are no quantities of a supply:
// 5万元, 3000块, 100美元, ￥500.
var moneyRE = regexp.MustCompile(`(?i)[￥¥$]\s*\d+(?:\.\d+)?\s*[万千百]?|\d+(?:\.\d+)?\s*[万千百亿]?\s*(?:元|块钱|块|美元|欧元|人民币|rmb|yuan)`)

// gluedNumber finds a number of three or more digits glued before a word:
// "1000防护服", "7000隔离衣".
var gluedNumber = regexp.MustCompile(`(^|[^\d.])(\d{3,})(\p{Han}+)`)

// ungluedNumbers parts a number of three or more digits from the supply
// the catalog knows glued after it ("至少需要1000防护服" → "1000 防护服"),
// so that it is read as its quantity. Two-digit numbers stay glued ("84消毒液"
// is a name), and so do words the catalog does not know.
func ungluedNumbers(s string) string {
	return gluedNumber.ReplaceAllStringFunc(s, func(m string) string {
		g := gluedNumber.FindStringSubmatch(m)
		if _, ok := resolveName(relief.DefaultCatalog(), g[3]); !ok {
			return m
		}
		return g[1] + g[2] + " " + g[3]
	})
}

// textItems reads the supplies with quantities that a text cell (progress,
// notes, remarks, a column without a header) names: "缺少：防护服1万 防护口罩2万
// 外科口罩5万（最后更新：25日13:53）", "N95（10万）", "3000*n95口罩", "500个n95".
// Only supplies the catalog knows, each with a quantity, are taken; dates,
// times, phone numbers, standard numbers and models are never quantities.
func textItems(cell string, oneMeansNeeded bool) []relief.Item {
	if !hasDigit(fold(cell)) && !hanNumeral.MatchString(cell) {
		return nil // no number, no quantity
	}
	var out []relief.Item
	for _, part := range splitCellList(cell) {
		part, _ = splitStatus(part)
		part, _ = takeBrackets(part)
		_, rest := takeSpecs(part)
		rest = maskNotQuantities(rest)
		if len(quantities(rest)) == 0 {
			continue
		}
		its, _ := parseItems(rest)
		for _, it := range its {
			if it.Needed == nil || (*it.Needed == 1 && oneMeansNeeded) {
				continue
			}
			name, spec, ok := knownTail(it.Name)
			if !ok {
				continue
			}
			it.Name = name
			if spec != "" {
				addSpec(&it, spec)
			}
			out = append(out, it)
		}
	}
	return out
}

// nameWords cuts the words before a quantity into segments.
var nameWords = regexp.MustCompile(`[\s!！?？。,，:：]+`)

// verbChars are the characters of the verbs people write before a supply
// in free text (另缺, 还需, 急需补充, 再要): knownTail takes them off.
const verbChars = "另还仍尚再也缺需要急补充添加购采买求"

// knownTail finds the supply the catalog knows in the words before a
// quantity of a text: the last segment it knows ("捐物不要!防护口罩" →
// 防护口罩), the segments after it being its spec ("无创呼吸机 瑞思迈或者菲利普"
// → 无创呼吸机, spec 瑞思迈或者菲利普); false when it knows none.
func knownTail(words string) (name, spec string, ok bool) {
	segs := nameWords.Split(strings.TrimSpace(words), -1)
	cat := relief.DefaultCatalog()
	for i := len(segs) - 1; i >= 0; i-- {
		n := itemName(segs[i])
		if n == "" {
			continue
		}
		if ci, found := resolveName(cat, n); found {
			// "另缺外科口罩": the verbs before the supply are not its name
			for {
				r, size := utf8.DecodeRuneInString(n)
				if !strings.ContainsRune(verbChars, r) || size == len(n) {
					break
				}
				if x, ok := resolveName(cat, n[size:]); !ok || x.ID != ci.ID {
					break
				}
				n = n[size:]
			}
			return n, strings.TrimSpace(strings.Join(segs[i+1:], " ")), true
		}
	}
	return "", "", false
}

// contactsLossless reports whether the contacts read from cell hold all of
// it: every run of 5 or more digits is in a phone, and every run of Chinese
// or Latin letters (labels such as 联系人, 电话, 手机 aside) is in a name or
// a role. When not, the caller keeps the cell as written.
func contactsLossless(cell string, cs []relief.Contact) bool {
	var phones, names strings.Builder
	for _, c := range cs {
		phones.WriteString(digitsOf(c.Phone) + " ")
		names.WriteString(relief.NormalizeName(c.Name+c.Role) + " " + relief.NormalizeName(c.Role+c.Name) + " ")
	}
	// a number in scientific notation is told (ProblemPhoneScientific): its
	// digits are lost, it is no one's number
	s := sciPhoneRE.ReplaceAllString(fold(cell), " ")
	for _, run := range digitRun.FindAllString(s, -1) {
		d := digitsOf(run)
		if len(d) >= 5 && !strings.Contains(phones.String(), d) && !strings.Contains(phones.String(), strings.TrimPrefix(d, "86")) &&
			!strings.Contains(phones.String(), strings.TrimPrefix(d, "0")) {
			return false
		}
	}
	for _, w := range wordRun.FindAllString(contactWords.ReplaceAllString(s, " "), -1) {
		w = contactLabels.ReplaceAllString(w, "")
		if k := relief.NormalizeName(w); k != "" && !strings.Contains(names.String(), k) {
			return false
		}
	}
	return true
}

var (
	digitRun      = regexp.MustCompile(`\+?\d[\d\s()（）+-]*\d`)
	wordRun       = regexp.MustCompile(`[\p{Han}A-Za-z]+`)
	contactLabels = regexp.MustCompile(`(?i)联系人|联系方式|联系电话|联系|电话|手机号码|手机号|手机|座机|固话|办公室电话|tel|phone|mobile|contact`)
	// contactWords are the words CleanContacts reads as part of a contact,
	// not as a name: an extension's word between two digits ("转8001",
	// "ext.12", "分机 801", "x12": the extension is in the phone, after
	// ";ext="), the remark that the number is the WeChat id too (微信同号,
	// read as a WeChat contact), the labels of WeChat and QQ ids, and
	// e-mail addresses with their label (emailRE, read as contacts).
	contactWords = regexp.MustCompile(`(?i)(\d)\s*(?:转|分机号?|ext\.?|x)\s*(\d)|微信同号|同微信|微信同手机|手机同微信|微信号?|weixin|wechat|QQ\s*(?:号|群号?)?|` + emailRE.String()[4:])
	// contactHeader finds a header naming a contact that the mapping holds
	// in no contact field (微信, QQ, 邮箱, 座机, 联系电话2 …): its cells are
	// personal data, sealed (see Records).
	contactHeader = regexp.MustCompile(`(?i)电话|手机|微信|qq|邮箱|e-?mail|邮件|联系|座机|固话|phone|\btel\b|mobile|wechat|weixin|身份证|证件号`)
)

func digitsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// qtyText writes a quantity for a Problem's Args: "10000", "2.5".
func qtyText(n float64) string { return strconv.FormatFloat(n, 'f', -1, 64) }

// sourceField makes the source field of a cell, its value cut to
// relief.MaxText and its column to relief.MaxSourceColumn.
func sourceField(column, value string) relief.SourceField {
	return relief.SourceField{Column: relief.Cut(column, relief.MaxSourceColumn), Value: relief.Cut(value, relief.MaxText)}
}

// unmappedMsg is the English message of a ProblemUnmappedColumn.
func unmappedMsg(u UnmappedColumn) string {
	return fmt.Sprintf("column %q (%s, e.g. %s) is mapped to no field; its cells are kept with each record as written", u.Column, count(u.Cells, "cell", "cells"), strings.Join(u.Samples, " | "))
}

// addTextItems adds to rec the supplies with quantities that text cell
// tv.cell of column label names (tv.items, see textItems), each reported as ProblemTextQuantity
// for a reviewer to confirm. A supply rec already has without a quantity
// takes the quantity; one it has with a quantity is left as it is (the cell
// is kept as written in the notes or the source fields).
func addTextItems(rec *Record, label string, tv textCellItems, report func(field, value, msg string, rejected bool, code string, a map[string]string)) {
	cat := relief.DefaultCatalog()
	v := tv.cell
	for _, it := range tv.items {
		ci, _ := resolveName(cat, it.Name)
		at := -1
		for i, x := range rec.Items {
			if xi, ok := resolveName(cat, x.Name); (ok && xi.ID == ci.ID) || relief.NormalizeName(x.Name) == relief.NormalizeName(it.Name) {
				at = i
				break
			}
		}
		switch {
		case at >= 0 && rec.Items[at].Needed != nil:
			continue
		case at >= 0:
			n := *it.Needed
			rec.Items[at].Needed = &n
			if rec.Items[at].Unit == "" {
				rec.Items[at].Unit = it.Unit
			}
			rec.ItemFrom[at] = label
		default:
			at = len(rec.Items)
			rec.Items = append(rec.Items, it)
			rec.ItemFrom = append(rec.ItemFrom, label)
		}
		rec.TextItems = append(rec.TextItems, at)
		q := qtyText(*it.Needed)
		report(label, v, fmt.Sprintf("quantity %s of %q read from the text of column %q; to be confirmed", q, it.Name, label), false,
			ProblemTextQuantity, args("column", label, "name", it.Name, "value", q))
	}
}

// cellMemo remembers what cellItems and textItems read from each cell text
// during one Records call: sheets repeat the same supplies lists and notes
// from row to row. Not safe for concurrent use; its size is bounded by
// maxCellMemo entries each.
type cellMemo struct {
	items map[string]cellItemsResult
	text  map[string][]relief.Item
}

// maxCellMemo bounds each map of a cellMemo.
const maxCellMemo = 1 << 14

type cellItemsResult struct {
	items          []relief.Item
	notes, unknown []string
	lossless       bool
}

// textCellItems is a text cell and the supplies with quantities it names.
type textCellItems struct {
	cell  string
	items []relief.Item
}

// cellItems is cellItems, remembered; the items returned are copies the
// caller may change.
func (m *cellMemo) cellItems(cell string) ([]relief.Item, []string, []string, bool) {
	r, ok := m.items[cell]
	if !ok {
		r.items, r.notes, r.unknown, r.lossless = cellItems(cell)
		if m.items == nil {
			m.items = map[string]cellItemsResult{}
		}
		if len(m.items) < maxCellMemo {
			m.items[cell] = r
		}
	}
	return copyItems(r.items), r.notes, r.unknown, r.lossless
}

// textItems is textItems, remembered; the items are copies the caller may
// change.
func (m *cellMemo) textItems(cell string, oneMeansNeeded bool) textCellItems {
	key := cell
	if oneMeansNeeded {
		key = "1\x00" + cell
	}
	its, ok := m.text[key]
	if !ok {
		its = textItems(cell, oneMeansNeeded)
		if m.text == nil {
			m.text = map[string][]relief.Item{}
		}
		if len(m.text) < maxCellMemo {
			m.text[key] = its
		}
	}
	return textCellItems{cell: cell, items: copyItems(its)}
}

// copyItems copies items and their quantities.
func copyItems(its []relief.Item) []relief.Item {
	if its == nil {
		return nil
	}
	out := make([]relief.Item, len(its))
	for i, it := range its {
		if it.Needed != nil {
			n := *it.Needed
			it.Needed = &n
		}
		out[i] = it
	}
	return out
}

// colonSeg finds the segments of a cell between strong separators (；; 。
// and line ends), in which a supply and a colon introduce its requirements.
var colonSeg = regexp.MustCompile(`[^；;。\n]+`)

// colonListProtect hides the list separators of a requirement (after
// "supply：") from splitCellList; colonListMarks puts them back (the comma
// folded, as splitCellList folds the rest).
var (
	colonListProtect = strings.NewReplacer("、", "\uE000", "，", "\uE001", ",", "\uE001")
	colonListMarks   = strings.NewReplacer("\uE000", "、", "\uE001", ",")
)

// protectColonLists keeps together the list that follows "supply：" up to
// the next strong separator ("护目镜：视野开阔、透亮度好、有较好的防溅功能；"):
// when the words before the colon end with a supply the catalog knows and
// the words after it hold no quantity and no supply, the list is that
// supply's requirements, not more supplies. Other segments are unchanged.
func protectColonLists(cat *relief.Catalog, cell string) string {
	if !strings.ContainsAny(cell, ":：") {
		return cell
	}
	return colonSeg.ReplaceAllStringFunc(cell, func(seg string) string {
		i := strings.IndexAny(seg, ":：")
		if i <= 0 {
			return seg
		}
		_, size := utf8.DecodeRuneInString(seg[i:])
		head, tail := seg[:i], seg[i+size:]
		if j := strings.LastIndexAny(head, "、，,/／|"); j >= 0 {
			_, sz := utf8.DecodeRuneInString(head[j:])
			head = head[j+sz:]
		}
		if _, ok := resolveName(cat, itemName(strings.TrimLeft(head, "0123456789.、． )）"))); !ok {
			return seg
		}
		if len(quantities(maskNotQuantities(fold(tail)))) > 0 {
			return seg
		}
		for _, p := range cutList(fold(tail)) {
			if knownSupply(p) {
				return seg
			}
		}
		return seg[:i+size] + colonListProtect.Replace(tail)
	})
}

// supplyColon splits part "supply：requirement" (folded, its standards
// taken out) into the supply and its requirement when the words before the
// colon are a supply the catalog knows and the words after it are neither a
// quantity ("N95口罩：1000个" is read as one) nor another supply (requirement
// prose that names its supply, "医用外科口罩技术要求", and a more precise name
// of the same catalog item are its spec).
func supplyColon(cat *relief.Catalog, part string) (head, tail string, ok bool) {
	h, t, found := strings.Cut(part, ":")
	if !found {
		h, t, found = strings.Cut(part, "：")
	}
	h, t = strings.TrimSpace(h), strings.TrimSpace(t)
	if !found || h == "" || t == "" {
		return "", "", false
	}
	hi, known := resolveName(cat, itemName(h))
	if !known {
		return "", "", false
	}
	if ti, known := resolveName(cat, itemName(t)); (known && ti.ID != hi.ID && !hasProseWord(t)) || len(quantities(maskNotQuantities(t))) > 0 {
		return "", "", false
	}
	return h, t, true
}

// PersonalSourceField reports whether source field f holds a person's data:
// its column names a contact (微信, QQ, 邮箱, 联系电话 …) or its value holds a
// phone number (a mobile, or a landline with its area code). The importer
// moves the contacts of such cells into the sealed contacts (a column of
// WeChat ids, QQ numbers or e-mail addresses whole; a phone in another cell
// masked by ContactSealedMark), so only imports by earlier versions keep
// them as source fields; an erasure (desk EraseDemand) drops those.
func PersonalSourceField(f relief.SourceField) bool {
	return contactHeader.MatchString(f.Column) || len(phonesInText(f.Value, "CN")) > 0
}
