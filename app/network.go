package app

import (
	"context"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// MaxNameLen is the longest incident or member name accepted, in characters.
const MaxNameLen = 80

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
	info := Info{DataDir: s.a.DataDir}
	s.a.mu.Lock()
	info.Practice = s.a.practice
	s.a.mu.Unlock()
	if info.Practice {
		info.DataDir = PracticeDir(s.a.DataDir)
	}
	if _, err := os.Stat(PracticeDir(s.a.DataDir)); err == nil {
		info.PracticeExists = true
	}
	st, err := s.a.store()
	if err != nil {
		info.StartupError = err.(*Error).Message
		return info
	}
	info.DeviceID = st.Device().String()
	if n, ok := st.Network(); ok {
		info.NetworkID, info.NetworkName = n.ID, n.Name
	}
	if m, ok := st.Me(); ok {
		info.MemberName, info.Role = m.Name, string(m.Role)
	}
	return info
}

// ClockView says whether this computer's clock looks wrong: BehindMs is how
// far the latest stamp received from other members is ahead of this
// computer's clock, in milliseconds (0 when it is not ahead); Held counts the
// changes waiting because they are dated too far ahead (store.Options.MaxDrift)
// to be applied yet. Warn is true from a minute behind, or when anything is
// held: the user should check the date and time.
type ClockView struct {
	BehindMs int64 `json:"behindMs"`
	Held     int   `json:"held"`
	Warn     bool  `json:"warn"`
}

// ClockWarnAfter is how far behind the network this computer's clock may be
// before the UI warns.
const ClockWarnAfter = time.Minute

// Clock reports whether this computer's clock is behind the network's (see
// ClockView). Errors: CodeStorage when the store is not open.
func (s *NetworkService) Clock() (ClockView, error) {
	st, err := s.a.store()
	if err != nil {
		return ClockView{}, err
	}
	behind, held := st.ClockBehind(), st.Held()
	return ClockView{BehindMs: behind.Milliseconds(), Held: held, Warn: behind >= ClockWarnAfter || held > 0}, nil
}

