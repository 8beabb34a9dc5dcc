package store

import (
	"slices"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// whats returns the steps the inbox of member in s lists for demand id at
// now, checking that the paged inbox (InboxWindowOf) lists the same entries.
func whats(t *testing.T, s *Store, member ledger.DeviceID, id string, now time.Time) []relief.Pending {
	t.Helper()
	all, err := s.InboxOf(member, now, 0)
	if err != nil {
		t.Fatalf("InboxOf = %v", err)
	}
	w, err := s.InboxWindowOf(InboxWindowQuery{Member: member, Now: now, Limit: 1000})
	if err != nil || w.Total != len(all) || len(w.Entries) != len(all) {
		t.Fatalf("InboxWindowOf(%s) = %d entries of %d, %v; want the %d of InboxOf", member.Short(), len(w.Entries), w.Total, err, len(all))
	}
	for i := range all {
		if w.Entries[i] != all[i] {
			t.Fatalf("InboxWindowOf(%s)[%d] = %+v; want %+v", member.Short(), i, w.Entries[i], all[i])
		}
	}
	var out []relief.Pending
	for _, p := range all {
		if p.ID == id {
			out = append(out, p)
		}
	}
	return out
}

func whatsOf(ps []relief.Pending) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.What)
	}
	return out
}

// claimedDemand records a demand on store 0 (coordinator), approves and
// publishes it, has store 2 (volunteer) claim it, and syncs all three.
func claimedDemand(t *testing.T, tr *trio) string {
	t.Helper()
	d, err := tr.stores[0].RecordDemand(sampleDemand("N95 for Xiehe"))
	if err != nil {
		t.Fatalf("RecordDemand = %v", err)
	}
	tr.clk.advance(time.Minute)
	act(t, tr.stores[0], d.ID, relief.ActionApprove, relief.Args{})
	act(t, tr.stores[0], d.ID, relief.ActionPublish, relief.Args{})
	tr.exchange(t)
	tr.clk.advance(time.Minute)
	act(t, tr.stores[2], d.ID, relief.ActionClaim, relief.Args{})
	tr.exchange(t)
	return d.ID
}

// TestClaimGoesStale: ten days after a claim without progress, every store
// lists the demand as overdue in the owner's and the coordinator's inboxes
// (scenario 3 of issue 12).
func TestClaimGoesStale(t *testing.T) {
	tr := newTrio(t, t.TempDir)
	defer tr.close()
	id := claimedDemand(t, tr)
	coord, owner := tr.stores[0].Device(), tr.stores[2].Device()
	tr.clk.advance(10 * 24 * time.Hour)
	now := tr.clk.now()
	for i, s := range tr.stores {
		for _, m := range []ledger.DeviceID{owner, coord} {
			got := whats(t, s, m, id, now)
			if !slices.ContainsFunc(got, func(p relief.Pending) bool {
				return p.What == relief.ReplyFollowUp && p.Overdue && p.To == owner
			}) {
				t.Errorf("store %d: InboxOf(%s) = %+v; want the follow-up, overdue, waiting on the owner", i, m.Short(), got)
			}
		}
		od, err := s.Overdue(now)
		if err != nil || !slices.ContainsFunc(od, func(p relief.Pending) bool { return p.ID == id && p.What == relief.ReplyFollowUp }) {
			t.Errorf("store %d: Overdue = %+v, %v; want the follow-up of %s", i, od, err, id)
		}
	}
	// The owner answers: no longer overdue anywhere.
	act(t, tr.stores[2], id, relief.ActionFollowUp, relief.Args{Note: "truck booked for tomorrow"})
	tr.exchange(t)
	for i, s := range tr.stores {
		for _, m := range []ledger.DeviceID{owner, coord} {
			if got := whats(t, s, m, id, now); slices.ContainsFunc(got, func(p relief.Pending) bool { return p.What == relief.ReplyFollowUp && p.Overdue }) {
				t.Errorf("store %d: InboxOf(%s) after the follow-up = %+v; want no overdue follow-up", i, m.Short(), got)
			}
		}
	}
}

