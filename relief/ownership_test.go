package relief

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
)

func inboxWhats(ps []Pending, id string) []string {
	var out []string
	for _, p := range ps {
		if p.ID == id {
			out = append(out, p.What)
		}
	}
	return out
}

// request is vol2's transfer request on d at t0+2h, answer by t0+14h.
func request(t *testing.T) Args {
	return Args{Note: "I am next door", Until: at(14 * time.Hour)}
}

func TestTransferRequest(t *testing.T) {
	dl := DefaultDeadlines()
	tests := []struct {
		name      string
		then      func(t *testing.T, w *world)
		owner     ledger.DeviceID
		pending   bool
		conflicts []Reason
	}{
		{"unanswered", func(t *testing.T, w *world) {}, vol, true, nil},
		{"accepted", func(t *testing.T, w *world) {
			w.do(vol, at(3*time.Hour), tr(t, "d", ActionAcceptTransfer, Args{To: vol2}))
		}, vol2, false, nil},
		{"declined", func(t *testing.T, w *world) {
			w.do(vol, at(3*time.Hour), tr(t, "d", ActionDeclineTransfer, Args{To: vol2, Note: "trucks on the way"}))
		}, vol, false, nil},
		{"taken over too early", func(t *testing.T, w *world) {
			w.do(vol2, at(13*time.Hour), tr(t, "d", ActionTakeOver, Args{}))
		}, vol, true, []Reason{ReasonNotDue}},
		{"taken over once due", func(t *testing.T, w *world) {
			w.do(vol2, at(15*time.Hour), tr(t, "d", ActionTakeOver, Args{}))
		}, vol2, false, nil},
		{"taken over by another", func(t *testing.T, w *world) {
			w.do(vol3, at(15*time.Hour), tr(t, "d", ActionTakeOver, Args{}))
		}, vol, true, []Reason{ReasonNoRequest}},
		{"declined, then taken over", func(t *testing.T, w *world) {
			w.do(vol, at(3*time.Hour), tr(t, "d", ActionDeclineTransfer, Args{To: vol2, Note: "no"}))
			w.do(vol2, at(15*time.Hour), tr(t, "d", ActionTakeOver, Args{}))
		}, vol, false, []Reason{ReasonNoRequest}},
		{"a second request while one is pending", func(t *testing.T, w *world) {
			w.do(vol3, at(4*time.Hour), tr(t, "d", ActionRequestTransfer, Args{Note: "me too", Until: at(16 * time.Hour)}))
		}, vol, true, []Reason{ReasonRequestPending}},
		{"released: the request goes with it", func(t *testing.T, w *world) {
			w.do(vol, at(3*time.Hour), tr(t, "d", ActionRelease, Args{}))
		}, ledger.DeviceID{}, false, nil},
		// a tester granted a revoked member's request: it failed as "bad
		// target" and the request stayed open. It lapses with the member.
		{"the requester revoked: the request lapses", func(t *testing.T, w *world) {
			w.do(coord, at(3*time.Hour), must(Revoke(vol2, 99, "lost laptop")))
		}, vol, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := seeded(t)
			ownedDemand(t, w, "d")
			w.do(vol2, at(2*time.Hour), tr(t, "d", ActionRequestTransfer, request(t)))
			tt.then(t, w)
			d := w.demand("d")
			if d.Owner != tt.owner || (d.Transfer != nil) != tt.pending {
				t.Errorf("FoldDemand(%s) = owner %s, transfer %+v; want owner %s, pending %v", tt.name, d.Owner.Short(), d.Transfer, tt.owner.Short(), tt.pending)
			}
			var reasons []Reason
			for _, c := range d.Conflicts {
				reasons = append(reasons, c.Reason)
			}
			if !slices.Equal(reasons, tt.conflicts) {
				t.Errorf("FoldDemand(%s).Conflicts = %v; want %v", tt.name, d.Conflicts, tt.conflicts)
			}
			if !slices.ContainsFunc(d.History, func(s Step) bool { return s.Action == ActionRequestTransfer && s.Args.Note == "I am next door" }) {
				t.Errorf("FoldDemand(%s).History = %v; want the request with its reason", tt.name, d.History)
			}
			if !tt.pending {
				return
			}
			// Pending: in the owner's inbox (to answer) and the requester's (to
			// take over once due), with the request's own reply-by.
			now := t0.Add(15 * time.Hour)
			for _, m := range []ledger.DeviceID{vol, vol2} {
				got := Inbox(m, w.roster(), []Demand{d}, nil, dl, now)
				// A member whose step lost (a take-over too early) is told: a
				// conflict entry after the request, which has a deadline.
				want := []string{ReplyTransfer}
				for _, c := range d.Conflicts {
					if c.By == m {
						want = append(want, ReplyConflict)
					}
				}
				if w := inboxWhats(got, "d"); !slices.Equal(w, want) {
					t.Errorf("Inbox(%s, %s) = %v; want %v", m.Short(), tt.name, w, want)
				} else if p := got[0]; p.To != vol || p.By != vol2 || !p.Due.Equal(t0.Add(14*time.Hour)) || !p.Overdue {
					t.Errorf("Inbox(%s, %s)[0] = %+v; want to vol, by vol2, due t0+14h, overdue", m.Short(), tt.name, p)
				}
			}
			if !TransferDue(d, now) || TransferDue(d, t0.Add(13*time.Hour)) {
				t.Errorf("TransferDue(%s) at t0+15h, t0+13h = %v, %v; want true, false", tt.name, TransferDue(d, now), TransferDue(d, t0.Add(13*time.Hour)))
			}
			vol3m, _ := w.roster().Member(vol3)
			if got := Inbox(vol3, w.roster(), []Demand{d}, nil, dl, now); len(inboxWhats(got, "d")) != 0 && tt.name == "unanswered" {
				t.Errorf("Inbox(bystander) = %v; want nothing of d", got)
			}
			if slices.Contains(Allowed(d, vol3m), ActionTakeOver) || slices.Contains(Allowed(d, vol3m), ActionRequestTransfer) {
				t.Errorf("Allowed(bystander, %s) = %v; want neither take_over nor another request", tt.name, Allowed(d, vol3m))
			}
		})
	}
}

