package app

import (
	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/ledger"
)

// ConcurrentEditView is a field of a demand edited on two devices at once
// (desk.ConcurrentEdit): both values, until someone keeps one or
// acknowledges the conflict.
type ConcurrentEditView struct {
	Ref    string          `json:"ref"`    // the conflict's ref: what ack_conflict and KeepValue name
	Field  string          `json:"field"`  // relief field name, translated by the UI (editConflict.field.*)
	Values []EditValueView `json:"values"` // the value that lost, then the one that stands
}

// EditValueView is one value of a ConcurrentEditView.
type EditValueView struct {
	Ref    string    `json:"ref"` // what KeepValue names
	By     MemberRef `json:"by"`
	At     int64     `json:"at"`     // Unix milliseconds (HLC wall time)
	Text   string    `json:"text"`   // the value as written; "" when hidden or cleared
	Code   string    `json:"code"`   // an urgency's code (urgency.*), "" otherwise
	Hidden bool      `json:"hidden"` // restricted or sealed, and this member may not or cannot read it
	Stands bool      `json:"stands"` // the value the demand shows now
	Keep   bool      `json:"keep"`   // this member may keep it (DemandService.KeepValue)
}

// concurrentViews returns the DTOs of es.
func concurrentViews(es []desk.ConcurrentEdit, names map[ledger.DeviceID]string) []ConcurrentEditView {
	out := make([]ConcurrentEditView, 0, len(es))
	for _, e := range es {
		v := ConcurrentEditView{Ref: e.Ref, Field: e.Field, Values: make([]EditValueView, 0, len(e.Values))}
		for _, x := range e.Values {
			v.Values = append(v.Values, EditValueView{Ref: x.Ref, By: memberRef(x.By, names), At: x.At.Wall, Text: x.Text,
				Code: x.Code, Hidden: x.Hidden, Stands: x.Stands, Keep: x.Keep})
		}
		out = append(out, v)
	}
	return out
}

// KeepValue ends the concurrent edit conflictRef of demand id by keeping the
// value valueRef (desk.Desk.KeepValue) and returns the demand afterwards.
// Errors: CodeNotFound; CodeNotAllowed; CodeClosed; CodeInvalid naming "ref"
// or "value"; CodeRevoked.
func (s *DemandService) KeepValue(id, conflictRef, valueRef string) (DemandDetail, error) {
	dk, err := s.a.desk()
	if err != nil {
		return DemandDetail{}, err
	}
	dd, err := dk.KeepValue(id, conflictRef, valueRef)
	if err != nil {
		return DemandDetail{}, err
	}
	return detailView(dd), nil
}
