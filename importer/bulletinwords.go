package importer

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/reliefmesh/reliefmesh/relief"
)

// Our own bulletins' words (bulletin.Labels, the UI's labels) in Chinese and
// in English, so that a bulletin exported in either language reads back:
// its statuses here, its categories in bulletinCategories.
func init() {
	for w, c := range map[string]string{
		"已收集": SourcePending, "已发布": SourceReviewed, "处理中": SourceReviewed, "已驳回": SourceRejected, "已撤回": SourceRejected,
		"in progress": SourceReviewed,
	} {
		statusWords[w] = c
	}
}

// bulletinCategories are the category labels of our bulletins (zh-CN and
// en, lower case), by category code.
var bulletinCategories = map[string]string{
	"医疗物资": "medical_supplies", "防护用品": "protective_equipment", "食品饮水": "food_water", "生活用品": "daily_necessities",
	"住宿安置": "shelter", "运输物流": "transport", "医护人员": "medical_staff", "其他": "other",
	"medical supplies": "medical_supplies", "protective equipment": "protective_equipment", "food and water": "food_water",
	"daily necessities": "daily_necessities", "transport": "transport", "medical staff": "medical_staff",
}

// CategoryCode returns the category code a category cell names: a code
// itself ("food_water", as JSON and HXL bulletins write it) or a label of
// our bulletins ("食品饮水", "Food & water"); false for anything else.
func CategoryCode(cell string) (string, bool) {
	c := strings.TrimSpace(cell)
	if relief.ValidCategory(c) {
		return c, true
	}
	if code, ok := bulletinCategories[strings.ToLower(fold(c))]; ok {
		return code, true
	}
	if relief.ValidCategory(strings.ToLower(c)) {
		return strings.ToLower(c), true
	}
	return "", false
}

// tagIgnored reports whether an HXL hashtag names a column that is known and
// deliberately mapped to no field, its cells kept as written (#item+code; our
// bulletins' #meta+code, #meta+verified, #date+updated, #date+confirmed and
// #date+verified: the exporting network's code, verification and times), so
// that its header is not tried instead ("更新时间" would be a date).
func tagIgnored(tag string) bool {
	parts := strings.Split(strings.TrimPrefix(tag, "#"), "+")
	var ignored []string
	switch parts[0] {
	case "item":
		ignored = []string{"code"}
	case "meta":
		ignored = []string{"code", "verified"} // the exporting network's code and verification
	case "date":
		ignored = []string{"updated", "confirmed", "verified"} // the exporting network's times
	}
	return slices.ContainsFunc(parts[1:], func(a string) bool { return slices.Contains(ignored, a) })
}

// aboutTitles are the first cells of the metadata sheet of our XLSX
// bulletins (bulletin.Labels' Sheet["title"]), whose rows are no records.
var aboutTitles = []string{"聚援 需求公告", "ReliefMesh demand bulletin"}

// aboutSheet reports whether rows are the metadata sheet of one of our XLSX
// bulletins: its first cell is one of aboutTitles.
func aboutSheet(rows []Row) bool {
	return len(rows) > 0 && len(rows[0].Cells) > 0 && slices.Contains(aboutTitles, strings.TrimSpace(rows[0].Cells[0]))
}

// urgencyWords are the urgency labels of our bulletins (zh-CN and en, lower
// case) and the words sheets write in an urgency column, by urgency.
var urgencyWords = map[string]relief.Urgency{
	"不急": relief.UrgencyLow, "一般": relief.UrgencyNormal, "紧急": relief.UrgencyHigh, "特急": relief.UrgencyCritical,
	"低": relief.UrgencyLow, "中": relief.UrgencyNormal, "高": relief.UrgencyHigh, "急": relief.UrgencyHigh, "非常紧急": relief.UrgencyCritical,
	"low": relief.UrgencyLow, "normal": relief.UrgencyNormal, "high": relief.UrgencyHigh, "critical": relief.UrgencyCritical,
}

// UrgencyCode returns the urgency an urgency cell names: a code ("high"),
// a label of our bulletins ("紧急", "High") or a level word (高, 中, 低);
// false for anything else.
func UrgencyCode(cell string) (string, bool) {
	u, ok := urgencyWords[strings.ToLower(strings.TrimSpace(fold(cell)))]
	return string(u), ok
}

