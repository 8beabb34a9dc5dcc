package store

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// Forks told.
//
// A store that holds two different changes signed by one device with one seq
// keeps both as evidence ('x' keys; the one in the feed counts too) and stops
// that feed at the seq (applyFeed). Only stores that receive both sides can
// see it, so the desk reports each fork it holds the proof of in a signed
// change (relief.OpReportFork, Desk.ReportForks): every peer that applies the
// report checks both signatures, keeps the evidence and stops the feed the same
// way. Coordinators have an inbox entry per forked device (relief.ReplyFork),
// and the forked device itself says so in its banner (OwnFork).

// forkReportedSetting names the local setting saying that a report of d's
// fork is held (its value: the seq reported).
func forkReportedSetting(d ledger.DeviceID) string { return "fork/reported/" + d.String() }

// forkState is what the store knows of each fork beyond its seq.
type forkState struct {
	since    map[ledger.DeviceID]time.Time // when the later of the two changes was made (UTC)
	reported map[ledger.DeviceID]bool      // a report of it is held
}

// Fork is a member's device whose feed forked, as this store knows it.
type Fork struct {
	Device ledger.DeviceID
	Name   string    // the member's name in the roster; "" when not there
	Seq    uint64    // the seq with two different changes; changes from it on are refused
	Since  time.Time // UTC: when the later of the two changes was made
	// Reported says that a signed report of the fork is held, so that every
	// peer learns of it from the same changes; false while only this store
	// holds the proof (Desk.ReportForks then writes one).
	Reported bool
}

// Forks returns the devices whose feeds forked, with the seq of the fork.
func (s *Store) Forks() map[ledger.DeviceID]uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[ledger.DeviceID]uint64, len(s.forked))
	for d, seq := range s.forked {
		out[d] = seq
	}
	return out
}

// ForkList returns every fork this store knows of, by device id.
func (s *Store) ForkList() []Fork {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Fork, 0, len(s.forked))
	for d := range s.forked {
		out = append(out, s.forkOf(d))
	}
	slices.SortFunc(out, func(a, b Fork) int { return a.Device.Compare(b.Device) })
	return out
}

// OwnFork returns the fork of this device's own feed, if another device (or
// this one) holds the proof of it: this device wrote two different changes
// with one seq (its store was restored from an older copy, or lost its newest
// changes), and every peer that knows refuses its changes from that seq on.
func (s *Store) OwnFork() (Fork, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.forked[s.device]; !ok {
		return Fork{}, false
	}
	return s.forkOf(s.device), true
}

// forkOf returns what is known of d's fork. Called with s.mu held.
func (s *Store) forkOf(d ledger.DeviceID) Fork {
	f := Fork{Device: d, Seq: s.forked[d], Since: s.forks.since[d], Reported: s.forks.reported[d]}
	if m, ok := s.roster.Member(d); ok {
		f.Name = m.Name
	}
	return f
}

// ForkEvidence returns two different changes device d signed with the seq of
// its fork, as signed (ledger.Encode), ids in ascending order. Errors: no fork
// of d is known, or the store holds only one side (Badger's errors wrapped).
func (s *Store) ForkEvidence(d ledger.DeviceID) (a, b []byte, err error) {
	s.mu.Lock()
	seq, ok := s.forked[d]
	s.mu.Unlock()
	if !ok {
		return nil, nil, fmt.Errorf("fork evidence of %s: no fork known", d.Short())
	}
	p, err := s.forkProof(d, seq)
	if err != nil {
		return nil, nil, err
	}
	return p.EncA, p.EncB, nil
}

// forkProof reads the evidence of d's fork at seq (the 'x' keys and the
// feed's change at seq) and checks it (relief.CheckFork).
func (s *Store) forkProof(d ledger.DeviceID, seq uint64) (relief.ForkProof, error) {
	var sides [][]byte
	var ids []ledger.Hash
	add := func(b []byte) {
		id := ledger.Hash(sha256.Sum256(b))
		if !slices.Contains(ids, id) {
			sides, ids = append(sides, b), append(ids, id)
		}
	}
	err := s.db.View(func(txn *badger.Txn) error {
		prefix := forkKey(d, seq, ledger.Hash{})[:forkKeyPrefixLen]
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			add(v)
		}
		item, err := txn.Get(feedKey(d, seq))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		v, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		add(v)
		return nil
	})
	if err != nil {
		return relief.ForkProof{}, fmt.Errorf("read fork evidence of %s/%d: %w", d.Short(), seq, err)
	}
	for i := range sides {
		for j := i + 1; j < len(sides); j++ {
			if p, err := relief.CheckFork(sides[i], sides[j]); err == nil {
				return p, nil
			}
		}
	}
	return relief.ForkProof{}, fmt.Errorf("fork evidence of %s/%d: %d different changes held, no two prove the fork", d.Short(), seq, len(sides))
}

