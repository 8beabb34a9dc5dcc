package importer

import (
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

func readCSVText(t *testing.T, name, csv string) ([]Record, []Problem) {
	t.Helper()
	recs, probs, err := ReadData(name, []byte(csv), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	return recs, probs
}

func itemNamed(r Record, name string) (relief.Item, bool) {
	for _, it := range r.Items {
		if it.Name == name {
			return it, true
		}
	}
	return relief.Item{}, false
}

// A village's needs list repeated row for row (row 5 = row 2) is told with
// both row numbers, and its need is not counted twice.
func TestRepeatedRowIsToldWithBothRows(t *testing.T) {
	csv := "村名,乡镇,需要什么,多少,联系人电话,备注\n" +
		"东王庄村,孙杏村镇,矿泉水,200箱,王支书 15803730001,水已经淹到一楼\n" +
		"西王庄村,孙杏村镇,方便面；帐篷,100箱/20顶,15803730002,老人多\n" +
		"后河村,太公镇,药品（降压药、胰岛素）,,15803730004,急！\n" +
		"东王庄村,孙杏村镇,矿泉水,200箱,王支书 15803730001,水已经淹到一楼\n"
	recs, probs := readCSVText(t, "village.csv", csv)
	if len(recs) != 3 {
		t.Fatalf("%d records; want 3 (row 5 repeats row 2)", len(recs))
	}
	water, _ := itemNamed(recs[0], "矿泉水")
	if water.Needed == nil || *water.Needed != 200 || len(recs[0].Items) != 1 {
		t.Errorf("东王庄村 items %+v; want 矿泉水 200 once", recs[0].Items)
	}
	ps := problemsOf(probs, ProblemDuplicateRow)
	if len(ps) != 1 || ps[0].Row != 5 || ps[0].Args["first"] != "2" {
		t.Errorf("%s problems %+v; want one at row 5 naming row 2", ProblemDuplicateRow, ps)
	}
	// "方便面；帐篷" beside "100箱/20顶": two supplies, each its quantity
	noodles, ok1 := itemNamed(recs[1], "方便面")
	tents, ok2 := itemNamed(recs[1], "帐篷")
	if !ok1 || !ok2 || noodles.Needed == nil || *noodles.Needed != 100 || noodles.Unit != "箱" || tents.Needed == nil || *tents.Needed != 20 || tents.Unit != "顶" {
		t.Errorf("西王庄村 items %+v; want 方便面 100 箱 and 帐篷 20 顶", recs[1].Items)
	}
}

// An item column holding several supplies is cut at its separators, as a
// supplies column is, each with the quantity the text gives it; a
// quantity no one supply takes is kept as a note, told.
func TestItemCellListingSuppliesIsCut(t *testing.T) {
	csv := "医院名称,地址,物资名称,数量,联系电话\n" +
		"获嘉县人民医院,获嘉县中山路,消毒液；手套、N95口罩 3M 1860 200只,见备注,13700001111\n"
	recs, probs := readCSVText(t, "h.csv", csv)
	if len(recs) != 1 {
		t.Fatalf("%d records; want 1", len(recs))
	}
	r := recs[0]
	for _, n := range []string{"消毒液", "手套", "N95口罩"} {
		if _, ok := itemNamed(r, n); !ok {
			t.Errorf("items %+v; want %s among them", r.Items, n)
		}
	}
	if n95, _ := itemNamed(r, "N95口罩"); n95.Needed == nil || *n95.Needed != 200 || n95.Unit != "只" {
		t.Errorf("N95口罩 %+v; want 200 只", n95)
	}
	if len(problemsOf(probs, ProblemQuantityUnassigned)) != 1 {
		t.Errorf("problems %v; want 见备注 told as a quantity no one supply takes", probs)
	}
}

// A column tagged with a generic HXL hashtag (#meta+quantity) under the
// header 数量 is read as the quantity the header names, and the
// disagreement is told: 300床 is the quantity of 棉被, not a note.
func TestHXLTagDoesNotSilentlyOverrideHeader(t *testing.T) {
	csv := "组织,地点,物资,数量,电话\n" +
		"#org,#adm2,#item,#meta+quantity,#contact+phone\n" +
		"浚县第一中学安置点,浚县,棉被,300床,186 3920 0001\n" +
		"浚县第一中学安置点,浚县,\"儿童奶粉, 尿不湿\",50罐,186 3920 0001\n"
	recs, probs := readCSVText(t, "hxl.csv", csv)
	if len(recs) != 1 {
		t.Fatalf("%d records; want 1 (one settlement's rows)", len(recs))
	}
	quilt, ok := itemNamed(recs[0], "棉被")
	if !ok || quilt.Needed == nil || *quilt.Needed != 300 || quilt.Unit != "床" {
		t.Errorf("items %+v; want 棉被 300 床", recs[0].Items)
	}
	for _, n := range []string{"儿童奶粉", "尿不湿"} {
		if _, ok := itemNamed(recs[0], n); !ok {
			t.Errorf("items %+v; want %s, cut from \"儿童奶粉, 尿不湿\"", recs[0].Items, n)
		}
	}
	ps := problemsOf(probs, ProblemTagHeader)
	if len(ps) != 1 || ps[0].Args["followed"] != "header" || ps[0].Args["column"] != "数量" {
		t.Errorf("%s problems %+v; want one for 数量, following the header", ProblemTagHeader, ps)
	}
}

// A quantity of 0 or "已满足" is never dropped silently: the supply is kept
// as a line needing 0 (met), and told.
func TestQuantityZeroIsTold(t *testing.T) {
	csv := "医院名称,需求物资,数量,备注\n" +
		"F医院,N95口罩,0,已满足\n" +
		"H医院,防护服,已满足,\n"
	recs, probs := readCSVText(t, "z.csv", csv)
	if len(recs) != 2 {
		t.Fatalf("%d records; want 2", len(recs))
	}
	for _, r := range recs {
		if len(r.Items) != 1 || !metItem(r.Items[0]) {
			t.Errorf("%s items %+v; want its supply kept as met (needed 0)", r.Org, r.Items)
		}
	}
	ps := problemsOf(probs, ProblemQuantityZero)
	if len(ps) != 2 || ps[0].Row != 2 || ps[1].Row != 3 {
		t.Errorf("%s problems %+v; want rows 2 and 3", ProblemQuantityZero, ps)
	}
	// a wide row whose every supply says 0 is told too
	wide := "医院名称,N95口罩,防护服\n甲医院,0,0\n乙医院,100,0\n"
	_, probs = readCSVText(t, "w.csv", wide)
	if ps := problemsOf(probs, ProblemNothingNeeded); len(ps) != 1 || ps[0].Row != 2 {
		t.Errorf("%s problems %+v; want row 2 told", ProblemNothingNeeded, ps)
	}
}

// A table without supplies nor address is read as offers, and says why in
// words the import screen shows beside its kind: the kind is never changed
// silently.
func TestOfferKindIsToldWhy(t *testing.T) {
	csv := "名称,联系电话,备注\n某志愿队,13800000001,可以搬运\n"
	tables, err := ReadTables("s.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	m := SuggestMapping(tables[0])
	recs, probs := Records(tables[0], DefaultOptions())
	if m.Kind != relief.KindOffer || len(recs) != 1 || recs[0].Kind != relief.KindOffer {
		t.Fatalf("mapping kind %q, records %+v; want offer both", m.Kind, recs)
	}
	if code, msg := KindReason(tables[0], m); code != ProblemKindNoDemandShape || !strings.Contains(msg, "offer") {
		t.Errorf("KindReason = %q, %q; want %s", code, msg, ProblemKindNoDemandShape)
	}
	if len(problemsOf(probs, ProblemKindNoDemandShape)) != 1 {
		t.Errorf("problems %v; want the kind's reason told", probs)
	}
	// the coordinator says "each row is a demand": demands they are
	m.Kind = relief.KindDemand
	opts := DefaultOptions()
	opts.Mapping = &m
	recs, _ = Records(tables[0], opts)
	if len(recs) != 1 || recs[0].Kind != relief.KindDemand {
		t.Errorf("records %+v under a demand mapping; want a demand", recs)
	}
}

// Headers written in two languages ("Village 村", "Needs 需求", "Qty 数量")
// are read by their words: a workbook's villages sheet gives demands, not
// offers named after the sheet.
func TestBilingualHeaders(t *testing.T) {
	for h, want := range map[string]Field{"Village 村": FieldOrg, "Needs 需求": FieldItems, "Qty 数量": FieldQuantity, "Town 乡镇": FieldAddress, "Name / Phone": FieldIgnore} {
		if got := fieldForHeader(h); got != want {
			t.Errorf("fieldForHeader(%q) = %q; want %q", h, got, want)
		}
	}
}

// Session 12, a tester's file: a supply column beside a quantity column
// left empty for that row, its quantity written after the supply's name
// ("医用外科口罩 10万", "N95口罩5000个"). The item was named
// "医用外科口罩 10万" with no quantity, and nothing was told. It is read as
// a supplies cell is: 医用外科口罩, 100,000 needed.
func TestItemCellWithItsQuantityBesideAnEmptyQuantityColumn(t *testing.T) {
	csv := "医院名称,区县,物资需求,数量,联系电话\n" +
		"同济医院,硚口区,医用外科口罩 10万,,13800001111\n" +
		"协和医院,江汉区,N95口罩5000个,,13800002222\n" +
		"金银潭医院,东西湖区,酒精,50箱,13800003333\n" +
		"石化医院,青山区,防护帽/医用帽/圆帽,,13800004444\n" +
		"中心医院,江岸区,N95口罩1860,,13800005555\n" +
		"普爱医院,硚口区,84消毒液 500ml,,13800006666\n" +
		"儿童医院,江岸区,防护服 170,,13800007777\n"
	recs, _ := readCSVText(t, "h.csv", csv)
	if len(recs) != 7 {
		t.Fatalf("%d records; want 7", len(recs))
	}
	// a number that is part of what the supply is (a model, a size, a
	// volume) is not read as how many are needed (the reviewer's finding:
	// N95口罩1860 became 1,860 masks, nothing told)
	for i, name := range []string{"N95口罩1860", "84消毒液 500ml", "防护服 170"} {
		r := recs[4+i]
		if it, ok := itemNamed(r, name); !ok || len(r.Items) != 1 || it.Needed != nil {
			t.Errorf("row %d items %+v; want the one supply %s, quantity not given", r.Row, r.Items, name)
		}
	}
	// one supply of several names and no quantity stays one supply (a
	// bulletin's round trip cut it in three: bulletin TestRoundTripSheet)
	if it, ok := itemNamed(recs[3], "防护帽/医用帽/圆帽"); !ok || len(recs[3].Items) != 1 || it.Needed != nil {
		t.Errorf("row %d items %+v; want the one supply 防护帽/医用帽/圆帽, quantity not given", recs[3].Row, recs[3].Items)
	}
	for i, want := range []struct {
		name   string
		needed float64
		unit   string
	}{{"医用外科口罩", 100000, ""}, {"N95口罩", 5000, "个"}, {"酒精", 50, "箱"}} {
		r := recs[i]
		it, ok := itemNamed(r, want.name)
		if !ok || len(r.Items) != 1 || it.Needed == nil || *it.Needed != want.needed || it.Unit != want.unit {
			t.Errorf("row %d items %+v; want %s %v %s", r.Row, r.Items, want.name, want.needed, want.unit)
		}
	}
}
