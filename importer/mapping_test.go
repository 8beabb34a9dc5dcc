package importer

import (
	"fmt"
	"strings"
	"testing"
)

// TestSuppliesBesideQuantityIsOneItemPerRow: "所需物资 | 数量 | 单位" is the long
// format, so the quantity is the supply's, not lost as "needed".
func TestSuppliesBesideQuantityIsOneItemPerRow(t *testing.T) {
	tb, err := ReadCSV("d.csv", strings.NewReader("医院名称,所需物资,数量,单位,地址\n汉口医院,N95口罩,500,只,武汉市江汉区解放大道\n"))
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := Records(tb, DefaultOptions())
	if len(recs) != 1 || len(recs[0].Items) != 1 || recs[0].Items[0].Needed == nil || *recs[0].Items[0].Needed != 500 || recs[0].Items[0].Unit != "只" {
		t.Fatalf("Records = %+v; want one N95 line of 500 只", recs)
	}
}

// TestQuantitiesInSuppliesCell: quantities written beside the names in a
// free-text supplies cell are kept (they were read as "needed" before).
func TestQuantitiesInSuppliesCell(t *testing.T) {
	tb, err := ReadCSV("q.csv", strings.NewReader("name,supplies,address\n甲医院,N95（10万）/外科口罩（20万）/防护服（1万套）/护目镜,武汉市江岸区\n乙医院,N95口罩：1000个,武汉市江岸区\n"))
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := Records(tb, DefaultOptions())
	if len(recs) != 2 {
		t.Fatalf("Records = %d; want 2", len(recs))
	}
	got := func(r Record) string {
		var out []string
		for _, it := range r.Items {
			n := "?"
			if it.Needed != nil {
				n = fmt.Sprint(*it.Needed)
			}
			out = append(out, it.Name+"="+n+it.Unit)
		}
		return strings.Join(out, ",")
	}
	for i, want := range []string{"N95=100000,外科口罩=200000,防护服=10000套,护目镜=?", "N95口罩=1000个"} {
		if g := got(recs[i]); g != want {
			t.Errorf("row %d items = %s; want %s", i+2, g, want)
		}
	}
}

// TestDescriptiveOrgHeaders: a header that names the organisation in words
// ("义诊单位或个人") or in a bracket that explains a contact column
// ("联系人(酒店名称或者政府部门）") maps to the organisation, so the rows are
// not skipped as nameless (a real clinic list lost 52 of 59 rows so).
func TestDescriptiveOrgHeaders(t *testing.T) {
	for _, c := range []struct{ csv, org string }{
		{"义诊单位或个人,联系方式,备注\n甲网络医院,010-00000001,免费问诊\n乙健康平台,,每天8:00-20:00\n", "甲网络医院"},
		{"省份,联系人(酒店名称或者政府部门）,具体地址,联系方式\n云南省,甲酒店,某区某路1号,0871-00000001\n", "甲酒店"},
		{"捐赠单位,物资,数量\n丙公司,N95口罩,100\n", "丙公司"},
	} {
		tb, err := ReadCSV("o.csv", strings.NewReader(c.csv))
		if err != nil {
			t.Fatal(err)
		}
		recs, probs := Records(tb, DefaultOptions())
		for _, p := range probs {
			if p.Code == ProblemEmptyRow || p.Code == ProblemNoOrg {
				t.Errorf("%q: problem %s", tb.Headers, p.Msg)
			}
		}
		if len(recs) == 0 || recs[0].Org != c.org {
			t.Errorf("%q: records %+v; want the first named %s", tb.Headers, recs, c.org)
		}
	}
}

// TestSpanishFrenchHeaders: an untagged sheet of an HXL-using response in
// Spanish or French (Organización, Sector/Cluster, Organisme, Secteur) is
// read, not refused as naming no organisation; its sector is the offer's
// activity and its country kept.
func TestSpanishFrenchHeaders(t *testing.T) {
	for _, c := range []string{
		"Registro,Sector/Cluster,Organización,País\n001,WASH,ACNUR,Panamá\n",
		"Organisme,Secteur,Pays\nACNUR,WASH,Panamá\n",
	} {
		tb, err := ReadCSV("s.csv", strings.NewReader(c))
		if err != nil {
			t.Fatal(err)
		}
		recs, _ := Records(tb, DefaultOptions())
		if len(recs) != 1 || recs[0].Org != "ACNUR" || recs[0].Activity != "WASH" || recs[0].Country != "Panamá" {
			t.Errorf("%q: records %+v; want ACNUR in WASH", tb.Headers, recs)
		}
	}
}

// TestGroupHeaderNamesExtraColumn: a group header row above the column
// names can reach further right than they do ("¿Cuándo?" over a date column
// left without a name); the rows that fill that column are read, with the
// group header as its name, not skipped as having more cells than columns.
func TestGroupHeaderNamesExtraColumn(t *testing.T) {
	csv := "¿Qué?,,¿Quién?,¿Dónde?,¿Cuándo?\nRegistro,Sector,Organización,País\n001,WASH,ACNUR,Panamá,1 March 2015\n002,Salud,OMS,Colombia,\n"
	tb, err := ReadCSV("g.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	recs, probs := Records(tb, DefaultOptions())
	for _, p := range probs {
		if p.Code == ProblemCellCount {
			t.Errorf("problem: %s", p.Msg)
		}
	}
	if len(recs) != 2 || recs[0].Org != "ACNUR" || !inSource(recs[0], "¿Cuándo?", "1 March 2015") && recs[0].Date == "" {
		t.Errorf("records %+v; want ACNUR with its date kept, and OMS", recs)
	}
}

// TestMoreHeaderWords: 需求量 is a quantity, and 需求日期, 填报日期 are dates
// (a tester's sheets left them unmapped); 截止日期 and 截止时间 are
// deadlines, read as dates and kept under their header, never the
// demand's date.
func TestMoreHeaderWords(t *testing.T) {
	for h, want := range map[string]Field{"需求量": FieldQuantity, "需求日期": FieldDate, "截止日期": FieldDeadline, "截止时间": FieldDeadline,
		"填报日期": FieldDate, "需求物资": FieldItems} {
		if got := fieldForHeader(h); got != want {
			t.Errorf("fieldForHeader(%q) = %q; want %q", h, got, want)
		}
	}
}
