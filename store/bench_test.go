package store

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"slices"
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

// benchUrgencies are the urgencies of the benchmark demands, in turn.
var benchUrgencies = []relief.Urgency{relief.UrgencyHigh, relief.UrgencyNormal, relief.UrgencyCritical, relief.UrgencyNormal, relief.UrgencyLow}

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
		relief.FieldUrgency:  benchUrgencies[i%len(benchUrgencies)],
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

// benchFounderKey is the key of the benchmark network's founder, fixed so
// that benchNetwork, which is bound to it, is fixed too; benchFounder is its id.
var (
	benchFounderKey = ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	benchFounder    = ledger.DeviceOf(benchFounderKey)
)

// benchNetwork is the network id of the benchmark feed; benchStore joins it.
// It is the network that relief.Genesis(benchFounder, …) founds.
var benchNetwork = relief.NetworkID(benchFounder, nil)

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
	seedBenchRoster(tb, s, author)
	return s
}

// seedBenchRoster applies, as a remote change, a coordinator's genesis and
// endorsement of author, so that the benchmark feed is admitted. It returns
// the coordinator's author, whose clock reads *at.
func seedBenchRoster(tb testing.TB, s *Store, author ledger.DeviceID) (coordinator *ledger.Author, at *time.Time) {
	tb.Helper()
	clk := time.Date(2020, 1, 26, 7, 0, 0, 0, time.UTC)
	cid, ckey := benchFounder, benchFounderKey
	ca, err := ledger.NewAuthor(ckey, benchNetwork, ledger.Head{}, ledger.NewHLC(func() time.Time { return clk }, 0))
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
	return ca, &clk
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

// benchQuery is a store of benchRunLen demands, applied once per process,
// closed and reopened (as a restarted app holds it), shared by the query
// benchmarks. TestMain removes its directory.
var benchQuery struct {
	once   sync.Once
	s      *Store
	dir    string
	heap   float64       // MiB of Go heap the reopened store holds
	open   time.Duration // Open of the 100k store, in this process
	failed string
	// coord is the coordinator's author (its clock reads *coordAt), who
	// approved the first approved demands of the feed.
	coord    *ledger.Author
	coordAt  *time.Time
	approved int
}

func benchQueryStore(b *testing.B) *Store {
	b.Helper()
	benchQuery.once.Do(func() {
		id, changes := benchRun(b)
		dir, err := os.MkdirTemp("", "reliefmesh-bench-query-*")
		if err != nil {
			benchQuery.failed = err.Error()
			return
		}
		benchQuery.dir = dir
		clk := time.Date(2020, 1, 26, 8, 0, 0, 0, time.UTC)
		opts := Options{Clock: func() time.Time { return clk }}
		s, err := Open(dir, opts)
		if err == nil {
			err = s.JoinNetwork(benchNetwork)
		}
		if err != nil {
			benchQuery.failed = err.Error()
			return
		}
		coord, at := seedBenchRoster(b, s, id)
		applyAll(b, s, changes)
		*at = time.Date(2020, 1, 26, 8, 3, 0, 0, time.UTC)
		benchQuery.coord, benchQuery.coordAt = coord, at
		// The coordinator approves 30% of the demands and publishes a third
		// of those: pipeline steps, statuses, waits and points to keep.
		var steps []*ledger.Change
		for i, c := range changes[:benchRunLen*3/10] {
			ops := []ledger.Op{must2(b)(relief.Transition(relief.KindDemand, c.Ops[0].ID, relief.ActionApprove, relief.Args{Note: "bench"}))}
			if i%3 == 0 {
				ops = append(ops, must2(b)(relief.Transition(relief.KindDemand, c.Ops[0].ID, relief.ActionPublish, relief.Args{})))
			}
			ch, err := coord.Next(ops)
			if err != nil {
				benchQuery.failed = err.Error()
				return
			}
			steps = append(steps, ch)
		}
		applyAll(b, s, steps)
		benchQuery.approved = len(steps)
		s.Close()
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		s, err = Open(dir, opts)
		if err != nil {
			benchQuery.failed = err.Error()
			return
		}
		benchQuery.open = time.Since(start)
		runtime.GC()
		runtime.ReadMemStats(&after)
		benchQuery.s = s
		benchQuery.heap = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / (1 << 20)
	})
	if benchQuery.failed != "" {
		b.Fatal(benchQuery.failed)
	}
	return benchQuery.s
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchQuery.s != nil {
		benchQuery.s.Close()
	}
	if benchQuery.dir != "" {
		os.RemoveAll(benchQuery.dir)
	}
	os.Exit(code)
}

// BenchmarkDemandsQuery asks Demands (the whole result, no page) for status
// collected and the Chinese substring 洪山区第3 on 100k demands. It also
// reports the Go heap the reopened store holds (HeapAlloc after a GC, minus
// before Open), how long Open took, the process's peak RSS (which includes
// making the feed and applying it) and, from a child process that only opens
// the store, its idle RSS and time to open.
func BenchmarkDemandsQuery(b *testing.B) {
	s := benchQueryStore(b)
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
	b.StopTimer()
	b.ReportMetric(float64(want), "matches")
	b.ReportMetric(benchQuery.heap, "store-heap-MiB")
	b.ReportMetric(benchQuery.open.Seconds(), "open-s")
	if rss, ok := peakRSS(); ok {
		b.ReportMetric(float64(rss)/(1<<20), "peakRSS-MiB")
	}
	s.Close() // the child opens the directory; Badger locks it
	defer func() { benchQuery.s, _ = Open(benchQuery.dir, Options{}) }()
	if rss, open, err := idleRSS(benchQuery.dir); err != nil {
		b.Errorf("idle RSS: %v", err)
	} else {
		b.ReportMetric(float64(rss)/(1<<20), "idleRSS-MiB")
		b.ReportMetric(open.Seconds(), "child-open-s")
	}
}

// idleRSS runs this test binary as a child that opens the store in dir, lets
// it settle and reports its resident set (VmRSS) and the time Open took.
func idleRSS(dir string) (rss uint64, open time.Duration, err error) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestIdleStoreChild$", "-test.v")
	cmd.Env = append(os.Environ(), "RELIEFMESH_IDLE_STORE="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, 0, fmt.Errorf("%v: %s", err, out)
	}
	var ms int64
	i := strings.Index(string(out), "idle-store ")
	if i < 0 {
		return 0, 0, fmt.Errorf("no report in %s", out)
	}
	if _, err := fmt.Sscanf(string(out[i:]), "idle-store rss=%d open-ms=%d", &rss, &ms); err != nil {
		return 0, 0, err
	}
	return rss, time.Duration(ms) * time.Millisecond, nil
}

