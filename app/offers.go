package app

import (
	"context"

	"github.com/reliefmesh/reliefmesh/desk"
)

// OfferInput is what the "record an offer" form sends, as the desk defines it
// (see there).
type OfferInput = desk.OfferInput

// OfferView is an offer as the list shows it; contacts are restricted.
type OfferView struct {
	ID         string        `json:"id"`
	Code       string        `json:"code"`
	Supplier   string        `json:"supplier"`
	Kind       string        `json:"kind"` // relief.OfferKinds: supplies, hotel, logistics, clinic, other (a guess from its name and items)
	Region     string        `json:"region"`
	Items      []ItemView    `json:"items"`
	Phone      string        `json:"phone"`      // empty when hidden
	ValidUntil int64         `json:"validUntil"` // Unix milliseconds; 0 = open-ended
	Expired    bool          `json:"expired"`
	CreatedAt  int64         `json:"createdAt"`
	Hidden     []HiddenField `json:"hidden"`
	// Place is where the offer is, its resolved place's names from the
	// province down then its region as written ("湖北省 武汉市 洪山区"); ""
	// when neither is known.
	Place string `json:"place"`
	// Notes are the offer's notes (what an online service offers and when,
	// for an offer without items); "" when none or hidden from this member.
	Notes string `json:"notes"`
}

// OfferMatchView is one offer ranked for a demand, with why.
type OfferMatchView struct {
	Offer OfferView `json:"offer"`
	Score float64   `json:"score"` // 0–100, see relief.MatchOffers
	Why   []string  `json:"why"`   // relief.Why* codes, "code" or "code=value"
	// ItemNames names the item keys that Why's item, missing, covers and
	// qty_unknown codes carry: a catalog id ("mask_n95") gets the catalog's
	// Chinese and English names, a name the catalog does not know is its own
	// name in both languages.
	ItemNames map[string]ItemName `json:"itemNames"`
}

// ItemName is a supply's name in Chinese and English.
type ItemName struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

// OfferService lists, records and matches offers (supplies and services offered).
type OfferService struct{ a *App }

// Startup is called by Wails when the window opens.
func (s *OfferService) Startup(ctx context.Context) {}

// Shutdown is called by Wails when the window closes.
func (s *OfferService) Shutdown() {}

// List returns the offers whose supplier, region or items contain text
// (case-insensitive; all when empty), newest first (desk.Desk.Offers).
func (s *OfferService) List(text string) ([]OfferView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	os, err := dk.Offers(text)
	if err != nil {
		return nil, err
	}
	out := make([]OfferView, len(os))
	for i, o := range os {
		out[i] = offerView(o)
	}
	return out, nil
}

// Record validates in and records a new offer (desk.Desk.RecordOffer).
// Errors: *Error naming the field.
func (s *OfferService) Record(in OfferInput) (OfferView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return OfferView{}, err
	}
	o, err := dk.RecordOffer(in)
	if err != nil {
		return OfferView{}, err
	}
	return offerView(o), nil
}

// Matches ranks the offers for a demand (relief.MatchOffers: catalog items,
// quantity, region, validity), best first, at most 10 (desk.Desk.OfferMatches).
func (s *OfferService) Matches(demandID string) ([]OfferMatchView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	ms, err := dk.OfferMatches(demandID)
	if err != nil {
		return nil, err
	}
	out := make([]OfferMatchView, len(ms))
	for i, m := range ms {
		names := make(map[string]ItemName, len(m.ItemNames))
		for k, n := range m.ItemNames {
			names[k] = ItemName{Zh: n.Zh, En: n.En}
		}
		out[i] = OfferMatchView{Offer: offerView(m.Offer), Score: m.Score, Why: m.Why, ItemNames: names}
	}
	return out, nil
}

// offerView is the DTO of an offer as the member may see it.
func offerView(vo desk.VisibleOffer) OfferView {
	o := vo.Offer
	v := OfferView{ID: o.ID, Code: o.Code, Supplier: o.Supplier, Kind: string(vo.Kind), Region: o.Region, Items: []ItemView{},
		Expired: vo.Expired, CreatedAt: o.CreatedAt.Wall, Hidden: hiddenViews(vo.Hidden)}
	for _, it := range o.Items {
		v.Items = append(v.Items, ItemView{Name: it.Name, Unit: it.Unit, Needed: it.Needed})
	}
	if len(o.Contacts) > 0 {
		v.Phone = o.Contacts[0].Phone
	}
	v.Place, v.Notes = desk.PlaceName(o.Place, o.Region), o.Notes
	if !o.ValidUntil.IsZero() {
		v.ValidUntil = o.ValidUntil.UnixMilli()
	}
	return v
}
