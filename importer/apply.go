package importer

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TagPossibleDuplicate tags a demand the importer stored because it probably
// duplicates another; its review note names the likely original
// (relief.TagPossibleDuplicate).
const TagPossibleDuplicate = relief.TagPossibleDuplicate

// BatchSize is how many records an import writes per change (see Planner).
const BatchSize = 25

// Report says what an import did (see Planner).
type Report struct {
	Created    int         `json:"created"`  // new demands and offers, flagged duplicates excluded
	Updated    int         `json:"updated"`  // demands and offers already present whose changed values were written; see Updates
	Held       int         `json:"held"`     // demands and offers already present whose file values differ from values edited in the app: nothing written; see Updates
	Skipped    int         `json:"skipped"`  // already present and unchanged (same row identity): nothing written
	Flagged    int         `json:"flagged"`  // stored tagged TagPossibleDuplicate; see Duplicates
	Rejected   int         `json:"rejected"` // rows not imported: refused by the store, or by the reader once AddReadProblems ran; see Problems
	Cut        int         `json:"cut"`      // rows written with a value cut to relief's limits (ProblemCut, ProblemItemsCut, ProblemContactsCut in Problems)
	IDs        []string    `json:"ids"`      // ids written, flagged ones included, in record order
	Duplicates []Duplicate `json:"duplicates"`
	Updates    []Update    `json:"updates"`  // updated and held rows, in record order
	Problems   []Problem   `json:"problems"` // records the store refused (Rejected true), values cut (Rejected false)
	// Gone are the demands imported before from a file of the same layout
	// that this file no longer has (see GoneRows): nothing is written for
	// them; they are told in Problems too (ProblemRowsGone).
	Gone []Gone `json:"gone,omitempty"`
}

// Duplicate is a record that probably duplicates a demand already present:
// it was stored as ID, tagged TagPossibleDuplicate, for a reviewer to mark as
// a duplicate of Original (after merging what it adds) or to approve as
// distinct.
type Duplicate struct {
	File         string   `json:"file"`
	Row          int      `json:"row"`
	Org          string   `json:"org"`
	ID           string   `json:"id"`            // the flagged demand
	Original     string   `json:"original"`      // the likely original's id
	OriginalCode string   `json:"original_code"` // its relief.Code, to read aloud
	OriginalOrg  string   `json:"original_org"`
	Reasons      []string `json:"reasons"` // "same organisation", "same phone +86…", "close address"
	Adds         Merge    `json:"adds"`    // the proposed merge
}

// Merge is what a probable duplicate adds to its original: contacts whose
// phone the original lacks, supply lines the original does not name, and
// supply lines with a quantity where the original names the supply without
// one.
type Merge struct {
	Contacts []relief.Contact `json:"contacts,omitempty"`
	Items    []relief.Item    `json:"items,omitempty"`
}

// Empty reports whether the merge adds nothing.
func (m Merge) Empty() bool { return len(m.Contacts) == 0 && len(m.Items) == 0 }

// StableID returns the entity id the importer gives a record in network:
// the first 128 bits of SHA-256(network, kind, source) in the store's id
// alphabet, so that importing the same rows again, on any device, names the
// same entities.
func StableID(network, kind, source string) string {
	h := sha256.Sum256([]byte(network + "\x00" + kind + "\x00" + source))
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(h[:16]))
}

// offerIndex finds the offer already present that a record repeats: the same
// supplier (its full name once normalised, branch included: "如家酒店（汉口
// 火车站店）" is not "如家酒店（光谷店）"; names under 6 characters only in
// the same region, or where either has none), or a shared full phone number
// in the same region under the same name with a branch on one side only.
// Offers have no address field, so addresses are not compared.
type offerIndex struct {
	byName  map[string][]relief.Offer
	byPhone map[string][]relief.Offer
	// activity of the offers planned in this run (Record.Activity,
	// normalised), by id: a supplier's offer of another activity is
	// another offer. Offers present have none to compare.
	activity map[string]string
	// address of the offers planned in this run (addrKey), by id, and
	// those whose supplier is their sheet's name (Record.OrgFromSheet):
	// one supplier's rows of other places, and rows of a sheet named for
	// no supplier, are other offers.
	address   map[string]string
	fromSheet map[string]bool
}

