package desk

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestNoticeWordsMatchTheApp: the hub's inbox lines use the app's words;
// every key of noticeWords is the app's text in frontend/src/locales.
func TestNoticeWordsMatchTheApp(t *testing.T) {
	for lang, words := range noticeWords {
		b, err := os.ReadFile("../frontend/src/locales/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var tree map[string]any
		if err := json.Unmarshal(b, &tree); err != nil {
			t.Fatal(err)
		}
		for key, want := range words {
			var at any = tree
			for _, part := range strings.Split(key, ".") {
				m, _ := at.(map[string]any)
				at = m[part]
			}
			if got, _ := at.(string); got != want {
				t.Errorf("%s %s: the app says %q, desk %q", lang, key, got, want)
			}
		}
	}
}

// TestNoticeLineKeptDelivery: the conflict line of a delivery refused by a
// withdrawal names its items and says it is kept (finding 1).
func TestNoticeLineKeptDelivery(t *testing.T) {
	bing, jia := ledger.DeviceID{2}, ledger.DeviceID{1}
	at := ledger.Stamp{Wall: 1_000_000}
	dv := relief.Delivery{By: bing, At: at, Items: []relief.Receipt{{Item: "药品", Qty: 60}}, State: relief.DeliveryPending, Reason: relief.ReasonStatus}
	n := &relief.Notice{Conflict: &relief.Conflict{Action: relief.ActionDeliver, By: bing, At: at, Reason: relief.ReasonStatus,
		Winner: jia, WinnerAt: at, WinnerAction: relief.ActionWithdraw}, Delivery: &dv}
	name := func(k ledger.DeviceID) string {
		return map[ledger.DeviceID]string{jia: "协调员甲", bing: "志愿者丙"}[k]
	}
	when := func(time.Time) string { return "05:00" }
	for lang, want := range map[string]string{
		"zh-CN": "志愿者丙 于 05:00 的「记录到货」未生效（状态已变化） — 协调员甲 于 05:00 先「撤回」 这批到货（药品 60）已保留，等待负责人确认。",
		"en":    "(药品 60)",
	} {
		if got := NoticeLine(relief.ReplyConflict, n, lang, name, when); !strings.Contains(got, want) {
			t.Errorf("NoticeLine(%s) = %q; want %q", lang, got, want)
		}
	}
}

// TestNoticeLinePendingProgress (reviewer, session 15): the owner's inbox
// line of a pending progress (an older version's) says, in both languages,
// that its quantities are a running total, which counted never lowers what
// is received; a pending deliver's line does not.
func TestNoticeLinePendingProgress(t *testing.T) {
	bing := ledger.DeviceID{2}
	at := ledger.Stamp{Wall: 1_000_000}
	dv := relief.Delivery{Action: relief.ActionProgress, By: bing, At: at, Items: []relief.Receipt{{Item: "口罩", Qty: 500}},
		State: relief.DeliveryPending, Reason: relief.ReasonNotOwner}
	name := func(ledger.DeviceID) string { return "志愿者丙" }
	when := func(time.Time) string { return "05:00" }
	for lang, want := range map[string]string{"zh-CN": "累计", "en": "running total"} {
		got := NoticeLine(relief.ReplyDelivery, &relief.Notice{Delivery: &dv}, lang, name, when)
		if !strings.Contains(got, want) || !strings.Contains(got, "口罩 500") || !strings.Contains(got, "志愿者丙") {
			t.Errorf("NoticeLine(%s) of a pending progress = %q; want its items, who, and %q", lang, got, want)
		}
		deliver := dv
		deliver.Action = relief.ActionDeliver
		if got := NoticeLine(relief.ReplyDelivery, &relief.Notice{Delivery: &deliver}, lang, name, when); strings.Contains(got, want) {
			t.Errorf("NoticeLine(%s) of a pending deliver = %q; says %q", lang, got, want)
		}
	}
}

// TestNoticeLineUndoneImport: the withdrawal of an import's undo that met
// someone else's work says, in both languages, who undid the import, who
// had done what (claimed, published, approved), and what had been received.
func TestNoticeLineUndoneImport(t *testing.T) {
	yi, jia := ledger.DeviceID{2}, ledger.DeviceID{1}
	at := ledger.Stamp{Wall: 1_000_000}
	name := func(k ledger.DeviceID) string {
		return map[ledger.DeviceID]string{jia: "协调员甲", yi: "审核员乙"}[k]
	}
	when := func(time.Time) string { return "05:00" }
	w := relief.Withdrawal{By: jia, At: at, Note: relief.UndoImportNote, Owner: yi, UndoneFrom: relief.StatusInProgress, ActedBy: yi,
		Received: []relief.Receipt{{Item: "N95口罩", Qty: 40}}}
	n := &relief.Notice{Withdrawal: &w}
	for lang, want := range map[string]string{
		"zh-CN": "协调员甲 于 05:00 撤销导入时，这条需求已被 审核员乙 认领；撤销仍撤回了它。如仍需要，协调员可重新打开它。 撤回时已收到：N95口罩 40",
		"en":    "When 协调员甲 undid the import at 05:00, 审核员乙 had already claimed this demand; the undo withdrew it.",
	} {
		if got := NoticeLine(relief.ReplyWithdrawn, n, lang, name, when); !strings.Contains(got, want) {
			t.Errorf("NoticeLine(%s) = %q; want %q", lang, got, want)
		}
	}
	w.UndoneFrom, w.Owner, w.Received = relief.StatusPublished, ledger.DeviceID{}, nil
	if got := NoticeLine(relief.ReplyWithdrawn, n, "zh-CN", name, when); !strings.Contains(got, "已被 审核员乙 发布") {
		t.Errorf("NoticeLine of a published demand = %q; want 已被 审核员乙 发布", got)
	}
}
