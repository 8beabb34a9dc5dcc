// Command rmseal measures what sealing restricted values costs (issue 15):
// sealing and opening one change's values, and the ingest and the catch-up
// over loopback libp2p of N demand changes with their contacts plain
// against the same with their contacts sealed and granted to -recipients
// members, as the desk writes them. Every figure is CPU per change
// (getrusage, user + system), the one that barely moves with the load of a
// shared machine; the plain and sealed runs alternate, round after round,
// in one sitting, and the load average is printed with them.
//
//	go run ./cmd/rmseal -n 20000 -rounds 3
package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/reliefmesh/reliefmesh/bench"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/seal"
)

func cpu() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func load() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

func main() {
	n := flag.Int("n", 20_000, "demand changes in each feed")
	rounds := flag.Int("rounds", 3, "rounds of plain and sealed runs, alternating")
	recipients := flag.Int("recipients", 3, "members each content key is wrapped to")
	micro := flag.Int("micro", 2000, "changes sealed and opened for the per-change figures")
	work := flag.String("work", "", "`dir`ectory for feeds and stores (default: a new temporary one)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("rmseal: ")
	dir := *work
	if dir == "" {
		d, err := os.MkdirTemp("", "rmseal-*")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(d)
		dir = d
	}
	fmt.Printf("load at start: %s\n", load())
	sealCPU, openCPU, cachedCPU := microCosts(*micro, *recipients)
	fmt.Printf("seal one change (contacts sealed, key wrapped to %d): %.0f µs CPU; open it (unwrap + open): %.0f µs CPU; open it again, key kept: %.1f µs CPU\n", *recipients, sealCPU, openCPU, cachedCPU)

	plain, err := bench.WriteFeed(filepath.Join(dir, "plain.bin"), *n, false)
	if err != nil {
		log.Fatal(err)
	}
	sealed, err := bench.WriteSealedFeed(filepath.Join(dir, "sealed.bin"), *n, *recipients)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("feed bytes per change: plain %.0f, sealed %.0f\n", float64(plain.Bytes)/float64(*n), float64(sealed.Bytes)/float64(*n))
	fmt.Println("| round | feed | ingest CPU µs/change | ingest changes/s (wall) | catch-up CPU µs/change (both nodes) | catch-up changes/s (wall) | wire B/change | load |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	for r := range *rounds {
		feeds := []*bench.Feed{plain, sealed}
		if r%2 == 1 {
			feeds = []*bench.Feed{sealed, plain}
		}
		for _, f := range feeds {
			name := "plain"
			if f.Sealed > 0 {
				name = "sealed"
			}
			in, err := bench.MeasureIngest(dir, f, true)
			if err != nil {
				log.Fatalf("ingest %s: %v", name, err)
			}
			cu, err := bench.MeasureCatchUp(context.Background(), dir, f, 10*time.Minute)
			if err != nil || !cu.Converged {
				log.Fatalf("catch-up %s: %v %s", name, err, cu.Note)
			}
			fmt.Printf("| %d | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %s |\n", r+1, name, in.Cost.CPUMicrosPerChange, in.PerSec,
				cu.Cost.CPUMicrosPerChange, cu.PerSec, float64(cu.WireBytes)/float64(cu.N), load())
		}
	}
}

// microCosts returns the CPU microseconds of sealing one demand change's
// contacts and granting its key to recipients members, of opening it as one
// of them, and of opening it again with the content key kept.
func microCosts(m, recipients int) (sealUS, openUS, cachedUS float64) {
	ids := make([]seal.Identity, recipients)
	to := map[ledger.DeviceID]seal.PublicKey{}
	var self ledger.DeviceID
	for i := range ids {
		d, _, err := ledger.GenerateKey(rand.Reader)
		if err != nil {
			log.Fatal(err)
		}
		if ids[i], err = seal.NewIdentity(rand.Reader); err != nil {
			log.Fatal(err)
		}
		to[d] = ids[i].Public()
		if i == 0 {
			self = d
		}
	}
	type made struct{ set, grant ledger.Op }
	ops := make([]ledger.Op, m)
	for i := range ops {
		op, err := relief.SetFields(relief.KindDemand, fmt.Sprintf("d%06d", i), map[string]any{
			relief.FieldTitle:    "口罩",
			relief.FieldContacts: []relief.Contact{{Name: "王医生", Phone: fmt.Sprintf("+86138%08d", i), Role: "采购科"}},
		})
		if err != nil {
			log.Fatal(err)
		}
		ops[i] = op
	}
	out := make([]made, m)
	c0 := cpu()
	for i, op := range ops {
		k, err := seal.NewKey(rand.Reader)
		if err != nil {
			log.Fatal(err)
		}
		s, _, err := relief.SealSet(op, k, rand.Reader)
		if err != nil {
			log.Fatal(err)
		}
		g, err := relief.GrantKey(s.Kind, s.ID, k, to, rand.Reader)
		if err != nil {
			log.Fatal(err)
		}
		out[i] = made{s, g}
	}
	sealUS = float64((cpu() - c0).Microseconds()) / float64(m)
	recs := make([]*relief.Record, m)
	for i, x := range out {
		rec := &relief.Record{}
		for j, op := range []ledger.Op{x.set, x.grant} {
			meta := relief.Meta{Stamp: ledger.Stamp{Wall: int64(i + 1)}, Device: self, Seq: uint64(i + 1), Index: j}
			if err := relief.ApplyOp(rec, meta, op); err != nil {
				log.Fatal(err)
			}
		}
		recs[i] = rec
	}
	o := relief.Opener{Self: self, ID: ids[0]}
	c0 = cpu()
	for _, rec := range recs {
		if opened, closed := o.Open(rec); len(opened) != 1 || len(closed) != 0 {
			log.Fatalf("open %s: %d opened, %v closed; want the contacts", rec.ID, len(opened), closed)
		}
	}
	openUS = float64((cpu() - c0).Microseconds()) / float64(m)
	// again with the keys kept (the store's Opener): what a second look at
	// a record (a page, the map, a bulletin) costs
	cache := mapCache{}
	o.Keys = cache
	for _, rec := range recs {
		o.Open(rec)
	}
	c0 = cpu()
	for _, rec := range recs {
		if opened, _ := o.Open(rec); len(opened) != 1 {
			log.Fatalf("open %s from the kept key: %d opened", rec.ID, len(opened))
		}
	}
	cachedUS = float64((cpu() - c0).Nanoseconds()) / 1e3 / float64(m)
	return sealUS, openUS, cachedUS
}

// mapCache is a relief.KeyCache without a bound (one goroutine here).
type mapCache map[seal.KeyID]seal.Key

func (c mapCache) Get(id seal.KeyID) (seal.Key, bool) { k, ok := c[id]; return k, ok }
func (c mapCache) Add(id seal.KeyID, k seal.Key)      { c[id] = k }
