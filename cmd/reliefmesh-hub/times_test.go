package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestMembersTimesAreLocalWithZone: `members` printed "自
// 2026-12-07T05:46:14.436Z 起", a raw UTC time, while the bulletins say
// which clock they mean. Times are now local, to the minute, with their
// zone ("2026-12-07 13:46 UTC+8").
func TestMembersTimesAreLocalWithZone(t *testing.T) {
	dir := t.TempDir()
	if out, err := run(t, "init", "--name", "洪水", "--member-name", "甲", "--data-dir", dir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	out, err := run(t, "members", "--lang", "zh-CN", "--data-dir", dir)
	if err != nil {
		t.Fatalf("members = %v\n%s", err, out)
	}
	if strings.Contains(out, "Z 起") || !regexp.MustCompile(`自 \d{4}-\d\d-\d\d \d\d:\d\d UTC([+-]\d+(:\d\d)?)? 起`).MatchString(out) {
		t.Errorf("members:\n%s\nwant the time local with its zone", out)
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
