package relief

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// Field names, per kind. The value type each holds is given in brackets.
const (
	FieldTitle        = "title"         // demand [string]
	FieldDescription  = "description"   // demand [string]
	FieldCategory     = "category"      // demand [string], e.g. "medical supplies"
	FieldItems        = "items"         // demand, offer [[]Item]
	FieldRequesterOrg = "requester_org" // demand [string]
	FieldDistrict     = "district"      // demand [string]
	FieldAddress      = "address"       // demand [string]
	FieldPosition     = "position"      // demand, volunteer [Position]
	FieldContacts     = "contacts"      // demand, volunteer, offer [[]Contact]
	FieldUrgency      = "urgency"       // demand [Urgency]
	FieldSource       = "source"        // demand [string], where the demand came from
	FieldReviewNotes  = "review_notes"  // demand [string]
	FieldName         = "name"          // volunteer [string]
	FieldAvailability = "availability"  // volunteer [[]Window]
	FieldRegion       = "region"        // volunteer, offer [string]
	FieldOrganisation = "organisation"  // volunteer [string]
	FieldKey          = "key"           // volunteer [ledger.DeviceID]: the volunteer's own member key, if any
	FieldNotes        = "notes"         // volunteer, offer, task [string]: personal or internal notes
	FieldSupplier     = "supplier"      // offer [string]
	FieldValidUntil   = "valid_until"   // offer [time.Time]
	FieldDemand       = "demand"        // task [string]: the demand id
	FieldSkill        = "skill"         // task [string]: the role or skill needed
	FieldOfferedTo    = "offered_to"    // task [ledger.DeviceID]
	FieldReplyBy      = "reply_by"      // task [time.Time]
	// FieldSourceFields holds the cells of an imported row that no other
	// field holds, verbatim, in the order of the sheet's columns: demand,
	// offer [[]SourceField].
	FieldSourceFields = "source_fields"
)

// Set names.
const (
	SetTags     = "tags"     // demand, volunteer, offer
	SetSkills   = "skills"   // volunteer
	SetTraining = "training" // volunteer
)

// Item is one line of a demand or an offer. Needed nil means "needed, quantity
// unknown" (as many 2020 sheets said). Received is not stored with the item: it is
// folded from progress steps, matched by Name.
type Item struct {
	Name     string   `cbor:"1,keyasint" json:"name"`
	Spec     string   `cbor:"2,keyasint,omitempty" json:"spec"`
	Unit     string   `cbor:"3,keyasint,omitempty" json:"unit"`
	Needed   *float64 `cbor:"4,keyasint,omitempty" json:"needed"`
	Received float64  `cbor:"-" json:"received"`
}

// Contact is a person to call about a demand, a volunteer or an offer.
type Contact struct {
	Name  string `cbor:"1,keyasint" json:"name"`
	Phone string `cbor:"2,keyasint,omitempty" json:"phone"`
	Role  string `cbor:"3,keyasint,omitempty" json:"role"`
	// Kind is "" for a phone number (Phone in E.164, an extension after
	// ";ext=", or as written when it is not a valid number), or
	// ContactWeChat, ContactQQ or ContactEmail: Phone then holds the WeChat
	// id, the QQ number or the e-mail address. A peer checks no kind (the
	// contacts' check counts characters only), so a kind a peer does not
	// know is kept and shown as its Phone.
	Kind string `cbor:"4,keyasint,omitempty" json:"kind,omitempty"`
}

// ContactRoleInText is the Role (or the end of the Role) of a phone number
// the importer found in a cell of free text (a remark, another column) of a
// row that has a contact phone of its own: kept, sealed, with the contacts,
// and said to be from the sheet's text, in both languages. For the
// similar-demand rules (Likeness) such a number matches only another
// demand's own number, never another number found in text: a hotline or a
// coordinator's number written in every row's remark does not make every
// row a possible duplicate of the others. A person who edits the contact
// makes it an own contact by taking the words out.
const ContactRoleInText = "原表文字中的号码 number in the sheet's text"

// FoundInText reports whether c is a phone number found in a sheet's text
// (its Role ends with ContactRoleInText).
func FoundInText(c Contact) bool {
	return c.Kind == "" && strings.HasSuffix(c.Role, ContactRoleInText)
}

// MarkFoundInText returns c marked as found in a sheet's text
// (FoundInText): ContactRoleInText after its role, if any.
func MarkFoundInText(c Contact) Contact {
	if !FoundInText(c) {
		c.Role = strings.TrimSpace(c.Role + " " + ContactRoleInText)
	}
	return c
}

