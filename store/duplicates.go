package store

import (
	"github.com/reliefmesh/reliefmesh/relief"
)

// The duplicate flag every peer keeps.
//
// The similar-demand warning of the form and of an import compares a demand
// with those already held before it is stored. A demand that arrives by
// sync, by bundle or from another laptop's import is compared here instead:
// the duplicate-key view (similar.go) flags each open demand that probably
// repeats an earlier one (same organisation or a shared phone, see
// relief.Likeness.FlagKeys) and points it at the earliest such original
// (relief.EarlierDemand). The flag is derived from the demands held, not
// signed: the same set of demands gives the same flags on every peer,
// whatever the order of arrival, and a reviewer's merge (the demand becomes
// a duplicate) or keep-separate (relief.TagNotDuplicate) clears it.
//
// Each flag is an inbox entry for reviewers and coordinators (What
// relief.ReplyDuplicate, keyed dupKey, Original the original's code, since
// the flagged demand's creation, due a review window later).

// dupKey returns the inbox key of the duplicate flag of demand id; it never
// collides with entryKey's "d/" and "t/".
func dupKey(id string) string { return "dup/" + id }

// settleDuplicates brings the flags of the demands put since the last call
// up to date and returns their inbox entries (What "" for a demand no
// longer flagged). Called with s.mu held.
func (x *demandIndex) settleDuplicates() []*inboxEntry { return x.settleFlags(false) }

// settleFlags is settleDuplicates; with flaggedOnly it leaves out the
// entries of demands not flagged, for an inbox that holds no duplicate
// entry yet (a large catch-up's end on a store that held no demand:
// catchup.go), where they would each delete nothing.
func (x *demandIndex) settleFlags(flaggedOnly bool) []*inboxEntry {
	x.mu.Lock()
	defer x.mu.Unlock()
	ids, origs := x.similar.settle()
	out := make([]*inboxEntry, 0, len(ids))
	for i, id := range ids {
		e := &inboxEntry{Key: dupKey(id), Kind: relief.KindDemand, ID: id}
		r, ok := x.t.rows[id]
		o, ook := x.t.rows[origs[i]]
		if origs[i] != "" && ok && ook {
			e.Code, e.Status, e.What = r.code, r.status, relief.ReplyDuplicate
			e.Since, e.Original = r.created.Time().UTC(), o.code
		} else if flaggedOnly {
			continue
		}
		out = append(out, e)
	}
	return out
}

// flushDuplicates writes the inbox entries of the duplicate flags that may
// have changed since the last call. Called with s.mu held, after the
// demand list is up to date (flushIndex).
func (s *Store) flushDuplicates() {
	s.views.putDemands(s.idx.settleDuplicates())
}

// DuplicateOf returns the id of the earlier demand that demand id probably
// repeats, by the flag every peer keeps (see above); false when it is not
// flagged. On a large store it waits until the open has built the
// duplicate-key view (ViewsBuilt).
func (s *Store) DuplicateOf(id string) (string, bool) {
	s.waitSettled()
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	return s.idx.similar.flagOf(id)
}

// DuplicateFlags returns every duplicate flag: flagged demand id → the id of
// its original. The map is the caller's. On a large store it waits until
// the open has built the duplicate-key view (ViewsBuilt).
func (s *Store) DuplicateFlags() map[string]string {
	s.waitSettled()
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	return s.idx.similar.flags()
}
