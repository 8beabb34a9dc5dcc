package store

import (
	"fmt"
	"log/slog"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// BenchmarkViewsCompact measures views.compact (the copy into blocks the
// open makes once its views are built) on views the size of the 100k
// fixture's: 200,000 inbox entries, 50,000 tasks, 20,000 volunteers and
// 20,000 offers, put one by one. It reports the CPU milliseconds of one
// compaction (getrusage: the whole process) and the Go heap live before
// and after it.
func BenchmarkViewsCompact(b *testing.B) {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			b.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	live := func() float64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return float64(ms.HeapAlloc) / (1 << 20)
	}
	var took time.Duration
	var before, after float64
	for b.Loop() {
		b.StopTimer()
		v := newViews(slog.New(slog.DiscardHandler))
		x := v.write()
		t0 := time.Unix(1580000000, 0).UTC()
		var member ledger.DeviceID
		for i := range 200000 {
			id := fmt.Sprintf("d%025d", i)
			e := &inboxEntry{Key: entryKey(relief.KindDemand, id), Kind: relief.KindDemand, ID: id, Code: "D-" + id[20:],
				What: relief.ReplyReview, Status: relief.StatusCollected, Since: t0.Add(time.Duration(i) * time.Second)}
			if i%2 == 0 {
				e.Key, e.What = dupKey(id), relief.ReplyDuplicate
				e.setMore(func(m *entryMore) { m.Original = "D-00001" })
			}
			if i%5 == 0 {
				member[0] = byte(i % 20)
				e.What, e.To = relief.ReplyOwned, member
			}
			e.derive(v.dl)
			x.inbox.put(e)
		}
		for i := range 50000 {
			member[0] = byte(i % 20)
			r, e := newTaskRow(relief.Task{ID: fmt.Sprintf("t%025d", i), Demand: fmt.Sprintf("d%025d", i*2), OfferedTo: member,
				Status: relief.StatusOffered, CreatedAt: ledger.Stamp{Wall: t0.UnixMilli() + int64(i)}})
			x.tasks.put(r)
			e.derive(v.dl)
			x.inbox.put(e)
		}
		for i := range 20000 {
			x.vols.put(newVolunteerRow(relief.Volunteer{ID: fmt.Sprintf("v%025d", i), Name: fmt.Sprintf("志愿者%d", i),
				Region: "武昌区", Skills: []string{"driver", "nurse"}}))
			x.offers.put(newOfferRow(relief.Offer{ID: fmt.Sprintf("o%025d", i), Supplier: fmt.Sprintf("供应商%d", i),
				Region: "江汉区", Items: []relief.Item{{Name: "N95口罩"}}, CreatedAt: ledger.Stamp{Wall: int64(i)}}))
		}
		x.Commit()
		before = live()
		b.StartTimer()
		c0 := cpu()
		v.compact()
		took = cpu() - c0
		b.StopTimer()
		after = live()
		runtime.KeepAlive(v)
		b.StartTimer()
	}
	b.ReportMetric(float64(took.Microseconds())/1000, "compact-cpu-ms")
	b.ReportMetric(before, "live-before-MiB")
	b.ReportMetric(after, "live-after-MiB")
}
