package importer

import (
	"regexp"
	"strings"
	"unicode"
)

// sheetName is what the name of a workbook's sheet stands for when the
// sheet's rows do not say it (one sheet per hospital, or per district):
// the requester of its rows, or, when district is true, their district.
type sheetName struct {
	name     string
	district bool
	rows     int // rows that took it (Records tells them)
}

// genericSheet are sheet names that name no requester or district: the
// names spreadsheet programs give, and words for a table as a whole.
var genericSheet = regexp.MustCompile(`(?i)^(sheet|工作表|表|页|数据|汇总|总表|明细|清单|列表|data|list|table|summary|需求|需求表|物资|物资需求|物资需求表|需求清单|新建|副本|copy)\s*[-_ ]?\s*\d*$`)

// sheetNameOf returns what the name of t's sheet stands for under mapping
// m: its district, when no column holds districts and the name is one
// ("江岸区", "洪山"); else the requester, when no column holds the
// organisation and the name is no generic one ("Sheet1", "汇总"), no field
// word, no date and no number. Nil for a CSV or JSON table, and when the
// name stands for nothing.
func sheetNameOf(t *Table, m Mapping) *sheetName {
	name := CleanText(t.Sheet)
	if name == "" || genericSheet.MatchString(name) || fieldForHeader(name) != FieldIgnore || isISODate(NormalizeDate(name, DateAny)) {
		return nil
	}
	if !strings.ContainsFunc(name, unicode.IsLetter) {
		return nil // "1", "2020.2.3"
	}
	has := map[Field]bool{}
	for _, c := range m.Columns {
		has[c.Field] = true
	}
	if d := sheetDistrict(name); d != "" {
		if has[FieldDistrict] {
			return nil
		}
		return &sheetName{name: d, district: true}
	}
	if has[FieldOrg] {
		return nil
	}
	return &sheetName{name: name}
}

// sheetDistrict returns the district a sheet's name is ("江岸区"; a bare
// "洪山" completed from the national divisions), "" when it is none.
func sheetDistrict(name string) string {
	r := []rune(name)
	if len(r) >= 2 && len(r) <= 8 && strings.ContainsAny(string(r[len(r)-1]), "区县旗") && !strings.ContainsAny(name, "院校局站所会室部") {
		return name
	}
	if c := countyNamed(name); c != "" && len(r) <= 4 {
		return c
	}
	return ""
}
