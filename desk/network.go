package desk

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/join"
)

// MaxNameLen is the longest incident or member name accepted, in characters.
const MaxNameLen = 80

// ClockWarnAfter is how far behind the network this computer's clock may be
// before the UI warns.
const ClockWarnAfter = time.Minute

// CreateNetwork starts a new network (one incident) named incident with this
// device as its first coordinator, called name (both trimmed). Errors:
// *Error CodeRequired or CodeTooLong naming "incident" or "memberName";
// CodeStorage otherwise, also when the device already belongs to a network
// (see Network).
func (d *Desk) CreateNetwork(incident, name string) (store.Network, error) {
	incident, name = strings.TrimSpace(incident), strings.TrimSpace(name)
	switch {
	case incident == "":
		return store.Network{}, FieldError(CodeRequired, "incident", "is empty")
	case utf8.RuneCountInString(incident) > MaxNameLen:
		return store.Network{}, TooLong("incident", MaxNameLen)
	case name == "":
		return store.Network{}, FieldError(CodeRequired, "memberName", "is empty")
	case utf8.RuneCountInString(name) > MaxNameLen:
		return store.Network{}, TooLong("memberName", MaxNameLen)
	}
	n, err := d.st.CreateNetwork(incident, name)
	if err != nil {
		return store.Network{}, AsError(err)
	}
	return n, nil
}

// ParseJoinCode reads a join code as a person typed or scanned it
// (join.Parse). Errors: *Error CodeInvalid naming "joinCode", with the
// reason the UI explains: ReasonTruncated (characters missing),
// ReasonChecksum (a typo: the checksum does not match) or ReasonPrefix (not
// a join code at all, Args "prefix" the prefix one starts with).
func ParseJoinCode(text string) (join.Code, error) {
	c, err := join.Parse(text)
	if err == nil {
		return c, nil
	}
	e := FieldError(CodeInvalid, "joinCode", "%v", err)
	switch {
	case errors.Is(err, join.ErrTruncated):
		e = e.Because(ReasonTruncated)
	case errors.Is(err, join.ErrMistyped):
		e = e.Because(ReasonChecksum)
	case !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(text)), join.Prefix):
		e = e.Because(ReasonPrefix, "prefix", join.Prefix)
	}
	return join.Code{}, e
}

// Join prepares this device for the network of code: the store accepts that
// network's changes from now on, and the code is kept in the store, so that
// every later start of a node on this data directory, in the app or in the
// hub, dials its addresses (a running node picks it up on its next redial;
// node.SavedJoinCode reads it back). Joining the network the device already
// belongs to again only keeps the new code (its addresses may be newer).
// This is the one place a join code is written. Errors: *Error CodeInvalid
// naming "joinCode" when the device belongs to another network
// (store.ErrOtherNetwork) or code names no network; CodeStorage
// otherwise.
func (d *Desk) Join(code join.Code) error {
	if strings.TrimSpace(code.Network) == "" {
		return FieldError(CodeInvalid, "joinCode", "the join code names no network")
	}
	if err := d.st.JoinNetwork(code.Network); err != nil {
		if errors.Is(err, store.ErrOtherNetwork) {
			mine, _ := d.st.Network()
			return FieldError(CodeInvalid, "joinCode", "join network %s (%q): %v", code.Network, code.Name, err).
				Because(ReasonOtherNetwork, "name", nameOr(code.Name, code.Network), "network", ShortID(code.Network),
					"mine", nameOr(mine.Name, mine.ID))
		}
		return AsError(fmt.Errorf("join network %s: %w", code.Network, err))
	}
	if err := d.st.SetJoinCode(code.String()); err != nil {
		return AsError(fmt.Errorf("join network %s: keep the join code: %w", code.Network, err))
	}
	return nil
}

// ShortNetworkID is the length of a network id's short form, shown beside
// an incident's name in messages about another incident (as the UI shows
// members' ids).
const ShortNetworkID = 8

// ShortID returns the short form of the network id id: its first
// ShortNetworkID characters.
func ShortID(id string) string {
	if len(id) > ShortNetworkID {
		return id[:ShortNetworkID]
	}
	return id
}

// nameOr returns name, or the short form of the network id id when the
// name is not known (a joiner before its first catch-up, a code without
// one).
func nameOr(name, id string) string {
	if name != "" {
		return name
	}
	return ShortID(id)
}

// Network returns the network this device belongs to; false before it
// creates or joins one.
func (d *Desk) Network() (store.Network, bool) { return d.st.Network() }

// Members returns the roster as every member may see it: every member ever
// endorsed, revoked ones included.
func (d *Desk) Members() []relief.Member { return d.st.Members() }