// offerKey is the supplier's name once normalised. Unlike OrgKey it keeps
// the province or city ("四川省人民医院" is not "深圳市人民医院") and the
// branch in brackets.
func offerKey(supplier string) string { return relief.NormalizeName(fold(supplier)) }

// offerBase is offerKey without the bracketed branch: "m酒店" for "M酒店(光谷天地店)".
func offerBase(supplier string) string {
	return relief.NormalizeName(bracketed.ReplaceAllString(fold(supplier), ""))
}

func (x *offerIndex) add(o relief.Offer) {
	if k := offerKey(o.Supplier); k != "" {
		x.byName[k] = append(x.byName[k], o)
	}
	for _, c := range o.Contacts {
		if dupPhone(c.Phone) {
			x.byPhone[c.Phone] = append(x.byPhone[c.Phone], o)
		}
	}
}

// find returns the offer r repeats and why ("same supplier", "same phone
// +86…").
func (x *offerIndex) find(r Record) (relief.Offer, string, bool) {
	region := relief.NormalizeName(offerRegion(r))
	act := relief.NormalizeName(r.Activity)
	sameRegion := func(o relief.Offer) bool {
		or := relief.NormalizeName(o.Region)
		if a := x.activity[o.ID]; a != "" && act != "" && a != act {
			return false // another activity of the same supplier
		}
		return region == "" || or == "" || or == region
	}
	if k := offerKey(r.Org); k != "" {
		for _, o := range x.byName[k] {
			if r.OrgFromSheet || x.fromSheet[o.ID] {
				continue // the sheet's name, not a supplier the row names
			}
			if otherPlace(addrKey(r.Address), x.address[o.ID]) {
				continue // the same supplier at another place: another offer
			}
			if itemsDiffer(o.Items, r.Items) {
				continue // the same supplier offering other supplies
			}
			// a long name names one supplier wherever it is written down
			// ("西安天隆科技有限公司" in 西安市 or 经济技术开发区); a short one
			// ("如家酒店") only in the same region
			if (utf8.RuneCountInString(k) >= 6 && x.activity[o.ID] == "") || sameRegion(o) {
				return o, "same supplier", true
			}
		}
	}
	for _, c := range r.Contacts {
		if !dupPhone(c.Phone) {
			continue
		}
		for _, o := range x.byPhone[c.Phone] {
			// A chain's branches share a booking number: the same phone is
			// the same supplier only under the same name, one side naming
			// no branch ("天鹅恋主题酒店" and "天鹅恋主题酒店(积玉桥店)").
			rb, ob := offerBase(r.Org), offerBase(o.Supplier)
			if sameRegion(o) && rb != "" && rb == ob && (rb == offerKey(r.Org) || ob == offerKey(o.Supplier)) {
				return o, "same phone " + c.Phone, true
			}
		}
	}
	return relief.Offer{}, "", false
}

// otherPlace reports whether two normalised addresses (addrKey) name
// other places for sure: both given, and their house numbers disagree
// ("朱宏路389号" is not "朱宏路39号"), or, neither having one, neither holds
// the other ("比干庙村", "小店村"). Two spellings of one address
// ("西安国家经济技术开发区朱宏路389号", "西安市经济技术开发区朱宏路389号") are
// not other places.
func otherPlace(a, b string) bool {
	if a == "" || b == "" || a == b {
		return false
	}
	na, nb := houseNumberRE.FindAllString(a, -1), houseNumberRE.FindAllString(b, -1)
	switch {
	case len(na) > 0 && len(nb) > 0:
		n := min(len(na), len(nb))
		return !slices.Equal(na[:n], nb[:n])
	case len(na) == 0 && len(nb) == 0:
		return !strings.Contains(a, b) && !strings.Contains(b, a)
	}
	return false
}

