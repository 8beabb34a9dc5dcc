package store

import (
	"crypto/rand"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// benchRunLen is the length of the feed the benchmarks apply: 100k changes of
// one demand each, about 650 bytes encoded.
const benchRunLen = 100_000

// benchCatchUpBatch is how many changes one ApplyRemote call gets, as a
// catch-up stream delivers them.
const benchCatchUpBatch = 1000

var districts = []string{"江岸区", "江汉区", "硚口区", "汉阳区", "武昌区", "青山区", "洪山区", "东西湖区", "黄陂区", "新洲区"}

// benchDemandOp returns a realistic demand, shaped like the 2020 Wuhan sheets.
func benchDemandOp(tb testing.TB, i int) ledger.Op {
	tb.Helper()
	d := districts[i%len(districts)]
	op, err := relief.SetFields(relief.KindDemand, NewID(), map[string]any{
		relief.FieldTitle:        fmt.Sprintf("%s第%d人民医院急需医用防护物资", d, i%97+1),
		relief.FieldDescription:  "发热门诊接诊量大，医护人员防护物资严重短缺，急需防护口罩、防护服和护目镜。",
		relief.FieldCategory:     []string{"protective_equipment", "medical_supplies", "food_water", "transport"}[i%4],
		relief.FieldDistrict:     d,
		relief.FieldAddress:      fmt.Sprintf("武汉市%s解放大道%d号住院部%d楼", d, 100+i%900, i%12+1),
		relief.FieldRequesterOrg: fmt.Sprintf("%s第%d人民医院", d, i%97+1),
		relief.FieldItems: []relief.Item{
			{Name: "医用防护口罩 | N95口罩", Spec: "符合GB19083", Unit: "只", Needed: qty(float64(1000 + i%5000))},
			{Name: "医用防护服", Spec: "一次性", Unit: "套", Needed: qty(float64(200 + i%300))},
			{Name: "护目镜", Unit: "个"},
		},
		relief.FieldContacts: []relief.Contact{{Name: "王医生", Phone: fmt.Sprintf("138%08d", i), Role: "采购科"}},
		relief.FieldUrgency:  relief.UrgencyHigh,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return op
}

// benchFeed is one device's feed of benchRunLen demands, made once per process.
var benchFeed struct {
	once    sync.Once
	id      ledger.DeviceID
	changes []*ledger.Change
	bytes   int
}

func benchRun(tb testing.TB) (ledger.DeviceID, []*ledger.Change) {
	benchFeed.once.Do(func() {
		id, key, err := ledger.GenerateKey(rand.Reader)
		if err != nil {
			tb.Fatal(err)
		}
		start := time.Date(2020, 1, 26, 8, 0, 0, 0, time.UTC)
		var n int64
		clk := ledger.NewHLC(func() time.Time { n++; return start.Add(time.Duration(n) * time.Millisecond) }, ledger.DefaultMaxDrift)
		a, err := ledger.NewAuthor(key, benchNetwork, ledger.Head{}, clk)
		if err != nil {
			tb.Fatal(err)
		}
		benchFeed.id = id
		for i := range benchRunLen {
			c, err := a.Next([]ledger.Op{benchDemandOp(tb, i)})
			if err != nil {
				tb.Fatal(err)
			}
			b, _ := ledger.Encode(c)
			benchFeed.bytes += len(b)
			benchFeed.changes = append(benchFeed.changes, c)
		}
	})
	return benchFeed.id, benchFeed.changes
}

// benchNetwork is the network id of the benchmark feed; benchStore joins it.
const benchNetwork = "benchnetwork00000000000000"

// benchStore opens an empty store in a fresh directory of the network of the
// benchmark feed, with a roster in which author is a member: a coordinator's
// genesis and endorsement, applied as remote changes.
func benchStore(tb testing.TB, author ledger.DeviceID) *Store {
	tb.Helper()
	dir, err := os.MkdirTemp("", "reliefmesh-bench-*")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	// The feed is stamped in January 2020; the store's clock is set there too.
	clk := time.Date(2020, 1, 26, 8, 0, 0, 0, time.UTC)
	s, err := Open(dir, Options{Clock: func() time.Time { return clk }})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if err := s.JoinNetwork(benchNetwork); err != nil {
		tb.Fatal(err)
	}
	cid, ckey, err := ledger.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	ca, err := ledger.NewAuthor(ckey, benchNetwork, ledger.Head{}, ledger.NewHLC(func() time.Time { return clk.Add(-time.Hour) }, 0))
	if err != nil {
		tb.Fatal(err)
	}
	genesis, _ := relief.Genesis(cid, "coordinator")
	endorse, _ := relief.Endorse(author, relief.RoleVolunteer, "bench")
	c, err := ca.Next([]ledger.Op{genesis, endorse})
	if err != nil {
		tb.Fatal(err)
	}
	if res, err := s.ApplyRemote([]*ledger.Change{c}); err != nil || res.Applied != 1 {
		tb.Fatalf("ApplyRemote(genesis) = %+v, %v; want 1 applied", res, err)
	}
	return s
}

// applyAll applies changes in catch-up batches.
func applyAll(tb testing.TB, s *Store, changes []*ledger.Change) {
	tb.Helper()
	for i := 0; i < len(changes); i += benchCatchUpBatch {
		batch := changes[i:min(i+benchCatchUpBatch, len(changes))]
		res, err := s.ApplyRemote(batch)
		if err != nil || res.Applied != len(batch) {
			tb.Fatalf("ApplyRemote(%d changes from seq %d) = %+v, %v; want all applied", len(batch), batch[0].Seq, res, err)
		}
	}
}

// BenchmarkApplyRemote applies a run of 100k changes (one demand each) from one
// feed into an empty store on disk, in catch-up batches of 1000, and reports
// changes applied per second.
func BenchmarkApplyRemote(b *testing.B) {
	id, changes := benchRun(b)
	b.ResetTimer()
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := benchStore(b, id)
		b.StartTimer()
		start := time.Now()
		applyAll(b, s, changes)
		elapsed += time.Since(start)
		b.StopTimer()
		if got := s.VersionVector().Get(id); got != benchRunLen {
			b.Fatalf("seq after applying = %d; want %d", got, benchRunLen)
		}
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.N*len(changes))/elapsed.Seconds(), "changes/s")
	b.ReportMetric(float64(benchFeed.bytes)/float64(len(changes)), "B/change")
}

// BenchmarkDemandsQuery queries 100k demands by status and a Chinese text
// substring, from the in-memory indexes. It also reports the Go heap the
// reopened store holds with 100k demands (HeapAlloc after a GC, minus what the
// process held before opening it) and the process's peak RSS (which includes
// making the feed and applying it).
func BenchmarkDemandsQuery(b *testing.B) {
	id, changes := benchRun(b)
	s := benchStore(b, id)
	applyAll(b, s, changes)
	// Reopen, so that the heap holds what a restarted app holds.
	dir := s.Dir()
	s.Close()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s, err := Open(dir, Options{Clock: func() time.Time { return time.Date(2020, 1, 26, 9, 0, 0, 0, time.UTC) }})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	runtime.GC()
	runtime.ReadMemStats(&after)
	q := DemandQuery{Status: relief.StatusCollected, Text: "洪山区第3"}
	want := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		got, err := s.Demands(q)
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			want = len(got)
			if want == 0 {
				b.Fatalf("Demands(%+v) = none; want some", q)
			}
		} else if len(got) != want {
			b.Fatalf("Demands(%+v) = %d; want %d", q, len(got), want)
		}
	}
	b.ReportMetric(float64(want), "matches")
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "store-heap-MiB")
	if rss, ok := peakRSS(); ok {
		b.ReportMetric(float64(rss)/(1<<20), "peakRSS-MiB")
	}
}

// peakRSS returns the process's peak resident set size (VmHWM) on Linux.
func peakRSS() (uint64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	var kb uint64
	for _, line := range strings.Split(string(b), "\n") {
		if _, err := fmt.Sscanf(line, "VmHWM: %d kB", &kb); err == nil {
			return kb << 10, true
		}
	}
	return 0, false
}
