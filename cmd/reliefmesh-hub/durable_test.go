package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestDamagedStoreAndRecover: `status` on a store whose MANIFEST is gone
// fails with an error that the hub explains in zh-CN and en; `recover` moves
// the store aside keeping the device, which then waits for its own feed
// (status says so) and, with `recover --resume`, writes again.
func TestDamagedStoreAndRecover(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n, _ := st.CreateNetwork("武汉 2020", "甲")
	if _, err := st.RecordDemand(relief.Demand{Title: "N95", Category: "protective_equipment"}); err != nil {
		t.Fatal(err)
	}
	device := st.Device().String()
	st.Close()
	if err := os.Remove(filepath.Join(dir, "db", "MANIFEST")); err != nil {
		t.Fatal(err)
	}

	out, err := run(t, "status", "--data-dir", dir)
	if err == nil {
		t.Fatalf("status of a store without MANIFEST succeeded:\n%s", out)
	}
	how := explain(err)
	if !strings.Contains(err.Error(), "MANIFEST") || !strings.Contains(how, "reliefmesh-hub recover") ||
		!strings.Contains(how, "本机数据已损坏") || !strings.Contains(how, "damaged or missing") {
		t.Fatalf("status error %q, explained %q; want MANIFEST named and recover advised in zh-CN and en", err, how)
	}

	out, err = run(t, "recover", "--data-dir", dir)
	if err != nil || !strings.Contains(out, "db.damaged-") {
		t.Fatalf("recover = %v\n%s; want the damaged store moved aside", err, out)
	}
	id, err := run(t, "id", "--data-dir", dir)
	if err != nil || strings.TrimSpace(id) != device {
		t.Fatalf("id after recover = %q, %v; want the same device %s", id, err, device)
	}
	// Joined again, the device waits for its own feed before writing.
	st, err = store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.JoinNetwork(n.ID); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out, err = run(t, "status", "--data-dir", dir)
	if err != nil || !strings.Contains(out, "waiting for this device's own newest changes") {
		t.Fatalf("status after recover = %v\n%s; want it to say writes wait for the own feed", err, out)
	}
	if out, err := run(t, "recover", "--resume", "--data-dir", dir); err != nil {
		t.Fatalf("recover --resume = %v\n%s", err, out)
	}
	out, err = run(t, "status", "--data-dir", dir)
	if err != nil || strings.Contains(out, "waiting for this device's own newest changes") {
		t.Fatalf("status after recover --resume = %v\n%s; want no wait", err, out)
	}
}

func TestExplainDiskFull(t *testing.T) {
	err := &store.DiskFullError{Dir: "/data", Free: 1 << 20, Need: 192 << 20}
	if how := explain(err); !strings.Contains(how, "磁盘空间不足") || !strings.Contains(how, "short of space") {
		t.Errorf("explain(%v) = %q; want zh-CN and en advice", err, how)
	}
	if how := explain(os.ErrNotExist); how != "" {
		t.Errorf("explain(ErrNotExist) = %q; want nothing", how)
	}
}
