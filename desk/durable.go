package desk

import (
	"errors"
	"strconv"
	"strings"

	"github.com/reliefmesh/reliefmesh/relief"

	"github.com/reliefmesh/reliefmesh/store"
)

// durabilityError converts the store's disk-full, recovering, damaged and
// in-use errors to their codes with the args the UI fills in; nil for any other.
func durabilityError(err error) *Error {
	var full *store.DiskFullError
	var rec *store.RecoveringError
	var dam *store.DamagedError
	var used *store.InUseError
	switch {
	case errors.As(err, &used):
		return &Error{Code: CodeInUse, Message: err.Error(), Args: map[string]string{"dir": used.Dir}}
	case errors.As(err, &full):
		return &Error{Code: CodeDiskFull, Message: err.Error(), Args: map[string]string{
			"free": store.FormatBytes(full.Free), "need": store.FormatBytes(full.Need), "dir": full.Dir}}
	case errors.As(err, &rec):
		return &Error{Code: CodeRecovering, Message: err.Error(), Args: map[string]string{
			"head": strconv.FormatUint(rec.Head, 10), "reason": rec.Reason}}
	case errors.As(err, &dam):
		return &Error{Code: CodeDamaged, Message: err.Error(), Args: map[string]string{"dir": dam.Dir, "what": dam.What}}
	}
	var locked *store.LockedError
	if errors.As(err, &locked) {
		return &Error{Code: CodeLocked, Message: err.Error(), Args: map[string]string{"reason": locked.Reason, "source": locked.Source, "dir": locked.Dir}}
	}
	return nil
}

// Storage is the state of this device's disk and own feed, for a banner:
// Recovering says why local writes wait for the device's own newest changes
// ("" when they do not: see store.Store.Recovering); DiskFull, with Free,
// Need and Dir, says that writes are refused for lack of space.
type Storage struct {
	Recovering string `json:"recovering,omitempty"`
	DiskFull   bool   `json:"disk_full,omitempty"`
	Free       string `json:"free,omitempty"` // e.g. "180.5 MiB", when DiskFull
	Need       string `json:"need,omitempty"` // e.g. "192.0 MiB", when DiskFull
	Dir        string `json:"dir,omitempty"`  // the data directory, when DiskFull
	// Fork is set when this device's own feed forked (OwnFork): its changes
	// from Fork.Seq on are refused by every peer that knows.
	Fork *ForkView `json:"fork,omitempty"`
	// Repaired is set when the check made at open found damaged data
	// (store.Store.Integrity): what it rebuilt and what it fetches again.
	Repaired *Repaired `json:"repaired,omitempty"`
}

// Repaired says what the store's open-time check repaired: records rebuilt
// from the changes held (Examples names up to 10: a demand by its code and
// title, others as "kind/id"), and changes missing or damaged that catch-up
// fetches again from peers.
type Repaired struct {
	Records  int      `json:"records"`
	Examples []string `json:"examples,omitempty"`
	Missing  int      `json:"missing"`
}

// Storage returns the state of the disk and of the own feed (one statfs).
func (d *Desk) Storage() Storage {
	s := Storage{Recovering: d.st.Recovering()}
	var full *store.DiskFullError
	if errors.As(d.st.CheckSpace(), &full) {
		s.DiskFull, s.Free, s.Need, s.Dir = true, store.FormatBytes(full.Free), store.FormatBytes(full.Need), full.Dir
	}
	if f, ok := d.OwnFork(); ok {
		s.Fork = &f
	}
	if r := d.st.Integrity(); r.Damaged() {
		s.Repaired = &Repaired{Records: r.Rebuilt, Missing: max(r.Missing, r.DamagedChanges)}
		for _, e := range r.Examples {
			// a demand by its code and title, as the list shows it
			if id, ok := strings.CutPrefix(e, relief.KindDemand+"/"); ok {
				if dm, err := d.st.Demand(id); err == nil {
					e = dm.Code + " " + dm.Title
				}
			}
			s.Repaired.Examples = append(s.Repaired.Examples, e)
		}
	}
	return s
}

// ResumeWriting lets this device write again without waiting for a peer or
// a bundle to confirm the head of its own feed (store.Store.EndRecovery):
// for a person who knows no other device holds newer changes of it.
func (d *Desk) ResumeWriting() { d.st.EndRecovery() }
