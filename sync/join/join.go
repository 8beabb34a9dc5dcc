// Package join encodes the join code a member shows to a newcomer (as text and
// QR): the network's id and name, and the addresses where members or hubs can
// be reached. The newcomer's app parses it, joins the network and dials the
// addresses; once an existing member endorses the newcomer's member id, the
// peers admit it and it catches up.
package join

import (
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"

	"github.com/multiformats/go-multiaddr"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// Prefix starts every join code; the 1 is the format version.
const Prefix = "RMJ1-"

// MaxLen is the longest join code accepted, in bytes.
const MaxLen = 4096

// Code is what a join code carries.
type Code struct {
	Network string   `cbor:"1,keyasint"`           // network id
	Name    string   `cbor:"2,keyasint,omitempty"` // incident name, shown to the newcomer before joining
	Addrs   []string `cbor:"3,keyasint,omitempty"` // multiaddrs with /p2p/ peer ids: members and hubs to dial
}

var enc = base32.StdEncoding.WithPadding(base32.NoPadding)

// alphabet holds the characters of a code after Prefix.
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// checksumLen is how many bytes of SHA-256 end a code, so that a mistyped
// character is caught instead of joining a network that does not exist.
const checksumLen = 4

// String returns the code as text: Prefix and upper-case base32 of its CBOR
// followed by a 4-byte checksum, which a QR code stores compactly
// (alphanumeric mode).
func (c Code) String() string {
	b, err := ledger.Marshal(c)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return Prefix + enc.EncodeToString(append(b, sum[:checksumLen]...))
}

// Errors Parse wraps, for callers that explain them (errors.Is).
var (
	// ErrMistyped: the code decodes but its checksum does not match: most
	// often one character typed wrong.
	ErrMistyped = errors.New("mistyped")
	// ErrTruncated: the code is cut short (characters missing at its end).
	ErrTruncated = errors.New("truncated")
)

// Parse reads a join code as typed or scanned: spaces, line breaks and case
// do not matter. Errors say what is wrong (prefix, encoding, no network id, an
// address that is not a multiaddr).
func Parse(s string) (Code, error) {
	var c Code
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if len(s) > MaxLen {
		return c, fmt.Errorf("join code: %d characters, at most %d", len(s), MaxLen)
	}
	rest, ok := strings.CutPrefix(s, Prefix)
	if !ok {
		return c, errors.New("join code: does not start with " + Prefix)
	}
	if strings.Trim(rest, alphabet) != "" {
		return c, fmt.Errorf("join code: damaged (not base32): %q is not a code character", strings.Trim(rest, alphabet)[:1])
	}
	if n := len(rest) % 8; n == 1 || n == 3 || n == 6 { // no whole number of bytes: characters missing
		return c, fmt.Errorf("join code: %w: %d characters after %s, which no code has: a character is missing (at the end, most often); copy it again, or scan the QR code", ErrTruncated, len(rest), Prefix)
	}
	b, err := enc.DecodeString(rest)
	if err != nil {
		return c, fmt.Errorf("join code: damaged (not base32): %w", err)
	}
	if enc.EncodeToString(b) != rest { // unused bits of the last character changed
		return c, fmt.Errorf("join code: %w: the last character is wrong; check it, or scan the QR code", ErrMistyped)
	}
	if len(b) <= checksumLen {
		return c, fmt.Errorf("join code: damaged (%w: too short)", ErrTruncated)
	}
	body, sum := b[:len(b)-checksumLen], b[len(b)-checksumLen:]
	if want := sha256.Sum256(body); !bytes.Equal(sum, want[:checksumLen]) {
		return c, fmt.Errorf("join code: %w: the checksum does not match, so a character is wrong or missing; check it character by character, or scan the QR code", ErrMistyped)
	}
	b = body
	if err := ledger.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("join code: damaged: %w", err)
	}
	if c.Network == "" {
		return c, errors.New("join code: no network id")
	}
	if !validNetworkID(c.Network) {
		return c, fmt.Errorf("join code: network id %q is not one", c.Network)
	}
	for i, a := range c.Addrs {
		if _, err := multiaddr.NewMultiaddr(a); err != nil {
			return c, fmt.Errorf("join code: address %d %q: %w", i+1, a, err)
		}
	}
	return c, nil
}

// validNetworkID reports whether id looks like a network id: lower-case base32
// letters and digits (relief.NetworkID makes 26 of them).
func validNetworkID(id string) bool {
	if len(id) < 8 || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '2' && r <= '7') {
			return false
		}
	}
	return true
}
