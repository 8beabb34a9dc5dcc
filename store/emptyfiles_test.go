package store

import (
	"os"
	"path/filepath"
	"testing"
)

// TestOpenAfterCrashLeftEmptyFiles: a crash between Badger's creating a
// memtable or value log file and its first write leaves it empty (0 bytes),
// and badger.Open then fails with "Create a new file" (z.NewFile; Badger
// issue #2207), so the store looked damaged and asked for `recover`, though
// nothing was lost. TestCrashSafetyLean's SIGKILL found it (session 10).
// The store now opens with every demand.
func TestOpenAfterCrashLeftEmptyFiles(t *testing.T) {
	for _, name := range []string{"00099.mem", "000099.vlog"} {
		t.Run(name, func(t *testing.T) {
			dir, _ := storeWithTables(t, 50)
			if err := os.WriteFile(filepath.Join(dir, "db", name), nil, 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := Open(dir, Options{})
			if err != nil {
				t.Fatalf("Open with an empty %s a crash left = %v; want it opened", name, err)
			}
			if got := len(mustDemands(t, s)); got != 50 {
				t.Errorf("%d demands after opening with an empty %s; want 50", got, name)
			}
			if _, err := s.RecordDemand(sampleDemand("之后的需求")); err != nil {
				t.Fatalf("RecordDemand after opening with an empty %s = %v", name, err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s, err = Open(dir, Options{})
			if err != nil {
				t.Fatalf("reopen = %v", err)
			}
			defer s.Close()
			if got := len(mustDemands(t, s)); got != 51 {
				t.Errorf("%d demands after a write and a reopen; want 51", got)
			}
		})
	}
}
