package ledger

import (
	"bytes"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/fxamacker/cbor/v2"
)

// DeviceID is a device's ed25519 public key (32 bytes). It names the device's feed,
// is its libp2p identity and, once endorsed, its member id.
type DeviceID [32]byte

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// String returns the member id shown to people: 52 characters of lower-case base32.
func (d DeviceID) String() string { return strings.ToLower(idEncoding.EncodeToString(d[:])) }

// Short returns the first 8 characters of String, for display next to a name.
func (d DeviceID) Short() string { return d.String()[:8] }

// IsZero reports whether d is the zero id (no device).
func (d DeviceID) IsZero() bool { return d == DeviceID{} }

// Compare orders device ids bytewise; it breaks ties between equal stamps.
func (d DeviceID) Compare(o DeviceID) int { return bytes.Compare(d[:], o[:]) }

// idSpacing takes out what people put between a member id's characters
// (ParseDeviceID). Made once: a Replacer builds its tables on first use,
// which cost about 6 KB per call when each call made its own.
var idSpacing = strings.NewReplacer(" ", "", "-", "", "\n", "", "\t", "")

// ParseDeviceID parses the 52-character form produced by String. Spaces and
// dashes (as people type them when reading an id aloud) are ignored, case is not
// significant. It returns an error naming what was wrong.
func ParseDeviceID(s string) (DeviceID, error) {
	var d DeviceID
	clean := strings.ToUpper(idSpacing.Replace(s))
	b, err := idEncoding.DecodeString(clean)
	if err != nil {
		return d, fmt.Errorf("member id %q: not base32: %w", s, err)
	}
	if len(b) != len(d) {
		return d, fmt.Errorf("member id %q: %d bytes, want %d", s, len(b), len(d))
	}
	copy(d[:], b)
	return d, nil
}

// Hash is a SHA-256 digest. A change's id is the Hash of its full encoding.
type Hash [32]byte

// String returns the digest in lower-case hex.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// IsZero reports whether h is the zero hash (the Prev of a feed's first change).
func (h Hash) IsZero() bool { return h == Hash{} }

// Stamp is a hybrid logical clock reading: Wall is milliseconds since the Unix
// epoch (UTC), Logical counts events within the same millisecond. Stamps are
// totally ordered by (Wall, Logical); ties between devices break on DeviceID.
type Stamp struct {
	Wall    int64  `cbor:"1,keyasint"`
	Logical uint32 `cbor:"2,keyasint"`
}

// Compare returns -1, 0 or +1 as s is before, equal to or after o.
func (s Stamp) Compare(o Stamp) int {
	switch {
	case s.Wall < o.Wall:
		return -1
	case s.Wall > o.Wall:
		return 1
	case s.Logical < o.Logical:
		return -1
	case s.Logical > o.Logical:
		return 1
	}
	return 0
}

// Time returns the wall-clock part of s.
func (s Stamp) Time() time.Time { return time.UnixMilli(s.Wall).UTC() }

// Op is one operation of a change on one entity. The ledger does not interpret
// operations; the relief package defines Kind, Type and the CBOR Body of each.
type Op struct {
	Kind string          `cbor:"1,keyasint"`           // entity kind, e.g. "demand", "member"
	ID   string          `cbor:"2,keyasint"`           // entity id within its kind
	Type string          `cbor:"3,keyasint"`           // operation, e.g. "set", "transition"
	Body cbor.RawMessage `cbor:"4,keyasint,omitempty"` // operation payload (CBOR), decoded by relief
}

// Change is one signed entry of a device's feed.
type Change struct {
	Network string   `cbor:"1,keyasint"`           // network (incident) id; changes of other networks are rejected
	Device  DeviceID `cbor:"2,keyasint"`           // author's ed25519 public key
	Seq     uint64   `cbor:"3,keyasint"`           // position in the author's feed, starting at 1
	Prev    Hash     `cbor:"4,keyasint"`           // id of change Seq-1 of the same feed; zero when Seq is 1
	Stamp   Stamp    `cbor:"5,keyasint"`           // hybrid logical clock stamp at authoring
	Ops     []Op     `cbor:"6,keyasint"`           // operations, applied in order
	Sig     []byte   `cbor:"7,keyasint,omitempty"` // ed25519 signature over SigningBytes
}
