package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/reliefmesh/reliefmesh/relief"
)

// Field is what a column holds, as a Mapping says.
type Field string

// Fields a column can be mapped to.
const (
	FieldIgnore   Field = ""         // not imported
	FieldOrg      Field = "org"      // the requesting organisation (demand) or the supplier (offer)
	FieldProvince Field = "province" // 省
	FieldCity     Field = "city"     // 市
	FieldDistrict Field = "district" // 区/县
	FieldRegion   Field = "region"   // an area served (offers), or a district when none is given
	FieldAddress  Field = "address"
	FieldItems    Field = "items"    // a free-text list of supplies ("N95/护目镜/外科口罩")
	FieldItem     Field = "item"     // one supply per row (long format, HXL #item+name); rows of one organisation are grouped
	FieldQuantity Field = "quantity" // the quantity of FieldItem
	FieldUnit     Field = "unit"
	FieldSpec     Field = "spec"
	FieldSupply   Field = "supply"   // the column is itself a supply (its header names it) and cells hold quantities (wide format)
	FieldContacts Field = "contacts" // names and numbers, possibly several (see CleanContacts)
	FieldNotes    Field = "notes"    // remarks, descriptions, capacity text
	FieldURL      Field = "url"
	FieldStatus   Field = "status" // review status at the source (see CleanStatus)
	FieldDate     Field = "date"
	// FieldDeadline is when a demand must be met by ("截止时间"): its cells
	// are read as dates, as FieldDate's (see readDate), and kept as source
	// fields under the column's header.
	FieldDeadline Field = "deadline"
	FieldCategory Field = "category"
	FieldTitle    Field = "title" // a demand's own title, as our bulletins write it; without one the organisation is the title
	// FieldUrgency is a demand's urgency: a code (low, normal, high,
	// critical) or a label of our bulletins (不急, 一般, 紧急, 特急).
	FieldUrgency Field = "urgency"
	// FieldReceived is the quantity of FieldItem received so far. An
	// import records no delivery, so a quantity other than 0 is kept as a
	// source field ("已收到数量: 防护服 100 套") and reported
	// (ProblemReceivedKept).
	FieldReceived Field = "received"
	// FieldContactName and FieldContactPhone are the two contact cells of
	// our restricted bulletins (bulletin.ContactCells): one contact per line,
	// the n-th name beside the n-th number. Cells whose lines do not pair up
	// are read as FieldContacts.
	FieldContactName  Field = "contact_name"
	FieldContactPhone Field = "contact_phone"
	// FieldSourceFields is the cell in which our bulletins write a demand's
	// source fields, "column: value" a line: read back as those fields.
	FieldSourceFields Field = "source_fields"
)

