package node

import (
	"errors"
	"fmt"
	"strings"

	ma "github.com/multiformats/go-multiaddr"

	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/join"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
)

// SavedJoinCode returns the join code st's device joined with (kept by
// desk.Desk.Join, the one place a join code is written), and false if it
// joined with none (it created its network, or has none yet). Errors: the
// kept text is not a join code (join.Parse's error, wrapped).
func SavedJoinCode(st *store.Store) (join.Code, bool, error) {
	text, ok := st.JoinCode()
	if !ok {
		return join.Code{}, false, nil
	}
	c, err := join.Parse(text)
	if err != nil {
		return join.Code{}, false, fmt.Errorf("saved join code: %w", err)
	}
	return c, true, nil
}

// CodeFor returns the join code of st's network with addrs, where this
// device is reached: each a multiaddr, to which /p2p/<this device's peer id>
// is appended when it names no peer. A running node's code is
// Node.JoinCode (its own addresses); CodeFor is for a data directory no
// node serves. Errors: ErrNoNetwork; an address that is not a multiaddr
// (wrapped, naming it).
func CodeFor(st *store.Store, addrs []string) (join.Code, error) {
	nw, ok := st.Network()
	if !ok {
		return join.Code{}, ErrNoNetwork
	}
	self, err := p2p.PeerIDOf(st.Device())
	if err != nil {
		return join.Code{}, fmt.Errorf("join code: %w", err)
	}
	full := make([]string, 0, len(addrs))
	for _, s := range addrs {
		a, err := ma.NewMultiaddr(strings.TrimSpace(s))
		if err != nil {
			return join.Code{}, fmt.Errorf("join code: address %q: not a multiaddr: %w", s, err)
		}
		if _, err := a.ValueForProtocol(ma.P_P2P); err != nil {
			if a, err = ma.NewMultiaddr(a.String() + "/p2p/" + self.String()); err != nil {
				return join.Code{}, fmt.Errorf("join code: address %q: %w", s, err)
			}
		}
		full = append(full, a.String())
	}
	return codeOf(nw, full), nil
}

// codeOf is the one way a join code is built: network nw's id and name and
// addrs.
func codeOf(nw store.Network, addrs []string) join.Code {
	return join.Code{Network: nw.ID, Name: nw.Name, Addrs: addrs}
}

// ErrNoNetwork is returned by Start when the store has no network yet.
var ErrNoNetwork = errors.New("node: the store has no network (create or join one first)")

// ErrBadAddress is wrapped by Connect when the address is not a multiaddr
// ending in /p2p/PEER_ID.
var ErrBadAddress = errors.New("not a peer address (want a multiaddr ending in /p2p/PEER_ID)")
