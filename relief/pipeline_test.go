package relief

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// toStatus creates demand id (by coord) and takes it to status s; in_progress and
// fulfilled demands are owned by vol.
func toStatus(t *testing.T, w *world, id string, s Status) {
	t.Helper()
	w.do(coord, 5, must(SetFields(KindDemand, id, map[string]any{
		FieldTitle: "N95 masks", FieldItems: []Item{{Name: "masks", Unit: "box"}},
	})))
	path := map[Status][]Action{
		StatusCollected:  nil,
		StatusApproved:   {ActionApprove},
		StatusPublished:  {ActionApprove, ActionPublish},
		StatusInProgress: {ActionApprove, ActionPublish, ActionClaim, ActionProgress},
		StatusFulfilled:  {ActionApprove, ActionPublish, ActionClaim, ActionProgress, ActionFulfil},
		StatusRejected:   {ActionReject},
		StatusDuplicate:  {ActionMarkDuplicate},
		StatusWithdrawn:  {ActionWithdraw},
	}[s]
	for i, a := range path {
		by := coord
		if a == ActionClaim || a == ActionProgress || a == ActionFulfil {
			by = vol
		}
		w.do(by, int64(10+i), tr(t, id, a, argsFor(a)))
	}
	if got := w.demand(id).Status; got != s {
		t.Fatalf("setup %s: status %s; conflicts %v", s, got, w.demand(id).Conflicts)
	}
}

func argsFor(a Action) Args {
	switch a {
	case ActionHandover:
		return Args{To: vol2}
	case ActionMarkDuplicate:
		return Args{DuplicateOf: "other"}
	case ActionRequestTransfer:
		return Args{Note: "ok", Until: 100 + time.Hour.Milliseconds()}
	case ActionAcceptTransfer, ActionDeclineTransfer:
		return Args{Note: "ok", To: vol2}
	case ActionRecheck:
		return Args{Outcome: OutcomeStillNeeded}
	case ActionProgress, ActionDeliver, ActionAdjust:
		return Args{Received: []Receipt{{Item: "masks", Qty: 10}}, Note: "ok"}
	case ActionAcceptDelivery, ActionDeclineDelivery, ActionAckConflict:
		return Args{Ref: "nothing/0"}
	}
	return Args{Note: "ok"}
}

// TestPipelineTable checks every role × action × status for a member who is
// neither the demand's creator nor its owner, against an expectation written out
// independently of Rules, and checks that Allowed agrees with the fold.
func TestPipelineTable(t *testing.T) {
	// role → "action@status" allowed for a non-owner, non-creator.
	want := map[Role][]string{
		RoleCoordinator: {
			"approve@collected", "reject@collected", "reject@approved",
			"mark_duplicate@collected", "mark_duplicate@approved", "mark_duplicate@published",
			"publish@approved", "claim@published", "handover@published", "handover@in_progress",
			"withdraw@collected", "withdraw@approved", "withdraw@published", "withdraw@in_progress",
			"reopen@fulfilled", "reopen@withdrawn",
			"request_transfer@in_progress", "recheck@published", "recheck@in_progress",
			"adjust@published", "adjust@in_progress", "adjust@fulfilled",
		},
		RoleReviewer: {
			"approve@collected", "reject@collected", "reject@approved",
			"mark_duplicate@collected", "mark_duplicate@approved", "mark_duplicate@published",
			"publish@approved", "claim@published",
			"request_transfer@in_progress", "recheck@published", "recheck@in_progress",
		},
		RoleVolunteer: {"claim@published", "request_transfer@in_progress"},
		RoleObserver:  nil,
	}
	actors := map[Role]ledger.DeviceID{RoleCoordinator: coord2, RoleReviewer: rev2, RoleVolunteer: vol3, RoleObserver: obs}
	for _, role := range Roles {
		for _, rule := range Rules {
			if rule.Action == ActionAcceptDelivery || rule.Action == ActionDeclineDelivery || rule.Action == ActionAckConflict {
				continue // they name a step: TestPendingDelivery, TestAckConflict
			}
			for _, status := range DemandStatuses {
				name := fmt.Sprintf("%s/%s@%s", role, rule.Action, status)
				t.Run(name, func(t *testing.T) {
					w := seeded(t)
					toStatus(t, w, "d", status)
					before := w.demand("d")
					actor, _ := w.roster().Member(actors[role])
					allowedNow := slices.Contains(Allowed(before, actor), rule.Action)

					w.do(actors[role], 100, tr(t, "d", rule.Action, argsFor(rule.Action)))
					after := w.demand("d")
					applied := len(after.History) == len(before.History)+1
					conflicted := len(after.Conflicts) == len(before.Conflicts)+1
					exp := slices.Contains(want[role], string(rule.Action)+"@"+string(status))
					if applied != exp || conflicted == exp {
						t.Errorf("Apply(%s) = applied %v, conflicts %v; want applied %v", name, applied, after.Conflicts, exp)
					}
					if allowedNow != exp {
						t.Errorf("Allowed(%s) = %v; want %v", name, allowedNow, exp)
					}
				})
			}
		}
	}
}

