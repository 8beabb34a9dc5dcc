package store

// A lean store's actor index: for each member, the demand records whose fold
// depends on that member's roster entry (actorsOf: the authors of the
// record's steps and field writes, the targets of its handovers), kept in
// Badger beside the records (tActor | member | demand id → nothing) and
// written in the same transaction as the record at every commit. After a
// roster change the counts status shows are moved by re-deriving only the
// demands of the members whose entries changed (folded with the roster the
// counts held for and with the new one), instead of every demand.
//
// An entry is one of two forms. A member's demand alone (tActor | member |
// demand id → nothing): what a run writes for a demand stored before it,
// or for the one demand of the member the run created, and what a rebuild
// (recountLocked) writes; written again in place, it adds nothing. A run's
// entry (tActor | member | 0x00 | nonce(8) | n(8) → the ids, each a uvarint
// length and its bytes): what a run that created several demands of the
// member writes, one Badger entry for them all instead of one each (a
// demand id holds no 0x00: record keys use it as their separator). A demand
// is created by one run only, so the entries grow with the demands and
// their actors, not with the runs; a demand may be both in a run entry and
// in its own entry of a member: readers take it once (actorDemands).
//
// The index is complete when the store was empty at its first lean open, or
// when the saved mark (leanActorsSetting) holds for the version vector the
// store opens with: a store that is not lean writes no index, so a write by
// the app or a hub subcommand in between leaves it incomplete. An incomplete
// index is rebuilt by the next full count (recountLocked), which reads every
// demand record anyway. Entries are never removed: a cut or an erasure only
// takes actors away, so the index holds a superset, which costs a fold and
// changes no count.

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// tActor is the table prefix of a lean store's actor index.
const tActor = 'A'

// leanActorsSetting is the store setting where a lean store marks its actor
// index complete at Close, with the version vector it holds for (JSON of
// savedLeanActors).
const leanActorsSetting = "store.lean-actors"

// savedLeanActors is the value of leanActorsSetting.
type savedLeanActors struct {
	VersionVector map[string]uint64 `json:"vv"`
}

// actorKey is the index key of demand id under member m.
func actorKey(m ledger.DeviceID, id string) []byte {
	k := make([]byte, 0, 1+32+len(id))
	k = append(append(append(k, tActor), m[:]...), id...)
	return k
}

// actorRunKey returns a new key for a run's entry of member m (tActor | m |
// 0x00 | the store's actorNonce | the next actorSeq), unique for the store.
func (s *Store) actorRunKey(m ledger.DeviceID) []byte {
	k := make([]byte, 0, 1+32+1+16)
	k = append(append(append(k, tActor), m[:]...), 0)
	k = append(k, s.lean.actorNonce[:]...)
	return binary.BigEndian.AppendUint64(k, s.lean.actorSeq.Add(1))
}

// actorRun gathers the demand ids of one member in a run (leanIndexActors).
type actorRun struct {
	member ledger.DeviceID
	first  string // the first id, alone until a second comes
	ids    []byte // every id, each a uvarint length and its bytes, once two
}

