package desk

import (
	"errors"
	"strconv"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// formOf returns the demand form prefilled with dm, as the edit screen
// fills it.
func formOf(dm relief.Demand) DemandInput {
	in := DemandInput{Title: dm.Title, Category: dm.Category, District: dm.District, Urgency: string(dm.Urgency),
		RequesterOrg: dm.RequesterOrg, Address: dm.Address, Description: dm.Description}
	for _, it := range dm.Items {
		q := ""
		if it.Needed != nil {
			q = formatQty(*it.Needed)
		}
		in.Items = append(in.Items, ItemInput{Name: it.Name, Quantity: q, Unit: it.Unit})
	}
	for i, c := range dm.Contacts {
		if i == 0 {
			in.ContactName, in.ContactPhone = c.Name, c.Phone
			continue
		}
		in.MoreContacts = append(in.MoreContacts, ContactInput{Name: c.Name, Phone: c.Phone})
	}
	if dm.Position != nil {
		in.Position = &PositionInput{Lat: dm.Position.Lat, Lon: dm.Position.Lon}
	}
	return in
}

func formatQty(n float64) string { return strconv.FormatFloat(n, 'f', -1, 64) }

// TestEditDemandRoles: a coordinator, the creator and the owner may edit a
// demand; a volunteer who is neither is refused with the roles it takes,
// and nothing is stored; a closed demand is refused with CodeClosed.
func TestEditDemandRoles(t *testing.T) {
	a, b := peopleNetwork(t) // a coordinator, b volunteer
	mine := recordOne(t, a, "协和医院 N95")
	peopleSync(t, a.Store(), b.Store())

	in := formOf(mine)
	in.Title = "协和医院 N95 口罩"
	_, err := b.EditDemand(mine.ID, in)
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeNotAllowed || e.Field != "id" || e.Args["reason"] != ReasonEditRole ||
		e.Args["need"] != EditorRoles || e.Args["role"] != string(relief.RoleVolunteer) {
		t.Fatalf("EditDemand by a volunteer who neither created nor owns it = %v; want not_allowed, edit_role, need %q", err, EditorRoles)
	}
	if got, _ := b.Demand(mine.ID); got.Demand.Title != mine.Title {
		t.Fatalf("title after a refused edit = %q; want %q", got.Demand.Title, mine.Title)
	}

	// The creator (a volunteer) edits its own demand; the coordinator edits it too.
	theirs := recordOne(t, b, "同济医院 防护服")
	in = formOf(theirs)
	in.Urgency = string(relief.UrgencyCritical)
	if got, err := b.EditDemand(theirs.ID, in); err != nil || got.Demand.Urgency != relief.UrgencyCritical {
		t.Fatalf("EditDemand by its creator = %+v, %v; want urgency critical", got.Demand.Urgency, err)
	}
	peopleSync(t, b.Store(), a.Store())
	in.Description = "三楼发热门诊"
	if got, err := a.EditDemand(theirs.ID, in); err != nil || got.Demand.Description != "三楼发热门诊" {
		t.Fatalf("EditDemand by a coordinator = %q, %v; want the new description", got.Demand.Description, err)
	}

	// The owner: b claims a's demand once published, and may then edit it.
	for _, act := range []string{"approve", "publish"} {
		if _, err := a.Act(called(ActInput{ID: mine.ID, Action: act})); err != nil {
			t.Fatalf("Act(%s) = %v", act, err)
		}
	}
	peopleSync(t, a.Store(), b.Store())
	if _, err := b.Act(ActInput{ID: mine.ID, Action: "claim"}); err != nil {
		t.Fatalf("claim = %v", err)
	}
	in = formOf(mine)
	in.Items[0].Quantity = "8000"
	got, err := b.EditDemand(mine.ID, in)
	if err != nil || len(got.Demand.Items) != 1 || got.Demand.Items[0].Needed == nil || *got.Demand.Items[0].Needed != 8000 {
		t.Fatalf("EditDemand by the owner = %+v, %v; want 8000 needed", got.Demand.Items, err)
	}

	// Closed: a rejected demand cannot be edited, whoever asks.
	closed := recordOne(t, a, "武汉市第一医院 N95")
	if _, err := a.Act(ActInput{ID: closed.ID, Action: "reject", Note: "重复"}); err != nil {
		t.Fatal(err)
	}
	in = formOf(closed)
	in.Title = "改"
	_, err = a.EditDemand(closed.ID, in)
	if !errors.As(err, &e) || e.Code != CodeClosed || e.Args["status"] != string(relief.StatusRejected) {
		t.Fatalf("EditDemand of a rejected demand = %v; want closed, status rejected", err)
	}
	if got, _ := a.Demand(closed.ID); got.Demand.Title != closed.Title || len(got.Demand.Conflicts) != 0 {
		t.Fatalf("rejected demand after a refused edit = %q, conflicts %v; want it unchanged", got.Demand.Title, got.Demand.Conflicts)
	}
	if _, err := a.EditDemand("nope", in); !errors.As(err, &e) || e.Code != CodeNotFound {
		t.Fatalf("EditDemand(unknown id) = %v; want not_found", err)
	}

	// Revoked: the creator's edit is refused as a revocation, not as a role.
	if err := a.Revoke(b.Status().Device, "lost laptop"); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, a.Store(), b.Store())
	in = formOf(theirs)
	in.Title = "同济医院 防护服 300 套"
	if _, err := b.EditDemand(theirs.ID, in); !errors.As(err, &e) || e.Code != CodeRevoked {
		t.Fatalf("EditDemand by its revoked creator = %v; want %s", err, CodeRevoked)
	}
}

