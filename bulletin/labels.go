package bulletin

import (
	"strings"
)

// Labels are the words a table bulletin (csv, xlsx) and the display labels
// of a JSON bulletin are written in, for one language: column headers by
// column code (the names of Header, TeamHeader, RestrictedHeader), and the
// display names of statuses, categories, urgencies and units by their code.
// The statuses, categories and urgencies are the UI's own labels
// (frontend/src/locales/*.json, keys status.*, category.*, urgency.*; a test
// checks that the two agree).
type Labels struct {
	Columns    map[string]string
	Statuses   map[string]string
	Categories map[string]string
	Urgencies  map[string]string
	// Evidence are the words of how a demand was verified (column
	// verified: callback, notice, visit, partner, reason), the UI's
	// evidence.kind labels.
	Evidence map[string]string
	// Units translate unit codes and English unit words ("piece", "boxes")
	// to the language's own; a unit not in it is written as typed.
	Units map[string]string
	// Sheet are the words of the XLSX workbook's sheets and of its
	// metadata sheet, by key (see sheetWords).
	Sheet map[string]string
}

// sheetWords are the keys of Labels.Sheet: the two sheet names, and the
// rows of the metadata sheet.
var sheetWords = []string{"data", "about", "title", "exported", "network", "network_id", "member", "member_id", "level", "demands", "unpublished", "format_note", "signature", "sealed", "sealed_count", "wechat", "qq", "email", "id_card", "ext", "colon"}

var zhUnits = map[string]string{
	"piece": "个", "pieces": "个", "pcs": "个", "pc": "个",
	"pair": "双", "pairs": "双",
	"set": "套", "sets": "套",
	"bottle": "瓶", "bottles": "瓶",
	"box": "盒", "boxes": "盒",
	"pack": "包", "packs": "包",
	"roll": "卷", "rolls": "卷",
	"kit": "份", "kits": "份",
	"unit": "台", "units": "台",
	"carton": "箱", "cartons": "箱",
	"bag": "袋", "bags": "袋",
}

