package desk

import (
	"context"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/importer"
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
	imp(vol.dk, "hospitals-v2.csv", strings.Replace(sheet, "13800000000", "13900000000", 1))
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
