package store

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestInboxListReadWhole moves demands from the review step to the publish
// step to the claim step (a coordinator approves, then publishes each) while
// another goroutine lists the inbox (inboxList) again and again, and checks
// that every listing shows each demand in exactly one of the three steps:
// the listing reads the demand table's steps in one state, never a demand
// before its move in one step and after it in the next. Run it with -race.
// Failed before the steps were read under one lock (inboxList read each of
// the five under a lock of its own): a demand approved between the reads of
// the review and the publish steps was shown in both. Whether a move falls
// between two reads is up to the scheduler, so on the old code it failed in
// most runs, not all; on the new code no order of events can make it fail.
func TestInboxListReadWhole(t *testing.T) {
	clk := newClock() // never advanced: the writer and the lister read it only
	s, err := Open(t.TempDir(), Options{InMemory: true, Clock: clk.now})
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	defer s.Close()
	if _, err := s.CreateNetwork("net", "coordinator"); err != nil {
		t.Fatalf("CreateNetwork = %v", err)
	}
	const n = 300
	var ids []string
	for i := range n {
		d, err := s.RecordDemand(sampleDemand(fmt.Sprintf("demand %d", i)))
		if err != nil {
			t.Fatalf("RecordDemand = %v", err)
		}
		ids = append(ids, d.ID)
	}
	steps := []string{relief.ReplyReview, relief.ReplyPublish, relief.ReplyClaim}
	// check returns a message naming the first demand not shown in exactly one
	// of steps, "" when each is.
	check := func() string {
		l, err := s.inboxList()
		if err != nil {
			return "inboxList: " + err.Error()
		}
		if l.rows == nil {
			return "the inbox list holds no rows (a storeSteps store?)"
		}
		in := map[string][]string{}
		for _, what := range steps {
			for _, r := range l.rows[what] {
				in[r.id] = append(in[r.id], what)
			}
		}
		for _, id := range ids {
			if len(in[id]) != 1 {
				return "demand " + id + " is shown in the steps " + fmtSteps(in[id]) + ", not in exactly one"
			}
		}
		return ""
	}
	if msg := check(); msg != "" {
		t.Fatalf("before any move: %s", msg)
	}

	done := make(chan struct{})
	var wg sync.WaitGroup
	var bad string
	var listings int
	wg.Add(1)
	go func() { // the lister
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			default:
			}
			listings++
			if msg := check(); msg != "" && bad == "" {
				bad = msg
			}
		}
	}()
	coord := &trio{clk: clk}
	for _, a := range []relief.Action{relief.ActionApprove, relief.ActionPublish} {
		for _, id := range ids {
			op, err := relief.Transition(relief.KindDemand, id, a, approval(coord, a))
			if err != nil {
				t.Fatalf("Transition(%s) = %v", a, err)
			}
			if _, err := s.ApplyLocal([]ledger.Op{op}); err != nil {
				t.Fatalf("ApplyLocal(%s %s) = %v", a, id, err)
			}
		}
	}
	close(done)
	wg.Wait()
	if bad != "" {
		t.Fatalf("while demands moved (%d listings): %s", listings, bad)
	}
	if msg := check(); msg != "" {
		t.Fatalf("after the moves: %s", msg)
	}
	l, _ := s.inboxList()
	if got := len(l.rows[relief.ReplyClaim]); got != n {
		t.Fatalf("after approving and publishing %d demands, %d wait for a claim", n, got)
	}
	t.Logf("%d listings while %d demands moved twice", listings, n)
}

func fmtSteps(s []string) string {
	if len(s) == 0 {
		return "(none)"
	}
	return strings.Join(s, ", ")
}
