package store

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// Environment of the crash helper process.
const (
	envCrashDir     = "RELIEFMESH_TEST_CRASH_DIR"     // the store's data directory
	envCrashChanges = "RELIEFMESH_TEST_CRASH_CHANGES" // file of length-prefixed encoded changes
	envCrashRun     = "RELIEFMESH_TEST_CRASH_RUN"     // changes per ApplyRemote call
	envCrashLean    = "RELIEFMESH_TEST_CRASH_LEAN"    // "1": open the store lean (a hub's), in memtables of 24 KiB
)

// crashLeanOptions are the lean store's options of TestCrashSafetyLean:
// memtables of 24 KiB fill many level-0 tables, which a lean store's Badger
// keeps uncompacted up to leanL0Tables.
func crashLeanOptions() Options {
	return Options{Lean: true, TuneBadger: func(o badger.Options) badger.Options { return o.WithMemTableSize(24 << 10) }}
}

// TestHelperProcess is the crash helper: run by TestCrashSafety as a subprocess,
// it applies the changes of a file in runs, printing the feed's seq after each.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv(envCrashDir)
	if dir == "" {
		t.Skip("helper process for TestCrashSafety")
	}
	fail := func(err error) {
		fmt.Println("error", err)
		os.Exit(2)
	}
	changes, err := readChanges(os.Getenv(envCrashChanges))
	if err != nil {
		fail(err)
	}
	runLen, _ := strconv.Atoi(os.Getenv(envCrashRun))
	opts := Options{}
	if os.Getenv(envCrashLean) == "1" {
		opts = crashLeanOptions()
	}
	s, err := Open(dir, opts)
	if err != nil {
		fail(err)
	}
	author := changes[0].Device
	fmt.Println("seq", s.VersionVector().Get(author))
	for i := 0; i < len(changes); i += runLen {
		run := changes[i:min(i+runLen, len(changes))]
		if _, err := s.ApplyRemote(run); err != nil {
			fail(err)
		}
		fmt.Println("seq", s.VersionVector().Get(author))
	}
	s.Close()
	fmt.Println("done")
	os.Exit(0)
}

func writeChanges(t *testing.T, path string, changes []*ledger.Change) {
	t.Helper()
	var buf []byte
	for _, c := range changes {
		b, err := ledger.Encode(c)
		if err != nil {
			t.Fatal(err)
		}
		buf = binary.AppendUvarint(buf, uint64(len(b)))
		buf = append(buf, b...)
	}
	if err := os.WriteFile(path, buf, 0o600); err != nil {
		t.Fatal(err)
	}
}

func readChanges(path string) ([]*ledger.Change, error) {
	buf, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []*ledger.Change
	for len(buf) > 0 {
		n, k := binary.Uvarint(buf)
		if k <= 0 || uint64(len(buf)-k) < n {
			return nil, io.ErrUnexpectedEOF
		}
		c, err := ledger.Decode(buf[k : k+int(n)])
		if err != nil {
			return nil, err
		}
		out = append(out, c)
		buf = buf[k+int(n):]
	}
	return out, nil
}

// crashFeed returns a closed store in a new dir whose network endorses the
// volunteer p, and the total demands p records, each its own change, written
// in a new file for the crash helper (TestHelperProcess).
func crashFeed(t *testing.T, total int) (dir string, p *peer, changes []*ledger.Change, file string) {
	t.Helper()
	dir = t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.CreateNetwork("crash", "coordinator")
	if err != nil {
		t.Fatal(err)
	}
	p = newPeer(t, n.ID, time.Now)
	if err := s.Endorse(p.id, relief.RoleVolunteer, "p"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	changes = make([]*ledger.Change, total)
	for i := range changes {
		changes[i] = p.demand(t, fmt.Sprintf("需求 %d", i))
	}
	file = t.TempDir() + "/changes"
	writeChanges(t, file, changes)
	return dir, p, changes, file
}

// TestCrashSafety kills a process applying runs of changes with SIGKILL at
// several points and checks, after each, that every run is whole or absent,
// that committed runs survived, that the records and indexes match the stored
// feeds, and that the state is stable across reopening; then it completes the
// feed.
func TestCrashSafety(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("needs SIGKILL")
	}
	const (
		total  = 2000
		runLen = 20
	)
	dir, p, changes, file := crashFeed(t, total)

	// Each kill waits for the helper to report at least this seq; the helper
	// starts over each time, skipping what the store already has.
	for _, killAt := range []uint64{runLen, total / 3, 2 * total / 3} {
		t.Run(fmt.Sprintf("kill after seq %d", killAt), func(t *testing.T) {
			reported := runHelperUntil(t, dir, file, runLen, killAt)
			s, err := Open(dir, Options{})
			if err != nil {
				t.Fatalf("Open after kill = %v", err)
			}
			seq := s.VersionVector().Get(p.id)
			if seq%runLen != 0 {
				t.Errorf("seq after kill = %d; want a multiple of the run length %d (runs whole or absent)", seq, runLen)
			}
			if seq < reported {
				t.Errorf("seq after kill = %d; want at least %d, reported committed before the kill", seq, reported)
			}
			if got := len(mustDemands(t, s)); uint64(got) != seq {
				t.Errorf("%d demands after kill; want %d, one per applied change", got, seq)
			}
			checkConsistent(t, s)
			h1, _ := s.StateHash()
			vv1 := s.VersionVector()
			s.Close()
			s, err = Open(dir, Options{})
			if err != nil {
				t.Fatalf("second Open = %v", err)
			}
			if h2, _ := s.StateHash(); h2 != h1 || !s.VersionVector().Equal(vv1) {
				t.Errorf("state after a second reopen = %s %v; want %s %v", h2, s.VersionVector(), h1, vv1)
			}
			s.Close()
			t.Logf("killed at seq %d (reported %d)", seq, reported)
		})
	}

	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.ApplyRemote(changes)
	if err != nil || len(res.Rejected) != 0 || res.Applied+res.Duplicates != total {
		t.Fatalf("ApplyRemote(all) = %+v, %v; want the rest applied", res, err)
	}
	if got := len(mustDemands(t, s)); got != total {
		t.Errorf("%d demands after completing; want %d", got, total)
	}
	checkConsistent(t, s)
}

