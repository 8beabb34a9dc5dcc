package ledger

import (
	"errors"
	"fmt"
)

// Reason is a stable, machine-readable reason for rejecting a change. The store
// counts rejections by Reason and the UI maps each to a message; the values are
// part of the on-disk and wire vocabulary, so they never change.
type Reason string

// Reasons for rejecting a change.
const (
	// ReasonMalformed: not a canonical encoding of a well-formed change.
	ReasonMalformed Reason = "malformed"
	// ReasonTooLarge: the encoding is longer than MaxChangeSize.
	ReasonTooLarge Reason = "too_large"
	// ReasonBadSignature: the signature does not verify under the change's Device.
	ReasonBadSignature Reason = "bad_signature"
	// ReasonBrokenLink: a run is not contiguous (device, seq or Prev hash link).
	ReasonBrokenLink Reason = "broken_link"
	// ReasonWrongNetwork: the change belongs to another network.
	ReasonWrongNetwork Reason = "wrong_network"
	// ReasonNotMember: the author is not on the network's roster (used by store).
	ReasonNotMember Reason = "not_member"
	// ReasonRevoked: the author's feed was cut before this seq (used by store).
	ReasonRevoked Reason = "revoked"
	// ReasonFork: the author signed two different changes with the same seq.
	ReasonFork Reason = "fork"
	// ReasonTooFarAhead: the stamp is further in the future than the allowed
	// clock drift; the change is held until HLC.Due, not dropped.
	ReasonTooFarAhead Reason = "too_far_ahead"
	// ReasonGap: earlier changes of the feed are missing; catch-up must fetch them.
	ReasonGap Reason = "gap"
	// ReasonRole: the author is a member whose role may not make this change
	// (an observer writing anything, a non-coordinator changing the network's
	// settings).
	ReasonRole Reason = "role"
	// ReasonForeignGenesis: a genesis (the first change of a would-be
	// founder) that does not found this network: its founder's key and nonce
	// do not hash to the network id (relief.NetworkID), so it was signed by
	// someone other than the network's founder (used by store).
	ReasonForeignGenesis Reason = "foreign_genesis"
	// ReasonBeforeGenesis: the change is stamped before the network's genesis
	// change (or before 1970), which no honest member's clock can produce:
	// every member's clock has seen the genesis before it writes (used by
	// store).
	ReasonBeforeGenesis Reason = "before_genesis"
)

// RejectError is the error returned for a change (or encoding) that is rejected.
// Device and Seq name the change when known (both are zero when the input could
// not be parsed far enough); Err, if not nil, says what exactly was wrong.
type RejectError struct {
	Reason Reason
	Device DeviceID
	Seq    uint64
	Err    error
}

// Error returns e.g. "reject bad_signature: device abcdefgh seq 12: signature does not verify".
func (e *RejectError) Error() string {
	s := "reject " + string(e.Reason)
	switch {
	case !e.Device.IsZero():
		s += fmt.Sprintf(": device %s seq %d", e.Device.Short(), e.Seq)
	case e.Seq != 0:
		s += fmt.Sprintf(": seq %d", e.Seq)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns Err.
func (e *RejectError) Unwrap() error { return e.Err }

// ReasonOf returns the Reason of the first *RejectError in err's chain, or ""
// if there is none (including when err is nil).
func ReasonOf(err error) Reason {
	var re *RejectError
	if errors.As(err, &re) {
		return re.Reason
	}
	return ""
}

// reject builds a *RejectError for c (which may be nil) with a formatted cause.
func reject(r Reason, c *Change, format string, args ...any) *RejectError {
	e := &RejectError{Reason: r, Err: fmt.Errorf(format, args...)}
	if c != nil {
		e.Device, e.Seq = c.Device, c.Seq
	}
	return e
}
