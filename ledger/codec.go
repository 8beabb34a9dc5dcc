package ledger

import (
	"bytes"
	"fmt"

	"github.com/fxamacker/cbor/v2"
)

// Limits of the canonical encoding. They bound what a peer can make us allocate;
// changing them is a protocol change.
const (
	// MaxChangeSize is the largest encoded change, signature included, in bytes.
	MaxChangeSize = 256 << 10
	// MaxNestedLevels is the deepest nesting of arrays, maps and tags in an encoding
	// (a change uses 3 levels itself: change, Ops, Op; Bodies get the rest).
	MaxNestedLevels = 16
	// MaxArrayElements is the most elements of one CBOR array (e.g. Ops of a change).
	MaxArrayElements = 65536
	// MaxMapPairs is the most pairs of one CBOR map (e.g. devices of a VersionVector).
	MaxMapPairs = 65536
	// SignatureSize is the length of Change.Sig in bytes (ed25519).
	SignatureSize = 64
)

var (
	encMode cbor.EncMode
	decMode cbor.DecMode
)

func init() {
	var err error
	if encMode, err = cbor.CoreDetEncOptions().EncMode(); err != nil {
		panic("ledger: cbor enc mode: " + err.Error())
	}
	decMode, err = cbor.DecOptions{
		DupMapKey:         cbor.DupMapKeyEnforcedAPF,
		IndefLength:       cbor.IndefLengthForbidden,
		MaxNestedLevels:   MaxNestedLevels,
		MaxArrayElements:  MaxArrayElements,
		MaxMapPairs:       MaxMapPairs,
		ExtraReturnErrors: cbor.ExtraDecErrorUnknownField,
		UTF8:              cbor.UTF8RejectInvalid,
	}.DecMode()
	if err != nil {
		panic("ledger: cbor dec mode: " + err.Error())
	}
}

// Marshal encodes v with the options used for changes (RFC 8949 core
// deterministic encoding). Op Bodies must be encoded with it, or with an encoder
// producing the same bytes, or Decode rejects the change as not canonical.
func Marshal(v any) ([]byte, error) { return encMode.Marshal(v) }

// Unmarshal decodes exactly one CBOR data item from b into v, with the strict
// options used for changes: no duplicate map keys, no indefinite lengths, no
// trailing bytes, no unknown struct fields, sizes capped by the Max* constants.
// It does not require b to be canonical.
func Unmarshal(b []byte, v any) error { return decMode.Unmarshal(b, v) }

// Encode returns the canonical encoding of c (deterministic CBOR, RFC 8949
// §4.2.1), signature included when c.Sig is set. Encoding the same change twice
// gives the same bytes. Errors are *RejectError: ReasonTooLarge when the result
// would exceed MaxChangeSize bytes, ReasonMalformed when c cannot be encoded
// (e.g. a Body that is not well-formed CBOR). Encode does not check the
// structural rules that Decode enforces.
func Encode(c *Change) ([]byte, error) {
	b, err := marshalChange(c, false)
	if err != nil {
		return nil, &RejectError{Reason: ReasonMalformed, Device: c.Device, Seq: c.Seq, Err: fmt.Errorf("encode change: %w", err)}
	}
	if len(b) > MaxChangeSize {
		return nil, reject(ReasonTooLarge, c, "encoded change is %d bytes, max %d", len(b), MaxChangeSize)
	}
	return b, nil
}

// Decode parses b, which must be exactly the canonical encoding of one
// well-formed change, and returns it. It checks structure only, not the
// signature (see Verify and VerifyRun). Errors are *RejectError:
//
//   - ReasonTooLarge: len(b) > MaxChangeSize (checked before decoding);
//   - ReasonMalformed: not well-formed CBOR, trailing bytes, indefinite lengths,
//     duplicate or unknown map keys, limits exceeded, any non-canonical form
//     (including inside Op Bodies), or a rule below broken: Seq >= 1; Prev zero
//     iff Seq == 1; Sig of SignatureSize bytes; Network not empty; at least one
//     Op; every Op with non-empty Kind, ID and Type.
//
// Decode(b) succeeding implies Encode of the result returns b.
func Decode(b []byte) (*Change, error) {
	if len(b) > MaxChangeSize {
		return nil, reject(ReasonTooLarge, nil, "change is %d bytes, max %d", len(b), MaxChangeSize)
	}
	if err := checkCanonical(b); err != nil {
		return nil, reject(ReasonMalformed, nil, "decode change: %w", err)
	}
	if c, ok := wireDecode(b); ok {
		// The layout of a canonical signed change was read field by field
		// (wire_decode.go), so encoding c gives b again: no need to check it.
		if err := c.validate(); err != nil {
			return nil, err
		}
		return c, nil
	}
	return decodeReflect(b)
}

