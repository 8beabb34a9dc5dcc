package desk

import (
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/store"
)

// Desk is one member's desk on an open store: its commands and queries. It is
// safe for concurrent use (the store serialises writes). The store stays owned
// by the caller, who closes it after the last use of the Desk.
type Desk struct {
	st *store.Store
}

// New returns the desk of this device's member on st.
func New(st *store.Store) *Desk { return &Desk{st: st} }

// Store returns the store the desk works on, for the sync layer (node/) and
// for reads that are not a member's query (status of the device, settings).
func (d *Desk) Store() *store.Store { return d.st }

// apply signs ops as one change of this device's feed and applies it: the
// only call of store.Store.ApplyLocal above the store. Errors are returned as
// AsError makes them (not a member, revoked and role refusals become
// CodeNotAllowed, the rest CodeStorage).
func (d *Desk) apply(ops []ledger.Op) (*ledger.Change, error) {
	if _, ok := d.st.Network(); !ok {
		return nil, &Error{Code: CodeNoNetwork, Message: "create or join a network first"}
	}
	c, err := d.write(ops)
	if err != nil {
		return nil, AsError(err)
	}
	return c, nil
}

// write is apply without the network check and with the store's error as it
// is (relief.ErrInvalidOp, store.ErrNoNetwork, a *ledger.RejectError …), for
// the commands that tell refusals apart: an import retries a batch the store
// refuses as invalid record by record.
func (d *Desk) write(ops []ledger.Op) (*ledger.Change, error) {
	return d.st.ApplyLocal(ops)
}
