package store

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// fakeClock is a settable clock shared by the stores of one test.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newClock() *fakeClock { return &fakeClock{t: time.Date(2020, 1, 26, 8, 0, 0, 0, time.UTC)} }

func openStore(t *testing.T, dir string, clk *fakeClock) *Store {
	t.Helper()
	s, err := Open(dir, Options{Clock: clk.now})
	if err != nil {
		t.Fatalf("Open(%s) = %v", dir, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func qty(n float64) *float64 { return &n }

func sampleDemand(title string) relief.Demand {
	return relief.Demand{Title: title, Category: "protective_equipment", District: "江汉区",
		Items: []relief.Item{{Name: "N95口罩", Unit: "只", Needed: qty(5000)}, {Name: "防护服", Unit: "套"}}}
}

// all returns every change a store holds.
func all(t *testing.T, s *Store) []*ledger.Change {
	t.Helper()
	var out []*ledger.Change
	if err := s.ChangesSince(nil, func(c *ledger.Change) error { out = append(out, c); return nil }); err != nil {
		t.Fatalf("ChangesSince = %v", err)
	}
	return out
}

func TestOpenCreatesDirAndKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "reliefmesh")
	clk := newClock()
	s, err := Open(dir, Options{Clock: clk.now})
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	id := s.Device()
	s.Close()
	if fi, err := os.Stat(filepath.Join(dir, KeyFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v; want 0600", err, fi.Mode())
	}
	s2 := openStore(t, dir, clk)
	if s2.Device() != id {
		t.Errorf("device after reopen = %s; want %s", s2.Device(), id)
	}
}

func TestOpenBadDataDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-dir")
	os.WriteFile(file, []byte("x"), 0o644)
	badKeyDir := t.TempDir()
	os.WriteFile(filepath.Join(badKeyDir, KeyFile), []byte("short"), 0o600)
	for _, tc := range []struct{ name, dir, want string }{
		{"file", file, "not a directory"},
		{"empty", "", "empty path"},
		{"damaged key", badKeyDir, "device key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(tc.dir, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.dir) {
				t.Fatalf("Open(%q) = %v; want an error naming the path and %q", tc.dir, err, tc.want)
			}
		})
	}
	if b, _ := os.ReadFile(file); string(b) != "x" {
		t.Errorf("the file in the way was changed: %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(badKeyDir, KeyFile)); string(b) != "short" {
		t.Errorf("the damaged key was overwritten: %q", b)
	}
}

