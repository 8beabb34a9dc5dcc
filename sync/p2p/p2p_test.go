package p2p_test

import (
	"context"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
)

func TestPeerIDRoundTrip(t *testing.T) {
	for range 20 {
		d, _, err := ledger.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		p, err := p2p.PeerIDOf(d)
		if err != nil {
			t.Fatalf("PeerIDOf(%s) = %v", d.Short(), err)
		}
		back, err := p2p.DeviceOf(p)
		if err != nil || back != d {
			t.Fatalf("DeviceOf(PeerIDOf(%s)) = %s, %v", d.Short(), back.Short(), err)
		}
	}
	if _, err := p2p.DeviceOf(peer.ID("not a peer id")); err == nil {
		t.Errorf("DeviceOf(garbage) = nil error")
	}
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func newHost(t *testing.T, st *store.Store, joining p2p.JoiningFunc) *p2p.Host {
	t.Helper()
	h, err := p2p.New(st.PrivateKey(), st, p2p.Config{Listen: []string{"/ip4/127.0.0.1/tcp/0"}, Joining: joining})
	if err != nil {
		t.Fatalf("p2p.New = %v", err)
	}
	t.Cleanup(func() { h.Close() })
	if h.Device() != st.Device() {
		t.Fatalf("host device %s; want the store's %s", h.Device().Short(), st.Device().Short())
	}
	return h
}

// dial connects from to to and reports an error unless both sides hold the
// connection. A gater refusing an inbound connection does so after the
// security handshake, so the dialer may briefly believe it connected: the
// accepting side is what counts, and the dialer's side must close.
//
// The 30 s bound is for a dial that succeeds slowly (a handshake under -race
// at a load of 50); a refused one ends as soon as the connection is closed.
func dial(from, to *p2p.Host) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := from.ConnectInfo(ctx, peer.AddrInfo{ID: to.ID(), Addrs: to.Libp2p().Addrs()}); err != nil {
		return err
	}
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if to.Libp2p().Network().Connectedness(from.ID()) == network.Connected {
			return nil
		}
		if from.Libp2p().Network().Connectedness(to.ID()) != network.Connected {
			return errors.New("connection closed by the remote side")
		}
		select {
		case <-ctx.Done():
			return errors.New("remote side never held the connection")
		case <-tick.C:
		}
	}
}

func TestGaterAdmitsMembersOnly(t *testing.T) {
	coord, member, stranger, newcomer := openStore(t), openStore(t), openStore(t), openStore(t)
	n, err := coord.CreateNetwork("net", "coordinator")
	if err != nil {
		t.Fatal(err)
	}
	coord.Endorse(member.Device(), relief.RoleVolunteer, "member")
	member.JoinNetwork(n.ID)
	var cs []*ledger.Change
	coord.ChangesSince(nil, func(c *ledger.Change) error { cs = append(cs, c); return nil })
	member.ApplyRemote(cs)
	stranger.CreateNetwork("other", "x") // a member of its own network only

	hc, hm, hs := newHost(t, coord, nil), newHost(t, member, nil), newHost(t, stranger, nil)
	if err := dial(hm, hc); err != nil {
		t.Fatalf("member → coordinator: %v", err)
	}
	if err := dial(hs, hc); err == nil {
		t.Errorf("stranger → coordinator connected; want refused")
	}
	if err := dial(hc, hs); err == nil {
		t.Errorf("coordinator → stranger connected; want refused (not a member)")
	}

	// A newcomer (not yet a member of its own roster) may dial out, but is
	// admitted only once endorsed — or by the joining hook.
	newcomer.JoinNetwork(n.ID)
	hn := newHost(t, newcomer, nil)
	if err := dial(hn, hc); err == nil {
		t.Errorf("newcomer → coordinator before endorsement connected; want refused")
	}
	coord.Endorse(newcomer.Device(), relief.RoleObserver, "newcomer")
	if err := dial(hn, hc); err != nil {
		t.Errorf("newcomer → coordinator after endorsement: %v", err)
	}

	// The joining hook admits a peer that is not on the roster.
	asked := make(chan ledger.DeviceID, 4)
	hj := newHost(t, openStore(t), nil)
	coord2 := openStore(t)
	coord2.CreateNetwork("net2", "c")
	hc2 := newHost(t, coord2, func(d ledger.DeviceID, dir network.Direction) bool {
		asked <- d
		return d == hj.Device()
	})
	if err := dial(hj, hc2); err != nil {
		t.Errorf("joining peer → coordinator with hook: %v", err)
	}
	if d := <-asked; d != hj.Device() {
		t.Errorf("hook asked about %s; want %s", d.Short(), hj.Device().Short())
	}
}
