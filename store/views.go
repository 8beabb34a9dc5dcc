package store

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	memdb "github.com/hashicorp/go-memdb"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// The views: the structured indexes of volunteers, offers, tasks, members and
// inbox entries, the members held in a go-memdb database, the others in
// copy-on-write B-trees (views_table.go), all
// kept up to date by the commit path (viewRecords, flushViews, the demand
// folds), never recomputed by a query. Rows are compact: ids and the indexed
// fields; a screen that shows a record reads it from Badger by id. Readers
// take a memdb read transaction or a table's snapshot, a consistent state
// while the apply path writes. Writers hold s.mu (memdb and the tables
// serialise their writers too). A query reads the records of its page from
// Badger after taking its snapshot, so a record may be newer than the row
// that selected it; the next query, which the change's event prompts, sees
// both alike.

// View table names, as ViewChanged takes them.
const (
	ViewVolunteers = "volunteer" // volunteer profiles
	ViewOffers     = "offer"     // offers
	ViewTasks      = "task"      // tasks
	ViewMembers    = "member"    // the roster
	ViewInbox      = "inbox"     // what waits on whom: demand steps and task answers
)

// volunteerRow is a volunteer profile as the view holds it.
type volunteerRow struct {
	ID     string
	Name   string   // sort key of the list (then ID)
	Skills []string // as written
	Region string
	Days   []string // weekdays with an availability window, "0" (Sunday) … "6"
	HasKey bool     // the profile names a member key (a task can be offered to it)
	// Text is the lower-cased name, code, region, organisation, skills and
	// training, 0-separated: the registry page's search (VolunteerRowsFor)
	// reads it whole, VolunteersQuery its first Base bytes (no training).
	Text string
	Base int
	// Windows are the profile's availability windows, for the page's
	// "available now" filter.
	Windows []relief.Window
	// Rev names this row among every row the process made (rowRevs): a
	// record written again gets a new row, so a new Rev; a copy of the row
	// (rehome) keeps it. The pages' caches key on it (VolunteerRows.Revs).
	Rev uint64
}

// base returns the part of r's Text without the training.
func (r *volunteerRow) base() string { return r.Text[:r.Base] }

// offerRow is an offer as the view holds it.
type offerRow struct {
	ID      string
	Created ledger.Stamp
	Kind    string   // relief.OfferKindOf
	Region  string   // as written
	Items   []string // lower-cased item names
	Text    string   // lower-cased supplier, region, code and item names, 0-separated (as the offer list searches)
	Rev     uint64   // as volunteerRow.Rev
	// Code, Supplier, ValidUntil and Place are the offer's, for the map
	// (OfferPoints); Place is nil for none, interned (offerPlaces).
	Code       string
	Supplier   string
	ValidUntil time.Time
	Place      *relief.Place
}

// taskRow is a task as the view holds it, folded with the current roster.
type taskRow struct {
	ID        string
	Demand    string
	OfferedTo string // member id; empty when offered to nobody
	Created   ledger.Stamp
	Status    relief.Status
}

// memberRow is a roster entry as the view holds it.
type memberRow struct {
	Key        string // member id
	Role       string
	EndorsedBy string // empty for the genesis member
	Revoked    bool
}

// inboxEntry is one demand or task that waits on someone: on one member (To)
// or on whoever holds a role that may take the step (To empty: What says
// which step, roleSteps which roles). Due is derived from Since and the
// network's deadlines (or the task's own reply-by, Own) when the entry is
// written, and again when the deadlines change; Overdue and Soon are flagged
// at query time.
type inboxEntry struct {
	Key    string // "d/<id>" or "t/<id>"
	Kind   string // relief.KindDemand or relief.KindTask
	ID     string
	Code   string
	What   string // relief.ReplyReview … ReplyRecheck; "" in a deletion
	Status relief.Status
	Since  time.Time
	Due    time.Time       // zero for ReplyOwned and ReplyComplete
	To     ledger.DeviceID // the member it waits on; zero when it waits on a role
	// Recheck is, on a demand's main entry ("d/<id>"), when the published
	// demand was last confirmed (relief.RecheckPending's Since); zero when it
	// is not to be re-checked. putEntry derives the demand's re-check entry
	// ("r/<id>", What relief.ReplyRecheck, waiting on a role) from it.
	Recheck time.Time
	// notices: a demand's main entry carries its notices (views_notices.go)
	// until putEntry writes them.
	notices *[]*inboxEntry
	// more holds the fields few entries have (nil when all are zero): read
	// them with own, by, ref, notice, count, seq and demand; set them with
	// setMore before the entry is put, never after.
	more *entryMore
}

