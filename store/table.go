package store

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// demandRow is a demand as the in-memory list holds it: what filters, sorts,
// counts and codes read (its id, code, creation stamp, status, urgency,
// category, district and place), the lower-cased text that searches match,
// its slot in the text index, and its list view (the folded demand without
// History, which Demand folds from Badger when asked) packed (packedView),
// decoded only when a query returns the row (view). A row is never modified
// once it is in a table; a change replaces it.
type demandRow struct {
	id        string
	code      string
	created   ledger.Stamp
	status    relief.Status
	urgency   relief.Urgency
	category  string
	district  string
	place     *relief.Place // nil for none; rows of one place share it (demandTable.intern)
	owner     string        // Owner.String(), empty when unowned
	text      string        // lower-cased title, code, district, organisation, address, item names, each followed by 0
	slot      uint32
	uncreated bool // relief.Demand.Uncreated (beside slot and wait: no padding of its own)
	transfer  bool
	// wait and waitSince are relief.Waiting of the demand, taken from its
	// history when the row is made: what it waits for (a waitKind; waitNone
	// for nothing: read its name with waitName) and since when, in Unix
	// milliseconds (a stamp's: relief.Waiting's since is a stamp's time; 0
	// when it waits for nothing; read it with since), so that reply-by times
	// need no Badger read (ReplyBys). A byte and an int64 rather than a
	// string and a time.Time: 32 bytes less a row (9 MiB at 300,000
	// demands).
	wait      uint8
	waitSince int64
	// recheck is, for a published or in-progress demand (rechecks), since
	// when its re-check waits (relief.RecheckPending's since: its last
	// confirmation, else its creation), in Unix milliseconds (a stamp's).
	// The inbox makes the demand's re-check entry from it (inbox_rows.go).
	recheck int64
	// followUp is, for a demand with an owner, the owner's last follow-up
	// (relief.Demand.FollowUpSince's wall, Unix milliseconds; 0 for none),
	// and transfer says that a transfer request of it is open
	// (relief.Demand.Transfer): the inbox makes the owner's follow-up entry
	// of the demand from them (followsUp, inbox_rows.go).
	followUp int64
	// actors are the members the demand's fold depends on (the authors of
	// its steps, applied or not, and the members they hand over to), sorted
	// and distinct: a change of their roster entries re-derives the row.
	actors []ledger.DeviceID
	// pv is the row's list view, packed.
	pv packedView
	// fresh is what the row carries from the folding goroutines to the
	// table, which drops it once it took it (nil in a table's rows).
	fresh *rowFresh
}

// setView sets the resident fields of r from its list view d (not its packed
// view). places, when not nil, are places already made, by value, which r
// shares (one is added when new).
func (r *demandRow) setView(d *relief.Demand, places map[relief.Place]*relief.Place) {
	r.id, r.code, r.created = d.ID, d.Code, d.CreatedAt
	r.status, r.urgency, r.category, r.district = d.Status, d.Urgency, d.Category, d.District
	r.uncreated = d.Uncreated
	r.followUp, r.transfer = d.FollowUpSince.Wall, d.Transfer != nil
	r.recheck = d.CreatedAt.Wall
	if d.Confirmed.Wall != 0 {
		r.recheck = d.Confirmed.Wall
	}
	r.place = nil
	if !d.Place.IsZero() {
		if p, ok := places[d.Place]; ok {
			r.place = p
		} else {
			p := d.Place
			r.place = &p
			if places != nil {
				places[p] = r.place
			}
		}
	}
	r.owner = ""
	if !d.Owner.IsZero() {
		r.owner = d.Owner.String()
	}
}

// view returns r's list view, decoded from its packed form.
func (r *demandRow) view() relief.Demand {
	var d relief.Demand
	r.viewInto(&d)
	return d
}

// viewInto decodes r's list view into d (overwriting every field).
func (r *demandRow) viewInto(d *relief.Demand) { r.decodeView(d, false) }

// scratchInto decodes r's list view into d, a scratch demand read row after
// row, reusing its slices: the caller keeps nothing d holds.
func (r *demandRow) scratchInto(d *relief.Demand) { r.decodeView(d, true) }

func (r *demandRow) decodeView(d *relief.Demand, reuse bool) {
	if err := r.pv.decode(d, reuse); err != nil {
		// The bytes were written by packView or checked when the snapshot
		// chunk holding them was read: this is memory gone wrong.
		panic(fmt.Sprintf("store: list view of demand %s does not decode: %v", r.id, err))
	}
}

// placeOf returns r's place (zero for none).
func (r *demandRow) placeOf() relief.Place {
	if r.place == nil {
		return relief.Place{}
	}
	return *r.place
}

// rowFresh is what a new row carries to the table: the distinct bigrams of
// its text, sorted, and the points the demand's applied steps earn
// (relief.DemandAwards under the deadlines the row was made with).
type rowFresh struct {
	grams  []uint64
	awards []relief.Earned
}

// awards returns the awards r carries (none once in a table).
func (r *demandRow) awards() []relief.Earned {
	if r.fresh == nil {
		return nil
	}
	return r.fresh.awards
}

// listView is what Demands returns for d: everything but the signed history.
func listView(d relief.Demand) relief.Demand {
	d.History = nil
	return d
}

// newRecordRow folds the demand record rec with roster and makes its row,
// with its actors and its awards under dl, and its inbox entry (demandEntry).
func newRecordRow(rec *relief.Record, roster *relief.Roster, dl relief.Deadlines) (*demandRow, *inboxEntry) {
	return recordRow(rec, roster, dl, true)
}

// recordRow is newRecordRow; without grams the row carries no bigrams (its
// table indexes them from its text: a large catch-up's fold, whose list
// indexes its texts after it answers, buildTableLater).
func recordRow(rec *relief.Record, roster *relief.Roster, dl relief.Deadlines, grams bool) (*demandRow, *inboxEntry) {
	d := relief.FoldDemand(rec, roster)
	awards := relief.DemandAwards(d, dl)
	e := demandEntry(d) // before newDemandRow drops the history
	r := newDemandRowAs(d, grams)
	r.actors = actorsOf(rec)
	r.fresh.awards = awards
	return r, e
}

