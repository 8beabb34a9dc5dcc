package desk

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestRefusedSealedWriteDoesNotShow: a volunteer who neither created nor
// owns a demand re-imports its sheet with another phone. The fold refuses
// that write (FieldRules), so no device may show the new phone: the sealed
// value opened must be the latest allowed one, not the latest written (a
// tester found the refused phone shown on every device).
func TestRefusedSealedWriteDoesNotShow(t *testing.T) {
	coord, p := sealNetwork(t, map[string]string{"志愿者乙": "volunteer"})
	vol := p["志愿者乙"]
	publish(t, vol, coord)
	const sheet = "医院名称,所需物资,数量,单位,联系人\n汉口医院,N95口罩,500,只,乙老师 13800000000\n"
	imp := func(dk *Desk, name, data string) {
		t.Helper()
		recs, _, err := importer.ReadFile(writeFile(t, name, []byte(data)), importer.DefaultOptions())
		if err != nil || len(recs) != 1 {
			t.Fatalf("ReadFile(%s) = %d records, %v", name, len(recs), err)
		}
		if _, err := dk.Import(context.Background(), recs, nil); err != nil {
			t.Fatalf("Import(%s) = %v", name, err)
		}
	}
	imp(coord.dk, "hospitals.csv", sheet)
	if _, err := coord.dk.GrantPending(); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, coord.dk.Store(), vol.dk.Store())
	// The volunteer's importer no longer writes contacts it cannot open
	// (TestReimportComparesWhatItCanOpen); another client could: the
	// volunteer's device signs the write itself (sealed as every write is).
	refusedWrite(t, vol.dk, demandByOrg(t, vol.dk.Store(), "汉口医院").ID, "+8613900000000")
	peopleSync(t, vol.dk.Store(), coord.dk.Store())

	d := demandByOrg(t, coord.dk.Store(), "汉口医院")
	var phones []string
	for _, c := range d.Contacts {
		phones = append(phones, c.Phone)
	}
	got := strings.Join(phones, " ")
	if !strings.Contains(got, "13800000000") || strings.Contains(got, "13900000000") {
		t.Errorf("coordinator's device shows contacts %q; want the coordinator's 13800000000, not the refused 13900000000", got)
	}
	refused := false
	for _, c := range d.Conflicts {
		if c.Field == "contacts" || strings.HasPrefix(c.Field, "contacts") {
			refused = true
		}
	}
	if !refused {
		t.Errorf("conflicts = %+v; want the volunteer's contacts write told as refused", d.Conflicts)
	}
}

// TestReimportComparesWhatItCanOpen: a re-import compares the contacts it
// would write with the stored ones as this device reads them. A volunteer,
// who cannot open a demand's sealed contacts, re-importing the same sheet is
// told that they were not compared (sealed), not that they were updated, and
// writes none; the coordinator re-importing its sheet after a refused write
// of another phone compares with the contacts that stand (the allowed
// writes), not with the refused ones, and finds nothing to update.
func TestReimportComparesWhatItCanOpen(t *testing.T) {
	coord, p := sealNetwork(t, map[string]string{"志愿者乙": "volunteer"})
	vol := p["志愿者乙"]
	publish(t, vol, coord)
	const sheet = "医院名称,所需物资,数量,单位,联系人\n汉口医院,N95口罩,500,只,乙老师 13800000000\n"
	imp := func(dk *Desk, name, data string) importer.Report {
		t.Helper()
		recs, _, err := importer.ReadFile(writeFile(t, name, []byte(data)), importer.DefaultOptions())
		if err != nil || len(recs) != 1 {
			t.Fatalf("ReadFile(%s) = %d records, %v", name, len(recs), err)
		}
		rep, err := dk.Import(context.Background(), recs, nil)
		if err != nil {
			t.Fatalf("Import(%s) = %v", name, err)
		}
		return rep
	}
	imp(coord.dk, "hospitals.csv", sheet)
	peopleSync(t, coord.dk.Store(), vol.dk.Store())
	// the volunteer's device cannot open the contacts: it gets no grant
	if d := demandByOrg(t, vol.dk.Store(), "汉口医院"); len(d.Contacts) != 0 {
		t.Fatalf("the volunteer reads %v; want the contacts sealed", d.Contacts)
	}
	rep := imp(vol.dk, "hospitals-again.csv", strings.Replace(sheet, "500", "600", 1))
	if len(rep.Updates) != 1 {
		t.Fatalf("the volunteer's re-import updates = %+v; want one (the quantity)", rep.Updates)
	}
	u := rep.Updates[0]
	if slices.Contains(u.Fields, relief.FieldContacts) || !slices.Contains(u.Sealed, relief.FieldContacts) {
		t.Errorf("the volunteer's re-import: fields %v, sealed %v; want contacts told as sealed (not compared), not as changed", u.Fields, u.Sealed)
	}
	peopleSync(t, vol.dk.Store(), coord.dk.Store())
	for _, c := range demandByOrg(t, coord.dk.Store(), "汉口医院").Conflicts {
		if c.Field == relief.FieldContacts || c.Field == relief.SealedField(relief.FieldContacts) {
			t.Errorf("the volunteer's re-import wrote the contacts (conflict %+v); want them left alone", c)
		}
	}
	// a refused write of another phone, then the coordinator re-imports
	refusedWrite(t, vol.dk, demandByOrg(t, vol.dk.Store(), "汉口医院").ID, "+8613900000000")
	peopleSync(t, vol.dk.Store(), coord.dk.Store())
	rep = imp(coord.dk, "hospitals.csv", sheet)
	for _, u := range rep.Updates {
		if slices.Contains(u.Fields, relief.FieldContacts) {
			t.Errorf("the coordinator's re-import of its own sheet reports contacts changed (%+v); want them compared with the allowed 13800000000", u)
		}
	}
}

// refusedWrite has dk's device sign a write of demand id's contacts (phone)
// that the fold refuses for its role, as a client other than this desk
// could (the desk refuses it up front).
func refusedWrite(t *testing.T, dk *Desk, id, phone string) {
	t.Helper()
	op, err := relief.SetFields(relief.KindDemand, id, map[string]any{relief.FieldContacts: []relief.Contact{{Name: "乙老师", Phone: phone}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dk.apply([]ledger.Op{op}); err != nil {
		t.Fatal(err)
	}
}
