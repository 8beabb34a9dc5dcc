package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// snapAnswers is what the property tests of the views snapshot compare: the
// JSON of every demand-list, inbox, overdue, points and duplicate answer of
// a store, as the screens receive them.
func snapAnswers(t tb, s *Store, keys []ledger.DeviceID, now time.Time) string {
	t.Helper()
	var a struct {
		All       []relief.Demand
		Counts    map[relief.Status]int
		Urgent    []relief.Demand
		ReplyBy   []relief.Demand
		Search    []relief.Demand
		Inboxes   [][]relief.Pending
		Overdue   []relief.Pending
		Board     relief.Leaderboard
		Dups      map[string]string
		Tasks     []relief.Task
		ReplyBys  int
		Standings []relief.Standing
	}
	var err error
	if a.All, err = s.Demands(DemandQuery{}); err != nil {
		t.Fatalf("Demands = %v", err)
	}
	a.Counts = s.DemandCounts()
	if a.Urgent, _, err = s.DemandsPage(DemandQuery{Sort: SortUrgency, Now: now, Limit: 50}); err != nil {
		t.Fatalf("DemandsPage(urgency) = %v", err)
	}
	if a.ReplyBy, _, err = s.DemandsPage(DemandQuery{Sort: SortReplyBy, Overdue: true, Now: now}); err != nil {
		t.Fatalf("DemandsPage(reply-by) = %v", err)
	}
	if a.Search, err = s.Demands(DemandQuery{Text: "口罩"}); err != nil {
		t.Fatalf("Demands(口罩) = %v", err)
	}
	for _, k := range keys {
		in, err := s.InboxOf(k, now, 0)
		if err != nil {
			t.Fatalf("InboxOf = %v", err)
		}
		a.Inboxes = append(a.Inboxes, in)
	}
	if a.Overdue, err = s.Overdue(now); err != nil {
		t.Fatalf("Overdue = %v", err)
	}
	if a.Board, err = s.Leaderboard(); err != nil {
		t.Fatalf("Leaderboard = %v", err)
	}
	a.Standings = s.Standings()
	a.Dups = s.DuplicateFlags()
	if a.Tasks, err = s.Tasks(); err != nil {
		t.Fatalf("Tasks = %v", err)
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatalf("answers to JSON: %v", err)
	}
	return string(b)
}