// actorsOf returns the members whose roster entries the fold of rec depends
// on: the authors of its steps and field writes and the targets of its
// handovers, sorted and distinct. A record's writes are nearly all by one
// or two members, so each is added once as it is met (addActor) instead of
// collecting every write's author and sorting them all: one small slice
// per record instead of one per doubling (the lean hub takes it for every
// demand it ingests).
func actorsOf(rec *relief.Record) []ledger.DeviceID {
	var out []ledger.DeviceID
	for i := range rec.Transitions {
		s := &rec.Transitions[i]
		out = addActor(out, s.Meta.Device)
		if !s.Args.To.IsZero() {
			out = addActor(out, s.Args.To)
		}
	}
	for _, f := range rec.Fields {
		out = addActor(out, f.Meta.Device)
		prev := f.Prev()
		for j := range prev {
			out = addActor(out, prev[j].Meta.Device)
		}
	}
	slices.SortFunc(out, ledger.DeviceID.Compare)
	return slices.Compact(out)
}

// addActorScan is how many distinct actors addActor compares a new one
// with; past it, it appends without looking (the sort in actorsOf drops the
// repeats), so that a record with many writers costs no more than before.
const addActorScan = 16

// addActor appends d to out unless the first addActorScan entries hold it.
func addActor(out []ledger.DeviceID, d ledger.DeviceID) []ledger.DeviceID {
	for i := range min(len(out), addActorScan) {
		if out[i] == d {
			return out
		}
	}
	if out == nil {
		out = make([]ledger.DeviceID, 0, 2)
	}
	return append(out, d)
}

// appendWriters appends to out the authors of rec's field writes, the
// superseded ones included: whether a write stands depends on its author's
// role at its position (relief.FieldRules), so a change of that role
// re-derives the record.
func appendWriters(out []ledger.DeviceID, rec *relief.Record) []ledger.DeviceID {
	for _, f := range rec.Fields {
		out = append(out, f.Meta.Device)
		for _, w := range f.Prev() {
			out = append(out, w.Meta.Device)
		}
	}
	return out
}

func newDemandRow(d relief.Demand) *demandRow { return newDemandRowAs(d, true) }

// newDemandRowAs is newDemandRow; without grams, r.fresh.grams stays nil.
func newDemandRowAs(d relief.Demand, grams bool) *demandRow {
	wait, since, _ := relief.Waiting(d) // before listView drops the history
	d = listView(d)
	var text strings.Builder
	n := len(d.Title) + len(d.Code) + len(d.District) + len(d.RequesterOrg) + len(d.Address) + 5
	for _, it := range d.Items {
		n += len(it.Name) + 1
	}
	text.Grow(n)
	for _, s := range []string{d.Title, d.Code, d.District, d.RequesterOrg, d.Address} {
		writeLower(&text, s)
		text.WriteByte(0)
	}
	for _, it := range d.Items {
		writeLower(&text, it.Name)
		text.WriteByte(0)
	}
	r := &demandRow{text: text.String(), pv: packView(&d)}
	r.setWait(wait, since)
	r.setView(&d, nil)
	r.fresh = &rowFresh{}
	if grams {
		r.fresh.grams = gramsOf(make([]uint64, 0, utf8.RuneCountInString(r.text)), r.text)
	}
	return r
}

// writeLower writes strings.ToLower(s) to b (an invalid byte becomes
// U+FFFD, as there) in runs of what stays as it is, without looking a
// Chinese character up in the case tables: strings.ToLower asks
// unicode.ToLower of every rune that is not ASCII (a binary search of the
// case ranges each) and a new row's text is mostly made of them. The
// three-byte runes of U+3000…U+9FFF (lead byte 0xE3…0xE9: CJK symbols,
// kana, bopomofo, CJK ideographs) have no lower case.
func writeLower(b *strings.Builder, s string) {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			if 'A' <= c && c <= 'Z' {
				b.WriteString(s[start:i])
				b.WriteByte(c + 'a' - 'A')
				start = i + 1
			}
			i++
			continue
		case 0xE3 <= c && c <= 0xE9 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			i += 3
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if l := unicode.ToLower(r); l != r || (r == utf8.RuneError && n == 1) {
			b.WriteString(s[start:i])
			b.WriteRune(l)
			start = i + n
		}
		i += n
	}
	b.WriteString(s[start:])
}

// cmpAge orders rows oldest first; of two created at the same stamp, the one
// with the greater id first. Listing a table's order backwards gives newest
// first, ties by ascending id.
func cmpAge(a, b *demandRow) int {
	if c := a.created.Compare(b.created); c != 0 {
		return c
	}
	return cmp.Compare(b.id, a.id)
}

