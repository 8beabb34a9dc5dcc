package importer

import (
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
