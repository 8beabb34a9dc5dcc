package desk

import (
	"slices"
	"testing"
	"time"
)

// benchLargeDemands is how many demands BenchmarkSimilarAndMapLarge holds:
// the size of issue 11's targets.
const benchLargeDemands = 100_000

// BenchmarkSimilarAndMapLarge measures the similar-demand warning (a form
// that repeats nothing, and one that repeats an organisation, a phone and an
// address) and the map's points among benchLargeDemands demands, with p50 and
// p99 per call. The demands are recorded beforehand (not timed, about a minute).
//
//	go test ./desk/ -run '^$' -bench SimilarAndMapLarge -benchtime 50x
func BenchmarkSimilarAndMapLarge(b *testing.B) {
	dk := benchDesk(b, benchLargeDemands)
	fresh := benchDemand(benchLargeDemands + 1)
	fresh.RequesterOrg, fresh.Address, fresh.ContactPhone = "蔡甸区新建方舱医院", "武汉市蔡甸区知音湖大道9999号", "+8613900000001"
	repeat := benchDemand(benchLargeDemands / 2)
	// The first draw opens every sealed position this device may see (an
	// X25519 exchange each, unless its key is kept); the draws after it
	// look them up.
	first, all := firstDraw(b, dk, benchLargeDemands)
	b.Logf("first map draw: %.0f CPU ms; every point exact after %.0f CPU ms", float64(first)/float64(time.Millisecond), float64(all)/float64(time.Millisecond))
	for _, tc := range []struct {
		name string
		call func() (int, error)
	}{
		{"similar/none", func() (int, error) { v, err := dk.Similar(fresh); return hasSimilar(v != nil), err }},
		{"similar/repeat", func() (int, error) { v, err := dk.Similar(repeat); return hasSimilar(v != nil), err }},
		{"map", func() (int, error) { ps, err := dk.MapPoints(); return len(ps), err }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var ds []time.Duration
			n := 0
			c0 := cpuTime()
			for b.Loop() {
				t0 := time.Now()
				v, err := tc.call()
				if err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(t0))
				n = v
			}
			benchPercentiles(b, ds)
			b.ReportMetric(float64(cpuTime()-c0)/float64(time.Millisecond)/float64(len(ds)), "cpu-ms/op")
			b.ReportMetric(float64(n), "results")
		})
	}
}

func hasSimilar(v bool) int {
	if v {
		return 1
	}
	return 0
}

// benchPercentiles reports the p50, p99 and max of ds in milliseconds.
func benchPercentiles(b *testing.B, ds []time.Duration) {
	slices.Sort(ds)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(ds[len(ds)/2]), "p50-ms")
	b.ReportMetric(ms(ds[min(len(ds)-1, len(ds)*99/100)]), "p99-ms")
	b.ReportMetric(ms(ds[len(ds)-1]), "max-ms")
}
