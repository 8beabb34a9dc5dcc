package desk

import (
	"errors"
	"fmt"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// ReportForks writes a signed fork report (relief.OpReportFork) for each fork
// this store holds the proof of but no report of yet, one change each, so that
// every peer (the forked device included) learns of it whoever received the two
// changes. It returns how many it wrote. A fork whose two changes do not fit in
// one change (ledger.MaxChangeSize) stays known here only (logged by the
// caller through the error). Errors: the first refusal (CodeRecovering,
// CodeDiskFull, CodeNotAllowed when this device is not a member …); the forks
// not reported are tried again at the next call.
func (d *Desk) ReportForks() (int, error) {
	if _, ok := d.st.Network(); !ok {
		return 0, nil
	}
	if _, ok := d.st.Me(); !ok {
		return 0, nil // not a member (yet): it cannot write
	}
	n := 0
	var first error
	for _, f := range d.st.ForkList() {
		if f.Reported {
			continue
		}
		a, b, err := d.st.ForkEvidence(f.Device)
		if err == nil {
			var op ledger.Op
			if op, err = relief.ReportFork(a, b); err == nil {
				_, err = d.apply([]ledger.Op{op})
			}
		}
		if err != nil {
			if first == nil {
				first = fmt.Errorf("report the fork of %s at %d: %w", f.Device.Short(), f.Seq, err)
			}
			continue
		}
		n++
	}
	if first != nil {
		var de *Error
		if errors.As(first, &de) {
			return n, &Error{Code: de.Code, Field: de.Field, Message: first.Error(), Args: de.Args}
		}
		return n, AsError(first)
	}
	return n, nil
}

// ForkView is a member's device whose feed forked, for the coordinators'
// inbox, `reliefmesh-hub status` and the forked device's own banner.
type ForkView struct {
	Member string `json:"member"` // the member id (the device's key)
	Name   string `json:"name"`   // the member's name; "" when not in the roster
	Seq    uint64 `json:"seq"`    // the seq with two different changes: its changes from it on are refused
	Since  string `json:"since"`  // RFC 3339 UTC: when the later of the two changes was made
	// Reported: every peer learns of it from a signed report held here.
	Reported bool `json:"reported"`
}

func forkView(f store.Fork) ForkView {
	v := ForkView{Member: f.Device.String(), Name: f.Name, Seq: f.Seq, Reported: f.Reported}
	if !f.Since.IsZero() {
		v.Since = f.Since.UTC().Format("2006-01-02T15:04:05Z07:00")
	}
	return v
}

// Forks lists every forked device this store knows of, by member id.
func (d *Desk) Forks() []ForkView {
	fs := d.st.ForkList()
	out := make([]ForkView, 0, len(fs))
	for _, f := range fs {
		out = append(out, forkView(f))
	}
	return out
}

// OwnFork returns the fork of this device's own feed when a peer (or this
// store) holds the proof of it: this device wrote two different changes with
// one seq, typically because its store was restored from an older copy or lost
// its newest changes. Every peer that knows refuses its changes from Seq on:
// the person must stop working on this device and recover (a coordinator
// endorses a new device; what was recorded since is recorded again there).
func (d *Desk) OwnFork() (ForkView, bool) {
	f, ok := d.st.OwnFork()
	if !ok {
		return ForkView{}, false
	}
	return forkView(f), true
}
