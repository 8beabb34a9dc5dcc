package bulletin

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// Masked replaces a phone number or a person's name in bulletin text.
const Masked = "[***]"

// digitRun finds runs of seven or more digits after digits are folded, with single
// spaces, dashes, dots or middle dots between them ("138 0000 0000",
// "027-85726035", "139.1234.5678"), and a leading "+" if there is one.
var digitRun = regexp.MustCompile(`\+?\d(?:[\s\-.·]?\d){6,}`)

// standardBefore matches the end of text that names a standard or a model
// right before a digit run: "GB ", "GB/T ", "YY ", "ISO ", "EN" (capitals
// only, so "certified 2000000" is still masked).
var standardBefore = regexp.MustCompile(`(?:^|[^A-Za-z])[A-Z]{1,6}(?:/[A-Z]{1,2})?\s?$`)

// classifiers are the measure words and units that follow a quantity, never
// a phone number: "1000000个", "2000000 只".
const classifiers = "个只套件箱瓶副双盒包台人元支卷袋桶片张条顶把吨米斤克升"

// honorifics follow a surname to address a person: 王老师, 李主任.
var honorifics = []string{"老师", "先生", "女士", "小姐", "主任", "医生", "院长", "护士长", "经理", "书记", "阿姨", "师傅", "同学", "大夫"}

// surnames are the common Chinese single-character surnames (the top of the
// 2020 census list, which covers about 85 % of people), used to tell
// "王老师" (a person) from "各位老师" (not one).
const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"

// contactMarker matches a contact label and the two to four Han characters
// of the name after it: "联系人：王小明", "对接人 李华".
var contactMarker = regexp.MustCompile(`(联系人|负责人|对接人|收货人|收件人)([:：\s]*)(\p{Han}{2,4})`)

// Scrub returns s with what identifies a person masked as Masked: e-mail
// addresses, WeChat ids and QQ numbers after their label ("微信: abc_123",
// "QQ 12345678"), phone
// numbers (mobile numbers however they are spaced or dotted, landlines with
// or without the area code, any other run of seven or more digits) and
// names (after a contact label such as 联系人, or a common surname followed
// by an honorific such as 老师 or 先生). It keeps digit runs that are
// clearly not phone numbers: standards and models ("GB 19083-2010",
// "YY/T 0969-2013") and quantities followed by a measure word
// ("1000000个"), unless the digits form a valid Chinese mobile number.
// Full-width digits, plus signs and spaces are folded to ASCII first, so
// "＋８６ １３８…" is caught too; other characters are kept as typed.
func Scrub(s string) string {
	s = strings.Map(foldDigit, s)
	s = scrubIDs(s)
	s = scrubNumbers(s)
	return scrubNames(s)
}

// emailRE finds an e-mail address.
var emailRE = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)

// idRE finds a WeChat id or a QQ number after its label (the label and what
// stands between it and the id are kept): "微信: abc_123", "加微信号abc_123",
// "WeChat abc_123", "QQ群：12345".
var idRE = regexp.MustCompile(`(?i)(微信号?|微信|\bweixin|\bwechat|\bvx|\bwx|QQ\s*(?:号|群号?)?)(\s*[:：]?\s*)([A-Za-z0-9][-_A-Za-z0-9]{4,19})`)

// contactColumn finds the name of a column whose cells are a person's
// contact (微信, QQ, 邮箱, 联系电话, 座机 …): a source field of such a column
// is masked whole below the restricted level (what older imports kept in
// plain text).
var contactColumn = regexp.MustCompile(`(?i)电话|手机|微信|qq|邮箱|e-?mail|邮件|电邮|联系|座机|固话|phone|\btel\b|mobile|wechat|weixin|身份证|证件号`)

// scrubIDs masks the e-mail addresses of s, and its WeChat ids and QQ
// numbers written after their label.
func scrubIDs(s string) string {
	if strings.Contains(s, "@") {
		s = emailRE.ReplaceAllString(s, Masked)
	}
	return idRE.ReplaceAllString(s, "${1}${2}"+Masked)
}

// foldDigit maps full-width digits, "＋", "－", "．" and the ideographic
// space to ASCII; other runes are returned unchanged.
func foldDigit(r rune) rune {
	switch {
	case r >= '０' && r <= '９':
		return '0' + (r - '０')
	case r == '＋':
		return '+'
	case r == '－':
		return '-'
	case r == '．':
		return '.'
	case r == '\u3000':
		return ' '
	}
	return r
}

