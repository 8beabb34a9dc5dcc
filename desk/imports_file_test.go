package desk

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// cutCSV is a sheet whose first data row (row 2) has an address over
// relief.MaxAddress characters and 1,200 supplies, and whose second (row 3)
// is within every limit.
func cutCSV(address string, items int) []byte {
	names := make([]string, items)
	for i := range names {
		names[i] = fmt.Sprintf("物资%04d", i)
	}
	return []byte("医院名称,地址,需求物资,联系人\n" +
		"武汉市汉口医院," + address + ",\"" + strings.Join(names, "、") + "\",甲老师 13800000001\n" +
		"武汉市武昌医院,武汉市武昌区张之洞路99号,N95口罩,乙老师 13800000002\n")
}

// TestImportReportsEveryCut: a real file with an over-long cell and 1,200
// supplies is imported cut to relief's limits, and each cut is a problem on
// its row (code, field, kept, had), counted in Report.Cut; the preview says
// the same before anything is written; the row within the limits has none.
func TestImportReportsEveryCut(t *testing.T) {
	address := "武汉市江汉区解放大道1001号" + strings.Repeat("路", relief.MaxAddress)
	had := utf8.RuneCountInString(address)
	path := writeFile(t, "cut.csv", cutCSV(address, 1200))
	st := newStore(t)
	dk := New(st)

	tables, err := ReadTables(path)
	if err != nil {
		t.Fatalf("ReadTables(%s) = %v", path, err)
	}
	pv := dk.PreviewImport(tables, nil)
	recs, probs, err := importer.ReadFile(path, importer.DefaultOptions())
	if err != nil {
		t.Fatalf("ReadFile(%s) = %v", path, err)
	}
	if len(recs) != 2 || len(recs[0].Items) != 1200 {
		t.Fatalf("ReadFile(%s) = %d records, the first with %d items; want 2, 1200 items", path, len(recs), len(recs[0].Items))
	}
	rep, err := dk.Import(context.Background(), recs, nil)
	if err != nil {
		t.Fatalf("Import = %v", err)
	}
	rep.AddReadProblems(probs)

	want := map[string]map[string]string{
		importer.ProblemCut:      {"field": relief.FieldAddress, "kept": strconv.Itoa(relief.MaxAddress), "had": strconv.Itoa(had)},
		importer.ProblemItemsCut: {"kept": strconv.Itoa(relief.MaxItems), "had": "1200"},
	}
	for name, got := range map[string][]importer.Problem{"Import": rep.Problems, "PreviewImport": pv.Problems} {
		found := map[string]bool{}
		for _, p := range got {
			a, ok := want[p.Code]
			if !ok {
				continue
			}
			if p.Row != 2 || p.Rejected {
				t.Errorf("%s: problem %s on row %d (rejected %v); want row 2, not rejected", name, p.Code, p.Row, p.Rejected)
			}
			for k, v := range a {
				if p.Args[k] != v {
					t.Errorf("%s: problem %s args %v; want %s=%s", name, p.Code, p.Args, k, v)
				}
			}
			if found[p.Code] {
				t.Errorf("%s: problem %s reported twice", name, p.Code)
			}
			found[p.Code] = true
		}
		for code := range want {
			if !found[code] {
				t.Errorf("%s: no %s problem among %d; want one on row 2", name, code, len(got))
			}
		}
	}
	for _, p := range rep.Problems {
		if p.Rejected {
			t.Logf("rejected: %v", p)
		}
	}
	if rep.Cut != 1 || rep.Created != 2 || rep.Rejected != 0 {
		t.Errorf("Import = cut %d, created %d, rejected %d; want cut 1, created 2, rejected 0", rep.Cut, rep.Created, rep.Rejected)
	}
	d := demandByOrg(t, st, "武汉市汉口医院")
	if len(d.Items) != relief.MaxItems || utf8.RuneCountInString(d.Address) != relief.MaxAddress {
		t.Errorf("stored demand has %d items, an address of %d characters; want %d, %d",
			len(d.Items), utf8.RuneCountInString(d.Address), relief.MaxItems, relief.MaxAddress)
	}

	// importing the same file again writes nothing, so it cuts nothing
	again, err := dk.Import(context.Background(), recs, nil)
	if err != nil {
		t.Fatalf("Import again = %v", err)
	}
	if again.Skipped != 2 || again.Cut != 0 {
		t.Errorf("Import again = skipped %d, cut %d; want 2, 0", again.Skipped, again.Cut)
	}
}

