package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	badger "github.com/dgraph-io/badger/v4"

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
	// Fork says that a fork of the member's feed cut them, not a
	// revocation (By is then zero and At is when the fork's later change
	// was made).
	Fork bool
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
		if _, forked := s.forked[d]; forked && u.By.IsZero() {
			u.Fork, u.At = true, s.forks.since[d]
		}
		if m, ok := s.roster.Member(u.By); ok {
			u.ByName = m.Name
		}
		s.undone = append(s.undone, u)
		s.events.publish(Event{Kind: EventUndone, ID: d.String(), Undone: &u})
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
		// the revoker's role at the revocation's position, as the roster
		// judged it: a later demotion or promotion does not re-date it
		if m, err := s.roster.RoleAt(st.Meta.Device, st.Meta); err == nil && m.Role == relief.RoleCoordinator {
			return st.Meta.Device, st.Meta.Stamp.Time().UTC()
		}
	}
	return ledger.DeviceID{}, time.Time{}
}

// undoneSince dates the undone changes of d for the inbox: the revocation,
// else the fork that cut them (when its later change was made), else the
// last undone change (last, its seq) as its author stamped it (d is not in
// the roster at all). Called with s.mu held.
func (s *Store) undoneSince(d ledger.DeviceID, last uint64) time.Time {
	if _, at := s.revoker(d); !at.IsZero() {
		return at
	}
	if _, ok := s.forked[d]; ok {
		if at := s.forks.since[d]; !at.IsZero() {
			return at
		}
	}
	var at time.Time
	_ = s.db.View(func(txn *badger.Txn) error {
		k := feedKey(d, last)
		k[0] = tCut // the cut table keeps the feed's key under its own tag
		item, err := txn.Get(k)
		if err != nil {
			return err
		}
		return item.Value(func(b []byte) error {
			c, err := ledger.Decode(b)
			if err == nil {
				at = c.Stamp.Time().UTC()
			}
			return err
		})
	})
	if at.IsZero() { // unreadable: the epoch, so the entry sorts first rather than hides
		at = time.Unix(0, 0).UTC()
	}
	return at
}

// undoneKey returns the inbox key of the undone changes of member d.
func undoneKey(d ledger.DeviceID) string { return "undone/" + d.String() }

// handledSetting is the local setting listing the undone changes of d that
// a coordinator on this device adopted or set aside (JSON array of seqs).
func handledSetting(d ledger.DeviceID) string { return "undone/handled/" + d.String() }

