package store

import (
	"slices"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// Undone is a run of a revoked member's changes that this store had applied,
// and so shown, until a revocation cut undid them (cut.go): they are kept as
// evidence, never applied again. Result.Undone lists those of one call, so
// that the sync or bundle result can say "3 changes by Y were undone: Y was
// revoked at …".
type Undone struct {
	Device ledger.DeviceID // the revoked member whose changes were undone
	Name   string          // their name in the roster; "" when not there (cut at 0)
	After  uint64          // the cut: their changes after this seq are refused
	Seqs   []uint64        // the seqs undone here, ascending
	// By and At say who revoked them and when (the revoke step applied);
	// zero when they are not in the roster at all (the endorsement that
	// admitted them was itself cut).
	By     ledger.DeviceID
	ByName string
	At     time.Time // UTC
}

// noteUndone records, for the Result of the call under way, the seqs
// undone per device (devices in order, cuts their cut seqs). Called with
// s.mu held, after the cut was committed and the roster rebuilt.
func (s *Store) noteUndone(devices []ledger.DeviceID, cuts map[ledger.DeviceID]uint64, seqs map[ledger.DeviceID][]uint64) {
	for _, d := range devices {
		if len(seqs[d]) == 0 {
			continue
		}
		u := Undone{Device: d, After: cuts[d], Seqs: slices.Sorted(slices.Values(seqs[d]))}
		if m, ok := s.roster.Member(d); ok {
			u.Name = m.Name
		}
		u.By, u.At = s.revoker(d)
		if m, ok := s.roster.Member(u.By); ok {
			u.ByName = m.Name
		}
		s.undone = append(s.undone, u)
	}
}

// revoker returns who revoked member d and when: the first revoke step on
// d's roster entry, in the roster's order, by a coordinator; zero when there
// is none. Called with s.mu held.
func (s *Store) revoker(d ledger.DeviceID) (ledger.DeviceID, time.Time) {
	rec := s.members[d.String()]
	if rec == nil {
		return ledger.DeviceID{}, time.Time{}
	}
	steps := slices.Clone(rec.Transitions)
	slices.SortFunc(steps, func(a, b relief.Step) int { return a.Meta.Compare(b.Meta) })
	for _, st := range steps {
		if st.Action != relief.OpRevoke {
			continue
		}
		if m, ok := s.roster.Member(st.Meta.Device); ok && m.Role == relief.RoleCoordinator {
			return st.Meta.Device, st.Meta.Stamp.Time().UTC()
		}
	}
	return ledger.DeviceID{}, time.Time{}
}
