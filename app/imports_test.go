package app

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/internal/fixture"
)

// rawFile returns the path of a real input file carried by the repository
// ("wuhan2020/NAME" or "hxl/NAME"; see testdata/README.md).
func rawFile(t *testing.T, rel string) string {
	t.Helper()
	return fixture.Path(t, rel)
}

// progressLog records the import:progress events an App emitted.
type progressLog struct {
	mu   sync.Mutex
	seen [][2]int
}

func (l *progressLog) emit(name string, data any) {
	if name != EventImportProgress {
		return
	}
	m := data.(map[string]any)
	l.mu.Lock()
	l.seen = append(l.seen, [2]int{m["done"].(int), m["total"].(int)})
	l.mu.Unlock()
}

// importApp is an App with a network, its event forwarder and the import
// events recorded (the network node is not started).
func importApp(t *testing.T) (*App, *progressLog) {
	t.Helper()
	a := newApp(t, t.TempDir())
	if _, err := a.Network.Create("Wuhan 2020", "甲"); err != nil {
		t.Fatal(err)
	}
	l := &progressLog{}
	a.mu.Lock()
	a.emit = l.emit
	// the one forwarder, as Startup starts it, without the network node:
	// import progress reaches the UI through the store's bus and it
	a.events = startForwarder(t.Context(), a.st, func(string) {}, l.emit)
	a.mu.Unlock()
	return a, l
}

func wantError(t *testing.T, what string, err error, code, field string, mentions ...string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != code || e.Field != field {
		t.Fatalf("%s = %v; want code %s field %s", what, err, code, field)
	}
	for _, m := range mentions {
		if !strings.Contains(e.Message, m) {
			t.Errorf("%s = %q; want it to name %q", what, e.Message, m)
		}
	}
}

func TestImportFieldsAreKnown(t *testing.T) {
	for _, f := range ImportFields {
		b, _ := json.Marshal(importer.Mapping{Columns: []importer.Column{{Field: importer.Field(f)}}})
		if _, err := importer.ParseMapping(b); err != nil {
			t.Errorf("ParseMapping(field %q) = %v; want it known", f, err)
		}
	}
}

func TestImportPreviewSuggests(t *testing.T) {
	a, _ := importApp(t)
	for _, tc := range []struct {
		file, format, encoding string
		fields                 map[string]string // header → field
		records, demands       int
	}{
		{"wuhan2020/hospital_needs_wuhan.json", "json", "", map[string]string{"name": "org", "district": "district", "address": "address", "id": ""}, 45, 45},
		{"wuhan2020/DemandOfWuhan.csv", "csv", "utf-8", map[string]string{"name": "org", "supplies": "items", "contact": "contacts", "remark": "notes"}, 41, 41}, // line 11 (武汉市公安局 in every cell) is skipped
		{"wuhan2020/LOGISTICAL_2020-01-26.csv", "csv", "utf-8", map[string]string{"物流名称": "org", "联系方式": "contacts"}, 6, 0},
		{"hxl/test_io__input-valid.csv", "hxl", "utf-8", map[string]string{"Organización": "org", "Departamento/Provincia/Estado": "province"}, 4, 0}, // a 3W list: nothing needed, read as offers
	} {
		t.Run(tc.file, func(t *testing.T) {
			p, err := a.Imports.Preview(rawFile(t, tc.file))
			if err != nil {
				t.Fatalf("Preview = %v", err)
			}
			if p.File != filepath.Base(tc.file) || p.Format != tc.format || p.Encoding != tc.encoding || p.Remembered {
				t.Errorf("Preview = file %q format %q encoding %q remembered %v; want %q %q %q false",
					p.File, p.Format, p.Encoding, p.Remembered, filepath.Base(tc.file), tc.format, tc.encoding)
			}
			got := map[string]string{}
			for _, c := range p.Mapping.Columns {
				got[c.Header] = c.Field
			}
			for h, f := range tc.fields {
				if g, ok := got[h]; !ok || g != f {
					t.Errorf("column %q mapped to %q (present %v); want %q", h, g, ok, f)
				}
			}
			if p.RecordCount != tc.records || p.Demands != tc.demands || p.Offers != tc.records-tc.demands {
				t.Errorf("records %d (%d demands, %d offers); want %d (%d demands)", p.RecordCount, p.Demands, p.Offers, tc.records, tc.demands)
			}
			if len(p.Rows) != min(p.RowCount, PreviewRows) || len(p.Records) != min(p.RecordCount, PreviewRows) {
				t.Errorf("preview has %d rows of %d and %d records of %d; want the first %d", len(p.Rows), p.RowCount, len(p.Records), p.RecordCount, PreviewRows)
			}
			for _, r := range p.Rows {
				if len(r.Cells) != len(p.Mapping.Columns) || r.Line < 1 {
					t.Fatalf("row %+v: want line ≥ 1 and one cell per column (%d)", r, len(p.Mapping.Columns))
				}
			}
			if !slices.Contains(p.Fields, "org") || !slices.Contains(p.Fields, "") {
				t.Errorf("Fields = %v; want org and \"\" (ignore) among them", p.Fields)
			}
		})
	}
	// The JSON's nested supplies and contacts reach the records.
	p, _ := a.Imports.Preview(rawFile(t, "wuhan2020/hospital_needs_wuhan.json"))
	if r := p.Records[0]; r.Org == "" || len(r.Items) == 0 || len(r.Contacts) == 0 || r.Row != 1 {
		t.Errorf("first record = %+v; want an organisation, items and contacts, row 1", r)
	}
	// Problems name the file and row.
	p, _ = a.Imports.Preview(rawFile(t, "wuhan2020/DemandOfWuhan.csv"))
	if p.ProblemCount == 0 || p.Problems[0].File != "DemandOfWuhan.csv" || p.Problems[0].Row == 0 || p.Problems[0].Message == "" {
		t.Errorf("problems = %d, first %+v; want problems naming DemandOfWuhan.csv and a row", p.ProblemCount, p.Problems)
	}
}