// Create starts a new network (one incident) with this device as its first
// coordinator. Errors: CodeRequired / CodeTooLong naming "incident" or "name".
func (s *NetworkService) Create(incident, name string) (Info, error) {
	incident, name = strings.TrimSpace(incident), strings.TrimSpace(name)
	switch {
	case incident == "":
		return Info{}, fieldError(CodeRequired, "incident", "is empty")
	case utf8.RuneCountInString(incident) > MaxNameLen:
		return Info{}, tooLong("incident", MaxNameLen)
	case name == "":
		return Info{}, fieldError(CodeRequired, "memberName", "is empty")
	case utf8.RuneCountInString(name) > MaxNameLen:
		return Info{}, tooLong("memberName", MaxNameLen)
	}
	st, err := s.a.store()
	if err != nil {
		return Info{}, err
	}
	if _, err := st.CreateNetwork(incident, name); err != nil {
		return Info{}, asError(err)
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
}

// Members returns the roster, as every member may see it.
func (s *NetworkService) Members() ([]MemberView, error) {
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	ms := st.Members()
	out := make([]MemberView, 0, len(ms))
	for _, m := range ms {
		v := MemberView{ID: m.Key.String(), Name: m.Name, Role: string(m.Role), Since: m.Since.Wall, Revoked: m.Revoked}
		if !m.EndorsedBy.IsZero() {
			v.EndorsedBy = m.EndorsedBy.String()
		}
		out = append(out, v)
	}
	return out, nil
}

// Endorse vouches for a new member's key (member id as shown on their screen)
// with a role and name. Errors: CodeInvalid naming "memberId" or "role";
// CodeNotAllowed when this member's role may not give that role.
func (s *NetworkService) Endorse(memberID, role, name string) ([]MemberView, error) {
	key, r, err := parseMemberRole(memberID, role)
	if err != nil {
		return nil, err
	}
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	me, _ := st.Me()
	if !relief.CanEndorse(me.Role, r) {
		return nil, &Error{Code: CodeNotAllowed, Field: "role", Message: string(me.Role) + " may not endorse a " + role}
	}
	if m, ok := findMember(st, key); ok {
		return nil, fieldError(CodeInvalid, "memberId", "%s is already a member (%s)", key.Short(), m.Name)
	}
	if err := st.Endorse(key, r, strings.TrimSpace(name)); err != nil {
		return nil, asError(err)
	}
	return s.Members()
}

// Revoke cuts a member's feed at the last change this device holds from them:
// their later changes are rejected everywhere. Coordinators only.
func (s *NetworkService) Revoke(memberID, note string) ([]MemberView, error) {
	key, err := ledger.ParseDeviceID(memberID)
	if err != nil {
		return nil, fieldError(CodeInvalid, "memberId", "%v", err)
	}
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	if me, _ := st.Me(); me.Role != relief.RoleCoordinator {
		return nil, &Error{Code: CodeNotAllowed, Message: "only coordinators revoke members"}
	}
	op, err := relief.Revoke(key, st.VersionVector().Get(key), strings.TrimSpace(note))
	if err != nil {
		return nil, &Error{Code: CodeInvalid, Message: err.Error()}
	}
	if _, err := st.ApplyLocal([]ledger.Op{op}); err != nil {
		return nil, asError(err)
	}
	return s.Members()
}

// Promote gives an existing member a new role (coordinator, reviewer,
// volunteer or observer): a promotion or a demotion, signed by this device so
// that it syncs. Coordinators only, and not on themselves (a coordinator who
// demoted themselves could leave the network without one). Returns the roster
// afterwards. Errors: CodeInvalid naming "memberId" (not a member id, revoked,
// or this device) or "role" (not a role, or already the member's role);
// CodeNotFound naming "memberId" when the key is not in the roster;
// CodeNotAllowed when this device is not an active coordinator.
func (s *NetworkService) Promote(memberID, role string) ([]MemberView, error) {
	key, r, err := parseMemberRole(memberID, role)
	if err != nil {
		return nil, err
	}
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	if me, ok := st.Me(); !ok || me.Role != relief.RoleCoordinator || me.Revoked {
		return nil, &Error{Code: CodeNotAllowed, Message: "only coordinators change members' roles"}
	}
	m, ok := findMember(st, key)
	switch {
	case !ok:
		return nil, fieldError(CodeNotFound, "memberId", "%s is not a member of this network", key.Short())
	case key == st.Device():
		return nil, fieldError(CodeInvalid, "memberId", "a coordinator may not change their own role")
	case m.Revoked:
		return nil, fieldError(CodeInvalid, "memberId", "%s (%s) is revoked", key.Short(), m.Name)
	case m.Role == r:
		return nil, fieldError(CodeInvalid, "role", "%s (%s) is already a %s", key.Short(), m.Name, role)
	}
	op, err := relief.Promote(key, r)
	if err != nil {
		return nil, &Error{Code: CodeInvalid, Message: err.Error()}
	}
	if _, err := st.ApplyLocal([]ledger.Op{op}); err != nil {
		return nil, asError(err)
	}
	return s.Members()
}

// parseMemberRole reads a member id (spaces around it ignored) and a role as
// the UI sends them. Errors: CodeInvalid naming "memberId" or "role".
func parseMemberRole(memberID, role string) (ledger.DeviceID, relief.Role, error) {
	key, err := ledger.ParseDeviceID(strings.TrimSpace(memberID))
	if err != nil {
		return key, "", fieldError(CodeInvalid, "memberId", "%v", err)
	}
	r := relief.Role(role)
	if !r.Valid() {
		return key, "", fieldError(CodeInvalid, "role", "%q is not a role", role)
	}
	return key, r, nil
}
