package relief

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// TagPossibleDuplicate tags a demand stored because it probably duplicates
// another (an import flags it so); its review note names the likely
// original. A demand so tagged, or in StatusDuplicate, is never an original
// for the similar-demand rules (see IsOriginal).
const TagPossibleDuplicate = "possible_duplicate"

// MinSimilarAddress is the length, in characters once normalised
// (AddressKey), below which an address says too little to tell one place
// from another: such an address is never compared.
const MinSimilarAddress = 8

// Reasons a demand is probably the same as another, as Likeness.Reasons
// gives them; a shared phone is ReasonPhone followed by the number.
const (
	ReasonOrg     = "same organisation"
	ReasonPhone   = "same phone "
	ReasonAddress = "close address"
)

// Likeness is what the similar-demand rules compare of a demand (or of a
// record or a form not yet stored), once normalised. Two demands are
// probably the same (Reasons) when they name the same organisation in the
// same place and district, share a full phone number, or have close
// addresses with the same house numbers. Computing it costs a few regular
// expressions; comparing two is cheap.
type Likeness struct {
	Org      string // the organisation once normalised (OrgKey); "" for none
	Place    string // the most specific place its name starts with (city, else province); "" for none
	District string // the district as written; "" for none
	// Phones are the full phone numbers (SimilarPhone), distinct, in the
	// order given: first the demand's own (a contact column, the form),
	// then the last InText of them, found only in its text (FoundInText).
	Phones  []string
	InText  int    // how many of Phones, at their end, were found only in the demand's text
	Address string // the address once normalised (AddressKey); "" when shorter than MinSimilarAddress characters
}

// LikenessOf returns the likeness of a demand, record or form naming
// organisation org in district at address, with contacts. A phone of a
// contact found in text (FoundInText) counts as such unless another
// contact has it as its own. A service line (ServiceLine) is no phone of
// the demand's.
func LikenessOf(org, district, address string, contacts []Contact) Likeness {
	l := Likeness{District: district}
	l.Org, l.Place = orgParts(org)
	if l.Org == "" {
		l.Place = ""
	}
	for _, c := range contacts {
		if !FoundInText(c) && !ServiceLine(c) && SimilarPhone(c.Phone) && !slices.Contains(l.Phones, c.Phone) {
			l.Phones = append(l.Phones, c.Phone)
		}
	}
	own := len(l.Phones)
	for _, c := range contacts {
		if FoundInText(c) && SimilarPhone(c.Phone) && !slices.Contains(l.Phones, c.Phone) {
			l.Phones = append(l.Phones, c.Phone)
		}
	}
	l.InText = len(l.Phones) - own
	if a := AddressKey(address); utf8.RuneCountInString(a) >= MinSimilarAddress {
		l.Address = a
	}
	return l
}

// DemandLikeness is LikenessOf a stored demand: its requester organisation,
// or its title when it names none.
func DemandLikeness(d Demand) Likeness {
	org := d.RequesterOrg
	if org == "" {
		org = d.Title
	}
	return LikenessOf(org, d.District, d.Address, d.Contacts)
}

// IsOriginal reports whether d may be the original another demand repeats:
// it is neither tagged TagPossibleDuplicate nor marked a duplicate.
func IsOriginal(d Demand) bool {
	return d.Status != StatusDuplicate && !slices.Contains(d.Tags, TagPossibleDuplicate)
}

// OwnPhones returns the phones of l that are the demand's own (a contact
// column, the form): Phones but the last InText.
func (l Likeness) OwnPhones() []string { return l.Phones[:len(l.Phones)-l.InText] }

// TextPhones returns the phones of l found only in the demand's text
// (FoundInText): the last InText of Phones.
func (l Likeness) TextPhones() []string { return l.Phones[len(l.Phones)-l.InText:] }