// TestIdleStoreChild is the child of idleRSS; it does nothing unless
// RELIEFMESH_IDLE_STORE names a store.
func TestIdleStoreChild(t *testing.T) {
	dir := os.Getenv("RELIEFMESH_IDLE_STORE")
	if dir == "" {
		t.Skip("only run by BenchmarkDemandsQuery")
	}
	start := time.Now()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	open := time.Since(start)
	defer s.Close()
	if _, _, err := s.DemandsPage(DemandQuery{Limit: 50}); err != nil {
		t.Fatal(err)
	}
	for range 3 { // idle: what the GC gives back
		runtime.GC()
		debug.FreeOSMemory()
		time.Sleep(200 * time.Millisecond)
	}
	rss, _ := procStatus("VmRSS")
	t.Logf("idle-store rss=%d open-ms=%d", rss, open.Milliseconds())
}

// benchQueries runs each query of qs b.N times in turn, checks that each
// finds at least min matches in all, and reports the p50, p99 and max latency
// over all of them (logging each query's own with -v).
func benchQueries(b *testing.B, qs []DemandQuery, min int) {
	s := benchQueryStore(b)
	per := make([][]time.Duration, len(qs))
	var all []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, q := range qs {
			start := time.Now()
			page, total, err := s.DemandsPage(q)
			d := time.Since(start)
			if err != nil || total < min || (total > q.Offset && len(page) == 0) {
				b.Fatalf("DemandsPage(%+v) = %d rows, total %d, %v; want at least %d", q, len(page), total, err, min)
			}
			per[j] = append(per[j], d)
			all = append(all, d)
			if i == 0 {
				b.Logf("%+v: total %d", q, total)
			}
		}
	}
	b.StopTimer()
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	for j, q := range qs {
		b.Logf("%+v: p50 %.2f ms, p99 %.2f ms", q, ms(percentile(per[j], 50)), ms(percentile(per[j], 99)))
	}
	b.ReportMetric(ms(percentile(all, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(all, 99)), "p99-ms")
	b.ReportMetric(ms(percentile(all, 100)), "max-ms")
}

func percentile(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, (len(s)*p)/100)]
}

