package desk

import (
	"cmp"
	"errors"
	"math"
	"strconv"
	"strings"

	"golang.org/x/text/width"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// ContactInput is one more contact of the demand form (beyond the first, in
// DemandInput.ContactName and ContactPhone): a name and a phone number, either
// may be empty but not both.
type ContactInput struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// ItemInput is one line of the demand or offer form. Quantity is the text
// typed by the user: empty means "needed, quantity unknown"; otherwise a
// number ≥ 0 (full-width digits such as "５００" are accepted).
type ItemInput struct {
	Name     string `json:"name"`
	Quantity string `json:"quantity"`
	Unit     string `json:"unit"`
}

// DemandInput is what the "record a demand" form sends. Title, category and at
// least one item are required; the rest is optional. Urgency is one of low,
// normal (default), high, critical. The contact is restricted information:
// only reviewers, coordinators and the demand's owner see it. Text fields are
// limited in characters by relief's limits (relief.MaxTitle …).
type DemandInput struct {
	Title        string      `json:"title"`
	Category     string      `json:"category"`
	District     string      `json:"district"`
	Items        []ItemInput `json:"items"`
	Urgency      string      `json:"urgency"`
	RequesterOrg string      `json:"requesterOrg"`
	Address      string      `json:"address"`
	Description  string      `json:"description"`
	ContactName  string      `json:"contactName"`
	ContactPhone string      `json:"contactPhone"`
	// MoreContacts are the contacts beyond the first (a pasted message often
	// names two); entries with neither name nor phone are dropped.
	MoreContacts []ContactInput `json:"moreContacts"`
	// Position is the exact position typed or picked in the form; nil for
	// none. It is restricted information, as the contacts are.
	Position *PositionInput `json:"position,omitempty"`
}

// DemandQuery filters the demand list; empty fields match everything. Text
// matches title, code, district, organisation, address and item names as a
// substring (Chinese included), and for a member who may read contacts the
// contacts' phone numbers and names too (DemandsFound). Offset and Limit
// select a page, newest first unless Sort says otherwise; Limit 0 means
// DefaultPage, and at most MaxPage are returned.
type DemandQuery struct {
	Status   string `json:"status"`
	Category string `json:"category"`
	District string `json:"district"`
	Owner    string `json:"owner"` // member id; "me" for this device's member
	Text     string `json:"text"`
	Urgency  string `json:"urgency"` // low, normal, high, critical
	Overdue  bool   `json:"overdue"` // only demands whose reply-by has passed
	Sort     string `json:"sort"`    // "" newest first, "urgency" most urgent first, "replyBy" earliest reply-by first
	Offset   int    `json:"offset"`
	Limit    int    `json:"limit"`
	// Region keeps the demands in a region at any level: names ("湖北省",
	// "荆门市", "湖北省/荆门市", a district as written) or a division code
	// prefix ("4208"); see store.DemandQuery.Region.
	Region string `json:"region,omitempty"`
	// Group keeps the demands routed to that working group (its id; see
	// relief.RouteDemand): the group's board.
	Group string `json:"group,omitempty"`
}

// Page sizes of the demand list, in demands.
const (
	DefaultPage = 100
	MaxPage     = 1000
)

// Demands returns one page of the demands that match q (list views: no
// history) and how many match in all: DemandsFound's page, the demands
// found by a contact's phone or name included. Errors: CodeStorage.
func (d *Desk) Demands(q DemandQuery) (page []relief.Demand, total int, err error) {
	p, total, err := d.DemandsFound(q)
	return p.Demands, total, err
}

// demandsPage is Demands without the search of contacts: also are the ids
// of the demands it found (store.DemandQuery.AlsoIDs).
func (d *Desk) demandsPage(q DemandQuery, also []string) (page []relief.Demand, total int, err error) {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultPage
	}
	owner := q.Owner
	if owner == "me" {
		owner = d.st.Device().String()
	}
	var cats []string
	if id := strings.TrimSpace(q.Group); id != "" {
		g, err := d.group(id)
		if err != nil {
			return nil, 0, err
		}
		cats = append([]string{}, g.Categories...) // not nil: a group routing none shows none
	}
	page, total, err = d.st.DemandsPage(store.DemandQuery{
		Status: relief.Status(q.Status), Category: q.Category, Categories: cats, District: strings.TrimSpace(q.District), Owner: owner,
		Text: q.Text, Urgency: relief.Urgency(q.Urgency), Overdue: q.Overdue, Sort: store.DemandSort(q.Sort),
		Offset: max(q.Offset, 0), Limit: min(limit, MaxPage), Region: strings.TrimSpace(q.Region), AlsoIDs: also,
	}) // the store's table answers every filter and order
	if err != nil {
		return nil, 0, AsError(err)
	}
	return page, total, nil
}

