package desk

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/fxamacker/cbor/v2"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// ConcurrentEdit is a field of a demand edited on two devices at once, of
// which neither had seen the other (relief.ReasonConcurrent): both values,
// who wrote each and when, until someone keeps one (KeepValue) or
// acknowledges the conflict.
type ConcurrentEdit struct {
	Ref   string // relief.ConflictRef of the conflict: what ack_conflict names
	Field string // the field, as the demand form names it (contacts for its sealed values)
	// Values are the value that lost, then the one that stands (the later
	// in total order, shown on the demand until someone picks).
	Values []EditValue
}

// EditValue is one of the values of a ConcurrentEdit.
type EditValue struct {
	Ref    string          // relief.StepRef of the write: what KeepValue names
	By     ledger.DeviceID // who wrote it
	At     ledger.Stamp    // when
	Text   string          // the value as a person reads it; "" when Hidden or cleared
	Code   string          // an urgency's code, which the UI translates; "" otherwise
	Hidden bool            // restricted or sealed, and this member may not or cannot read it
	Stands bool            // the value the demand shows now
	// Keep says this member may keep this value (KeepValue): they may edit
	// the demand, it is open, and they can read the value.
	Keep bool
}

// concurrentEdits returns the concurrent edits of demand dm (folded from
// rec) as member me may see them: a restricted value (relief.Project) is
// hidden from those below its level, and a sealed value from every device
// that cannot open it.
func (d *Desk) concurrentEdits(dm relief.Demand, rec *relief.Record, me relief.Member) []ConcurrentEdit {
	var out []ConcurrentEdit
	_, hidden := relief.Project(dm, me)
	editable := mayEdit(dm, me) && !dm.Status.Terminal()
	for _, c := range dm.Conflicts {
		if c.Reason != relief.ReasonConcurrent || !c.AckedBy.IsZero() {
			continue
		}
		lost, stands, ok := relief.ConcurrentValues(rec, c)
		if !ok {
			continue
		}
		field, sealed := strings.CutPrefix(c.Field, relief.SealedField(""))
		restricted := slices.ContainsFunc(hidden, func(h relief.Hidden) bool { return h.Field == field })
		e := ConcurrentEdit{Ref: relief.ConflictRef(c), Field: field}
		for _, w := range []relief.Write{lost, stands} {
			v := EditValue{Ref: relief.StepRef(w.Meta), By: w.Meta.Device, At: w.Meta.Stamp, Stands: w.Meta == stands.Meta}
			raw, readable := w.Value, !restricted
			if readable && sealed {
				raw, readable = d.openWrite(rec, c.Field, w)
			}
			if readable {
				v.Text, v.Code = valueText(field, raw)
			}
			v.Hidden, v.Keep = !readable, readable && editable
			e.Values = append(e.Values, v)
		}
		out = append(out, e)
	}
	return out
}

// openWrite opens the sealed write w of field sealedName of rec, if this
// device can: the plaintext (the plain field's CBOR value).
func (d *Desk) openWrite(rec *relief.Record, sealedName string, w relief.Write) (cbor.RawMessage, bool) {
	plain := strings.TrimPrefix(sealedName, relief.SealedField(""))
	one := &relief.Record{Kind: rec.Kind, ID: rec.ID, Grants: rec.Grants,
		Fields: map[string]relief.Field{sealedName: {Value: w.Value, Meta: w.Meta}}}
	opened, _ := d.st.Opener().Open(one)
	v, ok := opened[plain]
	return v, ok
}

