package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/reliefmesh/reliefmesh/importer"
)

// The import problems the hub prints in Chinese (--lang zh-CN): copies of
// the UI's catalogue (frontend/src/locales/imports.zh-CN.json,
// imports.problemCode and imports.problemField); TestHubProblemWordsMatchUI
// checks that they agree. English lines are the importer's own messages.

// problemWordsZH are the Chinese sentences of import problems by code, with
// {arg} where the problem's Args fill in.
var problemWordsZH = map[string]string{
	"cell_count":          "本行有 {cells} 个单元格，但表头只有 {columns} 列；已跳过本行",
	"empty_row":           "没有机构、物资或联系人；已跳过本行",
	"repeated_row":        "本行每个非空单元格都是“{value}”（共 {cells} 格）：像标题或合并单元格，不是一条记录；已跳过本行",
	"no_org":              "没有机构名称；记录以地址或行号命名",
	"not_in_catalog":      "“{name}”不在物资目录中；按原文保留",
	"no_supply_name":      "物资没有名称",
	"bad_quantity":        "数量“{value}”不是数字；已写入规格",
	"negative_quantity":   "数量“{value}”小于零；已写入规格",
	"bad_status":          "状态“{value}”不是已知的审核状态；已作为备注保留",
	"bad_phone":           "“{value}”不是有效的电话号码；按原文保留",
	"no_phone":            "联系人中没有电话号码",
	"invalid_record":      "记录无法保存：{error}",
	"store_refused":       "存储拒绝了该记录：{error}",
	"offer_present":       "已有相同的供给 {code}（{supplier}，{reason}）；未重复导入",
	"message_too_long":    "消息超过 {max} 个字符：其余部分已忽略",
	"not_found":           "未找到{what}",
	"cut":                 "{field}超过长度上限：只导入了全部 {had} 个字符中的前 {kept} 个",
	"items_cut":           "物资超过 {kept} 项：只导入了全部 {had} 项中的前 {kept} 项",
	"contacts_cut":        "联系人超过 {kept} 个：只导入了全部 {had} 个中的前 {kept} 个",
	"file_cut":            "文件在第 {line} 行的带引号单元格中途结束（文件不完整？）：第 {row} 行未使用",
	"unmapped_column":     "“{column}”列没有对应的字段（{cells} 个单元格，例如：{samples}）；其内容已按原文随每条记录保留，可在导入前为它选择字段",
	"text_quantity":       "从“{column}”列的文字中读出“{name}”数量 {value}；请审核员核实",
	"noise_cell":          "“{column}”列的“{value}”中没有可识别的物资（只有表头、日期或说明）；已按原文保留",
	"row_cut":             "文件在第 {row} 行（文件第 {line} 行）中途结束，文件可能不完整：该行未导入",
	"bad_bytes":           "文件中有 {count} 个字节不是有效的 {encoding} 编码，已显示为“�”：请检查预览的行并修正文件",
	"column_mismatch":     "“{column}”列被当作“{field}”读取，但其内容不像{field}（例如：{samples}）：导入前请检查文件各列是否错位",
	"offer_present_adds":  "已有相同的供给 {code}（{supplier}，{reason}）；未重复导入，但该行的号码 {phones} 不在该供给中：如属实，请补充到该供给",
	"bad_urgency":         "紧急程度“{value}”不是不急、一般、紧急、特急之一；已写入说明，需求按“一般”导入",
	"received_kept":       "已收到“{value}”按原文保留，未计入：请在需求上登记到货后才会计数",
	"contact_sealed":      "“{column}”列中的 {count} 个联系方式（{kinds_zh}）已移入联系人（已加密，仅审核员、协调员和认领人可见），不再以明文保存；该单元格如仍保留，原处标为“[联系方式已加密 contact sealed]”",
	"quantity_unassigned": "“{column}”列的“{value}”不属于某一项物资（本行有 {items} 项）；已写入说明——请在文件中为每项物资写明各自的数量",
	"extra_cells":         "本行有 {cells} 个单元格，而表头只有 {columns} 列：本行照常导入，最后一列之后的“{value}”按原文保留（无列名）",
	"totals_rows":         "{count} 行合计行（合计、小计、总计）未导入：第 {rows_zh} 行",
	"hidden_rows":         "工作簿中被隐藏的 {count} 行未导入：第 {rows_zh} 行——如这些仍是需求，请在 Excel 中取消隐藏后重新导入",
	"quantity_at_least":   "数量“{value}”按其最少量 {needed} 读取；原文已写入规格——如需更多请修改数量",
	"header_repeated":     "{count} 行重复的表头或 HXL 标签行未导入：第 {rows_zh} 行",
	"thousands_split":     "“{value}”未加引号，其中的逗号把它分成了两个单元格；已按一个数字读取——请核对本行", "date_serial": "“{value}”是 Excel 的日期序号（日期单元格保存时丢了格式）：已读作 {date}——请核对",
	"date_year":              "“{value}”没有写年份：按本表其他日期的年份 {year} 读作 {date}——请核对",
	"date_no_year":           "“{value}”没有写年份，本表其他日期也没有：按原文保留",
	"date_kept":              "“{column}”列的“{value}”不是一个确定的日期：按原文保留",
	"phone_scientific":       "“{value}”是表格软件以科学计数法显示的长数字：后几位已丢失，不能当作电话号码——请向对方索要号码（单元格按原文保留）",
	"sheet_empty":            "工作表“{sheet}”是空的：未导入",
	"sheet_text":             "工作表“{sheet}”是文字（说明、填表须知），不是需求或供给的表格：未导入",
	"sheet_pivot":            "工作表“{sheet}”是数据透视表（其他表的汇总），不是需求或供给：未导入",
	"sheet_no_columns":       "工作表“{sheet}”没有机构、物资或联系人列：未导入",
	"sheet_as_org":           "没有填写需求单位的列：工作表名称“{sheet}”已作为其中 {rows} 行的需求单位——请核对",
	"sheet_as_district":      "没有填写区县的列：工作表名称“{sheet}”已作为其中 {rows} 行的区县——请核对",
	"bad_bytes_cell":         "“{value}”含有不是有效 {encoding} 编码的字节（显示为“�”）：按读到的内容保留——请在文件中改正此单元格",
	"formula_no_value":       "公式 {formula} 没有保存计算结果（文件由不计算公式的程序生成）：按空白读取——请用 Excel 或 WPS 打开文件并重新保存后再导入",
	"sheet_hidden":           "工作表“{sheet}”在工作簿中被隐藏（模板的下拉列表，或被隐藏的表）：未导入——如其中是需求或供给，请在 Excel 或 WPS 中取消隐藏后重新导入",
	"kind_no_demand_shape":   "没有哪一列是物资（物资、需要什么……）或送达地址：每行按“供给”读取——如果这些行是需求，请把某列设为物资，或选择“每行是需求”",
	"kind_offer_words":       "表头写的是可提供的东西（供应商、产能、酒店、物流……）：每行按“供给”读取——如果这些行是需求，请选择“每行是需求”",
	"duplicate_row":          "第 {row} 行与第 {first} 行每个单元格都相同：其需求不再重复计算",
	"duplicate_row_kept":     "第 {row} 行与第 {first} 行每个单元格都相同：已作为单独一条导入——请核对是否为同一需求，如是请标记为重复",
	"tag_header":             "“{column}”列的 HXL 标签 {tag} 没有指明字段，而表头指明了：已按表头读取——如不对请修改列对应关系",
	"tag_over_header":        "“{column}”列的 HXL 标签 {tag} 与表头所指的字段不同：已按标签读取——如表头才对，请修改列对应关系",
	"quantity_zero":          "“{name}”的数量“{value}”表示需求已满足：已保留为需要 0 的一项，不作为未满足的需求——请核对本行",
	"nothing_needed":         "本行每个物资列都是 0（{columns}）：文件中列出的物资本行都不需要；已导入但没有物资——请核对",
	"rows_gone":              "原表中不再出现的 {count} 行：此前从同样格式的文件导入，新文件中已没有（{codes}）：未对其写入任何内容——请核对是否已满足，如是请关闭",
	"same_row_twice":         "第 {row} 行与第 {first} 行是同一需求（需求单位、地点和标题相同）：未重复导入",
	"offer_repeats_row":      "第 {row} 行与第 {first} 行是同一供给（{supplier}，{reason}）：未重复导入",
	"same_row_twice_file":    "第 {row} 行与 {first_file} 的第 {first} 行是同一需求（需求单位、地点和标题相同）：未重复导入",
	"offer_repeats_file_row": "第 {row} 行与 {first_file} 的第 {first} 行是同一供给（{supplier}，{reason}）：未重复导入",
	"date_zone":              "“{column}”列有 {cells} 个时间没有写时区：按北京时间（{zone}，{offset}）理解，2020 年武汉的文件正是如此——若文件来自别处请核对",
	"text_phone_shared":      "第 {rows_zh} 行（共 {count} 行）在文字中（备注或其他单元格）写有相同的 {numbers} 个电话号码，而各行另有自己的联系人，且没有哪一行把它作为自己的联系电话：很可能是热线。号码已随联系人加密，这些行不会因它而被互相标为可能重复",
	"last_row_may_be_cut":    "文件最后一行之后没有换行，因此无法判断文件是完整的，还是在最后一行（第 {row} 行，文件第 {line} 行）中途被截断：在两个字之间截断的单元格看起来和完整的一样。该行已按读到的内容导入，其最后一个单元格如为文字（备注等），末尾的号码未作为联系人：请对照原文件核对该行。以换行结尾保存的文件不会有此提示",
	"service_line":           "{number} 是 {total} 行中 {count} 行（第 {rows_zh} 行）“{column}”列的电话：这是服务热线，不是个人号码。已随联系人保留并标为服务热线，不用于查找可能重复",
	"shared_phone_column":    "{total} 行中有 {count} 行（第 {rows_zh} 行）的“{column}”列填写同一个电话号码：很可能是服务热线或协调员的号码，而不是各行自己的。已随联系人保留（已加密）并标为服务热线，不用于查找可能重复",
	"text_phone_held":        "第 {rows_zh} 行（共 {count} 行）在文字中写有的电话号码，是已有的 {held} 条需求自己的联系电话（{demands_zh}）：这些行因此被标为它们的可能重复。如该号码是热线，请把它从这些需求的联系人中删除",
	"place_disagrees":        "本行的地点单元格（{cells}）是{place}，但地址“{address}”写的是{address_place}：已按单元格定位——请核对地址",
	"place_cells_disagree":   "本行的地点单元格（{cells}）彼此矛盾（{places}）：{basis_zh}——请核对单元格",
	"place_shared_name":      "本行的地点单元格（{cells}）写的地名有多处（{places}）；{basis_zh}——请核对单元格和地址",
	"merged_own_record":      "第 {row} 行与第 {first} 行共用“{column}”列的合并单元格（{value}），但填写了自己的{columns_zh}：已作为一条单独的记录导入——如是同一条需求，请在重复审核中合并",
	"merged_row_apart":       "第 {row} 行与第 {first} 行共用“{column}”列的合并单元格（{value}），其{columns_zh}为空，却已作为一条单独的记录导入，没有自己的地点——如与第 {first} 行是同一条需求，请在重复审核中合并",
}

