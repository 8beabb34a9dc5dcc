package seal

import (
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
	"io"

	"golang.org/x/crypto/chacha20poly1305"
)

// PublicKeySize is the size of an X25519 public key, in bytes.
const PublicKeySize = 32

// PublicKey is a member's published X25519 public key, the recipient of
// wrapped content keys.
type PublicKey [PublicKeySize]byte

// ParsePublicKey checks that b is an X25519 public key (32 bytes). Errors
// wrap ErrMalformed.
func ParsePublicKey(b []byte) (PublicKey, error) {
	var p PublicKey
	if len(b) != PublicKeySize {
		return p, fmt.Errorf("%w: public key of %d bytes, want %d", ErrMalformed, len(b), PublicKeySize)
	}
	copy(p[:], b)
	return p, nil
}

// Identity is a device's X25519 private key, which opens the content keys
// wrapped to its PublicKey.
type Identity struct {
	priv *ecdh.PrivateKey
}

// IdentityFromSeed derives a device's X25519 identity from its ed25519 seed
// (the first 32 bytes of the device key): HKDF-SHA256 with a label of its
// own, so that the X25519 key is independent of the signing key, yet kept
// wherever the device key is (a device moved aside and back keeps opening
// what was wrapped to it). Errors: a seed of another size.
func IdentityFromSeed(seed []byte) (Identity, error) {
	if len(seed) != 32 {
		return Identity{}, fmt.Errorf("x25519 identity: seed of %d bytes, want 32", len(seed))
	}
	k, err := hkdf.Key(sha256.New, seed, nil, "reliefmesh/seal/v1/x25519-identity", 32)
	if err != nil {
		return Identity{}, fmt.Errorf("x25519 identity: %w", err)
	}
	priv, err := ecdh.X25519().NewPrivateKey(k)
	if err != nil {
		return Identity{}, fmt.Errorf("x25519 identity: %w", err)
	}
	return Identity{priv: priv}, nil
}

// NewIdentity returns a random identity read from rand (tests, and devices
// without an ed25519 seed).
func NewIdentity(rand io.Reader) (Identity, error) {
	var seed [32]byte
	if _, err := io.ReadFull(rand, seed[:]); err != nil {
		return Identity{}, fmt.Errorf("x25519 identity: %w", err)
	}
	return IdentityFromSeed(seed[:])
}

// Public returns the identity's public key, the one a member publishes.
func (i Identity) Public() PublicKey {
	var p PublicKey
	if i.priv != nil {
		copy(p[:], i.priv.PublicKey().Bytes())
	}
	return p
}

// Wrapped is a content key wrapped to one recipient: the ephemeral X25519
// public key and the encrypted content key (32 bytes plus the 16-byte tag).
type Wrapped struct {
	_         struct{} `cbor:",toarray"`
	Version   uint
	Ephemeral PublicKey
	Sealed    []byte
}

const wrapLabel = "reliefmesh/seal/v1/x25519-wrap"

// Wrap wraps k to the recipient to with a fresh ephemeral key from rand, and
// returns the encoded Wrapped. Errors: rand failing; to is not a usable
// X25519 key (a low-order point).
func Wrap(k Key, to PublicKey, rand io.Reader) ([]byte, error) {
	var seed [32]byte
	if _, err := io.ReadFull(rand, seed[:]); err != nil {
		return nil, fmt.Errorf("wrap: %w", err)
	}
	eph, err := ecdh.X25519().NewPrivateKey(seed[:])
	if err != nil {
		return nil, fmt.Errorf("wrap: %w", err)
	}
	w := Wrapped{Version: Version}
	copy(w.Ephemeral[:], eph.PublicKey().Bytes())
	aead, err := wrapAEAD(eph, to, w.Ephemeral, to)
	if err != nil {
		return nil, fmt.Errorf("wrap: %w", err)
	}
	id := k.ID()
	w.Sealed = aead.Seal(nil, make([]byte, chacha20poly1305.NonceSize), k[:], id[:])
	b, err := encMode.Marshal(w)
	if err != nil {
		return nil, fmt.Errorf("wrap: encode: %w", err)
	}
	return b, nil
}

// wrapAEAD derives the key-wrapping AEAD of an exchange between priv and
// peer (the recipient's key when wrapping, the ephemeral key when
// unwrapping); ephemeral and recipient are the two public keys of the
// exchange, salting HKDF in that order, as age does. A fresh ephemeral key
// per wrap makes the derived key single-use, so the nonce is zero.
func wrapAEAD(priv *ecdh.PrivateKey, peer, ephemeral, recipient PublicKey) (cipher.AEAD, error) {
	pk, err := ecdh.X25519().NewPublicKey(peer[:])
	if err != nil {
		return nil, err
	}
	shared, err := priv.ECDH(pk) // fails on a low-order point (all-zero secret)
	if err != nil {
		return nil, err
	}
	salt := make([]byte, 0, 2*PublicKeySize)
	salt = append(append(salt, ephemeral[:]...), recipient[:]...)
	key, err := hkdf.Key(sha256.New, shared, salt, wrapLabel, chacha20poly1305.KeySize)
	if err != nil {
		return nil, err
	}
	return chacha20poly1305.New(key)
}

// DecodeWrapped decodes a wrapped key written by Wrap, checking its shape
// only. Errors wrap ErrMalformed.
func DecodeWrapped(b []byte) (Wrapped, error) {
	var w Wrapped
	if err := decMode.Unmarshal(b, &w); err != nil {
		return Wrapped{}, fmt.Errorf("%w: wrapped key: %v", ErrMalformed, err)
	}
	switch {
	case w.Version != Version:
		return Wrapped{}, fmt.Errorf("%w: wrapped key version %d, want %d", ErrMalformed, w.Version, Version)
	case len(w.Sealed) != KeySize+Overhead:
		return Wrapped{}, fmt.Errorf("%w: wrapped key of %d bytes, want %d", ErrMalformed, len(w.Sealed), KeySize+Overhead)
	}
	return w, nil
}

// Unwrap opens a wrapped key b (as Wrap returns it) meant for i, and checks
// that it is the key named id. Errors: ErrMalformed; ErrOpen when b was
// wrapped to another recipient, for another key, or was altered.
func (i Identity) Unwrap(b []byte, id KeyID) (Key, error) {
	w, err := DecodeWrapped(b)
	if err != nil {
		return Key{}, err
	}
	if i.priv == nil {
		return Key{}, fmt.Errorf("%w: no identity", ErrOpen)
	}
	aead, err := wrapAEAD(i.priv, w.Ephemeral, w.Ephemeral, i.Public())
	if err != nil {
		return Key{}, fmt.Errorf("%w: %v", ErrOpen, err)
	}
	p, err := aead.Open(nil, make([]byte, chacha20poly1305.NonceSize), w.Sealed, id[:])
	if err != nil {
		return Key{}, fmt.Errorf("%w: wrapped key: %v", ErrOpen, err)
	}
	var k Key
	copy(k[:], p)
	if k.ID() != id {
		return Key{}, fmt.Errorf("%w: wrapped key is not key %x", ErrOpen, id[:4])
	}
	return k, nil
}
