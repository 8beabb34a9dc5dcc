package replicate

import (
	"crypto/sha256"
	"fmt"

	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/sync/changestream"
)

// ProtocolID is the catch-up protocol's libp2p protocol id.
const ProtocolID protocol.ID = "/reliefmesh/catchup/1.0.0"

// ProtocolIDCompact is protocol 1.1.0: the same round, but a hello may
// carry only what changed since a version vector the peer already holds
// (hello.Base), and the done frame only what changed since the sender's
// hello. A round opens it when the peer supports it and 1.0.0 otherwise,
// so older peers keep converging.
const ProtocolIDCompact protocol.ID = "/reliefmesh/catchup/1.1.0"

// MaxHelloSize bounds a hello or done frame, in bytes, checked on the length
// prefix before anything of the frame is read or allocated. A version vector
// entry is about 45 bytes, so 512 KiB holds some 11,000 devices: far more
// than a network of a few hundred, far less than the 4 MiB (65,536 devices,
// ledger.MaxMapPairs) a frame could otherwise claim, which let 250 streams of
// one member hold a gigabyte of a hub's memory. A larger frame is refused and
// counted as too_large.
const MaxHelloSize = 512 << 10

// hello opens a round: who we are, what we hold, how much we accept.
type hello struct {
	Network string               `cbor:"1,keyasint"`
	VV      ledger.VersionVector `cbor:"2,keyasint"`
	Limit   uint64               `cbor:"3,keyasint"` // most changes the sender of the hello accepts this round
	// Want lists, by feed, the ranges below the sender's head that it lost
	// (store.Store.Holes); the peer sends those it holds before the rest.
	// Absent when the sender lost nothing, so that a hello stays what it
	// was in protocol 1.0.0 for every intact store.
	Want map[ledger.DeviceID][]ledger.Range `cbor:"4,keyasint,omitempty"`
	// Base (protocol 1.1.0 only) is the digest (vvDigest) of the version
	// vector the sender last told the receiver in a done frame of a round
	// both completed; VV then holds only the entries raised since. Absent:
	// VV is whole. A receiver that no longer holds that vector ends the
	// round, and the next one is sent whole.
	Base []byte `cbor:"110,keyasint,omitempty"`
}

// done closes a round: what the sender holds after applying. In protocol
// 1.1.0 VV holds only the entries raised since the sender's hello.
type done struct {
	VV ledger.VersionVector `cbor:"1,keyasint"`
}

// vvDigest returns the first 16 bytes of the SHA-256 of vv's canonical
// encoding: equal vectors, equal digests.
func vvDigest(vv ledger.VersionVector) []byte {
	b, err := vv.MarshalCBOR()
	if err != nil {
		return nil // a map of ids to integers always encodes
	}
	h := sha256.Sum256(b)
	return h[:16]
}

// raised returns the entries of cur above those of base, or ok false when
// cur lacks something base holds (a store restored from an older copy):
// then cur must be sent whole.
func raised(cur, base ledger.VersionVector) (delta ledger.VersionVector, ok bool) {
	if !cur.Dominates(base) {
		return nil, false
	}
	delta = ledger.VersionVector{}
	for d, seq := range cur {
		if seq > base.Get(d) {
			delta.Set(d, seq)
		}
	}
	return delta, true
}

// TopicName returns the gossip topic of network id.
func TopicName(networkID string) string { return "reliefmesh/" + networkID + "/changes" }

// writeMsg writes v as one frame and flushes; it returns the frame's size.
func writeMsg(w *changestream.Writer, v any) (int, error) {
	b, err := ledger.Marshal(v)
	if err != nil {
		return 0, err
	}
	if err := w.WriteFrame(b); err != nil {
		return 0, err
	}
	return len(b), w.Flush()
}

func readMsg(r *changestream.Reader, v any) error {
	b, err := r.ReadFrame(MaxHelloSize)
	if err != nil {
		return err
	}
	if err := ledger.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode %T: %w", v, err)
	}
	return nil
}
