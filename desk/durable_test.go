package desk

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestImportDiskFull: an import on a disk with less free space than the
// store keeps is refused with CodeDiskFull saying what is free, what is
// needed and where; nothing is written, and Storage says the disk is full.
func TestImportDiskFull(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateNetwork("Flood", "甲"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	free, err := store.FreeSpace(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err = store.Open(dir, store.Options{MinFree: int64(free) + 1<<30})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	dk := New(st)
	seq := st.VersionVector()[st.Device()]
	_, err = dk.Import(context.Background(), []importer.Record{{Kind: relief.KindDemand, File: "a.csv", Row: 2, Source: "s:1",
		Org: "武汉市第一医院", Category: "medical", Items: []relief.Item{{Name: "N95口罩"}}}}, nil)
	var de *Error
	if !errors.As(AsError(err), &de) || de.Code != CodeDiskFull || de.Args["dir"] != dir || de.Args["free"] == "" || de.Args["need"] == "" {
		t.Fatalf("Import on a short disk = %v; want %s with dir, free and need", err, CodeDiskFull)
	}
	if got := st.VersionVector()[st.Device()]; got != seq {
		t.Errorf("feed at %d after a refused import; want %d", got, seq)
	}
	if s := dk.Storage(); !s.DiskFull || s.Dir != dir {
		t.Errorf("Storage() = %+v; want the disk full in %s", s, dir)
	}
}

// TestRecoveringIsACode: a write refused while the device waits for its own
// feed is CodeRecovering with the head it holds.
func TestRecoveringIsACode(t *testing.T) {
	err := AsError(&store.RecoveringError{Reason: store.RecoverUncleanStop, Head: 7})
	var de *Error
	if !errors.As(err, &de) || de.Code != CodeRecovering || de.Args["head"] != "7" {
		t.Fatalf("AsError(RecoveringError) = %v; want %s with head 7", err, CodeRecovering)
	}
}

// TestBundleGivesOwnFeedBack: a device restarted from a crash image that
// lacks its newest own changes waits; a bundle from a device that holds them
// ends the wait, and the next change continues after them.
func TestBundleGivesOwnFeedBack(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateNetwork("Flood", "甲"); err != nil {
		t.Fatal(err)
	}
	image := filepath.Join(t.TempDir(), "image")
	if err := os.CopyFS(image, os.DirFS(dir)); err != nil { // the disk as a power cut leaves it
		t.Fatal(err)
	}
	dk := New(st)
	for _, title := range []string{"lost 1", "lost 2"} {
		if _, err := st.RecordDemand(relief.Demand{Title: title, Category: "other"}); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := dk.ExportBundle(&buf, nil); err != nil {
		t.Fatal(err)
	}
	head := st.VersionVector()[st.Device()] // the export may publish this device's key first
	st.Close()

	st2, err := store.Open(image, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	dk2 := New(st2)
	if dk2.Storage().Recovering == "" || st2.VersionVector()[st2.Device()] >= head {
		t.Fatalf("restarted from the image: recovering %q, own feed at %d; want a wait below %d", dk2.Storage().Recovering, st2.VersionVector()[st2.Device()], head)
	}
	if _, err := dk2.ImportBundle(&buf, nil); err != nil {
		t.Fatalf("ImportBundle = %v", err)
	}
	if r := dk2.Storage().Recovering; r != "" {
		t.Fatalf("after the bundle: still recovering (%s)", r)
	}
	if _, err := st2.RecordDemand(relief.Demand{Title: "after", Category: "other"}); err != nil {
		t.Fatalf("RecordDemand after the bundle = %v", err)
	}
	if got := st2.VersionVector()[st2.Device()]; got != head+1 {
		t.Errorf("own feed at %d after the new change; want %d", got, head+1)
	}
}