// demandTable is the in-memory demand list: rows by id and by slot, slots in
// age order, demand counts by status and a bigram index of the rows' text.
// What a scan reads is kept in small arrays by slot (keys, texts) rather than
// behind each row's pointer, so that a scan of 100k rows stays in cache. It is
// not safe for concurrent use; demandIndex guards it.
type demandTable struct {
	// byID numbers the rows by id: id → slot (the ids are the rows' own,
	// read through slots). An idTable rather than a map of id to row: 8
	// bytes a cell where the map cost about 43 bytes a row.
	byID   idTable
	slots  []*demandRow // by slot; nil when free
	keys   []rowKey     // by slot: what filters compare
	texts  []string     // by slot: the rows' text
	free   []uint32     // free slots
	order  []uint32     // the slots of the rows by cmpAge: newest last
	counts map[relief.Status]int
	// grams maps each pair of consecutive runes in a field of a row's text
	// (r1<<32 | r2) to the slots of the rows that hold it, ascending.
	grams *gramIndex
	// gramsLater says that grams is empty because the postings of the rows'
	// texts are being made after the table answers (buildTableLater: a large
	// catch-up into an empty store); until setGrams, a search scans every
	// row's text instead of asking grams (query), so it never answers
	// "nothing found" for want of the index. The table is not modified
	// meanwhile (every writer waits for the catch-up's other views).
	gramsLater bool
	strs       map[string]string              // interned short strings shared by many rows
	places     map[relief.Place]*relief.Place // interned places shared by many rows
	ids        map[string]uint32              // numbers of the values filters compare; 0 is ""
	scratch    []uint64
	// arena is the chunk the rows' texts are copied into, one after the
	// other, so that a scan reads them in sequence rather than from all over
	// the heap. A chunk is never written where a text already lies.
	arena []byte
	// waits holds, for each waitKind but waitNone, the slots of the rows that
	// wait for it, by cmpWait: earliest reply-by first, whatever the
	// deadlines (one window per kind), so that sorting by reply-by is a merge
	// of three lists and "overdue at now" is a prefix of each.
	waits [waitKinds][]uint32
	// later holds, for each rowList, the slots of the rows that wait for
	// its step (a re-check: demandRow.rechecks; the owner's follow-up:
	// followsUp), by cmpLater: the inbox's order of that step
	// (inbox_rows.go makes its entries from them).
	later [rowLists][]uint32
	// codes maps the codeKey of a short code (relief.Code) to the slot of
	// the row that has it; codeDups to the slots, ascending, when several
	// rows have codes of that key (codes are short hashes: they collide).
	codes    map[uint64]uint32
	codeDups map[uint64][]uint32
	// actors maps a member to the slots of the rows whose fold depends on
	// their roster entry (demandRow.actors), ascending.
	actors map[ledger.DeviceID][]uint32
	// actorSets holds one copy of each distinct set of actors the rows
	// have (the bytes of the sorted members → the set), which the rows
	// share (sharedActors): a network's few members make few sets, and a
	// slice of its own cost a row 32 bytes a member (19 MiB at 300,000
	// demands, decoded from a views snapshot or folded).
	actorSets map[string][]ledger.DeviceID
	// points are the awards of every demand row and every task, and the
	// totals per member.
	points *pointsTable
}

// row returns the row of demand id; false when the table holds none.
func (t *demandTable) row(id string) (*demandRow, bool) {
	s, ok := t.byID.get(id, t)
	if !ok {
		return nil, false
	}
	return t.slots[s], true
}

// rowCount returns the number of rows the table holds.
func (t *demandTable) rowCount() int { return t.byID.len() }

// idOf returns the id of the row in slot s (idSource of byID).
func (t *demandTable) idOf(s uint32) string { return t.slots[s].id }

// arenaChunk is the size of a chunk of demandTable.arena.
const arenaChunk = 1 << 20

// keepText copies r's text into the arena.
func (t *demandTable) keepText(r *demandRow) {
	r.text = t.keep(r.text)
}

// keep copies text into the arena and returns the copy.
func (t *demandTable) keep(text string) string {
	if len(text) == 0 {
		return ""
	}
	if len(text) > cap(t.arena)-len(t.arena) {
		t.arena = make([]byte, 0, max(arenaChunk, len(text)))
	}
	off := len(t.arena)
	t.arena = append(t.arena, text...)
	return unsafe.String(&t.arena[off], len(text))
}

// rowKey holds the numbers (demandTable.ids) of a row's status, category,
// district, owner and urgency, its urgency's rank (0 most urgent) and what it
// waits for (a waitKind) since when (Unix nanoseconds): what filters and sorts
// compare.
type rowKey struct {
	status, category, district, owner, urgency uint32
	rank, wait                                 uint8
	since                                      int64
}

// The waitKinds of rows: what a demand waits for (relief.Waiting).
const (
	waitNone    uint8 = iota
	waitReview        // relief.ReplyReview
	waitPublish       // relief.ReplyPublish
	waitClaim         // relief.ReplyClaim
	waitKinds
)

// waitKindOf returns the waitKind of relief.Waiting's what.
func waitKindOf(what string) uint8 {
	switch what {
	case relief.ReplyReview:
		return waitReview
	case relief.ReplyPublish:
		return waitPublish
	case relief.ReplyClaim:
		return waitClaim
	}
	return waitNone
}

// waitNames are the relief.Waiting names of the waitKinds.
var waitNames = [waitKinds]string{"", relief.ReplyReview, relief.ReplyPublish, relief.ReplyClaim}

// setWait sets what r waits for and since when from relief.Waiting's what
// and since (what "" for nothing; since is then not kept).
func (r *demandRow) setWait(what string, since time.Time) {
	r.wait, r.waitSince = waitKindOf(what), 0
	if r.wait != waitNone {
		r.waitSince = since.UnixMilli()
	}
}

// The rowLists: the steps of the inbox made from the demand rows besides
// the wait lists' (demandTable.later).
const (
	listRecheck  = iota // relief.ReplyRecheck: demandRow.rechecks, since recheck
	listFollowUp        // relief.ReplyFollowUp: demandRow.followsUp, since followUp
	rowLists
)

// inList reports whether r is in rowList l, and since when (Unix
// milliseconds) it waits for its step.
func (r *demandRow) inList(l int) (bool, int64) {
	if l == listRecheck {
		return r.rechecks(), r.recheck
	}
	return r.followsUp(), r.followUp
}

// followsUp reports whether r's demand waits for its owner's follow-up
// (relief.OwnerPending without a transfer request): owned, not closed,
// followed up once at least, waiting for no other step.
func (r *demandRow) followsUp() bool {
	return r.owner != "" && !r.status.Terminal() && r.followUp != 0 && r.wait == waitNone && !r.transfer
}

// rechecks reports whether r's demand waits for a re-check
// (relief.RecheckPending: published or in progress).
func (r *demandRow) rechecks() bool {
	return r.status == relief.StatusPublished || r.status == relief.StatusInProgress
}

