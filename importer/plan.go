package importer

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// Existing is what an import must know of the store it writes to: the
// demands and offers present, to skip, update or flag what a file repeats.
// The importer never writes; the desk (desk.Desk.Import) implements Existing
// on its store and writes what a Planner returns. Methods must answer from
// the store as it is at the call, writes of the same import included.
type Existing interface {
	// Demands returns every demand present (list views suffice: History is
	// not read).
	Demands() ([]relief.Demand, error)
	// Offers returns every offer present.
	Offers() ([]relief.Offer, error)
	// Demand returns demand id (folded with its history); ok is false when
	// there is none or it cannot be read.
	Demand(id string) (d relief.Demand, ok bool)
	// HasOffer reports whether offer id is present.
	HasOffer(id string) bool
	// Record returns the stored record of kind/id, a new empty record when
	// there is none; errors are storage errors.
	Record(kind, id string) (*relief.Record, error)
}

// SimilarExisting is an Existing that keeps its demands indexed by the
// similar-demand rules (relief.Likeness), as the store's duplicate-key view
// does. The planner then asks it for the originals a record probably repeats
// instead of indexing every demand present when it starts.
type SimilarExisting interface {
	Existing
	// SimilarDemands returns the demands present that may be originals
	// (relief.IsOriginal) and that a demand of likeness l probably repeats,
	// each once with the reasons (l.Reasons of theirs, not empty), in any
	// order. They are list views, as Demands returns.
	SimilarDemands(l relief.Likeness) []relief.SimilarDemand
}

// Pending is what one record writes: Ops, to be signed as part of one change
// (records are written BatchSize at a time), then told to the Planner with
// Written or Refused.
type Pending struct {
	Record Record
	Ops    []ledger.Op
	ID     string     // the demand or offer written
	dup    *Duplicate // set when the record was flagged as a probable duplicate
	upd    *Update    // set when the record updates a demand or offer already present
	cuts   []Problem  // the values cut to relief's limits (ProblemCut …), reported once written
}

// Planner decides, record by record, what an import writes: it is the
// import's rules without the store. The caller (desk.Desk.Import) asks Plan
// for each record in order, writes the pending records BatchSize at a time
// (in one change; a change the store refuses as invalid is retried record by
// record), and tells the Planner what the store took (Written) or refused
// (Refused); Report then says what the import did. The import is idempotent:
// a record is known by its Source (the table's shape and the row's key, not
// the file's name), and one already present writes nothing when its values
// are unchanged (Skipped). A demand or offer whose values changed in the file
// since is updated as one signed change (Updated), unless the fields that
// changed were edited in the app since or the demand is closed: then nothing
// is written (Held). An offer whose supplier is already present is skipped
// and named in Problems. A demand that probably duplicates one present or
// planned earlier in the same run (see Duplicate) is written tagged
// TagPossibleDuplicate and reported, never merged. A Planner is not safe for
// concurrent use.
type Planner struct {
	ex       Existing
	network  string
	rep      Report
	offers   offerIndex
	idx      *dupIndex // the records planned, and the demands present unless similar answers for them
	similar  SimilarExisting
	bySource map[string]string
	// imported are the demands present an import wrote (importedOpen),
	// and gone what the records planned hold of them: Report lists those
	// of the same layout no longer in the file (GoneRows).
	imported []relief.Demand
	gone     goneWatch
	// planned are the rows and files of the demands and offers planned in
	// this run, by id: a row skipped as a repeat names the row it repeats.
	planned map[string]rowAt
	// phones found only in the text of the demands planned, with their
	// rows, and the own phones of those demands: Report tells the rows
	// sharing a number no row has as its own (ProblemTextPhoneShared).
	textPhones map[string][]rowAt
	ownPhones  map[string]bool
}

// rowAt is where a record planned was read: its file and row.
type rowAt struct {
	file string
	row  int
}