// RecordDemand validates in (ValidateDemand) and records it as a new demand
// in status collected, authored by this device's member; it returns the
// demand as stored. Errors: those of ValidateDemand (nothing is stored then);
// CodeNoNetwork before a network exists; CodeNotAllowed, CodeStorage.
func (d *Desk) RecordDemand(in DemandInput) (relief.Demand, error) {
	dm, err := ValidateDemand(in)
	if err != nil {
		return relief.Demand{}, err
	}
	id := store.NewID()
	op, err := relief.SetFields(relief.KindDemand, id, demandFields(dm))
	if err != nil { // ValidateDemand keeps to relief's limits: a bug if reached
		return relief.Demand{}, &Error{Code: CodeInvalid, Message: "record demand: " + err.Error()}
	}
	if _, err := d.apply([]ledger.Op{op}); err != nil {
		return relief.Demand{}, err
	}
	rec, err := d.st.Demand(id)
	if err != nil {
		return relief.Demand{}, AsError(err)
	}
	return rec, nil
}

// MaxBatch is how many demands RecordDemands signs as one change at most.
const MaxBatch = 1000

// RecordDemands validates every input (ValidateDemand) and records them as
// new demands in one change, in order; it returns their ids. A batch is
// recorded whole or not at all. Errors: the first input's error, its field
// prefixed with the input's index ("[3].title"); CodeTooLong naming "" when
// there are more than MaxBatch; CodeNoNetwork, CodeNotAllowed, CodeStorage.
func (d *Desk) RecordDemands(ins []DemandInput) ([]string, error) {
	if len(ins) > MaxBatch {
		return nil, FieldError(CodeTooLong, "", "more than %d demands", MaxBatch).Because(ReasonMaxItems, "max", strconv.Itoa(MaxBatch))
	}
	ops := make([]ledger.Op, 0, len(ins))
	ids := make([]string, 0, len(ins))
	for i, in := range ins {
		dm, err := ValidateDemand(in)
		if err != nil {
			var e *Error
			if errors.As(err, &e) {
				e.Field = "[" + strconv.Itoa(i) + "]." + e.Field
			}
			return nil, err
		}
		id := store.NewID()
		op, err := relief.SetFields(relief.KindDemand, id, demandFields(dm))
		if err != nil {
			return nil, &Error{Code: CodeInvalid, Message: "record demand: " + err.Error()}
		}
		ops, ids = append(ops, op), append(ids, id)
	}
	if len(ops) == 0 {
		return ids, nil
	}
	if _, err := d.apply(ops); err != nil {
		return nil, err
	}
	return ids, nil
}

// demandFields returns the fields of a new demand by relief field name:
// title, category, items and urgency (default normal) always, the other
// fields when not empty (the place and position included).
func demandFields(dm relief.Demand) map[string]any {
	fields := map[string]any{
		relief.FieldTitle:    dm.Title,
		relief.FieldCategory: dm.Category,
		relief.FieldItems:    dm.Items,
		relief.FieldUrgency:  cmp.Or(dm.Urgency, relief.UrgencyNormal),
	}
	for name, v := range map[string]string{relief.FieldDistrict: dm.District, relief.FieldRequesterOrg: dm.RequesterOrg,
		relief.FieldAddress: dm.Address, relief.FieldDescription: dm.Description, relief.FieldSource: dm.Source} {
		if v != "" {
			fields[name] = v
		}
	}
	if len(dm.Contacts) > 0 {
		fields[relief.FieldContacts] = dm.Contacts
	}
	if dm.Position != nil {
		fields[relief.FieldPosition] = *dm.Position
	}
	if !dm.Place.IsZero() {
		fields[relief.FieldPlace] = dm.Place
	}
	return fields
}

