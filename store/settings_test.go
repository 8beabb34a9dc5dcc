package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// TestJoinCodeFileMigrated: a data dir that still has the hub's
// join-code.txt is migrated on open: the store keeps the code (unless it
// holds one already: the store's wins) and the file is removed.
func TestJoinCodeFileMigrated(t *testing.T) {
	for _, tc := range []struct {
		name, inStore, inFile, want string
	}{
		{"file only", "", "RMJ1-FROM-FILE\n", "RMJ1-FROM-FILE"},
		{"store wins", "RMJ1-IN-STORE", "RMJ1-FROM-FILE\n", "RMJ1-IN-STORE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.inStore != "" {
				st, err := Open(dir, Options{})
				if err != nil {
					t.Fatal(err)
				}
				if err := st.SetJoinCode(tc.inStore); err != nil {
					t.Fatal(err)
				}
				st.Close()
			}
			if err := os.WriteFile(filepath.Join(dir, JoinCodeFile), []byte(tc.inFile), 0o600); err != nil {
				t.Fatal(err)
			}
			st, err := Open(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got, ok := st.JoinCode(); !ok || got != tc.want {
				t.Errorf("JoinCode() = %q, %v; want %q", got, ok, tc.want)
			}
			st.Close()
			if _, err := os.Stat(filepath.Join(dir, JoinCodeFile)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s still there after open (%v); want it removed", JoinCodeFile, err)
			}
			st, err = Open(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if got, ok := st.JoinCode(); !ok || got != tc.want {
				t.Errorf("JoinCode() after reopen = %q, %v; want %q", got, ok, tc.want)
			}
		})
	}
}

// TestJoinCodeFileEmptyKept: an empty join-code.txt is not migrated (there is
// nothing to keep) and stays for a person to look at; the store opens.
func TestJoinCodeFileEmptyKept(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, JoinCodeFile), []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open with an empty %s = %v; want the store open", JoinCodeFile, err)
	}
	defer st.Close()
	if got, ok := st.JoinCode(); ok {
		t.Errorf("JoinCode() = %q; want none", got)
	}
	if _, err := os.Stat(filepath.Join(dir, JoinCodeFile)); err != nil {
		t.Errorf("the empty file is gone (%v); want it kept", err)
	}
}

// TestPublishSyncProgress: progress reaches subscribers with its payload, and
// publishing never blocks, even to a subscriber that reads nothing.
func TestPublishSyncProgress(t *testing.T) {
	st, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	events, unsubscribe := st.Subscribe()
	defer unsubscribe()
	_, stuck := st.Subscribe() // never read
	_ = stuck
	dev := ledger.DeviceOf(st.PrivateKey())
	for i := range subscriberBuffer + 10 {
		st.PublishSyncProgress(SyncProgress{Device: dev, Expected: 100, Applied: i})
	}
	ev := <-events
	if ev.Kind != EventSyncProgress || ev.Sync == nil || ev.Sync.Device != dev || ev.Sync.Expected != 100 || ev.ID != dev.String() {
		t.Errorf("first event %+v (%+v); want sync progress of %s", ev, ev.Sync, dev)
	}
}
