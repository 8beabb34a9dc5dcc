package p2p

import (
	"github.com/libp2p/go-libp2p/core/connmgr"
	"github.com/libp2p/go-libp2p/core/control"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// Roster is what the gater asks about membership. *store.Store implements it.
// Both methods must be safe for concurrent use and must not block on the
// network: they are called on libp2p's dial and accept paths.
type Roster interface {
	// Member returns d's roster entry, revoked members included.
	Member(d ledger.DeviceID) (relief.Member, bool)
	// Device returns this device's own id.
	Device() ledger.DeviceID
}

// JoiningFunc decides about a peer that is not (yet) an active member: it
// returns true to admit the connection anyway. It is the hook for the join
// handshake, e.g. a newcomer who typed a join code and is waiting to be
// endorsed, or a coordinator's node admitting a newcomer so that it can show
// its member id. dir is network.DirInbound or network.DirOutbound. It must not
// block and must be safe for concurrent use.
type JoiningFunc func(d ledger.DeviceID, dir network.Direction) bool

// Gater is the connection gater: it admits a connection only when the remote
// peer is an active (not revoked) member of the roster, or Joining admits it,
// or — bootstrap — it is an outbound connection while this device is not yet
// a member itself (a newcomer must reach members to receive the endorsement
// that admits it; it has nothing of the network to leak yet).
//
// Decisions are taken at dial time (InterceptPeerDial) and after the
// security handshake, when the remote key is authenticated
// (InterceptSecured). Address-level checks admit everything: membership is
// about keys, not addresses.
type Gater struct {
	roster  Roster
	joining JoiningFunc
}

var _ connmgr.ConnectionGater = (*Gater)(nil)

// NewGater returns a gater over roster; joining may be nil.
func NewGater(roster Roster, joining JoiningFunc) *Gater {
	return &Gater{roster: roster, joining: joining}
}

// Admits reports whether a connection with p in direction dir is allowed.
func (g *Gater) Admits(p peer.ID, dir network.Direction) bool {
	d, err := DeviceOf(p)
	if err != nil {
		return false
	}
	if m, ok := g.roster.Member(d); ok && !m.Revoked && m.Role.Valid() {
		return true
	}
	if g.joining != nil && g.joining(d, dir) {
		return true
	}
	if dir == network.DirOutbound {
		if _, member := g.roster.Member(g.roster.Device()); !member {
			return true
		}
	}
	return false
}

// InterceptPeerDial allows dialing members (and see Admits).
func (g *Gater) InterceptPeerDial(p peer.ID) bool { return g.Admits(p, network.DirOutbound) }

// InterceptAddrDial allows every address of an allowed peer.
func (g *Gater) InterceptAddrDial(peer.ID, ma.Multiaddr) bool { return true }

// InterceptAccept allows every incoming connection until its key is known.
func (g *Gater) InterceptAccept(network.ConnMultiaddrs) bool { return true }

// InterceptSecured admits an authenticated connection per Admits.
func (g *Gater) InterceptSecured(dir network.Direction, p peer.ID, _ network.ConnMultiaddrs) bool {
	return g.Admits(p, dir)
}

// InterceptUpgraded allows every connection that got this far.
func (g *Gater) InterceptUpgraded(network.Conn) (bool, control.DisconnectReason) { return true, 0 }
