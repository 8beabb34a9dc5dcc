package app

import (
	"strconv"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/store"
)

// UndoneView says that a revocation undid changes this device had applied
// and shown: "3 changes by Y were undone: Y was revoked by X at …". It is
// the data of EventChangesUndone and part of a bundle import's result.
type UndoneView struct {
	Member    MemberRef `json:"member"`    // the revoked member
	Count     int       `json:"count"`     // changes undone
	After     uint64    `json:"after"`     // their changes after this seq are refused
	RevokedBy MemberRef `json:"revokedBy"` // the coordinator who revoked them; empty when unknown
	RevokedAt int64     `json:"revokedAt"` // Unix milliseconds; 0 when unknown
	// Fork: a fork of the member's feed undid them, not a revocation
	// (RevokedBy empty; ForkAt when the fork's later change was made, Unix ms).
	Fork   bool  `json:"fork"`
	ForkAt int64 `json:"forkAt"`
}

// undoneView converts what the store reports.
func undoneView(u store.Undone) UndoneView {
	v := UndoneView{Member: MemberRef{ID: u.Device.String(), Name: u.Name}, Count: len(u.Seqs), After: u.After}
	if u.Fork {
		v.Fork, v.ForkAt = true, u.At.UnixMilli()
	}
	if !u.By.IsZero() {
		v.RevokedBy = MemberRef{ID: u.By.String(), Name: u.ByName}
		v.RevokedAt = u.At.UnixMilli()
	}
	return v
}

// undoneViews converts a list; never nil.
func undoneViews(us []store.Undone) []UndoneView {
	out := make([]UndoneView, 0, len(us))
	for _, u := range us {
		out = append(out, undoneView(u))
	}
	return out
}

// UndoneChangeView is one change of a revoked member kept as evidence on this
// device, for a coordinator to adopt or set aside (desk.UndoneChange).
type UndoneChangeView struct {
	Member string   `json:"member"`
	Seq    string   `json:"seq"` // decimal (a uint64)
	At     int64    `json:"at"`  // Unix milliseconds: when the member made it
	Ops    []string `json:"ops"`
	// Steps say what it did, one per op, for the screen to word (desk.UndoneStep).
	Steps   []UndoneStepView `json:"steps"`
	Handled bool             `json:"handled"`
}

// UndoneStepView is one op of an undone change (desk.UndoneStep): type, kind,
// the record's code, a transition's action, a set's fields (never null), an
// add's or remove's set.
type UndoneStepView struct {
	Type   string   `json:"type"`
	Kind   string   `json:"kind"`
	Code   string   `json:"code"`
	Action string   `json:"action"`
	Fields []string `json:"fields"`
	Set    string   `json:"set"`
}

// UndoneChanges lists the changes of revoked member memberID undone or
// refused on this device. Errors: CodeInvalid naming "memberId";
// CodeNotAllowed for a member who is not an active coordinator; CodeStorage.
func (s *NetworkService) UndoneChanges(memberID string) ([]UndoneChangeView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	cs, err := dk.UndoneChanges(memberID)
	if err != nil {
		return nil, err
	}
	out := make([]UndoneChangeView, 0, len(cs))
	for _, c := range cs {
		steps := make([]UndoneStepView, 0, len(c.Steps))
		for _, st := range c.Steps {
			steps = append(steps, UndoneStepView{Type: st.Type, Kind: st.Kind, Code: st.Code, Action: st.Action, Fields: st.Fields, Set: st.Set})
		}
		out = append(out, UndoneChangeView{Member: c.Member, Seq: strconv.FormatUint(c.Seq, 10), At: c.At.UnixMilli(), Ops: c.Ops, Steps: steps, Handled: c.Handled})
	}
	return out, nil
}

// AdoptUndone re-records change seq (decimal) of revoked member memberID
// under this coordinator's signature, with a reference to the original
// (desk.AdoptUndone). Errors: CodeInvalid naming "memberId" or "seq";
// CodeNotAllowed; CodeRevoked; CodeStorage.
func (s *NetworkService) AdoptUndone(memberID, seq string) error {
	dk, n, err := s.undoneArgs(seq)
	if err != nil {
		return err
	}
	return dk.AdoptUndone(memberID, n)
}

// SetAsideUndone marks change seq (decimal) of revoked member memberID
// handled without adopting it (desk.SetAsideUndone). Errors: those of
// AdoptUndone.
func (s *NetworkService) SetAsideUndone(memberID, seq string) error {
	dk, n, err := s.undoneArgs(seq)
	if err != nil {
		return err
	}
	return dk.SetAsideUndone(memberID, n)
}

func (s *NetworkService) undoneArgs(seq string) (*desk.Desk, uint64, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, 0, err
	}
	n, err := strconv.ParseUint(seq, 10, 64)
	if err != nil {
		return nil, 0, fieldError(CodeInvalid, "seq", "%q is not a change number", seq)
	}
	return dk, n, nil
}
