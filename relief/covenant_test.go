package relief

import (
	"slices"
	"testing"
)

func TestCovenantVersionsAndAcceptance(t *testing.T) {
	w := seeded(t)
	w.do(coord, 10, must(NewCovenant("c-a", "准则 v1", "不泄露求助者信息")))
	w.do(rev, 11, must(NewCovenant("c-x", "fake", "a reviewer's version does not count")))
	w.do(vol, 12, must(AcceptCovenant("c-a")))
	w.do(rev, 13, must(AcceptCovenant("c-a")))
	w.do(vol, 14, must(AcceptCovenant("c-a"))) // repeated: the first counts
	vs := FoldCovenants(w.all(), w.roster())
	if len(vs) != 1 || vs[0].ID != "c-a" || vs[0].Version != 1 || vs[0].Text != "不泄露求助者信息" {
		t.Fatalf("FoldCovenants = %+v; want only c-a as version 1", vs)
	}
	if at, ok := vs[0].AcceptedBy(vol); !ok || at.Wall != 12 {
		t.Errorf("AcceptedBy(vol) = %v, %v; want at 12", at, ok)
	}
	if p := CovenantPending(vol, w.roster(), vs); len(p) != 0 {
		t.Errorf("CovenantPending(vol, accepted) = %+v; want none", p)
	}
	// A second version: everyone must accept again.
	w.do(coord2, 20, must(NewCovenant("c-b", "准则 v2", "v2 text")))
	// An edit of v1 in a later change keeps the version and is shown.
	w.do(coord, 21, must(SetFields(KindCovenant, "c-a", map[string]any{FieldCovenantText: "rewritten"})))
	vs = FoldCovenants(w.all(), w.roster())
	if len(vs) != 2 || vs[1].ID != "c-b" || vs[1].Version != 2 || !vs[0].Edited || vs[1].Edited {
		t.Fatalf("FoldCovenants = %+v; want c-a v1 (edited), c-b v2", vs)
	}
	if v, _ := LatestAccepted(vs, vol); v != 1 {
		t.Errorf("LatestAccepted(vol) = %d; want 1", v)
	}
	p := CovenantPending(vol, w.roster(), vs)
	if len(p) != 1 || p[0].What != ReplyCovenant || p[0].ID != "c-b" || p[0].Code != "v2" || p[0].To != vol {
		t.Errorf("CovenantPending(vol) = %+v; want one re-accept entry for v2", p)
	}
	w.do(vol, 22, must(AcceptCovenant("c-b")))
	vs = FoldCovenants(w.all(), w.roster())
	if v, _ := LatestAccepted(vs, vol); v != 2 {
		t.Errorf("LatestAccepted(vol) after accepting v2 = %d; want 2", v)
	}
	var missing []string
	for _, m := range NotAccepted(vs, w.roster()) {
		missing = append(missing, m.Name)
	}
	if slices.Contains(missing, "Volunteer") || !slices.Contains(missing, "Reviewer") || len(missing) != len(w.roster().Members())-1 {
		t.Errorf("NotAccepted = %v; want every member but Volunteer", missing)
	}
	cp := CovenantPending(coord, w.roster(), vs)
	var count int
	for _, e := range cp {
		if e.What == ReplyCovenantMissing {
			count = e.Count
		}
	}
	if count != len(missing)-1 { // the coordinator's own entry is ReplyCovenant
		t.Errorf("CovenantPending(coord) missing count = %d; want %d (%+v)", count, len(missing)-1, cp)
	}
}

// TestCovenantOrderIndependent folds the same changes in two orders.
func TestCovenantOrderIndependent(t *testing.T) {
	build := func(rev bool) []CovenantVersion {
		w := seeded(t)
		steps := []func(){
			func() { w.do(coord, 10, must(NewCovenant("b", "", "one"))) },
			func() { w.do(coord2, 10, must(NewCovenant("a", "", "two"))) },
			func() { w.do(vol, 30, must(AcceptCovenant("a"))) },
		}
		if rev {
			slices.Reverse(steps)
		}
		for _, s := range steps {
			s()
		}
		return FoldCovenants(w.all(), w.roster())
	}
	a, b := build(false), build(true)
	if len(a) != 2 || a[0].ID != b[0].ID || a[1].ID != b[1].ID || len(a[1].Accepted)+len(a[0].Accepted) != 1 {
		t.Errorf("FoldCovenants in two orders = %+v / %+v; want the same two versions", a, b)
	}
}

func TestPartnerFold(t *testing.T) {
	w := seeded(t)
	w.do(coord, 10, must(NewCovenant("c1", "", "text")))
	w.do(rev, 11, must(SetFields(KindPartner, "p1", map[string]any{
		FieldName: "顺丰武汉", FieldPartnerType: "logistics", FieldContacts: []Contact{{Name: "李", Phone: "+8613800000000"}},
		FieldCovenant: "c1", FieldVouchedBy: rev,
	})))
	p := FoldPartner(w.rec(KindPartner, "p1"))
	if p.Name != "顺丰武汉" || p.Type != "logistics" || p.Covenant != "c1" || p.VouchedBy != rev || len(p.Contacts) != 1 {
		t.Errorf("FoldPartner = %+v", p)
	}
	pub, _ := Project(p, Member{})
	if len(pub.Contacts) != 0 || pub.Name == "" {
		t.Errorf("Project(partner, public) = %+v; want contact point hidden, name shown", pub)
	}
	if _, err := SetFields(KindPartner, "p2", map[string]any{FieldPartnerType: "bank"}); err == nil {
		t.Errorf("SetFields(partner type bank) = nil; want an error")
	}
	// Offers and deliveries may name a partner; other steps may not.
	if _, err := Transition(KindDemand, "d", ActionDeliver, Args{Received: []Receipt{{Item: "x", Qty: 1}}, Partner: "p1"}); err != nil {
		t.Errorf("Transition(deliver by partner) = %v; want nil", err)
	}
	if _, err := Transition(KindDemand, "d", ActionClaim, Args{Partner: "p1"}); err == nil {
		t.Errorf("Transition(claim naming a partner) = nil; want an error")
	}
	w.do(coord, 12, must(SetFields(KindOffer, "o1", map[string]any{FieldSupplier: "x", FieldPartner: "p1"})))
	if o := FoldOffer(w.rec(KindOffer, "o1")); o.Partner != "p1" {
		t.Errorf("FoldOffer.Partner = %q; want p1", o.Partner)
	}
}
