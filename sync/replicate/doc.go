// Package replicate keeps a store in step with its peers: the catch-up
// protocol /reliefmesh/catchup/1.1.0 (and 1.0.0), which guarantees delivery, and live
// gossip over gossipsub, which makes it fast.
//
// # Catch-up
//
// On a stream, each side sends a hello frame (CBOR: network id, its version
// vector, the most changes it accepts in one round), then streams what the
// other's vector lacks — feed by feed in seq order, at most what its own
// vector in the hello said — as a framed change stream (package
// changestream) ended by the end frame, while it applies what it receives in
// batches through store.ApplyRemote. Then each side sends a done frame with
// its version vector after applying, and the stream is closed. A receiver
// accepts only changes inside the ranges the two hellos announced, in feed
// order, at most as many as announced; anything else (a malformed or
// oversized frame, a change outside the ranges) ends the round as a protocol
// violation, counted in Stats. Changes the store refuses (forged, not a
// member, …) are counted by the store and do not end the round.
//
// A store that lost changes below its feeds' heads (a damaged disk: its
// version vector still claims them, so vectors alone would hide the loss)
// lists them in its hello (Want, field 4, from store.Store.Holes, looked for
// when Run starts); the peer sends those it holds before the rest, and the
// receiver puts them back through store.Store.Refill, which takes only
// changes the hash chain ties in. Want is absent from an intact store's
// hello, which is then exactly protocol 1.0.0's.
//
// Bounds: a hello or done frame above MaxHelloSize is refused on its length
// prefix (too_large), before anything is read or allocated; a peer may have
// at most Config.MaxRoundsPerPeer rounds it started running with us, all
// peers together Config.MaxInboundRounds, and a stream beyond is reset
// unread (Stats.StreamsRefused). Gossip messages are bounded by gossipsub's
// maximum message size, which it checks on the length prefix too.
//
// Protocol 1.1.0 (ProtocolIDCompact, opened when the peer supports it,
// 1.0.0 otherwise) is the same round with compact vectors: a hello carries
// Base (field 110), the digest of the vector the sender's last done frame
// told this peer, and only the entries raised since; a done frame only the
// entries raised since the sender's hello. The receiver keeps a peer's last
// four done vectors (rounds in both directions cross and end in either
// order); a hello on a base it no longer holds is refused
// (Stats.BaseUnknown) and the next round, started at once, is sent whole.
// A round between peers in step moves some 60 bytes of hellos instead of
// about 36 bytes per device of the network per frame.
//
// A Replicator runs a round with a peer when a connection to it is opened
// (by the dialling side), every Config.Interval (but only one in
// Config.QuietEvery with a peer known to hold all this store holds:
// from its last round and from the changes it forwarded on gossip), and when gossip shows a
// sequence gap, and with every other connected peer that lacks what a round
// just applied (gossip carries only a device's own feed, so what a hub
// caught up with would otherwise wait for its laptops' periodic rounds).
// The rounds a node starts with one peer never overlap: a trigger during a
// round queues one more round. Applying is idempotent and each round starts
// from the current version vectors, so an interrupted round resumes where it
// stopped. A round the peer started may cross one of ours, and the two may
// be written down in either order (a serving side gives back the peer's
// slot before it writes the round down): rounds with a peer are numbered as
// they start, and an older round written down last neither lowers what is
// known of the peer (its version vector and acknowledgement of our feed,
// kept as the pointwise maximum while the peer stays connected; the first
// round of a new connection replaces them, as the peer may have restarted
// from an older copy) nor replaces the newest round's error or compact base.
//
// # Gossip
//
// Each network has one gossipsub topic, "reliefmesh/<network id>/changes".
// A message is one change's canonical encoding and its message id is the
// change id. The topic validator decodes, checks size and network, and
// applies the change (store.ApplyRemote), inline on gossipsub's single
// validation worker so that a feed's changes are applied in the order they
// arrived (seq 2 validated before seq 1 was a gap, dropped, not forwarded):
// malformed, forged and other refused
// changes are rejected (not forwarded, counted); duplicates, gaps and held
// changes are ignored, a gap also triggering a catch-up with the peer that
// forwarded it. On receiving a change, gossip tells its other mesh peers at
// once that it holds it (IDONTWANT, Config.IDontWantAbove), so that fewer
// copies cross a full mesh of hubs; what gossipsub's queues drop is counted
// (Stats.GossipDropped, GossipUnvalidated). The Replicator publishes the changes of this device's own
// feed as the store applies them. Config.GossipD sets the mesh degree: a
// hub's (node.HubGossipD) keeps every member it serves in its mesh, so that
// each change is pushed to all of them at once.
package replicate