// entryMore is the part of an inbox entry that few entries have: 112 bytes
// that most of the 200,000 entries at 100k demands (duplicate flags, a
// demand's step, re-checks) would carry as zeros. Never changed once the
// entry is put (entries share it when copied).
type entryMore struct {
	Own time.Time       // a task's own reply-by, a transfer request's; zero: Since + the window of What
	By  ledger.DeviceID // relief.ReplyTransfer: the member who asked to take over (by index)
	// Notices (views_notices.go): a conflict or pending delivery entry has
	// Key "d/<id>\x01<ref>", Ref and Notice.
	Ref    string
	Notice *relief.Notice
	// Count is the number of changes undone (relief.ReplyUndone); 0 otherwise.
	Count int
	// Seq is, for relief.ReplyFork, the seq at which the member's feed
	// forked; 0 otherwise.
	Seq uint64
	// Original is the code of the original of a duplicate flag
	// (relief.ReplyDuplicate, see duplicates.go); "" otherwise. Only the
	// entries the duplicate step makes when read have one: no stored entry
	// does, so it is kept here rather than in 16 bytes of every entry.
	Original string
	// Demand is, for a check-out entry (relief.ReplyCheckout, Key
	// "c/<task id>"), the task's demand, whose owner it reaches once
	// overdue; "" otherwise.
	Demand string
}

var noMore entryMore

func (e *inboxEntry) m() *entryMore {
	if e.more == nil {
		return &noMore
	}
	return e.more
}

func (e *inboxEntry) own() time.Time         { return e.m().Own }
func (e *inboxEntry) by() ledger.DeviceID    { return e.m().By }
func (e *inboxEntry) ref() string            { return e.m().Ref }
func (e *inboxEntry) notice() *relief.Notice { return e.m().Notice }
func (e *inboxEntry) count() int             { return e.m().Count }
func (e *inboxEntry) seq() uint64            { return e.m().Seq }
func (e *inboxEntry) demand() string         { return e.m().Demand }
func (e *inboxEntry) original() string       { return e.m().Original }

// setMore sets the rare fields of e (an entry not yet put) with set, on a
// copy of its own: the part is dropped again when set leaves it all zero.
func (e *inboxEntry) setMore(set func(*entryMore)) {
	m := *e.m()
	set(&m)
	if m == (entryMore{}) {
		e.more = nil
		return
	}
	e.more = &m
}

// same reports whether e and o hold the same values (their rare parts
// compared by value, not by pointer).
func (e *inboxEntry) same(o *inboxEntry) bool {
	a, b := *e, *o
	a.more, b.more = nil, nil
	return a == b && *e.m() == *o.m()
}

// snapInbox is an inbox entry as the views snapshot holds it (CBOR, by
// field name): the fields and their order of the entry before its rare
// fields went behind a pointer, so that the file's format is unchanged.
type snapInbox struct {
	Key      string
	Kind     string
	ID       string
	Code     string
	What     string
	Status   relief.Status
	Since    time.Time
	Own      time.Time
	Due      time.Time
	To       ledger.DeviceID
	By       ledger.DeviceID
	Recheck  time.Time
	Ref      string
	Notice   *relief.Notice
	Original string
	Count    int
	Seq      uint64
	Demand   string
}

// toSnap returns e as the snapshot holds it.
func (e *inboxEntry) toSnap() snapInbox {
	m := e.m()
	return snapInbox{Key: e.Key, Kind: e.Kind, ID: e.ID, Code: e.Code, What: e.What, Status: e.Status, Since: e.Since,
		Own: m.Own, Due: e.Due, To: e.To, By: m.By, Recheck: e.Recheck, Ref: m.Ref, Notice: m.Notice,
		Original: m.Original, Count: m.Count, Seq: m.Seq, Demand: m.Demand}
}

// entry returns the inbox entry w holds.
func (w *snapInbox) entry() inboxEntry {
	e := inboxEntry{Key: w.Key, Kind: w.Kind, ID: w.ID, Code: w.Code, What: w.What, Status: w.Status, Since: w.Since,
		Due: w.Due, To: w.To, Recheck: w.Recheck}
	e.setMore(func(m *entryMore) {
		*m = entryMore{Own: w.Own, By: w.By, Ref: w.Ref, Notice: w.Notice, Count: w.Count, Seq: w.Seq, Demand: w.Demand,
			Original: w.Original}
	})
	return e
}

// recheckKey returns the primary key of the re-check entry of demand id.
func recheckKey(id string) string { return "r/" + id }

// entryKey returns the primary key of the inbox entry of kind/id.
func entryKey(kind, id string) string { return kind[:1] + "/" + id }

// keyIndex is a memdb index whose value a function derives from the row.
// Arguments are a string (matched whole: a 0 byte is added) or a []byte (used
// as given, for prefixes and compound keys).
type keyIndex struct {
	key func(row any) ([]byte, bool)
}

func (k keyIndex) FromObject(row any) (bool, []byte, error) {
	b, ok := k.key(row)
	return ok, b, nil
}

func (k keyIndex) FromArgs(args ...any) ([]byte, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("key index: %d arguments; want 1", len(args))
	}
	switch a := args[0].(type) {
	case string:
		return append([]byte(a), 0), nil
	case []byte:
		return a, nil
	}
	return nil, fmt.Errorf("key index: argument of type %T; want string or []byte", args[0])
}

func (k keyIndex) PrefixFromArgs(args ...any) ([]byte, error) { return k.FromArgs(args...) }

// str returns s as an index value: its bytes and a 0.
func str(s string) []byte { return append([]byte(s), 0) }