// NewPlanner returns the planner of an import into network (its id), reading
// the demands and offers present from ex. Errors: those of ex.
func NewPlanner(network string, ex Existing) (*Planner, error) {
	existing, err := ex.Demands()
	if err != nil {
		return nil, fmt.Errorf("read demands: %w", err)
	}
	presentOffers, err := ex.Offers()
	if err != nil {
		return nil, fmt.Errorf("read offers: %w", err)
	}
	p := &Planner{ex: ex, network: network, idx: newDupIndex(), bySource: map[string]string{},
		offers: offerIndex{byName: map[string][]relief.Offer{}, byPhone: map[string][]relief.Offer{}, activity: map[string]string{},
			address: map[string]string{}, fromSheet: map[string]bool{}}}
	for _, o := range presentOffers {
		p.offers.add(o)
	}
	p.similar, _ = ex.(SimilarExisting)
	p.imported = importedOpen(existing)
	p.planned = map[string]rowAt{}
	for _, d := range existing {
		if p.similar == nil {
			p.idx.add(d)
		}
		if d.Source != "" {
			p.bySource[d.Source] = d.ID
		}
	}
	return p, nil
}

// Report returns what the import did so far: the records planned and the
// writes told to Written and Refused; and Gone, the demands imported before
// from a file of the same layout that the records planned no longer hold
// (GoneRows), told in Problems (ProblemRowsGone).
func (p *Planner) Report() Report {
	rep := p.rep
	pr, ok, held := p.sharedTextPhones()
	if ok {
		rep.Problems = append(slices.Clip(rep.Problems), pr)
	}
	rep.Problems = append(slices.Clip(rep.Problems), held...)
	rep.Gone = p.gone.among(p.imported)
	// one line per file, naming the file of the layout its rows came from,
	// in the order the gone rows come
	var files []string
	byFile := map[string][]Gone{}
	for _, g := range rep.Gone {
		if _, ok := byFile[g.file]; !ok {
			files = append(files, g.file)
		}
		byFile[g.file] = append(byFile[g.file], g)
	}
	for _, file := range files {
		if pr, ok := GoneProblem(file, byFile[file]); ok {
			rep.Problems = append(slices.Clip(rep.Problems), pr)
		}
	}
	return rep
}

// Written tells the planner that the store took w: it is counted as created,
// flagged or updated, and as cut (Report.Cut, its cuts in Problems) when a
// value was cut to relief's limits.
func (p *Planner) Written(w Pending) {
	p.rep.IDs = append(p.rep.IDs, w.ID)
	if len(w.cuts) > 0 {
		p.rep.Cut++
		p.rep.Problems = append(p.rep.Problems, w.cuts...)
	}
	switch {
	case w.upd != nil:
		p.rep.Updated++
		p.rep.Updates = append(p.rep.Updates, *w.upd)
	case w.dup != nil:
		p.rep.Flagged++
		p.rep.Duplicates = append(p.rep.Duplicates, *w.dup)
	default:
		p.rep.Created++
	}
}

// Refused tells the planner that the store refused w with err (on its own,
// not as part of a batch): it is counted as rejected and named in Problems.
func (p *Planner) Refused(w Pending, err error) {
	p.rep.Rejected++
	p.rep.Problems = append(p.rep.Problems, Problem{File: w.Record.File, Row: w.Record.Row, Rejected: true,
		Msg: fmt.Sprintf("the store refused the record: %v", err), Code: ProblemRefused, Args: args("error", err.Error())})
}

