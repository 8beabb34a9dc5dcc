package app

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// Field length limits, in characters (runes), for recorded demands.
const (
	MaxTitleLen    = 200
	MaxDistrictLen = 60
	MaxItemNameLen = 100
	MaxUnitLen     = 20
	MaxItems       = 100
	MaxOrgLen      = 200
	MaxAddressLen  = 300
	MaxDescLen     = 2000
	MaxContactLen  = 60
	MaxContacts    = 10 // contacts per demand: the first one and up to 9 more
)

// ContactInput is one more contact of the demand form (beyond the first, in
// DemandInput.ContactName and ContactPhone): a name and a phone number, either
// may be empty but not both.
type ContactInput struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// ItemInput is one line of the demand form. Quantity is the text typed by the
// user: empty means "needed, quantity unknown"; otherwise a number ≥ 0
// (full-width digits such as "５００" are accepted).
type ItemInput struct {
	Name     string `json:"name"`
	Quantity string `json:"quantity"`
	Unit     string `json:"unit"`
}

// DemandInput is what the "record a demand" form sends. Title, category and at
// least one item are required; the rest is optional. Urgency is one of low,
// normal (default), high, critical. The contact is restricted information:
// only reviewers, coordinators and the demand's owner see it.
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
}

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
	Status    string     `json:"status"`
	Urgency   string     `json:"urgency"`
	Items     []ItemView `json:"items"`
	CreatedAt int64      `json:"createdAt"` // Unix milliseconds
}

// DemandQuery filters the demand list; empty fields match everything. Text
// matches title, code, district, organisation, address and item names as a
// substring (Chinese included). Offset and Limit select a page, newest first;
// Limit 0 means DefaultPage, and at most MaxPage are returned.
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
}

// Page sizes of the demand list.
const (
	DefaultPage = 100
	MaxPage     = 1000
)