// recheckSince returns since when r's re-check waits (UTC, as
// relief.RecheckPending gives it); the zero time when it waits for none.
func (r *demandRow) recheckSince() time.Time {
	if !r.rechecks() {
		return time.Time{}
	}
	return time.UnixMilli(r.recheck).UTC()
}

// waitName returns what r waits for as relief.Waiting names it ("" for
// nothing).
func (r *demandRow) waitName() string { return waitNames[r.wait] }

// since returns since when r waits (in UTC, as relief.Waiting gives it);
// the zero time when it waits for nothing.
func (r *demandRow) since() time.Time {
	if r.wait == waitNone {
		return time.Time{}
	}
	return time.UnixMilli(r.waitSince).UTC()
}

// urgencyRank orders urgencies, most urgent first: critical 0, high 1,
// normal (and anything else) 2, low 3.
func urgencyRank(u relief.Urgency) uint8 {
	switch u {
	case relief.UrgencyCritical:
		return 0
	case relief.UrgencyHigh:
		return 1
	case relief.UrgencyLow:
		return 3
	}
	return 2
}

func newDemandTable() *demandTable {
	return &demandTable{
		counts: map[relief.Status]int{},
		grams:  newGramIndex(),
		strs:   map[string]string{},
		places: map[relief.Place]*relief.Place{},
		ids:    map[string]uint32{"": 0},
		codes:  map[uint64]uint32{},
		actors: map[ledger.DeviceID][]uint32{},
		points: newPointsTable(),
	}
}

// maxActorSets bounds demandTable.actorSets: past it, a set not held yet
// stays the row's own (a network of thousands of members whose demands
// each had other members would not gain by the map).
const maxActorSets = 1 << 16

// sharedActors returns the copy of actors (a row's, sorted and distinct)
// that the table's rows share, with no room past its end (an append
// copies it); actors itself when nil, empty, or new past maxActorSets. A
// row's actors are never modified in place, only replaced.
func (t *demandTable) sharedActors(actors []ledger.DeviceID) []ledger.DeviceID {
	if len(actors) == 0 {
		return actors
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(actors))), len(actors)*len(ledger.DeviceID{}))
	if set, ok := t.actorSets[string(b)]; ok {
		return set
	}
	if len(t.actorSets) >= maxActorSets {
		return actors
	}
	if t.actorSets == nil {
		t.actorSets = map[string][]ledger.DeviceID{}
	}
	set := slices.Clip(slices.Clone(actors))
	t.actorSets[string(b)] = set
	return set
}

// buildTable makes a table of rows (distinct ids) at once.
func buildTable(rows []*demandRow) *demandTable {
	slices.SortFunc(rows, cmpAge)
	return fillTable(rows, nil)
}

// buildTableLater is buildTable without the postings of the rows' texts: the
// table answers at once, a search by a scan of every text (gramsLater), and
// postings makes the postings (on any goroutine; it reads a copy of the
// texts, nothing of t), which the caller gives t by setGrams under the
// index's lock before anything modifies t. A large catch-up into an empty
// store builds its list so (catchup.go): the list answers before its texts
// are indexed, and the index is made beside the other views.
func buildTableLater(rows []*demandRow) (t *demandTable, postings func() map[uint64][]uint32) {
	slices.SortFunc(rows, cmpAge)
	t = fillTableAs(rows, nil, true)
	texts := slices.Clone(t.texts)
	return t, func() map[uint64][]uint32 { return postingsOf(make([][]uint64, len(texts)), texts) }
}

// setGrams gives t, built by buildTableLater, the postings of its texts.
func (t *demandTable) setGrams(m map[uint64][]uint32) {
	t.grams.changed = m // a new table's index: nothing packed, every list in changed
	t.gramsLater = false
}

// fillTable makes a table of rows (distinct ids, sorted by cmpAge), each in
// the slot of its position. With grams nil it copies the rows' texts into
// its arena and indexes their bigrams; otherwise grams are the postings of
// the rows' texts by position (a views snapshot's), taken as they are, and
// the texts stay where they are (a snapshot chunk's arena).
func fillTable(rows []*demandRow, grams *gramIndex) *demandTable {
	return fillTableAs(rows, grams, false)
}

// fillTableAs is fillTable; with later (and grams nil) it indexes no text:
// the table is gramsLater (buildTableLater).
func fillTableAs(rows []*demandRow, grams *gramIndex, later bool) *demandTable {
	t := newDemandTable()
	t.slots = rows
	t.keys = make([]rowKey, len(rows))
	t.texts = make([]string, len(rows))
	t.order = make([]uint32, len(rows))
	t.byID.reserve(len(rows))
	t.codes = make(map[uint64]uint32, len(rows))
	withAwards := 0
	for _, r := range rows {
		if len(r.awards()) > 0 {
			withAwards++
		}
	}
	t.points.demands.reserve(withAwards)
	// The text postings of many rows on another core, beside the rest.
	var posting chan map[uint64][]uint32
	if grams == nil && !later && len(rows) >= gramsParallel && runtime.GOMAXPROCS(0) > 1 {
		gs, texts := make([][]uint64, len(rows)), make([]string, len(rows))
		for i, r := range rows {
			texts[i] = r.text
			if r.fresh != nil {
				gs[i], r.fresh.grams = r.fresh.grams, nil
			}
		}
		posting = make(chan map[uint64][]uint32, 1)
		go func() { posting <- postingsOf(gs, texts) }()
	}
	for i, r := range rows {
		r.slot = uint32(i)
		t.order[i] = r.slot
		if grams == nil {
			t.keepText(r)
		}
		t.set(r)
		t.byID.set(r.id, r.slot, t)
		t.counts[r.status]++
		if grams == nil && posting == nil && !later {
			t.addGrams(r)
		}
		t.addCode(r)
		r.actors = t.sharedActors(r.actors)
		for _, a := range r.actors {
			t.actors[a] = append(t.actors[a], r.slot)
		}
		if w := t.keys[r.slot].wait; w != waitNone {
			t.waits[w] = append(t.waits[w], r.slot)
		}
		for l := range rowLists {
			if in, _ := r.inList(l); in {
				t.later[l] = append(t.later[l], r.slot)
			}
		}
		t.points.set(relief.KindDemand, r.id, r.awards())
		r.fresh = nil
	}
	for w := waitNone + 1; w < waitKinds; w++ {
		slices.SortFunc(t.waits[w], t.cmpWait)
	}
	for l := range rowLists {
		slices.SortFunc(t.later[l], t.cmpLater(l))
	}
	if grams != nil {
		t.grams = grams
		return t
	}
	if later {
		t.gramsLater = true
		return t
	}
	if posting != nil {
		t.grams.changed = <-posting // a new table's index: nothing packed, every list in changed
		return t
	}
	// Appending doubled the posting lists' capacity; give back the slack.
	t.grams.trim()
	return t
}

