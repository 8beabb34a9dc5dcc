package importer

import (
	"strings"
	"testing"
)

func sourcesOf(t *testing.T, csv string) []Record {
	t.Helper()
	tb, err := ReadCSV("s.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := Records(tb, DefaultOptions())
	return recs
}

// TestRowIdentityNotByLine: a row without an organisation was known by its
// line, so a second, different sheet of the same layout "updated" the first
// sheet's demand at that line. A row is known by its content: two different
// sheets give two sources; the same row at another line, or with its
// supplies changed, keeps its source.
func TestRowIdentityNotByLine(t *testing.T) {
	head := "单位名称,地址,所需物资,联系方式\n"
	a := head + "社区一,武汉市江汉区香港路1号,口罩 10个,张老师 13800000001\n" +
		",洪山区珞喻路100号丙村,消毒液 5桶,村委会 13800000002\n"
	b := head + "社区二,武汉市江岸区解放大道2号,手套 30副,李老师 13800000003\n" +
		",蔡甸区奓山街道丁村,大米 20袋,王主任 13800000004\n"
	ra, rb := sourcesOf(t, a), sourcesOf(t, b)
	if len(ra) != 2 || len(rb) != 2 {
		t.Fatalf("records %d, %d; want 2, 2", len(ra), len(rb))
	}
	if ra[1].Source == rb[1].Source {
		t.Errorf("two different rows without organisation at line 3 share source %q: the second sheet would update the first's demand", ra[1].Source)
	}
	// the same row at another line, with more supplies: the same demand
	moved := head + ",蔡甸区奓山街道丁村,大米 40袋、食用油 5桶,王主任 13800000004\n" + "社区二,武汉市江岸区解放大道2号,手套 30副,李老师 13800000003\n"
	rm := sourcesOf(t, moved)
	if len(rm) != 2 || rm[0].Source != rb[1].Source {
		t.Errorf("the row moved to line 2 with its supplies changed has source %q; want %q (its own demand)", rm[0].Source, rb[1].Source)
	}
	// two rows of one sheet with the same content are told apart, not merged
	twice := head + ",丁村,大米 20袋,\n,丁村,大米 20袋,\n,戊村,大米 20袋,\n"
	rt := sourcesOf(t, twice)
	if len(rt) != 3 || rt[0].Source == rt[1].Source || rt[1].Source == rt[2].Source {
		t.Errorf("sources %v; want three different", []string{rt[0].Source, rt[1].Source, rt[2].Source})
	}
}
