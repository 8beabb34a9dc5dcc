// Package p2p provides ReliefMesh's libp2p host: the device key as peer
// identity, TCP and QUIC transports, a connection gater that admits only the
// network's roster members, resource-manager limits chosen for relief work,
// optional circuit relay v2 service for members, and mDNS discovery scoped to
// one network.
//
// A device's peer id and its member id (ledger.DeviceID) are the same ed25519
// public key; PeerIDOf and DeviceOf convert between them.
//
// The replication protocols themselves (catch-up and gossip) live in package
// replicate, which runs on a Host.
package p2p
