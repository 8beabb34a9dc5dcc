package relief

import (
	"slices"
	"strings"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// Edit is what one operation wrote of a record's fields after the record was
// created: its Meta (author, stamp, seq, change) and the fields it wrote,
// by their plain names ("contacts" for a sealed contacts write), sorted.
// The signed history of a demand shows them beside its steps, so that an
// owner can see who changed the quantity needed.
type Edit struct {
	Meta   Meta
	Fields []string
}

// Edits returns the edits of rec, oldest first (Meta order): every write of
// its fields, current or superseded (Field.Prev), grouped by operation, but
// those of the change that created it (rec.First's) and the writes the fold
// refused: conflicts (the folded record's Conflicts) naming the write's op
// and field, other than concurrent edits, which did apply.
func Edits(rec *Record, conflicts []Conflict) []Edit {
	if rec == nil {
		return nil
	}
	type opKey struct {
		change ledger.Hash
		index  int
	}
	type writeKey struct {
		op    opKey
		field string
	}
	refused := map[writeKey]bool{}
	for _, c := range conflicts {
		if c.Field != "" && c.Reason != ReasonConcurrent {
			refused[writeKey{opKey{c.Change, c.Index}, c.Field}] = true
		}
	}
	byOp := map[opKey]*Edit{}
	add := func(m Meta, field string) {
		if rec.First != nil && m.Change == rec.First.Change {
			return // the creation
		}
		if refused[writeKey{opKey{m.Change, m.Index}, strings.TrimPrefix(field, sealedPrefix)}] || refused[writeKey{opKey{m.Change, m.Index}, field}] {
			return
		}
		k := opKey{m.Change, m.Index}
		e := byOp[k]
		if e == nil {
			e = &Edit{Meta: m}
			byOp[k] = e
		}
		e.Fields = append(e.Fields, strings.TrimPrefix(field, sealedPrefix))
	}
	for name, f := range rec.Fields {
		add(f.Meta, name)
		for _, w := range f.Prev() {
			add(w.Meta, name)
		}
	}
	out := make([]Edit, 0, len(byOp))
	for _, e := range byOp {
		slices.Sort(e.Fields)
		e.Fields = slices.Compact(e.Fields)
		out = append(out, *e)
	}
	slices.SortFunc(out, func(a, b Edit) int { return a.Meta.Compare(b.Meta) })
	return out
}
