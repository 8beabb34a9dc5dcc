package app

import (
	"context"
	"fmt"
	"runtime/debug"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/store"
)

// BenchmarkBackgroundIncident measures what an incident syncing in the
// background costs in memory (BackgroundMemoryMiB): four small incidents
// (a network and 50 demands each) are set to sync in the background while
// a fifth is open; it reports the resident set (VmRSS), its anonymous part
// and the Go heap after a GC, per background incident, in MiB (the heap is
// the steadier figure: the Go runtime keeps freed memory for a while). Run with
// -benchtime=1x: one iteration is the whole measurement.
func BenchmarkBackgroundIncident(b *testing.B) {
	const n = 4
	b.Setenv(EnvListen, "/ip4/127.0.0.1/tcp/0")
	for i := 0; i < b.N; i++ {
		a := NewDesktop(b.TempDir(), store.Options{}, nil)
		ctx, cancel := context.WithCancel(context.Background())
		a.start(ctx, func(string) {}, func(string, any) {})
		var ids []string
		for k := 0; k <= n; k++ {
			if k > 0 {
				info, err := a.Network.AddIncident()
				if err != nil {
					b.Fatal(err)
				}
				ids = append(ids, info.Incident)
			}
			if _, err := a.Network.Create(fmt.Sprintf("incident %d", k), "甲"); err != nil {
				b.Fatal(err)
			}
			for d := 0; d < 50; d++ {
				if _, err := a.Demands.Record(benchDemand(d)); err != nil {
					b.Fatal(err)
				}
			}
		}
		// the last one added is open; the others (main and ids but the last) go to the background
		bg := append([]string{MainIncident}, ids[:n-1]...)
		time.Sleep(2 * time.Second)
		debug.FreeOSMemory() // what the stores opened and closed above left to the runtime goes back first
		rss0, _, heap0, anon0, _ := memParts(b)
		for _, id := range bg {
			if _, err := a.Network.SetBackgroundSync(id, true); err != nil {
				b.Fatal(err)
			}
		}
		time.Sleep(5 * time.Second) // the nodes settle: catch-up rounds, caches
		rss1, _, heap1, anon1, _ := memParts(b)
		v, err := a.Network.Incidents()
		if err != nil {
			b.Fatal(err)
		}
		syncing := 0
		for _, iv := range v.Incidents {
			if iv.Syncing {
				syncing++
			}
		}
		if syncing != len(bg) {
			b.Fatalf("%d incidents syncing in the background; want %d", syncing, len(bg))
		}
		per := float64(len(bg))
		b.ReportMetric((rss1-rss0)/per, "rss-MiB/incident")
		b.ReportMetric((anon1-anon0)/per, "anon-MiB/incident")
		b.ReportMetric((heap1-heap0)/per, "heap-MiB/incident")
		a.Shutdown(ctx)
		cancel()
	}
}
