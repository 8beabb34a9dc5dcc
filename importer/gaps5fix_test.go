package importer

import (
	"strings"
	"testing"
)

// TestPlaceCellsDisagree: the reviewer's finding 1 on wt-gaps5. A row whose
// city cell 武汉 and district cell 钟祥市 contradict each other, its address
// naming 荆门市钟祥市, was placed in 武汉市 and told that its cells name
// 湖北省武汉市 (the 钟祥市 cell dropped unsaid); a factories row 山西 /
// 西安市 with an address in 西安市 stayed in 山西省. The address breaks the
// tie, and the row is told its cells disagree with each other.
func TestPlaceCellsDisagree(t *testing.T) {
	recs, probs := readCSVText(t, "cells.csv", "医院名称,省份,城市,区县,地址,物资需求,数量,联系电话\n"+
		"甲医院,,武汉,钟祥市,荆门市钟祥市郢中街道,口罩,100,13800000001\n"+
		"乙工厂,山西,西安市,,西安市经济技术开发区凤城二路,手套,50,13800000002\n"+
		"丙医院,湖北,武汉市,江汉区,武汉市江汉区解放大道,口罩,10,13800000003\n")
	if len(recs) != 3 {
		t.Fatalf("%d records; want 3", len(recs))
	}
	if recs[0].Place.Code != "420881" || recs[1].Place.Code != "6101" || recs[2].Place.Code != "420103" {
		t.Errorf("places %s, %s, %s; want 420881 (钟祥市), 6101 (西安市), 420103", recs[0].Place.Code, recs[1].Place.Code, recs[2].Place.Code)
	}
	if told := problemsOf(probs, ProblemPlaceDisagrees); len(told) != 0 {
		t.Errorf("%s %+v; want none: the cells name no one place", ProblemPlaceDisagrees, told)
	}
	told := problemsOf(probs, ProblemPlaceCellsDisagree)
	if len(told) != 2 || told[0].Row != 2 || told[1].Row != 3 {
		t.Fatalf("%s %+v; want rows 2 and 3", ProblemPlaceCellsDisagree, told)
	}
	if a := told[0].Args; a["cells"] != "武汉 钟祥市" || a["places"] != "湖北省武汉市、湖北省荆门市钟祥市" || a["place"] != "湖北省荆门市钟祥市" ||
		!strings.Contains(a["basis_zh"], "荆门市钟祥市郢中街道") || !strings.Contains(told[0].Msg, "disagree with each other") {
		t.Errorf("row 2 told %+v; want its cells, what each names and the place the address chose", told[0])
	}
	if a := told[1].Args; a["places"] != "山西省、陕西省西安市" || a["place"] != "陕西省西安市" {
		t.Errorf("row 3 told %+v; want 山西省、陕西省西安市 placed in 陕西省西安市", told[1])
	}
}
