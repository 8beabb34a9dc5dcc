package store

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// lowCatchUpMin makes every catch-up announced with at least one change
// apply in bulk (catchup.go).
func lowCatchUpMin() (restore func()) {
	old := catchUpMin
	catchUpMin = 1
	return func() { catchUpMin = old }
}

// TestCatchUpInBulkAnswersAsChangeByChange is the property test of the
// large catch-up (catchup.go): two stores fed the same random work of three
// peers in the same batches — one change by change, the other inside
// BeginCatchUp … end, empty or already holding an earlier round — answer
// every query alike after the end (the demand list, its pages and search,
// counts, inboxes, overdue, leaderboard, duplicates, tasks, standings,
// volunteers, offers), hold the same records, and the bulk one's views
// match a brute-force fold. While the bulk runs, ViewsBuilding is true.
// On an empty store, the end returns once the demand list is built (it
// then answers as the other store's) and builds the other views after it
// on its own goroutine (held here, to see ViewsBuilding still true and the
// list answering); GOMAXPROCS is drawn, so the builds run on one core or
// spread over several.
func TestCatchUpInBulkAnswersAsChangeByChange(t *testing.T) {
	defer defaultChecks(30, 8)()
	defer lowCatchUpMin()()
	defer func() { catchUpLaterHook = nil }()
	var quick, whole, later int
	rapid.Check(t, func(rt *rapid.T) {
		procs := rapid.SampledFrom([]int{1, 2, 4}).Draw(rt, "GOMAXPROCS")
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		oldGrams := gramsParallel
		gramsParallel = rapid.SampledFrom([]int{0, 4096}).Draw(rt, "gramsParallel") // the list's postings on their own goroutine
		defer func() { gramsParallel = oldGrams }()
		tr := newTrio(rt, t.TempDir)
		defer tr.close()
		net, _ := tr.stores[0].Network()
		keys := []ledger.DeviceID{tr.stores[0].Device(), tr.stores[1].Device(), tr.stores[2].Device()}
		open := func() *Store {
			s, err := Open(t.TempDir(), Options{Clock: tr.clk.now})
			if err != nil {
				rt.Fatalf("Open = %v", err)
			}
			if err := s.JoinNetwork(net.ID); err != nil {
				rt.Fatalf("JoinNetwork = %v", err)
			}
			return s
		}
		bulk, plain := open(), open()
		defer bulk.Close()
		defer plain.Close()
		// the catch-up's other views are held unbuilt until free (also when
		// the case fails: the stores' Close waits for them)
		entered, release := make(chan struct{}, 1), make(chan struct{})
		catchUpLaterHook = func() { entered <- struct{}{}; <-release }
		free := sync.OnceFunc(func() { close(release) })
		defer free()
		if rapid.Bool().Draw(rt, "far-behind") { // not empty: an earlier round, change by change
			randomWork(rt, tr, rapid.IntRange(1, 15).Draw(rt, "before"), "b")
			feedBoth(rt, tr, bulk, plain)
		}
		randomWork(rt, tr, rapid.IntRange(1, 30).Draw(rt, "steps"), "w")
		gcBefore := gcPercent()
		end := bulk.BeginCatchUp(1 << 20)
		if !bulk.ViewsBuilding() {
			rt.Fatalf("ViewsBuilding = false in a large catch-up")
		}
		feedBothShuffled(rt, tr, bulk, plain)
		if !bulk.ViewsBuilding() {
			rt.Fatalf("ViewsBuilding = false in a large catch-up, after its changes")
		}
		bulk.mu.Lock()
		dirty := bulk.settle.bulk.dirty
		bulk.mu.Unlock()
		if dirty {
			whole++
		} else {
			quick++
		}
		if err := end(); err != nil {
			rt.Fatalf("end of the catch-up = %v", err)
		}
		now := tr.clk.now()
		if bulk.ViewsBuilding() { // the other views after the list
			<-entered
			later++
			if got, want := listAnswers(rt, bulk, now), listAnswers(rt, plain, now); got != want {
				rt.Fatalf("demand list at the end of a catch-up in bulk, its other views being built:\n%s\nwant (change by change)\n%s", got, want)
			}
			if !bulk.ViewsBuilding() {
				rt.Fatalf("ViewsBuilding = false while the catch-up's other views are held unbuilt")
			}
			free()
			<-bulk.ViewsBuilt()
		}
		if bulk.ViewsBuilding() {
			rt.Fatalf("ViewsBuilding = true after the catch-up's views were built")
		}
		if p := gcPercent(); p != gcBefore {
			rt.Fatalf("GC percent after the catch-up's views were built = %d; want the %d it found", p, gcBefore)
		}
		sameStores(rt, 0, bulk, plain)
		if got, want := snapAnswers(rt, bulk, keys, now), snapAnswers(rt, plain, keys, now); got != want {
			rt.Fatalf("after a catch-up in bulk:\n%s\nwant (change by change)\n%s", got, want)
		}
		if got, want := jsonOf(rt, mustVolunteers(rt, bulk)), jsonOf(rt, mustVolunteers(rt, plain)); got != want {
			rt.Fatalf("volunteers after a catch-up in bulk:\n%s\nwant\n%s", got, want)
		}
		if got, want := jsonOf(rt, mustOffers(rt, bulk)), jsonOf(rt, mustOffers(rt, plain)); got != want {
			rt.Fatalf("offers after a catch-up in bulk:\n%s\nwant\n%s", got, want)
		}
		checkViews(rt, bulk, now, nil)
		// and the next changes, change by change again, keep them alike
		randomWork(rt, tr, rapid.IntRange(0, 10).Draw(rt, "after"), "a")
		feedBoth(rt, tr, bulk, plain)
		if got, want := snapAnswers(rt, bulk, keys, now), snapAnswers(rt, plain, keys, now); got != want {
			rt.Fatalf("after a catch-up in bulk and more changes:\n%s\nwant (change by change)\n%s", got, want)
		}
	})
	t.Logf("catch-ups built from their folds: %d (%d with their other views after the list); rebuilt whole (a cut or a check meanwhile): %d", quick, later, whole)
	if quick == 0 {
		t.Fatalf("no catch-up was built from its own folds: the property compared only the whole rebuild")
	}
	if later == 0 {
		t.Fatalf("no catch-up built its other views after its demand list")
	}
}

