package desk

import (
	"errors"
	"strings"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// OfferInput is what the "record an offer" form sends. ValidDays 0 means
// open-ended (at most MaxValidDays); Items use the same rules as a demand's.
type OfferInput struct {
	Supplier     string      `json:"supplier"`
	Region       string      `json:"region"`
	ContactName  string      `json:"contactName"`
	ContactPhone string      `json:"contactPhone"`
	ValidDays    int         `json:"validDays"`
	Items        []ItemInput `json:"items"`
}

// MaxValidDays is the longest validity an offer's form takes, in days.
const MaxValidDays = 3650

// VisibleOffer is an offer as the viewing member (this device's) may see it.
type VisibleOffer struct {
	// Offer is the projected offer (relief.Project): fields above the
	// member's clearance (contacts are restricted) are blank and listed in
	// Hidden.
	Offer  relief.Offer
	Hidden []relief.Hidden
	// Kind is relief.OfferKindOf the offer: a guess from its name and items.
	Kind relief.OfferKind
	// Expired: ValidUntil is set and not after now.
	Expired bool
}

// OfferMatch is one offer ranked for a demand (relief.MatchOffers), with why.
type OfferMatch struct {
	Offer VisibleOffer
	Score float64  // 0–100, see relief.MatchOffers
	Why   []string // relief.Why* codes, "code" or "code=value"
	// ItemNames names the item keys that Why's item, missing, covers and
	// qty_unknown codes carry: a catalog id ("mask_n95") gets the catalog's
	// Chinese and English names, a name the catalog does not know is its own
	// name in both languages.
	ItemNames map[string]ItemName
}

// ItemName is a supply's name in Chinese and English.
type ItemName struct {
	Zh string
	En string
}

// MaxOfferMatches is how many offers OfferMatches returns at most.
const MaxOfferMatches = 10

// Offers returns the offers whose supplier, region, code or item names
// contain text (case-insensitive; all when empty), newest first, as this
// member may see them. Errors: CodeStorage.
func (d *Desk) Offers(text string) ([]VisibleOffer, error) {
	// the offer view filters on its rows' text (supplier, region, code and
	// item names, lower-cased) and reads only the matching records
	page, err := d.st.OffersQuery(store.OfferQuery{Text: text})
	if err != nil {
		return nil, AsError(err)
	}
	me, _ := d.st.Me()
	now := d.st.Now()
	out := make([]VisibleOffer, 0, len(page.Offers))
	for _, o := range page.Offers {
		out = append(out, visibleOffer(o, me, now))
	}
	return out, nil
}

// RecordOffer validates in and records a new offer authored by this device's
// member; it returns the offer as stored and as this member may see it.
// Errors: *Error naming the field (CodeRequired, CodeTooLong, CodeInvalid,
// and the item errors of a demand's form); CodeNoNetwork, CodeNotAllowed,
// CodeStorage.
func (d *Desk) RecordOffer(in OfferInput) (VisibleOffer, error) {
	supplier, region := strings.TrimSpace(in.Supplier), strings.TrimSpace(in.Region)
	name := strings.TrimSpace(in.ContactName)
	if e := noIDCard("supplier", supplier, "region", region, "contactName", name, "contactPhone", in.ContactPhone); e != nil {
		return VisibleOffer{}, e
	}
	switch {
	case supplier == "":
		return VisibleOffer{}, FieldError(CodeRequired, "supplier", "is empty")
	case relief.TooLong(supplier, relief.MaxOrg):
		return VisibleOffer{}, TooLong("supplier", relief.MaxOrg)
	case relief.TooLong(region, relief.MaxDistrict):
		return VisibleOffer{}, TooLong("region", relief.MaxDistrict)
	case relief.TooLong(name, relief.MaxContactName):
		return VisibleOffer{}, TooLong("contactName", relief.MaxContactName)
	case in.ValidDays < 0 || in.ValidDays > MaxValidDays:
		return VisibleOffer{}, FieldError(CodeInvalid, "validDays", "%d is not a number of days", in.ValidDays)
	}
	items, err := validateItems(in.Items)
	if err != nil {
		return VisibleOffer{}, err
	}
	phone, err := CleanPhone("contactPhone", in.ContactPhone)
	if err != nil {
		return VisibleOffer{}, err
	}
	fields := map[string]any{relief.FieldSupplier: supplier, relief.FieldItems: items}
	if region != "" {
		fields[relief.FieldRegion] = region
	}
	if name != "" || phone != "" {
		fields[relief.FieldContacts] = []relief.Contact{{Name: name, Phone: phone}}
	}
	if in.ValidDays > 0 {
		fields[relief.FieldValidUntil] = d.st.Now().Add(time.Duration(in.ValidDays) * 24 * time.Hour).UTC()
	}
	id := store.NewID()
	op, err := relief.SetFields(relief.KindOffer, id, fields)
	if err != nil { // the checks above keep to relief's limits: a bug if reached
		return VisibleOffer{}, &Error{Code: CodeInvalid, Message: "record offer: " + err.Error()}
	}
	if _, err := d.apply([]ledger.Op{op}); err != nil {
		return VisibleOffer{}, err
	}
	o, err := d.st.Offer(id)
	if err != nil {
		return VisibleOffer{}, AsError(err)
	}
	me, _ := d.st.Me()
	return visibleOffer(o, me, d.st.Now()), nil
}

// OfferMatches ranks the offers for demand demandID (relief.MatchOffers:
// catalog items, quantity, region, validity), best first, at most
// MaxOfferMatches. Errors: CodeNotFound naming "id"; CodeStorage.
func (d *Desk) OfferMatches(demandID string) ([]OfferMatch, error) {
	dm, err := d.st.Demand(demandID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &Error{Code: CodeNotFound, Field: "id", Message: err.Error()}
	}
	if err != nil {
		return nil, AsError(err)
	}
	os, err := d.st.Offers()
	if err != nil {
		return nil, AsError(err)
	}
	me, _ := d.st.Me()
	now := d.st.Now()
	cat := relief.DefaultCatalog()
	out := []OfferMatch{}
	for _, m := range relief.MatchOffers(cat, dm, os, now) {
		if len(out) == MaxOfferMatches {
			break
		}
		out = append(out, OfferMatch{Offer: visibleOffer(m.Offer, me, now), Score: m.Score, Why: m.Why, ItemNames: itemNames(cat, m.Why)})
	}
	return out, nil
}

// itemNames names the item keys found in why (see OfferMatch.ItemNames).
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

func visibleOffer(o relief.Offer, viewer relief.Member, now time.Time) VisibleOffer {
	p, hidden := relief.Project(o, viewer)
	hidden = withSealed(hidden, o.Sealed)
	return VisibleOffer{Offer: p, Hidden: hidden, Kind: relief.OfferKindOf(p),
		Expired: !o.ValidUntil.IsZero() && !o.ValidUntil.After(now)}
}