// gramsParallel is the number of rows from which fillTable makes the text
// postings on a goroutine of their own. Tests set it lower.
var gramsParallel = 4096

// postingsOf returns the text postings of rows in slots 0, 1, …: gs[i] are
// the bigrams of row i (gramsOf), or nil to take them from texts[i].
func postingsOf(gs [][]uint64, texts []string) map[uint64][]uint32 {
	m := map[uint64][]uint32{}
	var scratch []uint64
	for i, g := range gs {
		if g == nil {
			scratch = gramsOf(scratch[:0], texts[i])
			g = scratch
		}
		slot := uint32(i)
		for _, x := range g {
			if l := m[x]; len(l) == 0 || l[len(l)-1] < slot {
				m[x] = append(l, slot)
			}
		}
	}
	trimPostings(m)
	return m
}

// trimPostings gives back the slack appending left in posting lists (their
// capacity doubled).
func trimPostings(m map[uint64][]uint32) {
	for g, l := range m {
		if cap(l) > len(l)+len(l)/4 {
			m[g] = slices.Clone(l)
		}
	}
}

// set puts r in its slot, with its key and text.
func (t *demandTable) set(r *demandRow) {
	t.intern(r)
	t.slots[r.slot] = r
	t.texts[r.slot] = r.text
	k := rowKey{
		status: t.id(string(r.status)), category: t.id(r.category),
		district: t.id(r.district), owner: t.id(r.owner), urgency: t.id(string(r.urgency)),
		rank: urgencyRank(r.urgency), wait: r.wait,
	}
	if k.wait != waitNone {
		k.since = r.since().UnixNano()
	}
	t.keys[r.slot] = k
}

// id returns the number of s, numbering it if new.
func (t *demandTable) id(s string) uint32 {
	n, ok := t.ids[s]
	if !ok {
		n = uint32(len(t.ids))
		t.ids[s] = n
	}
	return n
}

// intern replaces the short strings of r that many rows share (category,
// district, status, urgency, owner) and its place by one shared copy.
func (t *demandTable) intern(r *demandRow) {
	in := func(s *string) {
		if len(*s) == 0 || len(*s) > 64 {
			return
		}
		if v, ok := t.strs[*s]; ok {
			*s = v
			return
		}
		t.strs[*s] = *s
	}
	in(&r.category)
	in(&r.district)
	in((*string)(&r.status))
	in((*string)(&r.urgency))
	in(&r.owner)
	if r.place != nil {
		if p, ok := t.places[*r.place]; ok {
			r.place = p
		} else {
			t.places[*r.place] = r.place
		}
	}
}

// put adds rows (distinct ids), replacing the rows of the same ids.
func (t *demandTable) put(rows []*demandRow) {
	// First take out of the order the rows whose creation stamp changed
	// (their place is found by their old stamp).
	var drop []int
	for _, r := range rows {
		if old, _ := t.row(r.id); old != nil && cmpAge(old, r) != 0 {
			drop = append(drop, t.find(old))
		}
	}
	if len(drop) > 0 {
		slices.Sort(drop)
		kept := t.order[:0]
		for i, s := range t.order {
			if len(drop) > 0 && drop[0] == i {
				drop = drop[1:]
				continue
			}
			kept = append(kept, s)
		}
		t.order = kept
	}
	var inserts []uint32
	var rewait []uint32        // rows to put in the wait lists
	var unwait map[uint32]bool // slots to take out of them
	for _, r := range rows {
		id := r.id
		old, _ := t.row(id)
		if old == nil {
			r.slot = t.newSlot()
			t.byID.set(id, r.slot, t) // reads only the other rows' ids
			t.keepText(r)
			t.addGrams(r)
			inserts = append(inserts, r.slot)
			t.addCode(r)
			r.actors = t.sharedActors(r.actors)
			t.addActors(r.slot, r.actors)
			t.points.set(relief.KindDemand, id, r.awards())
			r.fresh = nil
			t.set(r)
			rewait = append(rewait, r.slot)
		} else {
			r.slot = old.slot
			if old.text != r.text {
				t.keepText(r)
				t.dropGrams(old)
				t.addGrams(r)
			} else {
				r.text = old.text
			}
			t.count(old.status, -1)
			if cmpAge(old, r) != 0 {
				inserts = append(inserts, r.slot)
			}
			if old.code != r.code { // never in a store (the code is the id's); in tests
				t.dropCode(old)
				t.addCode(r)
			}
			r.actors = t.sharedActors(r.actors)
			if !slices.Equal(old.actors, r.actors) {
				t.dropActors(r.slot, old.actors)
				t.addActors(r.slot, r.actors)
			}
			t.points.set(relief.KindDemand, id, r.awards())
			r.fresh = nil
			ok := t.keys[r.slot]
			t.set(r)
			if nk := t.keys[r.slot]; nk.wait != ok.wait || nk.since != ok.since || cmpAge(old, r) != 0 || relisted(old, r) {
				if ok.wait != waitNone || listed(old) {
					if unwait == nil {
						unwait = map[uint32]bool{}
					}
					unwait[r.slot] = true
				}
				rewait = append(rewait, r.slot)
			}
		}
		t.count(r.status, 1)
	}
	t.insertOrdered(inserts)
	t.rewait(unwait, rewait)
}

