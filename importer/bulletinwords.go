package importer

import (
	"slices"
	"strings"

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
// deliberately not imported (#item+received: what was received is folded from
// deliveries, never a number to import), so that its header is not tried
// instead ("已收到数量" holds 数量 but is no quantity needed).
func tagIgnored(tag string) bool {
	parts := strings.Split(strings.TrimPrefix(tag, "#"), "+")
	if parts[0] != "item" {
		return false
	}
	for _, a := range parts[1:] {
		if a == "received" || a == "code" {
			return true
		}
	}
	return false
}

// aboutTitles are the first cells of the metadata sheet of our XLSX
// bulletins (bulletin.Labels' Sheet["title"]), whose rows are no records.
var aboutTitles = []string{"聚援 需求公告", "ReliefMesh demand bulletin"}

// aboutSheet reports whether rows are the metadata sheet of one of our XLSX
// bulletins: its first cell is one of aboutTitles.
func aboutSheet(rows []Row) bool {
	return len(rows) > 0 && len(rows[0].Cells) > 0 && slices.Contains(aboutTitles, strings.TrimSpace(rows[0].Cells[0]))
}
