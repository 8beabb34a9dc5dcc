package bulletin

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// BenchmarkWriteLang writes the public bulletin of 10,000 demands (two items
// each) as CSV and XLSX, in English and in Chinese, to see what the labels
// (and, for XLSX, the widths, styles and metadata sheet) cost. It reports
// the bulletin's size.
func BenchmarkWriteLang(b *testing.B) {
	base := levelDemands()[0]
	ds := make([]relief.Demand, 10_000)
	for i := range ds {
		d := base
		d.ID, d.Code = fmt.Sprintf("id%d", i), fmt.Sprintf("D-%05d", i)
		d.Items = []relief.Item{{Name: "N95口罩", Unit: "piece", Needed: num(5000)}, {Name: "防护服", Unit: "套", Needed: num(200)}}
		ds[i] = d
	}
	for _, format := range []string{"csv", "xlsx"} {
		for _, lang := range Langs {
			b.Run(format+"/"+lang, func(b *testing.B) {
				var buf bytes.Buffer
				for b.Loop() {
					buf.Reset()
					if err := WriteWith(&buf, ds, Options{Format: format, Lang: lang}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(buf.Len()), "bytes")
			})
		}
	}
}

// BenchmarkVerify verifies a founder's signature of a small bulletin: the
// cost of a check with a chain of one change.
func BenchmarkVerify(b *testing.B) {
	file, sig := foundedSig(b)
	for b.Loop() {
		if _, err := Verify(file, sig, VerifyOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
