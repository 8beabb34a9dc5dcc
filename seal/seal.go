package seal

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"

	"github.com/fxamacker/cbor/v2"
	"golang.org/x/crypto/chacha20poly1305"
)

// Version is the version of the envelope and wrapped-key encodings this
// package writes and reads.
const Version = 1

// Sizes, in bytes.
const (
	KeySize   = chacha20poly1305.KeySize    // a content key
	KeyIDSize = 16                          // a content key's id
	NonceSize = chacha20poly1305.NonceSizeX // the nonce of an envelope
	Overhead  = chacha20poly1305.Overhead   // the authentication tag of a sealed value
	// MaxSealed is the largest plaintext Seal accepts and the largest
	// ciphertext DecodeEnvelope accepts (64 KiB: a restricted field is
	// small; relief's limits keep it far below).
	MaxSealed = 64 << 10
)

// Errors. Every decoding error wraps ErrMalformed; every failed
// authentication (a wrong key, a tampered ciphertext, a value moved to
// another record) wraps ErrOpen.
var (
	ErrMalformed = errors.New("malformed sealed data")
	ErrOpen      = errors.New("sealed data does not open")
)

// Key is a content key: the XChaCha20-Poly1305 key of one record's sealed
// values.
type Key [KeySize]byte

// KeyID names a content key without revealing it: the first 16 bytes of
// SHA-256 of a domain tag and the key.
type KeyID [KeyIDSize]byte

// NewKey returns a random content key read from rand.
func NewKey(rand io.Reader) (Key, error) {
	var k Key
	if _, err := io.ReadFull(rand, k[:]); err != nil {
		return Key{}, fmt.Errorf("new content key: %w", err)
	}
	return k, nil
}

// ID returns the key's id.
func (k Key) ID() KeyID {
	h := sha256.New()
	h.Write([]byte("reliefmesh/seal/v1/key-id\x00"))
	h.Write(k[:])
	var id KeyID
	copy(id[:], h.Sum(nil))
	return id
}

// IsZero reports whether id is the zero id (no key).
func (id KeyID) IsZero() bool { return id == KeyID{} }

// AAD returns the additional data that binds a sealed value to one field of
// one record: a domain tag, the record's kind and id and the field's name,
// each followed by a zero byte (none of them holds one: relief's ids and
// field names are UTF-8 text without NUL).
func AAD(kind, id, field string) []byte {
	b := make([]byte, 0, 24+len(kind)+len(id)+len(field)+3)
	b = append(b, "reliefmesh/seal/v1/aad\x00"...)
	for _, s := range []string{kind, id, field} {
		b = append(b, s...)
		b = append(b, 0)
	}
	return b
}

// Envelope is a sealed value as it travels and rests: which key sealed it,
// the nonce and the ciphertext (plaintext plus the 16-byte tag).
type Envelope struct {
	_          struct{} `cbor:",toarray"`
	Version    uint
	KeyID      KeyID
	Nonce      [NonceSize]byte
	Ciphertext []byte
}

// Seal encrypts plaintext under k, bound to aad (see AAD), with a random
// nonce from rand, and returns the encoded Envelope. Errors: plaintext longer
// than MaxSealed; rand failing.
func Seal(k Key, rand io.Reader, aad, plaintext []byte) ([]byte, error) {
	if len(plaintext) > MaxSealed {
		return nil, fmt.Errorf("seal %d bytes: more than %d", len(plaintext), MaxSealed)
	}
	aead, err := chacha20poly1305.NewX(k[:])
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	e := Envelope{Version: Version, KeyID: k.ID()}
	if _, err := io.ReadFull(rand, e.Nonce[:]); err != nil {
		return nil, fmt.Errorf("seal: nonce: %w", err)
	}
	e.Ciphertext = aead.Seal(nil, e.Nonce[:], plaintext, aad)
	b, err := encMode.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("seal: encode envelope: %w", err)
	}
	return b, nil
}

// DecodeEnvelope decodes an envelope written by Seal. It checks the shape
// only (version, sizes), not the ciphertext: see Open. Errors wrap
// ErrMalformed.
func DecodeEnvelope(b []byte) (Envelope, error) {
	var e Envelope
	if err := decMode.Unmarshal(b, &e); err != nil {
		return Envelope{}, fmt.Errorf("%w: envelope: %v", ErrMalformed, err)
	}
	switch {
	case e.Version != Version:
		return Envelope{}, fmt.Errorf("%w: envelope version %d, want %d", ErrMalformed, e.Version, Version)
	case len(e.Ciphertext) < Overhead || len(e.Ciphertext) > MaxSealed+Overhead:
		return Envelope{}, fmt.Errorf("%w: envelope ciphertext of %d bytes", ErrMalformed, len(e.Ciphertext))
	}
	return e, nil
}

// Open decrypts the envelope b with k and aad. Errors: ErrMalformed (b does
// not decode); ErrOpen when b was sealed under another key, for another aad,
// or was altered.
func Open(k Key, b, aad []byte) ([]byte, error) {
	e, err := DecodeEnvelope(b)
	if err != nil {
		return nil, err
	}
	return e.Open(k, aad)
}

// Open decrypts e with k and aad; see the function Open.
func (e Envelope) Open(k Key, aad []byte) ([]byte, error) {
	if e.KeyID != k.ID() {
		return nil, fmt.Errorf("%w: sealed under key %x, not %x", ErrOpen, e.KeyID[:4], k.ID().Bytes()[:4])
	}
	aead, err := chacha20poly1305.NewX(k[:])
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	p, err := aead.Open(nil, e.Nonce[:], e.Ciphertext, aad)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrOpen, err)
	}
	return p, nil
}

// Bytes returns the id as a slice.
func (id KeyID) Bytes() []byte { return id[:] }

var (
	encMode cbor.EncMode
	decMode cbor.DecMode
)

func init() {
	var err error
	if encMode, err = cbor.CoreDetEncOptions().EncMode(); err != nil {
		panic(err)
	}
	decMode, err = cbor.DecOptions{
		DupMapKey:         cbor.DupMapKeyEnforcedAPF,
		IndefLength:       cbor.IndefLengthForbidden,
		MaxNestedLevels:   4,
		MaxArrayElements:  16,
		MaxMapPairs:       16,
		ExtraReturnErrors: cbor.ExtraDecErrorUnknownField,
	}.DecMode()
	if err != nil {
		panic(err)
	}
}
