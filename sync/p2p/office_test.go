package p2p_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
)

// fixedRoster is a roster of a fixed set of active members.
type fixedRoster struct {
	self    ledger.DeviceID
	members map[ledger.DeviceID]bool
}

func (r *fixedRoster) Member(d ledger.DeviceID) (relief.Member, bool) {
	if !r.members[d] {
		return relief.Member{}, false
	}
	return relief.Member{Key: d, Role: relief.RoleVolunteer}, true
}

func (r *fixedRoster) Device() ledger.DeviceID { return r.self }

// siteAddress returns an IPv4 address of this machine that is not loopback:
// libp2p's resource manager does not limit connections per address on
// loopback, so an office behind one NAT address is played on a real
// interface's address (the packets still stay on this machine).
func siteAddress(t *testing.T) string {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Skipf("no interface addresses: %v", err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			return n.IP.String()
		}
	}
	t.Skip("this machine has no IPv4 address besides loopback")
	return ""
}

// TestOfficeBehindOneAddress: 200 laptops of an office connect to a hub from
// one IPv4 address (as from behind the office's NAT) and all stay connected;
// a stranger from the same address is still refused. libp2p's resource
// manager allows 8 connections per address by default, ours allowed 128:
// the 129th laptop was refused.
func TestOfficeBehindOneAddress(t *testing.T) {
	const officePasses = 5
	if testing.Short() {
		t.Skip("200 hosts: not in -short")
	}
	ip := siteAddress(t)
	const laptops = 200
	keys := make([]ed25519.PrivateKey, laptops+1)
	roster := &fixedRoster{members: map[ledger.DeviceID]bool{}}
	for i := range keys {
		_, k, err := ledger.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		keys[i] = k
		roster.members[ledger.DeviceOf(k)] = true
	}
	_, hubKey, _ := ledger.GenerateKey(rand.Reader)
	roster.members[ledger.DeviceOf(hubKey)] = true
	hubRoster := *roster
	hubRoster.self = ledger.DeviceOf(hubKey)
	hub, err := p2p.New(hubKey, &hubRoster, p2p.HubLimits(p2p.Config{Listen: []string{"/ip4/" + ip + "/tcp/0"}}))
	if err != nil {
		t.Fatal(err)
	}
	defer hub.Close()
	hubInfo := peer.AddrInfo{ID: hub.ID(), Addrs: hub.Libp2p().Addrs()}

	strangerKey := keys[laptops]
	delete(roster.members, ledger.DeviceOf(strangerKey))
	delete(hubRoster.members, ledger.DeviceOf(strangerKey))

	hosts := make([]*p2p.Host, laptops+1)
	for i, k := range keys {
		r := *roster
		r.self = ledger.DeviceOf(k)
		h, err := p2p.New(k, &r, p2p.Config{Listen: []string{"/ip4/" + ip + "/tcp/0"}})
		if err != nil {
			t.Fatalf("laptop %d: %v", i, err)
		}
		defer h.Close()
		hosts[i] = h
	}
	// Each laptop dials as a node does (DialMissing, each pass a dial of at
	// most 10 s), passes again while it is not connected, up to
	// officePasses: under -race at GOMAXPROCS=1 and a load of 50, 28 of 200
	// handshakes ran past a single dial's 30 s and those laptops never
	// dialled again. A hub that refuses laptops (the limit this test is
	// about) refuses every pass: they are still missing below.
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	var errOnce sync.Once
	var failed atomic.Int64
	onErr := func(_ peer.ID, err error) {
		failed.Add(1)
		errOnce.Do(func() { t.Logf("a dial failed (passed again): %v", err) })
	}
	for _, h := range hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			for range officePasses {
				h.DialMissing(context.Background(), []peer.AddrInfo{hubInfo}, nil, onErr)
				if h.Libp2p().Network().Connectedness(hub.ID()) == network.Connected {
					return
				}
			}
		}()
	}
	wg.Wait()
	t.Logf("%d dials failed and were passed again", failed.Load())
	stranger := hosts[laptops].ID()
	deadline := time.Now().Add(30 * time.Second)
	for {
		connected, strangerIn := 0, false
		for _, p := range hub.Libp2p().Network().Peers() {
			if p == stranger {
				strangerIn = true
			} else if hub.Libp2p().Network().Connectedness(p) == network.Connected {
				connected++
			}
		}
		if connected == laptops && !strangerIn {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("hub holds %d of %d laptops from %s (stranger connected: %v)", connected, laptops, ip, strangerIn)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
