package desk

import (
	"slices"
	"sync"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// Sealed contacts are not in the demand list's rows, so the store's
// duplicate-key view (Store.SimilarDemands) and the duplicate flag every
// peer keeps no longer compare phone numbers with a sealed demand's. A
// device that can open them still warns on the form and flags in an import
// a demand that repeats a sealed one's phone: sealedPhones is its index of
// the phones it opened, kept per device in memory.

// sealedPhones indexes the phone numbers of the sealed contacts this device
// opens, by phone: a demand's own and those found in a sheet's text
// (relief.FoundInText) apart, since a number found in text matches only
// another demand's own (relief.Likeness.FlagReasons). It is rebuilt when
// the store's version vector moved, unwrapping only the records whose
// sealed contacts changed since.
type sealedPhones struct {
	mu     sync.Mutex
	gen    uint64                  // the sum of the version vector the index was built at
	byID   map[string]sealedPhonel // demand id → its sealed contacts' phones
	byOwn  map[string][]string     // own phone → demand ids, sorted
	byText map[string][]string     // phone found only in text → demand ids, sorted
}

// sealedPhonel is what the index keeps of one demand: the write that sealed
// its contacts and their phones (the last inText found only in text, as
// relief.Likeness keeps them).
type sealedPhonel struct {
	write  ledger.Hash
	phones []string
	inText int
}

// phonesOf returns, per phone of l, the ids of the demands whose sealed
// contacts this device opens and that name it by the rule of
// relief.Likeness.FlagReasons: an own phone of l any of theirs, a phone of
// l found in text only their own.
func (d *Desk) phonesOf(l relief.Likeness) map[string][]string {
	if len(l.Phones) == 0 {
		return nil
	}
	ix := d.sealedIndex()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	var gen uint64
	for _, seq := range d.st.VersionVector() {
		gen += seq
	}
	if ix.byID == nil || gen != ix.gen {
		d.rebuildPhones(ix)
		ix.gen = gen
	}
	out := make(map[string][]string)
	for _, p := range l.OwnPhones() {
		if ids := ix.byOwn[p]; len(ids) > 0 {
			out[p] = ids
		}
		if ids := ix.byText[p]; len(ids) > 0 {
			out[p] = append(slices.Clip(out[p]), ids...)
			slices.Sort(out[p])
			out[p] = slices.Compact(out[p])
		}
	}
	for _, p := range l.TextPhones() {
		if ids := ix.byOwn[p]; len(ids) > 0 {
			out[p] = ids
		}
	}
	return out
}

func (d *Desk) sealedIndex() *sealedPhones { return &d.phones }

// rebuildPhones reads every demand record; those whose sealed contacts were
// written by the same change as in ix keep their phones, the others are
// opened. Called with ix.mu held.
func (d *Desk) rebuildPhones(ix *sealedPhones) {
	opener := d.st.Opener()
	byID := make(map[string]sealedPhonel, len(ix.byID))
	d.st.EachDemandRecord(func(rec *relief.Record) error {
		f, ok := rec.Fields[relief.SealedField(relief.FieldContacts)]
		if !ok || len(relief.SealedValues(rec)) == 0 {
			return nil
		}
		if old, ok := ix.byID[rec.ID]; ok && old.write == f.Meta.Change {
			byID[rec.ID] = old
			return nil
		}
		e := sealedPhonel{write: f.Meta.Change}
		var dm relief.Demand
		opener.OpenDemand(rec, &dm)
		l := relief.LikenessOf("", "", "", dm.Contacts)
		e.phones, e.inText = l.Phones, l.InText
		byID[rec.ID] = e
		return nil
	})
	byOwn, byText := make(map[string][]string), make(map[string][]string)
	for id, e := range byID {
		for i, p := range e.phones {
			if i < len(e.phones)-e.inText {
				byOwn[p] = append(byOwn[p], id)
			} else {
				byText[p] = append(byText[p], id)
			}
		}
	}
	for _, ids := range byOwn {
		slices.Sort(ids)
	}
	for _, ids := range byText {
		slices.Sort(ids)
	}
	ix.byID, ix.byOwn, ix.byText = byID, byOwn, byText
}

// similarDemands is Store.SimilarDemands with the phones of the sealed
// contacts this device opens compared too (ReasonPhone, after ReasonOrg and
// before ReasonAddress, as relief.Likeness.Reasons orders them), each
// candidate as Store.Demand reads it (its sealed values opened, so that a
// merge proposes only the contacts it lacks).
func (d *Desk) similarDemands(l relief.Likeness) []relief.SimilarDemand {
	out := d.st.SimilarDemands(l)
	byPhone := d.phonesOf(l)
	for _, p := range l.Phones {
		for _, id := range byPhone[p] {
			reason := relief.ReasonPhone + p
			i := slices.IndexFunc(out, func(c relief.SimilarDemand) bool { return c.Demand.ID == id })
			if i < 0 {
				rows := d.st.DemandsByID([]string{id})
				if len(rows) != 1 || !relief.IsOriginal(rows[0]) {
					continue
				}
				out = append(out, relief.SimilarDemand{Demand: rows[0]})
				i = len(out) - 1
			}
			if slices.Contains(out[i].Reasons, reason) {
				continue
			}
			at := len(out[i].Reasons)
			if j := slices.Index(out[i].Reasons, relief.ReasonAddress); j >= 0 {
				at = j
			}
			out[i].Reasons = slices.Insert(out[i].Reasons, at, reason)
		}
	}
	for i := range out {
		if full, err := d.st.Demand(out[i].Demand.ID); err == nil && len(full.Sealed) == 0 && len(full.Contacts) > 0 {
			out[i].Demand.Contacts = full.Contacts
		}
	}
	return out
}
