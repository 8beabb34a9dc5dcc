package importer

import (
	"testing"
)

// A village's list of needs — 村名, 需要什么, 多少 — is a list of demands:
// the village is the requester, 需要什么 the items, 多少 their quantities.
// (Session 10's tester found it read as offers, silently: no header was
// taken for the items or the quantities, so the table had no demand shape
// and Records turned it into offers.)
func TestVillageNeedsAreDemands(t *testing.T) {
	csv := "村名,乡镇,需要什么,多少,联系人电话,备注\n" +
		"东王庄村,孙杏村镇,矿泉水,200箱,王支书 15803730001,水已经淹到一楼\n" +
		"后河村,太公镇,药品（降压药、胰岛素）,,15803730004,急！胰岛素需冷藏\n"
	recs, _, err := ReadData("village.csv", []byte(csv), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Kind != "demand" {
			t.Errorf("row %d (%s): kind %q; want demand (a village's needs)", r.Row, r.Title, r.Kind)
		}
		if len(r.Items) == 0 {
			t.Errorf("row %d: no items; want 需要什么 read as the items", r.Row)
		}
	}
}

// What the import screen shows as the kind (SuggestMapping) is the kind
// Records writes: Records never turns the table into offers behind the
// mapping's back.
func TestSuggestedKindIsTheKindWritten(t *testing.T) {
	csv := "村名,乡镇,需要什么,多少,联系人电话,备注\n" +
		"东王庄村,孙杏村镇,矿泉水,200箱,王支书 15803730001,水已经淹到一楼\n"
	tables, err := ReadTables("village.csv", []byte(csv))
	if err != nil || len(tables) != 1 {
		t.Fatalf("ReadTables = %d, %v", len(tables), err)
	}
	m := SuggestMapping(tables[0])
	recs, _ := Records(tables[0], DefaultOptions())
	for _, r := range recs {
		if r.Kind != m.Kind {
			t.Errorf("row %d: written as %q; the mapping shown says %q", r.Row, r.Kind, m.Kind)
		}
	}
}
