package replicate

import (
	"cmp"
	"slices"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/sync/changestream"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
)

// PeerStatus is the honest sync status with one peer.
type PeerStatus struct {
	Peer      peer.ID
	Device    ledger.DeviceID // the peer's member id
	Connected bool
	// Kind is how we are connected: p2p.KindLAN, p2p.KindDirect or
	// p2p.KindRelay ("" when not connected). With several connections, the
	// best one (LAN, then direct, then relay).
	Kind string
	// Ours is what we hold now; Theirs what the peer held at the end of the
	// last exchange (nil if there was none).
	Ours, Theirs ledger.VersionVector
	// WeLack and TheyLack count changes, from the two vectors: what the peer
	// had that we do not, and what we have that the peer did not.
	WeLack, TheyLack int
	// Known says Theirs comes from an exchange; without one nothing is known.
	Known bool
	// LastExchange is when the last round with the peer completed (zero if never).
	LastExchange time.Time
	// InStepAt is when a periodic round with the connected peer was last
	// skipped because it held everything we held (zero if never): peers in
	// step exchange only one round in Config.QuietEvery, so LastExchange
	// alone ages though nothing is missing.
	InStepAt time.Time
	// Synced is true only when the vectors are equal.
	Synced bool
	// Syncing is true while a round with the peer runs; Progress is its last
	// progress report (or the last round's final one).
	Syncing  bool
	Progress *Progress
	// LastError is why the last round failed ("" if it succeeded).
	LastError string
}

// Status returns the sync status with every peer that is connected or was
// exchanged with since Run started, connected peers first, then by peer id.
func (r *Replicator) Status() []PeerStatus {
	ours := r.st.VersionVector()
	net := r.host.Libp2p().Network()
	r.mu.Lock()
	ids := make(map[peer.ID]bool, len(r.peers))
	for p := range r.peers {
		ids[p] = true
	}
	r.mu.Unlock()
	for _, p := range net.Peers() {
		ids[p] = true
	}
	out := make([]PeerStatus, 0, len(ids))
	for p := range ids {
		s := PeerStatus{Peer: p, Ours: ours}
		s.Device, _ = p2p.DeviceOf(p)
		if conns := net.ConnsToPeer(p); len(conns) > 0 {
			s.Connected = true
			s.Kind = bestKind(conns)
		}
		r.mu.Lock()
		if ps, ok := r.peers[p]; ok {
			s.Known, s.Theirs, s.LastExchange, s.LastError = ps.known, ps.theirs.Clone(), ps.lastExchange, ps.lastErr
			s.InStepAt = ps.inStepAt
			s.Syncing = ps.busy
			if ps.progress != nil {
				pr := *ps.progress
				s.Progress = &pr
				s.Syncing = s.Syncing || !pr.Done
			}
		}
		r.mu.Unlock()
		if s.Known {
			s.WeLack = changestream.Count(ours, s.Theirs)
			s.TheyLack = changestream.Count(s.Theirs, ours)
			s.Synced = ours.Equal(s.Theirs)
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b PeerStatus) int {
		if a.Connected != b.Connected {
			if a.Connected {
				return -1
			}
			return 1
		}
		return cmp.Compare(string(a.Peer), string(b.Peer))
	})
	return out
}

func bestKind(conns []network.Conn) string {
	rank := map[string]int{p2p.KindLAN: 0, p2p.KindDirect: 1, p2p.KindRelay: 2}
	best := p2p.KindRelay
	for _, c := range conns {
		if k := p2p.ConnKind(c); rank[k] < rank[best] {
			best = k
		}
	}
	return best
}
