package store

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// send hands to what from holds and to lacks, as a bundle carried on a stick
// would.
func send(t *testing.T, from, to *Store) {
	t.Helper()
	var out []*ledger.Change
	from.ChangesSince(to.VersionVector(), func(c *ledger.Change) error { out = append(out, c); return nil })
	if res, err := to.ApplyRemote(out); err != nil || len(res.Rejected) != 0 {
		t.Fatalf("ApplyRemote(%d changes) = %+v, %v; want all applied", len(out), res, err)
	}
}

func act(t *testing.T, s *Store, id string, a relief.Action, args relief.Args) ledger.Op {
	t.Helper()
	op, err := relief.Transition(relief.KindDemand, id, a, withEvidence(a, args))
	if err != nil {
		t.Fatalf("Transition(%s) = %v", a, err)
	}
	if _, err := s.ApplyLocal([]ledger.Op{op}); err != nil {
		t.Fatalf("ApplyLocal(%s) = %v", a, err)
	}
	return op
}

func received(qty float64) relief.Args {
	return relief.Args{Received: []relief.Receipt{{Item: "N95", Qty: qty}}}
}

// notices returns what of the member's inbox is conflicts and deliveries, as
// "what action" (the conflict's action, or "delivery").
func notices(t *testing.T, s *Store, member ledger.DeviceID, now time.Time) []string {
	t.Helper()
	ps, err := s.InboxOf(member, now, 0)
	if err != nil {
		t.Fatalf("InboxOf = %v", err)
	}
	var out []string
	for _, p := range ps {
		switch p.What {
		case relief.ReplyConflict:
			out = append(out, "conflict "+string(p.Notice.Conflict.Action))
		case relief.ReplyDelivery:
			out = append(out, "delivery")
		}
	}
	w, err := s.InboxWindowOf(InboxWindowQuery{Member: member, Now: now, Limit: 100})
	if err != nil || !reflect.DeepEqual(w.Entries, ps) || w.Counts[relief.ReplyConflict]+w.Counts[relief.ReplyDelivery] != len(out) {
		t.Errorf("InboxWindowOf(%s) = %+v, %v; want the entries of InboxOf %+v", member.Short(), w, err, ps)
	}
	// Notices of steps stamped in the same millisecond are ordered by their
	// refs, which are change hashes: compare them as a set.
	slices.Sort(out)
	return out
}

