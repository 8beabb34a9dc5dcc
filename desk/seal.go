package desk

import (
	"crypto/rand"
	"errors"
	"fmt"
	"slices"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/seal"
)

// Sealing restricted values (relief.Sealable: a demand's contacts and exact
// position). Every write of the desk goes through sealOps:
//
//   - each record whose restricted values a change writes gets a new content
//     key for that change, wrapped (a grant op in the same change) to the
//     members cleared to read it at that moment (relief.Cleared: the roster's
//     unrevoked coordinators and reviewers, the demand's owner) that have
//     published a key, and to this device; so a value written after a
//     revocation or a demotion is sealed under a key the member never
//     receives;
//   - this device's X25519 key is published (relief.PublishKey) in the first
//     change it writes while the roster lacks it (observers write nothing and
//     publish nothing: they are never cleared).
//
// Who grants afterwards (GrantPending): any device that can open a record's
// current key grants it to the cleared members who lack a wrap — the owner
// from the claim on, a member promoted to reviewer, a member who published
// its key after the value was written. Grants are idempotent; two devices
// granting the same member at once only add a second wrap.

// sealOps returns ops with the restricted values sealed, the grants of their
// keys and, when due, this device's publish_key appended (the caller's ops
// keep their indexes). Errors: *Error CodeStorage when randomness or an
// encoding fails.
func (d *Desk) sealOps(ops []ledger.Op) ([]ledger.Op, error) {
	me, ok := d.st.Me()
	if !ok || me.Role == relief.RoleObserver || me.Revoked {
		return ops, nil // the store refuses the write, or it is the genesis
	}
	self := d.st.SealIdentity().Public()
	keys := d.st.EncryptionKeys()
	var out []ledger.Op
	var grants []ledger.Op
	sealedKey := make(map[string]seal.Key) // kind/id → the key of this change
	for _, op := range ops {
		if _, sealable := relief.Sealable[op.Kind]; !sealable || op.Type != relief.OpSet {
			out = append(out, op)
			continue
		}
		rid := op.Kind + "/" + op.ID
		key, had := sealedKey[rid]
		if !had {
			var err error
			if key, err = seal.NewKey(rand.Reader); err != nil {
				return nil, AsError(err)
			}
		}
		sealed, did, err := relief.SealSet(op, key, rand.Reader)
		if err != nil {
			return nil, AsError(fmt.Errorf("seal the restricted values of %s: %w", rid, err))
		}
		out = append(out, sealed)
		if !did || had {
			continue
		}
		sealedKey[rid] = key
		to := d.recipients(op.Kind, op.ID, keys, self)
		g, err := relief.GrantKey(op.Kind, op.ID, key, to, rand.Reader)
		if err != nil {
			return nil, AsError(fmt.Errorf("grant the key of %s: %w", rid, err))
		}
		grants = append(grants, g)
	}
	out = append(out, grants...)
	if k, ok := keys[d.st.Device()]; (!ok || k != self) && !slices.ContainsFunc(out, func(op ledger.Op) bool { return op.Type == relief.OpPublishKey }) {
		p, err := relief.PublishKey(d.st.Device(), self)
		if err != nil {
			return nil, AsError(err)
		}
		out = append(out, p)
	}
	return out, nil
}

// recipients returns who gets the key of record kind/id written now: the
// members cleared to read it that published a key, and this device.
func (d *Desk) recipients(kind, id string, keys map[ledger.DeviceID]seal.PublicKey, self seal.PublicKey) map[ledger.DeviceID]seal.PublicKey {
	to := map[ledger.DeviceID]seal.PublicKey{d.st.Device(): self}
	for _, m := range relief.Cleared(d.st.Members(), d.owners(kind, id)...) {
		if k, ok := keys[m]; ok && m != d.st.Device() {
			to[m] = k
		}
	}
	return to
}

// owners returns who counts as the owner of record kind/id for its
// restricted values: a demand's current owner.
func (d *Desk) owners(kind, id string) []ledger.DeviceID {
	if kind != relief.KindDemand {
		return nil
	}
	dm, err := d.st.Demand(id)
	if err != nil || dm.Owner.IsZero() {
		return nil
	}
	return []ledger.DeviceID{dm.Owner}
}

// GrantPending wraps the content keys of sealed demands that this device can
// open to the cleared members (relief.Cleared: coordinators, reviewers, the
// owner) who published a key and lack a wrap, as one signed change per 256
// grants; ids limits it to those demands (none: every demand). It returns
// the number of grant ops written. A device that cannot open a demand's key
// leaves it to one that can. Errors: those of apply; CodeStorage.
func (d *Desk) GrantPending(ids ...string) (int, error) {
	me, ok := d.st.Me()
	if !ok || me.Role == relief.RoleObserver || me.Revoked {
		return 0, nil
	}
	if len(ids) == 0 {
		all, err := d.st.FullDemands()
		if err != nil {
			return 0, AsError(err)
		}
		for _, dm := range all {
			ids = append(ids, dm.ID)
		}
	}
	keys := d.st.EncryptionKeys()
	members := d.st.Members()
	opener := d.st.Opener()
	var batch []ledger.Op
	written := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if _, err := d.apply(batch); err != nil {
			return err
		}
		written += len(batch)
		batch = batch[:0]
		return nil
	}
	for _, id := range slices.Compact(slices.Sorted(slices.Values(ids))) {
		rec, err := d.st.Record(relief.KindDemand, id)
		if err != nil {
			return written, AsError(err)
		}
		if len(rec.Grants) == 0 {
			continue
		}
		for kid, missing := range relief.MissingGrants(rec, relief.Cleared(members, d.owners(relief.KindDemand, id)...), keys) {
			k, err := opener.Key(rec, kid)
			if errors.Is(err, relief.ErrNoGrant) || errors.Is(err, seal.ErrOpen) || errors.Is(err, seal.ErrMalformed) {
				continue
			}
			to := make(map[ledger.DeviceID]seal.PublicKey, len(missing))
			for _, m := range missing {
				to[m] = keys[m]
			}
			g, err := relief.GrantKey(relief.KindDemand, id, k, to, rand.Reader)
			if err != nil {
				return written, AsError(err)
			}
			batch = append(batch, g)
		}
		if len(batch) >= 256 {
			if err := flush(); err != nil {
				return written, err
			}
		}
	}
	return written, flush()
}

// EnsureKey publishes this device's X25519 key (relief.PublishKey) when the
// roster does not hold it yet, so that sealed values can be granted to it;
// an observer, a revoked member or a device that is not a member publishes
// nothing. It reports whether it wrote. Errors: those of apply.
func (d *Desk) EnsureKey() (bool, error) {
	me, ok := d.st.Me()
	if !ok || me.Role == relief.RoleObserver || me.Revoked {
		return false, nil
	}
	self := d.st.SealIdentity().Public()
	if k, ok := d.st.EncryptionKeys()[d.st.Device()]; ok && k == self {
		return false, nil
	}
	op, err := relief.PublishKey(d.st.Device(), self)
	if err != nil {
		return false, AsError(err)
	}
	if _, err := d.apply([]ledger.Op{op}); err != nil {
		return false, err
	}
	return true, nil
}
