package p2p

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"log/slog"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/host/autorelay"
	"github.com/libp2p/go-libp2p/p2p/net/connmgr"
	"github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/relay"
	quic "github.com/libp2p/go-libp2p/p2p/transport/quic"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// DefaultListen are the addresses a node listens on when Config.Listen is
// empty: every interface, TCP and QUIC, port 4717.
var DefaultListen = []string{"/ip4/0.0.0.0/tcp/4717", "/ip4/0.0.0.0/udp/4717/quic-v1", "/ip6/::/tcp/4717", "/ip6/::/udp/4717/quic-v1"}

// Config configures a Host. The zero value listens on DefaultListen, admits
// members only and serves no relay.
type Config struct {
	// Listen are multiaddrs to listen on, e.g. "/ip4/0.0.0.0/tcp/4717" or
	// "/ip4/0.0.0.0/udp/4717/quic-v1"; tests use "/ip4/127.0.0.1/tcp/0".
	// Empty means DefaultListen.
	Listen []string
	// Joining admits peers that are not active members (see JoiningFunc); nil
	// admits members only (plus the bootstrap rule of Gater).
	Joining JoiningFunc
	// RelayService makes this host a circuit relay v2 for members (hubs),
	// with RelayResources' limits. Every host can use relays as a client.
	RelayService bool
	// ConnLow and ConnHigh are the connection manager's watermarks: above
	// ConnHigh connections, the least useful are trimmed down to ConnLow.
	// Zero means 200 and 400.
	ConnLow, ConnHigh int
	// ConnsPerIP is how many connections the resource manager accepts from
	// one IPv4 address, and from one IPv6 /56; 0 means ConnsPerIPv4 (128).
	// A hub that a whole office reaches from behind one NAT address needs
	// more (HubLimits). Strangers are refused after the security handshake
	// whatever this says (see Gater).
	ConnsPerIP int
	// Relays, when not nil, makes the host a relay client that keeps a slot
	// reserved at a relay (circuit relay v2) while it is not reachable from
	// outside (behind a NAT, as AutoNAT finds, or ForcePrivate): the hubs of
	// the join code, asked again whenever a slot is lost (a hub restarted).
	// Other members then reach this host through the hub at
	// HUB_ADDR/p2p/HUB/p2p-circuit/p2p/THIS, and hole punching (DCUtR)
	// upgrades such a link to a direct one where the NATs allow.
	Relays func() []peer.AddrInfo
	// ForcePrivate tells the host that it is not reachable from outside
	// without waiting for AutoNAT (tests on loopback; a site known to be
	// behind a NAT).
	ForcePrivate bool
	// Logger receives connection-level logs; nil discards them.
	Logger *slog.Logger
	// NoAnnounce tells peers no listen address (identify), so that they
	// reach this host only by the addresses they were given: for soak and
	// partition tests where every link goes through a proxy that can be
	// cut. Real nodes leave it false.
	NoAnnounce bool
}

// Host is a libp2p host whose identity is the device key and whose
// connections are gated by the roster.
type Host struct {
	h      host.Host
	gater  *Gater
	device ledger.DeviceID
	log    *slog.Logger
}

// New starts a host with key (the device's ed25519 private key, 64 bytes)
// as identity, gating connections by roster. It listens on cfg.Listen (TCP
// and QUIC transports are enabled; any address of either kind may be given).
// Errors: a bad key, an address that does not parse, or a listen failure
// (address in use). Close the Host to stop it.
func New(key ed25519.PrivateKey, roster Roster, cfg Config) (*Host, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("p2p host: private key is %d bytes, want %d", len(key), ed25519.PrivateKeySize)
	}
	priv, err := crypto.UnmarshalEd25519PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("p2p host: device key: %w", err)
	}
	listen := cfg.Listen
	if len(listen) == 0 {
		listen = DefaultListen
	}
	low, high := cfg.ConnLow, cfg.ConnHigh
	if low == 0 {
		low = 200
	}
	if high == 0 {
		high = 400
	}
	cm, err := connmgr.NewConnManager(low, high, connmgr.WithGracePeriod(time.Minute))
	if err != nil {
		return nil, fmt.Errorf("p2p host: connection manager: %w", err)
	}
	rm, err := newResourceManager(cfg.ConnsPerIP)
	if err != nil {
		return nil, fmt.Errorf("p2p host: %w", err)
	}
	gater := NewGater(roster, cfg.Joining)
	opts := []libp2p.Option{
		libp2p.Identity(priv),
		libp2p.ListenAddrStrings(listen...),
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.Transport(quic.NewTransport),
		libp2p.ConnectionGater(gater),
		libp2p.ResourceManager(rm),
		libp2p.ConnectionManager(cm),
		libp2p.UserAgent("reliefmesh"),
		libp2p.EnableRelay(),
	}
	if cfg.Relays != nil {
		opts = append(opts, libp2p.EnableHolePunching(), libp2p.EnableAutoRelayWithPeerSource(relaySource(cfg.Relays),
			autorelay.WithBootDelay(0), autorelay.WithMinCandidates(1), autorelay.WithNumRelays(2),
			autorelay.WithBackoff(RelayBackoff), autorelay.WithMinInterval(RelayBackoff)))
	}
	if cfg.ForcePrivate {
		opts = append(opts, libp2p.ForceReachabilityPrivate())
	}
	if cfg.NoAnnounce {
		opts = append(opts, libp2p.AddrsFactory(func([]ma.Multiaddr) []ma.Multiaddr { return nil }))
	}
	if cfg.RelayService {
		// libp2p starts the relay service only once AutoNAT finds the host
		// publicly reachable, which a hub on a site's LAN or behind a
		// router never is: a hub relays for members wherever it runs.
		opts = append(opts, libp2p.ForceReachabilityPublic(), libp2p.EnableRelayService(
			relay.WithResources(RelayResources()),
			relay.WithACL(memberACL{gater})))
	}
	h, err := libp2p.New(opts...)
	if err != nil {
		rm.Close()
		return nil, fmt.Errorf("p2p host: %w", err)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Host{h: h, gater: gater, device: ledger.DeviceOf(key), log: log}, nil
}