// Member returns the roster entry of key; false when key is not in the roster.
func (d *Desk) Member(key ledger.DeviceID) (relief.Member, bool) {
	for _, m := range d.st.Members() {
		if m.Key == key {
			return m, true
		}
	}
	return relief.Member{}, false
}

// Me returns this device's roster entry; false while it is not a member.
func (d *Desk) Me() (relief.Member, bool) { return d.st.Me() }

// MemberNames returns the name of every member in the roster, by key.
func (d *Desk) MemberNames() map[ledger.DeviceID]string {
	ms := d.st.Members()
	out := make(map[ledger.DeviceID]string, len(ms))
	for _, m := range ms {
		out[m.Key] = m.Name
	}
	return out
}

// activeCoordinator returns CodeNotAllowed (with the English message what)
// unless this device is an active coordinator.
func (d *Desk) activeCoordinator(what string) error {
	if me, ok := d.st.Me(); !ok || me.Role != relief.RoleCoordinator || me.Revoked {
		return &Error{Code: CodeNotAllowed, Message: what}
	}
	return nil
}

// Endorse vouches for a new member's key (memberID, as shown on their screen
// or printed by `reliefmesh-hub id`) with a role and name (trimmed). Errors:
// *Error CodeInvalid naming "memberId" (not a member id, or already a member)
// or "role"; CodeTooLong naming "name" (over MaxNameLen characters); CodeNotAllowed (field "role") when this member's role may not
// give that role; CodeNoNetwork; CodeStorage.
func (d *Desk) Endorse(memberID, role, name string) error {
	key, r, err := parseMemberRole(memberID, role)
	if err != nil {
		return err
	}
	if name = strings.TrimSpace(name); utf8.RuneCountInString(name) > MaxNameLen {
		return TooLong("name", MaxNameLen)
	}
	me, _ := d.st.Me()
	if me.Revoked || !relief.CanEndorse(me.Role, r) {
		who := string(me.Role)
		if who == "" {
			who = "a device that is not a member"
		}
		return &Error{Code: CodeNotAllowed, Field: "role", Message: who + " may not endorse a " + string(r)}
	}
	if m, ok := d.Member(key); ok {
		return FieldError(CodeInvalid, "memberId", "%s is already a member (%s)", key.Short(), m.Name)
	}
	op, err := relief.Endorse(key, r, name)
	if err != nil {
		return &Error{Code: CodeInvalid, Message: err.Error()}
	}
	_, err = d.apply([]ledger.Op{op})
	return err
}

// EndorseOrPromote is what a person means by "endorse this key with this
// role": Endorse when memberID is not a member yet; when it is one, Promote
// it to role (coordinators only), as endorsing an existing member changes
// nothing. It returns the member's roster entry before the call and whether
// it was a promotion (then name is not used: a member's name is the one it
// was endorsed with). Errors: Endorse's, or Promote's when memberID is a
// member (CodeNotAllowed when this device is not an active coordinator,
// CodeInvalid naming "role" when the member already has role, or
// "memberId" when it is revoked).
func (d *Desk) EndorseOrPromote(memberID, role, name string) (before relief.Member, promoted bool, err error) {
	key, _, err := parseMemberRole(memberID, role)
	if err != nil {
		return relief.Member{}, false, err
	}
	m, ok := d.Member(key)
	if !ok {
		return relief.Member{}, false, d.Endorse(memberID, role, name)
	}
	if err := d.Promote(memberID, role); err != nil {
		return m, false, err
	}
	return m, true, nil
}

// Revoke cuts a member's feed at the last change this device holds from them:
// their later changes are rejected everywhere. Coordinators only. Errors:
// *Error CodeInvalid naming "memberId"; CodeNotAllowed; CodeNoNetwork;
// CodeStorage.
func (d *Desk) Revoke(memberID, note string) error {
	key, err := ParseMemberID("memberId", memberID)
	if err != nil {
		return err
	}
	if err := d.activeCoordinator("only coordinators revoke members"); err != nil {
		return err
	}
	op, err := relief.Revoke(key, d.st.VersionVector().Get(key), strings.TrimSpace(note))
	if err != nil {
		return &Error{Code: CodeInvalid, Message: err.Error()}
	}
	_, err = d.apply([]ledger.Op{op})
	return err
}