// problemFieldsZH name in Chinese the fields a problem is about (org,
// quantity, contacts …); a column header is shown as it is.
var problemFieldsZH = map[string]string{
	"org":           "机构",
	"province":      "省",
	"city":          "市",
	"district":      "区县",
	"region":        "服务范围",
	"address":       "地址",
	"items":         "物资",
	"supplies":      "物资",
	"item":          "物资",
	"quantity":      "数量",
	"unit":          "单位",
	"spec":          "规格",
	"supply":        "物资",
	"contacts":      "联系人",
	"notes":         "备注",
	"url":           "链接",
	"status":        "审核状态",
	"date":          "日期",
	"category":      "类别",
	"title":         "标题",
	"requester_org": "机构",
	"description":   "描述",
	"review_notes":  "审核备注",
	"supplier":      "供给方",
	"contact_name":  "联系人姓名",
	"phone":         "电话",
	"contact_role":  "联系人职务",
	"source_fields": "原表其他列",
}

// placeholder finds the {arg} of a problem sentence.
var placeholder = regexp.MustCompile(`\{(\w+)\}`)

// problemLine returns p as the hub prints it in sp's language: in Chinese
// the file, 第 N 行, the field, and the UI's sentence of p's code with its
// Args; the importer's English line (p.String) in English, and whenever the
// code has no sentence or the sentence names an argument p lacks.
func (sp speaker) problemLine(p importer.Problem) string {
	w, ok := problemWordsZH[p.Code]
	if sp.lang != langZH || !ok {
		return p.String()
	}
	complete := true
	text := placeholder.ReplaceAllStringFunc(w, func(m string) string {
		k := m[1 : len(m)-1]
		v, ok := p.Args[k]
		if !ok && (k == "rows_zh" || k == "demands_zh") {
			// a report written before the lists had their Chinese: "2, 3" read as "2、3"
			v, ok = p.Args[strings.TrimSuffix(k, "_zh")]
			v = strings.ReplaceAll(v, ", ", "、")
		}
		if !ok {
			complete = false
		}
		if k == "field" {
			v = fieldZH(v)
		}
		return v
	})
	if !complete {
		return p.String()
	}
	var b strings.Builder
	b.WriteString(p.File)
	if p.Sheet != "" {
		fmt.Fprintf(&b, "，工作表“%s”", p.Sheet)
	}
	if p.Row > 0 {
		fmt.Fprintf(&b, " 第 %d 行", p.Row)
	}
	if p.Line > 0 && p.Line != p.Row {
		fmt.Fprintf(&b, "（文件第 %d 行）", p.Line)
	}
	if p.Field != "" {
		fmt.Fprintf(&b, "，%s", fieldZH(p.Field))
	}
	b.WriteString("：")
	b.WriteString(text)
	return b.String()
}

// fieldZH names field in Chinese (problemFieldsZH), a column header as it is.
func fieldZH(field string) string {
	if w, ok := problemFieldsZH[field]; ok {
		return w
	}
	return field
}