// randomWork makes n random steps on the trio (demands, their steps and
// edits, tasks and answers, promotions, revocations, reply-by windows,
// deliveries between its stores).
func randomWork(rt *rapid.T, tr *trio, n int, label string) {
	urgencies := []relief.Urgency{relief.UrgencyLow, relief.UrgencyNormal, relief.UrgencyHigh, relief.UrgencyCritical}
	actions := append(slices.Clone(demandActions), relief.ActionReopen, relief.ActionMarkDuplicate, relief.ActionHandover, relief.ActionRecheck)
	roles := []relief.Role{relief.RoleCoordinator, relief.RoleReviewer, relief.RoleVolunteer, relief.RoleObserver}
	net, _ := tr.stores[0].Network()
	pick := func(s *Store, kind string) (string, bool) {
		recs, err := s.records(kind)
		if err != nil {
			rt.Fatalf("records(%s) = %v", kind, err)
		}
		if len(recs) == 0 {
			return "", false
		}
		return rapid.SampledFrom(recs).Draw(rt, label+kind).ID, true
	}
	for range n {
		tr.clk.advance(time.Duration(rapid.IntRange(0, 120).Draw(rt, label+"minutes")) * time.Minute)
		i := rapid.IntRange(0, 2).Draw(rt, label+"store")
		what := rapid.IntRange(0, 11).Draw(rt, label+"what")
		if what >= 7 && what <= 9 {
			i = 0
		}
		s := tr.stores[i]
		switch what {
		case 0, 1:
			d := sampleDemand(rapid.SampledFrom([]string{"协和医院急需口罩", "需要防护服", "water"}).Draw(rt, label+"title"))
			d.Urgency = rapid.SampledFrom(urgencies).Draw(rt, label+"urgency")
			s.RecordDemand(d) // a refusal (a revoked author) is part of the property
		case 2, 3, 4:
			if id, ok := pick(s, relief.KindDemand); ok {
				a := rapid.SampledFrom(actions).Draw(rt, label+"action")
				var args relief.Args
				switch a {
				case relief.ActionHandover:
					args.To = tr.stores[rapid.IntRange(0, 2).Draw(rt, label+"to")].Device()
				case relief.ActionMarkDuplicate:
					args.DuplicateOf = NewID()
				case relief.ActionReopen:
					args.Note = "not delivered"
				case relief.ActionRecheck:
					args.Outcome, args.Note = rapid.SampledFrom(relief.Outcomes).Draw(rt, label+"outcome"), "part"
				case relief.ActionApprove: // with a call-back, a written reason or (refused) neither
					switch rapid.IntRange(0, 2).Draw(rt, label+"evidence") {
					case 0:
						args.Evidence = &relief.Evidence{Kind: relief.EvidenceCallback, At: tr.clk.now().UnixMilli()}
					case 1:
						args.Note = "checked by phone"
					}
				}
				s.ApplyLocal([]ledger.Op{must2(rt)(relief.Transition(relief.KindDemand, id, a, args))})
			}
		case 5:
			if id, ok := pick(s, relief.KindDemand); ok {
				s.ApplyLocal([]ledger.Op{must2(rt)(relief.SetFields(relief.KindDemand, id, map[string]any{relief.FieldUrgency: rapid.SampledFrom(urgencies).Draw(rt, label+"urgency")}))})
			}
		case 6:
			if id, ok := pick(s, relief.KindDemand); ok && rapid.Bool().Draw(rt, label+"newTask") {
				s.ApplyLocal([]ledger.Op{must2(rt)(relief.SetFields(relief.KindTask, NewID(), map[string]any{
					relief.FieldDemand: id, relief.FieldOfferedTo: tr.stores[rapid.IntRange(0, 2).Draw(rt, label+"offeredTo")].Device(),
				}))})
			} else if id, ok := pick(s, relief.KindTask); ok {
				a := rapid.SampledFrom([]relief.Action{relief.ActionAccept, relief.ActionDecline, relief.ActionComplete}).Draw(rt, label+"taskAction")
				s.ApplyLocal([]ledger.Op{must2(rt)(relief.Transition(relief.KindTask, id, a, relief.Args{}))})
			}
		case 7:
			to := tr.stores[rapid.IntRange(1, 2).Draw(rt, label+"promoted")].Device()
			s.ApplyLocal([]ledger.Op{must2(rt)(relief.Promote(to, rapid.SampledFrom(roles).Draw(rt, label+"role")))})
		case 8:
			if rapid.IntRange(0, 3).Draw(rt, label+"revoke") == 0 {
				victim := tr.stores[rapid.IntRange(1, 2).Draw(rt, label+"victim")].Device()
				after := uint64(rapid.IntRange(0, int(s.VersionVector().Get(victim))).Draw(rt, label+"after"))
				s.ApplyLocal([]ledger.Op{must2(rt)(relief.Revoke(victim, after, ""))})
			}
		case 9:
			dl := relief.Deadlines{
				Review: time.Duration(rapid.IntRange(1, 4).Draw(rt, label+"review")) * time.Hour,
				Claim:  time.Duration(rapid.IntRange(1, 8).Draw(rt, label+"claim")) * time.Hour,
			}
			s.ApplyLocal([]ledger.Op{must2(rt)(relief.SetDeadlines(net.ID, dl))})
		case 11: // a demand taken through the pipeline at once: approved, published, claimed, perhaps re-checked
			if id, ok := pick(s, relief.KindDemand); ok {
				steps := []relief.Action{relief.ActionApprove, relief.ActionPublish, relief.ActionClaim, relief.ActionDeliver, relief.ActionRecheck}
				for _, a := range steps[:rapid.IntRange(1, len(steps)).Draw(rt, label+"through")] {
					args := relief.Args{Note: "checked by phone"}
					switch a {
					case relief.ActionRecheck:
						args.Outcome = rapid.SampledFrom(relief.Outcomes).Draw(rt, label+"outcome")
					case relief.ActionDeliver: // counted: Item.Received, which the fold computes
						args.Received = []relief.Receipt{{Item: "N95口罩", Qty: float64(rapid.IntRange(1, 9).Draw(rt, label+"qty"))}}
					}
					s.ApplyLocal([]ledger.Op{must2(rt)(relief.Transition(relief.KindDemand, id, a, args))})
					tr.clk.advance(time.Duration(rapid.IntRange(0, 300).Draw(rt, label+"between")) * time.Minute)
				}
			}
		default:
			deliverAnyList(rt, s, tr.stores[(i+1+rapid.IntRange(0, 1).Draw(rt, label+"deliverTo"))%3])
		}
	}
}

