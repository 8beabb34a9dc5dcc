package store

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestInboxFromRowsAsStored checks the inbox a store makes from its demand
// rows (each demand's review, publish or claim entry and its re-check entry,
// not stored: views.go) against the model, a store that keeps every one of
// those entries stored in the inbox view as the code before session 14 did
// (views.storeSteps). Two stores act at random (demands, edits, reviews,
// publishes, claims, withdrawals, handovers, follow-ups, transfer requests
// and answers, re-checks, tasks, deadline changes, promotions, revocations
// whose cuts delete demands), deliver to each other in random subsets and
// batches, and let the clock run; after each step the checked store and the
// model are given the same changes (in other batches), and every inbox
// query of one answers as the other's: InboxOf (all and a limit), every
// page of InboxWindowOf for random filters and page sizes, its counts,
// OverdueAt, and the inbox entries a views snapshot would hold.
func TestInboxFromRowsAsStored(t *testing.T) {
	defer defaultChecks(30, 8)()
	rapid.Check(t, func(rt *rapid.T) {
		tr := newTrio(rt, t.TempDir)
		defer tr.close()
		model, got := tr.stores[1], tr.stores[2]
		model.views.storeSteps = true
		outsider, _, err := ledger.GenerateKey(nil)
		if err != nil {
			rt.Fatalf("GenerateKey = %v", err)
		}
		keys := []ledger.DeviceID{tr.stores[0].Device(), model.Device(), got.Device(), outsider}
		steps := rapid.IntRange(1, 40).Draw(rt, "steps")
		for range steps {
			tr.clk.advance(time.Duration(rapid.IntRange(0, 600).Draw(rt, "minutes")) * time.Minute)
			i := rapid.SampledFrom([]int{0, 2}).Draw(rt, "store")
			s := tr.stores[i]
			randomInboxChange(rt, tr, s, keys)
			if rapid.IntRange(0, 2).Draw(rt, "deliver") == 0 {
				deliverAny(rt, s, tr.stores[2-i])
			}
			if rapid.IntRange(0, 3).Draw(rt, "compact") == 0 {
				got.views.compact() // as the open does; later writes go on from it
			}
			// the checked store and the model get the union, in other batches
			for _, to := range []*Store{got, model} {
				for _, from := range tr.stores {
					if from == to {
						continue
					}
					var out []*ledger.Change
					from.ChangesSince(to.VersionVector(), func(c *ledger.Change) error { out = append(out, c); return nil })
					if _, err := to.ApplyRemote(out); err != nil {
						rt.Fatalf("ApplyRemote = %v", err)
					}
				}
			}
			if !got.VersionVector().Equal(model.VersionVector()) {
				rt.Fatalf("the checked store and the model hold different changes")
			}
			checkInboxAsStored(rt, got, model, keys, tr.clk.now())
		}
	})
}

