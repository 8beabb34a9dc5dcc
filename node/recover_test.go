package node

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// copyDir copies the files of src (recursively) to dst: the disk of an open
// store as a power cut would leave it.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatalf("copy %s to %s: %v", src, dst, err)
	}
}

// TestLostTailRecoveredFromPeer: a coordinator loses its newest own changes
// (it restarts from a crash image taken before them) next to a peer that has
// them, over real libp2p on loopback. It refuses to write until the catch-up
// with the peer gave its own feed back, then continues after it: the peer
// sees no fork and nothing is lost.
func TestLostTailRecoveredFromPeer(t *testing.T) {
	adir := t.TempDir()
	a, err := store.Open(adir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateNetwork("Flood", "甲"); err != nil {
		t.Fatal(err)
	}
	na, err := Start(t.Context(), a, LoopbackConfig())
	if err != nil {
		t.Fatal(err)
	}
	b := openStore(t, t.TempDir())
	if err := desk.New(b).Join(na.JoinCode()); err != nil {
		t.Fatal(err)
	}
	if err := a.Endorse(b.Device(), relief.RoleVolunteer, "乙"); err != nil {
		t.Fatal(err)
	}
	nb := start(t, b)
	record := func(st *store.Store, title string) error {
		_, err := st.RecordDemand(relief.Demand{Title: title, Category: "other"})
		return err
	}
	if err := record(a, "kept"); err != nil {
		t.Fatal(err)
	}
	image := filepath.Join(t.TempDir(), "image")
	copyDir(t, adir, image)
	kept := a.VersionVector().Get(a.Device())
	for i := range 3 {
		if err := record(a, fmt.Sprintf("lost %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	head := a.VersionVector().Get(a.Device())
	poll(t, "B holds A's newest changes", func() error {
		if got := b.VersionVector().Get(a.Device()); got != head {
			return fmt.Errorf("B holds A up to %d; want %d", got, head)
		}
		return nil
	})
	na.Close()
	a.Close()

	a2 := openStore(t, image)
	if got := a2.VersionVector().Get(a2.Device()); got != kept || a2.Recovering() == "" {
		t.Fatalf("restarted A: own feed at %d (want %d, the tail lost), recovering %q (want a reason)", got, kept, a2.Recovering())
	}
	if err := record(a2, "too early"); !errors.Is(err, store.ErrRecovering) {
		t.Fatalf("RecordDemand before the peer answered = %v; want ErrRecovering", err)
	}
	cfg := LoopbackConfig()
	cfg.Peers = nb.Addrs()
	na2, err := Start(t.Context(), a2, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { na2.Close() })
	poll(t, "A recovered its own feed from B", func() error {
		if r := a2.Recovering(); r != "" {
			return fmt.Errorf("still recovering (%s), own feed at %d", r, a2.VersionVector().Get(a2.Device()))
		}
		return nil
	})
	if got := a2.VersionVector().Get(a2.Device()); got != head {
		t.Fatalf("A's own feed after recovery at %d; want %d", got, head)
	}
	if err := record(a2, "after recovery"); err != nil {
		t.Fatalf("RecordDemand after recovery = %v", err)
	}
	poll(t, "B holds A's new change", func() error {
		if got := b.VersionVector().Get(a2.Device()); got != head+1 {
			return fmt.Errorf("B holds A up to %d; want %d", got, head+1)
		}
		return nil
	})
	if f := b.Forks(); len(f) != 0 {
		t.Fatalf("B flags forks %v; want none", f)
	}
	if da, db := demandCount(a2), demandCount(b); da != 5 || db != 5 {
		t.Fatalf("demands: A %d, B %d; want 5 each (kept, 3 lost and recovered, 1 new)", da, db)
	}
}
