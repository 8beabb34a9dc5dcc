package store

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"pgregory.net/rapid"
)

// twoStepOpen makes every open with a demand list build its tasks, inbox
// entries and volunteer and offer views after it returns (settleMin 0), and
// holds each such build until the returned release is called for it:
// held receives the store whose build waits.
func twoStepOpen() (held <-chan *Store, release func(), restore func()) {
	oldMin, oldHook := settleMin, settleHook
	settleMin = 0
	h := make(chan *Store, 1)
	go1 := make(chan struct{}, 1)
	settleHook = func(s *Store) {
		h <- s
		<-go1
	}
	return h, func() { go1 <- struct{}{} }, func() { settleMin, settleHook = oldMin, oldHook }
}

// TestTwoStepOpenMatches is the property test of the open in two steps
// (open_settle.go): a store fed the random work of three others, closed and
// opened again so that its tasks, inbox entries and volunteer and offer
// views are built after Open returned, answers the demand list, the
// network while that build is held (ViewsBuilding true, a write waits for
// it), and once it ends every view, with the write on top, matches a
// brute-force fold; from the snapshot or folding.
func TestTwoStepOpenMatches(t *testing.T) {
	defer defaultChecks(12, 4)()
	defer lowSnapshotMin()()
	urgencies := []relief.Urgency{relief.UrgencyLow, relief.UrgencyNormal, relief.UrgencyHigh, relief.UrgencyCritical}
	rapid.Check(t, func(rt *rapid.T) {
		tr := newTrio(rt, t.TempDir)
		defer tr.close()
		net, _ := tr.stores[0].Network()
		dir := t.TempDir()
		open := func() *Store {
			s, err := Open(dir, Options{Clock: tr.clk.now})
			if err != nil {
				rt.Fatalf("Open = %v", err)
			}
			return s
		}
		d := open()
		if err := d.JoinNetwork(net.ID); err != nil {
			rt.Fatalf("JoinNetwork = %v", err)
		}
		randomWork(rt, tr, rapid.IntRange(1, 30).Draw(rt, "steps"), "a")
		feed(rt, tr, d)
		now := tr.clk.now()
		list, err := d.Demands(DemandQuery{})
		if err != nil {
			rt.Fatalf("Demands = %v", err)
		}
		d.Close()

		fromSnap := rapid.Bool().Draw(rt, "from-snapshot")
		if !fromSnap { // the folding open defers the same views
			removeSnapshot(rt, dir)
		}
		held, release, restore := twoStepOpen()
		d = open()
		restore()
		s := <-held
		if s != d {
			rt.Fatalf("the held build is of another store")
		}
		if !d.ViewsBuilding() {
			release()
			rt.Fatalf("ViewsBuilding = false while the views' build is held")
		}
		// the first screen answers while the rest is built
		got, err := d.Demands(DemandQuery{})
		if err != nil || jsonOf(rt, got) != jsonOf(rt, list) {
			release()
			rt.Fatalf("demand list while the views build: %v\n%s\nwant\n%s", err, jsonOf(rt, got), jsonOf(rt, list))
		}
		if n, ok := d.Network(); !ok || n.ID != net.ID {
			release()
			rt.Fatalf("Network while the views build = %v, %v", n, ok)
		}
		// a write waits for the build
		wrote := make(chan error, 1)
		go func() {
			_, err := d.RecordDemand(sampleDemand("写入等待视图"))
			wrote <- err
		}()
		select {
		case err := <-wrote:
			release()
			rt.Fatalf("a write went through while the views were built (err %v)", err)
		case <-time.After(20 * time.Millisecond):
		}
		release()
		<-d.ViewsBuilt()
		if d.ViewsBuilding() {
			rt.Fatalf("ViewsBuilding = true after ViewsBuilt closed")
		}
		<-wrote // refused or not (d may not be a member): it ran after the build
		// every view matches a brute-force fold, with the write on top
		now = tr.clk.now()
		checkViews(rt, d, now, nil)
		checkList(rt, "two-step open", d, urgencies)
		d.Close()
	})
}