// headerSynonyms maps normalised header names (relief.NormalizeName) to fields.
var headerSynonyms = map[Field][]string{
	FieldOrg: {"name", "名称", "医院名称", "医院", "单位名称", "机构", "机构名称", "组织", "组织名称", "organisation", "organization",
		"org", "hospital", "hospitalname", "requester", "需求单位", "需求方", "受助单位", "求助单位", "求助机构", "supplier", "供应商", "供应方",
		"企业", "企业名称", "公司", "公司名称", "物流名称", "物流公司", "hotelname", "酒店名称", "酒店", "宾馆", "company", "工厂", "厂家", "工厂名称", "捐赠方",
		"organización", "organizacion", "organisme", "organização", "organizacao", "agencia", "agency",
		// a village's or a shelter's own list of needs: the village, the
		// settlement is the requester
		"村", "村名", "村庄", "村庄名称", "行政村", "自然村", "村组", "社区", "小区", "安置点", "安置点名称", "受灾村", "受灾点", "求助人", "求助者",
		"village", "villagename", "community", "settlement", "shelter", "sitename", "campname"},
	FieldProvince: {"province", "省", "省份", "所在省", "state"},
	FieldCity:     {"city", "市", "城市", "所在市", "地市"},
	FieldDistrict: {"district", "区县", "区", "县", "所在区", "所在区县", "行政区", "county"},
	FieldRegion:   {"region", "area", "区域", "地区", "物流区域", "服务区域", "服务范围", "覆盖范围", "dest", "目的地"},
	FieldAddress: {"address", "地址", "医院地址", "收货地址", "详细地址", "邮寄地址", "收件地址", "location", "所在地址", "单位地址",
		"乡镇", "乡", "镇", "乡镇街道", "街道", "所在乡镇", "town", "township", "位置", "所在位置", "送达地点", "送货地点", "交付地点"},
	FieldItems: {"supplies", "物资", "需求物资", "所需物资", "物资需求", "需求", "needs", "need", "items", "物资清单", "需求清单", "需求内容",
		"急需物资", "缺少物资", "可提供物资", "产能", "生产能力", "products",
		// what a village's or a shelter's list says it needs
		"需要什么", "需要物资", "需要的物资", "缺什么", "缺少什么", "缺的物资", "所需", "所需物品", "需要物品", "需求物品", "求助物资", "紧缺物资",
		"needed items", "items needed", "needs list", "what is needed", "supplies needed", "requested items"},
	FieldItem: {"item", "itemname", "物品", "物资名称", "品名", "物品名称", "supply"},
	FieldQuantity: {"quantity", "数量", "需求数量", "qty", "数目", "needed", "需要数量", "amount", "需求量", "需要量", "所需数量",
		"多少", "要多少", "需要多少", "缺多少", "数量需求", "缺口", "缺口数量", "how many", "howmany", "quantity needed", "qty needed"},
	FieldUnit: {"unit", "计量单位"},
	FieldSpec: {"specification", "spec", "规格", "规格型号", "型号", "标准", "要求"},
	FieldContacts: {"contact", "contacts", "联系人", "联系方式", "联系人联系方式", "联系人/联系方式", "联系电话", "电话", "phone", "tel", "telephone",
		"mobile", "手机", "手机号", "联系人电话", "对接人", "负责人", "联络人", "联络电话", "联络方式"},
	FieldNotes: {"remark", "remarks", "备注", "说明", "notes", "note", "description", "描述", "情况说明", "其他", "物流能力", "能力", "capacity",
		"qualification", "资质", "telremark", "noticetitle", "可接待", "maximumrooms", "maximumguests"},
	FieldURL:    {"url", "链接", "官方链接", "来源", "信息来源", "source", "website", "网址", "官网", "sourceurl"},
	FieldStatus: {"审核状态", "状态", "status", "核实状态", "reviewstatus"},
	FieldDate:   {"date", "日期", "时间", "更新时间", "updated", "发布时间", "dateupdated"},
	FieldDeadline: {"deadline", "截止时间", "截止日期", "截至时间", "截至日期", "截止", "需求截止时间", "期限", "到期时间", "到期日期",
		"due", "duedate", "neededby", "需要时间", "需要日期", "需到时间", "最迟到货时间", "要求到货时间"},
	FieldTitle:        {"title", "标题", "需求标题"},
	FieldUrgency:      {"urgency", "紧急程度", "紧急度", "紧急等级", "优先级", "priority", "severity"},
	FieldReceived:     {"received", "已收到数量", "已收到", "已收数量", "已到数量", "已到货数量"},
	FieldContactName:  {"contact_name", "contactname"},
	FieldContactPhone: {"contact_phone", "contactphone"},
	FieldSourceFields: {"source_fields", "sourcefields", "原表其他信息"},
	FieldCategory:     {"类别", "分类", "category", "type", "类型", "服务类型", "sector", "cluster", "sector/cluster", "cluster/sector", "secteur", "setor"},
}

var synonymIndex = func() map[string]Field {
	m := map[string]Field{}
	for f, names := range headerSynonyms {
		for _, n := range names {
			m[relief.NormalizeName(n)] = f
		}
	}
	return m
}()

