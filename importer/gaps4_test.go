package importer

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestLastRowMayBeCut: messy/cut-last.csv, every line of which ends in a
// line break but the last, which stops inside its remark (a landline cut
// from 027-85726114 to 027-8572611), was imported without a word, and the
// cut number moved into the contacts as if whole (tester's finding 1 of
// session 12). The reader now warns that the last row may be cut, naming
// the row and the file; the row is imported, and the number at the end of
// its last cell is kept as written, not made a contact.
func TestLastRowMayBeCut(t *testing.T) {
	recs, probs := readRaw(t, "messy/cut-last.csv")
	if len(recs) != 3 {
		t.Fatalf("%d records; want 3 (the last row imported, with a warning)", len(recs))
	}
	warn := problemsOf(probs, ProblemLastRowMayBeCut)
	if len(warn) != 1 {
		t.Fatalf("%s problems %+v; want one (all problems: %+v)", ProblemLastRowMayBeCut, warn, probs)
	}
	if w := warn[0]; w.Row != 4 || w.File != "cut-last.csv" || w.Rejected || w.Args["row"] != "4" || !strings.Contains(w.Msg, "row 4") {
		t.Errorf("warning %+v; want row 4 of cut-last.csv named, not rejected", w)
	}
	last := recs[2]
	for _, c := range last.Contacts {
		if strings.Contains(c.Phone, "8572611") {
			t.Errorf("row 4: the cut number was made a contact: %+v", last.Contacts)
		}
	}
	if !strings.Contains(last.Notes, "027-8572611") {
		t.Errorf("row 4 notes %q; want the cut number kept as written", last.Notes)
	}
	for _, p := range probs {
		if p.Row == 4 && p.Code == ProblemContactSealed {
			t.Errorf("row 4: %+v; nothing was moved", p)
		}
	}
	// the last cell a contact column: its number is read as the column says
	tb, err := ReadCSV("phone-last.csv", strings.NewReader("医院名称,联系人,联系电话\n甲医院,赵一,13800000101\n乙医院,钱二,027-85726114"))
	if err != nil {
		t.Fatal(err)
	}
	rs, _ := Records(tb, DefaultOptions())
	if len(rs) != 2 || !slices.ContainsFunc(rs[1].Contacts, func(c relief.Contact) bool { return strings.HasSuffix(c.Phone, "2785726114") }) {
		t.Errorf("records %+v; want 乙医院's phone column read", rs)
	}
	// a file whose last line ends in a line break is not warned about
	_, probs = readRaw(t, "messy/service-line.csv")
	if w := problemsOf(probs, ProblemLastRowMayBeCut); len(w) != 0 {
		t.Errorf("a whole file warned about: %+v", w)
	}
}

// TestIDCardInPhoneColumnSealedAsIDCard: the identity card number typed
// into 庚医院's phone column (messy/idcards-written.csv, row 5) was kept as
// a phone contact and told as "[联系方式已加密 contact sealed] is not a phone
// number" (reviewer's left-open 3). It is now an id_card contact, told as
// such with its row and column, never echoed.
func TestIDCardInPhoneColumnSealedAsIDCard(t *testing.T) {
	recs, probs := readRaw(t, "messy/idcards-written.csv")
	i := slices.IndexFunc(recs, func(r Record) bool { return r.Org == "庚医院" })
	if i < 0 {
		t.Fatal("no 庚医院")
	}
	const id = "420102199307073210"
	r := recs[i]
	if !slices.ContainsFunc(r.Contacts, func(c relief.Contact) bool { return c.Kind == relief.ContactIDCard && c.Phone == id }) ||
		slices.ContainsFunc(r.Contacts, func(c relief.Contact) bool {
			return c.Kind != relief.ContactIDCard && strings.Contains(c.Phone, "19930707")
		}) {
		t.Errorf("庚医院 contacts %+v; want the number as an id_card contact only", r.Contacts)
	}
	told := false
	for _, p := range probs {
		if p.Row != 5 {
			continue
		}
		if p.Code == ProblemBadPhone {
			t.Errorf("row 5 told as a bad phone: %+v", p)
		}
		if p.Code == ProblemContactSealed && p.Args["column"] == "联系电话" && p.Args["kinds"] == relief.ContactIDCard {
			told = true
		}
		if all := p.Msg + p.Value + fmt.Sprint(p.Args); strings.Contains(all, "19930707") {
			t.Errorf("row 5 problem names the number: %+v", p)
		}
	}
	if !told {
		t.Errorf("row 5's identity card number in 联系电话 not told as sealed (id_card): %+v", probs)
	}
}