// labels are the Labels of each of Langs.
var labels = map[string]Labels{
	"zh-CN": {
		Columns: map[string]string{
			"code": "编号", "title": "标题", "organisation": "需求单位", "province": "省份", "city": "城市", "district": "区县",
			"category": "类别", "status": "状态", "urgency": "紧急程度", "item": "物资名称", "spec": "规格", "unit": "单位",
			"needed": "需求数量", "received": "已收到数量", "updated": "更新时间", "last_confirmed": "最后确认时间",
			"address": "地址", "source_fields": "原表其他信息", "duplicate_of": "疑似重复于", "notes": "说明", "verified": "核实方式", "verified_at": "核实时间",
			"contact_name": "联系人", "contact_phone": "联系电话",
		},
		Evidence: map[string]string{"callback": "电话回访求助方", "notice": "官方通告", "visit": "实地走访", "partner": "伙伴机构确认", "reason": "仅书面说明"},
		Statuses: map[string]string{"collected": "已收集", "approved": "已审核", "published": "已发布", "in_progress": "处理中",
			"fulfilled": "已完成", "rejected": "已驳回", "duplicate": "重复", "withdrawn": "已撤回"},
		Categories: map[string]string{"medical_supplies": "医疗物资", "protective_equipment": "防护用品", "food_water": "食品饮水",
			"daily_necessities": "生活用品", "shelter": "住宿安置", "transport": "运输物流", "medical_staff": "医护人员", "other": "其他"},
		Urgencies: map[string]string{"low": "不急", "normal": "一般", "high": "紧急", "critical": "特急"},
		Units:     zhUnits,
		Sheet: map[string]string{
			"data": "需求", "about": "说明", "title": "聚援 需求公告",
			"exported": "导出时间", "network": "网络", "network_id": "网络 ID", "member": "导出成员", "member_id": "成员 ID",
			"level": "级别", "demands": "需求条数", "unpublished": "未发布（未包含）",
			"format_note": "第 2 行是 HXL 标签，供程序读取；请勿删除。",
			"signature":   "签名文件",
			// a contact cell this device cannot open, and the notes row counting them
			"sealed":       "已加密（本设备无法打开，仅审核员、协调员和认领人可见）",
			"sealed_count": "联系方式已加密、本设备无法打开的需求",
			// the words of the contact cells (ContactCells)
			"wechat": "微信", "qq": "QQ", "email": "邮箱", "id_card": "身份证号", "ext": "转", "colon": "：",
		},
	},
	"en": {
		Columns: map[string]string{
			"code": "code", "title": "title", "organisation": "organisation", "province": "province", "city": "city", "district": "district",
			"category": "category", "status": "status", "urgency": "urgency", "item": "item", "spec": "spec", "unit": "unit",
			"needed": "needed", "received": "received", "updated": "updated", "last_confirmed": "last_confirmed",
			"address": "address", "source_fields": "source_fields", "duplicate_of": "duplicate_of", "notes": "notes", "verified": "verified", "verified_at": "verified_at",
			"contact_name": "contact_name", "contact_phone": "contact_phone",
		},
		Evidence: map[string]string{"callback": "Call-back to the requester", "notice": "Official notice", "visit": "On-site visit", "partner": "Partner's confirmation", "reason": "Written reason only"},
		Statuses: map[string]string{"collected": "Collected", "approved": "Approved", "published": "Published", "in_progress": "In progress",
			"fulfilled": "Fulfilled", "rejected": "Rejected", "duplicate": "Duplicate", "withdrawn": "Withdrawn"},
		Categories: map[string]string{"medical_supplies": "Medical supplies", "protective_equipment": "Protective equipment", "food_water": "Food and water",
			"daily_necessities": "Daily necessities", "shelter": "Shelter", "transport": "Transport", "medical_staff": "Medical staff", "other": "Other"},
		Urgencies: map[string]string{"low": "Low", "normal": "Normal", "high": "High", "critical": "Critical"},
		Sheet: map[string]string{
			"data": "Demands", "about": "About", "title": "ReliefMesh demand bulletin",
			"exported": "Exported at", "network": "Network", "network_id": "Network id", "member": "Exported by", "member_id": "Member id",
			"level": "Level", "demands": "Demands", "unpublished": "Unpublished (left out)",
			"format_note":  "Row 2 holds HXL hashtags for programs; do not delete it.",
			"signature":    "Signature file",
			"sealed":       "sealed (this device cannot open it: for reviewers, coordinators and the owner)",
			"sealed_count": "Demands whose contacts are sealed and this device cannot open",
			"wechat":       "WeChat", "qq": "QQ", "email": "Email", "id_card": "ID card no.", "ext": "ext.", "colon": ": ",
		},
	},
}

// LabelsOf returns the Labels of lang (one of Langs; "" is the first), and
// false for a language there are none of.
func LabelsOf(lang string) (Labels, bool) {
	if lang == "" {
		lang = Langs[0]
	}
	l, ok := labels[lang]
	return l, ok
}

// word returns m[code], or code itself when m has no word for it (a code a
// newer version added, or free text): never an empty cell for a value.
func word(m map[string]string, code string) string {
	if w, ok := m[code]; ok && w != "" {
		return w
	}
	return code
}

// unit returns the unit in the labels' language: a known unit code or
// English unit word translated, anything else as typed.
func (l Labels) unit(u string) string {
	if w, ok := l.Units[strings.ToLower(strings.TrimSpace(u))]; ok {
		return w
	}
	return u
}

// header returns the column headers of codes in the labels' language.
func (l Labels) header(codes []string) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = word(l.Columns, c)
	}
	return out
}

// translate returns rows (as rows makes them) with the status, category,
// urgency and unit cells in the labels' language. The columns are those of
// Header, whichever level: the level's columns come after them.
func (l Labels) translate(rs [][]string) [][]string {
	for _, r := range rs {
		r[colCategory] = word(l.Categories, r[colCategory])
		r[colStatus] = word(l.Statuses, r[colStatus])
		r[colUrgency] = word(l.Urgencies, r[colUrgency])
		r[colUnit] = l.unit(r[colUnit])
		if r[colVerified] != "" {
			r[colVerified] = word(l.Evidence, r[colVerified])
		}
	}
	return rs
}

// The columns of Header that translate carries into the language.
const (
	colCategory = 4
	colStatus   = 5
	colUrgency  = 6
	colUnit     = 9
	colVerified = 14
)

// LineLabels are the display labels of a JSON bulletin's line, in the
// bulletin's language, beside the stable codes of Line.
type LineLabels struct {
	Status   string `json:"status"`
	Category string `json:"category,omitempty"`
	Urgency  string `json:"urgency"`
}
