package p2p

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/discovery/mdns"
)

// MDNSServiceName returns the mDNS service name of network id, so that
// laptops of other incidents on the same LAN do not even try each other:
// "_reliefmesh-<id>._udp".
func MDNSServiceName(networkID string) string { return "_reliefmesh-" + networkID + "._udp" }

// StartMDNS advertises this host on the local network under
// MDNSServiceName(networkID) and dials the peers it finds there that the
// gater admits (each dial bounded by 10 s, in its own goroutine). Close the
// returned Closer to stop; closing the Host does not.
func (h *Host) StartMDNS(networkID string) (io.Closer, error) {
	svc := mdns.NewMdnsService(h.h, MDNSServiceName(networkID), mdnsNotifee{h})
	if err := svc.Start(); err != nil {
		return nil, fmt.Errorf("mdns: %w", err)
	}
	return svc, nil
}

type mdnsNotifee struct{ h *Host }

// HandlePeerFound dials a member found on the LAN. It must not block.
func (n mdnsNotifee) HandlePeerFound(info peer.AddrInfo) {
	if info.ID == n.h.ID() || n.h.h.Network().Connectedness(info.ID) == network.Connected {
		return
	}
	if !n.h.gater.Admits(info.ID, network.DirOutbound) {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := n.h.ConnectInfo(ctx, info); err != nil {
			n.h.log.Debug("mdns: dial failed", "peer", info.ID, "err", err)
		}
	}()
}
