package importer

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestReadsOurBulletinWords: a sheet with our bulletins' Chinese headers and
// values reads back: the title column is the title (not a note), the status
// and category labels are known, and "已收到数量" under #item+received is
// no quantity.
func TestReadsOurBulletinWords(t *testing.T) {
	csv := "\ufeff标题,需求单位,类别,状态,物资名称,单位,需求数量,已收到数量\n" +
		"#description+title,#org,#sector,#status,#item+name,#item+unit,#item+needed,#item+received\n" +
		"社区需要方便面,某社区,食品饮水,已发布,方便面,箱,100,40\n"
	recs, probs, err := ReadData("b.csv", []byte(csv), DefaultOptions())
	if err != nil || len(recs) != 1 {
		t.Fatalf("ReadData = %d records, %v", len(recs), err)
	}
	r := recs[0]
	if r.Title != "社区需要方便面" || r.Org != "某社区" || r.Category != "food_water" || r.Status != SourceReviewed {
		t.Errorf("record = title %q org %q category %q status %q; want 社区需要方便面, 某社区, food_water, reviewed", r.Title, r.Org, r.Category, r.Status)
	}
	if len(r.Items) != 1 || r.Items[0].Needed == nil || *r.Items[0].Needed != 100 || r.Items[0].Unit != "箱" {
		t.Errorf("items = %+v; want 方便面 100 箱 (not the 40 received)", r.Items)
	}
	for _, p := range probs {
		if p.Code == ProblemBadStatus {
			t.Errorf("problem: %v", p)
		}
	}
	if f := demandFields(r, &cutter{})["title"]; f != "社区需要方便面" {
		t.Errorf("demand title = %v; want the title column's", f)
	}
	for cell, want := range map[string]string{"食品饮水": "food_water", "Food and water": "food_water", "shelter": "shelter", "运输物流": "transport", "其他物资": ""} {
		if got, _ := CategoryCode(cell); got != want {
			t.Errorf("CategoryCode(%q) = %q; want %q", cell, got, want)
		}
	}
}

// TestReadsBulletinContactsAndUrgency: the contact cells of a restricted
// bulletin (one contact a line, — for none) pair up line by line, an
// extension and a WeChat id come back as stored; the urgency label is read;
// an urgency no one knows is told and kept as a note; 40 received is kept
// as written and told, 0 received is nothing to tell.
func TestReadsBulletinContactsAndUrgency(t *testing.T) {
	csv := "\ufeff标题,需求单位,紧急程度,物资名称,需求数量,已收到数量,联系人,联系电话\n" +
		"#description+title,#org,#severity,#item+name,#item+needed,#item+received,#contact+name,#contact+phone\n" +
		"缺口罩,协和医院,特急,医用外科口罩,100,40,\"甲老师\n—\n护士长：孙\n—\",\"+8613800000001\n+862785726035 转 802\n微信：sun_2020\nQQ：12345678\"\n" +
		"缺方便面,某社区,十万火急,方便面,100,0,张主任,13700000000\n"
	recs, probs, err := ReadData("b.csv", []byte(csv), DefaultOptions())
	if err != nil || len(recs) != 2 {
		t.Fatalf("ReadData = %d records, %v", len(recs), err)
	}
	want := []relief.Contact{{Name: "甲老师", Phone: "+8613800000001"}, {Phone: "+862785726035;ext=802"},
		{Name: "孙", Role: "护士长", Phone: "sun_2020", Kind: relief.ContactWeChat}, {Phone: "12345678", Kind: relief.ContactQQ}}
	if !slices.Equal(recs[0].Contacts, want) {
		t.Errorf("contacts = %+v\nwant %+v", recs[0].Contacts, want)
	}
	if recs[0].Urgency != "critical" || recs[1].Urgency != "" {
		t.Errorf("urgencies = %q, %q; want critical and none", recs[0].Urgency, recs[1].Urgency)
	}
	if len(recs[1].Contacts) != 1 || recs[1].Contacts[0].Name != "张主任" || recs[1].Contacts[0].Phone != "+8613700000000" {
		t.Errorf("one contact in two cells = %+v; want 张主任 +8613700000000", recs[1].Contacts)
	}
	if !strings.Contains(recs[1].Notes, "十万火急") {
		t.Errorf("notes = %q; want the unknown urgency kept", recs[1].Notes)
	}
	told := map[string]int{}
	for _, p := range probs {
		told[p.Code+" "+p.Args["value"]]++
	}
	if told[ProblemBadUrgency+" 十万火急"] != 1 || told[ProblemReceivedKept+" 医用外科口罩 40"] != 1 || len(probs) != 2 {
		t.Errorf("problems = %v; want the unknown urgency and the 40 received, once each", probs)
	}
	if !slices.Contains(recs[0].SourceFields, relief.SourceField{Column: "已收到数量", Value: "医用外科口罩 40"}) {
		t.Errorf("source fields = %+v; want 已收到数量: 医用外科口罩 40", recs[0].SourceFields)
	}
}

