package ledger

import (
	"fmt"
	"math"
	"slices"
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

	mu     sync.Mutex
	last   Stamp
	remote map[DeviceID]int64 // highest wall observed from each device, ms
}

// ClockQuorum is how many devices must have sent stamps ahead of this
// computer's clock before Behind reports it behind by that much: one member
// with a wrong clock (or a year-2100 stamp) must not make every other computer
// doubt its own. With fewer devices heard from, a majority of them is needed
// (1 of 1, 2 of 2 or 3).
const ClockQuorum = 3

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

// Observe is ObserveFrom with the zero DeviceID: the stamp counts towards
// Behind as coming from one unnamed device.
func (h *HLC) Observe(remote Stamp) error { return h.ObserveFrom(DeviceID{}, remote) }

// ObserveFrom merges a stamp received from device into the clock, so that
// later local stamps order after it. If remote.Wall is more than MaxDrift
// ahead of the physical clock, ObserveFrom leaves the clock as it was and
// returns a *RejectError with ReasonTooFarAhead (Device and Seq zero; the
// caller fills them in if it wants): the caller holds the change until
// Due(remote) and observes it again then. Either way remote counts towards
// Behind as device's. The clock remembers one wall per device, so callers
// should pass only admitted members' stamps.
func (h *HLC) ObserveFrom(device DeviceID, remote Stamp) error {
	pt := h.physical()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.remote == nil {
		h.remote = map[DeviceID]int64{}
	}
	if w, ok := h.remote[device]; !ok || remote.Wall > w {
		h.remote[device] = remote.Wall
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

// Behind returns how far the network's clocks are ahead of the physical clock
// now, by the devices' agreement: of the highest wall observed from each
// device (held stamps included), the k-th highest, where k is ClockQuorum or,
// with fewer than 2*ClockQuorum-2 devices heard from, a majority of them. It
// is 0 if that wall is not ahead or nothing was observed. So one device with
// a fast clock among several raises it no more than the next-fastest does;
// the only other device of a network of two does. The UI warns the user to
// check their clock when this exceeds a minute.
func (h *HLC) Behind() time.Duration {
	pt := h.physical()
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.remote) == 0 {
		return 0
	}
	walls := make([]int64, 0, len(h.remote))
	for _, w := range h.remote {
		walls = append(walls, w)
	}
	slices.Sort(walls)
	k := min(ClockQuorum, len(walls)/2+1)
	return millis(aheadMs(walls[len(walls)-k], pt))
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
