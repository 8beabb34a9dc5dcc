package main

import (
	"regexp"
	"strings"
)

// importLabels are the app's words (frontend/src/locales/imports.*.json:
// imports.reason and imports.updField) for what an import report lists: why
// a record is a probable duplicate ("dupreason": org, phone, address,
// supplier, near, with {phone} and {metres} in them) and which fields an
// update changed ("updfield", by relief field name). TestImportLabelsMatchUI
// keeps them equal to the app's.
var importLabels = map[string]map[string]map[string]string{
	langZH: {
		"dupreason": {"org": "机构相同", "phone": "电话相同 {phone}", "address": "地址相近", "supplier": "同一供给方", "near": "位置相距 {metres} 米"},
		"updfield": {"title": "标题", "requester_org": "机构", "district": "区县", "address": "地址", "description": "说明", "items": "物资",
			"contacts": "联系人", "status": "状态（已关闭）", "region": "服务区域", "notes": "备注",
			"category": "类别", "place": "行政区划", "source": "来源", "source_fields": "原表其他信息", "supplier": "供给方", "urgency": "紧急程度"},
	},
	langEN: {
		"dupreason": {"org": "same organisation", "phone": "same phone {phone}", "address": "close address", "supplier": "same supplier", "near": "{metres} m away"},
		"updfield": {"title": "title", "requester_org": "organisation", "district": "district", "address": "address", "description": "description", "items": "supplies",
			"contacts": "contacts", "status": "status (closed)", "region": "area served", "notes": "notes",
			"category": "category", "place": "place", "source": "source", "source_fields": "other columns of the source", "supplier": "supplier", "urgency": "urgency"},
	},
}

var (
	reasonPhone = regexp.MustCompile(`^same phone (.+)$`)
	reasonNear  = regexp.MustCompile(`^near (\d+) m$`)
)

// importLabel returns the app's word for code in group, in sp's language; ""
// when the app has none.
func importLabel(sp speaker, group, code string) string {
	l, ok := importLabels[sp.lang]
	if !ok {
		l = importLabels[langEN]
	}
	return l[group][code]
}

// dupReasons says the importer's reasons for a probable duplicate ("same
// organisation", "same phone +86…", "close address", "same supplier", "near
// N m"; importer.Duplicate.Reasons, desk's ReasonNear) in sp's language as
// the app does (frontend/src/lib/duplicates.ts), joined with "；" in Chinese
// and "; " in English; a reason it does not know is written as it is.
func dupReasons(sp speaker, reasons []string) string {
	out := make([]string, 0, len(reasons))
	for _, r := range reasons {
		said := ""
		switch {
		case r == "same organisation":
			said = importLabel(sp, "dupreason", "org")
		case r == "close address":
			said = importLabel(sp, "dupreason", "address")
		case r == "same supplier":
			said = importLabel(sp, "dupreason", "supplier")
		case reasonPhone.MatchString(r):
			said = strings.ReplaceAll(importLabel(sp, "dupreason", "phone"), "{phone}", reasonPhone.FindStringSubmatch(r)[1])
		case reasonNear.MatchString(r):
			said = strings.ReplaceAll(importLabel(sp, "dupreason", "near"), "{metres}", reasonNear.FindStringSubmatch(r)[1])
		}
		if said == "" {
			said = r
		}
		out = append(out, said)
	}
	return strings.Join(out, listSep(sp))
}

// updFields says relief field names (importer.Update.Fields, Edited) in sp's
// language as the app's import report does; a name it does not know is
// written as it is.
func updFields(sp speaker, fields []string) string {
	out := make([]string, 0, len(fields))
	for _, f := range fields {
		if l := importLabel(sp, "updfield", f); l != "" {
			f = l
		}
		out = append(out, f)
	}
	return strings.Join(out, listSep(sp))
}

// listSep is the separator of a list in sp's language.
func listSep(sp speaker) string {
	if sp.lang == langZH {
		return "、"
	}
	return ", "
}