// rewait takes the slots in out out of the wait lists and the re-check
// list, then puts the rows of slots in (by their keys) that wait for
// something in them.
func (t *demandTable) rewait(out map[uint32]bool, in []uint32) {
	for l := range rowLists {
		if len(out) > 0 {
			t.later[l] = slices.DeleteFunc(t.later[l], func(s uint32) bool { return out[s] })
		}
		var add []uint32
		for _, s := range in {
			if ok, _ := t.slots[s].inList(l); ok {
				add = append(add, s)
			}
		}
		if len(add) > 0 {
			c := t.cmpLater(l)
			slices.SortFunc(add, c)
			t.later[l] = mergeSlots(t.later[l], add, c)
		}
	}
	for w := waitNone + 1; w < waitKinds; w++ {
		if len(out) > 0 {
			t.waits[w] = slices.DeleteFunc(t.waits[w], func(s uint32) bool { return out[s] })
		}
		var add []uint32
		for _, s := range in {
			if t.keys[s].wait == w {
				add = append(add, s)
			}
		}
		if len(add) > 0 {
			slices.SortFunc(add, t.cmpWait)
			t.waits[w] = mergeSlots(t.waits[w], add, t.cmpWait)
		}
	}
}

// cmpWait orders slots of rows waiting for the same kind of reply: the
// earliest wait first, then the newest row (so that ties keep the list's
// newest-first order).
func (t *demandTable) cmpWait(a, b uint32) int {
	if c := cmp.Compare(t.keys[a].since, t.keys[b].since); c != 0 {
		return c
	}
	return t.cmpSlots(b, a)
}

// cmpLater orders slots of rows of rowList l as the inbox orders the
// entries of its step: the earliest wait first, then by id.
func (t *demandTable) cmpLater(l int) func(a, b uint32) int {
	return func(a, b uint32) int {
		ra, rb := t.slots[a], t.slots[b]
		_, sa := ra.inList(l)
		_, sb := rb.inList(l)
		return cmp.Or(cmp.Compare(sa, sb), cmp.Compare(ra.id, rb.id))
	}
}

// listed reports whether r is in a rowList.
func listed(r *demandRow) bool {
	for l := range rowLists {
		if in, _ := r.inList(l); in {
			return true
		}
	}
	return false
}

// relisted reports whether the row new, replacing old, is in other
// rowLists or at another place in one.
func relisted(old, new *demandRow) bool {
	for l := range rowLists {
		oi, os := old.inList(l)
		ni, ns := new.inList(l)
		if oi != ni || (ni && os != ns) {
			return true
		}
	}
	return false
}

// mergeSlots merges add (sorted by c) into list (sorted by c). It appends when
// add all comes after list.
func mergeSlots(list, add []uint32, c func(a, b uint32) int) []uint32 {
	if n := len(list); n == 0 || c(list[n-1], add[0]) < 0 {
		return append(list, add...)
	}
	merged := make([]uint32, 0, len(list)+len(add))
	i, j := 0, 0
	for i < len(list) && j < len(add) {
		if c(list[i], add[j]) < 0 {
			merged = append(merged, list[i])
			i++
		} else {
			merged = append(merged, add[j])
			j++
		}
	}
	merged = append(merged, list[i:]...)
	return append(merged, add[j:]...)
}

// insertSlot adds s to l (ascending) unless it is there.
func insertSlot(l []uint32, s uint32) []uint32 {
	if n := len(l); n == 0 || l[n-1] < s {
		return append(l, s)
	}
	i, found := slices.BinarySearch(l, s)
	if found {
		return l
	}
	return slices.Insert(l, i, s)
}

// deleteSlot removes s from l (ascending).
func deleteSlot(l []uint32, s uint32) []uint32 {
	if i, found := slices.BinarySearch(l, s); found {
		return slices.Delete(l, i, i+1)
	}
	return l
}

// addActors adds slot to the actor lists of members.
func (t *demandTable) addActors(slot uint32, members []ledger.DeviceID) {
	for _, m := range members {
		t.actors[m] = insertSlot(t.actors[m], slot)
	}
}

// dropActors removes slot from the actor lists of members.
func (t *demandTable) dropActors(slot uint32, members []ledger.DeviceID) {
	for _, m := range members {
		if l := deleteSlot(t.actors[m], slot); len(l) == 0 {
			delete(t.actors, m)
		} else {
			t.actors[m] = l
		}
	}
}

// codeKey packs a short code (8 ASCII bytes) into a number; longer or
// other codes are hashed (lookups check the code of the rows found).
func codeKey(code string) uint64 {
	var k uint64
	for i := 0; i < len(code); i++ {
		k = k<<8 ^ k>>56*31 ^ uint64(code[i])
	}
	return k
}

// addCode adds r's slot to the rows of its code.
func (t *demandTable) addCode(r *demandRow) {
	k := codeKey(r.code)
	if l, ok := t.codeDups[k]; ok {
		t.codeDups[k] = insertSlot(l, r.slot)
		return
	}
	s0, ok := t.codes[k]
	if !ok {
		t.codes[k] = r.slot
		return
	}
	if s0 == r.slot {
		return
	}
	delete(t.codes, k)
	if t.codeDups == nil {
		t.codeDups = map[uint64][]uint32{}
	}
	t.codeDups[k] = []uint32{min(s0, r.slot), max(s0, r.slot)}
}

