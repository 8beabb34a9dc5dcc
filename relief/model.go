package relief

import (
	"bytes"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// Entity kinds: the Kind of a ledger.Op and of a Record.
const (
	KindDemand    = "demand"    // a need for goods or help; see Demand
	KindVolunteer = "volunteer" // a volunteer's profile; see Volunteer
	KindOffer     = "offer"     // goods or services offered by a supplier; see Offer
	KindTask      = "task"      // a piece of work on a demand offered to a volunteer; see Task
	KindMember    = "member"    // a roster entry; the record id is the member's DeviceID.String()
)

// Operation types: the Type of a ledger.Op.
const (
	OpSet        = "set"        // last-writer-wins fields; body setBody
	OpAdd        = "add"        // observed-remove set additions; body addBody
	OpRemove     = "remove"     // observed-remove set removals; body removeBody
	OpTransition = "transition" // a lifecycle action on a demand or task; body transitionBody
	OpGenesis    = "genesis"    // the network's first coordinator; body Args
	OpEndorse    = "endorse"    // a member vouches for a new key with a role; body Args
	OpPromote    = "promote"    // a coordinator changes a member's role (promotion or demotion); body Args
	OpRevoke     = "revoke"     // a coordinator cuts a member's feed after a seq; body Args
)

// Role is a member's role in a network.
type Role string

// Roles, from most to least powerful.
const (
	RoleCoordinator Role = "coordinator" // runs the network: endorses anyone, promotes, revokes, publishes
	RoleReviewer    Role = "reviewer"    // reviews collected demands
	RoleVolunteer   Role = "volunteer"   // claims and fulfils published demands, takes tasks
	RoleObserver    Role = "observer"    // reads team information; does nothing
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleCoordinator, RoleReviewer, RoleVolunteer, RoleObserver}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	switch r {
	case RoleCoordinator, RoleReviewer, RoleVolunteer, RoleObserver:
		return true
	}
	return false
}

// Status is a demand's or a task's place in its lifecycle.
type Status string

// Demand statuses (the pipeline) and task statuses.
const (
	StatusCollected  Status = "collected"   // entered, awaiting review (initial)
	StatusApproved   Status = "approved"    // reviewed and found genuine
	StatusPublished  Status = "published"   // visible to volunteers, open to claim
	StatusInProgress Status = "in_progress" // the owner has recorded progress
	StatusFulfilled  Status = "fulfilled"   // done (terminal)
	StatusRejected   Status = "rejected"    // not genuine or out of scope (terminal)
	StatusDuplicate  Status = "duplicate"   // same need as another demand (terminal)
	StatusWithdrawn  Status = "withdrawn"   // no longer needed (terminal)

	StatusOffered  Status = "offered"  // task offered to a volunteer (initial)
	StatusAccepted Status = "accepted" // the volunteer accepted the task
	StatusDeclined Status = "declined" // the volunteer declined the task (terminal)
	StatusDone     Status = "done"     // the task is done (terminal)
)

// DemandStatuses lists the demand statuses in pipeline order, side exits last.
var DemandStatuses = []Status{
	StatusCollected, StatusApproved, StatusPublished, StatusInProgress, StatusFulfilled,
	StatusRejected, StatusDuplicate, StatusWithdrawn,
}

// Terminal reports whether s closes its entity: no action leads out of it but a
// coordinator's reopen of a fulfilled demand (see Rules), and edits made while
// closed are reported as conflicts.
func (s Status) Terminal() bool {
	switch s {
	case StatusFulfilled, StatusRejected, StatusDuplicate, StatusWithdrawn, StatusDeclined, StatusDone:
		return true
	}
	return false
}

// Action is a lifecycle action: the Action of a transition operation.
type Action string

// Demand actions (see Rules) and task actions (see TaskRules). Member operation
// types (genesis, endorse, promote, revoke) appear as actions in member records'
// steps and in roster conflicts; edits after a demand closed appear as ActionEdit.
const (
	ActionApprove       Action = "approve"
	ActionReject        Action = "reject"
	ActionMarkDuplicate Action = "mark_duplicate"
	ActionPublish       Action = "publish"
	ActionClaim         Action = "claim"
	ActionHandover      Action = "handover"
	ActionRelease       Action = "release"
	ActionProgress      Action = "progress"
	ActionFulfil        Action = "fulfil"
	ActionWithdraw      Action = "withdraw"
	ActionReopen        Action = "reopen"

	ActionAccept   Action = "accept"
	ActionDecline  Action = "decline"
	ActionComplete Action = "complete"

	ActionEdit Action = "edit"
)

// Urgency grades how soon a demand must be met.
type Urgency string

// Urgencies, least urgent first. The zero Urgency reads as normal.
const (
	UrgencyLow      Urgency = "low"
	UrgencyNormal   Urgency = "normal"
	UrgencyHigh     Urgency = "high"
	UrgencyCritical Urgency = "critical"
)

// Valid reports whether u is one of the urgencies.
func (u Urgency) Valid() bool {
	switch u {
	case UrgencyLow, UrgencyNormal, UrgencyHigh, UrgencyCritical:
		return true
	}
	return false
}

// Meta identifies one operation of one change; the store passes it to ApplyOp.
// It is also the operation's total order key: see Compare.
type Meta struct {
	_      struct{}        `cbor:",toarray"`
	Stamp  ledger.Stamp    // the change's hybrid logical clock stamp
	Device ledger.DeviceID // the change's author
	Seq    uint64          // the change's position in the author's feed
	Index  int             // the operation's position in the change
	Change ledger.Hash     // the change's id
}

// Compare orders operations totally by (Stamp, Device, Seq, Index), then by Change
// (which only differs for the two sides of a fork). It returns -1, 0 or +1.
func (m Meta) Compare(o Meta) int {
	if c := m.Stamp.Compare(o.Stamp); c != 0 {
		return c
	}
	if c := m.Device.Compare(o.Device); c != 0 {
		return c
	}
	switch {
	case m.Seq < o.Seq:
		return -1
	case m.Seq > o.Seq:
		return 1
	case m.Index < o.Index:
		return -1
	case m.Index > o.Index:
		return 1
	}
	return bytes.Compare(m.Change[:], o.Change[:])
}

// tag returns the observed-remove tag of the operation m identifies.
func (m Meta) tag() Tag { return Tag{Change: m.Change, Index: m.Index} }
