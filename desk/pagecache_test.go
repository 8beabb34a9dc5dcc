package desk

import (
	"crypto/rand"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestPagesKeptAgreeWithLists checks the pages' kept records (pagecache.go)
// against the whole lists they are cut from, after each thing that must
// change a kept row: the same pages asked again (from the cache), a record
// written again (its row's revision moves), the clock past a volunteer's
// window and an offer's validity (the parts set per call), and a roster
// change. A page that served a kept record for a new revision, or kept the
// call's moment, differs from the list.
func TestPagesKeptAgreeWithLists(t *testing.T) {
	clk := newTestClock(time.Date(2020, 1, 27, 10, 0, 0, 0, relief.IncidentZone)) // a Monday, 10:00 in the incident zone
	dk := newDesk(t, store.Options{Clock: clk.now})
	var ops []ledger.Op
	var vids []string
	for i := range 7 {
		id := store.NewID()
		vids = append(vids, id)
		set, err := relief.SetFields(relief.KindVolunteer, id, map[string]any{
			relief.FieldName: fmt.Sprintf("志愿者%02d", i), relief.FieldRegion: []string{"江汉区", "武昌区"}[i%2],
			relief.FieldAvailability: []relief.Window{{Day: time.Monday, From: 8 * 60, To: (10 + i%3) * 60}},
		})
		if err != nil {
			t.Fatal(err)
		}
		ops = append(ops, set)
	}
	if _, err := dk.apply(ops); err != nil {
		t.Fatal(err)
	}
	var oids []string
	for i := range 5 {
		of, err := dk.RecordOffer(OfferInput{Supplier: fmt.Sprintf("供应商%d", i), Region: "江汉区", ValidDays: 1 + i%2,
			ContactPhone: "13800000000", Items: []ItemInput{item("N95口罩", "100", "只")}})
		if err != nil {
			t.Fatal(err)
		}
		oids = append(oids, of.Offer.ID)
	}

	check := func(when string) {
		t.Helper()
		vs, err := dk.Volunteers()
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []VolunteerQuery{{}, {AvailableNow: true}, {Region: "武昌区"}, {Text: "志愿者0"}} {
			var want []Volunteer
			for _, v := range vs {
				if (q.Text == "" || strings.Contains(volunteerText(v), q.Text)) && (!q.AvailableNow || v.AvailableNow) &&
					(q.Region == "" || v.Region == q.Region) {
					want = append(want, v)
				}
			}
			for _, limit := range []int{2, 100} {
				name := fmt.Sprintf("%s: VolunteersPage(%+v, limit %d)", when, q, limit)
				got, _ := walkPages(t, name, limit, func(offset, limit int) ([]Volunteer, Window, error) {
					q := q
					q.Offset, q.Limit = offset, limit
					p, err := dk.VolunteersPage(q)
					return p.Volunteers, p.Window, err
				})
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s =\n%+v; want the list's rows:\n%+v", name, got, want)
				}
			}
		}
		os, err := dk.Offers("")
		if err != nil {
			t.Fatal(err)
		}
		for _, limit := range []int{2, 100} {
			name := fmt.Sprintf("%s: OffersPage(limit %d)", when, limit)
			got, _ := walkPages(t, name, limit, func(offset, limit int) ([]VisibleOffer, Window, error) {
				p, err := dk.OffersPage(OfferQuery{Offset: offset, Limit: limit})
				return p.Offers, p.Window, err
			})
			if !reflect.DeepEqual(got, os) {
				t.Errorf("%s =\n%+v; want the list's rows:\n%+v", name, got, os)
			}
		}
	}
	check("first pages")
	check("the same pages again")

	// records written again: a name, an offer's supplier
	set, err := relief.SetFields(relief.KindVolunteer, vids[3], map[string]any{relief.FieldName: "改名的志愿者"})
	if err != nil {
		t.Fatal(err)
	}
	oset, err := relief.SetFields(relief.KindOffer, oids[1], map[string]any{relief.FieldSupplier: "改名的供应商"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dk.apply([]ledger.Op{set, oset}); err != nil {
		t.Fatal(err)
	}
	check("after a volunteer and an offer were written")
	if p, err := dk.OffersPage(OfferQuery{}); err != nil || !strings.Contains(fmt.Sprint(p.Offers), "改名的供应商") {
		t.Fatalf("OffersPage after the supplier changed = %+v, %v; want the new supplier", p.Offers, err)
	}

	// the moment: past some windows (10:00–12:00) and a day's validity
	clk.add(25*time.Hour + 30*time.Minute) // Tuesday 11:30: no window today, the 1-day offers expired
	check("a day later")
	clk.add(6 * 24 * time.Hour) // Monday 11:30 again: some windows open
	check("a week later")

	// a roster change: a member joins (the roster is another)
	if _, err := dk.Store().Roster().Member(dk.Store().Device()); !err {
		t.Fatal("this device is not on the roster")
	}
	joiner, _, err := ledger.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if err := dk.Endorse(joiner.String(), string(relief.RoleVolunteer), "新成员"); err != nil {
		t.Fatal(err)
	}
	check("after a member joined")
}

// TestMapOffersFromView checks the map's offers, now read from the offer
// view (store.OfferPoints), against the points made from the folded records
// as MapPoints made them before: the same offers in the same order, with
// their place, approximate centre and expiry, after an offer is written
// again and after the clock passes a validity.
func TestMapOffersFromView(t *testing.T) {
	clk := newTestClock(time.Date(2020, 1, 26, 8, 0, 0, 0, time.UTC))
	dk := newDesk(t, store.Options{Clock: clk.now})
	var ids []string
	for i, region := range []string{"江汉区", "武昌区", "钟祥", "", "滨海新区"} {
		of, err := dk.RecordOffer(OfferInput{Supplier: fmt.Sprintf("供应商%d", i), Region: region, ValidDays: 1 + i%3,
			Items: []ItemInput{item("N95口罩", "100", "只")}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, of.Offer.ID)
	}
	place, err := relief.SetFields(relief.KindOffer, ids[2], map[string]any{
		relief.FieldPlace: relief.Place{Code: "420881", Country: "中国", Province: "湖北省", City: "荆门市", County: "钟祥市"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dk.apply([]ledger.Op{place}); err != nil {
		t.Fatal(err)
	}
	fromRecords := func() []MapPoint {
		os, err := dk.Store().Offers()
		if err != nil {
			t.Fatal(err)
		}
		named := map[string]string{}
		var out []MapPoint
		for _, o := range os {
			status := MapOffer
			if !o.ValidUntil.IsZero() && !o.ValidUntil.After(clk.now()) {
				status = MapExpired
			}
			p := MapPoint{Kind: relief.KindOffer, ID: o.ID, Code: o.Code, Title: o.Supplier, Status: status, Place: o.Region}
			if !o.Place.IsZero() {
				p.Place = placeName(o.Place, o.Region)
			}
			placeApprox(&p, o.Place.Code, named)
			out = append(out, p)
		}
		return out
	}
	check := func(when string) {
		t.Helper()
		ps, err := dk.MapPoints()
		if err != nil {
			t.Fatal(err)
		}
		var got []MapPoint
		for _, p := range ps {
			if p.Kind == relief.KindOffer {
				got = append(got, p)
			}
		}
		if want := fromRecords(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: MapPoints' offers =\n%+v; want as from the records:\n%+v", when, got, want)
		}
	}
	check("first draw")
	set, err := relief.SetFields(relief.KindOffer, ids[0], map[string]any{relief.FieldSupplier: "改名的供应商", relief.FieldRegion: "汉阳区"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dk.apply([]ledger.Op{set}); err != nil {
		t.Fatal(err)
	}
	check("after an offer was written")
	clk.add(30 * time.Hour)
	check("a day later")
	if ps, _ := dk.MapPoints(); !strings.Contains(fmt.Sprint(ps), "改名的供应商") || !strings.Contains(fmt.Sprint(ps), MapExpired) {
		t.Errorf("MapPoints a day later = %+v; want the new supplier and an expired offer", ps)
	}
}
