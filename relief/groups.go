package relief

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// Working groups: groups by function (review, logistics, medical,
// psychological support, legal, any other) with members and a lead, to
// which demands and tasks are routed by category or skill.
//
// A group is a record of kind KindGroup written by coordinators
// (FieldRules): its name, function and lead, and the sets of its members
// (member ids), the demand categories and the task skills it takes. It
// counts only when a coordinator created it (admitted at the creating
// change's position), as covenant versions do. Any member follows or stops
// following a group with a transition of their own (ActionFollowGroup,
// ActionUnfollowGroup): the latest of a member's wins, in total order. A
// member may follow several groups.
//
// Routing (RouteDemand, RouteTask) is a pure function of the folded groups
// and of the demand's category or the task's skill: every peer that holds
// the same changes routes alike, whatever the order of arrival.

// KindGroup is a working group; see Group.
const KindGroup = "group"

// Fields and sets of a group.
const (
	FieldFunction = "function" // group [string]: one of GroupFunctions
	FieldLead     = "lead"     // group [ledger.DeviceID]: the group's lead
	SetMembers    = "members"  // group: member ids (ledger.DeviceID.String())
	SetCategories = "categories"
	// SetSkills (the volunteer's set) names, on a group, the task skills it takes.
)

// Group functions: what a group does. GroupOther is any other function,
// named by the group's name.
const (
	GroupReview        = "review"
	GroupLogistics     = "logistics"
	GroupMedical       = "medical"
	GroupPsychological = "psychological"
	GroupLegal         = "legal"
	GroupOther         = "other"
)

// GroupFunctions are the functions a group may have, in display order.
var GroupFunctions = []string{GroupReview, GroupLogistics, GroupMedical, GroupPsychological, GroupLegal, GroupOther}

// Follow and stop following a group: transitions on the group's record by
// the member themself.
const (
	ActionFollowGroup   Action = "follow_group"
	ActionUnfollowGroup Action = "unfollow_group"
)

// GroupRules is the groups' table: any member may follow or stop following
// a group (for themself: the fold counts each member's own steps only).
var GroupRules = []Rule{
	{Action: ActionFollowGroup, Roles: []Role{RoleCoordinator, RoleReviewer, RoleVolunteer, RoleObserver}},
	{Action: ActionUnfollowGroup, Roles: []Role{RoleCoordinator, RoleReviewer, RoleVolunteer, RoleObserver}},
}

// MaxGroupElems is the most members, categories or skills one op may add
// to a group.
const MaxGroupElems = 200

// Group is a working group, folded.
type Group struct {
	ID       string          `json:"id" level:"team"`
	Name     string          `json:"name" level:"team"`
	Function string          `json:"function" level:"team"` // one of GroupFunctions
	Lead     ledger.DeviceID `json:"lead" level:"team"`     // zero: none yet
	// Members are the group's members as coordinators set them; Followers
	// the members who follow it (members or not); both sorted.
	Members    []ledger.DeviceID `json:"members" level:"team"`
	Followers  []ledger.DeviceID `json:"followers" level:"team"`
	Categories []string          `json:"categories" level:"team"` // demand categories routed to it, sorted
	Skills     []string          `json:"skills" level:"team"`     // task skills routed to it, sorted
	CreatedBy  ledger.DeviceID   `json:"created_by" level:"team"`
	CreatedAt  ledger.Stamp      `json:"created_at" level:"team"`
}

// Has reports whether member belongs to g: a member, its lead, or a follower.
func (g Group) Has(member ledger.DeviceID) bool {
	return member == g.Lead || slices.Contains(g.Members, member) || slices.Contains(g.Followers, member)
}

// GroupInput is what NewGroup writes.
type GroupInput struct {
	Name       string
	Function   string // one of GroupFunctions
	Lead       ledger.DeviceID
	Members    []ledger.DeviceID
	Categories []string
	Skills     []string
}

// NewGroup returns the ops that write group id (a fresh id, or an existing
// one's to set its name, function and lead and add to its sets). Errors:
// ErrInvalidOp for an empty name, an unknown function or more than
// MaxGroupElems elements.
func NewGroup(id string, in GroupInput) ([]ledger.Op, error) {
	if strings.TrimSpace(in.Name) == "" {
		return nil, fmt.Errorf("new group %s: %w: empty name", id, ErrInvalidOp)
	}
	if !slices.Contains(GroupFunctions, in.Function) {
		return nil, fmt.Errorf("new group %s: %w: function %q is not one of %v", id, ErrInvalidOp, in.Function, GroupFunctions)
	}
	if len(in.Members) > MaxGroupElems || len(in.Categories) > MaxGroupElems || len(in.Skills) > MaxGroupElems {
		return nil, fmt.Errorf("new group %s: %w: more than %d members, categories or skills", id, ErrInvalidOp, MaxGroupElems)
	}
	fields := map[string]any{FieldName: in.Name, FieldFunction: in.Function}
	if !in.Lead.IsZero() {
		fields[FieldLead] = in.Lead
	}
	set, err := SetFields(KindGroup, id, fields)
	if err != nil {
		return nil, err
	}
	ops := []ledger.Op{set}
	add := func(name string, elems []string) error {
		if len(elems) == 0 {
			return nil
		}
		op, err := Add(KindGroup, id, name, elems...)
		if err == nil {
			ops = append(ops, op)
		}
		return err
	}
	members := make([]string, len(in.Members))
	for i, m := range in.Members {
		members[i] = m.String()
	}
	for _, s := range []struct {
		name  string
		elems []string
	}{{SetMembers, members}, {SetCategories, in.Categories}, {SetSkills, in.Skills}} {
		if err := add(s.name, s.elems); err != nil {
			return nil, err
		}
	}
	return ops, nil
}