// DemandPage is one page of the demand list and how many match in all.
type DemandPage struct {
	Items []DemandSummary `json:"items"`
	Total int             `json:"total"`
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

// List returns one page of the demands that match q, newest first, and how
// many match in all.
func (s *DemandService) List(q DemandQuery) (DemandPage, error) {
	st, err := s.a.store()
	if err != nil {
		return DemandPage{}, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultPage
	}
	owner := q.Owner
	if owner == "me" {
		owner = st.Device().String()
	}
	sq := store.DemandQuery{
		Status: relief.Status(q.Status), Category: q.Category, District: strings.TrimSpace(q.District), Owner: owner,
		Text: q.Text, Offset: max(q.Offset, 0), Limit: min(limit, MaxPage),
	}
	var ds []relief.Demand
	var total int
	if q.Urgency == "" && !q.Overdue && q.Sort == "" {
		ds, total, err = st.DemandsPage(sq) // the store's indexes answer directly
	} else {
		ds, total, err = filterAndSort(st, sq, q)
	}
	if err != nil {
		return DemandPage{}, asError(err)
	}
	out := DemandPage{Items: make([]DemandSummary, len(ds)), Total: total}
	for i, d := range ds {
		out.Items[i] = summarize(d)
	}
	return out, nil
}

// Record validates in and records it as a new demand in status "collected".
// Errors: *Error with CodeRequired, CodeNotNumber, CodeNegative, CodeTooLong or
// CodeInvalid naming the field (e.g. "items[1].quantity"); CodeNoNetwork before
// a network exists. Nothing is stored when validation fails.
func (s *DemandService) Record(in DemandInput) (DemandSummary, error) {
	d, err := ValidateDemand(in)
	if err != nil {
		return DemandSummary{}, err
	}
	st, err := s.a.store()
	if err != nil {
		return DemandSummary{}, err
	}
	if _, ok := st.Network(); !ok {
		return DemandSummary{}, &Error{Code: CodeNoNetwork, Message: "create or join a network first"}
	}
	rec, err := st.RecordDemand(d)
	if err != nil {
		return DemandSummary{}, asError(err)
	}
	return summarize(rec), nil
}

// ValidateDemand checks a form submission and returns the demand to record.
// The first problem found is returned as an *Error naming its field.
func ValidateDemand(in DemandInput) (relief.Demand, error) {
	var d relief.Demand
	d.Title = strings.TrimSpace(in.Title)
	d.District = strings.TrimSpace(in.District)
	d.Category = strings.TrimSpace(in.Category)
	d.Urgency = relief.Urgency(strings.TrimSpace(in.Urgency))
	d.RequesterOrg = strings.TrimSpace(in.RequesterOrg)
	d.Address = strings.TrimSpace(in.Address)
	d.Description = strings.TrimSpace(in.Description)
	phone, err := cleanPhone("contactPhone", in.ContactPhone)
	if err != nil {
		return d, err
	}
	if name := strings.TrimSpace(in.ContactName); name != "" || phone != "" {
		d.Contacts = []relief.Contact{{Name: name, Phone: phone}}
	}
	for i, c := range in.MoreContacts {
		field := "moreContacts[" + strconv.Itoa(i) + "]"
		p, err := cleanPhone(field+".phone", c.Phone)
		if err != nil {
			return d, err
		}
		name := strings.TrimSpace(c.Name)
		switch {
		case name == "" && p == "":
			continue
		case utf8.RuneCountInString(name) > MaxContactLen:
			return d, tooLong(field+".name", MaxContactLen)
		case len(d.Contacts) == MaxContacts:
			return d, fieldError(CodeInvalid, field, "more than %d contacts", MaxContacts)
		}
		d.Contacts = append(d.Contacts, relief.Contact{Name: name, Phone: p})
	}
	switch {
	case d.Title == "":
		return d, fieldError(CodeRequired, "title", "is empty")
	case utf8.RuneCountInString(d.Title) > MaxTitleLen:
		return d, tooLong("title", MaxTitleLen)
	case d.Category == "":
		return d, fieldError(CodeRequired, "category", "is empty")
	case !relief.ValidCategory(d.Category):
		return d, fieldError(CodeInvalid, "category", "%q is not a category", in.Category)
	case utf8.RuneCountInString(d.District) > MaxDistrictLen:
		return d, tooLong("district", MaxDistrictLen)
	case in.Urgency != "" && !relief.Urgency(in.Urgency).Valid():
		return d, fieldError(CodeInvalid, "urgency", "%q is not an urgency", in.Urgency)
	case utf8.RuneCountInString(in.RequesterOrg) > MaxOrgLen:
		return d, tooLong("requesterOrg", MaxOrgLen)
	case utf8.RuneCountInString(in.Address) > MaxAddressLen:
		return d, tooLong("address", MaxAddressLen)
	case utf8.RuneCountInString(in.Description) > MaxDescLen:
		return d, tooLong("description", MaxDescLen)
	case utf8.RuneCountInString(in.ContactName) > MaxContactLen:
		return d, tooLong("contactName", MaxContactLen)
	}
	items, err := validateItems(in.Items)
	if err != nil {
		return d, err
	}
	d.Items = items
	return d, nil
}

// validateItems checks the item lines of a demand or offer form: at least one,
// at most MaxItems, each named; quantities as parseQuantity reads them. The
// first problem is an *Error naming its field ("items[1].quantity").
func validateItems(in []ItemInput) ([]relief.Item, error) {
	switch {
	case len(in) == 0:
		return nil, fieldError(CodeRequired, "items", "at least one item is needed")
	case len(in) > MaxItems:
		return nil, fieldError(CodeTooLong, "items", "more than %d items", MaxItems).Because(ReasonMaxItems, "max", strconv.Itoa(MaxItems))
	}
	var out []relief.Item
	for i, it := range in {
		f := func(name string) string { return "items[" + strconv.Itoa(i) + "]." + name }
		name := strings.TrimSpace(it.Name)
		unit := strings.TrimSpace(it.Unit)
		switch {
		case name == "":
			return nil, fieldError(CodeRequired, f("name"), "is empty")
		case utf8.RuneCountInString(name) > MaxItemNameLen:
			return nil, tooLong(f("name"), MaxItemNameLen)
		case utf8.RuneCountInString(unit) > MaxUnitLen:
			return nil, tooLong(f("unit"), MaxUnitLen)
		}
		needed, err := parseQuantity(f("quantity"), it.Quantity)
		if err != nil {
			return nil, err
		}
		out = append(out, relief.Item{Name: name, Unit: unit, Needed: needed})
	}
	return out, nil
}

// parseQuantity reads a quantity typed in a form: empty is nil ("needed,
// quantity unknown"); otherwise a finite number ≥ 0 as importer.ParseQuantity
// reads it, with nothing after it: "500", full-width "５００", "2,000",
// "5万" (50000), "1.5万" (15000), "两千" (2000), "三百" (300). Errors are
// CodeNotNumber or CodeNegative naming field.
func parseQuantity(field, text string) (*float64, error) {
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
			return nil, fieldError(CodeNotNumber, field, "%q is not a number", text)
		}
		if neg {
			n = -n
		}
	}
	if math.IsNaN(n) || math.IsInf(n, 0) {
		return nil, fieldError(CodeNotNumber, field, "%q is not a number", text)
	}
	if n < 0 {
		return nil, fieldError(CodeNegative, field, "%v is below zero", n)
	}
	return &n, nil
}

