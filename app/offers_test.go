package app

import (
	"strings"
	"testing"
)

func TestOffersRecordListMatch(t *testing.T) {
	a := newApp(t, t.TempDir())
	a.Network.Create("Flood", "甲")
	if _, err := a.Offers.Record(OfferInput{Supplier: " "}); err == nil || !strings.Contains(err.Error(), `"field":"supplier"`) {
		t.Errorf("Record without supplier = %v; want an error naming supplier", err)
	}
	if _, err := a.Offers.Record(OfferInput{Supplier: "x", Items: []ItemInput{item("N95", "-1", "")}}); err == nil ||
		!strings.Contains(err.Error(), "items[0].quantity") {
		t.Errorf("Record with a negative quantity = %v; want an error naming items[0].quantity", err)
	}
	o, err := a.Offers.Record(OfferInput{Supplier: "稳健医疗", Region: "江汉区", ContactPhone: "027-8888 6666", ValidDays: 7,
		Items: []ItemInput{item("N95口罩", "2000", "只")}})
	if err != nil || o.ValidUntil == 0 || o.Phone != "+862788886666" {
		t.Fatalf("Record = %+v, %v", o, err)
	}
	a.Offers.Record(OfferInput{Supplier: "某酒店", Items: []ItemInput{item("客房", "30", "间")}})
	if list, _ := a.Offers.List(""); len(list) != 2 || list[0].Kind != "hotel" || list[1].Kind != "supplies" {
		t.Errorf("List kinds = %+v; want the hotel, then the supplies", list)
	}
	if list, _ := a.Offers.List("n95"); len(list) != 1 || list[0].ID != o.ID {
		t.Errorf("List(n95) = %+v; want the mask offer", list)
	}
	d, _ := a.Demands.Record(DemandInput{Title: "协和医院 N95", Category: "protective_equipment", District: "江汉区",
		Items: []ItemInput{item("医用防护口罩 | N95口罩", "5000", "只")}})
	ms, err := a.Offers.Matches(d.ID)
	if err != nil || len(ms) != 1 || ms[0].Offer.ID != o.ID {
		t.Fatalf("Matches = %+v, %v; want only the mask offer (the catalog knows both names)", ms, err)
	}
	why := strings.Join(ms[0].Why, " ")
	if !strings.Contains(why, "covers=") || !strings.Contains(why, "same_region") {
		t.Errorf("Why = %v; want coverage and region", ms[0].Why)
	}
	for _, w := range ms[0].Why {
		if !strings.HasPrefix(w, "covers=") {
			continue
		}
		key := strings.TrimPrefix(w, "covers=")
		key = key[:strings.LastIndexByte(key, ':')]
		if n := ms[0].ItemNames[key]; !strings.Contains(n.Zh, "N95") || !strings.Contains(n.En, "N95") || n.Zh == n.En {
			t.Errorf("ItemNames[%q] = %+v; want the catalog's Chinese and English names", key, n)
		}
	}
}
