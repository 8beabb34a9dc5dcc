package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// copyDir copies the regular files of src (recursively) to dst: a crash
// image when src belongs to an open store, since Badger's writes are in the
// page cache (what a power cut keeps at best).
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatalf("copy %s to %s: %v", src, dst, err)
	}
}

// TestLostTailDoesNotFork: a device whose newest own changes were lost (it
// restarts from a crash image taken before them) waits for them from a peer
// before writing, then continues after them: the peer sees no fork and loses
// nothing.
func TestLostTailDoesNotFork(t *testing.T) {
	clk := newClock()
	adir := t.TempDir()
	a, err := Open(adir, Options{Clock: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	n, err := a.CreateNetwork("net", "A")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.RecordDemand(sampleDemand("kept")); err != nil {
		t.Fatal(err)
	}
	image := filepath.Join(t.TempDir(), "image")
	copyDir(t, adir, image) // the disk as a power cut would leave it, before the next writes
	kept := a.VersionVector().Get(a.Device())
	for _, title := range []string{"lost 1", "lost 2"} {
		clk.advance(time.Second)
		if _, err := a.RecordDemand(sampleDemand(title)); err != nil {
			t.Fatal(err)
		}
	}
	head := a.VersionVector().Get(a.Device())
	b := openStore(t, t.TempDir(), clk)
	if err := b.JoinNetwork(n.ID); err != nil {
		t.Fatal(err)
	}
	if res, err := b.ApplyRemote(all(t, a)); err != nil || res.Applied != int(head) {
		t.Fatalf("B.ApplyRemote(A) = %+v, %v; want %d applied", res, err, head)
	}
	a.Close()

	a2 := openStore(t, image, clk)
	if got := a2.VersionVector().Get(a2.Device()); got != kept {
		t.Fatalf("the image holds A's feed up to %d; want %d (the test must lose the tail)", got, kept)
	}
	if a2.Recovering() != RecoverUncleanStop {
		t.Fatalf("Recovering() = %q after an unclean stop; want %q", a2.Recovering(), RecoverUncleanStop)
	}
	clk.advance(time.Second)
	_, err = a2.RecordDemand(sampleDemand("too early"))
	var rerr *RecoveringError
	if !errors.As(err, &rerr) || !errors.Is(err, ErrRecovering) || rerr.Head != kept {
		t.Fatalf("RecordDemand while recovering = %v; want a *RecoveringError at head %d", err, kept)
	}
	if a2.ConfirmOwnHead(b.VersionVector()) {
		t.Fatalf("ConfirmOwnHead(B's vector, which holds A up to %d) = true while A holds %d", head, kept)
	}
	// The peer gives A its own changes back; the catch-up that did so confirms.
	if res, err := a2.ApplyRemote(all(t, b)); err != nil || res.Applied != int(head-kept) {
		t.Fatalf("A.ApplyRemote(B) = %+v, %v; want %d applied", res, err, head-kept)
	}
	if !a2.ConfirmOwnHead(b.VersionVector()) || a2.Recovering() != "" {
		t.Fatalf("ConfirmOwnHead after the catch-up: still recovering (%q)", a2.Recovering())
	}
	if _, err := a2.RecordDemand(sampleDemand("after recovery")); err != nil {
		t.Fatalf("RecordDemand after recovery = %v", err)
	}
	if got := a2.VersionVector().Get(a2.Device()); got != head+1 {
		t.Fatalf("A's feed after the new write is at %d; want %d (continuing after the recovered head)", got, head+1)
	}
	res, err := b.ApplyRemote(all(t, a2))
	if err != nil || res.Applied != 1 || len(res.Rejected) != 0 {
		t.Fatalf("B.ApplyRemote(A after recovery) = %+v, %v; want 1 applied, none refused", res, err)
	}
	if f := b.Forks(); len(f) != 0 {
		t.Fatalf("B flags forks %v; want none", f)
	}
	for _, s := range []*Store{a2, b} {
		if got := s.DemandCounts(); total(got) != 4 {
			t.Errorf("demands = %v; want 4 (kept, lost 1, lost 2, after recovery)", got)
		}
	}
}

func total[K comparable](m map[K]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// TestRecoveryOutlivesRestart: a clean close does not end the recovery, a
// clean stop never starts one, and EndRecovery ends it by hand.
func TestRecoveryOutlivesRestart(t *testing.T) {
	clk := newClock()
	dir := t.TempDir()
	a, err := Open(dir, Options{Clock: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateNetwork("net", "A"); err != nil {
		t.Fatal(err)
	}
	image := filepath.Join(t.TempDir(), "image")
	copyDir(t, dir, image)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	a, err = Open(dir, Options{Clock: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	if r := a.Recovering(); r != "" {
		t.Fatalf("Recovering() = %q after a clean close; want none", r)
	}
	a.Close()

	for range 2 { // the recovery survives a clean close
		b, err := Open(image, Options{Clock: clk.now})
		if err != nil {
			t.Fatal(err)
		}
		if r := b.Recovering(); r != RecoverUncleanStop {
			t.Fatalf("Recovering() = %q; want %q", r, RecoverUncleanStop)
		}
		b.Close()
	}
	b := openStore(t, image, clk)
	b.EndRecovery()
	if _, err := b.RecordDemand(sampleDemand("by hand")); err != nil {
		t.Fatalf("RecordDemand after EndRecovery = %v", err)
	}
}

// BenchmarkRecordDemand measures a local write with its change synced to
// disk (the default) and without (the store's durability off, as before).
func BenchmarkRecordDemand(b *testing.B) {
	for _, synced := range []bool{true, false} {
		b.Run(map[bool]string{true: "synced", false: "unsynced"}[synced], func(b *testing.B) {
			clk := newClock()
			s, err := Open(b.TempDir(), Options{Clock: clk.now, ValueLogGCInterval: -1})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if _, err := s.CreateNetwork("net", "A"); err != nil {
				b.Fatal(err)
			}
			s.durable = synced
			d := sampleDemand("bench")
			b.ResetTimer()
			for b.Loop() {
				clk.advance(time.Millisecond)
				if _, err := s.RecordDemand(d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestKilledReaderDoesNotWait: a session that only reads (the hub's status,
// inbox or export; a store that only receives) and is killed lost nothing of
// its own feed, so the next Open writes at once. Its running marker used to be
// written at Open: a Ctrl-C of `inbox` made the next import wait for a peer.
// A session that made a change of its own and was killed still waits.
func TestKilledReaderDoesNotWait(t *testing.T) {
	clk := newClock()
	dir := t.TempDir()
	s := openStore(t, dir, clk)
	if _, err := s.CreateNetwork("net", "A"); err != nil {
		t.Fatal(err)
	}
	s.Close()

	reader := openStore(t, dir, clk)
	if _, err := reader.Demands(DemandQuery{}); err != nil {
		t.Fatal(err)
	}
	image := filepath.Join(t.TempDir(), "image")
	copyDir(t, dir, image) // killed while open, having written nothing of its own
	reader.Close()
	again := openStore(t, image, clk)
	if r := again.Recovering(); r != "" {
		t.Fatalf("Recovering() = %q after a reader was killed; want \"\" (it lost nothing)", r)
	}
	if _, err := again.RecordDemand(sampleDemand("at once")); err != nil {
		t.Fatalf("RecordDemand after a killed reader = %v; want it written", err)
	}
	image2 := filepath.Join(t.TempDir(), "image2")
	copyDir(t, image, image2) // killed after a change of its own
	again.Close()
	writer := openStore(t, image2, clk)
	if r := writer.Recovering(); r != RecoverUncleanStop {
		t.Fatalf("Recovering() = %q after a writer was killed; want %q", r, RecoverUncleanStop)
	}
}

// TestBundleDoesNotEndARestoredWait: after its store was moved aside (or
// restored), a device cannot tell how far its own feed went, and a bundle may
// be older than its last changes: a tester's stale bundle ended the wait and
// the device's next change forked its feed. A bundle ends only the wait after
// an unclean stop (own changes are synced before they leave, so what a
// bundle lacks never left); a restored device waits for a peer's catch-up
// round or a person's decision.
func TestBundleDoesNotEndARestoredWait(t *testing.T) {
	for _, tc := range []struct {
		reason string
		ends   bool
	}{{RecoverUncleanStop, true}, {RecoverRestored, false}} {
		clk := newClock()
		s := openStore(t, t.TempDir(), clk)
		if _, err := s.CreateNetwork("net", "A"); err != nil {
			t.Fatal(err)
		}
		s.mu.Lock()
		s.startRecovery(tc.reason)
		s.mu.Unlock()
		stale := ledger.VersionVector{} // an old bundle: none of this device's feed
		if got := s.ConfirmOwnHeadByBundle(stale); got != tc.ends || (s.Recovering() == "") != tc.ends {
			t.Errorf("%s: ConfirmOwnHeadByBundle(stale) = %v, recovering %q; want %v", tc.reason, got, s.Recovering(), tc.ends)
		}
		if !s.ConfirmOwnHead(stale) || s.Recovering() != "" {
			t.Errorf("%s: a peer's completed round did not end the wait (recovering %q)", tc.reason, s.Recovering())
		}
	}
}
