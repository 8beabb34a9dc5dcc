package replicate

import (
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// tracer counts what gossipsub drops without telling the validator: changes
// not sent because a peer's outbound queue was full (DropRPC) and changes
// received but never validated because the validation queue was full or
// throttled. Each such change waits for a catch-up round instead; the counts
// are in Stats (GossipDropped, GossipUnvalidated) so that a network that
// loses gossip shows it.
type tracer struct{ r *Replicator }

var _ pubsub.RawTracer = tracer{}

func (t tracer) DropRPC(rpc *pubsub.RPC, _ peer.ID) {
	if n := len(rpc.GetPublish()); n > 0 {
		t.r.count(func(s *Stats) { s.GossipDropped += uint64(n) })
	}
}

func (t tracer) RejectMessage(_ *pubsub.Message, reason string) {
	if reason == pubsub.RejectValidationQueueFull || reason == pubsub.RejectValidationThrottled {
		t.r.count(func(s *Stats) { s.GossipUnvalidated++ })
	}
}

func (tracer) OnNewOutboundStream(peer.ID, protocol.ID)             {}
func (tracer) OnClosedOutboundStream(peer.ID)                       {}
func (tracer) AddPeer(peer.ID, protocol.ID)                         {}
func (tracer) RemovePeer(peer.ID)                                   {}
func (tracer) Join(string)                                          {}
func (tracer) Leave(string)                                         {}
func (tracer) Graft(peer.ID, string)                                {}
func (tracer) Prune(peer.ID, string)                                {}
func (tracer) ValidateMessage(*pubsub.Message)                      {}
func (tracer) DeliverMessage(*pubsub.Message)                       {}
func (tracer) DuplicateMessage(*pubsub.Message)                     {}
func (tracer) ThrottlePeer(peer.ID)                                 {}
func (tracer) RecvRPC(*pubsub.RPC)                                  {}
func (tracer) SendRPC(*pubsub.RPC, peer.ID)                         {}
func (tracer) SendRPCCompleted(*pubsub.RPC, peer.ID, time.Duration) {}
func (tracer) UndeliverableMessage(*pubsub.Message)                 {}
