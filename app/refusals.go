package app

import "strings"

// AckRecordConflict acknowledges the refused write ref of the volunteer or
// offer kind/id (an inbox entry of What "conflict" whose kind is volunteer
// or offer), so that it leaves every inbox (desk.Desk.AckRecordConflict).
// Errors: as the desk's (required/invalid ref, invalid kind, not found id,
// not allowed action).
func (s *InboxService) AckRecordConflict(kind, id, ref string) error {
	dk, err := s.a.desk()
	if err != nil {
		return err
	}
	return dk.AckRecordConflict(strings.TrimSpace(kind), strings.TrimSpace(id), ref)
}
