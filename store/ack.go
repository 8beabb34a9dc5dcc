package store

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// Ack is what a peer has acknowledged of this device's own feed: the last
// seq of it the peer said it holds (its version vector's entry for this
// device, in a catch-up round's hello or done message) and when it said
// so. It is what the network screen tells honestly ("the hub has your
// changes up to #1,204, 3 min ago"), never a percentage.
type Ack struct {
	Seq uint64    `json:"seq"`
	At  time.Time `json:"at"` // UTC
}

// peerAckSetting is the store setting holding the Ack of peer d (JSON).
func peerAckSetting(d ledger.DeviceID) string { return "sync/peer-ack/" + d.String() }

// SetPeerAck records that peer d said at at that it holds this device's
// feed up to seq. It is a local setting, not replicated. Errors: storage
// errors, naming the peer.
func (s *Store) SetPeerAck(d ledger.DeviceID, seq uint64, at time.Time) error {
	b, err := json.Marshal(Ack{Seq: seq, At: at.UTC()})
	if err != nil {
		return err
	}
	if err := s.SetSetting(peerAckSetting(d), string(b)); err != nil {
		return fmt.Errorf("record the acknowledgement of %s: %w", d.Short(), err)
	}
	return nil
}

// PeerAck returns what peer d last acknowledged of this device's feed;
// false when it never did (or the setting is damaged).
func (s *Store) PeerAck(d ledger.DeviceID) (Ack, bool) {
	v, ok := s.Setting(peerAckSetting(d))
	if !ok {
		return Ack{}, false
	}
	var a Ack
	if err := json.Unmarshal([]byte(v), &a); err != nil {
		return Ack{}, false
	}
	return a, true
}
