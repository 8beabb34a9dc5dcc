package app

import (
	"context"
	"slices"
	"strings"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/relief"
)

// Form inputs and the list query, as the desk defines them (see there): the
// JSON the UI sends is theirs.
type (
	ContactInput = desk.ContactInput
	ItemInput    = desk.ItemInput
	DemandInput  = desk.DemandInput
	DemandQuery  = desk.DemandQuery
	// PositionInput is the position typed or picked in the demand form.
	PositionInput = desk.PositionInput
)

// Field length limits of the demand form, in characters (runes): relief's
// one set of limits, which the importer and every peer use too.
const (
	MaxTitleLen    = relief.MaxTitle
	MaxDistrictLen = relief.MaxDistrict
	MaxItemNameLen = relief.MaxItemName
	MaxUnitLen     = relief.MaxUnit
	MaxItems       = relief.MaxItems
	MaxOrgLen      = relief.MaxOrg
	MaxAddressLen  = relief.MaxAddress
	MaxDescLen     = relief.MaxDescription
	MaxContactLen  = relief.MaxContactName
	MaxContacts    = relief.MaxContacts // contacts per demand: the first one and the others
	MaxMessageLen  = relief.MaxMessage  // a pasted chat message (ParseMessage)
)

// Page sizes of the demand list (desk.DefaultPage, desk.MaxPage).
const (
	DefaultPage = desk.DefaultPage
	MaxPage     = desk.MaxPage
)

// ItemView is one item of a demand as the UI shows it. Needed is nil when the
// quantity is unknown.
type ItemView struct {
	Name     string   `json:"name"`
	Unit     string   `json:"unit"`
	Needed   *float64 `json:"needed"`
	Received float64  `json:"received"`
}

// DemandSummary is a demand as the list shows it.
type DemandSummary struct {
	ID        string     `json:"id"`
	Code      string     `json:"code"` // short code for phone calls, e.g. D-7KQ2MX
	Title     string     `json:"title"`
	Category  string     `json:"category"`
	District  string     `json:"district"`
	Region    string     `json:"region,omitempty"` // the place's province, city and county ("湖北省 荆门市 钟祥市"); "" when unknown
	Status    string     `json:"status"`
	Urgency   string     `json:"urgency"`
	Items     []ItemView `json:"items"`
	CreatedAt int64      `json:"createdAt"` // Unix milliseconds
	// ByContact says that the search found this demand by a contact's phone
	// number or name, which the list does not show (desk.DemandPage.ByContact).
	ByContact bool `json:"byContact,omitempty"`
}

// DemandPage is one page of the demand list and how many match in all.
// ContactsSearched says that the search looked at the contacts too (a
// member who may read them); false, the list says that contacts are sealed
// and not searched. ContactsBuilding says that the index of contacts is
// being built (the first search of contacts on this device): the page holds
// no contact hits yet, the list says so and asks again; ContactsRead is how
// many demand records the build has read (desk.DemandPage).
type DemandPage struct {
	Items            []DemandSummary `json:"items"`
	Total            int             `json:"total"`
	ContactsSearched bool            `json:"contactsSearched"`
	ContactsBuilding bool            `json:"contactsBuilding,omitempty"`
	ContactsRead     int             `json:"contactsRead,omitempty"`
}

// DemandService records and lists demands.
type DemandService struct{ a *App }

// Startup is called by Wails when the window opens.
func (s *DemandService) Startup(ctx context.Context) {}

// Shutdown is called by Wails when the window closes.
func (s *DemandService) Shutdown() {}

// Categories returns the demand category codes the form offers, in display order.
func (s *DemandService) Categories() []string {
	return append([]string(nil), relief.Categories...)
}

// List returns one page of the demands that match q and how many match in
// all (desk.Desk.DemandsFound: for a coordinator or reviewer, the search
// finds demands by their contacts' phones and names too, each marked
// ByContact).
func (s *DemandService) List(q DemandQuery) (DemandPage, error) {
	dk, err := s.a.desk()
	if err != nil {
		return DemandPage{}, err
	}
	p, total, err := dk.DemandsFound(q)
	if err != nil {
		return DemandPage{}, err
	}
	out := DemandPage{Items: make([]DemandSummary, len(p.Demands)), Total: total, ContactsSearched: p.ContactsSearched,
		ContactsBuilding: p.ContactsBuilding, ContactsRead: p.ContactsRead}
	for i, d := range p.Demands {
		out.Items[i] = summarize(d)
		out.Items[i].ByContact = slices.Contains(p.ByContact, d.ID)
	}
	return out, nil
}

