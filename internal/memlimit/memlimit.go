// Package memlimit sets the Go runtime's memory limit and garbage collection
// target from the machine's memory and the process's role, before a store is
// opened.
//
// A hub serving from a lean store (HubLean) gets a limit near its small
// live heap instead.
//
// A hub ingests whole incidents (a million changes is one busy incident) and
// runs alone on its machine: it lets its heap grow further between
// collections (GOGC 300), which cut the collector's CPU while ingesting
// 100,000 changes by a fifth (BENCHMARKS.md). A desktop keeps Go's default
// target (GOGC 100). Both get a memory limit of three quarters of the
// machine's memory (runtime/debug.SetMemoryLimit): a backstop against
// running out of memory, not a target. A limit close to the live heap makes
// the collector run without pause: with a limit of a third of 24 GiB, a hub
// reopening a million changes (≈ 8 GiB live) spent 59 % of its CPU in the
// collector. The limit is soft: a heap that truly needs more still gets it.
//
// GOGC and GOMEMLIMIT in the environment win over both: a person who set
// them knows their machine.
package memlimit

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
)

// Role is what the process is for.
type Role int

const (
	// Desktop is the app on a volunteer's laptop.
	Desktop Role = iota
	// Hub is the headless regional hub (cmd/reliefmesh-hub).
	Hub
	// HubLean is a hub serving from a lean store (store.Options.Lean)
	// while no request holds its views: its live heap is Badger's
	// memtables and caches and the batches in flight (tens of MiB), so the
	// limit is LeanLimit, near the target of issue 18 (RssAnon < 300 MB
	// while ingesting a million changes), and GOGC stays 300 below it.
	// A request that builds the views (an export, an inbox) switches back
	// to Hub while it runs: with their heap of ≈ 1 GiB per 100,000
	// demands, a limit this low would keep the collector running.
	HubLean
)

// LeanLimit is HubLean's memory limit in bytes (or three quarters of the
// machine's memory when that is less).
const LeanLimit = 256 << 20

// Setting is what Apply decided: the memory limit in bytes and the GC
// percent (GOGC), each -1 when the environment set it and Apply left it.
type Setting struct {
	Limit     int64
	GCPercent int
}

// minLimit is the lowest limit set, in bytes: a small VM still needs room
// for Badger's tables.
const minLimit = 512 << 20

// For returns the setting for role on a machine (or cgroup) of total bytes of
// memory; total 0 (unknown) is taken as 4 GiB. It does not touch the runtime.
func For(role Role, total int64) Setting {
	if total <= 0 {
		total = 4 << 30
	}
	limit := max(total/4*3, minLimit)
	if role == HubLean {
		return Setting{Limit: min(total/4*3, LeanLimit), GCPercent: 300}
	}
	if role == Hub {
		return Setting{Limit: limit, GCPercent: 300}
	}
	return Setting{Limit: limit, GCPercent: 100}
}

// Apply sets the runtime's memory limit and GC percent for role from this
// machine's memory (the smaller of /proc/meminfo's MemTotal and a cgroup v2
// memory.max), except what GOMEMLIMIT or GOGC already set, and returns what
// it set.
func Apply(role Role) Setting {
	return set(For(role, Total()))
}

// set applies s to the runtime, except what GOMEMLIMIT or GOGC already
// set (their fields set to -1 in what it returns).
func set(s Setting) Setting {
	if os.Getenv("GOMEMLIMIT") != "" {
		s.Limit = -1
	} else {
		debug.SetMemoryLimit(s.Limit)
	}
	if os.Getenv("GOGC") != "" {
		s.GCPercent = -1
	} else {
		debug.SetGCPercent(s.GCPercent)
	}
	return s
}

// Total returns the memory this process may use, in bytes: MemTotal of
// /proc/meminfo, or the cgroup v2 limit (/sys/fs/cgroup/memory.max) when it
// is lower; 0 when neither can be read (not Linux).
func Total() int64 {
	total := memTotal("/proc/meminfo")
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if v, err := strconv.ParseInt(string(bytes.TrimSpace(b)), 10, 64); err == nil && v > 0 && (total == 0 || v < total) {
			total = v // "max" (no limit) does not parse
		}
	}
	return total
}

// memTotal reads MemTotal (in kB) from a meminfo file, in bytes; 0 if absent.
func memTotal(path string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// LiveHeadroom is the room a desktop's limit leaves above its live heap
// (ForLive), in bytes: what a screen's answer, a catch-up batch or an
// import allocates between two collections without the collector running
// without pause.
const LiveHeadroom = 192 << 20

// ForLive returns the desktop's setting once its store is open and its
// views built: a memory limit of the live heap (bytes in use after a
// collection) times 1.5 plus LiveHeadroom, within [512 MiB, three quarters
// of total], with GOGC 100 below it. Go's default target lets the heap grow
// to twice the live heap between collections; an idle app at 100,000
// demands (≈ 480 MiB live) then keeps ≈ 900 MiB of spans. The limit is soft:
// a heap that needs more (a large import) gets it, and the collector then
// runs often, bounded by the runtime to about half of the CPU. total 0
// (unknown) is taken as 4 GiB; a role other than Desktop gets For(role).
func ForLive(role Role, total, live int64) Setting {
	s := For(role, total)
	if role != Desktop || live <= 0 {
		return s
	}
	s.Limit = min(max(live+live/2+LiveHeadroom, minLimit), s.Limit)
	return s
}

// ApplyLive sets ForLive(role, Total(), live heap now) after a collection,
// except what GOMEMLIMIT or GOGC already set, and returns what it set and the
// live heap it measured, in bytes. Call it once the store is open and its
// views are built (and again after the live heap changed much): the
// collection it runs costs about a GC cycle of the live heap.
func ApplyLive(role Role) (Setting, int64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	live := int64(ms.HeapAlloc)
	return set(ForLive(role, Total(), live)), live
}
