package app

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reliefmesh/reliefmesh/relief"
)

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
}

// OfferInput is what the "record an offer" form sends. ValidDays 0 means
// open-ended; Items use the same rules as a demand's.
type OfferInput struct {
	Supplier     string      `json:"supplier"`
	Region       string      `json:"region"`
	ContactName  string      `json:"contactName"`
	ContactPhone string      `json:"contactPhone"`
	ValidDays    int         `json:"validDays"`
	Items        []ItemInput `json:"items"`
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

// itemNames names the item keys found in why (see OfferMatchView.ItemNames).
func itemNames(cat *relief.Catalog, why []string) map[string]ItemName {
	out := map[string]ItemName{}
	for _, w := range why {
		code, v, ok := strings.Cut(w, "=")
		if !ok {
			continue
		}
		switch code {
		case relief.WhyItem, relief.WhyMissing, relief.WhyQtyUnknown:
		case relief.WhyCovers:
			if i := strings.LastIndexByte(v, ':'); i >= 0 {
				v = v[:i]
			}
		default:
			continue
		}
		if it, ok := cat.Item(v); ok {
			out[v] = ItemName{Zh: it.Zh, En: it.En}
		} else {
			out[v] = ItemName{Zh: v, En: v}
		}
	}
	return out
}

// OfferService lists, records and matches offers (supplies and services offered).
type OfferService struct{ a *App }

// Startup is called by Wails when the window opens.
func (s *OfferService) Startup(ctx context.Context) {}

// Shutdown is called by Wails when the window closes.
func (s *OfferService) Shutdown() {}

// List returns the offers whose supplier, region or items contain text
// (case-insensitive; all when empty), newest first.
func (s *OfferService) List(text string) ([]OfferView, error) {
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	os, err := st.Offers()
	if err != nil {
		return nil, asError(err)
	}
	me, _ := st.Me()
	now := st.Now()
	q := strings.ToLower(strings.TrimSpace(text))
	out := []OfferView{}
	for _, o := range os {
		if q != "" && !strings.Contains(offerText(o), q) {
			continue
		}
		out = append(out, offerView(o, me, now))
	}
	return out, nil
}

// Record validates in and records a new offer. Errors: *Error naming the field.
func (s *OfferService) Record(in OfferInput) (OfferView, error) {
	o := relief.Offer{Supplier: strings.TrimSpace(in.Supplier), Region: strings.TrimSpace(in.Region)}
	switch {
	case o.Supplier == "":
		return OfferView{}, fieldError(CodeRequired, "supplier", "is empty")
	case utf8.RuneCountInString(o.Supplier) > MaxOrgLen:
		return OfferView{}, tooLong("supplier", MaxOrgLen)
	case in.ValidDays < 0 || in.ValidDays > 3650:
		return OfferView{}, fieldError(CodeInvalid, "validDays", "%d is not a number of days", in.ValidDays)
	}
	items, err := validateItems(in.Items)
	if err != nil {
		return OfferView{}, err
	}
	o.Items = items
	phone, err := cleanPhone("contactPhone", in.ContactPhone)
	if err != nil {
		return OfferView{}, err
	}
	if name := strings.TrimSpace(in.ContactName); name != "" || phone != "" {
		o.Contacts = []relief.Contact{{Name: name, Phone: phone}}
	}
	st, err := s.a.store()
	if err != nil {
		return OfferView{}, err
	}
	if in.ValidDays > 0 {
		o.ValidUntil = st.Now().Add(time.Duration(in.ValidDays) * 24 * time.Hour).UTC()
	}
	rec, err := st.RecordOffer(o)
	if err != nil {
		return OfferView{}, asError(err)
	}
	me, _ := st.Me()
	return offerView(rec, me, st.Now()), nil
}

// Matches ranks the offers for a demand (relief.MatchOffers: catalog items,
// quantity, region, validity), best first, at most 10.
func (s *OfferService) Matches(demandID string) ([]OfferMatchView, error) {
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	d, err := st.Demand(demandID)
	if err != nil {
		return nil, asError(err)
	}
	os, err := st.Offers()
	if err != nil {
		return nil, asError(err)
	}
	me, _ := st.Me()
	now := st.Now()
	out := []OfferMatchView{}
	for _, m := range relief.MatchOffers(relief.DefaultCatalog(), d, os, now) {
		if len(out) == 10 {
			break
		}
		out = append(out, OfferMatchView{Offer: offerView(m.Offer, me, now), Score: m.Score, Why: m.Why,
			ItemNames: itemNames(relief.DefaultCatalog(), m.Why)})
	}
	return out, nil
}

func offerText(o relief.Offer) string {
	parts := []string{o.Supplier, o.Region, o.Code}
	for _, it := range o.Items {
		parts = append(parts, it.Name)
	}
	return strings.ToLower(strings.Join(parts, "\x00"))
}

func offerView(o relief.Offer, viewer relief.Member, now time.Time) OfferView {
	p, hidden := relief.Project(o, viewer)
	v := OfferView{ID: o.ID, Code: o.Code, Supplier: p.Supplier, Kind: string(relief.OfferKindOf(p)), Region: p.Region, Items: []ItemView{},
		CreatedAt: o.CreatedAt.Wall, Hidden: []HiddenField{}}
	for _, it := range p.Items {
		v.Items = append(v.Items, ItemView{Name: it.Name, Unit: it.Unit, Needed: it.Needed})
	}
	if len(p.Contacts) > 0 {
		v.Phone = p.Contacts[0].Phone
	}
	if !o.ValidUntil.IsZero() {
		v.ValidUntil = o.ValidUntil.UnixMilli()
		v.Expired = !o.ValidUntil.After(now)
	}
	for _, h := range hidden {
		v.Hidden = append(v.Hidden, HiddenField{Field: h.Field, Level: h.Level.String(), Reason: h.Reason})
	}
	return v
}