// BenchmarkDemandsFilter pages (50 rows, as the list asks) through 100k
// demands by status, district, category and owner.
func BenchmarkDemandsFilter(b *testing.B) {
	benchQueries(b, []DemandQuery{
		{Limit: 50},
		{Status: relief.StatusCollected, Limit: 50},
		{Status: relief.StatusCollected, Offset: 5000, Limit: 50},
		{District: "洪山区", Limit: 50},
		{Category: "food_water", Limit: 50},
		{District: "江岸区", Category: "transport", Status: relief.StatusCollected, Limit: 50},
		{Status: relief.StatusPublished, Limit: 50},
		{Owner: "nobody", Limit: 50},
	}, 0)
}

// BenchmarkDemandsSearch pages (50 rows) through the demands whose text
// holds a Chinese or Latin substring, among 100k, with and without filters.
func BenchmarkDemandsSearch(b *testing.B) {
	s := benchQueryStore(b)
	first, _, _ := s.DemandsPage(DemandQuery{Limit: 1})
	benchQueries(b, []DemandQuery{
		{Status: relief.StatusCollected, Text: "洪山区第3", Limit: 50}, // 1134 matches
		{Text: "协和", Limit: 50},                                    // none: a bigram no row holds
		{Text: "医用防护服", Limit: 50},                                 // all 100k
		{Text: "n95", Limit: 50},                                   // all, Latin
		{Text: "口罩", Limit: 50},                                    // all, one bigram
		{Text: "第5人民医院", Limit: 50},
		{Text: "解放大道123号", Limit: 50},
		{Text: "汉", Limit: 50}, // one character: a scan
		{Text: strings.ToLower(first[0].Code), Limit: 50},
		{District: "江汉区", Text: "江汉区第12人民医院", Limit: 50},
	}, 0)
}

// peakRSS returns the process's peak resident set size (VmHWM) on Linux.
func peakRSS() (uint64, bool) { return procStatus("VmHWM") }

// procStatus returns a size field of /proc/self/status, in bytes.
func procStatus(field string) (uint64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	var kb uint64
	for _, line := range strings.Split(string(b), "\n") {
		if _, err := fmt.Sscanf(line, field+": %d kB", &kb); err == nil {
			return kb << 10, true
		}
	}
	return 0, false
}

// benchNow is the time the overdue queries ask about: about half of the
// demands still waiting for review are overdue then (2 h after creation).
var benchNow = time.Date(2020, 1, 26, 10, 0, 50, 0, time.UTC)

// BenchmarkDemandsSort pages (50 rows) through 100k demands by urgency,
// code, overdue at a given time, and sorted by urgency or reply-by, each
// alone and with other filters: what the list screen asks (app/ filters
// nothing any more).
func BenchmarkDemandsSort(b *testing.B) {
	s := benchQueryStore(b)
	first, _, _ := s.DemandsPage(DemandQuery{Limit: 1})
	benchQueries(b, []DemandQuery{
		{Sort: SortUrgency, Limit: 50},
		{Sort: SortUrgency, Offset: 60000, Limit: 50},
		{Sort: SortReplyBy, Limit: 50},
		{Sort: SortReplyBy, Offset: 60000, Limit: 50},
		{Urgency: relief.UrgencyCritical, Limit: 50},
		{Overdue: true, Now: benchNow, Limit: 50},
		{Overdue: true, Now: benchNow, Sort: SortReplyBy, Limit: 50},
		{Overdue: true, Now: benchNow, Sort: SortUrgency, District: "洪山区", Limit: 50},
		{Status: relief.StatusPublished, Sort: SortReplyBy, Limit: 50},
		{Urgency: relief.UrgencyHigh, Status: relief.StatusApproved, Sort: SortUrgency, Limit: 50},
		{Text: "第5人民医院", Sort: SortReplyBy, Limit: 50},
		{Code: first[0].Code, Limit: 50},
	}, 0)
}

