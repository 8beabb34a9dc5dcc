package importer

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkRecordsProvince reads 1,000 rows of the province-wide layout
// (progress text, supplies lists with specs, a column without a header):
// the cost of finding where every cell lands.
func BenchmarkRecordsProvince(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("所在城市,医院名称,目前处理进度（不定时更新）,所需物资,规格,地址,联系方式,其他信息,\n")
	for i := range 1000 {
		// every cell distinct, as in a sheet of many hospitals: nothing is
		// read from the memo of repeated cells
		fmt.Fprintf(&sb, "荆门市,第%d人民医院,\"缺少：防护服%d万 防护口罩2万 外科口罩5万（最后更新：25日13:53）\",\"N95口罩%d个（3M 1860、无阀门）、护目镜（视野宽阔，透亮度好）、防护服（有注册证）\",标准GB 19083-2010,荆门市象山大道%d号,设备科 138%08d,今晚8点可能封城,%d个n95\n", i, i+1, i+1, i, i, i+1)
	}
	tables, err := ReadTables("province.csv", []byte(sb.String()))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		recs, _ := Records(tables[0], DefaultOptions())
		if len(recs) != 1000 {
			b.Fatalf("%d records", len(recs))
		}
	}
	b.ReportMetric(float64(1000*b.N)/b.Elapsed().Seconds(), "rows/s")
}
