package relief

import "slices"

// Categories are the demand category codes, in the order forms offer them. The
// UI translates each code ("category.<code>" in the locale files).
var Categories = []string{
	"medical_supplies",     // 医疗物资: masks, gowns, test kits, medicines
	"protective_equipment", // 防护用品
	"food_water",           // 食品饮水
	"daily_necessities",    // 生活用品
	"shelter",              // 住宿安置
	"transport",            // 运输物流
	"medical_staff",        // 医护人员
	"other",                // 其他
}

// ValidCategory reports whether c is one of Categories.
func ValidCategory(c string) bool { return slices.Contains(Categories, c) }
