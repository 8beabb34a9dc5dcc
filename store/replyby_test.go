package store

import (
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// replyBys returns the reply-by times DemandKeys gives, by demand id.
func replyBys(s *Store) map[string]time.Time {
	out := map[string]time.Time{}
	for _, k := range s.DemandKeys(DemandQuery{}) {
		if !k.ReplyBy.IsZero() {
			out[k.ID] = k.ReplyBy
		}
	}
	return out
}

// TestReplyBys checks the reply-by times the in-memory rows give (DemandKeys) against
// relief.ReplyBy of the demands folded from Badger with their history, for a
// demand at each step, under the default windows and after a coordinator
// changes them, and again after a restart (rows rebuilt from Badger).
func TestReplyBys(t *testing.T) {
	dir := t.TempDir()
	clk := newClock()
	s := openStore(t, dir, clk)
	if _, err := s.CreateNetwork("Flood", "甲"); err != nil {
		t.Fatal(err)
	}
	steps := map[string][]relief.Action{
		"collected": nil,
		"approved":  {relief.ActionApprove},
		"published": {relief.ActionApprove, relief.ActionPublish},
		"claimed":   {relief.ActionApprove, relief.ActionPublish, relief.ActionClaim},
		"released":  {relief.ActionApprove, relief.ActionPublish, relief.ActionClaim, relief.ActionRelease},
		"rejected":  {relief.ActionReject},
	}
	ids := map[string]string{}
	for name, actions := range steps {
		d, err := s.RecordDemand(sampleDemand(name))
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = d.ID
		for _, a := range actions {
			clk.advance(17 * time.Minute)
			transition(t, s, d.ID, a)
		}
	}
	check := func(when string, wantWaiting int) {
		t.Helper()
		full, err := s.FullDemands()
		if err != nil {
			t.Fatal(err)
		}
		got := replyBys(s)
		want := map[string]time.Time{}
		for _, d := range full {
			if due, _, ok := relief.ReplyBy(d, s.Deadlines()); ok {
				want[d.ID] = due
			}
		}
		if len(want) != wantWaiting {
			t.Fatalf("%s: %d demands wait; want %d (test setup)", when, len(want), wantWaiting)
		}
		if len(got) != len(want) {
			t.Errorf("%s: DemandKeys has %d entries; want %d", when, len(got), len(want))
		}
		for id, w := range want {
			if g, ok := got[id]; !ok || !g.Equal(w) {
				t.Errorf("%s: replyBys[%s] = %v, %v; want %v", when, id, g, ok, w)
			}
		}
	}
	check("defaults", 4) // collected, approved, published, released; not claimed nor rejected
	before := replyBys(s)[ids["collected"]]
	n, _ := s.Network()
	op, err := relief.SetDeadlines(n.ID, relief.Deadlines{Review: 30 * time.Minute, Claim: 10 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyLocal([]ledger.Op{op}); err != nil {
		t.Fatal(err)
	}
	check("windows changed", 4)
	if got, want := replyBys(s)[ids["collected"]], before.Add(-90*time.Minute); !got.Equal(want) {
		t.Errorf("collected demand's reply-by after review went from 2 h to 30 min: %v; want %v", got, want)
	}
	s.Close()
	s = openStore(t, dir, clk)
	check("after restart", 4)
}
