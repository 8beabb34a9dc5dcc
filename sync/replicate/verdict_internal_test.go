package replicate

import (
	"testing"

	pubsub "github.com/libp2p/go-libp2p-pubsub"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestGossipForwardsWhatCatchUpBroughtFirst: a gossiped change the store
// already holds because a catch-up round overtook it is forwarded, not
// dropped. Dropped, gossip stopped at every node a round had reached first
// and the nodes beyond waited for rounds of their own (node/peersim, 200
// nodes under load: 43 % of the write phase by catch-up). Held changes
// (not verifiable yet) are still not forwarded, refused ones rejected.
func TestGossipForwardsWhatCatchUpBroughtFirst(t *testing.T) {
	r := &Replicator{stats: Stats{Rejected: map[ledger.Reason]uint64{}}}
	for _, c := range []struct {
		name string
		res  store.Result
		want pubsub.ValidationResult
	}{
		{"new", store.Result{Applied: 1}, pubsub.ValidationAccept},
		{"duplicate", store.Result{Duplicates: 1}, pubsub.ValidationAccept},
		{"held", store.Result{Held: 1}, pubsub.ValidationIgnore},
		{"forged", store.Result{Rejected: map[ledger.Reason]int{ledger.ReasonBadSignature: 1}}, pubsub.ValidationReject},
	} {
		if got := r.verdict("", c.res); got != c.want {
			t.Errorf("%s: verdict = %v, want %v", c.name, got, c.want)
		}
	}
}
