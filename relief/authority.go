package relief

import (
	"cmp"
	"maps"
	"slices"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// FieldRule says who may write fields of one kind of record. A field write
// (a set op) by an author admitted at its position (Roster.RoleAt) is allowed
// when one rule of its kind that covers the field lets the author write it.
type FieldRule struct {
	Kind   string
	Except []string // fields the rule does not cover; nil: it covers every field of Kind
	Roles  []Role   // roles that may always write them
	// Creator: the member who authored the record's first operation may
	// write them, unless an observer at the write's position.
	Creator bool
	// Owner: the entity's owner at the write's position may write them
	// (a demand's owner after the steps before the write; a task's
	// volunteer), unless an observer.
	Owner bool
	// Self: the member the record is about may write them, whatever its
	// role (observers too): the volunteer record whose id is ProfileID of
	// their key, or else whose FieldKey (as written by its creator or staff)
	// is theirs.
	Self bool
}

// FieldRules is the table of who may write what, next to the pipeline table
// (Rules), and what desk lets each role do:
//
//	kind       fields                        who
//	demand     all                           coordinator, reviewer
//	demand     all but review_notes          its creator, its owner (not observers)
//	volunteer  all                           coordinator, reviewer
//	volunteer  all                           its creator (not observers); the member it is about (observers
//	                                         too; the key only on their own profile, ProfileID)
//	offer      all                           coordinator, reviewer
//	offer      all                           its creator (not observers)
//	task       all                           coordinator, reviewer
//	task       all                           its creator (not observers)
//	group      all (and its sets)            coordinator
//	partner    all                           coordinator, reviewer
//	partner    all                           its creator (not observers)
//
// The network record is written by coordinators only (NetworkDeadlines checks
// it); member records have no fields. A write that no rule allows has no effect:
// the field keeps the latest allowed write (or none), and the refused write is a
// Conflict with Action edit, Field set and Reason role (not_member, revoked for
// authors the roster does not admit). A demand's fields are judged after its
// steps, with the owner at each write's position; "closed" conflicts (edits of
// a closed demand) concern allowed writes only.
var FieldRules = []FieldRule{
	{Kind: KindDemand, Roles: staff},
	{Kind: KindDemand, Except: []string{FieldReviewNotes}, Creator: true, Owner: true},
	{Kind: KindVolunteer, Roles: staff},
	{Kind: KindVolunteer, Creator: true, Self: true},
	{Kind: KindOffer, Roles: staff},
	{Kind: KindOffer, Creator: true},
	{Kind: KindTask, Roles: staff},
	{Kind: KindTask, Creator: true},
	{Kind: KindGroup, Roles: []Role{RoleCoordinator}},
	{Kind: KindPartner, Roles: staff},
	{Kind: KindPartner, Creator: true},
}

// MayEdit reports whether member m, as the roster holds it now, may write the
// fields of the demand d (FieldRules): what desk asks before it signs an edit,
// so that it refuses up front what every peer's fold would refuse. review_notes
// takes a reviewer or a coordinator even then.
func MayEdit(d Demand, m Member) bool {
	if m.Key.IsZero() || m.Revoked || !m.Role.Valid() {
		return false
	}
	x := &writeContext{creator: d.CreatedBy, owner: func(Meta) ledger.DeviceID { return d.Owner }}
	return mayWriteField(KindDemand, FieldTitle, m, Meta{}, x) == ""
}

// writeContext is what a field write is judged against, besides its author's
// role at its position: who created the record, who owned it when, whom it
// is about.
type writeContext struct {
	creator ledger.DeviceID
	owner   func(m Meta) ledger.DeviceID // nil: the entity has no owner
	self    ledger.DeviceID              // zero: the record is about nobody
	// selfByID: self is named by the record's id (ProfileID), not by its
	// FieldKey, so self may write the key too.
	selfByID bool
	// role keeps the last answer of the roster's RoleAt (fieldReason): the
	// fields one op writes share its position, so a fold asks the same
	// question once per op instead of once per field.
	role struct {
		ok     bool
		roster *Roster
		m      Meta
		member Member
		err    error
	}
}

// roleAt is roster.RoleAt(m.Device, m), kept for the next call with the
// same roster and position when x is not nil.
func (x *writeContext) roleAt(roster *Roster, m Meta) (Member, error) {
	if x == nil {
		return roster.RoleAt(m.Device, m)
	}
	c := &x.role
	if c.ok && c.roster == roster && c.m == m {
		return c.member, c.err
	}
	member, err := roster.RoleAt(m.Device, m)
	c.ok, c.roster, c.m, c.member, c.err = true, roster, m, member, err
	return member, err
}

// mayWriteField reports why author may not write field of kind (Reason "" if
// it may) in context x. The author's role is its role at the write's
// position.
func mayWriteField(kind, field string, author Member, m Meta, x *writeContext) Reason {
	covered := false
	for i := range FieldRules {
		r := &FieldRules[i]
		if r.Kind != kind || slices.Contains(r.Except, field) {
			continue
		}
		covered = true
		staffish := author.Role != RoleObserver && author.Role.Valid()
		switch {
		case slices.Contains(r.Roles, author.Role):
			return ""
		case r.Self && !x.self.IsZero() && author.Key == x.self && (field != FieldKey || x.selfByID):
			return ""
		case r.Creator && staffish && author.Key == x.creator:
			return ""
		case r.Owner && staffish && x.owner != nil && author.Key == x.owner(m):
			return ""
		}
	}
	if !covered {
		return "" // a kind FieldRules does not cover (the network: NetworkDeadlines)
	}
	return ReasonRole
}

// authorise returns rec as the fold must see it: each field's value is the
// latest write (winner or superseded) whose author was allowed to make it at
// its position (see FieldRules), a field with no such write is absent, and
// the refused writes are returned as conflicts (Action edit, Field set, in
// total order), won by the write that stands. rec itself is returned when
// every winning write is allowed and none is refused (the common case: no
// copy). only, if not empty, restricts the judgement to that one field: the
// result is then to be read for that field only, and no conflicts are
// returned.
func authorise(rec *Record, roster *Roster, x *writeContext, only string) (*Record, []Conflict) {
	var out *Record
	var conflicts []Conflict
	judge := func(name string, f Field) {
		var stands Write
		found := false
		n := len(conflicts)
		// newest first: the winner, then the superseded writes
		prev := f.Prev()
		for i := len(prev); i >= 0; i-- {
			w := Write{Value: f.Value, Meta: f.Meta}
			if i < len(prev) {
				w = prev[i]
			}
			if reason := fieldReason(rec.Kind, name, w, roster, x); reason != "" {
				c := conflictAt(w.Meta, ActionEdit, reason)
				c.Field = name
				conflicts = append(conflicts, c)
			} else if !found {
				stands, found = w, true
				if only != "" {
					break // only the value is asked for, not the refusals
				}
			}
		}
		if len(conflicts) == n && only == "" {
			return // every write allowed: the field as it is
		}
		if out == nil {
			out = &Record{Kind: rec.Kind, ID: rec.ID, Sets: rec.Sets, Transitions: rec.Transitions, First: rec.First, Last: rec.Last, Grants: rec.Grants, Erased: rec.Erased,
				Fields: make(map[string]Field, len(rec.Fields))}
			if only == "" {
				for n, f := range rec.Fields {
					out.Fields[n] = f
				}
			}
		}
		for i := n; i < len(conflicts); i++ {
			if found { // the value that stands instead
				conflicts[i].Winner, conflicts[i].WinnerAt, conflicts[i].WinnerAction = stands.Meta.Device, stands.Meta.Stamp, ActionEdit
			}
		}
		if !found {
			delete(out.Fields, name)
			return
		}
		out.Fields[name] = Field{Value: stands.Value, Meta: stands.Meta}
	}
	if only != "" {
		f, ok := rec.Fields[only]
		if !ok || fieldReason(rec.Kind, only, Write{Value: f.Value, Meta: f.Meta}, roster, x) == "" {
			return rec, nil // the winner stands (or there is none): rec reads the same
		}
		judge(only, f)
		if out == nil {
			out = &Record{Kind: rec.Kind, ID: rec.ID}
		}
		return out, nil
	}
	for name, f := range rec.Fields {
		judge(name, f)
	}
	setsCloned := false
	for name, set := range rec.Sets {
		eff, refused := authoriseSet(rec.Kind, name, set, roster, x)
		if refused == nil {
			continue
		}
		if out == nil {
			out = &Record{Kind: rec.Kind, ID: rec.ID, Fields: rec.Fields, Transitions: rec.Transitions, First: rec.First, Last: rec.Last}
		}
		if !setsCloned {
			out.Sets, setsCloned = maps.Clone(rec.Sets), true
		}
		out.Sets[name] = eff
		conflicts = append(conflicts, refused...)
	}
	if out == nil {
		return rec, nil
	}
	// one change may write several fields: order by position, then field
	slices.SortFunc(conflicts, func(a, b Conflict) int {
		ma := Meta{Stamp: a.At, Device: a.By, Seq: a.Seq, Index: a.Index, Change: a.Change}
		mb := Meta{Stamp: b.At, Device: b.By, Seq: b.Seq, Index: b.Index, Change: b.Change}
		return cmp.Or(ma.Compare(mb), cmp.Compare(a.Field, b.Field))
	})
	return out, conflicts
}

// authoriseSet returns the set s of a record of kind as the fold must see it:
// without the additions and removals whose authors FieldRules do not allow to
// write the set name at their positions, and those as conflicts (one per
// operation, Action edit, Field name). It returns s itself and no conflicts
// when every author was allowed. Additions and removals with no recorded
// author (records written before AddBy and RemoveBy) count as allowed.
func authoriseSet(kind, name string, s ORSet, roster *Roster, x *writeContext) (ORSet, []Conflict) {
	verdicts := map[Meta]bool{}
	var conflicts []Conflict
	allowed := func(m Meta) bool {
		ok, seen := verdicts[m]
		if seen {
			return ok
		}
		reason := fieldReason(kind, name, Write{Meta: m}, roster, x)
		ok = reason == ""
		verdicts[m] = ok
		if !ok {
			c := conflictAt(m, ActionEdit, reason)
			c.Field = name
			conflicts = append(conflicts, c)
		}
		return ok
	}
	for _, ms := range s.AddBy {
		for _, m := range ms {
			allowed(m)
		}
	}
	for _, rs := range s.RemoveBy {
		for _, r := range rs {
			allowed(r.Meta)
		}
	}
	if len(conflicts) == 0 {
		return s, nil
	}
	out := ORSet{Adds: make(map[string][]Tag, len(s.Adds)), Removes: make(map[string][]Tag, len(s.Removes))}
	for e, tags := range s.Adds {
		var refused []Tag
		for _, m := range s.AddBy[e] {
			if !verdicts[m] {
				refused = insertTags(refused, m.tag())
			}
		}
		if len(refused) == 0 {
			out.Adds[e] = tags
			continue
		}
		out.Adds[e] = live(tags, refused)
	}
	for e, tags := range s.Removes {
		var covered, kept []Tag // tags some recorded removal names; those an allowed one names
		for _, r := range s.RemoveBy[e] {
			covered = insertTags(covered, r.Tags...)
			if verdicts[r.Meta] {
				kept = insertTags(kept, r.Tags...)
			}
		}
		out.Removes[e] = insertTags(kept, live(tags, covered)...) // unrecorded removals stand
	}
	return out, conflicts
}

// fieldReason judges one write of field name (Reason "" if allowed).
func fieldReason(kind, name string, w Write, roster *Roster, x *writeContext) Reason {
	author, err := x.roleAt(roster, w.Meta)
	if err != nil {
		if author.Revoked {
			return ReasonRevoked
		}
		return ReasonNotMember
	}
	return mayWriteField(kind, name, author, w.Meta, x)
}

// ProfileID returns the id of the volunteer profile of member key, the one
// its own device writes: "v-" and the key as DeviceID.String spells it.
func ProfileID(key ledger.DeviceID) string { return "v-" + key.String() }

// profileIDLen is the length of every ProfileID: "v-" and 52 characters.
var profileIDLen = len(ProfileID(ledger.DeviceID{}))

// profileOwner returns the member whose own profile the volunteer record id
// is (see ProfileID); zero if id is not a profile id.
func profileOwner(id string) ledger.DeviceID {
	// Only an id as long as ProfileID's can be one: most volunteer ids are
	// not, and parsing them made an error each (with its message) per fold.
	if len(id) != profileIDLen || id[:2] != "v-" {
		return ledger.DeviceID{}
	}
	key, err := ledger.ParseDeviceID(id[2:])
	if err != nil || ProfileID(key) != id {
		return ledger.DeviceID{}
	}
	return key
}

// creatorOf returns the author of rec's first operation; zero if none.
func creatorOf(rec *Record) ledger.DeviceID {
	if rec.First == nil {
		return ledger.DeviceID{}
	}
	return rec.First.Device
}