// TestTwoStepOpenAnswersAsBefore: with no write in between, a two-step open
// from the snapshot answers every query as the store did before its close
// (the inbox entries, tasks, points, volunteers and offers it built after
// returning included).
func TestTwoStepOpenAnswersAsBefore(t *testing.T) {
	defer defaultChecks(12, 4)()
	defer lowSnapshotMin()()
	rapid.Check(t, func(rt *rapid.T) {
		tr := newTrio(rt, t.TempDir)
		defer tr.close()
		net, _ := tr.stores[0].Network()
		keys := []ledger.DeviceID{tr.stores[0].Device(), tr.stores[1].Device(), tr.stores[2].Device()}
		dir := t.TempDir()
		d, err := Open(dir, Options{Clock: tr.clk.now})
		if err != nil {
			rt.Fatalf("Open = %v", err)
		}
		if err := d.JoinNetwork(net.ID); err != nil {
			rt.Fatalf("JoinNetwork = %v", err)
		}
		randomWork(rt, tr, rapid.IntRange(1, 30).Draw(rt, "steps"), "a")
		feed(rt, tr, d)
		now := tr.clk.now()
		before := snapAnswers(rt, d, keys, now)
		vols, offers := jsonOf(rt, mustVolunteers(rt, d)), jsonOf(rt, mustOffers(rt, d))
		d.Close()
		if rapid.Bool().Draw(rt, "fold") {
			removeSnapshot(rt, dir)
		}
		held, release, restore := twoStepOpen()
		d, err = Open(dir, Options{Clock: tr.clk.now})
		restore()
		if err != nil {
			rt.Fatalf("Open = %v", err)
		}
		defer d.Close()
		<-held
		release()
		if got := snapAnswers(rt, d, keys, now); got != before {
			rt.Fatalf("after a two-step open:\n%s\nwant (before the close)\n%s", got, before)
		}
		if got := jsonOf(rt, mustVolunteers(rt, d)); got != vols {
			rt.Fatalf("volunteers after a two-step open:\n%s\nwant\n%s", got, vols)
		}
		if got := jsonOf(rt, mustOffers(rt, d)); got != offers {
			rt.Fatalf("offers after a two-step open:\n%s\nwant\n%s", got, offers)
		}
		checkViews(rt, d, now, nil)
	})
}

func removeSnapshot(t tb, dir string) {
	t.Helper()
	if err := os.Remove(filepath.Join(dir, SnapshotFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("remove snapshot: %v", err)
	}
}

func mustVolunteers(t tb, s *Store) []relief.Volunteer {
	t.Helper()
	v, err := s.Volunteers()
	if err != nil {
		t.Fatalf("Volunteers = %v", err)
	}
	return v
}

func mustOffers(t tb, s *Store) []relief.Offer {
	t.Helper()
	v, err := s.Offers()
	if err != nil {
		t.Fatalf("Offers = %v", err)
	}
	return v
}

// TestTwoStepOpenDuplicatesWait: the duplicate-key view is built by the
// open's second step; while that build is held its readers
// (DuplicateFlags, DuplicateOf, SimilarDemands) wait, or answer the whole
// view, never an empty or partial one; once it ends they answer as before
// the close (the later hospital flagged, pointing at the earlier), from the
// snapshot or folding.
func TestTwoStepOpenDuplicatesWait(t *testing.T) {
	defer lowSnapshotMin()()
	for _, fold := range []bool{false, true} {
		t.Run(map[bool]string{false: "snapshot", true: "fold"}[fold], func(t *testing.T) {
			clk := newClock()
			dir := t.TempDir()
			s, err := Open(dir, Options{Clock: clk.now})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.CreateNetwork("net", "coordinator"); err != nil {
				t.Fatal(err)
			}
			a, err := s.RecordDemand(hospital("武汉协和医院"))
			if err != nil {
				t.Fatal(err)
			}
			clk.advance(time.Minute)
			b, err := s.RecordDemand(hospital("湖北省武汉市武汉协和医院（急需）"))
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]string{b.ID: a.ID}
			if got := s.DuplicateFlags(); !maps.Equal(got, want) {
				t.Fatalf("DuplicateFlags before the close = %v; want %v", got, want)
			}
			like := relief.DemandLikeness(hospital("协和医院"))
			simBefore := similarIDs(s.SimilarDemands(like))
			if len(simBefore) == 0 {
				t.Fatalf("SimilarDemands before the close found nothing")
			}
			s.Close()
			if fold {
				removeSnapshot(t, dir)
			}
			held, release, restore := twoStepOpen()
			s, err = Open(dir, Options{Clock: clk.now})
			restore()
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			<-held
			type answer struct {
				flags map[string]string
				of    string
				ok    bool
				sim   []string
			}
			got := make(chan answer, 1)
			go func() {
				var x answer
				x.flags = s.DuplicateFlags()
				x.of, x.ok = s.DuplicateOf(b.ID)
				x.sim = similarIDs(s.SimilarDemands(like))
				got <- x
			}()
			var x answer
			when := "while the open built the view"
			select {
			case x = <-got: // an answer before the build ends must be the whole one
			case <-time.After(50 * time.Millisecond):
				when = "after the build"
			}
			release()
			if when == "after the build" {
				x = <-got
			}
			if !maps.Equal(x.flags, want) || !x.ok || x.of != a.ID || !slices.Equal(x.sim, simBefore) {
				t.Fatalf("%s: flags %v, DuplicateOf %q %v, similar %v; want %v, %q, %v", when, x.flags, x.of, x.ok, x.sim, want, a.ID, simBefore)
			}
			if got := duplicateEntries(t, s, s.Device()); got[b.ID] == "" {
				t.Fatalf("the coordinator's inbox holds no duplicate entry for %s after the build: %v", b.Code, got)
			}
		})
	}
}