func summarize(d relief.Demand) DemandSummary {
	items := make([]ItemView, len(d.Items))
	for i, it := range d.Items {
		items[i] = ItemView{Name: it.Name, Unit: it.Unit, Needed: it.Needed, Received: it.Received}
	}
	return DemandSummary{
		ID: d.ID, Code: d.Code, Title: d.Title, Category: d.Category, District: d.District,
		Status: string(d.Status), Urgency: string(d.Urgency), Items: items,
		CreatedAt: d.CreatedAt.Wall,
	}
}

// cleanPhone normalises a phone number typed in a form (importer.CleanPhone,
// on nyaruka/phonenumbers: "+86 189 0000 0000", "（+86）18900000000", full-width
// digits, "027-85726035") to E.164; empty stays empty. Errors name the field.
func cleanPhone(field, phone string) (string, error) {
	if strings.TrimSpace(phone) == "" {
		return "", nil
	}
	n, _, err := importer.CleanPhone(phone, "CN")
	if err != nil {
		return "", fieldError(CodeInvalid, field, "%q: %v", phone, err)
	}
	return n, nil
}

// urgencyRank orders urgencies, most urgent first.
var urgencyRank = map[relief.Urgency]int{relief.UrgencyCritical: 0, relief.UrgencyHigh: 1, relief.UrgencyNormal: 2, "": 2, relief.UrgencyLow: 3}