func TestImportRunIsIdempotentAndFlagsDuplicates(t *testing.T) {
	a, progress := importApp(t)
	path := rawFile(t, "wuhan2020/hospital_needs_wuhan.json")
	p, err := a.Imports.Preview(path)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := a.Imports.Run(path, p.Mapping)
	if err != nil {
		t.Fatalf("Run = %v", err)
	}
	// The file names some hospitals twice: those are stored flagged.
	if rep.Records != 45 || rep.Created+rep.Flagged != 45 || rep.Skipped != 0 || rep.Rejected != 0 || len(rep.IDs) != 45 {
		t.Fatalf("Run = created %d flagged %d skipped %d rejected %d of %d (%d ids); want 45 stored", rep.Created, rep.Flagged, rep.Skipped, rep.Rejected, rep.Records, len(rep.IDs))
	}
	if page, _ := a.Demands.List(DemandQuery{}); page.Total != 45 {
		t.Errorf("demands after import = %d; want 45", page.Total)
	}
	items, toCheck := 0, 0
	for _, id := range rep.IDs {
		d, err := a.Demands.Get(id)
		if err != nil {
			t.Fatalf("Get(%s) = %v", id, err)
		}
		items += len(d.Items)
		if slices.Contains(d.Tags, importer.TagCheckQuantities) {
			toCheck++
		}
	}
	// 299 supply lines, and 8 supplies with quantities that two remarks
	// name ("雨衣雨鞋2000套、冲锋衣500件"), tagged for a reviewer to confirm.
	if items != 307 || toCheck != 2 {
		t.Errorf("items = %d, demands to check %d; want 307, 2", items, toCheck)
	}
	progress.mu.Lock()
	seen := slices.Clone(progress.seen)
	progress.mu.Unlock()
	// coalesced by the forwarder (the latest every period), the last one,
	// {45 45}, sent before Run returns; never going back
	if len(seen) == 0 || seen[len(seen)-1] != [2]int{45, 45} {
		t.Errorf("progress events before Run returned = %v; want {45 45} last", seen)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i][0] < seen[i-1][0] || seen[i][1] != 45 {
			t.Errorf("progress events = %v; want done rising, total 45", seen)
			break
		}
	}

	again, err := a.Imports.Run(path, p.Mapping)
	if err != nil || again.Created != 0 || again.Flagged != 0 || again.Skipped != 45 {
		t.Fatalf("second Run = created %d flagged %d skipped %d, %v; want nothing new, 45 skipped", again.Created, again.Flagged, again.Skipped, err)
	}
	if page, _ := a.Demands.List(DemandQuery{}); page.Total != 45 {
		t.Errorf("demands after a second import = %d; want 45", page.Total)
	}

	// The early CSV names many of the same hospitals: they are flagged with a
	// link to the original, never created as new independent demands.
	csv := rawFile(t, "wuhan2020/DemandOfWuhan.csv")
	p, err = a.Imports.Preview(csv)
	if err != nil {
		t.Fatal(err)
	}
	dup, err := a.Imports.Run(csv, p.Mapping)
	if err != nil {
		t.Fatalf("Run(DemandOfWuhan.csv) = %v", err)
	}
	if dup.Flagged == 0 || len(dup.Duplicates) != dup.Flagged {
		t.Fatalf("Run(DemandOfWuhan.csv) flagged %d (%d listed); want some", dup.Flagged, len(dup.Duplicates))
	}
	original := map[string]bool{}
	for _, id := range append(slices.Clone(rep.IDs), dup.IDs...) {
		original[id] = true
	}
	for _, d := range dup.Duplicates {
		if !original[d.Original] || d.OriginalCode == "" || d.Code == "" || d.Row == 0 || len(d.Reasons) == 0 {
			t.Errorf("duplicate %+v; want a link to a stored demand, codes, a row and reasons", d)
		}
		if det, err := a.Demands.Get(d.ID); err != nil || det.Code != d.Code {
			t.Errorf("Get(flagged %s) = %s, %v; want code %s", d.ID, det.Code, err, d.Code)
		}
	}
	if len(dup.Problems) == 0 || dup.Problems[0].File != "DemandOfWuhan.csv" {
		t.Errorf("report problems = %+v; want the reading problems of DemandOfWuhan.csv", dup.Problems)
	}
	for _, p := range dup.Problems {
		if p.Code == "" || p.Args == nil {
			t.Errorf("problem %+v; want a code and arguments for the UI to translate", p)
		}
	}
}