// dateRE finds a calendar date written with dashes, dots or slashes, the
// year first ("2021-07-26", "2021.7.26", "2021/07/26"), and a time of day
// after it ("2021-07-26 14:30", "2021-07-26T14:30:05"), between a non-digit
// (or the start) and a non-digit (or the end). A date written with 年月日 or
// a time alone ("14:30") is no run of seven digits and needs no exception;
// a date without separators ("20210726") has the shape of a landline and
// stays masked.
var dateRE = regexp.MustCompile(`(?:^|[^\d+])((?:19|20)\d{2}(?:-(?:0?[1-9]|1[0-2])-|\.(?:0?[1-9]|1[0-2])\.|/(?:0?[1-9]|1[0-2])/)(?:0?[1-9]|[12]\d|3[01])(?:[ T]?(?:[01]?\d|2[0-3])[:：][0-5]\d(?:[:：][0-5]\d)?)?)(?:$|[^\d])`)

// scrubNumbers masks the digit runs of s that are phone numbers, keeping
// the dates (dateRE) as written: the text between dates is scrubbed alone,
// so a number right after a date is still masked.
func scrubNumbers(s string) string {
	var b strings.Builder
	pos := 0
	for pos < len(s) {
		m := dateRE.FindStringSubmatchIndex(s[pos:])
		if m == nil {
			break
		}
		start, end := pos+m[2], pos+m[3]
		b.WriteString(scrubRuns(s[pos:start]))
		b.WriteString(s[start:end])
		pos = end
	}
	if pos == 0 {
		return scrubRuns(s)
	}
	b.WriteString(scrubRuns(s[pos:]))
	return b.String()
}

// scrubRuns masks the digit runs (digitRun) of s that keepDigits does not
// keep.
func scrubRuns(s string) string {
	locs := digitRun.FindAllStringIndex(s, -1)
	if locs == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, l := range locs {
		if keepDigits(s[:l[0]], s[l[0]:l[1]], s[l[1]:]) {
			continue
		}
		b.WriteString(s[last:l[0]])
		b.WriteString(Masked)
		last = l[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// keepDigits reports whether run, between before and after, is a standard
// number, a model or a quantity rather than a phone number.
func keepDigits(before, run, after string) bool {
	if isMobile(run) || len(phonenumbers.NormalizeDigitsOnly(run)) >= 11 {
		return false // standards and models are shorter than a phone number
	}
	if standardBefore.MatchString(before) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(strings.TrimLeft(after, " "))
	return r != utf8.RuneError && strings.ContainsRune(classifiers, r)
}

// isMobile reports whether run is a valid Chinese mobile number, with or
// without +86.
func isMobile(run string) bool {
	n, err := phonenumbers.Parse(run, "CN")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return false
	}
	return phonenumbers.GetNumberType(n) == phonenumbers.MOBILE
}

// mobileQuantity reports whether the quantity q is a whole number whose
// digits form a valid Chinese mobile number (11 digits, 1[3-9]…): a phone
// number a sheet's supplies cell held ("请打13712345678") and an importer read
// as a quantity. Bulletins below restricted level never print it.
func mobileQuantity(q float64) bool {
	if q < 1e10 || q >= 2e10 || q != math.Trunc(q) {
		return false
	}
	return isMobile(strconv.FormatFloat(q, 'f', 0, 64))
}

func scrubNames(s string) string {
	s = contactMarker.ReplaceAllString(s, "${1}${2}"+Masked)
	for _, h := range honorifics {
		if !strings.Contains(s, h) {
			continue
		}
		var b strings.Builder
		rest := s
		for {
			i := strings.Index(rest, h)
			if i < 0 {
				b.WriteString(rest)
				break
			}
			head := rest[:i]
			if name := nameBefore(head); name != "" {
				b.WriteString(head[:len(head)-len(name)])
				b.WriteString(Masked)
			} else {
				b.WriteString(head)
				b.WriteString(h)
			}
			rest = rest[i+len(h):]
		}
		s = b.String()
	}
	return s
}

// nameBefore returns the name at the end of head, before an honorific: the
// longest run of one to three Han characters that starts with a common
// surname ("王小明" in "请王小明老师", "王" in "护理部王老师"), or "" when
// there is none ("各位老师").
func nameBefore(head string) string {
	rs := []rune(head)
	for n := 3; n >= 1; n-- {
		if len(rs) < n {
			continue
		}
		name := rs[len(rs)-n:]
		if !strings.ContainsRune(surnames, name[0]) {
			continue
		}
		han := true
		for _, r := range name {
			han = han && unicode.Is(unicode.Han, r)
		}
		if han {
			return string(name)
		}
	}
	return ""
}
