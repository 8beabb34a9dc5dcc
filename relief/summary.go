package relief

import (
	"slices"
	"strings"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// OpSummary is what one operation does, for a person who reviews it (an
// undone change before adopting it): its type, kind and record, and, where
// the body says more, the lifecycle action of a transition ("deliver"), the
// fields a set writes (sorted; a sealed field under its plain name, so
// "contacts" rather than "sealed_contacts"), or the set an add or remove
// changes. A body that does not decode leaves Action, Fields and Set empty.
type OpSummary struct {
	Type   string   `json:"type"`   // OpSet, OpTransition, …
	Kind   string   `json:"kind"`   // KindDemand, KindVolunteer, …
	ID     string   `json:"id"`     // the record's id
	Action string   `json:"action"` // transitions only: the Action
	Fields []string `json:"fields"` // sets only: the field names, sorted; never nil
	Set    string   `json:"set"`    // adds and removes only: the set's name
}

// Summarize returns op's OpSummary. It never fails: a body that does not
// decode is left out (ValidateOp says why); a body it decodes is described
// even where ValidateOp would refuse it (an undone change is reviewed as it
// was signed).
func Summarize(op ledger.Op) OpSummary {
	s := OpSummary{Type: op.Type, Kind: op.Kind, ID: op.ID, Fields: []string{}}
	switch op.Type { // decoded alone: what ValidateOp refuses is still described
	case OpTransition:
		var b transitionBody
		if decMode.Unmarshal(op.Body, &b) == nil {
			s.Action = string(b.Action)
		}
	case OpSet:
		var b setBody
		if decMode.Unmarshal(op.Body, &b) != nil {
			return s
		}
		for f := range b.Fields {
			s.Fields = append(s.Fields, strings.TrimPrefix(f, sealedPrefix))
		}
		slices.Sort(s.Fields)
		s.Fields = slices.Compact(s.Fields)
	case OpAdd:
		var b addBody
		if decMode.Unmarshal(op.Body, &b) == nil {
			s.Set = b.Set
		}
	case OpRemove:
		var b removeBody
		if decMode.Unmarshal(op.Body, &b) == nil {
			s.Set = b.Set
		}
	}
	return s
}