// ValidateDemand checks a form submission against relief's limits (in
// characters) and returns the demand to record. The first problem found is
// returned as an *Error naming its field: CodeRequired, CodeNotNumber,
// CodeNegative, CodeTooLong (Args max) or CodeInvalid ("position.lat" …;
// with reason ReasonIDCard for a text field, a contact's or an item's
// included, that holds what looks like a resident identity card number).
// When the form gives an address and no district, the place and the
// district are derived from the address (PlaceOfAddress) where it names a
// division.
func ValidateDemand(in DemandInput) (relief.Demand, error) {
	var d relief.Demand
	d.Title = strings.TrimSpace(in.Title)
	d.District = strings.TrimSpace(in.District)
	d.Category = strings.TrimSpace(in.Category)
	d.Urgency = relief.Urgency(strings.TrimSpace(in.Urgency))
	d.RequesterOrg = strings.TrimSpace(in.RequesterOrg)
	d.Address = strings.TrimSpace(in.Address)
	d.Description = strings.TrimSpace(in.Description)
	ids := []string{"title", in.Title, "requesterOrg", in.RequesterOrg, "district", in.District, "address", in.Address,
		"description", in.Description, "contactName", in.ContactName, "contactPhone", in.ContactPhone}
	for i, c := range in.MoreContacts {
		field := "moreContacts[" + strconv.Itoa(i) + "]"
		ids = append(ids, field+".name", c.Name, field+".phone", c.Phone)
	}
	if e := noIDCard(ids...); e != nil {
		return d, e
	}
	phone, err := CleanPhone("contactPhone", in.ContactPhone)
	if err != nil {
		return d, err
	}
	name := strings.TrimSpace(in.ContactName)
	if relief.TooLong(name, relief.MaxContactName) {
		return d, TooLong("contactName", relief.MaxContactName)
	}
	if name != "" || phone != "" {
		d.Contacts = []relief.Contact{{Name: name, Phone: phone}}
	}
	for i, c := range in.MoreContacts {
		field := "moreContacts[" + strconv.Itoa(i) + "]"
		p, err := CleanPhone(field+".phone", c.Phone)
		if err != nil {
			return d, err
		}
		name := strings.TrimSpace(c.Name)
		switch {
		case name == "" && p == "":
			continue
		case relief.TooLong(name, relief.MaxContactName):
			return d, TooLong(field+".name", relief.MaxContactName)
		case len(d.Contacts) == relief.MaxContacts:
			return d, FieldError(CodeInvalid, field, "more than %d contacts", relief.MaxContacts)
		}
		d.Contacts = append(d.Contacts, relief.Contact{Name: name, Phone: p})
	}
	switch {
	case d.Title == "":
		return d, FieldError(CodeRequired, "title", "is empty")
	case relief.TooLong(d.Title, relief.MaxTitle):
		return d, TooLong("title", relief.MaxTitle)
	case d.Category == "":
		return d, FieldError(CodeRequired, "category", "is empty")
	case !relief.ValidCategory(d.Category):
		return d, FieldError(CodeInvalid, "category", "%q is not a category", in.Category)
	case relief.TooLong(d.District, relief.MaxDistrict):
		return d, TooLong("district", relief.MaxDistrict)
	case in.Urgency != "" && !relief.Urgency(in.Urgency).Valid():
		return d, FieldError(CodeInvalid, "urgency", "%q is not an urgency", in.Urgency)
	case relief.TooLong(d.RequesterOrg, relief.MaxOrg):
		return d, TooLong("requesterOrg", relief.MaxOrg)
	case relief.TooLong(d.Address, relief.MaxAddress):
		return d, TooLong("address", relief.MaxAddress)
	case relief.TooLong(d.Description, relief.MaxDescription):
		return d, TooLong("description", relief.MaxDescription)
	}
	items, err := validateItems(in.Items)
	if err != nil {
		return d, err
	}
	d.Items = items
	if d.Position, err = validPosition(in.Position); err != nil {
		return d, err
	}
	if d.District == "" && d.Address != "" {
		if p, district := PlaceOfAddress("", d.Address); p.Code != "" {
			d.Place, d.District = p, district
		}
	}
	return d, nil
}