// fieldForHeader returns the field a header names, FieldIgnore if none.
// A header in traditional characters is read in simplified ones
// (simplifiedHeader): "聯繫電話" names the contacts as "联系电话" does.
func fieldForHeader(h string) Field {
	h = simplifiedHeader(h)
	k := relief.NormalizeName(h)
	if k == "" {
		return FieldIgnore
	}
	if f, ok := synonymIndex[k]; ok {
		return f
	}
	if f := bilingualHeader(h); f != FieldIgnore {
		return f
	}
	// "联系人(酒店名称或者政府部门）": a bracket that says the cells are
	// names of organisations decides, whatever the words before it.
	if m := bracketRE.FindStringSubmatch(h); m != nil && strings.Contains(m[1], "名称") {
		return FieldOrg
	}
	// "医院名称(必填)", "联系人及电话": try the part before brackets, then
	// known words contained in a longer Chinese header.
	if i := strings.IndexAny(h, "(（[【"); i > 0 {
		if f := fieldForHeader(h[:i]); f != FieldIgnore {
			return f
		}
	}
	for _, probe := range []struct {
		word string
		f    Field
	}{{"联系", FieldContacts}, {"电话", FieldContacts}, {"地址", FieldAddress}, {"备注", FieldNotes}, {"链接", FieldURL},
		{"状态", FieldStatus}, {"数量", FieldQuantity}, {"物资", FieldItems}, {"名称", FieldOrg},
		{"进度", FieldNotes}, {"其他", FieldNotes}, {"其它", FieldNotes}, {"说明", FieldNotes}, {"情况", FieldNotes},
		{"城市", FieldCity}, {"省份", FieldProvince}, {"截止", FieldDeadline}, {"截至", FieldDeadline}, {"日期", FieldDate}} {
		if strings.Contains(h, probe.word) {
			return probe.f
		}
	}
	// "义诊单位或个人", "捐赠单位": an organisation named in words; a unit
	// of measure is "计量单位" or "单位" alone (see SuggestMapping).
	if strings.Contains(h, "单位") && k != "单位" && !strings.Contains(h, "计量") {
		return FieldOrg
	}
	return FieldIgnore
}

// bilingualHeader returns the field a header written in two languages
// names ("Needs 需求", "Qty 数量", "Village 村"), when its words separated by
// spaces or a slash name it, and name no other field; FieldIgnore if none.
func bilingualHeader(h string) Field {
	parts := strings.FieldsFunc(h, func(r rune) bool { return r == ' ' || r == '/' || r == '\u3000' || r == '|' })
	if len(parts) < 2 {
		return FieldIgnore
	}
	found := FieldIgnore
	for _, p := range parts {
		f, ok := synonymIndex[relief.NormalizeName(p)]
		if !ok {
			continue
		}
		if found != FieldIgnore && f != found {
			return FieldIgnore // "名称 数量": two fields, not one
		}
		found = f
	}
	return found
}

// headerOverTag returns the field a header names when it is one a column
// tagged with a generic HXL hashtag (#meta, #description: read as notes)
// is read as instead: any field but notes; FieldIgnore when the header
// names none.
func headerOverTag(h string) Field {
	if f := fieldForHeader(h); f != FieldNotes {
		return f
	}
	return FieldIgnore
}

// fieldFamily groups fields that name one thing in two ways (the supplies
// as a list or one per row; the contacts whole or as names and numbers; a
// place at its levels; a date and a deadline): a hashtag and a header of
// one family agree.
func fieldFamily(f Field) Field {
	switch f {
	case FieldItems, FieldItem, FieldSupply:
		return FieldItems
	case FieldContacts, FieldContactName, FieldContactPhone:
		return FieldContacts
	case FieldAddress, FieldRegion, FieldDistrict, FieldProvince, FieldCity:
		return FieldAddress
	case FieldDate, FieldDeadline:
		return FieldDate
	}
	return f
}

