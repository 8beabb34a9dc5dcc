package node

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// openStore opens a store in dir (a real Badger), closed at the end of the test.
func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// start starts a node on st with the loopback preset, closed at the end of the test.
func start(t *testing.T, st *store.Store) *Node {
	t.Helper()
	n, err := Start(t.Context(), st, LoopbackConfig())
	if err != nil {
		t.Fatalf("Start = %v", err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

// poll waits until cond returns nil, for at most 60 s.
func poll(t *testing.T, what string, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 60 s: %v", what, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// coordinator opens a store with a new network and n demands.
func coordinator(t *testing.T, demands int) *store.Store {
	t.Helper()
	st := openStore(t, t.TempDir())
	if _, err := st.CreateNetwork("Flood", "甲"); err != nil {
		t.Fatal(err)
	}
	for i := range demands {
		if _, err := st.RecordDemand(relief.Demand{Title: fmt.Sprintf("demand %d", i), Category: "other"}); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func demandCount(st *store.Store) int {
	ds, err := st.Demands(store.DemandQuery{})
	if err != nil {
		return -1
	}
	return len(ds)
}

// TestTwoNodesCatchUp: a newcomer joins with the coordinator's join code, is
// endorsed, dials the code's addresses by itself, catches up (with progress
// on its store's bus) and both sides then report each other synced.
func TestTwoNodesCatchUp(t *testing.T) {
	a := coordinator(t, 300)
	na := start(t, a)
	code := na.JoinCode()
	if code.Name != "Flood" || len(code.Addrs) == 0 || !strings.HasSuffix(code.Addrs[0], "/p2p/"+na.PeerID().String()) {
		t.Fatalf("JoinCode() = %+v; want the network's name and the node's addresses", code)
	}
	b := openStore(t, t.TempDir())
	if err := desk.New(b).Join(code); err != nil {
		t.Fatal(err)
	}
	if err := a.Endorse(b.Device(), relief.RoleVolunteer, "乙"); err != nil {
		t.Fatal(err)
	}
	events, unsubscribe := b.Subscribe()
	defer unsubscribe()
	nb := start(t, b)
	poll(t, "B caught up", func() error {
		if n := demandCount(b); n != 300 {
			return fmt.Errorf("B has %d demands", n)
		}
		return nil
	})
	poll(t, "both synced", func() error {
		pa, pb := na.Peers(), nb.Peers()
		if len(pa) != 1 || !pa[0].Synced || !pa[0].Connected || len(pb) != 1 || !pb[0].Synced || len(pb[0].Addrs) == 0 {
			return fmt.Errorf("A's peers %+v; B's peers %+v", pa, pb)
		}
		if pb[0].Device != a.Device() || pb[0].LastExchange.IsZero() {
			return fmt.Errorf("B's peer %+v; want A with an exchange", pb[0])
		}
		return nil
	})
	// Each round reports its progress, the last report with Done; the
	// catch-up may take more than one round, so add up the rounds' totals.
	applied, rounds := 0, 0
	for len(events) > 0 {
		ev := <-events
		if ev.Kind != store.EventSyncProgress {
			continue
		}
		if ev.Sync == nil || ev.Sync.Device != a.Device() {
			t.Fatalf("progress event %+v; want one about A", ev)
		}
		if ev.Sync.Applied > ev.Sync.Received {
			t.Errorf("progress %+v: more applied than received", *ev.Sync)
		}
		if ev.Sync.Done {
			applied += ev.Sync.Applied
			rounds++
		}
	}
	if rounds == 0 || applied == 0 || applied > 300+10 {
		t.Errorf("progress on B's bus: %d rounds ended, %d changes applied in all; want at least one round that applied changes, no more than A holds", rounds, applied)
	}
}

// TestCloseLeavesNoGoroutines: Close waits for every goroutine the node
// started, including those of libp2p's host, and a second Close is harmless.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	a := coordinator(t, 20)
	b := openStore(t, t.TempDir())
	before := goleak.IgnoreCurrent()
	na, err := Start(t.Context(), a, LoopbackConfig())
	if err != nil {
		t.Fatal(err)
	}
	cfg := LoopbackConfig()
	cfg.MDNS = true // mDNS' goroutines must stop too (it may fail to start in a sandbox: then it is off)
	if err := desk.New(b).Join(na.JoinCode()); err != nil {
		t.Fatal(err)
	}
	if err := a.Endorse(b.Device(), relief.RoleVolunteer, "乙"); err != nil {
		t.Fatal(err)
	}
	nb, err := Start(t.Context(), b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	poll(t, "B caught up", func() error {
		if n := demandCount(b); n != 20 {
			return fmt.Errorf("B has %d demands", n)
		}
		return nil
	})
	if err := nb.Close(); err != nil {
		t.Errorf("B.Close() = %v", err)
	}
	if err := na.Close(); err != nil {
		t.Errorf("A.Close() = %v", err)
	}
	if err := na.Close(); err != nil {
		t.Errorf("second A.Close() = %v; want the first's (nil)", err)
	}
	// Close has returned: what is left must end by itself soon (goleak
	// retries briefly; on a loaded machine give it a few more tries).
	var leak error
	for range 10 {
		if leak = goleak.Find(before); leak == nil {
			break
		}
	}
	if leak != nil {
		t.Errorf("goroutines left after Close:\n%v", leak)
	}
}

// TestJoinCodeKeptAcrossReopen: the join code kept by desk.Desk.Join survives closing
// and reopening the store, and a node started on the reopened store dials its
// addresses by itself.
func TestJoinCodeKeptAcrossReopen(t *testing.T) {
	a := coordinator(t, 5)
	na := start(t, a)
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	code := na.JoinCode()
	if err := desk.New(st).Join(code); err != nil {
		t.Fatal(err)
	}
	if err := a.Endorse(st.Device(), relief.RoleVolunteer, "乙"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	b := openStore(t, dir)
	got, ok, err := SavedJoinCode(b)
	if err != nil || !ok || got.String() != code.String() {
		t.Fatalf("SavedJoinCode after reopen = %v, %v, %v; want %v", got, ok, err, code)
	}
	start(t, b)
	poll(t, "the reopened node dialled the code's addresses and caught up", func() error {
		if n := demandCount(b); n != 5 {
			return fmt.Errorf("B has %d demands", n)
		}
		return nil
	})
}

// TestJoinCodePickedUpWhileRunning: a join code kept while the node runs is
// dialled on the next pass, without a restart.
func TestJoinCodePickedUpWhileRunning(t *testing.T) {
	a := coordinator(t, 3)
	na := start(t, a)
	b := openStore(t, t.TempDir())
	code := na.JoinCode()
	if err := b.JoinNetwork(code.Network); err != nil {
		t.Fatal(err)
	}
	if err := a.Endorse(b.Device(), relief.RoleVolunteer, "乙"); err != nil {
		t.Fatal(err)
	}
	start(t, b)
	if err := desk.New(b).Join(code); err != nil {
		t.Fatal(err)
	}
	poll(t, "B dialled the new code's addresses", func() error {
		if n := demandCount(b); n != 3 {
			return fmt.Errorf("B has %d demands", n)
		}
		return nil
	})
}

func TestStartWithoutNetwork(t *testing.T) {
	st := openStore(t, t.TempDir())
	if n, err := Start(t.Context(), st, LoopbackConfig()); !errors.Is(err, ErrNoNetwork) {
		if n != nil {
			n.Close()
		}
		t.Fatalf("Start on a store with no network = %v; want ErrNoNetwork", err)
	}
}

// TestFallbackListen: when the node cannot listen on Listen (here an address
// of no interface of this computer; a port taken by another process behaves
// the same unless libp2p shares it with SO_REUSEPORT), it listens on the
// fallback; without one, Start fails and says why.
func TestFallbackListen(t *testing.T) {
	st := coordinator(t, 0)
	cfg := LoopbackConfig()
	cfg.Listen = []string{"/ip4/192.0.2.1/tcp/4717"} // TEST-NET-1: on no interface
	if n, err := Start(t.Context(), st, cfg); err == nil {
		n.Close()
		t.Fatalf("Start on %v with no fallback = nil; want an error", cfg.Listen)
	} else if !strings.Contains(err.Error(), "start network node") {
		t.Errorf("Start error %q; want it to say what failed", err)
	}
	cfg.FallbackListen = LoopbackConfig().Listen
	n, err := Start(t.Context(), st, cfg)
	if err != nil {
		t.Fatalf("Start with a fallback = %v", err)
	}
	defer n.Close()
	if len(n.Addrs()) == 0 || !strings.HasPrefix(n.Addrs()[0], "/ip4/127.0.0.1/tcp/") {
		t.Errorf("Addrs() = %v; want the fallback's loopback address", n.Addrs())
	}
}

func TestConnect(t *testing.T) {
	a := coordinator(t, 0)
	na := start(t, a)
	for _, bad := range []string{"", "not an address", "/ip4/127.0.0.1/tcp/1"} {
		if err := na.Connect(context.Background(), bad); !errors.Is(err, ErrBadAddress) {
			t.Errorf("Connect(%q) = %v; want ErrBadAddress", bad, err)
		}
	}
	b := openStore(t, t.TempDir())
	if err := b.JoinNetwork(na.JoinCode().Network); err != nil { // no join code kept: nothing to redial
		t.Fatal(err)
	}
	if err := a.Endorse(b.Device(), relief.RoleVolunteer, "乙"); err != nil {
		t.Fatal(err)
	}
	nb := start(t, b)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := nb.Connect(ctx, na.Addrs()[0]); err != nil {
		t.Fatalf("Connect(%s) = %v", na.Addrs()[0], err)
	}
	poll(t, "A connected on B's list", func() error {
		if ps := nb.Peers(); len(ps) != 1 || !ps[0].Connected || ps[0].Kind != "lan" {
			return fmt.Errorf("B's peers %+v", ps)
		}
		return nil
	})
}

// BenchmarkCatchUp measures a newcomer's node catching up 2,000 demands from
// a running node over loopback TCP: from Start (listen, dial the join code's
// address, handshake) to the version vectors being equal.
func BenchmarkCatchUp(b *testing.B) {
	const demands = 2000
	src, err := store.Open(b.TempDir(), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	if _, err := src.CreateNetwork("Flood", "甲"); err != nil {
		b.Fatal(err)
	}
	for i := range demands {
		if _, err := src.RecordDemand(relief.Demand{Title: fmt.Sprintf("demand %d", i), Category: "other"}); err != nil {
			b.Fatal(err)
		}
	}
	ns, err := Start(context.Background(), src, LoopbackConfig())
	if err != nil {
		b.Fatal(err)
	}
	defer ns.Close()
	code := ns.JoinCode()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		dst, err := store.Open(b.TempDir(), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := desk.New(dst).Join(code); err != nil {
			b.Fatal(err)
		}
		if err := src.Endorse(dst.Device(), relief.RoleVolunteer, "乙"); err != nil {
			b.Fatal(err)
		}
		events, unsubscribe := dst.Subscribe()
		b.StartTimer()
		nd, err := Start(context.Background(), dst, LoopbackConfig())
		if err != nil {
			b.Fatal(err)
		}
		want := src.VersionVector()
		for !dst.VersionVector().Equal(want) {
			select { // a batch applied (or progress): look again
			case <-events:
			case <-time.After(10 * time.Millisecond):
			}
		}
		b.StopTimer()
		unsubscribe()
		nd.Close()
		dst.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(demands)*float64(b.N)/b.Elapsed().Seconds(), "demands/s")
}

// BenchmarkStartClose measures starting a loopback node (host, replicator,
// redial loop) and closing it again, waiting for its goroutines.
func BenchmarkStartClose(b *testing.B) {
	st, err := store.Open(b.TempDir(), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.CreateNetwork("Flood", "甲"); err != nil {
		b.Fatal(err)
	}
	for range b.N {
		n, err := Start(context.Background(), st, LoopbackConfig())
		if err != nil {
			b.Fatal(err)
		}
		if err := n.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCodeFor: the code of a store no node serves names its network, and its
// addresses end in this device's peer id (appended when missing, kept when
// given); a text that is not a multiaddr and a store with no network are
// errors.
func TestCodeFor(t *testing.T) {
	if _, err := CodeFor(openStore(t, t.TempDir()), nil); !errors.Is(err, ErrNoNetwork) {
		t.Errorf("CodeFor(no network) = %v; want ErrNoNetwork", err)
	}
	a := coordinator(t, 0)
	c, err := CodeFor(a, []string{"/ip4/192.0.2.1/tcp/4717"})
	if err != nil {
		t.Fatal(err)
	}
	n, _ := a.Network()
	if c.Network != n.ID || c.Name != n.Name || len(c.Addrs) != 1 || !strings.HasPrefix(c.Addrs[0], "/ip4/192.0.2.1/tcp/4717/p2p/") {
		t.Fatalf("CodeFor = %+v; want network %s (%s) and the address with /p2p/", c, n.ID, n.Name)
	}
	again, err := CodeFor(a, c.Addrs)
	if err != nil || again.String() != c.String() {
		t.Errorf("CodeFor(its own addresses) = %v, %v; want %v unchanged", again, err, c)
	}
	if _, err := CodeFor(a, []string{"192.0.2.1:4717"}); err == nil {
		t.Errorf("CodeFor(%q) = nil error; want not a multiaddr", "192.0.2.1:4717")
	}
}

// TestCheckAddress: a multiaddr with /p2p/ passes; one without a peer id and
// a text that is no multiaddr are ErrBadAddress.
func TestCheckAddress(t *testing.T) {
	const id = "12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo"
	for _, tc := range []struct {
		addr string
		ok   bool
	}{
		{" /ip4/192.0.2.1/tcp/4717/p2p/" + id + " ", true},
		{"/ip4/192.0.2.1/tcp/4717", false},
		{"192.0.2.1:4717", false},
	} {
		err := CheckAddress(tc.addr)
		if tc.ok && err != nil || !tc.ok && !errors.Is(err, ErrBadAddress) {
			t.Errorf("CheckAddress(%q) = %v; want ok %v", tc.addr, err, tc.ok)
		}
	}
}
