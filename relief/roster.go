package relief

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// Member is a roster entry, and the viewer of Project. The zero Member is an
// anonymous viewer (public fields only).
type Member struct {
	Key          ledger.DeviceID `json:"key" level:"team"`
	Name         string          `json:"name" level:"team"`
	Role         Role            `json:"role" level:"team"`
	EndorsedBy   ledger.DeviceID `json:"endorsed_by" level:"team"` // zero for the genesis member
	Since        ledger.Stamp    `json:"since" level:"team"`       // when endorsed (or genesis)
	Genesis      bool            `json:"genesis" level:"team"`     // the network's first coordinator
	Revoked      bool            `json:"revoked" level:"team"`
	RevokedAfter uint64          `json:"revoked_after" level:"team"` // last seq accepted, if Revoked
}

// Active reports whether m is a member whose change seq is accepted.
func (m Member) Active(seq uint64) bool {
	return !m.Key.IsZero() && m.Role.Valid() && !(m.Revoked && seq > m.RevokedAfter)
}

// Errors returned by Roster.Admits.
var (
	ErrNotMember = errors.New("not a member")
	ErrRevoked   = errors.New("revoked")
)

// CanEndorse reports whether a member with role by may endorse a new member with
// role to: a coordinator may endorse any role; a reviewer or a volunteer may
// endorse volunteers only; an observer nobody.
func CanEndorse(by, to Role) bool {
	switch by {
	case RoleCoordinator:
		return to.Valid()
	case RoleReviewer, RoleVolunteer:
		return to == RoleVolunteer
	}
	return false
}

// Roster is the membership of a network, folded from its member records by
// NewRoster. A nil *Roster is empty. It is immutable once built.
type Roster struct {
	members   map[ledger.DeviceID]Member
	genesis   ledger.DeviceID
	conflicts []Conflict
	// roles is each member's role history: the genesis, endorsement and
	// promotions that applied to it, in total order (see RoleAt).
	roles map[ledger.DeviceID][]roleChange
}

// roleChange is one applied genesis, endorse or promote step: from Meta on,
// its target holds Role.
type roleChange struct {
	Meta Meta
	Role Role
}

