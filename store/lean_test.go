package store

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestLeanStoreAnswersAsFull: a lean store (Options.Lean) fed the same random
// work as a full one keeps nothing of the demand list or the views resident,
// yet gives the same demand counts and count of offers (maintained as
// changes arrive, counted again after a roster change or a cut, saved at
// Close and taken at the next open); with UseViews it answers every list,
// inbox, overdue, points and duplicate query as the full store does, and
// once released it drops them again and goes on counting.
func TestLeanStoreAnswersAsFull(t *testing.T) {
	defer defaultChecks(20, 6)()
	rapid.Check(t, func(rt *rapid.T) {
		tr := newTrio(rt, t.TempDir)
		defer tr.close()
		net, _ := tr.stores[0].Network()
		keys := []ledger.DeviceID{tr.stores[0].Device(), tr.stores[1].Device(), tr.stores[2].Device()}
		open := func(dir string, opts Options) *Store {
			opts.Clock = tr.clk.now
			s, err := Open(dir, opts)
			if err != nil {
				rt.Fatalf("Open = %v", err)
			}
			return s
		}
		full, leanDir := open(t.TempDir(), Options{}), t.TempDir()
		defer full.Close()
		lean := open(leanDir, Options{Lean: true})
		defer func() { lean.Close() }()
		for _, s := range []*Store{full, lean} {
			if err := s.JoinNetwork(net.ID); err != nil {
				rt.Fatalf("JoinNetwork = %v", err)
			}
		}
		sameCounts := func(when string) {
			if got, want := jsonOf(rt, lean.DemandCounts()), jsonOf(rt, full.DemandCounts()); got != want {
				rt.Fatalf("%s: lean store's demand counts %s; want %s", when, got, want)
			}
			if got, want := lean.OfferCount(), full.OfferCount(); got != want {
				rt.Fatalf("%s: lean store's offers %d; want %d", when, got, want)
			}
		}
		notResident := func(when string) {
			if lean.ViewsResident() {
				rt.Fatalf("%s: the lean store's views are resident", when)
			}
			if c := lean.DemandCountsResident(); len(c) != 0 {
				rt.Fatalf("%s: the lean store holds a demand list (%v)", when, c)
			}
			if p, err := lean.OffersQuery(OfferQuery{}); err != nil || p.Total != 0 {
				rt.Fatalf("%s: the lean store holds an offer view (%d rows, %v)", when, p.Total, err)
			}
		}
		// counts that no longer hold are counted again at once, or at the
		// next DemandCounts as in a large store
		if rapid.Bool().Draw(rt, "countLater") {
			defer func(n int) { leanRecountNow = n }(leanRecountNow)
			leanRecountNow = 0
		}
		rounds := rapid.IntRange(1, 3).Draw(rt, "rounds")
		for round := range rounds {
			randomWork(rt, tr, rapid.IntRange(1, 30).Draw(rt, "steps"), "w")
			if rapid.Bool().Draw(rt, "offer") {
				// refused when the author was revoked: part of the property
				tr.stores[rapid.IntRange(0, 2).Draw(rt, "offerer")].RecordOffer(relief.Offer{Supplier: "如家酒店", Region: "武昌区"})
			}
			feedBoth(rt, tr, full, lean)
			notResident("after ingest")
			sameCounts("after ingest")
			sameStream(rt, lean, full, "after ingest")
			notResident("after a stream")
			now := tr.clk.now()
			want := snapAnswers(rt, full, keys, now)
			release, err := lean.UseViews()
			if err != nil {
				rt.Fatalf("UseViews = %v", err)
			}
			if !lean.ViewsResident() {
				rt.Fatalf("UseViews: views not resident")
			}
			if got := snapAnswers(rt, lean, keys, now); got != want {
				rt.Fatalf("round %d, lean store with its views:\n%s\nwant (full store)\n%s", round, got, want)
			}
			release()
			release() // twice is harmless
			notResident("after release")
			sameCounts("after release")
		}
		lean.Close()
		lean = open(leanDir, Options{Lean: true})
		if !lean.lean.ok {
			rt.Fatalf("reopened lean store did not take the counts saved at its close")
		}
		notResident("after reopen")
		sameCounts("after reopen")
	})
}

// feedBoth sends a and b every change the trio's stores hold that a lacks,
// in the same random batches (what a cut undoes depends on them).
func feedBoth(rt *rapid.T, tr *trio, a, b *Store) {
	for _, from := range tr.stores {
		var out []*ledger.Change
		from.ChangesSince(a.VersionVector(), func(c *ledger.Change) error { out = append(out, c); return nil })
		for len(out) > 0 {
			n := rapid.IntRange(1, len(out)).Draw(rt, "feedBatch")
			for _, s := range []*Store{a, b} {
				if _, err := s.ApplyRemote(out[:n]); err != nil {
					rt.Fatalf("ApplyRemote = %v", err)
				}
			}
			out = out[n:]
		}
	}
}
