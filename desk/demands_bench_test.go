package desk

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/store"
)

// benchSimilarDemands is how many demands BenchmarkSimilar holds.
const benchSimilarDemands = 20_000

var benchDistricts = []string{"江岸区", "江汉区", "硚口区", "汉阳区", "武昌区", "青山区", "洪山区", "东西湖区", "黄陂区", "新洲区"}

// benchDemand is demand i shaped like the 2020 Wuhan sheets, as the form sends it.
func benchDemand(i int) DemandInput {
	d := benchDistricts[i%len(benchDistricts)]
	return DemandInput{
		Title:        fmt.Sprintf("%s第%d人民医院急需医用防护物资", d, i%97+1),
		Description:  "发热门诊接诊量大，医护人员防护物资严重短缺，急需防护口罩、防护服和护目镜。",
		Category:     []string{"protective_equipment", "medical_supplies", "food_water", "transport"}[i%4],
		District:     d,
		Address:      fmt.Sprintf("武汉市%s解放大道%d号住院部%d楼", d, 100+i%900, i%12+1),
		RequesterOrg: fmt.Sprintf("%s第%d人民医院", d, i%97+1),
		Items: []ItemInput{
			{Name: "医用防护口罩 | N95口罩", Unit: "只", Quantity: strconv.Itoa(1000 + i%5000)},
			{Name: "护目镜", Unit: "个"},
		},
		ContactName: "采购科 王医生", ContactPhone: fmt.Sprintf("+86138%08d", i),
		Urgency:  []string{"low", "normal", "high", "critical"}[i%4],
		Position: &PositionInput{Lat: 30.45 + float64(i%300)/1000, Lon: 114.2 + float64(i%400)/1000},
	}
}

// benchDesk returns a desk on a new store holding n demands of benchDemand,
// recorded as this device's (not timed).
func benchDesk(b *testing.B, n int) *Desk {
	st, err := store.Open(b.TempDir(), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, err := st.CreateNetwork("Bench", "甲"); err != nil {
		b.Fatal(err)
	}
	dk := New(st)
	for i := 0; i < n; i += 200 {
		ins := make([]DemandInput, 0, 200)
		for j := i; j < min(n, i+200); j++ {
			ins = append(ins, benchDemand(j))
		}
		if _, err := dk.RecordDemands(ins); err != nil {
			b.Fatal(err)
		}
	}
	return dk
}

// BenchmarkMapPoints measures the map's points among benchSimilarDemands
// demands.
//
//	go test ./desk/ -run '^$' -bench MapPoints -benchtime 5x
func BenchmarkMapPoints(b *testing.B) {
	dk := benchDesk(b, benchSimilarDemands)
	// the first call opens store.PositionOpenBudget sealed positions and
	// queues the others for the background (an X25519 exchange each, once):
	// its CPU, and the CPU until every point is exact, are reported; the loop
	// measures the draws after it
	firstCPU, allCPU := firstDraw(b, dk, benchSimilarDemands)
	cpu := cpuTime()
	n := 0
	for b.Loop() {
		n++
		if ps, err := dk.MapPoints(); err != nil || len(ps) != benchSimilarDemands {
			b.Fatalf("MapPoints = %d points, %v; want %d", len(ps), err, benchSimilarDemands)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(time.Millisecond)/float64(n), "cpu-ms/op")
	b.ReportMetric(float64(firstCPU)/float64(time.Millisecond), "first-cpu-ms")
	b.ReportMetric(float64(allCPU)/float64(time.Millisecond), "all-exact-cpu-ms")
}

// firstDraw draws dk's map for the first time (n demands, every position
// sealed) and returns the process's CPU time of that draw and until the
// background has opened every point (EventPositionsOpened, then a draw with
// every point exact).
func firstDraw(b *testing.B, dk *Desk, n int) (first, all time.Duration) {
	events, stop := dk.Store().Subscribe()
	defer stop()
	c0 := cpuTime()
	ps, err := dk.MapPoints()
	if err != nil {
		b.Fatal(err)
	}
	first = cpuTime() - c0
	for exact(ps) < n {
		for ev := range events {
			if ev.Kind == store.EventPositionsOpened {
				break
			}
		}
		if ps, err = dk.MapPoints(); err != nil {
			b.Fatal(err)
		}
	}
	return first, cpuTime() - c0
}

// exact counts the points of ps placed exactly.
func exact(ps []MapPoint) int {
	n := 0
	for _, p := range ps {
		if p.Position != nil {
			n++
		}
	}
	return n
}
