package store

import (
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// similarView is the duplicate-key view of the demand list: the demands that
// may be originals (relief.IsOriginal), by each key of their likeness
// (relief.Likeness.Keys), with the likeness itself, so that the
// similar-demand warning and an import compare a form or a record with the
// few demands sharing a key instead of every demand. demandIndex keeps it
// beside its table, under the same lock, from the same rows (see
// demandIndex.put and swap). It is not safe for concurrent use.
type similarView struct {
	byKey map[string][]string    // key → ids of the originals that yield it, distinct
	items map[string]similarItem // id → likeness, originals only
	// dupOf is the duplicate flag of every demand that has one: flagged id
	// → the id of the earliest original it probably repeats (see
	// originalOf). dirty are the ids whose flag may have changed since the
	// last settle: the demands put and those sharing a key with them.
	dupOf map[string]string
	dirty map[string]struct{}
	bulk  bool // reset is building the view anew: touch does nothing
}

// similarItem is the likeness of an original and the fields it was made of,
// so that a row whose fields did not change (a status step, a claim, a
// roster change) reuses it instead of running the likeness's regular
// expressions again. The strings and the contacts are the row's own.
type similarItem struct {
	like                   relief.Likeness
	org, district, address string
	contacts               []relief.Contact
	// The demand's state the duplicate flag depends on, taken again from
	// every row even when its likeness is reused.
	created   ledger.Stamp
	open      bool // relief.DuplicateOriginal
	flaggable bool // relief.DuplicateFlaggable
}

// sameState reports whether a and b agree on the state the duplicate flag
// depends on.
func (a similarItem) sameState(b similarItem) bool {
	return a.created == b.created && a.open == b.open && a.flaggable == b.flaggable
}

// itemInputs returns what the likeness of d is made of (relief.DemandLikeness).
func itemInputs(d *relief.Demand) similarItem {
	org := d.RequesterOrg
	if org == "" {
		org = d.Title
	}
	return similarItem{org: org, district: d.District, address: d.Address, contacts: d.Contacts}
}

// sameInputs reports whether a and b are made of the same fields.
func (a similarItem) sameInputs(b similarItem) bool {
	if a.org != b.org || a.district != b.district || a.address != b.address || len(a.contacts) != len(b.contacts) {
		return false
	}
	for i := range a.contacts {
		if a.contacts[i].Phone != b.contacts[i].Phone {
			return false
		}
	}
	return true
}

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
	one := func(i int) {
		r := rows[i]
		if r == nil {
			return
		}
		e := similarEntry{id: r.view.ID, original: relief.IsOriginal(r.view)}
		if e.original {
			e.item = itemInputs(&r.view)
			e.item.created = r.view.CreatedAt
			e.item.open, e.item.flaggable = relief.DuplicateOriginal(r.view), relief.DuplicateFlaggable(r.view)
			if old, ok := prev.item(e.id); ok && old.sameInputs(e.item) {
				e.item.like, e.same = old.like, true
			} else {
				e.item.like = relief.DemandLikeness(r.view)
			}
		}
		out[i] = e
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	if len(rows) < similarParallel || workers == 1 {
		for i := range rows {
			one(i)
		}
		return out
	}
	var wg sync.WaitGroup
	chunk := (len(rows) + workers - 1) / workers
	for w := range workers {
		wg.Go(func() {
			for i := w * chunk; i < min(len(rows), (w+1)*chunk); i++ {
				one(i)
			}
		})
	}
	wg.Wait()
	return out
}

// item returns the item of id; false when there is none (or v is nil).
func (v *similarView) item(id string) (similarItem, bool) {
	if v == nil {
		return similarItem{}, false
	}
	it, ok := v.items[id]
	return it, ok
}

// put replaces the entries of the same ids by es (entries with no id, and
// those the view holds the same already, are skipped).
func (v *similarView) put(es []similarEntry) {
	if v.byKey == nil {
		v.byKey, v.items = map[string][]string{}, map[string]similarItem{}
	}
	for _, e := range es {
		if e.id == "" {
			continue
		}
		v.mark(e.id)
		if e.same {
			old := v.items[e.id]
			if old.sameState(e.item) {
				continue
			}
			if old.created == e.item.created { // same place in every key
				old.open, old.flaggable = e.item.open, e.item.flaggable
				v.items[e.id] = old
				v.touch(e.id)
				continue
			}
			e.item.like = old.like // moves: taken out and put back below
		}
		if _, ok := v.items[e.id]; ok {
			v.touch(e.id)
			for _, k := range v.items[e.id].like.Keys() {
				v.drop(k, e.id)
			}
			delete(v.items, e.id)
		}
		if !e.original {
			continue
		}
		v.items[e.id] = e.item
		for _, k := range e.item.like.Keys() {
			ids := v.byKey[k]
			if v.bulk { // reset sorts every key once at the end
				v.byKey[k] = append(ids, e.id)
				continue
			}
			v.byKey[k] = slices.Insert(ids, v.pos(ids, e.item, e.id), e.id)
		}
		v.touch(e.id)
	}
}

// before reports whether original a (item ia) comes before b (item ib) in the
// order of the duplicate flag (relief.EarlierDemand).
func before(ia similarItem, a string, ib similarItem, b string) bool {
	return relief.EarlierDemand(ia.created, a, ib.created, b)
}

// pos returns where id (item it) goes among ids, which are in the order of
// before: after every id that comes before it.
func (v *similarView) pos(ids []string, it similarItem, id string) int {
	return sort.Search(len(ids), func(i int) bool { return !before(v.items[ids[i]], ids[i], it, id) })
}

// sortKeys puts the ids of every key in the order of before.
func (v *similarView) sortKeys() {
	for _, ids := range v.byKey {
		slices.SortFunc(ids, func(a, b string) int {
			switch {
			case a == b:
				return 0
			case before(v.items[a], a, v.items[b], b):
				return -1
			}
			return 1
		})
	}
}

// mark notes that the duplicate flag of id may have changed.
func (v *similarView) mark(id string) {
	if v.dirty == nil {
		v.dirty = map[string]struct{}{}
	}
	v.dirty[id] = struct{}{}
}

// touch marks the originals that come after id (an item of the view) in a
// key of the flag it shares with them: id put, gone or changed may become
// (or stop being) the earliest original of each. Those that come before it
// cannot point at it. Demands arrive mostly in order, so mostly none is
// marked.
func (v *similarView) touch(id string) {
	if v.bulk {
		return
	}
	it := v.items[id]
	for _, k := range it.like.FlagKeys() {
		ids := v.byKey[k]
		for _, o := range ids[v.pos(ids, it, id):] {
			if o != id {
				v.mark(o)
			}
		}
	}
}

// originalOf returns the id of the original that demand id probably
// repeats, by the rule every peer applies: id is flaggable
// (relief.DuplicateFlaggable) and the original is, among the open
// originals it probably repeats (relief.Likeness.FlagReasons not empty) and
// that come before it (relief.EarlierDemand), the earliest. "" when there
// is none. The answer depends only on the demands held, not on the order in
// which they arrived. The ids of each key are in that order, so each scan
// stops at the first original found, or at id.
func (v *similarView) originalOf(id string) string {
	it, ok := v.items[id]
	if !ok || !it.flaggable {
		return ""
	}
	best := ""
	var bestIt similarItem
	for _, k := range it.like.FlagKeys() {
		for _, oid := range v.byKey[k] {
			if oid == id {
				break // the others come after it
			}
			o := v.items[oid]
			if best != "" && !before(o, oid, bestIt, best) {
				break
			}
			if o.open && len(it.like.FlagReasons(o.like)) > 0 {
				best, bestIt = oid, o
				break // the earliest of this key
			}
		}
	}
	return best
}

// settle brings the flags of the dirty ids up to date and returns those ids,
// sorted, with their flags (original id, "" for none); the dirty set is
// emptied.
func (v *similarView) settle() (ids, origs []string) {
	if len(v.dirty) == 0 {
		return nil, nil
	}
	if v.dupOf == nil {
		v.dupOf = map[string]string{}
	}
	ids = make([]string, 0, len(v.dirty))
	for id := range v.dirty {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	origs = make([]string, len(ids))
	for i, id := range ids {
		o := v.originalOf(id)
		origs[i] = o
		if o == "" {
			delete(v.dupOf, id)
		} else {
			v.dupOf[id] = o
		}
	}
	clear(v.dirty)
	return ids, origs
}

// drop removes id from the ids of key k, keeping their order.
func (v *similarView) drop(k, id string) {
	ids := v.byKey[k]
	if i := slices.Index(ids, id); i >= 0 {
		ids = slices.Delete(ids, i, i+1)
	}
	if len(ids) == 0 {
		delete(v.byKey, k)
	} else {
		v.byKey[k] = ids
	}
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
	if v.items != nil {
		v.put(es)
		if len(v.items) == n { // every original of es is in, so nothing else is
			return
		}
	}
	for id := range v.dupOf { // flags of demands no longer held go too
		v.mark(id)
	}
	v.byKey, v.items = make(map[string][]string, n), make(map[string]similarItem, n)
	for i := range es {
		es[i].same = false
	}
	v.bulk = true // every flag is settled again: no need to find neighbours
	v.put(es)
	v.bulk = false
	v.sortKeys()
	for id := range v.items {
		v.mark(id)
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
	var seen []string
	for _, k := range l.Keys() {
		for _, id := range v.byKey[k] {
			if contains1(seen, id) {
				continue
			}
			seen = append(seen, id)
			if rs := l.Reasons(v.items[id].like); len(rs) > 0 {
				out = append(out, similarHit{id, rs})
			}
		}
	}
	return out
}

// contains1 reports whether ids holds id; the lists it is given are short.
func contains1(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// SimilarDemands returns the demands that may be originals
// (relief.IsOriginal) and that a demand of likeness l probably repeats, each
// once with the reasons (l.Reasons of theirs, not empty), in no particular
// order; nil when none. The demands are list views, as Demands returns them.
// It answers from the duplicate-key view kept with the demand list: a lookup
// per key of l, then a comparison with the likenesses, already computed, of
// the few demands that share one.
func (s *Store) SimilarDemands(l relief.Likeness) []relief.SimilarDemand {
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	var out []relief.SimilarDemand
	for _, h := range s.idx.similar.similar(l) {
		if r, ok := s.idx.t.rows[h.id]; ok {
			out = append(out, relief.SimilarDemand{Demand: r.view, Reasons: h.reasons})
		}
	}
	return out
}