// TestOwnerAndCreator checks what ownership and authorship add to a volunteer's
// rights.
func TestOwnerAndCreator(t *testing.T) {
	tests := []struct {
		name   string
		status Status
		by     ledger.DeviceID
		action Action
		want   bool
	}{
		{"owner releases", StatusInProgress, vol, ActionRelease, true},
		{"owner hands over", StatusInProgress, vol, ActionHandover, true},
		{"owner records progress", StatusInProgress, vol, ActionProgress, true},
		{"owner fulfils", StatusInProgress, vol, ActionFulfil, true},
		{"owner withdraws", StatusInProgress, vol, ActionWithdraw, true},
		{"owner claims again", StatusInProgress, vol, ActionClaim, false},
		{"other volunteer releases", StatusInProgress, vol2, ActionRelease, false},
		{"other volunteer fulfils", StatusInProgress, vol2, ActionFulfil, false},
		{"coordinator fulfils for owner", StatusInProgress, coord2, ActionFulfil, false},
		{"creator withdraws collected", StatusCollected, coord, ActionWithdraw, true},
		{"owner fulfils fulfilled", StatusFulfilled, vol, ActionFulfil, false},
		{"owner reopens own fulfilled", StatusFulfilled, vol, ActionReopen, false},
		{"creator reopens fulfilled", StatusFulfilled, coord, ActionReopen, true}, // coord is a coordinator
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := seeded(t)
			toStatus(t, w, "d", tt.status)
			before := w.demand("d")
			args := argsFor(tt.action)
			w.do(tt.by, 100, tr(t, "d", tt.action, args))
			got := len(w.demand("d").History) == len(before.History)+1
			if got != tt.want {
				t.Errorf("Apply(%s) = %v; want %v (conflicts %v)", tt.name, got, tt.want, w.demand("d").Conflicts)
			}
			actor, _ := w.roster().Member(tt.by)
			if allowed := slices.Contains(Allowed(before, actor), tt.action); allowed != tt.want {
				t.Errorf("Allowed(%s) = %v; want %v", tt.name, allowed, tt.want)
			}
		})
	}
}

func TestOwnershipAndProgress(t *testing.T) {
	w := seeded(t)
	toStatus(t, w, "d", StatusPublished)
	w.do(vol, 20, tr(t, "d", ActionClaim, Args{}))
	w.do(vol, 21, tr(t, "d", ActionHandover, Args{To: vol2}))
	if d := w.demand("d"); d.Owner != vol2 {
		t.Fatalf("Apply(handover) owner = %s; want %s", d.Owner.Short(), vol2.Short())
	}
	w.do(vol2, 22, tr(t, "d", ActionProgress, Args{Received: []Receipt{{Item: "masks", Qty: 30}}}))
	w.do(vol2, 23, tr(t, "d", ActionProgress, Args{Received: []Receipt{{Item: "masks", Qty: 50}}}))
	d := w.demand("d")
	if d.Status != StatusInProgress || d.Items[0].Received != 50 {
		t.Errorf("Apply(progress) = %s, received %v; want in_progress, 50", d.Status, d.Items[0].Received)
	}
	w.do(vol2, 24, tr(t, "d", ActionRelease, Args{}))
	if d := w.demand("d"); !d.Owner.IsZero() || d.Status != StatusInProgress {
		t.Errorf("Apply(release) = owner %s status %s; want none, in_progress", d.Owner.Short(), d.Status)
	}
	// Handover to an observer or a non-member is refused.
	w.do(vol, 25, tr(t, "d", ActionClaim, Args{}))
	w.do(vol, 26, tr(t, "d", ActionHandover, Args{To: obs}))
	w.do(vol, 27, tr(t, "d", ActionHandover, Args{To: nobody}))
	d = w.demand("d")
	if d.Owner != vol || len(d.Conflicts) != 2 || d.Conflicts[0].Reason != ReasonBadTarget {
		t.Errorf("Apply(handover to observer) = owner %s, conflicts %v; want vol, 2 bad_target", d.Owner.Short(), d.Conflicts)
	}
}