// ContactRoleServiceLine is the Role (or the end of the Role) of a phone
// number the importer found given as the phone of most rows of a sheet, or
// a short number (12345, 120) in its phone column: a service line or a
// coordinator's number, not the row's own. Kept with the contacts, it is
// never used to find similar demands (Likeness). A person who edits the
// contact makes it an own contact by taking the words out.
const ContactRoleServiceLine = "服务热线 service line"

// ServiceLine reports whether c is a phone number marked as a service line
// (its Role ends with ContactRoleServiceLine).
func ServiceLine(c Contact) bool {
	return c.Kind == "" && strings.HasSuffix(c.Role, ContactRoleServiceLine)
}

// MarkServiceLine returns c marked as a service line (ServiceLine):
// ContactRoleServiceLine after its role, if any.
func MarkServiceLine(c Contact) Contact {
	if !ServiceLine(c) {
		c.Role = strings.TrimSpace(c.Role + " " + ContactRoleServiceLine)
	}
	return c
}

// SourceField is one cell of an imported sheet kept as written: the
// column's header (or its HXL tag, or its letter when it has neither) and
// the cell's text. Column is at most MaxSourceColumn characters, Value at
// most MaxText.
type SourceField struct {
	Column string `cbor:"1,keyasint" json:"column"`
	Value  string `cbor:"2,keyasint" json:"value"`
}

// Kinds of Contact that are not phone numbers.
const (
	ContactWeChat = "wechat" // Phone is a WeChat id ("微信: abc_123")
	ContactQQ     = "qq"     // Phone is a QQ number
	ContactEmail  = "email"  // Phone is an e-mail address ("li@example.org")
	// ContactIDCard: Phone is an 18-character PRC resident identity card
	// number (身份证号, its check character an upper-case "X" or a digit)
	// the importer found in a cell of text and sealed with the contacts.
	// A peer of an earlier version shows it as its Phone, to those who open
	// the sealed contacts only.
	ContactIDCard = "id_card"
)

// Position is an exact location in WGS 84 degrees.
type Position struct {
	Lat float64 `cbor:"1,keyasint" json:"lat"`
	Lon float64 `cbor:"2,keyasint" json:"lon"`
}

// Window is a weekly availability window: Day, from From to To minutes after
// local midnight (0 ≤ From < To ≤ 1440).
type Window struct {
	Day  time.Weekday `cbor:"1,keyasint" json:"day"`
	From int          `cbor:"2,keyasint" json:"from"`
	To   int          `cbor:"3,keyasint" json:"to"`
}

type kindSpec struct {
	fields map[string]func([]byte) error
	sets   []string
	rules  []Rule // nil: no lifecycle
}

// kinds is the schema: for each kind, its fields with their value checks, its
// sets and its lifecycle table. Member records take member ops only.
var kinds = map[string]kindSpec{
	KindDemand: {
		fields: map[string]func([]byte) error{
			FieldTitle: text(MaxTitle), FieldDescription: text(MaxDescription), FieldCategory: text(MaxCategory),
			FieldItems: items, FieldRequesterOrg: text(MaxOrg), FieldDistrict: text(MaxDistrict),
			FieldAddress: text(MaxAddress), FieldPosition: position, FieldContacts: contacts,
			FieldUrgency: urgency, FieldSource: text(MaxSource), FieldReviewNotes: text(MaxText),
			FieldSourceFields: sourceFields,
		},
		sets:  []string{SetTags},
		rules: Rules,
	},
	KindVolunteer: {
		fields: map[string]func([]byte) error{
			FieldName: text(MaxOrg), FieldContacts: contacts, FieldAvailability: windows,
			FieldRegion: text(MaxDistrict), FieldPosition: position, FieldOrganisation: text(MaxOrg),
			FieldKey: deviceID, FieldNotes: text(MaxText),
			FieldEmergencyContacts: contacts,
		},
		sets: []string{SetSkills, SetTraining, SetTags},
	},
	KindOffer: {
		fields: map[string]func([]byte) error{
			FieldSupplier: text(MaxOrg), FieldItems: items, FieldRegion: text(MaxDistrict),
			FieldContacts: contacts, FieldValidUntil: millis, FieldNotes: text(MaxText),
			FieldSourceFields: sourceFields,
			FieldPartner:      text(MaxIDLen),
		},
		sets: []string{SetTags},
	},
	KindTask: {
		fields: map[string]func([]byte) error{
			FieldDemand: text(MaxIDLen), FieldSkill: text(MaxCategory), FieldOfferedTo: deviceID,
			FieldReplyBy: millis, FieldNotes: text(MaxText),
			FieldPlannedReturn: millis,
		},
		rules: TaskRules,
	},
	KindMember: {},
	KindCovenant: {
		fields: map[string]func([]byte) error{FieldTitle: text(MaxTitle), FieldCovenantText: text(MaxCovenantText)},
		rules:  CovenantRules,
	},
	KindPartner: {
		fields: map[string]func([]byte) error{
			FieldName: text(MaxOrg), FieldPartnerType: partnerType, FieldContacts: contacts,
			FieldCovenant: text(MaxIDLen), FieldVouchedBy: deviceID, FieldNotes: text(MaxText),
		},
		sets: []string{SetTags},
	},
	KindGroup: {
		fields: map[string]func([]byte) error{FieldName: text(MaxOrg), FieldFunction: text(MaxCategory), FieldLead: deviceID},
		sets:   []string{SetMembers, SetCategories, SetSkills},
		rules:  GroupRules,
	},
}

