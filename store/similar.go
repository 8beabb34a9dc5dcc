package store

import (
	"runtime"
	"sync"

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
	byKey map[string][]string        // key → ids of the originals that yield it, distinct
	likes map[string]relief.Likeness // id → likeness, originals only
}

// similarEntry is what the view keeps of one row: its id and, when the
// demand may be an original, its likeness.
type similarEntry struct {
	id       string
	original bool
	like     relief.Likeness
}

// similarParallel is the number of rows from which similarOf spreads its
// work over the cores.
const similarParallel = 512

// similarOf computes the entries of rows (nil rows are skipped): the
// regular expressions of the likeness run here, before demandIndex takes its
// lock, on every core when there are many rows.
func similarOf(rows []*demandRow) []similarEntry {
	out := make([]similarEntry, len(rows))
	one := func(i int) {
		r := rows[i]
		if r == nil {
			return
		}
		out[i] = similarEntry{id: r.view.ID, original: relief.IsOriginal(r.view)}
		if out[i].original {
			out[i].like = relief.DemandLikeness(r.view)
		}
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

// put replaces the entries of the same ids by es (entries with no id are
// skipped).
func (v *similarView) put(es []similarEntry) {
	if v.byKey == nil {
		v.byKey, v.likes = map[string][]string{}, map[string]relief.Likeness{}
	}
	for _, e := range es {
		if e.id == "" {
			continue
		}
		if old, ok := v.likes[e.id]; ok {
			for _, k := range old.Keys() {
				v.drop(k, e.id)
			}
			delete(v.likes, e.id)
		}
		if !e.original {
			continue
		}
		v.likes[e.id] = e.like
		for _, k := range e.like.Keys() {
			v.byKey[k] = append(v.byKey[k], e.id)
		}
	}
}

// drop removes id from the ids of key k.
func (v *similarView) drop(k, id string) {
	ids := v.byKey[k]
	for i, x := range ids {
		if x == id {
			ids[i] = ids[len(ids)-1]
			ids = ids[:len(ids)-1]
			break
		}
	}
	if len(ids) == 0 {
		delete(v.byKey, k)
	} else {
		v.byKey[k] = ids
	}
}

// reset makes es (distinct ids) the whole view.
func (v *similarView) reset(es []similarEntry) {
	n := 0
	for _, e := range es {
		if e.original {
			n++
		}
	}
	v.byKey, v.likes = make(map[string][]string, n), make(map[string]relief.Likeness, n)
	v.put(es)
}

// similar returns the ids of the originals that a demand of likeness l
// probably repeats (l.Reasons of theirs not empty), each once.
func (v *similarView) similar(l relief.Likeness) []string {
	var out []string
	for _, k := range l.Keys() {
		for _, id := range v.byKey[k] {
			if len(l.Reasons(v.likes[id])) > 0 && !contains1(out, id) {
				out = append(out, id)
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

// SimilarDemands returns the list views (as Demands returns them) of the
// demands that may be originals (relief.IsOriginal) and that a demand of
// likeness l probably repeats (l.Reasons of theirs not empty), each once, in
// no particular order; nil when none. It answers from the duplicate-key view
// kept with the demand list: a lookup per key of l, then a comparison with
// the few demands that share one.
func (s *Store) SimilarDemands(l relief.Likeness) []relief.Demand {
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	var out []relief.Demand
	for _, id := range s.idx.similar.similar(l) {
		if r, ok := s.idx.t.rows[id]; ok {
			out = append(out, r.view)
		}
	}
	return out
}
