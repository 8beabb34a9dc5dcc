package ledger

import (
	"fmt"
	"math"
	"sync"
	"time"
)

// DefaultMaxDrift is how far in the future a remote stamp may be before it is
// held (see HLC.Observe).
const DefaultMaxDrift = 5 * time.Minute

// String returns the stamp as "wall.logical", wall in Unix milliseconds.
func (s Stamp) String() string { return fmt.Sprintf("%d.%d", s.Wall, s.Logical) }

// succ returns the smallest stamp after s. When Logical is exhausted (2^32
// events in one millisecond) it moves to the next millisecond.
func (s Stamp) succ() Stamp {
	if s.Logical == math.MaxUint32 {
		return Stamp{Wall: s.Wall + 1}
	}
	return Stamp{Wall: s.Wall, Logical: s.Logical + 1}
}

// HLC is a hybrid logical clock (Kulkarni et al., 2014) with millisecond
// walls. Its stamps never go backward, even when the physical clock does, and
// after observing a remote stamp every later local stamp is greater. Remote
// stamps more than the maximum drift ahead of the physical clock are refused,
// so a device whose clock runs fast cannot drag everyone's clock forward.
//
// An HLC is safe for concurrent use. The zero HLC is not usable; use NewHLC.
type HLC struct {
	now      func() time.Time
	maxDrift time.Duration

	mu         sync.Mutex
	last       Stamp
	maxRemote  int64 // highest remote wall observed, ms; valid if seenRemote
	seenRemote bool
}

// NewHLC returns a clock reading physical time from now (time.Now in
// production) that refuses remote stamps more than maxDrift ahead of it;
// maxDrift <= 0 means DefaultMaxDrift. Restore it from the last persisted
// stamp before use.
func NewHLC(now func() time.Time, maxDrift time.Duration) *HLC {
	if maxDrift <= 0 {
		maxDrift = DefaultMaxDrift
	}
	return &HLC{now: now, maxDrift: maxDrift}
}

// MaxDrift returns the largest accepted lead of a remote stamp over the physical clock.
func (h *HLC) MaxDrift() time.Duration { return h.maxDrift }

func (h *HLC) physical() int64 { return h.now().UnixMilli() }

// Now returns a new stamp for a local event, greater than every stamp the
// clock returned, observed or was restored to: Wall is the larger of the last
// Wall and the physical time in ms; Logical counts up while Wall stays.
func (h *HLC) Now() Stamp {
	pt := h.physical()
	h.mu.Lock()
	defer h.mu.Unlock()
	if pt > h.last.Wall {
		h.last = Stamp{Wall: pt}
	} else {
		h.last = h.last.succ()
	}
	return h.last
}

// Observe merges a stamp received from another device into the clock, so that
// later local stamps order after it. If remote.Wall is more than MaxDrift
// ahead of the physical clock, Observe leaves the clock as it was and returns
// a *RejectError with ReasonTooFarAhead (Device and Seq zero; the caller fills
// them in if it wants): the caller holds the change until Due(remote) and
// observes it again then. Either way remote counts towards Behind.
func (h *HLC) Observe(remote Stamp) error {
	pt := h.physical()
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.seenRemote || remote.Wall > h.maxRemote {
		h.maxRemote, h.seenRemote = remote.Wall, true
	}
	if lead := aheadMs(remote.Wall, pt); lead > uint64(h.maxDrift.Milliseconds()) {
		return &RejectError{Reason: ReasonTooFarAhead, Err: fmt.Errorf("stamp %s is %v ahead of the local clock, more than %v", remote, millis(lead), h.maxDrift)}
	}
	last := h.last
	switch wall := max(last.Wall, remote.Wall, pt); {
	case wall == last.Wall && wall == remote.Wall:
		h.last = Stamp{Wall: wall, Logical: max(last.Logical, remote.Logical)}.succ()
	case wall == last.Wall:
		h.last = last.succ()
	case wall == remote.Wall:
		h.last = remote.succ()
	default:
		h.last = Stamp{Wall: pt}
	}
	return nil
}

// Due returns when a stamp refused by Observe becomes acceptable: the physical
// time at which s.Wall is no more than MaxDrift ahead. It is in the past for
// stamps that are acceptable now.
func (h *HLC) Due(s Stamp) time.Time {
	return time.UnixMilli(s.Wall).Add(-h.maxDrift).UTC()
}

// Behind returns how far the highest remote wall ever observed (held stamps
// included) is ahead of the physical clock now, or 0 if it is not ahead or
// nothing was observed. The UI warns the user to check their clock when this
// exceeds a minute; one peer with a fast clock raises it too.
func (h *HLC) Behind() time.Duration {
	pt := h.physical()
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.seenRemote {
		return 0
	}
	return millis(aheadMs(h.maxRemote, pt))
}

// aheadMs returns how many milliseconds wall a is after wall b, 0 if it is
// not, without overflow.
func aheadMs(a, b int64) uint64 {
	if a <= b {
		return 0
	}
	return uint64(a) - uint64(b)
}

// millis converts ms milliseconds to a Duration, saturating at the largest.
func millis(ms uint64) time.Duration {
	if ms > math.MaxInt64/uint64(time.Millisecond) {
		return math.MaxInt64
	}
	return time.Duration(ms) * time.Millisecond
}

// Last returns the latest stamp the clock issued, observed or was restored to
// (the zero Stamp for a new clock). Persist it so Restore can resume after a
// restart.
func (h *HLC) Last() Stamp {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.last
}

// Restore raises the clock to s (typically the last persisted stamp, or the
// stamp of the device's own last change) so that it never goes backward across
// restarts. It never lowers the clock.
func (h *HLC) Restore(s Stamp) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s.Compare(h.last) > 0 {
		h.last = s
	}
}