// Record validates in and records it as a new demand in status "collected"
// (desk.Desk.RecordDemand). Errors: *Error with CodeRequired, CodeNotNumber,
// CodeNegative, CodeTooLong or CodeInvalid naming the field (e.g.
// "items[1].quantity"); CodeNoNetwork before a network exists. Nothing is
// stored when validation fails.
func (s *DemandService) Record(in DemandInput) (DemandSummary, error) {
	dk, err := s.a.desk()
	if err != nil {
		return DemandSummary{}, err
	}
	rec, err := dk.RecordDemand(in)
	if err != nil {
		return DemandSummary{}, err
	}
	return summarize(rec), nil
}

// Edit edits the fields of demand id from the demand form in, writing only
// those that changed, and returns the demand afterwards
// (desk.Desk.EditDemand: the place is derived again from a changed address).
// Errors: CodeNotAllowed (Args reason edit_role, role, need) unless this
// member is a coordinator, the creator or the owner; CodeClosed (Args
// status) for a closed demand; the form's errors naming the field, as
// Record's ("position.lat" …); CodeNotFound; CodeRevoked. Nothing is stored
// on an error.
func (s *DemandService) Edit(id string, in DemandInput) (DemandDetail, error) {
	dk, err := s.a.desk()
	if err != nil {
		return DemandDetail{}, err
	}
	dd, err := dk.EditDemand(id, in)
	if err != nil {
		return DemandDetail{}, err
	}
	return detailView(dd), nil
}

// Erase erases the personal data of demand id (its contacts and review
// notes) on every device that applies the erasure, for reason; the demand
// stays, and its page says who erased what, when and why. Coordinators
// only. Errors: CodeRequired or CodeTooLong naming "note"; CodeNotAllowed;
// CodeNotFound; CodeRevoked.
func (s *DemandService) Erase(id, reason string) (DemandDetail, error) {
	dk, err := s.a.desk()
	if err != nil {
		return DemandDetail{}, err
	}
	dd, err := dk.EraseDemand(id, reason)
	if err != nil {
		return DemandDetail{}, err
	}
	return detailView(dd), nil
}

func summarize(d relief.Demand) DemandSummary {
	items := make([]ItemView, len(d.Items))
	for i, it := range d.Items {
		items[i] = ItemView{Name: it.Name, Unit: it.Unit, Needed: it.Needed, Received: it.Received}
	}
	return DemandSummary{
		ID: d.ID, Code: d.Code, Title: d.Title, Category: d.Category, District: d.District, Region: strings.Join(d.Place.Path(), " "),
		Status: string(d.Status), Urgency: string(d.Urgency), Items: items,
		CreatedAt: d.CreatedAt.Wall,
	}
}

// ParseMessage reads a demand from a pasted chat message and returns the
// form prefilled with what it found, for the user to confirm or correct
// (desk.ParseMessage): nothing is recorded, and no store is needed. Errors:
// CodeRequired naming "text" when it is empty; CodeTooLong when it is longer
// than MaxMessageLen characters.
func (s *DemandService) ParseMessage(text string) (DemandInput, error) {
	return desk.ParseMessage(text)
}

// SimilarView is a demand already recorded that a new one probably repeats.
type SimilarView struct {
	ID      string   `json:"id"`
	Code    string   `json:"code"`
	Title   string   `json:"title"`
	Reasons []string `json:"reasons"` // e.g. "same organisation", "same phone +86…", "close address"
}

// Similar warns, before recording, when in looks like a demand already
// recorded (desk.Desk.Similar). It returns nil when none is found. Recording
// is still allowed: a reviewer decides.
func (s *DemandService) Similar(in DemandInput) (*SimilarView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	sim, err := dk.Similar(in)
	if err != nil || sim == nil {
		return nil, err
	}
	return &SimilarView{ID: sim.ID, Code: sim.Code, Title: sim.Title, Reasons: sim.Reasons}, nil
}
