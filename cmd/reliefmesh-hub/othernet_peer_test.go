package main

import (
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/sync/p2p"
)

// TestPeerOfAnotherNetworkIsTold: a hub given --peer of another incident's
// hub showed "peers: 0" and only logged, in English and every 5 s, that the
// gater disallows the connection. Status now says, in the hub's language,
// that the peer is not a member and what to check; the log says it once.
func TestPeerOfAnotherNetworkIsTold(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if out, err := run(t, "init", "--name", "武汉 2020", "--data-dir", a); err != nil {
		t.Fatalf("init a = %v\n%s", err, out)
	}
	if out, err := run(t, "init", "--name", "别的事件", "--data-dir", b); err != nil {
		t.Fatalf("init b = %v\n%s", err, out)
	}
	ha := startServe(t, a, serveOptions{})
	defer ha.stop()
	addr := ha.nd.addrs()[0]
	hb := startServe(t, b, serveOptions{peers: []string{addr}, redial: 100 * time.Millisecond})
	defer hb.stop()
	var out string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		out, _ = run(t, "status", "--lang", "zh-CN", "--data-dir", b)
		if strings.Contains(out, "不是本网络的成员") {
			break
		}
	}
	// named by what this hub knows of it: the address it is dialled at
	// and the short form of its member id, not the whole libp2p peer id
	// (a 52-character hash nobody can tell apart)
	peerID := ha.nd.h.ID().String()
	dev, err := p2p.DeviceOf(ha.nd.h.ID())
	if err != nil {
		t.Fatal(err)
	}
	at := strings.TrimSuffix(addr, "/p2p/"+peerID)
	if want := "不同步：  " + at + "（成员 ID " + dev.Short() + "）不是本网络的成员"; !strings.Contains(out, want) || strings.Contains(out, peerID) {
		t.Errorf("status of the hub with another network's --peer:\n%s\nwant it to say %q, without the peer id %s", out, want, peerID)
	}
	if out, _ := run(t, "status", "--lang", "en", "--data-dir", b); !strings.Contains(out, "not synced: "+at+" (member id "+dev.Short()+") is not a member") {
		t.Errorf("status in English:\n%s\nwant the peer named by %s and %s", out, at, dev.Short())
	}
	time.Sleep(500 * time.Millisecond) // a few more redials
	if n := strings.Count(hb.logs.String(), "not a member of this network"); n != 1 {
		t.Errorf("log says the peer is not a member %d times; want once\n%s", n, hb.logs.String())
	}
	if log := hb.logs.String(); !strings.Contains(log, at) || !strings.Contains(log, dev.Short()) {
		t.Errorf("log of the refused peer:\n%s\nwant its address %s and member id %s", log, at, dev.Short())
	}
}
