package p2p

import (
	"context"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

// FoundOnLAN hands info to h's mDNS notifee as the mDNS service does when it
// finds a peer, with the first retry after firstWait. stop cuts the dials
// under way and waits for them.
func FoundOnLAN(h *Host, info peer.AddrInfo, firstWait time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	n := &mdnsNotifee{h: h, ctx: ctx, dial: h.ConnectInfo, firstWait: firstWait}
	n.HandlePeerFound(info)
	return func() { cancel(); n.dials.Wait() }
}
