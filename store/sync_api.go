package store

import (
	"cmp"
	"crypto/ed25519"
	"encoding/binary"
	"fmt"
	"slices"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// This file holds the few methods the sync layer (sync/...) needs beyond the
// store's own API. They read state only, except Refill, which puts back
// changes lost from a damaged disk.

// PrivateKey returns the device's ed25519 private key (64 bytes), the one kept
// in dir/KeyFile. The sync layer uses it as the libp2p identity, so that the
// peer id and the member id are the same key. Callers must not modify it.
func (s *Store) PrivateKey() ed25519.PrivateKey { return s.key }

// Member returns the roster entry of d (revoked members included, with
// Revoked set); false if d is not on the roster. It is cheaper than Members
// for the connection gater, which asks once per connection.
func (s *Store) Member(d ledger.DeviceID) (relief.Member, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.roster.Member(d)
}

// peerVVSetting is the local setting holding the last version vector known
// of a peer (CBOR), kept by the sync layer after each exchange.
func peerVVSetting(d ledger.DeviceID) string { return "sync/peer-vv/" + d.String() }

// SetPeerVersionVector records vv as what device d was last known to hold
// (after a catch-up round with it). It is a local setting, not replicated;
// `bundle export --for d` starts from it.
func (s *Store) SetPeerVersionVector(d ledger.DeviceID, vv ledger.VersionVector) error {
	b, err := ledger.Marshal(vv)
	if err != nil {
		return err
	}
	return s.SetSetting(peerVVSetting(d), string(b))
}

// PeerVersionVector returns what device d was last known to hold; false if
// this device never exchanged with it (or the setting is damaged).
func (s *Store) PeerVersionVector(d ledger.DeviceID) (ledger.VersionVector, bool) {
	v, ok := s.Setting(peerVVSetting(d))
	if !ok {
		return nil, false
	}
	var vv ledger.VersionVector
	if err := ledger.Unmarshal([]byte(v), &vv); err != nil {
		return nil, false
	}
	return vv, true
}

// Holes returns, for each feed, the ranges of seqs below its head that the
// store does not hold: changes lost from a damaged disk while the head (and
// so the version vector) still claims them. Catch-up asks peers for them
// (replicate) and Refill puts them back. It reads keys only, one pass over
// every feed: about as long as counting the stored changes.
func (s *Store) Holes() (map[ledger.DeviceID][]ledger.Range, error) {
	s.mu.Lock()
	heads := make(map[ledger.DeviceID]uint64, len(s.heads))
	for d, h := range s.heads {
		heads[d] = h.Seq
	}
	s.mu.Unlock()
	out := map[ledger.DeviceID][]ledger.Range{}
	err := s.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		it := txn.NewIterator(opts)
		defer it.Close()
		for d, head := range heads {
			prefix := feedPrefix(d)
			next := uint64(1) // the next seq expected
			for it.Seek(feedKey(d, 1)); it.ValidForPrefix(prefix) && next <= head; it.Next() {
				seq := binary.BigEndian.Uint64(it.Item().Key()[33:])
				if seq > next {
					out[d] = append(out[d], ledger.Range{From: next, To: min(seq-1, head)})
				}
				next = seq + 1
			}
			if next <= head {
				out[d] = append(out[d], ledger.Range{From: next, To: head})
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find missing changes: %w", err)
	}
	return out, nil
}

// FeedRange calls fn with the stored changes of d's feed from seq from to seq
// to (inclusive), in seq order, skipping those it does not hold. It stops at
// the first error fn returns. Errors: fn's; a stored change that does not
// decode.
func (s *Store) FeedRange(d ledger.DeviceID, from, to uint64, fn func(*ledger.Change) error) error {
	return s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		return eachChange(it, d, from, to, fn)
	})
}

