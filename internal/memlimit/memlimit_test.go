package memlimit

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

func TestFor(t *testing.T) {
	const gib = int64(1) << 30
	tests := []struct {
		name  string
		role  Role
		total int64
		want  Setting
	}{
		{"hub on 24 GiB", Hub, 24 * gib, Setting{Limit: 18 * gib, GCPercent: 300}},
		{"hub on 512 MiB", Hub, gib / 2, Setting{Limit: minLimit, GCPercent: 300}},
		{"desktop on 4 GiB", Desktop, 4 * gib, Setting{Limit: 3 * gib, GCPercent: 100}},
		{"desktop on 24 GiB", Desktop, 24 * gib, Setting{Limit: 18 * gib, GCPercent: 100}},
		{"unknown memory", Hub, 0, Setting{Limit: 3 * gib, GCPercent: 300}},
		{"lean hub on 24 GiB", HubLean, 24 * gib, Setting{Limit: LeanLimit, GCPercent: 300}},
		{"lean hub on 256 MiB", HubLean, gib / 4, Setting{Limit: gib / 16 * 3, GCPercent: 300}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := For(tt.role, tt.total); got != tt.want {
				t.Errorf("For(%v, %d) = %+v; want %+v", tt.role, tt.total, got, tt.want)
			}
		})
	}
}

func TestMemTotal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "meminfo")
	if err := os.WriteFile(path, []byte("MemFree:  1000 kB\nMemTotal:       24681200 kB\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, want := memTotal(path), int64(24681200)<<10; got != want {
		t.Errorf("memTotal = %d; want %d", got, want)
	}
	if got := memTotal(filepath.Join(t.TempDir(), "missing")); got != 0 {
		t.Errorf("memTotal(missing) = %d; want 0", got)
	}
}

func TestApplyLeavesTheEnvironment(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	t.Setenv("GOGC", "50")
	t.Setenv("GOMEMLIMIT", "")
	s := Apply(Hub)
	if s.GCPercent != -1 {
		t.Errorf("Apply with GOGC set: GCPercent = %d; want -1 (left as set)", s.GCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != s.Limit || s.Limit < minLimit {
		t.Errorf("Apply: runtime limit %d, reported %d; want equal and ≥ %d", got, s.Limit, minLimit)
	}
}

func TestForLive(t *testing.T) {
	const mib = int64(1) << 20
	const gib = int64(1) << 30
	tests := []struct {
		name        string
		role        Role
		total, live int64
		want        Setting
	}{
		{"desktop, 480 MiB live on 24 GiB", Desktop, 24 * gib, 480 * mib, Setting{Limit: 720*mib + LiveHeadroom, GCPercent: 100}},
		{"desktop, small heap: the floor", Desktop, 24 * gib, 50 * mib, Setting{Limit: minLimit, GCPercent: 100}},
		{"desktop, heap near the machine: three quarters", Desktop, 4 * gib, 3 * gib, Setting{Limit: 3 * gib, GCPercent: 100}},
		{"desktop, live unknown", Desktop, 4 * gib, 0, Setting{Limit: 3 * gib, GCPercent: 100}},
		{"hub keeps its setting", Hub, 24 * gib, 480 * mib, Setting{Limit: 18 * gib, GCPercent: 300}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ForLive(tt.role, tt.total, tt.live); got != tt.want {
				t.Errorf("ForLive(%v, %d, %d) = %+v; want %+v", tt.role, tt.total, tt.live, got, tt.want)
			}
		})
	}
}
