package app

import (
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// DeadlinesView is the network's reply-by windows (relief.Deadlines), in whole
// minutes, as the Network screen shows them.
type DeadlinesView struct {
	ReviewMinutes  int  `json:"reviewMinutes"`  // collected → reviewed, from creation
	PublishMinutes int  `json:"publishMinutes"` // approved → published, from approval
	ClaimMinutes   int  `json:"claimMinutes"`   // published → claimed, from publication or release
	AnswerMinutes  int  `json:"answerMinutes"`  // task offered → accepted or declined
	MaxMinutes     int  `json:"maxMinutes"`     // the longest window allowed (relief.MaxWithinMinutes)
	CanEdit        bool `json:"canEdit"`        // this device is an active coordinator
}

// DeadlinesInput is what the reply-by form sends: every window in whole
// minutes, each 1 ≤ minutes ≤ relief.MaxWithinMinutes (30 days).
type DeadlinesInput struct {
	ReviewMinutes  int `json:"reviewMinutes"`
	PublishMinutes int `json:"publishMinutes"`
	ClaimMinutes   int `json:"claimMinutes"`
	AnswerMinutes  int `json:"answerMinutes"`
}

// Deadlines returns the network's reply-by windows (the coordinators'
// settings, or the defaults) and whether this device may change them.
func (s *NetworkService) Deadlines() (DeadlinesView, error) {
	st, err := s.a.store()
	if err != nil {
		return DeadlinesView{}, err
	}
	dl := st.Deadlines()
	me, ok := st.Me()
	return DeadlinesView{
		ReviewMinutes: int(dl.Review / time.Minute), PublishMinutes: int(dl.Publish / time.Minute),
		ClaimMinutes: int(dl.Claim / time.Minute), AnswerMinutes: int(dl.Answer / time.Minute),
		MaxMinutes: relief.MaxWithinMinutes, CanEdit: ok && me.Role == relief.RoleCoordinator && !me.Revoked,
	}, nil
}

// SetDeadlines sets the network's reply-by windows as a signed change on the
// network record (relief.SetDeadlines), which syncs to every peer, and returns
// them afterwards. Coordinators only. Errors: CodeInvalid naming the first
// window out of range ("reviewMinutes", "publishMinutes", "claimMinutes",
// "answerMinutes": below 1 or above relief.MaxWithinMinutes); CodeNoNetwork
// before a network exists; CodeNotAllowed when this device is not an active
// coordinator. Nothing is written when a check fails.
func (s *NetworkService) SetDeadlines(in DeadlinesInput) (DeadlinesView, error) {
	for _, f := range []struct {
		name string
		v    int
	}{{"reviewMinutes", in.ReviewMinutes}, {"publishMinutes", in.PublishMinutes}, {"claimMinutes", in.ClaimMinutes}, {"answerMinutes", in.AnswerMinutes}} {
		if f.v < 1 || f.v > relief.MaxWithinMinutes {
			return DeadlinesView{}, fieldError(CodeInvalid, f.name, "%d minutes: want 1 to %d (30 days)", f.v, relief.MaxWithinMinutes)
		}
	}
	st, err := s.a.store()
	if err != nil {
		return DeadlinesView{}, err
	}
	n, ok := st.Network()
	if !ok {
		return DeadlinesView{}, &Error{Code: CodeNoNetwork, Message: "create or join a network first"}
	}
	if me, ok := st.Me(); !ok || me.Role != relief.RoleCoordinator || me.Revoked {
		return DeadlinesView{}, &Error{Code: CodeNotAllowed, Message: "only coordinators change the reply-by windows"}
	}
	op, err := relief.SetDeadlines(n.ID, relief.Deadlines{
		Review: time.Duration(in.ReviewMinutes) * time.Minute, Publish: time.Duration(in.PublishMinutes) * time.Minute,
		Claim: time.Duration(in.ClaimMinutes) * time.Minute, Answer: time.Duration(in.AnswerMinutes) * time.Minute,
	})
	if err != nil {
		return DeadlinesView{}, &Error{Code: CodeInvalid, Message: err.Error()}
	}
	if _, err := st.ApplyLocal([]ledger.Op{op}); err != nil {
		return DeadlinesView{}, asError(err)
	}
	return s.Deadlines()
}