// feed sends d every change the trio's stores hold that it lacks, in random
// batches, as a catch-up would.
func feed(rt *rapid.T, tr *trio, d *Store) {
	for _, from := range tr.stores {
		var out []*ledger.Change
		from.ChangesSince(d.VersionVector(), func(c *ledger.Change) error { out = append(out, c); return nil })
		for len(out) > 0 {
			n := rapid.IntRange(1, len(out)).Draw(rt, "feedBatch")
			if _, err := d.ApplyRemote(out[:n]); err != nil {
				rt.Fatalf("ApplyRemote = %v", err)
			}
			out = out[n:]
		}
	}
}

// jsonOf returns v as JSON.
func jsonOf(t tb, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("to JSON: %v", err)
	}
	return string(b)
}

// lowSnapshotMin lets stores of a few demands write snapshots.
func lowSnapshotMin() (restore func()) {
	old := snapshotMin
	snapshotMin = 0
	return func() { snapshotMin = old }
}

// TestSnapshotOpenMatchesFullOpen is the property test of the views
// snapshot: a store on disk is fed the random work of three others; its
// answers (the demand list, counts, sorts, search, every member's inbox,
// overdue, points, duplicate flags, tasks) after a close and an open from
// the snapshot equal those before and those of an open that folds every
// record, and its views still match a brute-force fold, also after more
// changes arrive on top of the snapshot.
func TestSnapshotOpenMatchesFullOpen(t *testing.T) {
	defer defaultChecks(20, 6)()
	defer lowSnapshotMin()()
	urgencies := []relief.Urgency{relief.UrgencyLow, relief.UrgencyNormal, relief.UrgencyHigh, relief.UrgencyCritical}
	rapid.Check(t, func(rt *rapid.T) {
		tr := newTrio(rt, t.TempDir)
		defer tr.close()
		net, _ := tr.stores[0].Network()
		keys := []ledger.DeviceID{tr.stores[0].Device(), tr.stores[1].Device(), tr.stores[2].Device()}
		dir := t.TempDir()
		open := func(opts Options) *Store {
			opts.Clock = tr.clk.now
			s, err := Open(dir, opts)
			if err != nil {
				rt.Fatalf("Open = %v", err)
			}
			return s
		}
		d := open(Options{})
		if err := d.JoinNetwork(net.ID); err != nil {
			rt.Fatalf("JoinNetwork = %v", err)
		}
		randomWork(rt, tr, rapid.IntRange(1, 40).Draw(rt, "steps"), "a")
		feed(rt, tr, d)
		now := tr.clk.now()
		before := snapAnswers(rt, d, keys, now)
		d.Close()
		if _, err := os.Stat(filepath.Join(dir, SnapshotFile)); err != nil {
			rt.Fatalf("no snapshot after close: %v", err)
		}

		d = open(Options{})
		if !d.snap.loaded {
			d.Close()
			rt.Fatalf("the open did not load the snapshot written at close (%s)", d.snap.lastReason)
		}
		if got := snapAnswers(rt, d, keys, now); got != before {
			d.Close()
			rt.Fatalf("after an open from the snapshot:\n%s\nwant (before the close)\n%s", got, before)
		}
		checkViews(rt, d, now, nil)
		checkList(rt, "opened from the snapshot", d, urgencies)

		// more changes on top of the snapshot's state
		randomWork(rt, tr, rapid.IntRange(1, 20).Draw(rt, "more"), "b")
		feed(rt, tr, d)
		now = tr.clk.now()
		checkViews(rt, d, now, nil)
		checkList(rt, "changes after the snapshot", d, urgencies)
		after := snapAnswers(rt, d, keys, now)
		d.Close()

		// the same state folded from the records, without a snapshot
		if err := os.Remove(filepath.Join(dir, SnapshotFile)); err != nil {
			rt.Fatalf("remove snapshot: %v", err)
		}
		d = open(Options{})
		defer d.Close()
		if d.snap.loaded {
			rt.Fatalf("loaded a snapshot that was removed")
		}
		if got := snapAnswers(rt, d, keys, now); got != after {
			rt.Fatalf("a full open answers\n%s\nwant (store fed on top of a snapshot)\n%s", got, after)
		}
	})
}