// timeKey returns t as 8 bytes that sort as the times do.
func timeKey(t time.Time) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(t.UnixNano())^1<<63)
}

// dueKey returns a due time as 8 bytes that sort as the times do, with no
// due time (zero) after every other.
func dueKey(t time.Time) []byte {
	if t.IsZero() {
		return []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	}
	return timeKey(t)
}

// stampKey returns s as 12 bytes that sort as the stamps do.
func stampKey(s ledger.Stamp) []byte {
	b := binary.BigEndian.AppendUint64(nil, uint64(s.Wall)^1<<63)
	return binary.BigEndian.AppendUint32(b, s.Logical)
}

func idIndex(field string) *memdb.IndexSchema {
	return &memdb.IndexSchema{Name: "id", Unique: true, Indexer: &memdb.StringFieldIndex{Field: field}}
}

func index(name string, allowMissing bool, ix memdb.Indexer) *memdb.IndexSchema {
	return &memdb.IndexSchema{Name: name, AllowMissing: allowMissing, Indexer: ix}
}

func tableSchema(name string, ixs ...*memdb.IndexSchema) *memdb.TableSchema {
	t := &memdb.TableSchema{Name: name, Indexes: map[string]*memdb.IndexSchema{}}
	for _, ix := range ixs {
		t.Indexes[ix.Name] = ix
	}
	return t
}

// viewSchema has only the indexes the screens use, as each index entry costs
// about 500 bytes (BenchmarkViewsMemory):
//
//	member     id; role; endorser
//
// The volunteers, offers, tasks and inbox entries are not in memdb but in
// rowTables (views_table.go), B-trees of row pointers at about a hundredth
// of the bytes per index entry:
//
//	volunteer  id; name (the list's order)
//	offer      id; created (newest first)
//	task       id; demand (+ created: a demand's tasks, newest first); offered (to a member)
//	inbox      id; to (entries waiting on one member, by due time); by (transfer
//	           requests by their asker); step (every entry with a due time, by
//	           step and due time: a role's inbox, Overdue); notice (what every
//	           coordinator sees)
//
// Skills, region, availability, kind and items are row fields that the
// queries filter on while they read an index: with 20,000 rows a scan costs
// less than keeping an index of them (no screen filters on a skill or a kind
// alone; the skill and kind indexes, dropped, took 25 MiB at 20,000 each).
func viewSchema() *memdb.DBSchema {
	return &memdb.DBSchema{Tables: map[string]*memdb.TableSchema{
		ViewMembers: tableSchema(ViewMembers,
			idIndex("Key"),
			index("role", false, &memdb.StringFieldIndex{Field: "Role"}),
			index("endorser", true, &memdb.StringFieldIndex{Field: "EndorsedBy"}),
		),
	}}
}

// views holds the memdb database of the views and what the writers need to
// derive rows. db is safe for concurrent use; the other fields are guarded by
// Store.mu.
type views struct {
	db     *memdb.MemDB
	inbox  *inboxTable     // the inbox entries (ViewInbox)
	tasks  *taskTable      // the task rows (ViewTasks)
	vols   *volunteerTable // the volunteer rows (ViewVolunteers)
	offers *offerTable     // the offer rows (ViewOffers)
	log    *slog.Logger
	dl     relief.Deadlines // the deadlines the inbox entries' due times were derived with
	// dlRead is dl for the inbox's readers, who derive the duplicate
	// step's due times (duplicates.go) without Store.mu.
	dlRead atomic.Pointer[relief.Deadlines]
	// stale says that the roster changed since the last flushViews: tasks
	// (folded with the roster) and members are re-derived there.
	stale bool
	// changed are the members whose roster entries or role histories changed
	// since the last flushViews (rebuildRoster); writers indexes the
	// volunteer and offer records by the authors of their field writes, so
	// that flushViews re-derives only the records of those members.
	changed map[ledger.DeviceID]bool
	writers map[ledger.DeviceID]map[viewRef]bool
	// pages caches the row lists the paged screens read (views_pages.go).
	pages pageCache
	// storeSteps keeps every demand's main inbox entry and re-check entry
	// stored in inbox, as the code before session 14 did, rather than made
	// from the demand rows when read: the model of TestInboxFromRowsAsStored,
	// set by it on a new store before any demand is written. False in every
	// store the app or hub opens.
	storeSteps bool
	// opener opens the sealed values of volunteers and offers wrapped to
	// this device, into their rows (in memory only).
	opener relief.Opener
}

func newViews(log *slog.Logger) *views {
	db, err := memdb.NewMemDB(viewSchema())
	if err != nil {
		panic("store: view schema: " + err.Error()) // a programming error, caught by every test
	}
	v := &views{db: db, inbox: newInboxTable(), tasks: newTaskTable(), vols: newVolunteerTable(), offers: newOfferTable(),
		log: log, dl: relief.DefaultDeadlines(),
		changed: map[ledger.DeviceID]bool{}, writers: map[ledger.DeviceID]map[viewRef]bool{}}
	dl := v.dl
	v.dlRead.Store(&dl)
	return v
}

