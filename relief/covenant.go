package relief

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// The partner covenant (伙伴契约): the network's code of conduct and privacy
// pledge, written and versioned by coordinators, accepted by every member.
//
// Each version is its own record of kind KindCovenant (a fresh id), created
// by one change that writes its title and text; the desk never writes it
// again (a later write is shown: CovenantVersion.Edited). The versions are numbered
// 1, 2, … in the order of their creation (Meta.Compare of the record's first
// operation), counting only those created by a coordinator, so every peer
// numbers them alike whatever the order of arrival. The current version is
// the highest. A member accepts a version by a transition
// ActionAcceptCovenant on its record, signed by the member themself.

// Kinds of the covenant and of partner organisations.
const (
	KindCovenant = "covenant" // one version of the network's covenant; see CovenantVersion
	KindPartner  = "partner"  // a partner organisation; see Partner
)

// Fields of a covenant version and of a partner.
const (
	FieldCovenantText = "text"         // covenant [string]: the code of conduct and privacy pledge, at most MaxCovenantText
	FieldPartnerType  = "partner_type" // partner [string]: one of PartnerTypes
	FieldCovenant     = "covenant"     // partner [string]: the covenant version (record id) the partner signed
	FieldVouchedBy    = "vouched_by"   // partner [ledger.DeviceID]: the member who vouches for the partner
	FieldPartner      = "partner"      // offer [string]: the partner (record id) that offers it; "" none
)

// MaxCovenantText is the longest covenant text, in characters.
const MaxCovenantText = 20000

// ActionAcceptCovenant is a member's acceptance of a covenant version: a
// transition on the version's record, by the member themself.
const ActionAcceptCovenant Action = "accept_covenant"

// CovenantRules is the covenant's table: any member may accept a version
// (observers too: everyone who joins accepts). It serves ValidateOp; the
// acceptances are folded by FoldCovenants.
var CovenantRules = []Rule{
	{Action: ActionAcceptCovenant, Roles: []Role{RoleCoordinator, RoleReviewer, RoleVolunteer, RoleObserver}},
}

// What a covenant entry of the inbox asks for.
const (
	ReplyCovenant        = "covenant"         // the member has not accepted the current covenant version (To: the member)
	ReplyCovenantMissing = "covenant_missing" // coordinators: Count members have not accepted the current version
)

// PartnerTypes are the kinds of partner organisation.
var PartnerTypes = []string{"hospital", "logistics", "supplier", "volunteer_group", "other"}

// Acceptance is a member's acceptance of one covenant version.
type Acceptance struct {
	Member ledger.DeviceID `json:"member" level:"team"`
	At     ledger.Stamp    `json:"at" level:"team"` // the acceptance's stamp (the earliest, if repeated)
}

// CovenantVersion is one version of the covenant, folded.
type CovenantVersion struct {
	ID       string          `json:"id" level:"team"`
	Version  int             `json:"version" level:"team"` // 1, 2, … in creation order
	Title    string          `json:"title" level:"team"`
	Text     string          `json:"text" level:"team"`
	By       ledger.DeviceID `json:"by" level:"team"` // the coordinator who wrote it
	At       ledger.Stamp    `json:"at" level:"team"` // when
	Accepted []Acceptance    `json:"accepted" level:"team"`
	// Edited says that its title or text was written again after the
	// version was created (the desk never does): the text shown is the
	// last write, which members may not have accepted.
	Edited bool `json:"edited" level:"team"`
}

func (c CovenantVersion) restrictedTo() []ledger.DeviceID { return []ledger.DeviceID{c.By} }

// AcceptedBy reports whether member accepted version c, and when.
func (c CovenantVersion) AcceptedBy(member ledger.DeviceID) (ledger.Stamp, bool) {
	for _, a := range c.Accepted {
		if a.Member == member {
			return a.At, true
		}
	}
	return ledger.Stamp{}, false
}

// NewCovenant returns the op that writes covenant version id (a fresh id):
// its title and text. Only coordinators' versions count (FoldCovenants).
func NewCovenant(id, title, text string) (ledger.Op, error) {
	if strings.TrimSpace(text) == "" {
		return ledger.Op{}, fmt.Errorf("new covenant %s: %w: empty text", id, ErrInvalidOp)
	}
	return SetFields(KindCovenant, id, map[string]any{FieldTitle: title, FieldCovenantText: text})
}

