// Package store persists ReliefMesh's feeds and materialised state in Badger and
// keeps an in-memory demand list beside it.
//
// Badger is the source of truth. Every applied run of changes (a contiguous part of
// one device's feed) is written in one transaction together with the feed head and
// the entity records it touched, so a crash leaves a run either fully applied or
// not at all. The demand list (table.go) holds a compact row per demand — its
// list view, without History — in age order, with filter keys in arrays by slot
// and a bigram index of its text for substring search (Chinese included). It is
// rebuilt from Badger on open (on all cores) and, on the write path, each run's
// demands are folded on a goroutine of their own while the run commits and put
// in the list once committed; ApplyRemote and ApplyLocal return once the list
// holds all they committed. Demand reads the full view from Badger.
// Subscribers learn about applied changes through an in-process bus that never
// blocks the writer.
//
// An open store owns one long-lived goroutine: Badger's value log GC, run every
// Options.ValueLogGCInterval (default 5 minutes), which Close stops and waits
// for. The goroutines that apply, fold and index a batch end before the call
// that started them returns. Records are rewritten whole on every change, so the value log collects
// stale versions that only this reclaims.
//
// A revocation that arrives after changes past its cut were applied undoes them
// (see cut.go), so that the state is a function of the accepted changes only.
//
// Key layout (first byte is the table):
//
//	'f' device(32) seq(8, big endian)  → change, canonical CBOR (ledger.Encode)
//	'h' device(32)                      → feed head: seq(8) id(32)
//	'r' kind 0x00 id                    → entity record (relief.EncodeRecordStored; older stores: relief.EncodeRecord)
//	'x' device(32) seq(8) id(32)        → fork evidence: the change that conflicts
//	'c' device(32) seq(8)               → a change undone by a revocation cut, or refused past it (evidence; see cut.go, undone.go)
//	'n'                                 → network: CBOR {id, name}
//	's' name                            → local setting (not replicated)
//	'z' reason                          → remote changes refused for reason (uint64; not replicated)
package store
