package importer

import (
	"slices"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestCleanContactsKinds: landlines with their area code in every spelling,
// extensions, several people with their names, WeChat and QQ ids. Names are
// never taken from an area code or punctuation, and names are paired with
// numbers in order, never joined onto several numbers.
func TestCleanContactsKinds(t *testing.T) {
	tests := []struct {
		in    string
		want  []relief.Contact
		probs int
	}{
		{"0716—8321327", []relief.Contact{{Phone: "+867168321327"}}, 0},
		// a name that ends in a digit, a space, then the number: the digit is
		// the name's ("志愿者3", "Team B2"), not the number's first
		{"志愿者3 13800000001", []relief.Contact{{Name: "志愿者3", Phone: "+8613800000001"}}, 0},
		{"王医生2 13800000001 李护士12 13900000002", []relief.Contact{{Name: "王医生2", Phone: "+8613800000001"}, {Name: "李护士12", Phone: "+8613900000002"}}, 0},
		{"志愿者3 13800000001 13900000002", []relief.Contact{{Name: "志愿者3", Phone: "+8613800000001"}, {Name: "志愿者3", Phone: "+8613900000002"}}, 0},
		{"Team B2 027-87886666", []relief.Contact{{Name: "Team B2", Phone: "+862787886666"}}, 0},
		{"0716－8321327", []relief.Contact{{Phone: "+867168321327"}}, 0},
		{"027-8788 6666", []relief.Contact{{Phone: "+862787886666"}}, 0},
		{"0713 52423204", []relief.Contact{{Phone: "+8671352423204"}}, 0},
		{"(027)87886666", []relief.Contact{{Phone: "+862787886666"}}, 0},
		{"（0716）8321327", []relief.Contact{{Phone: "+867168321327"}}, 0},
		{"027-87886666转8001", []relief.Contact{{Phone: "+862787886666;ext=8001"}}, 0},
		{"027-87886666 ext. 12", []relief.Contact{{Phone: "+862787886666;ext=12"}}, 0},
		{"027-87886666-8001", []relief.Contact{{Phone: "+862787886666;ext=8001"}}, 0},
		{"027-85726035、85726036", []relief.Contact{{Phone: "+862785726035"}, {Phone: "+862785726036"}}, 0},
		{"0716-8321327 13800000001", []relief.Contact{{Phone: "+867168321327"}, {Phone: "+8613800000001"}}, 0},
		{"张三|13800000001;李四|13900000002", []relief.Contact{{Name: "张三", Phone: "+8613800000001"}, {Name: "李四", Phone: "+8613900000002"}}, 0},
		{"设备科 杨芸|027-87886666|18600000001", []relief.Contact{{Name: "杨芸", Role: "设备科", Phone: "+862787886666"}, {Name: "杨芸", Role: "设备科", Phone: "+8618600000001"}}, 0},
		{"壬八六 丙三五 13800000001 13800000002 13800000003", []relief.Contact{{Name: "壬八六", Phone: "+8613800000001"}, {Name: "丙三五", Phone: "+8613800000002"}, {Phone: "+8613800000003"}}, 0},
		{": 13800000001", []relief.Contact{{Phone: "+8613800000001"}}, 0},
		{"微信: abc_123456", []relief.Contact{{Phone: "abc_123456", Kind: relief.ContactWeChat}}, 0},
		{"张老师 13800000001 微信：wxid_abc123", []relief.Contact{{Name: "张老师", Phone: "+8613800000001"}, {Name: "张老师", Phone: "wxid_abc123", Kind: relief.ContactWeChat}}, 0},
		{"QQ 12345678", []relief.Contact{{Phone: "12345678", Kind: relief.ContactQQ}}, 0},
		{"QQ群：987654321", []relief.Contact{{Phone: "987654321", Kind: relief.ContactQQ}}, 0},
		{"联系人：李主任 电话：0716-8321327", []relief.Contact{{Name: "李主任", Phone: "+867168321327"}}, 0},
		{"办公室电话 027-8765 4321 转 206", []relief.Contact{{Name: "办公室", Phone: "+862787654321;ext=206"}}, 0},
		{"王老师13800000001/13900000002", []relief.Contact{{Name: "王老师", Phone: "+8613800000001"}, {Name: "王老师", Phone: "+8613900000002"}}, 0},
		{"0710-3522222 3522223", []relief.Contact{{Phone: "+867103522222"}, {Phone: "+867103522223"}}, 0},
		{"微信同号13800000001 张老师", []relief.Contact{{Name: "张老师", Phone: "+8613800000001"}, {Name: "张老师", Phone: "13800000001", Kind: relief.ContactWeChat}}, 0},
	}
	for _, tt := range tests {
		got, probs := CleanContacts(tt.in, "CN")
		if !equalJSON(got, tt.want) || len(probs) != tt.probs {
			t.Errorf("CleanContacts(%q) = %+v, %v; want %+v, %d problems", tt.in, got, probs, tt.want, tt.probs)
		}
	}
}

// TestCleanPhoneLandline: CleanPhone accepts a Chinese landline in the shape
// of an area code and a 7- or 8-digit local number, and an extension.
func TestCleanPhoneLandline(t *testing.T) {
	for in, want := range map[string]string{
		"0713 52423204":      "+8671352423204",
		"0716—8321327":       "+867168321327",
		"027-87886666转8001":  "+862787886666;ext=8001",
		"027-87886666分机 801": "+862787886666;ext=801",
	} {
		got, kind, err := CleanPhone(in, "CN")
		if got != want || kind != PhoneFixed || err != nil {
			t.Errorf("CleanPhone(%q) = %q, %v, %v; want %q, fixed", in, got, kind, err, want)
		}
	}
	for _, bad := range []string{"0713 5242", "00000000000", "12345678"} {
		if got, _, err := CleanPhone(bad, "CN"); err == nil {
			t.Errorf("CleanPhone(%q) = %q; want an error", bad, got)
		}
	}
}

// TestContactNamesWithBracketsAndLabels: real contact cells put a person's
// role in brackets before the number ("方向阳（设备科主任）139…"), a label and
// a colon before the name ("防护用品联系人：关键（137…）") and a note in
// brackets after the number ("总值班189…（24小时值守）"). The name must come
// out whole — no half bracket, no label — with the role, label or
// bracketed note apart in Role.
func TestContactNamesWithBracketsAndLabels(t *testing.T) {
	for _, tt := range []struct {
		cell  string
		names []string // Name/Role of each contact, in order
	}{
		{"乙三二（设备科主任）13800000011 院办电话 0712-0000001", []string{"乙三二/设备科主任", "院办/"}},
		{"防护用品联系人：甲二（13800000012），消毒用品联系人：乙三（13800000013）", []string{"甲二/防护用品联系人", "乙三/消毒用品联系人"}},
		{"余主任13800000014，医院总值班13800000015（24小时值守）", []string{"余主任/", "医院总值班/24小时值守"}},
	} {
		got, _ := CleanContacts(tt.cell, "")
		var names []string
		for _, c := range got {
			names = append(names, c.Name+"/"+c.Role)
		}
		if strings.Join(names, " ") != strings.Join(tt.names, " ") {
			t.Errorf("CleanContacts(%q) names = %q; want %q", tt.cell, names, tt.names)
		}
	}
}

// TestPhoneInNotesWhenNoContact: a row whose only phone number is written in
// a notes column (备注, 其他信息) keeps it as a contact; a row with no
// organisation but such a number is imported, named after its address, not
// skipped as empty (a real hotel list lost rows and their numbers so). A
// row that has a contact column takes its notes' number as a contact too
// (session 11: it stayed in the plain notes only), and the note keeps
// ContactSealedMark in its place.
func TestPhoneInNotesWhenNoContact(t *testing.T) {
	csv := "医院名称,地址,联系方式,备注\n" +
		"甲医院,某路1号,,联系 13800000041\n" +
		",某路2号,,13800000042\n" +
		"丙医院,某路3号,13800000043,值班 13800000044\n"
	tb, err := ReadCSV("n.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	recs, probs := Records(tb, DefaultOptions())
	for _, p := range probs {
		if p.Code == ProblemEmptyRow {
			t.Errorf("problem: %s", p.Msg)
		}
	}
	var got []string
	for _, r := range recs {
		var ph []string
		for _, c := range r.Contacts {
			ph = append(ph, c.Phone)
		}
		got = append(got, strings.Join(ph, "+"))
	}
	if want := "+8613800000041 +8613800000042 +8613800000043++8613800000044"; strings.Join(got, " ") != want {
		t.Errorf("phones per record = %q; want %s", got, want)
	}
	for _, r := range recs {
		if strings.Contains(r.Notes, "1380000004") || !strings.Contains(r.Notes, ContactSealedMark) {
			t.Errorf("%s: notes %q; want the number replaced by %s", r.Org, r.Notes, ContactSealedMark)
		}
	}
}

// TestNamesWrittenApart: names written together apart from their numbers
// pair in order ("15800158005，15900159006 (孙/周)": 孙 158…, 周 159…; it gave
// 158… no name, 孙 159… and a third contact 周 without a number), and
// "13800138108转" has no name "转".
func TestNamesWrittenApart(t *testing.T) {
	for cell, want := range map[string][]relief.Contact{
		"15800158005，15900159006 (孙/周)": {{Name: "孙", Phone: "+8615800158005"}, {Name: "周", Phone: "+8615900159006"}},
		"孙/周 15800158005，15900159006":   {{Name: "孙", Phone: "+8615800158005"}, {Name: "周", Phone: "+8615900159006"}},
		"13800138108转":                  {{Phone: "+8613800138108"}},
		"王老师 13800000000/13900000000":   nil, // one person, two numbers: as before
	} {
		got, _ := CleanContacts(cell, "CN")
		if want != nil && !slices.Equal(got, want) {
			t.Errorf("CleanContacts(%q) = %+v; want %+v", cell, got, want)
		}
		if want == nil && (len(got) != 2 || got[0].Name != "王老师" || got[1].Name != "王老师") {
			t.Errorf("CleanContacts(%q) = %+v; want 王老师 twice", cell, got)
		}
	}
}
