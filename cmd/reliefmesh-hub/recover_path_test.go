package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRecoverThenBundleSaysWhatToDo: after `recover` the hub said "join again
// or import a bundle", but the bundle import failed with the English-only
// "no network: create or join one first"; after a join the import wrote
// "3 applied" without saying that writing stays paused, and status said a
// bundle ends the wait while it does not for a recovered device. Each step
// now says the next one, in the hub's language.
func TestRecoverThenBundleSaysWhatToDo(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if out, err := run(t, "init", "--name", "武汉 2020", "--member-name", "甲", "--data-dir", a); err != nil {
		t.Fatalf("init a = %v\n%s", err, out)
	}
	out, err := run(t, "join-code", "--qr=false", "--addr", "/ip4/192.168.1.10/tcp/4717", "--data-dir", a)
	if err != nil {
		t.Fatalf("join-code = %v\n%s", err, out)
	}
	code := strings.SplitN(out, "\n", 2)[0]
	if out, err := run(t, "join", code, "--data-dir", b); err != nil {
		t.Fatalf("join b = %v\n%s", err, out)
	}
	stick := filepath.Join(t.TempDir(), "a.rmbundle")
	if out, err := run(t, "bundle", "export", "-o", stick, "--data-dir", a); err != nil {
		t.Fatalf("bundle export = %v\n%s", err, out)
	}
	out, err = run(t, "recover", "--data-dir", b)
	if err != nil || !strings.Contains(out, "join-code") {
		t.Errorf("recover = %v\n%s; want it to say how to get a join code", err, out)
	}
	_, err = run(t, "bundle", "import", stick, "--data-dir", b)
	if err == nil {
		t.Fatal("bundle import into a recovered dir without a network = nil error")
	}
	if zh, en := explainIn(langZH, err), explainIn(langEN, err); !strings.Contains(zh, "reliefmesh-hub join 加入码") || !strings.Contains(en, "reliefmesh-hub join CODE") {
		t.Errorf("bundle import without a network: %v\nzh: %q\nen: %q; want both to say to join first, with the command", err, zh, en)
	}
	if out, err := run(t, "join", code, "--data-dir", b); err != nil {
		t.Fatalf("join again = %v\n%s", err, out)
	}
	out, err = run(t, "bundle", "import", stick, "--lang", "zh-CN", "--data-dir", b)
	if err != nil || !strings.Contains(out, "写入仍暂停") {
		t.Errorf("bundle import after the join = %v\n%s; want it to say writing is still paused", err, out)
	}
	out, err = run(t, "status", "--lang", "zh-CN", "--data-dir", b)
	if err != nil || !strings.Contains(out, "同步包不能结束这个等待") {
		t.Errorf("status of the recovered device = %v\n%s; want it to say a bundle does not end the wait", err, out)
	}
}
