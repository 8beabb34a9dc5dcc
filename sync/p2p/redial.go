package p2p

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/net/swarm"
	ma "github.com/multiformats/go-multiaddr"
)

// Targets parses addrs (multiaddrs ending in /p2p/PEER_ID, as join codes and
// people give them), merging the addresses of one peer and leaving out self.
// Bad addresses are returned as errors naming them; the good ones are kept.
func Targets(self peer.ID, addrs []string) ([]peer.AddrInfo, []error) {
	var out []peer.AddrInfo
	var errs []error
	for _, s := range addrs {
		a, err := ma.NewMultiaddr(s)
		var info *peer.AddrInfo
		if err == nil {
			info, err = peer.AddrInfoFromP2pAddr(a)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("peer address %q (want a multiaddr ending in /p2p/PEER_ID): %w", s, err))
			continue
		}
		if info.ID == self {
			continue
		}
		i := slices.IndexFunc(out, func(x peer.AddrInfo) bool { return x.ID == info.ID })
		if i < 0 {
			out = append(out, *info)
		} else {
			out[i].Addrs = append(out[i].Addrs, info.Addrs...)
		}
	}
	return out, errs
}

// Redial dials every target that is not connected, now and then every
// interval, until ctx ends; it returns when ctx ends. libp2p's growing dial
// backoff is cleared before each dial, so that a peer back after an outage,
// and the first dial after this device's endorsement (while waiting() is
// true, peers refuse it), get through at the next pass. onErr, if not nil, is told of each failed dial;
// it must not block. A dial lasts at most 10 s.
func (h *Host) Redial(ctx context.Context, targets []peer.AddrInfo, interval time.Duration, waiting func() bool, onErr func(peer.ID, error)) {
	if len(targets) == 0 {
		<-ctx.Done()
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		h.DialMissing(ctx, targets, waiting, onErr)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// DialMissing is one pass of Redial: it dials, one after the other, every
// target that is not connected and returns when each dial succeeded, failed
// (onErr, if not nil, is told; it must not block) or ctx ended. A dial lasts
// at most 10 s. libp2p's dial backoff is cleared before each dial: the
// passes pace the dials, and a peer back after an outage is dialled at the
// next pass. waiting is no longer consulted (the backoff is cleared for
// every target); it stays for Redial's callers.
func (h *Host) DialMissing(ctx context.Context, targets []peer.AddrInfo, waiting func() bool, onErr func(peer.ID, error)) {
	for _, p := range targets {
		if ctx.Err() != nil {
			return
		}
		if h.Libp2p().Network().Connectedness(p.ID) == network.Connected {
			continue
		}
		// Our passes pace the dials to targets (Redial's interval): libp2p's
		// own backoff (5 s plus the failed attempts squared, in seconds, up
		// to 5 minutes) would only keep a link down after the peer is back
		// — a healed partition, a hub restarted — and, while waiting(),
		// keep out the first dial after an endorsement.
		if sw, ok := h.Libp2p().Network().(*swarm.Swarm); ok {
			sw.Backoff().Clear(p.ID)
		}
		dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := h.ConnectInfo(dctx, p)
		cancel()
		if err != nil && ctx.Err() == nil && onErr != nil {
			onErr(p.ID, err)
		}
	}
}
