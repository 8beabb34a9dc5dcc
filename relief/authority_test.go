package relief

import (
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
)

func stampAt(wall int64) ledger.Stamp { return ledger.Stamp{Wall: wall} }

// An observer's demand edit was accepted by every peer (issue 15): it must
// have no effect, and be told as a conflict on the demand.
func TestObserverEditOfDemandRefused(t *testing.T) {
	w := seeded(t)
	w.do(coord, 10, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "N95 masks", FieldDescription: "200 boxes"})))
	w.do(obs, 20, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "forged", FieldDescription: "forged too"})))
	d := w.demand("d")
	if d.Title != "N95 masks" || d.Description != "200 boxes" {
		t.Errorf("FoldDemand(observer's edit) = %q %q; want %q %q", d.Title, d.Description, "N95 masks", "200 boxes")
	}
	if len(d.Conflicts) != 2 {
		t.Fatalf("FoldDemand(observer's edit) conflicts = %v; want 2 (title, description)", d.Conflicts)
	}
	for _, c := range d.Conflicts {
		if c.Action != ActionEdit || c.Reason != ReasonRole || c.By != obs || c.Winner != coord || c.Field == "" {
			t.Errorf("conflict = %+v; want an edit by obs refused for its role, coord's value standing", c)
		}
	}
	if n := DemandNotices(d); len(n) != 1 || n[0].What != ReplyConflict || n[0].To != obs || !n[0].Notice.Coordinators {
		t.Errorf("DemandNotices(observer's edit) = %+v; want one conflict entry (the change) for obs and the coordinators", n)
	}
}

// A refused write falls back to the latest allowed one, whatever the order in
// which the writes arrive.
func TestRefusedWriteFallsBack(t *testing.T) {
	type write struct {
		by    int // index in members
		wall  int64
		title string
	}
	members := []struct {
		name string
		key  ledger.DeviceID
	}{{"coord", coord}, {"rev", rev}, {"obs", obs}, {"vol2", vol2}}
	writes := []write{{0, 10, "v1"}, {1, 20, "v2"}, {2, 30, "v3 by observer"}, {3, 40, "v4 by a volunteer who neither created nor owns it"}}
	for _, order := range [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {2, 0, 3, 1}} {
		w := seeded(t)
		for _, i := range order {
			wr := writes[i]
			w.do(members[wr.by].key, wr.wall, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: wr.title})))
		}
		d := w.demand("d")
		if d.Title != "v2" || d.UpdatedAt.Wall != 40 {
			t.Errorf("order %v: FoldDemand title = %q; want v2 (the reviewer's, the latest allowed)", order, d.Title)
		}
		if len(d.Conflicts) != 2 || d.Conflicts[0].By != obs || d.Conflicts[1].By != vol2 || d.Conflicts[0].Winner != rev {
			t.Errorf("order %v: conflicts = %v; want obs's and vol2's edits, lost to rev's", order, d.Conflicts)
		}
	}
}

// Lifecycle steps are judged by the role at their position, not the final
// role: a volunteer's claim before their demotion stands, their fulfil after it
// does not; an edit as owner before the demotion stands, one after does not.
func TestDemotionJudgedAtPosition(t *testing.T) {
	w := seeded(t)
	w.do(coord, 10, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "N95 masks"})))
	w.do(rev, 11, tr(t, "d", ActionApprove, Args{}))
	w.do(rev, 12, tr(t, "d", ActionPublish, Args{}))
	w.do(vol, 13, tr(t, "d", ActionClaim, Args{}))
	w.do(vol, 14, must(SetFields(KindDemand, "d", map[string]any{FieldAddress: "gate 3"})))
	w.do(coord, 20, must(Promote(vol, RoleObserver)))
	w.do(vol, 30, tr(t, "d", ActionFulfil, Args{}))
	w.do(vol, 31, must(SetFields(KindDemand, "d", map[string]any{FieldAddress: "gate 4"})))
	d := w.demand("d")
	if d.Owner != vol || d.Status != StatusPublished {
		t.Errorf("FoldDemand = owner %s status %s; want vol's claim standing, the demand published", d.Owner.Short(), d.Status)
	}
	if d.Address != "gate 3" {
		t.Errorf("FoldDemand address = %q; want the owner's edit before the demotion", d.Address)
	}
	var fulfil, edit bool
	for _, c := range d.Conflicts {
		fulfil = fulfil || c.Action == ActionFulfil && c.Reason == ReasonRole && c.By == vol
		edit = edit || c.Action == ActionEdit && c.Field == FieldAddress && c.Reason == ReasonRole
	}
	if !fulfil || !edit {
		t.Errorf("conflicts = %v; want the fulfil and the edit after the demotion refused for role", d.Conflicts)
	}
	// promoted back: later steps apply again
	w.do(coord, 40, must(Promote(vol, RoleVolunteer)))
	w.do(vol, 50, tr(t, "d", ActionFulfil, Args{}))
	if d := w.demand("d"); d.Status != StatusFulfilled {
		t.Errorf("FoldDemand after the promotion back = %s; want fulfilled", d.Status)
	}
}

