package store

import (
	"bytes"
	"cmp"
	"iter"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/btree"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// The inbox entries and the task rows are the two largest views (about
// 150,000 and 50,000 rows at 100,000 demands). go-memdb kept each of their
// index entries in a radix tree whose every node has a watch channel: about
// 1,400 bytes per inbox entry and 1,800 per task row, most of the app's idle
// heap. They are held instead in a rowTable: one copy-on-write B-tree of row
// pointers per index (github.com/google/btree), about 10 bytes per index
// entry. A write clones the trees (lazily: nodes are copied when written),
// changes the clones and publishes them at Commit, so that a reader holds a
// consistent, never-changed snapshot while the apply path writes, as with
// memdb's read transactions; a commit that changed something closes the
// table's watch channel, as memdb's did.

// btreeDegree is the degree of the rowTable's B-trees: nodes of 31 to 63
// row pointers (a write copies one node per level; 150,000 rows are three
// levels deep).
const btreeDegree = 32

// rowIndex is one ordered index of a rowTable: the rows for which has
// reports true (nil: every row), in the order of cmp, which must break ties
// by the row's primary key so that every row has one place.
type rowIndex[T any] struct {
	cmp func(a, b T) int
	has func(T) bool
}

// rowTable is a table of rows of type T (pointers, never changed once
// written: a write inserts a new row) under a unique string key, with
// ordered secondary indexes. Readers call snap; writers call write, which
// serialises them.
type rowTable[T any] struct {
	key func(T) string
	ixs []rowIndex[T]
	// probeFn makes a row of a key alone, to search the primary tree.
	probeFn func(key string) T
	mu      sync.Mutex // held by the open write transaction
	cur     atomic.Pointer[rowSnap[T]]
}

// rowSnap is one committed state of a rowTable: the primary tree (by key)
// and one tree per secondary index, never changed once published, and the
// channel closed when a later state is published.
type rowSnap[T any] struct {
	t     *rowTable[T]
	byKey *btree.BTreeG[T]
	ixs   []*btree.BTreeG[T]
	ch    chan struct{}
}

// snap returns the table's current state, for reading.
func (t *rowTable[T]) snap() *rowSnap[T] { return t.cur.Load() }

// rowTxn is a write transaction of a rowTable: its changes are seen by
// readers once committed, all at once.
type rowTxn[T any] struct {
	s       *rowSnap[T]
	changed bool
	done    bool
	// bulk says that puts and deletes touch the primary tree only and
	// Commit builds every secondary index again from it (writeBulk).
	bulk bool
}

// write opens the table's write transaction; it waits while another is
// open. Commit or Abort must follow.
func (t *rowTable[T]) write() *rowTxn[T] {
	t.mu.Lock()
	cur := t.cur.Load()
	s := &rowSnap[T]{t: t, byKey: cur.byKey.Clone(), ixs: make([]*btree.BTreeG[T], len(cur.ixs))}
	for i, ix := range cur.ixs {
		s.ixs[i] = ix.Clone()
	}
	return &rowTxn[T]{s: s}
}

// writeBulk is write for many rows at once (a large catch-up's inbox
// entries, catchup.go): its puts and deletes change the primary tree only,
// and Commit builds each secondary index again from the primary tree's
// rows, sorted, one index per goroutine, rather than inserting each row in
// every index (one binary search per level per row and index, on one core).
func (t *rowTable[T]) writeBulk() *rowTxn[T] {
	x := t.write()
	x.bulk = true
	return x
}

// rebuildIndexes makes every secondary index of a bulk transaction from
// the rows of its primary tree.
func (x *rowTxn[T]) rebuildIndexes() {
	t := x.s.t
	rows := make([]T, 0, x.s.byKey.Len())
	x.s.byKey.Ascend(func(r T) bool { rows = append(rows, r); return true })
	var wg sync.WaitGroup
	for i, ix := range t.ixs {
		wg.Go(func() {
			sel := make([]T, 0, len(rows))
			for _, r := range rows {
				if ix.has == nil || ix.has(r) {
					sel = append(sel, r)
				}
			}
			slices.SortFunc(sel, ix.cmp)
			tr := btree.NewG(btreeDegree, func(a, b T) bool { return ix.cmp(a, b) < 0 })
			for _, r := range sel {
				tr.ReplaceOrInsert(r)
			}
			x.s.ixs[i] = tr
		})
	}
	wg.Wait()
}

// Commit publishes the transaction's changes (when there are any) and
// closes the watch channel of the state it replaces.
func (x *rowTxn[T]) Commit() {
	if x.done {
		return
	}
	x.done = true
	t := x.s.t
	if x.changed && x.bulk {
		x.rebuildIndexes()
	}
	if x.changed {
		old := t.cur.Load()
		x.s.ch = make(chan struct{})
		t.cur.Store(x.s)
		close(old.ch)
	}
	t.mu.Unlock()
}

// Abort drops the transaction's changes; after Commit it does nothing.
func (x *rowTxn[T]) Abort() {
	if x.done {
		return
	}
	x.done = true
	x.s.t.mu.Unlock()
}

// get returns the row of key in the transaction's state.
func (x *rowTxn[T]) get(key string) (T, bool) { return x.s.get(key) }

// put writes row, replacing the row of the same key.
func (x *rowTxn[T]) put(row T) {
	t := x.s.t
	if x.bulk {
		x.s.byKey.ReplaceOrInsert(row)
		x.changed = true
		return
	}
	if old, ok := x.s.byKey.ReplaceOrInsert(row); ok {
		for i, ix := range t.ixs {
			if ix.has == nil || ix.has(old) {
				x.s.ixs[i].Delete(old)
			}
		}
	}
	for i, ix := range t.ixs {
		if ix.has == nil || ix.has(row) {
			x.s.ixs[i].ReplaceOrInsert(row)
		}
	}
	x.changed = true
}

// del deletes the row of key, if any, and reports whether there was one.
func (x *rowTxn[T]) del(key string) bool {
	old, ok := x.s.get(key)
	if !ok {
		return false
	}
	x.s.byKey.Delete(old)
	for i, ix := range x.s.t.ixs {
		if !x.bulk && (ix.has == nil || ix.has(old)) {
			x.s.ixs[i].Delete(old)
		}
	}
	x.changed = true
	return true
}

// delPrefix deletes every row whose key starts with prefix and returns how
// many it deleted.
func (x *rowTxn[T]) delPrefix(prefix string) int {
	var keys []string
	for r := range x.s.prefix(prefix) {
		keys = append(keys, x.s.t.key(r))
	}
	for _, k := range keys {
		x.del(k)
	}
	return len(keys)
}

// get returns the row of key.
func (s *rowSnap[T]) get(key string) (T, bool) {
	var found T
	ok := false
	s.byKey.AscendGreaterOrEqual(s.t.probe(key), func(r T) bool {
		if s.t.key(r) == key {
			found, ok = r, true
		}
		return false
	})
	return found, ok
}

// probe returns a row whose key is key, for searching the primary tree.
func (t *rowTable[T]) probe(key string) T { return t.probeFn(key) }

// rows yields every row by key.
func (s *rowSnap[T]) rows() iter.Seq[T] {
	return func(yield func(T) bool) {
		s.byKey.Ascend(func(r T) bool { return yield(r) })
	}
}

// prefix yields the rows whose key starts with p, by key.
func (s *rowSnap[T]) prefix(p string) iter.Seq[T] {
	return func(yield func(T) bool) {
		s.byKey.AscendGreaterOrEqual(s.t.probe(p), func(r T) bool {
			return strings.HasPrefix(s.t.key(r), p) && yield(r)
		})
	}
}

// index yields the rows of secondary index i from pivot (the first row
// not before it) while in reports true, in the index's order.
func (s *rowSnap[T]) index(i int, pivot T, in func(T) bool) iter.Seq[T] {
	return func(yield func(T) bool) {
		s.ixs[i].AscendGreaterOrEqual(pivot, func(r T) bool { return in(r) && yield(r) })
	}
}

// all yields every row of secondary index i, in its order.
func (s *rowSnap[T]) all(i int) iter.Seq[T] {
	return func(yield func(T) bool) {
		s.ixs[i].Ascend(func(r T) bool { return yield(r) })
	}
}

// count returns the number of rows of the table.
func (s *rowSnap[T]) count() int { return s.byKey.Len() }

// watch returns the channel closed when a later state is committed.
func (s *rowSnap[T]) watch() <-chan struct{} { return s.ch }

// The inbox table's secondary indexes, as numbered in newInboxTable.
const (
	inboxTo     = iota // entries waiting on one member (To), by due time (none last), then key
	inboxBy            // transfer requests by the asking member (By), by due time, then key
	inboxStep          // entries with a due time, by step (What), due time, then key
	inboxNotice        // the notices every coordinator sees, by key
)

// dueNanos returns t as nanoseconds since 1970, a zero time after every other.
func dueNanos(t time.Time) int64 {
	if t.IsZero() {
		return math.MaxInt64
	}
	return t.UnixNano()
}

// earliest is a due time before every other, for index probes.
var earliest = time.Unix(0, math.MinInt64)

// inboxTable holds the inbox entries (inboxEntry.Key is the key).
type inboxTable = rowTable[*inboxEntry]

// inboxSnap is a state of the inbox table, for reading.
type inboxSnap = rowSnap[*inboxEntry]

// inboxTxn is a write transaction of the inbox table.
type inboxTxn = rowTxn[*inboxEntry]

func newInboxTable() *inboxTable {
	byDue := func(a, b *inboxEntry) int {
		return cmp.Or(cmp.Compare(dueNanos(a.Due), dueNanos(b.Due)), cmp.Compare(a.Key, b.Key))
	}
	t := &rowTable[*inboxEntry]{key: func(e *inboxEntry) string { return e.Key }, ixs: []rowIndex[*inboxEntry]{
		inboxTo: {cmp: func(a, b *inboxEntry) int {
			return cmp.Or(compareDevice(a.To, b.To), byDue(a, b))
		}, has: func(e *inboxEntry) bool { return !e.To.IsZero() }},
		inboxBy: {cmp: func(a, b *inboxEntry) int {
			return cmp.Or(compareDevice(a.by(), b.by()), byDue(a, b))
		}, has: func(e *inboxEntry) bool { return !e.by().IsZero() }},
		inboxStep: {cmp: func(a, b *inboxEntry) int {
			return cmp.Or(cmp.Compare(a.What, b.What), byDue(a, b))
		}, has: func(e *inboxEntry) bool { return !e.Due.IsZero() }},
		inboxNotice: {cmp: func(a, b *inboxEntry) int { return cmp.Compare(a.Key, b.Key) },
			has: func(e *inboxEntry) bool { return e.notice() != nil && e.notice().Coordinators }},
	}}
	initRowTable(t, func(key string) *inboxEntry { return &inboxEntry{Key: key} })
	return t
}

// initRowTable makes t's empty trees, with probe making the probe rows of
// the primary tree.
func initRowTable[T any](t *rowTable[T], probe func(string) T) {
	s := &rowSnap[T]{t: t, ch: make(chan struct{}),
		byKey: btree.NewG(btreeDegree, func(a, b T) bool { return t.key(a) < t.key(b) })}
	for _, ix := range t.ixs {
		s.ixs = append(s.ixs, btree.NewG(btreeDegree, func(a, b T) bool { return ix.cmp(a, b) < 0 }))
	}
	t.probeFn = probe
	t.cur.Store(s)
}

// compareDevice orders member ids by their bytes. It allocates nothing: it
// runs in every comparison of the inbox's To and By indexes (a string made
// of each array did allocate, twice per comparison).
func compareDevice(a, b ledger.DeviceID) int { return bytes.Compare(a[:], b[:]) }

// toOf yields the entries waiting on member, by due time (none last), then key.
func toOf(s *inboxSnap, member ledger.DeviceID) iter.Seq[*inboxEntry] {
	return s.index(inboxTo, &inboxEntry{To: member, Due: earliest}, func(e *inboxEntry) bool { return e.To == member })
}

// byOf yields the transfer requests member made, by due time, then key.
func byOf(s *inboxSnap, member ledger.DeviceID) iter.Seq[*inboxEntry] {
	return s.index(inboxBy, &inboxEntry{Due: earliest, more: &entryMore{By: member}}, func(e *inboxEntry) bool { return e.by() == member })
}

// stepOf yields the entries of step what with a due time, by due time, then key.
func stepOf(s *inboxSnap, what string) iter.Seq[*inboxEntry] {
	return s.index(inboxStep, &inboxEntry{What: what, Due: earliest}, func(e *inboxEntry) bool { return e.What == what })
}

// The task table's secondary indexes, as numbered in newTaskTable.
const (
	taskDemand  = iota // by demand, then created, then id
	taskOffered        // tasks offered to a member, by member, then id
)

// taskTable holds the task rows (taskRow.ID is the key).
type taskTable = rowTable[*taskRow]

// taskSnap is a state of the task table, for reading.
type taskSnap = rowSnap[*taskRow]

// taskTxn is a write transaction of the task table.
type taskTxn = rowTxn[*taskRow]

func newTaskTable() *taskTable {
	t := &rowTable[*taskRow]{key: func(r *taskRow) string { return r.ID }, ixs: []rowIndex[*taskRow]{
		taskDemand: {cmp: func(a, b *taskRow) int {
			return cmp.Or(cmp.Compare(a.Demand, b.Demand), a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
		}},
		taskOffered: {cmp: func(a, b *taskRow) int {
			return cmp.Or(cmp.Compare(a.OfferedTo, b.OfferedTo), cmp.Compare(a.ID, b.ID))
		}, has: func(r *taskRow) bool { return r.OfferedTo != "" }},
	}}
	initRowTable(t, func(key string) *taskRow { return &taskRow{ID: key} })
	return t
}

// tasksOfDemand yields the rows of demand's tasks, oldest first (then by id).
func tasksOfDemand(s *taskSnap, demand string) iter.Seq[*taskRow] {
	return s.index(taskDemand, &taskRow{Demand: demand, Created: ledger.Stamp{Wall: math.MinInt64}}, func(r *taskRow) bool { return r.Demand == demand })
}

// tasksOfferedTo yields the rows of the tasks offered to member (its
// DeviceID.String()), by id.
func tasksOfferedTo(s *taskSnap, member string) iter.Seq[*taskRow] {
	return s.index(taskOffered, &taskRow{OfferedTo: member}, func(r *taskRow) bool { return r.OfferedTo == member })
}

// rehome replaces every row of the table by the copy that copyRows makes of
// it (given the rows in key order, it returns their copies in the same
// order: equal values at new addresses) and rebuilds every tree from the
// copies, in one write: readers see the same answers before and after. It
// exists for memory (compactViews): rows put one by one while the open
// folds thousands of records sit scattered among the folds' garbage, each
// keeping a mostly empty span of the heap resident; copied into a few
// large blocks they free those spans.
func (t *rowTable[T]) rehome(copyRows func([]T) []T) {
	x := t.write()
	defer x.Abort()
	rows := make([]T, 0, x.s.byKey.Len())
	x.s.byKey.Ascend(func(r T) bool { rows = append(rows, r); return true })
	rows = copyRows(rows)
	x.s.byKey = btree.NewG(btreeDegree, func(a, b T) bool { return t.key(a) < t.key(b) })
	for i, ix := range t.ixs {
		x.s.ixs[i] = btree.NewG(btreeDegree, func(a, b T) bool { return ix.cmp(a, b) < 0 })
	}
	for _, r := range rows {
		x.put(r)
	}
	x.changed = true // the page caches drop the old rows' lists
	x.Commit()
}

// rowBlock is the number of rows rehome's copies put in one block: 512
// inbox entries are one allocation of about 115 KB. A block stays resident
// while one of its rows is in the table, so at most a block's worth per
// live row is kept after later writes replace the others.
const rowBlock = 512

// compactEntries returns copies of the inbox entries es, in blocks of
// rowBlock entries with their keys in one string per block and their rare
// parts (entryMore) in one array per block. An entry's id is the part of its
// key that names it ("d/<id>", "r/<id>", a notice's "d/<id>\x01…"), not a
// string of its own, and its kind, step and status (a few values shared by
// every entry) are one copy each: entries decoded from a views snapshot
// had every one of these strings apart (about 30 bytes an entry).
func compactEntries(es []*inboxEntry) []*inboxEntry {
	out := make([]*inboxEntry, len(es))
	shared := map[string]string{}
	share := func(s *string) {
		if *s == "" {
			return
		}
		if v, ok := shared[*s]; ok {
			*s = v
			return
		}
		shared[*s] = *s
	}
	for lo := 0; lo < len(es); lo += rowBlock {
		part := es[lo:min(lo+rowBlock, len(es))]
		block := make([]inboxEntry, len(part))
		keys := arenaStrings(len(part), func(i int) string { return part[i].Key })
		n := 0
		for _, e := range part {
			if e.more != nil {
				n++
			}
		}
		more := make([]entryMore, 0, n)
		for i, e := range part {
			block[i] = *e
			b := &block[i]
			b.Key = keys[i]
			if at := strings.Index(b.Key, b.ID); b.ID != "" && at >= 0 {
				b.ID = b.Key[at : at+len(b.ID)]
			}
			share(&b.Kind)
			share(&b.What)
			share((*string)(&b.Status))
			if e.more != nil {
				more = append(more, *e.more)
				block[i].more = &more[len(more)-1]
			}
			out[lo+i] = &block[i]
		}
	}
	return out
}

// compactTasks returns copies of the task rows rs, in blocks of rowBlock
// rows, with one copy of each offered-to member id.
func compactTasks(rs []*taskRow) []*taskRow {
	out := make([]*taskRow, len(rs))
	members := map[string]string{}
	for lo := 0; lo < len(rs); lo += rowBlock {
		part := rs[lo:min(lo+rowBlock, len(rs))]
		block := make([]taskRow, len(part))
		for i, r := range part {
			block[i] = *r
			if r.OfferedTo != "" {
				m, ok := members[r.OfferedTo]
				if !ok {
					m = strings.Clone(r.OfferedTo)
					members[m] = m
				}
				block[i].OfferedTo = m
			}
			out[lo+i] = &block[i]
		}
	}
	return out
}

// arenaStrings returns the n strings str(0) … str(n-1) as substrings of one
// new string (one allocation instead of n).
func arenaStrings(n int, str func(int) string) []string {
	size := 0
	for i := range n {
		size += len(str(i))
	}
	var b strings.Builder
	b.Grow(size)
	for i := range n {
		b.WriteString(str(i))
	}
	all := b.String()
	out := make([]string, n)
	at := 0
	for i := range n {
		l := len(str(i))
		out[i] = all[at : at+l]
		at += l
	}
	return out
}

// desc yields every row of secondary index i, in reverse order.
func (s *rowSnap[T]) desc(i int) iter.Seq[T] {
	return func(yield func(T) bool) {
		s.ixs[i].Descend(func(r T) bool { return yield(r) })
	}
}

// The volunteer and offer tables' one secondary index.
const (
	volunteerName = 0 // volunteers by name, then id (the list's order)
	offerCreated  = 0 // offers by creation stamp, then id (the list reads it from the end: newest first)
)

// volunteerTable holds the volunteer rows (volunteerRow.ID is the key).
// Like the tasks, they left go-memdb for a rowTable: about 900 bytes of
// radix nodes, leaves and watch channels per row there (36 MiB for 20,000
// volunteers and 20,000 offers), a few tens here.
type volunteerTable = rowTable[*volunteerRow]

// offerTable holds the offer rows (offerRow.ID is the key).
type offerTable = rowTable[*offerRow]

func newVolunteerTable() *volunteerTable {
	t := &rowTable[*volunteerRow]{key: func(r *volunteerRow) string { return r.ID }, ixs: []rowIndex[*volunteerRow]{
		volunteerName: {cmp: func(a, b *volunteerRow) int {
			return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
		}},
	}}
	initRowTable(t, func(key string) *volunteerRow { return &volunteerRow{ID: key} })
	return t
}

func newOfferTable() *offerTable {
	t := &rowTable[*offerRow]{key: func(r *offerRow) string { return r.ID }, ixs: []rowIndex[*offerRow]{
		offerCreated: {cmp: func(a, b *offerRow) int {
			return cmp.Or(a.Created.Compare(b.Created), strings.Compare(a.ID, b.ID))
		}},
	}}
	initRowTable(t, func(key string) *offerRow { return &offerRow{ID: key} })
	return t
}

// compactRowsOf returns copies of rows, in blocks of rowBlock rows; strs
// names the string fields of a row that only the row holds (not its id,
// which other indexes share), whose bytes are copied into one string per
// block, and the string slices, copied into one backing array per block.
func compactRowsOf[R any](rows []*R, strs func(*R) ([]*string, []*[]string)) []*R {
	out := make([]*R, len(rows))
	for lo := 0; lo < len(rows); lo += rowBlock {
		part := rows[lo:min(lo+rowBlock, len(rows))]
		block := make([]R, len(part))
		var fields []*string
		var lists []*[]string
		n := 0
		for i, r := range part {
			block[i] = *r
			out[lo+i] = &block[i]
			f, l := strs(&block[i])
			fields, lists = append(fields, f...), append(lists, l...)
			for _, ss := range l {
				n += len(*ss)
			}
		}
		backing := make([]string, 0, n)
		for _, ss := range lists {
			if *ss == nil {
				continue
			}
			at := len(backing)
			backing = append(backing, *ss...)
			*ss = backing[at:len(backing):len(backing)] // an append copies, never writes past it
			for i := range *ss {
				fields = append(fields, &(*ss)[i])
			}
		}
		copied := arenaStrings(len(fields), func(i int) string { return *fields[i] })
		for i, f := range fields {
			*f = copied[i]
		}
	}
	return out
}

// volunteerStrings names a volunteer row's own strings for compactRowsOf.
func volunteerStrings(r *volunteerRow) ([]*string, []*[]string) {
	return []*string{&r.Name, &r.Region, &r.Text}, []*[]string{&r.Skills, &r.Days}
}

// offerStrings names an offer row's own strings for compactRowsOf (Kind is
// one of a few constants).
func offerStrings(r *offerRow) ([]*string, []*[]string) {
	return []*string{&r.Region, &r.Text, &r.Code, &r.Supplier}, []*[]string{&r.Items}
}