// AcceptCovenant returns the op by which the author accepts covenant version id.
func AcceptCovenant(id string) (ledger.Op, error) {
	return Transition(KindCovenant, id, ActionAcceptCovenant, Args{})
}

// FoldCovenants folds the covenant version records among recs (others are
// skipped) with roster: the versions written by a coordinator (admitted at
// the writing change's seq, coordinator in roster now, as NetworkDeadlines
// counts windows), numbered in creation order, each with the acceptances of
// members admitted at their change's seq, earliest per member, in member
// order. The result is the same on every peer holding the same changes.
func FoldCovenants(recs []*Record, roster *Roster) []CovenantVersion {
	type version struct {
		rec   *Record
		first Meta
	}
	var vs []version
	for _, rec := range recs {
		if rec == nil || rec.Kind != KindCovenant || rec.First == nil {
			continue
		}
		if _, ok := rec.Fields[FieldCovenantText]; !ok {
			continue // no text: only acceptances of a version not held
		}
		author, err := roster.Admits(rec.First.Device, rec.First.Seq)
		if err != nil || author.Role != RoleCoordinator {
			continue
		}
		vs = append(vs, version{rec, *rec.First})
	}
	slices.SortFunc(vs, func(a, b version) int { return a.first.Compare(b.first) })
	out := make([]CovenantVersion, 0, len(vs))
	for i, v := range vs {
		c := CovenantVersion{ID: v.rec.ID, Version: i + 1, By: v.first.Device, At: v.first.Stamp}
		v.rec.Value(FieldTitle, &c.Title)
		v.rec.Value(FieldCovenantText, &c.Text)
		for _, f := range v.rec.Fields {
			if f.Meta.Change != v.first.Change {
				c.Edited = true // the desk never edits a version; a write after its creation is shown
			}
		}
		seen := map[ledger.DeviceID]bool{}
		for _, s := range v.rec.Transitions { // sorted by Meta: the earliest acceptance first
			if s.Action != ActionAcceptCovenant || seen[s.Meta.Device] {
				continue
			}
			if _, err := roster.Admits(s.Meta.Device, s.Meta.Seq); err != nil {
				continue
			}
			seen[s.Meta.Device] = true
			c.Accepted = append(c.Accepted, Acceptance{Member: s.Meta.Device, At: s.Meta.Stamp})
		}
		slices.SortFunc(c.Accepted, func(a, b Acceptance) int { return cmp.Compare(a.Member.String(), b.Member.String()) })
		out = append(out, c)
	}
	return out
}

// CurrentCovenant returns the current (highest) version of versions as
// FoldCovenants returns them; ok is false when there is none.
func CurrentCovenant(versions []CovenantVersion) (CovenantVersion, bool) {
	if len(versions) == 0 {
		return CovenantVersion{}, false
	}
	return versions[len(versions)-1], true
}

// LatestAccepted returns the highest version member accepted (0: none) and when.
func LatestAccepted(versions []CovenantVersion, member ledger.DeviceID) (int, ledger.Stamp) {
	for i := len(versions) - 1; i >= 0; i-- {
		if at, ok := versions[i].AcceptedBy(member); ok {
			return versions[i].Version, at
		}
	}
	return 0, ledger.Stamp{}
}

// NotAccepted lists the active (not revoked) members of roster who have not
// accepted the current version, in roster order; nil when there is no
// covenant yet.
func NotAccepted(versions []CovenantVersion, roster *Roster) []Member {
	cur, ok := CurrentCovenant(versions)
	if !ok {
		return nil
	}
	var out []Member
	for _, m := range roster.Members() {
		if m.Revoked || !m.Role.Valid() {
			continue
		}
		if _, ok := cur.AcceptedBy(m.Key); !ok {
			out = append(out, m)
		}
	}
	return out
}

