package store

import (
	"fmt"
	"strings"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/hashicorp/go-memdb"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// demandRow is a demand as the indexes hold it: the folded view plus the keys
// it is found by.
type demandRow struct {
	ID       string
	Status   string
	Category string
	District string
	Owner    string // member id, empty when unowned
	Text     string // lower-cased title, code, district, organisation, item names
	View     relief.Demand
}

const tableDemand = "demand"

var schema = &memdb.DBSchema{Tables: map[string]*memdb.TableSchema{
	tableDemand: {
		Name: tableDemand,
		Indexes: map[string]*memdb.IndexSchema{
			"id":       {Name: "id", Unique: true, Indexer: &memdb.StringFieldIndex{Field: "ID"}},
			"status":   {Name: "status", Indexer: &memdb.StringFieldIndex{Field: "Status"}},
			"category": {Name: "category", AllowMissing: true, Indexer: &memdb.StringFieldIndex{Field: "Category"}},
			"district": {Name: "district", AllowMissing: true, Indexer: &memdb.StringFieldIndex{Field: "District"}},
			"owner":    {Name: "owner", AllowMissing: true, Indexer: &memdb.StringFieldIndex{Field: "Owner"}},
		},
	},
}}

func newDemandRow(d relief.Demand) *demandRow {
	var text strings.Builder
	for _, s := range []string{d.Title, d.Code, d.District, d.RequesterOrg, d.Address} {
		text.WriteString(strings.ToLower(s))
		text.WriteByte(0)
	}
	for _, it := range d.Items {
		text.WriteString(strings.ToLower(it.Name))
		text.WriteByte(0)
	}
	r := &demandRow{ID: d.ID, Status: string(d.Status), Category: d.Category, District: d.District, Text: text.String(), View: d}
	if !d.Owner.IsZero() {
		r.Owner = d.Owner.String()
	}
	return r
}

// load reads the network, feed heads, fork evidence and all records from Badger
// and rebuilds the roster and the indexes.
func (s *Store) load() error {
	idx, err := memdb.NewMemDB(schema)
	if err != nil {
		return fmt.Errorf("index schema: %w", err)
	}
	s.idx = idx
	s.vv = ledger.VersionVector{}
	var members []*relief.Record
	var demands []*relief.Record
	err = s.db.View(func(txn *badger.Txn) error {
		if it, err := txn.Get(networkKey); err == nil {
			var n Network
			if err := it.Value(func(b []byte) error { return ledger.Unmarshal(b, &n) }); err != nil {
				return fmt.Errorf("network: %w", err)
			}
			s.network = &n
		} else if err != badger.ErrKeyNotFound {
			return err
		}
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for it.Seek([]byte{tHead}); it.ValidForPrefix([]byte{tHead}); it.Next() {
			var d ledger.DeviceID
			copy(d[:], it.Item().Key()[1:])
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			h, ok := decodeHead(v)
			if !ok {
				return fmt.Errorf("head of %s: damaged", d.Short())
			}
			s.heads[d] = h
			s.vv.Set(d, h.Seq)
		}
		for it.Seek([]byte{tFork}); it.ValidForPrefix([]byte{tFork}); it.Next() {
			k := it.Item().Key()
			var d ledger.DeviceID
			copy(d[:], k[1:33])
			seq := uint64(0)
			for _, b := range k[33:41] {
				seq = seq<<8 | uint64(b)
			}
			if at, ok := s.forked[d]; !ok || seq < at {
				s.forked[d] = seq
			}
		}
		for it.Seek([]byte{tRecord}); it.ValidForPrefix([]byte{tRecord}); it.Next() {
			var rec *relief.Record
			err := it.Item().Value(func(b []byte) error {
				var err error
				rec, err = relief.DecodeRecord(b)
				return err
			})
			if err != nil {
				return fmt.Errorf("record %q: %w", it.Item().Key()[1:], err)
			}
			switch rec.Kind {
			case relief.KindMember:
				members = append(members, rec)
			case relief.KindDemand:
				demands = append(demands, rec)
			case relief.KindNetwork:
				s.applyNetworkRecord(rec)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.members = map[string]*relief.Record{}
	for _, m := range members {
		s.members[m.ID] = m
	}
	s.roster = relief.NewRoster(members)
	txn := s.idx.Txn(true)
	for _, rec := range demands {
		if err := txn.Insert(tableDemand, newDemandRow(relief.FoldDemand(rec, s.roster))); err != nil {
			txn.Abort()
			return fmt.Errorf("index demand %s: %w", rec.ID, err)
		}
	}
	txn.Commit()
	// A crash may have interrupted a cut (see enforceCuts); finish it.
	if err := s.enforceCuts(); err != nil {
		return err
	}
	return s.restoreAuthor()
}

// restoreAuthor sets up this device's feed author and clock after load: the
// clock restarts no earlier than the latest stamp of any feed head.
func (s *Store) restoreAuthor() error {
	if s.network == nil {
		return nil
	}
	for d, h := range s.heads {
		c, err := s.change(d, h.Seq)
		if err != nil {
			return err
		}
		if d == s.device {
			s.clock.Restore(c.Stamp)
		} else if s.clock.Observe(c.Stamp) != nil {
			s.clock.Restore(c.Stamp) // a stamp stored earlier is trusted as it was then
		}
	}
	a, err := ledger.NewAuthor(s.key, s.network.ID, s.heads[s.device], s.clock)
	if err != nil {
		return err
	}
	s.author = a
	return nil
}

// change reads one stored change.
func (s *Store) change(d ledger.DeviceID, seq uint64) (*ledger.Change, error) {
	var c *ledger.Change
	err := s.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(feedKey(d, seq))
		if err != nil {
			return err
		}
		return it.Value(func(b []byte) error {
			c, err = ledger.Decode(b)
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read change %s/%d: %w", d.Short(), seq, err)
	}
	return c, nil
}

// indexRecords folds records just committed into the indexes and roster, and
// publishes one event per record. It reports whether the roster changed (the
// caller then enforces revocation cuts). Called with s.mu held.
func (s *Store) indexRecords(recs []*relief.Record) (rosterChanged bool) {
	txn := s.idx.Txn(true)
	var events []Event
	for _, rec := range recs {
		switch rec.Kind {
		case relief.KindMember:
			s.members[rec.ID] = rec
			rosterChanged = true
			events = append(events, Event{Kind: EventMember, ID: rec.ID})
		case relief.KindDemand:
			if err := txn.Insert(tableDemand, newDemandRow(relief.FoldDemand(rec, s.roster))); err != nil {
				s.log.Error("index demand", "id", rec.ID, "err", err)
			}
			events = append(events, Event{Kind: EventDemand, ID: rec.ID})
		case relief.KindVolunteer:
			events = append(events, Event{Kind: EventVolunteer, ID: rec.ID})
		case relief.KindOffer:
			events = append(events, Event{Kind: EventOffer, ID: rec.ID})
		case relief.KindTask:
			events = append(events, Event{Kind: EventTask, ID: rec.ID})
		case relief.KindNetwork:
			s.applyNetworkRecord(rec)
			events = append(events, Event{Kind: EventNetwork, ID: rec.ID})
		}
	}
	txn.Commit()
	if rosterChanged {
		recs := make([]*relief.Record, 0, len(s.members))
		for _, m := range s.members {
			recs = append(recs, m)
		}
		s.roster = relief.NewRoster(recs)
		if err := s.refoldDemands(); err != nil {
			s.log.Error("refold demands after a roster change", "err", err)
		}
	}
	for _, ev := range events {
		s.events.publish(ev)
	}
	return rosterChanged
}

// refoldDemands re-derives every demand view after the roster changed, since
// whether a step applied depends on its author's role.
func (s *Store) refoldDemands() error {
	txn := s.idx.Txn(true)
	defer txn.Commit()
	return s.db.View(func(btxn *badger.Txn) error {
		it := btxn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		p := recordPrefix(relief.KindDemand)
		for it.Seek(p); it.ValidForPrefix(p); it.Next() {
			err := it.Item().Value(func(b []byte) error {
				rec, err := relief.DecodeRecord(b)
				if err != nil {
					return err
				}
				return txn.Insert(tableDemand, newDemandRow(relief.FoldDemand(rec, s.roster)))
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// applyNetworkRecord takes the network's name from its replicated record.
func (s *Store) applyNetworkRecord(rec *relief.Record) {
	if s.network == nil || rec.ID != s.network.ID {
		return
	}
	var name string
	if rec.Value(relief.FieldName, &name) && name != "" {
		s.network.Name = name
	}
}
