package desk

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/region"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// CodeClosed: the demand is closed (fulfilled, rejected, a duplicate or
// withdrawn), so it cannot be edited; nothing was stored. Args "status" is
// its status. A fulfilled demand can be edited again once a coordinator
// reopens it.
const CodeClosed = "closed"

// ReasonEditRole (CodeNotAllowed, field "id"): this member may not edit the
// demand; Args "role" is the member's role and "need" the roles that may
// ("coordinator, creator, owner").
const ReasonEditRole = "edit_role"

// EditorRoles names who may edit a demand's fields, for messages: a
// coordinator, a reviewer, the member who recorded it, its current owner
// (relief.FieldRules).
const EditorRoles = "coordinator, reviewer, creator, owner"

// PositionInput is an exact position typed in the demand form, in WGS 84
// degrees: Lat in [-90, 90], Lon in [-180, 180].
type PositionInput struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// ReasonPositionRange (CodeInvalid, field "position.lat" or "position.lon"):
// the degrees are out of range; Args "min" and "max".
const ReasonPositionRange = "position_range"

// validPosition checks p (nil is no position) and returns it as relief's.
// Errors: CodeInvalid naming "position.lat" or "position.lon", reason
// ReasonPositionRange.
func validPosition(p *PositionInput) (*relief.Position, error) {
	if p == nil {
		return nil, nil
	}
	switch {
	case math.IsNaN(p.Lat) || p.Lat < -90 || p.Lat > 90:
		return nil, FieldError(CodeInvalid, "position.lat", "%v is not a latitude (-90 to 90)", p.Lat).Because(ReasonPositionRange, "min", "-90", "max", "90")
	case math.IsNaN(p.Lon) || p.Lon < -180 || p.Lon > 180:
		return nil, FieldError(CodeInvalid, "position.lon", "%v is not a longitude (-180 to 180)", p.Lon).Because(ReasonPositionRange, "min", "-180", "max", "180")
	}
	return &relief.Position{Lat: p.Lat, Lon: p.Lon}, nil
}

// PlaceOfAddress derives a demand's place from its district and address as
// the importer does (region.Resolve): the division they name, whose county
// becomes the district when district is empty ("湖北省荆门市钟祥市郢中街道" →
// 钟祥市, 荆门市, 湖北省). When they resolve to none, the place is the
// district as written (or none). It returns the place and the district to
// record.
func PlaceOfAddress(district, address string) (relief.Place, string) {
	district, address = strings.TrimSpace(district), strings.TrimSpace(address)
	if p, ok := region.Resolve("", "", district, address); ok {
		if district == "" {
			district = relief.Cut(p.County, relief.MaxDistrict)
		}
		return p, district
	}
	if district != "" {
		return relief.Place{County: relief.Cut(district, relief.MaxPlaceName)}, district
	}
	return relief.Place{}, district
}

// EditDemand edits the fields of demand id from the demand form in (its
// fields as ValidateDemand reads them, the position included) and returns
// the demand afterwards. Only the fields that changed are written, as one
// signed change; nothing is written when none did. When the address or the
// district changes, the place is derived again (PlaceOfAddress), the
// district too when in gives none; when they name no division and the
// district is unchanged, the place found before is kept. Contacts and position are restricted:
// a member who does not see them (relief.Project) leaves them as they are.
// The items' received quantities are not edited here (deliveries are).
//
// A coordinator, a reviewer, the member who recorded the demand and its
// current owner may edit it (relief.FieldRules). Errors: CodeNotFound naming "id"; CodeRevoked for a revoked
// member; CodeNotAllowed naming "id" with reason ReasonEditRole for anyone
// else; CodeClosed naming "id" when the demand is closed; those of
// ValidateDemand and validPosition; CodeNoNetwork, CodeStorage.
func (d *Desk) EditDemand(id string, in DemandInput) (DemandDetail, error) {
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
		role := cmp.Or(string(me.Role), "none")
		return DemandDetail{}, FieldError(CodeNotAllowed, "id", "edit %s: a %s may not edit it; it takes a %s", dm.Code, role, EditorRoles).
			Because(ReasonEditRole, "role", role, "need", EditorRoles)
	}
	if dm.Status.Terminal() {
		e := FieldError(CodeClosed, "id", "edit %s: it is %s; a closed demand cannot be edited", dm.Code, dm.Status)
		e.Args = map[string]string{"status": string(dm.Status)}
		return DemandDetail{}, e
	}
	fields, err := editedFields(dm, me, in)
	if err != nil {
		return DemandDetail{}, err
	}
	if len(fields) > 0 {
		if err := d.writeSeen(dm, fields); err != nil {
			return DemandDetail{}, err
		}
	}
	return d.Demand(dm.ID)
}

