package store

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// sourceOf returns a store with a network and n demands by its founder, and
// all its changes, for a receiver to apply.
func sourceOf(t *testing.T, clk *fakeClock, n int) (*Store, []*ledger.Change) {
	t.Helper()
	src := openStore(t, t.TempDir(), clk)
	if _, err := src.CreateNetwork("net", "A"); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		clk.advance(time.Second)
		d := sampleDemand(fmt.Sprintf("需求 %d", i))
		d.Description = strings.Repeat("详细说明", 200)
		if _, err := src.RecordDemand(d); err != nil {
			t.Fatal(err)
		}
	}
	return src, all(t, src)
}

// TestDiskShortRefusesWrites: with less free space than Options.MinFree the
// store refuses runs and local changes with a *DiskFullError saying what is
// free, what is needed and where, still answers reads, and works again (and
// is whole) once there is space. The margin is set above the free space
// instead of filling a disk (see TestDiskFullOnTmpfs for a real one).
func TestDiskShortRefusesWrites(t *testing.T) {
	clk := newClock()
	src, changes := sourceOf(t, clk, 10)
	n, _ := src.Network()
	dir := t.TempDir()
	s, err := Open(dir, Options{Clock: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.JoinNetwork(n.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyRemote(changes[:5]); err != nil {
		t.Fatal(err)
	}
	before := s.VersionVector()
	s.Close()

	free, err := FreeSpace(dir)
	if err != nil {
		t.Fatal(err)
	}
	need := int64(free) + 1<<30
	s, err = Open(dir, Options{Clock: clk.now, MinFree: need})
	if err != nil {
		t.Fatalf("Open with the disk short = %v; want it to open for reading", err)
	}
	res, err := s.ApplyRemote(changes[5:])
	var df *DiskFullError
	if !errors.As(err, &df) || !errors.Is(err, ErrDiskFull) || df.Dir != dir || df.Need != uint64(need) || df.Free == 0 || df.Free >= df.Need {
		t.Fatalf("ApplyRemote with the disk short = %+v, %v; want a *DiskFullError for %s needing %d", res, err, dir, need)
	}
	if res.Applied != 0 || !s.VersionVector().Equal(before) {
		t.Fatalf("ApplyRemote with the disk short applied %d, vector %v; want nothing (%v)", res.Applied, s.VersionVector(), before)
	}
	if got := total(s.DemandCounts()); got != 4 {
		t.Errorf("reads with the disk short: %d demands; want 4", got)
	}
	if err := s.CheckSpace(); !errors.Is(err, ErrDiskFull) {
		t.Errorf("CheckSpace = %v; want ErrDiskFull", err)
	}
	s.Close()

	s = openStore(t, dir, clk)
	if !s.VersionVector().Equal(before) {
		t.Fatalf("after reopening: vector %v; want %v", s.VersionVector(), before)
	}
	if res, err := s.ApplyRemote(changes[5:]); err != nil || res.Applied != len(changes)-5 {
		t.Fatalf("ApplyRemote with space again = %+v, %v; want %d applied", res, err, len(changes)-5)
	}
	hs, _ := src.StateHash()
	hr, _ := s.StateHash()
	if hs != hr {
		t.Errorf("state after the disk was short differs from the source's")
	}
}

// TestLocalWriteDiskShort: a local change is refused too, and the feed does
// not advance.
func TestLocalWriteDiskShort(t *testing.T) {
	clk := newClock()
	dir := t.TempDir()
	s, err := Open(dir, Options{Clock: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateNetwork("net", "A"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	free, _ := FreeSpace(dir)
	s, err = Open(dir, Options{Clock: clk.now, MinFree: int64(free) + 1<<30})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	head := s.VersionVector().Get(s.Device())
	if _, err := s.RecordDemand(sampleDemand("x")); !errors.Is(err, ErrDiskFull) {
		t.Fatalf("RecordDemand with the disk short = %v; want ErrDiskFull", err)
	}
	if got := s.VersionVector().Get(s.Device()); got != head {
		t.Fatalf("feed at %d after a refused write; want %d", got, head)
	}
}

// TestDiskFullOnTmpfs fills a small tmpfs while runs are applied: the store
// refuses with a *DiskFullError before Badger runs out of space (no SIGBUS),
// and after space is freed it opens whole and takes the rest. It needs
// root (mount); it is skipped otherwise.
func TestDiskFullOnTmpfs(t *testing.T) {
	mnt := filepath.Join(t.TempDir(), "fs")
	os.MkdirAll(mnt, 0o700)
	if err := unix.Mount("tmpfs", mnt, "tmpfs", 0, "size=320m"); err != nil {
		t.Skipf("cannot mount a tmpfs (%v): TestDiskShortRefusesWrites covers the refusal", err)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", mnt).Run() })
	clk := newClock()
	src, changes := sourceOf(t, clk, 300)
	n, _ := src.Network()
	dir := filepath.Join(mnt, "data")
	s, err := Open(dir, Options{Clock: clk.now, ValueLogGCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.JoinNetwork(n.ID); err != nil {
		t.Fatal(err)
	}
	// Leave a little more than the margin free, then apply until refused.
	free, _ := FreeSpace(dir)
	filler := filepath.Join(mnt, "filler")
	if err := os.WriteFile(filler, make([]byte, free-DefaultMinFree-1<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	var refused error
	applied := 0
	for i := 0; i < len(changes) && refused == nil; i += 20 {
		res, err := s.ApplyRemote(changes[i:min(i+20, len(changes))])
		applied += res.Applied
		refused = err
		// Each run takes space; the filler grows to stand for other programs.
		f, _ := os.OpenFile(filler, os.O_WRONLY|os.O_APPEND, 0o600)
		f.Write(make([]byte, 256<<10))
		f.Close()
	}
	if !errors.Is(refused, ErrDiskFull) {
		t.Fatalf("applying while the disk fills: %d applied, last error %v; want ErrDiskFull", applied, refused)
	}
	t.Logf("refused after %d of %d changes: %v", applied, len(changes), refused)
	held := s.VersionVector()
	if err := s.Close(); err != nil {
		t.Fatalf("Close on a short disk = %v", err)
	}
	os.Remove(filler)
	s = openStore(t, dir, clk)
	if !s.VersionVector().Equal(held) {
		t.Fatalf("after freeing space: vector %v; want %v", s.VersionVector(), held)
	}
	if res, err := s.ApplyRemote(changes); err != nil || res.Applied != len(changes)-applied {
		t.Fatalf("ApplyRemote after freeing space = %+v, %v; want %d applied", res, err, len(changes)-applied)
	}
	hs, _ := src.StateHash()
	hr, _ := s.StateHash()
	if hs != hr {
		t.Errorf("state after the disk filled differs from the source's")
	}
}