// TestImportRemembersMapping: a mapping the user changed is used for the next
// file of the same shape.
func TestImportRemembersMapping(t *testing.T) {
	a, _ := importApp(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	first := write("week1.csv", "医院名称,所在区,需求物资,联系人,备注\n"+
		"汉口医院,江岸区,N95口罩/防护服,王老师 13800000001,夜班\n"+
		"武汉市第五医院,汉阳,外科口罩,李老师 13800000002,\n")
	second := write("week2.csv", "医院名称,所在区,需求物资,联系人,备注\n"+
		"武汉市第七医院,武昌区,护目镜,张老师 13800000003,白班\n")

	p, err := a.Imports.Preview(first)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"医院名称": "org", "所在区": "district", "需求物资": "items", "联系人": "contacts", "备注": "notes"}
	for _, c := range p.Mapping.Columns {
		if want[c.Header] != c.Field {
			t.Errorf("suggested %q → %q; want %q", c.Header, c.Field, want[c.Header])
		}
	}
	if p.Rows[1].Cells[1] != "汉阳" || p.Records[1].District != "汉阳区" {
		t.Errorf("row 2 = %v, record %+v; want the cell as written and the district cleaned", p.Rows[1].Cells, p.Records[1])
	}
	// The user does not import the remarks.
	m := p.Mapping
	m.Columns = slices.Clone(m.Columns)
	m.Columns[4].Field = ""
	changed, err := a.Imports.PreviewMapping(first, m)
	if err != nil || changed.Mapping.Columns[4].Field != "" || changed.Remembered {
		t.Fatalf("PreviewMapping = %+v, %v; want column 5 ignored", changed.Mapping, err)
	}
	rep, err := a.Imports.Run(first, m)
	if err != nil || rep.Created != 2 {
		t.Fatalf("Run = %+v, %v; want 2 created", rep, err)
	}
	d, _ := a.Demands.Get(rep.IDs[0])
	if strings.Contains(d.Description+d.ReviewNotes, "夜班") {
		t.Errorf("ignored column imported: %+v", d)
	}

	next, err := a.Imports.Preview(second)
	if err != nil {
		t.Fatal(err)
	}
	if !next.Remembered || next.Mapping.Signature != m.Signature || next.Mapping.Columns[4].Field != "" {
		t.Errorf("Preview(next file) = remembered %v, %+v; want the changed mapping", next.Remembered, next.Mapping)
	}
	again, err := a.Imports.Run(first, m)
	if err != nil || again.Created != 0 || again.Skipped != 2 {
		t.Errorf("re-Run = %+v, %v; want nothing new", again, err)
	}

	bad := m
	bad.Columns = slices.Clone(m.Columns)
	bad.Columns[0].Field = "weapons"
	_, err = a.Imports.Run(first, bad)
	wantError(t, "Run with an unknown field", err, CodeInvalid, "mapping", "weapons")
	bad.Columns[0].Field, bad.Kind = "org", "gift"
	_, err = a.Imports.PreviewMapping(first, bad)
	wantError(t, "PreviewMapping with an unknown kind", err, CodeInvalid, "mapping", "gift")
}