// snapFixture makes a store on disk in dir holding a few demands in several
// states, with a task, and closes it (writing its snapshot). It returns the
// clock and a demand's id.
func snapFixture(t *testing.T, dir string, opts Options) (*fakeClock, string) {
	t.Helper()
	clk := newClock()
	opts.Clock = clk.now
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	if _, err := s.CreateNetwork("net", "coordinator"); err != nil {
		t.Fatal(err)
	}
	var first string
	for i, title := range []string{"急需 N95", "缺防护服", "送水到方舱"} {
		d, err := s.RecordDemand(sampleDemand(title))
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = d.ID
		}
		clk.advance(time.Minute)
	}
	applyOps(t, s, must2(t)(relief.Transition(relief.KindDemand, first, relief.ActionApprove, relief.Args{})),
		must2(t)(relief.SetFields(relief.KindTask, "t-1", map[string]any{relief.FieldDemand: first, relief.FieldSkill: "driver", relief.FieldOfferedTo: s.Device()})))
	clk.advance(5 * time.Hour)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return clk, first
}

// reopen opens dir and says whether the demand list came from the snapshot.
func reopen(t *testing.T, dir string, clk *fakeClock, opts Options) (*Store, bool) {
	t.Helper()
	opts.Clock = clk.now
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, s.snap.loaded
}