// validateItems checks the item lines of a demand or offer form: at least one,
// at most relief.MaxItems, each named; names and units within relief's
// limits; quantities as ParseQuantity reads them. The first problem is an
// *Error naming its field ("items[1].quantity").
func validateItems(in []ItemInput) ([]relief.Item, error) {
	switch {
	case len(in) == 0:
		return nil, FieldError(CodeRequired, "items", "at least one item is needed")
	case len(in) > relief.MaxItems:
		return nil, FieldError(CodeTooLong, "items", "more than %d items", relief.MaxItems).Because(ReasonMaxItems, "max", strconv.Itoa(relief.MaxItems))
	}
	var out []relief.Item
	for i, it := range in {
		f := func(name string) string { return "items[" + strconv.Itoa(i) + "]." + name }
		name := strings.TrimSpace(it.Name)
		unit := strings.TrimSpace(it.Unit)
		if e := noIDCard(f("name"), name, f("unit"), unit); e != nil {
			return nil, e
		}
		switch {
		case name == "":
			return nil, FieldError(CodeRequired, f("name"), "is empty")
		case relief.TooLong(name, relief.MaxItemName):
			return nil, TooLong(f("name"), relief.MaxItemName)
		case relief.TooLong(unit, relief.MaxUnit):
			return nil, TooLong(f("unit"), relief.MaxUnit)
		}
		needed, err := ParseQuantity(f("quantity"), it.Quantity)
		if err != nil {
			return nil, err
		}
		out = append(out, relief.Item{Name: name, Unit: unit, Needed: needed})
	}
	return out, nil
}

// ParseQuantity reads a quantity typed in a form: empty is nil ("needed,
// quantity unknown"); otherwise a finite number ≥ 0 as importer.ParseQuantity
// reads it, with nothing after it: "500", full-width "５００", "2,000",
// "5万" (50000), "1.5万" (15000), "两千" (2000), "三百" (300). Errors are
// CodeNotNumber or CodeNegative naming field.
func ParseQuantity(field, text string) (*float64, error) {
	q := strings.TrimSpace(width.Narrow.String(text))
	if q == "" {
		return nil, nil
	}
	n, err := strconv.ParseFloat(q, 64)
	if err != nil {
		var unit string
		var ok bool
		neg := strings.HasPrefix(q, "-")
		if n, unit, ok = importer.ParseQuantity(strings.TrimPrefix(q, "-")); !ok || unit != "" {
			return nil, FieldError(CodeNotNumber, field, "%q is not a number", text)
		}
		if neg {
			n = -n
		}
	}
	if math.IsNaN(n) || math.IsInf(n, 0) {
		return nil, FieldError(CodeNotNumber, field, "%q is not a number", text)
	}
	if n < 0 {
		return nil, FieldError(CodeNegative, field, "%v is below zero", n)
	}
	return &n, nil
}

// CleanPhone normalises a phone number typed in a form (importer.CleanPhone,
// on nyaruka/phonenumbers: "+86 189 0000 0000", "（+86）18900000000",
// full-width digits, "027-85726035") to E.164; empty stays empty. Errors:
// CodeInvalid naming field.
func CleanPhone(field, phone string) (string, error) {
	if strings.TrimSpace(phone) == "" {
		return "", nil
	}
	n, _, err := importer.CleanPhone(phone, "CN")
	if err != nil {
		return "", FieldError(CodeInvalid, field, "%q: %v", phone, err)
	}
	if relief.TooLong(n, relief.MaxPhone) {
		return "", TooLong(field, relief.MaxPhone)
	}
	return n, nil
}

// ParseMessage reads a demand from a pasted chat message ("武汉市第一医院急需
// N95口罩5000个，防护服200套，联系人王老师 138…，地址…") and returns the form
// prefilled with what it found, for the user to confirm or correct: nothing
// is recorded. Quantities come back as text; the first contact the message
// names fills ContactName and ContactPhone, the others MoreContacts; text
// that was not used is dropped, not put in the description, since the
// description is public and a name alone on a line would be published.
// Every field is cut to relief's limits, so the form accepts the draft as it
// is. It reads no store. Errors: CodeRequired naming "text" when it is empty;
// CodeTooLong when it is longer than relief.MaxMessage characters.
func ParseMessage(text string) (DemandInput, error) {
	switch {
	case strings.TrimSpace(text) == "":
		return DemandInput{}, FieldError(CodeRequired, "text", "is empty")
	case relief.TooLong(text, relief.MaxMessage):
		return DemandInput{}, TooLong("text", relief.MaxMessage)
	}
	dr, _ := importer.ParseMessage(text)
	return draftInput(dr), nil
}

