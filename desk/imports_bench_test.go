package desk

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/importer"
)

// bigSheet returns a CSV of n demand rows shaped like the wuhan2020
// DemandOfWuhan sheet: varied organisations, roads, house numbers, supplies
// and contacts, a long remark, and a multi-line contact cell every tenth row.
func bigSheet(n int) []byte {
	var b strings.Builder
	b.WriteString("name,supplies,address,contact,remark\n")
	kinds := []string{"社区卫生服务中心", "人民医院", "中医院", "妇幼保健院", "养老院", "街道办事处", "发热门诊"}
	districts := []string{"江岸区", "江汉区", "硚口区", "汉阳区", "武昌区", "青山区", "洪山区", "黄陂区", "蔡甸区"}
	roads := []string{"解放大道", "中山大道", "香港路", "武珞路", "珞喻路", "发展大道", "二七侧路", "高新六路"}
	supplies := []string{"N95口罩 %d个；防护服 %d套", "外科口罩 %d个，护目镜 %d副", "医用手套 %d双、消毒液 %d瓶"}
	for i := range n {
		contact := fmt.Sprintf("甲老师 1%010d", 3000000000+i)
		if i%10 == 0 {
			contact = fmt.Sprintf("\"设备科 1%010d \n乙老师 1%010d\"", 3000000000+i, 5000000000+i)
		}
		fmt.Fprintf(&b, "武汉市%s%d号%s,\"%s\",武汉市%s%s%d号,%s,备注%d 急缺物资请尽快联系\n",
			districts[i%len(districts)], i, kinds[i%len(kinds)],
			fmt.Sprintf(supplies[i%len(supplies)], 100+i%900, 10+i%90),
			districts[i%len(districts)], roads[(i/7)%len(roads)], i+1, contact, i)
	}
	return []byte(b.String())
}

// BenchmarkApplyBigSheet reads and applies a generated sheet of 3,000 and 12,000 rows
// into an empty store (time per whole import; the time per row must not grow
// with the sheet: see BENCHMARKS.md, "Importing a large sheet").
func BenchmarkApplyBigSheet(b *testing.B) {
	for _, n := range []int{3000, 12000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			data := bigSheet(n)
			for b.Loop() {
				b.StopTimer()
				st := newStore(b)
				b.StartTimer()
				recs, _, err := importer.ReadData("big.csv", data, importer.DefaultOptions())
				if err != nil {
					b.Fatal(err)
				}
				if _, err := importApply(context.Background(), st, recs, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReadBigSheet reads and cleans a generated sheet of 12,000 rows
// into records (importer.ReadData: decoding, header, cells, contacts,
// supplies, dates), without a store: the importer's part of
// BenchmarkApplyBigSheet.
func BenchmarkReadBigSheet(b *testing.B) {
	data := bigSheet(12000)
	for b.Loop() {
		if _, _, err := importer.ReadData("big.csv", data, importer.DefaultOptions()); err != nil {
			b.Fatal(err)
		}
	}
}
