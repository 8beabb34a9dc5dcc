package relief

import (
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// MaxNonceLen is the longest genesis nonce accepted, in bytes.
const MaxNonceLen = 32

// networkIDDomain separates network-id hashes from every other SHA-256 the
// project computes.
const networkIDDomain = "reliefmesh network id v1\x00"

// ErrNotGenesis is returned by GenesisNetwork for an op that is not a
// well-formed genesis.
var ErrNotGenesis = errors.New("not a genesis op")

// NetworkID returns the id of the network that founder founds with nonce:
// the first 16 bytes of SHA-256(domain ‖ founder's public key ‖ nonce), as 26
// characters of lower-case base32 (the shape of every other id). The genesis
// change carries the founder's key (as its author and the genesis op's
// member) and the nonce (in the op's Args), so anyone holding a genesis can
// check it against the network id from a join code, and nobody without the
// founder's private key can sign a genesis that matches: another key gives
// another hash, and the change must be signed by the key it names. The id is
// computed from the op, not from the change, so the change may carry it.
func NetworkID(founder ledger.DeviceID, nonce []byte) string {
	h := sha256.New()
	h.Write([]byte(networkIDDomain))
	h.Write(founder[:])
	h.Write(nonce)
	sum := h.Sum(nil)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:16]))
}

// Found returns the genesis op of a new network founded by self, called name,
// with nonce (at most MaxNonceLen bytes; pass 16 random bytes), and the id of
// that network (NetworkID(self, nonce)): the id every change of the network,
// the genesis included, must carry.
func Found(self ledger.DeviceID, name string, nonce []byte) (ledger.Op, string, error) {
	if len(nonce) > MaxNonceLen {
		return ledger.Op{}, "", fmt.Errorf("found network: nonce of %d bytes, at most %d: %w", len(nonce), MaxNonceLen, ErrInvalidOp)
	}
	op, err := makeOp(KindMember, self.String(), OpGenesis, Args{Name: name, Role: RoleCoordinator, Nonce: nonce})
	if err != nil {
		return ledger.Op{}, "", err
	}
	return op, NetworkID(self, nonce), nil
}

// GenesisNetwork returns the id of the network that the genesis op binds:
// NetworkID of the op's member (who must be the author of the change that
// carries it) and its nonce. A node accepts a genesis only if this equals its
// network id. Errors: ErrNotGenesis (wrapped, saying why) when op is not a
// well-formed genesis.
func GenesisNetwork(op ledger.Op) (string, error) {
	if op.Kind != KindMember || op.Type != OpGenesis {
		return "", fmt.Errorf("network of %s/%s op %s: %w", op.Kind, op.ID, op.Type, ErrNotGenesis)
	}
	founder, err := ledger.ParseDeviceID(op.ID)
	if err != nil {
		return "", fmt.Errorf("network of genesis %s: %w: %v", op.ID, ErrNotGenesis, err)
	}
	var a Args
	if err := decMode.Unmarshal(op.Body, &a); err != nil {
		return "", fmt.Errorf("network of genesis %s: %w: body: %v", founder.Short(), ErrNotGenesis, err)
	}
	if len(a.Nonce) > MaxNonceLen {
		return "", fmt.Errorf("network of genesis %s: %w: nonce of %d bytes", founder.Short(), ErrNotGenesis, len(a.Nonce))
	}
	return NetworkID(founder, a.Nonce), nil
}
