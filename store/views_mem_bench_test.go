package store

import (
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"
	"unsafe"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// BenchmarkIdleInboxAndPoints measures the live heap that two parts of the
// idle desktop keep for N demands (RELIEFMESH_BENCH_DEMANDS, default
// 300,000, the 300k fixture's): their inbox entries as an open from a views
// snapshot makes them (each demand's main entry decoded with strings of its
// own, a step among review, publish and claim, a third of them with a
// re-check entry derived from it; then compacted into blocks, as
// settleOpen does), and their awards in the points table (three each). It
// reports each part's live bytes per demand and MiB in all (after a GC;
// the demands' ids, which the rows hold, are not counted), and the bytes of
// one demand row (rowsFromSnapshot holds them in one block: N times that).
func BenchmarkIdleInboxAndPoints(b *testing.B) {
	n := benchDemands(b)
	live := liveHeap
	own := func(s string) string { return string([]byte(s)) }
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%026d", i)
	}
	steps := []string{relief.ReplyReview, relief.ReplyPublish, relief.ReplyClaim}
	statuses := []relief.Status{relief.StatusCollected, relief.StatusApproved, relief.StatusPublished}
	members := []ledger.DeviceID{{1}, {2}, {3}, {4}}
	rules := []relief.PointRule{relief.RuleDemandRecorded, relief.RuleReview, relief.RulePublish}
	t0 := time.Unix(1580000000, 0).UTC()
	var inbox, points int64
	for b.Loop() {
		base := live()
		v := newViews(slog.New(slog.DiscardHandler))
		x := v.inbox.write()
		for i, id := range ids {
			w := snapInbox{Key: own(entryKey(relief.KindDemand, id)), Kind: own(relief.KindDemand), ID: own(id),
				Code: fmt.Sprintf("D-%06d", i), What: own(steps[i%3]), Status: relief.Status(own(string(statuses[i%3]))),
				Since: t0.Add(time.Duration(i) * time.Second)}
			if i%3 == 2 {
				w.Recheck = w.Since.Add(time.Hour)
			}
			e := w.entry()
			if err := v.putEntry(x, &e); err != nil {
				b.Fatal(err)
			}
		}
		x.Commit()
		v.compact()
		mid := live()
		inbox = mid - base
		p := newPointsTable()
		for i, id := range ids {
			awards := make([]relief.Earned, len(rules))
			for k, r := range rules {
				awards[k] = relief.Earned{Member: members[(i+k)%len(members)],
					Award: relief.Award{Rule: r, Kind: relief.KindDemand, Entity: id, At: ledger.Stamp{Wall: int64(i)}, Points: r.Points()}}
			}
			p.set(relief.KindDemand, id, awards)
		}
		points = live() - mid
		runtime.KeepAlive(v)
		runtime.KeepAlive(p)
	}
	b.ReportMetric(float64(inbox)/float64(n), "inbox-B/demand")
	b.ReportMetric(float64(points)/float64(n), "points-B/demand")
	b.ReportMetric(float64(inbox)/(1<<20), "inbox-MiB")
	b.ReportMetric(float64(points)/(1<<20), "points-MiB")
	b.ReportMetric(float64(unsafe.Sizeof(demandRow{})), "row-B")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkIdleActors measures the live heap that the demand rows' actors
// (the members each fold depends on) keep for N demands
// (RELIEFMESH_BENCH_DEMANDS, default 300,000) in a demand table: each row's
// set, two or three of a network's 20 members, decoded into a slice of its
// own as a views snapshot's rows are, then the table built from the rows
// (fillTable, as an open does). It reports the table's live bytes per
// demand with those actors less the same table's with none (after a GC).
func BenchmarkIdleActors(b *testing.B) {
	n := benchDemands(b)
	live := liveHeap
	members := make([]ledger.DeviceID, 20)
	for i := range members {
		members[i][0] = byte(i + 1)
	}
	table := func(withActors bool) int64 {
		base := live()
		rows := make([]*demandRow, n)
		for i := range rows {
			rows[i] = newDemandRow(relief.Demand{ID: fmt.Sprintf("%026d", i), Status: relief.StatusCollected,
				CreatedAt: ledger.Stamp{Wall: int64(i)}})
			if withActors {
				a := []ledger.DeviceID{members[0], members[1+i%19]}
				if i%3 == 0 {
					a = append(a, members[(i/3)%19+1])
				}
				slices.SortFunc(a, ledger.DeviceID.Compare)
				rows[i].actors = slices.Compact(a)
			}
		}
		t := buildTable(rows)
		rows = nil
		got := live() - base
		runtime.KeepAlive(t)
		return got
	}
	var with, without int64
	for b.Loop() {
		without = table(false)
		with = table(true)
	}
	b.ReportMetric(float64(with-without)/float64(n), "actors-B/demand")
	b.ReportMetric(float64(with-without)/(1<<20), "actors-MiB")
	b.ReportMetric(0, "ns/op")
}

// benchDemands is RELIEFMESH_BENCH_DEMANDS, or 300,000 (the 300k
// fixture's demands) when it is not set.
func benchDemands(b *testing.B) int {
	n := 300000
	if s := os.Getenv("RELIEFMESH_BENCH_DEMANDS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	return n
}

// liveHeap is the heap's live bytes after a collection.
func liveHeap() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}