// TestRowListsInChinese: a list of rows reads "2, 3, 4, 5" in English and
// "2、3、4、5" in Chinese (the hotline line said "第 2, 3, 4, 5 行").
func TestRowListsInChinese(t *testing.T) {
	recs, _ := readRaw(t, "messy/hotline.csv")
	rep := planAll(t, recs)
	ps := problemsOf(rep.Problems, ProblemTextPhoneShared)
	if len(ps) != 1 || ps[0].Args["rows"] != "2, 3, 4, 5" || ps[0].Args["rows_zh"] != "2、3、4、5" {
		t.Errorf("%s %+v; want rows 2, 3, 4, 5 and 2、3、4、5", ProblemTextPhoneShared, ps)
	}
	var many []int
	for i := 2; i < 30; i++ {
		many = append(many, i)
	}
	en, zh := rowLists(many)
	if !strings.HasPrefix(en, "2, 3, 4") || !strings.HasSuffix(en, "21, … (8 more)") {
		t.Errorf("rowLists en %q", en)
	}
	if !strings.HasPrefix(zh, "2、3、4") || !strings.HasSuffix(zh, "21……（另 8 行）") {
		t.Errorf("rowLists zh %q", zh)
	}
}

// TestDateKeepsItsHeader: the date column's value went into the
// description bare ("2020-02-03") while the remark kept its label (finding
// 5); it now reads "更新日期: 2020-02-03".
func TestDateKeepsItsHeader(t *testing.T) {
	recs, _ := readRaw(t, "messy/service-line.csv")
	desc, _ := demandFields(recs[0], nil)[relief.FieldDescription].(string)
	if !strings.Contains(desc, "更新日期: 2020-02-03") || !strings.Contains(desc, "备注: 热线 12345") {
		t.Errorf("description %q; want the date under its header", desc)
	}
}

// TestServiceLineInEveryRow: a short number (12345) given as every row's
// phone is told once as a service line, and one number given as the phone
// of most rows (messy/shared-phone.csv) is told without being named; such
// numbers are marked (relief.ContactRoleServiceLine) and make no row a
// possible duplicate of another (finding 9: 12345 was kept without a word;
// the shared number flagged rows 3 and 4 as duplicates of row 2).
func TestServiceLineInEveryRow(t *testing.T) {
	recs, probs := readRaw(t, "messy/service-line.csv")
	ps := problemsOf(probs, ProblemServiceLine)
	if len(ps) != 1 || ps[0].Args["number"] != "12345" || ps[0].Args["count"] != "4" || ps[0].Args["total"] != "4" || ps[0].Args["column"] != "联系电话" ||
		!strings.Contains(ps[0].Msg, "12345") || ps[0].Row != 0 {
		t.Errorf("%s %+v; want one, naming 12345 and the 4 rows (all: %+v)", ProblemServiceLine, ps, probs)
	}
	for _, r := range recs {
		if !slices.ContainsFunc(r.Contacts, func(c relief.Contact) bool { return c.Phone == "12345" && relief.ServiceLine(c) }) {
			t.Errorf("row %d contacts %+v; want 12345 marked a service line", r.Row, r.Contacts)
		}
	}
	if rep := planAll(t, recs); len(rep.Duplicates) != 0 {
		t.Errorf("duplicates %+v", rep.Duplicates)
	}

	recs, probs = readRaw(t, "messy/shared-phone.csv")
	ps = problemsOf(probs, ProblemSharedPhoneColumn)
	if len(ps) != 1 || ps[0].Args["count"] != "3" || ps[0].Args["total"] != "4" || ps[0].Args["rows"] != "2, 3, 4" || ps[0].Args["rows_zh"] != "2、3、4" {
		t.Errorf("%s %+v; want rows 2, 3, 4 of 4 (all: %+v)", ProblemSharedPhoneColumn, ps, probs)
	}
	for _, p := range ps {
		if strings.Contains(p.Msg+p.Value+fmt.Sprint(p.Args), "85550001") {
			t.Errorf("the shared number is named: %+v", p)
		}
	}
	if rep := planAll(t, recs); len(rep.Duplicates) != 0 {
		t.Errorf("duplicates %+v; want none for one shared number", rep.Duplicates)
	}
	if s := problemsOf(probs, ProblemServiceLine); len(s) != 0 {
		t.Errorf("a long number named as a service line: %+v", s)
	}
}