// dropCode removes r's slot from the rows of its code.
func (t *demandTable) dropCode(r *demandRow) {
	k := codeKey(r.code)
	if l, ok := t.codeDups[k]; ok {
		if l = deleteSlot(l, r.slot); len(l) == 1 {
			delete(t.codeDups, k)
			t.codes[k] = l[0]
		} else {
			t.codeDups[k] = l
		}
		return
	}
	if s, ok := t.codes[k]; ok && s == r.slot {
		delete(t.codes, k)
	}
}

// withCode returns the slots of the rows whose code is code, ascending.
func (t *demandTable) withCode(code string) []uint32 {
	k := codeKey(code)
	l, ok := t.codeDups[k]
	if !ok {
		s, ok := t.codes[k]
		if !ok {
			return nil
		}
		l = []uint32{s}
	}
	var out []uint32
	for _, s := range l {
		if t.slots[s].code == code {
			out = append(out, s)
		}
	}
	return out
}

// remove takes the rows of ids (those in the table) out of it, for demands
// whose record is gone (a revocation cut undid every change to them). An id
// given twice is removed once (its slot freed once: freed twice, two later
// rows shared it).
func (t *demandTable) remove(ids []string) {
	var gone []*demandRow
	out := map[uint32]bool{}
	for _, id := range ids {
		if r, ok := t.row(id); ok && !out[r.slot] {
			gone = append(gone, r)
			out[r.slot] = true
		}
	}
	if len(gone) == 0 {
		return
	}
	t.order = slices.DeleteFunc(t.order, func(s uint32) bool { return out[s] })
	t.rewait(out, nil)
	for _, r := range gone {
		t.dropGrams(r)
		t.dropActors(r.slot, r.actors)
		t.dropCode(r)
		t.points.set(relief.KindDemand, r.id, nil)
		t.count(r.status, -1)
		t.byID.del(r.id, t) // before its slot is emptied: probes read the ids
		t.slots[r.slot], t.texts[r.slot], t.keys[r.slot] = nil, "", rowKey{}
		t.free = append(t.free, r.slot)
	}
}

func (t *demandTable) count(s relief.Status, n int) {
	if t.counts[s] += n; t.counts[s] == 0 {
		delete(t.counts, s)
	}
}

func (t *demandTable) newSlot() uint32 {
	if n := len(t.free); n > 0 {
		s := t.free[n-1]
		t.free = t.free[:n-1]
		return s
	}
	t.slots = append(t.slots, nil)
	t.keys = append(t.keys, rowKey{})
	t.texts = append(t.texts, "")
	return uint32(len(t.slots) - 1)
}

// find returns the position in t.order of r, a row in the table.
func (t *demandTable) find(r *demandRow) int {
	i, _ := slices.BinarySearchFunc(t.order, r, func(s uint32, r *demandRow) int { return cmpAge(t.slots[s], r) })
	return i
}

// cmpSlots is cmpAge of the rows in slots a and b.
func (t *demandTable) cmpSlots(a, b uint32) int { return cmpAge(t.slots[a], t.slots[b]) }

// insertOrdered merges slots (not in t.order) into t.order. New rows usually
// are newer than all others and are appended.
func (t *demandTable) insertOrdered(slots []uint32) {
	if len(slots) == 0 {
		return
	}
	slices.SortFunc(slots, t.cmpSlots)
	if n := len(t.order); n == 0 || t.cmpSlots(t.order[n-1], slots[0]) < 0 {
		t.order = append(t.order, slots...)
		return
	}
	merged := make([]uint32, 0, len(t.order)+len(slots))
	i, j := 0, 0
	for i < len(t.order) && j < len(slots) {
		if t.cmpSlots(t.order[i], slots[j]) < 0 {
			merged = append(merged, t.order[i])
			i++
		} else {
			merged = append(merged, slots[j])
			j++
		}
	}
	merged = append(merged, t.order[i:]...)
	t.order = append(merged, slots[j:]...)
}

// gramsOf appends to dst the distinct bigrams of text's fields (0 separates
// fields; no bigram spans two) and returns them sorted.
func gramsOf(dst []uint64, text string) []uint64 {
	gs := dst[:0]
	var prev rune = -1
	for _, r := range text {
		if r == 0 {
			prev = -1
			continue
		}
		if prev >= 0 {
			gs = append(gs, gram(prev, r))
		}
		prev = r
	}
	slices.Sort(gs)
	return slices.Compact(gs)
}

func gram(a, b rune) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// addGrams adds r.slot to the posting list of each of r's bigrams.
func (t *demandTable) addGrams(r *demandRow) {
	var gs []uint64
	if r.fresh != nil && r.fresh.grams != nil {
		gs = r.fresh.grams
		r.fresh.grams = nil
	} else {
		gs = gramsOf(nil, r.text)
	}
	for _, g := range gs {
		l := t.grams.edit(g)
		if n := len(l); n == 0 || l[n-1] < r.slot {
			t.grams.set(g, append(l, r.slot))
			continue
		}
		i, found := slices.BinarySearch(l, r.slot)
		if !found {
			t.grams.set(g, slices.Insert(l, i, r.slot))
		}
	}
}

// dropGrams removes r.slot from the posting lists of r's bigrams.
func (t *demandTable) dropGrams(r *demandRow) {
	t.scratch = gramsOf(t.scratch, r.text)
	for _, g := range t.scratch {
		l := t.grams.edit(g)
		if i, found := slices.BinarySearch(l, r.slot); found {
			t.grams.set(g, slices.Delete(l, i, i+1))
		}
	}
}

// candidates returns the slots of the rows whose text holds every bigram of
// text (at least two runes, no 0), ascending. For a text of exactly two runes
// they are the rows that contain it; for a longer one they are a superset.
func (t *demandTable) candidates(text string) []uint32 {
	var lists [][]uint32
	var prev rune = -1
	for _, r := range text {
		if prev >= 0 {
			l, ok := t.grams.get(gram(prev, r))
			if !ok {
				return nil
			}
			lists = append(lists, l)
		}
		prev = r
	}
	if len(lists) == 0 {
		return nil
	}
	slices.SortFunc(lists, func(a, b []uint32) int { return cmp.Compare(len(a), len(b)) })
	out := slices.Clone(lists[0])
	for _, l := range lists[1:] {
		out = intersect(out, l)
		if len(out) == 0 {
			return nil
		}
	}
	return out
}

