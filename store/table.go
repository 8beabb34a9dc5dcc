package store

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/reliefmesh/reliefmesh/relief"
)

// demandRow is a demand as the in-memory list holds it: its list view (the
// folded demand without History, which Demand folds from Badger when asked),
// the lower-cased text that searches match, and its slot in the text index.
// A row is never modified once it is in a table; a change replaces it.
type demandRow struct {
	view  relief.Demand
	owner string // view.Owner.String(), empty when unowned
	text  string // lower-cased title, code, district, organisation, address, item names, each followed by 0
	slot  uint32
	// wait and waitSince are relief.Waiting of the demand, taken from its
	// history when the row is made: what it waits for ("" for nothing) and
	// since when, so that reply-by times need no Badger read (ReplyBys).
	wait      string
	waitSince time.Time
	// grams are the distinct bigrams of text, sorted, computed with the row
	// (on the folding goroutines) and dropped once the table indexed them.
	grams []uint64
}

// listView is what Demands returns for d: everything but the signed history.
func listView(d relief.Demand) relief.Demand {
	d.History = nil
	return d
}

func newDemandRow(d relief.Demand) *demandRow {
	wait, since, _ := relief.Waiting(d) // before listView drops the history
	d = listView(d)
	var text strings.Builder
	n := len(d.Title) + len(d.Code) + len(d.District) + len(d.RequesterOrg) + len(d.Address) + 5
	for _, it := range d.Items {
		n += len(it.Name) + 1
	}
	text.Grow(n)
	for _, s := range []string{d.Title, d.Code, d.District, d.RequesterOrg, d.Address} {
		text.WriteString(strings.ToLower(s))
		text.WriteByte(0)
	}
	for _, it := range d.Items {
		text.WriteString(strings.ToLower(it.Name))
		text.WriteByte(0)
	}
	r := &demandRow{view: d, text: text.String(), wait: wait, waitSince: since}
	r.grams = gramsOf(make([]uint64, 0, utf8.RuneCountInString(r.text)), r.text)
	if !d.Owner.IsZero() {
		r.owner = d.Owner.String()
	}
	return r
}

// cmpAge orders rows oldest first; of two created at the same stamp, the one
// with the greater id first. Listing a table's order backwards gives newest
// first, ties by ascending id.
func cmpAge(a, b *demandRow) int {
	if c := a.view.CreatedAt.Compare(b.view.CreatedAt); c != 0 {
		return c
	}
	return cmp.Compare(b.view.ID, a.view.ID)
}

// demandTable is the in-memory demand list: rows by id and by slot, slots in
// age order, demand counts by status and a bigram index of the rows' text.
// What a scan reads is kept in small arrays by slot (keys, texts) rather than
// behind each row's pointer, so that a scan of 100k rows stays in cache. It is
// not safe for concurrent use; demandIndex guards it.
type demandTable struct {
	rows   map[string]*demandRow
	slots  []*demandRow // by slot; nil when free
	keys   []rowKey     // by slot: what filters compare
	texts  []string     // by slot: the rows' text
	free   []uint32     // free slots
	order  []uint32     // the slots of the rows by cmpAge: newest last
	counts map[relief.Status]int
	// grams maps each pair of consecutive runes in a field of a row's text
	// (r1<<32 | r2) to the slots of the rows that hold it, ascending.
	grams   map[uint64][]uint32
	strs    map[string]string // interned short strings shared by many rows
	ids     map[string]uint32 // numbers of the values filters compare; 0 is ""
	scratch []uint64
	// arena is the chunk the rows' texts are copied into, one after the
	// other, so that a scan reads them in sequence rather than from all over
	// the heap. A chunk is never written where a text already lies.
	arena []byte
}

// arenaChunk is the size of a chunk of demandTable.arena.
const arenaChunk = 1 << 20