// leanIndexActors writes the actor index entries of the demand records of
// a run into txn, before it commits; nothing on a store that is not lean.
// A demand the run created (recordOps.fresh) is listed in its members' run
// entries: a member with one such demand gets the demand's own entry, one
// with more one run entry listing them (see the file's comment). A demand
// stored before gets the demand's own entry for each of its actors, which
// a later run writes again in place: the index grows with the demands and
// their actors, never with the runs that edit them.
func (s *Store) leanIndexActors(txn *badger.Txn, recs []*recordOps) error {
	if !s.lean.on {
		return nil
	}
	var few [4]actorRun
	runs := few[:0]
	var at map[ledger.DeviceID]int // past len(few) members: runs' index by member
	for _, r := range recs {
		if r.rec.Kind != relief.KindDemand {
			continue
		}
		actors := r.actors // taken beside the apply, on both cores (prepareRun)
		if actors == nil {
			actors = actorsOf(r.rec)
		}
		for _, a := range actors {
			if !r.fresh {
				if err := txn.Set(actorKey(a, r.rec.ID), nil); err != nil {
					return fmt.Errorf("index the demands of member %s: %w", a.Short(), err)
				}
				continue
			}
			i, found := 0, false
			if at != nil {
				i, found = at[a]
			} else {
				for i < len(runs) && runs[i].member != a {
					i++
				}
				found = i < len(runs)
			}
			if !found {
				runs = append(runs, actorRun{member: a, first: r.rec.ID})
				if at == nil && len(runs) > len(few) {
					at = make(map[ledger.DeviceID]int, 2*len(runs))
					for j := range runs {
						at[runs[j].member] = j
					}
				} else if at != nil {
					at[a] = len(runs) - 1
				}
				continue
			}
			ar := &runs[i]
			if ar.ids == nil {
				ar.ids = appendActorID(make([]byte, 0, 64), ar.first)
			}
			ar.ids = appendActorID(ar.ids, r.rec.ID)
		}
	}
	for i := range runs {
		ar := &runs[i]
		var err error
		if ar.ids == nil {
			err = txn.Set(actorKey(ar.member, ar.first), nil)
		} else {
			err = txn.Set(s.actorRunKey(ar.member), ar.ids)
		}
		if err != nil {
			return fmt.Errorf("index the demands of member %s: %w", ar.member.Short(), err)
		}
	}
	return nil
}

// appendActorID appends id to a run entry's value: its uvarint length, its bytes.
func appendActorID(dst []byte, id string) []byte {
	return append(binary.AppendUvarint(dst, uint64(len(id))), id...)
}

// errActorEntry: a run entry of the actor index whose value does not parse.
var errActorEntry = errors.New("actor index run entry damaged")

// actorDemands calls one with each demand id of the actor index entry it
// holds (key after the member's prefix tActor | member: rest; its value read
// through item only for a run entry), and reports an error for a run entry
// whose value does not parse. The ids are one's only for the call.
func actorDemands(rest []byte, item *badger.Item, one func(id []byte)) error {
	if len(rest) == 0 || rest[0] != 0 { // a member's demand alone
		one(rest)
		return nil
	}
	return item.Value(func(v []byte) error {
		for len(v) > 0 {
			n, w := binary.Uvarint(v)
			if w <= 0 || n == 0 || uint64(len(v)-w) < n {
				return fmt.Errorf("%w: member entry %x", errActorEntry, item.Key())
			}
			one(v[w : w+int(n)])
			v = v[w+int(n):]
		}
		return nil
	})
}

// loadLeanActors says whether the actor index is complete at open. Called
// by Open (loadLeanCounts) with the version vector loaded.
func (s *Store) loadLeanActors() {
	s.lean.actorsOK = false
	rand.Read(s.lean.actorNonce[:]) // never fails (crypto/rand)
	if len(s.vv) == 0 {
		s.lean.actorsOK = true
		return
	}
	v, ok := s.Setting(leanActorsSetting)
	if !ok {
		return
	}
	var saved savedLeanActors
	if json.Unmarshal([]byte(v), &saved) == nil && maps.Equal(saved.VersionVector, vvStrings(s.vv)) {
		s.lean.actorsOK = true
	}
}

// saveLeanActors marks the actor index complete for the store's version
// vector, for the next Open. Called by Close (saveLeanCounts) with s.mu held.
func (s *Store) saveLeanActors() {
	if !s.lean.on || !s.lean.actorsOK {
		return
	}
	b, err := json.Marshal(savedLeanActors{VersionVector: vvStrings(s.vv)})
	if err == nil {
		err = s.SetSetting(leanActorsSetting, string(b))
	}
	if err != nil {
		s.log.Warn("actor index of a lean store not marked complete: the next roster change counts every demand", "err", err)
	}
}

