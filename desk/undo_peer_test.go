package desk

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestUndoImportMeetsAPeersWork: A imports two demands; B, offline,
// approves, publishes and claims the first and records a delivery on it,
// and approves and publishes the second; A, who sees none of it, undoes the
// import (the plan withdraws both). After the two laptops meet, in either
// arrival order and whether B's work or A's undo came first, the undo does
// not withdraw B's work silently: A is told in the inbox who had done what
// (the undo's withdrawal, or B's steps it refused), B is told, and the
// goods recorded as received stay counted or pending (session 10's tester,
// finding 6: A's inbox was empty).
func TestUndoImportMeetsAPeersWork(t *testing.T) {
	for _, undoFirst := range []bool{false, true} {
		for _, aFirst := range []bool{false, true} {
			t.Run(fmt.Sprintf("undoFirst=%v/arrivalAtAFirst=%v", undoFirst, aFirst), func(t *testing.T) {
				undoMeetsPeer(t, undoFirst, aFirst)
			})
		}
	}
}

func undoMeetsPeer(t *testing.T, undoFirst, aFirst bool) {
	a, b := peopleNetwork(t)
	if err := a.Promote(b.Status().Device, "reviewer"); err != nil {
		t.Fatal(err)
	}
	csv := "医院名称,地址,需求物资,数量,联系人,联系电话\n" +
		"甲医院,卫辉市健康路1号,N95口罩,100,张三,13837310009\n" +
		"乙医院,卫辉市健康路2号,医用手套,200,李四,13837310008\n"
	recs, _, err := importer.ReadData("u.csv", []byte(csv), importer.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := a.Import(context.Background(), recs, nil)
	if err != nil || len(rep.IDs) != 2 {
		t.Fatalf("Import = %+v, %v", rep, err)
	}
	syncAll(t, a, b)
	claimed, published := rep.IDs[0], rep.IDs[1]
	peerWork := func() {
		for _, step := range []ActInput{
			{ID: claimed, Action: "approve", Evidence: &EvidenceInput{Kind: "callback", Caller: "乙", Outcome: "仍需要"}}, {ID: claimed, Action: "publish"}, {ID: claimed, Action: "claim"},
			{ID: claimed, Action: "deliver", Received: []ReceiptInput{{Item: "N95口罩", Quantity: "40"}}, Note: "第一车"},
			{ID: published, Action: "approve", Evidence: &EvidenceInput{Kind: "callback", Caller: "乙", Outcome: "仍需要"}}, {ID: published, Action: "publish"},
		} {
			if _, err := b.Act(step); err != nil {
				t.Fatalf("B %s %s: %v", step.Action, step.ID, err)
			}
		}
	}
	undo := func() {
		plan, err := a.UndoImport(rep.IDs, nil)
		if err != nil || len(plan.Withdraw) != 2 {
			t.Fatalf("UndoImport = %+v, %v; want both withdrawn (A sees nobody's work)", plan, err)
		}
	}
	if undoFirst {
		undo()
		peerWork()
	} else {
		peerWork()
		undo()
	}
	if aFirst {
		peopleSync(t, b.Store(), a.Store())
		peopleSync(t, a.Store(), b.Store())
	} else {
		peopleSync(t, a.Store(), b.Store())
		peopleSync(t, b.Store(), a.Store())
	}
	for who, dk := range map[string]*Desk{"A": a, "B": b} {
		d, err := dk.Demand(claimed)
		if err != nil {
			t.Fatal(err)
		}
		got := 0.0
		for _, dv := range d.Demand.Deliveries {
			for _, r := range dv.Items {
				got += r.Qty
			}
		}
		if got != 40 {
			t.Errorf("%s: the claimed demand (%s) keeps deliveries %+v; want the 40 received kept", who, d.Demand.Status, d.Demand.Deliveries)
		}
	}
	aDev, bDev := a.Status().Device, b.Status().Device
	ps, err := a.Inbox()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{claimed, published} {
		told := slices.ContainsFunc(ps, func(p Pending) bool {
			if p.ID != id || p.Notice == nil {
				return false
			}
			if w := p.Notice.Withdrawal; p.What == relief.ReplyWithdrawn && w != nil {
				return w.By.String() == aDev && w.ActedBy.String() == bDev && w.UndoneFrom != ""
			}
			c := p.Notice.Conflict
			return p.What == relief.ReplyConflict && c != nil && c.By.String() == bDev
		})
		if !told {
			t.Errorf("A's inbox does not tell that the undo met B's work on %s: %+v", id, ps)
		}
	}
	psB, err := b.Inbox()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(psB, func(p Pending) bool {
		return p.ID == claimed && (p.What == relief.ReplyWithdrawn || p.What == relief.ReplyConflict)
	}) {
		t.Errorf("B's inbox does not tell that the claimed demand was withdrawn by the undo: %+v", psB)
	}
}