// TagHeaderProblems tells, for each column of t whose HXL hashtag and
// human header name different fields, which one m follows
// (ProblemTagHeader when it follows the header, ProblemTagOverHeader when
// it follows the hashtag; Row 0): the header when the hashtag is a generic one
// (#meta+quantity under "数量": the tag says only "about the row" and the
// header names the field); the hashtag when both name a field (a tag is
// written on purpose, for tools), told so that a person can change the
// mapping. Columns m maps to neither are the person's choice: not told.
func TagHeaderProblems(t *Table, m Mapping) []Problem {
	var out []Problem
	for _, c := range m.Columns {
		if c.Tag == "" || c.Header == "" || tagIgnored(c.Tag) {
			continue
		}
		tf, hf := fieldForTag(c.Tag), fieldForHeader(c.Header)
		if tf == FieldIgnore || hf == FieldIgnore || fieldFamily(tf) == fieldFamily(hf) {
			continue
		}
		var followed string
		switch c.Field {
		case hf:
			followed = "header"
		case tf:
			followed = "tag"
		default:
			continue
		}
		code := ProblemTagHeader
		if followed == "tag" {
			code = ProblemTagOverHeader
		}
		msg := fmt.Sprintf("column %q is tagged %s (%s) but its header says %s: read as %s, as its %s says", c.Header, c.Tag, fieldName(tf), fieldName(hf), fieldName(c.Field), followed)
		out = append(out, Problem{File: t.File, Sheet: t.Sheet, Field: c.Header, Value: c.Tag, Msg: msg, Code: code,
			Args: args("column", c.Header, "tag", c.Tag, "tag_field", string(tf), "header_field", string(hf), "followed", followed)})
	}
	return out
}

// fieldName is a field's name for messages: "notes" for the notes, the
// field's value otherwise.
func fieldName(f Field) string {
	if f == FieldIgnore {
		return "nothing"
	}
	return string(f)
}

// fieldForTag returns the field an HXL hashtag (normalised, "#org+es")
// stands for, FieldIgnore if none.
func fieldForTag(tag string) Field {
	if tag == "" {
		return FieldIgnore
	}
	parts := strings.Split(strings.TrimPrefix(tag, "#"), "+")
	attrs := map[string]bool{}
	for _, a := range parts[1:] {
		attrs[a] = true
	}
	switch parts[0] {
	case "org":
		return FieldOrg
	case "adm1":
		return FieldProvince
	case "adm2":
		return FieldCity
	case "adm3", "adm4":
		return FieldDistrict
	case "loc":
		if attrs["region"] || attrs["area"] {
			return FieldRegion
		}
		return FieldAddress
	case "item":
		switch {
		case attrs["needed"] || attrs["quantity"] || attrs["num"] || attrs["qty"]:
			return FieldQuantity
		case attrs["unit"]:
			return FieldUnit
		case attrs["spec"]:
			return FieldSpec
		case attrs["received"]:
			return FieldReceived
		case attrs["code"]:
			return FieldIgnore
		}
		return FieldItem
	case "contact":
		switch {
		case attrs["name"] && !attrs["phone"]:
			return FieldContactName
		case attrs["phone"] && !attrs["name"]:
			return FieldContactPhone
		}
		return FieldContacts
	case "severity":
		return FieldUrgency
	case "status":
		return FieldStatus
	case "date":
		if attrs["updated"] || attrs["confirmed"] || attrs["verified"] {
			return FieldIgnore // when the exporting network last changed, confirmed, verified it: kept as written
		}
		return FieldDate
	case "description", "meta":
		if parts[0] == "meta" && (attrs["code"] || attrs["verified"]) {
			return FieldIgnore // our bulletins' code and verification: kept as written (see bulletinMeta)
		}
		if attrs["url"] {
			return FieldURL
		}
		if parts[0] == "meta" && attrs["source"] && len(attrs) == 1 {
			return FieldSourceFields // our bulletins' 原表其他信息
		}
		if parts[0] == "description" && attrs["title"] {
			return FieldTitle
		}
		return FieldNotes
	case "sector":
		return FieldCategory
	case "capacity":
		return FieldNotes
	}
	return FieldIgnore
}