// NewRoster folds member records (records of other kinds are ignored) into a
// roster. All member steps of all records are folded together in total order
// (Meta.Compare), each checked against the roster as it stands then:
//
//   - genesis makes its author the first coordinator; it applies only as op 0 of
//     seq 1 of the author's own feed and only if no genesis applied before it, so
//     of two geneses the one with the lowest (Stamp, Device) wins (the store
//     admits only the genesis whose founder and nonce hash to its network id,
//     GenesisNetwork, so a network's records never hold a second one);
//   - endorse adds a new member with a role, if the author is active and
//     CanEndorse(author's role, role); a key already in the roster (even revoked)
//     cannot be endorsed again: a revoked person joins with a new key;
//   - promote gives an existing, unrevoked member a new role; coordinators only;
//   - revoke marks a member revoked after a seq; coordinators only; the first
//     revocation of a member stands.
//   - a revocation of T after N is judged without T's own steps past N (the
//     steps it cuts), and those steps are left out of the roster where it
//     applies: a revocation resting on a promotion T made past the cut is
//     void (ReasonRole), one that T's demotion of its author past the cut
//     would have preceded stands;
//   - of two revocations that each cut the other's author before it (two
//     coordinators revoking each other at once), the first in total order
//     stands and the other is refused (ReasonRevoked): either would be a
//     fixed point, and every store must pick the same.
//
// An author is active at a step if it is a member and the step's seq is not past
// its revocation. Steps that do not apply are listed by Conflicts. Given the same
// records, NewRoster returns the same roster whatever their order.
func NewRoster(records []*Record) *Roster {
	var steps []rosterStep
	for _, rec := range records {
		if rec == nil || rec.Kind != KindMember {
			continue
		}
		target, err := ledger.ParseDeviceID(rec.ID)
		if err != nil {
			continue // ValidateOp keeps such records empty
		}
		for _, s := range rec.Transitions {
			steps = append(steps, rosterStep{s, target})
		}
	}
	slices.SortFunc(steps, func(a, b rosterStep) int { return a.Meta.Compare(b.Meta) })
	// one step given twice (a store's evidence of a revocation it holds
	// applied too) is one step
	steps = slices.CompactFunc(steps, func(a, b rosterStep) bool { return a.Meta.Compare(b.Meta) == 0 })
	var revokes []int
	for i := range steps {
		if steps[i].Action == OpRevoke {
			revokes = append(revokes, i)
		}
	}
	// When no revocation's target made member steps past its cut, leaving
	// them out changes nothing: the plain fold is the answer (the common
	// case, and the cheap one: the judgement below folds once per
	// revocation).
	last := map[ledger.DeviceID]uint64{} // per author, its highest seq with a member step
	for i := range steps {
		last[steps[i].Meta.Device] = max(last[steps[i].Meta.Device], steps[i].Meta.Seq)
	}
	if !slices.ContainsFunc(revokes, func(i int) bool { return last[steps[i].target] > steps[i].Args.AfterSeq }) {
		r, _ := foldRoster(steps, nil, nil)
		return r
	}
	// A revocation of T after N is judged without T's own steps past N,
	// which it cuts: with them, it could rest on a promotion T made past the
	// cut (then the cut undoes the promotion, the revocation no longer
	// applies, the steps come back: no fixed point), or fail on a demotion
	// of its author that T made past the cut (then a store that holds T's
	// changes and one that refused them disagree for good). Judged without
	// them, every store decides alike whether or not it holds them. The cuts
	// are found by iteration: the revocations that apply, each judged with
	// the cuts of the others, until they no longer change.
	cuts := map[ledger.DeviceID]uint64{}
	var chosen map[Meta]bool
	for range len(revokes) + 1 {
		chosen = map[Meta]bool{}
		next := map[ledger.DeviceID]uint64{}
		for _, i := range revokes {
			s := &steps[i]
			if _, ok := next[s.target]; ok {
				continue // the first revocation of a member that applies stands
			}
			excl := maps.Clone(cuts)
			excl[s.target] = s.Args.AfterSeq
			r, by := foldRoster(steps, nil, pastCuts(excl))
			if st := by[s.target]; st != nil && st.Meta == s.Meta && r.members[s.target].RevokedAfter == s.Args.AfterSeq {
				chosen[s.Meta] = true
				next[s.target] = s.Args.AfterSeq
			}
		}
		// Two revocations can each cut the other's author before it (two
		// coordinators revoking each other at once): each applies judged
		// alone, and with both cuts neither does, so the rounds would swing
		// between both and none. Of the revocations that apply, the first
		// in total order stands; a later one whose author it cuts before
		// it goes (its step is past that cut).
		kept := map[ledger.DeviceID]uint64{}
		for _, i := range revokes {
			s := &steps[i]
			if !chosen[s.Meta] {
				continue
			}
			if at, ok := kept[s.Meta.Device]; ok && s.Meta.Seq > at {
				delete(chosen, s.Meta)
				continue
			}
			kept[s.target] = s.Args.AfterSeq
		}
		next = kept
		if maps.Equal(next, cuts) {
			break
		}
		cuts = next
	}
	void := map[Meta]bool{}
	for _, i := range revokes {
		if !chosen[steps[i].Meta] {
			void[steps[i].Meta] = true
		}
	}
	// The steps past the cuts are left out of the roster too: a store cuts
	// them, and one that holds them must decide as one that does not.
	r, _ := foldRoster(steps, void, pastCuts(cuts))
	return r
}

// pastCuts returns a skip for foldRoster that leaves out the steps each
// member in cuts made past its cut.
func pastCuts(cuts map[ledger.DeviceID]uint64) func(*rosterStep) bool {
	if len(cuts) == 0 {
		return nil
	}
	return func(s *rosterStep) bool {
		at, ok := cuts[s.Meta.Device]
		return ok && s.Meta.Seq > at
	}
}

