package importer

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/reliefmesh/reliefmesh/region"
)

// invisible are the characters that hide in copied cells: zero-width space,
// joiners, word joiner, byte order mark, soft hyphen.
var invisible = strings.NewReplacer("\u200b", "", "\u200c", "", "\u200d", "", "\u2060", "", "\ufeff", "", "\u00ad", "")

// CleanText returns s with invisible characters removed, line ends unified to
// "\n", full-width and other Unicode spaces turned into ASCII spaces, runs of
// spaces within a line collapsed and every line trimmed. Letters and
// punctuation are kept as written (full-width brackets stay full-width).
func CleanText(s string) string {
	s = invisible.Replace(s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		l = strings.Join(strings.FieldsFunc(l, func(r rune) bool { return unicode.IsSpace(r) }), " ")
		out = append(out, l)
	}
	return strings.Trim(strings.Join(out, "\n"), "\n ")
}

// fold returns the NFKC form of CleanText(s): full-width digits, letters,
// brackets and colons become ASCII ("（+86）１３８" → "(+86)138").
func fold(s string) string { return norm.NFKC.String(CleanText(s)) }

// Status values of the source sheets, as CleanStatus classifies them.
const (
	SourceReviewed = "reviewed" // 已审核, 已核实, verified …
	SourcePending  = "pending"  // 待审核, 未审核 …
	SourceRejected = "rejected" // 未录入, 无效, 重复 …
)

var statusWords = map[string]string{
	"已审核": SourceReviewed, "审核通过": SourceReviewed, "已核实": SourceReviewed, "已电话核实": SourceReviewed, "已确认": SourceReviewed,
	"reviewed": SourceReviewed, "verified": SourceReviewed, "approved": SourceReviewed, "ok": SourceReviewed, "activo": SourceReviewed, "active": SourceReviewed,
	"待审核": SourcePending, "未审核": SourcePending, "审核中": SourcePending, "待核实": SourcePending, "pending": SourcePending, "new": SourcePending,
	"未录入": SourceRejected, "无效": SourceRejected, "不通过": SourceRejected, "已拒绝": SourceRejected, "rejected": SourceRejected,
	"inactivo": SourceRejected, "inactive": SourceRejected,
	// The statuses of our own bulletins, so that a bulletin reads back.
	"published": SourceReviewed, "in_progress": SourceReviewed, "collected": SourcePending,
	"duplicate": SourceRejected, "withdrawn": SourceRejected,
}

// CleanStatus cleans a status cell and classifies it. text is the value with
// hidden characters removed and spaces trimmed ("已审核\u200b" → "已审核", a lone
// "\u3000" → ""); code is SourceReviewed, SourcePending or SourceRejected, or ""
// when text is empty; ok is false when text is free text that names no known
// status (a reviewer's note typed into the status column), which the caller
// should report and keep as a note.
func CleanStatus(s string) (text, code string, ok bool) {
	text = strings.TrimSpace(fold(s))
	if text == "" {
		return "", "", true
	}
	if c, found := statusWords[strings.ToLower(text)]; found {
		return text, c, true
	}
	// "未录入：无资质证明" — a known word followed by a reason.
	for w, c := range statusWords {
		if utf8.RuneCountInString(w) >= 2 && strings.HasPrefix(strings.ToLower(text), w) {
			return text, c, true
		}
	}
	return text, "", false
}

var adminPrefix = regexp.MustCompile(`^(\p{Han}{2,7}?(省|自治区|特别行政区))?(\p{Han}{2,5}?(市|自治州|地区|盟))?`)
var districtInAddr = regexp.MustCompile(`^(\p{Han}{1,6}?(区|县|旗))`)

// DistrictFromAddress extracts the district (区/县/旗) that an address names
// right after its province and city: "湖北省武汉市江汉区解放大道1277号" → "江汉区".
// It returns "" when the address does not start that way ("武汉市中山大道215号").
func DistrictFromAddress(addr string) string {
	a := fold(addr)
	a = strings.TrimSpace(adminPrefix.ReplaceAllString(a, ""))
	m := districtInAddr.FindStringSubmatch(a)
	if m == nil {
		return ""
	}
	d := m[1]
	// "东湖高新区" is a district; "中山大道" never gets here; "武昌路…" has no 区.
	if strings.ContainsAny(d, "路街道巷号") {
		return ""
	}
	return d
}

