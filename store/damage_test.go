package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// storeWithTables makes a closed store in a new data directory holding n
// demands, flushed to Badger tables (.sst) by Close, and returns the
// directory and its table files.
func storeWithTables(t *testing.T, n int) (string, []string) {
	t.Helper()
	clk := newClock()
	dir := t.TempDir()
	s, err := Open(dir, Options{Clock: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateNetwork("net", "A"); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		clk.advance(time.Second)
		d := sampleDemand(fmt.Sprintf("需求 %d", i))
		d.Description = strings.Repeat("详细说明", 20)
		if _, err := s.RecordDemand(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ssts, _ := filepath.Glob(filepath.Join(dir, "db", "*.sst"))
	if len(ssts) == 0 {
		t.Fatalf("no .sst in %s after Close; the test needs tables", dir)
	}
	return dir, ssts
}

// openDamaged opens dir, which must fail with a *DamagedError of what; a
// panic fails the test.
func openDamaged(t *testing.T, dir, what string) {
	t.Helper()
	var s *Store
	var err error
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("Open of a damaged store panicked: %v", p)
			}
		}()
		s, err = Open(dir, Options{})
	}()
	if err == nil {
		n := total(s.DemandCounts())
		s.Close()
		t.Fatalf("Open of a damaged store = nil error (%d demands); want a *DamagedError (%s)", n, what)
	}
	var de *DamagedError
	if !errors.As(err, &de) || !errors.Is(err, ErrDamaged) || de.What != what {
		t.Fatalf("Open = %v; want a *DamagedError of %q", err, what)
	}
	if !strings.Contains(err.Error(), "recover") {
		t.Errorf("Open = %q; the message must say how to recover", err)
	}
}

func TestOpenMissingManifest(t *testing.T) {
	dir, _ := storeWithTables(t, 20)
	if err := os.Remove(filepath.Join(dir, "db", "MANIFEST")); err != nil {
		t.Fatal(err)
	}
	openDamaged(t, dir, DamageManifest)
}

func TestOpenTruncatedTable(t *testing.T) {
	dir, ssts := storeWithTables(t, 200)
	for _, f := range ssts {
		fi, _ := os.Stat(f)
		if err := os.Truncate(f, fi.Size()/2); err != nil {
			t.Fatal(err)
		}
	}
	openDamaged(t, dir, DamageFiles)
}

