package app

import (
	"errors"
	"strings"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// DuplicateReview is a demand flagged as a probable duplicate, for a
// reviewer to answer: ID and Code name the flagged demand, Original and
// OriginalCode the demand it probably repeats. AddsContacts and AddsItems are
// what merging would write to the original, computed against the original as
// it is now; contacts' phones are blank for members below reviewer.
type DuplicateReview struct {
	ID           string        `json:"id"`
	Code         string        `json:"code"`
	Org          string        `json:"org"`
	Original     string        `json:"original"`
	OriginalCode string        `json:"originalCode"`
	OriginalOrg  string        `json:"originalOrg"`
	Reasons      []string      `json:"reasons"` // "same organisation", "same phone +86…", "close address"
	AddsContacts []ContactView `json:"addsContacts"`
	AddsItems    []string      `json:"addsItems"` // one line each, as "N95口罩 500 只"
	CanAnswer    bool          `json:"canAnswer"` // this member may keep it separate (a reviewer or coordinator)
	CanMerge     bool          `json:"canMerge"`  // and may merge it: it may still be marked a duplicate, and the original is open (or it adds nothing)
}

// ReviewDuplicate returns the flag on demand id. Errors: CodeNotFound naming
// "id" when there is no such demand or its original is gone; CodeInvalid
// naming "id" when the demand is not (or no longer) flagged.
func (s *DemandService) ReviewDuplicate(id string) (DuplicateReview, error) {
	dk, err := s.a.desk()
	if err != nil {
		return DuplicateReview{}, err
	}
	dup, err := dk.ReviewDuplicate(strings.TrimSpace(id))
	if err != nil {
		return DuplicateReview{}, duplicateError(err)
	}
	v := DuplicateReview{ID: dup.ID, Code: relief.Code(relief.KindDemand, dup.ID), Org: dup.Org, Original: dup.Original,
		OriginalCode: dup.OriginalCode, OriginalOrg: dup.OriginalOrg, Reasons: dup.Reasons,
		AddsContacts: []ContactView{}, AddsItems: []string{}, CanAnswer: dup.CanAnswer, CanMerge: dup.CanMerge}
	if v.Reasons == nil {
		v.Reasons = []string{}
	}
	for _, c := range dup.Adds.Contacts {
		cv := ContactView{Name: c.Name, Phone: c.Phone, Role: c.Role, Kind: c.Kind}
		if !dup.CanAnswer { // phones for reviewers and coordinators only
			cv.Phone = ""
		}
		v.AddsContacts = append(v.AddsContacts, cv)
	}
	for _, it := range dup.Adds.Items {
		v.AddsItems = append(v.AddsItems, itemLine(it))
	}
	return v, nil
}

// MergeDuplicate answers the flag on demand id with "merge into the
// original": the contacts and supplies it adds are written to the original as
// one signed change, the flagged demand is marked a duplicate of it, and the
// flag is cleared. It returns the original afterwards. Errors: those of
// ReviewDuplicate; CodeNotAllowed naming "id" when this member may not mark
// the demand a duplicate (a reviewer or coordinator may, until the demand is
// in progress); CodeStorage.
func (s *DemandService) MergeDuplicate(id string) (DemandDetail, error) {
	dk, err := s.a.desk()
	if err != nil {
		return DemandDetail{}, err
	}
	dup, err := dk.MergeDuplicate(strings.TrimSpace(id))
	if err != nil {
		return DemandDetail{}, duplicateError(err)
	}
	return detailOf(dk, dup.Original)
}

// KeepSeparate answers the flag on demand id with "keep as a separate
// demand": the flag is cleared and the demand stays as it is. It returns the
// demand afterwards. Errors: CodeNotFound, CodeInvalid as ReviewDuplicate;
// CodeNotAllowed naming "id" for members below reviewer; CodeStorage.
func (s *DemandService) KeepSeparate(id string) (DemandDetail, error) {
	dk, err := s.a.desk()
	if err != nil {
		return DemandDetail{}, err
	}
	id = strings.TrimSpace(id)
	if err := dk.KeepSeparate(id); err != nil {
		return DemandDetail{}, duplicateError(err)
	}
	return detailOf(dk, id)
}

func duplicateError(err error) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return &Error{Code: CodeNotFound, Field: "id", Message: err.Error()}
	case errors.Is(err, importer.ErrNotFlagged):
		return &Error{Code: CodeInvalid, Field: "id", Message: err.Error()}
	case errors.Is(err, importer.ErrNotAllowed):
		return &Error{Code: CodeNotAllowed, Field: "id", Message: err.Error()}
	case errors.Is(err, relief.ErrInvalidOp):
		return &Error{Code: CodeInvalid, Field: "id", Message: err.Error()}
	}
	return asError(err)
}