// text checks a text field of at most max characters (see limits.go).
func text(max int) func([]byte) error {
	return func(b []byte) error {
		if p, ok := wireText(b); ok { // valid UTF-8 text, read without reflection (ops_wire.go)
			if len(p) > max && utf8.RuneCount(p) > max {
				return fmt.Errorf("text longer than %d characters or not UTF-8", max)
			}
			return nil
		}
		var s string
		if err := decMode.Unmarshal(b, &s); err != nil {
			return err
		}
		if !utf8.ValidString(s) || TooLong(s, max) {
			return fmt.Errorf("text longer than %d characters or not UTF-8", max)
		}
		return nil
	}
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func items(b []byte) error {
	if itemsValidWire(b) { // checked in place, nothing decoded (ops_wire.go)
		return nil
	}
	v, ok := itemsWire(b) // without reflection where it can (ops_wire.go)
	if !ok {
		v = nil
		if err := decMode.Unmarshal(b, &v); err != nil {
			return err
		}
	}
	return checkItems(v)
}

// checkItems checks a decoded list of items.
func checkItems(v []Item) error {
	if len(v) > MaxItems {
		return errors.New("too many items")
	}
	for _, it := range v {
		if it.Name == "" || runes(it.Name)+runes(it.Spec)+runes(it.Unit) > MaxItemText {
			return fmt.Errorf("bad item %q", it.Name)
		}
		if it.Needed != nil && (!finite(*it.Needed) || *it.Needed < 0) {
			return fmt.Errorf("item %q: bad quantity", it.Name)
		}
	}
	return nil
}

func contacts(b []byte) error {
	if contactsValidWire(b) { // checked in place, nothing decoded (ops_wire.go)
		return nil
	}
	v, ok := contactsWire(b) // without reflection where it can (ops_wire.go)
	if !ok {
		v = nil
		if err := decMode.Unmarshal(b, &v); err != nil {
			return err
		}
	}
	return checkContacts(v)
}

// checkContacts checks a decoded list of contacts.
func checkContacts(v []Contact) error {
	if len(v) > MaxContacts {
		return errors.New("too many contacts")
	}
	for _, c := range v {
		if runes(c.Name)+runes(c.Phone)+runes(c.Role) > MaxContactText {
			return errors.New("contact too long")
		}
	}
	return nil
}

// sourceFields checks a list of source fields: at most MaxSourceFields,
// each with a column of at most MaxSourceColumn and a value of at most
// MaxText characters, valid UTF-8.
func sourceFields(b []byte) error {
	var v []SourceField
	if err := decMode.Unmarshal(b, &v); err != nil {
		return err
	}
	if len(v) > MaxSourceFields {
		return errors.New("too many source fields")
	}
	for _, f := range v {
		if !utf8.ValidString(f.Column) || !utf8.ValidString(f.Value) || runes(f.Column) > MaxSourceColumn || runes(f.Value) > MaxText {
			return fmt.Errorf("source field %q too long or not UTF-8", f.Column)
		}
	}
	return nil
}

func runes(s string) int { return utf8.RuneCountInString(s) }

func position(b []byte) error {
	var p Position
	if err := decMode.Unmarshal(b, &p); err != nil {
		return err
	}
	if !finite(p.Lat) || !finite(p.Lon) || p.Lat < -90 || p.Lat > 90 || p.Lon < -180 || p.Lon > 180 {
		return fmt.Errorf("bad position %v", p)
	}
	return nil
}

func windows(b []byte) error {
	var v []Window
	if err := decMode.Unmarshal(b, &v); err != nil {
		return err
	}
	if len(v) > 100 {
		return errors.New("too many windows")
	}
	for _, w := range v {
		if w.Day < time.Sunday || w.Day > time.Saturday || w.From < 0 || w.From >= w.To || w.To > 24*60 {
			return fmt.Errorf("bad window %v", w)
		}
	}
	return nil
}

func urgency(b []byte) error {
	var u Urgency
	if err := decMode.Unmarshal(b, &u); err != nil {
		return err
	}
	if !u.Valid() {
		return fmt.Errorf("bad urgency %q", u)
	}
	return nil
}

func deviceID(b []byte) error {
	var v []byte
	if err := decMode.Unmarshal(b, &v); err != nil {
		return err
	}
	if len(v) != 32 {
		return fmt.Errorf("device id of %d bytes", len(v))
	}
	return nil
}

func millis(b []byte) error {
	var v int64
	return decMode.Unmarshal(b, &v)
}

// FieldPlace is where a demand or an offer is, as an administrative
// hierarchy [Place] (issue 13): the free-text district (demand) and region
// (offer) stay as written beside it.
const FieldPlace = "place" // demand, offer [Place]

// MaxPlaceName is the limit of each name of a Place.
const MaxPlaceName = 100

// Place is a place as an administrative hierarchy: country (empty for
// China), province (省, 自治区, 直辖市), city (地级市, 自治州; the
// municipality's own name for its districts), county (区, 县, 县级市, 旗) and
// Code, the GB/T 2260 division code of the most specific level resolved
// ("420881" for 湖北省/荆门市/钟祥市; "" when the names were kept as written
// without resolving, as for places outside China).
type Place struct {
	Code     string `cbor:"1,keyasint,omitempty" json:"code"`
	Country  string `cbor:"2,keyasint,omitempty" json:"country"`
	Province string `cbor:"3,keyasint,omitempty" json:"province"`
	City     string `cbor:"4,keyasint,omitempty" json:"city"`
	County   string `cbor:"5,keyasint,omitempty" json:"county"`
}

// IsZero reports whether p names no place.
func (p Place) IsZero() bool { return p == Place{} }

// Path returns p's names from the country down, leaving out the empty ones.
func (p Place) Path() []string {
	var out []string
	for _, s := range []string{p.Country, p.Province, p.City, p.County} {
		if s != "" && (len(out) == 0 || out[len(out)-1] != s) {
			out = append(out, s)
		}
	}
	return out
}

// Within reports whether p, with the free-text district beside it (a
// demand's District, an offer's Region; may be ""), lies in region q: q is a
// division code, matched as a prefix of p's Code ("42" is every place in
// 湖北省, "4208" in 荆门市), or names separated by "/" that match a run of
// p's path with the district appended, from any level ("湖北省", "湖北省/荆门市",
// "荆门市", "荆门市/钟祥市", "湖北/荆门"), each name equal once normalised and
// without its administrative suffix (placeKey).
// An empty q matches every place.
func (p Place) Within(q, district string) bool {
	q = strings.TrimSpace(q)
	if q == "" {
		return true
	}
	if isDigits(q) {
		return p.Code != "" && strings.HasPrefix(p.Code, q)
	}
	path := p.Path()
	if d := strings.TrimSpace(district); d != "" && (len(path) == 0 || NormalizeName(path[len(path)-1]) != NormalizeName(d)) {
		path = append(path, d)
	}
	var want []string
	for _, s := range strings.Split(q, "/") {
		if s = placeKey(s); s != "" {
			want = append(want, s)
		}
	}
	if len(want) == 0 {
		return true
	}
	for i := 0; i+len(want) <= len(path); i++ {
		ok := true
		for j, w := range want {
			if placeKey(path[i+j]) != w {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// placeSuffixes are the administrative suffixes people leave out: 湖北省
// is written 湖北, 荆门市 荆门.
var placeSuffixes = []string{"特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "区", "县", "旗", "盟"}

// placeKey is name normalised (NormalizeName) without its administrative
// suffix, when two characters or more remain.
func placeKey(name string) string {
	k := NormalizeName(name)
	for _, suf := range placeSuffixes {
		if t, ok := strings.CutSuffix(k, suf); ok && utf8.RuneCountInString(t) >= 2 {
			return t
		}
	}
	return k
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func place(b []byte) error {
	var p Place
	if err := decMode.Unmarshal(b, &p); err != nil {
		return err
	}
	for _, s := range []string{p.Code, p.Country, p.Province, p.City, p.County} {
		if !utf8.ValidString(s) || TooLong(s, MaxPlaceName) {
			return fmt.Errorf("place name longer than %d characters or not UTF-8", MaxPlaceName)
		}
	}
	return nil
}

func init() {
	kinds[KindDemand].fields[FieldPlace] = place
	kinds[KindOffer].fields[FieldPlace] = place
}
