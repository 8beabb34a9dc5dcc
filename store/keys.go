package store

import (
	"encoding/binary"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// Table prefixes; see the package documentation for the layout.
const (
	tFeed    = 'f'
	tHead    = 'h'
	tRecord  = 'r'
	tFork    = 'x'
	tCut     = 'c'
	tNetwork = 'n'
	tSetting = 's'
	tRefused = 'z' // reason → count of remote changes refused for it (uint64, big-endian)
)

func feedKey(d ledger.DeviceID, seq uint64) []byte {
	k := make([]byte, 1+32+8)
	k[0] = tFeed
	copy(k[1:], d[:])
	binary.BigEndian.PutUint64(k[33:], seq)
	return k
}

func feedPrefix(d ledger.DeviceID) []byte { return append([]byte{tFeed}, d[:]...) }

func headKey(d ledger.DeviceID) []byte { return append([]byte{tHead}, d[:]...) }

func encodeHead(h ledger.Head) []byte {
	b := make([]byte, 8+32)
	binary.BigEndian.PutUint64(b, h.Seq)
	copy(b[8:], h.ID[:])
	return b
}

func decodeHead(b []byte) (ledger.Head, bool) {
	var h ledger.Head
	if len(b) != 40 {
		return h, false
	}
	h.Seq = binary.BigEndian.Uint64(b)
	copy(h.ID[:], b[8:])
	return h, true
}

func recordKey(kind, id string) []byte {
	k := make([]byte, 0, 2+len(kind)+len(id))
	k = append(k, tRecord)
	k = append(k, kind...)
	k = append(k, 0)
	return append(k, id...)
}

func recordPrefix(kind string) []byte { return append(append([]byte{tRecord}, kind...), 0) }

func forkKey(d ledger.DeviceID, seq uint64, id ledger.Hash) []byte {
	k := append([]byte{tFork}, d[:]...)
	k = binary.BigEndian.AppendUint64(k, seq)
	return append(k, id[:]...)
}

func settingKey(name string) []byte { return append([]byte{tSetting}, name...) }

func refusedKey(r ledger.Reason) []byte { return append([]byte{tRefused}, r...) }

var networkKey = []byte{tNetwork}
