package relief

import (
	"slices"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// PeopleRules is the lifecycle of volunteer and offer records: they have no
// status; the one step they take is the acknowledgement of a refused write
// (ActionAckConflict naming the conflict's or its change's ref), which
// counts when its author is the refused write's author or a coordinator at
// the ack's position (applyAcks), as a demand's.
var PeopleRules = []Rule{{Action: ActionAckConflict, Roles: []Role{RoleCoordinator, RoleReviewer, RoleVolunteer, RoleObserver}}}

func init() {
	for _, k := range []string{KindVolunteer, KindOffer} {
		spec := kinds[k]
		spec.rules = PeopleRules
		kinds[k] = spec
	}
}

// ackPeople marks the conflicts cs of a volunteer or offer record rec that
// its ack_conflict steps acknowledge (applyAcks with roster).
func ackPeople(rec *Record, cs []Conflict, roster *Roster) {
	if len(cs) == 0 || len(rec.Transitions) == 0 {
		return
	}
	_, acks := splitAcks(rec.Transitions)
	applyAcks(cs, acks, roster)
}

// RecordNotices returns the inbox entries of the refused writes of a
// volunteer or offer record kind/id (the view's Conflicts), oldest first:
// one entry per refused change not acknowledged (ReplyConflict; the fields
// one change wrote are one entry, Ref the change's StepRef, Notice.Fields
// listing them), for its author (To) and the coordinators, with
// ResolveAck. A concurrent edit is for both authors (By: the one whose
// value stands). Conflicts of revoked members and non-members are left
// out (the roster's own conflicts tell them). It reads its arguments only,
// so every peer derives the same entries.
func RecordNotices(kind, id string, conflicts []Conflict) []Pending {
	var out []Pending
	code := Code(kind, id)
	eachNoticed(conflicts, func(c Conflict, ref string, fields []string) {
		var by ledger.DeviceID
		if c.Reason == ReasonConcurrent {
			by = c.Winner
		}
		out = append(out, Pending{Kind: kind, ID: id, Code: code, What: ReplyConflict, Since: c.At.Time(), To: c.By, By: by, Ref: ref,
			Notice: &Notice{Conflict: &c, Coordinators: true, Fields: fields, Resolve: []string{ResolveAck}}})
	})
	slices.SortFunc(out, comparePending)
	return out
}

// RecordInbox returns the notices of the refused writes of volunteers and
// offers (RecordNotices of their Conflicts) that me's inbox holds, as Inbox
// holds a demand's: those addressed to me (To or By), and every one for a
// coordinator; none for a revoked member or a stranger. Not sorted: they
// join Inbox's entries, sorted together.
func RecordInbox(me ledger.DeviceID, roster *Roster, volunteers []Volunteer, offers []Offer) []Pending {
	m, ok := roster.Member(me)
	if !ok || m.Revoked || !m.Role.Valid() {
		return nil
	}
	var all []Pending
	for _, v := range volunteers {
		all = append(all, RecordNotices(KindVolunteer, v.ID, v.Conflicts)...)
	}
	for _, o := range offers {
		all = append(all, RecordNotices(KindOffer, o.ID, o.Conflicts)...)
	}
	var out []Pending
	for _, p := range all {
		if p.To == me || p.By == me || (m.Role == RoleCoordinator && p.Notice.Coordinators) {
			out = append(out, p)
		}
	}
	return out
}