// TestOldImportsHoldTheHotline: a demand imported before session 12 holds
// the hotline of its remark as its own phone. Importing messy/hotline.csv
// then flags its rows against that demand, and the report must not say
// that the shared number flags no row (reviewer's left-open 2): it names
// the demand that holds the number instead.
func TestOldImportsHoldTheHotline(t *testing.T) {
	recs, _ := readRaw(t, "messy/hotline.csv")
	var hotline string
	for _, c := range recs[0].Contacts {
		if relief.FoundInText(c) {
			hotline = c.Phone
		}
	}
	if hotline == "" {
		t.Fatalf("no hotline found in text: %+v", recs[0].Contacts)
	}
	old := relief.Demand{ID: "oldoldoldoldoldoldoldoldol", Code: relief.Code(relief.KindDemand, "oldoldoldoldoldoldoldoldol"), Title: "旧医院", RequesterOrg: "旧医院",
		Status: relief.StatusPublished, Contacts: []relief.Contact{{Name: "王五", Phone: "+8613800009999"}, {Phone: hotline}}}
	p, err := NewPlanner("net", memExisting{demands: map[string]relief.Demand{old.ID: old}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if w, ok := p.Plan(r); ok {
			p.Written(w)
		}
	}
	rep := p.Report()
	flagged := 0
	for _, d := range rep.Duplicates {
		if d.Original == old.ID {
			flagged++
		}
	}
	if flagged == 0 {
		t.Fatalf("no row flagged against the old demand (%+v): the test does not reproduce", rep.Duplicates)
	}
	if ps := problemsOf(rep.Problems, ProblemTextPhoneShared); len(ps) != 0 {
		t.Errorf("%+v says no row is flagged for the number, while %d are", ps, flagged)
	}
	held := problemsOf(rep.Problems, ProblemTextPhoneHeld)
	if len(held) != 1 || held[0].Args["rows"] != "2, 3, 4, 5" || held[0].Args["held"] != "1" || !strings.Contains(held[0].Args["demands"], old.Code) {
		t.Errorf("%s %+v; want rows 2, 3, 4, 5 and %s named", ProblemTextPhoneHeld, held, old.Code)
	}
	for _, pr := range held {
		if strings.Contains(pr.Msg+pr.Value+fmt.Sprint(pr.Args), "3055555") {
			t.Errorf("the number is named: %+v", pr)
		}
	}
}

// TestMergedContinuationRowJoins: messy/merged.xlsx, whose 乙医院 (A5:A6
// merged) leaves the district of its continuation row 6 empty (not
// merged): row 6 became a second demand of 乙医院, without a place,
// flagged a duplicate of row 5 (finding 6). It now joins row 5, as rows
// 3–4 join row 2.
func TestMergedContinuationRowJoins(t *testing.T) {
	recs, _ := readRaw(t, "messy/merged.xlsx")
	if len(recs) != 2 {
		t.Fatalf("%d records %+v; want 2 (甲医院, 乙医院)", len(recs), recs)
	}
	var names []string
	for _, it := range recs[1].Items {
		names = append(names, it.Name)
	}
	if recs[1].Org != "乙医院" || !slices.Contains(names, "手套") || recs[1].District != "江汉区" {
		t.Errorf("second record %s in %q with %v; want 乙医院 in 江汉区 with 手套 too", recs[1].Org, recs[1].District, names)
	}
	if rep := planAll(t, recs); len(rep.Duplicates) != 0 {
		t.Errorf("duplicates %+v", rep.Duplicates)
	}
}
