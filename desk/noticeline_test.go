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
