// Package seal implements the sealed envelopes of restricted values and the
// wrapping of their content keys to members' X25519 keys.
//
// A restricted value (a requester's contacts, an exact position) is sealed
// under a random 32-byte content Key with XChaCha20-Poly1305; the additional
// data binds the record's kind and id and the field's name (AAD), so that a
// sealed value moved to another record or field does not open. The content key
// is wrapped to each member cleared to read it (Wrap): an ephemeral-static
// X25519 exchange with the member's published PublicKey, HKDF-SHA256 over the
// shared secret salted with both public keys, and ChaCha20-Poly1305 over the
// key, with the key's id as additional data — the construction of age's X25519
// recipient (FiloSottile/age, x25519.go), with our own labels and a compact
// CBOR encoding instead of age's text stanzas.
//
// Envelopes and wrapped keys are versioned CBOR arrays (Version 1). Their
// decoders (DecodeEnvelope, DecodeWrapped) take bytes from any peer: they
// refuse anything malformed with an error wrapping ErrMalformed, and a
// tampered ciphertext with ErrOpen; they never panic.
//
// The package is pure: no I/O, no clock; randomness comes from the io.Reader
// the caller passes (crypto/rand.Reader in production).
package seal