// The role history is a function of the total order: a promotion that arrives
// late still judges the steps after its position.
func TestRoleAt(t *testing.T) {
	w := seeded(t)
	w.do(coord, 20, must(Promote(vol, RoleReviewer)))
	w.do(coord2, 30, must(Promote(vol, RoleObserver)))
	r := w.roster()
	for _, tt := range []struct {
		wall int64
		want Role
	}{{0, RoleVolunteer}, {5, RoleVolunteer}, {25, RoleReviewer}, {35, RoleObserver}} {
		m, err := r.RoleAt(vol, Meta{Stamp: stampAt(tt.wall), Device: vol, Seq: 1})
		if err != nil || m.Role != tt.want {
			t.Errorf("RoleAt(vol, %d) = %s, %v; want %s", tt.wall, m.Role, err, tt.want)
		}
	}
	if _, err := r.RoleAt(nobody, Meta{Device: nobody}); err == nil {
		t.Errorf("RoleAt(nobody) = nil error; want ErrNotMember")
	}
}

// Observers write nothing but their own profile; volunteers their own record
// and what they created.
func TestVolunteerAndOfferFieldRules(t *testing.T) {
	w := seeded(t)
	w.do(coord, 10, must(SetFields(KindVolunteer, "v-obs", map[string]any{FieldName: "Ob", FieldKey: obs})))
	w.do(coord, 10, must(SetFields(KindVolunteer, "v-vol", map[string]any{FieldName: "Vo", FieldKey: vol})))
	w.do(obs, 20, must(SetFields(KindVolunteer, "v-obs", map[string]any{FieldRegion: "Hankou"})))
	w.do(obs, 21, must(SetFields(KindVolunteer, "v-vol", map[string]any{FieldRegion: "forged"})))
	w.do(obs, 22, must(SetFields(KindVolunteer, "v-obs", map[string]any{FieldKey: vol})))
	r := w.roster()
	if v := FoldVolunteerChecked(w.rec(KindVolunteer, "v-obs"), r); v.Region != "Hankou" || v.Key != obs || len(v.Conflicts) != 1 || v.Conflicts[0].Field != FieldKey {
		t.Errorf("FoldVolunteerChecked(own profile) = %q key %s conflicts %v; want the observer's own region, its key kept, the key change refused", v.Region, v.Key.Short(), v.Conflicts)
	}
	if v := FoldVolunteerChecked(w.rec(KindVolunteer, "v-vol"), r); v.Region != "" || len(v.Conflicts) != 1 || v.Conflicts[0].By != obs {
		t.Errorf("FoldVolunteerChecked(another's profile) = %q conflicts %v; want the observer's write refused", v.Region, v.Conflicts)
	}
	// an observer's own profile (ProfileID), written by the observer alone
	w.do(obs, 25, must(SetFields(KindVolunteer, ProfileID(obs), map[string]any{FieldName: "Ob", FieldKey: obs})))
	if v := FoldVolunteerChecked(w.rec(KindVolunteer, ProfileID(obs)), r); v.Name != "Ob" || v.Key != obs || len(v.Conflicts) != 0 {
		t.Errorf("FoldVolunteerChecked(observer's own profile) = %q key %s conflicts %v; want it as written", v.Name, v.Key.Short(), v.Conflicts)
	}
	w.do(vol, 26, must(SetFields(KindVolunteer, ProfileID(obs), map[string]any{FieldName: "forged"})))
	if v := FoldVolunteerChecked(w.rec(KindVolunteer, ProfileID(obs)), r); v.Name != "Ob" || len(v.Conflicts) != 1 {
		t.Errorf("FoldVolunteerChecked(observer's profile edited by a volunteer) = %q conflicts %v; want the edit refused", v.Name, v.Conflicts)
	}
	w.do(vol, 30, must(SetFields(KindOffer, "o", map[string]any{FieldSupplier: "Hospital A"})))
	w.do(vol2, 31, must(SetFields(KindOffer, "o", map[string]any{FieldSupplier: "Someone else"})))
	w.do(rev, 32, must(SetFields(KindOffer, "o", map[string]any{FieldNotes: "checked"})))
	if o := FoldOfferChecked(w.rec(KindOffer, "o"), r); o.Supplier != "Hospital A" || o.Notes != "checked" || len(o.Conflicts) != 1 || o.Conflicts[0].By != vol2 {
		t.Errorf("FoldOfferChecked = %q %q conflicts %v; want the creator's supplier, the reviewer's note, vol2 refused", o.Supplier, o.Notes, o.Conflicts)
	}
}

