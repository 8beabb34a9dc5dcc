package store

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
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

// TestLeanRosterChangeRefoldsOnlyItsDemands: a lean store moves its counts
// after a roster change by re-deriving only the demands of the members
// whose entries changed (its actor index): none for the endorsement of a
// member who wrote nothing; the one demand a reviewer approved, when the
// reviewer is promoted — with the counts a full store fed the same gives.
func TestLeanRosterChangeRefoldsOnlyItsDemands(t *testing.T) {
	tr := newTrio(t, t.TempDir)
	defer tr.close()
	founder := tr.stores[0]
	net, _ := founder.Network()
	var ids []string
	for i := range 10 {
		d, err := founder.RecordDemand(relief.Demand{Title: fmt.Sprintf("医院 %d", i), Category: "medical_supplies"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	lean, err := Open(t.TempDir(), Options{Lean: true, Clock: tr.clk.now})
	if err != nil {
		t.Fatal(err)
	}
	defer lean.Close()
	full, err := Open(t.TempDir(), Options{Clock: tr.clk.now})
	if err != nil {
		t.Fatal(err)
	}
	defer full.Close()
	feed := func(from *Store) { // from's own changes only
		t.Helper()
		for _, s := range []*Store{lean, full} {
			var out []*ledger.Change
			from.ChangesSince(s.VersionVector(), func(c *ledger.Change) error {
				if c.Device == from.Device() {
					out = append(out, c)
				}
				return nil
			})
			if _, err := s.ApplyRemote(out); err != nil {
				t.Fatalf("ApplyRemote = %v", err)
			}
		}
	}
	same := func(when string) {
		t.Helper()
		if g, w := fmt.Sprint(lean.DemandCounts()), fmt.Sprint(full.DemandCounts()); g != w {
			t.Fatalf("%s: the lean store counts %s; the full store %s", when, g, w)
		}
	}
	for _, s := range []*Store{lean, full} {
		if err := s.JoinNetwork(net.ID); err != nil {
			t.Fatal(err)
		}
	}
	feed(founder)
	same("after the founder's demands")
	base := lean.LeanRefolded()

	// a member who wrote nothing: no demand depends on the entry
	if err := founder.Endorse(newDeviceForTest(t), relief.RoleVolunteer, "新志愿者"); err != nil {
		t.Fatal(err)
	}
	feed(founder)
	same("after an endorsement")
	if got := lean.LeanRefolded() - base; got != 0 {
		t.Errorf("the endorsement of a member who wrote nothing re-derived %d demands; want 0", got)
	}

	// a reviewer whose approval arrives before its endorsement
	rv, err := Open(t.TempDir(), Options{InMemory: true, Clock: tr.clk.now})
	if err != nil {
		t.Fatal(err)
	}
	defer rv.Close()
	if err := founder.Endorse(rv.Device(), relief.RoleReviewer, "审核员"); err != nil {
		t.Fatal(err)
	}
	if err := rv.JoinNetwork(net.ID); err != nil {
		t.Fatal(err)
	}
	var out []*ledger.Change
	founder.ChangesSince(rv.VersionVector(), func(c *ledger.Change) error { out = append(out, c); return nil })
	if _, err := rv.ApplyRemote(out); err != nil {
		t.Fatal(err)
	}
	act(t, rv, ids[3], relief.ActionApprove, relief.Args{})
	feed(founder)
	feed(rv)
	same("after the reviewer's approval")
	base = lean.LeanRefolded()
	op, err := relief.Promote(rv.Device(), relief.RoleCoordinator)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := founder.ApplyLocal([]ledger.Op{op}); err != nil {
		t.Fatal(err)
	}
	feed(founder)
	same("after the reviewer's promotion")
	if got := lean.LeanRefolded() - base; got != 1 {
		t.Errorf("the reviewer's promotion re-derived %d demands; want the 1 it approved", got)
	}
}

// newDeviceForTest returns a new device id.
func newDeviceForTest(t *testing.T) ledger.DeviceID {
	id, _, err := ledger.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
