package importer

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

func TestCleanPhone(t *testing.T) {
	tests := []struct {
		in   string
		want string
		kind PhoneKind
	}{
		{"13800000000", "+8613800000000", PhoneMobile},
		{"+86 138 0000 0000", "+8613800000000", PhoneMobile},
		{"86 13800000000", "+8613800000000", PhoneMobile},
		{"（+86）13800000000", "+8613800000000", PhoneMobile},
		{"189 8607 2142", "+8618986072142", PhoneMobile},
		{"１３８００００００００", "+8613800000000", PhoneMobile},
		{"027-85726035", "+862785726035", PhoneFixed},
		{"029- 82218051", "+862982218051", PhoneFixed},
		{"400-900-5656", "+864009005656", PhoneFixed},
		{"95338", "95338", PhoneShort},
		{"138", "", PhoneInvalid},
		{"+86 155 210", "", PhoneInvalid},
	}
	for _, tt := range tests {
		got, kind, err := CleanPhone(tt.in, "CN")
		if got != tt.want || kind != tt.kind || (tt.kind == PhoneInvalid) != (err != nil) {
			t.Errorf("CleanPhone(%q) = %q, %v, %v; want %q, %v", tt.in, got, kind, err, tt.want, tt.kind)
		}
	}
}

func TestCleanContacts(t *testing.T) {
	tests := []struct {
		in    string
		want  []relief.Contact
		probs int
	}{
		{"X老师13800000000", []relief.Contact{{Name: "X老师", Phone: "+8613800000000"}}, 0},
		{"13447641723辛", []relief.Contact{{Name: "辛", Phone: "+8613447641723"}}, 0},
		{"设备科癸老师 18140530357 \n子老师 15850211279 ", []relief.Contact{{Name: "癸老师", Role: "设备科", Phone: "+8618140530357"}, {Name: "子老师", Phone: "+8615850211279"}}, 0},
		{"王老师 13800000000；李老师 13900000000", []relief.Contact{{Name: "王老师", Phone: "+8613800000000"}, {Name: "李老师", Phone: "+8613900000000"}}, 0},
		{"王老师、13800000000", []relief.Contact{{Name: "王老师", Phone: "+8613800000000"}}, 0},
		{"甲三七：13041220452", []relief.Contact{{Name: "甲三七", Phone: "+8613041220452"}}, 0},
		{"设备科主任 丙七三13888984783", []relief.Contact{{Name: "丙七三", Role: "设备科主任", Phone: "+8613888984783"}}, 0},
		{"壬科长 13337855638", []relief.Contact{{Name: "壬科长", Phone: "+8613337855638"}}, 0},
		{"24小时值班 18173243862", []relief.Contact{{Name: "24小时值班", Phone: "+8618173243862"}}, 0},
		{"13926397542 15834244267", []relief.Contact{{Phone: "+8613926397542"}, {Phone: "+8615834244267"}}, 0},
		{"院办 027-68865299", []relief.Contact{{Name: "院办", Phone: "+862768865299"}}, 0},
		{"138", []relief.Contact{{Phone: "138"}}, 1},
		// a numbered label's digit is not part of the number
		{"联系方式1 027-82788599", []relief.Contact{{Phone: "+862782788599"}}, 0},
		{"联系人1 13631969374", []relief.Contact{{Phone: "+8613631969374"}}, 0},
		{"联系人2：13631969374", []relief.Contact{{Phone: "+8613631969374"}}, 0},
		{"电话12 13631969374；手机2 13130437866", []relief.Contact{{Phone: "+8613631969374"}, {Phone: "+8613130437866"}}, 0},
		{"电话13631969374", []relief.Contact{{Phone: "+8613631969374"}}, 0},
	}
	for _, tt := range tests {
		got, probs := CleanContacts(tt.in, "CN")
		if !equalJSON(got, tt.want) || len(probs) != tt.probs {
			t.Errorf("CleanContacts(%q) = %+v, %d problems; want %+v, %d", tt.in, got, len(probs), tt.want, tt.probs)
		}
	}
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func TestCleanDistrict(t *testing.T) {
	known := map[string]bool{"江汉区": true, "新洲区": true}
	tests := []struct{ in, want string }{
		{"江汉", "江汉区"}, {"江汉区", "江汉区"}, {" 江汉区\u200b", "江汉区"}, {"新洲", "新洲区"}, {"黄陂", "黄陂区"}, {"", ""}, {"东湖高新区", "东湖高新区"},
		// county-level cities and counties: looked up in the divisions, never given 区
		{"麻城", "麻城市"}, {"钟祥", "钟祥市"}, {"利川", "利川市"}, {"蕲春", "蕲春县"}, {"枣阳", "枣阳市"},
		// a name several districts share, or none: as written, no guess
		{"鼓楼", "鼓楼"}, {"朝阳", "朝阳"}, {"某某", "某某"},
	}
	for _, tt := range tests {
		if got := CleanDistrict(tt.in, known); got != tt.want {
			t.Errorf("CleanDistrict(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"湖北省武汉市江汉区解放大道1277号", "江汉区"}, {"武汉市中山大道215号", ""}, {"武汉市东湖高新区高新六路", "东湖高新区"}, {"成都市武侯区人民南路", "武侯区"},
	} {
		if got := DistrictFromAddress(tt.in); got != tt.want {
			t.Errorf("DistrictFromAddress(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestCleanStatusReal takes every value the sheet validator complained about
// in the real file and checks what CleanStatus makes of the traps.
func TestCleanStatusReal(t *testing.T) {
	b, err := os.ReadFile(rawFile(t, "wuhan2020/sheet_validation_errors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var errs []struct{ Err string }
	if err := json.Unmarshal(b, &errs); err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?s)value=(.*), type=`)
	counts := map[string]int{}
	free := 0
	for _, e := range errs {
		m := re.FindStringSubmatch(e.Err)
		if m == nil {
			continue
		}
		text, code, ok := CleanStatus(m[1])
		counts[text+"|"+code]++
		if !ok {
			free++
		}
	}
	if counts["|"] < 181 {
		t.Errorf("lone full-width spaces cleaned to empty: %d; want ≥181", counts["|"])
	}
	if counts["已审核|reviewed"] == 0 {
		t.Errorf("已审核\\u200b never cleaned to 已审核/reviewed: %v", counts)
	}
	t.Logf("status values: %v; free text: %d", counts, free)
	for _, tt := range []struct{ in, text, code string }{
		{"已审核\u200b", "已审核", SourceReviewed}, {"\u3000", "", ""}, {" 男", "男", ""}, {"待审核", "待审核", SourcePending},
		{"未录入：无资质证明", "未录入:无资质证明", SourceRejected},
	} {
		text, code, _ := CleanStatus(tt.in)
		if text != tt.text || code != tt.code {
			t.Errorf("CleanStatus(%q) = %q, %q; want %q, %q", tt.in, text, code, tt.text, tt.code)
		}
	}
}

func TestParseQuantityAndOne(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    float64
		unit string
	}{{"5000", 5000, ""}, {"5,000", 5000, ""}, {"1万", 10000, ""}, {"200套", 200, "套"}, {"１０００个", 1000, "个"}, {"2.5k", 2500, ""},
		{"5万", 50000, ""}, {"2,000", 2000, ""}, {"1,234,567", 1234567, ""}, {"1.5万", 15000, ""}, {"２，０００", 2000, ""},
		{"两千", 2000, ""}, {"三百", 300, ""}, {"三百五十", 350, ""}, {"三百五", 350, ""}, {"一万五", 15000, ""},
		{"一万零五", 10005, ""}, {"十", 10, ""}, {"十二", 12, ""}, {"二十", 20, ""}, {"两千箱", 2000, "箱"}, {"五万个", 50000, "个"},
		{"一千零二十", 1020, ""}, {"十万", 100000, ""}, {"三千二百万", 32000000, ""}} {
		n, unit, ok := ParseQuantity(tt.in)
		if !ok || n != tt.n || unit != tt.unit {
			t.Errorf("ParseQuantity(%q) = %v, %q, %v; want %v, %q", tt.in, n, unit, ok, tt.n, tt.unit)
		}
	}
	for _, in := range []string{"", "-5", "abc", "万", "百", "一二", "若干", "很多"} {
		if n, unit, ok := ParseQuantity(in); ok {
			t.Errorf("ParseQuantity(%q) = %v, %q, true; want not a quantity", in, n, unit)
		}
	}
	on := DefaultOptions()
	it, keep, _ := supplyItem("N95口罩", "1", "", on)
	if !keep || it.Needed != nil {
		t.Errorf("supplyItem(1, OneMeansNeeded) = %+v; want needed, quantity unknown", it)
	}
	off := on
	off.OneMeansNeeded = false
	it, _, _ = supplyItem("N95口罩", "1", "", off)
	if it.Needed == nil || *it.Needed != 1 {
		t.Errorf("supplyItem(1, !OneMeansNeeded) = %+v; want 1", it)
	}
	if _, keep, _ := supplyItem("N95口罩", "0", "", on); keep {
		t.Error("supplyItem(0) kept; want dropped as not needed")
	}
	for _, tt := range []struct{ qty, code string }{
		{"-5", ProblemNegativeQty}, {"－5", ProblemNegativeQty}, {" -1.5万 ", ProblemNegativeQty},
		{"abc", ProblemBadQuantity}, {"--", ProblemBadQuantity}, {"-abc", ProblemBadQuantity},
	} {
		t.Run("quantity "+tt.qty, func(t *testing.T) {
			it, keep, err := supplyItem("N95口罩", tt.qty, "", on)
			code, _ := coded(err, "")
			if !keep || it.Needed != nil || code != tt.code {
				t.Errorf("supplyItem(%q) = %+v, %v, %v; want kept, quantity unknown, code %s", tt.qty, it, keep, err, tt.code)
			}
		})
	}
	// In the real file, 248 lines say 1 and become "needed".
	recs, _ := readRaw(t, "wuhan2020/hospital_needs_wuhan.json")
	nilN, counted, fromText := 0, 0, 0
	for _, r := range recs {
		for i, it := range r.Items {
			if slices.Contains(r.TextItems, i) {
				fromText++ // a quantity the remark gives, to be confirmed
				continue
			}
			if it.Needed == nil {
				nilN++
			} else {
				counted++
			}
		}
	}
	// One needed-only line takes its quantity from the remark beside it
	// ("雨衣雨鞋2000套"), as do eight supplies the remarks name.
	if nilN != 247 || counted != 51 || fromText != 9 {
		t.Errorf("hospital_needs items: %d needed-only, %d counted, %d from remarks; want 247, 51, 9", nilN, counted, fromText)
	}
}

func TestItemsThroughCatalog(t *testing.T) {
	for _, name := range []string{"N95口罩", "医用防护口罩 | N95口罩", "N95"} {
		ci, ok := relief.DefaultCatalog().Resolve(name)
		if !ok || ci.ID != "mask_n95" {
			t.Errorf("Resolve(%q) = %v, %v; want mask_n95", name, ci.ID, ok)
		}
	}
}

// TestStatusNoteIsNotAnItem: a bracketed note on a supply's state
// ("防护服（已安排）") is kept as that supply's spec, not read as a supply.
func TestStatusNoteIsNotAnItem(t *testing.T) {
	type item struct{ Name, Spec string }
	for _, tt := range []struct {
		cell string
		want []item
	}{
		{"防护服（已安排）", []item{{"防护服", "已安排"}}},
		{"N95口罩，防护服（已安排），护目镜", []item{{"N95口罩", ""}, {"防护服", "已安排"}, {"护目镜", ""}}},
		{"口罩（已到货）5000个；防护服 200套", []item{{"口罩", "已到货"}, {"防护服", ""}}},
		{"护目镜(暂不需要)", []item{{"护目镜", "暂不需要"}}},
	} {
		csv := "单位名称,所需物资\n武汉市第一医院,\"" + tt.cell + "\"\n"
		recs, _, err := ReadData("s.csv", []byte(csv), DefaultOptions())
		if err != nil || len(recs) != 1 {
			t.Fatalf("ReadData(%q) = %d records, %v", tt.cell, len(recs), err)
		}
		var got []item
		for _, it := range recs[0].Items {
			got = append(got, item{it.Name, it.Spec})
		}
		if !equalJSON(got, tt.want) {
			t.Errorf("items of %q = %+v; want %+v", tt.cell, got, tt.want)
		}
	}
	d, _ := ParseMessage("武汉市第一医院急需口罩(已到货)5000个")
	if len(d.Items) != 1 || d.Items[0].Name != "口罩" || d.Items[0].Spec != "已到货" {
		t.Errorf("ParseMessage(口罩(已到货)5000个).Items = %+v; want 口罩 with spec 已到货", d.Items)
	}
}

// TestBareDistrictNamesLookedUp: a 区县 column of bare names gets each its
// official name from the divisions (钟祥 → 钟祥市, not 钟祥区), and a name
// several cities share from the row's city (南京 鼓楼 → 鼓楼区); the address
// made of the names is made of the official ones.
func TestBareDistrictNamesLookedUp(t *testing.T) {
	csv := "单位,城市,区县,物资\n甲医院,荆门,钟祥,口罩\n乙医院,南京,鼓楼,口罩\n丙医院,黄冈,蕲春,口罩\n"
	recs, _, err := ReadData("d.csv", []byte(csv), DefaultOptions())
	if err != nil || len(recs) != 3 {
		t.Fatalf("ReadData = %d records, %v", len(recs), err)
	}
	for i, want := range []string{"钟祥市", "鼓楼区", "蕲春县"} {
		if r := recs[i]; r.District != want || !strings.HasSuffix(r.Address, want) || r.Place.County != want {
			t.Errorf("%s: district %q address %q place %+v; want %s", r.Org, r.District, r.Address, r.Place, want)
		}
	}
}
