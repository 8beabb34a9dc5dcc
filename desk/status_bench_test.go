package desk

import (
	"os"
	"strconv"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// statusBenchDir returns a data dir holding a network with many demands and
// saved counts: RELIEFMESH_STATUS_DIR when set (a copy of a fixture made by
// bench/cmd/rmseed, e.g. 100,000 demands; it must have been opened whole
// once, as `reliefmesh-hub status` does, for the counts to be saved), else
// 20,000 demands recorded here.
func statusBenchDir(b *testing.B) string {
	if dir := os.Getenv("RELIEFMESH_STATUS_DIR"); dir != "" {
		return dir
	}
	dir := b.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	d := New(st)
	if _, err := d.CreateNetwork("Bench", "甲"); err != nil {
		b.Fatal(err)
	}
	need := 100.0
	const n, batch = 20_000, 200
	for i := 0; i < n; i += batch {
		ops := make([]ledger.Op, 0, batch)
		for j := i; j < i+batch; j++ {
			op, err := relief.SetFields(relief.KindDemand, store.NewID(), map[string]any{
				relief.FieldTitle: "需求 " + strconv.Itoa(j), relief.FieldCategory: "protective_equipment",
				relief.FieldItems: []relief.Item{{Name: "N95", Needed: &need}}, relief.FieldUrgency: relief.UrgencyNormal,
			})
			if err != nil {
				b.Fatal(err)
			}
			ops = append(ops, op)
		}
		if _, err := d.apply(ops); err != nil {
			b.Fatal(err)
		}
	}
	if err := d.SaveStatus(); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkStatusOpen measures what `reliefmesh-hub status` costs on a store
// nobody serves: opening it, reading the status and closing it, with the
// saved counts (store opened without its demand list) and whole (every
// demand folded into the list). Allocated bytes per op are reported.
func BenchmarkStatusOpen(b *testing.B) {
	dir := statusBenchDir(b)
	for _, bc := range []struct {
		name string
		skip bool
	}{{"saved", true}, {"whole", false}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				st, err := store.Open(dir, store.Options{SkipDemandList: bc.skip})
				if err != nil {
					b.Fatal(err)
				}
				d := New(st)
				var s Status
				if bc.skip {
					var ok bool
					if s, ok = d.SavedStatus(); !ok {
						b.Fatal("no saved counts for this store")
					}
				} else {
					s = d.Status()
				}
				if s.Demands == 0 {
					b.Fatal("status counts no demand")
				}
				st.Close()
			}
		})
	}
}
