package desk

import (
	"errors"
	"slices"
	"strings"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// UndoNote is the note of the withdraw step an undone import writes on each
// of its demands.
// (relief.UndoImportNote: the fold tells the one who undid the import when
// its withdrawal met someone else's work at sync).
const UndoNote = relief.UndoImportNote

// Why UndoImport leaves a record of the import as it is (UndoItem.Reason).
const (
	UndoKeptUpdated    = "updated"     // present before the import, which updated it rather than created it: an undo withdraws only what the import created
	UndoKeptChanged    = "changed"     // written again since the import created it: edited, tagged, merged, or updated by a later import
	UndoKeptActed      = "acted"       // a pipeline step was taken on it since (reviewed, claimed …)
	UndoKeptClosed     = "closed"      // already closed (fulfilled, rejected, a duplicate, withdrawn)
	UndoKeptNotAllowed = "not_allowed" // this member may not withdraw it
	UndoKeptMissing    = "missing"     // no such demand or offer in this store
)

// UndoItem is one record of an import and what undoing it does.
type UndoItem struct {
	Kind   string `json:"kind"` // relief.KindDemand or relief.KindOffer
	ID     string `json:"id"`
	Code   string `json:"code"`
	Title  string `json:"title"`            // a demand's title, an offer's supplier
	Reason string `json:"reason,omitempty"` // for a kept record: one of the UndoKept* codes
}

// UndoImportPlan says what undoing an import does: Withdraw lists the
// records it created that nobody acted on or changed since, which the undo
// withdraws (demands: a withdraw step noted UndoNote; offers: valid until
// now); Kept lists the others with why, left as they are.
type UndoImportPlan struct {
	Withdraw []UndoItem `json:"withdraw"`
	Kept     []UndoItem `json:"kept"`
}

// PlanUndoImport says what UndoImport(ids, updated) would do, and writes
// nothing. ids are the ids an import wrote (importer.Report.IDs); updated
// are those of them the import updated rather than created (the IDs of
// importer.Report.Updates not held): they are kept with UndoKeptUpdated,
// since an undo withdraws only what the import created and does not put
// back the values it replaced. A record counts as untouched when every
// operation on it is of the change that created it (an import writes each
// record within one change). Errors: CodeStorage.
func (d *Desk) PlanUndoImport(ids, updated []string) (UndoImportPlan, error) {
	plan, _, err := d.undoPlan(ids, updated)
	return plan, err
}

// UndoImport withdraws, in one signed change, the records an import created
// (ids, as importer.Report.IDs lists them, less updated: see
// PlanUndoImport) that nobody acted on or changed since, and returns the plan it carried out. Nothing is
// written when nothing is left to withdraw. Errors: CodeNoNetwork,
// CodeStorage, CodeInvalid when a step cannot be built; nothing is written
// on an error.
func (d *Desk) UndoImport(ids, updated []string) (UndoImportPlan, error) {
	plan, ops, err := d.undoPlan(ids, updated)
	if err != nil || len(ops) == 0 {
		return plan, err
	}
	if _, err := d.apply(ops); err != nil {
		return UndoImportPlan{}, err
	}
	return plan, nil
}

// undoPlan is PlanUndoImport with the operations of the undo.
func (d *Desk) undoPlan(ids, updated []string) (UndoImportPlan, []ledger.Op, error) {
	plan := UndoImportPlan{Withdraw: []UndoItem{}, Kept: []UndoItem{}}
	var ops []ledger.Op
	me, _ := d.st.Me()
	byImport := map[string]bool{}
	for _, id := range updated {
		byImport[strings.TrimSpace(id)] = true
	}
	seen := map[string]bool{}
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		item, op, err := d.undoOne(id, me, byImport[id])
		if err != nil {
			return UndoImportPlan{}, nil, err
		}
		if op == nil {
			plan.Kept = append(plan.Kept, item)
			continue
		}
		plan.Withdraw = append(plan.Withdraw, item)
		ops = append(ops, *op)
	}
	return plan, ops, nil
}

// undoOne decides what undoing the import does to record id (updated: the
// import updated it rather than created it): the item and the op
// withdrawing it, or the item with the reason it is kept and no op.
func (d *Desk) undoOne(id string, me relief.Member, updated bool) (UndoItem, *ledger.Op, error) {
	if dm, err := d.st.Demand(id); err == nil {
		item := UndoItem{Kind: relief.KindDemand, ID: id, Code: dm.Code, Title: dm.Title}
		rec, err := d.st.Record(relief.KindDemand, id)
		if err != nil {
			return item, nil, AsError(err)
		}
		switch {
		case updated:
			item.Reason = UndoKeptUpdated
		case dm.Status.Terminal():
			item.Reason = UndoKeptClosed
		case len(rec.Transitions) > 0:
			item.Reason = UndoKeptActed
		case !untouched(rec):
			item.Reason = UndoKeptChanged
		case !slices.Contains(relief.Allowed(dm, me), relief.ActionWithdraw):
			item.Reason = UndoKeptNotAllowed
		}
		if item.Reason != "" {
			return item, nil, nil
		}
		op, err := relief.Transition(relief.KindDemand, id, relief.ActionWithdraw, relief.Args{Note: UndoNote})
		if err != nil {
			return item, nil, &Error{Code: CodeInvalid, Field: "ids", Message: "withdraw " + dm.Code + ": " + err.Error()}
		}
		return item, &op, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return UndoItem{}, nil, AsError(err)
	}
	rec, err := d.st.Record(relief.KindOffer, id)
	if err != nil {
		return UndoItem{}, nil, AsError(err)
	}
	item := UndoItem{Kind: relief.KindOffer, ID: id, Code: relief.Code(relief.KindOffer, id)}
	if rec.First == nil {
		item.Kind, item.Reason = "", UndoKeptMissing
		return item, nil, nil
	}
	o := relief.FoldOffer(rec)
	item.Title = o.Supplier
	now := d.st.Now()
	switch {
	case updated:
		item.Reason = UndoKeptUpdated
	case !o.ValidUntil.IsZero() && !o.ValidUntil.After(now):
		item.Reason = UndoKeptClosed
	case !untouched(rec):
		item.Reason = UndoKeptChanged
	}
	if item.Reason != "" {
		return item, nil, nil
	}
	op, err := relief.SetFields(relief.KindOffer, id, map[string]any{relief.FieldValidUntil: now.UTC()})
	if err != nil {
		return item, nil, &Error{Code: CodeInvalid, Field: "ids", Message: "expire " + item.Code + ": " + err.Error()}
	}
	return item, &op, nil
}

// untouched reports whether every operation on rec is of the change that
// created it.
func untouched(rec *relief.Record) bool {
	return rec.First != nil && rec.Last != nil && rec.First.Change == rec.Last.Change
}