// deadlines returns the deadlines the inbox's entries are due by, for its
// readers.
func (v *views) deadlines() relief.Deadlines { return *v.dlRead.Load() }

// touchInbox publishes the inbox view's state again, unchanged, so that its
// watchers and page cache read it again: the duplicate step, which it does
// not hold (duplicates.go), changed.
func (v *views) touchInbox() {
	txn := v.inbox.write()
	txn.changed = true
	txn.Commit()
}

// viewTxn is a write transaction over every view: memdb's tables (the
// members), the volunteer, offer and task rows and the inbox entries. Each
// part is published at Commit, in that order.
type viewTxn struct {
	db     *memdb.Txn
	vols   *rowTxn[*volunteerRow]
	offers *rowTxn[*offerRow]
	tasks  *taskTxn
	inbox  *inboxTxn
}

// write opens a write transaction over every view (memdb's writer lock,
// then the volunteers', the offers', the tasks', the inbox's). Commit or
// Abort must follow.
func (v *views) write() *viewTxn {
	return &viewTxn{db: v.db.Txn(true), vols: v.vols.write(), offers: v.offers.write(), tasks: v.tasks.write(), inbox: v.inbox.write()}
}

// Commit publishes the transaction's changes.
func (x *viewTxn) Commit() {
	x.db.Commit()
	x.vols.Commit()
	x.offers.Commit()
	x.tasks.Commit()
	x.inbox.Commit()
}

// Abort drops the changes not committed; after Commit it does nothing.
func (x *viewTxn) Abort() {
	x.db.Abort()
	x.vols.Abort()
	x.offers.Abort()
	x.tasks.Abort()
	x.inbox.Abort()
}

// viewRef names a volunteer or offer record of the views.
type viewRef struct{ kind, id string }

// noteWriters adds rec (a volunteer or offer) to the writers index under the
// authors of its field writes. Entries are never taken out: a record no
// longer written by a member is only re-derived once more for nothing.
func (v *views) noteWriters(rec *relief.Record) {
	ref := viewRef{rec.Kind, rec.ID}
	for _, w := range appendWriters(nil, rec) {
		m := v.writers[w]
		if m == nil {
			m = map[viewRef]bool{}
			v.writers[w] = m
		}
		m[ref] = true
	}
}

// touched returns the volunteer and offer records written by the changed
// members, sorted, and forgets the changed members.
func (v *views) touched() []viewRef {
	seen := map[viewRef]bool{}
	for m := range v.changed {
		for r := range v.writers[m] {
			seen[r] = true
		}
	}
	clear(v.changed)
	out := slices.Collect(maps.Keys(seen))
	slices.SortFunc(out, func(a, b viewRef) int { return cmp.Or(cmp.Compare(a.kind, b.kind), cmp.Compare(a.id, b.id)) })
	return out
}

// rowRevs counts the volunteer and offer rows made by this process
// (volunteerRow.Rev): never 0 for a row.
var rowRevs atomic.Uint64

// offerPlaces interns the offer rows' places (relief.Place → *relief.Place):
// offers share a few thousand counties at most.
var offerPlaces sync.Map

// newVolunteerRow derives the view row of v.
func newVolunteerRow(v relief.Volunteer) *volunteerRow {
	r := &volunteerRow{ID: v.ID, Name: v.Name, Skills: v.Skills, Region: v.Region, HasKey: !v.Key.IsZero(), Rev: rowRevs.Add(1)}
	var days [7]bool
	for _, w := range v.Availability {
		if w.Day >= 0 && w.Day <= 6 {
			days[w.Day] = true
		}
	}
	for d, ok := range days {
		if ok {
			r.Days = append(r.Days, strconv.Itoa(d))
		}
	}
	parts := append([]string{v.Name, v.Code, v.Region, v.Organisation}, v.Skills...)
	r.Text = strings.ToLower(strings.Join(parts, "\x00"))
	r.Base = len(r.Text)
	if len(v.Training) > 0 {
		r.Text += "\x00" + strings.ToLower(strings.Join(v.Training, "\x00"))
	}
	r.Windows = v.Availability
	return r
}

// newOfferRow derives the view row of o.
func newOfferRow(o relief.Offer) *offerRow {
	r := &offerRow{ID: o.ID, Created: o.CreatedAt, Kind: string(relief.OfferKindOf(o)), Region: o.Region, Rev: rowRevs.Add(1),
		Code: o.Code, Supplier: o.Supplier, ValidUntil: o.ValidUntil}
	if !o.Place.IsZero() {
		p, ok := offerPlaces.Load(o.Place)
		if !ok {
			pl := o.Place
			p, _ = offerPlaces.LoadOrStore(pl, &pl)
		}
		r.Place = p.(*relief.Place)
	}
	parts := []string{o.Supplier, o.Region, o.Code}
	for _, it := range o.Items {
		name := strings.ToLower(it.Name)
		parts = append(parts, it.Name)
		if name != "" {
			r.Items = append(r.Items, name)
		}
	}
	r.Text = strings.ToLower(strings.Join(parts, "\x00"))
	return r
}

