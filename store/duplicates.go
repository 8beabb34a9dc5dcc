package store

import (
	"slices"

	"github.com/google/btree"

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
// Each flag is an entry of the inbox for reviewers and coordinators (What
// relief.ReplyDuplicate, keyed dupKey, Original the original's code, since
// the flagged demand's creation, due a review window later). The entries
// are not stored in the inbox view: at 300,000 demands of which 99 % were
// flagged they were 590 bytes a demand of the idle heap. The demand index
// keeps instead, beside the duplicate-key view, the flagged demands in the
// inbox's order (dupList: creation, then id; 32 bytes and a B-tree slot
// each), and the inbox's readers make the entries of the part they show
// (dupRef.entry), as the stored entries were: from the demand's row and the
// original's code at the last settle.

// dupKey returns the inbox key of the duplicate flag of demand id; it never
// collides with entryKey's "d/" and "t/".
func dupKey(id string) string { return "dup/" + id }

// dupRef is one flagged demand of the inbox's duplicate step: its row and
// its original's code when its flag was last settled, and its creation
// (the row's, as UTC nanoseconds), by which the step is ordered.
type dupRef struct {
	since int64
	row   *demandRow
	orig  string // the original's code
}

// lessDup orders the flagged demands as the inbox's step index ordered
// their entries: by due time (creation plus one window), then key (id).
func lessDup(a, b dupRef) bool {
	if a.since != b.since {
		return a.since < b.since
	}
	return a.row.id < b.row.id
}

// entry returns the inbox entry of the flag, due by dl.
func (d dupRef) entry(dl relief.Deadlines) *inboxEntry {
	r := d.row
	e := &inboxEntry{Key: dupKey(r.id), Kind: relief.KindDemand, ID: r.id, Code: r.code, Status: r.status,
		What: relief.ReplyDuplicate, Since: r.created.Time().UTC()}
	e.setMore(func(m *entryMore) { m.Original = d.orig })
	e.derive(dl)
	return e
}

// same reports whether d and o give the same inbox entry.
func (d dupRef) same(o dupRef) bool {
	return d.since == o.since && d.orig == o.orig && d.row.id == o.row.id && d.row.code == o.row.code &&
		d.row.status == o.row.status && d.row.created == o.row.created
}

// dupList is the flagged demands in the inbox's order (a B-tree, cloned
// for readers) and, by the duplicate-key view's number of each demand, the
// creation its item was put with (at) when it is in (in, a bit set), to
// find it again. Guarded by demandIndex.mu.
type dupList struct {
	tree *btree.BTreeG[dupRef]
	at   []int64
	in   []uint64
}

// settleDuplicates brings the flags of the demands put since the last call
// up to date in the duplicate step (dupList) and reports whether an entry
// of the step changed (was added, removed or differs). Called with s.mu
// held.
func (x *demandIndex) settleDuplicates() bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	ids, origs := x.similar.settle()
	l := &x.dups
	if l.tree == nil {
		l.tree = btree.NewG(btreeDegree, lessDup)
	}
	changed := false
	for i, id := range ids {
		n, _ := x.similar.numOf(id)
		w := int(n / 64)
		if w >= len(l.in) {
			l.in = slices.Grow(l.in, w+1-len(l.in))[:w+1]
		}
		if int(n) >= len(l.at) {
			l.at = slices.Grow(l.at, int(n)+1-len(l.at))[:n+1]
		}
		var old dupRef
		had := l.in[w]&(1<<(n%64)) != 0
		if had {
			old, had = l.tree.Delete(dupRef{since: l.at[n], row: &demandRow{id: id}})
			l.in[w] &^= 1 << (n % 64)
		}
		r, ok := x.t.row(id)
		o, ook := x.t.row(origs[i])
		if origs[i] == "" || !ok || !ook {
			changed = changed || had
			continue
		}
		d := dupRef{since: r.created.Time().UTC().UnixNano(), row: r, orig: o.code}
		l.tree.ReplaceOrInsert(d)
		l.at[n] = d.since
		l.in[w] |= 1 << (n % 64)
		changed = changed || !had || !old.same(d)
	}
	return changed
}

// dupView returns the duplicate step as it stands, for reading without
// the lock (a clone: later settles copy what they change).
func (x *demandIndex) dupView() *btree.BTreeG[dupRef] {
	x.mu.Lock() // Clone marks the tree shared: a write
	defer x.mu.Unlock()
	if x.dups.tree == nil {
		return btree.NewG(btreeDegree, lessDup)
	}
	return x.dups.tree.Clone()
}

// flushDuplicates settles the duplicate flags that may have changed since
// the last call, and tells the inbox's readers when its duplicate step
// changed. Called with s.mu held, after the demand list is up to date
// (flushIndex).
func (s *Store) flushDuplicates() {
	if s.idx.settleDuplicates() {
		s.views.touchInbox()
	}
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