// TestLapsedRequestLetsAnotherAsk: once the requester is revoked, another
// member may ask to take the demand over, and only theirs is pending.
func TestLapsedRequestLetsAnotherAsk(t *testing.T) {
	w := seeded(t)
	ownedDemand(t, w, "d")
	w.do(vol2, at(2*time.Hour), tr(t, "d", ActionRequestTransfer, request(t)))
	w.do(coord, at(3*time.Hour), must(Revoke(vol2, 99, "lost laptop")))
	w.do(vol3, at(4*time.Hour), tr(t, "d", ActionRequestTransfer, Args{Note: "me", Until: at(16 * time.Hour)}))
	d := w.demand("d")
	if d.Transfer == nil || d.Transfer.By != vol3 || len(d.Conflicts) != 0 {
		t.Fatalf("transfer %+v, conflicts %v; want vol3's request pending, no conflict", d.Transfer, d.Conflicts)
	}
}

func TestTransferAllowed(t *testing.T) {
	w := seeded(t)
	ownedDemand(t, w, "d")
	d := w.demand("d")
	owner, _ := w.roster().Member(vol)
	other, _ := w.roster().Member(vol2)
	if a := Allowed(d, owner); slices.Contains(a, ActionRequestTransfer) || slices.Contains(a, ActionAcceptTransfer) || !slices.Contains(a, ActionFollowUp) {
		t.Errorf("Allowed(owner, no request) = %v; want follow_up, no request_transfer nor accept_transfer", a)
	}
	if a := Allowed(d, other); !slices.Contains(a, ActionRequestTransfer) || slices.Contains(a, ActionTakeOver) || slices.Contains(a, ActionFollowUp) {
		t.Errorf("Allowed(other volunteer) = %v; want request_transfer only of the ownership actions", a)
	}
	w.do(vol2, at(2*time.Hour), tr(t, "d", ActionRequestTransfer, request(t)))
	d = w.demand("d")
	if a := Allowed(d, owner); !slices.Contains(a, ActionAcceptTransfer) || !slices.Contains(a, ActionDeclineTransfer) {
		t.Errorf("Allowed(owner, request pending) = %v; want accept_transfer and decline_transfer", a)
	}
	if a := Allowed(d, other); !slices.Contains(a, ActionTakeOver) || slices.Contains(a, ActionRequestTransfer) {
		t.Errorf("Allowed(requester) = %v; want take_over, no second request", a)
	}
}

