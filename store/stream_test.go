package store

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/relief"
)

// sameStream checks that the demand stream of lean gives, for every demand
// and for each status alone, the demands full lists (Store.Demands: list
// views, in the list's order), chunk size drawn, with full's counts.
func sameStream(rt *rapid.T, lean, full *Store, when string) {
	chunk := rapid.IntRange(1, 7).Draw(rt, "streamChunk")
	counts := full.DemandCounts()
	filters := [][]relief.Status{nil}
	for _, s := range slices.Sorted(maps.Keys(counts)) {
		filters = append(filters, []relief.Status{s})
	}
	for _, f := range filters {
		var q DemandQuery
		if f != nil {
			q.Status = f[0]
		}
		want, err := full.Demands(q)
		if err != nil {
			rt.Fatalf("%s: Demands(%v) = %v", when, f, err)
		}
		ds, err := lean.OpenDemandStream(f)
		if err != nil {
			rt.Fatalf("%s: OpenDemandStream(%v) = %v", when, f, err)
		}
		var got []relief.Demand
		err = ds.Each(chunk, func(c []relief.Demand) error {
			if len(c) > chunk {
				return fmt.Errorf("a chunk of %d; want at most %d", len(c), chunk)
			}
			got = append(got, c...)
			return nil
		})
		ds.Close()
		if err != nil {
			rt.Fatalf("%s: stream of %v: %v", when, f, err)
		}
		if ds.Len() != len(want) || jsonOf(rt, got) != jsonOf(rt, want) {
			rt.Fatalf("%s: the lean store streams %d demands of %v (Len %d)\n%s\nthe full store lists %d\n%s", when, len(got), f, ds.Len(), jsonOf(rt, got), len(want), jsonOf(rt, want))
		}
		if g, w := jsonOf(rt, ds.Counts), jsonOf(rt, counts); g != w {
			rt.Fatalf("%s: the stream counts %s; the full store %s", when, g, w)
		}
	}
}

// TestDemandStreamLetsIngestGoOn: while a lean store's demand stream is
// open and being read, demands recorded meanwhile are applied at once (the
// stream holds a Badger snapshot, not the store's lock), and the stream
// still gives the demands of its snapshot.
func TestDemandStreamLetsIngestGoOn(t *testing.T) {
	st, err := Open(t.TempDir(), Options{Lean: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.CreateNetwork("Flood", "甲"); err != nil {
		t.Fatal(err)
	}
	const before = 40
	for i := range before {
		if _, err := st.RecordDemand(relief.Demand{Title: fmt.Sprintf("医院 %d", i), Category: "medical_supplies"}); err != nil {
			t.Fatal(err)
		}
	}
	ds, err := st.OpenDemandStream(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	seen, during := 0, 0
	err = ds.Each(8, func(c []relief.Demand) error {
		seen += len(c)
		done := make(chan error, 1)
		go func() {
			_, err := st.RecordDemand(relief.Demand{Title: "途中的需求", Category: "medical_supplies"})
			done <- err
		}()
		select {
		case err := <-done:
			if err != nil {
				return err
			}
			during++
		case <-time.After(20 * time.Second):
			return fmt.Errorf("a demand recorded while the stream is read did not commit in 20 s: the stream blocks the apply path")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != before || ds.Len() != before {
		t.Errorf("the stream gave %d demands (Len %d); want its snapshot's %d", seen, ds.Len(), before)
	}
	if got := st.DemandCounts()[relief.StatusCollected]; got != before+during || during != before/8 {
		t.Errorf("after the stream the store counts %d collected demands, %d recorded during it; want %d and %d", got, during, before+before/8, before/8)
	}
}
