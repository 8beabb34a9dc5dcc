package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// existing is importer.SimilarExisting on the store: the demand list (in
// memory) for the demands present, its duplicate-key view for the originals
// a record repeats, Badger for single records.
type existing struct{ st *store.Store }

var _ importer.SimilarExisting = existing{}

func (e existing) SimilarDemands(l relief.Likeness) []relief.SimilarDemand {
	return e.st.SimilarDemands(l)
}

func (e existing) Demands() ([]relief.Demand, error) { return e.st.Demands(store.DemandQuery{}) }
func (e existing) Offers() ([]relief.Offer, error)   { return e.st.Offers() }

func (e existing) Demand(id string) (relief.Demand, bool) {
	d, err := e.st.Demand(id)
	return d, err == nil
}

func (e existing) HasOffer(id string) bool {
	_, err := e.st.Offer(id)
	return err == nil
}

func (e existing) Record(kind, id string) (*relief.Record, error) { return e.st.Record(kind, id) }

// Import writes records as demands and offers, by the importer's rules (see
// importer.Planner: idempotent, re-imported rows updated or held, probable
// duplicates stored tagged and reported, never merged), importer.BatchSize
// records per signed change, calling progress (if not nil) after each batch
// with the records done and the total. A batch the store refuses as invalid
// is retried record by record, so one bad record never stops the others; it
// is reported in Problems. The report is returned with every error, saying
// what was written. Errors: store.ErrNoNetwork; ctx's error when cancelled
// between batches (what was written stays, and a second run completes it);
// storage errors, and the store's refusals other than invalid records (a
// member who may not write), as the store returns them.
func (d *Desk) Import(ctx context.Context, records []importer.Record, progress func(done, total int)) (importer.Report, error) {
	net, ok := d.st.Network()
	if !ok {
		return importer.Report{}, store.ErrNoNetwork
	}
	pl, err := importer.NewPlanner(net.ID, existing{d.st})
	if err != nil {
		return importer.Report{}, err
	}
	var batch []importer.Pending
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		var ops []ledger.Op
		for _, p := range batch {
			ops = append(ops, p.Ops...)
		}
		if _, err := d.write(ops); err == nil {
			for _, p := range batch {
				pl.Written(p)
			}
		} else {
			if !errors.Is(err, relief.ErrInvalidOp) {
				return err
			}
			for _, p := range batch { // find the bad record(s)
				if _, err := d.write(p.Ops); err != nil {
					if !errors.Is(err, relief.ErrInvalidOp) {
						return err
					}
					pl.Refused(p, err)
					continue
				}
				pl.Written(p)
			}
		}
		batch = batch[:0]
		return nil
	}
	for i, r := range records {
		if i%importer.BatchSize == 0 && i > 0 {
			if err := flush(); err != nil {
				return pl.Report(), err
			}
			if progress != nil {
				progress(i, len(records))
			}
			if err := ctx.Err(); err != nil {
				return pl.Report(), err
			}
		}
		if p, ok := pl.Plan(r); ok {
			batch = append(batch, p)
		}
	}
	if err := flush(); err != nil {
		return pl.Report(), err
	}
	if progress != nil {
		progress(len(records), len(records))
	}
	return pl.Report(), nil
}

// mappingSetting is the local setting that remembers the mapping confirmed
// for tables of one shape.
func mappingSetting(signature string) string { return "import/mapping/" + signature }

// RememberedMapping returns the column mapping last confirmed on this device
// for tables of signature's shape (see RememberMapping); false when none, or
// when what is kept cannot be read.
func (d *Desk) RememberedMapping(signature string) (importer.Mapping, bool) {
	v, ok := d.st.Setting(mappingSetting(signature))
	if !ok {
		return importer.Mapping{}, false
	}
	m, err := importer.ParseMapping([]byte(v))
	if err != nil || m.Signature != signature {
		return importer.Mapping{}, false
	}
	return m, true
}

// RememberMapping keeps m, a mapping confirmed for an import, as this
// device's local setting for tables of its shape (m.Signature; nothing is
// kept without one). Errors: storage errors.
func (d *Desk) RememberMapping(m importer.Mapping) error {
	if m.Signature == "" {
		return nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("remember import mapping %s: %w", m.Signature, err)
	}
	if err := d.st.SetSetting(mappingSetting(m.Signature), string(b)); err != nil {
		return fmt.Errorf("remember import mapping %s: %w", m.Signature, err)
	}
	return nil
}

// Advance takes one pipeline step on demand id as this device's member:
// action with args, when relief.Allowed lets the member take it on the
// demand as it is. It returns the demand afterwards. It carries no input
// checks of a form: it is for steps the program takes (the practice
// network's loading); the demand screens use the desk's pipeline actions.
// Errors: *Error with CodeNotFound for no such demand, CodeNotAllowed when
// the step is not allowed, CodeInvalid when it cannot be built, and those
// of apply.
func (d *Desk) Advance(id string, action relief.Action, args relief.Args) (relief.Demand, error) {
	cur, err := d.st.Demand(id)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return relief.Demand{}, &Error{Code: CodeNotFound, Field: "id", Message: err.Error()}
		}
		return relief.Demand{}, AsError(err)
	}
	me, _ := d.st.Me()
	if !slices.Contains(relief.Allowed(cur, me), action) {
		return relief.Demand{}, &Error{Code: CodeNotAllowed, Field: "id",
			Message: fmt.Sprintf("%s on %s (%s) not allowed for %s", action, cur.Code, cur.Status, me.Role)}
	}
	op, err := relief.Transition(relief.KindDemand, cur.ID, action, args)
	if err != nil {
		return relief.Demand{}, &Error{Code: CodeInvalid, Field: "id", Message: fmt.Sprintf("%s on %s: %v", action, cur.Code, err)}
	}
	if _, err := d.apply([]ledger.Op{op}); err != nil {
		return relief.Demand{}, err
	}
	after, err := d.st.Demand(id)
	return after, AsError(err)
}

// ImportPreview is how the tables of a file would be imported, before
// anything is written.
type ImportPreview struct {
	Table      *importer.Table  // the table shown: the first sheet with data, else the first
	Sheets     []string         // every sheet of a workbook (the others use their own mapping)
	Mapping    importer.Mapping // the mapping used (given, remembered or suggested)
	Remembered bool             // Mapping is the one last confirmed on this device for the table's shape
	Records    []importer.Record
	Problems   []importer.Problem // those of reading the records with Mapping
}

// PreviewImport says how tables (importer.ReadTables of a file; at least one)
// would be imported: with given when it was made for the shown table's shape
// (its signature), else, when given is nil, with the mapping last confirmed
// for that shape on this device (RememberedMapping), else with the suggested
// one (importer.SuggestMapping). Nothing is written.
func (d *Desk) PreviewImport(tables []*importer.Table, given *importer.Mapping) ImportPreview {
	t := tables[0]
	for _, x := range tables { // the first sheet with data
		if len(x.Rows) > 0 {
			t = x
			break
		}
	}
	p := ImportPreview{Table: t}
	for _, x := range tables {
		if x.Sheet != "" {
			p.Sheets = append(p.Sheets, x.Sheet)
		}
	}
	m := importer.SuggestMapping(t)
	switch {
	case given != nil && given.Signature == m.Signature:
		m = *given
	case given == nil:
		if rm, ok := d.RememberedMapping(m.Signature); ok {
			m, p.Remembered = rm, true
		}
	}
	p.Mapping = m
	opts := importer.DefaultOptions()
	opts.Mapping = &m
	p.Records, p.Problems = importer.Records(t, opts)
	return p
}