// Plan decides what record r writes. It returns the pending write and true,
// or false when r writes nothing (skipped, held or rejected: counted in the
// report already). The records planned before are taken as written: a record
// repeating one of them is flagged or skipped against it.
func (p *Planner) Plan(r Record) (Pending, bool) {
	rep := &p.rep
	id := StableID(p.network, r.Kind, r.Source)
	p.gone.planned(r)
	if _, ok := p.planned[id]; !ok {
		defer func() { p.planned[id] = rowAt{r.File, r.Row} }()
	}
	if r.Kind == relief.KindOffer {
		if have := p.presentOffer(r); have != "" {
			return p.reimport(relief.KindOffer, have, r)
		}
		if o, why, ok := p.offers.find(r); ok {
			rep.Skipped++
			if at, ok := p.planned[o.ID]; ok && len(newPhones(o, r)) == 0 {
				// a row of this import repeats an earlier one: both rows named
				pr := Problem{File: r.File, Row: r.Row, Field: string(FieldOrg), Value: r.Org,
					Msg:  fmt.Sprintf("row %d is the same offer as row %d (%s, %s): not imported a second time", r.Row, at.row, o.Supplier, why),
					Code: ProblemOfferRepeatsRow, Args: args("row", strconv.Itoa(r.Row), "first", strconv.Itoa(at.row), "code", o.Code, "supplier", o.Supplier, "reason", why)}
				if at.file != r.File { // another file of this import: named
					pr.Msg = fmt.Sprintf("row %d is the same offer as row %d of %s (%s, %s): not imported a second time", r.Row, at.row, at.file, o.Supplier, why)
					pr.Code, pr.Args["first_file"] = ProblemOfferRepeatsFileRow, at.file
				}
				rep.Problems = append(rep.Problems, pr)
				return Pending{}, false
			}
			if phones := newPhones(o, r); len(phones) > 0 {
				list := strings.Join(phones, ", ")
				rep.Problems = append(rep.Problems, Problem{File: r.File, Row: r.Row, Field: string(FieldOrg), Value: r.Org,
					Msg: fmt.Sprintf("already present as offer %s (%s, %s); not imported again, but that offer lacks this row's numbers %s: add them there if they are right",
						o.Code, o.Supplier, why, list),
					Code: ProblemOfferPresentAdds, Args: args("code", o.Code, "supplier", o.Supplier, "reason", why, "phones", list)})
				return Pending{}, false
			}
			rep.Problems = append(rep.Problems, Problem{File: r.File, Row: r.Row, Field: string(FieldOrg), Value: r.Org,
				Msg:  fmt.Sprintf("already present as offer %s (%s, %s); not imported again", o.Code, o.Supplier, why),
				Code: ProblemOfferPresent, Args: args("code", o.Code, "supplier", o.Supplier, "reason", why)})
			return Pending{}, false
		}
		c := newCutter(r)
		ops, err := offerOps(id, r, c)
		if err != nil {
			p.invalid(r, err)
			return Pending{}, false
		}
		p.offers.add(relief.Offer{ID: id, Code: relief.Code(relief.KindOffer, id), Supplier: firstNonEmpty(r.Org, untitled(r)),
			Region: offerRegion(r), Contacts: r.Contacts, Items: r.Items})
		if a := addrKey(r.Address); a != "" {
			p.offers.address[id] = a
		}
		if r.OrgFromSheet {
			p.offers.fromSheet[id] = true
		}
		if a := relief.NormalizeName(r.Activity); a != "" {
			p.offers.activity[id] = a
		}
		return Pending{Record: r, Ops: ops, ID: id, cuts: c.problems()}, true
	}
	p.notePhones(r)
	if have := p.presentDemand(r); have != "" {
		return p.reimport(relief.KindDemand, have, r)
	}
	if p.idx.hasID(id) || (p.similar != nil && r.Source == "" && p.demandExists(id)) { // the same row twice in this run
		rep.Skipped++
		first, firstFile := 0, r.File
		if at, ok := p.planned[id]; ok {
			first, firstFile = at.row, at.file
		}
		pr := Problem{File: r.File, Row: r.Row, Field: string(FieldOrg), Value: r.Org,
			Msg:  fmt.Sprintf("row %d is the same demand as row %d (same requester, place and title): not imported a second time", r.Row, first),
			Code: ProblemSameRowTwice, Args: args("row", strconv.Itoa(r.Row), "first", strconv.Itoa(first))}
		if firstFile != r.File { // another file of this import: named
			pr.Msg = fmt.Sprintf("row %d is the same demand as row %d of %s (same requester, place and title): not imported a second time", r.Row, first, firstFile)
			pr.Code, pr.Args["first_file"] = ProblemSameRowTwiceFile, firstFile
		}
		rep.Problems = append(rep.Problems, pr)
		return Pending{}, false
	}
	var note string
	var tags []string
	var flagged *Duplicate
	if dup, ok := p.findDuplicate(r); ok {
		dup.ID = id
		flagged = &dup
		tags = append(tags, TagPossibleDuplicate)
		note = dup.Note()
	}
	if r.Status != "" {
		tags = append(tags, "source_"+r.Status)
	}
	c := newCutter(r)
	ops, err := demandOps(id, r, note, tags, c)
	if err != nil {
		p.invalid(r, err)
		return Pending{}, false
	}
	if note == "" {
		p.idx.add(recordView(id, r))
	} else {
		p.idx.ids[id] = true
	}
	return Pending{Record: r, Ops: ops, ID: id, dup: flagged, cuts: c.problems()}, true
}

// notePhones notes the phones of demand record r for sharedTextPhones: its
// own, and those found only in its text (relief.Likeness.TextPhones) with
// its row.
func (p *Planner) notePhones(r Record) {
	l := probeOf(r)
	if len(l.Phones) == 0 {
		return
	}
	if p.ownPhones == nil {
		p.ownPhones, p.textPhones = map[string]bool{}, map[string][]rowAt{}
	}
	for _, ph := range l.OwnPhones() {
		p.ownPhones[ph] = true
	}
	for _, ph := range l.TextPhones() {
		p.textPhones[ph] = append(p.textPhones[ph], rowAt{r.File, r.Row})
	}
}

