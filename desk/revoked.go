package desk

import (
	"fmt"
	"slices"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// CodeRevoked: this device's member was revoked; nothing it records is
// accepted any more. Args "by" (the coordinator's name), "by_id" (their
// member id) and "at" (RFC 3339, UTC) say who and when, when known.
const CodeRevoked = "revoked"

// ReasonRevokedBy (CodeRevoked): who and when are known, in Args "by" and "at".
const ReasonRevokedBy = "by"

// Revocation is how a member was revoked: by which coordinator, when (the
// revoke step's stamp), and after which of their changes (the last one
// still accepted).
type Revocation struct {
	By       ledger.DeviceID
	ByName   string // the coordinator's name in the roster; "" when not there
	At       time.Time
	AfterSeq uint64
}

// RevocationOf returns how member key was revoked: the first revoke step on
// their roster entry, in the roster's order, by a coordinator (the one
// relief.NewRoster applies). false when they are not revoked or the step
// cannot be read.
func (d *Desk) RevocationOf(key ledger.DeviceID) (Revocation, bool) {
	m, ok := d.st.Member(key)
	if !ok || !m.Revoked {
		return Revocation{}, false
	}
	rec, err := d.st.Record(relief.KindMember, key.String())
	if err != nil {
		return Revocation{}, false
	}
	steps := slices.Clone(rec.Transitions)
	slices.SortFunc(steps, func(a, b relief.Step) int { return a.Meta.Compare(b.Meta) })
	for _, s := range steps {
		if s.Action != relief.OpRevoke {
			continue
		}
		by, ok := d.st.Member(s.Meta.Device)
		if !ok || by.Role != relief.RoleCoordinator {
			continue
		}
		return Revocation{By: by.Key, ByName: by.Name, At: s.Meta.Stamp.Time().UTC(), AfterSeq: s.Args.AfterSeq}, true
	}
	return Revocation{By: ledger.DeviceID{}, AfterSeq: m.RevokedAfter}, true
}

// revokedError returns CodeRevoked when this device's member was revoked,
// saying by whom and when; nil otherwise.
func (d *Desk) revokedError() error {
	me, ok := d.st.Me()
	if !ok || !me.Revoked {
		return nil
	}
	return d.revokedOf(me.Key)
}

// revokedOf is CodeRevoked for member key.
func (d *Desk) revokedOf(key ledger.DeviceID) *Error {
	e := &Error{Code: CodeRevoked, Message: "you were revoked", Args: map[string]string{}}
	if r, ok := d.RevocationOf(key); ok && !r.By.IsZero() {
		e.Message = fmt.Sprintf("you were revoked by %s at %s", r.ByName, r.At.Format(time.RFC3339))
		e.Args["reason"], e.Args["by"], e.Args["by_id"], e.Args["at"] = ReasonRevokedBy, r.ByName, r.By.String(), r.At.Format(time.RFC3339)
	}
	return e
}
