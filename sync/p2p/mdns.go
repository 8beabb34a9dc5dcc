package p2p

import (
	"context"
	"fmt"
	"io"
	"sync"
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
// returned Closer to stop: it stops the service, cuts the dials under way
// and waits for their goroutines. Closing the Host does not stop it.
func (h *Host) StartMDNS(networkID string) (io.Closer, error) {
	ctx, cancel := context.WithCancel(context.Background())
	n := &mdnsNotifee{h: h, ctx: ctx}
	svc := mdns.NewMdnsService(h.h, MDNSServiceName(networkID), n)
	if err := svc.Start(); err != nil {
		cancel()
		return nil, fmt.Errorf("mdns: %w", err)
	}
	return &mdnsService{svc: svc, n: n, cancel: cancel}, nil
}

// mdnsService stops the mDNS service and the dials it started.
type mdnsService struct {
	svc    mdns.Service
	n      *mdnsNotifee
	cancel context.CancelFunc
}

func (m *mdnsService) Close() error {
	err := m.svc.Close()
	m.n.mu.Lock()
	m.n.closed = true
	m.n.mu.Unlock()
	m.cancel()
	m.n.dials.Wait()
	return err
}

type mdnsNotifee struct {
	h      *Host
	ctx    context.Context
	mu     sync.Mutex
	closed bool
	dials  sync.WaitGroup
}

// HandlePeerFound dials a member found on the LAN. It must not block.
func (n *mdnsNotifee) HandlePeerFound(info peer.AddrInfo) {
	if info.ID == n.h.ID() || n.h.h.Network().Connectedness(info.ID) == network.Connected {
		return
	}
	if !n.h.gater.Admits(info.ID, network.DirOutbound) {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return
	}
	n.dials.Add(1)
	go func() {
		defer n.dials.Done()
		ctx, cancel := context.WithTimeout(n.ctx, 10*time.Second)
		defer cancel()
		if err := n.h.ConnectInfo(ctx, info); err != nil {
			n.h.log.Debug("mdns: dial failed", "peer", info.ID, "err", err)
		}
	}()
}