// ownNotes reports whether column c is the notes column of our bulletins
// (tag #description+notes): its cell is a demand's description as stored,
// not a note to label with its column.
func ownNotes(c Column) bool { return c.Tag == "#description+notes" }

// parseSourceText reads back the source fields our bulletins write in one
// cell (bulletin's source_fields: "column: value" a line). A line without
// "column: " continues the value before it (a value of several lines); a
// first line without one is a value of column label, the cell's own.
func parseSourceText(label, cell string) []relief.SourceField {
	var out []relief.SourceField
	for _, line := range strings.Split(cell, "\n") {
		col, v, ok := strings.Cut(line, ": ")
		if !ok || strings.TrimSpace(col) == "" {
			if len(out) > 0 {
				out[len(out)-1].Value += "\n" + line
				continue
			}
			col, v = label, line
		}
		out = append(out, sourceField(strings.TrimSpace(col), v))
	}
	return out
}

// noValue is bulletin.NoValue: the line of a contact cell for a contact
// without a name or without a number.
const noValue = "—"

// contactKinds are the words our bulletins write before an id that is no
// phone number (bulletin.ContactCells), in both languages, lower case.
var contactKinds = map[string]string{"微信": relief.ContactWeChat, "wechat": relief.ContactWeChat, "qq": relief.ContactQQ,
	"邮箱": relief.ContactEmail, "email": relief.ContactEmail}

// e164RE is a number as our bulletins write it: E.164 and an extension.
var e164RE = regexp.MustCompile(`^\+\d{6,15}(;ext=\d{1,6})?$`)

// pairContacts reads the contact name and contact phone cells of our
// restricted bulletins (bulletin.ContactCells): one name cell and one phone
// cell with as many lines each, the n-th name beside the n-th number. ok is
// false when the cells are not so (another file's columns, or a cell of
// several contacts by hand, or one contact whose phone cell is no one
// number): the caller reads them as contacts cells.
func pairContacts(names, phones []string, region string) (cs []relief.Contact, probs []ContactProblem, ok bool) {
	if len(names) != 1 || len(phones) != 1 {
		return nil, nil, false
	}
	ns, ps := strings.Split(names[0], "\n"), strings.Split(phones[0], "\n")
	if len(ns) != len(ps) {
		return nil, nil, false
	}
	for i := range ns {
		c := relief.Contact{}
		if n := strings.TrimSpace(ns[i]); n != noValue {
			c.Name = n
			if role, name, ok := cutColon(n); ok {
				c.Role, c.Name = role, name
			}
		}
		p := strings.TrimSpace(ps[i])
		switch kind, id, isID := contactID(p); {
		case p == noValue || p == "":
		case isID:
			c.Kind, c.Phone = kind, id
		default:
			p = extWords.Replace(p)
			if e164RE.MatchString(p) {
				c.Phone = p
				break
			}
			clean, _, err := CleanPhone(p, region)
			if err != nil && len(ns) == 1 {
				return nil, nil, false // one contact, two cells: read as people write them
			}
			if err != nil {
				probs = append(probs, ContactProblem{Value: p, Err: err})
				clean = p // kept as written, as relief.Contact says
			}
			c.Phone = clean
		}
		if c != (relief.Contact{}) {
			cs = append(cs, c)
		}
	}
	return cs, probs, true
}

// extWords turn the extension our bulletins write (" 转 802", " ext. 802")
// back into ";ext=802".
var extWords = strings.NewReplacer(" 转 ", ";ext=", " ext. ", ";ext=")

// cutColon cuts "role：name" (or "role: name") at its first colon; false
// when there is none, or nothing on either side.
func cutColon(s string) (before, after string, ok bool) {
	i := strings.IndexAny(s, ":：")
	if i <= 0 {
		return "", "", false
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	before, after = strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+size:])
	return before, after, before != "" && after != ""
}

// contactID reads "微信：abc", "WeChat: abc", "QQ：123" or "邮箱：a@b.org",
// "Email: a@b.org": the kind and the
// id; false for anything else.
func contactID(s string) (kind, id string, ok bool) {
	w, v, ok := cutColon(s)
	if !ok {
		return "", "", false
	}
	kind, ok = contactKinds[strings.ToLower(w)]
	return kind, v, ok
}
