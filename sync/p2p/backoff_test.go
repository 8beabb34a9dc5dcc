package p2p_test

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
)

// TestRedialAfterOutage: a member that could not be reached for a few
// redial passes is connected by the first pass after it is back. libp2p backs
// off from a peer whose dial failed (5 s plus the square of the failed
// attempts in seconds, up to 5 minutes) and refuses to dial it meanwhile;
// Redial paces its own dials, so that backoff only kept a healed link down.
// Found by the many-peer simulation (node/peersim): after a partition healed,
// the hubs took 5–10 s to reconnect with a redial every 500 ms, and a link
// down for an hour would have stayed down up to 5 more minutes.
func TestRedialAfterOutage(t *testing.T) {
	coord, member := coordAndMember(t)

	// A port where nothing listens until the member comes back.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	id, err := p2p.PeerIDOf(member.Device())
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", port)
	targets := []peer.AddrInfo{{ID: id, Addrs: []ma.Multiaddr{ma.StringCast(addr)}}}

	hc := newHost(t, coord, nil)
	ctx := t.Context()
	for pass := range 3 {
		failed := false
		hc.DialMissing(ctx, targets, nil, func(peer.ID, error) { failed = true })
		if !failed {
			t.Fatalf("pass %d while the member is away: no dial error; want one", pass)
		}
	}

	hm, err := p2p.New(member.PrivateKey(), member, p2p.Config{Listen: []string{addr}})
	if err != nil {
		t.Skipf("the member could not listen on %s again (taken meanwhile): %v", addr, err)
	}
	t.Cleanup(func() { hm.Close() })
	var dialErr error
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	hc.DialMissing(dctx, targets, nil, func(_ peer.ID, err error) { dialErr = err })
	if got := hc.Libp2p().Network().Connectedness(id); got != network.Connected {
		t.Errorf("first redial pass after the member came back: %v (%v); want connected", got, dialErr)
	}
}

// TestMDNSRetriesAFailedDial: a peer mDNS found whose first dial fails is
// dialled again until it is reached. mDNS reports a peer once for its
// record's lifetime (3,200 s in libp2p's service): with one dial, a laptop
// whose first dial failed (it was still starting, the Wi-Fi dropped a
// packet) stayed hidden for most of an hour. Seen as a flaky
// TestMDNSFindsMembers under load (session 11: "b has 2, a has 3" after 30 s).
func TestMDNSRetriesAFailedDial(t *testing.T) {
	coord, member := coordAndMember(t)
	// The member's address, where nothing listens yet.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	id, err := p2p.PeerIDOf(member.Device())
	if err != nil {
		t.Fatal(err)
	}
	hc := newHost(t, coord, nil)
	// retries 2, 6, 14, 30 and 62 s after the first dial: the member's host
	// starts well inside that, even at -race and a load of 50 (with 300 ms the
	// last retry came 9.3 s after the first: a slow start could miss it)
	stop := p2p.FoundOnLAN(hc, peer.AddrInfo{ID: id, Addrs: []ma.Multiaddr{ma.StringCast(addr)}}, 2*time.Second)
	t.Cleanup(stop)
	time.Sleep(100 * time.Millisecond) // the first dial is refused: nothing listens
	if hc.Libp2p().Network().Connectedness(id) == network.Connected {
		t.Fatal("connected to a member that does not listen yet")
	}
	hm, err := p2p.New(member.PrivateKey(), member, p2p.Config{Listen: []string{addr}})
	if err != nil {
		t.Skipf("the member could not listen on %s (taken meanwhile): %v", addr, err)
	}
	t.Cleanup(func() { hm.Close() })
	deadline := time.Now().Add(90 * time.Second)
	for hc.Libp2p().Network().Connectedness(id) != network.Connected {
		if time.Now().After(deadline) {
			t.Fatal("the member found on the LAN is listening now, but was not dialled again within 90 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// coordAndMember returns a coordinator's store and a volunteer's it
// endorsed, the volunteer holding the coordinator's changes.
func coordAndMember(t *testing.T) (coord, member *store.Store) {
	t.Helper()
	coord, member = openStore(t), openStore(t)
	n, err := coord.CreateNetwork("net", "coordinator")
	if err != nil {
		t.Fatal(err)
	}
	if err := coord.Endorse(member.Device(), relief.RoleVolunteer, "member"); err != nil {
		t.Fatal(err)
	}
	if err := member.JoinNetwork(n.ID); err != nil {
		t.Fatal(err)
	}
	var cs []*ledger.Change
	coord.ChangesSince(nil, func(c *ledger.Change) error { cs = append(cs, c); return nil })
	if _, err := member.ApplyRemote(cs); err != nil {
		t.Fatal(err)
	}
	return coord, member
}