// recordFork keeps c as evidence that its author's feed forked at seq at: c
// is another change at that seq than the feed's, or the change after it
// linking to another (relief.CheckFork). The feed is applied no further
// than at-1 from then on. Called with s.mu held.
func (s *Store) recordFork(c *ledger.Change, at uint64) error {
	b, err := ledger.Encode(c)
	if err != nil {
		return err
	}
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(forkKey(c.Device, at, c.ID()), b) }); err != nil {
		return fmt.Errorf("store fork evidence %s/%d: %w", c.Device.Short(), at, err)
	}
	if cur, ok := s.forked[c.Device]; !ok || at < cur {
		s.forked[c.Device] = at
	}
	s.log.Warn("feed forked: two different changes with the same seq; the device is flagged", "device", c.Device.String(), "seq", at)
	s.forksChanged()
	return nil
}

// forkReports finds the fork reports (relief.OpReportFork) among the ops of
// run and writes their evidence in txn: both changes under 'x' keys and the
// setting that says the fork is reported. A report of another network's
// fork proves nothing here and is skipped. It returns the proofs, for
// noteForkReports once txn is committed.
func (s *Store) forkReports(txn *badger.Txn, run []encoded) ([]relief.ForkProof, error) {
	var out []relief.ForkProof
	for _, e := range run {
		for _, op := range e.c.Ops {
			if op.Type != relief.OpReportFork {
				continue
			}
			p, err := relief.ForkOf(op)
			if err != nil { // ApplyOp checked it already
				return nil, fmt.Errorf("fork report in %s/%d: %w", e.c.Device.Short(), e.c.Seq, err)
			}
			if s.network == nil || p.Network != s.network.ID {
				s.log.Warn("a fork report of another network: ignored", "by", e.c.Device.String(), "device", p.Device.String())
				continue
			}
			for _, side := range [][]byte{p.EncA, p.EncB} {
				if err := txn.Set(forkKey(p.Device, p.Seq, sha256.Sum256(side)), side); err != nil {
					return nil, fmt.Errorf("store fork evidence %s/%d: %w", p.Device.Short(), p.Seq, err)
				}
			}
			if err := txn.Set(settingKey(forkReportedSetting(p.Device)), []byte(strconv.FormatUint(p.Seq, 10))); err != nil {
				return nil, fmt.Errorf("store fork report %s/%d: %w", p.Device.Short(), p.Seq, err)
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// noteForkReports takes the committed fork reports into memory: the feeds
// stop at their forks and the inbox says so. Called with s.mu held.
func (s *Store) noteForkReports(ps []relief.ForkProof) {
	if len(ps) == 0 {
		return
	}
	if s.forks.reported == nil {
		s.forks.reported = map[ledger.DeviceID]bool{}
	}
	for _, p := range ps {
		if at, ok := s.forked[p.Device]; !ok || p.Seq < at {
			if !ok {
				s.log.Warn("a member reported a fork: two different changes of one device with the same seq; the device is flagged", "device", p.Device.String(), "seq", p.Seq)
			}
			s.forked[p.Device] = p.Seq
		}
		s.forks.reported[p.Device] = true
	}
	s.forksChanged()
}

// forksChanged refreshes what is known of the forks and the coordinators'
// inbox entries after a fork became known, and tells subscribers (the
// network status and the banner read it). Called with s.mu held.
func (s *Store) forksChanged() {
	if err := s.refreshForks(); err != nil {
		s.log.Error("list forked devices in the inbox", "err", err)
	}
	s.events.publish(Event{Kind: EventMember})
}

// refreshForks makes the inbox's fork entries (relief.ReplyFork, for
// coordinators) those of s.forked, reading each fork's evidence for its date.
// Called with s.mu held, at Open and when a fork becomes known.
func (s *Store) refreshForks() error {
	if s.forks.since == nil {
		s.forks.since = map[ledger.DeviceID]time.Time{}
	}
	if s.forks.reported == nil {
		s.forks.reported = map[ledger.DeviceID]bool{}
	}
	var entries []*inboxEntry
	for d, seq := range s.forked {
		if _, ok := s.forks.since[d]; !ok {
			if p, err := s.forkProof(d, seq); err == nil {
				s.forks.since[d] = p.Since().Time()
			} else {
				s.log.Warn("fork evidence", "err", err)
			}
		}
		if !s.forks.reported[d] {
			if _, ok := s.Setting(forkReportedSetting(d)); ok {
				s.forks.reported[d] = true
			}
		}
		f := s.forkOf(d)
		e := &inboxEntry{Key: "fork/" + d.String(), Kind: relief.KindMember, ID: d.String(), Code: d.Short(),
			What: relief.ReplyFork, Since: f.Since}
		e.setMore(func(m *entryMore) { m.Seq = seq })
		if f.Name != "" {
			e.Code = f.Name
		}
		if e.Since.IsZero() {
			e.Since = time.Unix(0, 0).UTC()
		}
		entries = append(entries, e)
	}
	if s.views == nil {
		return nil
	}
	return s.views.setPrefixed("fork/", entries)
}

// forkKeyPrefixLen is the length of the part of a fork key that names the
// device and the seq.
const forkKeyPrefixLen = 1 + 32 + 8
