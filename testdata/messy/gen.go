//go:build ignore

// gen writes the messy test files of this folder (see README.md): the
// workbooks with excelize, the text files in the encodings coordinators'
// programs write. Run from the module root: go run testdata/messy/gen.go
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

const dir = "testdata/messy"

func main() {
	dates()
	formulas()
	hospitals()
	districts()
	encodings()
	jsons()
	contacts()
	hotline()
	idCards()
	gaps4()
	gaps5()
	write("dates.csv", []byte("单位名称,所需物资,联系人,日期\n甲社区,口罩 100个,甲 13800000041,2月3日\n乙社区,口罩 200个,乙 13800000042,2.3\n"))
}

func write(name string, b []byte) {
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		log.Fatal(err)
	}
}

func save(f *excelize.File, name string) {
	f.SetActiveSheet(0)
	if err := f.SaveAs(filepath.Join(dir, name)); err != nil {
		log.Fatal(err)
	}
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func rows(f *excelize.File, sheet string, rs [][]any) {
	for i, r := range rs {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		must(f.SetSheetRow(sheet, cell, &r))
	}
}

// dates.xlsx: the date cells of one sheet, as coordinators type them and as
// Excel stores them: date-formatted serials (built-in and custom formats),
// a serial in a General cell, and text spellings; a phone number stored as
// a number and one shown in scientific notation.
func dates() {
	f := excelize.NewFile()
	s := "Sheet1"
	rows(f, s, [][]any{
		{"单位名称", "所需物资", "联系电话", "发布时间", "截止时间"},
		{"甲医院", "N95口罩 500个", "乙老师 13800000001", 43864, 43871.5},      // 2020-02-03; 2020-02-10 12:00 (date formats below)
		{"乙医院", "防护服 200套", 13800000002, 43864, 43871},                // phone as a number; 发布时间 General: a serial
		{"丙医院", "护目镜 50副", "1.38E+10", "2020年2月3日", "2月10日"},          // scientific phone; no year
		{"丁医院", "手套 1000双", "丁 13800000004", "2020/2/3", "2.10"},      // "2.10": 10 February
		{"戊医院", "消毒液 20箱", "戊 13800000005", "2020-02-03 10:00", "下周"}, // a deadline in words
	})
	builtin, _ := f.NewStyle(&excelize.Style{NumFmt: 14}) // m/d/yy as Excel shows it in its locale
	custom := "yyyy/m/d h:mm"
	withTime, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
	must(f.SetCellStyle(s, "D2", "D2", builtin))
	must(f.SetCellStyle(s, "E2", "E2", withTime))
	cn := "yyyy\"年\"m\"月\"d\"日\""
	cnStyle, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &cn})
	must(f.SetCellStyle(s, "E3", "E3", cnStyle))
	save(f, "dates.xlsx")
}

// formulas.xlsx: quantities computed by formulas, written by a program
// that does not compute them (no saved value), as excelize, many web
// exports and scripts write them.
func formulas() {
	f := excelize.NewFile()
	rows(f, "Sheet1", [][]any{
		{"单位名称", "物资名称", "数量", "联系人"},
		{"甲医院", "N95口罩", 100, "甲 13800000061"},
		{"乙医院", "N95口罩", nil, "乙 13800000062"},
	})
	must(f.SetCellFormula("Sheet1", "C3", "C2*2"))
	save(f, "formulas.xlsx")
}

// hospitals.xlsx: one sheet per hospital, rows that do not name it, beside
// an instructions sheet, an empty sheet, a pivot table and a hidden sheet of
// drop-down lists.
func hospitals() {
	f := excelize.NewFile()
	must(f.SetSheetName("Sheet1", "填表说明"))
	rows(f, "填表说明", [][]any{
		{"填表说明"},
		{"1. 每家医院一个工作表，工作表名称写医院全称。"},
		{"2. 数量写阿拉伯数字；不需要的物资不填。"},
		{"3. 联系人写在每行最后一列。"},
	})
	for _, h := range []struct {
		name  string
		items [][]any
	}{
		{"华中科技大学同济医学院附属协和医院", [][]any{{"N95口罩", "1860", 5000, "个", "甲老师 13800000011"}, {"防护服", "", 2000, "套", "甲老师 13800000011"}}},
		{"武汉市第七医院", [][]any{{"医用外科口罩", "", 10000, "个", "乙老师 13800000012"}, {"护目镜", "", 300, "副", "乙老师 13800000012"}, {"84消毒液", "", 50, "箱", ""}}},
	} {
		_, err := f.NewSheet(h.name)
		must(err)
		rows(f, h.name, append([][]any{{"物资名称", "规格", "数量", "单位", "联系人"}}, h.items...))
	}
	_, err := f.NewSheet("Sheet3")
	must(err)
	_, err = f.NewSheet("汇总")
	must(err)
	rows(f, "汇总", [][]any{
		{"行标签", "求和项:数量"},
		{"N95口罩", 5000},
		{"防护服", 2000},
		{"医用外科口罩", 10000},
		{"总计", 17000},
	})
	_, err = f.NewSheet("物资目录") // the lists of a template's drop-downs, hidden
	must(err)
	rows(f, "物资目录", [][]any{{"物资名称", "单位"}, {"N95口罩", "个"}, {"防护服", "套"}, {"护目镜", "副"}})
	must(f.SetSheetVisible("物资目录", false))
	save(f, "hospitals.xlsx")
}

