package desk

import (
	"fmt"
	"slices"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/store"
)

// Desk is one member's desk on an open store: its commands and queries. It is
// safe for concurrent use (the store serialises writes). The store stays owned
// by the caller, who closes it after the last use of the Desk.
type Desk struct {
	st *store.Store
	// phones indexes the phones of the sealed contacts this device opens
	// (sealsimilar.go); the zero value is an empty index.
	phones sealedPhones
	// contacts indexes the contacts this device reads, for the demand
	// list's search (contactsearch.go); built at the first search that
	// looks at them.
	contacts contactSearch
	// vols and offers keep the records the pages showed, as this member
	// sees them (pagecache.go).
	vols   pageCache[*cachedVolunteer]
	offers pageCache[*cachedOffer]
}

// New returns the desk of this device's member on st.
func New(st *store.Store) *Desk { return &Desk{st: st} }

// Store returns the store the desk works on, for the sync layer (node/) and
// for reads that are not a member's query (status of the device, settings).
func (d *Desk) Store() *store.Store { return d.st }

// apply signs ops as one change of this device's feed and applies it: the
// only call of store.Store.ApplyLocal above the store. Errors are returned as
// AsError makes them (a revoked member gets CodeRevoked, not a member and
// role refusals CodeNotAllowed, the rest CodeStorage).
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
//
// A revoked member's write is refused before the store sees it, with
// CodeRevoked saying by whom and when (not a role refusal).
func (d *Desk) write(ops []ledger.Op) (*ledger.Change, error) {
	if err := d.revokedError(); err != nil {
		return nil, err
	}
	ops, err := d.sealOps(ops)
	if err != nil {
		return nil, err
	}
	return d.st.ApplyLocal(ops)
}

// Locales are the languages the UI is translated into; the first is the
// default.
var Locales = []string{"zh-CN", "en"}

// localeSetting is the store setting that keeps the UI language.
const localeSetting = "locale"

// Locale returns the UI language chosen on this device: one of Locales,
// Locales[0] when none was chosen (or what was kept is no longer one).
func (d *Desk) Locale() string {
	if v, ok := d.st.Setting(localeSetting); ok && slices.Contains(Locales, v) {
		return v
	}
	return Locales[0]
}

// SetLocale keeps the UI language of this device. It is a local setting of
// the device, never replicated (no change is signed); it lives on the desk
// because the desk is the one writer of the store above it and the one place
// that knows which languages exist. Errors: *Error CodeInvalid naming
// "locale" when locale is not one of Locales; CodeStorage.
func (d *Desk) SetLocale(locale string) error {
	if !slices.Contains(Locales, locale) {
		return FieldError(CodeInvalid, "locale", "%q is not a supported language", locale)
	}
	if err := d.st.SetSetting(localeSetting, locale); err != nil {
		return AsError(fmt.Errorf("keep the locale: %w", err))
	}
	return nil
}
