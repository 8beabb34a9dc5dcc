package desk

import (
	"slices"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// mapPoint returns the map point of demand id as p's desk draws it.
func mapPoint(t *testing.T, p *sealPeer, id string) MapPoint {
	t.Helper()
	ps, err := p.dk.MapPoints()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(ps, func(pt MapPoint) bool { return pt.ID == id })
	if i < 0 {
		t.Fatalf("demand %s is not on the map", id)
	}
	return ps[i]
}

// TestOwnerSeesSealedPositionFromTheClaim: a volunteer's map places a
// demand at its district's centre, told as sealed, until it claims the
// demand and the coordinator grants it the key; then its map (the same
// store, whose cache of opened positions held "cannot open") and the
// demand's page show the exact point.
func TestOwnerSeesSealedPositionFromTheClaim(t *testing.T) {
	coord, p := sealNetwork(t, map[string]string{"志愿者乙": "volunteer"})
	vol := p["志愿者乙"]
	publish(t, vol, coord)
	exact := relief.Position{Lat: 30.5912345, Lon: 114.2654321}
	d, err := coord.dk.RecordDemand(DemandInput{Title: "协和医院 N95", Category: "protective_equipment", District: "江汉区",
		Items: []ItemInput{item("N95口罩", "5000", "只")}, ContactName: "乙老师", ContactPhone: "189 0000 0000",
		Position: &PositionInput{Lat: exact.Lat, Lon: exact.Lon}})
	if err != nil {
		t.Fatal(err)
	}
	for _, act := range []string{"approve", "publish"} {
		if _, err := coord.dk.Act(called(ActInput{ID: d.ID, Action: act})); err != nil {
			t.Fatal(err)
		}
	}
	if pt := mapPoint(t, coord, d.ID); pt.Position == nil || *pt.Position != exact || pt.PositionSealed {
		t.Fatalf("the coordinator's point = %v sealed %v; want %v", pt.Position, pt.PositionSealed, exact)
	}
	peopleSync(t, coord.dk.Store(), vol.dk.Store())
	before := mapPoint(t, vol, d.ID)
	if before.Position != nil || !before.PositionSealed || before.Approx == nil || before.ApproxName != "江汉区" {
		t.Fatalf("the volunteer's point before the claim = %v sealed %v approx %v %q; want 江汉区's centre, sealed",
			before.Position, before.PositionSealed, before.Approx, before.ApproxName)
	}
	if _, err := vol.dk.Act(ActInput{ID: d.ID, Action: "claim"}); err != nil {
		t.Fatal(err)
	}
	// the owner's clearance, before the grant: still sealed (and now asked)
	if pt := mapPoint(t, vol, d.ID); pt.Position != nil || !pt.PositionSealed {
		t.Fatalf("the owner's point before the grant = %v sealed %v; want sealed", pt.Position, pt.PositionSealed)
	}
	peopleSync(t, vol.dk.Store(), coord.dk.Store())
	if n, err := coord.dk.GrantPending(); err != nil || n != 1 {
		t.Fatalf("GrantPending after the claim = %d, %v; want one grant", n, err)
	}
	peopleSync(t, coord.dk.Store(), vol.dk.Store())
	if pt := mapPoint(t, vol, d.ID); pt.Position == nil || *pt.Position != exact || pt.PositionSealed {
		t.Fatalf("the owner's point after the grant = %v sealed %v; want %v", pt.Position, pt.PositionSealed, exact)
	}
	det, err := vol.dk.Demand(d.ID)
	if err != nil || det.Demand.Position == nil || *det.Demand.Position != exact || slices.Contains(det.Demand.Sealed, relief.FieldPosition) {
		t.Fatalf("the owner's page = %v sealed %v, %v; want %v", det.Demand.Position, det.Demand.Sealed, err, exact)
	}
}

// TestRevokedCannotOpenLaterPositions: a reviewer opens the position
// written while it was cleared; a position written after its revocation is
// sealed under a key it never gets: its map and the demand's page say so.
func TestRevokedCannotOpenLaterPositions(t *testing.T) {
	coord, p := sealNetwork(t, map[string]string{"审核员丁": "reviewer"})
	rev := p["审核员丁"]
	publish(t, rev, coord)
	record := func(title string, pos relief.Position) relief.Demand {
		d, err := coord.dk.RecordDemand(DemandInput{Title: title, Category: "protective_equipment", District: "江汉区",
			Items: []ItemInput{item("N95口罩", "5000", "只")}, Position: &PositionInput{Lat: pos.Lat, Lon: pos.Lon}})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	earlyAt, lateAt := relief.Position{Lat: 30.58, Lon: 114.27}, relief.Position{Lat: 30.6, Lon: 114.3}
	early := record("早先的需求", earlyAt)
	peopleSync(t, coord.dk.Store(), rev.dk.Store())
	if pt := mapPoint(t, rev, early.ID); pt.Position == nil || *pt.Position != earlyAt {
		t.Fatalf("the reviewer's point of the early demand = %v; want %v", pt.Position, earlyAt)
	}
	if err := coord.dk.Revoke(rev.id(), "离开"); err != nil {
		t.Fatal(err)
	}
	late := record("后来的需求", lateAt)
	peopleSync(t, coord.dk.Store(), rev.dk.Store())
	got, err := rev.dk.Store().Demand(late.ID)
	if err != nil || got.Position != nil || !slices.Contains(got.Sealed, relief.FieldPosition) {
		t.Fatalf("the revoked reviewer reads the late position %v (sealed %v), %v; want it sealed", got.Position, got.Sealed, err)
	}
	if _, ok := rev.dk.Store().Opener().OpenPosition(mustRecord(t, rev, late.ID)); ok {
		t.Fatal("the revoked reviewer's opener opens the late position")
	}
	if d, _ := coord.dk.Store().Demand(late.ID); d.Position == nil || *d.Position != lateAt {
		t.Fatalf("the coordinator reads %v; want %v", d.Position, lateAt)
	}
}

// mustRecord returns p's stored record of demand id.
func mustRecord(t *testing.T, p *sealPeer, id string) *relief.Record {
	t.Helper()
	rec, err := p.dk.Store().Record(relief.KindDemand, id)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// TestSimilarBySealedPosition: a form whose exact position is 11 m from a
// recorded demand's sealed one, and which repeats nothing else of it, is
// warned about on a device that opens the position (the coordinator's, a
// reviewer's: ReasonNear), not on a volunteer's, which compares the
// district and address only and warns when the address repeats.
func TestSimilarBySealedPosition(t *testing.T) {
	coord, p := sealNetwork(t, map[string]string{"审核员丙": "reviewer", "志愿者乙": "volunteer"})
	rev, vol := p["审核员丙"], p["志愿者乙"]
	publish(t, rev, coord)
	publish(t, vol, coord)
	at := relief.Position{Lat: 30.5801, Lon: 114.2701}
	orig, err := coord.dk.RecordDemand(DemandInput{Title: "协和医院 N95", Category: "protective_equipment", District: "江汉区",
		RequesterOrg: "华中科技大学同济医学院附属协和医院", Address: "武汉市江汉区解放大道1277号",
		Items: []ItemInput{item("N95口罩", "5000", "只")}, Position: &PositionInput{Lat: at.Lat, Lon: at.Lon}})
	if err != nil {
		t.Fatal(err)
	}
	peopleSync(t, coord.dk.Store(), rev.dk.Store())
	peopleSync(t, coord.dk.Store(), vol.dk.Store())
	form := DemandInput{Title: "口罩", Category: "protective_equipment", District: "江汉区", RequesterOrg: "江汉区社区志愿队",
		Address: "解放大道旁的小区", Position: &PositionInput{Lat: at.Lat + 0.0001, Lon: at.Lon}} // 11 m north
	for name, peer := range map[string]*sealPeer{"coordinator": coord, "reviewer": rev} {
		v, err := peer.dk.Similar(form)
		if err != nil || v == nil || v.ID != orig.ID || !slices.Equal(v.Reasons, []string{"near 11 m"}) {
			t.Fatalf("the %s's Similar = %+v, %v; want %s, near 11 m", name, v, err, orig.Code)
		}
	}
	if v, err := vol.dk.Similar(form); err != nil || v != nil {
		t.Fatalf("the volunteer's Similar = %+v, %v; want nothing (it cannot open the position)", v, err)
	}
	form.Address = "武汉市江汉区解放大道1277号"
	if v, err := vol.dk.Similar(form); err != nil || v == nil || v.ID != orig.ID || slices.ContainsFunc(v.Reasons, func(r string) bool { return strings.HasPrefix(r, ReasonNear) }) {
		t.Fatalf("the volunteer's Similar with the same address = %+v, %v; want %s by its district and address", v, err, orig.Code)
	}
	// farther than NearMetres: nothing
	form.Address, form.Position = "解放大道旁的小区", &PositionInput{Lat: at.Lat + 0.001, Lon: at.Lon}
	if v, err := rev.dk.Similar(form); err != nil || v != nil {
		t.Fatalf("the reviewer's Similar 111 m away = %+v, %v; want nothing", v, err)
	}
}