// keepText copies r's text into the arena. The title and address, when
// already lower case (Chinese always is), then share the copy's bytes.
func (t *demandTable) keepText(r *demandRow) {
	r.text = t.keep(r.text)
	rest := r.text
	// The fields of the text, in order: title, code, district, organisation, address.
	for _, f := range []*string{&r.view.Title, nil, nil, nil, &r.view.Address} {
		j := strings.IndexByte(rest, 0)
		if j < 0 {
			return
		}
		if f != nil && rest[:j] == *f {
			*f = rest[:j]
		}
		rest = rest[j+1:]
	}
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
// district and owner.
type rowKey struct{ status, category, district, owner uint32 }

func newDemandTable() *demandTable {
	return &demandTable{
		rows:   map[string]*demandRow{},
		counts: map[relief.Status]int{},
		grams:  map[uint64][]uint32{},
		strs:   map[string]string{},
		ids:    map[string]uint32{"": 0},
	}
}

// buildTable makes a table of rows (distinct ids) at once.
func buildTable(rows []*demandRow) *demandTable {
	t := newDemandTable()
	slices.SortFunc(rows, cmpAge)
	t.slots = rows
	t.keys = make([]rowKey, len(rows))
	t.texts = make([]string, len(rows))
	t.order = make([]uint32, len(rows))
	t.rows = make(map[string]*demandRow, len(rows))
	for i, r := range rows {
		r.slot = uint32(i)
		t.order[i] = r.slot
		t.keepText(r)
		t.set(r)
		t.rows[r.view.ID] = r
		t.counts[r.view.Status]++
		t.addGrams(r)
	}
	// Appending doubled the posting lists' capacity; give back the slack.
	for g, l := range t.grams {
		if cap(l) > len(l)+len(l)/4 {
			t.grams[g] = slices.Clone(l)
		}
	}
	return t
}

// set puts r in its slot, with its key and text.
func (t *demandTable) set(r *demandRow) {
	t.intern(r)
	t.slots[r.slot] = r
	t.texts[r.slot] = r.text
	t.keys[r.slot] = rowKey{
		status: t.id(string(r.view.Status)), category: t.id(r.view.Category),
		district: t.id(r.view.District), owner: t.id(r.owner),
	}
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
// district, status, item names and units…) by one shared copy.
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
	d := &r.view
	in(&d.Category)
	in(&d.District)
	in(&d.RequesterOrg)
	in(&d.Source)
	in((*string)(&d.Status))
	in((*string)(&d.Urgency))
	in(&r.owner)
	for i := range d.Items {
		in(&d.Items[i].Name)
		in(&d.Items[i].Spec)
		in(&d.Items[i].Unit)
	}
	for i := range d.Tags {
		in(&d.Tags[i])
	}
}

// put adds rows (distinct ids), replacing the rows of the same ids.
func (t *demandTable) put(rows []*demandRow) {
	// First take out of the order the rows whose creation stamp changed
	// (their place is found by their old stamp).
	var drop []int
	for _, r := range rows {
		if old := t.rows[r.view.ID]; old != nil && cmpAge(old, r) != 0 {
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
	for _, r := range rows {
		id := r.view.ID
		old := t.rows[id]
		if old == nil {
			r.slot = t.newSlot()
			t.keepText(r)
			t.addGrams(r)
			inserts = append(inserts, r.slot)
		} else {
			r.slot = old.slot
			if old.text != r.text {
				t.keepText(r)
				t.dropGrams(old)
				t.addGrams(r)
			} else {
				r.text = old.text
				if r.view.Title == old.view.Title {
					r.view.Title = old.view.Title // share the bytes, as keepText did
				}
				if r.view.Address == old.view.Address {
					r.view.Address = old.view.Address
				}
			}
			r.grams = nil
			t.count(old.view.Status, -1)
			if cmpAge(old, r) != 0 {
				inserts = append(inserts, r.slot)
			}
		}
		t.set(r)
		t.rows[id] = r
		t.count(r.view.Status, 1)
	}
	t.insertOrdered(inserts)
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
	gs := r.grams
	if gs == nil {
		gs = gramsOf(nil, r.text)
	}
	r.grams = nil
	for _, g := range gs {
		l := t.grams[g]
		if n := len(l); n == 0 || l[n-1] < r.slot {
			t.grams[g] = append(l, r.slot)
			continue
		}
		i, found := slices.BinarySearch(l, r.slot)
		if !found {
			t.grams[g] = slices.Insert(l, i, r.slot)
		}
	}
}

// dropGrams removes r.slot from the posting lists of r's bigrams.
func (t *demandTable) dropGrams(r *demandRow) {
	t.scratch = gramsOf(t.scratch, r.text)
	for _, g := range t.scratch {
		l := t.grams[g]
		if i, found := slices.BinarySearch(l, r.slot); found {
			if l = slices.Delete(l, i, i+1); len(l) == 0 {
				delete(t.grams, g)
			} else {
				t.grams[g] = l
			}
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
			l, ok := t.grams[gram(prev, r)]
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

// query returns the page of rows matching q, newest first, and how many match
// in all.
func (t *demandTable) query(q DemandQuery) (page []*demandRow, total int) {
	text := strings.ToLower(strings.TrimSpace(q.Text))
	if strings.IndexByte(text, 0) >= 0 {
		return nil, 0 // no field contains a 0
	}
	var want rowKey
	for _, f := range []struct {
		v  string
		id *uint32
	}{{string(q.Status), &want.status}, {q.Category, &want.category}, {q.District, &want.district}, {q.Owner, &want.owner}} {
		if f.v == "" {
			continue
		}
		id, ok := t.ids[f.v]
		if !ok {
			return nil, 0 // no row has that value
		}
		*f.id = id
	}
	match := func(s uint32) bool {
		k := t.keys[s]
		return (want.status == 0 || k.status == want.status) && (want.category == 0 || k.category == want.category) &&
			(want.district == 0 || k.district == want.district) && (want.owner == 0 || k.owner == want.owner)
	}
	offset, limit := max(q.Offset, 0), q.Limit
	if limit <= 0 {
		limit = len(t.order)
	}
	take := func(s uint32) {
		if total >= offset && total < offset+limit {
			page = append(page, t.slots[s])
		}
		total++
	}
	scan := func(keep func(s uint32) bool) {
		for i := len(t.order) - 1; i >= 0; i-- {
			if s := t.order[i]; match(s) && keep(s) {
				take(s)
			}
		}
	}
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		scan(func(uint32) bool { return true })
	case n == 1:
		scan(func(s uint32) bool { return contains(t.texts[s], text) })
	default:
		cands := t.candidates(text)
		has := func(s uint32) bool { return n == 2 || contains(t.texts[s], text) }
		if len(cands)*16 < len(t.order) {
			// Few candidates: check them, then sort the matches.
			var found []uint32
			for _, s := range cands {
				if match(s) && has(s) {
					found = append(found, s)
				}
			}
			slices.SortFunc(found, func(a, b uint32) int { return t.cmpSlots(b, a) })
			for _, s := range found {
				take(s)
			}
			return page, total
		}
		in := make([]uint64, (len(t.slots)+63)/64)
		for _, s := range cands {
			in[s/64] |= 1 << (s % 64)
		}
		scan(func(s uint32) bool { return in[s/64]&(1<<(s%64)) != 0 && has(s) })
	}
	return page, total
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

// demandIndex is the store's demand list: a demandTable guarded for
// concurrent readers. A rebuild swaps in a new table.
type demandIndex struct {
	mu      sync.RWMutex
	t       *demandTable
	similar similarView // the duplicate-key view of t's rows (store/similar.go)
}

func (x *demandIndex) put(rows []*demandRow) {
	sim := similarOf(rows, &x.similar)
	x.mu.Lock()
	defer x.mu.Unlock()
	x.t.put(rows)
	x.similar.put(sim)
}

func (x *demandIndex) swap(t *demandTable) {
	sim := similarOf(t.slots, &x.similar)
	x.mu.Lock()
	defer x.mu.Unlock()
	x.t = t
	x.similar.reset(sim)
}
