package replicate

import (
	"context"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// SpeakOnlyWhole makes r speak only ProtocolID 1.0.0 (whole version vectors
// in every hello and done frame), as a peer built before ProtocolIDCompact
// does. Call it before Run.
func SpeakOnlyWhole(r *Replicator) { r.legacy = true }

// ForgetBases drops the version vectors r's peers' compact hellos build on,
// as a restart does, without closing the connections.
func ForgetBases(r *Replicator) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ps := range r.peers {
		ps.bases = nil
	}
}

// HoldRounds makes r call hold when a round's exchange with p has ended
// (both done frames crossed), before the round is written down (the
// peer's acknowledgement, its version vector, the compact base); what hold
// returns, if not nil, is called once the round is written down. ctx is
// the round's: CatchUp's for a round r asked for, Run's for one it served.
// Call it before Run.
func HoldRounds(r *Replicator, hold func(ctx context.Context, p peer.ID) func()) { r.hold = hold }

// SentBase returns what r's compact hellos to p build on (what its done
// frame told p in the round written down as the last), nil if none.
func SentBase(r *Replicator, p peer.ID) ledger.VersionVector { return r.sentBase(p) }
