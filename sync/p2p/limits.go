package p2p

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
	"github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/relay"
	"github.com/libp2p/go-libp2p/x/rate"
)

// Resource-manager limits, chosen for ReliefMesh rather than taken from
// libp2p's defaults (which scale with the machine and, on a small laptop,
// refuse the many streams a catch-up plus gossip burst opens). A network is
// at most a few hundred devices and only members connect, so the limits
// guard memory, not against strangers.
//
//	scope                   conns (in/out)     streams (in/out)     memory
//	system                  1024 (768/768)     16384 (8192/8192)    1 GiB
//	transient               256 (192/192)      1024 (512/512)       128 MiB
//	each peer               16 (8/8)           1024 (512/512)       256 MiB
//	each connection         1                  1024 (512/512)       256 MiB
//	each stream             —                  1                    32 MiB
//	services, protocols     unlimited (bounded by the peer and system scopes)
//
// File descriptors: 4096 for the system scope. Connections from one IPv4
// address: 128 (libp2p's default of 8 is far too few for a site whose
// laptops share one NAT address towards a hub); one IPv6 /56: 128; a hub
// 512 (HubLimits). New connections from one address: a burst of as many,
// then ConnsPerSecondPerIP (libp2p's default is 0.2 a second).
const (
	SystemConns        = 1024
	SystemStreams      = 16384
	SystemMemory       = 1 << 30
	SystemFD           = 4096
	TransientConns     = 256
	TransientStreams   = 1024
	TransientMemory    = 128 << 20
	PeerConns          = 16
	PeerStreams        = 1024
	PeerMemory         = 256 << 20
	StreamMemory       = 32 << 20
	ConnsPerIPv4       = 128
	ConnsPerIPv6Prefix = 128
)

// Limits returns the resource-manager limits described above.
func Limits() rcmgr.ConcreteLimitConfig {
	both := func(conns, streams int, mem int64) rcmgr.ResourceLimits {
		return rcmgr.ResourceLimits{
			Conns: rcmgr.LimitVal(conns), ConnsInbound: rcmgr.LimitVal(conns * 3 / 4), ConnsOutbound: rcmgr.LimitVal(conns * 3 / 4),
			Streams: rcmgr.LimitVal(streams), StreamsInbound: rcmgr.LimitVal(streams / 2), StreamsOutbound: rcmgr.LimitVal(streams / 2),
			Memory: rcmgr.LimitVal64(mem), FD: rcmgr.Unlimited,
		}
	}
	system := both(SystemConns, SystemStreams, SystemMemory)
	system.FD = SystemFD
	peer := both(PeerConns, PeerStreams, PeerMemory)
	peer.ConnsInbound, peer.ConnsOutbound = PeerConns/2, PeerConns/2
	conn := both(1, PeerStreams, PeerMemory)
	conn.ConnsInbound, conn.ConnsOutbound = 1, 1
	stream := rcmgr.ResourceLimits{Streams: 1, StreamsInbound: 1, StreamsOutbound: 1, Memory: StreamMemory,
		Conns: rcmgr.BlockAllLimit, ConnsInbound: rcmgr.BlockAllLimit, ConnsOutbound: rcmgr.BlockAllLimit, FD: rcmgr.BlockAllLimit}
	partial := rcmgr.PartialLimitConfig{
		System:               system,
		Transient:            both(TransientConns, TransientStreams, TransientMemory),
		AllowlistedSystem:    system,
		AllowlistedTransient: both(TransientConns, TransientStreams, TransientMemory),
		PeerDefault:          peer,
		Conn:                 conn,
		Stream:               stream,
	}
	return partial.Build(rcmgr.InfiniteLimits)
}

// HubConnsPerIP is HubLimits' ConnsPerIP: an office of 200 laptops behind
// one NAT address, each with a TCP and a QUIC connection to the hub, with
// room to spare.
const HubConnsPerIP = 512

