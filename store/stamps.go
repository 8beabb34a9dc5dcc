package store

import "github.com/reliefmesh/reliefmesh/ledger"

// beforeGenesis reports whether c is stamped before 1970 or, once the
// network's genesis is known, before the genesis change (the genesis
// member's Since). No honest member can write such a change: its clock
// observed the genesis before it could write anything. The genesis change
// itself is judged only by the 1970 bound. The caller holds s.mu.
func (s *Store) beforeGenesis(c *ledger.Change) bool {
	if c.Stamp.Wall < 0 {
		return true
	}
	if isGenesis(c) {
		return false
	}
	g, ok := s.roster.Genesis()
	return ok && c.Stamp.Compare(g.Since) < 0
}