// TestTransferRequestAcrossStores: store 1 (reviewer) asks store 2 (the
// owner) for the demand; the request reaches both inboxes on every store;
// then, in each case, the stores meet again and agree on the owner, the
// refused steps and each member's inbox.
func TestTransferRequestAcrossStores(t *testing.T) {
	tests := []struct {
		name       string
		then       func(t *testing.T, tr *trio, id string)
		newOwner   int      // store whose member owns the demand in the end
		conflicted []string // actions kept as conflicts
	}{
		{"accepted", func(t *testing.T, tr *trio, id string) {
			tr.clk.advance(time.Hour)
			act(t, tr.stores[2], id, relief.ActionAcceptTransfer, relief.Args{To: tr.stores[1].Device()})
		}, 1, nil},
		{"unanswered, taken over once due", func(t *testing.T, tr *trio, id string) {
			tr.clk.advance(13 * time.Hour)
			act(t, tr.stores[1], id, relief.ActionTakeOver, relief.Args{})
		}, 1, nil},
		{"declined offline, taken over concurrently", func(t *testing.T, tr *trio, id string) {
			// The owner declines at +1 h on their laptop, unseen; the
			// requester takes over at +13 h: the decline came first.
			tr.clk.advance(time.Hour)
			act(t, tr.stores[2], id, relief.ActionDeclineTransfer, relief.Args{To: tr.stores[1].Device(), Note: "on my way"})
			tr.clk.advance(12 * time.Hour)
			act(t, tr.stores[1], id, relief.ActionTakeOver, relief.Args{})
		}, 2, []string{string(relief.ActionTakeOver)}},
		{"taken over, then declined late offline", func(t *testing.T, tr *trio, id string) {
			tr.clk.advance(13 * time.Hour)
			act(t, tr.stores[1], id, relief.ActionTakeOver, relief.Args{})
			tr.clk.advance(time.Hour)
			act(t, tr.stores[2], id, relief.ActionDeclineTransfer, relief.Args{To: tr.stores[1].Device(), Note: "sorry, was offline"})
		}, 1, []string{string(relief.ActionDeclineTransfer)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := newTrio(t, t.TempDir)
			defer tr.close()
			id := claimedDemand(t, tr)
			owner, requester, coord := tr.stores[2].Device(), tr.stores[1].Device(), tr.stores[0].Device()
			tr.clk.advance(time.Hour)
			act(t, tr.stores[1], id, relief.ActionRequestTransfer, relief.Args{Note: "our team is next door",
				Until: tr.clk.now().Add(relief.DefaultDeadlines().Transfer).UnixMilli()})
			tr.exchange(t)
			due := tr.clk.now().Add(12 * time.Hour)
			for i, s := range tr.stores {
				d, err := s.Demand(id)
				if err != nil || d.Transfer == nil || d.Transfer.By != requester || !d.Transfer.Until.Equal(due) {
					t.Fatalf("store %d: Demand.Transfer = %+v, %v; want the request by the reviewer, due %v", i, d.Transfer, err, due)
				}
				for _, m := range []ledger.DeviceID{owner, requester} {
					got := whats(t, s, m, id, tr.clk.now())
					if len(got) != 1 || got[0].What != relief.ReplyTransfer || got[0].To != owner || got[0].By != requester ||
						!got[0].Due.Equal(due) || got[0].Overdue {
						t.Errorf("store %d: InboxOf(%s) = %+v; want the transfer request, to the owner, by the requester, due %v", i, m.Short(), got, due)
					}
				}
				if got := whats(t, s, coord, id, tr.clk.now()); slices.Contains(whatsOf(got), relief.ReplyTransfer) {
					t.Errorf("store %d: InboxOf(coordinator) = %+v; want no transfer request", i, got)
				}
			}
			tt.then(t, tr, id)
			tr.exchange(t)
			want := tr.stores[tt.newOwner].Device()
			now := tr.clk.now()
			for i, s := range tr.stores {
				d, err := s.Demand(id)
				if err != nil || d.Owner != want || d.Transfer != nil {
					t.Fatalf("store %d: Demand = owner %s, transfer %+v, %v; want owner %s, no request pending", i, d.Owner.Short(), d.Transfer, err, want.Short())
				}
				var conflicted []string
				for _, c := range d.Conflicts {
					conflicted = append(conflicted, string(c.Action))
				}
				if !slices.Equal(conflicted, tt.conflicted) {
					t.Errorf("store %d: conflicts = %v; want %v", i, d.Conflicts, tt.conflicted)
				}
				if !slices.ContainsFunc(d.History, func(s relief.Step) bool { return s.Action == relief.ActionRequestTransfer }) {
					t.Errorf("store %d: history = %v; want the request recorded", i, d.History)
				}
				// The new owner's inbox has the demand to follow up; the
				// other party's has nothing of it but the conflicts its
				// losing steps made (the loser of a race is told).
				if got := whatsOf(whats(t, s, want, id, now)); !slices.Equal(got, []string{relief.ReplyFollowUp}) {
					t.Errorf("store %d: InboxOf(owner %s) = %v; want [follow_up]", i, want.Short(), got)
				}
				other := owner
				if want == owner {
					other = requester
				}
				var lost []string
				for _, c := range d.Conflicts {
					if c.By == other {
						lost = append(lost, relief.ReplyConflict)
					}
				}
				if got := whatsOf(whats(t, s, other, id, now)); !slices.Equal(got, lost) {
					t.Errorf("store %d: InboxOf(%s) = %v; want %v (the conflicts of its losing steps)", i, other.Short(), got, lost)
				}
			}
		})
	}
}

