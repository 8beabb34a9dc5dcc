// Package node runs one device's network node: the libp2p host (sync/p2p),
// the replicator (catch-up and gossip, sync/replicate), mDNS discovery on the
// LAN, the redial of configured peers and of the join code's addresses, and,
// for hubs, the circuit relay service for members.
//
// The desktop app and the hub start it the same way, with their preset:
//
//	n, err := node.Start(ctx, st, node.DesktopConfig()) // or node.HubConfig()
//	defer n.Close()
//
// LoopbackConfig is the preset for tests (127.0.0.1, any port, no mDNS, fast
// rounds). Close stops everything the node started and waits for its
// goroutines.
//
// The join code a device joined with is kept in one place, the store
// (store.Store.JoinCode); Join and SavedJoinCode read and write it, and a
// running node dials its addresses on every pass. Catch-up progress is
// published on the store's event bus (store.EventSyncProgress), where the
// app's forwarder picks it up.
package node