// BenchmarkDemandsSortInApp is the way app/demands.go filterAndSort answered
// the same sorts before the table did: every match's key (DemandKeys), then
// filter and sort them in the app. For comparison with BenchmarkDemandsSort.
func BenchmarkDemandsSortInApp(b *testing.B) {
	s := benchQueryStore(b)
	rank := map[relief.Urgency]int{relief.UrgencyCritical: 0, relief.UrgencyHigh: 1, relief.UrgencyNormal: 2, relief.UrgencyLow: 3}
	var all []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, sort := range []DemandSort{SortUrgency, SortReplyBy} {
			start := time.Now()
			keys := s.DemandKeys(DemandQuery{})
			switch sort {
			case SortUrgency:
				slices.SortStableFunc(keys, func(a, b DemandKey) int { return rank[a.Urgency] - rank[b.Urgency] })
			case SortReplyBy:
				slices.SortStableFunc(keys, func(a, b DemandKey) int {
					if a.ReplyBy.IsZero() != b.ReplyBy.IsZero() {
						if a.ReplyBy.IsZero() {
							return 1
						}
						return -1
					}
					return a.ReplyBy.Compare(b.ReplyBy)
				})
			}
			ids := make([]string, 50)
			for j := range ids {
				ids[j] = keys[j].ID
			}
			if len(s.DemandsByID(ids)) != 50 {
				b.Fatal("DemandsByID: want 50")
			}
			all = append(all, time.Since(start))
		}
	}
	b.StopTimer()
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(percentile(all, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(all, 99)), "p99-ms")
}

// BenchmarkLeaderboard asks the leaderboard of the 100k store (30k reviews,
// 10k publications: about 100k awards), with every member's history, and
// reports its p50 and p99.
func BenchmarkLeaderboard(b *testing.B) {
	s := benchQueryStore(b)
	benchLatency(b, func() int {
		lb, err := s.Leaderboard()
		if err != nil || len(lb.Standings) == 0 {
			b.Fatalf("Leaderboard() = %d standings, %v; want some", len(lb.Standings), err)
		}
		return len(lb.Standings[0].History)
	}, "awards")
}

// BenchmarkStandings asks the ranks and totals without histories.
func BenchmarkStandings(b *testing.B) {
	s := benchQueryStore(b)
	benchLatency(b, func() int { return len(s.Standings()) }, "members")
}

// BenchmarkDemandCounts asks the number of demands per status.
func BenchmarkDemandCounts(b *testing.B) {
	s := benchQueryStore(b)
	benchLatency(b, func() int { return len(s.DemandCounts()) }, "statuses")
}

// benchLatency runs f b.N times and reports its p50 and p99 latency and what
// f returned, as unit.
func benchLatency(b *testing.B, f func() int, unit string) {
	var ds []time.Duration
	n := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		n = f()
		ds = append(ds, time.Since(start))
	}
	b.StopTimer()
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(percentile(ds, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(ds, 99)), "p99-ms")
	b.ReportMetric(float64(n), unit)
}

// BenchmarkCatchUp256 applies catch-up batches of 256 changes to the 100k
// store (ApplyRemote: verify, commit to Badger, then update every view: the
// demand list, its wait lists, counts and points), half of them pipeline
// steps on existing demands (approve, or publish) and half edits of their
// urgency, and reports the time per batch (p50, p99). It also times the view
// upkeep alone: folding the 256 records into rows and putting them in the
// table (view-ms).
func BenchmarkCatchUp256(b *testing.B) {
	s := benchQueryStore(b)
	_, changes := benchRun(b)
	coord := benchQuery.coord
	*benchQuery.coordAt = time.Date(2020, 1, 26, 8, 4, 0, 0, time.UTC)
	next := benchQuery.approved // the first demand not yet approved
	var applied, views []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		var batch []*ledger.Change
		var ids []string
		for j := range 256 {
			var op ledger.Op
			id := changes[next%benchRunLen].Ops[0].ID
			if j%2 == 0 {
				a := relief.ActionApprove
				if next >= benchRunLen {
					a = relief.ActionPublish
				}
				op = must2(b)(relief.Transition(relief.KindDemand, id, a, withEvidence(a, relief.Args{})))
				next++
			} else {
				id = changes[(next*7)%benchRunLen].Ops[0].ID
				op = must2(b)(relief.SetFields(relief.KindDemand, id, map[string]any{relief.FieldUrgency: benchUrgencies[(i+j)%len(benchUrgencies)]}))
			}
			ids = append(ids, id)
			c, err := coord.Next([]ledger.Op{op})
			if err != nil {
				b.Fatal(err)
			}
			batch = append(batch, c)
		}
		b.StartTimer()
		start := time.Now()
		res, err := s.ApplyRemote(batch)
		applied = append(applied, time.Since(start))
		if err != nil || res.Applied != len(batch) {
			b.Fatalf("ApplyRemote(256) = %+v, %v; want all applied", res, err)
		}
		b.StopTimer()
		// The view upkeep alone, on the same records: fold, then put.
		var recs []*relief.Record
		for _, id := range ids {
			rec, err := s.Record(relief.KindDemand, id)
			if err != nil {
				b.Fatal(err)
			}
			recs = append(recs, rec)
		}
		start = time.Now()
		s.mu.Lock()
		rows := make([]*demandRow, len(recs))
		for k, rec := range recs {
			rows[k], _ = newRecordRow(rec, s.roster, s.idx.dl)
		}
		s.idx.put(dedupRows(rows))
		s.mu.Unlock()
		views = append(views, time.Since(start))
		b.StartTimer()
	}
	b.StopTimer()
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(percentile(applied, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(applied, 99)), "p99-ms")
	b.ReportMetric(ms(percentile(views, 50)), "view-p50-ms")
	b.ReportMetric(ms(percentile(views, 99)), "view-p99-ms")
}