// TestSuppliesListWithQuantityColumns: a supplies column beside quantity
// and unit columns, read as one supply a row (the suggested mapping) or as
// a list (物资（清单）): a one-supply cell takes the row's quantity and unit
// (the unit written after the quantity when the unit cell is empty); a cell
// of several lines is several supplies, each with its own quantity, and the
// row's quantity that no one of them takes is told, never given to all.
func TestSuppliesListWithQuantityColumns(t *testing.T) {
	csv := "医院名称,所需物资,数量,单位\n" +
		"甲医院,医用防护口罩N95,5000个,\n" +
		"乙医院,防护服,５千,套\n" +
		"丙医院,\"医用外科口罩\n护目镜 200副\n手套\",1万,\n"
	for _, asList := range []bool{false, true} {
		opts := DefaultOptions()
		if asList {
			tb, err := ReadCSV("s.csv", strings.NewReader(csv))
			if err != nil {
				t.Fatal(err)
			}
			m := SuggestMapping(tb)
			m.Columns[1].Field = FieldItems
			opts.Mapping = &m
		}
		recs, probs, err := ReadData("s.csv", []byte(csv), opts)
		if err != nil || len(recs) != 3 {
			t.Fatalf("list %v: ReadData = %d records, %v", asList, len(recs), err)
		}
		got := func(r Record) string {
			var out []string
			for _, it := range r.Items {
				n := "?"
				if it.Needed != nil {
					n = strconv.FormatFloat(*it.Needed, 'f', -1, 64)
				}
				out = append(out, it.Name+" "+n+" "+it.Unit)
			}
			return strings.Join(out, "; ")
		}
		for i, want := range []string{"医用防护口罩N95 5000 个", "防护服 5000 套", "医用外科口罩 ? ; 护目镜 200 副; 手套 ? "} {
			if g := got(recs[i]); g != want {
				t.Errorf("list %v: %s items = %q; want %q", asList, recs[i].Org, g, want)
			}
		}
		told := 0
		for _, p := range probs {
			if p.Code == ProblemQuantityUnassigned && p.Row == 4 && p.Args["value"] == "1万" {
				told++
			}
		}
		if told != 1 {
			t.Errorf("list %v: problems %v; want the 1万 no one supply takes told once, row 4", asList, probs)
		}
	}
}

// TestMessyQuantities: what a quantity cell says for certain is read, the
// rest kept in the spec and told, per row and field: "1,5" is no number
// (a decimal comma or a cut thousands); "2箱（每箱100双）" is 2 箱 with its
// note; "5000-8000", "100+" and "1万+" are at least 5000, 100, 10000;
// "-" keeps the supply, quantity unknown; "5000个" keeps its unit.
func TestMessyQuantities(t *testing.T) {
	rows := []struct{ qty, want, code string }{
		{"1,5", "? spec=1,5", ProblemBadQuantity},
		{"2箱（每箱100双）", "2 箱 spec=每箱100双", ""},
		{"5000-8000", "5000 spec=5000-8000", ProblemQuantityAtLeast},
		{"100+", "100 spec=100+", ProblemQuantityAtLeast},
		{"1万+", "10000 spec=1万+", ProblemQuantityAtLeast},
		{"-", "? spec=-", ProblemBadQuantity},
		{"5000个", "5000 个 spec=", ""},
	}
	csv := "医院名称,物资名称,数量,单位\n"
	for i, r := range rows {
		csv += fmt.Sprintf("医院%d,医用外科口罩,\"%s\",\n", i, r.qty)
	}
	recs, probs, err := ReadData("q.csv", []byte(csv), DefaultOptions())
	if err != nil || len(recs) != len(rows) {
		t.Fatalf("ReadData = %d records, %v", len(recs), err)
	}
	for i, r := range rows {
		if len(recs[i].Items) != 1 {
			t.Errorf("%q: items %+v; want one", r.qty, recs[i].Items)
			continue
		}
		it := recs[i].Items[0]
		got := "?"
		if it.Needed != nil {
			got = strconv.FormatFloat(*it.Needed, 'f', -1, 64)
		}
		if it.Unit != "" {
			got += " " + it.Unit
		}
		got += " spec=" + it.Spec
		if got != r.want {
			t.Errorf("%q: item %q; want %q", r.qty, got, r.want)
		}
		var codes []string
		for _, p := range probs {
			if p.Row == i+2 && p.Code != ProblemNotInCatalog {
				codes = append(codes, p.Code)
			}
		}
		if want := []string{r.code}; r.code == "" && len(codes) != 0 || r.code != "" && !slices.Equal(codes, want) {
			t.Errorf("%q: problems %q of row %d; want %q", r.qty, codes, i+2, r.code)
		}
	}
}
