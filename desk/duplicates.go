package desk

import (
	"errors"
	"fmt"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/ledger"
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

// flagged reads flagged demand id and its original: the one its review note
// names (an import's flag), else the one the flag every peer keeps points at
// (store.Store.DuplicateOf; peer is then true). Errors: store.ErrNotFound
// (wrapped, naming the id) for the demand or its original;
// importer.ErrNotFlagged (wrapped); storage errors.
func (d *Desk) flagged(id string) (dm, orig relief.Demand, peer bool, err error) {
	dm, err = d.st.Demand(id)
	if err != nil {
		return dm, orig, false, fmt.Errorf("demand %s: %w", id, err)
	}
	origID, err := importer.FlaggedOriginal(dm)
	if err != nil {
		o, ok := d.st.DuplicateOf(dm.ID)
		if !ok {
			return dm, orig, false, err
		}
		origID, peer = o, true
	}
	orig, err = d.st.Demand(origID)
	if err != nil {
		return dm, orig, peer, fmt.Errorf("demand %s: original %s: %w", dm.Code, origID, err)
	}
	return dm, orig, peer, nil
}

// ReviewDuplicate returns the flag on demand id: its likely original (the one
// its review note names, else the one the flag every peer keeps points at:
// store.Store.DuplicateOf), what it adds to the original as the original is now,
// and whether this device's member may answer it. Errors: store.ErrNotFound
// (wrapped, naming the id) for the demand or its original;
// importer.ErrNotFlagged (wrapped) when the demand is neither tagged
// importer.TagPossibleDuplicate with a note naming its original nor flagged
// by the store; storage errors.
func (d *Desk) ReviewDuplicate(id string) (DuplicateReview, error) {
	dm, orig, _, err := d.flagged(id)
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
	dm, orig, peer, err := d.flagged(id)
	if err != nil {
		return importer.Duplicate{}, err
	}
	me, _ := d.st.Me()
	var dup importer.Duplicate
	var ops []ledger.Op
	if peer { // flagged by the store: no tag to replace
		dup, ops, err = importer.MergeFlaggedOps(dm, orig, me)
	} else {
		rec, rerr := d.st.Record(relief.KindDemand, dm.ID)
		if rerr != nil {
			return importer.Duplicate{}, fmt.Errorf("demand %s: %w", dm.Code, rerr)
		}
		dup, ops, err = importer.MergeOps(dm, orig, rec, me)
	}
	if err != nil {
		return dup, err
	}
	if _, err := d.write(ops); err != nil {
		return dup, fmt.Errorf("merge %s into %s: %w", dm.Code, orig.Code, err)
	}
	return dup, nil
}

// KeepSeparate answers the flag on demand id with "not a duplicate": its flag
// is replaced by importer.TagNotDuplicate (a flag the store keeps, see
// store.Store.DuplicateOf, is answered by that tag alone, which clears it on
// every peer) and nothing else changes (a flag
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
	if errors.Is(err, importer.ErrNotFlagged) {
		if _, ok := d.st.DuplicateOf(dm.ID); ok { // flagged by the store: tag it only
			if !importer.MayAnswer(me) {
				return fmt.Errorf("keep %s separate: role %s: %w", dm.Code, me.Role, importer.ErrNotAllowed)
			}
			var op ledger.Op
			op, err = relief.Add(relief.KindDemand, dm.ID, relief.SetTags, importer.TagNotDuplicate)
			ops = []ledger.Op{op}
		}
	}
	if err != nil {
		return err
	}
	if _, err := d.write(ops); err != nil {
		return fmt.Errorf("keep %s separate: %w", dm.Code, err)
	}
	return nil
}