// dedupRows keeps the last row of each id (put takes distinct ids).
func dedupRows(rows []*demandRow) []*demandRow {
	seen := map[string]int{}
	var out []*demandRow
	for _, r := range rows {
		if i, ok := seen[r.id]; ok {
			out[i] = r
			continue
		}
		seen[r.id] = len(out)
		out = append(out, r)
	}
	return out
}

// BenchmarkRosterChange applies, to the 100k store, a coordinator's change
// that endorses a new member and one that promotes them: the roster changes
// twice, and only the records that concern that member are re-derived (none
// here; before, every demand was folded again under the store lock).
func BenchmarkRosterChange(b *testing.B) {
	s := benchQueryStore(b)
	coord := benchQuery.coord
	var ds []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		id, _, err := ledger.GenerateKey(rand.Reader)
		if err != nil {
			b.Fatal(err)
		}
		c1, err := coord.Next([]ledger.Op{must2(b)(relief.Endorse(id, relief.RoleVolunteer, "new"))})
		if err != nil {
			b.Fatal(err)
		}
		c2, err := coord.Next([]ledger.Op{must2(b)(relief.Promote(id, relief.RoleReviewer))})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		for _, c := range []*ledger.Change{c1, c2} {
			if res, err := s.ApplyRemote([]*ledger.Change{c}); err != nil || res.Applied != 1 {
				b.Fatalf("ApplyRemote(roster change) = %+v, %v; want applied", res, err)
			}
		}
		ds = append(ds, time.Since(start)/2)
	}
	b.StopTimer()
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(percentile(ds, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(ds, 99)), "p99-ms")
}

// BenchmarkPointsOf asks the standing and history of each member of the
// 100k store in turn (the coordinator has 80k awards, the demands' author
// 30k): a scan of every entity's packed awards.
func BenchmarkPointsOf(b *testing.B) {
	s := benchQueryStore(b)
	st := s.Standings()
	i := 0
	benchLatency(b, func() int {
		p, ok := s.PointsOf(st[i%len(st)].Member)
		i++
		if !ok {
			b.Fatal("PointsOf: none")
		}
		return len(p.History)
	}, "awards")
}

// BenchmarkRoundNothingToSend is the sending side of a catch-up round with a
// peer that already holds everything (most rounds of a settled network):
// EncodedChangesSince with the store's own version vector. The many-peer
// simulation (node/peersim) found such rounds reading ahead a hundred values
// per feed in Badger's prefetch goroutines.
func BenchmarkRoundNothingToSend(b *testing.B) {
	id, changes := benchRun(b)
	s := benchStore(b, id)
	applyAll(b, s, changes)
	vv := s.VersionVector()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		if err := s.EncodedChangesSince(vv, func(ledger.DeviceID, uint64, []byte) error { n++; return nil }); err != nil || n != 0 {
			b.Fatalf("EncodedChangesSince(own vector) sent %d, %v; want nothing", n, err)
		}
	}
}

// BenchmarkSendAll is the sending side of a catch-up to an empty peer:
// every change of the store, as stored.
func BenchmarkSendAll(b *testing.B) {
	id, changes := benchRun(b)
	s := benchStore(b, id)
	applyAll(b, s, changes)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		if err := s.EncodedChangesSince(ledger.VersionVector{}, func(ledger.DeviceID, uint64, []byte) error { n++; return nil }); err != nil || n < len(changes) {
			b.Fatalf("EncodedChangesSince(empty) sent %d, %v; want at least %d", n, err, len(changes))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(changes)), "ns/change")
}
