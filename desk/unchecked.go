package desk

import (
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// WriteFieldUnchecked signs a write of one field (relief field name) of the
// record kind/id with value, without the desk's own checks of who may make
// it: the write is sealed where the field is restricted and judged by the
// fold on every peer, as a write from an older or altered program would be.
// A write the member may not make is kept as a refused write, told to them
// and to the coordinators (FieldRules). It exists for tools and tests that
// need such a write (internal/tools/e2epeer); a screen never calls it.
// Errors: CodeNoNetwork; CodeRevoked; relief's refusal of a malformed op
// (an unknown field, a value of the wrong type) as CodeStorage.
func (d *Desk) WriteFieldUnchecked(kind, id, field string, value any) error {
	op, err := relief.SetFields(kind, id, map[string]any{field: value})
	if err != nil {
		return AsError(err)
	}
	_, err = d.apply([]ledger.Op{op})
	return err
}