// TestImportBadFile: a file that cannot be read gets an error naming it (and
// the place), and the store is unchanged.
func TestImportBadFile(t *testing.T) {
	a, _ := importApp(t)
	dir := t.TempDir()
	write := func(name string, body []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	xlsx := write("needs.xlsx", []byte("PK\x03\x04\x14\x00\x00\x00truncated"))
	js := write("needs.json", []byte("[{\"name\": \"协和医院\",\n \"supplies\": [}]"))
	notList := write("poem.csv", []byte("title,author\nSpring,Du Fu\n"))
	for _, tc := range []struct {
		name, path, code string
		mentions         []string
		previewOK        bool
	}{
		{"missing", filepath.Join(dir, "gone.csv"), CodeImport, []string{"gone.csv"}, false},
		{"truncated xlsx", xlsx, CodeImport, []string{"needs.xlsx"}, false},
		{"json syntax error", js, CodeImport, []string{"needs.json", "line 2"}, false},
		{"not a relief list", notList, CodeImport, []string{"poem.csv", "organisation"}, true},
		{"no file", "", CodeRequired, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := a.Imports.Preview(tc.path)
			if tc.previewOK {
				if err != nil || p.RecordCount != 0 {
					t.Fatalf("Preview = %d records, %v; want the table with no records", p.RecordCount, err)
				}
			} else {
				wantError(t, "Preview", err, tc.code, "path", tc.mentions...)
			}
			_, err = a.Imports.Run(tc.path, p.Mapping)
			wantError(t, "Run", err, tc.code, "path", tc.mentions...)
		})
	}
	if page, _ := a.Demands.List(DemandQuery{}); page.Total != 0 {
		t.Errorf("demands after bad files = %d; want 0", page.Total)
	}
}

func TestImportNeedsNetwork(t *testing.T) {
	a := newApp(t, t.TempDir())
	path := rawFile(t, "wuhan2020/hospital_needs_wuhan.json")
	p, err := a.Imports.Preview(path)
	if err != nil {
		t.Fatalf("Preview without a network = %v; want it to work (nothing is written)", err)
	}
	_, err = a.Imports.Run(path, p.Mapping)
	wantError(t, "Run without a network", err, CodeNoNetwork, "")
}

var mobile = regexp.MustCompile(`1[3-9]\d{9}`)