// Keys returns the keys under which an index holds l: one for the
// organisation, one per phone (an own phone's and a phone found in text's
// differ), one for the address (its first house number, or the whole
// address when it has none). An index is searched for the likenesses that
// l may repeat by l.LookupKeys, which differ from Keys by the phones: when
// l.Reasons(o) is not empty, some key of l.LookupKeys is one of o.Keys, so
// an index by key finds every candidate; sharing a key does not make them
// similar (Reasons decides). Keys of different kinds never collide; the
// address's key is the last.
func (l Likeness) Keys() []string {
	var ks []string
	if l.Org != "" {
		ks = append(ks, "o\x00"+l.Org)
	}
	for _, p := range l.OwnPhones() {
		ks = append(ks, "p\x00"+p)
	}
	for _, p := range l.TextPhones() {
		ks = append(ks, "t\x00"+p)
	}
	if l.Address != "" {
		ks = append(ks, "a\x00"+addressBucket(l.Address))
	}
	return ks
}

// LookupKeys returns the keys to look l up by in an index by Keys: those
// of Keys, but a phone of l's own is looked up among the own phones and
// the phones found in text of the others, and a phone found in text among
// their own phones only (a number found in text matches only another
// demand's own number: a hotline written in every row's remark does not
// make every row a duplicate of the others). The address's key is the
// last.
func (l Likeness) LookupKeys() []string {
	var ks []string
	if l.Org != "" {
		ks = append(ks, "o\x00"+l.Org)
	}
	for _, p := range l.OwnPhones() {
		ks = append(ks, "p\x00"+p, "t\x00"+p)
	}
	for _, p := range l.TextPhones() {
		ks = append(ks, "p\x00"+p)
	}
	if l.Address != "" {
		ks = append(ks, "a\x00"+addressBucket(l.Address))
	}
	return ks
}

// Reasons returns why a demand of likeness l probably repeats one of
// likeness orig, in this order: ReasonOrg (same organisation once
// normalised, their districts and the places their names start with not
// differing), ReasonPhone and the number for each phone of l that orig has,
// ReasonAddress (CloseAddress). It returns nil when none holds. A phone is
// shared when one of the two has it as its own (OwnPhones): two phones
// found only in text (TextPhones) are never a reason.
func (l Likeness) Reasons(orig Likeness) []string {
	rs := l.FlagReasons(orig)
	if l.Address != "" && orig.Address != "" && CloseAddress(l.Address, orig.Address) {
		rs = append(rs, ReasonAddress)
	}
	return rs
}

// FlagKeys returns the keys of l that the duplicate flag every peer keeps
// compares by (DuplicateFlaggable): the organisation's and the phones', not
// the address's. A shared house number puts thousands of demands in one
// address bucket, too many to compare with each demand that arrives; an
// address alone still warns on the form and in an import.
func (l Likeness) FlagKeys() []string {
	ks := l.Keys()
	if l.Address != "" {
		ks = ks[:len(ks)-1]
	}
	return ks
}

// FlagLookupKeys is LookupKeys without the address's key: the keys to look
// up l by in an index by FlagKeys.
func (l Likeness) FlagLookupKeys() []string {
	ks := l.LookupKeys()
	if l.Address != "" {
		ks = ks[:len(ks)-1]
	}
	return ks
}

// FlagReasons returns the reasons of the duplicate flag (see FlagKeys) that
// l.Reasons(orig) would give: ReasonOrg and the shared phones, in that order,
// without comparing the addresses (the costly part); nil when none holds.
func (l Likeness) FlagReasons(orig Likeness) []string {
	var rs []string
	if l.Org != "" && l.Org == orig.Org && agree(l.District, orig.District) && agree(l.Place, orig.Place) {
		rs = append(rs, ReasonOrg)
	}
	own := len(l.Phones) - l.InText
	for i, p := range l.Phones {
		// an own phone matches any of orig's; one found in text only orig's own
		if j := slices.Index(orig.Phones, p); j >= 0 && (i < own || j < len(orig.Phones)-orig.InText) {
			rs = append(rs, ReasonPhone+p)
		}
	}
	return rs
}

// SimilarDemand is a demand that another (a form, a record) probably
// repeats, and why (Likeness.Reasons, not empty).
type SimilarDemand struct {
	Demand  Demand
	Reasons []string
}

