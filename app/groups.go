package app

import (
	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// GroupInput is a working group as the form sends it (desk.GroupInput).
type GroupInput = desk.GroupInput

// GroupView is one working group for the volunteers screen: its function
// (one of relief.GroupFunctions), lead (ID "" when none), members and
// followers, the demand categories and task skills routed to it, and
// whether this member follows it or belongs to it.
type GroupView struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Function   string      `json:"function"`
	Lead       MemberRef   `json:"lead"`
	Members    []MemberRef `json:"members"`
	Followers  []MemberRef `json:"followers"`
	Categories []string    `json:"categories"`
	Skills     []string    `json:"skills"`
	Following  bool        `json:"following"`
	Mine       bool        `json:"mine"` // this member leads it, is a member or follows it
}

// groupViews converts the groups for this member; never nil.
func groupViews(dk *desk.Desk, gs []relief.Group) []GroupView {
	names := dk.MemberNames()
	me := dk.Store().Device()
	ref := func(k ledger.DeviceID) MemberRef {
		if k.IsZero() {
			return MemberRef{}
		}
		return MemberRef{ID: k.String(), Name: names[k]}
	}
	refs := func(ks []ledger.DeviceID) []MemberRef {
		out := make([]MemberRef, 0, len(ks))
		for _, k := range ks {
			out = append(out, ref(k))
		}
		return out
	}
	out := make([]GroupView, 0, len(gs))
	for _, g := range gs {
		v := GroupView{ID: g.ID, Name: g.Name, Function: g.Function, Lead: ref(g.Lead), Members: refs(g.Members), Followers: refs(g.Followers),
			Categories: append([]string{}, g.Categories...), Skills: append([]string{}, g.Skills...), Mine: g.Has(me)}
		for _, f := range g.Followers {
			if f == me {
				v.Following = true
			}
		}
		out = append(out, v)
	}
	return out
}

// Groups returns the network's working groups, by function then name.
// Errors: CodeStorage.
func (s *NetworkService) Groups() ([]GroupView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	gs, err := dk.Groups()
	if err != nil {
		return nil, err
	}
	return groupViews(dk, gs), nil
}

// CreateGroup records a working group (coordinators) and returns every
// group. Errors: see desk.Desk.CreateGroup.
func (s *NetworkService) CreateGroup(in GroupInput) ([]GroupView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	gs, err := dk.CreateGroup(in)
	if err != nil {
		return nil, err
	}
	return groupViews(dk, gs), nil
}

// FollowGroup makes this member follow working group id (on false: stop)
// and returns every group. Errors: see desk.Desk.FollowGroup.
func (s *NetworkService) FollowGroup(id string, on bool) ([]GroupView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	gs, err := dk.FollowGroup(id, on)
	if err != nil {
		return nil, err
	}
	return groupViews(dk, gs), nil
}

// GroupInbox returns this member's inbox entries of the demands routed to
// working group id (desk.Desk.GroupInbox). Errors: CodeNotFound naming
// "group"; CodeStorage.
func (s *NetworkService) GroupInbox(id string) ([]PendingView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	ps, err := dk.GroupInbox(id)
	if err != nil {
		return nil, err
	}
	out := make([]PendingView, 0, len(ps))
	names := noticeNames(dk, ps)
	for _, p := range ps {
		v := pendingView(p)
		v.Ref, v.Notice = p.Ref, noticeView(p.Notice, names)
		out = append(out, v)
	}
	return out, nil
}