func TestFollowUpWindow(t *testing.T) {
	dl := DefaultDeadlines()
	w := seeded(t)
	ownedDemand(t, w, "d")
	if due, ok := FollowUpDue(w.demand("d"), dl); !ok || !due.Equal(t0.Add(25*time.Hour)) {
		t.Errorf("FollowUpDue(claimed at t0+1h) = %v, %v; want t0+25h", due, ok)
	}
	// A step by someone else does not count; the owner's note does.
	w.do(rev, at(5*time.Hour), tr(t, "d", ActionRecheck, Args{Outcome: OutcomeUnreachable}))
	if due, _ := FollowUpDue(w.demand("d"), dl); !due.Equal(t0.Add(25 * time.Hour)) {
		t.Errorf("FollowUpDue(after a reviewer's step) = %v; want t0+25h still", due)
	}
	w.do(vol, at(20*time.Hour), tr(t, "d", ActionFollowUp, Args{Note: "truck leaves tomorrow"}))
	if due, _ := FollowUpDue(w.demand("d"), dl); !due.Equal(t0.Add(44 * time.Hour)) {
		t.Errorf("FollowUpDue(after the owner's follow-up at t0+20h) = %v; want t0+44h", due)
	}
	// A field the owner writes counts too.
	w.do(vol, at(30*time.Hour), must(SetFields(KindDemand, "d", map[string]any{FieldUrgency: UrgencyHigh})))
	if due, _ := FollowUpDue(w.demand("d"), dl); !due.Equal(t0.Add(54 * time.Hour)) {
		t.Errorf("FollowUpDue(after the owner's edit at t0+30h) = %v; want t0+54h", due)
	}
	// A handover starts the new owner's window.
	w.do(coord, at(40*time.Hour), tr(t, "d", ActionHandover, Args{To: vol2}))
	if due, _ := FollowUpDue(w.demand("d"), dl); !due.Equal(t0.Add(64 * time.Hour)) {
		t.Errorf("FollowUpDue(after a handover at t0+40h) = %v; want t0+64h", due)
	}
	// A note is required.
	if _, err := Transition(KindDemand, "d", ActionFollowUp, Args{}); err == nil {
		t.Errorf("Transition(follow_up without note) = nil error; want invalid")
	}
}