// CutChanges returns the changes of member d that a revocation cut undid on
// this store and keeps as evidence (never applied, never served), by seq.
// Errors: storage errors; a damaged change.
func (s *Store) CutChanges(d ledger.DeviceID) ([]*ledger.Change, error) {
	var out []*ledger.Change
	prefix := append([]byte{tCut}, d[:]...)
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			err := it.Item().Value(func(b []byte) error {
				c, err := ledger.Decode(b)
				if err == nil {
					out = append(out, c)
				}
				return err
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the undone changes of %s: %w", d.Short(), err)
	}
	return out, nil
}

// UndoneHandled returns the seqs of d's undone changes that a coordinator
// on this device adopted or set aside (SetUndoneHandled), sorted.
func (s *Store) UndoneHandled(d ledger.DeviceID) []uint64 {
	v, ok := s.Setting(handledSetting(d))
	if !ok {
		return nil
	}
	var seqs []uint64
	if json.Unmarshal([]byte(v), &seqs) != nil {
		return nil
	}
	slices.Sort(seqs)
	return seqs
}

// SetUndoneHandled adds seqs to the undone changes of d that are handled
// (adopted or set aside), and updates the inbox: the entry of d counts the
// others, and goes when none is left. Errors: storage errors.
func (s *Store) SetUndoneHandled(d ledger.DeviceID, seqs ...uint64) error {
	s.waitSettled() // writes wait for the views the open builds after it returned
	all := append(s.UndoneHandled(d), seqs...)
	slices.Sort(all)
	b, err := json.Marshal(slices.Compact(all))
	if err != nil {
		return err
	}
	if err := s.SetSetting(handledSetting(d), string(b)); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshUndone()
}

// refreshUndone makes the inbox's undone entries (relief.ReplyUndone, for
// coordinators) those of the cut table: one per member with undone changes
// not yet handled, counting them, since the revocation. Called with s.mu
// held, at Open and after each cut.
func (s *Store) refreshUndone() error {
	counts := map[ledger.DeviceID][]uint64{}
	err := s.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Seek([]byte{tCut}); it.ValidForPrefix([]byte{tCut}); it.Next() {
			if d, seq, ok := parseCutKey(it.Item().Key()); ok {
				counts[d] = append(counts[d], seq)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the undone changes: %w", err)
	}
	var entries []*inboxEntry
	for d, seqs := range counts {
		handled := s.UndoneHandled(d)
		n := 0
		for _, q := range seqs {
			if _, found := slices.BinarySearch(handled, q); !found {
				n++
			}
		}
		if n == 0 {
			continue
		}
		e := &inboxEntry{Key: undoneKey(d), Kind: relief.KindMember, ID: d.String(), Code: d.Short(),
			What: relief.ReplyUndone}
		e.setMore(func(m *entryMore) { m.Count = n })
		if m, ok := s.roster.Member(d); ok && m.Name != "" {
			e.Code = m.Name
		}
		e.Since = s.undoneSince(d, slices.Max(seqs))
		entries = append(entries, e)
	}
	return s.views.setPrefixed("undone/", entries)
}

// setPrefixed makes entries (keys starting with prefix) the inbox entries
// whose keys start with prefix: it writes those that changed and drops the
// others.
func (v *views) setPrefixed(prefix string, entries []*inboxEntry) error {
	txn := v.inbox.write()
	defer txn.Abort()
	keep := map[string]bool{}
	for _, e := range entries {
		keep[e.Key] = true
		if err := v.putEntry(txn, e); err != nil {
			return fmt.Errorf("inbox view: %w", err)
		}
	}
	var drop []string
	for e := range txn.s.prefix(prefix) {
		if !keep[e.Key] {
			drop = append(drop, e.Key)
		}
	}
	for _, k := range drop {
		txn.del(k)
	}
	txn.Commit()
	return nil
}

// maxKeptRefused bounds the refused changes kept per member (keepRefused),
// so that a revoked device cannot fill the disk.
const maxKeptRefused = 1000

// keepRefused keeps, beside the changes a cut undid, the changes of a
// revoked member refused on arrival because they come after the cut but
// were not stamped after the revocation (to the millisecond): made in good faith by a member who
// did not know yet (a demand recorded an hour before, not seen by the
// coordinator). Only changes whose signature holds are kept, never applied
// or served; a coordinator may adopt them (see ReplyUndone). Failures are
// logged: the refusal stands either way. Called with s.mu held.
func (s *Store) keepRefused(run []*ledger.Change) {
	if len(run) == 0 {
		return
	}
	d := run[0].Device
	_, at := s.revoker(d)
	if at.IsZero() {
		return
	}
	prefix := append([]byte{tCut}, d[:]...)
	s.noteEvidence(prefix) // before the write: heldEvidence must not miss it
	kept := 0
	revokes := false // a revocation kept: the roster weighs it (evidence.go)
	err := s.db.Update(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		it := txn.NewIterator(opts)
		n := 0
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			n++
		}
		it.Close()
		for _, c := range run {
			if n >= maxKeptRefused || c.Stamp.Time().After(at) {
				continue
			}
			k := append(slices.Clone(prefix), binary.BigEndian.AppendUint64(nil, c.Seq)...)
			if _, err := txn.Get(k); err == nil {
				continue // kept already (a cut, or an earlier delivery)
			}
			if c.Verify() != nil {
				continue
			}
			b, err := ledger.Encode(c)
			if err != nil {
				continue
			}
			if err := txn.Set(k, b); err != nil {
				return err
			}
			n++
			kept++
			if keptRevocation([]*ledger.Change{c}) {
				revokes = true
			}
		}
		return nil
	})
	if err != nil {
		s.log.Error("keep refused changes of a revoked member", "device", d.String(), "err", err)
		return
	}
	if revokes {
		s.forgetEvidence()
		s.evRoster = true
	}
	if kept > 0 {
		if err := s.refreshUndone(); err != nil {
			s.log.Error("list the undone changes in the inbox", "err", err)
		}
	}
}

// parseCutKey returns the device and seq of a key of the cut table (tCut,
// the device, the seq big-endian); ok is false for a key of another shape.
func parseCutKey(k []byte) (d ledger.DeviceID, seq uint64, ok bool) {
	if len(k) != 1+32+8 || k[0] != tCut {
		return d, 0, false
	}
	copy(d[:], k[1:33])
	return d, binary.BigEndian.Uint64(k[33:]), true
}
