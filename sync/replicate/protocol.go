package replicate

import (
	"fmt"

	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/sync/changestream"
)

// ProtocolID is the catch-up protocol's libp2p protocol id.
const ProtocolID protocol.ID = "/reliefmesh/catchup/1.0.0"

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
}

// done closes a round: what the sender holds after applying.
type done struct {
	VV ledger.VersionVector `cbor:"1,keyasint"`
}

// TopicName returns the gossip topic of network id.
func TopicName(networkID string) string { return "reliefmesh/" + networkID + "/changes" }

func writeMsg(w *changestream.Writer, v any) error {
	b, err := ledger.Marshal(v)
	if err != nil {
		return err
	}
	if err := w.WriteFrame(b); err != nil {
		return err
	}
	return w.Flush()
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