// HubConnLow and HubConnHigh are HubLimits' connection manager watermarks:
// a hub keeps every member of a large site connected (the desktop's 200 and
// 400 would trim a 250-laptop office's connections).
const HubConnLow, HubConnHigh = 700, 900

// HubLimits returns cfg with a hub's connection limits: HubConnsPerIP from
// one address and the HubConnLow/HubConnHigh watermarks (the system scope's
// 768 inbound connections still bound the whole).
func HubLimits(cfg Config) Config {
	cfg.ConnsPerIP = HubConnsPerIP
	cfg.ConnLow, cfg.ConnHigh = HubConnLow, HubConnHigh
	return cfg
}

// ConnsPerSecondPerIP is the steady rate of new connections accepted from one
// IPv4 address (or IPv6 /56) once a burst of as many as the per-address
// limit is spent. libp2p's default (0.2 a second after a burst of 16) made
// an office of 200 laptops behind one NAT address wait some 15 minutes to
// reach its hub after the hub restarted; strangers from one address can cost
// at most this many handshakes a second.
const ConnsPerSecondPerIP = 10

// connRateLimiter returns the resource manager's limiter of new connections:
// burst perIP and ConnsPerSecondPerIP from one IPv4 address or IPv6 /56,
// twice that from an IPv6 /48, none on loopback.
func connRateLimiter(perIP int) *rate.Limiter {
	one := rate.Limit{RPS: ConnsPerSecondPerIP, Burst: perIP}
	return &rate.Limiter{
		NetworkPrefixLimits: []rate.PrefixLimit{
			{Prefix: netip.MustParsePrefix("127.0.0.0/8"), Limit: rate.Limit{}},
			{Prefix: netip.MustParsePrefix("::1/128"), Limit: rate.Limit{}},
		},
		SubnetRateLimiter: rate.SubnetLimiter{
			IPv4SubnetLimits: []rate.SubnetLimit{{PrefixLength: 32, Limit: one}},
			IPv6SubnetLimits: []rate.SubnetLimit{{PrefixLength: 56, Limit: one},
				{PrefixLength: 48, Limit: rate.Limit{RPS: 2 * ConnsPerSecondPerIP, Burst: 2 * perIP}}},
			GracePeriod: time.Minute,
		},
	}
}

func newResourceManager(perIP int) (network.ResourceManager, error) {
	v4, v6 := ConnsPerIPv4, ConnsPerIPv6Prefix
	if perIP > 0 {
		v4, v6 = perIP, perIP
	}
	rm, err := rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(Limits()),
		rcmgr.WithConnRateLimiters(connRateLimiter(v4)),
		rcmgr.WithLimitPerSubnet(
			[]rcmgr.ConnLimitPerSubnet{{PrefixLength: 32, ConnCount: v4}},
			[]rcmgr.ConnLimitPerSubnet{{PrefixLength: 56, ConnCount: v6}}),
		rcmgr.WithMetricsDisabled())
	if err != nil {
		return nil, fmt.Errorf("resource manager: %w", err)
	}
	return rm, nil
}

// RelayResources are the circuit relay v2 limits a hub serves members with.
// libp2p's defaults cut a relayed connection after 2 minutes or 128 KiB,
// which is less than one catch-up; a hub relays whole catch-ups between two
// sites' laptops instead:
//
//	per relayed connection    1 hour, 1 GiB each way
//	reservations              1 hour TTL; 1024 in total, 64 per IP, 256 per ASN
//	circuits                  64 per peer; 64 KiB buffer each
func RelayResources() relay.Resources {
	return relay.Resources{
		Limit:                 &relay.RelayLimit{Duration: time.Hour, Data: 1 << 30},
		ReservationTTL:        time.Hour,
		MaxReservations:       1024,
		MaxCircuits:           64,
		BufferSize:            64 << 10,
		MaxReservationsPerIP:  64,
		MaxReservationsPerASN: 256,
	}
}