// draftInput turns a draft into the form's input, cut to relief's limits.
func draftInput(d importer.Draft) DemandInput {
	in := DemandInput{
		Title: relief.Cut(d.Title, relief.MaxTitle), Category: d.Category, District: relief.Cut(d.District, relief.MaxDistrict),
		Urgency: string(cmp.Or(d.Urgency, relief.UrgencyNormal)), RequesterOrg: relief.Cut(d.Org, relief.MaxOrg),
		Address: relief.Cut(d.Address, relief.MaxAddress), Items: []ItemInput{}, MoreContacts: []ContactInput{},
	}
	for i, c := range d.Contacts {
		if i == relief.MaxContacts {
			break
		}
		name := relief.Cut(strings.TrimSpace(c.Role+" "+c.Name), relief.MaxContactName)
		if i == 0 {
			in.ContactName, in.ContactPhone = name, c.Phone
			continue
		}
		in.MoreContacts = append(in.MoreContacts, ContactInput{Name: name, Phone: c.Phone})
	}
	for i, it := range d.Items {
		if i == relief.MaxItems {
			break
		}
		q := ""
		if it.Needed != nil {
			q = strconv.FormatFloat(*it.Needed, 'f', -1, 64)
		}
		in.Items = append(in.Items, ItemInput{Name: relief.Cut(it.Name, relief.MaxItemName), Quantity: q,
			Unit: relief.Cut(it.Unit, relief.MaxUnit)})
	}
	return in
}

// Similar is a demand already recorded that a new one probably repeats, and
// why (e.g. "same organisation", "same phone +86…", "close address").
type Similar struct {
	ID      string
	Code    string
	Title   string
	Reasons []string
}

// Similar warns, before recording, when in looks like a demand already
// recorded: same organisation once normalised, same phone, or a close address
// (the rules of relief.Likeness, which an import follows too), or an exact
// position within NearMetres of one of the same district this member sees
// exactly (ReasonNear; a sealed position this device cannot open is
// compared by its district and address only). It returns nil
// when none is found. Recording is still allowed: a reviewer decides. It
// answers from memory, but for the sealed positions it opens the first
// time (Store.OpenedPositions): errors CodeStorage.
//
// Cost: it looks up the keys of the form's likeness in the store's
// duplicate-key view (Store.SimilarDemands) and compares the form with the
// few demands that share one, whatever the number of demands
// (BenchmarkSimilarAndMapLarge); a form with a position also walks the
// demand list's rows once (nearestDemand).
func (d *Desk) Similar(in DemandInput) (*Similar, error) {
	r := importer.Record{Kind: relief.KindDemand, Org: strings.TrimSpace(in.RequesterOrg), Address: strings.TrimSpace(in.Address),
		District: strings.TrimSpace(in.District)}
	if phone, err := CleanPhone("contactPhone", in.ContactPhone); err == nil && phone != "" {
		r.Contacts = []relief.Contact{{Name: strings.TrimSpace(in.ContactName), Phone: phone}}
	}
	for _, c := range in.MoreContacts {
		if phone, err := CleanPhone("phone", c.Phone); err == nil && phone != "" {
			r.Contacts = append(r.Contacts, relief.Contact{Name: strings.TrimSpace(c.Name), Phone: phone})
		}
	}
	var near relief.Demand // the nearest demand by exact position (sealnear.go), if any
	var nearDist float64
	var isNear bool
	if pos, err := validPosition(in.Position); err == nil && pos != nil {
		if near, nearDist, isNear, err = d.nearestDemand(*pos, r.District); err != nil {
			return nil, err
		}
	}
	var v *Similar
	if r.Org != "" || r.Address != "" || len(r.Contacts) > 0 {
		probe := relief.LikenessOf(r.Org, r.District, r.Address, r.Contacts)
		if dup, ok := importer.SimilarTo(r, d.similarDemands(probe)); ok {
			v = &Similar{ID: dup.Original, Code: dup.OriginalCode, Title: dup.OriginalOrg, Reasons: dup.Reasons}
			if dm := d.st.DemandsByID([]string{dup.Original}); len(dm) == 1 {
				v.Title = dm[0].Title
			}
		}
	}
	if isNear && v == nil {
		v = &Similar{ID: near.ID, Code: near.Code, Title: near.Title}
	}
	if isNear && v.ID == near.ID {
		v.Reasons = append(v.Reasons, nearReason(nearDist))
	}
	return v, nil
}
