package store

import (
	"hash/maphash"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// similarView is the duplicate-key view of the demand list: the demands that
// may be originals (relief.IsOriginal), by each key of their likeness
// (relief.Likeness.Keys; looked up by LookupKeys), with the likeness itself, so that the
// similar-demand warning and an import compare a form or a record with the
// few demands sharing a key instead of every demand. demandIndex keeps it
// beside its table, under the same lock, from the same rows (see
// demandIndex.put and swap). It is not safe for concurrent use.
//
// It is kept compact: every demand id it met has a number (num, ids; kept
// until the store closes, so that a flag of a demand gone can still be
// settled), items are a slice by number, and a key is its 64-bit hash with
// the numbers of its originals in one list (keyLists: frozen in arrays
// after the open's build, a small map for what changed since). Two keys whose hashes collide
// share a list: every answer still compares the likenesses themselves
// (FlagReasons, Reasons), so a shared list costs comparisons, never a
// different answer.
type similarView struct {
	num   idTable       // id → its number (the ids are in ids)
	ids   []string      // number → id
	items []similarItem // number → likeness; has false when not an original held
	keys  keyLists      // key hash → numbers of the originals that yield it, distinct, in the order of before
	built bool          // reset built the view once (keys holds every original)
	// dupOf is the duplicate flag of every demand, by number: 1 + the
	// number of the earliest original it probably repeats (see originalOf),
	// 0 when it has none (and past its end). A slice rather than a map: 99 %
	// of the 300k fixture's demands are flagged, and a map of them was 8 MB.
	// flagged counts the flags. dirty are the numbers whose flag may have changed since
	// the last settle (isDirty their bits): the demands put and those
	// sharing a key with them.
	dupOf   []uint32
	flagged int
	dirty   []uint32
	isDirty []uint64
	held    int  // the items that are originals held (has)
	bulk    bool // reset is building the view anew: touch does nothing
}

// similarSeed is the seed of the key hashes (in memory only: never stored
// nor compared between peers).
var similarSeed = maphash.MakeSeed()

// keyHash is the hash of a key of a likeness (a variable so that a test
// can make keys collide).
var keyHash = func(k string) uint64 { return maphash.String(similarSeed, k) }

// keyHashes returns the hashes of keys, sorted and distinct.
func keyHashes(keys []string) []uint64 {
	hs := make([]uint64, len(keys))
	for i, k := range keys {
		hs[i] = keyHash(k)
	}
	slices.Sort(hs)
	return slices.Compact(hs)
}

// similarItem is the likeness of an original and a hash of the fields it was
// made of, so that a row whose fields did not change (a status step, a
// claim, a roster change) reuses it instead of running the likeness's
// regular expressions again.
type similarItem struct {
	like   relief.Likeness
	inputs uint64 // hash of what the likeness is made of (itemInputs)
	// The demand's state the duplicate flag depends on, taken again from
	// every row even when its likeness is reused.
	created   ledger.Stamp
	open      bool // relief.DuplicateOriginal
	flaggable bool // relief.DuplicateFlaggable
	has       bool // an original the view holds
}

// sameState reports whether a and b agree on the state the duplicate flag
// depends on.
func (a similarItem) sameState(b similarItem) bool {
	return a.created == b.created && a.open == b.open && a.flaggable == b.flaggable
}

// itemInputs returns an item of d with the hash of what its likeness is
// made of (relief.DemandLikeness: the organisation, else the title, the
// district, the address and the contacts' phones).
func itemInputs(d *relief.Demand) similarItem {
	org := d.RequesterOrg
	if org == "" {
		org = d.Title
	}
	var h maphash.Hash
	h.SetSeed(similarSeed)
	for _, s := range []string{org, d.District, d.Address} {
		h.WriteString(s)
		h.WriteByte(0)
	}
	for _, c := range d.Contacts {
		h.WriteString(c.Phone)
		if relief.FoundInText(c) { // the same number counts otherwise (Likeness.InText)
			h.WriteByte(1)
		}
		h.WriteByte(0)
	}
	return similarItem{inputs: h.Sum64()}
}

// sameInputs reports whether a and b are made of the same fields.
func (a similarItem) sameInputs(b similarItem) bool { return a.inputs == b.inputs }

// similarEntry is what the view keeps of one row: its id and, when the
// demand may be an original, its item.
type similarEntry struct {
	id       string
	original bool
	item     similarItem
	same     bool // the view's item of id has the same likeness already (similarOf's prev)
}

// similarParallel is the number of rows from which similarOf spreads its
// work over the cores.
const similarParallel = 512

// similarOf computes the entries of rows (nil rows are skipped): the
// regular expressions of the likeness run here, before demandIndex takes its
// lock, on every core when there are many rows. The likeness of a row whose
// fields are those of its item in prev (nil for none) is taken from there.
// prev is only read, without the lock: the callers (demandIndex.put and
// swap) never run at the same time, and only they modify the view.
func similarOf(rows []*demandRow, prev *similarView) []similarEntry {
	out := make([]similarEntry, len(rows))
	one := func(i int, d *relief.Demand) {
		r := rows[i]
		if r == nil {
			return
		}
		r.scratchInto(d)
		e := similarEntry{id: r.id, original: relief.IsOriginal(*d)}
		if e.original {
			e.item = itemInputs(d)
			e.item.created = d.CreatedAt
			e.item.open, e.item.flaggable = relief.DuplicateOriginal(*d), relief.DuplicateFlaggable(*d)
			if old, ok := prev.item(e.id); ok && old.sameInputs(e.item) {
				e.item.like, e.same = old.like, true
			} else {
				e.item.like = relief.DemandLikeness(*d)
			}
		}
		out[i] = e
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	if len(rows) < similarParallel || workers == 1 {
		var d relief.Demand
		for i := range rows {
			one(i, &d)
		}
		return out
	}
	var wg sync.WaitGroup
	chunk := (len(rows) + workers - 1) / workers
	for w := range workers {
		wg.Go(func() {
			var d relief.Demand
			for i := w * chunk; i < min(len(rows), (w+1)*chunk); i++ {
				one(i, &d)
			}
		})
	}
	wg.Wait()
	return out
}

// numOf returns the number of id; false when the view never met it.
func (v *similarView) numOf(id string) (uint32, bool) { return v.num.get(id, v) }

// idOf returns the id of number n (idSource of num).
func (v *similarView) idOf(n uint32) string { return v.ids[n] }

// item returns the item of id; false when there is none (or v is nil).
func (v *similarView) item(id string) (similarItem, bool) {
	if v == nil {
		return similarItem{}, false
	}
	n, ok := v.numOf(id)
	if !ok || !v.items[n].has {
		return similarItem{}, false
	}
	return v.items[n], true
}

// number returns the number of id, numbering it if new.
func (v *similarView) number(id string) uint32 {
	n, ok := v.numOf(id)
	if !ok {
		n = uint32(len(v.ids))
		v.num.set(id, n, v)
		v.ids = append(v.ids, id)
		v.items = append(v.items, similarItem{})
	}
	return n
}

// put replaces the entries of the same ids by es (entries with no id, and
// those the view holds the same already, are skipped).
func (v *similarView) put(es []similarEntry) {
	for _, e := range es {
		if e.id == "" {
			continue
		}
		n := v.number(e.id)
		v.mark(n)
		if e.same {
			old := v.items[n]
			if old.sameState(e.item) {
				continue
			}
			if old.created == e.item.created { // same place in every key
				old.open, old.flaggable = e.item.open, e.item.flaggable
				v.items[n] = old
				v.touch(n)
				continue
			}
			e.item.like = old.like // moves: taken out and put back below
		}
		if v.items[n].has {
			v.touch(n)
			for _, k := range keyHashes(v.items[n].like.Keys()) {
				v.drop(k, n)
			}
			v.items[n] = similarItem{}
			v.held--
		}
		if !e.original {
			continue
		}
		e.item.has = true
		v.items[n] = e.item
		v.held++
		for _, k := range keyHashes(e.item.like.Keys()) {
			if v.bulk { // reset sorts every key once at the end, then freezes them
				v.keys.over[k] = append(v.keys.over[k], n)
				continue
			}
			l := v.keys.get(k) // a frozen list has no room: Insert copies it
			v.keys.set(k, slices.Insert(l, v.pos(l, n), n))
		}
		v.touch(n)
	}
}

// before reports whether original a (item ia) comes before b (item ib) in the
// order of the duplicate flag (relief.EarlierDemand).
func before(ia similarItem, a string, ib similarItem, b string) bool {
	return relief.EarlierDemand(ia.created, a, ib.created, b)
}

// earlier is before of the originals numbered a and b.
func (v *similarView) earlier(a, b uint32) bool {
	return before(v.items[a], v.ids[a], v.items[b], v.ids[b])
}

// pos returns where n goes among l, which are in the order of before: after
// every number that comes before it.
func (v *similarView) pos(l []uint32, n uint32) int {
	return sort.Search(len(l), func(i int) bool { return !v.earlier(l[i], n) })
}

// sortKeys puts the numbers of every key changed since the last freeze
// (all of them in a bulk build) in the order of before.
func (v *similarView) sortKeys() {
	for _, l := range v.keys.over {
		slices.SortFunc(l, func(a, b uint32) int {
			switch {
			case a == b:
				return 0
			case v.earlier(a, b):
				return -1
			}
			return 1
		})
	}
}

// mark notes that the duplicate flag of number n may have changed.
func (v *similarView) mark(n uint32) {
	w := int(n / 64)
	if w >= len(v.isDirty) {
		v.isDirty = slices.Grow(v.isDirty, w+1-len(v.isDirty))[:w+1]
	}
	if v.isDirty[w]&(1<<(n%64)) != 0 {
		return
	}
	v.isDirty[w] |= 1 << (n % 64)
	v.dirty = append(v.dirty, n)
}

// touch marks the originals that come after n (an item of the view) and
// that would find it by a key of the flag (those held under n's
// FlagLookupKeys: the rule is the same both ways): n put, gone or changed
// may become (or stop being) the earliest original of each. Those that
// come before it cannot point at it. Demands arrive mostly in order, so
// mostly none is marked.
func (v *similarView) touch(n uint32) {
	if v.bulk {
		return
	}
	for _, k := range keyHashes(v.items[n].like.FlagLookupKeys()) {
		l := v.keys.get(k)
		for _, o := range l[v.pos(l, n):] {
			if o != n {
				v.mark(o)
			}
		}
	}
}

// originalOf returns the number of the original that demand number n
// probably repeats, by the rule every peer applies: n is flaggable
// (relief.DuplicateFlaggable) and the original is, among the open
// originals it probably repeats (relief.Likeness.FlagReasons not empty) and
// that come before it (relief.EarlierDemand), the earliest; false when
// there is none. The answer depends only on the demands held, not on the
// order in which they arrived. It looks n up by its FlagLookupKeys (a phone
// found in text only among the own phones of the others). The numbers of
// each key are in that order, so each scan stops at the first original
// found, or at n or the first that comes after it (n is not held under
// every key it looks up by).
func (v *similarView) originalOf(n uint32) (uint32, bool) {
	it := v.items[n]
	if !it.has || !it.flaggable {
		return 0, false
	}
	var best uint32
	found := false
	for _, k := range keyHashes(it.like.FlagLookupKeys()) {
		for _, o := range v.keys.get(k) {
			if o == n || !v.earlier(o, n) {
				break // the others come after it
			}
			oi := v.items[o]
			if found && !v.earlier(o, best) {
				break
			}
			if oi.open && len(it.like.FlagReasons(oi.like)) > 0 {
				best, found = o, true
				break // the earliest of this key
			}
		}
	}
	return best, found
}

// settle brings the flags of the dirty ids up to date and returns those ids,
// sorted, with their flags (original id, "" for none); the dirty set is
// emptied.
func (v *similarView) settle() (ids, origs []string) {
	if len(v.dirty) == 0 {
		return nil, nil
	}
	slices.SortFunc(v.dirty, func(a, b uint32) int { return strings.Compare(v.ids[a], v.ids[b]) })
	ids = make([]string, len(v.dirty))
	origs = make([]string, len(v.dirty))
	for i, n := range v.dirty {
		ids[i] = v.ids[n]
		if o, ok := v.originalOf(n); ok {
			origs[i] = v.ids[o]
			v.setFlag(n, o+1)
		} else {
			v.setFlag(n, 0)
		}
		v.isDirty[n/64] &^= 1 << (n % 64)
	}
	if cap(v.dirty) > 4096 {
		v.dirty = nil // after an open: do not keep a slice of every demand
	} else {
		v.dirty = v.dirty[:0]
	}
	return ids, origs
}

// setFlag sets dupOf[n] to f (1 + the original's number, 0 for none).
func (v *similarView) setFlag(n, f uint32) {
	if int(n) >= len(v.dupOf) {
		if f == 0 {
			return
		}
		v.dupOf = slices.Grow(v.dupOf, int(n)+1-len(v.dupOf))[:n+1]
	}
	switch old := v.dupOf[n]; {
	case old == 0 && f != 0:
		v.flagged++
	case old != 0 && f == 0:
		v.flagged--
	}
	v.dupOf[n] = f
}

// flagOf returns the id of the original demand id is flagged a probable
// duplicate of; false when it is not flagged.
func (v *similarView) flagOf(id string) (string, bool) {
	n, ok := v.numOf(id)
	if !ok {
		return "", false
	}
	if int(n) >= len(v.dupOf) || v.dupOf[n] == 0 {
		return "", false
	}
	return v.ids[v.dupOf[n]-1], true
}

// flags returns every duplicate flag: flagged id → original id.
func (v *similarView) flags() map[string]string {
	out := make(map[string]string, v.flagged)
	for n, f := range v.dupOf {
		if f != 0 {
			out[v.ids[n]] = v.ids[f-1]
		}
	}
	return out
}

// drop removes n from the numbers of key k, keeping their order.
func (v *similarView) drop(k uint64, n uint32) {
	l, own := v.keys.over[k]
	if !own {
		l = v.keys.frozen(k)
	}
	i := slices.Index(l, n)
	if i < 0 {
		return
	}
	if !own { // a frozen list is shared with the others': work on a copy
		l = slices.Clone(l)
	}
	v.keys.set(k, slices.Delete(l, i, i+1))
}

// reset makes es (distinct ids, entries of every row) the whole view. It
// changes only what changed when es was computed against v (similarOf's
// prev), as after a roster change, and builds the view anew when rows were
// dropped (a revocation cut).
func (v *similarView) reset(es []similarEntry) {
	n := 0
	for _, e := range es {
		if e.original {
			n++
		}
	}
	if v.built {
		v.put(es)
		if v.held == n { // every original of es is in, so nothing else is
			return
		}
	}
	for n, f := range v.dupOf { // flags of demands no longer held go too
		if f != 0 {
			v.mark(uint32(n))
		}
	}
	v.keys = keyLists{over: make(map[uint64][]uint32, n)}
	clear(v.items)
	if v.ids == nil { // the first build: number every id at once, no slack
		v.num.reserve(len(es))
		v.ids = make([]string, 0, len(es))
		v.items = make([]similarItem, 0, len(es))
	}
	v.held = 0
	for i := range es {
		es[i].same = false
	}
	v.bulk = true // every flag is settled again: no need to find neighbours
	v.put(es)
	v.bulk = false
	v.sortKeys()
	v.keys.freeze()
	v.built = true
	for i := range v.items {
		if v.items[i].has {
			v.mark(uint32(i))
		}
	}
}

// similarHit is an original that a likeness probably repeats, and why.
type similarHit struct {
	id      string
	reasons []string
}

// similar returns the originals that a demand of likeness l probably
// repeats (l.Reasons of theirs not empty), each once, with the reasons.
func (v *similarView) similar(l relief.Likeness) []similarHit {
	var out []similarHit
	var seen []uint32
	for _, k := range keyHashes(l.LookupKeys()) {
		for _, n := range v.keys.get(k) {
			if slices.Contains(seen, n) {
				continue
			}
			seen = append(seen, n)
			if rs := l.Reasons(v.items[n].like); len(rs) > 0 {
				out = append(out, similarHit{v.ids[n], rs})
			}
		}
	}
	return out
}

// SimilarDemands returns the demands that may be originals
// (relief.IsOriginal) and that a demand of likeness l probably repeats, each
// once with the reasons (l.Reasons of theirs, not empty), in no particular
// order; nil when none. The demands are list views, as Demands returns them.
// It answers from the duplicate-key view kept with the demand list: a lookup
// per key of l, then a comparison with the likenesses, already computed, of
// the few demands that share one. On a large store it waits until the open
// has built that view (ViewsBuilt).
func (s *Store) SimilarDemands(l relief.Likeness) []relief.SimilarDemand {
	s.waitSettled()
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	var out []relief.SimilarDemand
	for _, h := range s.idx.similar.similar(l) {
		if r, ok := s.idx.t.row(h.id); ok {
			out = append(out, relief.SimilarDemand{Demand: r.view(), Reasons: h.reasons})
		}
	}
	return out
}