// sharedTextPhones returns the ProblemTextPhoneShared of the demands
// planned: the rows that share a number found only in their text with
// another row, a number no row planned has as its own; false when there is
// none.
//
// A number some demands present hold as their own (imported before
// session 12, when a remark's phones were a row's own, or typed in) does
// flag these rows as their possible duplicates: it is told apart, once per
// number, naming those demands (ProblemTextPhoneHeld, in held).
func (p *Planner) sharedTextPhones() (shared Problem, ok bool, held []Problem) {
	var rows []rowAt
	numbers := 0
	for ph, at := range p.textPhones {
		if len(at) < 2 || p.ownPhones[ph] {
			continue
		}
		if owners := p.presentOwners(ph); len(owners) > 0 {
			held = append(held, textPhoneHeld(at, owners))
			continue
		}
		numbers++
		for _, a := range at {
			if !slices.Contains(rows, a) {
				rows = append(rows, a)
			}
		}
	}
	slices.SortFunc(held, func(a, b Problem) int { return strings.Compare(a.File+"\x00"+a.Value, b.File+"\x00"+b.Value) })
	if len(rows) == 0 {
		return Problem{}, false, held
	}
	sortRows(rows)
	joined, zh := firstRows(rows)
	return Problem{File: rows[0].file, Code: ProblemTextPhoneShared, Value: joined,
		Msg: fmt.Sprintf("%s (%s) share %s written only in their text (a remark, another cell) beside contacts of their own, and no row has %s as its own contact: most likely %s; %s sealed with the contacts, and these rows are not flagged as duplicates of each other for %s",
			count(len(rows), "row", "rows"), joined, count(numbers, "phone number", "phone numbers"), pick(numbers, "it", "one"), pick(numbers, "a hotline", "hotlines"), pick(numbers, "it was", "they were"), pick(numbers, "it", "them")),
		Args: args("count", strconv.Itoa(len(rows)), "numbers", strconv.Itoa(numbers), "rows", joined, "rows_zh", zh)}, true, held
}

// sortRows sorts rows by file, then row.
func sortRows(rows []rowAt) {
	slices.SortFunc(rows, func(a, b rowAt) int {
		if c := strings.Compare(a.file, b.file); c != 0 {
			return c
		}
		return a.row - b.row
	})
}

