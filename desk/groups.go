package desk

import (
	"slices"
	"strings"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// GroupInput is a working group as the form sends it: Function is one of
// relief.GroupFunctions; Lead and Members are member ids; Categories are
// demand categories and Skills task skills routed to the group.
type GroupInput struct {
	Name       string   `json:"name"`
	Function   string   `json:"function"`
	Lead       string   `json:"lead"`
	Members    []string `json:"members"`
	Categories []string `json:"categories"`
	Skills     []string `json:"skills"`
}

// Groups returns the network's working groups (relief.FoldGroups), by
// function then name; never nil. Errors: CodeStorage.
func (d *Desk) Groups() ([]relief.Group, error) {
	gs, err := d.st.Groups()
	if err != nil {
		return nil, AsError(err)
	}
	if gs == nil {
		gs = []relief.Group{}
	}
	return gs, nil
}

// CreateGroup records a working group and returns every group. Only
// coordinators write groups (relief.FieldRules: every peer's fold refuses
// others'). Errors: *Error CodeNotAllowed naming "action"; CodeRequired
// naming "name"; CodeTooLong naming "name"; CodeInvalid naming "function",
// "lead" or "members" (not a member id, or not a member of the network);
// CodeStorage.
func (d *Desk) CreateGroup(in GroupInput) ([]relief.Group, error) {
	if me, _ := d.st.Me(); me.Role != relief.RoleCoordinator {
		return nil, &Error{Code: CodeNotAllowed, Field: "action", Message: "only coordinators create working groups"}
	}
	name := strings.TrimSpace(in.Name)
	switch {
	case name == "":
		return nil, FieldError(CodeRequired, "name", "is empty")
	case relief.TooLong(name, relief.MaxOrg):
		return nil, TooLong("name", relief.MaxOrg)
	case !slices.Contains(relief.GroupFunctions, in.Function):
		return nil, FieldError(CodeInvalid, "function", "%q is not one of %v", in.Function, relief.GroupFunctions)
	}
	roster := d.st.Roster()
	member := func(field, id string) (ledger.DeviceID, error) {
		k, err := ledger.ParseDeviceID(strings.TrimSpace(id))
		if err != nil {
			return k, FieldError(CodeInvalid, field, "%q is not a member id", id)
		}
		if m, ok := roster.Member(k); !ok || m.Revoked {
			return k, FieldError(CodeInvalid, field, "%s is not a member of the network", id)
		}
		return k, nil
	}
	g := relief.GroupInput{Name: name, Function: in.Function, Categories: trimmed(in.Categories), Skills: trimmed(in.Skills)}
	if strings.TrimSpace(in.Lead) != "" {
		k, err := member("lead", in.Lead)
		if err != nil {
			return nil, err
		}
		g.Lead = k
	}
	for _, id := range in.Members {
		k, err := member("members", id)
		if err != nil {
			return nil, err
		}
		g.Members = append(g.Members, k)
	}
	ops, err := relief.NewGroup(store.NewID(), g)
	if err != nil {
		return nil, FieldError(CodeInvalid, "name", "%v", err)
	}
	if _, err := d.apply(ops); err != nil {
		return nil, err
	}
	return d.Groups()
}

// trimmed returns the non-empty elements of ss, trimmed, without repeats.
func trimmed(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// FollowGroup makes this member follow group id (on false: stop following
// it): a change signed by the member; a member may follow several groups.
// Following a group already followed writes nothing. Returns every group.
// Errors: *Error CodeNotFound naming "group"; CodeStorage.
func (d *Desk) FollowGroup(id string, on bool) ([]relief.Group, error) {
	gs, err := d.Groups()
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(gs, func(g relief.Group) bool { return g.ID == id })
	if i < 0 {
		return nil, &Error{Code: CodeNotFound, Field: "group", Message: "no working group " + id}
	}
	if slices.Contains(gs[i].Followers, d.st.Device()) == on {
		return gs, nil
	}
	op, err := relief.FollowGroup(id, on)
	if err != nil {
		return nil, &Error{Code: CodeInvalid, Field: "group", Message: err.Error()}
	}
	if _, err := d.apply([]ledger.Op{op}); err != nil {
		return nil, err
	}
	return d.Groups()
}

// GroupInbox returns the entries of this member's inbox (Inbox) that
// concern group id: those of a demand whose category is routed to it
// (relief.RouteDemand), the group's own inbox view. Errors: *Error
// CodeNotFound naming "group"; CodeStorage.
func (d *Desk) GroupInbox(id string) ([]Pending, error) {
	if _, err := d.group(id); err != nil {
		return nil, err
	}
	gs, err := d.Groups()
	if err != nil {
		return nil, err
	}
	all, err := d.Inbox()
	if err != nil {
		return nil, err
	}
	out := []Pending{}
	routed := map[string]bool{} // by demand id
	for _, p := range all {
		if p.DemandID == "" {
			continue
		}
		to, seen := routed[p.DemandID]
		if !seen {
			if dm, err := d.st.Demand(p.DemandID); err == nil {
				to = slices.Contains(relief.RouteDemand(gs, dm.Category), id)
			}
			routed[p.DemandID] = to
		}
		if to {
			out = append(out, p)
		}
	}
	return out, nil
}

// group returns working group id. Errors: CodeNotFound naming "group";
// CodeStorage.
func (d *Desk) group(id string) (relief.Group, error) {
	gs, err := d.Groups()
	if err != nil {
		return relief.Group{}, err
	}
	i := slices.IndexFunc(gs, func(g relief.Group) bool { return g.ID == id })
	if i < 0 {
		return relief.Group{}, &Error{Code: CodeNotFound, Field: "group", Message: "no working group " + id}
	}
	return gs[i], nil
}