// randomInboxChange makes one random local change of s: a demand, an edit, a step
// of a demand, a task, the deadlines, a promotion or a revocation.
func randomInboxChange(rt *rapid.T, tr *trio, s *Store, keys []ledger.DeviceID) {
	demands := ids(rt, relief.KindDemand, s)
	switch what := rapid.IntRange(0, 9).Draw(rt, "what"); {
	case what == 0 || len(demands) == 0:
		if _, err := s.RecordDemand(sampleDemand(fmt.Sprintf("demand %d", rapid.IntRange(0, 99).Draw(rt, "n")))); err != nil {
			var rej *ledger.RejectError
			if !errors.As(err, &rej) {
				rt.Fatalf("RecordDemand = %v", err)
			}
		}
	case what == 1: // an edit
		id := rapid.SampledFrom(demands).Draw(rt, "edited")
		tryOps(rt, s, must2(rt)(relief.SetFields(relief.KindDemand, id, map[string]any{
			relief.FieldTitle: fmt.Sprintf("edited %d", rapid.IntRange(0, 9).Draw(rt, "title"))})))
	case what == 2: // a demand taken through its steps to a claim (or as far as the member may)
		id := rapid.SampledFrom(demands).Draw(rt, "advanced")
		for _, a := range []relief.Action{relief.ActionApprove, relief.ActionPublish, relief.ActionClaim}[:rapid.IntRange(1, 3).Draw(rt, "far")] {
			tryOps(rt, s, must2(rt)(relief.Transition(relief.KindDemand, id, a, approval(tr, a))))
		}
	case what <= 5:
		id := rapid.SampledFrom(demands).Draw(rt, "demand")
		action := rapid.SampledFrom(append(demandActions, relief.ActionHandover,
			relief.ActionFollowUp, relief.ActionRequestTransfer, relief.ActionAcceptTransfer,
			relief.ActionDeclineTransfer, relief.ActionTakeOver, relief.ActionRecheck)).Draw(rt, "action")
		args := approval(tr, action)
		switch action {
		case relief.ActionHandover:
			args.To = rapid.SampledFrom(keys).Draw(rt, "to")
		case relief.ActionFollowUp:
			args.Note = "on it"
		case relief.ActionRequestTransfer:
			args.Note = "near"
			args.Until = tr.clk.now().Add(time.Duration(rapid.IntRange(1, 180).Draw(rt, "until")) * time.Minute).UnixMilli()
		case relief.ActionAcceptTransfer, relief.ActionDeclineTransfer:
			args.To, args.Note = rapid.SampledFrom(keys).Draw(rt, "requester"), "no"
		case relief.ActionRecheck:
			args.Outcome, args.Note = rapid.SampledFrom(relief.Outcomes).Draw(rt, "outcome"), "part"
		}
		tryOps(rt, s, must2(rt)(relief.Transition(relief.KindDemand, id, action, args)))
	case what == 6: // a task offered on a demand
		fields := map[string]any{relief.FieldDemand: rapid.SampledFrom(demands).Draw(rt, "taskdemand"), relief.FieldSkill: "driver",
			relief.FieldOfferedTo: rapid.SampledFrom(keys).Draw(rt, "offeredto")}
		tryOps(rt, s, must2(rt)(relief.SetFields(relief.KindTask, NewID(), fields)))
	case what == 7: // the reply-by windows
		n, _ := s.Network()
		dl := relief.Deadlines{Review: time.Duration(rapid.IntRange(1, 240).Draw(rt, "review")) * time.Minute,
			Publish: time.Duration(rapid.IntRange(1, 240).Draw(rt, "publish")) * time.Minute,
			Claim:   time.Duration(rapid.IntRange(1, 600).Draw(rt, "claim")) * time.Minute,
			Recheck: time.Duration(rapid.IntRange(1, 900).Draw(rt, "recheck")) * time.Minute}
		tryOps(rt, s, must2(rt)(relief.SetDeadlines(n.ID, dl)))
	case what == 8: // a promotion or demotion
		role := rapid.SampledFrom([]relief.Role{relief.RoleCoordinator, relief.RoleReviewer, relief.RoleVolunteer}).Draw(rt, "role")
		tryOps(rt, s, must2(rt)(relief.Promote(rapid.SampledFrom(keys[1:]).Draw(rt, "promoted"), role)))
	default: // rarely, a revocation: its cut deletes the demands only its member wrote
		if rapid.IntRange(0, 4).Draw(rt, "revoke") == 0 {
			k := rapid.SampledFrom(keys[1:3]).Draw(rt, "revoked")
			tryOps(rt, s, must2(rt)(relief.Revoke(k, s.VersionVector().Get(k), "test")))
		}
	}
}

// checkInboxAsStored compares every inbox query of got with the model's.
func checkInboxAsStored(rt *rapid.T, got, model *Store, keys []ledger.DeviceID, now time.Time) {
	rt.Helper()
	for _, at := range []time.Time{now, now.Add(time.Duration(rapid.IntRange(0, 48*60).Draw(rt, "later")) * time.Minute)} {
		for _, k := range keys {
			for _, limit := range []int{0, rapid.IntRange(1, 4).Draw(rt, "limit")} {
				a, aerr := got.InboxOf(k, at, limit)
				b, berr := model.InboxOf(k, at, limit)
				if aerr != nil || berr != nil || !reflect.DeepEqual(nonNil(a), nonNil(b)) {
					rt.Fatalf("InboxOf(%s, %v, %d) =\n%+v, %v;\nthe model's %+v, %v", k.Short(), at, limit, a, aerr, b, berr)
				}
			}
			q := InboxWindowQuery{Member: k, Now: at,
				What: rapid.SampledFrom([]string{"", relief.ReplyReview, relief.ReplyPublish, relief.ReplyClaim, relief.ReplyRecheck,
					relief.ReplyFollowUp, relief.ReplyTransfer, relief.ReplyAnswer, relief.ReplyDuplicate}).Draw(rt, "filter"),
				OverdueOnly: rapid.Bool().Draw(rt, "overdueonly"), Limit: rapid.IntRange(1, 5).Draw(rt, "pagesize")}
			for {
				a, aerr := got.InboxWindowOf(q)
				b, berr := model.InboxWindowOf(q)
				if aerr != nil || berr != nil || !reflect.DeepEqual(nonNil(a.Entries), nonNil(b.Entries)) || a.Total != b.Total ||
					a.All != b.All || a.Overdue != b.Overdue || !reflect.DeepEqual(a.Counts, b.Counts) {
					rt.Fatalf("InboxWindowOf(%+v) =\n%+v, %v;\nthe model's %+v, %v", q, a, aerr, b, berr)
				}
				if q.Offset += q.Limit; q.Offset >= a.Total {
					break
				}
			}
		}
		for _, limit := range []int{0, rapid.IntRange(1, 4).Draw(rt, "olimit")} {
			a, aerr := got.OverdueAt(at, limit)
			b, berr := model.OverdueAt(at, limit)
			if aerr != nil || berr != nil || !reflect.DeepEqual(nonNil(a), nonNil(b)) {
				rt.Fatalf("OverdueAt(%v, %d) =\n%+v, %v;\nthe model's %+v, %v", at, limit, a, aerr, b, berr)
			}
		}
	}
	a, b := snapshotEntries(got), snapshotEntries(model)
	if !reflect.DeepEqual(a, b) {
		rt.Fatalf("views snapshot's inbox entries =\n%+v;\nthe model's %+v", a, b)
	}
}