func TestExportPublic(t *testing.T) {
	a, _ := importApp(t)
	path := rawFile(t, "wuhan2020/hospital_needs_wuhan.json")
	p, _ := a.Imports.Preview(path)
	rep, err := a.Imports.Run(path, p.Mapping)
	if err != nil {
		t.Fatal(err)
	}
	// Nothing published yet: the bulletin would be empty, and the count says why.
	dir := t.TempDir()
	if c, err := a.Imports.BulletinCount(); err != nil || c.Demands != 0 || c.Unpublished != len(rep.IDs) {
		t.Errorf("BulletinCount = %+v, %v; want 0 demands, %d unpublished", c, err, len(rep.IDs))
	}
	if res, err := a.Imports.ExportPublicTo(filepath.Join(dir, "empty.csv"), "csv"); err != nil || res.Demands != 0 || res.Unpublished != len(rep.IDs) {
		t.Errorf("ExportPublicTo(nothing published) = %+v, %v; want 0 demands, %d unpublished", res, err, len(rep.IDs))
	}
	for _, id := range rep.IDs[:3] {
		for _, act := range []string{"approve", "publish"} {
			if _, err := a.Demands.Act(called(ActInput{ID: id, Action: act})); err != nil {
				t.Fatalf("%s %s = %v", act, id, err)
			}
		}
	}
	if c, _ := a.Imports.BulletinCount(); c.Demands != 3 || c.Unpublished != len(rep.IDs)-3 {
		t.Errorf("BulletinCount after publishing 3 = %+v; want 3, %d", c, len(rep.IDs)-3)
	}
	for _, format := range []string{"csv", "xlsx", "hxl", "json", "text"} {
		out := filepath.Join(dir, "bulletin."+format)
		res, err := a.Imports.ExportPublicTo(out, format)
		if err != nil || res.Demands != 3 || res.Path != out || res.Level != "public" {
			t.Fatalf("ExportPublicTo(%s) = %+v, %v; want the 3 published demands", format, res, err)
		}
		b, _ := os.ReadFile(out)
		if format != "xlsx" && (mobile.Match(b) || strings.Contains(string(b), "老师")) {
			t.Errorf("%s bulletin holds a mobile number or a contact name", format)
		}
	}
	// The text bulletin follows the UI's language.
	a.Settings.SetLocale("en")
	a.Imports.ExportPublicTo(filepath.Join(dir, "en.txt"), "text")
	if b, _ := os.ReadFile(filepath.Join(dir, "en.txt")); !strings.HasPrefix(string(b), "Demand bulletin: 3 demands") {
		t.Errorf("text bulletin in English starts %.60q", b)
	}
	// Team and restricted bulletins, asked for explicitly by the coordinator.
	team, restricted := filepath.Join(dir, "team.csv"), filepath.Join(dir, "restricted.csv")
	if _, err := a.Imports.ExportTo(team, "csv", "team"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Imports.ExportTo(restricted, "csv", "restricted"); err != nil {
		t.Fatal(err)
	}
	tb, _ := os.ReadFile(team)
	rb, _ := os.ReadFile(restricted)
	if !strings.Contains(string(tb), "#loc+address") || mobile.Match(tb) || strings.Contains(string(tb), "#contact") {
		t.Errorf("team bulletin: want addresses, no contacts:\n%.400s", tb)
	}
	if !mobile.Match(rb) || !strings.Contains(string(rb), "#contact+phone") {
		t.Errorf("restricted bulletin: want the contacts:\n%.400s", rb)
	}
	// names and phones are this user's only; a public bulletin is for all
	// (a tester found restricted bulletins readable by every user)
	for path, want := range map[string]os.FileMode{team: 0o600, restricted: 0o600, filepath.Join(dir, "en.txt"): 0o644} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, %v; want %v", filepath.Base(path), fi.Mode().Perm(), err, want)
		}
	}
	_, err = a.Imports.ExportTo(filepath.Join(dir, "x.csv"), "csv", "secret")
	wantError(t, "ExportTo(secret)", err, CodeInvalid, "level")
	_, err = a.Imports.ExportPublicTo(filepath.Join(dir, "b.pdf"), "pdf")
	wantError(t, "ExportPublicTo(pdf)", err, CodeInvalid, "format")
	_, err = a.Imports.ExportPublicTo(filepath.Join(dir, "no", "such", "dir.csv"), "csv")
	wantError(t, "ExportPublicTo(missing dir)", err, CodeStorage, "path")
}