// FollowGroup returns the op by which the author follows group id (on false:
// stops following it).
func FollowGroup(id string, on bool) (ledger.Op, error) {
	a := ActionFollowGroup
	if !on {
		a = ActionUnfollowGroup
	}
	return Transition(KindGroup, id, a, Args{})
}

// FoldGroups folds the group records among recs (others are skipped) with
// roster: the groups a coordinator created (admitted at the creating
// change's position), each with the fields and set elements written by
// those FieldRules allow (coordinators), its followers (each admitted
// member's own latest follow or unfollow, in total order), sorted by
// function (GroupFunctions order), then name, then id. The result is the
// same on every peer holding the same changes.
func FoldGroups(recs []*Record, roster *Roster) []Group {
	var out []Group
	for _, rec := range recs {
		if rec == nil || rec.Kind != KindGroup || rec.First == nil {
			continue
		}
		author, err := roster.Admits(rec.First.Device, rec.First.Seq)
		if err != nil || author.Role != RoleCoordinator {
			continue
		}
		r, _ := authorise(rec, roster, &writeContext{creator: creatorOf(rec)}, "")
		g := Group{ID: rec.ID, CreatedBy: rec.First.Device, CreatedAt: rec.First.Stamp,
			Members: []ledger.DeviceID{}, Followers: []ledger.DeviceID{}}
		r.Value(FieldName, &g.Name)
		r.Value(FieldFunction, &g.Function)
		r.Value(FieldLead, &g.Lead)
		if g.Name == "" {
			continue // no name written by a coordinator: not a group yet
		}
		if !slices.Contains(GroupFunctions, g.Function) {
			g.Function = GroupOther
		}
		for _, s := range r.Elements(SetMembers) {
			if k, err := ledger.ParseDeviceID(s); err == nil {
				g.Members = append(g.Members, k)
			}
		}
		g.Categories = nonNil(r.Elements(SetCategories))
		g.Skills = nonNil(r.Elements(SetSkills))
		following := map[ledger.DeviceID]bool{}
		for _, s := range rec.Transitions { // in total order: a member's latest step wins
			if s.Action != ActionFollowGroup && s.Action != ActionUnfollowGroup {
				continue
			}
			if _, err := roster.Admits(s.Meta.Device, s.Meta.Seq); err != nil {
				continue
			}
			following[s.Meta.Device] = s.Action == ActionFollowGroup
		}
		for m, on := range following {
			if on {
				g.Followers = append(g.Followers, m)
			}
		}
		byKey := func(a, b ledger.DeviceID) int { return cmp.Compare(a.String(), b.String()) }
		slices.SortFunc(g.Members, byKey)
		slices.SortFunc(g.Followers, byKey)
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b Group) int {
		return cmp.Or(cmp.Compare(slices.Index(GroupFunctions, a.Function), slices.Index(GroupFunctions, b.Function)),
			cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// RouteDemand returns the ids of the groups a demand of category goes to:
// those whose categories include it (compared as written, after trimming
// spaces and ignoring case), in the order of groups (FoldGroups'). Empty
// when none takes it.
func RouteDemand(groups []Group, category string) []string {
	return route(groups, category, func(g Group) []string { return g.Categories })
}

// RouteTask returns the ids of the groups a task needing skill goes to:
// those whose skills include it (as RouteDemand compares), in the order of
// groups.
func RouteTask(groups []Group, skill string) []string {
	return route(groups, skill, func(g Group) []string { return g.Skills })
}

func route(groups []Group, what string, of func(Group) []string) []string {
	key := strings.ToLower(strings.TrimSpace(what))
	out := []string{}
	if key == "" {
		return out
	}
	for _, g := range groups {
		if slices.ContainsFunc(of(g), func(s string) bool { return strings.ToLower(strings.TrimSpace(s)) == key }) {
			out = append(out, g.ID)
		}
	}
	return out
}

// GroupsOf returns the groups member belongs to (Group.Has), in the order
// of groups: the groups whose inboxes and boards the member sees.
func GroupsOf(groups []Group, member ledger.DeviceID) []Group {
	var out []Group
	for _, g := range groups {
		if g.Has(member) {
			out = append(out, g)
		}
	}
	return out
}