func TestConflicts(t *testing.T) {
	type step struct {
		by     ledger.DeviceID
		wall   int64
		action Action
		args   Args
	}
	tests := []struct {
		name       string
		from       Status
		steps      []step
		wantStatus Status
		wantOwner  ledger.DeviceID
		want       []Conflict // only Action, By, Reason, Winner, WinnerAction compared
	}{
		{
			name: "two offline claims", from: StatusPublished,
			steps:      []step{{vol2, 60, ActionClaim, Args{}}, {vol, 50, ActionClaim, Args{}}},
			wantStatus: StatusPublished, wantOwner: vol,
			want: []Conflict{{Action: ActionClaim, By: vol2, Reason: ReasonOwned, Winner: vol, WinnerAction: ActionClaim}},
		},
		{
			name: "same stamp claims break on device id", from: StatusPublished,
			steps:      []step{{vol2, 50, ActionClaim, Args{}}, {vol, 50, ActionClaim, Args{}}},
			wantStatus: StatusPublished, wantOwner: vol,
			want: []Conflict{{Action: ActionClaim, By: vol2, Reason: ReasonOwned, Winner: vol, WinnerAction: ActionClaim}},
		},
		{
			name: "approve after reject", from: StatusCollected,
			steps:      []step{{coord, 70, ActionApprove, Args{}}, {rev, 60, ActionReject, Args{Note: "fake"}}},
			wantStatus: StatusRejected,
			want:       []Conflict{{Action: ActionApprove, By: coord, Reason: ReasonStatus, Winner: rev, WinnerAction: ActionReject}},
		},
		{
			name: "claim by observer", from: StatusPublished,
			steps:      []step{{obs, 60, ActionClaim, Args{}}},
			wantStatus: StatusPublished,
			want:       []Conflict{{Action: ActionClaim, By: obs, Reason: ReasonRole}},
		},
		{
			name: "claim by non-member", from: StatusPublished,
			steps:      []step{{nobody, 60, ActionClaim, Args{}}},
			wantStatus: StatusPublished,
			want:       []Conflict{{Action: ActionClaim, By: nobody, Reason: ReasonNotMember}},
		},
		{
			name: "release by someone else", from: StatusInProgress,
			steps:      []step{{vol2, 60, ActionRelease, Args{}}},
			wantStatus: StatusInProgress, wantOwner: vol,
			want: []Conflict{{Action: ActionRelease, By: vol2, Reason: ReasonNotOwner, Winner: vol, WinnerAction: ActionClaim}},
		},
		{
			name: "duplicate of itself", from: StatusCollected,
			steps:      []step{{rev, 60, ActionMarkDuplicate, Args{DuplicateOf: "d"}}},
			wantStatus: StatusCollected,
			want:       []Conflict{{Action: ActionMarkDuplicate, By: rev, Reason: ReasonBadTarget}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, reverse := range []bool{false, true} {
				w := seeded(t)
				toStatus(t, w, "d", tt.from)
				steps := slices.Clone(tt.steps)
				if reverse {
					slices.Reverse(steps)
				}
				for _, s := range steps {
					w.do(s.by, s.wall, tr(t, "d", s.action, s.args))
				}
				d := w.demand("d")
				if d.Status != tt.wantStatus || d.Owner != tt.wantOwner {
					t.Errorf("Apply(%s) = %s owner %s; want %s owner %s", tt.name, d.Status, d.Owner.Short(), tt.wantStatus, tt.wantOwner.Short())
				}
				var got []Conflict
				for _, c := range d.Conflicts {
					got = append(got, Conflict{Action: c.Action, By: c.By, Reason: c.Reason, Winner: c.Winner, WinnerAction: c.WinnerAction})
				}
				if !slices.Equal(got, tt.want) {
					t.Errorf("Apply(%s) conflicts = %v; want %v", tt.name, got, tt.want)
				}
			}
		})
	}
}

func TestConflictString(t *testing.T) {
	w := seeded(t)
	toStatus(t, w, "d", StatusPublished)
	w.do(vol, 1_700_000_000_000, tr(t, "d", ActionClaim, Args{}))
	w.do(vol2, 1_700_000_060_000, tr(t, "d", ActionClaim, Args{}))
	c := w.demand("d").Conflicts
	if len(c) != 1 {
		t.Fatalf("Apply(two claims) conflicts = %v; want 1", c)
	}
	s := c[0].String()
	want := "claim by " + vol2.Short() + " at 22:14:20 lost to " + vol.Short() + "'s claim at 22:13:20 (owned)"
	if s != want {
		t.Errorf("Conflict.String() = %q; want %q", s, want)
	}
}

