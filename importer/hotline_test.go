package importer

import (
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestSharedHotlineInRemarksIsNoDuplicate: a shared hotline written in every row's remark, beside each row's own
// contact: distinct hospitals should not become probable duplicates.
func TestSharedHotlineInRemarksIsNoDuplicate(t *testing.T) {
	csv := "医院名称,地址,联系人,联系电话,备注\n" +
		"甲医院,某路1号,王医生,13800000041,物资到货请致电指挥部 027-85555555\n" +
		"乙医院,某路2号,李医生,13800000042,物资到货请致电指挥部 027-85555555\n"
	tb, err := ReadCSV("n.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := Records(tb, DefaultOptions())
	if len(recs) != 2 {
		t.Fatalf("%d records", len(recs))
	}
	for _, r := range recs {
		t.Logf("%s contacts %+v", r.Org, r.Contacts)
	}
	a := relief.LikenessOf(recs[0].Org, recs[0].District, recs[0].Address, recs[0].Contacts)
	b := relief.LikenessOf(recs[1].Org, recs[1].District, recs[1].Address, recs[1].Contacts)
	if rs := b.FlagReasons(a); len(rs) > 0 {
		t.Errorf("two different hospitals flagged as one: %v", rs)
	}
}

// TestPhoneInRemarksStillMatchesWithoutContact: a row whose only phone is in
// its remark keeps that phone for the duplicate check (two rows of one
// hospital calling from one number are still flagged).
func TestPhoneInRemarksStillMatchesWithoutContact(t *testing.T) {
	csv := "医院名称,地址,备注\n" +
		"甲医院,某路1号,请联系 13800000041\n" +
		"乙医院,某路2号,请联系 13800000041\n"
	tb, err := ReadCSV("n.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := Records(tb, DefaultOptions())
	if len(recs) != 2 {
		t.Fatalf("%d records", len(recs))
	}
	a := relief.LikenessOf(recs[0].Org, recs[0].District, recs[0].Address, recs[0].Contacts)
	b := relief.LikenessOf(recs[1].Org, recs[1].District, recs[1].Address, recs[1].Contacts)
	if rs := b.FlagReasons(a); len(rs) == 0 {
		t.Errorf("two rows whose only phone is one number are not flagged (contacts %+v, %+v)", recs[0].Contacts, recs[1].Contacts)
	}
}
