package desk

import (
	"encoding/json"
	"maps"
	"time"

	"github.com/reliefmesh/reliefmesh/store"
)

// Status summarises this device and its network, for the app's header and
// `reliefmesh-hub status` alike. Its JSON keys are snake_case (scripts read
// them); they are those of the hub's status since the first release.
type Status struct {
	Device          string            `json:"device"`                  // this device's member id
	Network         *store.Network    `json:"network"`                 // nil before it creates or joins one
	MemberName      string            `json:"member_name,omitempty"`   // this device's name in the roster
	Role            string            `json:"role,omitempty"`          // its role; empty while it is not a member
	Revoked         bool              `json:"revoked,omitempty"`       // this device's member was revoked
	RevokedBy       string            `json:"revoked_by,omitempty"`    // the coordinator who revoked it (name); "" when not revoked or unknown
	RevokedByID     string            `json:"revoked_by_id,omitempty"` // their member id
	RevokedAt       string            `json:"revoked_at,omitempty"`    // when, RFC 3339 UTC
	Demands         int               `json:"demands"`                 // every demand held
	DemandsByStatus map[string]int    `json:"demands_by_status"`       // by relief.Status; statuses with none absent
	Members         int               `json:"members"`                 // roster entries, revoked ones included
	Offers          int               `json:"offers"`                  // every offer held
	VersionVector   map[string]uint64 `json:"version_vector"`          // member id → last sequence number held
	Rejected        map[string]uint64 `json:"rejected"`                // changes refused since the store was created, by ledger.Reason (gaps are in Waited)
	// Waited counts the changes that arrived before earlier ones of their
	// feed and waited for catch-up to fetch them in order
	// (store.Store.Waited): not refusals, so never in Rejected.
	Waited uint64            `json:"waited_for_earlier"`
	Forks  map[string]uint64 `json:"forks,omitempty"` // member id → sequence number at which its feed forked
	// Held counts changes waiting because they are dated too far ahead of
	// this device's clock; ClockBehindMs is how far the members' stamps are
	// ahead of it as ledger.ClockQuorum of them agree (HLC.Behind), in
	// milliseconds (0 when they are not); ClockWarn says the user should
	// check this computer's date and time (ClockBehindMs ≥ ClockWarnAfter).
	Held          int   `json:"held"`
	ClockBehindMs int64 `json:"clock_behind_ms"`
	ClockWarn     bool  `json:"clock_warn"`
	// Storage says whether writes wait for this device's own feed after an
	// unclean stop, or are refused because the disk is short.
	Storage Storage `json:"storage"`
	// Acks: member id → up to which of this device's own changes that peer
	// acknowledged holding, and when (store.Ack, recorded at each catch-up
	// round); members never synced with are absent.
	Acks map[string]store.Ack `json:"acks,omitempty"`
}

// Status returns this device's status. It reads what the store maintains
// (the demand counts, the roster, the feeds' heads): no record is read or
// folded, so it costs the same at 100 demands or 100,000.
func (d *Desk) Status() Status {
	s := Status{Device: d.st.Device().String(), DemandsByStatus: map[string]int{},
		VersionVector: map[string]uint64{}, Rejected: map[string]uint64{}}
	for k, n := range d.st.DemandCounts() {
		s.DemandsByStatus[string(k)] = n
		s.Demands += n
	}
	if n, ok := d.st.Network(); ok {
		s.Network = &n
	}
	if m, ok := d.st.Me(); ok {
		s.MemberName, s.Role, s.Revoked = m.Name, string(m.Role), m.Revoked
		if r, ok := d.RevocationOf(m.Key); ok && !r.By.IsZero() {
			s.RevokedBy, s.RevokedByID, s.RevokedAt = r.ByName, r.By.String(), r.At.Format(time.RFC3339)
		}
	}
	s.Offers = d.st.OfferCount() // also on a lean store (store.Options.Lean)
	members := d.st.Members()
	s.Members = len(members)
	for _, m := range members {
		if ack, ok := d.st.PeerAck(m.Key); ok && m.Key != d.st.Device() {
			if s.Acks == nil {
				s.Acks = map[string]store.Ack{}
			}
			s.Acks[m.Key.String()] = ack
		}
	}
	for dev, seq := range d.st.VersionVector() {
		s.VersionVector[dev.String()] = seq
	}
	for r, n := range d.st.Rejected() {
		s.Rejected[string(r)] = n
	}
	s.Waited = d.st.Waited()
	if f := d.st.Forks(); len(f) > 0 {
		s.Forks = map[string]uint64{}
		for dev, seq := range f {
			s.Forks[dev.String()] = seq
		}
	}
	c := d.Clock()
	s.Held, s.ClockBehindMs, s.ClockWarn = c.Held, c.Behind.Milliseconds(), c.Warn
	s.Storage = d.Storage()
	return s
}

// countsSetting is the store setting holding the demand counts saved by
// SaveStatus, with the version vector they hold for.
const countsSetting = "desk.demand-counts"

// savedCounts is the value of countsSetting (JSON).
type savedCounts struct {
	VersionVector map[string]uint64 `json:"vv"`
	Counts        map[string]int    `json:"counts"`
	Offers        *int              `json:"offers,omitempty"` // nil when saved by a version that did not count offers
}

// SaveStatus saves the demand counts by status and the count of offers with the version vector they
// hold for, so that a later one-shot reader (SavedStatus, on a store opened
// with store.Options.SkipDemandList) reports them without folding a demand.
// Counts depend on the changes held and nothing else, so they hold for as
// long as the version vector does not move. It writes only when they
// changed. Call it before closing a store that has its demand list (the
// app's and the hub's), never on one opened with SkipDemandList (its
// counts are empty). Errors: CodeStorage.
func (d *Desk) SaveStatus() error {
	s := d.Status()
	b, err := json.Marshal(savedCounts{VersionVector: s.VersionVector, Counts: s.DemandsByStatus, Offers: &s.Offers})
	if err != nil {
		return AsError(err)
	}
	if old, ok := d.st.Setting(countsSetting); ok && old == string(b) {
		return nil
	}
	return AsError(d.st.SetSetting(countsSetting, string(b)))
}

// SavedStatus returns Status with the demand counts saved by SaveStatus, for
// a store opened with store.Options.SkipDemandList (whose own counts are
// empty). It is false when nothing was saved or the store has changed since
// (its version vector moved): open the store whole and ask Status then.
func (d *Desk) SavedStatus() (Status, bool) {
	v, ok := d.st.Setting(countsSetting)
	if !ok {
		return Status{}, false
	}
	var saved savedCounts
	if err := json.Unmarshal([]byte(v), &saved); err != nil {
		return Status{}, false
	}
	s := d.Status()
	if !maps.Equal(saved.VersionVector, s.VersionVector) || saved.Offers == nil {
		return Status{}, false
	}
	s.Offers = *saved.Offers
	s.Demands, s.DemandsByStatus = 0, map[string]int{}
	for k, n := range saved.Counts {
		s.DemandsByStatus[k] = n
		s.Demands += n
	}
	return s, true
}