func TestEditVersusWithdraw(t *testing.T) {
	tests := []struct {
		name     string
		editWall int64
		want     int // conflicts
	}{
		{"edit before withdraw", 40, 0},
		{"edit after withdraw", 60, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := seeded(t)
			toStatus(t, w, "d", StatusPublished)
			w.do(coord2, 50, tr(t, "d", ActionWithdraw, Args{Note: "no longer needed"}))
			// a reviewer may edit any demand (FieldRules); a volunteer who neither created nor owns it may not
			w.do(rev, tt.editWall, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "N95 masks, 200 boxes"})))
			d := w.demand("d")
			if d.Status != StatusWithdrawn || d.Title != "N95 masks, 200 boxes" {
				t.Errorf("Apply(%s) = %s %q; want withdrawn with the edit shown", tt.name, d.Status, d.Title)
			}
			if len(d.Conflicts) != tt.want {
				t.Fatalf("Apply(%s) conflicts = %v; want %d", tt.name, d.Conflicts, tt.want)
			}
			if tt.want == 1 {
				c := d.Conflicts[0]
				if c.Action != ActionEdit || c.Field != FieldTitle || c.Reason != ReasonClosed || c.By != rev || c.Winner != coord2 {
					t.Errorf("Apply(%s) conflict = %+v; want edit of title by rev lost to coord2", tt.name, c)
				}
			}
		})
	}
}

func TestRevokedAuthor(t *testing.T) {
	w := seeded(t)
	toStatus(t, w, "d", StatusPublished)
	w.do(vol, 20, must(SetFields(KindDemand, "x", map[string]any{FieldTitle: "x"}))) // vol seq 2 (after toStatus none by vol)
	w.do(coord, 30, must(Revoke(vol, w.seq[vol], "lost laptop")))
	w.do(vol, 40, tr(t, "d", ActionClaim, Args{}))
	d := w.demand("d")
	if !d.Owner.IsZero() || len(d.Conflicts) != 1 || d.Conflicts[0].Reason != ReasonRevoked {
		t.Errorf("Apply(claim past revocation) = owner %s, conflicts %v; want none, revoked", d.Owner.Short(), d.Conflicts)
	}
}

func TestTaskLifecycle(t *testing.T) {
	w := seeded(t)
	w.do(coord, 10, must(SetFields(KindTask, "t", map[string]any{FieldDemand: "d", FieldSkill: "driver", FieldOfferedTo: vol})))
	task := func() Task { return FoldTask(w.rec(KindTask, "t"), w.roster()) }
	if got := AllowedTask(task(), mustMember(t, w, vol)); !slices.Equal(got, []Action{ActionAccept, ActionDecline}) {
		t.Errorf("AllowedTask(offered, vol) = %v; want accept, decline", got)
	}
	w.do(vol2, 11, must(Transition(KindTask, "t", ActionAccept, Args{})))
	w.do(vol, 12, must(Transition(KindTask, "t", ActionAccept, Args{})))
	w.do(vol, 13, must(Transition(KindTask, "t", ActionComplete, Args{})))
	got := task()
	if got.Status != StatusDone || len(got.Conflicts) != 1 || got.Conflicts[0].By != vol2 {
		t.Errorf("Apply(task) = %s, conflicts %v; want done, vol2's accept refused", got.Status, got.Conflicts)
	}
}

func mustMember(t *testing.T, w *world, d ledger.DeviceID) Member {
	t.Helper()
	m, ok := w.roster().Member(d)
	if !ok {
		t.Fatalf("member %s missing", d.Short())
	}
	return m
}

func TestRulesDocumented(t *testing.T) {
	for _, r := range Rules {
		if _, ok := ruleFor(Rules, r.Action); !ok || strings.TrimSpace(string(r.Action)) == "" {
			t.Errorf("rule %v", r)
		}
		for _, s := range r.From {
			// Reopen, and the corrections and decisions on deliveries, act on
			// a fulfilled demand; reopen and the decisions on kept
			// deliveries on a withdrawn one; an acknowledgement on a demand
			// in any status.
			fulfilledOK := slices.Contains([]Action{ActionReopen, ActionAdjust, ActionAcceptDelivery, ActionDeclineDelivery}, r.Action)
			withdrawnOK := slices.Contains([]Action{ActionReopen, ActionAcceptDelivery, ActionDeclineDelivery}, r.Action)
			if s.Terminal() && r.Action != ActionAckConflict && (!fulfilledOK || s != StatusFulfilled) && (!withdrawnOK || s != StatusWithdrawn) {
				t.Errorf("Rules: %s from terminal status %s", r.Action, s)
			}
		}
	}
}
