// Package store persists ReliefMesh's feeds and materialised state in Badger and
// keeps go-memdb query indexes beside it.
//
// Badger is the source of truth. Every applied run of changes (a contiguous part of
// one device's feed) is written in one transaction together with the feed head and
// the entity records it touched, so a crash leaves a run either fully applied or
// not at all. The go-memdb indexes are rebuilt from Badger on open and updated on
// the same write path after each commit. Subscribers learn about applied changes
// through an in-process bus that never blocks the writer.
//
// An open store owns one goroutine: Badger's value log GC, run every
// Options.ValueLogGCInterval (default 5 minutes), which Close stops and waits
// for. Records are rewritten whole on every change, so the value log collects
// stale versions that only this reclaims.
//
// A revocation that arrives after changes past its cut were applied undoes them
// (see cut.go), so that the state is a function of the accepted changes only.
//
// Key layout (first byte is the table):
//
//	'f' device(32) seq(8, big endian)  → change, canonical CBOR (ledger.Encode)
//	'h' device(32)                      → feed head: seq(8) id(32)
//	'r' kind 0x00 id                    → entity record (relief.EncodeRecord)
//	'x' device(32) seq(8) id(32)        → fork evidence: the change that conflicts
//	'c' device(32) seq(8)               → a change undone by a revocation cut (evidence; see cut.go)
//	'n'                                 → network: CBOR {id, name}
//	's' name                            → local setting (not replicated)
package store