func similarIDs(sd []relief.SimilarDemand) []string {
	var out []string
	for _, d := range sd {
		out = append(out, d.Demand.ID)
	}
	slices.Sort(out)
	return out
}

// TestTwoStepOpenDamagedEntries: the demands' inbox entries of a snapshot
// are decoded by the open's second step; should they not decode there, the
// second step folds the demand records for them, and every answer (the
// inboxes included) is the one before the close, not an empty inbox.
func TestTwoStepOpenDamagedEntries(t *testing.T) {
	defer lowSnapshotMin()()
	tr := newTrio(t, t.TempDir)
	defer tr.close()
	net, _ := tr.stores[0].Network()
	keys := []ledger.DeviceID{tr.stores[0].Device(), tr.stores[1].Device(), tr.stores[2].Device()}
	dir := t.TempDir()
	d, err := Open(dir, Options{Clock: tr.clk.now})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.JoinNetwork(net.ID); err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		if _, err := tr.stores[i%2].RecordDemand(sampleDemand(fmt.Sprintf("急需口罩 %d", i))); err != nil {
			t.Fatal(err)
		}
		tr.clk.advance(time.Minute)
	}
	for _, from := range tr.stores {
		var out []*ledger.Change
		from.ChangesSince(d.VersionVector(), func(c *ledger.Change) error { out = append(out, c); return nil })
		if _, err := d.ApplyRemote(out); err != nil {
			t.Fatal(err)
		}
	}
	now := tr.clk.now()
	before := snapAnswers(t, d, keys, now)
	d.Close()

	oldMin, oldHook := settleMin, settleHook
	settleMin = 0
	damaged := false
	settleHook = func(s *Store) {
		if len(s.settle.entryChunks) > 0 {
			s.settle.entryChunks[0] = []byte{0xff} // not a CBOR array of entries
			damaged = true
		}
	}
	d, err = Open(dir, Options{Clock: tr.clk.now})
	settleMin, settleHook = oldMin, oldHook
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	<-d.ViewsBuilt()
	if !damaged {
		t.Fatal("the open read no inbox entries from the snapshot for its second step")
	}
	if got := snapAnswers(t, d, keys, now); got != before {
		t.Fatalf("after damaged entries:\n%s\nwant (before the close)\n%s", got, before)
	}
}
