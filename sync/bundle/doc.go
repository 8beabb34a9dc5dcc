// Package bundle writes a catch-up stream to a file and applies one, for
// sites that no network reaches: a USB stick carries the changes.
//
// A bundle is the 9 bytes "RMBUNDLE1", a header frame (CBOR: network id, the
// number of changes, the version vector the bundle starts after and the one
// it reaches), then the framed change stream of package changestream — the
// same bytes catch-up sends — ended by the end frame. Import applies it
// through store.ApplyRemote, the same verify-and-apply path as the network,
// so a tampered change is refused by its signature and re-importing a bundle
// changes nothing.
package bundle
