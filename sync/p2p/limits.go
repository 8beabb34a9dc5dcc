package p2p

import (
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
	"github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/relay"
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
// laptops share one NAT address towards a hub); one IPv6 /56: 128.
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

func newResourceManager() (network.ResourceManager, error) {
	rm, err := rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(Limits()),
		rcmgr.WithLimitPerSubnet(
			[]rcmgr.ConnLimitPerSubnet{{PrefixLength: 32, ConnCount: ConnsPerIPv4}},
			[]rcmgr.ConnLimitPerSubnet{{PrefixLength: 56, ConnCount: ConnsPerIPv6Prefix}}),
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