// TestImportRenamedCopy: a renamed copy of a file already imported is
// skipped row by row, not flagged as 45 new duplicates.
func TestImportRenamedCopy(t *testing.T) {
	a, _ := importApp(t)
	path := rawFile(t, "wuhan2020/hospital_needs_wuhan.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	renamed := filepath.Join(t.TempDir(), "武汉医院需求-副本.json")
	if err := os.WriteFile(renamed, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for i, p := range []string{path, renamed} {
		pv, err := a.Imports.Preview(p)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := a.Imports.Run(p, pv.Mapping)
		if err != nil {
			t.Fatalf("Run(%s) = %v", p, err)
		}
		if i == 1 && (rep.Skipped != 45 || rep.Created+rep.Flagged+rep.Updated+rep.Held != 0 || len(rep.Updates) != 0) {
			t.Errorf("Run(renamed copy) = created %d flagged %d updated %d held %d skipped %d; want 45 skipped",
				rep.Created, rep.Flagged, rep.Updated, rep.Held, rep.Skipped)
		}
	}
}

// TestImportCountsRowsTheReaderRejected: a row with more cells than the
// header (an unquoted "2,000") is not imported, and the report's rejected
// count says so, beside its problem.
func TestImportCountsRowsTheReaderRejected(t *testing.T) {
	a, _ := importApp(t)
	path := filepath.Join(t.TempDir(), "needs.csv")
	os.WriteFile(path, []byte("机构,区县,物资,数量,联系人\n协和医院,江汉区,N95口罩,2,000,王老师 13800000000\n同济医院,硚口区,防护服,300,李老师 13900000000\n"), 0o644)
	p, err := a.Imports.Preview(path)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := a.Imports.Run(path, p.Mapping)
	if err != nil {
		t.Fatalf("Run = %v", err)
	}
	// "2,000" unquoted cut the row one cell too wide: it was rejected; it
	// is one number, read as such and told (a tester's note typed past the
	// last column now keeps its row, so a slid row must not read wrong)
	rejected, told := 0, 0
	for _, pr := range rep.Problems {
		if pr.Rejected {
			rejected++
		}
		if pr.Code == importer.ProblemThousandsSplit && pr.Row == 2 && pr.Args["value"] == "2,000" {
			told++
		}
	}
	if rep.Created != 2 || rep.Rejected != 0 || rejected != 0 || told != 1 {
		t.Errorf("Run = created %d, rejected %d, %d rejected problems, told %d; want 2, 0, 0, 1 (%+v)", rep.Created, rep.Rejected, rejected, told, rep.Problems)
	}
}

// TestImportKeepsEveryColumn: a column no field holds is listed by the
// preview with its samples, and its cells reach the demand's detail as
// source fields, in the sheet's order.
func TestImportKeepsEveryColumn(t *testing.T) {
	a, _ := importApp(t)
	path := filepath.Join(t.TempDir(), "province.csv")
	csv := "所在城市,医院名称,所需物资,地址,联系方式,\n" +
		"荆门市,钟祥市人民医院,防护服,钟祥市承天大道1号,13800000001,已配送\n" +
		"荆门市,荆门市第二人民医院,护目镜,荆门市象山大道2号,13800000002,500个n95\n"
	if err := os.WriteFile(path, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := a.Imports.Preview(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Unmapped) != 1 || p.Unmapped[0].Column != "F" || p.Unmapped[0].Cells != 2 || !slices.Equal(p.Unmapped[0].Samples, []string{"已配送", "500个n95"}) {
		t.Fatalf("Unmapped = %+v; want column F, 2 cells, its 2 values", p.Unmapped)
	}
	rep, err := a.Imports.Run(path, p.Mapping)
	if err != nil || len(rep.IDs) != 2 {
		t.Fatalf("Run = %+v, %v; want 2 stored", rep, err)
	}
	got := map[string]bool{}
	for _, id := range rep.IDs {
		d, err := a.Demands.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range d.SourceFields {
			got[f.Column+"="+f.Value] = true
		}
	}
	if !got["F=已配送"] || !got["F=500个n95"] {
		t.Errorf("source fields of the demands = %v; want F=已配送 and F=500个n95", got)
	}
}

// TestPreviewRowsNumberAsRecords: the raw rows of the preview carry the row
// number the records and problems name, beside the file line (a tester read
// row 11 in the raw table and 9 for the same row in the problems: a cell
// spanning lines had moved the lines on).
func TestPreviewRowsNumberAsRecords(t *testing.T) {
	a, _ := importApp(t)
	p := filepath.Join(t.TempDir(), "multi.csv")
	body := "医院名称,所在区,需求物资,联系人,备注\n" +
		"汉口医院,江岸区,N95口罩,王老师 13800000001,\"夜班\n白班\n周末\"\n" +
		"武汉市第五医院,汉阳区,外科口罩,李老师 13800000002,\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	pv, err := a.Imports.Preview(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(pv.Rows) != 2 || len(pv.Records) != 2 {
		t.Fatalf("preview rows %d, records %d; want 2 and 2", len(pv.Rows), len(pv.Records))
	}
	if pv.Rows[1].Row != pv.Records[1].Row || pv.Rows[1].Row != 3 || pv.Rows[1].Line != 5 {
		t.Errorf("second row: row %d, line %d, its record's row %d; want row 3 (as its record), line 5", pv.Rows[1].Row, pv.Rows[1].Line, pv.Records[1].Row)
	}
}