// valueText renders the CBOR value raw of demand field name for a person
// (and an urgency's code apart, for the UI to translate).
func valueText(name string, raw []byte) (text, code string) {
	r := &relief.Record{Fields: map[string]relief.Field{name: {Value: raw}}}
	switch name {
	case relief.FieldItems:
		var items []relief.Item
		r.Value(name, &items)
		parts := make([]string, 0, len(items))
		for _, it := range items {
			s := it.Name
			if it.Spec != "" {
				s += " (" + it.Spec + ")"
			}
			if it.Needed != nil {
				s += " " + strconv.FormatFloat(*it.Needed, 'f', -1, 64)
			}
			if it.Unit != "" {
				s += " " + it.Unit
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, "; "), ""
	case relief.FieldContacts:
		var cs []relief.Contact
		r.Value(name, &cs)
		parts := make([]string, 0, len(cs))
		for _, c := range cs {
			parts = append(parts, strings.TrimSpace(c.Name+" "+c.Phone))
		}
		return strings.Join(parts, "; "), ""
	case relief.FieldPosition:
		var p relief.Position
		if r.Value(name, &p) {
			return strconv.FormatFloat(p.Lat, 'f', -1, 64) + ", " + strconv.FormatFloat(p.Lon, 'f', -1, 64), ""
		}
		return "", ""
	case relief.FieldPlace:
		var p relief.Place
		r.Value(name, &p)
		return strings.Join(slices.DeleteFunc([]string{p.Province, p.City, p.County}, func(s string) bool { return s == "" }), " "), ""
	case relief.FieldUrgency:
		var u relief.Urgency
		r.Value(name, &u)
		return string(u), string(u)
	case relief.FieldSourceFields:
		var fs []relief.SourceField
		r.Value(name, &fs)
		parts := make([]string, 0, len(fs))
		for _, f := range fs {
			parts = append(parts, f.Column+": "+f.Value)
		}
		return strings.Join(parts, "; "), ""
	}
	var s string
	r.Value(name, &s)
	return s, ""
}

// ReasonNoSuchValue (CodeInvalid, field "value"): the value named is not one
// of the conflict's (or the conflict is over).
const ReasonNoSuchValue = "no_such_value"

// KeepValue ends the concurrent edit conflictRef of demand id by keeping
// the value written by valueRef (EditValue.Ref): one signed change that
// writes that value again, saying it has seen every current value of the
// field, so that the conflict ends on every peer. It returns the demand
// afterwards. Those who may edit the demand may (EditDemand), a value they
// can read. Errors: CodeNotFound naming "id"; CodeRevoked; CodeNotAllowed
// naming "id" (ReasonEditRole); CodeClosed; CodeInvalid naming "ref" when
// the demand has no such open conflict, naming "value" (ReasonNoSuchValue)
// when valueRef is not one of its values or not readable here;
// CodeNoNetwork, CodeStorage.
func (d *Desk) KeepValue(id, conflictRef, valueRef string) (DemandDetail, error) {
	if err := d.revokedError(); err != nil {
		return DemandDetail{}, err
	}
	dm, err := d.st.Demand(id)
	if errors.Is(err, store.ErrNotFound) {
		return DemandDetail{}, &Error{Code: CodeNotFound, Field: "id", Message: err.Error()}
	}
	if err != nil {
		return DemandDetail{}, AsError(err)
	}
	me, _ := d.st.Me()
	if !mayEdit(dm, me) {
		role := string(me.Role)
		return DemandDetail{}, FieldError(CodeNotAllowed, "id", "keep a value of %s: a %s may not edit it; it takes a %s", dm.Code, role, EditorRoles).
			Because(ReasonEditRole, "role", role, "need", EditorRoles)
	}
	if dm.Status.Terminal() {
		e := FieldError(CodeClosed, "id", "keep a value of %s: it is %s; a closed demand cannot be edited", dm.Code, dm.Status)
		e.Args = map[string]string{"status": string(dm.Status)}
		return DemandDetail{}, e
	}
	rec, err := d.st.Record(relief.KindDemand, dm.ID)
	if err != nil {
		return DemandDetail{}, AsError(fmt.Errorf("keep a value of %s: read its record: %w", dm.Code, err))
	}
	edits := d.concurrentEdits(dm, rec, me)
	i := slices.IndexFunc(edits, func(e ConcurrentEdit) bool { return e.Ref == conflictRef })
	if i < 0 {
		return DemandDetail{}, FieldError(CodeInvalid, "ref", "%s has no open concurrent edit %q", dm.Code, conflictRef)
	}
	e := edits[i]
	j := slices.IndexFunc(e.Values, func(v EditValue) bool { return v.Ref == valueRef && v.Keep })
	if j < 0 {
		return DemandDetail{}, FieldError(CodeInvalid, "value", "%s: %q is not a value of the %s this member can keep", dm.Code, valueRef, e.Field).
			Because(ReasonNoSuchValue)
	}
	// the plain value: the write itself, or its sealed envelope opened (the
	// desk seals it again, with a key of this change)
	c := dm.Conflicts[slices.IndexFunc(dm.Conflicts, func(c relief.Conflict) bool { return relief.ConflictRef(c) == conflictRef })]
	lost, stands, _ := relief.ConcurrentValues(rec, c)
	w := lost
	if j == 1 {
		w = stands
	}
	value := cbor.RawMessage(w.Value)
	if c.Field != e.Field {
		value, _ = d.openWrite(rec, c.Field, w)
	}
	if err := d.writeSeen(dm, map[string]any{e.Field: value}); err != nil {
		return DemandDetail{}, err
	}
	return d.Demand(dm.ID)
}