// rosterStep is a member step and the member it concerns.
type rosterStep struct {
	Step
	target ledger.DeviceID
}

// foldRoster folds steps (in total order) as NewRoster describes, but that
// the revocations in void do not apply (ReasonRole) and the steps skip
// reports are left out. It also returns the step that revoked each revoked
// member.
func foldRoster(steps []rosterStep, void map[Meta]bool, skip func(*rosterStep) bool) (*Roster, map[ledger.DeviceID]*Step) {
	r := &Roster{members: make(map[ledger.DeviceID]Member), roles: make(map[ledger.DeviceID][]roleChange)}
	revokedBy := map[ledger.DeviceID]*Step{}
	var genesisStep *Step
	lastStep := make(map[ledger.DeviceID]*Step) // per member: the step that last changed it
	for i := range steps {
		s := &steps[i]
		if skip != nil && skip(s) {
			continue
		}
		m := s.Meta
		c := conflictAt(m, s.Action, "")
		c.Target = s.target
		fail := func(reason Reason, winner *Step) {
			c.Reason = reason
			r.conflicts = append(r.conflicts, c.won(winner))
		}
		if s.Action == OpGenesis {
			switch {
			case genesisStep != nil:
				fail(ReasonGenesisExists, genesisStep)
			case m.Device != s.target || m.Seq != 1 || m.Index != 0:
				fail(ReasonNotFirst, nil)
			default:
				genesisStep = &s.Step
				r.genesis = s.target
				r.members[s.target] = Member{Key: s.target, Name: s.Args.Name, Role: RoleCoordinator, Since: m.Stamp, Genesis: true}
				r.roles[s.target] = append(r.roles[s.target], roleChange{m, RoleCoordinator})
				lastStep[s.target] = &s.Step
			}
			continue
		}
		author, ok := r.members[m.Device]
		if !ok {
			fail(ReasonNotMember, nil)
			continue
		}
		if !author.Active(m.Seq) {
			fail(ReasonRevoked, lastStep[m.Device])
			continue
		}
		target, exists := r.members[s.target]
		switch s.Action {
		case OpEndorse:
			switch {
			case !CanEndorse(author.Role, s.Args.Role):
				fail(ReasonRole, nil)
			case exists:
				fail(ReasonAlreadyMember, lastStep[s.target])
			default:
				r.members[s.target] = Member{Key: s.target, Name: s.Args.Name, Role: s.Args.Role, EndorsedBy: m.Device, Since: m.Stamp}
				r.roles[s.target] = append(r.roles[s.target], roleChange{m, s.Args.Role})
				lastStep[s.target] = &s.Step
			}
		case OpPromote, OpRevoke:
			switch {
			case author.Role != RoleCoordinator:
				fail(ReasonRole, nil)
			case !exists:
				fail(ReasonNotMember, nil)
			case target.Revoked && s.Action == OpRevoke:
				fail(ReasonAlreadyRevoked, lastStep[s.target])
			case target.Revoked:
				fail(ReasonRevoked, lastStep[s.target])
			case s.Action == OpRevoke && void[m]:
				// judged without its target's steps past the cut, it does
				// not apply (NewRoster): its author's role came from them,
				// or another revocation cuts first
				fail(ReasonRole, nil)
			case s.Action == OpPromote:
				target.Role = s.Args.Role
				r.members[s.target] = target
				r.roles[s.target] = append(r.roles[s.target], roleChange{m, s.Args.Role})
				lastStep[s.target] = &s.Step
			default:
				target.Revoked, target.RevokedAfter = true, s.Args.AfterSeq
				r.members[s.target] = target
				lastStep[s.target] = &s.Step
				revokedBy[s.target] = &s.Step
			}
		}
	}
	return r, revokedBy
}

// Member returns the roster entry of key.
func (r *Roster) Member(key ledger.DeviceID) (Member, bool) {
	if r == nil {
		return Member{}, false
	}
	m, ok := r.members[key]
	return m, ok
}