// districts.xlsx: one sheet per district, the rows naming their
// organisations but not the district.
func districts() {
	f := excelize.NewFile()
	must(f.SetSheetName("Sheet1", "江岸区"))
	rows(f, "江岸区", [][]any{
		{"单位名称", "所需物资", "联系人"},
		{"塔子湖社区", "口罩 200个；消毒液 10瓶", "丙 13800000021"},
		{"后湖街社区卫生服务中心", "防护服 50套", "丁 13800000022"},
	})
	_, err := f.NewSheet("洪山区")
	must(err)
	rows(f, "洪山区", [][]any{
		{"单位名称", "所需物资", "联系人"},
		{"珞南街社区", "口罩 300个", "戊 13800000023"},
	})
	save(f, "districts.xlsx")
}

const sheet = "单位名称,所需物资,联系人,备注\n" +
	"武汉市第一医院,N95口罩 500个,甲老师 13800000031,急需\n" +
	"武汉市第三医院,防护服 200套,乙老师 13800000032,\n" +
	"汉口医院,护目镜 100副,丙老师 13800000033,可分批送\n"

// sheetHK is a sheet in traditional characters, as Excel in Hong Kong or
// Taiwan saves it (Big5).
const sheetHK = "單位名稱,所需物資,聯絡人,備註\n" +
	"香港紅十字會,N95口罩 500個,陳先生 13800000071,急需\n" +
	"東華三院,防護服 200套,李小姐 13800000072,可以分批送達\n" +
	"明愛醫院,護目鏡 100副,黃醫生 13800000073,請聯絡物資組\n"

// encodings: the same sheet as Excel in China saves it (GB18030), with a
// UTF-8 BOM, as "Unicode text" (UTF-16LE, BOM, tabs), and UTF-8 with two
// damaged bytes; and a sheet in traditional characters as Big5.
func encodings() {
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(sheet)
	must(err)
	write("gbk.csv", []byte(gb))
	b5, err := traditionalchinese.Big5.NewEncoder().String(sheetHK)
	must(err)
	write("big5.csv", []byte(b5))
	write("bom.csv", append([]byte{0xef, 0xbb, 0xbf}, sheet...))
	tabs := strings.ReplaceAll(strings.ReplaceAll(sheet, ",", "\t"), "\n", "\r\n")
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(tabs)
	must(err)
	write("unicode.txt", []byte(u16))
	b := []byte(sheet)
	i := strings.Index(sheet, "防护服")
	b[i+1] = 0xff // 防 broken
	j := strings.Index(sheet, "可分批送")
	b[j+3] = 0xfe // 分 broken
	write("damaged.csv", b)
}

// jsons: the same two records as an array, wrapped in an object, as JSON
// Lines, as HXL JSON (a row of hashtags first), and a broken file.
func jsons() {
	a := `{"单位名称":"武汉市第一医院","所需物资":"N95口罩 500个","联系人":"甲老师 13800000031"}`
	b := `{"单位名称":"武汉市第三医院","所需物资":"防护服 200套","联系人":"乙老师 13800000032"}`
	write("array.json", []byte("[\n"+a+",\n"+b+"\n]\n"))
	write("wrapped.json", []byte(`{"total":2,"data":[`+a+","+b+"]}\n"))
	write("lines.jsonl", []byte(a+"\n"+b+"\n"))
	write("hxl.json", []byte(`[["单位名称","物资","数量","单位","联系人"],["#org","#item+name","#item+needed","#item+unit","#contact"],`+
		`["武汉市第一医院","N95口罩",500,"个","甲老师 13800000031"],["武汉市第三医院","防护服",200,"套","乙老师 13800000032"]]`+"\n"))
	write("broken.json", []byte("[\n"+a+",\n"+strings.Replace(b, `","联系人"`, `" "联系人"`, 1)+"\n]\n"))
}

