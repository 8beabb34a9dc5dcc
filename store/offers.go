package store

import (
	"fmt"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// This file holds the offer API the importer needs: recording an offer with a
// chosen id, and reading one back by id. Offer reads the record from Badger;
// lists and filters are answered by the offer view (OffersQuery).

// RecordOffer records o as a new offer authored by this device and returns it
// as stored. The id is o.ID if set (importers derive stable ids so that a
// second import finds the first), else a new random one. Supplier, items,
// region, contacts, notes and valid-until are taken from o; empty optional
// fields are not written; tags are added. Errors: see ApplyLocal.
func (s *Store) RecordOffer(o relief.Offer) (relief.Offer, error) {
	id := o.ID
	if id == "" {
		id = NewID()
	}
	fields := map[string]any{relief.FieldSupplier: o.Supplier}
	if len(o.Items) > 0 {
		fields[relief.FieldItems] = o.Items
	}
	if len(o.Contacts) > 0 {
		fields[relief.FieldContacts] = o.Contacts
	}
	if o.Region != "" {
		fields[relief.FieldRegion] = o.Region
	}
	if o.Notes != "" {
		fields[relief.FieldNotes] = o.Notes
	}
	if !o.ValidUntil.IsZero() {
		fields[relief.FieldValidUntil] = o.ValidUntil
	}
	op, err := relief.SetFields(relief.KindOffer, id, fields)
	if err != nil {
		return relief.Offer{}, err
	}
	ops := []ledger.Op{op}
	if len(o.Tags) > 0 {
		add, err := relief.Add(relief.KindOffer, id, relief.SetTags, o.Tags...)
		if err != nil {
			return relief.Offer{}, err
		}
		ops = append(ops, add)
	}
	if _, err := s.ApplyLocal(ops); err != nil {
		return relief.Offer{}, err
	}
	return s.Offer(id)
}

// Offer returns one offer by id; ErrNotFound if there is none.
func (s *Store) Offer(id string) (relief.Offer, error) {
	var out relief.Offer
	found := false
	err := s.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(recordKey(relief.KindOffer, id))
		if err == badger.ErrKeyNotFound {
			return nil
		}
		if err != nil {
			return err
		}
		return it.Value(func(b []byte) error {
			rec, err := relief.DecodeRecord(b)
			if err != nil {
				return err
			}
			out, found = foldOffer(s.Opener(), rec, s.rosterNow.Load()), true
			return nil
		})
	})
	if err != nil {
		return relief.Offer{}, fmt.Errorf("offer %s: %w", id, err)
	}
	if !found {
		return relief.Offer{}, fmt.Errorf("offer %s: %w", id, ErrNotFound)
	}
	return out, nil
}
