package desk

import (
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestClosedEditLineSaysKept: a tester withdrew a published demand on the
// coordinator's laptop while its owner, apart, edited its title; after the
// sync both laptops showed the owner's new title on the withdrawn demand
// (the fold keeps an edit made after the close: relief's
// TestEditVersusWithdraw), yet the inbox line and the demand page said the
// edit "did not apply (the demand was closed)" / 未生效（需求已关闭）. A
// coordinator reading it believes the old title stands. The line now says,
// in both languages, that the edit is kept and shown, to be checked, and
// names who closed the demand, how and when.
func TestClosedEditLineSaysKept(t *testing.T) {
	coord, others := sealNetwork(t, map[string]string{"志愿者乙": "volunteer"})
	vol := others["志愿者乙"]
	publish(t, vol, coord)
	c := coord.dk
	dm := recordOne(t, c, "协和医院 N95")
	for _, a := range []ActInput{{Action: "approve", Note: "known hospital"}, {Action: "publish"}} {
		a.ID = dm.ID
		if _, err := c.Act(a); err != nil {
			t.Fatal(a.Action, err)
		}
	}
	syncAll(t, c, vol.dk)
	if _, err := vol.dk.Act(ActInput{ID: dm.ID, Action: "claim"}); err != nil {
		t.Fatal(err)
	}
	syncAll(t, c, vol.dk)
	// apart: the coordinator withdraws, then the owner edits, stamped later:
	// a hybrid logical clock's wall time never runs ahead of the machine's
	// here (no peer dated ahead), so once the machine's millisecond has
	// passed the withdrawal's, the owner's edit is ordered after it
	if _, err := c.Act(ActInput{ID: dm.ID, Action: "withdraw", Note: "医院说不需要了"}); err != nil {
		t.Fatal(err)
	}
	withdrawn := time.Now().UnixMilli()
	for deadline := time.Now().Add(5 * time.Second); time.Now().UnixMilli() <= withdrawn+1; {
		if time.Now().After(deadline) {
			t.Fatal("the clock did not move on")
		}
		time.Sleep(time.Millisecond)
	}
	in := formOf(dm)
	in.Title = "协和医院 N95 改为 800 只"
	if _, err := vol.dk.EditDemand(dm.ID, in); err != nil {
		t.Fatal(err)
	}
	syncAll(t, c, vol.dk)
	name := func(k ledger.DeviceID) string {
		return map[string]string{c.Status().Device: "协调员甲", vol.id(): "志愿者乙"}[k.String()]
	}
	when := func(time.Time) string { return "05:00" }
	for who, dk := range map[string]*Desk{"coordinator": c, "owner": vol.dk} {
		got, err := dk.Demand(dm.ID)
		if err != nil {
			t.Fatal(err)
		}
		var closed *relief.Conflict
		for i, cf := range got.Demand.Conflicts {
			if cf.Reason == relief.ReasonClosed {
				closed = &got.Demand.Conflicts[i]
			}
		}
		if closed == nil {
			t.Fatalf("%s: conflicts %+v; want the edit made after the withdrawal (reason closed)", who, got.Demand.Conflicts)
		}
		if got.Demand.Status != relief.StatusWithdrawn || got.Demand.Title != in.Title {
			t.Fatalf("%s: %s %q; want withdrawn with the edit shown (the fold keeps it)", who, got.Demand.Status, got.Demand.Title)
		}
		inbox, err := dk.InboxPage(InboxQuery{What: relief.ReplyConflict})
		if err != nil || len(inbox.Entries) != 1 {
			t.Fatalf("%s: InboxPage(conflict) = %+v, %v; want the edit after the close", who, inbox.Entries, err)
		}
		e := inbox.Entries[0]
		for lang, want := range map[string][]string{
			"zh-CN": {"志愿者乙", "标题", "已保留", "协调员甲", "撤回"},
			"en":    {"志愿者乙", "title", "kept", "协调员甲", "Withdraw"},
		} {
			line := NoticeLine(e.What, e.Notice, lang, name, when)
			for _, w := range want {
				if !strings.Contains(line, w) {
					t.Errorf("%s %s: line %q; want %q in it", who, lang, line, w)
				}
			}
			for _, wrong := range []string{"未生效", "did not apply"} {
				if strings.Contains(line, wrong) {
					t.Errorf("%s %s: line %q says the edit did not apply, while the demand shows it (%q)", who, lang, line, got.Demand.Title)
				}
			}
		}
	}
}
