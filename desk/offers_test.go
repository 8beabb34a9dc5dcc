package desk

import (
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/region"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

func TestOffersRecordListMatch(t *testing.T) {
	now := time.Date(2020, 1, 26, 8, 0, 0, 0, time.UTC)
	dk := newDesk(t, store.Options{Clock: func() time.Time { return now }})
	for _, tc := range []struct {
		in          OfferInput
		code, field string
	}{
		{OfferInput{Supplier: " "}, CodeRequired, "supplier"},
		{OfferInput{Supplier: strings.Repeat("供", relief.MaxOrg+1)}, CodeTooLong, "supplier"},
		{OfferInput{Supplier: "x", Region: strings.Repeat("区", relief.MaxDistrict+1)}, CodeTooLong, "region"},
		{OfferInput{Supplier: "x", ValidDays: -1, Items: []ItemInput{item("N95", "1", "")}}, CodeInvalid, "validDays"},
		{OfferInput{Supplier: "x"}, CodeRequired, "items"},
		{OfferInput{Supplier: "x", Items: []ItemInput{item("N95", "-1", "")}}, CodeNegative, "items[0].quantity"},
		{OfferInput{Supplier: "x", Items: []ItemInput{item("N95", "1", "")}, ContactPhone: "12"}, CodeInvalid, "contactPhone"},
	} {
		_, err := dk.RecordOffer(tc.in)
		if code, field, _ := errCode(t, err); code != tc.code || field != tc.field {
			t.Errorf("RecordOffer(%+v) = %v; want %s naming %s", tc.in, err, tc.code, tc.field)
		}
	}
	if os, _ := dk.Offers(""); len(os) != 0 {
		t.Fatalf("Offers after refused forms = %d; want none stored", len(os))
	}
	o, err := dk.RecordOffer(OfferInput{Supplier: "稳健医疗", Region: "江汉区", ContactPhone: "027-8888 6666", ValidDays: 7,
		Items: []ItemInput{item("N95口罩", "2000", "只")}})
	if err != nil || !o.Offer.ValidUntil.Equal(now.Add(7*24*time.Hour)) || o.Offer.Contacts[0].Phone != "+862788886666" || o.Expired {
		t.Fatalf("RecordOffer = %+v, %v; want valid 7 days, the phone in E.164", o, err)
	}
	if _, err := dk.RecordOffer(OfferInput{Supplier: "某酒店", Items: []ItemInput{item("客房", "30", "间")}}); err != nil {
		t.Fatal(err)
	}
	if os, _ := dk.Offers(""); len(os) != 2 || os[0].Kind != relief.OfferKindHotel || os[1].Kind != relief.OfferKindSupplies {
		t.Errorf("Offers kinds = %+v; want the hotel, then the supplies", os)
	}
	if os, _ := dk.Offers(" n95 "); len(os) != 1 || os[0].Offer.ID != o.Offer.ID {
		t.Errorf("Offers(n95) = %+v; want the mask offer", os)
	}
	d, err := dk.RecordDemand(DemandInput{Title: "协和医院 N95", Category: "protective_equipment", District: "江汉区",
		Items: []ItemInput{item("医用防护口罩 | N95口罩", "5000", "只")}})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := dk.OfferMatches(d.ID)
	if err != nil || len(ms) != 1 || ms[0].Offer.Offer.ID != o.Offer.ID {
		t.Fatalf("OfferMatches = %+v, %v; want only the mask offer", ms, err)
	}
	named := 0
	for k, n := range ms[0].ItemNames {
		if !strings.Contains(n.Zh, "N95") || !strings.Contains(n.En, "N95") || n.Zh == n.En {
			t.Errorf("ItemNames[%q] = %+v; want the catalog's Chinese and English names", k, n)
		}
		named++
	}
	if named == 0 {
		t.Errorf("ItemNames of %v = none; want the mask named", ms[0].Why)
	}
	if _, err := dk.OfferMatches("nope"); err == nil {
		t.Error("OfferMatches(nope) = nil error; want not_found")
	}
	now = now.Add(8 * 24 * time.Hour)
	if os, _ := dk.Offers("稳健"); len(os) != 1 || !os[0].Expired {
		t.Errorf("Offers(稳健) 8 days later = %+v; want it expired", os)
	}
}

// TestMapPoints: open demands and every offer are on the map, closed demands
// are not, and an offer past its valid-until says so.
func TestMapPoints(t *testing.T) {
	now := time.Date(2020, 1, 26, 8, 0, 0, 0, time.UTC)
	dk := newDesk(t, store.Options{Clock: func() time.Time { return now }})
	open := recordOne(t, dk, "协和医院 N95")
	closed := recordOne(t, dk, "重复的需求")
	if _, err := dk.Act(ActInput{ID: closed.ID, Action: "reject", Note: "重复"}); err != nil {
		t.Fatal(err)
	}
	if _, err := dk.RecordOffer(OfferInput{Supplier: "稳健医疗", Region: "江汉区", ValidDays: 1, Items: []ItemInput{item("N95口罩", "2000", "只")}}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(48 * time.Hour)
	ps, err := dk.MapPoints()
	if err != nil || len(ps) != 2 {
		t.Fatalf("MapPoints = %+v, %v; want the open demand and the offer", ps, err)
	}
	// the rejected demand is not drawn, and the map can say so (a tester's
	// map counted 2 of 3 demands and said nothing of the third)
	if got := dk.MapLeftOut(); len(got) != 1 || got[relief.StatusRejected] != 1 {
		t.Errorf("MapLeftOut = %v; want the rejected demand", got)
	}
	if p := ps[0]; p.Kind != relief.KindDemand || p.ID != open.ID || p.Status != string(relief.StatusCollected) || p.Place != "江汉区" || p.Position != nil {
		t.Errorf("MapPoints[0] = %+v; want the open demand placed by its district", p)
	}
	if p := ps[1]; p.Kind != relief.KindOffer || p.Status != MapExpired || p.Place != "江汉区" || p.Title != "稳健医疗" {
		t.Errorf("MapPoints[1] = %+v; want the offer, expired", p)
	}
	// both placed at 江汉区's centre (the district resolved to 武汉市/江汉区)
	for i, p := range ps {
		if p.Approx == nil || p.ApproxOf != region.LevelCounty || p.ApproxName != "江汉区" || p.Approx.Lat < 30.5 || p.Approx.Lat > 30.7 || p.Approx.Lon < 114.1 || p.Approx.Lon > 114.4 {
			t.Errorf("MapPoints[%d] approx = %+v of level %d (%s); want 江汉区's centre (30.6, 114.27) of a county", i, p.Approx, p.ApproxOf, p.ApproxName)
		}
	}
}