// RelayBackoff is how long a relay client waits before asking a relay that
// failed (or went away) again, and how often it looks for candidates:
// libp2p's default of an hour would leave a laptop unreachable for an hour
// after its hub restarted.
const RelayBackoff = 10 * time.Second

// relaySource adapts relays to autorelay's peer source: the current
// candidates, at most num of them.
func relaySource(relays func() []peer.AddrInfo) autorelay.PeerSource {
	return func(ctx context.Context, num int) <-chan peer.AddrInfo {
		cands := relays()
		out := make(chan peer.AddrInfo, len(cands))
		for i, c := range cands {
			if i >= num {
				break
			}
			out <- c
		}
		close(out)
		return out
	}
}

// Libp2p returns the underlying libp2p host, for protocols built on it.
func (h *Host) Libp2p() host.Host { return h.h }

// ID returns the host's peer id (the device key).
func (h *Host) ID() peer.ID { return h.h.ID() }

// Device returns the host's device id.
func (h *Host) Device() ledger.DeviceID { return h.device }

// Gater returns the connection gater.
func (h *Host) Gater() *Gater { return h.gater }

// Addrs returns the host's dialable addresses, each ending in /p2p/<peer id>,
// as a join code or a person typing an address would carry them.
func (h *Host) Addrs() []ma.Multiaddr {
	info := peer.AddrInfo{ID: h.h.ID(), Addrs: h.h.Addrs()}
	out, err := peer.AddrInfoToP2pAddrs(&info)
	if err != nil {
		return nil
	}
	return out
}

// Connect dials addr, a multiaddr ending in /p2p/<peer id>, and waits until
// connected or ctx ends. Errors: the address has no peer id, the gater
// refuses the peer (not a member), or the dial fails.
func (h *Host) Connect(ctx context.Context, addr ma.Multiaddr) error {
	info, err := peer.AddrInfoFromP2pAddr(addr)
	if err != nil {
		return fmt.Errorf("connect %s: %w", addr, err)
	}
	return h.ConnectInfo(ctx, *info)
}

// ConnectInfo is Connect for an already-parsed address.
func (h *Host) ConnectInfo(ctx context.Context, info peer.AddrInfo) error {
	if err := h.h.Connect(ctx, info); err != nil {
		return fmt.Errorf("connect %s: %w", info.ID, err)
	}
	return nil
}

// CloseNonMembers closes connections to peers the gater would no longer
// admit (e.g. just revoked). The replicator calls it when the roster changes.
func (h *Host) CloseNonMembers() {
	for _, c := range h.h.Network().Conns() {
		if !h.gater.Admits(c.RemotePeer(), c.Stat().Direction) {
			h.log.Info("closing connection to a peer no longer admitted", "peer", c.RemotePeer())
			c.Close()
		}
	}
}

// Close stops listening and closes every connection.
func (h *Host) Close() error { return h.h.Close() }

// Connection kinds returned by ConnKind.
const (
	KindLAN    = "lan"    // direct, to a private, link-local or loopback address
	KindDirect = "direct" // direct, to a public address (e.g. a hub on the internet)
	KindRelay  = "relay"  // through a circuit relay (limited connection)
)

// ConnKind says how c reaches its peer: KindRelay, KindLAN or KindDirect.
func ConnKind(c network.Conn) string {
	addr := c.RemoteMultiaddr()
	if c.Stat().Limited || isRelayed(addr) {
		return KindRelay
	}
	if manet.IsPrivateAddr(addr) || manet.IsIPLoopback(addr) || manet.IsIP6LinkLocal(addr) {
		return KindLAN
	}
	return KindDirect
}

func isRelayed(addr ma.Multiaddr) bool {
	_, err := addr.ValueForProtocol(ma.P_CIRCUIT)
	return err == nil
}

// memberACL admits relay reservations and circuits between members only.
type memberACL struct{ g *Gater }

func (a memberACL) AllowReserve(p peer.ID, _ ma.Multiaddr) bool {
	return a.g.Admits(p, network.DirInbound)
}

func (a memberACL) AllowConnect(src peer.ID, _ ma.Multiaddr, dest peer.ID) bool {
	return a.g.Admits(src, network.DirInbound) && a.g.Admits(dest, network.DirInbound)
}
