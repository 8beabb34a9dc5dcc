package desk

import (
	"testing"

	"github.com/reliefmesh/reliefmesh/store"
)

// TestOtherSheetNeverUpdatesByLine: two different sheets of the same layout,
// each with a row without organisation at the same line, are two demands;
// the second import used to "update 1" (the first sheet's demand at that
// line, its address, supplies and contacts replaced).
func TestOtherSheetNeverUpdatesByLine(t *testing.T) {
	st := newStore(t)
	head := "单位名称,地址,所需物资,联系方式\n"
	a := head + "社区一,武汉市江汉区香港路1号,口罩 10个,张老师 13800000001\n" +
		",洪山区珞喻路100号丙村,消毒液 5桶,村委会 13800000002\n" +
		"社区三,武汉市江汉区香港路3号,口罩 30个,李老师 13800000005\n"
	b := head + "社区二,武汉市江岸区解放大道2号,手套 30副,李老师 13800000003\n" +
		",蔡甸区奓山街道丁村,大米 20袋,王主任 13800000004\n" +
		"社区四,武汉市江岸区解放大道4号,手套 40副,赵老师 13800000006\n"
	applyRecs(t, st, readPath(t, writeFile(t, "a.csv", []byte(a))))
	rep := applyRecs(t, st, readPath(t, writeFile(t, "b.csv", []byte(b))))
	if rep.Updated != 0 || rep.Held != 0 || rep.Skipped != 0 || rep.Created+rep.Flagged != 3 {
		t.Errorf("second sheet: %+v; want 3 new, none updated, held or skipped", rep)
	}
	ds, err := st.Demands(store.DemandQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 6 {
		t.Errorf("%d demands; want 6", len(ds))
	}
}
