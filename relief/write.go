package relief

import (
	"errors"
	"fmt"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// ErrReadOnly is wrapped by MayWrite's errors: the member's role may not make
// the operation.
var ErrReadOnly = errors.New("role may not write this")

// MayWrite says whether member m may author op at all, before any merge:
// observers write nothing but their own profile (ProfileID) and their
// acceptance of the covenant; the network record (its name and reply-by
// windows) and the covenant's versions are written by coordinators only.
// Lifecycle steps and member ops are checked again where they are folded
// (Rules, NewRoster), field writes too (FieldRules, with the author's role
// at the write's position). The store calls it
// before this device signs a change, with its current roster entry. Remote
// changes are not refused by role: roles change without a cut in the feed, so
// peers could disagree on a refusal and never converge; folds check roles
// instead (Rules, NetworkDeadlines).
func MayWrite(m Member, op ledger.Op) error {
	switch {
	case op.Kind == KindCovenant && op.Type == OpTransition:
		return nil // every member accepts the covenant, observers too
	case op.Type == OpReportFork:
		return nil // every member reports a fork it holds the proof of, observers too
	case op.Kind == KindCovenant && m.Role != RoleCoordinator:
		return fmt.Errorf("covenant written by a %s: %w", m.Role, ErrReadOnly)
	case m.Role == RoleObserver && op.Kind == KindVolunteer && op.ID == ProfileID(m.Key):
		return nil // their own profile (FieldRules)
	case m.Role == RoleObserver:
		return fmt.Errorf("%s/%s %s by an observer: %w", op.Kind, op.ID, op.Type, ErrReadOnly)
	case op.Kind == KindNetwork && m.Role != RoleCoordinator:
		return fmt.Errorf("network settings changed by a %s: %w", m.Role, ErrReadOnly)
	}
	return nil
}