// newTaskRow derives the view row of t and its inbox entry (What "" when it
// waits on nobody).
func newTaskRow(t relief.Task) (*taskRow, *inboxEntry) {
	r := &taskRow{ID: t.ID, Demand: t.Demand, Created: t.CreatedAt, Status: t.Status}
	if !t.OfferedTo.IsZero() {
		r.OfferedTo = t.OfferedTo.String()
	}
	e := &inboxEntry{Key: entryKey(relief.KindTask, t.ID), Kind: relief.KindTask, ID: t.ID, Code: t.Code,
		Status: t.Status, Since: t.CreatedAt.Time(), To: t.OfferedTo}
	switch {
	case t.OfferedTo.IsZero():
	case t.Status == relief.StatusOffered:
		e.What = relief.ReplyAnswer
		if !t.ReplyBy.IsZero() {
			own := t.ReplyBy.UTC()
			e.setMore(func(m *entryMore) { m.Own = own })
		}
	case t.Status == relief.StatusAccepted:
		e.What = relief.ReplyComplete
	}
	return r, e
}

// demandEntry derives the inbox entry of the folded demand d (with its
// history): the step it waits for (relief.Waiting), or, when it waits for
// nobody and is open with an owner, ReplyOwned for the owner. What is "" when
// it waits on nobody. The commit path calls it where it folds demands.
func demandEntry(d relief.Demand) *inboxEntry {
	e := &inboxEntry{Key: entryKey(relief.KindDemand, d.ID), Kind: relief.KindDemand, ID: d.ID, Code: d.Code, Status: d.Status}
	if p, ok := relief.RecheckPending(d, relief.Deadlines{}, time.Time{}); ok {
		e.Recheck = p.Since.UTC()
	}
	e.notices = noticeEntries(d)
	if what, since, ok := relief.Waiting(d); ok {
		e.What, e.Since = what, since.UTC()
		return e
	}
	if p, ok := relief.OwnerPending(d, relief.Deadlines{}, time.Time{}); ok {
		e.What, e.To, e.Since = p.What, p.To, p.Since.UTC()
		e.setMore(func(m *entryMore) {
			m.By = p.By
			if p.What == relief.ReplyTransfer {
				m.Own = p.Due.UTC() // the request's own reply-by
			}
		})
	}
	return e
}

// recheckEntry derives the re-check entry of the demand whose main entry is
// e: What "" (a deletion) when e.Recheck is zero.
func recheckEntry(e *inboxEntry) *inboxEntry {
	r := &inboxEntry{Key: recheckKey(e.ID), Kind: relief.KindDemand, ID: e.ID}
	if !e.Recheck.IsZero() {
		r.Code, r.What, r.Status, r.Since = e.Code, relief.ReplyRecheck, e.Status, e.Recheck
	}
	return r
}

// derive sets e.Due from dl: the task's own reply-by, or Since plus the
// window of the step; zero for entries without a deadline.
func (e *inboxEntry) derive(dl relief.Deadlines) {
	switch {
	case e.What == relief.ReplyOwned || e.What == relief.ReplyComplete || e.What == "" || e.notice() != nil:
		e.Due = time.Time{}
	case !e.own().IsZero():
		e.Due = e.own()
	default:
		e.Due = dl.Due(e.What, e.Since).UTC()
	}
}

// putEntry writes e (derived with v.dl), or deletes the entry of its key when
// e waits on nobody. An unchanged entry is not rewritten. A demand's main
// entry of a step the inbox makes from the demand rows (rowStep,
// inbox_rows.go) and its re-check entry are not stored (unless storeSteps).
func (v *views) putEntry(txn *inboxTxn, e *inboxEntry) error {
	// Only a demand's main entry derives its re-check entry and carries its
	// notices; the other entries of a demand (a re-check, a duplicate flag)
	// must leave them be.
	if e.Key == entryKey(relief.KindDemand, e.ID) {
		if v.storeSteps {
			if err := v.putEntry(txn, recheckEntry(e)); err != nil {
				return err
			}
		}
		if err := putNotices(txn, e); err != nil {
			return err
		}
		if !v.storeSteps && rowStep(e.What) {
			txn.del(e.Key) // an entry that waited on its owner before
			return nil
		}
	}
	if e.What == "" {
		txn.del(e.Key)
		return nil
	}
	e.derive(v.dl)
	if o, ok := txn.get(e.Key); ok && o.same(e) {
		return nil
	}
	txn.put(e)
	return nil
}

// compact copies the inbox entries and the task rows into large blocks
// (rowTable.rehome) and drops the page caches' lists of the old ones. The
// open calls it once its views are built, before it returns its garbage to
// the system (trimAfterOpen): the rows it put one by one sat among the
// folds' garbage, and each kept a mostly empty span of the heap resident.
// Readers see the same answers; writers wait (the tables' write locks).
func (v *views) compact() {
	v.inbox.rehome(compactEntries)
	v.tasks.rehome(compactTasks)
	v.vols.rehome(func(rs []*volunteerRow) []*volunteerRow { return compactRowsOf(rs, volunteerStrings) })
	v.offers.rehome(func(rs []*offerRow) []*offerRow { return compactRowsOf(rs, offerStrings) })
	v.pages.mu.Lock()
	v.pages.inbox, v.pages.vol, v.pages.offer = nil, nil, nil
	v.pages.mu.Unlock()
}

