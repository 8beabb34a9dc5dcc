package app

import (
	"time"

	"github.com/reliefmesh/reliefmesh/relief"
)

// DeadlinesView is the network's reply-by windows (relief.Deadlines), in whole
// minutes, as the Network screen shows them.
type DeadlinesView struct {
	ReviewMinutes  int `json:"reviewMinutes"`  // collected → reviewed, from creation
	PublishMinutes int `json:"publishMinutes"` // approved → published, from approval
	ClaimMinutes   int `json:"claimMinutes"`   // published → claimed, from publication or release
	AnswerMinutes  int `json:"answerMinutes"`  // task offered → accepted or declined
	// The ownership windows: an owner's next action, from their last one; a
	// transfer request's answer; a published demand's re-confirmation.
	FollowUpMinutes int  `json:"followUpMinutes"`
	TransferMinutes int  `json:"transferMinutes"`
	RecheckMinutes  int  `json:"recheckMinutes"`
	MaxMinutes      int  `json:"maxMinutes"` // the longest window allowed (relief.MaxWithinMinutes)
	CanEdit         bool `json:"canEdit"`    // this device is an active coordinator
}

// DeadlinesInput is what the reply-by form sends: every window in whole
// minutes, each 1 ≤ minutes ≤ relief.MaxWithinMinutes (30 days).
type DeadlinesInput struct {
	ReviewMinutes  int `json:"reviewMinutes"`
	PublishMinutes int `json:"publishMinutes"`
	ClaimMinutes   int `json:"claimMinutes"`
	AnswerMinutes  int `json:"answerMinutes"`
	// The ownership windows; 0 leaves the network's value as it is.
	FollowUpMinutes int `json:"followUpMinutes"`
	TransferMinutes int `json:"transferMinutes"`
	RecheckMinutes  int `json:"recheckMinutes"`
}

// Deadlines returns the network's reply-by windows (the coordinators'
// settings, or the defaults) and whether this device may change them.
func (s *NetworkService) Deadlines() (DeadlinesView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return DeadlinesView{}, err
	}
	dl, canEdit := dk.Deadlines()
	return DeadlinesView{
		ReviewMinutes: int(dl.Review / time.Minute), PublishMinutes: int(dl.Publish / time.Minute),
		ClaimMinutes: int(dl.Claim / time.Minute), AnswerMinutes: int(dl.Answer / time.Minute),
		FollowUpMinutes: int(dl.FollowUp / time.Minute), TransferMinutes: int(dl.Transfer / time.Minute),
		RecheckMinutes: int(dl.Recheck / time.Minute),
		MaxMinutes:     relief.MaxWithinMinutes, CanEdit: canEdit,
	}, nil
}

// SetDeadlines sets the network's reply-by windows as a signed change on the
// network record (relief.SetDeadlines), which syncs to every peer, and returns
// them afterwards. Coordinators only. Errors: CodeInvalid naming the first
// window out of range ("reviewMinutes", "publishMinutes", "claimMinutes",
// "answerMinutes": below 1 or above relief.MaxWithinMinutes; the ownership
// windows "followUpMinutes", "transferMinutes", "recheckMinutes" may be 0:
// left as they are); CodeNoNetwork
// before a network exists; CodeNotAllowed when this device is not an active
// coordinator. Nothing is written when a check fails.
func (s *NetworkService) SetDeadlines(in DeadlinesInput) (DeadlinesView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return DeadlinesView{}, err
	}
	minutes := func(m int) time.Duration {
		if m > relief.MaxWithinMinutes { // out of range either way; not multiplied into an overflow
			m = relief.MaxWithinMinutes + 1
		}
		return time.Duration(m) * time.Minute
	}
	if err := dk.SetDeadlines(relief.Deadlines{Review: minutes(in.ReviewMinutes), Publish: minutes(in.PublishMinutes),
		Claim: minutes(in.ClaimMinutes), Answer: minutes(in.AnswerMinutes),
		FollowUp: minutes(in.FollowUpMinutes), Transfer: minutes(in.TransferMinutes), Recheck: minutes(in.RecheckMinutes)}); err != nil {
		return DeadlinesView{}, err
	}
	return s.Deadlines()
}