// writeSeen writes fields of demand dm as one signed change that says, for
// each field (and the sealed field of a sealable one), which writes of it
// this device held as current (relief.Heads): an edit made on another
// laptop that this one had not seen is then a conflict on every peer
// (relief.ReasonConcurrent), not silently overwritten. Errors: CodeStorage,
// CodeNoNetwork (d.apply's).
func (d *Desk) writeSeen(dm relief.Demand, fields map[string]any) error {
	rec, err := d.st.Record(relief.KindDemand, dm.ID)
	if err != nil {
		return AsError(fmt.Errorf("edit %s: read its record: %w", dm.Code, err))
	}
	seen := make(map[string][]relief.Tag, len(fields))
	for name := range fields {
		seen[name] = relief.Heads(rec, name)
		if slices.Contains(relief.Sealable[relief.KindDemand], name) {
			seen[relief.SealedField(name)] = relief.Heads(rec, relief.SealedField(name))
		}
	}
	op, err := relief.SetFieldsSeen(relief.KindDemand, dm.ID, fields, seen)
	if err != nil { // ValidateDemand keeps to relief's limits: a bug if reached
		return &Error{Code: CodeInvalid, Message: "edit " + dm.Code + ": " + err.Error()}
	}
	_, err = d.apply([]ledger.Op{op})
	return err
}

// mayEdit says whether me may edit dm's fields: an active member who is not
// an observer and is a coordinator, a reviewer, dm's creator or its owner, as
// relief.FieldRules say (every peer's fold refuses the others' edits).
func mayEdit(dm relief.Demand, me relief.Member) bool { return relief.MayEdit(dm, me) }

// editedFields validates in and returns the fields of dm it changes, by
// relief field name (nil clears a field).
func editedFields(dm relief.Demand, me relief.Member, in DemandInput) (map[string]any, error) {
	_, hidden := relief.Project(dm, me)
	hidden = append(hidden, relief.SealedHidden(dm.Sealed)...) // a value this device cannot open is not edited
	sees := func(field string) bool {
		return !slices.ContainsFunc(hidden, func(h relief.Hidden) bool { return h.Field == field })
	}
	// Contacts are read here, not by ValidateDemand: a contact left as it
	// was (a WeChat id in the phone field, a role) is kept verbatim.
	contacts, err := editedContacts(dm.Contacts, in)
	if err != nil {
		return nil, err
	}
	form := in
	form.ContactName, form.ContactPhone, form.MoreContacts = "", "", nil
	nd, err := ValidateDemand(form)
	if err != nil {
		return nil, err
	}
	pos := nd.Position
	fields := map[string]any{}
	text := func(name, was, now string) {
		if was == now {
			return
		}
		if now == "" {
			fields[name] = nil
		} else {
			fields[name] = now
		}
	}
	text(relief.FieldTitle, dm.Title, nd.Title)
	text(relief.FieldCategory, dm.Category, nd.Category)
	if u := cmp.Or(nd.Urgency, relief.UrgencyNormal); u != dm.Urgency {
		fields[relief.FieldUrgency] = u
	}
	text(relief.FieldDescription, dm.Description, nd.Description)
	text(relief.FieldRequesterOrg, dm.RequesterOrg, nd.RequesterOrg)
	district := strings.TrimSpace(in.District)
	if nd.Address != dm.Address || district != dm.District {
		place, dist := PlaceOfAddress(district, nd.Address)
		if place.Code == "" && district == dm.District {
			// Nothing resolves and the district stays: the place found
			// before (with an address, a sheet's columns) is kept.
			place = dm.Place
		}
		text(relief.FieldAddress, dm.Address, nd.Address)
		text(relief.FieldDistrict, dm.District, dist)
		if place != dm.Place {
			if place.IsZero() {
				fields[relief.FieldPlace] = nil
			} else {
				fields[relief.FieldPlace] = place
			}
		}
	}
	if items := keepSpecs(dm.Items, nd.Items); !sameItems(dm.Items, items) {
		fields[relief.FieldItems] = items
	}
	if sees("contacts") && !reflect.DeepEqual(dm.Contacts, contacts) {
		if len(contacts) == 0 {
			fields[relief.FieldContacts] = nil
		} else {
			fields[relief.FieldContacts] = contacts
		}
	}
	if sees("position") && !reflect.DeepEqual(dm.Position, pos) {
		if pos == nil {
			fields[relief.FieldPosition] = nil
		} else {
			fields[relief.FieldPosition] = *pos
		}
	}
	return fields, nil
}