// intersect keeps in a (ascending) the values also in b (ascending), in place.
func intersect(a, b []uint32) []uint32 {
	out := a[:0]
	if len(b) > 8*len(a) {
		for _, v := range a {
			if _, ok := slices.BinarySearch(b, v); ok {
				out = append(out, v)
			}
		}
		return out
	}
	j := 0
	for _, v := range a {
		for j < len(b) && b[j] < v {
			j++
		}
		if j == len(b) {
			break
		}
		if b[j] == v {
			out = append(out, v)
		}
	}
	return out
}

// contains reports whether p (not empty) is in h. It looks for the last byte of
// p with IndexByte: in UTF-8 Chinese every character starts with one of a few
// bytes, so strings.Contains, which looks for the first, stops far more often.
func contains(h, p string) bool {
	k := len(p) - 1
	c := p[k]
	for i := k; i < len(h); {
		j := strings.IndexByte(h[i:], c)
		if j < 0 {
			return false
		}
		i += j
		if h[i-k:i+1] == p {
			return true
		}
		i++
	}
	return false
}

// demandIndex is the store's demand list and points: a demandTable guarded
// for concurrent readers. A rebuild swaps in a new table.
type demandIndex struct {
	mu sync.RWMutex
	t  *demandTable
	// stepsRead says that the inbox's steps have been read from t's rows
	// (stepRowsLocked): a reader may hold rows unlocked since, so setLater
	// replaces a row it changes instead of writing into it.
	stepsRead atomic.Bool
	similar   similarView // the duplicate-key view of t's rows (store/similar.go)
	// dups are the flagged demands of similar, in the inbox's order
	// (duplicates.go).
	dups dupList
	// noSimilar says that the duplicate-key view is not kept (a store
	// opened with Options.ListOnly): similar stays empty.
	noSimilar bool
	// simLater says that the open left the duplicate-key view to its
	// second step (open_settle.go): similar stays empty, and put, refresh
	// and swap leave it alone, until buildSimilar builds it from the whole
	// table. Its readers (DuplicateOf, DuplicateFlags, SimilarDemands) wait
	// for the second step meanwhile.
	simLater bool
	// dl are the network's deadlines, with which awards are computed and
	// reply-by times derived. Written with both s.mu and mu held.
	dl relief.Deadlines

	// The fields below are the writers' (under s.mu).

	// netRecs are the network records by id (NetworkDeadlines reads the
	// store's network's one).
	netRecs map[string]*relief.Record
	// changed are the members whose roster entries changed since the last
	// flush: flushIndex re-derives the records that concern them.
	changed map[ledger.DeviceID]bool
	// rescore says that the deadlines changed since the last flush: every
	// award is computed again (on_time depends on them).
	rescore bool

	// positions are the sealed positions this device opened (sealpos.go),
	// dropped with the rows they were opened for.
	positions positionCache
}

func newDemandIndex() *demandIndex {
	return &demandIndex{t: newDemandTable(), dl: relief.DefaultDeadlines(),
		netRecs: map[string]*relief.Record{}, changed: map[ledger.DeviceID]bool{}}
}

// setTasks replaces the awards and actors of tasks (parallel slices).
func (x *demandIndex) setTasks(ids []string, awards [][]relief.Earned, actors [][]ledger.DeviceID) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for i, id := range ids {
		x.t.points.setTask(id, awards[i], actors[i])
	}
}

// similarOf is similarOf(rows, &x.similar), or nothing when x keeps no
// duplicate-key view (noSimilar) or has left it to the open's second step
// (simLater).
func (x *demandIndex) similarOf(rows []*demandRow) []similarEntry {
	if x.noSimilar || x.simLater {
		return nil
	}
	return similarOf(rows, &x.similar)
}

func (x *demandIndex) put(rows []*demandRow) {
	sim := x.similarOf(rows)
	x.mu.Lock()
	defer x.mu.Unlock()
	x.t.put(rows)
	x.similar.put(sim)
	x.positions.forget(rows, nil)
}

// refresh takes the rows of the demands gone (a cut undid them) out and puts
// rows (demands folded again), in the table and the duplicate-key view.
// Called with s.mu held and no fold running (waitFolds).
func (x *demandIndex) refresh(rows []*demandRow, gone []string) {
	sim := x.similarOf(rows)
	for _, id := range gone {
		sim = append(sim, similarEntry{id: id}) // not an original: its keys are dropped
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.t.remove(gone)
	if len(rows) > 0 {
		x.t.put(rows)
	}
	if !x.simLater {
		x.similar.put(sim)
	}
	x.positions.forget(rows, gone)
}

func (x *demandIndex) swap(t *demandTable) {
	x.swapSimilar(t, x.similarOf(t.slots))
}

// swapSimilar is swap with the duplicate keys of t's rows, by slot,
// computed already (similarOf of t.slots with no view before).
func (x *demandIndex) swapSimilar(t *demandTable, sim []similarEntry) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.t = t
	if !x.simLater {
		x.similar.reset(sim)
	}
	x.positions.reset()
}

// buildSimilar builds the duplicate-key view the open left to its second
// step (simLater) from every row of the table, as swap does, settles its
// flags (settleDuplicates) and reports whether the inbox's duplicate step
// changed. Called by settleOpen, while every writer waits for it: the table
// does not move under it.
func (x *demandIndex) buildSimilar() bool {
	x.mu.RLock()
	slots := x.t.slots
	x.mu.RUnlock()
	sim := similarOf(slots, &x.similar) // x.similar is empty: nothing to reuse
	x.mu.Lock()
	x.similar.reset(sim)
	x.simLater = false
	x.mu.Unlock()
	return x.settleDuplicates()
}