func TestRecheck(t *testing.T) {
	dl := DefaultDeadlines()
	tests := []struct {
		outcome   Outcome
		note      string
		status    Status
		confirmed time.Duration // since t0; 0: still the approval's
	}{
		{OutcomeStillNeeded, "", StatusPublished, 60 * time.Hour},
		{OutcomePartlyNeeded, "only 40 boxes now", StatusPublished, 60 * time.Hour},
		{OutcomeNoLongerNeeded, "got them from the city", StatusWithdrawn, 0},
		{OutcomeUnreachable, "", StatusPublished, 0},
	}
	for _, tt := range tests {
		t.Run(string(tt.outcome), func(t *testing.T) {
			w := seeded(t)
			w.do(coord, at(0), must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "water"})))
			w.do(rev, at(10*time.Minute), tr(t, "d", ActionApprove, Args{}))
			w.do(rev, at(20*time.Minute), tr(t, "d", ActionPublish, Args{}))
			now := t0.Add(50 * time.Hour)
			d := w.demand("d")
			for _, m := range []ledger.DeviceID{rev2, coord2} {
				if got := inboxWhats(Inbox(m, w.roster(), []Demand{d}, nil, dl, now), "d"); !slices.Contains(got, ReplyRecheck) {
					t.Errorf("Inbox(%s, unconfirmed 50h) = %v; want recheck", m.Short(), got)
				}
			}
			if got := inboxWhats(Inbox(vol, w.roster(), []Demand{d}, nil, dl, now), "d"); slices.Contains(got, ReplyRecheck) {
				t.Errorf("Inbox(volunteer) = %v; want no recheck", got)
			}
			if got := inboxWhats(Inbox(rev2, w.roster(), []Demand{d}, nil, dl, t0.Add(47*time.Hour)), "d"); slices.Contains(got, ReplyRecheck) {
				t.Errorf("Inbox(reviewer, 47h) = %v; want no recheck before 48h", got)
			}
			w.do(rev2, at(60*time.Hour), tr(t, "d", ActionRecheck, Args{Outcome: tt.outcome, Note: tt.note}))
			d = w.demand("d")
			want := t0.Add(10 * time.Minute)
			if tt.confirmed != 0 {
				want = t0.Add(tt.confirmed)
			}
			if d.Status != tt.status || !d.Confirmed.Time().Equal(want) {
				t.Errorf("FoldDemand(recheck %s) = %s confirmed %v; want %s confirmed %v", tt.outcome, d.Status, d.Confirmed.Time(), tt.status, want)
			}
			stillDue := slices.Contains(inboxWhats(Inbox(rev2, w.roster(), []Demand{d}, nil, dl, t0.Add(61*time.Hour)), "d"), ReplyRecheck)
			if stillDue != (tt.outcome == OutcomeUnreachable) {
				t.Errorf("Inbox(reviewer after %s) recheck = %v; want %v", tt.outcome, stillDue, tt.outcome == OutcomeUnreachable)
			}
			if len(d.History) != 3 || d.History[2].Args.Outcome != tt.outcome {
				t.Errorf("FoldDemand(recheck %s).History = %v; want the call recorded", tt.outcome, d.History)
			}
		})
	}
	if _, err := Transition(KindDemand, "d", ActionRecheck, Args{Outcome: OutcomePartlyNeeded}); err == nil {
		t.Errorf("Transition(recheck partly_needed without note) = nil error; want invalid")
	}
	if _, err := Transition(KindDemand, "d", ActionRecheck, Args{Outcome: "maybe"}); err == nil {
		t.Errorf("Transition(recheck maybe) = nil error; want invalid")
	}
}

// TestOwnershipOrderFree folds the same ownership steps, concurrent on several
// devices, applied in random orders: every order gives the same demand.
func TestOwnershipOrderFree(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		base := seeded(t)
		ownedDemand(t, base, "d")
		type change struct {
			m  Meta
			op ledger.Op
		}
		var changes []change
		seq := map[ledger.DeviceID]uint64{}
		n := rapid.IntRange(1, 8).Draw(rt, "steps")
		for range n {
			by := rapid.SampledFrom([]ledger.DeviceID{vol, vol2, vol3, rev, coord}).Draw(rt, "by")
			wall := at(time.Duration(rapid.IntRange(2, 30).Draw(rt, "hour")) * time.Hour)
			var args Args
			a := rapid.SampledFrom([]Action{ActionRequestTransfer, ActionAcceptTransfer, ActionDeclineTransfer,
				ActionTakeOver, ActionFollowUp, ActionRecheck, ActionRelease, ActionClaim}).Draw(rt, "action")
			switch a {
			case ActionRequestTransfer:
				args = Args{Note: "r", Until: wall + int64(rapid.IntRange(1, 12).Draw(rt, "window"))*time.Hour.Milliseconds()}
			case ActionAcceptTransfer, ActionDeclineTransfer:
				args = Args{Note: "n", To: rapid.SampledFrom([]ledger.DeviceID{vol2, vol3, rev}).Draw(rt, "to")}
			case ActionFollowUp:
				args = Args{Note: "n"}
			case ActionRecheck:
				args = Args{Outcome: rapid.SampledFrom(Outcomes).Draw(rt, "outcome"), Note: "n"}
			}
			seq[by]++
			s := seq[by] + 100
			changes = append(changes, change{Meta{Stamp: ledger.Stamp{Wall: wall}, Device: by, Seq: s, Change: changeID(by, s)}, tr(t, "d", a, args)})
		}
		var want Demand
		for r := range 3 {
			w := seeded(t)
			ownedDemand(t, w, "d")
			for _, i := range rapid.Permutation(rangeN(len(changes))).Draw(rt, "order") {
				w.apply(changes[i].m, changes[i].op)
			}
			got := w.demand("d")
			if r == 0 {
				want = got
			} else if !reflect.DeepEqual(got, want) {
				rt.Fatalf("FoldDemand(order %d) = %+v; want %+v", r, got, want)
			}
		}
	})
}

func rangeN(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