// CovenantPending returns the covenant's inbox entries for member me: a
// ReplyCovenant entry when me has not accepted the current version, and for
// a coordinator a ReplyCovenantMissing entry counting the other members who
// have not. Neither has a deadline. Nothing when there is no covenant or me
// is not an active member.
func CovenantPending(me ledger.DeviceID, roster *Roster, versions []CovenantVersion) []Pending {
	m, ok := roster.Member(me)
	cur, has := CurrentCovenant(versions)
	if !ok || m.Revoked || !m.Role.Valid() || !has {
		return nil
	}
	code := "v" + strconv.Itoa(cur.Version)
	var out []Pending
	if _, ok := cur.AcceptedBy(me); !ok {
		out = append(out, Pending{Kind: KindCovenant, ID: cur.ID, Code: code, What: ReplyCovenant, Since: cur.At.Time(), To: me})
	}
	if m.Role == RoleCoordinator {
		n := 0
		for _, o := range NotAccepted(versions, roster) {
			if o.Key != me {
				n++
			}
		}
		if n > 0 {
			out = append(out, Pending{Kind: KindCovenant, ID: cur.ID, Code: code, What: ReplyCovenantMissing, Since: cur.At.Time(), Count: n})
		}
	}
	return out
}

// Partner is a partner organisation (a hospital, a logistics company, a
// supplier, another volunteer group), folded.
type Partner struct {
	ID        string          `json:"id" level:"public"`
	Code      string          `json:"code" level:"public"`
	Name      string          `json:"name" level:"public"`
	Type      string          `json:"type" level:"public"`         // one of PartnerTypes
	Contacts  []Contact       `json:"contacts" level:"restricted"` // the contact point
	Covenant  string          `json:"covenant" level:"team"`       // the covenant version (record id) it signed; "" none
	VouchedBy ledger.DeviceID `json:"vouched_by" level:"team"`     // the member who vouches for it
	Notes     string          `json:"notes" level:"team"`
	CreatedAt ledger.Stamp    `json:"created_at" level:"team"`
	CreatedBy ledger.DeviceID `json:"created_by" level:"team"`
	UpdatedAt ledger.Stamp    `json:"updated_at" level:"team"`
	// Conflicts are the field writes FieldRules refused (FoldPartnerChecked).
	Conflicts []Conflict `json:"conflicts,omitempty" level:"team"`
}

func (p Partner) restrictedTo() []ledger.DeviceID { return []ledger.DeviceID{p.VouchedBy, p.CreatedBy} }

// FoldPartnerChecked derives the view of a partner record as FoldPartner
// does, from the field writes FieldRules allow their authors at their
// positions in roster (its creator, if not an observer; reviewers and
// coordinators); the refused ones are its Conflicts. A partner whose name no
// allowed write gave has no Name: it was never recorded by someone allowed
// to (an observer's).
func FoldPartnerChecked(rec *Record, roster *Roster) Partner {
	eff, refused := authorise(rec, roster, &writeContext{creator: creatorOf(rec)}, "")
	p := FoldPartner(eff)
	p.Conflicts = refused
	return p
}

// FoldPartner derives the view of a partner record from all its writes,
// without judging their authors (see FoldPartnerChecked).
func FoldPartner(rec *Record) Partner {
	p := Partner{ID: rec.ID, Code: Code(KindPartner, rec.ID)}
	p.CreatedAt, p.CreatedBy, p.UpdatedAt = created(rec)
	rec.Value(FieldName, &p.Name)
	rec.Value(FieldPartnerType, &p.Type)
	rec.Value(FieldContacts, &p.Contacts)
	rec.Value(FieldCovenant, &p.Covenant)
	rec.Value(FieldVouchedBy, &p.VouchedBy)
	rec.Value(FieldNotes, &p.Notes)
	return p
}

// partnerType checks a partner's type.
func partnerType(b []byte) error {
	var s string
	if err := decMode.Unmarshal(b, &s); err != nil {
		return err
	}
	if !slices.Contains(PartnerTypes, s) {
		return fmt.Errorf("partner type %q: want one of %v", s, PartnerTypes)
	}
	return nil
}

// checkCovenantArgs checks the arguments of issue 16's actions: evidence
// (approve only), partner (deliver only) and call (check_in, check_out only).
func checkCovenantArgs(a Action, x Args) error {
	if err := checkEvidenceArgs(a, x); err != nil {
		return err
	}
	if x.Partner != "" && a != ActionDeliver {
		return fmt.Errorf("%s names no partner; only deliver does", a)
	}
	if len(x.Partner) > MaxIDLen {
		return errors.New("partner: not an id")
	}
	if x.Call && a != ActionCheckIn && a != ActionCheckOut {
		return fmt.Errorf("%s is not recorded from a call; only check_in and check_out are", a)
	}
	return nil
}