// TestEditDemandPlacesIt: an address typed without a district places the
// demand (district, city, province) as the importer would, so the region
// filter finds it; a position is kept and checked; an edit that changes
// nothing signs nothing.
func TestEditDemandPlacesIt(t *testing.T) {
	a, _ := peopleNetwork(t)
	dm := recordOne(t, a, "钟祥市人民医院 N95")
	in := formOf(dm)
	in.District, in.Address = "", "湖北省荆门市钟祥市郢中街道"
	got, err := a.EditDemand(dm.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if d := got.Demand; d.District != "钟祥市" || d.Place.City != "荆门市" || d.Place.Province != "湖北省" || d.Address != in.Address {
		t.Fatalf("after editing the address: district %q, place %+v, address %q; want 钟祥市 in 荆门市, 湖北省", d.District, d.Place, d.Address)
	}
	for q, want := range map[string]int{"荆门市": 1, "钟祥市": 1, "湖北省": 1, "江汉区": 0} {
		if _, total, err := a.Demands(DemandQuery{Region: q}); err != nil || total != want {
			t.Errorf("Demands(Region %q) = %d, %v; want %d", q, total, err, want)
		}
	}

	// A district that names a division only with the address (朝阳区 is in
	// 北京 and in 长春): an address that no longer says which keeps the place.
	cy, err := a.RecordDemand(DemandInput{Title: "朝阳区 医院", Category: "protective_equipment", District: "朝阳区",
		Items: []ItemInput{item("口罩", "", "")}})
	if err != nil {
		t.Fatal(err)
	}
	cin := formOf(cy)
	cin.Address = "吉林省长春市朝阳区红旗街"
	if got, err := a.EditDemand(cy.ID, cin); err != nil || got.Demand.Place.City != "长春市" {
		t.Fatalf("朝阳区 with an address in 长春: place %+v, %v; want 长春市", got.Demand.Place, err)
	}
	cin.Address = "红旗街 2 号"
	if got, err := a.EditDemand(cy.ID, cin); err != nil || got.Demand.Place.City != "长春市" || got.Demand.Place.Province != "吉林省" {
		t.Fatalf("朝阳区 with an address naming no division: place %+v, %v; want still 长春市, 吉林省", got.Demand.Place, err)
	}

	// An address that names no division, the district kept: the place stays.
	in = formOf(got.Demand)
	in.Address = "人民医院东门"
	if got, err = a.EditDemand(dm.ID, in); err != nil || got.Demand.Place.City != "荆门市" || got.Demand.District != "钟祥市" {
		t.Fatalf("after an address naming no division: district %q, place %+v, %v; want still 钟祥市 in 荆门市", got.Demand.District, got.Demand.Place, err)
	}

	// A new demand with only an address is placed too.
	nd, err := a.RecordDemand(DemandInput{Title: "荆门 消毒液", Category: "protective_equipment", Address: "荆门市钟祥市郢中街道 1 号",
		Items: []ItemInput{item("消毒液", "", "")}, Position: &PositionInput{Lat: 31.17, Lon: 112.59}})
	if err != nil || nd.District != "钟祥市" || nd.Place.City != "荆门市" || nd.Position == nil || nd.Position.Lat != 31.17 {
		t.Fatalf("RecordDemand(address only, position) = district %q, place %+v, position %v, %v; want 钟祥市 at 31.17", nd.District, nd.Place, nd.Position, err)
	}

	in = formOf(got.Demand)
	in.Position = &PositionInput{Lat: 91, Lon: 112}
	if _, err := a.EditDemand(dm.ID, in); errCodeField(err) != CodeInvalid+" position.lat" || errReason(err) != ReasonPositionRange {
		t.Fatalf("EditDemand(lat 91) = %v; want invalid position.lat", err)
	}
	in.Position = &PositionInput{Lat: 31, Lon: 181}
	if _, err := a.EditDemand(dm.ID, in); errCodeField(err) != CodeInvalid+" position.lon" {
		t.Fatalf("EditDemand(lon 181) = %v; want invalid position.lon", err)
	}
	in.Position = &PositionInput{Lat: 31.16, Lon: 112.58}
	if got, err = a.EditDemand(dm.ID, in); err != nil || got.Demand.Position == nil || *got.Demand.Position != (relief.Position{Lat: 31.16, Lon: 112.58}) {
		t.Fatalf("EditDemand(position) = %v, %v; want 31.16, 112.58", got.Demand.Position, err)
	}

	head := a.Store().VersionVector()
	if _, err := a.EditDemand(dm.ID, formOf(got.Demand)); err != nil {
		t.Fatal(err)
	}
	if after := a.Store().VersionVector(); !after.Equal(head) {
		t.Fatalf("an edit that changes nothing signed a change: %v → %v", head, after)
	}
}

// TestEditDemandConcurrentFields: two members edit different fields of one
// demand on two laptops; after syncing both ways each store shows both new
// values, since an edit writes only the fields it changes.
func TestEditDemandConcurrentFields(t *testing.T) {
	a, b := peopleNetwork(t)
	dm := recordOne(t, b, "同济医院 防护服") // b created it: both may edit
	peopleSync(t, b.Store(), a.Store())

	inA := formOf(dm)
	inA.Description = "夜间收货"
	if _, err := a.EditDemand(dm.ID, inA); err != nil {
		t.Fatal(err)
	}
	inB := formOf(dm)
	inB.Title, inB.District, inB.Address = "同济医院 防护服 200 套", "", "湖北省荆门市钟祥市郢中街道"
	if _, err := b.EditDemand(dm.ID, inB); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, a.Store(), b.Store())
	peopleSync(t, b.Store(), a.Store())
	for name, dk := range map[string]*Desk{"A": a, "B": b} {
		got, err := dk.Demand(dm.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d := got.Demand; d.Title != inB.Title || d.Description != "夜间收货" || d.District != "钟祥市" || d.Place.City != "荆门市" {
			t.Errorf("%s sees title %q, description %q, district %q, place %+v; want both edits", name, d.Title, d.Description, d.District, d.Place)
		}
		if _, total, _ := dk.Demands(DemandQuery{Region: "荆门市"}); total != 1 {
			t.Errorf("%s: Demands(Region 荆门市) = %d; want 1", name, total)
		}
	}
}

// errCodeField returns "code field" of an *Error, "" for any other error.
func errCodeField(err error) string {
	var e *Error
	if !errors.As(err, &e) {
		return ""
	}
	return e.Code + " " + e.Field
}

// errReason returns Args["reason"] of an *Error, "" for any other error.
func errReason(err error) string {
	var e *Error
	if !errors.As(err, &e) {
		return ""
	}
	return e.Args["reason"]
}

// TestEditDemandAfterRoleChange: desk refuses up front what every peer's fold
// refuses (relief.FieldRules): a volunteer promoted to reviewer may edit any
// demand; demoted to observer, not even the demand it recorded.
func TestEditDemandAfterRoleChange(t *testing.T) {
	a, b := peopleNetwork(t) // a coordinator, b volunteer
	mine := recordOne(t, a, "协和医院 N95")
	theirs := recordOne(t, b, "同济医院 防护服")
	peopleSync(t, b.Store(), a.Store())
	if err := a.Promote(b.Status().Device, "reviewer"); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, a.Store(), b.Store())
	in := formOf(mine)
	in.Description = "审核员补充"
	if got, err := b.EditDemand(mine.ID, in); err != nil || got.Demand.Description != "审核员补充" {
		t.Fatalf("EditDemand by a reviewer = %q, %v; want the edit", got.Demand.Description, err)
	}
	// the coordinator demotes b after seeing its edit: otherwise the two
	// stamps may fall in the same millisecond and the demotion sort first
	// (the test failed about one run in five)
	peopleSync(t, b.Store(), a.Store())
	if err := a.Promote(b.Status().Device, "observer"); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, a.Store(), b.Store())
	in = formOf(theirs)
	in.Description = "观察员不能改"
	var e *Error
	if _, err := b.EditDemand(theirs.ID, in); !errors.As(err, &e) || e.Code != CodeNotAllowed || e.Args["role"] != string(relief.RoleObserver) {
		t.Fatalf("EditDemand by its creator, now an observer = %v; want not_allowed for the observer role", err)
	}
	peopleSync(t, b.Store(), a.Store())
	if got, _ := a.Demand(mine.ID); got.Demand.Description != "审核员补充" || len(got.Demand.Conflicts) != 0 {
		t.Fatalf("the coordinator sees %q, conflicts %v; want the reviewer's edit standing", got.Demand.Description, got.Demand.Conflicts)
	}
}
