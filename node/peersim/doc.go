// Package peersim simulates a relief network of many nodes in one process:
// sites of laptops behind hubs, every node a real store (Badger on disk) and
// a real network node (package node: libp2p on loopback, catch-up and
// gossip of sync/replicate), with churn and a partition, and measures the
// time until every node holds every change, the bytes on the wire, the
// changes delivered and the catch-up rounds run.
//
// Each site has one hub and Config.LaptopsPerSite laptops; laptops dial
// their site's hub, hubs dial each other. Every link goes through a proxy of
// the simulation (nodes announce no address, so they meet only through the
// links), which counts the bytes and cuts the link for a partition.
//
//	s, err := peersim.New(ctx, peersim.Config{Sites: 3, LaptopsPerSite: 3, Dir: dir})
//	defer s.Close()
//	rep, err := s.Run(ctx)
//
// bench/cmd/rmpeers runs it at 50 to 200 nodes; the test of this package
// runs a dozen.
package peersim
