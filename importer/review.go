package importer

import (
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// Tags a reviewer's answer leaves on a demand that was flagged
// TagPossibleDuplicate (the flag itself is removed).
const (
	// TagMergedDuplicate: what the demand added was merged into its
	// original, and the demand was marked a duplicate of it.
	TagMergedDuplicate = "merged_duplicate"
	// TagNotDuplicate: a reviewer said it is not a duplicate; it stays a
	// separate demand and is compared with later imports like any other.
	TagNotDuplicate = "not_duplicate"
)

// ErrNotFlagged is returned when a demand is not (or no longer) flagged as a
// probable duplicate, or its review note names no original.
var ErrNotFlagged = errors.New("not flagged as a possible duplicate")

// ErrNotAllowed is returned when this device's member may not answer a flag:
// merging marks the demand a duplicate, which needs a reviewer or a
// coordinator and a demand not yet in progress, and what it adds needs an
// original still open.
var ErrNotAllowed = errors.New("not allowed")

// noteOriginal finds the original's code and id in a review note written by
// Duplicate.Note ("possible duplicate of D-… (org, id <id>): …").
var noteOriginal = regexp.MustCompile(`possible duplicate of (\S+) \(.*, id ([^\s)]+)\)`)

// NoteOriginal returns the code and id of the likely original that a review
// note written by the importer names; ok is false for any other note.
func NoteOriginal(note string) (code, id string, ok bool) {
	m := noteOriginal.FindStringSubmatch(note)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// FlaggedOriginal returns the id of the likely original that the review
// note of flagged demand d names. Errors: ErrNotFlagged (wrapped, naming d's
// code) when d is not tagged TagPossibleDuplicate, or its note names no
// original or d itself.
func FlaggedOriginal(d relief.Demand) (string, error) {
	if !slices.Contains(d.Tags, TagPossibleDuplicate) {
		return "", fmt.Errorf("demand %s: %w", d.Code, ErrNotFlagged)
	}
	_, origID, ok := NoteOriginal(d.ReviewNotes)
	if !ok || origID == d.ID {
		return "", fmt.Errorf("demand %s: review note names no original: %w", d.Code, ErrNotFlagged)
	}
	return origID, nil
}

// Review returns the flag on demand d against its likely original orig as
// orig is now: what d adds to it (contacts whose phone it lacks, supplies it
// does not name, quantities where it has none) and why they look alike.
// File and Row are not known once stored, so they are empty.
func Review(d, orig relief.Demand) Duplicate {
	r := Record{Kind: relief.KindDemand, Org: d.RequesterOrg, Address: d.Address, District: d.District,
		Items: d.Items, Contacts: d.Contacts}
	dup := Duplicate{Org: firstNonEmpty(d.RequesterOrg, d.Title), ID: d.ID, Original: orig.ID,
		OriginalCode: orig.Code, OriginalOrg: firstNonEmpty(orig.RequesterOrg, orig.Title), Adds: proposeMerge(orig, r)}
	if x, ok := Similar([]relief.Demand{orig}, r); ok {
		dup.Reasons = x.Reasons
	}
	return dup
}

// MayAnswer reports whether member me may answer a flag at all (keep a
// demand separate): a reviewer or a coordinator.
func MayAnswer(me relief.Member) bool {
	return me.Role == relief.RoleCoordinator || me.Role == relief.RoleReviewer
}

// MayMerge checks that member me may merge flagged demand d into orig, dup
// being Review(d, orig): me may mark d a duplicate (a reviewer or a
// coordinator, d not yet in progress), and orig is open unless d adds
// nothing (what it adds would be written to a closed demand and never
// seen). Errors: ErrNotAllowed, wrapped with the reason.
func MayMerge(d, orig relief.Demand, dup Duplicate, me relief.Member) error {
	if !slices.Contains(relief.Allowed(d, me), relief.ActionMarkDuplicate) {
		return fmt.Errorf("merge %s into %s: %s in status %s: %w", d.Code, dup.OriginalCode, me.Role, d.Status, ErrNotAllowed)
	}
	if orig.Status.Terminal() && !dup.Adds.Empty() {
		return fmt.Errorf("merge %s into %s: the original is %s: %w", d.Code, orig.Code, orig.Status, ErrNotAllowed)
	}
	return nil
}

// MergeOps returns the operations that answer the flag on demand d with "the
// same demand", as member me, rec being d's stored record: what d adds (see
// Review) written to orig with orig's items and contacts, d marked a
// duplicate of orig, and d's tag TagPossibleDuplicate replaced by
// TagMergedDuplicate, so it is not offered again. They are meant to be
// signed as one change. It returns the review they apply. Errors: those of
// FlaggedOriginal (orig must be the original d's note names) and MayMerge;
// relief.ErrInvalidOp when an operation cannot be built.
func MergeOps(d, orig relief.Demand, rec *relief.Record, me relief.Member) (Duplicate, []ledger.Op, error) {
	origID, err := FlaggedOriginal(d)
	if err != nil {
		return Duplicate{}, nil, err
	}
	if origID != orig.ID {
		return Duplicate{}, nil, fmt.Errorf("merge %s into %s: its note names %s: %w", d.Code, orig.Code, origID, ErrNotFlagged)
	}
	return mergeOps(d, orig, me, func() ([]ledger.Op, error) { return retag(rec, d.ID, TagMergedDuplicate) })
}

// MergeFlaggedOps is MergeOps for a demand that the duplicate flag every
// peer keeps (store.Store.DuplicateOf) points at orig, rather than an
// import's tag: the same operations, but d, which carries no
// TagPossibleDuplicate, is only tagged TagMergedDuplicate. Errors: those of
// MayMerge; relief.ErrInvalidOp when an operation cannot be built.
func MergeFlaggedOps(d, orig relief.Demand, me relief.Member) (Duplicate, []ledger.Op, error) {
	return mergeOps(d, orig, me, func() ([]ledger.Op, error) {
		op, err := relief.Add(relief.KindDemand, d.ID, relief.SetTags, TagMergedDuplicate)
		return []ledger.Op{op}, err
	})
}

// mergeOps returns the operations merging d into orig as member me, the
// tag operations last (made by tags).
func mergeOps(d, orig relief.Demand, me relief.Member, tags func() ([]ledger.Op, error)) (Duplicate, []ledger.Op, error) {
	dup := Review(d, orig)
	if err := MayMerge(d, orig, dup, me); err != nil {
		return dup, nil, err
	}
	var ops []ledger.Op
	if !dup.Adds.Empty() {
		items, contacts := applyMerge(orig, dup.Adds)
		fields := map[string]any{}
		if len(dup.Adds.Items) > 0 {
			fields[relief.FieldItems] = capItems(items)
		}
		if len(dup.Adds.Contacts) > 0 {
			fields[relief.FieldContacts] = capContacts(contacts)
		}
		op, err := relief.SetFields(relief.KindDemand, orig.ID, fields)
		if err != nil {
			return dup, nil, fmt.Errorf("merge %s into %s: %w", d.Code, orig.Code, err)
		}
		ops = append(ops, op)
	}
	tr, err := relief.Transition(relief.KindDemand, d.ID, relief.ActionMarkDuplicate, relief.Args{DuplicateOf: orig.ID})
	if err != nil {
		return dup, nil, err
	}
	ops = append(ops, tr)
	tagOps, err := tags()
	if err != nil {
		return dup, nil, err
	}
	return dup, append(ops, tagOps...), nil
}

// KeepSeparateOps returns the operations that answer the flag on demand d
// with "not a duplicate", as member me, rec being d's stored record: its tag
// TagPossibleDuplicate replaced by TagNotDuplicate, nothing else. A flag
// whose original is gone can still be dismissed. Errors: ErrNotFlagged
// (wrapped) when d is not tagged; ErrNotAllowed for a member who is not a
// reviewer or a coordinator; relief.ErrInvalidOp.
func KeepSeparateOps(d relief.Demand, rec *relief.Record, me relief.Member) ([]ledger.Op, error) {
	if !slices.Contains(d.Tags, TagPossibleDuplicate) {
		return nil, fmt.Errorf("demand %s: %w", d.Code, ErrNotFlagged)
	}
	if !MayAnswer(me) {
		return nil, fmt.Errorf("keep %s separate: role %s: %w", d.Code, me.Role, ErrNotAllowed)
	}
	return retag(rec, d.ID, TagNotDuplicate)
}

// retag returns the ops replacing TagPossibleDuplicate on demand id (whose
// stored record is rec) by tag.
func retag(rec *relief.Record, id, tag string) ([]ledger.Op, error) {
	rm, err := relief.Remove(rec, relief.SetTags, TagPossibleDuplicate)
	if err != nil {
		return nil, err
	}
	add, err := relief.Add(relief.KindDemand, id, relief.SetTags, tag)
	if err != nil {
		return nil, err
	}
	return []ledger.Op{rm, add}, nil
}

// applyMerge returns the original's items and contacts with m applied: new
// contacts and supplies appended, quantities filled in where the original has
// none. Quantities the original already has are never changed.
func applyMerge(orig relief.Demand, m Merge) ([]relief.Item, []relief.Contact) {
	items := slices.Clone(orig.Items)
	at := map[string]int{}
	for i, it := range items {
		items[i].Received = 0
		if _, ok := at[itemKey(it)]; !ok {
			at[itemKey(it)] = i
		}
	}
	for _, it := range m.Items {
		if i, ok := at[itemKey(it)]; ok {
			if items[i].Needed == nil && it.Needed != nil {
				n := *it.Needed
				items[i].Needed = &n
				if items[i].Unit == "" {
					items[i].Unit = it.Unit
				}
			}
			continue
		}
		at[itemKey(it)] = len(items)
		items = append(items, it)
	}
	return items, mergeContacts(slices.Clone(orig.Contacts), m.Contacts)
}
