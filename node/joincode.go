package node

import (
	"errors"
	"fmt"

	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/join"
)

// Join prepares st for the network of code: the store accepts that network's
// changes, and the code is kept in the store, so that every later start, in
// the app or in the hub, dials its addresses (a running node picks it up on
// its next redial). Errors: store.ErrOtherNetwork when st belongs to another
// network; the store's, wrapped.
func Join(st *store.Store, code join.Code) error {
	if err := st.JoinNetwork(code.Network); err != nil {
		return fmt.Errorf("join network %s: %w", code.Network, err)
	}
	if err := st.SetJoinCode(code.String()); err != nil {
		return fmt.Errorf("join network %s: %w", code.Network, err)
	}
	return nil
}

// SavedJoinCode returns the join code st's device joined with, and false if
// it joined with none (it created its network, or has none yet). Errors: the
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

// ErrNoNetwork is returned by Start when the store has no network yet.
var ErrNoNetwork = errors.New("node: the store has no network (create or join one first)")

// ErrBadAddress is wrapped by Connect when the address is not a multiaddr
// ending in /p2p/PEER_ID.
var ErrBadAddress = errors.New("not a peer address (want a multiaddr ending in /p2p/PEER_ID)")
