package node

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// PortsTakenError is Start's error when another program of this computer
// (another ReliefMesh, another hub) holds a fixed listen port and no
// fallback was given: Ports are those ports as "tcp/4717", "udp/4717". Its
// Error is English, for logs; a program that says it to a person names the
// ports in its own words.
type PortsTakenError struct{ Ports []string }

func (e *PortsTakenError) Error() string {
	return fmt.Sprintf("start network node: port %s is used by another program (another ReliefMesh or hub on this computer?): stop it, or listen on another port", strings.Join(e.Ports, ", "))
}

// takenPorts returns, for the listen multiaddrs addrs, the "proto/port" of
// each fixed port (not 0) that another socket of this machine holds, e.g.
// "tcp/4717". It binds each one for a moment without SO_REUSEPORT: libp2p's
// TCP transport binds with SO_REUSEPORT, so a second node would otherwise
// share a port with the first and the kernel would split the first's
// incoming connections between the two processes. Addresses that do not
// parse are left to the host, which says what is wrong with them.
func takenPorts(addrs []string) []string {
	var taken []string
	for _, s := range addrs {
		m, err := ma.NewMultiaddr(s)
		if err != nil {
			continue
		}
		network, hostport, err := probeAddr(m)
		if err != nil {
			continue
		}
		_, port, _ := net.SplitHostPort(hostport)
		if port == "0" {
			continue
		}
		if !bindable(network, hostport) {
			taken = append(taken, network[:3]+"/"+port)
		}
	}
	return taken
}

// probeAddr returns the Go network ("tcp4", "udp6" …) and host:port of a
// TCP or UDP listen multiaddr; a QUIC address (…/udp/4717/quic-v1) gives
// its UDP part.
func probeAddr(m ma.Multiaddr) (string, string, error) {
	var thin ma.Multiaddr
	for i, c := range m {
		if c.Protocol().Code == ma.P_TCP || c.Protocol().Code == ma.P_UDP {
			thin = m[:i+1]
			break
		}
	}
	if thin == nil {
		return "", "", fmt.Errorf("listen address %s: neither TCP nor UDP", m)
	}
	netAddr, err := manet.ToNetAddr(thin)
	if err != nil {
		return "", "", fmt.Errorf("listen address %s: %w", m, err)
	}
	return netAddr.Network(), netAddr.String(), nil
}

// bindable reports whether host:port can be bound on network now; the
// socket is closed at once.
func bindable(network, hostport string) bool {
	if strings.HasPrefix(network, "udp") {
		c, err := net.ListenPacket(network, hostport)
		if err != nil {
			return false
		}
		c.Close()
		return true
	}
	l, err := net.Listen(network, hostport)
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// listenNote says in words which configured ports were taken and which the
// node took instead (its addresses addrs), for the log and the network
// screen; empty when none was taken.
func listenNote(taken []string, addrs []string) string {
	if len(taken) == 0 {
		return ""
	}
	var ports []string
	seen := map[string]bool{}
	for _, a := range addrs {
		parts := strings.Split(a, "/")
		for i := 0; i+1 < len(parts); i++ {
			if (parts[i] == "tcp" || parts[i] == "udp") && !seen[parts[i]+"/"+parts[i+1]] {
				if _, err := strconv.Atoi(parts[i+1]); err == nil {
					seen[parts[i]+"/"+parts[i+1]] = true
					ports = append(ports, parts[i]+"/"+parts[i+1])
				}
			}
		}
	}
	return fmt.Sprintf("port %s is used by another program (another ReliefMesh on this computer?): this node listens on %s instead",
		strings.Join(taken, ", "), strings.Join(ports, ", "))
}