// CleanDistrict returns the canonical spelling of a district: hidden
// characters removed, and a bare name completed from known ("江汉" → "江汉区"
// when known holds "江汉区"). known holds canonical districts seen elsewhere in
// the import or the store; it may be nil. Without a match, a bare name is
// looked up in the national divisions (countyNamed: "钟祥" → "钟祥市", never
// a suffix guessed); a name they do not know, or know in several places,
// is returned as written. Values such as "全市" or "" are returned as they
// are.
func CleanDistrict(s string, known map[string]bool) string {
	d := strings.ReplaceAll(CleanText(s), " ", "")
	if d == "" {
		return ""
	}
	if known[d] {
		return d
	}
	for _, suf := range []string{"区", "县", "市", "旗"} {
		if strings.HasSuffix(d, suf) {
			return d
		}
		if known[d+suf] {
			return d + suf
		}
	}
	if c := countyNamed(d); c != "" {
		return c
	}
	return d
}

// countyNamed returns the official name of the one county-level division
// (区, 县, 县级市, 旗) that bare name d stands for in the national divisions
// ("钟祥" → "钟祥市", "蕲春" → "蕲春县"), "" when it names none, a city,
// or several (鼓楼: the file's city tells them apart, see resolvePlace).
func countyNamed(d string) string {
	p, ok := region.Resolve("", "", d, "")
	if !ok || len(p.Code) != 6 || !strings.HasPrefix(p.County, d) {
		return ""
	}
	return p.County
}

var qtyRE = regexp.MustCompile(`^(\d+(?:\.\d+)?)\s*(万|千|百|k|K|w|W)?\s*(.*)$`)

// thousands finds a comma between digits and three more digits: "2,000".
var thousands = regexp.MustCompile(`(\d),(\d{3})`)

// ParseQuantity reads a quantity as sheets and forms write it: "5000",
// "5,000", "1万", "1.5万" (15000), "2.5k", "200套", "１０００个", and in Chinese
// numerals "两千" (2000), "三百" (300), "一万五" (15000), "五千个". It returns the
// number and the unit written after it (may be ""); ok is false when s does
// not start with a number. A sign is not part of a quantity: "-5" is not ok.
func ParseQuantity(s string) (n float64, unit string, ok bool) {
	t := strings.TrimSpace(fold(s))
	for thousands.MatchString(t) {
		t = thousands.ReplaceAllString(t, "$1$2")
	}
	if n, rest, ok := leadingHanNumber(t); ok {
		return n, strings.TrimSpace(rest), true
	}
	m := qtyRE.FindStringSubmatch(t)
	if m == nil {
		return 0, "", false
	}
	n, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0, "", false
	}
	switch m[2] {
	case "万", "w", "W":
		n *= 10000
	case "千", "k", "K":
		n *= 1000
	case "百":
		n *= 100
	}
	return n, strings.TrimSpace(m[3]), true
}

var hanDigits = map[rune]float64{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
var hanPlaces = map[rune]float64{'十': 10, '百': 100, '千': 1000, '万': 10000, '亿': 1e8}

// leadingHanNumber reads the Chinese numeral s starts with ("两千", "三百五十",
// "一万五" = 15000, "十二") and returns it and what follows; ok is false when
// s does not start with one. A digit right after a unit with no 零 between
// counts in the next lower place, as people say it: "一万五" is 15000,
// "两千五" 2500.
func leadingHanNumber(s string) (n float64, rest string, ok bool) {
	var total, section, digit, lastUnit float64
	seenDigit, afterZero := false, false
	i := 0
	for j, r := range s {
		d, isDigit := hanDigits[r]
		u, isUnit := hanPlaces[r]
		if !isDigit && !isUnit {
			break
		}
		i = j + len(string(r))
		switch {
		case isDigit:
			if seenDigit && digit != 0 {
				return 0, "", false // "一二" is not a number
			}
			digit, seenDigit, afterZero = d, true, d == 0 || afterZero
		case u >= 10000:
			if section+digit == 0 && total == 0 && !seenDigit {
				return 0, "", false // "万" alone
			}
			total = (total + section + digit) * u
			section, digit, seenDigit, afterZero, lastUnit = 0, 0, false, false, u
		default:
			if digit == 0 {
				if u != 10 || section != 0 || total != 0 {
					if !seenDigit {
						return 0, "", false // "百" alone, "二百百"
					}
				}
				digit = 1 // "十二"
			}
			section += digit * u
			digit, seenDigit, afterZero, lastUnit = 0, false, false, u
		}
	}
	if i == 0 {
		return 0, "", false
	}
	if digit != 0 && !afterZero && lastUnit >= 100 {
		digit *= lastUnit / 10 // "一万五", "两千五", "三百五"
	}
	return total + section + digit, s[i:], true
}
