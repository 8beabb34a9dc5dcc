package p2p

import (
	"errors"
	"fmt"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// ErrNotEd25519 is returned by DeviceOf for a peer id whose key is not an
// ed25519 key (such a peer can never be a ReliefMesh member).
var ErrNotEd25519 = errors.New("peer key is not ed25519")

// PeerIDOf returns the libp2p peer id of device d: the identity multihash of
// d's ed25519 public key. It fails only if d is not a valid key encoding,
// which cannot happen for 32 bytes, so callers may treat an error as a bug.
func PeerIDOf(d ledger.DeviceID) (peer.ID, error) {
	pub, err := crypto.UnmarshalEd25519PublicKey(d[:])
	if err != nil {
		return "", fmt.Errorf("peer id of %s: %w", d.Short(), err)
	}
	id, err := peer.IDFromPublicKey(pub)
	if err != nil {
		return "", fmt.Errorf("peer id of %s: %w", d.Short(), err)
	}
	return id, nil
}

// DeviceOf returns the device (member) id of peer p, extracted from the
// public key inlined in the peer id. Errors: the id does not inline a key
// (keys larger than 42 bytes are hashed, never the case for ed25519), or
// ErrNotEd25519.
func DeviceOf(p peer.ID) (ledger.DeviceID, error) {
	var d ledger.DeviceID
	pub, err := p.ExtractPublicKey()
	if err != nil {
		return d, fmt.Errorf("device of peer %s: %w", p, err)
	}
	if pub.Type() != crypto.Ed25519 {
		return d, fmt.Errorf("device of peer %s: %w", p, ErrNotEd25519)
	}
	raw, err := pub.Raw()
	if err != nil || len(raw) != len(d) {
		return d, fmt.Errorf("device of peer %s: bad ed25519 key (%d bytes): %v", p, len(raw), err)
	}
	copy(d[:], raw)
	return d, nil
}