// Promote gives an existing member a new role (coordinator, reviewer,
// volunteer or observer): a promotion or a demotion, signed by this device so
// that it syncs. Coordinators only, and not on themselves (a coordinator who
// demoted themselves could leave the network without one). Errors: *Error
// CodeInvalid naming "memberId" (not a member id, revoked, or this device) or
// "role" (not a role, or already the member's role); CodeNotFound naming
// "memberId" when the key is not in the roster; CodeNotAllowed when this
// device is not an active coordinator.
func (d *Desk) Promote(memberID, role string) error {
	key, r, err := parseMemberRole(memberID, role)
	if err != nil {
		return err
	}
	if err := d.activeCoordinator("only coordinators change members' roles"); err != nil {
		return err
	}
	m, ok := d.Member(key)
	switch {
	case !ok:
		return FieldError(CodeNotFound, "memberId", "%s is not a member of this network", key.Short())
	case key == d.st.Device():
		return FieldError(CodeInvalid, "memberId", "a coordinator may not change their own role")
	case m.Revoked:
		return FieldError(CodeInvalid, "memberId", "%s (%s) is revoked", key.Short(), m.Name)
	case m.Role == r:
		return FieldError(CodeInvalid, "role", "%s (%s) is already a %s", key.Short(), m.Name, r)
	}
	op, err := relief.Promote(key, r)
	if err != nil {
		return &Error{Code: CodeInvalid, Message: err.Error()}
	}
	_, err = d.apply([]ledger.Op{op})
	return err
}

// Deadlines returns the network's reply-by windows (the coordinators'
// settings, or the defaults) and whether this device may change them (it is
// an active coordinator).
func (d *Desk) Deadlines() (dl relief.Deadlines, canEdit bool) {
	return d.st.Deadlines(), d.activeCoordinator("") == nil
}

// SetDeadlines sets the network's reply-by windows as a signed change on the
// network record (relief.SetDeadlines), which syncs to every peer.
// Coordinators only. Each window is in whole minutes, 1 ≤ minutes ≤
// relief.MaxWithinMinutes (30 days). Errors: *Error CodeInvalid naming the
// first window out of range ("reviewMinutes", "publishMinutes",
// "claimMinutes", "answerMinutes"; "followUpMinutes", "transferMinutes",
// "recheckMinutes", which may also be 0: left as they are); CodeNoNetwork before a network exists;
// CodeNotAllowed when this device is not an active coordinator. Nothing is
// written when a check fails.
func (d *Desk) SetDeadlines(dl relief.Deadlines) error {
	for _, f := range []struct {
		name string
		v    time.Duration
	}{{"reviewMinutes", dl.Review}, {"publishMinutes", dl.Publish}, {"claimMinutes", dl.Claim}, {"answerMinutes", dl.Answer}} {
		if m := f.v / time.Minute; f.v%time.Minute != 0 || m < 1 || m > relief.MaxWithinMinutes {
			return FieldError(CodeInvalid, f.name, "%v: want 1 to %d minutes (30 days), in whole minutes", f.v, relief.MaxWithinMinutes)
		}
	}
	// The ownership windows (follow-up, transfer answer, re-check): 0 leaves
	// the network's value as it is.
	for _, f := range []struct {
		name string
		v    time.Duration
	}{{"followUpMinutes", dl.FollowUp}, {"transferMinutes", dl.Transfer}, {"recheckMinutes", dl.Recheck}} {
		if m := f.v / time.Minute; f.v != 0 && (f.v%time.Minute != 0 || m < 1 || m > relief.MaxWithinMinutes) {
			return FieldError(CodeInvalid, f.name, "%v: want 1 to %d minutes (30 days), in whole minutes", f.v, relief.MaxWithinMinutes)
		}
	}
	n, ok := d.st.Network()
	if !ok {
		return &Error{Code: CodeNoNetwork, Message: "create or join a network first"}
	}
	if err := d.activeCoordinator("only coordinators change the reply-by windows"); err != nil {
		return err
	}
	op, err := relief.SetDeadlines(n.ID, dl)
	if err != nil {
		return &Error{Code: CodeInvalid, Message: err.Error()}
	}
	_, err = d.apply([]ledger.Op{op})
	return err
}

// Clock says whether this computer's clock looks wrong: Behind is how far the
// latest stamp received from other members is ahead of this computer's clock
// (0 when it is not ahead); Held counts the changes waiting because they are
// dated too far ahead (store.Options.MaxDrift) to be applied yet. Warn is
// true from ClockWarnAfter behind. Behind counts only what several members
// agree on (ledger.ClockQuorum), and held changes alone do not warn: one
// member's year-2100 stamp is that member's clock, not this computer's.
type Clock struct {
	Behind time.Duration
	Held   int
	Warn   bool
}

// Clock reports whether this computer's clock is behind the network's.
func (d *Desk) Clock() Clock {
	behind, held := d.st.ClockBehind(), d.st.Held()
	return Clock{Behind: behind, Held: held, Warn: behind >= ClockWarnAfter}
}
