package importer

import (
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// contactSecrets are the contacts of testdata/messy/contacts.csv and
// contacts.xlsx outside the contact columns the mapping reads: a phone in a
// remark, a landline in another, WeChat ids, a QQ number, e-mail addresses.
var contactSecrets = []string{"13912345678", "2029911", "wxid_zhang3", "li4_wechat", "2834567190", "zhang3@example.org", "li4@example.com"}

// TestContactsInOtherColumnsAreSealed: a phone in a remarks column (备注,
// Remarks) and the cells of WeChat, QQ and e-mail columns (微信, WeChat, QQ,
// QQ号, 邮箱, Email) were kept in plain text, in the source fields
// (原表其他列, team level) and the description (public), while the contact
// columns are sealed (session 10's gap; failed on main). They are contacts
// of their kind now, and the remark keeps a mark where its number was; the
// import report tells each, by row and column; a column that names no
// contact stays a source field.
func TestContactsInOtherColumnsAreSealed(t *testing.T) {
	for _, file := range []string{"contacts.csv", "contacts.xlsx"} {
		t.Run(file, func(t *testing.T) {
			recs, probs := readMessy(t, file)
			if len(recs) != 3 {
				t.Fatalf("%d records; want 3", len(recs))
			}
			for org, r := range recs {
				for _, f := range r.SourceFields {
					for _, s := range contactSecrets {
						if strings.Contains(f.Value, s) {
							t.Errorf("%s: source field %s = %q holds %s in plain text", org, f.Column, f.Value, s)
						}
					}
				}
				for _, s := range contactSecrets {
					if strings.Contains(r.Notes, s) {
						t.Errorf("%s: notes %q hold %s in plain text", org, r.Notes, s)
					}
				}
			}
			want := map[string][]relief.Contact{
				"甲医院": {{Name: "张三", Phone: "+8613837310101"}, {Phone: "+8613912345678"}, {Kind: relief.ContactWeChat, Phone: "wxid_zhang3"},
					{Kind: relief.ContactQQ, Phone: "2834567190"}, {Kind: relief.ContactEmail, Phone: "zhang3@example.org"}},
				"乙医院": {{Name: "李四", Phone: "+8613837310102"}, {Phone: "+863732029911"}, {Kind: relief.ContactWeChat, Phone: "li4_wechat"},
					{Kind: relief.ContactEmail, Phone: "li4@example.com"}},
				"丙医院": {{Name: "王五", Phone: "+8613837310103"}},
			}
			for org, cs := range want {
				got := recs[org].Contacts
				for _, w := range cs {
					found := false
					for _, c := range got {
						found = found || c.Kind == w.Kind && c.Phone == w.Phone && (w.Name == "" || c.Name == w.Name)
					}
					if !found {
						t.Errorf("%s: contacts %+v lack %+v", org, got, w)
					}
				}
			}
			if !strings.Contains(recs["甲医院"].Notes, "联系王医生") || !strings.Contains(recs["甲医院"].Notes, "夜间请打") ||
				!strings.Contains(recs["甲医院"].Notes, ContactSealedMark) {
				t.Errorf("甲医院's notes %q: want the remark's words kept and %q where the number was", recs["甲医院"].Notes, ContactSealedMark)
			}
			if !strings.Contains(recs["丙医院"].Notes, "急需，周末也收货") {
				t.Errorf("丙医院's notes %q: want its remark (no contact in it) as written", recs["丙医院"].Notes)
			}
			if v := sourceValue(recs["甲医院"], "截止日期说明"); v != "2021-07-26 前" && !strings.Contains(recs["甲医院"].Notes, "截止日期说明: 2021-07-26 前") {
				t.Errorf("甲医院's 截止日期说明 = %q, notes %q; want it kept as written (it names no contact)", v, recs["甲医院"].Notes)
			}
			told := map[string]bool{}
			for _, p := range problemsOf(probs, ProblemContactSealed) {
				told[p.Args["column"]+"@"+orgOfRow(recs, p.Row)] = true
				for _, s := range contactSecrets {
					if strings.Contains(p.Msg, s) || strings.Contains(p.Value, s) {
						t.Errorf("the report of row %d says %s in plain text: %q", p.Row, s, p.Msg)
					}
				}
			}
			remarks, wechat, qq, email := "备注", "微信", "QQ", "邮箱"
			if file == "contacts.xlsx" {
				remarks, wechat, qq, email = "Remarks", "WeChat", "QQ号", "Email"
			}
			for _, w := range []string{remarks + "@甲医院", wechat + "@甲医院", qq + "@甲医院", email + "@甲医院", remarks + "@乙医院", wechat + "@乙医院", email + "@乙医院"} {
				if !told[w] {
					t.Errorf("no %s problem for %s: the person importing is not told (told: %v)", ProblemContactSealed, w, told)
				}
			}
			if len(told) != 7 {
				t.Errorf("told %v; want the seven cells only", told)
			}
		})
	}
}

// orgOfRow returns the organisation of the record read from row n.
func orgOfRow(recs map[string]Record, n int) string {
	for org, r := range recs {
		if r.Row == n {
			return org
		}
	}
	return ""
}

// TestEmailContactsReadBack: an e-mail address in a contact cell is a
// contact of Kind relief.ContactEmail, with or without its label, and our
// restricted bulletins' "邮箱：…" / "Email: …" phone lines read back as one.
func TestEmailContactsReadBack(t *testing.T) {
	cs, _ := CleanContacts("张三 13837310101 邮箱：zhang3@example.org", "CN")
	if len(cs) != 2 || cs[1].Kind != relief.ContactEmail || cs[1].Phone != "zhang3@example.org" || cs[1].Name != "张三" {
		t.Errorf("CleanContacts = %+v; want 张三's phone, then 张三's e-mail address", cs)
	}
	for _, line := range []string{"邮箱：li4@example.com", "Email: li4@example.com"} {
		got, _, ok := pairContacts([]string{"李四"}, []string{line}, "CN")
		if !ok || len(got) != 1 || got[0] != (relief.Contact{Name: "李四", Kind: relief.ContactEmail, Phone: "li4@example.com"}) {
			t.Errorf("pairContacts(李四, %q) = %+v, %v; want 李四's e-mail address", line, got, ok)
		}
	}
}