var houseNumberRE = regexp.MustCompile(`[0-9]+`)

// itemsDiffer reports whether two offers' supplies are other supplies: both
// name some, and neither names all of the other's (by itemKey).
func itemsDiffer(a, b []relief.Item) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	keys := func(its []relief.Item) map[string]bool {
		m := map[string]bool{}
		for _, it := range its {
			m[itemKey(it)] = true
		}
		return m
	}
	ka, kb := keys(a), keys(b)
	within := func(x, y map[string]bool) bool {
		for k := range x {
			if !y[k] {
				return false
			}
		}
		return true
	}
	return !within(ka, kb) && !within(kb, ka)
}

// Note is the review note stored with a flagged demand.
func (d Duplicate) Note() string {
	var b strings.Builder
	fmt.Fprintf(&b, "possible duplicate of %s (%s, id %s): %s", d.OriginalCode, d.OriginalOrg, d.Original, strings.Join(d.Reasons, "; "))
	if d.Adds.Empty() {
		b.WriteString(". Adds nothing new.")
		return b.String()
	}
	b.WriteString(". Proposed merge, adds:")
	for _, c := range d.Adds.Contacts {
		fmt.Fprintf(&b, " contact %s %s;", strings.TrimSpace(c.Role+" "+c.Name), c.Phone)
	}
	for _, it := range d.Adds.Items {
		fmt.Fprintf(&b, " item %s;", it.Name)
	}
	return strings.TrimSuffix(b.String(), ";") + "."
}

func demandOps(id string, r Record, note string, tags []string, c *cutter) ([]ledger.Op, error) {
	fields := demandFields(r, c)
	if note != "" {
		fields[relief.FieldReviewNotes] = c.text(relief.FieldReviewNotes, note, relief.MaxText)
	}
	op, err := relief.SetFields(relief.KindDemand, id, fields)
	if err != nil {
		return nil, fmt.Errorf("demand %q: %w", fields[relief.FieldTitle], err)
	}
	ops := []ledger.Op{op}
	if len(r.TextItems) > 0 && !slices.Contains(tags, TagCheckQuantities) {
		tags = append(slices.Clone(tags), TagCheckQuantities)
	}
	if len(tags) > 0 {
		add, err := relief.Add(relief.KindDemand, id, relief.SetTags, tags...)
		if err != nil {
			return nil, err
		}
		ops = append(ops, add)
	}
	return ops, nil
}

// untitled is the title of a record whose row names neither a title nor a
// requester: its place (address, else district) and its supplies
// ("孙杏村镇：矿泉水等 3 项"), else its first contact's name, else its row
// ("第 3 行"). Never the file's name: a title is read in bulletins.
func untitled(r Record) string {
	place := firstNonEmpty(r.Address, r.District, r.Region)
	what := ""
	switch n := len(r.Items); {
	case n == 1:
		what = r.Items[0].Name
	case n > 1:
		what = fmt.Sprintf("%s等 %d 项", r.Items[0].Name, n)
	}
	switch {
	case place != "" && what != "":
		return place + "：" + what
	case place != "" || what != "":
		return place + what
	}
	for _, c := range r.Contacts {
		if c.Name != "" {
			return c.Name
		}
	}
	return fmt.Sprintf("第 %d 行", r.Row)
}

