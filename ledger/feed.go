package ledger

import "fmt"

// Head is the last change of a feed as far as one peer has it: its Seq and ID.
// The zero Head is an empty feed, whose next change has Seq 1 and a zero Prev.
type Head struct {
	Seq uint64 `cbor:"1,keyasint"`
	ID  Hash   `cbor:"2,keyasint"`
}

// HeadOf returns the Head of a feed whose last change is c.
func HeadOf(c *Change) Head { return Head{Seq: c.Seq, ID: c.ID()} }

// String returns e.g. "12@1f3a9c0e" (seq and the first 8 hex digits of the id).
func (h Head) String() string { return fmt.Sprintf("%d@%.8s", h.Seq, h.ID) }

// Verdict is what appending a change to a feed would mean; see Classify.
type Verdict int

// Verdicts of Classify. The zero Verdict is Unknown, so a forgotten
// assignment is never taken for Next.
const (
	// Unknown: c.Seq is 0, or at or below the head and known has no id for it.
	// The store's feed is inconsistent; nothing can be concluded about c.
	Unknown Verdict = iota
	// Next: c extends the feed (c.Seq == head.Seq+1 and c.Prev == head.ID).
	Next
	// Duplicate: the feed already holds c (same seq, same id). Drop it quietly.
	Duplicate
	// Fork: the author signed two different changes at one position: c.Seq is at
	// or below the head and its id differs from the one held, or c.Seq ==
	// head.Seq+1 and c.Prev is not head.ID. The store keeps both changes as
	// evidence (once c's signature is checked), flags the device and applies
	// neither side past the fork (reject with ReasonFork).
	Fork
	// Gap: c.Seq > head.Seq+1; changes in between are missing. The store holds
	// or drops c and runs catch-up (reject with ReasonGap); it is classified
	// again once the gap is filled.
	Gap
)

var verdictNames = [...]string{Unknown: "unknown", Next: "next", Duplicate: "duplicate", Fork: "fork", Gap: "gap"}

// String returns the verdict's lower-case name.
func (v Verdict) String() string {
	if v >= 0 && int(v) < len(verdictNames) {
		return verdictNames[v]
	}
	return fmt.Sprintf("verdict(%d)", int(v))
}

// Classify says what appending c to the feed whose current head is head would
// mean. known(seq) returns the id of the feed's change at seq, for 1 <= seq <=
// head.Seq, and false if the store does not have it; it is only called when
// c.Seq <= head.Seq. Classify is pure; it checks neither signatures nor that c
// is by the feed's device, and it never calls c.ID unless c.Seq <= head.Seq.
func Classify(head Head, c *Change, known func(seq uint64) (Hash, bool)) Verdict {
	switch {
	case c.Seq == 0:
		return Unknown
	case c.Seq == head.Seq+1:
		if c.Prev == head.ID {
			return Next
		}
		return Fork
	case c.Seq > head.Seq+1:
		return Gap
	}
	id, ok := known(c.Seq)
	switch {
	case !ok:
		return Unknown
	case id == c.ID():
		return Duplicate
	}
	return Fork
}
