package bulletin

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestSealedContactsAreTold: in a restricted bulletin, a demand whose
// contacts are sealed and the exporting device cannot open (Demand.Sealed)
// has a cell that says so (已加密 / sealed), not an empty one, in every
// table format and language; the text bulletin says it too, the JSON line
// is marked sealed, and the workbook's notes sheet counts those demands.
func TestSealedContactsAreTold(t *testing.T) {
	ds := levelDemands()
	ds[1].Contacts, ds[1].Sealed = nil, []string{relief.FieldContacts}
	coordinator := relief.Member{Key: key(1), Role: relief.RoleCoordinator}
	for _, o := range formatsAt(relief.LevelRestricted, coordinator) {
		out := render(t, ds, o)
		want := map[string]string{"zh-CN": "已加密", "en": "sealed"}[o.Lang]
		if o.Lang == "" {
			want = "已加密"
		}
		if o.Format == "json" {
			want = `"sealed": true`
		}
		if !strings.Contains(out, want) {
			t.Errorf("%s %s restricted bulletin does not say the sealed contacts are sealed (%q):\n%s", o.Format, o.Lang, want, out)
		}
		if !strings.Contains(out, "RESTRICTED王老师") {
			t.Errorf("%s %s restricted bulletin lost the contacts this device opened", o.Format, o.Lang)
		}
	}
	var buf bytes.Buffer
	if err := WriteWith(&buf, ds, Options{Format: "xlsx", Lang: "en", Level: relief.LevelRestricted, Viewer: coordinator}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(1))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if len(r) == 2 && strings.Contains(r[0], "sealed") && r[1] == "1" {
			found = true
		}
	}
	if !found {
		t.Errorf("the notes sheet %v does not count the 1 demand whose contacts are sealed", rows)
	}
	// a team bulletin has no contact columns: nothing to say there
	if out := render(t, ds, Options{Format: "csv", Lang: "en", Level: relief.LevelTeam, Viewer: coordinator}); strings.Contains(out, "sealed") {
		t.Errorf("team bulletin mentions sealed contacts:\n%s", out)
	}
}
