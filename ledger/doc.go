// Package ledger implements ReliefMesh's signed change ledger: the change envelope,
// its canonical encoding (deterministic CBOR), ed25519 signing and verification of
// single changes and of contiguous runs of one feed, fork detection, the hybrid
// logical clock and version vectors.
//
// Each device appends to its own feed. Change N of a feed carries Prev, the id of
// change N-1 (the SHA-256 of its full encoding, signature included), so a run of a
// feed can be verified by its hash links plus the signature of its last change.
//
// The package is pure: it does no I/O, reads no clock directly (clocks are passed
// in) and starts no goroutines. Persistence lives in store/, transport in sync/.
package ledger