// TestSnapshotOfAnotherStateRefused: a snapshot written before a change (or
// by another store) is refused, and the open folds the records: the change
// is in the answers.
func TestSnapshotOfAnotherStateRefused(t *testing.T) {
	defer lowSnapshotMin()()
	dir := t.TempDir()
	clk, first := snapFixture(t, dir, Options{})
	path := filepath.Join(dir, SnapshotFile)
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("snapshot after close: %v", err)
	}
	s, loaded := reopen(t, dir, clk, Options{})
	if !loaded {
		t.Fatalf("open after close did not load the snapshot (%s)", s.snap.lastReason)
	}
	applyOps(t, s, must2(t)(relief.SetFields(relief.KindDemand, first, map[string]any{relief.FieldUrgency: relief.UrgencyCritical})))
	s.Close()
	if err := os.WriteFile(path, old, 0o600); err != nil { // the snapshot of the state before the edit
		t.Fatal(err)
	}
	s, loaded = reopen(t, dir, clk, Options{})
	if loaded || s.snap.lastReason != "stale" {
		t.Fatalf("a snapshot of the state before a change: loaded %v (%s); want refused as stale", loaded, s.snap.lastReason)
	}
	if ds, err := s.Demands(DemandQuery{Urgency: relief.UrgencyCritical}); err != nil || len(ds) != 1 || ds[0].ID != first {
		t.Fatalf("after refusing the stale snapshot, critical demands are %+v, %v; want the one edited", ds, err)
	}
	s.Close()

	// a snapshot of another store, copied in
	other := t.TempDir()
	snapFixture(t, other, Options{})
	b, err := os.ReadFile(filepath.Join(other, SnapshotFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	s, loaded = reopen(t, dir, clk, Options{ListOnly: true})
	if loaded {
		t.Fatalf("loaded the snapshot of another store")
	}
	if ds, _ := s.Demands(DemandQuery{}); len(ds) != 3 || !slices.ContainsFunc(ds, func(d relief.Demand) bool { return d.ID == first }) {
		t.Fatalf("demands after refusing another store's snapshot: %d, want this store's 3", len(ds))
	}
}

// TestSnapshotDamagedRefused: a snapshot with a byte changed, cut short, of
// another format or sealed for another kind of store is refused (said in
// lastReason), removed, and the open folds the records; the next close
// writes a good one again.
func TestSnapshotDamagedRefused(t *testing.T) {
	defer lowSnapshotMin()()
	dir := t.TempDir()
	clk, _ := snapFixture(t, dir, Options{})
	path := filepath.Join(dir, SnapshotFile)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, loaded := reopen(t, dir, clk, Options{})
	if !loaded {
		t.Fatalf("the good snapshot was not loaded (%s)", s.snap.lastReason)
	}
	want := snapAnswers(t, s, []ledger.DeviceID{s.Device()}, clk.now())
	s.Close()
	resum := func(b []byte) []byte {
		b = slices.Clone(b)
		binary.BigEndian.PutUint32(b[len(b)-snapshotSumSize:], snapshotSum(b[:len(b)-snapshotSumSize]))
		return b
	}
	flipped := slices.Clone(good)
	flipped[len(flipped)/2] ^= 0x40
	otherFormat := slices.Clone(good)
	binary.BigEndian.PutUint32(otherFormat[8:], snapshotFormat+1)
	sealed := slices.Clone(good)
	binary.BigEndian.PutUint32(sealed[12:], 1)
	garbled := slices.Clone(good) // checksum right, a chunk garbled
	copy(garbled[48+4:], bytes.Repeat([]byte{0xff}, 16))
	for _, c := range []struct {
		name, reason string
		b            []byte
	}{
		{"a byte changed", "checksum", flipped},
		{"cut short", "checksum", good[:len(good)-100]},
		{"empty", "not a views snapshot", nil},
		{"another format", "format", resum(otherFormat)},
		{"sealed for an encrypted store", "sealed for another kind", resum(sealed)},
		{"a chunk that does not decode", "decode rows", resum(garbled)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := os.WriteFile(path, c.b, 0o600); err != nil {
				t.Fatal(err)
			}
			s, loaded := reopen(t, dir, clk, Options{})
			if loaded || !bytes.Contains([]byte(s.snap.lastReason), []byte(c.reason)) {
				t.Fatalf("loaded %v, reason %q; want refused for %q", loaded, s.snap.lastReason, c.reason)
			}
			if got := snapAnswers(t, s, []ledger.DeviceID{s.Device()}, clk.now()); got != want {
				t.Fatalf("answers after refusing a damaged snapshot:\n%s\nwant\n%s", got, want)
			}
			if _, err := os.Stat(path); err == nil {
				t.Fatalf("the damaged snapshot is still there while the store is open")
			}
			s.Close()
			if _, loaded := reopen(t, dir, clk, Options{}); !loaded {
				t.Fatalf("the snapshot written at the close after a refusal was not loaded")
			}
		})
	}
}

// TestSnapshotEncryptedStore: a store encrypted at rest seals its snapshot
// (no demand title in it in plaintext) and loads it with its key.
func TestSnapshotEncryptedStore(t *testing.T) {
	defer lowSnapshotMin()()
	dir := t.TempDir()
	key := bytes.Repeat([]byte{7}, StoreKeySize)
	clk, _ := snapFixture(t, dir, Options{EncryptionKey: key})
	b, err := os.ReadFile(filepath.Join(dir, SnapshotFile))
	if err != nil {
		t.Fatalf("no snapshot of the encrypted store: %v", err)
	}
	if bytes.Contains(b, []byte("防护服")) || bytes.Contains(b, []byte("江汉区")) {
		t.Fatalf("the snapshot of an encrypted store holds demand text in plaintext")
	}
	s, loaded := reopen(t, dir, clk, Options{EncryptionKey: key})
	if !loaded {
		t.Fatalf("the sealed snapshot was not loaded (%s)", s.snap.lastReason)
	}
	if s.snap.mapped != nil {
		t.Fatalf("the rows of a sealed snapshot point into its mapped file, which holds only ciphertext")
	}
	if ds, _ := s.Demands(DemandQuery{Text: "方舱"}); len(ds) != 1 {
		t.Fatalf("search after a sealed snapshot: %d demands; want 1", len(ds))
	}
}

