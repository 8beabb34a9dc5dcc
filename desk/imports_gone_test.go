package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

func importText(t *testing.T, dk *Desk, name, csv string) importer.Report {
	t.Helper()
	recs, probs, err := importer.ReadData(name, []byte(csv), importer.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := dk.Import(context.Background(), recs, nil)
	if err != nil {
		t.Fatalf("Import(%s) = %v", name, err)
	}
	rep.AddReadProblems(probs)
	return rep
}

// A hospital's newer sheet without one of its earlier rows: the row's
// demand is listed as no longer in the file, by the dry run and by the
// preview (first of its problems), and nothing is written for it. Another
// hospital's sheet of the same template lists nothing of the first's.
func TestReimportListsRowsNoLongerInTheFile(t *testing.T) {
	dk := New(newStore(t))
	head := hospitalHead
	importHospitalV1(t, dk)
	v2 := hospitalV2
	recs, _, err := importer.ReadData("hospital_v2.csv", []byte(v2), importer.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := dk.PlanImport(context.Background(), recs)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Gone) != 1 || rep.Gone[0].Org != "获嘉县人民医院" {
		t.Fatalf("dry run Gone = %+v; want 获嘉县人民医院 listed", rep.Gone)
	}
	if n := len(problemsCoded(rep.Problems, importer.ProblemRowsGone)); n != 1 {
		t.Errorf("dry run problems %v; want one %s", rep.Problems, importer.ProblemRowsGone)
	}
	tables, err := importer.ReadTables("hospital_v2.csv", []byte(v2))
	if err != nil {
		t.Fatal(err)
	}
	pv := dk.PreviewImport(tables, nil)
	if len(pv.Gone) != 1 || len(pv.Problems) == 0 || pv.Problems[0].Code != importer.ProblemRowsGone || !strings.Contains(pv.Problems[0].Args["codes"], rep.Gone[0].Code) {
		t.Errorf("preview Gone %+v, problems %+v; want the gone row told first, by its code", pv.Gone, pv.Problems)
	}
	// another hospital filling in the same template: nothing of the first's
	other := head + "辉县市人民医院,辉县市大道1号,防护服,100套,13837310009\n"
	recs, _, _ = importer.ReadData("other.csv", []byte(other), importer.DefaultOptions())
	if rep, _ := dk.PlanImport(context.Background(), recs); len(rep.Gone) != 0 {
		t.Errorf("another hospital's sheet lists %+v as gone; want none", rep.Gone)
	}
}

func problemsCoded(ps []importer.Problem, code string) []importer.Problem {
	var out []importer.Problem
	for _, p := range ps {
		if p.Code == code {
			out = append(out, p)
		}
	}
	return out
}

// A demand whose row names no requester is titled by its place and its
// supplies, never by the file's name (a title is read in bulletins).
func TestUntitledImportedDemandNamesNoFile(t *testing.T) {
	st := newStore(t)
	dk := New(st)
	csv := "地址,需求物资,联系电话\n卫辉市健康路12号,\"N95口罩、防护服、消毒液\",13837310001\n"
	rep := importText(t, dk, "village_gbk.csv", csv)
	if rep.Created != 1 {
		t.Fatalf("created %d; want 1 (%+v)", rep.Created, rep.Problems)
	}
	ds, err := st.Demands(store.DemandQuery{})
	if err != nil || len(ds) != 1 {
		t.Fatalf("Demands = %d, %v", len(ds), err)
	}
	if title := ds[0].Title; strings.Contains(title, "village_gbk") || strings.Contains(title, "row") || title != "卫辉市健康路12号：N95口罩等 3 项" {
		t.Errorf("title %q; want 卫辉市健康路12号：N95口罩等 3 项", title)
	}
}

// Rows of a sheet that names no supplier take the sheet's name as their
// supplier; two of them are not "the same supplier" by that name: both are
// imported. A supplier's two rows of other supplies are two offers; a row
// repeating an earlier one is told with both row numbers.
func TestSheetNamedSupplierIsNoDuplicate(t *testing.T) {
	dk := New(newStore(t))
	recs := []importer.Record{
		{Kind: relief.KindOffer, File: "w.xlsx", Row: 2, Source: "import:aaaaaaaaaaaa:1", Org: "Villages 村庄", OrgFromSheet: true, Notes: "救生衣 100件"},
		{Kind: relief.KindOffer, File: "w.xlsx", Row: 3, Source: "import:aaaaaaaaaaaa:2", Org: "Villages 村庄", OrgFromSheet: true, Notes: "drinking water 1万瓶"},
		{Kind: relief.KindOffer, File: "w.xlsx", Row: 4, Source: "import:aaaaaaaaaaaa:3", Org: "新乡市某某物流有限公司", Items: []relief.Item{{Name: "冲锋舟"}}},
		{Kind: relief.KindOffer, File: "w.xlsx", Row: 5, Source: "import:aaaaaaaaaaaa:4", Org: "新乡市某某物流有限公司", Items: []relief.Item{{Name: "发电机"}}},
		{Kind: relief.KindOffer, File: "w.xlsx", Row: 6, Source: "import:aaaaaaaaaaaa:5", Org: "新乡市某某物流有限公司", Items: []relief.Item{{Name: "冲锋舟"}}},
	}
	rep, err := dk.Import(context.Background(), recs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created != 4 || rep.Skipped != 1 {
		t.Errorf("created %d, skipped %d; want 4 and 1 (%+v)", rep.Created, rep.Skipped, rep.Problems)
	}
	ps := problemsCoded(rep.Problems, importer.ProblemOfferRepeatsRow)
	if len(ps) != 1 || ps[0].Row != 6 || ps[0].Args["first"] != "4" {
		t.Errorf("problems %+v; want row 6 told as repeating row 4", rep.Problems)
	}
}

// A JSON file cut short cannot be imported, and the error says so and
// where (its reason and place in Args, for the screen's language).
func TestImportErrorSaysTheFileIsCutShort(t *testing.T) {
	path := writeFile(t, "broken.json", []byte("{\"data\": [{\"name\": \"a\",\n"))
	_, err := ReadTables(path)
	e, ok := err.(*Error)
	if !ok || e.Code != CodeImport || e.Args["reason"] != "file_cut_short" || e.Args["line"] != "2" || e.Args["byte"] != "24" || e.Args["file"] != "broken.json" {
		t.Fatalf("ReadTables(cut short) = %#v; want CodeImport, reason file_cut_short, line 2, byte 24", err)
	}
	if !strings.Contains(e.Message, "cut short") {
		t.Errorf("message %q; want it to say the file is cut short", e.Message)
	}
}

// TestRowsGoneNamesItsOwnFile: session 12, a tester importing several files
// at once saw the rows-gone line name a file picked by map order (the
// planner took "the first" of a map of every row planned). It names the
// file of the layout the gone rows came from, every time.
func TestRowsGoneNamesItsOwnFile(t *testing.T) {
	dk := New(newStore(t))
	importHospitalV1(t, dk)
	v2 := hospitalV2
	recs, _, err := importer.ReadData("hospital_v2.csv", []byte(v2), importer.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	village := "村名,乡镇,需要什么,多少,联系人电话\n"
	for i := range 30 {
		village += fmt.Sprintf("第%d村,孙杏村镇,矿泉水,%d箱,158037300%02d\n", i+1, 10+i, i)
	}
	more, _, err := importer.ReadData("village.csv", []byte(village), importer.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		rep, err := dk.PlanImport(context.Background(), append(slices.Clone(recs), more...))
		if err != nil {
			t.Fatal(err)
		}
		gone := problemsCoded(rep.Problems, importer.ProblemRowsGone)
		if len(gone) != 1 || gone[0].File != "hospital_v2.csv" {
			t.Fatalf("rows-gone problems %+v; want one, of hospital_v2.csv", gone)
		}
	}
}

// TestCutFileListsNoRowsGone: session 12, a tester imported a hospital's
// sheet, then a copy of it cut short inside its last row. The import said
// both "the file ends in the middle of row 4 … that row was not used" and
// that row 4's demand was no longer in the file — "check whether they are
// met and close them if so", for a need still in the sheet. A cut copy
// cannot tell what its source deleted: it lists no rows gone, in the dry
// run, the import and the preview; the cut is told.
func TestCutFileListsNoRowsGone(t *testing.T) {
	dk := New(newStore(t))
	v1 := hospitalV1
	importHospitalV1(t, dk)
	cut := v1[:strings.Index(v1, "获嘉县中山路,")+len("获嘉县中山路,")]
	recs, probs, err := importer.ReadData("hospital_copy.csv", []byte(cut), importer.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(problemsCoded(probs, importer.ProblemRowCut)) != 1 {
		t.Fatalf("read problems %v; want the cut row told", probs)
	}
	rep, err := dk.PlanImport(context.Background(), recs)
	if err != nil {
		t.Fatal(err)
	}
	rep.AddReadProblems(probs)
	if len(rep.Gone) != 0 || len(problemsCoded(rep.Problems, importer.ProblemRowsGone)) != 0 {
		t.Errorf("dry run of a cut copy: Gone %+v, problems %v; want no rows gone", rep.Gone, rep.Problems)
	}
	if len(problemsCoded(rep.Problems, importer.ProblemRowCut)) != 1 {
		t.Errorf("dry run problems %v; want the cut row told", rep.Problems)
	}
	tables, err := importer.ReadTables("hospital_copy.csv", []byte(cut))
	if err != nil {
		t.Fatal(err)
	}
	pv := dk.PreviewImport(tables, nil)
	if len(pv.Gone) != 0 || len(problemsCoded(pv.Problems, importer.ProblemRowsGone)) != 0 {
		t.Errorf("preview of a cut copy: Gone %+v, problems %v; want no rows gone", pv.Gone, pv.Problems)
	}
}

// A hospital's sheet (hospitalV1, three demands) and its newer copy
// without its third row (hospitalV2, the first row's quantity raised).
const (
	hospitalHead = "医院名称,地址,需求物资,数量,联系电话\n"
	hospitalV1   = hospitalHead + "卫辉市人民医院,卫辉市健康路12号,医用外科口罩,5000个,13837310001\n" +
		"新乡市中心医院,新乡市金穗大道56号,饮用水,1万,13837310002\n" +
		"获嘉县人民医院,获嘉县中山路,N95口罩,200,13700001111\n"
	hospitalV2 = hospitalHead + "卫辉市人民医院,卫辉市健康路12号,医用外科口罩,8000个,13837310001\n" +
		"新乡市中心医院,新乡市金穗大道56号,饮用水,1万,13837310002\n"
)

// importHospitalV1 imports hospitalV1 as hospital.csv into dk.
func importHospitalV1(t *testing.T, dk *Desk) {
	t.Helper()
	if rep := importText(t, dk, "hospital.csv", hospitalV1); rep.Created != 3 {
		t.Fatalf("first import created %d; want 3", rep.Created)
	}
}