// Received is a change as it was read from a peer or a file, with the bytes
// it was decoded from and their SHA-256, its id. Only DecodeReceived fills
// the bytes and id, and only from bytes Decode accepts, which are exactly
// the change's canonical encoding (Decode refuses any other form): so
// Encoding is what Encode(Change) would return and ID is Change.ID(),
// without encoding or hashing it again. A Received made otherwise
// (Received{Change: c}) has neither: HasEncoding is false.
//
// The change must not be altered while its Received is used: the bytes
// would no longer be its encoding. Its Bodies and Sig lie in those bytes.
type Received struct {
	Change *Change
	enc    []byte
	id     Hash
}

// DecodeReceived is Decode, keeping a copy of b (b may be reused after it
// returns) and its SHA-256. Errors: exactly Decode's (*RejectError:
// ReasonTooLarge, ReasonMalformed — a non-canonical encoding among them).
func DecodeReceived(b []byte) (Received, error) {
	if len(b) > MaxChangeSize {
		return Received{}, reject(ReasonTooLarge, nil, "change is %d bytes, max %d", len(b), MaxChangeSize)
	}
	if err := checkCanonical(b); err != nil {
		return Received{}, reject(ReasonMalformed, nil, "decode change: %w", err)
	}
	own := bytes.Clone(b)
	c, ok := wireDecodeIn(own, true)
	if ok {
		if err := c.validate(); err != nil {
			return Received{}, err
		}
	} else {
		var err error
		if c, err = decodeReflect(own); err != nil {
			return Received{}, err
		}
	}
	return Received{Change: c, enc: own, id: idOf(own)}, nil
}

// HasEncoding reports whether r holds its change's bytes and id (made by
// DecodeReceived).
func (r Received) HasEncoding() bool { return r.enc != nil }

// Encoding returns the canonical encoding r's change was decoded from (not
// to be changed), or nil when r has none (see HasEncoding).
func (r Received) Encoding() []byte { return r.enc }

// ID returns the change's id, the SHA-256 of Encoding, computed when it was
// decoded; when r has no encoding, Change.ID() (computed now).
func (r Received) ID() Hash {
	if r.enc == nil {
		return r.Change.ID()
	}
	return r.id
}

// decodeReflect decodes b, which checkCanonical accepted, by reflection,
// checks the rules and that b is the canonical encoding of the result: the
// path of every input wireDecode does not take (and the reference it is
// tested against).
func decodeReflect(b []byte) (*Change, error) {
	c := new(Change)
	if err := decMode.Unmarshal(b, c); err != nil {
		return nil, reject(ReasonMalformed, nil, "decode change: %w", err)
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	// Decoding can lose information (e.g. a 31-byte string into a [32]byte), so
	// the bytes must be exactly what we would produce.
	again, err := marshalChange(c, false)
	if err != nil || !bytes.Equal(again, b) {
		return nil, reject(ReasonMalformed, c, "not the canonical encoding of the change it decodes to")
	}
	return c, nil
}

// validate checks the structural rules listed on Decode.
func (c *Change) validate() error { return c.validateRules(false) }

// validateRules checks the structural rules listed on Decode, except the
// signature length when unsigned is true.
func (c *Change) validateRules(unsigned bool) error {
	bad := func(format string, args ...any) error { return reject(ReasonMalformed, c, format, args...) }
	switch {
	case c.Seq == 0:
		return bad("seq is 0, feeds start at 1")
	case c.Seq == 1 && !c.Prev.IsZero():
		return bad("first change of a feed has prev %s, want zero", c.Prev)
	case c.Seq > 1 && c.Prev.IsZero():
		return bad("prev is zero at seq %d", c.Seq)
	case c.Network == "":
		return bad("empty network")
	case len(c.Ops) == 0:
		return bad("no ops")
	case !unsigned && len(c.Sig) != SignatureSize:
		return bad("signature is %d bytes, want %d", len(c.Sig), SignatureSize)
	}
	for i, op := range c.Ops {
		if op.Kind == "" || op.ID == "" || op.Type == "" {
			return bad("op %d: empty kind, id or type (%q, %q, %q)", i, op.Kind, op.ID, op.Type)
		}
	}
	return nil
}
