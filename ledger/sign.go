package ledger

import (
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"io"
)

// GenerateKey returns a new device key drawn from rand (crypto/rand.Reader in
// production, a fixed reader in tests) and the DeviceID it signs as.
func GenerateKey(rand io.Reader) (DeviceID, ed25519.PrivateKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand)
	if err != nil {
		return DeviceID{}, nil, fmt.Errorf("generate device key: %w", err)
	}
	return DeviceID(pub), priv, nil
}

// DeviceOf returns the DeviceID of an ed25519 private key, or the zero id if
// key is not ed25519.PrivateKeySize (64) bytes long.
func DeviceOf(key ed25519.PrivateKey) DeviceID {
	if len(key) != ed25519.PrivateKeySize {
		return DeviceID{}
	}
	return DeviceID(key[32:])
}

// SigningBytes returns what the author signs: the canonical encoding of c with
// Sig left out. It returns nil if c cannot be encoded (see Encode); it does not
// apply the MaxChangeSize limit.
func (c *Change) SigningBytes() []byte {
	b, _ := c.signingBytes()
	return b
}

func (c *Change) signingBytes() ([]byte, error) {
	b, err := marshalChange(c, true)
	if err != nil {
		return nil, &RejectError{Reason: ReasonMalformed, Device: c.Device, Seq: c.Seq, Err: fmt.Errorf("encode change: %w", err)}
	}
	return b, nil
}

// ID returns the change's id: the SHA-256 of its full canonical encoding,
// signature included. It is what the next change of the feed carries as Prev
// and the gossip message id. It is computed on every call. It returns the zero
// Hash if c cannot be encoded; changes from Decode or Author always can.
//
// Because Go's ed25519 rejects non-canonical signatures, nobody but the author
// can produce another valid encoding of the same content, so ids are stable.
func (c *Change) ID() Hash {
	b, err := marshalChange(c, false)
	if err != nil {
		return Hash{}
	}
	return idOf(b)
}

// idOf returns the id of the change whose full encoding is b.
func idOf(b []byte) Hash { return sha256.Sum256(b) }

// Sign sets c.Sig to key's ed25519 signature over c.SigningBytes. key must be
// the private key of c.Device; otherwise, or if c cannot be encoded, Sign
// returns an error and leaves c unchanged. Sign does not check the rules
// Decode enforces; Author.Next does.
func Sign(key ed25519.PrivateKey, c *Change) error {
	if len(key) != ed25519.PrivateKeySize {
		return fmt.Errorf("sign seq %d: private key is %d bytes, want %d", c.Seq, len(key), ed25519.PrivateKeySize)
	}
	if d := DeviceOf(key); d != c.Device {
		return fmt.Errorf("sign seq %d: key of device %s cannot sign for device %s", c.Seq, d.Short(), c.Device.Short())
	}
	msg, err := c.signingBytes()
	if err != nil {
		return err
	}
	c.Sig = ed25519.Sign(key, msg)
	return nil
}

// Verify checks that c.Sig is c.Device's ed25519 signature over
// c.SigningBytes. It returns nil or a *RejectError with ReasonBadSignature (or
// ReasonMalformed if c cannot be encoded). It does not check the structural
// rules (Decode does) nor membership, network or feed position (the store does).
func (c *Change) Verify() error {
	if len(c.Sig) != SignatureSize {
		return reject(ReasonBadSignature, c, "signature is %d bytes, want %d", len(c.Sig), SignatureSize)
	}
	msg, err := c.signingBytes()
	if err != nil {
		return err
	}
	if !ed25519.Verify(c.Device[:], msg, c.Sig) {
		return reject(ReasonBadSignature, c, "signature does not verify")
	}
	return nil
}

// VerifyRun verifies run, a contiguous part of one device's feed that follows
// the change whose id is prev (the zero Hash when run[0] is the feed's first
// change). It checks that every change satisfies the structural rules of
// Decode, that all have run[0]'s Device and Network, that Seqs are consecutive,
// that run[0].Prev == prev and each later Prev is the ID of the change before
// it, and that the last change's signature verifies. An empty run is valid.
//
// Only the last signature is checked, which makes catch-up of n changes cost
// one signature check and n hashes instead of n signature checks. This is
// sound: the last signature covers the last change's SigningBytes, which
// include its Prev, the SHA-256 of the whole previous change (its Prev and
// signature included), and so on back to prev. Altering any byte of any change
// in the run changes the id its successor must carry, so without a SHA-256
// collision nobody but the author can make a run that passes. The earlier
// changes are authentic even though their own signatures are not checked (an
// author could even have put a bad one there); a peer that later serves such a
// change as the last of a run sees that run rejected.
//
// Errors are *RejectError naming the device and seq of the change that broke
// the run: ReasonMalformed, ReasonWrongNetwork (Network differs from run[0]),
// ReasonBrokenLink (other device, seq not consecutive, Prev mismatch) or
// ReasonBadSignature (last signature).
func VerifyRun(prev Hash, run []*Change) error {
	return verifyRun(prev, run, nil)
}

// VerifyRunIDs is VerifyRun for a caller that already holds the id of each
// change of run (ids[i] is run[i].ID(), the SHA-256 of its canonical
// encoding, as the store computes it once from the bytes it stores): the
// links are checked against ids instead of encoding every change again. It
// checks everything VerifyRun checks, with the same errors; ids must be as
// long as run, or the run is refused as malformed.
func VerifyRunIDs(prev Hash, run []*Change, ids []Hash) error {
	if len(ids) != len(run) {
		if len(run) == 0 {
			return nil
		}
		return reject(ReasonMalformed, run[0], "verify run: %d ids for %d changes", len(ids), len(run))
	}
	return verifyRun(prev, run, ids)
}

// verifyRun is VerifyRun, with the ids of run's changes when ids is not nil.
func verifyRun(prev Hash, run []*Change, ids []Hash) error {
	if len(run) == 0 {
		return nil
	}
	first := run[0]
	for i, c := range run {
		if err := c.validate(); err != nil {
			return err
		}
		switch {
		case c.Device != first.Device:
			return reject(ReasonBrokenLink, c, "change %d of run is by device %s, run is device %s", i, c.Device.Short(), first.Device.Short())
		case c.Network != first.Network:
			return reject(ReasonWrongNetwork, c, "change %d of run is in network %q, run is in %q", i, c.Network, first.Network)
		case i > 0 && c.Seq != run[i-1].Seq+1:
			return reject(ReasonBrokenLink, c, "seq %d follows seq %d", c.Seq, run[i-1].Seq)
		case c.Prev != prev:
			return reject(ReasonBrokenLink, c, "prev %s, want %s", c.Prev, prev)
		}
		if i < len(run)-1 {
			if ids != nil {
				prev = ids[i]
				continue
			}
			b, err := marshalChange(c, false)
			if err != nil {
				return &RejectError{Reason: ReasonMalformed, Device: c.Device, Seq: c.Seq, Err: fmt.Errorf("encode change: %w", err)}
			}
			prev = idOf(b)
		}
	}
	return run[len(run)-1].Verify()
}
