package store

import (
	"crypto/ed25519"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// This file holds the few methods the sync layer (sync/...) needs beyond the
// store's own API. They read state only; they never write.

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
