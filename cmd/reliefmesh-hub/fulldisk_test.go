package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestExportWriteFailsLeavesNoFile: on a full disk a tester's `export -o
// b.xlsx` left a 0-byte b.xlsx under the name asked for. A write that fails
// part way (here: the file size limit, which fails writes as a full disk
// does) leaves neither a partial file under the name nor a temporary file,
// and an older file of that name stays whole.
func TestExportWriteFailsLeavesNoFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "b.xlsx")
	old := filepath.Join(dir, "old.csv")
	if err := writePrivate(old, []byte("an older bulletin\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Skip("no file size limit here:", err)
	}
	small := lim
	small.Cur = 64
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &small); err != nil {
		t.Skip("cannot set a file size limit:", err)
	}
	big := []byte(strings.Repeat("需求,数量\n", 1000))
	errNew := writePrivate(path, big, 0o644)
	errOld := writePrivate(old, big, 0o644)
	syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim)
	if errNew == nil || errOld == nil {
		t.Fatalf("writes past the limit = %v, %v; want both to fail", errNew, errOld)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after a failed write, %s: %v; want no file under that name", path, err)
	}
	if b, _ := os.ReadFile(old); string(b) != "an older bulletin\n" {
		t.Errorf("the older file after a failed write = %q; want it whole", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("dir holds %v; want only old.csv (no temporary file left)", names)
	}
}

// TestFailedInitLeavesNothing: an init that failed (on a disk below the
// floor, for the tester) left device.key and db/ behind, and the next
// command took the dir for a device without a network. A failed init now
// removes what it created and says so; run again, it succeeds.
func TestFailedInitLeavesNothing(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "hub")
	_, err := run(t, "init", "--name", strings.Repeat("洪", 5000), "--data-dir", dir)
	if err == nil {
		t.Fatal("init with a name far too long = nil error")
	}
	if _, serr := os.Stat(dir); !errors.Is(serr, os.ErrNotExist) {
		entries, _ := os.ReadDir(dir)
		t.Errorf("after a failed init (%v), %s holds %d entries; want it gone", err, dir, len(entries))
	}
	if !strings.Contains(err.Error(), "run init again") {
		t.Errorf("failed init = %v; want it to say a retry is safe", err)
	}
	if out, err := run(t, "init", "--name", "洪水", "--data-dir", dir); err != nil {
		t.Errorf("init again = %v\n%s", err, out)
	}
}

// TestExplainNoSpaceAtOpen: at 0 bytes free, opening the store fails on
// Badger's lock file with a raw English error; the hub says why reading
// cannot go on and what to do, in the user's language.
func TestExplainNoSpaceAtOpen(t *testing.T) {
	err := fmt.Errorf(`Cannot write pid file "/d/db/LOCK" err: write /d/db/LOCK: %w`, syscall.ENOSPC)
	if zh := explainIn(langZH, err); !strings.Contains(zh, "磁盘已满") || !strings.Contains(zh, "腾出空间") {
		t.Errorf("zh-CN: %q", zh)
	}
	if en := explainIn(langEN, errors.New(err.Error())); !strings.Contains(en, "disk is full") || !strings.Contains(en, "Free space") {
		t.Errorf("en: %q", en)
	}
}