// leanRecountMembers moves the counts after a roster change by re-deriving
// the demands of the members whose entries differ between the roster the
// counts hold for (s.lean.roster) and s.roster, read through the actor
// index; false (nothing changed) when it cannot: counts not holding, index
// incomplete, no roster to compare with. A demand found under two changed
// members is taken once (under the first of its actors that changed).
// Called with s.mu held.
func (s *Store) leanRecountMembers() (bool, error) {
	s.lean.mu.Lock()
	ok, old := s.lean.ok, s.lean.roster
	s.lean.mu.Unlock()
	now := s.roster
	if !ok || !s.lean.actorsOK || old == nil || now == nil {
		return false, nil
	}
	if old == now {
		return true, nil
	}
	changed := map[ledger.DeviceID]bool{}
	for _, m := range rosterChanges(old, now) {
		changed[m] = true
	}
	// a member whose demands are a large part of the store (the author of
	// most of them) is counted again faster by the full scan, which reads
	// the records in key order and folds each once (at 1M: 38 s of CPU
	// against 51 s through the index)
	total := 0
	s.lean.mu.Lock()
	for _, n := range s.lean.counts {
		total += n
	}
	s.lean.mu.Unlock()
	if n, err := s.countActorEntries(changed, total/leanIndexShare+1); err != nil || n > total/leanIndexShare {
		return false, err
	}
	delta := map[relief.Status]int{}
	folded := 0
	err := s.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		for m := range changed {
			prefix := append([]byte{tActor}, m[:]...)
			it := txn.NewIterator(opts)
			taken := map[string]bool{} // a demand in several run entries: once
			for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
				var ids []string
				item := it.Item()
				err := actorDemands(item.Key()[len(prefix):], item, func(id []byte) {
					if !taken[string(id)] {
						taken[string(id)] = true
						ids = append(ids, string(id))
					}
				})
				if err != nil {
					it.Close()
					return err
				}
				for _, id := range ids {
					rec, err := s.loadRecord(txn, relief.KindDemand, id)
					if err != nil {
						it.Close()
						return err
					}
					if rec.First == nil {
						continue // not counted (as leanStatus)
					}
					if first := firstChanged(actorsOf(rec), changed); first != m {
						continue // taken under another changed member
					}
					folded++
					was, is := relief.DemandStatus(rec, old), relief.DemandStatus(rec, now)
					if was != is {
						delta[was]--
						delta[is]++
					}
				}
			}
			it.Close()
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("count again the demands of %d members whose roster entries changed: %w", len(changed), err)
	}
	s.lean.mu.Lock()
	defer s.lean.mu.Unlock()
	for st, n := range delta {
		if s.lean.counts[st] += n; s.lean.counts[st] == 0 {
			delete(s.lean.counts, st)
		}
	}
	s.lean.roster = now
	s.lean.refolded += int64(folded)
	return true, nil
}

// firstChanged returns the first of actors (sorted) in changed; the zero
// id when none is.
func firstChanged(actors []ledger.DeviceID, changed map[ledger.DeviceID]bool) ledger.DeviceID {
	for _, a := range actors {
		if changed[a] {
			return a
		}
	}
	return ledger.DeviceID{}
}

// LeanRefolded is how many demands a lean store re-derived to move its
// counts after roster changes (through its actor index), since it opened;
// for tests and benchmarks.
func (s *Store) LeanRefolded() int64 {
	s.lean.mu.Lock()
	defer s.lean.mu.Unlock()
	return s.lean.refolded
}

// leanIndexShare: a roster change re-derives through the actor index when
// its members' entries are at most 1/leanIndexShare of the demands, else it
// counts every demand again (leanForget).
const leanIndexShare = 4

// countActorEntries counts the demands of members in the actor index (a
// demand once per member; keys only but for run entries), stopping once it
// has counted limit.
func (s *Store) countActorEntries(members map[ledger.DeviceID]bool, limit int) (int, error) {
	n := 0
	err := s.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		it := txn.NewIterator(opts)
		defer it.Close()
		for m := range members {
			prefix := append([]byte{tActor}, m[:]...)
			taken := map[string]bool{}
			for it.Seek(prefix); it.ValidForPrefix(prefix) && n < limit; it.Next() {
				item := it.Item()
				err := actorDemands(item.Key()[len(prefix):], item, func(id []byte) {
					if !taken[string(id)] {
						taken[string(id)] = true
						n++
					}
				})
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("count the actor index entries of %d members: %w", len(members), err)
	}
	return n, nil
}