// filterAndSort answers the filters and orders the store's indexes do not
// keep (urgency, overdue, sort by urgency or reply-by): it takes the keys of
// every match of the indexed filters (store.DemandKeys: id, urgency, reply-by,
// from memory), filters and orders the keys here, and copies only the page's
// demands.
func filterAndSort(st *store.Store, sq store.DemandQuery, q DemandQuery) ([]relief.Demand, int, error) {
	offset, limit := sq.Offset, sq.Limit
	keys := st.DemandKeys(sq)
	now := st.Now()
	out := keys[:0]
	for _, k := range keys {
		if q.Urgency != "" && string(k.Urgency) != q.Urgency {
			continue
		}
		if q.Overdue && (k.ReplyBy.IsZero() || !k.ReplyBy.Before(now)) {
			continue
		}
		out = append(out, k)
	}
	switch q.Sort {
	case "urgency": // a stable pass per urgency: O(n), no comparisons
		var byRank [4][]store.DemandKey
		for _, k := range out {
			byRank[urgencyRank[k.Urgency]] = append(byRank[urgencyRank[k.Urgency]], k)
		}
		out = slices.Concat(byRank[:]...)
	case "replyBy":
		slices.SortStableFunc(out, func(a, b store.DemandKey) int {
			switch {
			case a.ReplyBy.IsZero() || b.ReplyBy.IsZero(): // waiting for nobody: last
				return cmp.Compare(boolInt(a.ReplyBy.IsZero()), boolInt(b.ReplyBy.IsZero()))
			}
			return a.ReplyBy.Compare(b.ReplyBy)
		})
	}
	total := len(out)
	offset = min(offset, total)
	page := out[offset:min(total, offset+limit)]
	ids := make([]string, len(page))
	for i, k := range page {
		ids[i] = k.ID
	}
	return st.DemandsByID(ids), total, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// MaxMessageLen is the longest chat message ParseMessage accepts, in characters.
const MaxMessageLen = 5000

// ParseMessage reads a demand from a pasted chat message ("武汉市第一医院急需
// N95口罩5000个，防护服200套，联系人王老师 138…，地址…") and returns the form
// prefilled with what it found, for the user to confirm or correct: nothing
// is recorded. Quantities come back as text; the contact is the first one the
// message names; text that was not used is dropped, not put in the
// description, since the description is public and a name alone on a line
// would be published. Errors:
// CodeRequired naming "text" when it is empty; CodeTooLong when it is longer
// than MaxMessageLen.
func (s *DemandService) ParseMessage(text string) (DemandInput, error) {
	switch {
	case strings.TrimSpace(text) == "":
		return DemandInput{}, fieldError(CodeRequired, "text", "is empty")
	case utf8.RuneCountInString(text) > MaxMessageLen:
		return DemandInput{}, tooLong("text", MaxMessageLen)
	}
	d, _ := importer.ParseMessage(text)
	return draftInput(d), nil
}

// draftInput turns a draft into the form's input, cut to the form's limits.
func draftInput(d importer.Draft) DemandInput {
	in := DemandInput{
		Title: cut(d.Title, MaxTitleLen), Category: d.Category, District: cut(d.District, MaxDistrictLen),
		Urgency: string(d.Urgency), RequesterOrg: cut(d.Org, MaxOrgLen), Address: cut(d.Address, MaxAddressLen),
		Items: []ItemInput{},
	}
	if in.Urgency == "" {
		in.Urgency = string(relief.UrgencyNormal)
	}
	in.MoreContacts = []ContactInput{}
	for i, c := range d.Contacts {
		if i == MaxContacts {
			break
		}
		name := cut(strings.TrimSpace(c.Role+" "+c.Name), MaxContactLen)
		if i == 0 {
			in.ContactName, in.ContactPhone = name, c.Phone
			continue
		}
		in.MoreContacts = append(in.MoreContacts, ContactInput{Name: name, Phone: c.Phone})
	}
	for i, it := range d.Items {
		if i == MaxItems {
			break
		}
		q := ""
		if it.Needed != nil {
			q = strconv.FormatFloat(*it.Needed, 'f', -1, 64)
		}
		in.Items = append(in.Items, ItemInput{Name: cut(it.Name, MaxItemNameLen), Quantity: q, Unit: cut(it.Unit, MaxUnitLen)})
	}
	return in
}

// cut shortens s to at most n characters.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// SimilarView is a demand already recorded that a new one probably repeats.
type SimilarView struct {
	ID      string   `json:"id"`
	Code    string   `json:"code"`
	Title   string   `json:"title"`
	Reasons []string `json:"reasons"` // e.g. "same organisation", "same phone +86…", "close address"
}

// Similar warns, before recording, when in looks like a demand already
// recorded: same organisation once normalised, same phone, or a close address
// (the importer's rules). It returns nil when none is found. Recording is
// still allowed: a reviewer decides.
func (s *DemandService) Similar(in DemandInput) (*SimilarView, error) {
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	r := importer.Record{Kind: relief.KindDemand, Org: strings.TrimSpace(in.RequesterOrg), Address: strings.TrimSpace(in.Address),
		District: strings.TrimSpace(in.District)}
	if phone, err := cleanPhone("contactPhone", in.ContactPhone); err == nil && phone != "" {
		r.Contacts = []relief.Contact{{Name: strings.TrimSpace(in.ContactName), Phone: phone}}
	}
	for _, c := range in.MoreContacts {
		if phone, err := cleanPhone("phone", c.Phone); err == nil && phone != "" {
			r.Contacts = append(r.Contacts, relief.Contact{Name: strings.TrimSpace(c.Name), Phone: phone})
		}
	}
	if r.Org == "" && r.Address == "" && len(r.Contacts) == 0 {
		return nil, nil
	}
	all, err := st.Demands(store.DemandQuery{})
	if err != nil {
		return nil, asError(err)
	}
	dup, ok := importer.Similar(all, r)
	if !ok {
		return nil, nil
	}
	v := &SimilarView{ID: dup.Original, Code: dup.OriginalCode, Title: dup.OriginalOrg, Reasons: dup.Reasons}
	if d, err := st.Demand(dup.Original); err == nil {
		v.Title = d.Title
	}
	return v, nil
}
