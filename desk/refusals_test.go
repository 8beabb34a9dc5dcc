package desk

import (
	"errors"
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestRefusedPeopleWritesReachInboxes: a volunteer's device signs an edit
// of another volunteer's profile and of a coordinator's offer, which the
// fold refuses (FieldRules). Each refused change is one inbox entry, for
// its author and the coordinators (as a demand's refused writes are),
// naming the record; the author or a coordinator acknowledges it, and it
// leaves every inbox once the ack reaches it. Anyone else may not.
func TestRefusedPeopleWritesReachInboxes(t *testing.T) {
	coord, p := sealNetwork(t, map[string]string{"志愿者乙": "volunteer", "志愿者丙": "volunteer"})
	yi, bing := p["志愿者乙"], p["志愿者丙"]
	if _, err := yi.dk.SaveProfile(Profile{Name: "乙", Phone: "13912345678"}); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, yi.dk.Store(), coord.dk.Store())
	offer, err := coord.dk.RecordOffer(OfferInput{Supplier: "稳健医疗", ContactPhone: "027-8888 6666", ValidDays: 7, Items: []ItemInput{item("N95口罩", "300", "只")}})
	if err != nil {
		t.Fatal(err)
	}
	peopleSync(t, coord.dk.Store(), bing.dk.Store())
	vid := yi.dk.Store().MyVolunteerID()
	// 丙's device signs the writes itself, as a client other than this
	// desk could (the desk refuses them up front)
	for _, w := range []struct{ kind, id, field, value string }{
		{relief.KindVolunteer, vid, relief.FieldOrganisation, "冒名的组织"},
		{relief.KindOffer, offer.Offer.ID, relief.FieldSupplier, "假供应商"},
	} {
		if err := bing.dk.WriteFieldUnchecked(w.kind, w.id, w.field, w.value); err != nil {
			t.Fatalf("WriteFieldUnchecked(%s %s) = %v", w.kind, w.field, err)
		}
	}
	peopleSync(t, bing.dk.Store(), coord.dk.Store())
	peopleSync(t, bing.dk.Store(), yi.dk.Store())

	refused := func(dk *Desk, kind string) []Pending {
		t.Helper()
		page, err := dk.InboxPage(InboxQuery{What: relief.ReplyConflict})
		if err != nil {
			t.Fatal(err)
		}
		var out []Pending
		for _, e := range page.Entries {
			if e.Kind == kind {
				out = append(out, e)
			}
		}
		return out
	}
	for name, dk := range map[string]*Desk{"coordinator": coord.dk, "author": bing.dk} {
		for kind, title := range map[string]string{relief.KindVolunteer: "乙", relief.KindOffer: "稳健医疗"} {
			es := refused(dk, kind)
			if len(es) != 1 || es[0].To.String() != bing.id() || es[0].Title != title || es[0].Notice == nil ||
				!slices.Contains(es[0].Notice.Resolve, relief.ResolveAck) || es[0].Notice.Conflict.Reason != relief.ReasonRole {
				t.Fatalf("%s's inbox: %s conflicts %+v; want one entry for 丙's refused change of %q, refused for the role", name, kind, es, title)
			}
		}
	}
	// the volunteer whose profile it was is neither author nor coordinator:
	// not told, and may not acknowledge
	if es := refused(yi.dk, relief.KindVolunteer); len(es) != 0 {
		t.Errorf("乙's inbox: %+v; want no entry (neither the author nor a coordinator)", es)
	}
	ve := refused(coord.dk, relief.KindVolunteer)[0]
	var de *Error
	if err := yi.dk.AckRecordConflict(ve.Kind, ve.ID, ve.Ref); !errors.As(err, &de) || de.Code != CodeNotAllowed {
		t.Errorf("乙's AckRecordConflict = %v; want CodeNotAllowed", err)
	}
	// the coordinator acknowledges the volunteer's, the author the offer's
	if err := coord.dk.AckRecordConflict(ve.Kind, ve.ID, ve.Ref); err != nil {
		t.Fatalf("coordinator's AckRecordConflict = %v", err)
	}
	oe := refused(bing.dk, relief.KindOffer)[0]
	if err := bing.dk.AckRecordConflict(oe.Kind, oe.ID, oe.Ref); err != nil {
		t.Fatalf("author's AckRecordConflict = %v", err)
	}
	if err := bing.dk.AckRecordConflict(oe.Kind, oe.ID, oe.Ref); !errors.As(err, &de) || de.Code != CodeInvalid {
		t.Errorf("a second AckRecordConflict = %v; want CodeInvalid (no open conflict)", err)
	}
	peopleSync(t, coord.dk.Store(), bing.dk.Store())
	peopleSync(t, bing.dk.Store(), coord.dk.Store())
	for name, dk := range map[string]*Desk{"coordinator": coord.dk, "author": bing.dk} {
		for _, kind := range []string{relief.KindVolunteer, relief.KindOffer} {
			if es := refused(dk, kind); len(es) != 0 {
				t.Errorf("%s's inbox after the acks: %s conflicts %+v; want none", name, kind, es)
			}
		}
	}
}
