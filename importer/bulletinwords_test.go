package importer

import (
	"testing"
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