// listAnswers is what the demand list answers (its pages, orders, search,
// counts): what a large catch-up's end has built when it returns.
func listAnswers(t tb, s *Store, now time.Time) string {
	t.Helper()
	var a struct {
		All     []relief.Demand
		Counts  map[relief.Status]int
		Urgent  []relief.Demand
		ReplyBy []relief.Demand
		Search  []relief.Demand
		Total   int
	}
	var err error
	if a.All, err = s.Demands(DemandQuery{}); err != nil {
		t.Fatalf("Demands = %v", err)
	}
	a.Counts = s.DemandCounts()
	if a.Urgent, a.Total, err = s.DemandsPage(DemandQuery{Sort: SortUrgency, Now: now, Limit: 5}); err != nil {
		t.Fatalf("DemandsPage(urgency) = %v", err)
	}
	if a.ReplyBy, _, err = s.DemandsPage(DemandQuery{Sort: SortReplyBy, Overdue: true, Now: now}); err != nil {
		t.Fatalf("DemandsPage(reply-by) = %v", err)
	}
	if a.Search, err = s.Demands(DemandQuery{Text: "口罩"}); err != nil {
		t.Fatalf("Demands(口罩) = %v", err)
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatalf("json: %v", err)
	}
	return string(b)
}

// feedBothShuffled is feedBoth with the peers' feeds in a drawn order (a
// member's steps may then come before the promotion that allows them, and
// are folded again when it comes), and again for what a first pass refused
// (a member's feed before its endorsement).
func feedBothShuffled(rt *rapid.T, tr *trio, a, b *Store) {
	order := rapid.Permutation([]int{0, 1, 2}).Draw(rt, "feedOrder")
	for range 2 {
		for _, i := range order {
			var out []*ledger.Change
			tr.stores[i].ChangesSince(a.VersionVector(), func(c *ledger.Change) error { out = append(out, c); return nil })
			for len(out) > 0 {
				n := rapid.IntRange(1, len(out)).Draw(rt, "feedBatch")
				for _, s := range []*Store{a, b} {
					if _, err := s.ApplyRemote(out[:n]); err != nil {
						rt.Fatalf("ApplyRemote = %v", err)
					}
				}
				out = out[n:]
			}
		}
	}
}

