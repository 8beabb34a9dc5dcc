// Command rmseed fills a data directory with a network and N demands shaped
// like the 2020 Wuhan sheets (bench.Demand), recorded by the directory's own
// device as its network's first coordinator, so that the desktop app opened on
// that directory (RELIEFMESH_DATA=DIR) shows N demands at once. It is how the
// list measurement in frontend/e2e/measure-list.mjs loads 100,000 demands.
//
//	go run ./cmd/rmseed -dir /tmp/rm-100k -n 100000
//
// The directory must not hold a network yet. Demands are written 200 to a
// signed change; the run prints how long it took.
package main

import (
	"flag"
	"fmt"
	"log"
	"time"

	"github.com/reliefmesh/reliefmesh/bench"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

func main() {
	dir := flag.String("dir", "", "data directory to fill (created if missing)")
	n := flag.Int("n", 100_000, "how many demands")
	name := flag.String("name", "列表测量", "incident name")
	flag.Parse()
	if *dir == "" {
		log.Fatal("rmseed: -dir is required")
	}
	start := time.Now()
	st, err := store.Open(*dir, store.Options{})
	if err != nil {
		log.Fatalf("rmseed: %v", err)
	}
	defer st.Close()
	if _, ok := st.Network(); ok {
		log.Fatalf("rmseed: %s already holds a network", *dir)
	}
	if _, err := st.CreateNetwork(*name, "协调员"); err != nil {
		log.Fatalf("rmseed: create network in %s: %v", *dir, err)
	}
	urgencies := []relief.Urgency{relief.UrgencyLow, relief.UrgencyNormal, relief.UrgencyHigh, relief.UrgencyCritical}
	const batch = 200
	for i := 0; i < *n; i += batch {
		ops := make([]ledger.Op, 0, batch)
		for j := i; j < min(*n, i+batch); j++ {
			d := bench.Demand(j)
			op, err := relief.SetFields(relief.KindDemand, store.NewID(), map[string]any{
				relief.FieldTitle: d.Title, relief.FieldDescription: d.Description, relief.FieldCategory: d.Category,
				relief.FieldDistrict: d.District, relief.FieldAddress: d.Address, relief.FieldRequesterOrg: d.RequesterOrg,
				relief.FieldItems: d.Items, relief.FieldUrgency: urgencies[j%len(urgencies)],
			})
			if err != nil {
				log.Fatalf("rmseed: demand %d: %v", j, err)
			}
			ops = append(ops, op)
		}
		if _, err := st.ApplyLocal(ops); err != nil {
			log.Fatalf("rmseed: record demands %d–%d: %v", i, i+len(ops)-1, err)
		}
	}
	fmt.Printf("rmseed: %d demands in %s in %v\n", *n, *dir, time.Since(start).Round(time.Millisecond))
}
