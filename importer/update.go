package importer

import (
	"reflect"
	"slices"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// Update is a row already imported whose values differ from its demand's
// (or offer's: Code then starts with its letter). The fields the file
// changes that nobody edited in the app are written as one signed change;
// Edited lists those changed in the app (or by a merge) after the import,
// which are kept as the app has them, since a sheet must not silently
// overwrite a person's edit. Held is true when nothing was written: every
// changed field was edited in the app, or the demand is closed. What the file
// said before is not kept, so an edited field is listed again on every
// re-import until the file and the app agree: a reviewer compares.
type Update struct {
	Kind   string   `json:"kind"` // relief.KindDemand or relief.KindOffer
	File   string   `json:"file"`
	Row    int      `json:"row"`
	Org    string   `json:"org"`
	ID     string   `json:"id"`
	Code   string   `json:"code"`
	Fields []string `json:"fields"`           // relief field names whose value differs from the file's
	Held   bool     `json:"held"`             // nothing written; see Edited
	Edited []string `json:"edited,omitempty"` // of Fields, those edited in the app since the import (kept, not written); FieldStatusClosed for a closed demand
	// Sealed are fields the file sets whose stored values are sealed and
	// this device cannot open (relief.Sealable): not compared, not written,
	// kept as stored (a reviewer's or coordinator's re-import compares them).
	Sealed []string `json:"sealed,omitempty"`
}

// FieldStatusClosed is listed in Update.Edited when an update is held because
// the demand is closed (fulfilled, rejected, a duplicate, withdrawn).
const FieldStatusClosed = "status"

// updatable are the fields of each kind a re-import compares and may
// update. A demand's category and urgency are left alone: people set them in
// the app.
var updatable = map[string][]string{
	relief.KindDemand: {relief.FieldTitle, relief.FieldRequesterOrg, relief.FieldDistrict, relief.FieldAddress,
		relief.FieldDescription, relief.FieldItems, relief.FieldContacts, relief.FieldSourceFields, relief.FieldPlace},
	relief.KindOffer: {relief.FieldItems, relief.FieldContacts, relief.FieldRegion, relief.FieldNotes, relief.FieldSourceFields, relief.FieldPlace},
}

// importMark is the field every import write of a kind sets: a field whose
// last write is not the one that wrote the mark was edited since.
var importMark = map[string]string{relief.KindDemand: relief.FieldSource, relief.KindOffer: relief.FieldSupplier}

// updateOps compares record r with entity kind/id (a demand or an offer) as
// stored. It returns nil when nothing the file sets differs; otherwise the
// Update and, unless it is held, the op writing every updatable field r
// sets (but those whose stored values are sealed and ex could not open:
// Update.Sealed), together with the import mark (the source, the supplier), so that
// all of them again carry the same write (the next re-import tells the app's
// edits from the import's by that).
//
// The values are cut to relief's limits as a new record's are, each cut told
// to c.
func updateOps(ex Existing, kind, id string, r Record, c *cutter) (*Update, []ledger.Op, error) {
	rec, err := ex.Record(kind, id)
	if err != nil {
		return nil, nil, err
	}
	var fields map[string]any
	markValue := any(r.Source)
	if kind == relief.KindOffer {
		fields = offerFields(r, c)
		markValue = fields[relief.FieldSupplier]
	} else {
		fields = demandFields(r, c)
	}
	mark, hasMark := rec.Fields[importMark[kind]]
	u := &Update{Kind: kind, File: r.File, Row: r.Row, Org: r.Org, ID: id, Code: relief.Code(kind, id)}
	closed := map[string]bool{} // sealed values ex could not open: not to compare, nor to write over
	for _, sv := range relief.SealedValues(rec) {
		closed[sv.Field] = true
	}
	for _, name := range updatable[kind] {
		v, ok := fields[name]
		if ok && closed[name] {
			u.Sealed = append(u.Sealed, name)
			continue
		}
		if !ok || sameValue(rec, name, v) {
			continue
		}
		f, set := rec.Fields[name]
		edited := set && (!hasMark || f.Meta.Change != mark.Meta.Change || f.Meta.Index != mark.Meta.Index)
		if edited && covers(rec, name, v) {
			continue // edited in the app by adding to what the file says (a merge): nothing new in the file
		}
		u.Fields = append(u.Fields, name)
		if edited {
			u.Edited = append(u.Edited, name)
		}
	}
	if len(u.Fields) == 0 {
		if len(u.Sealed) == 0 {
			return nil, nil, nil
		}
		// nothing this device can compare differs; what it cannot compare
		// is told (Sealed), not passed over as unchanged
		u.Held = true
		return u, nil, nil
	}
	if kind == relief.KindDemand {
		if d, ok := ex.Demand(id); ok && d.Status.Terminal() {
			// closed (fulfilled, rejected, merged as a duplicate, withdrawn):
			// a sheet does not reopen or change it
			u.Edited = append(u.Edited, FieldStatusClosed)
		}
	}
	if len(u.Edited) == len(u.Fields) || slices.Contains(u.Edited, FieldStatusClosed) {
		u.Held = true
		return u, nil, nil
	}
	// Every field the file sets is written again with the mark, but those
	// edited in the app: they keep the app's value, and stay told apart from
	// the import's by not sharing the mark's write.
	write := map[string]any{importMark[kind]: markValue}
	for _, name := range updatable[kind] {
		if v, ok := fields[name]; ok && !slices.Contains(u.Edited, name) && !slices.Contains(u.Sealed, name) {
			write[name] = v
		}
	}
	op, err := relief.SetFields(kind, id, write)
	if err != nil {
		return nil, nil, err
	}
	return u, []ledger.Op{op}, nil
}

// sameValue reports whether field name of rec holds v.
func sameValue(rec *relief.Record, name string, v any) bool {
	dst := reflect.New(reflect.TypeOf(v))
	if !rec.Value(name, dst.Interface()) {
		return false
	}
	return reflect.DeepEqual(dst.Elem().Interface(), v)
}

// covers reports whether list field name of rec already holds every element
// of v: each contact's phone (or name), each supply with the same quantity
// (or any quantity, where v has none).
func covers(rec *relief.Record, name string, v any) bool {
	switch v := v.(type) {
	case []relief.Contact:
		var have []relief.Contact
		rec.Value(name, &have)
		return len(mergeContacts(have, v)) == len(have)
	case []relief.Item:
		var have []relief.Item
		rec.Value(name, &have)
		for _, it := range v {
			found := false
			for _, h := range have {
				// a quantity filled in for a supply the file names without one covers it
				if itemKey(h) == itemKey(it) && (it.Needed == nil || (h.Needed != nil && *h.Needed == *it.Needed)) {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	}
	return false
}