// demandFields returns the fields a record sets on its demand, by relief
// field name; empty values are left out. Values are cut to relief's limits,
// each cut told to c (nil: cut silently).
func demandFields(r Record, c *cutter) map[string]any {
	title := firstNonEmpty(r.Title, r.Org)
	if title == "" {
		title = untitled(r)
	}
	desc := r.Notes
	if r.URL != "" {
		desc = strings.TrimSpace(desc + "\n" + r.URL)
	}
	if r.Date != "" {
		desc = strings.TrimSpace(desc + "\n" + labelled(r.DateLabel, r.Date)) // "更新日期: 2020-02-04", as the remark keeps its label
	}
	cat := r.Category
	if !relief.ValidCategory(cat) {
		cat = "other"
	}
	urgency := relief.UrgencyNormal
	if r.Urgency != "" {
		urgency = relief.Urgency(r.Urgency)
	}
	fields := map[string]any{
		relief.FieldTitle:    c.text(relief.FieldTitle, title, relief.MaxTitle),
		relief.FieldCategory: cat,
		relief.FieldUrgency:  urgency,
		relief.FieldSource:   r.Source,
	}
	if len(r.Items) > 0 {
		fields[relief.FieldItems] = c.items(r.Items)
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{{relief.FieldRequesterOrg, r.Org, relief.MaxOrg}, {relief.FieldDistrict, r.District, relief.MaxDistrict},
		{relief.FieldAddress, r.Address, relief.MaxAddress}, {relief.FieldDescription, desc, relief.MaxDescription}} {
		if f.v != "" {
			fields[f.name] = c.text(f.name, f.v, f.max)
		}
	}
	if len(r.Contacts) > 0 {
		fields[relief.FieldContacts] = c.contacts(r.Contacts)
	}
	if len(r.SourceFields) > 0 {
		fields[relief.FieldSourceFields] = c.sourceFields(r.SourceFields)
	}
	if !r.Place.IsZero() {
		fields[relief.FieldPlace] = r.Place
	}
	return fields
}

func offerOps(id string, r Record, c *cutter) ([]ledger.Op, error) {
	fields := offerFields(r, c)
	op, err := relief.SetFields(relief.KindOffer, id, fields)
	if err != nil {
		return nil, fmt.Errorf("offer %q: %w", fields[relief.FieldSupplier], err)
	}
	add, err := relief.Add(relief.KindOffer, id, relief.SetTags, "imported")
	if err != nil {
		return nil, err
	}
	return []ledger.Op{op, add}, nil
}

// offerFields returns the fields a record sets on its offer, by relief
// field name; empty values are left out. Values are cut to relief's limits,
// each cut told to c (nil: cut silently).
func offerFields(r Record, c *cutter) map[string]any {
	supplier := firstNonEmpty(r.Org, untitled(r))
	var notes []string
	date := ""
	if r.Date != "" {
		date = labelled(r.DateLabel, r.Date)
	}
	for _, s := range []string{r.Notes, r.Address, r.URL, date} {
		if s != "" {
			notes = append(notes, s)
		}
	}
	fields := map[string]any{relief.FieldSupplier: c.text(relief.FieldSupplier, supplier, relief.MaxOrg)}
	if len(r.Items) > 0 {
		fields[relief.FieldItems] = c.items(r.Items)
	}
	if len(r.Contacts) > 0 {
		fields[relief.FieldContacts] = c.contacts(r.Contacts)
	}
	if !r.Place.IsZero() {
		fields[relief.FieldPlace] = r.Place
	}
	if region := offerRegion(r); region != "" {
		fields[relief.FieldRegion] = c.text(relief.FieldRegion, region, relief.MaxDistrict)
	}
	if len(notes) > 0 {
		fields[relief.FieldNotes] = c.text(relief.FieldNotes, strings.Join(notes, "\n"), relief.MaxText)
	}
	if len(r.SourceFields) > 0 {
		fields[relief.FieldSourceFields] = c.sourceFields(r.SourceFields)
	}
	return fields
}

// capContacts keeps the first relief.MaxContacts contacts, each cut to the
// limits of relief (name, phone, role), so that every peer accepts them. It
// cuts silently: an import tells its cuts with cutter.contacts.
func capContacts(cs []relief.Contact) []relief.Contact { return (*cutter)(nil).contacts(cs) }

// capItems keeps the first relief.MaxItems items, each cut to the limits of
// relief (name, spec, unit). It cuts silently: an import tells its cuts with
// cutter.items.
func capItems(its []relief.Item) []relief.Item { return (*cutter)(nil).items(its) }

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func recordView(id string, r Record) relief.Demand {
	return relief.Demand{ID: id, Code: relief.Code(relief.KindDemand, id), RequesterOrg: r.Org, Title: firstNonEmpty(r.Title, r.Org),
		Address: r.Address, District: r.District, Items: r.Items, Contacts: r.Contacts}
}

// dupIndex finds the demand a record probably duplicates, by the rules of
// relief (Likeness): the originals it holds by their keys (Likeness.Keys).
type dupIndex struct {
	ids   map[string]bool
	byKey map[string][]likeDemand
}

// likeDemand is a demand with its likeness.
type likeDemand struct {
	d relief.Demand
	l relief.Likeness
}

func newDupIndex() *dupIndex {
	return &dupIndex{ids: map[string]bool{}, byKey: map[string][]likeDemand{}}
}

func (x *dupIndex) hasID(id string) bool { return x.ids[id] }

func (x *dupIndex) add(d relief.Demand) {
	x.ids[d.ID] = true
	if !relief.IsOriginal(d) {
		return // compare with originals only
	}
	ld := likeDemand{d: d, l: relief.DemandLikeness(d)}
	for _, k := range ld.l.Keys() {
		x.byKey[k] = append(x.byKey[k], ld)
	}
}

// dupPhone reports whether a phone identifies a demand: a full number, not a
// shared hotline (relief.SimilarPhone).
func dupPhone(p string) bool { return relief.SimilarPhone(p) }

// probeOf is the likeness of a record, as the duplicate rules compare it.
func probeOf(r Record) relief.Likeness {
	return relief.LikenessOf(r.Org, r.District, r.Address, r.Contacts)
}

// similar returns the originals that share a key with probe and that a
// demand of likeness probe probably repeats, each once, with the reasons.
func (x *dupIndex) similar(probe relief.Likeness) []relief.SimilarDemand {
	var out []relief.SimilarDemand
	seen := map[string]bool{}
	for _, k := range probe.LookupKeys() { // held by Keys (relief.Likeness.LookupKeys)
		for _, ld := range x.byKey[k] {
			if seen[ld.d.ID] {
				continue
			}
			seen[ld.d.ID] = true
			if rs := probe.Reasons(ld.l); len(rs) > 0 {
				out = append(out, relief.SimilarDemand{Demand: ld.d, Reasons: rs})
			}
		}
	}
	return out
}

func (x *dupIndex) find(r Record) (Duplicate, bool) { return mostSimilar(r, x.similar(probeOf(r))) }

// mostSimilar returns the Duplicate of r among cands (distinct ids, each
// with the reasons r probably repeats it): the one with the most reasons,
// ties by id (relief.MostSimilar); false when there is none.
func mostSimilar(r Record, cands []relief.SimilarDemand) (Duplicate, bool) {
	ids := make([]string, len(cands))
	reasons := make([][]string, len(cands))
	for i, c := range cands {
		ids[i], reasons[i] = c.Demand.ID, c.Reasons
	}
	i := relief.MostSimilar(ids, reasons)
	if i < 0 {
		return Duplicate{}, false
	}
	best := cands[i].Demand
	return Duplicate{File: r.File, Row: r.Row, Org: r.Org, Original: best.ID, OriginalCode: relief.Code(relief.KindDemand, best.ID),
		OriginalOrg: firstNonEmpty(best.RequesterOrg, best.Title), Reasons: reasons[i], Adds: proposeMerge(best, r)}, true
}

// SimilarTo returns the Duplicate of r among cands, the demands r probably
// repeats with the reasons (as Store.SimilarDemands finds them): the one
// with the most reasons, ties by id, as an import chooses (Planner); false
// when cands is empty.
func SimilarTo(r Record, cands []relief.SimilarDemand) (Duplicate, bool) {
	return mostSimilar(r, cands)
}

func proposeMerge(d relief.Demand, r Record) Merge {
	var m Merge
	for _, c := range r.Contacts {
		if c.Phone == "" {
			continue
		}
		if !slices.ContainsFunc(d.Contacts, func(x relief.Contact) bool { return x.Phone == c.Phone }) {
			m.Contacts = append(m.Contacts, c)
		}
	}
	// have: whether the original names the supply, and with a quantity
	have := map[string]bool{}
	for _, it := range d.Items {
		k := itemKey(it)
		have[k] = have[k] || it.Needed != nil
	}
	for _, it := range r.Items {
		k := itemKey(it)
		if q, named := have[k]; !named || (!q && it.Needed != nil) {
			have[k] = it.Needed != nil
			m.Items = append(m.Items, it)
		}
	}
	return m
}

func itemKey(it relief.Item) string {
	if ci, ok := relief.DefaultCatalog().ResolveItem(it); ok {
		return ci.ID
	}
	return relief.NormalizeName(it.Name)
}

var bracketed = regexp.MustCompile(`[(（\[【][^)）\]】]*[)）\]】]`)

// OrgKey normalises an organisation name for duplicate detection
// (relief.OrgKey): bracketed remarks dropped ("（急需）", "（蔡甸区人民医院）"),
// a leading province and city dropped ("湖北省武汉市汉口医院" → "汉口医院"),
// then relief.NormalizeName.
func OrgKey(org string) string { return relief.OrgKey(org) }

func addrKey(a string) string { return relief.AddressKey(a) }

// closeAddress reports whether two normalised addresses name the same place
// (relief.CloseAddress).
func closeAddress(a, b string) bool { return relief.CloseAddress(a, b) }

// Similar returns the demand among existing that r probably duplicates (same
// organisation once normalised, a shared phone number, or a close address), by
// the same rules as an import (Planner); false when none. The record form uses it to warn
// before a second demand for the same need is recorded.
func Similar(existing []relief.Demand, r Record) (Duplicate, bool) {
	idx := newDupIndex()
	for _, d := range existing {
		idx.add(d)
	}
	return idx.find(r)
}

// AddReadProblems puts the problems found while reading the file (ReadFile)
// before those of the import (Planner), and counts the rows they rejected (a wrong number of
// cells, no organisation …) in Rejected, so that the report's rejected count
// covers every row that was not imported. A file cut short (ProblemRowCut,
// ProblemFileCut) lists no rows gone (DropGoneOfCutFiles).
func (r *Report) AddReadProblems(probs []Problem) {
	for _, p := range probs {
		if p.Rejected {
			r.Rejected++
		}
	}
	r.Problems = append(slices.Clone(probs), r.Problems...)
	r.Problems, r.Gone = DropGoneOfCutFiles(r.Problems, r.Gone)
}

// DropGoneOfCutFiles drops from problems the rows-gone lines
// (ProblemRowsGone) of the files that problems say were cut short
// (ProblemRowCut, ProblemFileCut), and from gone their rows: a copy cut short
// cannot tell what its source deleted (its cut row is one of them), and
// "check whether they are met and close them" would close a need the sheet
// still holds. The cut is told by its own problem. Both are returned as
// given when no file was cut.
func DropGoneOfCutFiles(problems []Problem, gone []Gone) ([]Problem, []Gone) {
	cut := map[string]bool{}
	for _, p := range problems {
		if p.Code == ProblemRowCut || p.Code == ProblemFileCut {
			cut[p.File] = true
		}
	}
	if len(cut) == 0 {
		return problems, gone
	}
	dropped := map[string]bool{} // codes of the gone rows of the lines dropped
	problems = slices.DeleteFunc(slices.Clone(problems), func(p Problem) bool {
		if p.Code != ProblemRowsGone || !cut[p.File] {
			return false
		}
		for _, g := range gone {
			if strings.Contains(p.Args["codes"], g.Code+" ") {
				dropped[g.Code] = true
			}
		}
		return true
	})
	// A gone row read back from JSON (the hub's socket) has no file, and the
	// rows-gone line names only its first codes: once a cut file's line is
	// dropped, every such row goes with it (a row of another file of the
	// same import is still told by its own line).
	gone = slices.DeleteFunc(slices.Clone(gone), func(g Gone) bool {
		return cut[g.file] || (g.file == "" && len(dropped) > 0)
	})
	return problems, gone
}