// Refill puts back changes the store lost below a feed's head (see Holes).
// A change is taken only if the hash chain ties it to what the store still
// trusts: either its id is the Prev of the change after it (held, or refilled
// before it) or, at the head, the head's id — so it is byte for byte the one
// lost; or, when the change after it is lost too, its signature verifies and
// its Prev is the id of the change before it (held or refilled), as changes
// arrive in seq order. Result.Applied counts the changes put back,
// Duplicates those already held; a change that is not in a hole or does not
// tie in is refused as broken_link (bad_signature, wrong_network). The
// records the changes touch are rebuilt with them (rebuildRefilled; the
// open-time check rebuilds them too). Errors: the store's.
func (s *Store) Refill(changes []*ledger.Change) (Result, error) {
	s.waitSettled() // writes wait for the views the open builds after it returned
	var res Result
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.network == nil {
		res.reject(ledger.ReasonWrongNetwork, len(changes))
		return res, nil
	}
	byFeed := map[ledger.DeviceID][]*ledger.Change{}
	for _, c := range changes {
		if c.Network != s.network.ID {
			res.reject(ledger.ReasonWrongNetwork, 1)
			continue
		}
		byFeed[c.Device] = append(byFeed[c.Device], c)
	}
	var put []encoded
	for d, cs := range byFeed {
		head, ok := s.heads[d]
		if !ok {
			res.reject(ledger.ReasonBrokenLink, len(cs))
			continue
		}
		held := s.knownID(d)
		accepted := map[uint64]ledger.Hash{}
		id := func(seq uint64) (ledger.Hash, bool) {
			if h, ok := accepted[seq]; ok {
				return h, true
			}
			if seq == 0 {
				return ledger.Hash{}, true // the zero Prev of seq 1
			}
			return held(seq)
		}
		var pending []encoded
		for _, c := range cs {
			if c.Seq == 0 || c.Seq > head.Seq {
				res.reject(ledger.ReasonBrokenLink, 1)
				continue
			}
			e, err := encode(c)
			if err != nil {
				res.reject(ledger.ReasonOf(err), 1)
				continue
			}
			if h, ok := held(c.Seq); ok {
				if h == e.id {
					res.Duplicates++
				} else {
					res.reject(ledger.ReasonBrokenLink, 1)
				}
				continue
			}
			pending = append(pending, e)
		}
		slices.SortFunc(pending, func(a, b encoded) int { return cmp.Compare(a.c.Seq, b.c.Seq) })
		// Passes until nothing more ties in: downward ties in seq order,
		// upward ties from the top.
		for progress := true; progress && len(pending) > 0; {
			progress = false
			rest := pending[:0]
			for _, e := range pending {
				c := e.c
				if h, ok := accepted[c.Seq]; ok {
					if h == e.id {
						res.Duplicates++
					} else {
						res.reject(ledger.ReasonBrokenLink, 1)
					}
					progress = true
					continue
				}
				var up, upKnown bool
				if c.Seq == head.Seq {
					up, upKnown = e.id == head.ID, true
				} else if _, ok := accepted[c.Seq+1]; ok {
					up, upKnown = e.id == s.prevOf(put, d, c.Seq+1), true
				} else if next, err := s.change(d, c.Seq+1); err == nil {
					up, upKnown = e.id == next.Prev, true
				}
				down := false
				if !upKnown {
					if prev, ok := id(c.Seq - 1); ok && prev == c.Prev && c.Verify() == nil {
						down = true
					}
				}
				if upKnown && !up {
					res.reject(ledger.ReasonBrokenLink, 1)
					progress = true
					continue
				}
				if up || down {
					accepted[c.Seq] = e.id
					put = append(put, e)
					progress = true
					continue
				}
				rest = append(rest, e)
			}
			pending = rest
		}
		res.reject(ledger.ReasonBrokenLink, len(pending))
	}
	if len(put) == 0 {
		return res, nil
	}
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	for _, e := range put {
		if err := wb.Set(feedKey(e.c.Device, e.c.Seq), e.b); err != nil {
			return res, fmt.Errorf("refill change %s/%d: %w", e.c.Device.Short(), e.c.Seq, err)
		}
	}
	if err := wb.Flush(); err != nil {
		return res, fmt.Errorf("refill %d changes: %w", len(put), err)
	}
	res.Applied = len(put)
	err := s.rebuildRefilled(put)
	s.flushIndex()
	return res, err
}

// prevOf returns the Prev of d's change seq among put (changes accepted by
// Refill in this call); the zero Hash if it is not there.
func (s *Store) prevOf(put []encoded, d ledger.DeviceID, seq uint64) ledger.Hash {
	for _, e := range put {
		if e.c.Device == d && e.c.Seq == seq {
			return e.c.Prev
		}
	}
	return ledger.Hash{}
}