// snapshotEntries returns the inbox entries a views snapshot of s would
// hold, by demand id.
func snapshotEntries(s *Store) map[string]snapEntry {
	s.mu.Lock()
	finish := s.captureSnapshot()
	s.mu.Unlock()
	out := map[string]snapEntry{}
	for _, r := range finish() {
		out[r.View.ID] = *r.Entry
	}
	return out
}

// approval returns the arguments of action: for an approval, how the demand
// was verified (relief.ApproveNeeds refuses one without); none otherwise.
func approval(tr *trio, action relief.Action) relief.Args {
	if action != relief.ActionApprove {
		return relief.Args{}
	}
	return relief.Args{Evidence: &relief.Evidence{Kind: relief.EvidenceCallback, At: tr.clk.now().UnixMilli()}}
}

// TestInboxFromRowsAfterSnapshotOpen checks that a store opened from its
// views snapshot answers every inbox query as before its close: the rows a
// snapshot holds have only their resident fields, so the re-check and
// follow-up times the inbox makes entries from come from the snapshot's
// inbox entries (setDemandEntries). Failed before that: after the open, a
// followed-up demand had no follow-up entry and a re-check waited since
// the demand's creation instead of its approval.
func TestInboxFromRowsAfterSnapshotOpen(t *testing.T) {
	defer defaultChecks(20, 6)()
	defer lowSnapshotMin()()
	rapid.Check(t, func(rt *rapid.T) {
		tr := newTrio(rt, t.TempDir)
		defer tr.close()
		net, _ := tr.stores[0].Network()
		keys := []ledger.DeviceID{tr.stores[0].Device(), tr.stores[1].Device(), tr.stores[2].Device()}
		dir := t.TempDir()
		d, err := Open(dir, Options{Clock: tr.clk.now})
		if err != nil {
			rt.Fatalf("Open = %v", err)
		}
		if err := d.JoinNetwork(net.ID); err != nil {
			rt.Fatalf("JoinNetwork = %v", err)
		}
		for range rapid.IntRange(1, 40).Draw(rt, "steps") {
			tr.clk.advance(time.Duration(rapid.IntRange(0, 600).Draw(rt, "minutes")) * time.Minute)
			randomInboxChange(rt, tr, tr.stores[rapid.SampledFrom([]int{0, 2}).Draw(rt, "store")], keys)
			tr.exchange(rt)
		}
		feed(rt, tr, d)
		now := tr.clk.now().Add(time.Duration(rapid.IntRange(0, 48*60).Draw(rt, "later")) * time.Minute)
		answers := func(s *Store) string {
			var a []any
			for _, k := range keys {
				in, err := s.InboxOf(k, now, 0)
				w, werr := s.InboxWindowOf(InboxWindowQuery{Member: k, Now: now, Limit: 1000})
				if err != nil || werr != nil {
					rt.Fatalf("InboxOf = %v; InboxWindowOf = %v", err, werr)
				}
				a = append(a, in, w)
			}
			o, err := s.OverdueAt(now, 0)
			if err != nil {
				rt.Fatalf("OverdueAt = %v", err)
			}
			return jsonOf(rt, append(a, o, snapshotEntries(s)))
		}
		before := answers(d)
		d.Close()
		if d, err = Open(dir, Options{Clock: tr.clk.now}); err != nil {
			rt.Fatalf("Open = %v", err)
		}
		defer d.Close()
		if !d.snap.loaded {
			rt.Fatalf("the open did not load the snapshot written at close (%s)", d.snap.lastReason)
		}
		if got := answers(d); got != before {
			rt.Fatalf("after an open from the snapshot:\n%s\nwant (before the close)\n%s", got, before)
		}
	})
}
