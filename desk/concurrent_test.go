package desk

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// A refused edit of several fields is one inbox entry (the change's), and
// acknowledging it from the inbox (its ref) covers every field.
func TestRefusedEditAckedOnce(t *testing.T) {
	a, b := peopleNetwork(t) // a coordinator, b volunteer
	dm := recordOne(t, a, "协和医院 N95")
	peopleSync(t, a.Store(), b.Store())
	// b neither created nor owns it: signed as a laptop would that skipped the desk's check
	op, err := relief.SetFields(relief.KindDemand, dm.ID, map[string]any{relief.FieldTitle: "改", relief.FieldDescription: "改", relief.FieldAddress: "改"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.apply([]ledger.Op{op}); err != nil {
		t.Fatalf("apply(edit) = %v", err)
	}
	peopleSync(t, b.Store(), a.Store())
	inbox, err := a.InboxPage(InboxQuery{What: relief.ReplyConflict})
	if err != nil || len(inbox.Entries) != 1 {
		t.Fatalf("InboxPage(conflict) = %+v, %v; want one entry for the one refused change", inbox.Entries, err)
	}
	e := inbox.Entries[0]
	if want := []string{relief.FieldAddress, relief.FieldDescription, relief.FieldTitle}; e.Notice == nil || !slices.Equal(e.Notice.Fields, want) {
		t.Fatalf("inbox entry notice = %+v; want fields %v", e.Notice, want)
	}
	if _, err := a.Act(ActInput{ID: dm.ID, Action: "ack_conflict", Ref: e.Ref}); err != nil {
		t.Fatalf("Act(ack_conflict %s) = %v; want the change's conflicts acknowledged", e.Ref, err)
	}
	if inbox, _ := a.InboxPage(InboxQuery{}); inbox.Counts[relief.ReplyConflict] != 0 {
		t.Errorf("InboxPage after ack = %+v; want no conflict", inbox.Entries)
	}
	got, _ := a.Demand(dm.ID)
	for _, c := range got.Demand.Conflicts {
		if c.AckedBy.IsZero() {
			t.Errorf("conflict %v not acknowledged by the change's ack", c)
		}
	}
}

// Scenario 7's last part: the title edited on two laptops at once shows
// both values as a conflict, to both authors (and the coordinators), until
// one is kept; that ends it on every laptop.
func TestConcurrentEditShownAndKept(t *testing.T) {
	// b's clock runs a second ahead and moves at every reading, so that b's
	// edit, made after a's, has the later stamp whatever the milliseconds
	// (no sleep: session 14's tester)
	var mu sync.Mutex
	var last time.Time
	ahead := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		last = later(time.Now().Add(time.Second), last.Add(time.Millisecond))
		return last
	}
	a, b := peopleNetworkWith(t, store.Options{}, store.Options{Clock: ahead}) // a coordinator, b volunteer
	dm := recordOne(t, b, "同济医院 防护服")                                          // b created it: both may edit
	syncAll(t, a, b)
	inA, inB := formOf(dm), formOf(dm)
	inA.Title, inB.Title = "同济医院 防护服 300 套", "同济医院 隔离衣"
	if _, err := a.EditDemand(dm.ID, inA); err != nil {
		t.Fatal(err)
	}
	// b's edit comes later in total order (a later stamp: b's clock), so the
	// volunteer b is the author whose value stands: told by the inbox's by index
	if _, err := b.EditDemand(dm.ID, inB); err != nil {
		t.Fatal(err)
	}
	syncAll(t, a, b)
	var stands string
	for name, dk := range map[string]*Desk{"A": a, "B": b} {
		got, err := dk.Demand(dm.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Concurrent) != 1 || got.Concurrent[0].Field != relief.FieldTitle || len(got.Concurrent[0].Values) != 2 {
			t.Fatalf("%s: Concurrent = %+v; want the title, with two values", name, got.Concurrent)
		}
		vs := got.Concurrent[0].Values
		texts := []string{vs[0].Text, vs[1].Text}
		slices.Sort(texts)
		if vs[1].By.String() != b.Status().Device {
			t.Errorf("%s: the value that stands is by %v; want b's, the later", name, vs[1].By)
		}
		if !slices.Equal(texts, []string{inA.Title, inB.Title}) || !vs[1].Stands || vs[0].Stands || !vs[0].Keep || vs[1].Text != got.Demand.Title {
			t.Errorf("%s: values = %+v; want both titles, the second standing (shown: %q), both to keep", name, vs, got.Demand.Title)
		}
		stands = got.Demand.Title
		inbox, err := dk.InboxPage(InboxQuery{What: relief.ReplyConflict})
		if err != nil || len(inbox.Entries) != 1 || !slices.Contains(inbox.Entries[0].Notice.Resolve, relief.ResolveKeep) {
			t.Errorf("%s: InboxPage(conflict) = %+v, %v; want the concurrent edit, with keep", name, inbox.Entries, err)
		}
	}
	// b keeps the value that lost
	got, _ := b.Demand(dm.ID)
	lost := got.Concurrent[0].Values[0]
	if _, err := b.KeepValue(dm.ID, got.Concurrent[0].Ref, lost.Ref); err != nil {
		t.Fatalf("KeepValue(the value that lost) = %v", err)
	}
	syncAll(t, a, b)
	for name, dk := range map[string]*Desk{"A": a, "B": b} {
		got, _ := dk.Demand(dm.ID)
		if got.Demand.Title != lost.Text || got.Demand.Title == stands || len(got.Concurrent) != 0 || len(got.Demand.Conflicts) != 0 {
			t.Errorf("%s after keeping: title %q, concurrent %+v, conflicts %v; want %q and no conflict", name, got.Demand.Title, got.Concurrent, got.Demand.Conflicts, lost.Text)
		}
		if inbox, _ := dk.InboxPage(InboxQuery{}); inbox.Counts[relief.ReplyConflict] != 0 {
			t.Errorf("%s: inbox after keeping = %+v; want no conflict", name, inbox.Entries)
		}
	}
	if _, err := b.KeepValue(dm.ID, "nope", lost.Ref); errCodeField(err) != CodeInvalid+" ref" {
		t.Errorf("KeepValue(no such conflict) = %v; want invalid ref", err)
	}
}

// Contacts edited on two laptops at once: a member who may read them sees
// both values, one below their level sees neither (nor can keep one), and
// no value is written in clear in the conflict.
func TestConcurrentSealedContacts(t *testing.T) {
	coord, others := sealNetwork(t, map[string]string{"审核员乙": "reviewer", "志愿者丙": "volunteer"})
	rev, vol := others["审核员乙"], others["志愿者丙"]
	publish(t, rev, coord)
	publish(t, vol, coord)
	all := []*Desk{coord.dk, rev.dk, vol.dk}
	dm := recordOne(t, coord.dk, "协和医院 N95")
	syncAll(t, all...)
	inC, inR := formOf(dm), formOf(dm)
	inC.ContactName, inC.ContactPhone = "甲老师", "13900000001"
	inR.ContactName, inR.ContactPhone = "乙老师", "13900000002"
	if _, err := coord.dk.EditDemand(dm.ID, inC); err != nil {
		t.Fatal(err)
	}
	if _, err := rev.dk.EditDemand(dm.ID, inR); err != nil {
		t.Fatal(err)
	}
	syncAll(t, all...)
	syncAll(t, all...) // grants written on import travel on
	for name, dk := range map[string]*Desk{"coordinator": coord.dk, "reviewer": rev.dk} {
		got, _ := dk.Demand(dm.ID)
		if len(got.Concurrent) != 1 || got.Concurrent[0].Field != relief.FieldContacts {
			t.Fatalf("%s: Concurrent = %+v; want the contacts", name, got.Concurrent)
		}
		for _, v := range got.Concurrent[0].Values {
			if v.Hidden || !strings.Contains(v.Text, "老师") {
				t.Errorf("%s: value %+v; want it opened", name, v)
			}
		}
	}
	got, _ := vol.dk.Demand(dm.ID)
	if len(got.Concurrent) != 1 {
		t.Fatalf("volunteer: Concurrent = %+v; want the contacts' conflict, values hidden", got.Concurrent)
	}
	for _, v := range got.Concurrent[0].Values {
		if !v.Hidden || v.Text != "" || v.Keep {
			t.Errorf("volunteer: value %+v; want it hidden, not to keep", v)
		}
	}
	for _, c := range got.Demand.Conflicts {
		if strings.Contains(fmt.Sprint(c), "1390000000") {
			t.Errorf("conflict %+v shows a phone number", c)
		}
	}
}

// later returns the later of x and y.
func later(x, y time.Time) time.Time {
	if x.After(y) {
		return x
	}
	return y
}
