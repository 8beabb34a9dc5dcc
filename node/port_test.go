package node

import (
	"net"
	"strconv"
	"strings"
	"testing"
)

// freeTCPPort returns a TCP port of 127.0.0.1 that was free a moment ago.
func freeTCPPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// portOf returns the TCP port of the first address of n.
func portOf(t *testing.T, n *Node) int {
	t.Helper()
	for _, a := range n.Addrs() {
		parts := strings.Split(a, "/")
		for i := 0; i+1 < len(parts); i++ {
			if parts[i] == "tcp" {
				p, err := strconv.Atoi(parts[i+1])
				if err != nil {
					t.Fatalf("address %q: %v", a, err)
				}
				return p
			}
		}
	}
	t.Fatalf("no TCP address in %v", n.Addrs())
	return 0
}

// TestSecondNodeTakesAnotherPort: two nodes of one machine configured on the
// same port (two data directories, as two desktop apps or an app and a hub)
// must not share it — libp2p's TCP transport sets SO_REUSEPORT, so the second
// bind succeeded and the kernel split incoming connections between the two
// processes. The second node listens on its fallback (another port) and says
// which in ListenNote.
func TestSecondNodeTakesAnotherPort(t *testing.T) {
	port := freeTCPPort(t)
	cfg := LoopbackConfig()
	cfg.Listen = []string{"/ip4/127.0.0.1/tcp/" + strconv.Itoa(port)}
	cfg.FallbackListen = LoopbackConfig().Listen

	first, err := Start(t.Context(), coordinator(t, 0), cfg)
	if err != nil {
		t.Fatalf("first Start = %v", err)
	}
	defer first.Close()
	if got := portOf(t, first); got != port {
		t.Fatalf("first node listens on %d; want the configured %d", got, port)
	}
	if note := first.ListenNote(); note != "" {
		t.Errorf("first node's ListenNote = %q; want empty (it has its configured port)", note)
	}

	second, err := Start(t.Context(), coordinator(t, 0), cfg)
	if err != nil {
		t.Fatalf("second Start = %v", err)
	}
	defer second.Close()
	got := portOf(t, second)
	if got == port {
		t.Fatalf("second node listens on %d too; want another port", got)
	}
	if tp := second.TakenPorts(); len(tp) != 1 || tp[0] != "tcp/"+strconv.Itoa(port) {
		t.Errorf("second node's TakenPorts = %v; want [tcp/%d]", tp, port)
	}
	if tp := first.TakenPorts(); len(tp) != 0 {
		t.Errorf("first node's TakenPorts = %v; want none", tp)
	}
	note := second.ListenNote()
	if !strings.Contains(note, strconv.Itoa(port)) || !strings.Contains(note, strconv.Itoa(got)) {
		t.Errorf("second node's ListenNote = %q; want it to name the taken port %d and the port %d it took", note, port, got)
	}
}

// TestTakenPortWithoutFallback: a node with no fallback (the hub) whose
// configured port another node holds fails and names the port, instead of
// sharing it.
func TestTakenPortWithoutFallback(t *testing.T) {
	port := freeTCPPort(t)
	cfg := LoopbackConfig()
	cfg.Listen = []string{"/ip4/127.0.0.1/tcp/" + strconv.Itoa(port)}
	first, err := Start(t.Context(), coordinator(t, 0), cfg)
	if err != nil {
		t.Fatalf("first Start = %v", err)
	}
	defer first.Close()
	second, err := Start(t.Context(), coordinator(t, 0), cfg)
	if err == nil {
		second.Close()
		t.Fatalf("second Start on the taken port %d with no fallback = nil; want an error", port)
	}
	if !strings.Contains(err.Error(), "tcp/"+strconv.Itoa(port)) || !strings.Contains(err.Error(), "another program") {
		t.Errorf("error %q; want it to name tcp/%d and say another program holds it", err, port)
	}
}