// A superseded write is kept (Field.Prev) through encoding, and applying the
// same writes in any order, twice, gives the same record.
func TestFieldPrevMerges(t *testing.T) {
	a, b := newWorld(t), newWorld(t)
	ops := []struct {
		d    ledger.DeviceID
		wall int64
		v    string
	}{{coord, 10, "a"}, {rev, 20, "b"}, {obs, 30, "c"}}
	metas := make([]Meta, len(ops))
	for i, o := range ops {
		metas[i] = Meta{Stamp: stampAt(o.wall), Device: o.d, Seq: 1, Change: changeID(o.d, 1)}
	}
	for _, i := range []int{0, 1, 2, 2} {
		a.apply(metas[i], must(SetFields(KindDemand, "d", map[string]any{FieldTitle: ops[i].v})))
	}
	for _, i := range []int{2, 0, 1, 0} {
		b.apply(metas[i], must(SetFields(KindDemand, "d", map[string]any{FieldTitle: ops[i].v})))
	}
	ha, _ := StateHash(a.all())
	hb, _ := StateHash(b.all())
	if ha != hb {
		t.Fatalf("StateHash differs by order of arrival")
	}
	f := a.rec(KindDemand, "d").Fields[FieldTitle]
	if len(f.Prev()) != 2 || f.Meta.Device != obs {
		t.Fatalf("Field = winner %s, %d superseded; want obs's winning over 2 kept", f.Meta.Device.Short(), len(f.Prev()))
	}
	enc, err := EncodeRecord(a.rec(KindDemand, "d"))
	if err != nil {
		t.Fatal(err)
	}
	dec, err := DecodeRecord(enc)
	if err != nil {
		t.Fatalf("DecodeRecord = %v", err)
	}
	if got := len(dec.Fields[FieldTitle].Prev()); got != 2 {
		t.Errorf("DecodeRecord kept %d superseded writes; want 2", got)
	}
}

// MayEdit, which desk asks before signing, says what the fold allows.
func TestMayEdit(t *testing.T) {
	d := Demand{ID: "d", CreatedBy: vol, Owner: vol2}
	for _, tt := range []struct {
		m    Member
		want bool
	}{
		{Member{Key: coord, Role: RoleCoordinator}, true},
		{Member{Key: rev, Role: RoleReviewer}, true},
		{Member{Key: vol, Role: RoleVolunteer}, true},   // creator
		{Member{Key: vol2, Role: RoleVolunteer}, true},  // owner
		{Member{Key: vol3, Role: RoleVolunteer}, false}, // neither
		{Member{Key: vol, Role: RoleObserver}, false},   // creator, demoted
		{Member{Key: rev, Role: RoleReviewer, Revoked: true}, false},
		{Member{}, false},
	} {
		if got := MayEdit(d, tt.m); got != tt.want {
			t.Errorf("MayEdit(%s %s) = %v; want %v", tt.m.Key.Short(), tt.m.Role, got, tt.want)
		}
	}
}

// An observer's tag on a demand, and its removal of a reviewer's tag, have no
// effect and are told; a record's additions without a recorded author (written
// before AddBy) still count.
func TestSetWritesJudged(t *testing.T) {
	w := seeded(t)
	w.do(coord, 10, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "N95 masks"})))
	w.do(rev, 11, must(Add(KindDemand, "d", SetTags, "hospital")))
	w.do(obs, 12, must(Add(KindDemand, "d", SetTags, "forged")))
	w.do(obs, 13, must(Remove(w.rec(KindDemand, "d"), SetTags, "hospital")))
	d := w.demand("d")
	if len(d.Tags) != 1 || d.Tags[0] != "hospital" {
		t.Errorf("FoldDemand tags = %v; want [hospital] (the observer's add and remove refused)", d.Tags)
	}
	if len(d.Conflicts) != 2 || d.Conflicts[0].Field != SetTags || d.Conflicts[0].By != obs || d.Conflicts[1].Reason != ReasonRole {
		t.Errorf("FoldDemand conflicts = %v; want the observer's two tag writes refused for its role", d.Conflicts)
	}
	legacy := w.rec(KindDemand, "d")
	s := legacy.Sets[SetTags]
	s.AddBy, s.RemoveBy = nil, nil // as a record written before authors were kept
	legacy.Sets[SetTags] = s
	if d := FoldDemand(legacy, w.roster()); len(d.Tags) != 1 || d.Tags[0] != "forged" {
		t.Errorf("FoldDemand(legacy record) tags = %v; want the writes as recorded: [forged]", d.Tags)
	}
}

// An acknowledgement counts by the role its author held when acknowledging:
// a coordinator demoted before acking another's conflict, and promoted back
// after, did not acknowledge it.
func TestAckJudgedAtPosition(t *testing.T) {
	w := seeded(t)
	w.do(coord, 10, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "N95 masks"})))
	w.do(obs, 11, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "forged"})))
	c := w.demand("d").Conflicts[0]
	w.do(coord, 20, must(Promote(coord2, RoleVolunteer)))
	w.do(coord2, 21, tr(t, "d", ActionAckConflict, Args{Ref: ConflictRef(c)}))
	w.do(coord, 30, must(Promote(coord2, RoleCoordinator)))
	if got := w.demand("d").Conflicts[0]; !got.AckedBy.IsZero() {
		t.Errorf("conflict acked by %s; want nobody (coord2 was a volunteer when it acked)", got.AckedBy.Short())
	}
	w.do(coord2, 40, tr(t, "d", ActionAckConflict, Args{Ref: ConflictRef(c)}))
	if got := w.demand("d").Conflicts[0]; got.AckedBy != coord2 {
		t.Errorf("conflict acked by %s; want coord2, a coordinator again", got.AckedBy.Short())
	}
}