// putDemands writes the inbox entries of freshly folded demands.
func (v *views) putDemands(entries []*inboxEntry) {
	if len(entries) > 0 {
		v.putDemandsIn(v.inbox.write(), entries)
	}
}

// loadDemands is putDemands for many entries at once (a large catch-up's,
// catchup.go): the inbox's secondary indexes are built once, at the end,
// on every core (inboxTable.writeBulk).
func (v *views) loadDemands(entries []*inboxEntry) {
	if len(entries) > 0 {
		v.putDemandsIn(v.inbox.writeBulk(), entries)
	}
}

// putDemandsIn is putDemands in txn, which it commits: the inbox view is
// published again even when no stored entry changed, as the entries it
// makes from the demand rows (inbox_rows.go) may have.
func (v *views) putDemandsIn(txn *inboxTxn, entries []*inboxEntry) {
	defer txn.Abort()
	for _, e := range entries {
		if err := v.putEntry(txn, e); err != nil {
			v.log.Error("update the inbox view", "demand", e.ID, "err", err)
			return
		}
	}
	txn.changed = true
	txn.Commit()
}

// setDemands makes entries the inbox entries of every demand (after all were
// folded again): it writes those that changed and drops the demand entries
// not among them. The inbox view is published again (as putDemandsIn).
func (v *views) setDemands(entries []*inboxEntry) error {
	txn := v.inbox.write()
	defer txn.Abort()
	txn.changed = true
	keep := make(map[string]struct{}, len(entries))
	for _, e := range entries {
		if e.What != "" && (v.storeSteps || !rowStep(e.What)) {
			keep[e.Key] = struct{}{}
		}
		if !e.Recheck.IsZero() && v.storeSteps {
			keep[recheckKey(e.ID)] = struct{}{}
		}
		if e.notices != nil {
			for _, n := range *e.notices {
				keep[n.Key] = struct{}{}
			}
		}
		if err := v.putEntry(txn, e); err != nil {
			return fmt.Errorf("inbox view: %w", err)
		}
	}
	var drop []string
	for _, prefix := range []string{entryKey(relief.KindDemand, ""), recheckKey("")} {
		for e := range txn.s.prefix(prefix) {
			if _, ok := keep[e.Key]; !ok {
				drop = append(drop, e.Key)
			}
		}
	}
	for _, k := range drop {
		txn.del(k)
	}
	txn.Commit()
	return nil
}

// setDeadlines re-derives the due time of every entry that has one when dl
// differs from the deadlines they were derived with.
func (v *views) setDeadlines(dl relief.Deadlines) error {
	if dl == v.dl {
		return nil
	}
	v.dl = dl
	v.dlRead.Store(&dl)
	txn := v.inbox.write()
	defer txn.Abort()
	txn.changed = true // the duplicate step's due times are derived from dl when read
	var redo []*inboxEntry
	for o := range txn.s.all(inboxStep) {
		if e := *o; e.own().IsZero() {
			redo = append(redo, &e)
		}
	}
	for _, e := range redo {
		e.derive(dl)
		txn.put(e)
	}
	txn.Commit()
	return nil
}

// putRecord writes the row (and for a task its inbox entry) of a volunteer,
// offer or task record, folded with roster, or deletes it when the record is
// no longer live (a revocation cut undid every op on it).
func (v *views) putRecord(txn *viewTxn, rec *relief.Record, roster *relief.Roster) error {
	table := map[string]string{relief.KindVolunteer: ViewVolunteers, relief.KindOffer: ViewOffers, relief.KindTask: ViewTasks}[rec.Kind]
	if table == "" {
		return nil
	}
	if rec.First == nil {
		if rec.Kind != relief.KindTask {
			putRecordNotices(txn.inbox, rec.Kind, rec.ID, nil)
		}
		if rec.Kind == relief.KindTask {
			txn.tasks.del(rec.ID)
			txn.inbox.del(checkoutKey(rec.ID))
			txn.inbox.del(entryKey(relief.KindTask, rec.ID))
			return nil
		}
		if rec.Kind == relief.KindVolunteer {
			txn.vols.del(rec.ID)
		} else {
			txn.offers.del(rec.ID)
		}
		return nil
	}
	switch rec.Kind {
	case relief.KindVolunteer:
		v.noteWriters(rec)
		vol := foldVolunteer(v.opener, rec, roster)
		putRecordNotices(txn.inbox, rec.Kind, rec.ID, recordNotices(rec.Kind, rec.ID, vol.Conflicts))
		txn.vols.put(newVolunteerRow(vol))
		return nil
	case relief.KindOffer:
		v.noteWriters(rec)
		of := foldOffer(v.opener, rec, roster)
		putRecordNotices(txn.inbox, rec.Kind, rec.ID, recordNotices(rec.Kind, rec.ID, of.Conflicts))
		txn.offers.put(newOfferRow(of))
		return nil
	}
	return v.putTask(txn, relief.FoldTask(rec, roster))
}

