package importer

import (
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
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

// ReviewDuplicate returns the flag on demand id: its likely original (the one
// its review note names) and what it adds to the original as the original is
// now (contacts whose phone it lacks, supplies it does not name, quantities
// where it has none). Errors: store.ErrNotFound (wrapped, naming the id) for
// the demand or its original; ErrNotFlagged when the demand is not tagged
// TagPossibleDuplicate or its note names no original.
func ReviewDuplicate(st *store.Store, id string) (Duplicate, error) {
	d, err := st.Demand(id)
	if err != nil {
		return Duplicate{}, fmt.Errorf("demand %s: %w", id, err)
	}
	if !slices.Contains(d.Tags, TagPossibleDuplicate) {
		return Duplicate{}, fmt.Errorf("demand %s: %w", d.Code, ErrNotFlagged)
	}
	_, origID, ok := NoteOriginal(d.ReviewNotes)
	if !ok || origID == id {
		return Duplicate{}, fmt.Errorf("demand %s: review note names no original: %w", d.Code, ErrNotFlagged)
	}
	orig, err := st.Demand(origID)
	if err != nil {
		return Duplicate{}, fmt.Errorf("demand %s: original %s: %w", d.Code, origID, err)
	}
	r := Record{Kind: relief.KindDemand, Org: d.RequesterOrg, Address: d.Address, District: d.District,
		Items: d.Items, Contacts: d.Contacts}
	dup := Duplicate{Org: firstNonEmpty(d.RequesterOrg, d.Title), ID: d.ID, Original: orig.ID,
		OriginalCode: orig.Code, OriginalOrg: firstNonEmpty(orig.RequesterOrg, orig.Title), Adds: proposeMerge(orig, r)}
	if x, ok := Similar([]relief.Demand{orig}, r); ok {
		dup.Reasons = x.Reasons
	}
	return dup, nil
}

// MergeDuplicate answers the flag on demand id with "the same demand": what it
// adds (see ReviewDuplicate) is written to the original as one signed change
// with the original's items and contacts, the flagged demand is marked a
// duplicate of the original, and its tag TagPossibleDuplicate is replaced by
// TagMergedDuplicate, so it is not offered again. It returns the review as
// applied. Errors: those of ReviewDuplicate; ErrNotAllowed when this device's
// member may not mark the demand a duplicate, or when it adds something and
// the original is closed (keep it separate then); relief.ErrInvalidOp and storage
// errors from the store (nothing is written then).
func MergeDuplicate(st *store.Store, id string) (Duplicate, error) {
	dup, err := ReviewDuplicate(st, id)
	if err != nil {
		return dup, err
	}
	d, err := st.Demand(id)
	if err != nil {
		return dup, err
	}
	me, _ := st.Me()
	if !slices.Contains(relief.Allowed(d, me), relief.ActionMarkDuplicate) {
		return dup, fmt.Errorf("merge %s into %s: %s in status %s: %w", d.Code, dup.OriginalCode, me.Role, d.Status, ErrNotAllowed)
	}
	orig, err := st.Demand(dup.Original)
	if err != nil {
		return dup, err
	}
	if orig.Status.Terminal() && !dup.Adds.Empty() {
		// what it adds would be written to a closed demand and never seen
		return dup, fmt.Errorf("merge %s into %s: the original is %s: %w", d.Code, orig.Code, orig.Status, ErrNotAllowed)
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
			return dup, fmt.Errorf("merge %s into %s: %w", d.Code, orig.Code, err)
		}
		ops = append(ops, op)
	}
	tr, err := relief.Transition(relief.KindDemand, d.ID, relief.ActionMarkDuplicate, relief.Args{DuplicateOf: orig.ID})
	if err != nil {
		return dup, err
	}
	ops = append(ops, tr)
	tagOps, err := retag(st, d.ID, TagMergedDuplicate)
	if err != nil {
		return dup, err
	}
	if _, err := st.ApplyLocal(append(ops, tagOps...)); err != nil {
		return dup, fmt.Errorf("merge %s into %s: %w", d.Code, orig.Code, err)
	}
	return dup, nil
}

// KeepSeparate answers the flag on demand id with "not a duplicate": its tag
// TagPossibleDuplicate is replaced by TagNotDuplicate and nothing else
// changes. Errors: those of ReviewDuplicate (a flag whose original was
// deleted can still be dismissed); ErrNotAllowed for a member who is not a
// reviewer or a coordinator; storage errors.
func KeepSeparate(st *store.Store, id string) error {
	d, err := st.Demand(id)
	if err != nil {
		return fmt.Errorf("demand %s: %w", id, err)
	}
	if !slices.Contains(d.Tags, TagPossibleDuplicate) {
		return fmt.Errorf("demand %s: %w", d.Code, ErrNotFlagged)
	}
	if me, _ := st.Me(); me.Role != relief.RoleCoordinator && me.Role != relief.RoleReviewer {
		return fmt.Errorf("keep %s separate: role %s: %w", d.Code, me.Role, ErrNotAllowed)
	}
	ops, err := retag(st, d.ID, TagNotDuplicate)
	if err != nil {
		return err
	}
	if _, err := st.ApplyLocal(ops); err != nil {
		return fmt.Errorf("keep %s separate: %w", d.Code, err)
	}
	return nil
}

// retag returns the ops replacing TagPossibleDuplicate on demand id by tag.
func retag(st *store.Store, id, tag string) ([]ledger.Op, error) {
	rec, err := st.Record(relief.KindDemand, id)
	if err != nil {
		return nil, err
	}
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
