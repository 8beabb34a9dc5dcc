package desk

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/internal/fixture"
	"github.com/reliefmesh/reliefmesh/relief"
)

// phonesCSV is the tester's phones.csv (session 10): phone cells with an
// extension, spaces, +86 and a remark.
const phonesCSV = "医院名称,地址,需求物资,数量,联系人,联系电话\n" +
	"甲医院,卫辉市健康路1号,N95口罩,100,张三,13837310009\n" +
	"乙医院,卫辉市健康路2号,N95口罩,100,李四,0373-2029998转8001\n" +
	"丙医院,卫辉市健康路3号,N95口罩,100,王五,139 0373 5567 ext.12\n" +
	"丁医院,卫辉市健康路4号,N95口罩,100,赵六,+86 138 3731 0002\n" +
	"戊医院,卫辉市健康路5号,N95口罩,100,钱七,13837310003（微信同号）\n"

// phonesSecrets are the numbers of phonesCSV in the forms they are written
// and stored in (as written, digits only, E.164 without +).
var phonesSecrets = []string{"13837310009", "2029998", "0373 5567", "13903735567", "138 3731 0002", "13837310002", "13837310003"}

// TestPhoneWithExtensionNotReadableByVolunteerNorLeftByErase: a hospital's
// phone with an extension ("0373-2029998转8001") is imported; its number was
// sealed in the contacts, yet a plain volunteer's laptop read it on the
// demand (原表其他列, team level), and a coordinator's "删除个人信息 / erase
// personal data" left it there, on every laptop (session 10's tester; failed
// on main).
func TestPhoneWithExtensionNotReadableByVolunteerNorLeftByErase(t *testing.T) {
	a, b := peopleNetwork(t) // a coordinator, b volunteer
	csv := "医院名称,地址,需求物资,数量,联系人,联系电话\n乙医院,卫辉市健康路2号,N95口罩,100,李四,0373-2029998转8001\n"
	recs, _, err := importer.ReadData("phones.csv", []byte(csv), importer.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := a.Import(context.Background(), recs, nil)
	if err != nil || len(rep.IDs) != 1 {
		t.Fatalf("Import = %+v, %v", rep, err)
	}
	id := rep.IDs[0]
	syncAll(t, a, b)
	leak := func(who string, dk *Desk) {
		t.Helper()
		got, err := dk.Demand(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range got.Demand.SourceFields {
			if strings.Contains(f.Value, "2029998") {
				t.Errorf("%s reads %s = %q on the demand: the sealed contact's number in plain text", who, f.Column, f.Value)
			}
		}
	}
	leak("volunteer 乙", b)
	if _, err := a.EraseDemand(id, "求助人要求删除"); err != nil {
		t.Fatal(err)
	}
	syncAll(t, a, b)
	leak("coordinator 甲 after erasing the personal data", a)
	leak("volunteer 乙 after the erasure", b)
}

// TestErasureDropsContactSourceFieldsOfOlderImports: a demand imported
// before the importer sealed contact cells holds a phone (and a WeChat id)
// in plain source fields; erasing its personal data drops them on both
// laptops, while the source fields that name no contact stay.
func TestErasureDropsContactSourceFieldsOfOlderImports(t *testing.T) {
	a, b := peopleNetwork(t)
	recs, _, err := importer.ReadData("phones.csv", []byte(phonesCSV), importer.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	recs = recs[1:2]
	// as the importer of session 9 wrote it
	recs[0].SourceFields = append(recs[0].SourceFields,
		relief.SourceField{Column: "联系电话", Value: "0373-2029998转8001"},
		relief.SourceField{Column: "微信", Value: "wxid_li4"},
		relief.SourceField{Column: "截止日期说明", Value: "2021-07-26 前"})
	rep, err := a.Import(context.Background(), recs, nil)
	if err != nil || len(rep.IDs) != 1 {
		t.Fatalf("Import = %+v, %v", rep, err)
	}
	id := rep.IDs[0]
	syncAll(t, a, b)
	if got, _ := b.Demand(id); len(got.Demand.SourceFields) != 3 {
		t.Fatalf("before the erasure the volunteer reads %+v; want the three source fields written", got.Demand.SourceFields)
	}
	if _, err := a.EraseDemand(id, "求助人要求删除"); err != nil {
		t.Fatal(err)
	}
	syncAll(t, a, b)
	for who, dk := range map[string]*Desk{"coordinator": a, "volunteer": b} {
		got, err := dk.Demand(id)
		if err != nil {
			t.Fatal(err)
		}
		fs := got.Demand.SourceFields
		if len(fs) != 1 || fs[0].Column != "截止日期说明" || fs[0].Value != "2021-07-26 前" {
			t.Errorf("%s after the erasure reads source fields %+v; want only 截止日期说明 = 2021-07-26 前", who, fs)
		}
		if got.Demand.Erased == nil {
			t.Errorf("%s: the demand is not told erased", who)
		}
	}
}

// TestTesterPhonesNotInVolunteerStoreNorBundle: the tester's phone formats
// (extension, spaces, +86, remark), imported by a coordinator, are in no
// file nor Badger value of a volunteer's data directory after a sync, nor
// in a bundle the coordinator exports, while the coordinator reads every
// number in the contacts.
func TestTesterPhonesNotInVolunteerStoreNorBundle(t *testing.T) {
	coord, p := sealNetwork(t, map[string]string{"志愿者乙": "volunteer"})
	vol := p["志愿者乙"]
	publish(t, vol, coord)
	recs, _, err := importer.ReadData("phones.csv", []byte(phonesCSV), importer.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := coord.dk.Import(context.Background(), recs, nil)
	if err != nil || len(rep.IDs) != 5 {
		t.Fatalf("Import = %+v, %v; want 5 demands", rep, err)
	}
	var all strings.Builder
	for _, id := range rep.IDs {
		d, err := coord.dk.Store().Demand(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range d.Contacts {
			all.WriteString(c.Phone + " ")
		}
	}
	for _, n := range []string{"+863732029998;ext=8001", "+8613903735567;ext=12", "+8613837310002", "+8613837310003", "+8613837310009"} {
		if !strings.Contains(all.String(), n) {
			t.Errorf("the coordinator's contacts %s lack %s", all.String(), n)
		}
	}
	peopleSync(t, coord.dk.Store(), vol.dk.Store())
	var bundle bytes.Buffer
	if _, err := coord.dk.ExportBundle(&bundle, nil); err != nil {
		t.Fatal(err)
	}
	for _, s := range phonesSecrets {
		if bytes.Contains(bundle.Bytes(), []byte(s)) {
			t.Errorf("the coordinator's bundle holds %q in plain text", s)
		}
	}
	vol.dk.Store().Close()
	files, values := secretsIn(t, vol.dir, phonesSecrets)
	if len(files) != 0 || len(values) != 0 {
		t.Errorf("the volunteer's data directory holds %v in its files and %v in Badger's values: sealed numbers in plain text", files, values)
	}
}

// otherColumnSecrets are the contacts testdata/messy/contacts.csv and
// contacts.xlsx write outside the contact columns the mapping reads (a
// phone and a landline in remarks, WeChat ids, a QQ number, e-mail
// addresses), as written and as stored.
var otherColumnSecrets = []string{"13912345678", "2029911", "wxid_zhang3", "li4_wechat", "2834567190", "zhang3@example.org", "li4@example.com"}

// TestOtherColumnContactsNotReadableByVolunteer: a sheet whose remarks
// column holds a phone and whose WeChat, QQ and e-mail columns hold ids
// (the CSV with Chinese headers, the workbook with English ones) is
// imported by a coordinator: the volunteer's projected demand (the desk's
// detail, printed whole), every file and Badger value of the volunteer's data
// directory after a sync, and a bundle the coordinator exports hold none of
// them, while the coordinator reads each in the contacts (session 10's gap:
// they were plain source fields and description; failed on main).
func TestOtherColumnContactsNotReadableByVolunteer(t *testing.T) {
	for _, file := range []string{"contacts.csv", "contacts.xlsx"} {
		t.Run(file, func(t *testing.T) {
			coord, p := sealNetwork(t, map[string]string{"志愿者乙": "volunteer"})
			vol := p["志愿者乙"]
			publish(t, vol, coord)
			data, err := os.ReadFile(fixture.Path(t, "messy/"+file))
			if err != nil {
				t.Fatal(err)
			}
			recs, _, err := importer.ReadData(file, data, importer.DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			rep, err := coord.dk.Import(context.Background(), recs, nil)
			if err != nil || len(rep.IDs) != 3 {
				t.Fatalf("Import = %+v, %v; want 3 demands", rep, err)
			}
			var coordSees strings.Builder
			for _, id := range rep.IDs {
				d, err := coord.dk.Demand(id)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range d.Demand.Contacts {
					coordSees.WriteString(c.Kind + ":" + c.Phone + " ")
				}
			}
			for _, want := range []string{"+8613912345678", "+863732029911", "wechat:wxid_zhang3", "wechat:li4_wechat", "qq:2834567190", "email:zhang3@example.org", "email:li4@example.com"} {
				if !strings.Contains(coordSees.String(), want) {
					t.Errorf("the coordinator's contacts %s lack %s", coordSees.String(), want)
				}
			}
			peopleSync(t, coord.dk.Store(), vol.dk.Store())
			for _, id := range rep.IDs {
				d, err := vol.dk.Demand(id)
				if err != nil {
					t.Fatal(err)
				}
				js := []byte(fmt.Sprintf("%+v", d))
				for _, s := range otherColumnSecrets {
					if bytes.Contains(js, []byte(s)) {
						t.Errorf("the volunteer's view of %s holds %s: %s", id, s, js)
					}
				}
			}
			var bundle bytes.Buffer
			if _, err := coord.dk.ExportBundle(&bundle, nil); err != nil {
				t.Fatal(err)
			}
			for _, s := range otherColumnSecrets {
				if bytes.Contains(bundle.Bytes(), []byte(s)) {
					t.Errorf("the coordinator's bundle holds %q in plain text", s)
				}
			}
			vol.dk.Store().Close()
			files, values := secretsIn(t, vol.dir, otherColumnSecrets)
			if len(files) != 0 || len(values) != 0 {
				t.Errorf("the volunteer's data directory holds %v in its files and %v in Badger's values", files, values)
			}
		})
	}
}
