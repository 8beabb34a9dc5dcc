// Package bench measures ReliefMesh against the limits of the machine it runs
// on and against the sync engines a team would otherwise pick (Automerge,
// Yjs, PouchDB, run by Node from js/), all in one run, so that the ratios hold
// even where absolute times on a shared machine do not.
//
// Run measures, in order: the machine's limits (ed25519 verifications on all
// cores, Badger batched writes of change-sized values, loopback libp2p stream
// throughput); ingest of a signed change stream into an empty store; catch-up
// over loopback libp2p from a hub to an empty laptop and after a partition;
// live latency between five nodes; and the side-by-side workload on each
// engine. cmd/rmbench prints the results as a Markdown table and writes them
// to results/. Everything runs in one process, which resets its peak RSS
// (/proc/self/clear_refs) before each measurement that reports one.
//
// This module is separate from the app's (see go.mod's replace directive), so
// the app never depends on what it is compared with.
package bench
