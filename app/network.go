package app

import (
	"context"
	"os"
	"time"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// MaxNameLen is the longest incident or member name accepted, in characters.
const MaxNameLen = desk.MaxNameLen

// Info describes this device and its network for the header and onboarding.
type Info struct {
	DeviceID     string `json:"deviceId"`     // member id: the device's public key, base32
	DataDir      string `json:"dataDir"`      // where the store lives
	StartupError string `json:"startupError"` // why the store could not be opened; empty when it is open
	NetworkID    string `json:"networkId"`    // empty until the device creates or joins a network
	NetworkName  string `json:"networkName"`
	MemberName   string `json:"memberName"`
	Role         string `json:"role"` // coordinator, reviewer, volunteer, observer; empty if not a member
	// Practice is true while the practice network is open (see StartPractice):
	// the node does not run and nothing is sent to anyone.
	Practice       bool `json:"practice"`
	PracticeExists bool `json:"practiceExists"` // a practice network is on disk (open or not)
	// StartupCode is the error code of StartupError (desk.CodeDamaged for
	// a damaged store, which RecoverDamaged moves aside; else
	// CodeStorage), StartupArgs its args; empty when the store is open.
	StartupCode string            `json:"startupCode"`
	StartupArgs map[string]string `json:"startupArgs"`
	// Revoked: this device's member was revoked, by RevokedBy at RevokedAt
	// (Unix milliseconds; 0 and empty when unknown). The header says so.
	Revoked   bool      `json:"revoked"`
	RevokedBy MemberRef `json:"revokedBy"`
	RevokedAt int64     `json:"revokedAt"`
	// Incident is the id of the open incident (MainIncident for the data
	// directory's own; the one the practice network was opened from while
	// it is open): see NetworkService.Incidents. Never empty (omitempty
	// only keeps the field optional for the UI's older fixtures).
	Incident string `json:"incident,omitempty"`
}

// NetworkService creates networks and reports this device's membership.
type NetworkService struct{ a *App }

// Startup is called by Wails when the window opens.
func (s *NetworkService) Startup(ctx context.Context) {}

// Shutdown is called by Wails when the window closes.
func (s *NetworkService) Shutdown() {}

// Info returns this device's identity and network. It never fails: a store that
// could not be opened is reported in StartupError.
func (s *NetworkService) Info() Info {
	info := Info{StartupArgs: map[string]string{}}
	s.a.mu.Lock()
	info.Practice, info.DataDir, info.Incident = s.a.practice, s.a.incDir, s.a.incidents.Active
	s.a.mu.Unlock()
	if info.Practice {
		info.DataDir = PracticeDir(s.a.DataDir)
	}
	if _, err := os.Stat(PracticeDir(s.a.DataDir)); err == nil {
		info.PracticeExists = true
	}
	dk, err := s.a.desk()
	if err != nil {
		info.StartupError = err.(*Error).Message
		s.a.mu.Lock()
		startupCode(&info, s.a.openErr)
		s.a.mu.Unlock()
		return info
	}
	st := dk.Status()
	info.DeviceID, info.MemberName, info.Role = st.Device, st.MemberName, st.Role
	info.Revoked, info.RevokedBy = st.Revoked, MemberRef{ID: st.RevokedByID, Name: st.RevokedBy}
	if t, err := time.Parse(time.RFC3339, st.RevokedAt); err == nil {
		info.RevokedAt = t.UnixMilli()
	}
	if st.Network != nil {
		info.NetworkID, info.NetworkName = st.Network.ID, st.Network.Name
	}
	return info
}

// ClockView says whether this computer's clock looks wrong: BehindMs is how
// far the members' stamps are ahead of this computer's clock as several of
// them agree (ledger.ClockQuorum; one member's far-future stamp does not
// count), in milliseconds (0 when not ahead); Held counts the changes waiting
// because they are dated too far ahead (store.Options.MaxDrift) to be applied
// yet. Warn is true from a minute behind: the user should check the date and
// time.
type ClockView struct {
	BehindMs int64 `json:"behindMs"`
	Held     int   `json:"held"`
	Warn     bool  `json:"warn"`
}

// ClockWarnAfter is how far behind the network this computer's clock may be
// before the UI warns.
const ClockWarnAfter = desk.ClockWarnAfter

// Clock reports whether this computer's clock is behind the network's (see
// ClockView). Errors: CodeStorage when the store is not open.
func (s *NetworkService) Clock() (ClockView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return ClockView{}, err
	}
	c := dk.Clock()
	return ClockView{BehindMs: c.Behind.Milliseconds(), Held: c.Held, Warn: c.Warn}, nil
}

// Create starts a new network (one incident) with this device as its first
// coordinator. Errors: CodeRequired / CodeTooLong naming "incident" or "name".
func (s *NetworkService) Create(incident, name string) (Info, error) {
	dk, err := s.a.desk()
	if err != nil {
		return Info{}, err
	}
	if _, err := dk.CreateNetwork(incident, name); err != nil {
		return Info{}, err
	}
	s.a.ensureNode()
	return s.Info(), nil
}

// MemberView is one roster entry for the UI.
type MemberView struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Role       string `json:"role"`
	EndorsedBy string `json:"endorsedBy"` // member id; empty for the network's first coordinator
	Since      int64  `json:"since"`      // Unix milliseconds
	Revoked    bool   `json:"revoked"`
	// Covenant is the highest covenant version the member accepted; 0
	// none (Members fills it).
	Covenant int `json:"covenant"`
}

// Members returns the roster, as every member may see it.
func (s *NetworkService) Members() ([]MemberView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	out := memberViews(dk.Members())
	c, err := dk.Covenant()
	if err != nil {
		return nil, err
	}
	for i := range out {
		if key, err := ledger.ParseDeviceID(out[i].ID); err == nil {
			out[i].Covenant, _ = relief.LatestAccepted(c.Versions, key)
		}
	}
	return out, nil
}

// memberViews converts the roster; never nil.
func memberViews(ms []relief.Member) []MemberView {
	out := make([]MemberView, 0, len(ms))
	for _, m := range ms {
		v := MemberView{ID: m.Key.String(), Name: m.Name, Role: string(m.Role), Since: m.Since.Wall, Revoked: m.Revoked}
		if !m.EndorsedBy.IsZero() {
			v.EndorsedBy = m.EndorsedBy.String()
		}
		out = append(out, v)
	}
	return out
}

// Endorse vouches for a new member's key (member id as shown on their screen)
// with a role and name. Errors: CodeInvalid naming "memberId" or "role";
// CodeNotAllowed when this member's role may not give that role.
func (s *NetworkService) Endorse(memberID, role, name string) ([]MemberView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	if err := dk.Endorse(memberID, role, name); err != nil {
		return nil, err
	}
	return s.Members()
}

// Revoke cuts a member's feed at the last change this device holds from them:
// their later changes are rejected everywhere. Coordinators only.
func (s *NetworkService) Revoke(memberID, note string) ([]MemberView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	if err := dk.Revoke(memberID, note); err != nil {
		return nil, err
	}
	return s.Members()
}

// Promote gives an existing member a new role (coordinator, reviewer,
// volunteer or observer): a promotion or a demotion, signed by this device so
// that it syncs. Coordinators only, and not on themselves. Returns the roster
// afterwards. Errors: see desk.Desk.Promote.
func (s *NetworkService) Promote(memberID, role string) ([]MemberView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	if err := dk.Promote(memberID, role); err != nil {
		return nil, err
	}
	return s.Members()
}
