package replicate

// SpeakOnlyWhole makes r speak only ProtocolID 1.0.0 (whole version vectors
// in every hello and done frame), as a peer built before ProtocolIDCompact
// does. Call it before Run.
func SpeakOnlyWhole(r *Replicator) { r.legacy = true }

// ForgetBases drops the version vectors r's peers' compact hellos build on,
// as a restart does, without closing the connections.
func ForgetBases(r *Replicator) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ps := range r.peers {
		ps.bases = nil
	}
}