// TestCrashSafetyLean: a lean store (a hub's) killed with SIGKILL while it
// ingests, its Badger holding many level-0 tables uncompacted
// (leanL0Tables, memtables of 24 KiB), opens again with a prefix of its
// feed: the runs reported committed kept, at most the one being written
// after them (in the pieces Badger's batch limit cut it into); the store then opened as
// the app's holds one demand per applied change, its records and indexes
// matching its feeds.
func TestCrashSafetyLean(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("needs SIGKILL")
	}
	const (
		total  = 1500
		runLen = 20
	)
	dir, p, _, file := crashFeed(t, total)
	t.Setenv(envCrashLean, "1")
	for _, killAt := range []uint64{total / 3, 2 * total / 3} {
		reported := runHelperUntil(t, dir, file, runLen, killAt)
		lean, err := Open(dir, crashLeanOptions())
		if err != nil {
			t.Fatalf("lean Open after kill at %d = %v", killAt, err)
		}
		seq, l0 := lean.VersionVector().Get(p.id), levelZeroTables(lean)
		if err := lean.Close(); err != nil {
			t.Fatalf("lean Close after kill at %d = %v", killAt, err)
		}
		// A run is split into transactions Badger can take (ErrTxnTooBig:
		// memtables of 24 KiB take about 3.6 KiB a batch), so the kill may
		// fall between two pieces of a run: what is stored is then a prefix
		// of the feed, at least what was reported and less than one run more.
		if seq < reported || seq > reported+runLen {
			t.Errorf("seq after kill = %d; want between %d, reported committed before the kill, and %d, one run more", seq, reported, reported+runLen)
		}
		full, err := Open(dir, Options{})
		if err != nil {
			t.Fatalf("Open as the app's after kill at %d = %v", killAt, err)
		}
		if got := len(mustDemands(t, full)); uint64(got) != seq {
			t.Errorf("%d demands after kill; want %d, one per applied change", got, seq)
		}
		checkConsistent(t, full)
		full.Close()
		t.Logf("killed at seq %d (reported %d), %d level-0 tables at the lean open", seq, reported, l0)
	}
}

// runHelperUntil starts the helper on dir and kills it with SIGKILL once it has
// reported a seq of at least killAt. It returns the last seq reported.
func runHelperUntil(t *testing.T, dir, file string, runLen int, killAt uint64) uint64 {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), envCrashDir+"="+dir, envCrashChanges+"="+file, envCrashRun+"="+strconv.Itoa(runLen))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	deadline := time.After(2 * time.Minute)
	var seq uint64
	for {
		select {
		case line, ok := <-lines:
			if !ok || line == "done" || strings.HasPrefix(line, "error") {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("helper ended before the kill at seq %d: %q (last seq %d)", killAt, line, seq)
			}
			if v, ok := strings.CutPrefix(line, "seq "); ok {
				seq, _ = strconv.ParseUint(v, 10, 64)
			}
			if seq < killAt {
				continue
			}
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			for line := range lines { // what was printed before the kill was committed
				if v, ok := strings.CutPrefix(line, "seq "); ok {
					n, _ := strconv.ParseUint(v, 10, 64)
					seq = max(seq, n)
				}
			}
			cmd.Wait()
			return seq
		case <-deadline:
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("helper reported seq %d after 2 minutes; want %d", seq, killAt)
		}
	}
}

func mustDemands(t *testing.T, s *Store) []relief.Demand {
	t.Helper()
	ds, err := s.Demands(DemandQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}