// presentOwners returns the demands present before this import (not
// planned in it) that hold phone ph as their own (relief.Likeness's own
// phones), by code.
func (p *Planner) presentOwners(ph string) []relief.Demand {
	probe := relief.Likeness{Phones: []string{ph}, InText: 1}
	var cands []relief.SimilarDemand
	if p.idx != nil {
		cands = p.idx.similar(probe)
	}
	if p.similar != nil {
		cands = append(cands, p.similar.SimilarDemands(probe)...)
	}
	var out []relief.Demand
	for _, c := range cands {
		if _, planned := p.planned[c.Demand.ID]; planned || slices.ContainsFunc(out, func(d relief.Demand) bool { return d.ID == c.Demand.ID }) {
			continue
		}
		if slices.Contains(relief.DemandLikeness(c.Demand).OwnPhones(), ph) {
			out = append(out, c.Demand)
		}
	}
	slices.SortFunc(out, func(a, b relief.Demand) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// textPhoneHeld is the ProblemTextPhoneHeld of the rows at, whose text
// writes a number that the demands present owners hold as their own.
func textPhoneHeld(at []rowAt, owners []relief.Demand) Problem {
	rows := slices.Clone(at)
	sortRows(rows)
	en, zh := firstRows(rows)
	var names []string
	for i, d := range owners {
		if i == 5 {
			names = append(names, "…")
			break
		}
		names = append(names, strings.TrimSpace(d.Code+" "+firstNonEmpty(d.Title, d.RequesterOrg)))
	}
	demands, demandsZH := strings.Join(names, ", "), strings.Join(names, "、")
	who := "a demand already present holds"
	if len(owners) > 1 {
		who = strconv.Itoa(len(owners)) + " demands already present hold"
	}
	return Problem{File: rows[0].file, Code: ProblemTextPhoneHeld, Value: en,
		Msg: fmt.Sprintf("%s %s a phone number that %s as their own (%s): %s flagged as their possible duplicates for it; if it is a hotline, remove it from the contacts of those demands",
			pick(len(rows), "row", "rows"), en+pick(len(rows), " writes in its text", " write in their text"), who, demands, pick(len(rows), "it is", "they are")),
		Args: args("count", strconv.Itoa(len(rows)), "rows", en, "rows_zh", zh, "held", strconv.Itoa(len(owners)), "demands", demands, "demands_zh", demandsZH)}
}

// firstRows names the first ten of rows (of one or more files, in order)
// in English and in Chinese ("2, 3, …", "2、3……"), as rowLists does.
func firstRows(rows []rowAt) (en, zh string) {
	var nums []int
	for i, a := range rows {
		if i == 10 {
			break
		}
		nums = append(nums, a.row)
	}
	en, zh = rowLists(nums)
	if len(rows) > 10 {
		en, zh = en+", …", zh+"……"
	}
	return en, zh
}

// findDuplicate returns the demand present or planned before that r probably
// duplicates. The demands present come from p.similar when there is one; a
// demand planned in this run is compared as planned (the records planned are
// taken as written), whatever the store holds of it.
func (p *Planner) findDuplicate(r Record) (Duplicate, bool) {
	if p.similar == nil {
		return p.idx.find(r)
	}
	probe := probeOf(r)
	cands := p.idx.similar(probe)
	for _, c := range p.similar.SimilarDemands(probe) {
		if !p.idx.hasID(c.Demand.ID) && relief.IsOriginal(c.Demand) && len(c.Reasons) > 0 {
			cands = append(cands, c)
		}
	}
	return mostSimilar(r, cands)
}

// invalid counts r as rejected because its changes cannot be built.
func (p *Planner) invalid(r Record, err error) {
	p.rep.Rejected++
	p.rep.Problems = append(p.rep.Problems, Problem{File: r.File, Row: r.Row, Rejected: true, Msg: err.Error(), Code: ProblemInvalid, Args: args("error", err.Error())})
}

// presentDemand returns the id of the demand r was imported as before (by
// its source, or by the source a file name gave it before row identities
// stopped depending on it); "" if none.
func (p *Planner) presentDemand(r Record) string {
	for _, src := range append([]string{r.Source, r.LegacySource}, r.plainSources...) {
		if src == "" {
			continue
		}
		if id := p.bySource[src]; id != "" {
			return id
		}
		if id := StableID(p.network, r.Kind, src); p.demandExists(id) {
			return id
		}
	}
	return ""
}

func (p *Planner) demandExists(id string) bool {
	_, ok := p.ex.Demand(id)
	return ok
}

// presentOffer returns the id of the offer r was imported as before (by its
// source, or the source a file name gave it before); "" if none.
func (p *Planner) presentOffer(r Record) string {
	for _, src := range append([]string{r.Source, r.LegacySource}, r.plainSources...) {
		if src == "" {
			continue
		}
		if id := StableID(p.network, r.Kind, src); p.ex.HasOffer(id) {
			return id
		}
	}
	return ""
}

// reimport decides what a record already in the store (as id) becomes: skipped
// when nothing changed, held when the app edited what the file changes, or an
// update to write (returned with true). A record whose update cannot be built is
// rejected. The counts and problems go into the report.
func (p *Planner) reimport(kind, id string, r Record) (Pending, bool) {
	rep := &p.rep
	c := newCutter(r)
	upd, ops, err := updateOps(p.ex, kind, id, r, c)
	switch {
	case err != nil:
		p.invalid(r, err)
	case upd == nil:
		rep.Skipped++
	case upd.Held:
		rep.Held++
		rep.Updates = append(rep.Updates, *upd)
	default:
		return Pending{Record: r, Ops: ops, ID: id, upd: upd, cuts: c.problems()}, true
	}
	return Pending{}, false
}

// newPhones lists the phone numbers of r's contacts that offer o does not
// hold, in r's order, each once.
func newPhones(o relief.Offer, r Record) []string {
	var out []string
	for _, c := range r.Contacts {
		if c.Phone == "" || slices.Contains(out, c.Phone) ||
			slices.ContainsFunc(o.Contacts, func(h relief.Contact) bool { return h.Phone == c.Phone }) {
			continue
		}
		out = append(out, c.Phone)
	}
	return out
}
