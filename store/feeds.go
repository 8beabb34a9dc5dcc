package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// ErrOtherNetwork is returned by JoinNetwork when the store belongs to another network.
var ErrOtherNetwork = errors.New("this device already belongs to another network")

// JoinNetwork makes the store accept changes of network id (from a join code).
// The network's name arrives with its changes. Joining the network the store
// already has is a no-op; any other is ErrOtherNetwork.
func (s *Store) JoinNetwork(id string) error {
	s.waitSettled() // writes wait for the views the open builds after it returned
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.network != nil {
		if s.network.ID == id {
			return nil
		}
		return ErrOtherNetwork
	}
	if id == "" {
		return errors.New("join network: empty network id")
	}
	n := Network{ID: id}
	b, err := ledger.Marshal(n)
	if err != nil {
		return err
	}
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(networkKey, b) }); err != nil {
		return fmt.Errorf("store network: %w", err)
	}
	s.network = &n
	if err := s.restoreAuthor(); err != nil {
		return err
	}
	s.events.publish(Event{Kind: EventNetwork, ID: id})
	return nil
}

// ChangesSince calls fn with every stored change that vv lacks, feed by feed in
// seq order. Feeds come in the order their authors joined (the roster's
// Since: the network's first coordinator first, then each member after the
// one who endorsed them; devices not on the roster last, all ties by device
// id), so a receiver that knows nobody yet learns each endorsement before the
// feed it admits. It stops at the first error fn returns. This is what
// catch-up and bundles stream.
func (s *Store) ChangesSince(vv ledger.VersionVector, fn func(*ledger.Change) error) error {
	heads := s.sendOrder()
	return s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for _, d := range heads {
			if err := eachChange(it, d, vv.Get(d)+1, math.MaxUint64, fn); err != nil {
				return err
			}
		}
		return nil
	})
}

// EncodedChangesSince is ChangesSince without decoding: it calls fn with the
// device, seq and stored bytes of every change vv lacks, in the same order.
// The bytes are the change's canonical encoding as it was verified when
// stored (Badger checks each value's checksum as it reads it); they are
// valid only until fn returns. Catch-up and bundles send them as they are,
// which spares the sender decoding and encoding every change again.
// Errors: fn's (it stops at the first); a value Badger cannot read, naming
// the feed and seq.
func (s *Store) EncodedChangesSince(vv ledger.VersionVector, fn func(d ledger.DeviceID, seq uint64, b []byte) error) error {
	heads := s.sendOrder()
	s.mu.Lock()
	held := make(map[ledger.DeviceID]uint64, len(heads))
	for d, h := range s.heads {
		held[d] = h.Seq
	}
	s.mu.Unlock()
	return s.db.View(func(txn *badger.Txn) error {
		// No read-ahead: a round whose peer lacks little (most rounds of a
		// settled network) would otherwise have Badger fetch a hundred
		// values past each seek, of feeds the peer holds (node/peersim
		// found thousands of such goroutines at 200 nodes).
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		it := txn.NewIterator(opts)
		defer it.Close()
		for _, d := range heads {
			if held[d] <= vv.Get(d) {
				continue // the peer holds all of this feed
			}
			prefix := feedPrefix(d)
			for it.Seek(feedKey(d, vv.Get(d)+1)); it.ValidForPrefix(prefix); it.Next() {
				seq := binary.BigEndian.Uint64(it.Item().Key()[33:])
				var ferr error
				if err := it.Item().Value(func(b []byte) error { ferr = fn(d, seq, b); return nil }); err != nil {
					return fmt.Errorf("read change %s/%d: %w", d.Short(), seq, err)
				}
				if ferr != nil {
					return ferr
				}
			}
		}
		return nil
	})
}

// sendOrder returns the devices of the held feeds in the order ChangesSince
// sends them.
func (s *Store) sendOrder() []ledger.DeviceID {
	s.mu.Lock()
	type feed struct {
		d       ledger.DeviceID
		member  bool
		genesis bool
		since   ledger.Stamp
	}
	feeds := make([]feed, 0, len(s.heads))
	for d := range s.heads {
		m, ok := s.roster.Member(d)
		feeds = append(feeds, feed{d, ok, m.Genesis, m.Since})
	}
	s.mu.Unlock()
	slices.SortFunc(feeds, func(a, b feed) int {
		switch {
		case a.member != b.member:
			if a.member {
				return -1
			}
			return 1
		case a.since != b.since:
			return a.since.Compare(b.since)
		case a.genesis != b.genesis: // genesis and first endorsements share one change
			if a.genesis {
				return -1
			}
			return 1
		}
		return a.d.Compare(b.d)
	})
	heads := make([]ledger.DeviceID, len(feeds))
	for i, f := range feeds {
		heads[i] = f.d
	}
	return heads
}

// eachChange calls fn with the stored changes of d's feed from seq from to
// seq to (inclusive), in seq order, read through it. It stops at the first
// error fn returns. Errors: fn's; a stored change that does not decode,
// naming its feed and seq.
func eachChange(it *badger.Iterator, d ledger.DeviceID, from, to uint64, fn func(*ledger.Change) error) error {
	prefix := feedPrefix(d)
	for it.Seek(feedKey(d, from)); it.ValidForPrefix(prefix); it.Next() {
		seq := binary.BigEndian.Uint64(it.Item().Key()[33:])
		if seq > to {
			return nil
		}
		var c *ledger.Change
		err := it.Item().Value(func(b []byte) error {
			var err error
			c, err = ledger.Decode(b)
			return err
		})
		if err != nil {
			return fmt.Errorf("read change %s/%d: %w", d.Short(), seq, err)
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

// StateHash returns a digest of every materialised record (relief.StateHash):
// two stores holding the same changes have the same StateHash.
func (s *Store) StateHash() (ledger.Hash, error) {
	recs, err := s.recordsWithPrefix([]byte{tRecord})
	if err != nil {
		return ledger.Hash{}, fmt.Errorf("state hash: %w", err)
	}
	return relief.StateHash(recs)
}
