package desk

import (
	"fmt"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/relief"
)

// DuplicateReview is the flag on a demand the importer stored as a probable
// duplicate, as this device's member sees it: the flag as the original is now
// (importer.Review), and what the member may answer.
type DuplicateReview struct {
	importer.Duplicate
	// CanAnswer: the member may keep it separate (a reviewer or a
	// coordinator). Members who may not answer need not see the phones of
	// what it adds.
	CanAnswer bool
	// CanMerge: the member may also merge it (importer.MayMerge: it may
	// still be marked a duplicate, and the original is open or it adds
	// nothing).
	CanMerge bool
}

// flagged reads flagged demand id and the original its review note names.
// Errors: store.ErrNotFound (wrapped, naming the id) for the demand or its
// original; importer.ErrNotFlagged (wrapped); storage errors.
func (d *Desk) flagged(id string) (dm, orig relief.Demand, err error) {
	dm, err = d.st.Demand(id)
	if err != nil {
		return dm, orig, fmt.Errorf("demand %s: %w", id, err)
	}
	origID, err := importer.FlaggedOriginal(dm)
	if err != nil {
		return dm, orig, err
	}
	orig, err = d.st.Demand(origID)
	if err != nil {
		return dm, orig, fmt.Errorf("demand %s: original %s: %w", dm.Code, origID, err)
	}
	return dm, orig, nil
}

// ReviewDuplicate returns the flag on demand id: its likely original (the one
// its review note names), what it adds to the original as the original is now,
// and whether this device's member may answer it. Errors: store.ErrNotFound
// (wrapped, naming the id) for the demand or its original;
// importer.ErrNotFlagged (wrapped) when the demand is not tagged
// importer.TagPossibleDuplicate or its note names no original; storage errors.
func (d *Desk) ReviewDuplicate(id string) (DuplicateReview, error) {
	dm, orig, err := d.flagged(id)
	if err != nil {
		return DuplicateReview{}, err
	}
	dup := importer.Review(dm, orig)
	me, _ := d.st.Me()
	return DuplicateReview{Duplicate: dup, CanAnswer: importer.MayAnswer(me),
		CanMerge: importer.MayMerge(dm, orig, dup, me) == nil}, nil
}

// MergeDuplicate answers the flag on demand id with "the same demand"
// (importer.MergeOps): what it adds is written to the original with the
// original's items and contacts, the demand is marked a duplicate of the
// original and its flag replaced by importer.TagMergedDuplicate, all in one
// signed change. It returns the review as applied. Errors: those of
// ReviewDuplicate; importer.ErrNotAllowed (wrapped) when this device's member
// may not mark the demand a duplicate, or when it adds something and the
// original is closed (keep it separate then); relief.ErrInvalidOp and the
// store's refusals, as the store returns them (nothing is written then).
func (d *Desk) MergeDuplicate(id string) (importer.Duplicate, error) {
	dm, orig, err := d.flagged(id)
	if err != nil {
		return importer.Duplicate{}, err
	}
	rec, err := d.st.Record(relief.KindDemand, dm.ID)
	if err != nil {
		return importer.Duplicate{}, fmt.Errorf("demand %s: %w", dm.Code, err)
	}
	me, _ := d.st.Me()
	dup, ops, err := importer.MergeOps(dm, orig, rec, me)
	if err != nil {
		return dup, err
	}
	if _, err := d.write(ops); err != nil {
		return dup, fmt.Errorf("merge %s into %s: %w", dm.Code, orig.Code, err)
	}
	return dup, nil
}

// KeepSeparate answers the flag on demand id with "not a duplicate": its flag
// is replaced by importer.TagNotDuplicate and nothing else changes (a flag
// whose original was deleted can still be dismissed). Errors:
// store.ErrNotFound (wrapped) when there is no such demand;
// importer.ErrNotFlagged (wrapped) when it is not flagged;
// importer.ErrNotAllowed (wrapped) for a member who is not a reviewer or a
// coordinator; the store's refusals and storage errors, as the store returns
// them.
func (d *Desk) KeepSeparate(id string) error {
	dm, err := d.st.Demand(id)
	if err != nil {
		return fmt.Errorf("demand %s: %w", id, err)
	}
	rec, err := d.st.Record(relief.KindDemand, dm.ID)
	if err != nil {
		return fmt.Errorf("demand %s: %w", dm.Code, err)
	}
	me, _ := d.st.Me()
	ops, err := importer.KeepSeparateOps(dm, rec, me)
	if err != nil {
		return err
	}
	if _, err := d.write(ops); err != nil {
		return fmt.Errorf("keep %s separate: %w", dm.Code, err)
	}
	return nil
}