// hotline: hotline.csv, four hospitals each with a contact of its own
// and, in every remark, the same command centre's hotline; the third
// remark also names the first hospital's own contact (as 汉口金银滩医院's
// names 金银潭's in the wuhan2020 data). All made up.
func hotline() {
	const h = "物资到货请致电市防疫指挥部热线 0373-3055555"
	write("hotline.csv", []byte("医院名称,地址,需求物资,数量,联系人,联系电话,备注\n"+
		"甲医院,新乡市平原路1号,N95口罩,100,赵一,13837320101,"+h+"\n"+
		"乙医院,新乡市平原路2号,防护服,50,钱二,13837320102,"+h+"\n"+
		"丙医院,新乡市平原路3号,护目镜,20,孙三,13837320103,"+h+"；夜间请联系甲医院赵一 13837320101\n"+
		"丁医院,新乡市平原路4号,消毒液,30,李四,13837320104,"+h+"\n"))
}

// idCards: idcards.csv, three hospitals whose cells hold made-up PRC
// resident identity card numbers (valid check characters, one ending in a
// lower-case "x", in a column of its own) and an 18-digit waybill number
// whose check digit is not that of an identity card.
func idCards() {
	write("idcards.csv", []byte("医院名称,地址,需求物资,数量,联系人,联系电话,备注,收货人证件\n"+
		"甲医院,新乡市平原路1号,N95口罩,100,赵一,13837320101,收货人赵一 身份证号410702198001011232 凭证签收,\n"+
		"乙医院,新乡市平原路2号,防护服,50,钱二,13837320102,顺丰运单号 110105202002140010 已发出,\n"+
		"丙医院,新乡市平原路3号,护目镜,20,孙三,13837320103,急需,41070219851111010x\n"))
}

// contactsRows are the rows of contacts.csv and contacts.xlsx: a contact
// column the mapping reads, a remarks column, and columns naming other
// contacts (WeChat, QQ, e-mail) that no synonym maps; the workbook has the
// English headers of the same columns.
var contactsRows = [][]any{
	{"甲医院", "卫辉市健康路1号", "N95口罩", 100, "张三", "13837310101", "联系王医生 13912345678，夜间请打", "wxid_zhang3", "2834567190", "zhang3@example.org", "2021-07-26 前"},
	{"乙医院", "卫辉市健康路2号", "防护服", 50, "李四", "13837310102", "物资请送后门，备用电话0373-2029911", "li4_wechat", "", "li4@example.com", ""},
	{"丙医院", "卫辉市健康路3号", "护目镜", 20, "王五", "13837310103", "急需，周末也收货", "", "", "", ""},
}