// TestRecheckAcrossStores: a published demand unconfirmed for 48 h is on the
// reviewer's and coordinator's call-back list on every store; a call finding
// it still needed, recorded on one store, takes it off everywhere.
func TestRecheckAcrossStores(t *testing.T) {
	tr := newTrio(t, t.TempDir)
	defer tr.close()
	id := claimedDemand(t, tr)
	tr.clk.advance(49 * time.Hour)
	coord, rev, vol := tr.stores[0].Device(), tr.stores[1].Device(), tr.stores[2].Device()
	for i, s := range tr.stores {
		for _, m := range []ledger.DeviceID{coord, rev} {
			if got := whatsOf(whats(t, s, m, id, tr.clk.now())); !slices.Contains(got, relief.ReplyRecheck) {
				t.Errorf("store %d: InboxOf(%s) = %v; want recheck", i, m.Short(), got)
			}
		}
		if got := whatsOf(whats(t, s, vol, id, tr.clk.now())); slices.Contains(got, relief.ReplyRecheck) {
			t.Errorf("store %d: InboxOf(volunteer) = %v; want no recheck", i, got)
		}
	}
	act(t, tr.stores[1], id, relief.ActionRecheck, relief.Args{Outcome: relief.OutcomeStillNeeded})
	tr.exchange(t)
	for i, s := range tr.stores {
		d, _ := s.Demand(id)
		if !d.Confirmed.Time().Equal(tr.clk.now()) {
			t.Errorf("store %d: Confirmed = %v; want %v", i, d.Confirmed.Time(), tr.clk.now())
		}
		for _, m := range []ledger.DeviceID{coord, rev} {
			if got := whatsOf(whats(t, s, m, id, tr.clk.now())); slices.Contains(got, relief.ReplyRecheck) {
				t.Errorf("store %d: InboxOf(%s) after the call = %v; want no recheck", i, m.Short(), got)
			}
		}
	}
}

// TestOwnStaleClaimListedOnce: a coordinator who claimed a demand and let it
// go stale finds its follow-up once in their inbox, as its owner: the
// follow-ups' overdue entries that reach every coordinator leave out the
// member's own (InboxWindowOf's late steps), in the page as in InboxOf.
func TestOwnStaleClaimListedOnce(t *testing.T) {
	tr := newTrio(t, t.TempDir)
	defer tr.close()
	s := tr.stores[0]
	d, err := s.RecordDemand(sampleDemand("N95 for Xiehe"))
	if err != nil {
		t.Fatalf("RecordDemand = %v", err)
	}
	tr.clk.advance(time.Minute)
	act(t, s, d.ID, relief.ActionApprove, relief.Args{})
	act(t, s, d.ID, relief.ActionPublish, relief.Args{})
	tr.clk.advance(time.Minute)
	act(t, s, d.ID, relief.ActionClaim, relief.Args{})
	tr.clk.advance(10 * 24 * time.Hour)
	got := whats(t, s, s.Device(), d.ID, tr.clk.now())
	n := 0
	for _, p := range got {
		if p.What == relief.ReplyFollowUp {
			n++
		}
	}
	if n != 1 {
		t.Errorf("InboxOf(coordinator and owner) = %+v; want its follow-up once", got)
	}
}
