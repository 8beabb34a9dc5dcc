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
	"github.com/libp2p/go-libp2p/p2p/net/swarm"
)

// MDNSServiceName returns the mDNS service name of network id, so that
// laptops of other incidents on the same LAN do not even try each other:
// "_reliefmesh-<id>._udp".
func MDNSServiceName(networkID string) string { return "_reliefmesh-" + networkID + "._udp" }

// StartMDNS advertises this host on the local network under
// MDNSServiceName(networkID) and dials the peers it finds there that the
// gater admits (each dial bounded by 10 s, in its own goroutine). A dial
// that fails is tried again MDNSRetries times, after 1, 2, 4… seconds,
// until the peer is connected: mDNS reports a peer once for the record's
// lifetime (3,200 s in libp2p's service), so one failed dial would hide a
// laptop on the same LAN for most of an hour. Close the
// returned Closer to stop: it stops the service, cuts the dials under way
// and waits for their goroutines. Closing the Host does not stop it.
func (h *Host) StartMDNS(networkID string) (io.Closer, error) {
	ctx, cancel := context.WithCancel(context.Background())
	n := &mdnsNotifee{h: h, ctx: ctx, dial: h.ConnectInfo, firstWait: time.Second}
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

// MDNSRetries is how many times a dial to a peer found by mDNS is tried
// again after it failed, waiting 1, 2, 4, 8 and 16 s before each.
const MDNSRetries = 5

type mdnsNotifee struct {
	h         *Host
	ctx       context.Context
	dial      func(context.Context, peer.AddrInfo) error // Host.ConnectInfo; tests fail it
	firstWait time.Duration                              // before the first retry, doubling
	mu        sync.Mutex
	closed    bool
	dials     sync.WaitGroup
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
		wait := n.firstWait
		for try := 0; ; try++ {
			// Our retries pace the dials; libp2p's own backoff (5 s and
			// more after a failed dial) would refuse the retry outright.
			if sw, ok := n.h.h.Network().(*swarm.Swarm); ok && try > 0 {
				sw.Backoff().Clear(info.ID)
			}
			ctx, cancel := context.WithTimeout(n.ctx, 10*time.Second)
			err := n.dial(ctx, info)
			cancel()
			if err == nil || n.ctx.Err() != nil {
				return
			}
			if try == MDNSRetries {
				n.h.log.Warn("mdns: a peer found on the local network could not be reached; it is found again when it dials us or its record is seen anew",
					"peer", info.ID, "tries", try+1, "err", err)
				return
			}
			n.h.log.Info("mdns: dial to a peer found on the local network failed; trying again", "peer", info.ID, "in", wait, "err", err)
			select {
			case <-n.ctx.Done():
				return
			case <-time.After(wait):
			}
			wait *= 2
			if n.h.h.Network().Connectedness(info.ID) == network.Connected {
				return // it dialled us meanwhile
			}
		}
	}()
}
