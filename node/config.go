package node

import (
	"log/slog"
	"time"

	"github.com/reliefmesh/reliefmesh/sync/p2p"
)

// Config configures a Node. The zero value listens on p2p.DefaultListen with
// no fallback, runs no mDNS and no relay service, redials every 5 s and
// catches up every 30 s; start from a preset (DesktopConfig, HubConfig,
// LoopbackConfig) and change what differs.
type Config struct {
	// Listen are the multiaddrs to listen on, e.g. "/ip4/0.0.0.0/tcp/4717"
	// or "/ip4/0.0.0.0/udp/4717/quic-v1". Empty means p2p.DefaultListen
	// (TCP and QUIC on port 4717, IPv4 and IPv6).
	Listen []string
	// FallbackListen are tried when listening on Listen fails (the port is
	// taken, e.g. by another app on this computer); empty means Start fails
	// instead. The desktop listens on any free port; a hub does not fall
	// back, because its port is written in the join codes it gave out.
	FallbackListen []string
	// Peers are multiaddrs ending in /p2p/PEER_ID that the node keeps
	// connected to (redialled every Redial while not connected), besides the
	// addresses of the join code kept in the store. Bad addresses are logged
	// and left out.
	Peers []string
	// Redial is how often peers that are not connected (Peers and the join
	// code's addresses) are dialled again; 0 means 5 s. A dial lasts at most
	// 10 s.
	Redial time.Duration
	// Interval is how often a catch-up round runs with each connected peer
	// (besides the round on every new connection); 0 means 30 s.
	Interval time.Duration
	// MDNS advertises the node on the LAN and dials the members found there
	// (scoped to the network id).
	MDNS bool
	// RelayService makes the node a circuit relay v2 for members (hubs), with
	// p2p.RelayResources' limits. Every node can use relays as a client.
	RelayService bool
	// MaxRoundsPerPeer and MaxInboundRounds bound the catch-up rounds that
	// one member, and all members together, may have started with this node
	// at a time (streams beyond are reset and counted); 0 means
	// replicate.DefaultMaxRoundsPerPeer and replicate.DefaultMaxInboundRounds.
	// Each round holds at most about 1 MiB before its changes arrive.
	MaxRoundsPerPeer, MaxInboundRounds int
	// ConnsPerIP, ConnLow and ConnHigh are the host's connection limits
	// (p2p.Config): connections from one address, and the connection
	// manager's watermarks; 0 means p2p's defaults (128, 200, 400).
	// HubConfig raises them so that a whole office behind one NAT address
	// stays connected (p2p.HubLimits).
	ConnsPerIP, ConnLow, ConnHigh int
	// UseRelays keeps a slot reserved at the join code's hubs while this
	// device is behind a NAT, so that members at other sites reach it
	// through a hub (and punch a direct hole where the NATs allow); see
	// p2p.Config.Relays.
	UseRelays bool
	// ForcePrivate: see p2p.Config.ForcePrivate (tests).
	ForcePrivate bool
	// Logger receives the node's logs (connections, rounds, dials); nil
	// discards them.
	Logger *slog.Logger
	// MapFile is a street map (a PMTiles file) the node serves to active
	// members on MapProtocolID, at most MaxMapSize bytes; "" serves none.
	// The file is read at each request, so it may be replaced while the
	// node runs.
	MapFile string
	// NoAnnounce: see p2p.Config.NoAnnounce (soak and partition tests only).
	NoAnnounce bool
	// GossipD is the gossip mesh degree (replicate.Config.GossipD); 0 means
	// gossipsub's default of 6. HubConfig sets HubGossipD.
	GossipD int
	// IDontWantAbove: see replicate.Config.IDontWantAbove (0: every change
	// is announced; negative: gossipsub's default, for comparison).
	IDontWantAbove int
}

// DefaultRedial is the redial interval when Config.Redial is 0.
const DefaultRedial = 5 * time.Second

// DesktopConfig is the preset of the desktop app: TCP and QUIC on port 4717,
// any free port when 4717 is taken, mDNS on, no relay service but a slot
// kept at the join code's hubs when behind a NAT (UseRelays), redial every
// 5 s, catch-up every 30 s.
func DesktopConfig() Config {
	return Config{
		Listen:         p2p.DefaultListen,
		FallbackListen: []string{"/ip4/0.0.0.0/tcp/0", "/ip4/0.0.0.0/udp/0/quic-v1"},
		Redial:         DefaultRedial,
		Interval:       30 * time.Second,
		MDNS:           true,
		UseRelays:      true,
	}
}

// HubConfig is the preset of the headless hub: TCP and QUIC on port 4717
// (no fallback: the port is in the join codes the hub gave out), mDNS on,
// relay service on, redial every 5 s, catch-up every 30 s, at most
// HubInboundRounds catch-up rounds started by members at a time (2 each),
// and p2p.HubLimits' connection limits (an office of 200 laptops behind one
// address).
func HubConfig() Config {
	h := p2p.HubLimits(p2p.Config{})
	return Config{
		Listen:           p2p.DefaultListen,
		Redial:           DefaultRedial,
		Interval:         30 * time.Second,
		MDNS:             true,
		RelayService:     true,
		MaxInboundRounds: HubInboundRounds,
		GossipD:          HubGossipD,
		ConnsPerIP:       h.ConnsPerIP,
		ConnLow:          h.ConnLow,
		ConnHigh:         h.ConnHigh,
	}
}

// HubGossipD is HubConfig's GossipD: a hub pushes each change at once to up
// to 128 members (its mesh is kept between 54 and 128), the laptops of its
// site and the other hubs. With gossipsub's default (between 5 and 12) a hub
// of a site of 9 laptops linked to 4 other hubs left most of its peers to
// gossip's lazy announcements and to catch-up: in the many-peer simulation
// at 50 nodes only 43 % of the changes travelled by gossip and convergence
// took 29 s (BENCHMARKS.md, "Many peers").
const HubGossipD = 64

// HubInboundRounds is HubConfig's MaxInboundRounds: a hub serves a whole
// site at once, so twice the default, at most some 128 MiB of hellos and
// buffers.
const HubInboundRounds = 128

// LoopbackConfig is the preset for tests: TCP on 127.0.0.1, any free port,
// no mDNS (nodes meet by address only), no relay service, redial every
// 100 ms and catch-up every 200 ms.
func LoopbackConfig() Config {
	return Config{
		Listen:   []string{"/ip4/127.0.0.1/tcp/0"},
		Redial:   100 * time.Millisecond,
		Interval: 200 * time.Millisecond,
	}
}

func (c *Config) fill() {
	if len(c.Listen) == 0 {
		c.Listen = p2p.DefaultListen
	}
	if c.Redial <= 0 {
		c.Redial = DefaultRedial
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}