// putTask writes the row and inbox entry of the live task t, folded with the
// current roster; an unchanged row is left as it is.
func (v *views) putTask(txn *viewTxn, t relief.Task) error {
	row, e := newTaskRow(t)
	// After a roster change every task is folded again; most rows stay.
	if o, ok := txn.tasks.get(row.ID); !ok || *o != *row {
		txn.tasks.put(row)
	}
	if err := v.putEntry(txn.inbox, checkoutEntry(t)); err != nil {
		return err
	}
	return v.putEntry(txn.inbox, e)
}

// setMembers makes the member rows those of roster.
func (v *views) setMembers(roster *relief.Roster) error {
	txn := v.db.Txn(true)
	defer txn.Abort()
	if _, err := txn.DeleteAll(ViewMembers, "id"); err != nil {
		return fmt.Errorf("member view: %w", err)
	}
	for _, m := range roster.Members() {
		r := &memberRow{Key: m.Key.String(), Role: string(m.Role), Revoked: m.Revoked}
		if !m.EndorsedBy.IsZero() {
			r.EndorsedBy = m.EndorsedBy.String()
		}
		if err := txn.Insert(ViewMembers, r); err != nil {
			return fmt.Errorf("member view: %w", err)
		}
	}
	txn.Commit()
	return nil
}

// viewRecords takes records just committed (or rebuilt by a cut) into the
// views: volunteers, offers and tasks at once; when the roster changed, the
// tasks and members are re-derived by the next flushViews; when the network
// record changed, the deadlines are read again. Demands reach the views
// through their folds (foldTask, refoldDemands). Called with s.mu held.
func (s *Store) viewRecords(recs []*relief.Record, rosterChanged bool) {
	v := s.views
	v.stale = v.stale || rosterChanged
	if !slices.ContainsFunc(recs, func(r *relief.Record) bool { return r.Kind != relief.KindDemand && r.Kind != relief.KindMember }) {
		return // demands come with their folds; members with the roster
	}
	txn := v.write()
	defer txn.Abort()
	network := false
	for _, rec := range recs {
		if rec.Kind == relief.KindNetwork {
			network = true
			continue
		}
		if err := v.putRecord(txn, rec, s.roster); err != nil {
			s.log.Error("update views", "kind", rec.Kind, "id", rec.ID, "err", err)
			return
		}
	}
	txn.Commit()
	if network && !v.stale {
		if err := v.setDeadlines(s.deadlinesLocked()); err != nil {
			s.log.Error("update views", "err", err)
		}
	}
}

// flushViews re-derives what a roster change affects in the views: the
// members and the deadlines (only coordinators' windows count). The tasks and
// demands that concern the changed members are folded again by flushIndex
// (refoldMembers), which hands them to the views (viewTasks, putDemands).
// Called with s.mu held, by flushIndex.
func (s *Store) flushViews() {
	if !s.views.stale {
		return
	}
	if err := s.rebuildViews(); err != nil {
		s.log.Error("update views after a roster change", "err", err)
	}
	if err := s.refoldWritten(s.views.touched()); err != nil {
		s.log.Error("update views after a roster change", "err", err)
	}
}