// Column is one column of a Mapping.
type Column struct {
	Index  int    `json:"index"`            // 0-based position in the table
	Header string `json:"header,omitempty"` // the human header, as read
	Tag    string `json:"tag,omitempty"`    // the HXL hashtag, normalised
	Field  Field  `json:"field"`            // what it holds; FieldIgnore to skip it
}

// Mapping says which field each column of a table holds, and whether its
// records are demands or offers. It is JSON, so that the app can save the
// mapping a user confirmed and apply it to the next file with the same
// Signature.
type Mapping struct {
	Signature string   `json:"signature"`      // Signature of the table it was made for
	Kind      string   `json:"kind,omitempty"` // relief.KindDemand or relief.KindOffer; "" to guess per file
	Columns   []Column `json:"columns"`
}

// Signature identifies a table's shape: a short hash of its normalised
// headers and hashtags, the same for every file laid out the same way,
// whatever its rows.
func (t *Table) Signature() string {
	h := sha256.New()
	for i := range max(len(t.Headers), len(t.Tags)) {
		var hd, tg string
		if i < len(t.Headers) {
			hd = relief.NormalizeName(t.Headers[i])
		}
		if i < len(t.Tags) {
			tg = t.Tags[i]
		}
		fmt.Fprintf(h, "%s\x00%s\x01", hd, tg)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// SuggestMapping proposes a mapping for t: each column by its HXL hashtag if
// it has a known one, else by its header (Chinese and English synonyms,
// brackets ignored); a column whose header is a supply the catalog knows
// ("N95口罩", "防护服") becomes a FieldSupply column. 单位 means the unit when
// the table also has a quantity column, the organisation otherwise. The kind is
// guessed from the headers (see GuessKind). The caller may change any of it.
func SuggestMapping(t *Table) Mapping {
	m := Mapping{Signature: t.Signature()}
	hasQty := false
	n := max(len(t.Headers), len(t.Tags))
	fields := make([]Field, n)
	for i := range n {
		var hd, tg string
		if i < len(t.Headers) {
			hd = t.Headers[i]
		}
		if i < len(t.Tags) {
			tg = t.Tags[i]
		}
		f := fieldForTag(tg)
		if f == FieldIgnore && !tagIgnored(tg) {
			f = fieldForHeader(hd)
		}
		if f == FieldNotes && tg != "" && headerOverTag(hd) != FieldIgnore {
			// "数量" tagged #meta+quantity: the tag says only "something
			// about the row", the header names the field (see
			// TagHeaderProblems)
			f = fieldForHeader(hd)
		}
		if f == FieldIgnore && hd != "" && tg == "" {
			if _, ok := relief.DefaultCatalog().Resolve(hd); ok {
				f = FieldSupply
			}
		}
		if f == FieldQuantity && fieldForTag(tg) == FieldIgnore && !quantityColumnOK(t, i, hd) {
			// 医院人员数量, 床位数, or long texts under a quantity header:
			// not the quantity of a supply.
			f = FieldNotes
		}
		fields[i] = f
		hasQty = hasQty || f == FieldQuantity
	}
	// A supplies column beside a quantity column holds one supply per row
	// (所需物资 | 数量 | 单位): the quantity belongs to it.
	if hasQty && !slices.Contains(fields, FieldItem) {
		if i := slices.Index(fields, FieldItems); i >= 0 && slices.Index(fields[i+1:], FieldItems) < 0 {
			fields[i] = FieldItem
		}
	}
	seenOrg := false
	for i := range n {
		var hd, tg string
		if i < len(t.Headers) {
			hd = t.Headers[i]
		}
		if i < len(t.Tags) {
			tg = t.Tags[i]
		}
		f := fields[i]
		if relief.NormalizeName(simplifiedHeader(hd)) == "单位" && tg == "" {
			if hasQty {
				f = FieldUnit
			} else {
				f = FieldOrg
			}
		}
		if f == FieldOrg {
			if seenOrg { // a second name-like column: keep it as a note
				f = FieldNotes
			}
			seenOrg = true
		}
		m.Columns = append(m.Columns, Column{Index: i, Header: hd, Tag: tg, Field: f})
	}
	m.Kind = guessTableKind(t, m)
	return m
}

// guessTableKind is the kind SuggestMapping proposes for t under the
// columns of m: GuessKind of its headers and hashtags, and an offer when
// the headers say demand but no column holds supplies or an address to
// deliver to (a list of services: nothing needed, nowhere to deliver). The
// import screen shows it and Records writes it: the one never differs from
// the other (see KindReason for the words that say why).
func guessTableKind(t *Table, m Mapping) string {
	k := GuessKind(append(append([]string{}, t.Headers...), t.Tags...))
	if k == relief.KindDemand && !hasDemandShape(t, m) {
		return relief.KindOffer
	}
	return k
}

// KindReason says in words why SuggestMapping proposes kind for t under
// the columns of m, for the import screen beside its kind selector: a
// message code (ProblemKindNoDemandShape, ProblemKindOfferWords) and its
// English text; "" when the headers say demand and the table has what a
// demand needs (the default needs no reason).
func KindReason(t *Table, m Mapping) (code, msg string) {
	if m.Kind != relief.KindOffer {
		return "", ""
	}
	if GuessKind(append(append([]string{}, t.Headers...), t.Tags...)) == relief.KindOffer {
		return ProblemKindOfferWords, "the headers name what is offered (supplier, capacity, hotel, logistics …): each row is read as an offer; choose demand if the rows are needs"
	}
	return ProblemKindNoDemandShape, "no column holds supplies (物资, 需要什么 …) or an address to deliver to: each row is read as an offer; map a column to the supplies, or choose demand, if the rows are needs"
}

// offerWords in headers or JSON keys suggest a table of offers (supply side).
var offerWords = []string{"hotel", "酒店", "宾馆", "supplier", "供应", "产能", "生产", "capacity", "qualification", "资质",
	"物流", "logistic", "allowpersonal", "greenpath", "dest", "可提供", "捐赠方", "maximumrooms", "义诊", "问诊", "clinic", "service"}

// demandWords suggest demands.
var demandWords = []string{"需求", "急需", "求助", "受助", "hospital", "医院", "needed", "needs", "缺"}

// GuessKind guesses from header names or JSON keys whether a table holds
// demands or offers: relief.KindOffer when supply-side words ("酒店", "产能",
// "物流", "supplier", "capacity" …) outnumber demand-side ones ("需求",
// "医院", "needed" …), relief.KindDemand otherwise.
func GuessKind(names []string) string {
	offer, demand := 0, 0
	for _, n := range names {
		k := relief.NormalizeName(n)
		if k == "" {
			continue
		}
		for _, w := range offerWords {
			if strings.Contains(k, w) {
				offer++
				break
			}
		}
		for _, w := range demandWords {
			if strings.Contains(k, w) {
				demand++
				break
			}
		}
	}
	if offer > demand {
		return relief.KindOffer
	}
	return relief.KindDemand
}

// ParseMapping reads a mapping saved as JSON (see Mapping). It checks that the
// fields are known and the indexes are not negative.
func ParseMapping(b []byte) (Mapping, error) {
	var m Mapping
	if err := json.Unmarshal(b, &m); err != nil {
		return Mapping{}, fmt.Errorf("mapping: %w", err)
	}
	known := map[Field]bool{FieldIgnore: true}
	for f := range headerSynonyms {
		known[f] = true
	}
	known[FieldSupply] = true
	for _, c := range m.Columns {
		if c.Index < 0 {
			return Mapping{}, fmt.Errorf("mapping: column %d: negative index", c.Index)
		}
		if !known[c.Field] {
			return Mapping{}, fmt.Errorf("mapping: column %d (%s): unknown field %q", c.Index, c.Header, c.Field)
		}
	}
	if m.Kind != "" && m.Kind != relief.KindDemand && m.Kind != relief.KindOffer {
		return Mapping{}, fmt.Errorf("mapping: kind %q: want %q or %q", m.Kind, relief.KindDemand, relief.KindOffer)
	}
	return m, nil
}