// TestCutsOfEachPart: every part a cut can name (a supply's name, spec and
// unit, a contact's name, phone and role, the number of contacts) is told
// with its field, and a record within the limits tells none.
func TestCutsOfEachPart(t *testing.T) {
	long := func(n int) string { return strings.Repeat("长", n+3) }
	contacts := make([]relief.Contact, relief.MaxContacts+2)
	for i := range contacts {
		contacts[i] = relief.Contact{Name: fmt.Sprintf("联系人%d", i), Phone: fmt.Sprintf("+861380000%04d", i)}
	}
	contacts[0] = relief.Contact{Name: long(relief.MaxContactName), Phone: long(relief.MaxPhone), Role: long(relief.MaxContactRole)}
	r := importer.Record{Kind: relief.KindOffer, File: "o.csv", Row: 7, Org: long(relief.MaxOrg),
		Items:    []relief.Item{{Name: long(relief.MaxItemName), Spec: long(relief.MaxItemSpec), Unit: long(relief.MaxUnit)}},
		Contacts: contacts}
	got := map[string]string{}
	for _, p := range importer.Cuts(r) {
		if p.Row != 7 || p.File != "o.csv" {
			t.Errorf("Cuts: %s on %s row %d; want o.csv row 7", p.Code, p.File, p.Row)
		}
		got[p.Code+" "+p.Args["field"]] = p.Args["kept"] + "/" + p.Args["had"]
	}
	want := map[string]string{
		"cut " + relief.FieldSupplier:     fmt.Sprintf("%d/%d", relief.MaxOrg, relief.MaxOrg+3),
		"cut " + importer.CutItemName:     fmt.Sprintf("%d/%d", relief.MaxItemName, relief.MaxItemName+3),
		"cut " + importer.CutItemSpec:     fmt.Sprintf("%d/%d", relief.MaxItemSpec, relief.MaxItemSpec+3),
		"cut " + importer.CutUnit:         fmt.Sprintf("%d/%d", relief.MaxUnit, relief.MaxUnit+3),
		"cut " + importer.CutContactName:  fmt.Sprintf("%d/%d", relief.MaxContactName, relief.MaxContactName+3),
		"cut " + importer.CutPhone:        fmt.Sprintf("%d/%d", relief.MaxPhone, relief.MaxPhone+3),
		"cut " + importer.CutContactRole:  fmt.Sprintf("%d/%d", relief.MaxContactRole, relief.MaxContactRole+3),
		importer.ProblemContactsCut + " ": fmt.Sprintf("%d/%d", relief.MaxContacts, relief.MaxContacts+2),
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("Cuts: %q kept/had = %q; want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("Cuts = %v; want exactly %v", got, want)
	}
	r.Org, r.Items, r.Contacts = "某酒店", []relief.Item{{Name: "房间"}}, contacts[1:relief.MaxContacts+1]
	if ps := importer.Cuts(r); len(ps) != 0 {
		t.Errorf("Cuts(within the limits) = %v; want none", ps)
	}
}

// TestImportFile: ImportFile reads the file with the mapping given, imports
// it, puts the reading's problems first, remembers the mapping for its shape
// and publishes its progress on the store's bus (the first report at 0, the
// last at the total, never going back); what cannot be read or checked is a
// desk error naming the input.
func TestImportFile(t *testing.T) {
	st := newStore(t)
	dk := New(st)
	path := writeFile(t, "week.csv", []byte(weekCSV))
	pv, err := dk.PreviewFile(path, nil)
	if err != nil || pv.Format != "csv" || pv.Demands != 3 || pv.Offers != 0 || pv.Encoding == "" {
		t.Fatalf("PreviewFile = format %q, encoding %q, %d demands, %d offers, %v; want csv, an encoding, 3 demands",
			pv.Format, pv.Encoding, pv.Demands, pv.Offers, err)
	}
	events, unsubscribe := st.Subscribe()
	defer unsubscribe()
	fi, err := dk.ImportFile(context.Background(), path, pv.Mapping, nil)
	if err != nil || fi.Records != 3 || fi.Report.Created != 3 || fi.MappingErr != nil {
		t.Fatalf("ImportFile = %d records, created %d, mapping %v, %v; want 3 created", fi.Records, fi.Report.Created, fi.MappingErr, err)
	}
	if _, ok := dk.RememberedMapping(pv.Mapping.Signature); !ok {
		t.Errorf("ImportFile did not remember the mapping of %q", pv.Mapping.Signature)
	}
	var seen []store.ImportProgress
	for len(events) > 0 {
		if ev := <-events; ev.Kind == store.EventImportProgress {
			seen = append(seen, *ev.Import)
		}
	}
	if len(seen) < 2 || seen[0] != (store.ImportProgress{Done: 0, Total: 3}) || seen[len(seen)-1] != (store.ImportProgress{Done: 3, Total: 3}) {
		t.Errorf("import progress on the bus = %v; want {0 3} first, {3 3} last", seen)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i].Done < seen[i-1].Done {
			t.Errorf("import progress on the bus = %v; want done rising", seen)
		}
	}

	bad := importer.Mapping{Signature: pv.Mapping.Signature, Columns: []importer.Column{{Index: 0, Field: "nonsense"}}}
	for _, tc := range []struct {
		path        string
		m           importer.Mapping
		code, field string
	}{
		{"", pv.Mapping, CodeRequired, "path"},
		{writeFile(t, "none.csv", nil) + ".missing", pv.Mapping, CodeImport, "path"},
		{path, bad, CodeInvalid, "mapping"},
	} {
		_, err := dk.ImportFile(context.Background(), tc.path, tc.m, nil)
		wantDeskError(t, "ImportFile("+tc.path+")", err, tc.code, tc.field)
	}
	if _, err := ReadTables(""); err == nil {
		t.Error("ReadTables(\"\") = nil; want CodeRequired")
	}
	noNet, err := store.Open(t.TempDir(), store.Options{ValueLogGCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer noNet.Close()
	_, err = New(noNet).ImportFile(context.Background(), path, pv.Mapping, nil)
	wantDeskError(t, "ImportFile(no network)", err, CodeNoNetwork, "")
}
