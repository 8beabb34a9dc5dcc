package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestMembersTimesAreLocalWithZone: `members` printed "自
// 2026-12-07T05:46:14.436Z 起", a raw UTC time, while the bulletins say
// which clock they mean. Times are now in the incident's zone, to the
// minute, with its name ("2026-12-07 13:46 北京时间").
func TestMembersTimesAreLocalWithZone(t *testing.T) {
	dir := t.TempDir()
	if out, err := run(t, "init", "--name", "洪水", "--member-name", "甲", "--data-dir", dir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	out, err := run(t, "members", "--lang", "zh-CN", "--data-dir", dir)
	if err != nil {
		t.Fatalf("members = %v\n%s", err, out)
	}
	if strings.Contains(out, "Z 起") || !regexp.MustCompile(`自 \d{4}-\d\d-\d\d \d\d:\d\d 北京时间 起`).MatchString(out) {
		t.Errorf("members:\n%s\nwant the time in the incident's zone, named", out)
	}
}

// TestInitAndJoinSpeakTheLanguage: init and join said "created network",
// "joined network" and "ask a member to endorse this id" in English under
// --lang zh-CN.
func TestInitAndJoinSpeakTheLanguage(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	out, err := run(t, "init", "--name", "洪水", "--lang", "zh-CN", "--data-dir", a)
	if err != nil || !strings.Contains(out, "已创建网络“洪水”") || !strings.Contains(out, "成员 ID：") {
		t.Errorf("init --lang zh-CN = %v\n%s", err, out)
	}
	out, err = run(t, "join-code", "--qr=false", "--addr", "/ip4/192.168.1.10/tcp/4717", "--data-dir", a)
	if err != nil {
		t.Fatalf("join-code = %v\n%s", err, out)
	}
	code := strings.SplitN(out, "\n", 2)[0]
	out, err = run(t, "join", code, "--lang", "zh-CN", "--data-dir", b)
	if err != nil || !strings.Contains(out, "已加入网络") || !strings.Contains(out, "请一位成员为这个成员 ID 背书") || strings.Contains(out, "ask a member") {
		t.Errorf("join --lang zh-CN = %v\n%s", err, out)
	}
}

// TestHubTimesInTheIncidentZone: the inbox printed due times with
// t.Local(), the machine's zone: a hub in a data centre on UTC said
// "截止 2026-12-07 02:56 UTC" of a deadline the bulletins call 10:56 北京时间,
// and the notice lines (who withdrew it, when) had no zone at all. Every
// time a person reads on the hub is now in the incident's zone
// (relief.IncidentZone, China time) and names it, whatever the machine's
// TZ: the expected hours below are fixed, not computed with time.Local.
func TestHubTimesInTheIncidentZone(t *testing.T) {
	due := time.Date(2026, 12, 7, 2, 56, 32, 427e6, time.UTC) // 10:56 in China
	at := time.Date(2026, 12, 6, 23, 5, 0, 0, time.UTC)       // 07:05 the next day in China
	by := ledger.DeviceID{1, 2, 3}
	p := desk.Pending{Title: "协和医院", Pending: relief.Pending{Kind: relief.KindDemand, Code: "D-ABCDEF", What: relief.ReplyWithdrawn, Due: due,
		Notice: &relief.Notice{Withdrawal: &relief.Withdrawal{By: by, At: ledger.Stamp{Wall: at.UnixMilli()}, Note: "已收到"}}}}
	lines := noticeLines(p, map[ledger.DeviceID]string{by: "甲"})
	for _, c := range []struct{ lang, due, notice string }{
		{langZH, "截止 2026-12-07 10:56 北京时间", "2026-12-07 07:05 北京时间"},
		{langEN, "due 2026-12-07 10:56 UTC+8", "2026-12-07 07:05 UTC+8"},
	} {
		var b strings.Builder
		printInbox(&b, []pendingJSON{{Code: "D-ABCDEF", What: "review", Title: "协和医院", Due: due.Format(time.RFC3339Nano)}}, speakerOf(c.lang))
		if !strings.Contains(b.String(), c.due) {
			t.Errorf("%s inbox line %q; want %q", c.lang, b.String(), c.due)
		}
		if !strings.Contains(lines[c.lang], c.notice) {
			t.Errorf("%s notice line %q; want the withdrawal's time %q", c.lang, lines[c.lang], c.notice)
		}
	}
}