// contacts: contacts.csv (Chinese headers: 备注, 微信, QQ, 邮箱) and
// contacts.xlsx (English headers: Remarks, WeChat, QQ, Email) with a phone
// inside a remark and contacts in columns of their own, all made up.
func contacts() {
	var b strings.Builder
	b.WriteString("医院名称,地址,需求物资,数量,联系人,联系电话,备注,微信,QQ,邮箱,截止日期说明\n")
	for _, r := range contactsRows {
		for i, v := range r {
			if i > 0 {
				b.WriteString(",")
			}
			s := fmt.Sprint(v)
			if strings.ContainsAny(s, ",\"\n") {
				s = `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
			}
			b.WriteString(s)
		}
		b.WriteString("\n")
	}
	write("contacts.csv", []byte(b.String()))
	f := excelize.NewFile()
	rows(f, "Sheet1", append([][]any{{"医院名称", "地址", "需求物资", "数量", "联系人", "联系电话", "Remarks", "WeChat", "QQ号", "Email", "截止日期说明"}}, contactsRows...))
	save(f, "contacts.xlsx")
}

// gaps4 writes the files of session 13's importer fixes (all made up):
// cut-last.csv, a GB18030 sheet with CRLF line ends whose copy stopped in
// the middle of its last row's remark (a landline cut from 027-85726114
// to 027-8572611) with no line break after it; service-line.csv, a sheet
// whose every row gives the city's 12345 hotline as its phone, with an
// update-date column; shared-phone.csv, one coordinator's number as every
// row's phone; merged.xlsx, two hospitals whose name, contact and phone
// are merged cells over their supply rows, the second's district cell not
// merged (its continuation row leaves it empty).
func gaps4() {
	cut := "医院名称,区县,地址,物资需求,数量,联系人,联系电话,更新日期,备注\r\n" +
		"甲医院,江汉区,武汉市江汉区某路1号,N95口罩,500,赵一,13800000101,2020-02-03,急需\r\n" +
		"乙医院,江汉区,武汉市江汉区某路2号,防护服,200,钱二,13800000102,2020-02-04,请送后门\r\n" +
		"丙医院,硚口区,武汉市硚口区某路3号,酒精,50箱,李四,13800000104,2020-02-05,夜间联系周五 027-8572611"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(cut)
	must(err)
	write("cut-last.csv", []byte(gb))
	write("service-line.csv", []byte("医院名称,区县,地址,物资需求,数量,联系人,联系电话,更新日期,备注\n"+
		"甲医院,江汉区,武汉市江汉区某路1号,N95口罩,500,赵一,12345,2020-02-03,热线 12345\n"+
		"乙医院,江汉区,武汉市江汉区某路2号,防护服,200,钱二,12345,2020-02-04,热线 12345\n"+
		"丙医院,硚口区,武汉市硚口区某路3号,酒精,50,孙三,12345,2020-02-05,热线 12345\n"+
		"丁医院,硚口区,武汉市硚口区某路4号,手套,1000,李四,12345,2020-02-05,热线 12345\n"))
	write("shared-phone.csv", []byte("医院名称,区县,地址,物资需求,数量,联系人,联系电话\n"+
		"甲医院,江汉区,武汉市江汉区某路1号,N95口罩,500,赵一,027-85550001\n"+
		"乙医院,江汉区,武汉市江汉区某路2号,防护服,200,钱二,027-85550001\n"+
		"丙医院,硚口区,武汉市硚口区某路3号,酒精,50,孙三,027-85550001\n"+
		"丁医院,硚口区,武汉市硚口区某路4号,手套,1000,李四,13800000404\n"))
	f := excelize.NewFile()
	s := "Sheet1"
	rows(f, s, [][]any{
		{"医院名称", "区县", "物资", "数量", "联系人", "电话"},
		{"甲医院", "江汉区", "N95口罩", 5000, "赵一", "13800000201"},
		{"", "", "防护服", 2000},
		{"", "", "护目镜", 300},
		{"乙医院", "江汉区", "酒精", "50箱", "钱二", "13800000202"},
		{"", "", "手套", 100},
	})
	for _, m := range [][2]string{{"A2", "A4"}, {"B2", "B4"}, {"E2", "E4"}, {"F2", "F4"}, {"A5", "A6"}, {"E5", "E6"}, {"F5", "F6"}} {
		must(f.MergeCell(s, m[0], m[1]))
	}
	save(f, "merged.xlsx")
}

// gaps5 writes the files of session 14's importer fixes (all made up, the
// identity card number too, with a valid check character):
// place-disagrees.csv, district cells against addresses that name another
// city; address-contacts.csv, a phone and an identity card number written
// in the address; merged-own.xlsx, a hospital's name merged over two rows
// whose second fills its own district and address; whole-nobreak.csv, a
// whole sheet whose last line has no line break.
func gaps5() {
	write("place-disagrees.csv", []byte("医院名称,区县,地址,物资需求,数量,联系人,联系电话\n"+
		"甲医院,江汉区,广州市天河区体育西路1号,N95口罩,500,赵一,13800000501\n"+
		"乙医院,江汉区,湖北省武汉市江汉区解放大道1277号,防护服,200,钱二,13800000502\n"+
		"丙医院,,荆门市钟祥市郢中街道莫愁湖路1号,酒精,50,孙三,13800000503\n"))
	write("address-contacts.csv", []byte("医院名称,区县,地址,物资需求,数量,联系人,联系电话,备注\n"+
		"甲医院,江汉区,武汉市江汉区某路1号 门卫电话13800000601,N95口罩,500,赵一,13800000611,\n"+
		"乙医院,江汉区,武汉市江汉区某路2号（收件人身份证420103198503120020）,防护服,200,钱二,13800000602,\n"+
		"丙医院,硚口区,武汉市硚口区某路3号,酒精,50,孙三,13800000603,夜间 027-85550003\n"))
	write("whole-nobreak.csv", []byte("医院名称,区县,地址,物资需求,数量,联系人,联系电话,备注\n"+
		"甲医院,江汉区,武汉市江汉区某路1号,N95口罩,500,赵一,13800000801,急需\n"+
		"乙医院,江汉区,武汉市江汉区某路2号,防护服,200,钱二,13800000802,请送后门"))
	f := excelize.NewFile()
	s := "Sheet1"
	rows(f, s, [][]any{
		{"医院名称", "区县", "地址", "物资", "数量", "联系人", "电话"},
		{"甲医院", "江汉区", "武汉市江汉区某路1号", "N95口罩", 5000, "赵一", "13800000701"},
		{"", "江岸区", "武汉市江岸区某路9号", "防护服", 2000},
		{"乙医院", "硚口区", "武汉市硚口区某路3号", "酒精", "50箱", "钱二", "13800000702"},
		{"", "", "", "手套", 100},
	})
	for _, m := range [][2]string{{"A2", "A3"}, {"F2", "F3"}, {"G2", "G3"}, {"A4", "A5"}, {"B4", "B5"}, {"C4", "C5"}, {"F4", "F5"}, {"G4", "G5"}} {
		must(f.MergeCell(s, m[0], m[1]))
	}
	save(f, "merged-own.xlsx")
}