// refoldWritten folds again the volunteer and offer records refs (those
// written by members whose roles changed) with the current roster and puts
// them in the views. Called with s.mu held.
func (s *Store) refoldWritten(refs []viewRef) error {
	if len(refs) == 0 {
		return nil
	}
	var recs []*relief.Record
	err := s.db.View(func(txn *badger.Txn) error {
		for _, r := range refs {
			rec, err := s.loadRecord(txn, r.kind, r.id)
			if err != nil {
				return err
			}
			recs = append(recs, rec)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("refold records written by changed members: %w", err)
	}
	txn := s.views.write()
	defer txn.Abort()
	for _, rec := range recs {
		if err := s.views.putRecord(txn, rec, s.roster); err != nil {
			return fmt.Errorf("%s view: %w", rec.Kind, err)
		}
	}
	txn.Commit()
	return nil
}

// viewTasks writes the task rows and inbox entries of recs, folded with the
// current roster (a record with no change left, undone by a cut, is taken
// out). Called with s.mu held.
func (s *Store) viewTasks(recs []*relief.Record) error {
	if len(recs) == 0 {
		return nil
	}
	txn := s.views.write()
	defer txn.Abort()
	for _, rec := range recs {
		if err := s.views.putRecord(txn, rec, s.roster); err != nil {
			return fmt.Errorf("task view: %w", err)
		}
	}
	txn.Commit()
	return nil
}

// rebuildViews derives the member view and the deadlines from the roster, and
// the views of kinds (relief.KindVolunteer, KindOffer, KindTask) from Badger;
// the demand entries come with the demand folds. Called with s.mu held, by
// load and flushViews.
func (s *Store) rebuildViews(kinds ...string) error {
	v := s.views
	v.stale = false
	if err := v.setMembers(s.roster); err != nil {
		return err
	}
	if err := v.setDeadlines(s.deadlinesLocked()); err != nil {
		return err
	}
	return s.rebuildKinds(kinds...)
}

// rebuildKinds rebuilds the views of kinds from Badger, as rebuildViews
// does (which calls it after the member view and the deadlines): with s.mu
// held, or by settleOpen while every writer waits for it.
func (s *Store) rebuildKinds(kinds ...string) error {
	v := s.views
	roster := s.roster
	for _, kind := range kinds {
		// Records are decoded and folded on every core (foldAll); the rows
		// are written in one transaction. Rows are written over (unchanged
		// task rows and entries are left as they are); a record gone from
		// Badger was taken out of the views when it went (viewRecords,
		// after a cut).
		type derived struct {
			rec     *relief.Record    // set when the record is not live (deleted from the views)
			row     any               // *volunteerRow or *offerRow
			task    relief.Task       // a live task's fold
			ref     viewRef           // a volunteer's or offer's
			writers []ledger.DeviceID // the authors of its field writes (views.writers)
			notices []*inboxEntry     // a volunteer's or offer's refused writes (recordNotices)
		}
		ds, err := foldAll(s, kind, func(rec *relief.Record) derived {
			switch {
			case rec.First == nil:
				return derived{rec: rec}
			case kind == relief.KindVolunteer:
				vol := foldVolunteer(s.views.opener, rec, roster)
				return derived{row: newVolunteerRow(vol), ref: viewRef{kind, rec.ID}, writers: appendWriters(nil, rec), notices: recordNotices(kind, rec.ID, vol.Conflicts)}
			case kind == relief.KindOffer:
				of := foldOffer(s.views.opener, rec, roster)
				return derived{row: newOfferRow(of), ref: viewRef{kind, rec.ID}, writers: appendWriters(nil, rec), notices: recordNotices(kind, rec.ID, of.Conflicts)}
			case kind == relief.KindTask:
				return derived{task: relief.FoldTask(rec, roster)}
			}
			return derived{}
		})
		if err != nil {
			return err
		}
		txn := v.write()
		for _, d := range ds {
			switch {
			case d.rec != nil:
				err = v.putRecord(txn, d.rec, roster)
			case d.row != nil:
				for _, w := range d.writers {
					if v.writers[w] == nil {
						v.writers[w] = map[viewRef]bool{}
					}
					v.writers[w][d.ref] = true
				}
				putRecordNotices(txn.inbox, d.ref.kind, d.ref.id, d.notices)
				switch r := d.row.(type) {
				case *volunteerRow:
					txn.vols.put(r)
				case *offerRow:
					txn.offers.put(r)
				}
			case kind == relief.KindTask:
				err = v.putTask(txn, d.task)
			}
			if err != nil {
				txn.Abort()
				return fmt.Errorf("%s view: %w", kind, err)
			}
		}
		txn.Commit()
	}
	return nil
}

// foldAll reads the records of kind from Badger (in key order, in one read
// transaction) and returns fold of each, in that order: the records are
// decoded and folded on every core (GOMAXPROCS workers, contiguous chunks).
// fold must be safe to call from several goroutines. Errors: a read or a
// record that does not decode, wrapped with the kind.
func foldAll[T any](s *Store, kind string, fold func(*relief.Record) T) ([]T, error) {
	var raw [][]byte
	prefix := recordPrefix(kind)
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		trim := s.scanTrim()
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			b, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			trim.add(len(b))
			raw = append(raw, b)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s records: %w", kind, err)
	}
	out := make([]T, len(raw))
	workers := min(max(1, runtime.GOMAXPROCS(0)), max(1, len(raw)/64))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(raw)/workers, (w+1)*len(raw)/workers
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				rec, err := relief.DecodeRecord(raw[i])
				if err != nil {
					errs[w] = fmt.Errorf("%s record: %w", kind, err)
					return
				}
				raw[i] = nil // the bytes are not needed again
				out[i] = fold(rec)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// deadlinesLocked is Deadlines for callers holding s.mu.
func (s *Store) deadlinesLocked() relief.Deadlines {
	if s.network == nil {
		return relief.DefaultDeadlines()
	}
	rec, err := s.Record(relief.KindNetwork, s.network.ID)
	if err != nil {
		return relief.DefaultDeadlines()
	}
	return relief.NetworkDeadlines(rec, s.roster)
}

// ViewChanged returns a channel closed at the next change of the view named
// view (ViewVolunteers, ViewOffers, ViewTasks, ViewMembers, ViewInbox). Add
// several to a memdb.WatchSet to wait for any of them. Errors: an unknown view.
func (s *Store) ViewChanged(view string) (<-chan struct{}, error) {
	switch view {
	case ViewInbox:
		return s.views.inbox.snap().watch(), nil
	case ViewTasks:
		return s.views.tasks.snap().watch(), nil
	case ViewVolunteers:
		return s.views.vols.snap().watch(), nil
	case ViewOffers:
		return s.views.offers.snap().watch(), nil
	}
	txn := s.views.db.Txn(false)
	it, err := txn.Get(view, "id")
	if err != nil {
		return nil, fmt.Errorf("watch view %q: %w", view, err)
	}
	return it.WatchCh(), nil
}