// TestCatchUpWriteWaitsAndLands: a write made on a store while a large
// catch-up applies waits for the views to be built, then lands; the views'
// queries wait too, and the demand list answers meanwhile with what it held
// when the catch-up began.
func TestCatchUpWriteWaitsAndLands(t *testing.T) {
	defer lowCatchUpMin()()
	clk := newClock()
	hub := openStore(t, t.TempDir(), clk)
	if _, err := hub.CreateNetwork("演练", ""); err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		if _, err := hub.RecordDemand(sampleDemand("口罩 " + strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	lap := openStore(t, t.TempDir(), clk)
	net, _ := hub.Network()
	if err := lap.JoinNetwork(net.ID); err != nil {
		t.Fatal(err)
	}
	var all []*ledger.Change
	hub.ChangesSince(lap.VersionVector(), func(c *ledger.Change) error { all = append(all, c); return nil })
	end := lap.BeginCatchUp(len(all))
	if _, err := lap.ApplyRemote(all[:len(all)/2]); err != nil {
		t.Fatal(err)
	}
	if got, err := lap.Demands(DemandQuery{}); err != nil || len(got) != 0 {
		t.Fatalf("demand list during the catch-up: %d demands (err %v); want the 0 it held when it began", len(got), err)
	}
	wrote := make(chan error, 1)
	go func() {
		// the laptop is no member: refused, but only after the wait
		_, err := lap.RecordDemand(sampleDemand("等待后写入"))
		wrote <- err
	}()
	inbox := make(chan error, 1)
	go func() {
		_, err := lap.Overdue(clk.now())
		inbox <- err
	}()
	select {
	case err := <-wrote:
		t.Fatalf("a write went through during the catch-up (err %v)", err)
	case err := <-inbox:
		t.Fatalf("a view's query answered during the catch-up (err %v)", err)
	case <-time.After(30 * time.Millisecond):
	}
	if _, err := lap.ApplyRemote(all[len(all)/2:]); err != nil {
		t.Fatalf("the catch-up's own batch after a write began waiting = %v", err)
	}
	if err := end(); err != nil {
		t.Fatal(err)
	}
	if err := <-inbox; err != nil {
		t.Fatalf("Overdue after the catch-up = %v", err)
	}
	werr := <-wrote // refused (no member), after the wait
	if werr == nil {
		t.Fatalf("the laptop, no member, wrote a demand")
	}
	if got := lap.DemandCounts()[relief.StatusCollected]; got != 40 {
		t.Fatalf("after the catch-up the laptop lists %d demands; want 40", got)
	}
	// the hub's own write made during a catch-up of the hub lands too
	end = hub.BeginCatchUp(1 << 20)
	go func() {
		_, err := hub.RecordDemand(sampleDemand("写入落地"))
		wrote <- err
	}()
	select {
	case err := <-wrote:
		t.Fatalf("the hub's write went through during its catch-up (err %v)", err)
	case <-time.After(30 * time.Millisecond):
	}
	if err := end(); err != nil {
		t.Fatal(err)
	}
	if err := <-wrote; err != nil {
		t.Fatalf("the write waiting for the catch-up = %v", err)
	}
	found, err := hub.Demands(DemandQuery{Text: "写入落地"})
	if err != nil || len(found) != 1 {
		t.Fatalf("the write made during the catch-up: %d found (err %v); want 1", len(found), err)
	}
}

// TestCatchUpSnapshotWaits: no views snapshot is taken while a large
// catch-up applies (its list is the one before the catch-up, the records
// are newer): a snapshot then would be opened as the truth after a crash.
func TestCatchUpSnapshotWaits(t *testing.T) {
	defer lowCatchUpMin()()
	defer lowSnapshotMin()()
	clk := newClock()
	hub := openStore(t, t.TempDir(), clk)
	if _, err := hub.CreateNetwork("演练", ""); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if _, err := hub.RecordDemand(sampleDemand("口罩 " + strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	lap := openStore(t, t.TempDir(), clk)
	net, _ := hub.Network()
	if err := lap.JoinNetwork(net.ID); err != nil {
		t.Fatal(err)
	}
	var all []*ledger.Change
	hub.ChangesSince(lap.VersionVector(), func(c *ledger.Change) error { all = append(all, c); return nil })
	// the network's own changes first (the roster settles), then a catch-up
	// of demands only: nothing else keeps a snapshot from being taken
	if _, err := lap.ApplyRemote(all[:5]); err != nil {
		t.Fatal(err)
	}
	end := lap.BeginCatchUp(len(all))
	defer end()
	if _, err := lap.ApplyRemote(all[5:]); err != nil {
		t.Fatal(err)
	}
	lap.mu.Lock()
	settled := lap.snapshotSettled()
	lap.mu.Unlock()
	if settled {
		t.Fatalf("snapshotSettled = true during a large catch-up: a snapshot of the list before it would be keyed with the records after it")
	}
}

// TestCatchUpCrashReopensConsistent: a process killed in the middle of a
// large catch-up (its views never built) leaves a store whose open lists
// every demand it committed, matching a brute-force fold.
func TestCatchUpCrashReopensConsistent(t *testing.T) {
	if os.Getenv("RELIEFMESH_CATCHUP_CRASH") != "" {
		catchUpCrashHelper()
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCatchUpCrashReopensConsistent$")
	cmd.Env = append(os.Environ(), "RELIEFMESH_CATCHUP_CRASH="+dir)
	out, err := cmd.CombinedOutput()
	if err == nil || !fileExists(filepath.Join(dir, "applied")) {
		t.Fatalf("the helper was to be killed mid catch-up: err %v\n%s", err, out)
	}
	s, err := Open(filepath.Join(dir, "lap"), Options{})
	if err != nil {
		t.Fatalf("open after a crash mid catch-up = %v", err)
	}
	defer s.Close()
	<-s.ViewsBuilt()
	n := 0
	for _, k := range s.DemandCounts() {
		n += k
	}
	if want := demandRecords(t, s); n != want || n == 0 {
		t.Fatalf("after a crash mid catch-up the list holds %d demands; Badger %d", n, want)
	}
	list, err := s.Demands(DemandQuery{})
	if err != nil {
		t.Fatal(err)
	}
	full, err := s.FullDemands()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(full) {
		t.Fatalf("list %d demands, brute-force fold %d", len(list), len(full))
	}
}

// catchUpCrashHelper applies half of a hub's changes to a laptop inside a
// large catch-up, writes a marker and kills its own process.
func catchUpCrashHelper() {
	dir := os.Getenv("RELIEFMESH_CATCHUP_CRASH")
	catchUpMin = 1
	clk := newClock()
	hub, err := Open(filepath.Join(dir, "hub"), Options{Clock: clk.now})
	if err != nil {
		panic(err)
	}
	if _, err := hub.CreateNetwork("演练", ""); err != nil {
		panic(err)
	}
	for i := range 300 {
		if _, err := hub.RecordDemand(sampleDemand("口罩 " + strconv.Itoa(i))); err != nil {
			panic(err)
		}
	}
	lap, err := Open(filepath.Join(dir, "lap"), Options{Clock: clk.now})
	if err != nil {
		panic(err)
	}
	net, _ := hub.Network()
	if err := lap.JoinNetwork(net.ID); err != nil {
		panic(err)
	}
	var all []*ledger.Change
	hub.ChangesSince(lap.VersionVector(), func(c *ledger.Change) error { all = append(all, c); return nil })
	lap.BeginCatchUp(len(all))
	for len(all) > 150 {
		if _, err := lap.ApplyRemote(all[:50]); err != nil {
			panic(err)
		}
		all = all[50:]
	}
	if err := os.WriteFile(filepath.Join(dir, "applied"), nil, 0o600); err != nil {
		panic(err)
	}
	p, _ := os.FindProcess(os.Getpid())
	p.Kill()
	select {}
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// demandRecords counts the demand records in s's Badger.
func demandRecords(t *testing.T, s *Store) int {
	n := 0
	err := s.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix = recordPrefix(relief.KindDemand)
		opts.PrefetchValues = false
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// gcPercent reads the process's GC percent (runtime/debug.SetGCPercent has
// no getter: it sets and puts back).
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestCatchUpRaisesGCPercent: a large catch-up raises the GC percent to
// catchUpGCPercent until its views are built — the other views after the
// demand list included — and two at once (two stores) put back the percent
// found only when the last one's views are built. A percent already higher
// is left alone. Every wait has a deadline.
func TestCatchUpRaisesGCPercent(t *testing.T) {
	defer lowCatchUpMin()()
	defer func() { catchUpLaterHook = nil }()
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	entered, release := make(chan struct{}, 4), make(chan struct{})
	catchUpLaterHook = func() { entered <- struct{}{}; <-release }
	free := sync.OnceFunc(func() { close(release) })
	defer free()
	clk := newClock()
	a, b := openStore(t, t.TempDir(), clk), openStore(t, t.TempDir(), clk)
	built := func(s *Store) {
		t.Helper()
		select {
		case <-s.ViewsBuilt():
		case <-time.After(30 * time.Second):
			t.Fatalf("views not built within 30 s of their release")
		}
	}
	endA := a.BeginCatchUp(10)
	defer endA() // a failing case ends its catch-ups (end runs once), or Close waits for them
	if p := gcPercent(); p != catchUpGCPercent {
		t.Fatalf("GC percent in a large catch-up = %d; want %d", p, catchUpGCPercent)
	}
	endB := b.BeginCatchUp(10)
	defer endB()
	if err := endA(); err != nil {
		t.Fatal(err)
	}
	select { // a's other views are held: the percent stays raised
	case <-entered:
	case <-time.After(30 * time.Second):
		t.Fatalf("the catch-up's other views were not begun within 30 s of its end")
	}
	if p := gcPercent(); p != catchUpGCPercent {
		t.Fatalf("GC percent while a catch-up's other views are built = %d; want %d", p, catchUpGCPercent)
	}
	free()
	built(a)
	if p := gcPercent(); p != catchUpGCPercent {
		t.Fatalf("GC percent after one of two catch-ups = %d; want %d while the other runs", p, catchUpGCPercent)
	}
	if err := endB(); err != nil {
		t.Fatal(err)
	}
	built(b)
	if p := gcPercent(); p != 100 {
		t.Fatalf("GC percent after both catch-ups = %d; want the 100 found", p)
	}
	debug.SetGCPercent(500) // higher already: left alone
	end := a.BeginCatchUp(10)
	defer end()
	if p := gcPercent(); p != 500 {
		t.Fatalf("GC percent in a catch-up begun at 500 = %d; want 500", p)
	}
	if err := end(); err != nil {
		t.Fatal(err)
	}
	built(a)
	if p := gcPercent(); p != 500 {
		t.Fatalf("GC percent after a catch-up begun at 500 = %d; want 500", p)
	}
}

// TestCatchUpLeavesGOGCFromTheEnvironment: a GC percent a person set with
// GOGC is theirs (internal/memlimit leaves it too): a large catch-up does not
// raise it.
func TestCatchUpLeavesGOGCFromTheEnvironment(t *testing.T) {
	defer lowCatchUpMin()()
	defer debug.SetGCPercent(debug.SetGCPercent(150))
	t.Setenv("GOGC", "150")
	s := openStore(t, t.TempDir(), newClock())
	end := s.BeginCatchUp(10)
	p := gcPercent()
	if err := end(); err != nil {
		t.Fatal(err)
	}
	if p != 150 {
		t.Fatalf("GC percent in a large catch-up with GOGC=150 set = %d; want 150 (the person's)", p)
	}
}

// TestCatchUpSearchesBeforeItsIndex: a large catch-up into an empty store
// answers its demand list before the bigram postings of the rows' texts are
// made (buildTableLater); a search asked meanwhile scans the texts and finds
// what the hub finds — never "nothing found" for want of the index — and
// finds the same once the index is in.
func TestCatchUpSearchesBeforeItsIndex(t *testing.T) {
	release, restore := HoldCatchUpViewsForTest()
	defer restore()
	defer release()
	clk := newClock()
	hub := openStore(t, t.TempDir(), clk)
	if _, err := hub.CreateNetwork("演练", ""); err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		title := "口罩 " + strconv.Itoa(i)
		if i%3 == 0 {
			title = "医用防护服 " + strconv.Itoa(i)
		}
		if _, err := hub.RecordDemand(sampleDemand(title)); err != nil {
			t.Fatal(err)
		}
	}
	lap := openStore(t, t.TempDir(), clk)
	net, _ := hub.Network()
	if err := lap.JoinNetwork(net.ID); err != nil {
		t.Fatal(err)
	}
	var all []*ledger.Change
	hub.ChangesSince(lap.VersionVector(), func(c *ledger.Change) error { all = append(all, c); return nil })
	end := lap.BeginCatchUp(len(all))
	if _, err := lap.ApplyRemote(all); err != nil {
		t.Fatal(err)
	}
	if err := end(); err != nil {
		t.Fatal(err)
	}
	later := func() bool {
		lap.idx.mu.RLock()
		defer lap.idx.mu.RUnlock()
		return lap.idx.t.gramsLater
	}
	ids := func(s *Store, text string) []string {
		t.Helper()
		ds, err := s.Demands(DemandQuery{Text: text})
		if err != nil {
			t.Fatalf("Demands(%q) = %v", text, err)
		}
		out := make([]string, len(ds))
		for i, d := range ds {
			out[i] = d.ID
		}
		return out
	}
	searches := []string{"口罩", "防护服", "医用防护", "口罩 2", "防护 3", "护目镜", "罩"}
	check := func(when string) {
		t.Helper()
		for _, text := range searches {
			got, want := ids(lap, text), ids(hub, text)
			if len(want) == 0 && text != "护目镜" {
				t.Fatalf("the hub finds nothing for %q: the test's demands are wrong", text)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%s: search %q finds %d demands %v; want the hub's %d %v", when, text, len(got), got, len(want), want)
			}
		}
	}
	if !lap.ViewsBuilding() || !later() {
		t.Fatalf("at the end of the catch-up: ViewsBuilding %v, postings later %v; want both (the other views are held)", lap.ViewsBuilding(), later())
	}
	check("the list answering, its index not made yet")
	release()
	<-lap.ViewsBuilt()
	if later() {
		t.Fatalf("the postings are still to be made after the catch-up's views were built")
	}
	check("the index made")
}