// agree reports whether two optional values do not differ: one is empty or
// both are equal.
func agree(a, b string) bool { return a == "" || b == "" || a == b }

// MostSimilar returns the index of the candidate with the most reasons
// (reasons[i] are candidate i's, ids[i] its id), ties going to the smallest
// id; -1 when no candidate has a reason.
func MostSimilar(ids []string, reasons [][]string) int {
	best := -1
	for i := range ids {
		n := len(reasons[i])
		if n == 0 {
			continue
		}
		if best < 0 || n > len(reasons[best]) || (n == len(reasons[best]) && ids[i] < ids[best]) {
			best = i
		}
	}
	return best
}

// SimilarPhone reports whether a phone identifies a demand: a full number in
// international form (at least 11 characters, starting with "+"), not a
// shared hotline.
func SimilarPhone(p string) bool { return strings.HasPrefix(p, "+") && len(p) >= 11 }

// bracketed matches a bracketed remark: "（急需）", "(光谷店)", "【紧急】".
var bracketed = regexp.MustCompile(`[(（\[【][^)）\]】]*[)）\]】]`)

// adminPrefix matches the province and the city an organisation's name or
// an address may start with: groups 1 the province with its suffix, 3 the
// city with its suffix.
var adminPrefix = regexp.MustCompile(`^(\p{Han}{2,7}?(省|自治区|特别行政区))?(\p{Han}{2,5}?(市|自治州|地区|盟))?`)

// OrgKey normalises an organisation's name for the similar-demand rules:
// bracketed remarks dropped ("（急需）", "（蔡甸区人民医院）"), a leading
// province and city dropped ("湖北省武汉市汉口医院" → "汉口医院"), then
// NormalizeName.
func OrgKey(org string) string {
	key, _ := orgParts(org)
	return key
}

// AddressKey normalises an address as OrgKey does a name: bracketed remarks
// and a leading province and city dropped, then NormalizeName.
func AddressKey(a string) string { return OrgKey(a) }

// orgParts returns OrgKey(org) and the most specific place org starts with:
// its city, else its province, else "". "湖北省武汉市第一医院" and
// "武汉市第一医院" agree; "深圳市人民医院" and "四川省人民医院" do not, nor do
// the provincial "湖北省人民医院" and the city's "武汉市人民医院", though
// OrgKey makes them all "人民医院".
func orgParts(org string) (key, place string) {
	s := foldText(org)
	if mayHaveBracket(s) { // the regular expression only when it may match
		s = bracketed.ReplaceAllString(s, "")
	}
	s = strings.TrimSpace(s)
	// adminPrefix is anchored and matches once, at the start (maybe empty).
	m := adminPrefix.FindStringSubmatchIndex(s)
	switch {
	case m[6] >= 0:
		place = s[m[6]:m[7]]
	case m[2] >= 0:
		place = s[m[2]:m[3]]
	}
	return NormalizeName(s[m[1]:]), place
}

// CloseAddress reports whether two normalised addresses (AddressKey) name
// the same place. Their house numbers (the runs of digits, in order) must
// agree: equal, or one the start of the other ("香港路100号" and
// "香港路100号3栋", never "香港路100号" and "香港路10号"). Addresses without a
// number (a road, a district) are close only when equal, since a bare road
// name is shared by many places. Then one must contain the other, or their
// character bigrams must agree by a Dice coefficient of 0.85 or more.
func CloseAddress(a, b string) bool {
	if a == b {
		return true
	}
	na, nb := houseNumbers.FindAllString(a, -1), houseNumbers.FindAllString(b, -1)
	if len(na) == 0 || len(nb) == 0 {
		return false
	}
	if n := min(len(na), len(nb)); !slices.Equal(na[:n], nb[:n]) {
		return false
	}
	if strings.Contains(a, b) || strings.Contains(b, a) {
		return true
	}
	ga, gb := runeBigrams(a), runeBigrams(b)
	common := 0
	for g := range ga {
		if gb[g] {
			common++
		}
	}
	return 2*float64(common) >= 0.85*float64(len(ga)+len(gb))
}