// TestSnapshotListOnly: a ListOnly open (the hub's export) loads the
// snapshot a full store wrote and answers as it; a ListOnly open that folded
// the records (no snapshot) writes one at close, which a full open loads
// with the same inbox.
func TestSnapshotListOnly(t *testing.T) {
	defer lowSnapshotMin()()
	dir := t.TempDir()
	clk, _ := snapFixture(t, dir, Options{})
	full, loaded := reopen(t, dir, clk, Options{})
	if !loaded {
		t.Fatalf("full open did not load the snapshot (%s)", full.snap.lastReason)
	}
	keys := []ledger.DeviceID{full.Device()}
	want := snapAnswers(t, full, keys, clk.now())
	wantList, _ := full.Demands(DemandQuery{})
	full.Close()
	s, loaded := reopen(t, dir, clk, Options{ListOnly: true})
	if !loaded {
		t.Fatalf("ListOnly open did not load the snapshot (%s)", s.snap.lastReason)
	}
	if got, _ := s.Demands(DemandQuery{}); jsonOf(t, got) != jsonOf(t, wantList) {
		t.Fatalf("ListOnly from the snapshot: %v; want %v", got, wantList)
	}
	s.Close()
	if err := os.Remove(filepath.Join(dir, SnapshotFile)); err != nil {
		t.Fatal(err)
	}
	s, loaded = reopen(t, dir, clk, Options{ListOnly: true})
	if loaded {
		t.Fatal("loaded a removed snapshot")
	}
	s.Close()
	full, loaded = reopen(t, dir, clk, Options{})
	if !loaded {
		t.Fatalf("full open did not load the snapshot a ListOnly store wrote (%s)", full.snap.lastReason)
	}
	if got := snapAnswers(t, full, keys, clk.now()); got != want {
		t.Fatalf("answers from a ListOnly store's snapshot:\n%s\nwant\n%s", got, want)
	}
}

// TestSaveSnapshotWhileOpen: SaveSnapshot writes the snapshot of the state
// of an open store (once: the same state is not written again), and the
// periodic writer does it by itself; a change after it makes the close
// write the newer state, which the next open loads.
func TestSaveSnapshotWhileOpen(t *testing.T) {
	defer lowSnapshotMin()()
	dir := t.TempDir()
	clk, first := snapFixture(t, dir, Options{})
	path := filepath.Join(dir, SnapshotFile)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	s, _ := reopen(t, dir, clk, Options{SnapshotInterval: -1})
	if ok, err := s.SaveSnapshot(); !ok || err != nil {
		t.Fatalf("SaveSnapshot = %v, %v; want written", ok, err)
	}
	if ok, err := s.SaveSnapshot(); ok || err != nil {
		t.Fatalf("SaveSnapshot of the same state = %v, %v; want not written again", ok, err)
	}
	written, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	applyOps(t, s, must2(t)(relief.SetFields(relief.KindDemand, first, map[string]any{relief.FieldUrgency: relief.UrgencyCritical})))
	want := snapAnswers(t, s, []ledger.DeviceID{s.Device()}, clk.now())
	s.Close()
	if b, _ := os.ReadFile(path); bytes.Equal(b, written) {
		t.Fatal("the close after a change did not write the newer state")
	}
	s, loaded := reopen(t, dir, clk, Options{SnapshotInterval: 10 * time.Millisecond})
	if !loaded {
		t.Fatalf("the snapshot written at close was not loaded (%s)", s.snap.lastReason)
	}
	if got := snapAnswers(t, s, []ledger.DeviceID{s.Device()}, clk.now()); got != want {
		t.Fatalf("answers:\n%s\nwant\n%s", got, want)
	}
	// the periodic writer takes the next state by itself
	applyOps(t, s, must2(t)(relief.SetFields(relief.KindDemand, first, map[string]any{relief.FieldUrgency: relief.UrgencyLow})))
	key := func() [32]byte { s.mu.Lock(); defer s.mu.Unlock(); k, _ := s.snapshotKey(); return k }()
	for i := 0; ; i++ {
		if b, err := os.ReadFile(path); err == nil && len(b) > 48 && bytes.Equal(b[16:48], key[:]) {
			break
		}
		if i == 500 {
			t.Fatal("the periodic writer did not write the state after a change")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
