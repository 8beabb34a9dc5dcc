package store

import (
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// ErrHasNetwork is returned by CreateNetwork when the store already belongs to one.
var ErrHasNetwork = errors.New("this device already belongs to a network")

// NewID returns a random entity id: 26 characters of lower-case base32 (128 bits).
func NewID() string {
	var b [16]byte
	rand.Read(b[:])
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// CreateNetwork starts a new network named name with this device as its first
// coordinator, called memberName. The genesis change is the first of the feed;
// the network's id is relief.NetworkID of this device and a random nonce the
// genesis carries, so that only this genesis founds it.
// Errors: ErrHasNetwork; storage errors (nothing is kept then).
func (s *Store) CreateNetwork(name, memberName string) (Network, error) {
	s.waitSettled() // writes wait for the views the open builds after it returned
	s.mu.Lock()
	if s.network != nil {
		s.mu.Unlock()
		return Network{}, ErrHasNetwork
	}
	// The network id is bound to this device's key and a random nonce that
	// the genesis carries (relief.Found): nobody else can sign a genesis
	// that a joiner holding this id would accept.
	nonce := make([]byte, 16)
	rand.Read(nonce)
	genesis, id, err := relief.Found(s.device, memberName, nonce)
	if err != nil {
		s.mu.Unlock()
		return Network{}, err
	}
	n := Network{ID: id, Name: name}
	b, err := ledger.Marshal(n)
	if err == nil {
		err = s.db.Update(func(txn *badger.Txn) error { return txn.Set(networkKey, b) })
	}
	if err != nil {
		s.mu.Unlock()
		return Network{}, fmt.Errorf("store network: %w", err)
	}
	s.network = &n
	err = s.restoreAuthor()
	s.mu.Unlock()
	if err != nil {
		return Network{}, err
	}
	named, err := relief.SetFields(relief.KindNetwork, n.ID, map[string]any{relief.FieldName: name})
	if err != nil {
		return Network{}, err
	}
	if _, err := s.ApplyLocal([]ledger.Op{genesis, named}); err != nil {
		s.mu.Lock()
		s.network, s.author = nil, nil
		s.db.Update(func(txn *badger.Txn) error { return txn.Delete(networkKey) })
		s.mu.Unlock()
		return Network{}, err
	}
	s.events.publish(Event{Kind: EventNetwork, ID: n.ID})
	return n, nil
}

// Me returns this device's roster entry; false if it is not (yet) a member.
func (s *Store) Me() (relief.Member, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.roster.Member(s.device)
}

// Members returns the roster.
func (s *Store) Members() []relief.Member {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.roster.Members()
}

// RecordDemand records d as a new demand (status collected) authored by this
// device and returns it as stored. Title, category, items, district, urgency
// (default normal), requester organisation, address, description, contacts and
// source are taken from d; empty optional fields are not written. Errors: see
// ApplyLocal.
func (s *Store) RecordDemand(d relief.Demand) (relief.Demand, error) {
	id := NewID()
	fields := map[string]any{
		relief.FieldTitle:    d.Title,
		relief.FieldCategory: d.Category,
		relief.FieldItems:    d.Items,
	}
	for name, v := range map[string]string{relief.FieldDistrict: d.District, relief.FieldRequesterOrg: d.RequesterOrg,
		relief.FieldAddress: d.Address, relief.FieldDescription: d.Description, relief.FieldSource: d.Source} {
		if v != "" {
			fields[name] = v
		}
	}
	if len(d.Contacts) > 0 {
		fields[relief.FieldContacts] = d.Contacts
	}
	if !d.Place.IsZero() {
		fields[relief.FieldPlace] = d.Place
	}
	urgency := d.Urgency
	if urgency == "" {
		urgency = relief.UrgencyNormal
	}
	fields[relief.FieldUrgency] = urgency
	op, err := relief.SetFields(relief.KindDemand, id, fields)
	if err != nil {
		return relief.Demand{}, err
	}
	if _, err := s.ApplyLocal([]ledger.Op{op}); err != nil {
		return relief.Demand{}, err
	}
	return s.Demand(id)
}

// Endorse vouches for key as a new member with role and name. Errors: see
// ApplyLocal; the roster decides later whether the endorsement applies (it is
// listed as a conflict when this device's role may not endorse that role).
func (s *Store) Endorse(key ledger.DeviceID, role relief.Role, name string) error {
	op, err := relief.Endorse(key, role, name)
	if err != nil {
		return err
	}
	_, err = s.ApplyLocal([]ledger.Op{op})
	return err
}

// Status is a summary of the store for `reliefmesh-hub status` and the UI.
type Status struct {
	Device          string            `json:"device"`
	Network         *Network          `json:"network"`
	MemberName      string            `json:"member_name,omitempty"`
	Role            string            `json:"role,omitempty"`
	Demands         int               `json:"demands"`
	DemandsByStatus map[string]int    `json:"demands_by_status"`
	Members         int               `json:"members"`
	VersionVector   map[string]uint64 `json:"version_vector"`
	Rejected        map[string]uint64 `json:"rejected"` // refusals by ledger.Reason; gaps are in Waited
	// Waited counts changes that arrived before earlier ones of their feed
	// and waited for catch-up (see Store.Waited): not refusals.
	Waited uint64            `json:"waited_for_earlier"`
	Forks  map[string]uint64 `json:"forks,omitempty"`
	// Held counts changes waiting because they are dated too far ahead of
	// this device's clock; ClockBehindMs is how far the latest stamp seen
	// from an admitted member is ahead of it, in milliseconds.
	Held          int   `json:"held"`
	ClockBehindMs int64 `json:"clock_behind_ms"`
}

// Status returns a summary: device, network, role, demand counts by status,
// member count, version vector, rejection counts, and the changes held
// because they are dated ahead of this device's clock.
func (s *Store) Status() Status {
	st := Status{Device: s.device.String(), DemandsByStatus: map[string]int{},
		VersionVector: map[string]uint64{}, Rejected: map[string]uint64{}}
	for k, n := range s.DemandCounts() {
		st.DemandsByStatus[string(k)] = n
		st.Demands += n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.network != nil {
		n := *s.network
		st.Network = &n
	}
	if m, ok := s.roster.Member(s.device); ok {
		st.MemberName, st.Role = m.Name, string(m.Role)
	}
	st.Members = len(s.roster.Members())
	for d, seq := range s.vv {
		st.VersionVector[d.String()] = seq
	}
	for r, n := range s.rejected {
		if r == ledger.ReasonGap { // not a refusal: see Waited
			st.Waited = n
			continue
		}
		st.Rejected[string(r)] = n
	}
	if len(s.forked) > 0 {
		st.Forks = map[string]uint64{}
		for d, seq := range s.forked {
			st.Forks[d.String()] = seq
		}
	}
	st.Held, st.ClockBehindMs = len(s.held), s.clock.Behind().Milliseconds()
	return st
}
