//go:build unix

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/reliefmesh/reliefmesh/store"
)

// TestExplainStoreNotWritable: a tester ran `status` on a data directory
// (and then on its db/) that the hub's user may not write. The hub said,
// in Chinese, only 出错了 (something went wrong) with the English after
// it, and nothing of what to do. It now says, in both languages, which
// folder this user may not write, that opening the store writes there
// (its lock file), what to do, and that nothing is damaged.
//
// The errors are the ones store.Open returns for the two folders, made by
// store.Open itself where this test's user is refused (not root), else
// built as Open wraps them (root may write anywhere).
func TestExplainStoreNotWritable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "hub")
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	db := filepath.Join(dir, "db")
	cases := []struct {
		name, folder string
		err          error
	}{
		{"data dir", dir, &os.PathError{Op: "open", Path: filepath.Join(dir, ".write-test-1"), Err: syscall.EACCES}},
		{"db", db, &os.PathError{Op: "open", Path: filepath.Join(db, "LOCK"), Err: syscall.EACCES}},
	}
	cases[0].err = wrapf("data directory %s: not writable: %w", dir, cases[0].err)
	cases[1].err = wrapf("open store %s: Cannot write pid file %q err: %w", db, filepath.Join(db, "LOCK"), cases[1].err)
	if os.Geteuid() != 0 {
		for i, c := range cases {
			if err := os.Chmod(c.folder, 0o500); err != nil {
				t.Fatal(err)
			}
			_, err := store.Open(dir, store.Options{})
			os.Chmod(c.folder, 0o700)
			if err == nil {
				t.Fatalf("%s: Open of a folder not writable = nil error", c.name)
			}
			cases[i].err = err
		}
	}
	for _, c := range cases {
		zh, en := explainIn(langZH, c.err), explainIn(langEN, c.err)
		if !strings.Contains(zh, c.folder) || !strings.Contains(zh, "不能写入") || !strings.Contains(zh, "--data-dir") || !strings.Contains(zh, "没有损坏") {
			t.Errorf("%s: zh-CN hint of %v = %q; want the folder, 不能写入, what to do (--data-dir) and 没有损坏", c.name, c.err, zh)
		}
		if !strings.Contains(en, c.folder) || !strings.Contains(en, "may not write") || !strings.Contains(en, "--data-dir") || !strings.Contains(en, "not damaged") {
			t.Errorf("%s: en hint of %v = %q; want the folder, may not write, what to do (--data-dir) and not damaged", c.name, c.err, en)
		}
	}
}

// TestExplainStoreFileTooLarge: opened under a file size limit (`ulimit
// -f`, a unit's LimitFSIZE), the store fails at its memtable with
// "file too large": the hub says it is a limit of this process, not
// damage, and how to lift it.
func TestExplainStoreFileTooLarge(t *testing.T) {
	err := wrapf("open store /d/db: cannot create memtable err: while opening file: /d/db/00001.mem err: %w", &os.PathError{Op: "truncate", Path: "/d/db/00001.mem", Err: syscall.EFBIG})
	zh, en := explainIn(langZH, err), explainIn(langEN, err)
	if !strings.Contains(zh, "ulimit -f") || !strings.Contains(zh, "没有损坏") {
		t.Errorf("zh-CN hint = %q; want the limit (ulimit -f) and 没有损坏", zh)
	}
	if !strings.Contains(en, "ulimit -f") || !strings.Contains(en, "not damaged") {
		t.Errorf("en hint = %q; want the limit (ulimit -f) and not damaged", en)
	}
	if strings.Contains(zh, "reliefmesh-hub recover") || strings.Contains(en, "reliefmesh-hub recover") || strings.Contains(zh, "损坏或丢失") {
		t.Errorf("hint = %q / %q; a healthy store must not be sent to recover", zh, en)
	}
}

// wrapf is fmt.Errorf, named for the tests that build a store's errors.
func wrapf(format string, args ...any) error { return fmt.Errorf(format, args...) }
