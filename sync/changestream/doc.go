// Package changestream implements the framed change stream that catch-up
// (package replicate) sends over libp2p streams and bundles (package bundle)
// write to files.
//
// A stream is a sequence of frames. A frame is its length as an unsigned
// varint (encoding/binary's Uvarint) followed by that many bytes; a frame of
// length 0 ends the changes. A change frame holds one change's canonical
// encoding (ledger.Encode), so a frame is never longer than
// ledger.MaxChangeSize; a longer length prefix is rejected before anything is
// read or allocated. Changes are sent feed by feed in seq order, which lets
// the receiver verify each run by its last signature (ledger.VerifyRun).
//
// Send writes what a store holds beyond a version vector; Apply reads changes
// and applies them through store.ApplyRemote in batches, decoding the next
// batch while the current one is applied (at most three batches in memory),
// and reading nothing more while both are busy: that is the backpressure a
// fast sender meets.
package changestream