func TestOpenFlippedTableBytes(t *testing.T) {
	dir, ssts := storeWithTables(t, 200)
	for _, f := range ssts {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		mid := len(b) / 2
		for i := mid; i < mid+16 && i < len(b); i++ {
			b[i] ^= 0xff
		}
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	openDamaged(t, dir, DamageFiles)
}

// TestOpenDataGone: a store whose files were deleted while its device key and
// network note stay is an error, not an empty device; MoveAside turns it into
// an empty store that waits for its own feed.
func TestOpenDataGone(t *testing.T) {
	dir, _ := storeWithTables(t, 5)
	db := filepath.Join(dir, "db")
	if err := os.RemoveAll(db); err != nil {
		t.Fatal(err)
	}
	openDamaged(t, dir, DamageDataGone)
	if _, err := os.Stat(db); err == nil {
		os.RemoveAll(db) // the failed Open may have created an empty db
	}
	if _, err := MoveAside(dir, time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatalf("MoveAside = %v", err)
	}
	s := openStore(t, dir, newClock())
	if r := s.Recovering(); r != RecoverRestored {
		t.Fatalf("Recovering() after MoveAside = %q; want %q", r, RecoverRestored)
	}
}

// TestMoveAsideKeepsKey: after MoveAside of a damaged store the device key
// is the same and the damaged files are kept beside it.
func TestMoveAsideKeepsKey(t *testing.T) {
	dir, _ := storeWithTables(t, 5)
	key, _ := os.ReadFile(filepath.Join(dir, KeyFile))
	os.Remove(filepath.Join(dir, "db", "MANIFEST"))
	openDamaged(t, dir, DamageManifest)
	to, err := MoveAside(dir, time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatalf("MoveAside = %v", err)
	}
	if ssts, _ := filepath.Glob(filepath.Join(to, "*.sst")); len(ssts) == 0 {
		t.Errorf("MoveAside moved no tables to %s", to)
	}
	s := openStore(t, dir, newClock())
	if got, _ := os.ReadFile(filepath.Join(dir, KeyFile)); string(got) != string(key) {
		t.Errorf("device key changed by MoveAside")
	}
	if _, ok := s.Network(); ok || s.Recovering() != RecoverRestored {
		t.Errorf("after MoveAside: network %v, recovering %q; want none, %q", ok, s.Recovering(), RecoverRestored)
	}
}

// BenchmarkCheckTables measures the verification of every table that Open
// does before Badger opens them, in bytes of tables per second.
func BenchmarkCheckTables(b *testing.B) {
	clk := newClock()
	dir := b.TempDir()
	s, err := Open(dir, Options{Clock: clk.now, ValueLogGCInterval: -1})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.CreateNetwork("net", "A"); err != nil {
		b.Fatal(err)
	}
	s.durable = false // build the fixture fast
	for i := range 3000 {
		clk.advance(time.Second)
		d := sampleDemand(fmt.Sprintf("需求 %d", i))
		d.Description = strings.Repeat("详细说明", 60)
		if _, err := s.RecordDemand(d); err != nil {
			b.Fatal(err)
		}
	}
	s.durable = true
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	db := filepath.Join(dir, "db")
	entries, _ := os.ReadDir(db)
	var size int64
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sst") {
			fi, _ := e.Info()
			size += fi.Size()
		}
	}
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		if err := checkTables(db, entries, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// TestOpenTruncatedValueLog: a value log cut short (a disk that lost its
// end) leaves records whose values cannot be read. Open used to fail with
// "index demands: demand record: decode record: EOF" and Badger's key dumps,
// which neither the app nor the hub recognised as damage, so nobody was told
// how to recover; it is a *DamagedError like the other damaged files.
func TestOpenTruncatedValueLog(t *testing.T) {
	dir, _ := storeWithTables(t, 40)
	logs, _ := filepath.Glob(filepath.Join(dir, "db", "*.vlog"))
	var biggest string
	var size int64
	for _, l := range logs {
		if fi, err := os.Stat(l); err == nil && fi.Size() > size {
			biggest, size = l, fi.Size()
		}
	}
	if size < 4096 {
		t.Fatalf("value logs %v hold %d bytes at most; the test needs values in them", logs, size)
	}
	if err := os.Truncate(biggest, size/3); err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir, Options{Clock: newClock().now})
	if err == nil {
		// Badger may open and the damage show only when the records are read.
		s.Close()
		t.Fatalf("Open of a store whose value log %s was cut from %d to %d bytes = nil; want a *DamagedError", filepath.Base(biggest), size, size/3)
	}
	var de *DamagedError
	if !errors.As(err, &de) || !errors.Is(err, ErrDamaged) {
		t.Fatalf("Open with a cut value log = %v; want a *DamagedError", err)
	}
}

// TestOpenIgnoresAnOrphanTable: a table file the MANIFEST does not list (a
// flush cut off before Badger recorded it; Badger deletes such files when it
// opens) is not damage. An e2e run saw a hub refuse to start, "damaged", over
// a zero-size 000004.sst left between `init` and `serve`.
func TestOpenIgnoresAnOrphanTable(t *testing.T) {
	dir, _ := storeWithTables(t, 20)
	if err := os.WriteFile(filepath.Join(dir, "db", "999999.sst"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open with an orphan empty table = %v; want the store, as Badger deletes orphans", err)
	}
	defer s.Close()
	if n := total(s.DemandCounts()); n != 20 {
		t.Errorf("%d demands after the open; want 20", n)
	}
}