// Admits returns the member whose change (device, seq) is being checked. It fails
// with ErrNotMember if device is not in the roster and with ErrRevoked (returning
// the member too) if seq is past the device's revocation.
func (r *Roster) Admits(device ledger.DeviceID, seq uint64) (Member, error) {
	m, ok := r.Member(device)
	if !ok {
		return Member{}, fmt.Errorf("device %s: %w", device.Short(), ErrNotMember)
	}
	if !m.Active(seq) {
		return m, fmt.Errorf("device %s seq %d after %d: %w", device.Short(), seq, m.RevokedAfter, ErrRevoked)
	}
	return m, nil
}

// RoleAt returns the roster entry of device as it stood at position m of the
// fold order (Meta.Compare), for checking the operation m identifies: Role is
// the role given by the last genesis, endorsement or promotion of device
// before m. Before its endorsement a member holds the role it was endorsed
// with (a new member's first changes may be stamped before the endorsement
// reached its clock; the endorsement vouches for the key, not for a moment).
// Revocation is by seq, as in Admits, whatever the position: it fails with
// ErrNotMember if device is not in the roster and with ErrRevoked (returning
// the entry too) if m.Seq is past device's revocation.
//
// Roster changes are operations in the same total order as the ones they
// judge, so every peer holding the same records gets the same answer.
func (r *Roster) RoleAt(device ledger.DeviceID, m Meta) (Member, error) {
	mem, err := r.Admits(device, m.Seq)
	if err != nil {
		return mem, err
	}
	mem.Role = r.roleAt(device, m)
	return mem, nil
}

// roleAt is the role of member device at position m (see RoleAt); "" if
// device is not a member.
func (r *Roster) roleAt(device ledger.DeviceID, m Meta) Role {
	if r == nil {
		return ""
	}
	h := r.roles[device]
	if len(h) == 0 {
		return ""
	}
	// the last change before m; the first one if none is
	i, _ := slices.BinarySearchFunc(h, m, func(c roleChange, m Meta) int { return c.Meta.Compare(m) })
	return h[max(i-1, 0)].Role
}

// SameRoles reports whether key's role history (what RoleAt answers) is the
// same in r and o; the store re-derives what a member wrote when it is not.
func (r *Roster) SameRoles(o *Roster, key ledger.DeviceID) bool {
	var a, b []roleChange
	if r != nil {
		a = r.roles[key]
	}
	if o != nil {
		b = o.roles[key]
	}
	return slices.EqualFunc(a, b, func(x, y roleChange) bool { return x.Role == y.Role && x.Meta.Compare(y.Meta) == 0 })
}

// Chain returns the endorsement chain of device: the member itself, who endorsed
// it, who endorsed them, and so on up to the genesis member. It is empty if device
// is not a member.
func (r *Roster) Chain(device ledger.DeviceID) []Member {
	var out []Member
	seen := make(map[ledger.DeviceID]bool)
	for key := device; !key.IsZero() && !seen[key]; {
		m, ok := r.Member(key)
		if !ok {
			break
		}
		seen[key] = true
		out = append(out, m)
		key = m.EndorsedBy
	}
	return out
}

// Members returns every member, revoked ones included, in the order they joined.
func (r *Roster) Members() []Member {
	if r == nil {
		return nil
	}
	out := make([]Member, 0, len(r.members))
	for _, m := range r.members {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Member) int {
		if c := a.Since.Compare(b.Since); c != 0 {
			return c
		}
		return a.Key.Compare(b.Key)
	})
	return out
}

// Genesis returns the genesis member, if there is one.
func (r *Roster) Genesis() (Member, bool) {
	if r == nil || r.genesis.IsZero() {
		return Member{}, false
	}
	return r.Member(r.genesis)
}

// Conflicts returns the member steps that did not apply, in total order.
func (r *Roster) Conflicts() []Conflict {
	if r == nil {
		return nil
	}
	return slices.Clone(r.conflicts)
}