func TestDemandSurvivesReopen(t *testing.T) {
	dir := t.TempDir()
	clk := newClock()
	s, err := Open(dir, Options{Clock: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateNetwork("武汉 2020", "甲老师"); err != nil {
		t.Fatalf("CreateNetwork = %v", err)
	}
	d, err := s.RecordDemand(sampleDemand("协和医院急需 N95"))
	if err != nil {
		t.Fatalf("RecordDemand = %v", err)
	}
	if d.Status != relief.StatusCollected || !strings.HasPrefix(d.Code, "D-") {
		t.Errorf("RecordDemand = status %q code %q; want collected, D-…", d.Status, d.Code)
	}
	hash, _ := s.StateHash()
	s.Close()

	s = openStore(t, dir, clk)
	got, err := s.Demand(d.ID)
	if err != nil {
		t.Fatalf("Demand after reopen = %v", err)
	}
	if got.Title != d.Title || len(got.Items) != 2 || *got.Items[0].Needed != 5000 || got.Items[1].Needed != nil {
		t.Errorf("Demand after reopen = %+v; want %+v", got, d)
	}
	if h, _ := s.StateHash(); h != hash {
		t.Errorf("StateHash after reopen = %s; want %s", h, hash)
	}
	n, ok := s.Network()
	if !ok || n.Name != "武汉 2020" {
		t.Errorf("Network after reopen = %+v, %v", n, ok)
	}
	if m, ok := s.Me(); !ok || m.Role != relief.RoleCoordinator || m.Name != "甲老师" {
		t.Errorf("Me = %+v, %v; want the coordinator 甲老师", m, ok)
	}
	// the feed goes on from where it was
	if _, err := s.RecordDemand(sampleDemand("second")); err != nil {
		t.Fatalf("RecordDemand after reopen = %v", err)
	}
	if got := s.VersionVector().Get(s.Device()); got != 3 {
		t.Errorf("own seq = %d; want 3", got)
	}
}

func TestQueries(t *testing.T) {
	s := openStore(t, t.TempDir(), newClock())
	if _, err := s.RecordDemand(sampleDemand("x")); err != ErrNoNetwork {
		t.Fatalf("RecordDemand before a network = %v; want ErrNoNetwork", err)
	}
	s.CreateNetwork("n", "me")
	a := sampleDemand("协和医院 N95")
	b := sampleDemand("Village needs drinking water")
	b.Category, b.District = "food_water", "黄陂区"
	b.Items = []relief.Item{{Name: "Bottled Water", Unit: "箱"}}
	da, _ := s.RecordDemand(a)
	db, _ := s.RecordDemand(b)
	for _, tc := range []struct {
		q    DemandQuery
		want []string
	}{
		{DemandQuery{}, []string{db.ID, da.ID}},
		{DemandQuery{Text: "协和"}, []string{da.ID}},
		{DemandQuery{Text: "bottled water"}, []string{db.ID}},
		{DemandQuery{Text: strings.ToLower(da.Code)}, []string{da.ID}},
		{DemandQuery{District: "黄陂区"}, []string{db.ID}},
		{DemandQuery{Category: "protective_equipment"}, []string{da.ID}},
		{DemandQuery{Status: relief.StatusCollected, Text: "n95"}, []string{da.ID}},
		{DemandQuery{Status: relief.StatusPublished}, nil},
	} {
		got, err := s.Demands(tc.q)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, d := range got {
			ids = append(ids, d.ID)
		}
		if strings.Join(ids, ",") != strings.Join(tc.want, ",") {
			t.Errorf("Demands(%+v) = %v; want %v", tc.q, ids, tc.want)
		}
	}
	if c := s.DemandCounts(); c[relief.StatusCollected] != 2 {
		t.Errorf("DemandCounts = %v; want 2 collected", c)
	}
}

func TestReplicateConverges(t *testing.T) {
	clk := newClock()
	a := openStore(t, t.TempDir(), clk)
	b := openStore(t, t.TempDir(), clk)
	n, _ := a.CreateNetwork("net", "A")
	if err := a.Endorse(b.Device(), relief.RoleVolunteer, "B"); err != nil {
		t.Fatal(err)
	}
	a.RecordDemand(sampleDemand("from A"))
	if err := b.JoinNetwork(n.ID); err != nil {
		t.Fatal(err)
	}
	// deliver in reverse order: the store sorts feeds and waits for endorsements
	changes := all(t, a)
	for i, j := 0, len(changes)-1; i < j; i, j = i+1, j-1 {
		changes[i], changes[j] = changes[j], changes[i]
	}
	res, err := b.ApplyRemote(changes)
	if err != nil || res.Applied != len(changes) || len(res.Rejected) != 0 {
		t.Fatalf("ApplyRemote = %+v, %v; want %d applied", res, err, len(changes))
	}
	if m, ok := b.Me(); !ok || m.Role != relief.RoleVolunteer {
		t.Fatalf("B.Me = %+v %v; want volunteer", m, ok)
	}
	if nb, _ := b.Network(); nb.Name != "net" {
		t.Errorf("B's network name = %q; want net", nb.Name)
	}
	clk.advance(time.Second)
	b.RecordDemand(sampleDemand("from B"))
	if res, _ := a.ApplyRemote(all(t, b)); res.Applied != 1 || res.Duplicates != len(changes) {
		t.Errorf("A.ApplyRemote(B's changes) = %+v; want 1 applied, %d duplicates", res, len(changes))
	}
	ha, _ := a.StateHash()
	hb, _ := b.StateHash()
	if ha != hb {
		t.Errorf("state hashes differ after exchange: %s vs %s", ha, hb)
	}
	if !a.VersionVector().Equal(b.VersionVector()) {
		t.Errorf("version vectors differ: %v vs %v", a.VersionVector(), b.VersionVector())
	}
}

func TestValueLogGCStopsOnClose(t *testing.T) {
	s, err := Open(t.TempDir(), Options{Clock: newClock().now, ValueLogGCInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.gcRuns.Load() < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("value log GC ran %d times in 10 s; want at least 2", s.gcRuns.Load())
		}
		time.Sleep(time.Millisecond)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	select {
	case <-s.gcDone:
	default:
		t.Fatalf("the value log GC goroutine is still running after Close")
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v; want nil", err)
	}
}

func TestDuplicateInOneBatch(t *testing.T) {
	clk := newClock()
	a := openStore(t, t.TempDir(), clk)
	b := openStore(t, t.TempDir(), clk)
	n, _ := a.CreateNetwork("net", "A")
	a.RecordDemand(sampleDemand("one"))
	b.JoinNetwork(n.ID)
	changes := all(t, a)
	batch := append(append([]*ledger.Change{}, changes...), changes...)
	res, err := b.ApplyRemote(batch)
	if err != nil || res.Applied != len(changes) || res.Duplicates != len(changes) || len(res.Rejected) != 0 {
		t.Errorf("ApplyRemote(every change twice) = %+v, %v; want %d applied, %d duplicates", res, err, len(changes), len(changes))
	}
}

// TestChangesSinceSendsEndorsersFirst: a newcomer applying a catch-up stream
// in small batches (as catch-up and bundles do) learns each endorsement before
// the feed it admits, whatever the device ids, so nothing is refused.
func TestChangesSinceSendsEndorsersFirst(t *testing.T) {
	clk := newClock()
	a := openStore(t, t.TempDir(), clk)
	n, _ := a.CreateNetwork("net", "A")
	var peers []*peer
	for i := 0; i < 6; i++ { // enough random ids that some sort before A's
		p := newPeer(t, n.ID, clk.now)
		clk.advance(time.Second)
		if err := a.Endorse(p.id, relief.RoleVolunteer, "p"); err != nil {
			t.Fatal(err)
		}
		if res, _ := a.ApplyRemote([]*ledger.Change{p.demand(t, "from p")}); res.Applied != 1 {
			t.Fatalf("p's change: %+v", res)
		}
		peers = append(peers, p)
	}
	b := openStore(t, t.TempDir(), clk)
	b.JoinNetwork(n.ID)
	var batch []*ledger.Change
	flush := func() {
		res, err := b.ApplyRemote(batch)
		if err != nil || len(res.Rejected) != 0 {
			t.Fatalf("ApplyRemote(batch of %d) = %+v, %v; want nothing refused", len(batch), res, err)
		}
		batch = batch[:0]
	}
	a.ChangesSince(nil, func(c *ledger.Change) error {
		batch = append(batch, c)
		if len(batch) == 1 { // one change per batch: the strictest order test
			flush()
		}
		return nil
	})
	if !a.VersionVector().Equal(b.VersionVector()) {
		t.Errorf("B = %v; want A's %v", b.VersionVector(), a.VersionVector())
	}
}

// TestChangesSinceGenesisBeforeSameStampEndorsement: when the genesis and the
// first endorsement are one change (the same stamp), the genesis feed still
// comes first, even when its device id sorts last.
func TestChangesSinceGenesisBeforeSameStampEndorsement(t *testing.T) {
	clk := newClock()
	var coord, field *peer
	var n1 string
	for coord == nil || coord.id.Compare(field.id) < 0 { // the coordinator's id sorts after
		coord = newFounder(t, clk.now)
		n1 = relief.NetworkID(coord.id, nil)
		field = newPeer(t, n1, clk.now)
	}
	genesis, _ := relief.Genesis(coord.id, "coordinator")
	endorse, _ := relief.Endorse(field.id, relief.RoleVolunteer, "field")
	first, err := coord.author.Next([]ledger.Op{genesis, endorse})
	if err != nil {
		t.Fatal(err)
	}
	hub := openStore(t, t.TempDir(), clk)
	hub.JoinNetwork(n1)
	changes := []*ledger.Change{first, field.demand(t, "a"), field.demand(t, "b")}
	if res, _ := hub.ApplyRemote(changes); res.Applied != 3 {
		t.Fatalf("hub ApplyRemote = %+v", res)
	}
	b := openStore(t, t.TempDir(), clk)
	b.JoinNetwork(n1)
	hub.ChangesSince(nil, func(c *ledger.Change) error {
		if res, _ := b.ApplyRemote([]*ledger.Change{c}); len(res.Rejected) != 0 {
			t.Errorf("change %s/%d refused: %+v", c.Device.Short(), c.Seq, res)
		}
		return nil
	})
}

// TestEncodedChangesSince checks that EncodedChangesSince hands out, in
// ChangesSince's order and for the same version vector, exactly the
// canonical encodings of the changes ChangesSince gives.
func TestEncodedChangesSince(t *testing.T) {
	clk := newClock()
	a := openStore(t, t.TempDir(), clk)
	n, _ := a.CreateNetwork("net", "A")
	for i := range 3 {
		p := newPeer(t, n.ID, clk.now)
		clk.advance(time.Second)
		if err := a.Endorse(p.id, relief.RoleVolunteer, "p"); err != nil {
			t.Fatal(err)
		}
		for j := range i + 2 {
			if res, _ := a.ApplyRemote([]*ledger.Change{p.demand(t, fmt.Sprintf("from p%d #%d", i, j))}); res.Applied != 1 {
				t.Fatalf("p's change: %+v", res)
			}
		}
	}
	for _, since := range []ledger.VersionVector{nil, {a.Device(): 2}} {
		var want [][]byte
		a.ChangesSince(since, func(c *ledger.Change) error {
			b, err := ledger.Encode(c)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, b)
			return nil
		})
		var got [][]byte
		err := a.EncodedChangesSince(since, func(d ledger.DeviceID, seq uint64, b []byte) error {
			c, err := ledger.Decode(b)
			if err != nil || c.Device != d || c.Seq != seq {
				t.Errorf("EncodedChangesSince gave %s/%d with bytes of %v (%v)", d.Short(), seq, c, err)
			}
			got = append(got, slices.Clone(b))
			return nil
		})
		if err != nil {
			t.Fatalf("EncodedChangesSince(%v) = %v", since, err)
		}
		if len(want) < 4 || !slices.EqualFunc(got, want, bytes.Equal) {
			t.Errorf("EncodedChangesSince(%v) gave %d encodings, ChangesSince %d; want the same, in the same order", since, len(got), len(want))
		}
	}
}