// TestDeliveriesAcrossStores is scenario 1 and 2 on three stores syncing as
// bundles would: the volunteer (store 2) owns a demand and records 300 N95
// received, then goes offline; the coordinator (store 0) hands the demand to
// the reviewer (store 1), who records 50. Offline, the volunteer records 20
// more and marks it fulfilled. After sync every store shows 350 received,
// the 20 pending in the new owner's and the coordinator's inboxes, and the
// refused steps in the volunteer's; the owner accepts, the volunteer
// acknowledges, and every store agrees again.
func TestDeliveriesAcrossStores(t *testing.T) {
	tr := newTrio(t, t.TempDir)
	defer tr.close()
	coord, rev, vol := tr.stores[0], tr.stores[1], tr.stores[2]
	spec := sampleDemand("急需 N95")
	spec.Items = []relief.Item{{Name: "N95", Unit: "个"}}
	d, err := coord.RecordDemand(spec)
	if err != nil {
		t.Fatal(err)
	}
	act(t, coord, d.ID, relief.ActionApprove, relief.Args{})
	act(t, coord, d.ID, relief.ActionPublish, relief.Args{})
	tr.exchange(t)
	tr.clk.advance(time.Minute)
	act(t, vol, d.ID, relief.ActionClaim, relief.Args{})
	tr.clk.advance(time.Minute)
	act(t, vol, d.ID, relief.ActionDeliver, received(300))
	send(t, vol, coord) // the coordinator has seen the claim and the 300
	tr.clk.advance(time.Minute)
	act(t, coord, d.ID, relief.ActionHandover, relief.Args{To: rev.Device()})
	send(t, coord, rev)
	tr.clk.advance(time.Minute)
	act(t, rev, d.ID, relief.ActionDeliver, received(50))
	tr.clk.advance(time.Minute)
	act(t, vol, d.ID, relief.ActionDeliver, received(20)) // offline: still thinks it owns it
	act(t, vol, d.ID, relief.ActionFulfil, relief.Args{})
	if got, _ := vol.Demand(d.ID); got.Status != relief.StatusFulfilled {
		t.Fatalf("offline volunteer: status %s; want fulfilled before it syncs", got.Status)
	}
	tr.exchange(t)
	tr.checkConverged(t)
	now := tr.clk.now()

	var pendingRef string
	for i, s := range tr.stores {
		got, err := s.Demand(d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Items[0].Received != 350 || got.Owner != rev.Device() || got.Status != relief.StatusInProgress {
			t.Errorf("store %d: received %v, owner %s, status %s; want 350, the reviewer, in_progress", i, got.Items[0].Received, got.Owner.Short(), got.Status)
		}
		if len(got.Deliveries) != 3 || got.Deliveries[2].State != relief.DeliveryPending || got.Deliveries[2].By != vol.Device() {
			t.Fatalf("store %d: deliveries %+v; want the volunteer's 20 pending", i, got.Deliveries)
		}
		pendingRef = got.Deliveries[2].Ref
		if want := []string{"conflict deliver", "conflict fulfil"}; !reflect.DeepEqual(notices(t, s, vol.Device(), now), want) {
			t.Errorf("store %d: volunteer's inbox = %v; want %v", i, notices(t, s, vol.Device(), now), want)
		}
		if want := []string{"delivery"}; !reflect.DeepEqual(notices(t, s, rev.Device(), now), want) {
			t.Errorf("store %d: owner's inbox = %v; want %v", i, notices(t, s, rev.Device(), now), want)
		}
		if want := []string{"conflict fulfil", "delivery"}; !reflect.DeepEqual(notices(t, s, coord.Device(), now), want) {
			t.Errorf("store %d: coordinator's inbox = %v; want %v", i, notices(t, s, coord.Device(), now), want)
		}
	}

	// The owner accepts; the volunteer acknowledges the refused fulfil.
	tr.clk.advance(time.Minute)
	act(t, rev, d.ID, relief.ActionAcceptDelivery, relief.Args{Ref: pendingRef})
	got, _ := vol.Demand(d.ID)
	var fulfilRef string
	for _, c := range got.Conflicts {
		if c.Action == relief.ActionFulfil {
			fulfilRef = relief.ConflictRef(c)
		}
	}
	act(t, vol, d.ID, relief.ActionAckConflict, relief.Args{Ref: fulfilRef})
	tr.exchange(t)
	tr.checkConverged(t)
	now = tr.clk.now()
	for i, s := range tr.stores {
		got, _ := s.Demand(d.ID)
		if got.Items[0].Received != 370 {
			t.Errorf("store %d: received %v after accept; want 370", i, got.Items[0].Received)
		}
		if want := []string{"conflict deliver"}; !reflect.DeepEqual(notices(t, s, vol.Device(), now), want) {
			t.Errorf("store %d: volunteer's inbox = %v; want %v", i, notices(t, s, vol.Device(), now), want)
		}
		if n := notices(t, s, rev.Device(), now); len(n) != 0 {
			t.Errorf("store %d: owner's inbox = %v; want none", i, n)
		}
		if n := notices(t, s, coord.Device(), now); len(n) != 0 {
			t.Errorf("store %d: coordinator's inbox = %v; want none", i, n)
		}
	}
}

// TestApproveAgainstRejectAcrossStores is scenario 4: the reviewer approves
// and the coordinator rejects the same collected demand while apart. One
// applies, the other is a conflict in the loser's inbox, and the loser earns
// no points, on every store.
func TestApproveAgainstRejectAcrossStores(t *testing.T) {
	tr := newTrio(t, t.TempDir)
	defer tr.close()
	coord, rev := tr.stores[0], tr.stores[1]
	d, err := coord.RecordDemand(sampleDemand("急需 N95"))
	if err != nil {
		t.Fatal(err)
	}
	tr.exchange(t)
	tr.clk.advance(time.Minute)
	act(t, rev, d.ID, relief.ActionApprove, relief.Args{Seen: relief.StatusCollected})
	tr.clk.advance(time.Second)
	act(t, coord, d.ID, relief.ActionReject, relief.Args{Seen: relief.StatusCollected})
	tr.exchange(t)
	tr.checkConverged(t)
	for i, s := range tr.stores {
		got, _ := s.Demand(d.ID)
		if got.Status != relief.StatusApproved || len(got.Conflicts) != 1 || got.Conflicts[0].By != coord.Device() {
			t.Errorf("store %d: %s, conflicts %v; want approved, the reject a conflict", i, got.Status, got.Conflicts)
		}
		if st, _ := s.PointsOf(coord.Device()); st.Points != 1 { // demand_recorded only: the reject did not apply
			t.Errorf("store %d: coordinator's points = %d %+v; want 1 (demand recorded), no review points", i, st.Points, st.History)
		}
		if n := notices(t, s, coord.Device(), tr.clk.now()); !reflect.DeepEqual(n, []string{"conflict reject"}) {
			t.Errorf("store %d: coordinator's inbox = %v; want the reject's conflict", i, n)
		}
		if n := notices(t, s, rev.Device(), tr.clk.now()); len(n) != 0 {
			t.Errorf("store %d: reviewer's inbox = %v; want none (they won)", i, n)
		}
	}
}

// TestDeliveriesConvergeAcrossStores is the property of issue 12 on three
// stores: random claims, handovers, deliveries, corrections, decisions on
// pending deliveries, approvals, rejections and acknowledgements, field edits
// saying what their store had seen (concurrent ones are conflicts), and
// revocations, demotions and promotions of random members at random points
// (a revoked store keeps acting offline), each store acting on what it has
// seen, changes carried between them in random subsets and orders. After a
// full exchange every store shows the same demands, the same inbox entries
// for every member (but ReplyUndone, each store's own news of what a cut
// undid there) and the same points, and on each demand received is the sum
// of the counted deliveries, every deliver recorded by a store is listed or
// refused for a reason other than ownership (no delivery is lost to a change
// of owner), or is a revoked member's change past the cut that its store
// keeps as evidence for a coordinator to adopt.
func TestDeliveriesConvergeAcrossStores(t *testing.T) {
	defer defaultChecks(15, 0)()
	rapid.Check(t, func(rt *rapid.T) {
		tr := newTrio(rt, t.TempDir)
		defer tr.close()
		spec := sampleDemand("急需 N95")
		spec.Items = []relief.Item{{Name: "N95", Unit: "个"}}
		var ids []string
		for i := range 3 { // two published, one to review
			d, err := tr.stores[0].RecordDemand(spec)
			if err != nil {
				rt.Fatal(err)
			}
			ids = append(ids, d.ID)
			if i < 2 {
				transition(rt, tr.stores[0], d.ID, relief.ActionApprove)
				transition(rt, tr.stores[0], d.ID, relief.ActionPublish)
			}
		}
		tr.exchange(rt)
		var delivers []string        // refs of every deliver a store recorded
		var revoker, revoked [3]bool // stores that signed, or were the target of, a revocation
		actions := []relief.Action{relief.ActionApprove, relief.ActionReject, relief.ActionPublish, relief.ActionClaim,
			relief.ActionHandover, relief.ActionDeliver, relief.ActionDeliver, relief.ActionAdjust, relief.ActionAcceptDelivery,
			relief.ActionDeclineDelivery, relief.ActionAckConflict, relief.ActionRelease, relief.ActionFulfil, relief.ActionClaim}
		for range rapid.IntRange(5, 40).Draw(rt, "steps") {
			tr.clk.advance(time.Duration(rapid.IntRange(0, 2000).Draw(rt, "tick")) * time.Millisecond)
			i := rapid.IntRange(0, 2).Draw(rt, "store")
			s := tr.stores[i]
			if rapid.IntRange(0, 3).Draw(rt, "carry?") == 0 {
				deliverCut(rt, s, tr.stores[(i+1+rapid.IntRange(0, 1).Draw(rt, "to"))%3])
				continue
			}
			if rapid.IntRange(0, 7).Draw(rt, "member op?") == 0 {
				// a revocation, demotion or promotion of another member,
				// signed by any store (refused where it is no coordinator):
				// the revoked store keeps working offline. Two coordinators
				// may revoke each other, or a revoker be demoted before its
				// revocation in the fold order: the cut is lifted and what it
				// undid is restored on every peer (cut.go, restoreLifted).
				// A revoked store may revoke its revoker, not knowing: two
				// revocations each past the other's cut, the first in total
				// order stands on every store (evidence.go).
				signer := rapid.IntRange(0, 2).Draw(rt, "signer")
				s := tr.stores[signer]
				whom := (signer + 1 + rapid.IntRange(0, 1).Draw(rt, "whom")) % 3
				target := tr.stores[whom].Device()
				var op ledger.Op
				var err error
				if rapid.IntRange(0, 2).Draw(rt, "revoke?") == 0 {
					if revoked[whom] {
						continue // each member is revoked once
					}
					revoker[signer], revoked[whom] = true, true
					// cut at what this store had seen of them, or earlier (a
					// coordinator who had seen less)
					seen := s.VersionVector().Get(target)
					op, err = relief.Revoke(target, uint64(rapid.IntRange(0, int(seen)).Draw(rt, "cut")), "r")
				} else {
					op, err = relief.Promote(target, rapid.SampledFrom([]relief.Role{relief.RoleCoordinator, relief.RoleReviewer,
						relief.RoleVolunteer, relief.RoleObserver}).Draw(rt, "role"))
				}
				if err != nil {
					rt.Fatal(err)
				}
				s.ApplyLocal([]ledger.Op{op}) // refused: nothing recorded
				continue
			}
			id := rapid.SampledFrom(ids).Draw(rt, "demand")
			d, err := s.Demand(id)
			if errors.Is(err, ErrNotFound) {
				continue // its creator was revoked before it: every change of it undone here
			}
			if err != nil {
				rt.Fatal(err)
			}
			if rapid.IntRange(0, 7).Draw(rt, "edit?") == 0 {
				// an edit of a field, saying what this store had seen of
				// it: concurrent edits on two stores are conflicts
				rec, err := s.Record(relief.KindDemand, id)
				if err != nil {
					rt.Fatal(err)
				}
				field := rapid.SampledFrom([]string{relief.FieldTitle, relief.FieldDescription}).Draw(rt, "field")
				op, err := relief.SetFieldsSeen(relief.KindDemand, id, map[string]any{field: rapid.SampledFrom([]string{"甲", "乙", "丙"}).Draw(rt, "value")},
					map[string][]relief.Tag{field: relief.Heads(rec, field)})
				if err != nil {
					rt.Fatal(err)
				}
				s.ApplyLocal([]ledger.Op{op}) // refused: nothing recorded
				continue
			}
			action := rapid.SampledFrom(actions).Draw(rt, "action")
			args := relief.Args{}
			switch action {
			case relief.ActionApprove, relief.ActionReject, relief.ActionPublish:
				args.Seen = d.Status
			case relief.ActionHandover:
				args.To = tr.stores[rapid.IntRange(0, 2).Draw(rt, "to")].Device()
			case relief.ActionDeliver, relief.ActionAdjust:
				args.Received = received(float64(rapid.IntRange(1, 100).Draw(rt, "qty"))).Received
				args.Note = "n"
			case relief.ActionAcceptDelivery, relief.ActionDeclineDelivery:
				if len(d.Deliveries) == 0 {
					continue
				}
				args.Ref = rapid.SampledFrom(d.Deliveries).Draw(rt, "delivery").Ref
			case relief.ActionAckConflict:
				if len(d.Conflicts) == 0 {
					continue
				}
				c := rapid.SampledFrom(d.Conflicts).Draw(rt, "conflict")
				args.Ref = relief.ConflictRef(c)
				if c.Field != "" && rapid.Bool().Draw(rt, "the change's ref") {
					args.Ref = relief.StepRef(relief.Meta{Change: c.Change, Index: c.Index}) // the inbox entry's
				}
			}
			op, err := relief.Transition(relief.KindDemand, id, action, args)
			if err != nil {
				rt.Fatalf("Transition(%s) = %v", action, err)
			}
			res, err := s.ApplyLocal([]ledger.Op{op})
			if err != nil {
				continue // a role the store refuses to sign for: nothing recorded
			}
			if action == relief.ActionDeliver {
				delivers = append(delivers, relief.StepRef(relief.Meta{Change: res.ID(), Index: 0}))
			}
		}
		tr.exchangeCut(rt)
		tr.checkConverged(rt)
		now := tr.clk.now()
		type seen struct {
			Inboxes [][]relief.Pending
			Points  relief.Leaderboard
		}
		var want *seen
		for i, s := range tr.stores {
			got := &seen{}
			for _, m := range tr.stores {
				ps, err := s.InboxOf(m.Device(), now, 0)
				if err != nil {
					rt.Fatal(err)
				}
				// what a cut undid here is this store's own news (each
				// store tells what it had shown)
				ps = slices.DeleteFunc(ps, func(p relief.Pending) bool { return p.What == relief.ReplyUndone })
				got.Inboxes = append(got.Inboxes, ps)
			}
			lb, err := s.Leaderboard()
			if err != nil {
				rt.Fatal(err)
			}
			got.Points = lb
			if i == 0 {
				want = got
				continue
			}
			if !reflect.DeepEqual(got, want) {
				rt.Fatalf("store %d inboxes and points =\n%+v\nwant store 0's\n%+v", i, got, want)
			}
		}
		listed := map[string]bool{}
		for _, id := range ids {
			d, err := tr.stores[0].Demand(id)
			if errors.Is(err, ErrNotFound) {
				continue // every change of it undone (checkConverged: alike on every store)
			}
			if err != nil {
				rt.Fatal(err)
			}
			var sum float64
			for _, dv := range d.Deliveries {
				listed[dv.Ref] = true
				if dv.State == relief.DeliveryCounted {
					sum += dv.Items[0].Qty
				}
			}
			// (a demand whose creation a cut undid has no items, and its
			// steps are not_created conflicts)
			if !d.Uncreated && d.Items[0].Received != sum {
				rt.Fatalf("demand %s received %v; want %v, the sum of its counted deliveries %+v", d.Code, d.Items[0].Received, sum, d.Deliveries)
			}
			for _, c := range d.Conflicts {
				ref := relief.ConflictRef(c)
				if c.Action == relief.ActionDeliver && !listed[ref] && (c.Reason == relief.ReasonNotOwner || c.Reason == relief.ReasonNotOwned) {
					rt.Fatalf("demand %s: deliver %s refused (%s) and not kept pending", d.Code, ref, c.Reason)
				}
				listed[ref] = true
			}
		}
		for _, ref := range delivers {
			if !listed[ref] && !cutKept(rt, tr, ref) {
				rt.Fatalf("deliver %s is neither a delivery nor a conflict of its demand, nor kept as a revoked member's undone change: lost", ref)
			}
		}
	})
}

// cutKept reports whether the change of step ref is a revoked member's,
// past its cut, that its own store keeps as evidence (CutChanges), for a
// coordinator to adopt.
func cutKept(t tb, tr *trio, ref string) bool {
	t.Helper()
	for _, s := range tr.stores {
		cs, err := s.CutChanges(s.Device())
		if err != nil {
			t.Fatalf("CutChanges = %v", err)
		}
		for _, c := range cs {
			if relief.StepRef(relief.Meta{Change: c.ID()}) == ref {
				return true
			}
		}
	}
	return false
}

// deliverCut is deliver, where changes past a revocation cut may be
// refused too (ReasonRevoked, ReasonNotMember).
func deliverCut(rt *rapid.T, from, to *Store) {
	deliverAllowing(rt, from, to, ledger.ReasonGap, ledger.ReasonRevoked, ledger.ReasonNotMember)
}

// exchangeCut is trio.exchange, where changes past a revocation cut are
// refused (ReasonRevoked, ReasonNotMember) rather than applied.
func (tr *trio) exchangeCut(t tb) {
	t.Helper()
	for range 2 {
		for _, from := range tr.stores {
			for _, to := range tr.stores {
				if from == to {
					continue
				}
				var out []*ledger.Change
				before := to.VersionVector()
				from.ChangesSince(before, func(c *ledger.Change) error { out = append(out, c); return nil })
				res, err := to.ApplyRemote(out)
				// refused before, by this store (rejectOnce): not counted again
				refused := res.Rejected[ledger.ReasonRevoked] + res.Rejected[ledger.ReasonNotMember] + res.RefusedAgain
				// a feed cut by a change earlier in the same batch (a
				// promotion arriving lets a revocation apply) leaves its
				// later changes a gap: the next round refuses them
				after := to.VersionVector()
				lowered := 0
				for _, c := range out {
					if after.Get(c.Device) < before.Get(c.Device) {
						lowered++
					}
				}
				refused += min(res.Rejected[ledger.ReasonGap], lowered)
				if err != nil || res.Applied+res.Duplicates+refused != len(out) {
					t.Fatalf("ApplyRemote(%d changes, catch-up) = %+v, %v; want all applied but those past a cut", len(out), res, err)
				}
			}
		}
	}
}
