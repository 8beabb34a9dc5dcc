//go:build unix

package store

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// envLimitDir names, for the child process of TestOpenUnderFileSizeLimit,
// the data directory it opens under a file size limit.
const envLimitDir = "RELIEFMESH_TEST_FSIZE_DIR"

// TestOpenUnderFileSizeLimit: a tester opened a healthy store under
// `ulimit -f 64` (a file size limit, which fails writes as a full disk
// does) and was told "store damaged … move it aside (`reliefmesh-hub
// recover`)": Badger's "truncate …/00001.mem: file too large" holds
// "truncat" and "table" (of memtable), which damagedMessage took for a
// damaged file. Moving a healthy store aside makes the device wait for its
// own feed from a peer and leaves changes no peer holds in the moved copy.
// A resource limit (file size, a full disk, open files, memory) is not
// damage: Open fails without a *DamagedError, naming the cause, and the
// same store opens whole once the limit is gone.
//
// The limit is set in a child process (this test binary, run again), so
// that no other test's file writes meet it.
func TestOpenUnderFileSizeLimit(t *testing.T) {
	if os.Getenv(envLimitDir) != "" {
		t.Skip("the child's own run")
	}
	dir, _ := storeWithTables(t, 20)
	cmd := exec.Command(os.Args[0], "-test.run=^TestOpenUnderFileSizeLimitChild$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), envLimitDir+"="+dir)
	out, err := cmd.CombinedOutput()
	text := string(out)
	if strings.Contains(text, "SKIP: cannot set") {
		t.Skip("no file size limit here:", text)
	}
	if err != nil {
		t.Fatalf("child: %v\n%s", err, text)
	}
	if !strings.Contains(text, "OPEN-ERROR:") {
		t.Fatalf("child did not report Open's error:\n%s", text)
	}
	if strings.Contains(text, "DAMAGED") {
		t.Errorf("Open under a file size limit said the store is damaged (the advice would move a healthy store aside):\n%s", text)
	}
	if !strings.Contains(text, "file too large") {
		t.Errorf("Open under a file size limit = %q; want the cause (file too large) named", text)
	}
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open without the limit: %v", err)
	}
	defer s.Close()
	if n := total(s.DemandCounts()); n != 20 {
		t.Errorf("after the limit, the store holds %d demands; want 20", n)
	}
}

// TestOpenUnderFileSizeLimitChild is the child of TestOpenUnderFileSizeLimit:
// it opens the store of envLimitDir with a file size limit of 4 KiB and
// prints Open's error ("OPEN-ERROR: …", with "DAMAGED" when it is a
// *DamagedError).
func TestOpenUnderFileSizeLimitChild(t *testing.T) {
	dir := os.Getenv(envLimitDir)
	if dir == "" {
		t.Skip("run by TestOpenUnderFileSizeLimit")
	}
	lim := syscall.Rlimit{Cur: 4096}
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Skip("SKIP: cannot set a file size limit:", err)
	}
	lim.Max = old.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Skip("SKIP: cannot set a file size limit:", err)
	}
	s, err := Open(dir, Options{})
	if err == nil {
		s.Close()
		t.Log("OPEN-ERROR: none")
		return
	}
	var de *DamagedError
	if errors.As(err, &de) || errors.Is(err, ErrDamaged) {
		t.Logf("OPEN-ERROR: DAMAGED %v", err)
		return
	}
	t.Logf("OPEN-ERROR: %v", err)
}

// TestDamagedMessageNotResourceLimits: Badger's errors of a full disk, a
// file size limit, too many open files or no memory name the memtable or
// table they were opening, and were taken for damage.
func TestDamagedMessageNotResourceLimits(t *testing.T) {
	for _, cause := range []error{syscall.ENOSPC, syscall.EFBIG, syscall.EMFILE, syscall.ENFILE, syscall.ENOMEM} {
		msg := "cannot create memtable err: newMemTable err: While opening memtable: /d/db/00001.mem err: while opening file: /d/db/00001.mem err: truncate /d/db/00001.mem: " + cause.Error() + "\nerror while truncation"
		if damagedMessage(msg) {
			t.Errorf("damagedMessage(%q) = true; want false (%v is a resource limit, not damage)", msg, cause)
		}
	}
	if !damagedMessage("file: 000004.sst, error: checksum mismatch") {
		t.Error("a checksum mismatch is no longer damage")
	}
}
