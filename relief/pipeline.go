package relief

import (
	"fmt"
	"slices"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// Rule says who may take one action and from which statuses.
//
// A member may take the action when the entity is in one of From, the ownership
// condition holds (Unowned, Owned), the member is active in the roster, is not an
// observer, and either has one of Roles, or is the entity's owner and Owner is set,
// or authored the entity's first operation and Creator is set. For a task the
// "owner" is the volunteer it is offered to.
type Rule struct {
	Action  Action
	From    []Status
	To      Status // status after the action; "" leaves it unchanged
	Roles   []Role // roles that may always take the action
	Owner   bool   // the current owner may take it
	Creator bool   // the member who created the entity may take it
	Unowned bool   // only while the entity has no owner
	Owned   bool   // only while the entity has an owner
}

var (
	open      = []Status{StatusCollected, StatusApproved, StatusPublished, StatusInProgress}
	claimable = []Status{StatusPublished, StatusInProgress}
	staff     = []Role{RoleCoordinator, RoleReviewer}
	claimers  = []Role{RoleCoordinator, RoleReviewer, RoleVolunteer}
	delivered = []Status{StatusPublished, StatusInProgress, StatusFulfilled}
	// decided: where a pending delivery may be accepted or declined; a
	// withdrawn demand keeps the deliveries recorded on it (withdraw.go).
	decided = []Status{StatusPublished, StatusInProgress, StatusFulfilled, StatusWithdrawn}
)

// Rules is the demand pipeline table:
//
//	action          from                                   to           who
//	approve         collected                              approved     reviewer, coordinator
//	reject          collected, approved                    rejected     reviewer, coordinator
//	mark_duplicate  collected, approved, published         duplicate    reviewer, coordinator
//	publish         approved                               published    reviewer, coordinator
//	claim           published, in_progress (unowned)       —            volunteer, reviewer, coordinator
//	handover        published, in_progress                 —            owner, coordinator (to a member who may claim)
//	release         published, in_progress (owned)         —            owner
//	progress        published, in_progress (owned)         in_progress  owner
//	fulfil          published, in_progress (owned)         fulfilled    owner
//	withdraw        collected … in_progress                withdrawn    coordinator, creator, owner (Args.Note: the reason; the desk requires one for someone else's demand)
//	reopen          fulfilled, withdrawn                   in_progress† coordinator (Args.Note, the reason, required)
//	follow_up       published, in_progress (owned)         —            owner (Args.Note required)
//	request_transfer published, in_progress (owned)        —            volunteer, reviewer, coordinator but the owner (Args.Note, Args.Until)
//	accept_transfer published, in_progress (owned)         —            owner, while a request is pending (Args.To, the requester)
//	decline_transfer published, in_progress (owned)        —            owner, while a request is pending (Args.To, Args.Note)
//	take_over       published, in_progress (owned)         —            the requester, once the request's Args.Until has passed unanswered
//	recheck         published, in_progress                 — / withdrawn reviewer, coordinator (Args.Outcome; no_longer_needed withdraws)
//	deliver         published, in_progress (owned)         in_progress  owner (Args.Received: this delivery)
//	adjust          published, in_progress, fulfilled      —            owner, coordinator (Args.Note, the reason, required)
//	accept_delivery published … fulfilled, withdrawn       in_progress* owner, coordinator (Args.Ref: a pending delivery)
//	decline_delivery published … fulfilled, withdrawn      —            owner, coordinator (Args.Ref: a pending delivery)
//	ack_conflict    any                                    —            the conflict's author, coordinator (Args.Ref)
//
// (*) accept_delivery moves a published demand to in_progress, as a deliver
// does; in progress, fulfilled and withdrawn demands keep their status.
//
// (†) a reopen of a withdrawn demand undoes the withdrawal: the demand goes
// back to the status it had when it was withdrawn (collected, approved,
// published or in progress), with its owner.
//
// A deliver refused because its author no longer owned the demand (or because
// it was already fulfilled or withdrawn) is kept as a pending delivery (see
// Delivery): goods counted as received in the field are never dropped. A
// withdrawal is told (ReplyWithdrawn, see DemandNotices) to the owner when
// someone else withdrew, and to the coordinators when goods had been
// received. An
// approve, reject, publish or mark_duplicate that names the status its author
// saw (Args.Seen) does not apply when the demand has moved on since: two
// reviewers' concurrent verdicts make one conflict. ack_conflict is not a
// lifecycle step: FoldDemand marks the conflict it names as acknowledged.
//
// Observers may take no action. A claim sets the owner to the claimant, a handover
// to Args.To, a release clears it; the owner of a closed demand is kept as the
// accountable one, so a reopened demand goes back to the owner who fulfilled it.
var Rules = []Rule{
	{Action: ActionApprove, From: []Status{StatusCollected}, To: StatusApproved, Roles: staff},
	{Action: ActionReject, From: []Status{StatusCollected, StatusApproved}, To: StatusRejected, Roles: staff},
	{Action: ActionMarkDuplicate, From: []Status{StatusCollected, StatusApproved, StatusPublished}, To: StatusDuplicate, Roles: staff},
	{Action: ActionPublish, From: []Status{StatusApproved}, To: StatusPublished, Roles: staff},
	{Action: ActionClaim, From: claimable, Roles: claimers, Unowned: true},
	{Action: ActionHandover, From: claimable, Roles: []Role{RoleCoordinator}, Owner: true},
	{Action: ActionRelease, From: claimable, Owner: true, Owned: true},
	{Action: ActionProgress, From: claimable, To: StatusInProgress, Owner: true, Owned: true},
	{Action: ActionFulfil, From: claimable, To: StatusFulfilled, Owner: true, Owned: true},
	{Action: ActionWithdraw, From: open, To: StatusWithdrawn, Roles: []Role{RoleCoordinator}, Creator: true, Owner: true},
	{Action: ActionReopen, From: []Status{StatusFulfilled, StatusWithdrawn}, To: StatusInProgress, Roles: []Role{RoleCoordinator}},
	// Ownership that cannot rot and fresh demands (ownership.go).
	{Action: ActionFollowUp, From: claimable, Owner: true, Owned: true},
	{Action: ActionRequestTransfer, From: claimable, Roles: claimers, Owned: true},
	{Action: ActionAcceptTransfer, From: claimable, Owner: true, Owned: true},
	{Action: ActionDeclineTransfer, From: claimable, Owner: true, Owned: true},
	{Action: ActionTakeOver, From: claimable, Roles: claimers, Owned: true},
	{Action: ActionRecheck, From: claimable, Roles: staff},
	// Deliveries and conflicts (deliveries.go).
	{Action: ActionDeliver, From: claimable, To: StatusInProgress, Owner: true, Owned: true},
	{Action: ActionAdjust, From: delivered, Roles: []Role{RoleCoordinator}, Owner: true},
	{Action: ActionAcceptDelivery, From: decided, Roles: []Role{RoleCoordinator}, Owner: true},
	{Action: ActionDeclineDelivery, From: decided, Roles: []Role{RoleCoordinator}, Owner: true},
	{Action: ActionAckConflict, From: DemandStatuses, Roles: []Role{RoleCoordinator, RoleReviewer, RoleVolunteer}},
}

// TaskRules is the task table: the volunteer a task is offered to (its "owner")
// accepts or declines it, and completes it once accepted; a coordinator may also
// mark it complete.
//
//	action    from               to        who
//	accept    offered            accepted  offered-to volunteer
//	decline   offered, accepted  declined  offered-to volunteer
//	complete  accepted           done      offered-to volunteer, coordinator
var TaskRules = []Rule{
	{Action: ActionAccept, From: []Status{StatusOffered}, To: StatusAccepted, Owner: true, Owned: true},
	{Action: ActionDecline, From: []Status{StatusOffered, StatusAccepted}, To: StatusDeclined, Owner: true, Owned: true},
	{Action: ActionComplete, From: []Status{StatusAccepted}, To: StatusDone, Roles: []Role{RoleCoordinator}, Owner: true},
	// Safety check-ins (checkin.go): the volunteer, or a coordinator recording their call.
	{Action: ActionCheckIn, From: []Status{StatusAccepted}, Roles: []Role{RoleCoordinator}, Owner: true},
	{Action: ActionCheckOut, From: []Status{StatusAccepted, StatusDone}, Roles: []Role{RoleCoordinator}, Owner: true},
}

func ruleFor(rules []Rule, a Action) (Rule, bool) {
	for _, r := range rules {
		if r.Action == a {
			return r, true
		}
	}
	return Rule{}, false
}

// Reason is a stable code saying why a step did not apply; the UI translates it.
type Reason string

// Reasons a step does not apply.
const (
	ReasonNotMember      Reason = "not_member"      // the author is not in the roster
	ReasonRevoked        Reason = "revoked"         // the author was revoked before this change
	ReasonRole           Reason = "role"            // the author's role may not take this action
	ReasonStatus         Reason = "status"          // the entity was no longer in a status the action applies to
	ReasonOwned          Reason = "owned"           // someone else had claimed it first
	ReasonNotOwned       Reason = "not_owned"       // nobody owned it (release, progress, fulfil)
	ReasonNotOwner       Reason = "not_owner"       // someone else owns it
	ReasonBadTarget      Reason = "bad_target"      // handover to someone who may not own it, duplicate of itself
	ReasonClosed         Reason = "closed"          // an edit made after the entity was closed
	ReasonNotCreated     Reason = "not_created"     // a step on a demand whose creation is not held (undone by a revocation, or not arrived yet)
	ReasonGenesisExists  Reason = "genesis_exists"  // a second genesis; the earliest one won
	ReasonNotFirst       Reason = "not_first"       // a genesis that is not the first op of its author's feed
	ReasonAlreadyMember  Reason = "already_member"  // an endorsement of someone already endorsed
	ReasonAlreadyRevoked Reason = "already_revoked" // a revocation of someone already revoked
)

// Conflict is a step that did not apply, kept so that people can see it: who tried
// what and when, why it failed and, where there is one, whose earlier step won.
type Conflict struct {
	Action       Action          `json:"action"`
	By           ledger.DeviceID `json:"by"`
	At           ledger.Stamp    `json:"at"`
	Seq          uint64          `json:"seq"`
	Change       ledger.Hash     `json:"change"`
	Index        int             `json:"index"`
	Reason       Reason          `json:"reason"`
	Field        string          `json:"field,omitempty"` // ReasonClosed: the field edited
	Target       ledger.DeviceID `json:"target"`          // member ops: the member concerned; handover: the new owner
	Winner       ledger.DeviceID `json:"winner"`          // author of the step that won, zero if none
	WinnerAt     ledger.Stamp    `json:"winner_at"`       // its stamp
	WinnerAction Action          `json:"winner_action"`   // its action
	AckedBy      ledger.DeviceID `json:"acked_by"`        // who acknowledged it (ActionAckConflict); zero: nobody yet
	AckedAt      ledger.Stamp    `json:"acked_at"`        // when
}

func conflictAt(m Meta, a Action, r Reason) Conflict {
	return Conflict{Action: a, By: m.Device, At: m.Stamp, Seq: m.Seq, Change: m.Change, Index: m.Index, Reason: r}
}

func (c Conflict) won(s *Step) Conflict {
	if s != nil {
		c.Winner, c.WinnerAt, c.WinnerAction = s.Meta.Device, s.Meta.Stamp, s.Action
	}
	return c
}

// String describes the conflict in English, e.g. "claim by abcd1234 at 14:02:05
// lost to efgh5678's claim at 13:58:40 (owned)". The UI builds its own, translated
// message from the fields.
func (c Conflict) String() string {
	at := func(s ledger.Stamp) string { return s.Time().Format(time.TimeOnly) }
	what := string(c.Action)
	if c.Field != "" {
		what += " of " + c.Field
	}
	s := fmt.Sprintf("%s by %s at %s", what, c.By.Short(), at(c.At))
	if !c.Winner.IsZero() {
		s += fmt.Sprintf(" lost to %s's %s at %s", c.Winner.Short(), c.WinnerAction, at(c.WinnerAt))
	}
	return s + " (" + string(c.Reason) + ")"
}

// lifecycle is the state a fold has reached.
type lifecycle struct {
	status   Status
	owner    ledger.DeviceID
	creator  ledger.DeviceID
	self     string // the entity id
	lastMove *Step  // the step that set the status
	ownedBy  *Step  // the step that set the owner
	// before is the status a withdraw left: a reopen of the withdrawn
	// demand goes back to it.
	before Status
	// beforeBy is who took the step that set the status a withdraw left
	// (zero: none since the creation).
	beforeBy ledger.DeviceID
	transfer *Step // the pending transfer request (ownership.go), nil if none
	// uncreated: the entity's creation is not held (FoldDemand: no title was
	// ever written); every step is then a ReasonNotCreated conflict.
	uncreated bool
	// hooks, if set, checks a step that passed the rules against state the
	// lifecycle does not keep (a pending delivery) and is told of each step
	// by an admitted member that the rules refused (stepHooks). An interface
	// rather than two closures: a demand's fold makes its lifecycle, its
	// delivery fold and the hooks in one allocation (demandLifecycle).
	hooks stepHooks
	// owners lists the changes of owner made by the steps that applied, in
	// fold order (FieldRules judge a write by the owner at its position).
	owners []ownerChange
}

// stepHooks are what a lifecycle consults beyond its rules: more checks a
// step that passed them (Reason "" if it applies); refused is told of each
// step by an admitted member that the rules refused, with its conflict.
type stepHooks interface {
	more(s *Step) Reason
	refused(s *Step, c Conflict)
}

// ownerChange is an applied step that changed the owner: from Meta on, the
// owner is Owner (zero: nobody).
type ownerChange struct {
	Meta  Meta
	Owner ledger.DeviceID
}

// ownerAt returns the owner at position m: the one set by the last change of
// owner before m, or initial if none came before it.
func ownerAt(owners []ownerChange, initial ledger.DeviceID, m Meta) ledger.DeviceID {
	i, _ := slices.BinarySearchFunc(owners, m, func(c ownerChange, m Meta) int { return c.Meta.Compare(m) })
	if i == 0 {
		return initial
	}
	return owners[i-1].Owner
}

// check reports why actor may not take rule's action in state st (Reason "" if it
// may), and the step that stands in the way, if any. It ignores arguments.
func (st *lifecycle) check(rule Rule, actor Member) (Reason, *Step) {
	if !slices.Contains(rule.From, st.status) {
		return ReasonStatus, st.lastMove
	}
	if rule.Unowned && !st.owner.IsZero() {
		return ReasonOwned, st.ownedBy
	}
	if rule.Owned && st.owner.IsZero() {
		return ReasonNotOwned, st.lastMove
	}
	if actor.Role == RoleObserver || !actor.Role.Valid() {
		return ReasonRole, nil
	}
	if slices.Contains(rule.Roles, actor.Role) ||
		(rule.Owner && !st.owner.IsZero() && actor.Key == st.owner) ||
		(rule.Creator && actor.Key == st.creator) {
		return "", nil
	}
	if rule.Owner && len(rule.Roles) == 0 {
		if st.owner.IsZero() {
			return ReasonNotOwned, st.lastMove
		}
		return ReasonNotOwner, st.ownedBy
	}
	return ReasonRole, nil
}

// fold folds steps (sorted) with rules, checking each against the state it meets
// and the role its author held at its position (Roster.RoleAt), and returns the applied steps and the conflicts.
// apply is called for each step that applies, after status and owner are updated.
func (st *lifecycle) fold(steps []Step, rules []Rule, roster *Roster, apply func(*Step)) (history []Step, conflicts []Conflict) {
	for i := range steps {
		s := &steps[i]
		rule, ok := ruleFor(rules, s.Action)
		if !ok {
			continue // ValidateOp keeps unknown actions out
		}
		actor, err := roster.RoleAt(s.Meta.Device, s.Meta)
		if err != nil {
			r := ReasonNotMember
			if actor.Revoked {
				r = ReasonRevoked
			}
			conflicts = append(conflicts, conflictAt(s.Meta, s.Action, r))
			continue
		}
		if st.uncreated {
			conflicts = append(conflicts, conflictAt(s.Meta, s.Action, ReasonNotCreated))
			continue
		}
		if reason, winner := st.check(rule, actor); reason != "" {
			c := conflictAt(s.Meta, s.Action, reason).won(winner)
			conflicts = append(conflicts, c)
			if st.hooks != nil {
				st.hooks.refused(s, c)
			}
			continue
		}
		if s.Args.Seen != "" && s.Args.Seen != st.status {
			conflicts = append(conflicts, conflictAt(s.Meta, s.Action, ReasonStatus).won(st.lastMove))
			continue
		}
		if reason := st.checkArgs(s, roster); reason != "" {
			c := conflictAt(s.Meta, s.Action, reason)
			c.Target = s.Args.To
			conflicts = append(conflicts, c)
			continue
		}
		if st.hooks != nil {
			if reason := st.hooks.more(s); reason != "" {
				conflicts = append(conflicts, conflictAt(s.Meta, s.Action, reason))
				continue
			}
		}
		owner, prev, prevMove := st.owner, st.status, st.lastMove
		if rule.To != "" {
			st.status, st.lastMove = rule.To, s
		}
		switch {
		case s.Action == ActionWithdraw:
			st.before, st.beforeBy = prev, ledger.DeviceID{}
			if prevMove != nil {
				st.beforeBy = prevMove.Meta.Device
			}
		case s.Action == ActionReopen && prev == StatusWithdrawn && st.before != "":
			st.status = st.before // the withdrawal undone
		}
		if s.Action == ActionAcceptDelivery && st.status == StatusPublished {
			// a delivery counted puts a published demand in progress, as the
			// owner's own deliver does; a fulfilled one stays fulfilled
			st.status, st.lastMove = StatusInProgress, s
		}
		switch s.Action {
		case ActionClaim:
			st.owner, st.ownedBy = s.Meta.Device, s
		case ActionHandover:
			st.owner, st.ownedBy = s.Args.To, s
		case ActionRelease:
			st.owner, st.ownedBy = ledger.DeviceID{}, s
		}
		st.afterOwnership(s)
		if st.owner != owner {
			st.owners = append(st.owners, ownerChange{s.Meta, st.owner})
		}
		if apply != nil {
			apply(s)
		}
		history = append(history, *s)
	}
	return history, conflicts
}

func (st *lifecycle) checkArgs(s *Step, roster *Roster) Reason {
	switch s.Action {
	case ActionHandover:
		to, err := roster.Admits(s.Args.To, 0)
		if err == nil {
			to.Role = roster.roleAt(s.Args.To, s.Meta) // the role they hold when it is handed over
		}
		if err != nil || to.Revoked || !slices.Contains(claimers, to.Role) || s.Args.To == st.owner {
			return ReasonBadTarget
		}
	case ActionMarkDuplicate:
		if s.Args.DuplicateOf == st.self {
			return ReasonBadTarget
		}
	case ActionRequestTransfer, ActionAcceptTransfer, ActionDeclineTransfer, ActionTakeOver:
		return st.checkOwnership(s, roster)
	}
	return ""
}

// Allowed returns the actions actor may take on the demand d now, in table order.
// It does not check arguments (whom a handover goes to, what was received).
func Allowed(d Demand, actor Member) []Action {
	return ownershipAllowed(d, actor, allowed(Rules, &lifecycle{status: d.Status, owner: d.Owner, creator: d.CreatedBy, self: d.ID}, actor))
}

// AllowedTask returns the actions actor may take on the task t now.
func AllowedTask(t Task, actor Member) []Action {
	return allowed(TaskRules, &lifecycle{status: t.Status, owner: t.OfferedTo, creator: t.CreatedBy, self: t.ID}, actor)
}

func allowed(rules []Rule, st *lifecycle, actor Member) []Action {
	if actor.Key.IsZero() || actor.Revoked {
		return nil
	}
	var out []Action
	for _, r := range rules {
		if r.Action == ActionAckConflict {
			continue // not a step on the demand: see DemandNotices
		}
		if reason, _ := st.check(r, actor); reason == "" {
			out = append(out, r.Action)
		}
	}
	return out
}
