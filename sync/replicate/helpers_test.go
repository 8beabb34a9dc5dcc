package replicate_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
	"github.com/reliefmesh/reliefmesh/sync/replicate"
)

// testInterval is the periodic catch-up interval in tests.
const testInterval = 200 * time.Millisecond

// waitFor polls cond every 20 ms until it holds or d passes, then fails the
// test with msg (and what cond last said).
func waitFor(t testing.TB, d time.Duration, msg string, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(d)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v: %v", msg, d, err)
		}
		<-tick.C
	}
}

type node struct {
	name string
	st   *store.Store
	h    *p2p.Host
	r    *replicate.Replicator
	stop func()
	err  chan error
}

// newStores opens n stores: the first creates the network and endorses the
// others with roles (volunteer when roles is short), and every store gets the
// roster before any host starts (as a join would).
func newStores(t testing.TB, n int, roles ...relief.Role) []*store.Store {
	t.Helper()
	stores := make([]*store.Store, n)
	for i := range stores {
		st, err := store.Open(t.TempDir(), store.Options{})
		if err != nil {
			t.Fatalf("store.Open = %v", err)
		}
		t.Cleanup(func() { st.Close() })
		stores[i] = st
	}
	net, err := stores[0].CreateNetwork("test incident", "coordinator")
	if err != nil {
		t.Fatalf("CreateNetwork = %v", err)
	}
	for i, st := range stores[1:] {
		role := relief.RoleVolunteer
		if i < len(roles) {
			role = roles[i]
		}
		if err := stores[0].Endorse(st.Device(), role, fmt.Sprintf("member %d", i+1)); err != nil {
			t.Fatalf("Endorse = %v", err)
		}
	}
	for _, st := range stores[1:] {
		if err := st.JoinNetwork(net.ID); err != nil {
			t.Fatalf("JoinNetwork = %v", err)
		}
		copyAll(t, stores[0], st)
	}
	return stores
}

// copyAll applies everything from has to to (out of band).
func copyAll(t testing.TB, from, to *store.Store) {
	t.Helper()
	var cs []*ledger.Change
	if err := from.ChangesSince(to.VersionVector(), func(c *ledger.Change) error { cs = append(cs, c); return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := to.ApplyRemote(cs); err != nil {
		t.Fatal(err)
	}
}

// startNode starts a host on loopback TCP and a replicator on st.
func startNode(t testing.TB, name string, st *store.Store, cfg replicate.Config) *node {
	t.Helper()
	return startNodeWith(t, name, st, cfg, p2p.Config{Listen: []string{"/ip4/127.0.0.1/tcp/0"}})
}

// startNodeWith is startNode with the host's configuration given.
func startNodeWith(t testing.TB, name string, st *store.Store, cfg replicate.Config, pcfg p2p.Config) *node {
	t.Helper()
	return startNodeHook(t, name, st, cfg, pcfg, nil)
}

// startNodeHook is startNodeWith calling before (if set) on the replicator
// before it runs.
func startNodeHook(t testing.TB, name string, st *store.Store, cfg replicate.Config, pcfg p2p.Config, before func(*replicate.Replicator)) *node {
	t.Helper()
	h, err := p2p.New(st.PrivateKey(), st, pcfg)
	if err != nil {
		t.Fatalf("p2p.New = %v", err)
	}
	if cfg.Interval == 0 {
		cfg.Interval = testInterval
	}
	r, err := replicate.New(h, st, cfg)
	if err != nil {
		t.Fatalf("replicate.New = %v", err)
	}
	if before != nil {
		before(r)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := &node{name: name, st: st, h: h, r: r, err: make(chan error, 1)}
	go func() { n.err <- r.Run(ctx) }()
	n.stop = func() {
		cancel()
		if err := <-n.err; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("%s: Run = %v", name, err)
		}
		h.Close()
	}
	t.Cleanup(func() {
		if n.stop != nil {
			n.stop()
		}
	})
	select {
	case <-r.Ready():
	case err := <-n.err:
		t.Fatalf("%s: Run = %v", name, err)
	}
	return n
}

func (n *node) shutdown() {
	if n.stop != nil {
		n.stop()
		n.stop = nil
	}
}

// connect dials b from a; the 30 s bound is for a handshake under -race at a
// load of 50 (a dial on loopback takes milliseconds when the machine is quiet).
func connect(t testing.TB, a, b *node) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := a.h.ConnectInfo(ctx, peer.AddrInfo{ID: b.h.ID(), Addrs: b.h.Libp2p().Addrs()}); err != nil {
		t.Fatalf("%s → %s: %v", a.name, b.name, err)
	}
}

// disconnect closes every connection between a and b and forgets their
// addresses, so that nothing redials: a network partition.
func disconnect(a, b *node) {
	a.h.Libp2p().Peerstore().ClearAddrs(b.h.ID())
	b.h.Libp2p().Peerstore().ClearAddrs(a.h.ID())
	a.h.Libp2p().Network().ClosePeer(b.h.ID())
	b.h.Libp2p().Network().ClosePeer(a.h.ID())
}

// sameVV reports nil when every node holds what the first holds.
func sameVV(nodes ...*node) func() error {
	return func() error {
		want := nodes[0].st.VersionVector()
		for _, n := range nodes[1:] {
			if got := n.st.VersionVector(); !got.Equal(want) {
				return fmt.Errorf("%s has %d changes, %s has %d", n.name, total(got), nodes[0].name, total(want))
			}
		}
		return nil
	}
}

func total(vv ledger.VersionVector) uint64 {
	var n uint64
	for _, s := range vv {
		n += s
	}
	return n
}

func qty(f float64) *float64 { return &f }

func demand(title string) relief.Demand {
	return relief.Demand{Title: title, Category: "protective_equipment", District: "江汉区",
		Items: []relief.Item{{Name: "N95口罩", Unit: "只", Needed: qty(500)}}}
}
