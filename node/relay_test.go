package node

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/relief"
)

// freePort returns a TCP port on 127.0.0.1 that nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestSitesMeetThroughTheHub: laptop B sits behind a NAT (forced private):
// it reserves a slot at the hub of its join code; laptop C at another site,
// knowing only the hub, reaches B through the hub's relay and runs a
// catch-up round with B over that link. After the hub restarts, B reserves its slot
// again by itself.
func TestSitesMeetThroughTheHub(t *testing.T) {
	hub := coordinator(t, 0)
	hubListen := []string{fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", freePort(t))}
	hubCfg := LoopbackConfig()
	hubCfg.Listen, hubCfg.RelayService = hubListen, true
	nh, err := Start(t.Context(), hub, hubCfg)
	if err != nil {
		t.Fatal(err)
	}
	code := nh.JoinCode()
	laptop := func(name string, private bool) (*Node, *desk.Desk) {
		st := openStore(t, t.TempDir())
		d := desk.New(st)
		if err := d.Join(code); err != nil {
			t.Fatal(err)
		}
		if err := hub.Endorse(st.Device(), relief.RoleVolunteer, name); err != nil {
			t.Fatal(err)
		}
		cfg := LoopbackConfig()
		cfg.UseRelays, cfg.ForcePrivate = true, private
		n, err := Start(t.Context(), st, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		return n, d
	}
	nb, _ := laptop("乙", true)
	// The hub's addresses here are loopback, which libp2p never advertises
	// as relay addresses; members write the circuit address from the hub's
	// address and the member's id, as the redial loop does.
	circuit := nh.Addrs()[0] + "/p2p-circuit/p2p/" + nb.PeerID().String()
	nc, _ := laptop("丙", false)
	// C dials B through the hub until a catch-up round over the relayed
	// (limited) link has run: B admits C once it has C's endorsement from
	// the hub, and holds a slot once its reservation is made.
	relayed := func() bool {
		for _, c := range nc.Host().Libp2p().Network().ConnsToPeer(nb.PeerID()) {
			if strings.Contains(c.RemoteMultiaddr().String(), "/p2p-circuit") {
				return true
			}
		}
		return false
	}
	var since time.Time
	exchanged := func() error {
		for _, p := range nc.Peers() {
			if p.Device == nb.st.Device() && relayed() && p.LastExchange.After(since) {
				return nil
			}
		}
		if !relayed() {
			// only through the hub: forget B's own addresses (learnt by
			// identify), which would let C dial B directly on this machine
			nc.Host().Libp2p().Peerstore().ClearAddrs(nb.PeerID())
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			if err := nc.Connect(ctx, circuit); err != nil {
				return err
			}
		}
		return fmt.Errorf("no exchange through the hub yet: C's peers %+v", nc.Peers())
	}
	poll(t, "C exchanged with B through the hub", exchanged)
	nh.Close()

	// The hub restarts on its address: B reserves again.
	nh2, err := Start(t.Context(), hub, hubCfg)
	if err != nil {
		t.Fatal(err)
	}
	defer nh2.Close()
	nc.Host().Libp2p().Network().ClosePeer(nb.PeerID())
	since = time.Now()
	poll(t, "C exchanged with B through the restarted hub (B reserved again)", exchanged)
}