// editedContacts reads the form's contacts (the first, then MoreContacts),
// keeping verbatim each one whose name and phone are those of a contact in
// was, and checking the others as ValidateDemand does: a new or changed
// contact holding a resident identity card number is refused (CodeInvalid,
// ReasonIDCard, naming its field).
func editedContacts(was []relief.Contact, in DemandInput) ([]relief.Contact, error) {
	all := append([]ContactInput{{Name: in.ContactName, Phone: in.ContactPhone}}, in.MoreContacts...)
	var out []relief.Contact
	for i, c := range all {
		field, nameField := "contactPhone", "contactName"
		if i > 0 {
			f := "moreContacts[" + strconv.Itoa(i-1) + "]"
			field, nameField = f+".phone", f+".name"
		}
		name, phone := strings.TrimSpace(c.Name), strings.TrimSpace(c.Phone)
		if name == "" && phone == "" {
			continue
		}
		if len(out) == relief.MaxContacts {
			return nil, FieldError(CodeInvalid, nameField, "more than %d contacts", relief.MaxContacts)
		}
		if k := slices.IndexFunc(was, func(w relief.Contact) bool { return w.Name == name && w.Phone == phone }); k >= 0 {
			out = append(out, was[k])
			continue
		}
		if e := noIDCard(nameField, name, field, phone); e != nil {
			return nil, e // as the create form (ValidateDemand) refuses it
		}
		p, err := CleanPhone(field, phone)
		if err != nil {
			return nil, err
		}
		if relief.TooLong(name, relief.MaxContactName) {
			return nil, TooLong(nameField, relief.MaxContactName)
		}
		out = append(out, relief.Contact{Name: name, Phone: p})
	}
	return out, nil
}

// keepSpecs returns items with the spec of the item of the same name in was
// (the form does not show specs).
func keepSpecs(was, items []relief.Item) []relief.Item {
	for i := range items {
		if k := slices.IndexFunc(was, func(w relief.Item) bool { return w.Name == items[i].Name }); k >= 0 {
			items[i].Spec = was[k].Spec
		}
	}
	return items
}

// sameItems says whether a and b list the same items (name, spec, unit,
// needed quantity) in the same order; received quantities are ignored.
func sameItems(a, b []relief.Item) bool {
	return slices.EqualFunc(a, b, func(x, y relief.Item) bool {
		return x.Name == y.Name && x.Spec == y.Spec && x.Unit == y.Unit &&
			(x.Needed == nil) == (y.Needed == nil) && (x.Needed == nil || *x.Needed == *y.Needed)
	})
}
