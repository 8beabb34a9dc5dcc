package desk

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/seal"
	"github.com/reliefmesh/reliefmesh/store"
)

// Sealing restricted values (relief.Sealable: a demand's contacts and exact
// position). Every write of the desk goes through sealOps:
//
//   - each record whose restricted values a change writes gets a new content
//     key for that change per seal group (relief.SealGroup), wrapped (a grant op in the same change) to the
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

// withSealed returns hidden (relief.Project's) with the fields of sealed
// (values sealed that this device cannot open) told as sealed
// (relief.SealedHidden): an entry for a field already hidden by level
// becomes the sealed one, so each field is told once.
func withSealed(hidden []relief.Hidden, sealed []string) []relief.Hidden {
	for _, h := range relief.SealedHidden(sealed) {
		if i := slices.IndexFunc(hidden, func(o relief.Hidden) bool { return o.Field == h.Field }); i >= 0 {
			hidden[i] = h
		} else {
			hidden = append(hidden, h)
		}
	}
	return hidden
}

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
	sealedKey := make(map[string]seal.Key) // kind/id and group → the key of this change
	for _, op := range ops {
		if _, sealable := relief.Sealable[op.Kind]; !sealable || op.Type != relief.OpSet {
			out = append(out, op)
			continue
		}
		rid := op.Kind + "/" + op.ID
		var fresh []string // the groups given a key by this op
		sealed, _, err := relief.SealSetGroups(op, func(g string) (seal.Key, error) {
			if k, ok := sealedKey[rid+"\x00"+g]; ok {
				return k, nil
			}
			k, err := seal.NewKey(rand.Reader)
			if err != nil {
				return seal.Key{}, err
			}
			sealedKey[rid+"\x00"+g] = k
			fresh = append(fresh, g)
			return k, nil
		}, rand.Reader)
		if err != nil {
			return nil, AsError(fmt.Errorf("seal the restricted values of %s: %w", rid, err))
		}
		out = append(out, sealed)
		for _, g := range fresh {
			to := d.recipients(op.Kind, op.ID, relief.GroupFields(op.Kind, g), keys, self)
			gr, err := relief.GrantKey(op.Kind, op.ID, sealedKey[rid+"\x00"+g], to, rand.Reader)
			if err != nil {
				return nil, AsError(fmt.Errorf("grant the key of %s: %w", rid, err))
			}
			grants = append(grants, gr)
		}
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

// recipients returns who gets the key of record kind/id that seals fields,
// written now: the members cleared to read them all that published a key,
// and this device.
func (d *Desk) recipients(kind, id string, fields []string, keys map[ledger.DeviceID]seal.PublicKey, self seal.PublicKey) map[ledger.DeviceID]seal.PublicKey {
	to := map[ledger.DeviceID]seal.PublicKey{d.st.Device(): self}
	for _, m := range relief.Cleared(d.st.Members(), d.owners(kind, id, fields)...) {
		if k, ok := keys[m]; ok && m != d.st.Device() {
			to[m] = k
		}
	}
	return to
}

// owners returns who counts as the owner of record kind/id for its
// restricted values fields, besides coordinators and reviewers: a demand's
// current owner (from the demand list, in memory); for a volunteer, the
// member it is about (its key, as the writes FieldRules allow give it),
// and, for the emergency contacts alone (relief.SealGroupEmergency), the
// owners of the demands on which the volunteer has a field task not yet
// checked out (relief.CheckoutPending), so that a missed check-out alert
// shows the owner whom to call. An offer has none. Each seal group of a
// volunteer has its own key, so such an owner opens the emergency contacts
// and not the volunteer's contacts or notes.
func (d *Desk) owners(kind, id string, fields []string) []ledger.DeviceID {
	switch kind {
	case relief.KindDemand:
		rows := d.st.DemandsByID([]string{id})
		if len(rows) != 1 || rows[0].Owner.IsZero() {
			return nil
		}
		return []ledger.DeviceID{rows[0].Owner}
	case relief.KindVolunteer:
		rec, err := d.st.Record(kind, id)
		if err != nil {
			return nil
		}
		var taskOwners map[ledger.DeviceID][]ledger.DeviceID
		if emergencyOnly(fields) {
			taskOwners = d.fieldTaskOwners()
		}
		return volunteerOwners(rec, d.st.Roster(), taskOwners, fields)
	}
	return nil
}

// emergencyOnly reports whether fields of a volunteer are all in its
// emergency seal group (and there is at least one).
func emergencyOnly(fields []string) bool {
	return len(fields) > 0 && !slices.ContainsFunc(fields, func(f string) bool {
		return relief.SealGroup(relief.KindVolunteer, f) != relief.SealGroupEmergency
	})
}

// volunteerOwners returns the owners of fields of a volunteer record (see
// owners): the member it is about, and taskOwners of that member when the
// fields are the emergency contacts alone.
func volunteerOwners(rec *relief.Record, roster *relief.Roster, taskOwners map[ledger.DeviceID][]ledger.DeviceID, fields []string) []ledger.DeviceID {
	v := relief.FoldVolunteerChecked(rec, roster)
	if v.Key.IsZero() {
		return nil
	}
	if !emergencyOnly(fields) {
		return []ledger.DeviceID{v.Key}
	}
	return append([]ledger.DeviceID{v.Key}, taskOwners[v.Key]...)
}

// fieldTaskOwners returns, by volunteer, the owners of the demands on which
// the volunteer has a field task awaiting its check-out.
func (d *Desk) fieldTaskOwners() map[ledger.DeviceID][]ledger.DeviceID {
	ts, err := d.st.Tasks()
	if err != nil {
		return nil
	}
	now := d.st.Now()
	demandsOf := map[ledger.DeviceID][]string{}
	var ids []string
	for _, t := range ts {
		if _, waiting := relief.CheckoutPending(t, now); waiting && !t.OfferedTo.IsZero() {
			demandsOf[t.OfferedTo] = append(demandsOf[t.OfferedTo], t.Demand)
			ids = append(ids, t.Demand)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	owner := map[string]ledger.DeviceID{}
	for _, row := range d.st.DemandsByID(ids) {
		owner[row.ID] = row.Owner
	}
	out := map[ledger.DeviceID][]ledger.DeviceID{}
	for key, ds := range demandsOf {
		for _, id := range ds {
			if o := owner[id]; !o.IsZero() && !slices.Contains(out[key], o) {
				out[key] = append(out[key], o)
			}
		}
	}
	return out
}

// GrantPending wraps the content keys of sealed demands that this device can
// open to the cleared members (relief.Cleared: coordinators, reviewers, the
// owner) who published a key and lack a wrap, as one signed change per 256
// grants; ids limits it to those demands (none: every demand, volunteer and
// offer; see owners for who counts as a volunteer's owner). It returns
// the number of grant ops written. A device that cannot open a demand's key
// leaves it to one that can. Errors: those of apply; CodeStorage.
func (d *Desk) GrantPending(ids ...string) (int, error) {
	return d.grant(func(one func(*relief.Record) error) error {
		if len(ids) > 0 {
			for _, id := range slices.Compact(slices.Sorted(slices.Values(ids))) {
				rec, err := d.st.Record(relief.KindDemand, id)
				if err != nil {
					return err
				}
				if err := one(rec); err != nil {
					return err
				}
			}
			return nil
		}
		if err := d.st.EachDemandRecord(one); err != nil {
			return err
		}
		return d.eachPerson(one)
	})
}

// grantPeople is GrantPending for every volunteer and offer only.
func (d *Desk) grantPeople() (int, error) { return d.grant(d.eachPerson) }

// eachPerson calls one with every volunteer and offer record.
func (d *Desk) eachPerson(one func(*relief.Record) error) error {
	for _, kind := range []string{relief.KindVolunteer, relief.KindOffer} {
		if err := d.st.EachRecordOf(kind, one); err != nil {
			return err
		}
	}
	return nil
}

// grant writes the grants GrantPending owes for the records walk passes to
// its argument.
func (d *Desk) grant(walk func(one func(*relief.Record) error) error) (int, error) {
	me, ok := d.st.Me()
	if !ok || me.Role == relief.RoleObserver || me.Revoked {
		return 0, nil
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
	roster := d.st.Roster()
	var taskOwners map[ledger.DeviceID][]ledger.DeviceID // read once, at the first sealed volunteer
	taskOwnersRead := false
	one := func(rec *relief.Record) error {
		if len(rec.Grants) == 0 {
			return nil
		}
		clearedFor := func(fields []string) []ledger.DeviceID {
			if rec.Kind != relief.KindVolunteer {
				return relief.Cleared(members, d.owners(rec.Kind, rec.ID, fields)...)
			}
			if emergencyOnly(fields) && !taskOwnersRead {
				taskOwners, taskOwnersRead = d.fieldTaskOwners(), true
			}
			return relief.Cleared(members, volunteerOwners(rec, roster, taskOwners, fields)...)
		}
		for kid, missing := range relief.MissingGrantsFor(rec, clearedFor, keys) {
			k, err := opener.Key(rec, kid)
			if errors.Is(err, relief.ErrNoGrant) || errors.Is(err, seal.ErrOpen) || errors.Is(err, seal.ErrMalformed) {
				continue // another device, which can open it, grants it
			}
			to := make(map[ledger.DeviceID]seal.PublicKey, len(missing))
			for _, m := range missing {
				to[m] = keys[m]
			}
			g, err := relief.GrantKey(rec.Kind, rec.ID, k, to, rand.Reader)
			if err != nil {
				return AsError(err)
			}
			batch = append(batch, g)
		}
		if len(batch) >= 256 {
			return flush()
		}
		return nil
	}
	if err := walk(one); err != nil {
		return written, AsError(err)
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

// GrantDelay is how long KeepGranting gathers store events before it writes
// the grants they call for: a catch-up of thousands of changes gives one
// pass, not thousands.
const GrantDelay = 2 * time.Second

// KeepGranting publishes this device's key when due (EnsureKey) and grants
// the sealed values it can open to the cleared members who lack them
// (GrantPending): once at the start, then GrantDelay after store events —
// for the demands that changed, or for every demand after a roster change
// (a member endorsed, promoted, or who published a key). Failures are
// logged by log (nil: dropped) and retried at the next event. It runs on
// its own goroutine until ctx ends or stop is called; stop waits for it.
func (d *Desk) KeepGranting(ctx context.Context, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	events, unsubscribe := d.st.Subscribe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer unsubscribe()
		all, forks, people := true, false, false
		ids := map[string]bool{}
		timer := time.NewTimer(0)
		defer timer.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-events:
				if !ok {
					return
				}
				switch ev.Kind {
				case store.EventDemand:
					ids[ev.ID] = true
				case store.EventMember, store.EventNetwork:
					all = true
				case store.EventRejected: // a fork found here is reported
					forks = true
				case store.EventVolunteer, store.EventOffer, store.EventTask:
					// a new volunteer or offer, a task accepted or checked
					// out (its demand's owner cleared for the volunteer's
					// emergency contacts, or no longer): volunteers and
					// offers are few, every one is looked at
					people = true
				default:
					continue
				}
				timer.Reset(GrantDelay)
			case <-timer.C:
				if n, err := d.ReportForks(); err != nil && log != nil {
					log.Warn("report a forked device to the network", "err", err)
				} else if n > 0 && log != nil {
					log.Warn("reported forked devices to the network", "forks", n)
				}
				if forks && !all && !people && len(ids) == 0 {
					forks = false
					continue
				}
				forks = false
				if _, err := d.EnsureKey(); err != nil && log != nil {
					log.Warn("publish this device's encryption key", "err", err)
				}
				var which []string
				if !all {
					if people {
						if n, err := d.grantPeople(); err != nil && log != nil {
							log.Warn("grant sealed values of volunteers and offers to the members cleared to read them", "err", err)
						} else if n > 0 && log != nil {
							log.Info("granted sealed values of volunteers and offers", "grants", n)
						}
						people = false
					}
					if len(ids) == 0 {
						continue
					}
					which = slices.Collect(maps.Keys(ids))
				}
				n, err := d.GrantPending(which...)
				if err != nil && log != nil {
					log.Warn("grant sealed values to the members cleared to read them", "err", err)
				} else if n > 0 && log != nil {
					log.Info("granted sealed values to members cleared to read them", "grants", n)
				}
				all, people, ids = false, false, map[string]bool{}
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// EraseDemand erases the personal data of demand id — its contacts and
// review notes, sealed or plain, the wraps of their keys, and the imported
// row's source fields that name a contact or hold a phone number (those
// that do not are written back after the erasure) — on every peer
// that applies the erasure (relief.Erase), for reason; the demand's other
// fields, its steps and the signed history stay. Coordinators only. It
// returns the demand afterwards, whose Erased says who erased it, when and
// why. Errors: *Error CodeNotFound naming "id"; CodeRequired or CodeTooLong
// naming "note"; CodeNotAllowed when this device is not an active
// coordinator; those of apply.
func (d *Desk) EraseDemand(id, reason string) (DemandDetail, error) {
	cur, err := d.Demand(id)
	if err != nil {
		return DemandDetail{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return DemandDetail{}, &Error{Code: CodeRequired, Field: "note", Message: "say why the personal data is erased"}
	}
	if relief.TooLong(reason, relief.MaxText) {
		return DemandDetail{}, TooLong("note", relief.MaxText)
	}
	if err := d.activeCoordinator("only coordinators erase personal data"); err != nil {
		return DemandDetail{}, err
	}
	op, err := relief.Erase(relief.KindDemand, id, reason)
	if err != nil {
		return DemandDetail{}, &Error{Code: CodeInvalid, Message: err.Error()}
	}
	ops := []ledger.Op{op}
	if kept, ok := sourceFieldsAfterErase(cur.Demand.SourceFields); ok {
		// the erasure drops the source fields (relief: erasable); the cells
		// that name no contact and hold no phone number are written back
		set, err := relief.SetFields(relief.KindDemand, id, map[string]any{relief.FieldSourceFields: kept})
		if err != nil {
			return DemandDetail{}, &Error{Code: CodeInvalid, Message: err.Error()}
		}
		ops = append(ops, set)
	}
	if _, err := d.apply(ops); err != nil {
		return DemandDetail{}, err
	}
	return d.Demand(id)
}

// sourceFieldsAfterErase returns the source fields of an erased demand that
// may stay (importer.PersonalSourceField: neither a contact's column nor a
// phone number), and whether any does.
func sourceFieldsAfterErase(fs []relief.SourceField) ([]relief.SourceField, bool) {
	var kept []relief.SourceField
	for _, f := range fs {
		if !importer.PersonalSourceField(f) {
			kept = append(kept, f)
		}
	}
	return kept, len(kept) > 0
}