// houseNumbers finds the numbers in a normalised address.
var houseNumbers = regexp.MustCompile(`[0-9]+`)

// addressBucket is the first house number of a normalised address, or the
// whole address (after a NUL) when it has none: only addresses in one bucket
// can be close.
func addressBucket(a string) string {
	if n := houseNumbers.FindString(a); n != "" {
		return n
	}
	return "\x00" + a
}

func runeBigrams(s string) map[string]bool {
	r := []rune(s)
	out := map[string]bool{}
	for i := 0; i+1 < len(r); i++ {
		out[string(r[i:i+2])] = true
	}
	return out
}

// invisible are the characters that hide in copied text: zero-width space,
// joiners, word joiner, byte order mark, soft hyphen.
var invisible = strings.NewReplacer("\u200b", "", "\u200c", "", "\u200d", "", "\u2060", "", "\ufeff", "", "\u00ad", "")

// mayHaveInvisible reports whether s may hold one of the invisible
// characters: each starts with the byte 0xE2 (U+200B–U+2060), 0xEF (U+FEFF)
// or 0xC2 (U+00AD), which Chinese characters never start with.
func mayHaveInvisible(s string) bool {
	return strings.IndexByte(s, 0xE2) >= 0 || strings.IndexByte(s, 0xEF) >= 0 || strings.IndexByte(s, 0xC2) >= 0
}

// mayHaveBracket reports whether s may hold an opening bracket of
// bracketed.
func mayHaveBracket(s string) bool {
	return strings.IndexByte(s, '(') >= 0 || strings.IndexByte(s, '[') >= 0 || strings.Contains(s, "（") || strings.Contains(s, "【")
}

// foldText returns s with invisible characters removed, line ends unified,
// runs of Unicode spaces within a line collapsed to one ASCII space, lines
// trimmed, then in NFKC form (full-width digits, letters and brackets become
// ASCII). It is the importer's cleaning (importer.CleanText, then NFKC), so
// that a form, a file and a stored demand compare alike.
func foldText(s string) string {
	if mayHaveInvisible(s) {
		s = invisible.Replace(s)
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.FieldsFunc(l, unicode.IsSpace), " ")
	}
	return norm.NFKC.String(strings.Trim(strings.Join(lines, "\n"), "\n "))
}

// Tags a reviewer's answer to a duplicate flag leaves on a demand (the same
// values as importer.TagMergedDuplicate and importer.TagNotDuplicate): a
// demand so tagged is never flagged again by DuplicateFlaggable.
const (
	TagMergedDuplicate = "merged_duplicate"
	TagNotDuplicate    = "not_duplicate"
)

// DuplicateFlaggable reports whether d may be flagged a probable duplicate
// of an earlier demand by the rule every peer applies to the demands it
// holds (see EarlierDemand): it is open (not terminal), may be an original
// (IsOriginal: not already flagged by an import nor marked a duplicate), and
// no reviewer answered a flag on it (TagNotDuplicate, TagMergedDuplicate).
func DuplicateFlaggable(d Demand) bool {
	return IsOriginal(d) && !d.Status.Terminal() &&
		!slices.Contains(d.Tags, TagNotDuplicate) && !slices.Contains(d.Tags, TagMergedDuplicate)
}

// DuplicateOriginal reports whether d may be the original that a flag
// points at: IsOriginal and open (a closed demand is not repeated by a new
// one; the need came back).
func DuplicateOriginal(d Demand) bool { return IsOriginal(d) && !d.Status.Terminal() }

// EarlierDemand orders demands for the duplicate flag: a demand created at
// stamp a with id aID comes before one created at b with id bID when its
// stamp is smaller, or, at the same stamp, its id. Of two probable
// duplicates the later is flagged and points at the earliest original, so
// the same set of demands gives the same flags on every peer whatever the
// order in which they arrived.
func EarlierDemand(a ledger.Stamp, aID string, b ledger.Stamp, bID string) bool {
	if c := a.Compare(b); c != 0 {
		return c < 0
	}
	return aID < bID
}
